package dev.leadqual.functions;

import static dev.leadqual.functions.ChatEvents.T0;
import static dev.leadqual.functions.ChatEvents.at;
import static dev.leadqual.functions.ChatEvents.visitor;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.leadqual.io.ControlEvent;
import dev.leadqual.schema.ActionType;
import dev.leadqual.schema.ArchivedTurn;
import dev.leadqual.schema.SessionOutcome;
import dev.leadqual.schema.ChatEvent;
import dev.leadqual.schema.CrmAccount;
import dev.leadqual.schema.DecisionAudit;
import dev.leadqual.schema.KnowledgeArticle;
import dev.leadqual.schema.NextAction;
import dev.leadqual.schema.PolicyUpdate;
import dev.leadqual.schema.PolicyUpdateKind;
import dev.leadqual.schema.QualifiedLead;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedBroadcastOperatorTestHarness;
import org.apache.flink.util.OutputTag;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The live control plane as the qualification operator applies it (broadcast harness, RocksDB). */
class ControlPlaneTest {

    private KeyedBroadcastOperatorTestHarness<String, ChatEvent, ControlEvent, NextAction> harness;

    @BeforeEach
    void setUp() throws Exception {
        harness = QualifySessionTest.newHarness();
        harness.open();
        harness.processBroadcastWatermark(Long.MAX_VALUE);
    }

    @AfterEach
    void tearDown() throws Exception {
        harness.close();
    }

    static String defaultPolicyDocument() throws IOException {
        try (InputStream in = ControlPlaneTest.class.getResourceAsStream("/policy/default-policy.yaml")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    static PolicyUpdate policy(String document, String version) {
        return PolicyUpdate.newBuilder().setUpdateId("u-" + version).setKind(PolicyUpdateKind.POLICY)
                .setVersion(version).setDocument(document).setPublishedAt(T0).build();
    }

    static PolicyUpdate killSwitch(boolean on, String tenant) {
        return PolicyUpdate.newBuilder().setUpdateId("k-" + on).setKind(on ? PolicyUpdateKind.KILL_SWITCH_ON : PolicyUpdateKind.KILL_SWITCH_OFF)
                .setTenantId(tenant).setPublishedAt(T0).build();
    }

    @Test
    void aPublishedPolicyTakesEffectAtTheNextMessageAndEveryDecisionCarriesItsVersion() throws Exception {
        harness.processElement(visitor("s1", "e1", 0, "How much is the enterprise plan for 200 seats?"), at(0));
        String changed = defaultPolicyDocument()
                .replace("version: \"2025.1-default\"", "version: \"2026.2-test\"")
                .replace("Will you be making the purchasing decision, or is someone else involved?",
                        "Who signs off on purchases like this at your company?");
        harness.processBroadcastElement(ControlEvent.of(policy(changed, "2026.2-test")), at(1));
        harness.processElement(visitor("s1", "e2", 20, "Our budget is around $50k per year."), at(20));

        assertThat(side(QualifyOutputs.AUDIT)).extracting(DecisionAudit::getPolicyVersion)
                .containsExactly("2025.1-default", "2026.2-test");
        assertThat(actions()).filteredOn(a -> "authority".equals(a.getSlot())).singleElement().satisfies(a -> {
            assertThat(a.getMessage()).isEqualTo("Who signs off on purchases like this at your company?");
            assertThat(a.getPolicyVersion()).isEqualTo("2026.2-test");
        });
    }

    @Test
    void theKillSwitchStopsQuestionsAndHandoffsAtTheNextMessageAndLiftingItResumes() throws Exception {
        harness.processBroadcastElement(ControlEvent.of(killSwitch(true, null)), at(0));
        harness.processElement(visitor("s1", "e1", 0, "How much is the enterprise plan for 200 seats?"), at(0));
        harness.processElement(visitor("s1", "e2", 10, "Can we book a demo with your sales team?"), at(10));

        assertThat(actions()).extracting(NextAction::getAction).containsOnly(ActionType.ESCALATE_TO_HUMAN);
        assertThat(side(QualifyOutputs.AUDIT)).allSatisfy(a -> {
            assertThat(a.getKillSwitch()).isTrue();
            assertThat(a.getAction()).isNotIn(ActionType.ASK_SLOT, ActionType.HANDOFF_TO_SALES);
        });
        assertThat(side(QualifyOutputs.HANDOFFS)).isEmpty();

        harness.processBroadcastElement(ControlEvent.of(killSwitch(false, null)), at(11));
        harness.processElement(visitor("s2", "e3", 20, "How much is the enterprise plan for 50 seats?"), at(20));
        assertThat(actions()).filteredOn(a -> a.getSessionId().equals("s2"))
                .extracting(NextAction::getAction).containsExactly(ActionType.ASK_SLOT);
    }

    @Test
    void aTenantKillSwitchLeavesOtherTenantsAlone() throws Exception {
        harness.processBroadcastElement(ControlEvent.of(killSwitch(true, "globex")), at(0));
        harness.processElement(visitor("s1", "e1", 0, "How much is the enterprise plan for 200 seats?"), at(0)); // tenant acme
        assertThat(actions()).extracting(NextAction::getAction).containsExactly(ActionType.ASK_SLOT);
    }

    @Test
    void aCrmAccountEnrichesTheLeadAndItsTombstoneRemovesTheEnrichment() throws Exception {
        CrmAccount northwind = CrmAccount.newBuilder().setAccountId("acc-1").setTenantId("acme").setName("Northwind Traders")
                .setDomain("northwind.example.com").setEmployees(900).setOwner("rep-ana").setOpenOpportunity(true)
                .setUpdatedAt(T0).build();
        harness.processBroadcastElement(ControlEvent.of(northwind), at(0));
        for (ChatEvent e : QualifySessionTest.bant("s1")) {
            harness.processElement(e, e.getSentAt().toEpochMilli());
        }
        QualifiedLead enriched = last(side(QualifyOutputs.LEADS));
        assertThat(enriched.getAccountId()).isEqualTo("acc-1");
        assertThat(enriched.getOwner()).isEqualTo("rep-ana");
        assertThat(enriched.getContributions()).anySatisfy(c -> {
            assertThat(c.getSignal()).isEqualTo("firmographics");
            assertThat(c.getPoints()).isPositive();
        });

        harness.processBroadcastElement(ControlEvent.accountDeleted("acc-1"), at(200));
        for (ChatEvent e : QualifySessionTest.bant("s2")) {
            harness.processElement(e, e.getSentAt().toEpochMilli() + 1000);
        }
        QualifiedLead plain = last(side(QualifyOutputs.LEADS).stream().filter(l -> l.getSessionId().equals("s2")).toList());
        assertThat(plain.getAccountId()).isNull();
        assertThat(plain.getContributions()).noneSatisfy(c -> assertThat(c.getSignal()).isEqualTo("firmographics"));
    }

    @Test
    void handoffsBeyondTheTenantsHourlyLimitAreNurtured() throws Exception {
        String limited = defaultPolicyDocument()
                .replace("version: \"2025.1-default\"", "version: \"2026.3-limited\"")
                .replace("handoffs_per_hour: 60", "handoffs_per_hour: 1");
        harness.processBroadcastElement(ControlEvent.of(policy(limited, "2026.3-limited")), at(0));
        for (ChatEvent e : QualifySessionTest.bant("s1")) {
            harness.processElement(e, e.getSentAt().toEpochMilli());
        }
        for (ChatEvent e : QualifySessionTest.bant("s2")) {
            harness.processElement(e, e.getSentAt().toEpochMilli() + 500);
        }
        assertThat(side(QualifyOutputs.HANDOFFS)).extracting(h -> h.getSessionId()).containsExactly("s1");
        assertThat(side(QualifyOutputs.AUDIT)).filteredOn(a -> a.getSessionId().equals("s2"))
                .anySatisfy(a -> assertThat(a.getRateLimited()).isTrue());
    }

    @Test
    void aPresalesQuestionIsAnsweredWithTheMatchingKnowledgeArticle() throws Exception {
        KnowledgeArticle sso = KnowledgeArticle.newBuilder().setArticleId("kb-sso").setTenantId("default").setLanguage("en")
                .setTitle("Single sign-on with SAML and Okta")
                .setBody("SAML single sign-on (SSO) is available with Okta, Azure AD and Google on every plan.")
                .setUrl("https://help.example.com/sso").setUpdatedAt(T0).build();
        harness.processBroadcastElement(ControlEvent.of(sso), at(0));
        harness.processElement(visitor("s1", "e1", 0, "Do you support single sign-on with Okta?"), at(0));

        assertThat(actions()).singleElement().satisfies(a -> {
            assertThat(a.getAction()).isEqualTo(ActionType.ANSWER_FROM_KNOWLEDGE);
            assertThat(a.getArticleId()).isEqualTo("kb-sso");
            assertThat(a.getMessage()).contains("https://help.example.com/sso");
        });

        harness.processBroadcastElement(ControlEvent.articleDeleted("kb-sso"), at(1));
        harness.processElement(visitor("s2", "e2", 5, "Do you support single sign-on with Okta?"), at(5));
        assertThat(actions()).filteredOn(a -> a.getSessionId().equals("s2"))
                .allSatisfy(a -> assertThat(a.getArticleId()).isNull());
    }

    private static <T> T last(List<T> list) {
        assertThat(list).isNotEmpty();
        return list.get(list.size() - 1);
    }

    @Test
    void aPublishedRetentionChangesTheInactivityCloseTheTailAndTheArchiveForTheNextMessage() throws Exception {
        // Job settings: 10 min inactivity, tail of 2 turns. The policy: 20 min and 3 turns for everyone;
        // tenant acme keeps no archive.
        String retention = defaultPolicyDocument()
                .replace("version: \"2025.1-default\"", "version: \"2026.4-retention\"")
                .replace("      archive_transcripts: true ", "      session_inactivity_minutes: 20\n      transcript_tail_turns: 3\n      archive_transcripts: true ")
                .replace("\n# One polite question", "  acme:\n    retention:\n      archive_transcripts: false\n\n# One polite question");
        harness.processBroadcastElement(ControlEvent.of(policy(retention, "2026.4-retention")), at(0));
        for (int i = 1; i <= 7; i++) {
            harness.processElement(visitor("s-acme", "a" + i, i * 10, "Hello, question number " + i + " about your tool."), at(i * 10));
            ChatEvent other = ChatEvent.newBuilder(visitor("s-globex", "g" + i, i * 10, "Hello, question number " + i + " about your tool."))
                    .setTenantId("globex").build();
            harness.processElement(other, at(i * 10));
        }

        // The globex tail keeps 3 turns (up to 6 before the oldest leave): the 7th turn sends out 4.
        assertThat(side(QualifyOutputs.ARCHIVE)).extracting(ArchivedTurn::getEventId).containsExactly("g1", "g2", "g3", "g4");

        harness.processWatermark(new Watermark(at(70 + 10 * 60 + 5)));
        assertThat(side(QualifyOutputs.SESSION_OUTCOMES)).as("the job's 10 minutes no longer close a session").isEmpty();

        harness.processWatermark(new Watermark(at(70 + 20 * 60 + 5)));
        assertThat(side(QualifyOutputs.SESSION_OUTCOMES)).extracting(SessionOutcome::getSessionId, SessionOutcome::getCloseReason)
                .containsExactlyInAnyOrder(tuple("s-acme", "inactivity"), tuple("s-globex", "inactivity"));
        assertThat(side(QualifyOutputs.ARCHIVE)).as("acme archives nothing; globex its last 3 turns at close")
                .extracting(ArchivedTurn::getEventId).containsExactly("g1", "g2", "g3", "g4", "g5", "g6", "g7");
        assertThat(side(QualifyOutputs.ARCHIVE)).filteredOn(a -> a.getArchivedBecause().equals("session_closed"))
                .extracting(ArchivedTurn::getEventId).containsExactly("g5", "g6", "g7");
    }

    private List<NextAction> actions() {
        return harness.extractOutputStreamRecords().stream().map(r -> (NextAction) r.getValue()).toList();
    }

    private <T> List<T> side(OutputTag<T> tag) {
        var records = harness.getSideOutput(tag);
        return records == null ? List.of() : records.stream().map(StreamRecord::getValue).toList();
    }
}
