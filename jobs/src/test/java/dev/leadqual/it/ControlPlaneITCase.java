package dev.leadqual.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.leadqual.config.JobSettings;
import dev.leadqual.config.Topics;
import dev.leadqual.control.PolicyPublisher;
import dev.leadqual.demo.ChatProducer;
import dev.leadqual.schema.ActionType;
import dev.leadqual.schema.ChatEvent;
import dev.leadqual.control.Calibration;
import dev.leadqual.schema.CrmAccount;
import dev.leadqual.schema.LeadOutcome;
import dev.leadqual.schema.QualifiedLead;
import dev.leadqual.schema.SalesOutcomeKind;
import dev.leadqual.schema.PolicyUpdateKind;
import dev.leadqual.schema.SenderRole;
import dev.leadqual.serde.AvroRegistrySerdes;
import dev.leadqual.cli.CliRun;
import java.io.InputStream;
import java.nio.file.Path;
import org.apache.flink.core.execution.SavepointFormatType;
import org.junit.jupiter.api.io.TempDir;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Properties;
import org.apache.flink.core.execution.JobClient;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;

/** The control plane while the real job runs: publish a policy, reject an invalid one, throw the kill switch, enrich from the CRM, join sales outcomes. */
class ControlPlaneITCase extends KafkaTestBase {

    private static final Instant T0 = Instant.parse("2026-03-10T09:00:00Z");

    private static ChatEvent visitor(String session, String id, int second, String text) {
        return ChatEvent.newBuilder().setEventId(id).setSessionId(session).setTenantId("acme")
                .setSenderRole(SenderRole.VISITOR).setText(text).setSentAt(T0.plusSeconds(second)).build();
    }

    @Test
    void policiesKillSwitchAndCrmAccountsTakeEffectWhileTheJobRuns() throws Exception {
        Topics topics = freshTopics();
        JobSettings settings = settings(topics, Map.of());
        String document;
        try (InputStream in = getClass().getResourceAsStream("/policy/default-policy.yaml")) {
            document = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        String v2 = document.replace("version: \"2025.1-default\"", "version: \"2026.2-live\"")
                .replace("Will you be making the purchasing decision, or is someone else involved?",
                        "Who signs off on purchases like this at your company?");

        JobClient job = LeadQualJobITCase.startJob(settings);
        JobOutputs out = outputs(topics);
        try (ChatProducer chats = new ChatProducer(infra.bootstrapServers(), new Properties(), settings.registry(), topics);
                PolicyPublisher control = new PolicyPublisher(settings)) {
            // 1. the built-in policy
            chats.send(visitor("s1", "e1", 0, "How much is the enterprise plan for 200 seats?"));
            chats.flush();
            assertThat(out.awaitUntil(o -> o.audit.size() >= 1, Duration.ofSeconds(180))).isTrue();
            assertThat(out.audit.get(0).getPolicyVersion()).isEqualTo("2025.1-default");

            // 2. a new version, published mid-stream, decides the next message
            control.publish(PolicyUpdateKind.POLICY, null, "2026.2-live", v2, "it");
            assertThat(control.active()).hasValueSatisfying(p -> assertThat(p.version()).isEqualTo("2026.2-live"));
            waitForControlPlane(chats, out, "2026.2-live");
            chats.send(visitor("s1", "e2", 20, "Our budget is around $50k per year."));
            chats.flush();
            assertThat(out.awaitUntil(o -> o.actions.stream().anyMatch(a -> "authority".equals(a.getSlot())), Duration.ofSeconds(180))).isTrue();
            assertThat(out.actions).filteredOn(a -> "authority".equals(a.getSlot())).singleElement().satisfies(a -> {
                assertThat(a.getMessage()).isEqualTo("Who signs off on purchases like this at your company?");
                assertThat(a.getPolicyVersion()).isEqualTo("2026.2-live");
            });

            // 3. an invalid policy goes to the dead-letter topic; the active one stays
            control.publish(PolicyUpdateKind.POLICY, null, "broken", "version: broken\ntenants: {}\n", "it");
            assertThat(out.awaitUntil(o -> o.deadLetters.stream().anyMatch(d -> d.getStage().equals("policy")), Duration.ofSeconds(180))).isTrue();
            assertThat(out.deadLetters).filteredOn(d -> d.getStage().equals("policy")).singleElement()
                    .satisfies(d -> assertThat(d.getReason()).startsWith("invalid policy:"));
            chats.send(visitor("s1", "e3", 40, "I'm the VP of Customer Success and I sign off on this."));
            chats.flush();
            assertThat(out.awaitUntil(o -> o.audit.stream().anyMatch(a -> a.getEventId().equals("e3")), Duration.ofSeconds(180))).isTrue();
            assertThat(out.audit).filteredOn(a -> a.getEventId().equals("e3")).singleElement()
                    .satisfies(a -> assertThat(a.getPolicyVersion()).isEqualTo("2026.2-live"));

            // 4. the kill switch stops questions and handoffs at the next message, for this tenant
            control.publish(PolicyUpdateKind.KILL_SWITCH_ON, "acme", "", "", "it");
            waitForKillSwitch(chats, out, true);
            chats.send(visitor("s2", "k1", 60, "Can we book a demo with your sales team?"));
            chats.flush();
            assertThat(out.awaitUntil(o -> o.audit.stream().anyMatch(a -> a.getEventId().equals("k1")), Duration.ofSeconds(180))).isTrue();
            assertThat(out.actions).filteredOn(a -> a.getSessionId().equals("s2")).singleElement().satisfies(a -> {
                assertThat(a.getAction()).isEqualTo(ActionType.ESCALATE_TO_HUMAN);
                assertThat(a.getReason()).isEqualTo("kill_switch");
            });
            assertThat(out.handoffs).noneMatch(h -> h.getSessionId().equals("s2"));
            control.publish(PolicyUpdateKind.KILL_SWITCH_OFF, "acme", "", "", "it");
            waitForKillSwitch(chats, out, false);

            // 5. a CRM account (CDC upsert) enriches the lead of a visitor from that company
            CrmAccount account = CrmAccount.newBuilder().setAccountId("acc-7").setTenantId("acme").setName("Contoso")
                    .setDomain("contoso.example.com").setOwner("rep-ana").setEmployees(900).setUpdatedAt(T0).build();
            try (KafkaProducer<byte[], byte[]> crm = new KafkaProducer<>(Map.of("bootstrap.servers", infra.bootstrapServers()),
                    new ByteArraySerializer(), new ByteArraySerializer())) {
                crm.send(new ProducerRecord<>(topics.crmAccounts(), "acc-7".getBytes(StandardCharsets.UTF_8),
                        AvroRegistrySerdes.serializer(CrmAccount.class, topics.crmAccounts(), settings.registry()).serialize(account))).get();
            }
            int s = 100;
            for (String line : new String[] {"Hi, how much is the enterprise plan for 300 seats?", "Our budget is $80k per year.",
                    "I'm the CTO and I decide.", "We need it next month.", "We have 900 employees.",
                    "Mail me at ana@contoso.example.com", "Can we book a demo with sales?"}) {
                chats.send(visitor("s3", "c" + s, s, line));
                s += 10;
            }
            chats.flush();
            assertThat(out.awaitUntil(o -> o.leads.stream().anyMatch(l -> l.getSessionId().equals("s3")), Duration.ofSeconds(180))).isTrue();
            assertThat(out.leads).filteredOn(l -> l.getSessionId().equals("s3")).last().satisfies(l -> {
                assertThat(l.getAccountId()).isEqualTo("acc-7");
                assertThat(l.getOwner()).isEqualTo("rep-ana");
            });

            // 6. sales reports the deal won: the outcome is joined back to the lead for the warehouse
            QualifiedLead won = out.leads.stream().filter(l -> l.getSessionId().equals("s3")).reduce((a, b) -> b).orElseThrow();
            try (KafkaProducer<byte[], byte[]> crm = new KafkaProducer<>(Map.of("bootstrap.servers", infra.bootstrapServers()),
                    new ByteArraySerializer(), new ByteArraySerializer())) {
                LeadOutcome outcome = LeadOutcome.newBuilder().setLeadId(won.getLeadId()).setTenantId("acme")
                        .setOutcome(SalesOutcomeKind.WON).setAmount(80000.0).setOccurredAt(T0.plusSeconds(86400)).build();
                crm.send(new ProducerRecord<>(topics.crmOutcomes(), won.getLeadId().getBytes(StandardCharsets.UTF_8),
                        AvroRegistrySerdes.serializer(LeadOutcome.class, topics.crmOutcomes(), settings.registry()).serialize(outcome))).get();
            }
            assertThat(out.awaitUntil(o -> o.outcomes.stream().anyMatch(r -> "WON".equals(r.getSalesOutcome())), Duration.ofSeconds(180))).isTrue();
            Calibration calibration = new Calibration(20);
            out.outcomes.forEach(calibration::add);
            assertThat(calibration.winRates()).containsValue(1.0);
        } finally {
            job.cancel().get();
            out.close();
        }
    }

    /**
     * Ops erase a person from a savepoint while a policy and a kill switch are live: the state tools
     * rewrite the qualify operator, which cannot carry its broadcast state along, so they drop the
     * control source's offsets too. The restored job reads the control topics again and decides under
     * the same policy and kill switch, not the built-in policy. (Without that, the policy would never
     * come back: the offsets would say it was read already.)
     */
    @Test
    void aSavepointRewrittenByTheStateToolsKeepsThePolicyAndTheKillSwitch(@TempDir Path work) throws Exception {
        Topics topics = freshTopics();
        JobSettings settings = settings(topics, Map.of());
        String document;
        try (InputStream in = getClass().getResourceAsStream("/policy/default-policy.yaml")) {
            document = new String(in.readAllBytes(), StandardCharsets.UTF_8)
                    .replace("version: \"2025.1-default\"", "version: \"2026.9-kept\"");
        }
        JobOutputs out = outputs(topics);
        String erased = work.resolve("erased").toString();
        try (ChatProducer chats = new ChatProducer(infra.bootstrapServers(), new Properties(), settings.registry(), topics);
                PolicyPublisher control = new PolicyPublisher(settings)) {
            JobClient job = LeadQualJobITCase.startJob(settings);
            String savepoint;
            try {
                control.publish(PolicyUpdateKind.POLICY, null, "2026.9-kept", document, "it");
                waitForControlPlane(chats, out, "2026.9-kept");
                control.publish(PolicyUpdateKind.KILL_SWITCH_ON, "acme", "", "", "it");
                waitForKillSwitch(chats, out, true);
                chats.send(visitor("erase-me", "x1", 70, "Hi, I'm Ada, ada@byron-labs.example.com"));
                chats.flush();
                assertThat(out.awaitUntil(o -> o.audit.stream().anyMatch(a -> a.getEventId().equals("x1")), Duration.ofSeconds(180))).isTrue();
                savepoint = job.stopWithSavepoint(false, work.resolve("savepoints").toUri().toString(),
                        SavepointFormatType.CANONICAL).get();
            } finally {
                if (!job.getJobStatus().get().isGloballyTerminalState()) {
                    job.cancel().get();
                }
            }
            CliRun erase = CliRun.of("state", "erase", savepoint, "--session", "erase-me", "--out", erased);
            assertThat(erase.code()).as(erase.out()).isZero();

            JobClient restored = LeadQualJobITCase.startJob(settings, erased);
            try {
                // Nothing is published again: the restored job re-reads the control topics (their
                // partitions in any order, so probe until the policy is back, as after a first start).
                waitForControlPlane(chats, out, "2026.9-kept", "restored-probe-");
                chats.send(visitor("after-erase", "y1", 80, "Can we book a demo with your sales team?"));
                chats.flush();
                assertThat(out.awaitUntil(o -> o.audit.stream().anyMatch(a -> a.getEventId().equals("y1")), Duration.ofSeconds(120)))
                        .as("the restored job decides").isTrue();
                assertThat(out.audit).filteredOn(a -> a.getEventId().equals("y1")).singleElement().satisfies(a -> {
                    assertThat(a.getPolicyVersion()).isEqualTo("2026.9-kept");
                    assertThat(a.getKillSwitch()).isTrue();
                });
                assertThat(out.handoffs).noneMatch(h -> h.getSessionId().equals("after-erase"));
            } finally {
                restored.cancel().get();
            }
        } finally {
            out.close();
        }
    }

    /** Control messages travel on their own topic: probe with a throwaway session until the version shows. */
    private static void waitForControlPlane(ChatProducer chats, JobOutputs out, String version) {
        waitForControlPlane(chats, out, version, "probe-");
    }

    /** As above, with probe sessions (and event ids) named {@code prefix}: distinct from earlier probes. */
    private static void waitForControlPlane(ChatProducer chats, JobOutputs out, String version, String prefix) {
        int[] n = {0};
        assertThat(out.awaitUntil(o -> {
            if (o.audit.stream().anyMatch(a -> a.getSessionId().startsWith(prefix) && a.getPolicyVersion().equals(version))) {
                return true;
            }
            chats.send(visitor(prefix + (n[0]++), prefix + version + "-" + n[0], 1, "hello"));
            chats.flush();
            return false;
        }, Duration.ofSeconds(180))).as("policy %s applied", version).isTrue();
    }

    private static void waitForKillSwitch(ChatProducer chats, JobOutputs out, boolean on) {
        int[] n = {0};
        assertThat(out.awaitUntil(o -> {
            if (o.audit.stream().anyMatch(a -> a.getSessionId().startsWith("ks-" + on) && a.getKillSwitch() == on)) {
                return true;
            }
            chats.send(visitor("ks-" + on + "-" + (n[0]++), "ks-" + on + "-" + n[0], 50, "How much is it for 10 seats?"));
            chats.flush();
            return false;
        }, Duration.ofSeconds(180))).as("kill switch %s applied", on).isTrue();
    }
}
