package dev.leadqual.cli;

import dev.leadqual.LeadQualJob;
import dev.leadqual.config.JobSettings;
import dev.leadqual.config.Topics;
import dev.leadqual.demo.ChatProducer;
import dev.leadqual.demo.DemoPrinter;
import dev.leadqual.demo.SyntheticChats;
import dev.leadqual.infra.LocalInfra;
import dev.leadqual.io.OutputReader;
import dev.leadqual.schema.ArchivedTurn;
import dev.leadqual.schema.DeadLetter;
import dev.leadqual.schema.NextAction;
import dev.leadqual.schema.QualifiedLead;
import dev.leadqual.schema.SalesHandoff;
import dev.leadqual.schema.SessionOutcome;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.avro.specific.SpecificRecord;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The whole product on this machine: a real Kafka broker and schema registry, the real job on an
 * embedded Flink with RocksDB and exactly-once checkpoints, synthetic chats in, leads out.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Run the job on embedded defaults: real Kafka, real schema registry, synthetic chats in, leads out.")
public final class DemoCommand implements Callable<Integer> {

    @Option(names = "--duration", description = "Seconds of traffic to send (default: ${DEFAULT-VALUE}).", defaultValue = "90")
    long durationSeconds;

    @Option(names = "--rate", description = "Chat events per second (default: ${DEFAULT-VALUE}).", defaultValue = "4")
    double rate;

    @Option(names = "--sessions", description = "Concurrent chat sessions (default: ${DEFAULT-VALUE}).", defaultValue = "6")
    int sessions;

    @Option(names = "--seed", description = "Seed of the synthetic traffic (default: ${DEFAULT-VALUE}).", defaultValue = "42")
    long seed;

    @Option(names = "--inactivity", description = "Inactivity that closes a session (default: ${DEFAULT-VALUE}).", defaultValue = "15s")
    String inactivity;

    @Option(names = "--quiet-inputs", description = "Do not print the chat messages sent in.")
    boolean quietInputs;

    @Option(names = "--llm.url", description = "OpenAI-compatible endpoint for handoff summaries (default: off).")
    String llmUrl;

    @Option(names = "--llm.model", description = "Model name for --llm.url (default: llama3.1).")
    String llmModel;

    @Option(names = "--llm.intent-below", description = "With --llm.url: the model's intent for messages understood "
            + "with less confidence than this, 0..1 (default: off).")
    String llmIntentBelow;

    @Option(names = "--crm.url", description = "CRM REST base URL for account lookups (default: off).")
    String crmUrl;

    @Override
    public Integer call() throws Exception {
        Path work = Files.createTempDirectory("leadqual-demo-");
        Topics topics = Topics.defaults();
        System.out.println("LeadQual demo: starting a Kafka broker and a schema registry (work dir " + work + ") ...");
        CountDownLatch finished = new CountDownLatch(1);
        AtomicBoolean stop = new AtomicBoolean();
        try (LocalInfra infra = LocalInfra.builder()
                .workDir(work.resolve("infra"))
                .topics(topics.streams())
                .compactedTopics(topics.compacted())
                .partitions(2)
                .start()) {
            System.out.println("  Kafka    " + infra.bootstrapServers());
            System.out.println("  Registry " + infra.registryUrl());
            System.out.println("  SQL      ./leadqual sql --kafka.bootstrap " + infra.bootstrapServers()
                    + " --registry.url " + infra.registryUrl() + "   (in another terminal, while the demo runs)");

            Map<String, String> args = new HashMap<>(Map.of(
                    "kafka.bootstrap", infra.bootstrapServers(),
                    "registry.url", infra.registryUrl(),
                    "session.inactivity", inactivity,
                    "handoff.sla", "60s"));
            if (llmUrl != null) {
                args.put("llm.url", llmUrl);
            }
            if (llmModel != null) {
                args.put("llm.model", llmModel);
            }
            if (llmIntentBelow != null) {
                args.put("llm.intent-below", llmIntentBelow);
            }
            if (crmUrl != null) {
                args.put("crm.url", crmUrl);
            }
            // Adapter settings and keys may come from the environment (LEADQUAL_LLM_*, LEADQUAL_CRM_*); nothing else does.
            Map<String, String> adapterEnv = new HashMap<>();
            System.getenv().forEach((k, v) -> {
                if (k.startsWith("LEADQUAL_LLM_") || k.startsWith("LEADQUAL_CRM_")) {
                    adapterEnv.put(k, v);
                }
            });
            JobSettings settings = JobSettings.from(args, adapterEnv);
            if (settings.adapters().llm() != null || settings.adapters().crm() != null) {
                System.out.println("  Adapters " + (settings.adapters().llm() == null ? "" : "llm " + settings.adapters().llm().url() + " ")
                        + (settings.adapters().crm() == null ? "" : "crm " + settings.adapters().crm().url()));
            }
            StreamExecutionEnvironment env = LocalFlink.environment(
                    LocalFlink.configuration(work.resolve("flink"), Duration.ofSeconds(2)), null);
            LeadQualJob.build(env, settings);
            JobClient job = env.executeAsync("LeadQual demo");
            System.out.println("  Job      " + job.getJobID() + " on an embedded Flink (RocksDB, exactly-once, checkpoint every 2 s)");
            System.out.println("Outputs appear when a checkpoint commits them (exactly-once). Ctrl-C stops everything.");
            System.out.println();

            Thread hook = new Thread(() -> {
                stop.set(true);
                try {
                    finished.await(20, TimeUnit.SECONDS);
                } catch (InterruptedException ignored) {
                    Thread.currentThread().interrupt();
                }
            });
            Runtime.getRuntime().addShutdownHook(hook);

            DemoPrinter printer = new DemoPrinter(System.out);
            Map<String, Class<? extends SpecificRecord>> outputs = Map.of(
                    topics.actions(), NextAction.class,
                    topics.leads(), QualifiedLead.class,
                    topics.handoffs(), SalesHandoff.class,
                    topics.sessionOutcomes(), SessionOutcome.class,
                    topics.deadLetters(), DeadLetter.class,
                    topics.archive(), ArchivedTurn.class);
            Thread reader = new Thread(() -> {
                try (OutputReader r = new OutputReader(infra.bootstrapServers(), new Properties(), settings.registry(), outputs)) {
                    while (!stop.get()) {
                        r.poll(Duration.ofMillis(200)).forEach(printer::output);
                    }
                } catch (RuntimeException e) {
                    if (!stop.get()) {
                        System.err.println("Output reader stopped: " + e.getMessage());
                    }
                }
            }, "demo-output-reader");
            reader.setDaemon(true);
            reader.start();

            SyntheticChats traffic = new SyntheticChats(seed, sessions, 0.04, 0.2);
            long intervalNanos = (long) (1_000_000_000L / Math.max(0.1, rate));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(durationSeconds);
            try (ChatProducer producer = new ChatProducer(infra.bootstrapServers(), new Properties(), settings.registry(), topics)) {
                long next = System.nanoTime();
                while (!stop.get() && System.nanoTime() < deadline) {
                    Instant now = Instant.now();
                    SyntheticChats.Item item = traffic.next(now);
                    producer.send(item, traffic, now);
                    if (!quietInputs) {
                        printer.input(item);
                    }
                    next += intervalNanos;
                    long sleep = next - System.nanoTime();
                    if (sleep > 0) {
                        TimeUnit.NANOSECONDS.sleep(sleep);
                    }
                }
                producer.flush();
            }
            if (!stop.get()) {
                System.out.println(LocalFlinkTime.now() + "  traffic done; waiting for the last checkpoint to commit outputs ...");
                TimeUnit.SECONDS.sleep(6);
            }
            stop.set(true);
            reader.join(2000);
            job.cancel().get(30, TimeUnit.SECONDS);
            printer.summary();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // Ctrl-C: the hook is running and waits for us
            }
        } finally {
            finished.countDown();
            deleteQuietly(work);
        }
        return 0;
    }

    private static void deleteQuietly(Path dir) {
        try (var paths = Files.walk(dir)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (Exception ignored) {
            // best effort: a temp dir
        }
    }

    /** Wall-clock time for log lines. */
    static final class LocalFlinkTime {
        static String now() {
            return java.time.LocalTime.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString();
        }
    }
}
