package dev.leadqual.cli;

import dev.leadqual.replay.Replay;
import java.io.BufferedWriter;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.apache.flink.util.FileUtils;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code ./leadqual replay}: whole conversations through the real job, one outcome line per session. */
@Command(name = "replay", mixinStandardHelpOptions = true,
        description = {"Run conversations through the real job (bounded source, embedded Flink, RocksDB) and write one JSON",
                "object per session, in the order they close: session_id, qualified, score, category, final_action, actions, slots,",
                "time_to_qualification_ms. Input lines: session_id, text, optional event_id, role (VISITOR), sent_at, tenant_id",
                "(or chat.archive records)."})
public final class ReplayCommand implements Callable<Integer> {

    @Option(names = "--input", required = true, description = "Conversations as JSON lines.")
    Path input;

    @Option(names = "--output", description = "Outcomes as JSON lines (default: standard output).")
    Path output;

    @Option(names = "--policy", description = "A policy document (YAML or JSON) instead of the built-in one.")
    Path policy;

    @Option(names = "--inactivity", defaultValue = "30 min", description = "Gap that closes a session (default: ${DEFAULT-VALUE}).")
    String inactivity;

    @Override
    public Integer call() throws Exception {
        // The embedded Flink's checkpoints, under java.io.tmpdir as it is now; removed when the replay
        // ends, failed or not.
        Path work = Files.createTempDirectory(Path.of(System.getProperty("java.io.tmpdir")), "leadqual-replay-");
        try (Writer out = output == null
                ? new BufferedWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8))
                : Files.newBufferedWriter(output, StandardCharsets.UTF_8)) {
            Replay.Result result = Replay.run(input, policy, inactivity, work, out, System.err);
            out.flush();
            System.err.printf("replay: %d events, %d sessions, %d qualified, %d bad lines%n",
                    result.events(), result.sessions(), result.qualified(), result.badLines());
        } finally {
            FileUtils.deleteDirectoryQuietly(work.toFile());
        }
        return 0;
    }
}
