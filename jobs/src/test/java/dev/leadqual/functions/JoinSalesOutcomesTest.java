package dev.leadqual.functions;

import static dev.leadqual.functions.ChatEvents.T0;
import static org.assertj.core.api.Assertions.assertThat;

import dev.leadqual.schema.Contact;
import dev.leadqual.schema.LeadOutcome;
import dev.leadqual.schema.QualifiedLead;
import dev.leadqual.schema.SalesOutcomeKind;
import dev.leadqual.schema.SessionOutcome;
import java.time.Duration;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.state.rocksdb.EmbeddedRocksDBStateBackend;
import org.apache.flink.streaming.api.operators.co.KeyedCoProcessOperator;
import org.apache.flink.streaming.util.KeyedTwoInputStreamOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class JoinSalesOutcomesTest {

    private KeyedTwoInputStreamOperatorTestHarness<String, QualifiedLead, LeadOutcome, SessionOutcome> harness;

    @BeforeEach
    void setUp() throws Exception {
        harness = new KeyedTwoInputStreamOperatorTestHarness<>(
                new KeyedCoProcessOperator<>(new JoinSalesOutcomes(Duration.ofDays(180))),
                QualifiedLead::getLeadId, LeadOutcome::getLeadId, Types.STRING);
        harness.setStateBackend(new EmbeddedRocksDBStateBackend());
        harness.open();
    }

    @AfterEach
    void tearDown() throws Exception {
        harness.close();
    }

    static QualifiedLead lead(String id, int version, int score) {
        return QualifiedLead.newBuilder().setLeadId(id).setLeadVersion(version).setTenantId("acme").setSessionId("s-" + id)
                .setQualifiedAt(T0).setUpdatedAt(T0).setScore(score).setCategory("sales").setIntent("demo_request")
                .setContact(Contact.newBuilder().setEmail("ana@contoso.example.com").build())
                .setPolicyVersion("2025.1-default").build();
    }

    static LeadOutcome outcome(String leadId, SalesOutcomeKind kind, int day) {
        return LeadOutcome.newBuilder().setLeadId(leadId).setOutcome(kind).setOccurredAt(T0.plus(Duration.ofDays(day))).build();
    }

    @Test
    void anOutcomeIsJoinedToTheLatestVersionOfItsLeadWithoutContactDetails() throws Exception {
        harness.processElement1(lead("L1", 1, 60), 0);
        harness.processElement1(lead("L1", 2, 82), 0);
        harness.processElement2(outcome("L1", SalesOutcomeKind.MEETING_BOOKED, 2), 0);
        harness.processElement2(outcome("L1", SalesOutcomeKind.WON, 30), 0);

        List<SessionOutcome> rows = harness.extractOutputValues();
        assertThat(rows).extracting(SessionOutcome::getSalesOutcome).containsExactly("MEETING_BOOKED", "WON");
        assertThat(rows).allSatisfy(r -> {
            assertThat(r.getLeadId()).isEqualTo("L1");
            assertThat(r.getFinalScore()).isEqualTo(82);
            assertThat(r.getSessionId()).isEqualTo("s-L1");
            assertThat(r.getCloseReason()).isEqualTo("sales_outcome");
            assertThat(r.toString()).doesNotContain("ana@contoso");
        });
        assertThat(rows).extracting(SessionOutcome::getOutcomeId).doesNotHaveDuplicates();
    }

    @Test
    void anOutcomeThatArrivesBeforeItsLeadWaitsForIt() throws Exception {
        harness.processElement2(outcome("L2", SalesOutcomeKind.LOST, 5), 0);
        assertThat(harness.extractOutputValues()).isEmpty();
        harness.processElement1(lead("L2", 1, 40), 0);
        assertThat(harness.extractOutputValues()).singleElement()
                .satisfies(r -> assertThat(r.getSalesOutcome()).isEqualTo("LOST"));
    }
}
