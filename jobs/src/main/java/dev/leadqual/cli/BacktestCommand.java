package dev.leadqual.cli;

import dev.leadqual.backtest.Backtest;
import dev.leadqual.udfs.qualify.PolicyException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code ./leadqual backtest}: what a candidate policy would change, on archived conversations. */
@Command(name = "backtest", mixinStandardHelpOptions = true,
        description = {"Replay archived conversations through the real job (embedded Flink, RocksDB) once per policy and",
                "compare: diff.jsonl (every session whose decision, score bucket or handoff changed, with both versions",
                "and the rule that made the difference), summary.json (counts per policy) and report.html (charts).",
                "Chats: replay lines (session_id, text, role, sent_at, tenant_id, language) or chat.archive records."})
public final class BacktestCommand implements Callable<Integer> {

    @Option(names = "--chats", required = true, paramLabel = "FILE", description = "Archived conversations, JSON lines.")
    Path chats;

    @Option(names = "--policy", required = true, paramLabel = "FILE", description = "The candidate policy (YAML or JSON).")
    Path policy;

    @Option(names = "--against", paramLabel = "FILE", description = "The baseline policy (default: the built-in policy).")
    Path against;

    @Option(names = "--outcomes", paramLabel = "FILE",
            description = "Sales outcomes, JSON lines: session_id or lead_id, outcome (MEETING_BOOKED, NO_SHOW, WON, LOST, OTHER).")
    Path outcomes;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Where to write diff.jsonl, summary.json and report.html.")
    Path out;

    @Option(names = "--inactivity", defaultValue = "30 min", description = "Gap that closes a session (default: ${DEFAULT-VALUE}).")
    String inactivity;

    @Option(names = "--parallelism", defaultValue = "2",
            description = "Job parallelism (default: ${DEFAULT-VALUE}); each instance holds an equal share of the hourly handoff limit, as in production.")
    int parallelism;

    @Option(names = "--top", defaultValue = "25", description = "Changed sessions listed in the report (default: ${DEFAULT-VALUE}); diff.jsonl has all.")
    int top;

    @Override
    public Integer call() throws Exception {
        Backtest.Result r;
        try {
            r = Backtest.run(new Backtest.Options(chats, policy, against, outcomes, out, inactivity, parallelism, top), System.err);
        } catch (PolicyException e) {
            System.err.println("backtest: invalid policy: " + e.getMessage());
            return 1;
        } catch (NoSuchFileException e) {
            System.err.println("backtest: no such file: " + e.getFile());
            return 1;
        } catch (IllegalArgumentException e) {
            System.err.println("backtest: " + e.getMessage());
            return 1;
        }
        System.err.printf("backtest: %d messages, %d sessions, %d changed, %d bad lines%n",
                r.events(), r.sessions(), r.changed(), r.badLines());
        System.out.println(r.out().resolve("report.html").toAbsolutePath());
        return 0;
    }
}
