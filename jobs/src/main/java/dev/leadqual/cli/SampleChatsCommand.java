package dev.leadqual.cli;

import dev.leadqual.demo.SyntheticArchive;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code ./leadqual sample-chats}: an archive of the demo's synthetic conversations, to try replay and backtest on. */
@Command(name = "sample-chats", mixinStandardHelpOptions = true,
        description = {"Write the demo's synthetic conversations as replay lines (input for replay and backtest), and",
                "optionally synthetic sales outcomes for them. Sample data for trying the tools, not evidence."})
public final class SampleChatsCommand implements Callable<Integer> {

    @Option(names = "--out", required = true, paramLabel = "FILE", description = "The conversations, JSON lines.")
    Path out;

    @Option(names = "--outcomes", paramLabel = "FILE", description = "Also write synthetic sales outcomes (session_id, outcome) here.")
    Path outcomes;

    @Option(names = "--sessions", defaultValue = "300", description = "Conversations (default: ${DEFAULT-VALUE}).")
    int sessions;

    @Option(names = "--seed", defaultValue = "42", description = "Random seed; the same seed gives the same archive (default: ${DEFAULT-VALUE}).")
    long seed;

    @Override
    public Integer call() throws Exception {
        SyntheticArchive.Result r;
        try (Writer chats = Files.newBufferedWriter(out, StandardCharsets.UTF_8);
                Writer o = outcomes == null ? null : Files.newBufferedWriter(outcomes, StandardCharsets.UTF_8)) {
            r = SyntheticArchive.write(seed, sessions, chats, o);
        }
        System.err.printf("sample-chats: %d sessions, %d messages -> %s%s%n", r.sessions(), r.messages(), out,
                outcomes == null ? "" : "; " + r.outcomes() + " sales outcomes -> " + outcomes);
        return 0;
    }
}
