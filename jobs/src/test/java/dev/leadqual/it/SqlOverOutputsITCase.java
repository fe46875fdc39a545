package dev.leadqual.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.leadqual.cli.LocalFlink;
import dev.leadqual.cli.SqlCommand;
import dev.leadqual.config.JobSettings;
import dev.leadqual.config.Topics;
import dev.leadqual.demo.ChatProducer;
import dev.leadqual.schema.ChatEvent;
import dev.leadqual.schema.LeadOutcome;
import dev.leadqual.schema.QualificationMetric;
import dev.leadqual.schema.QualifiedLead;
import dev.leadqual.schema.SalesHandoff;
import dev.leadqual.schema.SalesOutcomeKind;
import dev.leadqual.schema.SessionOutcome;
import dev.leadqual.serde.AvroRegistrySerdes;
import dev.leadqual.udfs.qualify.LeadIds;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;

/**
 * Flink SQL over what the real job wrote: the job runs on the MiniCluster against a real broker and
 * registry, chats, malformed inputs and sales outcomes go in; then {@code ./leadqual sql} (its own
 * JVM and classpath, as the CLI starts it) registers every table of sql/tables and the views, reads
 * every table and view in full and runs every named query. Each answer is checked against the
 * records a plain Kafka consumer read from the same topics, and against what was sent.
 *
 * <p>The chats are of 2026-03-10, so the job's outputs carry months-old timestamps: the local broker
 * runs without time-based retention ({@code LocalInfra}); with Kafka's default 7 days its retention
 * check deleted them between the job's writes and the queries now and then (sql/README.md,
 * "Retention and event time").
 */
class SqlOverOutputsITCase extends KafkaTestBase {

    private static final Instant T0 = Instant.parse("2026-03-10T09:00:00Z");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern TOPIC = Pattern.compile("'topic'\\s*=\\s*'([^']+)'");

    /** The runner's output and log stay here for a look after a failure. */
    private final Path dir = Path.of("target", "sql-over-outputs-it").toAbsolutePath();

    @Test
    void everyTableViewAndNamedQueryAnswersFromWhatTheJobWrote() throws Exception {
        Path home = LocalFlink.home();
        Files.createDirectories(dir);
        System.setProperty("leadqual.log.dir", dir.toString()); // the SQL runner's log
        Topics topics = freshTopics();
        assertThat(tableTopics(home)).as("a table for every output topic of the job")
                .containsExactlyInAnyOrderElementsOf(outputTopics(Topics.defaults()));

        JobSettings settings = settings(topics, Map.of());
        List<List<ChatEvent>> conversations = List.of(
                LeadQualJobITCase.salesConversation("sales-1", 0),
                LeadQualJobITCase.spanishSalesConversation("ventas-1", 5),
                LeadQualJobITCase.supportConversation("support-1", 3),
                tenant("globex", LeadQualJobITCase.salesConversation("sales-2", 7)),
                tenant("globex", LeadQualJobITCase.supportConversation("support-2", 9)));
        String sales1 = LeadIds.leadId("acme", "sales-1");
        String sales2 = LeadIds.leadId("globex", "sales-2");

        JobClient job = LeadQualJobITCase.startJob(settings);
        JobOutputs out = outputs(topics);
        try (ChatProducer chats = new ChatProducer(infra.bootstrapServers(), new Properties(), settings.registry(), topics);
                KafkaProducer<byte[], byte[]> crm = new KafkaProducer<>(Map.of("bootstrap.servers", infra.bootstrapServers()),
                        new ByteArraySerializer(), new ByteArraySerializer())) {
            conversations.forEach(c -> c.forEach(chats::send));
            chats.sendBytes(false, new byte[] {0x7f, 1, 2, 3, 4, 5});                // decode: not the wire format
            chats.sendBytes(false, new byte[] {0, 0x7f, 0x7f, 0x7f, 0x7f, 2, 0x41}); // decode: unknown schema id
            chats.sendBytes(false, new byte[] {0, 0x7f, 0x7f, 0x7f, 0x70, 2, 0x41}); // decode: another unknown id
            chats.sendBytes(true, "{\"event\":\"message_created\",\"id\":".getBytes(StandardCharsets.UTF_8)); // normalise
            chats.send(ChatEvent.newBuilder().setEventId("no-text").setSessionId("broken-1")
                    .setText(null).setSentAt(T0).build());                            // validate: a message without text
            chats.flush();
            // What sales made of the leads: sales-1 met and won, sales-2 met; one outcome names no lead.
            var outcomes = AvroRegistrySerdes.serializer(LeadOutcome.class, topics.crmOutcomes(), settings.registry());
            for (LeadOutcome o : List.of(outcome(sales1, SalesOutcomeKind.MEETING_BOOKED, 1),
                    outcome(sales1, SalesOutcomeKind.WON, 2), outcome(sales2, SalesOutcomeKind.MEETING_BOOKED, 1),
                    outcome("", SalesOutcomeKind.WON, 3))) {
                crm.send(new ProducerRecord<>(topics.crmOutcomes(), o.getLeadId().getBytes(StandardCharsets.UTF_8),
                        outcomes.serialize(o)));
            }
            crm.flush();
            assertThat(out.awaitUntil(o -> closed(o).size() == 5 && salesRows(o).size() == 3 && o.deadLetters.size() == 6,
                    Duration.ofMinutes(4))).as(() -> "5 closed sessions, 3 sales outcomes, 6 dead letters; got "
                    + map(closed(out), SessionOutcome::getSessionId) + ", " + map(salesRows(out), o -> o.getLeadId() + " "
                    + o.getSalesOutcome()) + ", " + map(out.deadLetters, d -> d.getStage() + ": " + d.getReason())
                    + "; leads " + map(out.leads, QualifiedLead::getLeadId)).isTrue();
            // Stop with a savepoint: every output transaction is committed (a cancelled job would leave
            // its open transactions to time out, hiding what follows them from read_committed readers).
            job.stopWithSavepoint(false, dir.resolve("savepoint").toUri().toString(), SavepointFormatType.CANONICAL)
                    .get(3, TimeUnit.MINUTES);
            awaitQuiet(out);
        } finally {
            if (!job.getJobStatus().get().isTerminalState()) {
                job.cancel().get();
            }
            out.close();
        }

        // ./leadqual sql, as the CLI starts it: every table and view read in full, every named query.
        List<String> tables = List.of("leads", "next_actions", "sales_handoffs", "session_outcomes",
                "qualification_metrics", "decision_audit", "archived_turns", "dead_letters",
                "leads_latest", "closed_sessions", "sales_outcomes");
        Path script = Files.writeString(dir.resolve("read-all.sql"),
                tables.stream().map(t -> "SELECT * FROM " + t + ";\n").collect(Collectors.joining()));
        List<String> args = new ArrayList<>(List.of("--kafka.bootstrap", infra.bootstrapServers(),
                "--registry.url", infra.registryUrl(), "--format", "json", "-f", script.toString()));
        Topics defaults = Topics.defaults();
        List<String> renamed = outputTopics(topics);
        List<String> names = outputTopics(defaults);
        for (int i = 0; i < names.size(); i++) {
            args.addAll(List.of("--topic", names.get(i) + "=" + renamed.get(i)));
        }
        List<String> queries = namedQueries(home);
        assertThat(queries).contains("time_to_qualification", "escalation_rate", "slot_completeness", "funnel",
                "dead_letters_by_reason");
        queries.forEach(q -> args.addAll(List.of("--query", q)));
        // A transaction left open on a topic, as a job that was killed leaves one: the queries read what
        // was committed when they started, without waiting for it (the broker would abort it in 15 min).
        Map<String, List<JsonNode>> sql;
        try (KafkaProducer<byte[], byte[]> open = openTransaction(topics.actions())) {
            sql = runSql(home, args);
            open.abortTransaction();
        }
        assertThat(sql).containsKeys(queries.toArray(String[]::new));

        // Nothing was deleted before the queries read (the broker's retention counts from the records'
        // timestamps, the chats' event times of 2026-03-10: the local broker has none).
        assertThat(logStartOffsets(outputTopics(topics))).as("log start offsets of the output topics").allSatisfy(
                (partition, offset) -> assertThat(offset).as(partition).isZero());

        // Tables: every record the job committed, every column read (ids, enums as strings, nested rows, maps).
        assertThat(column(sql, "SELECT * FROM leads", r -> r.get("lead_id").asText() + "#" + r.get("lead_version").asInt()))
                .containsExactlyInAnyOrderElementsOf(map(out.leads, l -> l.getLeadId() + "#" + l.getLeadVersion()));
        assertThat(rows(sql, "SELECT * FROM leads")).anySatisfy(r -> {
            QualifiedLead first = out.leads.stream().filter(l -> l.getLeadId().equals(sales1)).findFirst().orElseThrow();
            assertThat(r.get("lead_id").asText()).isEqualTo(sales1);
            assertThat(r.get("contact").get("email").asText()).isEqualTo(first.getContact().getEmail());
            assertThat(r.get("slots").get("budget").asText()).isEqualTo(first.getSlots().get("budget"));
            assertThat(r.get("contributions").size()).isEqualTo(first.getContributions().size());
        });
        assertThat(column(sql, "SELECT * FROM next_actions", r -> r.get("action_id").asText() + " " + r.get("action").asText()))
                .containsExactlyInAnyOrderElementsOf(map(out.actions, a -> a.getActionId() + " " + a.getAction()));
        assertThat(column(sql, "SELECT * FROM sales_handoffs", r -> r.get("handoff_id").asText() + " " + r.get("escalation").asInt()))
                .containsExactlyInAnyOrderElementsOf(map(out.handoffs, h -> h.getHandoffId() + " " + h.getEscalation()));
        assertThat(column(sql, "SELECT * FROM session_outcomes", r -> r.get("outcome_id").asText() + " " + r.get("close_reason").asText()
                + " " + r.get("sales_outcome").asText() + " " + r.get("actions").size()))
                .containsExactlyInAnyOrderElementsOf(map(out.outcomes, o -> o.getOutcomeId() + " " + o.getCloseReason()
                        + " " + o.getSalesOutcome() + " " + o.getActions().size()));
        assertThat(column(sql, "SELECT * FROM qualification_metrics", r -> r.get("metric_id").asText() + " " + r.get("slots_filled").size()))
                .containsExactlyInAnyOrderElementsOf(map(out.metrics, m -> m.getMetricId() + " " + m.getSlotsFilled().size()));
        assertThat(column(sql, "SELECT * FROM decision_audit", r -> r.get("audit_id").asText() + " " + r.get("rule").asText()
                + " " + r.get("features").get("intent").asText()))
                .containsExactlyInAnyOrderElementsOf(map(out.audit, a -> a.getAuditId() + " " + a.getRule() + " " + a.getFeatures().get("intent")));
        assertThat(column(sql, "SELECT * FROM archived_turns", r -> r.get("session_id").asText() + "/" + r.get("event_id").asText()
                + " " + r.get("sender_role").asText()))
                .containsExactlyInAnyOrderElementsOf(map(out.archive, a -> a.getSessionId() + "/" + a.getEventId() + " " + a.getSenderRole()));
        assertThat(column(sql, "SELECT * FROM dead_letters", r -> r.get("dead_letter_id").asText() + " " + r.get("stage").asText()
                + " " + r.get("original_size").asInt()))
                .containsExactlyInAnyOrderElementsOf(map(out.deadLetters, d -> d.getDeadLetterId() + " " + d.getStage() + " " + d.getOriginalSize()));

        // Views: one row per lead (its latest version), per closed session, per sales outcome.
        Map<String, Integer> latest = new HashMap<>();
        out.leads.forEach(l -> latest.merge(l.getLeadId(), l.getLeadVersion(), Math::max));
        assertThat(column(sql, "SELECT * FROM leads_latest", r -> r.get("lead_id").asText() + "#" + r.get("lead_version").asInt()))
                .containsExactlyInAnyOrderElementsOf(map(latest.entrySet(), e -> e.getKey() + "#" + e.getValue()));
        assertThat(column(sql, "SELECT * FROM closed_sessions", r -> r.get("session_id").asText()))
                .containsExactlyInAnyOrder("sales-1", "ventas-1", "support-1", "sales-2", "support-2");
        assertThat(column(sql, "SELECT * FROM sales_outcomes", r -> r.get("lead_id").asText() + " " + r.get("sales_outcome").asText()))
                .containsExactlyInAnyOrder(sales1 + " MEETING_BOOKED", sales1 + " WON", sales2 + " MEETING_BOOKED");

        // Funnel: sessions -> sales signal -> qualified -> handed off -> meeting -> won, per tenant.
        Map<String, List<Long>> funnel = new TreeMap<>();
        for (JsonNode r : sql.get("funnel")) {
            funnel.put(r.get("tenant_id").asText(), Stream.of("sessions", "sales_signal", "qualified", "handed_off", "meeting", "won")
                    .map(c -> r.get(c).asLong()).toList());
        }
        assertThat(funnel).isEqualTo(expectedFunnel(out));
        assertThat(funnel.get("acme")).as("acme: 3 sessions sent, sales-1 handed off, met and won")
                .startsWith(3L).endsWith(1L, 1L);
        assertThat(funnel.get("globex")).as("globex: 2 sessions sent, sales-2 met, nothing won").startsWith(2L).endsWith(1L, 0L);
        assertThat(funnel.values()).allSatisfy(f -> assertThat(f.get(3)).as("handed off").isPositive());

        // Time to qualification, escalation rate, slot completeness and fill rate: per closed session.
        List<SessionOutcome> closed = closed(out);
        Map<String, List<SessionOutcome>> byTenant = closed.stream().collect(Collectors.groupingBy(SessionOutcome::getTenantId));
        assertThat(sql.get("time_to_qualification")).hasSize(byTenant.size()).allSatisfy(r -> {
            assertThat(r.get("day").asText()).isEqualTo("2026-03-10");
            List<Long> ttq = byTenant.get(r.get("tenant_id").asText()).stream()
                    .filter(o -> o.getQualified() && o.getTimeToQualificationMs() != null)
                    .map(SessionOutcome::getTimeToQualificationMs).toList();
            assertThat(r.get("qualified_sessions").asLong()).isEqualTo(ttq.size()).isPositive();
            assertThat(r.get("avg_seconds").asDouble())
                    .isCloseTo(ttq.stream().mapToLong(Long::longValue).average().orElseThrow() / 1000, within(0.051));
            assertThat(r.get("max_seconds").asDouble())
                    .isCloseTo(ttq.stream().mapToLong(Long::longValue).max().orElseThrow() / 1000.0, within(0.051));
        });
        assertThat(sql.get("escalation_rate")).hasSize(byTenant.size()).allSatisfy(r -> {
            List<SessionOutcome> sessions = byTenant.get(r.get("tenant_id").asText());
            long escalated = sessions.stream().filter(o -> o.getEscalations() > 0).count();
            assertThat(r.get("day").asText()).isEqualTo(sessions.get(0).getClosedAt().atZone(ZoneOffset.UTC).toLocalDate().toString());
            assertThat(r.get("closed_sessions").asLong()).isEqualTo(sessions.size());
            assertThat(r.get("escalated_sessions").asLong()).isEqualTo(escalated);
            assertThat(r.get("escalation_rate").asDouble()).isCloseTo((double) escalated / sessions.size(), within(0.0006));
        });
        Map<String, List<SessionOutcome>> byTenantCategory = closed.stream()
                .collect(Collectors.groupingBy(o -> o.getTenantId() + "/" + o.getCategory()));
        assertThat(sql.get("slot_completeness")).hasSize(byTenantCategory.size()).allSatisfy(r -> {
            List<SessionOutcome> sessions = byTenantCategory.get(r.get("tenant_id").asText() + "/" + r.get("category").asText());
            assertThat(r.get("closed_sessions").asLong()).isEqualTo(sessions.size());
            assertThat(r.get("avg_completeness").asDouble()).isCloseTo(
                    sessions.stream().mapToDouble(SessionOutcome::getSlotCompleteness).average().orElseThrow(), within(0.0006));
            assertThat(r.get("complete_sessions").asLong())
                    .isEqualTo(sessions.stream().filter(o -> o.getSlotCompleteness() >= 1.0).count());
        });
        Map<String, Long> filled = closed.stream().flatMap(o -> o.getSlotsFilled().stream().map(s -> o.getTenantId() + "/" + s))
                .collect(Collectors.groupingBy(Function.identity(), Collectors.counting()));
        assertThat(sql.get("slot_fill_rate")).extracting(r -> r.get("tenant_id").asText() + "/" + r.get("slot").asText()
                + "=" + r.get("sessions_filled").asLong())
                .containsExactlyInAnyOrderElementsOf(map(filled.entrySet(), e -> e.getKey() + "=" + e.getValue()));

        // Dead letters by reason: the malformed inputs sent, grouped by stage and reason (numbers masked).
        Map<String, Long> byReason = out.deadLetters.stream().collect(Collectors.groupingBy(
                d -> d.getStage() + " | " + d.getReason().replaceAll("[0-9]+", "N") + " | " + d.getSourceTopic(), Collectors.counting()));
        assertThat(sql.get("dead_letters_by_reason")).extracting(r -> r.get("stage").asText() + " | " + r.get("reason").asText()
                + " | " + r.get("source_topic").asText() + "=" + r.get("dead_letters").asLong())
                .containsExactlyInAnyOrderElementsOf(map(byReason.entrySet(), e -> e.getKey() + "=" + e.getValue()));
        assertThat(sql.get("dead_letters_by_reason")).hasSize(5)
                .anySatisfy(r -> assertThat(r.get("reason").asText() + "=" + r.get("dead_letters").asLong())
                        .isEqualTo("unknown schema id N=2"))
                .anySatisfy(r -> assertThat(r.get("source_topic").asText() + " " + r.get("stage").asText())
                        .isEqualTo(topics.crmOutcomes() + " validate"))
                .anySatisfy(r -> assertThat(r.get("stage").asText() + " " + r.get("error").asText())
                        .isEqualTo("normalise InvalidPayloadException"));

        // A named query that does not exist: a clear error, no result.
        Path log = dir.resolve("nope.log");
        Process nope = new ProcessBuilder(SqlCommand.command(home, List.of("--kafka.bootstrap", infra.bootstrapServers(),
                "--registry.url", infra.registryUrl(), "--query", "no_such_query"))).redirectErrorStream(true)
                .redirectOutput(log.toFile()).start();
        assertThat(nope.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(nope.exitValue()).isNotZero();
        assertThat(Files.readString(log)).contains("no named query 'no_such_query'");
    }

    /** A transactional producer with a record sent to {@code topic} in a transaction it leaves open. */
    private static KafkaProducer<byte[], byte[]> openTransaction(String topic) throws Exception {
        KafkaProducer<byte[], byte[]> p = new KafkaProducer<>(Map.of("bootstrap.servers", infra.bootstrapServers(),
                "transactional.id", "open-" + topic, "transaction.timeout.ms", "900000"),
                new ByteArraySerializer(), new ByteArraySerializer());
        p.initTransactions();
        p.beginTransaction();
        p.send(new ProducerRecord<>(topic, 0, null, new byte[] {1, 2, 3})).get();
        return p;
    }

    /** The first offset the broker still holds, per partition ("topic-partition"). */
    private static Map<String, Long> logStartOffsets(List<String> topicNames) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, infra.bootstrapServers()))) {
            Map<TopicPartition, OffsetSpec> earliest = new HashMap<>();
            admin.describeTopics(topicNames).allTopicNames().get().values().forEach(t -> t.partitions()
                    .forEach(p -> earliest.put(new TopicPartition(t.name(), p.partition()), OffsetSpec.earliest())));
            Map<String, Long> offsets = new TreeMap<>();
            admin.listOffsets(earliest).all().get().forEach((tp, info) -> offsets.put(tp.toString(), info.offset()));
            return offsets;
        }
    }

    /** Reads until nothing new arrived for three seconds. */
    private static void awaitQuiet(JobOutputs out) {
        int seen = -1;
        while (seen != total(out)) {
            seen = total(out);
            out.awaitUntil(o -> false, Duration.ofSeconds(3));
        }
    }

    private static int total(JobOutputs o) {
        return o.leads.size() + o.actions.size() + o.handoffs.size() + o.outcomes.size() + o.metrics.size()
                + o.audit.size() + o.archive.size() + o.deadLetters.size();
    }

    private static Map<String, List<Long>> expectedFunnel(JobOutputs out) {
        Map<String, Set<String>> sessions = new TreeMap<>();
        Map<String, Set<String>> salesSignal = new HashMap<>();
        for (QualificationMetric m : out.metrics) {
            sessions.computeIfAbsent(m.getTenantId(), t -> new java.util.HashSet<>()).add(m.getSessionId());
            if (m.getCategory().equals("sales") || m.getCategory().equals("presales")) {
                salesSignal.computeIfAbsent(m.getTenantId(), t -> new java.util.HashSet<>()).add(m.getSessionId());
            }
        }
        Map<String, String> leadOfSession = new HashMap<>();
        out.leads.forEach(l -> leadOfSession.put(l.getTenantId() + "/" + l.getSessionId(), l.getLeadId()));
        Set<String> handedOff = out.handoffs.stream().map(SalesHandoff::getLeadId).collect(Collectors.toSet());
        Set<String> met = salesRows(out).stream().filter(o -> Set.of("MEETING_BOOKED", "NO_SHOW", "WON").contains(o.getSalesOutcome()))
                .map(SessionOutcome::getLeadId).collect(Collectors.toSet());
        Set<String> won = salesRows(out).stream().filter(o -> "WON".equals(o.getSalesOutcome()))
                .map(SessionOutcome::getLeadId).collect(Collectors.toSet());
        Map<String, List<Long>> expected = new TreeMap<>();
        sessions.forEach((tenant, ids) -> {
            List<String> leads = ids.stream().map(s -> leadOfSession.get(tenant + "/" + s)).filter(l -> l != null).toList();
            expected.put(tenant, List.of((long) ids.size(), (long) salesSignal.getOrDefault(tenant, Set.of()).size(),
                    (long) leads.size(), leads.stream().filter(handedOff::contains).count(),
                    leads.stream().filter(met::contains).count(), leads.stream().filter(won::contains).count()));
        });
        return expected;
    }

    /** Runs ./leadqual sql's runner with JSON output; results by named query, or by statement. */
    private Map<String, List<JsonNode>> runSql(Path home, List<String> args) throws Exception {
        Path stdout = dir.resolve("sql.out");
        Path stderr = dir.resolve("sql.err");
        Process p = new ProcessBuilder(SqlCommand.command(home, args))
                .redirectOutput(stdout.toFile()).redirectError(stderr.toFile()).start();
        assertThat(p.waitFor(5, TimeUnit.MINUTES)).as("the SQL runner finished").isTrue();
        assertThat(p.exitValue()).as("exit code; stderr:\n%s", Files.readString(stderr)).isZero();
        Map<String, List<JsonNode>> results = new LinkedHashMap<>();
        for (String line : Files.readAllLines(stdout)) {
            if (line.startsWith("{")) {
                JsonNode result = JSON.readTree(line);
                String key = result.get("statement").isNull() ? result.get("query").asText() : result.get("statement").asText();
                results.put(key, StreamSupport.stream(result.get("rows").spliterator(), false).toList());
            }
        }
        return results;
    }

    private static List<JsonNode> rows(Map<String, List<JsonNode>> sql, String statement) {
        assertThat(sql).containsKey(statement);
        return sql.get(statement);
    }

    private static List<String> column(Map<String, List<JsonNode>> sql, String statement, Function<JsonNode, String> f) {
        return rows(sql, statement).stream().map(f).toList();
    }

    private static <T> List<String> map(java.util.Collection<T> records, Function<T, String> f) {
        return records.stream().map(f).toList();
    }

    private static List<SessionOutcome> closed(JobOutputs o) {
        return o.outcomes.stream().filter(r -> !"sales_outcome".equals(r.getCloseReason())).toList();
    }

    private static List<SessionOutcome> salesRows(JobOutputs o) {
        return o.outcomes.stream().filter(r -> "sales_outcome".equals(r.getCloseReason())).toList();
    }

    private static List<ChatEvent> tenant(String tenant, List<ChatEvent> events) {
        return events.stream().map(e -> ChatEvent.newBuilder(e).setTenantId(tenant).build()).toList();
    }

    private static LeadOutcome outcome(String leadId, SalesOutcomeKind kind, int day) {
        return LeadOutcome.newBuilder().setLeadId(leadId).setOutcome(kind).setOccurredAt(T0.plus(Duration.ofDays(day))).build();
    }

    /** The job's output topics, in one order. */
    private static List<String> outputTopics(Topics t) {
        return List.of(t.leads(), t.actions(), t.handoffs(), t.sessionOutcomes(), t.metrics(), t.audit(), t.archive(),
                t.deadLetters());
    }

    private static List<String> tableTopics(Path home) throws Exception {
        List<String> topics = new ArrayList<>();
        try (Stream<Path> files = Files.list(home.resolve("sql/tables"))) {
            for (Path f : files.filter(p -> p.toString().endsWith(".sql")).toList()) {
                Matcher m = TOPIC.matcher(Files.readString(f));
                assertThat(m.find()).as(f + " names its topic").isTrue();
                topics.add(m.group(1));
            }
        }
        return topics;
    }

    private static List<String> namedQueries(Path home) throws Exception {
        try (Stream<Path> files = Files.list(home.resolve("sql/queries"))) {
            return files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".sql"))
                    .map(n -> n.substring(0, n.length() - 4)).sorted().toList();
        }
    }
}
