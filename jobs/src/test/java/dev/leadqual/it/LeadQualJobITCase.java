package dev.leadqual.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.leadqual.LeadQualJob;
import dev.leadqual.config.JobSettings;
import dev.leadqual.config.Topics;
import dev.leadqual.demo.ChatProducer;
import dev.leadqual.schema.ActionType;
import dev.leadqual.schema.ChatEvent;
import dev.leadqual.schema.ChatEventType;
import dev.leadqual.schema.DecisionAudit;
import dev.leadqual.schema.NextAction;
import dev.leadqual.schema.SenderRole;
import dev.leadqual.schema.SessionOutcome;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Collectors;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.InjectMiniCluster;
import org.junit.jupiter.api.Test;

/**
 * The real job end to end: Avro chat events and platform webhooks in through a real Kafka broker
 * and schema registry, leads, actions, handoffs, warehouse, audit and dead letters out, exactly once.
 */
class LeadQualJobITCase extends KafkaTestBase {

    private static final Instant T0 = Instant.parse("2026-03-10T09:00:00Z");
    private static final String EMAIL = "dana.whitfield@northwind.example.com";

    /** A B2B buyer who gives every BANT slot, then asks for a demo. */
    static List<ChatEvent> salesConversation(String session, int offsetSeconds) {
        return conversation(session, offsetSeconds,
                "V:Hi, we're evaluating chat tools for our support team at Northwind Traders.",
                "V:How much is the enterprise plan for 200 seats?",
                "V:Our budget is around $50k per year.",
                "V:I'm the VP of Customer Success and I sign off on this.",
                "V:We need to go live by the end of next month.",
                "V:We have about 900 employees.",
                "V:You can reach me at " + EMAIL,
                "V:Can we book a demo with your sales team?");
    }

    static List<ChatEvent> supportConversation(String session, int offsetSeconds) {
        return conversation(session, offsetSeconds,
                "V:I can't log into my account since this morning.",
                "A:Sorry to hear that! Have you tried resetting your password?",
                "V:Yes, twice. I still get an error message when I log in.");
    }

    static List<ChatEvent> spanishSalesConversation(String session, int offsetSeconds) {
        return conversation(session, offsetSeconds,
                "V:Hola, ¿cuánto cuesta el plan Business para 50 usuarios?",
                "V:Nuestro presupuesto es de unos 20.000 euros al año.",
                "V:Soy el director de operaciones de Contoso.",
                "V:Queremos empezar el próximo trimestre.");
    }

    static List<ChatEvent> conversation(String session, int offsetSeconds, String... lines) {
        List<ChatEvent> events = new ArrayList<>();
        for (int i = 0; i < lines.length; i++) {
            SenderRole role = lines[i].startsWith("A:") ? SenderRole.AGENT : SenderRole.VISITOR;
            events.add(ChatEvent.newBuilder()
                    .setEventId(session + "-e" + i)
                    .setSessionId(session)
                    .setTenantId("acme")
                    .setSenderRole(role)
                    .setText(lines[i].substring(2))
                    .setSentAt(T0.plusSeconds(offsetSeconds + 10L * i))
                    .setTraceId("trace-" + session + "-" + i)
                    .build());
        }
        events.add(ChatEvent.newBuilder()
                .setEventId(session + "-closed")
                .setSessionId(session)
                .setTenantId("acme")
                .setEventType(ChatEventType.SESSION_CLOSED)
                .setSenderRole(SenderRole.SYSTEM)
                .setText(null)
                .setSentAt(T0.plusSeconds(offsetSeconds + 10L * lines.length))
                .build());
        return events;
    }

    static JobClient startJob(JobSettings settings) throws Exception {
        return startJob(settings, null);
    }

    /** The job on the test's MiniCluster, restored from {@code savepoint} unless it is null. */
    static JobClient startJob(JobSettings settings, String savepoint) throws Exception {
        Configuration conf = new Configuration();
        if (savepoint != null) {
            conf.set(org.apache.flink.configuration.StateRecoveryOptions.SAVEPOINT_PATH, savepoint);
        }
        conf.set(RestartStrategyOptions.RESTART_STRATEGY, "fixed-delay");
        conf.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_ATTEMPTS, 10);
        conf.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_DELAY, Duration.ofMillis(500));
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        env.setParallelism(PARALLELISM);
        env.enableCheckpointing(1000);
        LeadQualJob.build(env, settings);
        return env.executeAsync("LeadQual IT");
    }

    @Test
    void chatsInLeadsAndDeadLettersOutExactlyOnce() throws Exception {
        Topics topics = freshTopics();
        JobSettings settings = settings(topics, Map.of());
        List<ChatEvent> sales = salesConversation("sales-1", 0);
        List<ChatEvent> support = supportConversation("support-1", 3);
        List<ChatEvent> spanish = spanishSalesConversation("ventas-1", 5);

        JobClient job = startJob(settings);
        JobOutputs out = outputs(topics);
        try (ChatProducer producer = new ChatProducer(infra.bootstrapServers(), new Properties(), settings.registry(), topics)) {
            for (List<ChatEvent> conversation : List.of(sales, support, spanish)) {
                for (ChatEvent e : conversation) {
                    producer.send(e);
                }
            }
            producer.send(sales.get(2)); // a redelivery: must change nothing
            producer.sendBytes(false, new byte[] {0x7f, 1, 2, 3, 4, 5});
            producer.sendBytes(false, new byte[] {0, 0x7f, 0x7f, 0x7f, 0x7f, 2, 0x41});
            producer.sendBytes(true, "{\"event\":\"message_created\",\"id\":".getBytes(StandardCharsets.UTF_8));
            producer.send(ChatEvent.newBuilder().setEventId("no-text").setSessionId("broken-1")
                    .setText(null).setSentAt(T0).build());
            producer.flush();

            boolean complete = out.awaitUntil(o -> o.outcomes.size() >= 3 && o.deadLetters.size() >= 4,
                    Duration.ofSeconds(90));
            assertThat(complete).as("three session outcomes and four dead letters within 90 s").isTrue();
            out.awaitUntil(o -> false, Duration.ofSeconds(3)); // anything late or duplicated would show now
        } finally {
            job.cancel().get();
            out.close();
        }

        // Dead letters: each with its stage and reason; the job kept running.
        assertThat(out.deadLetters).extracting(d -> d.getStage() + ": " + d.getReason())
                .hasSize(4)
                .anySatisfy(r -> assertThat(r).startsWith("decode: ").contains("magic byte"))
                .anySatisfy(r -> assertThat(r).startsWith("decode: ").contains("unknown schema id"))
                .anySatisfy(r -> assertThat(r).startsWith("normalise: "))
                .anySatisfy(r -> assertThat(r).startsWith("validate: "));
        assertThat(out.deadLetters).allSatisfy(d -> assertThat(d.getOriginal().remaining()).isPositive());

        // Outcomes: one per session, the sales ones qualified, the support one not.
        Map<String, SessionOutcome> outcomes = out.outcomes.stream()
                .collect(Collectors.toMap(SessionOutcome::getSessionId, o -> o));
        assertThat(outcomes).containsOnlyKeys("sales-1", "support-1", "ventas-1");
        assertThat(outcomes.get("sales-1").getQualified()).isTrue();
        assertThat(outcomes.get("sales-1").getTimeToQualificationMs()).isPositive();
        assertThat(outcomes.get("support-1").getQualified()).isFalse();
        assertThat(outcomes.get("support-1").getCategory()).isEqualTo("support");
        assertThat(outcomes.get("support-1").getAgentTurns()).isEqualTo(1);

        // The sales conversation: questions asked, then a handoff with a summary; a lead for the CRM.
        List<ActionType> salesActions = out.actions.stream().filter(a -> a.getSessionId().equals("sales-1"))
                .map(NextAction::getAction).toList();
        assertThat(salesActions).contains(ActionType.HANDOFF_TO_SALES);
        assertThat(out.handoffs).anySatisfy(h -> {
            assertThat(h.getSessionId()).isEqualTo("sales-1");
            assertThat(h.getSummary()).isNotBlank().doesNotContain(EMAIL);
        });
        assertThat(out.leads).anySatisfy(l -> {
            assertThat(l.getSessionId()).isEqualTo("sales-1");
            assertThat(l.getContact().getEmail()).isEqualTo(EMAIL);
            assertThat(l.getBudget()).isNotNull();
            assertThat(l.getScore()).isBetween(0, 100);
        });
        assertThat(out.actions.stream().filter(a -> a.getSessionId().equals("support-1")).map(NextAction::getAction))
                .doesNotContain(ActionType.HANDOFF_TO_SALES);

        // Exactly once: one audit record per visitor message (the redelivery dropped), no duplicates anywhere.
        long visitorMessages = List.of(sales, support, spanish).stream().flatMap(List::stream)
                .filter(e -> e.getSenderRole() == SenderRole.VISITOR && e.getText() != null).count();
        assertThat(out.audit).extracting(DecisionAudit::getEventId).doesNotHaveDuplicates().hasSize((int) visitorMessages);
        assertThat(out.actions).extracting(NextAction::getActionId).doesNotHaveDuplicates();
        assertThat(out.leads).extracting(l -> l.getLeadId() + "#" + l.getLeadVersion()).doesNotHaveDuplicates();

        // No clear-text PII in warehouse, metrics or audit.
        assertThat(out.audit).allSatisfy(a -> assertThat(a.toString()).doesNotContain(EMAIL));
        assertThat(out.metrics).allSatisfy(m -> assertThat(m.toString()).doesNotContain(EMAIL));
        assertThat(out.outcomes).allSatisfy(o -> assertThat(o.toString()).doesNotContain(EMAIL));
        assertThat(out.archive).allSatisfy(a -> assertThat(a.toString()).doesNotContain(EMAIL));
    }

    @Test
    void aTaskManagerLostMidStreamLosesAndDuplicatesNothing(@InjectMiniCluster MiniCluster cluster) throws Exception {
        Topics topics = freshTopics();
        JobSettings settings = settings(topics, Map.of());
        List<List<ChatEvent>> conversations = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            conversations.add(i % 2 == 0 ? salesConversation("s-" + i, i) : supportConversation("s-" + i, i));
        }

        JobClient job = startJob(settings);
        JobOutputs out = outputs(topics);
        try (ChatProducer producer = new ChatProducer(infra.bootstrapServers(), new Properties(), settings.registry(), topics)) {
            // First half of every conversation, wait until some of it is committed, then lose the TaskManager.
            for (List<ChatEvent> c : conversations) {
                c.subList(0, c.size() / 2).forEach(producer::send);
            }
            producer.flush();
            assertThat(out.awaitUntil(o -> o.audit.size() >= 6, Duration.ofSeconds(60))).isTrue();
            cluster.terminateTaskManager(0).get();
            cluster.startTaskManager();
            for (List<ChatEvent> c : conversations) {
                c.subList(c.size() / 2, c.size()).forEach(producer::send);
            }
            producer.flush();
            assertThat(out.awaitUntil(o -> o.outcomes.size() >= conversations.size(), Duration.ofSeconds(120)))
                    .as("every session closed after recovery").isTrue();
            out.awaitUntil(o -> false, Duration.ofSeconds(3));
        } finally {
            job.cancel().get();
            out.close();
        }

        long visitorMessages = conversations.stream().flatMap(List::stream)
                .filter(e -> e.getSenderRole() == SenderRole.VISITOR && e.getText() != null).count();
        assertThat(out.audit).extracting(DecisionAudit::getEventId)
                .as("one decision per visitor message: none lost, none duplicated")
                .doesNotHaveDuplicates().hasSize((int) visitorMessages);
        assertThat(out.outcomes).extracting(SessionOutcome::getSessionId).doesNotHaveDuplicates()
                .hasSize(conversations.size());
        assertThat(out.actions).extracting(NextAction::getActionId).doesNotHaveDuplicates();
        assertThat(out.handoffs).extracting(h -> h.getHandoffId()).doesNotHaveDuplicates();
    }
}
