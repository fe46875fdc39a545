package dev.leadqual.cli;

import dev.leadqual.bench.BenchResults;
import dev.leadqual.bench.BenchTraffic;
import dev.leadqual.bench.NluBench;
import dev.leadqual.bench.PoolSource;
import dev.leadqual.bench.ThroughputBench;
import dev.leadqual.config.JobSettings;
import dev.leadqual.config.Topics;
import dev.leadqual.infra.LocalInfra;
import dev.leadqual.schema.ChatEvent;
import dev.leadqual.serde.AvroRegistrySerdes;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.apache.flink.configuration.ConfigOptions;
import org.apache.flink.configuration.Configuration;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ./leadqual bench [--quick]}: the performance figures of issue 6 in one run, printed as a table
 * and written to {@code target/bench/results.json} (exactly the contract's keys, see
 * {@link BenchResults#KEYS}) with the method and secondary figures in {@code details.json}.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = {"Measure throughput (bare engine vs pipeline), Kafka end-to-end throughput and latency, state per",
                "session, restore time and understanding cost; print a table and write target/bench/results.json."})
public final class BenchCommand implements Callable<Integer> {

    /** Every phase, in the order they run. */
    static final List<String> PHASES = List.of("nlu", "baseline", "pipeline", "kafka", "latency", "state", "restore");

    @Option(names = "--quick", description = "Smaller counts: finishes within 5 minutes.")
    boolean quick;

    @Option(names = "--latency-rate", defaultValue = "5000", description = "Offered rate of the latency run, events/s (default: ${DEFAULT-VALUE}).")
    int latencyRate;

    @Option(names = "--parallelism", defaultValue = "2", description = "Parallelism of every job (default: ${DEFAULT-VALUE}).")
    int parallelism;

    @Option(names = "--only", split = ",", description = "Run only these phases (default: all): " + "nlu, baseline, pipeline, kafka, latency, state, restore.")
    List<String> only;

    @Option(names = "--events", description = "Events in the generated traffic (default: 150000 with --quick, 600000 otherwise).")
    Integer events;

    @Option(names = "--output", description = "Where results.json goes (default: target/bench under the repository).")
    Path output;

    @Override
    public Integer call() throws Exception {
        Path home = LocalFlink.home();
        Path out = output != null ? output : home.resolve("target/bench");
        Files.createDirectories(out);
        Set<String> phases = new LinkedHashSet<>(only == null ? PHASES : only);
        for (String p : phases) {
            if (!PHASES.contains(p)) {
                throw new picocli.CommandLine.ParameterException(new picocli.CommandLine(this), "unknown phase " + p);
            }
        }
        BenchResults results = new BenchResults();
        int cores = Runtime.getRuntime().availableProcessors();
        results.put("cores", cores);
        results.put("parallelism", parallelism);
        results.put("latency_rate_per_s", latencyRate);
        results.put("git_commit", gitCommit(home));
        var d = results.details();
        d.put("mode", quick ? "quick" : "full");
        d.put("started_at", Instant.now().toString());
        d.put("java", System.getProperty("java.vm.name") + " " + System.getProperty("java.version"));
        d.put("max_heap_mb", Runtime.getRuntime().maxMemory() >> 20);
        d.put("load_average_at_start", loadAverage());
        long started = System.nanoTime();

        if (phases.contains("nlu")) {
            phase(results, "nlu", () -> {
                StringBuilder log = new StringBuilder();
                NluBench.Result r = NluBench.run(home, out, quick, log);
                results.put("nlu_us_per_message", r.meanMicros());
                var n = d.putObject("nlu");
                n.put("benchmark", NluBench.BENCHMARK);
                n.put("mean_us", r.meanMicros());
                n.put("p50_us", r.p50Micros());
                n.put("error_us", r.errorMicros());
                n.put("command", r.command());
                n.put("figure", "nlu_us_per_message = JMH sample-time mean (µs per message, one thread)");
            });
        }

        Path work = Files.createTempDirectory("leadqual-bench-");
        Topics topics = Topics.defaults();
        try (LocalInfra infra = LocalInfra.builder()
                .home(home)
                .workDir(work.resolve("infra"))
                .topics(topics.streams())
                .compactedTopics(topics.compacted())
                .partitions(parallelism)
                .start()) {
            JobSettings settings = JobSettings.local(infra.bootstrapServers(), infra.registryUrl());
            int n = events != null ? events : quick ? 150_000 : 600_000;
            long t = System.nanoTime();
            BenchTraffic traffic = BenchTraffic.generate(BenchTraffic.SEED, n, 2_000, parallelism,
                    System.currentTimeMillis() - Duration.ofHours(1).toMillis(), latencyRate,
                    AvroRegistrySerdes.serializer(ChatEvent.class, topics.chatEvents(), settings.registry()), topics);
            String pool = PoolSource.register("traffic", traffic);
            var td = d.putObject("traffic");
            td.put("records", traffic.records());
            td.put("sessions", traffic.sessions());
            td.put("concurrent_sessions", 2_000);
            td.put("average_record_bytes", traffic.averageValueBytes());
            td.put("generated_in_s", (System.nanoTime() - t) / 1e9);
            td.put("generator", "SyntheticChats(seed " + BenchTraffic.SEED + ", 2000 live sessions, 4% malformed, 20% Chatwoot webhooks)");

            long warmup = traffic.records() / 5;
            if (phases.contains("baseline")) {
                phase(results, "baseline", () -> {
                    int cycles = quick ? 4 : 6;
                    ThroughputBench.Result r = ThroughputBench.baseline(throughputConf(work.resolve("baseline")), parallelism,
                            pool, cycles, warmup);
                    results.put("baseline_events_per_s", r.eventsPerSecond());
                    putRun(d.putObject("baseline"), r, "same records as the pipeline, " + cycles + " times round");
                });
            }
            if (phases.contains("pipeline")) {
                phase(results, "pipeline", () -> {
                    ThroughputBench.Result r = ThroughputBench.pipeline(throughputConf(work.resolve("pipeline")), parallelism,
                            pool, settings, warmup);
                    results.put("pipeline_events_per_s", r.eventsPerSecond());
                    putRun(d.putObject("pipeline"), r, "each record once; every session closes at end of input");
                });
            }
            if (results.get("baseline_events_per_s") instanceof Double b && results.get("pipeline_events_per_s") instanceof Double p) {
                results.put("ratio", p / b);
            }
        } finally {
            deleteQuietly(work);
        }
        d.put("total_s", (System.nanoTime() - started) / 1e9);
        d.put("load_average_at_end", loadAverage());
        results.write(out);
        results.print(System.out);
        System.out.println("Written: " + out.resolve("results.json") + " (details: " + out.resolve("details.json") + ")");
        return 0;
    }

    /** flink-conf/config.yaml (RocksDB, incremental exactly-once checkpoints every 10 s) for a bounded run. */
    private static Configuration throughputConf(Path dir) {
        Configuration conf = LocalFlink.configuration(dir, Duration.ofSeconds(10));
        // Bounded runs end when their input ends, not at the next checkpoint (the bench sinks commit nothing).
        conf.set(ConfigOptions.key("execution.checkpointing.checkpoints-after-tasks-finish").booleanType().noDefaultValue(), false);
        return conf;
    }

    private static void putRun(com.fasterxml.jackson.databind.node.ObjectNode o, ThroughputBench.Result r, String note) {
        o.put("events_per_s", r.eventsPerSecond());
        o.put("records", r.records());
        o.put("measured_s", r.seconds());
        o.put("output_bytes", r.outputBytes());
        var outputs = o.putObject("outputs");
        r.outputs().forEach(outputs::put);
        o.put("note", note);
    }

    @FunctionalInterface
    interface Phase {
        void run() throws Exception;
    }

    private static void phase(BenchResults results, String name, Phase phase) {
        long t = System.nanoTime();
        System.err.println("bench: " + name + " ...");
        try {
            phase.run();
        } catch (Exception | Error e) {
            System.err.println("bench: " + name + " failed: " + e);
            results.details().with("errors").put(name, String.valueOf(e));
        }
        double s = (System.nanoTime() - t) / 1e9;
        results.details().with("phase_seconds").put(name, BenchResultsRounding.round(s));
        System.err.printf("bench: %s done in %.1f s%n", name, s);
    }

    static String gitCommit(Path home) {
        try {
            String head = run(home, "git", "rev-parse", "--short=12", "HEAD").trim();
            String dirty = run(home, "git", "status", "--porcelain", "--untracked-files=no").trim();
            return dirty.isEmpty() ? head : head + "-dirty";
        } catch (IOException | InterruptedException e) {
            return "unknown";
        }
    }

    private static String run(Path dir, String... cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
        String s = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException(String.join(" ", cmd) + " failed");
        }
        return s;
    }

    static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).trim();
        } catch (IOException e) {
            return "unknown";
        }
    }

    private static void deleteQuietly(Path dir) {
        try (var paths = Files.walk(dir)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (Exception ignored) {
            // best effort: a temp dir
        }
    }

    /** Rounding for details. */
    static final class BenchResultsRounding {
        static double round(double d) {
            return Math.round(d * 10) / 10.0;
        }
    }
}
