package dev.leadqual.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.leadqual.LeadQualJob;
import dev.leadqual.cluster.ClusterRest;
import dev.leadqual.cluster.LocalCluster;
import dev.leadqual.config.Topics;
import dev.leadqual.infra.LocalInfra;
import dev.leadqual.schema.ActionType;
import dev.leadqual.schema.ChatEvent;
import dev.leadqual.schema.DeadLetter;
import dev.leadqual.schema.DecisionAudit;
import dev.leadqual.schema.NextAction;
import dev.leadqual.schema.QualificationMetric;
import dev.leadqual.schema.SalesHandoff;
import dev.leadqual.schema.SenderRole;
import dev.leadqual.schema.SessionOutcome;
import dev.leadqual.serde.AvroRegistrySerdes;
import dev.leadqual.serde.RegistrySettings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import org.apache.flink.formats.avro.RegistryAvroSerializationSchema;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shaded job jar on a real standalone Flink cluster (a JobManager and TaskManagers, each its own
 * JVM, {@link LocalCluster}) against a real Kafka broker and schema registry: a steady stream of
 * conversations, TaskManagers killed with SIGKILL mid-stream and replaced, then 10,000 malformed
 * inputs. Every lead, action, decision and outcome must arrive exactly once, every malformed input
 * must arrive in the dead-letter topic with its reason, and the malformed flood must not restart the
 * job.
 */
class ClusterFaultToleranceITCase {

    static final int PARALLELISM = 2;
    static final int KILLS = 3;
    static final int MALFORMED = 10_000;
    static final long SEED = 20260310L;

    @TempDir
    static Path work;

    static LocalInfra infra;
    static LocalCluster cluster;

    @BeforeAll
    static void start() throws Exception {
        long t0 = System.nanoTime();
        infra = LocalInfra.builder().partitions(PARALLELISM).workDir(work.resolve("infra")).start();
        long t1 = System.nanoTime();
        cluster = LocalCluster.builder()
                .dir(work.resolve("cluster"))
                .taskManagers(2)
                .slotsPerTaskManager(PARALLELISM)
                .taskManagerMemory("1g")
                .start();
        report("infra ready in %d ms, Flink cluster (JM + 2 TMs) ready in %d ms",
                (t1 - t0) / 1_000_000, cluster.startupTime().toMillis());
    }

    @AfterAll
    static void stop() {
        if (cluster != null) {
            cluster.close();
        }
        if (infra != null) {
            infra.close();
        }
    }

    @Test
    void killedTaskManagersAndMalformedFloodLoseAndDuplicateNothing() throws Exception {
        long testStart = System.nanoTime();
        String prefix = "ft-";
        Topics topics = Topics.resolve(name -> prefix + name);
        infra.createTopics(topics.streams(), PARALLELISM, false);
        infra.createTopics(topics.compacted(), PARALLELISM, true);
        ClusterRest rest = cluster.rest();

        String jobId = rest.submit(jobJar(), LeadQualJob.class.getName(), jobArgs(infra, prefix, "cluster-it"), PARALLELISM, null,
                Map.of("execution.checkpointing.interval", "1 s", "execution.checkpointing.min-pause", "200 ms"));
        await("job running", Duration.ofMinutes(3), () -> rest.allTasksRunning(jobId));
        report("job %s running %d ms after the test started", jobId, (System.nanoTime() - testStart) / 1_000_000);

        JobOutputs out = outputs(topics);
        Conversations traffic = new Conversations(topics);
        traffic.start();
        try {
            // 1. A steady stream, and a TaskManager running the job killed (SIGKILL) and replaced, KILLS times.
            await("first committed outputs and a checkpoint", Duration.ofMinutes(2),
                    () -> out.poll() && out.audit.size() >= 10 && rest.completedCheckpoints(jobId) >= 1);
            List<Long> recoveries = new ArrayList<>();
            for (int k = 1; k <= KILLS; k++) {
                traffic.check();
                long restartsBefore = rest.restarts(jobId);
                List<String> running = rest.taskManagersOf(jobId);
                String victim = running.get(0);
                long killedAt = System.nanoTime();
                cluster.killTaskManager(victim);
                // The replacement starts alongside the recovery: the surviving TaskManager has the slots.
                CompletableFuture<String> replacement = CompletableFuture.supplyAsync(() -> {
                    try {
                        return cluster.startTaskManager();
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                });
                await("restart after kill " + k, Duration.ofMinutes(2),
                        () -> rest.restarts(jobId) > restartsBefore && rest.allTasksRunning(jobId));
                long recoveredMs = (System.nanoTime() - killedAt) / 1_000_000;
                recoveries.add(recoveredMs);
                String replacedBy = replacement.get(2, TimeUnit.MINUTES);
                long checkpoints = rest.completedCheckpoints(jobId);
                int auditsBefore = out.audit.size();
                await("a checkpoint and new outputs after kill " + k, Duration.ofMinutes(2),
                        () -> out.poll() && out.audit.size() > auditsBefore && rest.completedCheckpoints(jobId) > checkpoints);
                report("kill %d: %s (SIGKILL, tasks on %s), replaced by %s; job running again %d ms after the kill, "
                        + "restarts %d, outputs flowing after %d ms", k, victim, running, replacedBy, recoveredMs,
                        rest.restarts(jobId), (System.nanoTime() - killedAt) / 1_000_000);
            }

            // 2. 10,000 malformed inputs while the conversations go on: dead letters, no restart.
            long restartsBeforeFlood = rest.restarts(jobId);
            int failuresBeforeFlood = rest.failures(jobId).size();
            long floodStart = System.nanoTime();
            Map<String, ClusterTraffic.Malformed> sentMalformed = sendMalformed(topics);
            report("sent %d malformed inputs in %d ms", sentMalformed.size(), (System.nanoTime() - floodStart) / 1_000_000);

            traffic.finish();
            await("every session closed and every malformed input dead-lettered", Duration.ofMinutes(3),
                    () -> out.poll() && out.deadLetters.size() >= MALFORMED
                            && out.outcomes.size() >= traffic.sessions().size() && traffic.finished());
            out.pollFor(Duration.ofSeconds(3)); // anything late or duplicated would show now
            report("flood and final sessions processed %d ms after the flood began", (System.nanoTime() - floodStart) / 1_000_000);

            long restartsAfterFlood = rest.restarts(jobId);
            List<ClusterRest.Failure> failures = rest.failures(jobId);
            // A restart still under way from the last kill may be counted during the flood (Flink groups such
            // retries under the kill's failure); a failure caused by the flood would be a new root failure.
            String newFailures = failures.stream().skip(failuresBeforeFlood)
                    .map(f -> f.exceptionName() + " in " + f.taskName() + ": "
                            + (f.stacktrace() == null ? "" : f.stacktrace().lines().limit(3).toList()))
                    .toList().toString();
            assertThat(failures).as("failures recorded during the malformed flood: %s (restarts %d -> %d)",
                    newFailures, restartsBeforeFlood, restartsAfterFlood).hasSize(failuresBeforeFlood);

            assertThat(restartsBeforeFlood).as("restarts: at least one per killed TaskManager").isGreaterThanOrEqualTo(KILLS);
            assertThat(rest.jobState(jobId)).isEqualTo("RUNNING");
            report("restarts %d, failures: %s", restartsAfterFlood,
                    failures.stream().map(ClusterRest.Failure::exceptionName).toList());
            report("recovery after SIGKILL (ms): %s", recoveries);

            assertExactlyOnce(traffic, out);
            assertDeadLetters(sentMalformed, out.deadLetters);
            assertPrometheusExposesTheJobsMetrics();
        } finally {
            traffic.finish();
            traffic.join(60_000);
            out.close();
            rest.cancel(jobId);
        }
        report("test body took %d s", (System.nanoTime() - testStart) / 1_000_000_000);
    }

    // ---------------------------------------------------------------------------------------------
    // assertions

    private static void assertExactlyOnce(Conversations traffic, JobOutputs out) {
        List<ChatEvent> sent = traffic.sent();
        Set<String> sessions = traffic.sessions();
        Set<String> visitorMessages = sent.stream()
                .filter(e -> e.getSenderRole() == SenderRole.VISITOR && e.getText() != null)
                .map(ChatEvent::getEventId).collect(Collectors.toSet());
        report("sent %d events in %d sessions (%d visitor messages); received %d audits, %d actions, %d leads, "
                        + "%d handoffs, %d outcomes, %d metrics, %d archived turns, %d dead letters",
                sent.size(), sessions.size(), visitorMessages.size(), out.audit.size(), out.actions.size(),
                out.leads.size(), out.handoffs.size(), out.outcomes.size(), out.metrics.size(), out.archive.size(),
                out.deadLetters.size());

        // One decision per visitor message: none lost, none duplicated.
        assertThat(out.audit).extracting(DecisionAudit::getEventId).doesNotHaveDuplicates();
        assertThat(out.audit.stream().map(DecisionAudit::getEventId).collect(Collectors.toSet()))
                .isEqualTo(visitorMessages);
        assertThat(out.metrics).extracting(QualificationMetric::getEventId).doesNotHaveDuplicates()
                .hasSameSizeAs(visitorMessages);

        // One outcome per session.
        assertThat(out.outcomes).extracting(SessionOutcome::getSessionId).doesNotHaveDuplicates();
        Map<String, SessionOutcome> outcomes = out.outcomes.stream()
                .collect(Collectors.toMap(SessionOutcome::getSessionId, o -> o));
        assertThat(outcomes.keySet()).isEqualTo(sessions);

        // Every action the session decided (its outcome lists them) arrived once, with a unique id.
        assertThat(out.actions).extracting(NextAction::getActionId).doesNotHaveDuplicates();
        Map<String, List<ActionType>> actionsBySession = new HashMap<>();
        out.actions.forEach(a -> actionsBySession.computeIfAbsent(a.getSessionId(), s -> new ArrayList<>()).add(a.getAction()));
        for (SessionOutcome o : out.outcomes) {
            List<ActionType> decided = new ArrayList<>(o.getActions());
            decided.removeIf(a -> a == ActionType.NONE);
            List<ActionType> received = new ArrayList<>(actionsBySession.getOrDefault(o.getSessionId(), List.of()));
            Collections.sort(decided);
            Collections.sort(received);
            assertThat(received).as("actions of %s", o.getSessionId()).isEqualTo(decided);
        }

        // Leads: upserts with versions 1..n and no gaps or repeats; one per qualified session.
        assertThat(out.leads).extracting(l -> l.getLeadId() + "#" + l.getLeadVersion()).doesNotHaveDuplicates();
        Map<String, List<Integer>> versions = new TreeMap<>();
        out.leads.forEach(l -> versions.computeIfAbsent(l.getLeadId(), x -> new ArrayList<>()).add(l.getLeadVersion()));
        versions.forEach((lead, v) -> {
            Collections.sort(v);
            assertThat(v).as("versions of %s", lead).isEqualTo(
                    java.util.stream.IntStream.rangeClosed(1, v.size()).boxed().toList());
        });
        Set<String> qualifiedLeads = out.outcomes.stream().filter(SessionOutcome::getQualified)
                .map(SessionOutcome::getLeadId).collect(Collectors.toSet());
        assertThat(versions.keySet()).isEqualTo(qualifiedLeads);
        assertThat(out.handoffs).extracting(SalesHandoff::getHandoffId).doesNotHaveDuplicates();

        // The trace id of the input travels into every output.
        Map<String, String> traceOf = sent.stream().collect(Collectors.toMap(ChatEvent::getEventId, ChatEvent::getTraceId));
        assertThat(out.audit).allSatisfy(a -> assertThat(a.getTraceId()).isEqualTo(traceOf.get(a.getEventId())));
        assertThat(out.metrics).allSatisfy(m -> assertThat(m.getTraceId()).isEqualTo(traceOf.get(m.getEventId())));
        assertThat(out.actions).allSatisfy(a -> assertThat(a.getTraceId()).isEqualTo(traceOf.get(a.getCausedByEventId())));
        assertThat(out.leads).allSatisfy(l -> assertThat(l.getTraceId()).startsWith("trace-" + l.getSessionId() + "-"));
        assertThat(out.handoffs).allSatisfy(h -> assertThat(h.getTraceId()).startsWith("trace-" + h.getSessionId() + "-"));
        assertThat(out.outcomes).allSatisfy(o -> assertThat(o.getTraceId()).startsWith("trace-" + o.getSessionId() + "-"));
        assertThat(out.archive).allSatisfy(a -> assertThat(a.getTraceId()).isEqualTo(traceOf.get(a.getEventId())));
    }

    private static void assertDeadLetters(Map<String, ClusterTraffic.Malformed> sent, List<DeadLetter> received) {
        assertThat(received).extracting(DeadLetter::getDeadLetterId).doesNotHaveDuplicates();
        assertThat(received).hasSize(MALFORMED);
        assertThat(received.stream().map(DeadLetter::getDeadLetterId).collect(Collectors.toSet()))
                .as("a dead letter for each malformed input, none for anything else").isEqualTo(sent.keySet());
        Map<String, Map<String, Integer>> reasonsByKind = new TreeMap<>();
        for (DeadLetter d : received) {
            ClusterTraffic.Malformed m = sent.get(d.getDeadLetterId());
            assertThat(d.getStage()).as("stage of %s (%s): %s", m.kind(), d.getDeadLetterId(), d.getReason())
                    .isEqualTo(m.stage());
            assertThat(d.getReason()).as("reason of %s", m.kind()).isNotBlank();
            assertThat(d.getOriginalSize()).isEqualTo(m.bytes() == null ? 0 : m.bytes().length);
            reasonsByKind.computeIfAbsent(m.kind(), k -> new TreeMap<>())
                    .merge(d.getStage() + ": " + abbreviate(d.getReason()), 1, Integer::sum);
        }
        reasonsByKind.forEach((kind, reasons) -> report("  %-22s %s", kind, reasons));
    }

    /**
     * Scrapes the Prometheus endpoint of every live TaskManager: the job's own metrics are there, with
     * their labels, and the dead-letter counters (reset by the last restart, before the flood) add up.
     */
    private static void assertPrometheusExposesTheJobsMetrics() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        StringBuilder all = new StringBuilder();
        for (String tm : cluster.taskManagers()) {
            String url = "http://" + LocalCluster.HOST + ":" + cluster.metricsPort(tm) + "/metrics";
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).as(url).isEqualTo(200);
            all.append(r.body());
        }
        String scraped = all.toString();
        String op = "flink_taskmanager_job_task_operator_";
        // A key/value group adds its key to the name and its value as a label: action_decisions{action="ASK_SLOT"}.
        for (String name : dev.leadqual.metrics.JobMetrics.NAMES) {
            assertThat(scraped).as("metric %s", name).containsPattern(op + "([a-z]+_)*" + name + "\\{");
        }
        assertThat(scraped)
                .containsPattern(op + "action_decisions\\{[^}]*action=\"ASK_SLOT\"")
                .containsPattern(op + "sessionsClosed\\{")
                .containsPattern(op + "tenant_sessionsClosed\\{[^}]*tenant=\"(acme|globex|initech)\"")
                .containsPattern(op + "tenant_visitorMessages\\{[^}]*tenant=\"(acme|globex|initech)\"")
                .containsPattern(op + "sessionsEscalated\\{")
                .containsPattern(op + "timeToQualificationMs\\{[^}]*quantile=\"0.5\"")
                .containsPattern(op + "slotCompletenessAtClosePercent_count\\{")
                .containsPattern(op + "stage_reason_deadLetters\\{[^}]*reason=\"null_value\"")
                .containsPattern(op + "stage_reason_deadLetters\\{[^}]*stage=\"validate\"");
        double deadLetters = scraped.lines().filter(l -> l.startsWith(op + "stage_reason_deadLetters{"))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
        assertThat(deadLetters).as("dead letters counted by the job's metrics").isEqualTo(MALFORMED);
        report("Prometheus: %d job metric series on %d TaskManagers, deadLetters sum %.0f",
                scraped.lines().filter(l -> l.startsWith(op)).count(), cluster.taskManagers().size(), deadLetters);
    }

    // ---------------------------------------------------------------------------------------------
    // traffic

    /** Conversations sent at a steady pace from a thread, until {@link #finish()}; every one is completed. */
    final class Conversations extends Thread {
        private final Topics topics;
        private final ClusterTraffic traffic = new ClusterTraffic(SEED);
        private final List<ChatEvent> sent = new CopyOnWriteArrayList<>();
        private final Set<String> sessions = ConcurrentHashMap.newKeySet();
        private final AtomicBoolean finishing = new AtomicBoolean();
        private final AtomicBoolean finished = new AtomicBoolean();
        private final AtomicReference<Throwable> error = new AtomicReference<>();

        Conversations(Topics topics) {
            super("conversations");
            setDaemon(true);
            this.topics = topics;
        }

        @Override
        public void run() {
            java.util.Random pick = new java.util.Random(SEED);
            List<ClusterTraffic.Conversation> open = new ArrayList<>();
            try (KafkaProducer<byte[], byte[]> producer = producer()) {
                RegistryAvroSerializationSchema<ChatEvent> avro = avro(topics);
                while (!(finishing.get() && open.isEmpty())) {
                    while (!finishing.get() && open.size() < 8) {
                        ClusterTraffic.Conversation c = traffic.newConversation();
                        sessions.add(c.sessionId);
                        open.add(c);
                    }
                    ClusterTraffic.Conversation c = open.get(pick.nextInt(open.size()));
                    ChatEvent e = c.nextEvent(Instant.now());
                    producer.send(new ProducerRecord<>(topics.chatEvents(),
                            e.getSessionId().getBytes(StandardCharsets.UTF_8), avro.serialize(e))).get();
                    sent.add(e);
                    if (c.done()) {
                        open.remove(c);
                    }
                    Thread.sleep(40); // a steady ~20 events/s
                }
                finished.set(true);
            } catch (Throwable t) {
                error.set(t);
            }
        }

        void finish() {
            finishing.set(true);
        }

        boolean finished() {
            check();
            return finished.get();
        }

        void check() {
            if (error.get() != null) {
                throw new AssertionError("the traffic thread failed", error.get());
            }
        }

        List<ChatEvent> sent() {
            return List.copyOf(sent);
        }

        Set<String> sessions() {
            return Set.copyOf(sessions);
        }
    }

    /** Sends the malformed inputs; returns them by dead-letter id (topic-partition@offset). */
    private static Map<String, ClusterTraffic.Malformed> sendMalformed(Topics topics) throws Exception {
        ClusterTraffic traffic = new ClusterTraffic(SEED + 1);
        Map<String, ClusterTraffic.Malformed> byId = new HashMap<>();
        try (KafkaProducer<byte[], byte[]> producer = producer()) {
            RegistryAvroSerializationSchema<ChatEvent> avro = avro(topics);
            List<Future<RecordMetadata>> futures = new ArrayList<>();
            List<ClusterTraffic.Malformed> items = new ArrayList<>();
            for (int i = 0; i < MALFORMED; i++) {
                ClusterTraffic.Malformed m = traffic.malformed(i, avro::serialize);
                items.add(m);
                futures.add(producer.send(new ProducerRecord<>(m.raw() ? topics.rawChat() : topics.chatEvents(), null, m.bytes())));
            }
            producer.flush();
            for (int i = 0; i < items.size(); i++) {
                RecordMetadata md = futures.get(i).get(60, TimeUnit.SECONDS);
                byId.put(md.topic() + "-" + md.partition() + "@" + md.offset(), items.get(i));
            }
        }
        return byId;
    }

    private static KafkaProducer<byte[], byte[]> producer() {
        Properties p = new Properties();
        p.setProperty("bootstrap.servers", infra.bootstrapServers());
        p.setProperty("acks", "all");
        p.setProperty("enable.idempotence", "true");
        p.setProperty("linger.ms", "5");
        return new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer());
    }

    private static RegistryAvroSerializationSchema<ChatEvent> avro(Topics topics) {
        return AvroRegistrySerdes.serializer(ChatEvent.class, topics.chatEvents(), RegistrySettings.of(infra.registryUrl()));
    }

    // ---------------------------------------------------------------------------------------------
    // outputs

    /** Every output topic as a downstream read_committed consumer sees it (records up to 4 MiB a fetch). */
    private static JobOutputs outputs(Topics topics) {
        Properties p = new Properties();
        p.setProperty("max.partition.fetch.bytes", Integer.toString(4 << 20));
        return new JobOutputs(infra.bootstrapServers(), infra.registryUrl(), topics, p);
    }

    // ---------------------------------------------------------------------------------------------
    // helpers

    @FunctionalInterface
    interface Condition {
        boolean holds() throws Exception;
    }

    /** Polls {@code condition} (each call does real work: a Kafka poll or a REST call) until it holds. */
    static void await(String what, Duration timeout, Condition condition) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.holds()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + timeout.toSeconds() + " s waiting for: " + what
                        + "\n" + logTails());
            }
            Thread.sleep(100);
        }
    }

    private static String logTails() {
        return errorsInLogs(cluster.logDir());
    }

    /** The last warnings and errors of each cluster process's log in {@code logDir}. */
    static String errorsInLogs(Path logDir) {
        StringBuilder sb = new StringBuilder();
        try (var files = Files.list(logDir)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".log")).sorted().toList()) {
                List<String> lines = Files.readAllLines(f, StandardCharsets.UTF_8).stream()
                        .filter(l -> l.contains("ERROR") || l.contains("WARN") || l.contains("Exception")).toList();
                sb.append("--- ").append(f.getFileName()).append(" (warnings and errors, last 15) ---\n");
                lines.subList(Math.max(0, lines.size() - 15), lines.size()).forEach(l -> sb.append(l, 0, Math.min(400, l.length())).append('\n'));
            }
        } catch (IOException e) {
            sb.append("(cannot read logs: ").append(e).append(")");
        }
        return sb.toString();
    }

    static Path jobJar() {
        Path jar = Path.of(System.getProperty("leadqual.home", ".")).resolve("jobs/target/leadqual-jobs.jar");
        assertThat(jar).as("the shaded job jar (mvn package)").isRegularFile();
        return jar;
    }

    /** The job's arguments on the cluster: the infra's addresses, topics named {@code prefix + name}. */
    static List<String> jobArgs(LocalInfra infra, String prefix, String id) {
        List<String> args = new ArrayList<>(List.of(
                "--kafka.bootstrap", infra.bootstrapServers(),
                "--registry.url", infra.registryUrl(),
                "--group.id", id,
                "--transactional-id-prefix", id));
        for (String name : Topics.defaults().streams()) {
            args.add("--topic." + name);
            args.add(prefix + name);
        }
        for (String name : Topics.defaults().compacted()) {
            args.add("--topic." + name);
            args.add(prefix + name);
        }
        return args;
    }

    private static String abbreviate(String s) {
        String r = s.replaceAll("[0-9]+", "N");
        return r.length() <= 60 ? r : r.substring(0, 60) + "…";
    }

    static void report(String format, Object... args) {
        System.out.printf("[cluster-it] " + format + "%n", args);
    }
}
