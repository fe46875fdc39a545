package dev.leadqual.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.leadqual.statetools.ArchiveBootstrap;
import dev.leadqual.statetools.Erase;
import dev.leadqual.statetools.Inspect;
import dev.leadqual.statetools.Migrate;
import dev.leadqual.statetools.StateTools;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code ./leadqual state ...}: savepoint tools on the State Processor API (embedded Flink, RocksDB). */
@Command(name = "state", mixinStandardHelpOptions = true,
        description = {"Read and rewrite the job's savepoints (State Processor API, RocksDB). SAVEPOINT is a savepoint",
                "directory (local path or URI). Rewrites write a new savepoint and never touch the input."},
        subcommands = {StateCommand.InspectCmd.class, StateCommand.EraseCmd.class, StateCommand.MigrateCmd.class,
                StateCommand.BootstrapCmd.class, CommandLine.HelpCommand.class})
public final class StateCommand implements Callable<Integer> {

    @Override
    public Integer call() {
        new CommandLine(this).usage(System.err);
        return 2;
    }

    /** The job's TTLs: the tools register the same descriptors, so they see what the job would see. */
    static final class TtlOptions {
        @Option(names = "--state-ttl", defaultValue = "7 d",
                description = "The job's --state.ttl (default: ${DEFAULT-VALUE}). Memory and tails older than this are not read.")
        String stateTtl;

        @Option(names = "--dedup-ttl", defaultValue = "1 d",
                description = "The job's --dedup.ttl (default: ${DEFAULT-VALUE}). Seen event ids older than this are not read.")
        String dedupTtl;

        StateTools.Ttls ttls() {
            return new StateTools.Ttls(duration(stateTtl), duration(dedupTtl));
        }
    }

    static Duration duration(String text) {
        return org.apache.flink.util.TimeUtils.parseDuration(text); // as the job parses its durations
    }

    static void requireFresh(Path out) throws java.io.IOException {
        if (Files.exists(out) && (!Files.isDirectory(out) || Files.list(out).findAny().isPresent())) {
            throw new CommandLine.ParameterException(new CommandLine(new StateCommand()),
                    "--out " + out + " exists and is not empty: choose a new directory");
        }
    }

    @Command(name = "inspect", mixinStandardHelpOptions = true,
            description = {"What a savepoint holds: operators with state, sessions, session-memory size per session",
                    "(min/p50/p90/max), transcript turns, timers, dedup ids; with --session, that session's state as JSON."})
    static final class InspectCmd implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "SAVEPOINT")
        String savepoint;

        @Option(names = "--session", description = "Print this session's memory, tail, timers and seen ids as JSON.")
        String session;

        @Mixin
        TtlMixin ttl;

        @Override
        public Integer call() throws Exception {
            long t0 = System.nanoTime();
            if (session != null) {
                ObjectNode o = Inspect.session(savepoint, session, ttl.options.ttls());
                if (o == null) {
                    System.err.println("state: no state for session " + session + " in " + savepoint);
                    return 1;
                }
                System.out.println(new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsString(o));
                return 0;
            }
            Inspect.Report r;
            try (Progress p = new Progress(System.err, "reading sessions", 0)) {
                r = Inspect.report(savepoint, ttl.options.ttls(), p);
            }
            System.out.print(r.render());
            System.err.printf("state: inspected in %.1f s%n", (System.nanoTime() - t0) / 1e9);
            return 0;
        }
    }

    /** --state-ttl/--dedup-ttl on every subcommand. */
    static final class TtlMixin {
        @ArgGroup(exclusive = false)
        TtlOptions options = new TtlOptions();
    }

    @Command(name = "erase", mixinStandardHelpOptions = true,
            description = {"Right to erasure: write a new savepoint without a person's sessions (memory, transcript tail,",
                    "timers and seen event ids), every other session and operator (e.g. Kafka offsets) as it was.",
                    "Then restart the job from the new savepoint and delete the old one (and older checkpoints)."})
    static final class EraseCmd implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "SAVEPOINT")
        String savepoint;

        @ArgGroup(exclusive = true, multiplicity = "1")
        Who who;

        static final class Who {
            @Option(names = "--email", description = "Every session whose email slot (or a superseded value) is this address.")
            String email;

            @Option(names = "--session", description = "This session.")
            String session;

            @Option(names = "--tenant", description = "Every session of this tenant.")
            String tenant;
        }

        @Option(names = "--out", required = true, paramLabel = "NEW_SAVEPOINT", description = "Where to write the new savepoint.")
        Path out;

        @Mixin
        TtlMixin ttl;

        @Override
        public Integer call() throws Exception {
            requireFresh(out);
            long t0 = System.nanoTime();
            Erase.Selector selector = new Erase.Selector(who.email, who.session, who.tenant);
            Erase.Result r;
            try (Progress p = new Progress(System.err, "copying other sessions", 0)) {
                r = Erase.run(savepoint, selector, out.toString(), ttl.options.ttls(), p);
            }
            if (r.erasedSessions().isEmpty()) {
                System.err.println("state: no session matches " + selector + "; nothing written");
                return 1;
            }
            System.out.printf("erased %d session(s) of %s: %s%n", r.erasedSessions().size(), selector, r.erasedSessions());
            System.out.printf("kept %,d sessions' memory and %,d sessions' dedup ids; other operators copied%n",
                    r.keptQualifySessions(), r.keptDedupSessions());
            System.out.printf("new savepoint: %s (%.1f s)%n", out.toAbsolutePath(), (System.nanoTime() - t0) / 1e9);
            return 0;
        }
    }

    @Command(name = "migrate", mixinStandardHelpOptions = true,
            description = {"Rewrite session state for an upgrade into a new savepoint: apply a (new) state TTL now,",
                    "clear memory fields or single slots, shrink transcript tails. Other operators are copied."})
    static final class MigrateCmd implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "SAVEPOINT")
        String savepoint;

        @Option(names = "--out", required = true, paramLabel = "NEW_SAVEPOINT")
        Path out;

        @Option(names = "--drop-field", paramLabel = "F",
                description = "Reset a session-memory field to its default (e.g. summary), or remove a slot (slots.phone). Repeatable.")
        List<String> dropFields = new ArrayList<>();

        @Option(names = "--tail", paramLabel = "N", description = "Keep at most the N newest transcript turns per session.")
        Integer tail;

        @Mixin
        TtlMixin ttl;

        @Override
        public Integer call() throws Exception {
            requireFresh(out);
            long t0 = System.nanoTime();
            Migrate.Result r;
            try (Progress p = new Progress(System.err, "migrating sessions", 0)) {
                r = Migrate.run(savepoint, out.toString(), new Migrate.Changes(dropFields, tail), ttl.options.ttls(), p);
            }
            System.out.printf("migrated %,d sessions into %s (%.1f s)%n", r.sessions(), out.toAbsolutePath(),
                    (System.nanoTime() - t0) / 1e9);
            return 0;
        }
    }

    @Command(name = "bootstrap", mixinStandardHelpOptions = true,
            description = {"Build session memory from archived turns (chat.archive records or replay lines, JSON lines)",
                    "into a fresh savepoint the job can start from (./leadqual submit --from-savepoint NEW)."})
    static final class BootstrapCmd implements Callable<Integer> {
        @Option(names = "--archive", required = true, paramLabel = "FILE")
        Path archive;

        @Option(names = "--out", required = true, paramLabel = "NEW_SAVEPOINT")
        Path out;

        @Option(names = "--inactivity", defaultValue = "30 min",
                description = "The job's --session.inactivity: sessions close this long after their last turn (default: ${DEFAULT-VALUE}).")
        String inactivity;

        @Option(names = "--transcript-tail", defaultValue = "12", description = "Turns kept per session (default: ${DEFAULT-VALUE}).")
        int tailTurns;

        @Option(names = "--policy", description = "The job's policy document, if not the built-in one.")
        Path policy;

        @Mixin
        TtlMixin ttl;

        @Override
        public Integer call() throws Exception {
            requireFresh(out);
            long t0 = System.nanoTime();
            ArchiveBootstrap.Result r;
            try (Progress p = new Progress(System.err, "rebuilding sessions", 0)) {
                r = ArchiveBootstrap.run(archive, out.toString(),
                        new ArchiveBootstrap.Options(duration(inactivity), tailTurns, policy), ttl.options.ttls(), p);
            }
            PrintStream err = System.err;
            r.badLines().forEach(b -> err.println("state: skipped " + b));
            if (r.sessions() == 0) {
                err.println("state: no usable turns in " + archive + "; nothing written");
                return 1;
            }
            System.out.printf("bootstrapped %,d sessions from %,d turns into %s (%.1f s)%n", r.sessions(), r.turns(),
                    out.toAbsolutePath(), (System.nanoTime() - t0) / 1e9);
            return 0;
        }
    }
}
