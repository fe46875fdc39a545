package dev.leadqual.upgrade;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.leadqual.schema.CrmAccount;
import dev.leadqual.schema.KnowledgeArticle;
import dev.leadqual.schema.LeadOutcome;
import dev.leadqual.schema.PolicyUpdate;
import dev.leadqual.schema.SalesOutcomeKind;
import dev.leadqual.schema.ChatEvent;
import dev.leadqual.state.StateLayout;
import dev.leadqual.statetools.StateTools;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.api.java.tuple.Tuple2;
import org.apache.flink.state.api.OperatorIdentifier;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Savepoint compatibility of the live control plane and the sales-outcome join: the checked-in v2
 * savepoint ({@link V2SavepointGenerator}) holds a published policy, a tenant kill switch, a CRM
 * account and an article in the qualify operator's broadcast state, and the leads the outcome join
 * keeps; today's job restored from it (without re-reading the control topic) decides under that
 * policy and kill switch, and joins a sales outcome to a lead made before the upgrade.
 */
class V2SavepointCompatibilityTest {

    @Test
    void theV2SavepointHoldsTheControlPlaneAndTheOutcomeJoin() throws Exception {
        assertThat(StateTools.operators(V2Savepoint.path()))
                .containsKeys(StateLayout.DEDUPLICATE_UID, StateLayout.QUALIFY_UID, StateLayout.JOIN_OUTCOMES_UID);

        Map<String, PolicyUpdate> control = broadcast(StateLayout.CONTROL, PolicyUpdate.class);
        assertThat(control.values()).extracting(PolicyUpdate::getVersion).contains(V2Savepoint.POLICY_VERSION);
        assertThat(control.values()).anySatisfy(u -> assertThat(u.getTenantId()).isEqualTo(V2Savepoint.KILLED_TENANT));
        assertThat(broadcast(StateLayout.CRM_ACCOUNTS, CrmAccount.class).values()).extracting(CrmAccount::getAccountId)
                .containsOnly(V2Savepoint.ACCOUNT_ID);
        assertThat(broadcast(StateLayout.KB_ARTICLES, KnowledgeArticle.class).values()).extracting(KnowledgeArticle::getArticleId)
                .containsExactly(V2Savepoint.ARTICLE_ID);
        assertThat(V2Savepoint.expected().path("leads").size()).as("leads the join keeps").isPositive();
    }

    @Test
    void todaysJobRestoredFromV2KeepsPolicyAndKillSwitchAndJoinsOutcomesToEarlierLeads(@TempDir Path work)
            throws Exception {
        List<ChatEvent> followUps = new ArrayList<>();
        int i = 0;
        for (String session : V1Sessions.openSessions()) {
            followUps.add(V1SavepointCompatibilityTest.followUp(session, session + "-v3", 600 + i++, "Thanks. Any news on this?"));
        }
        Map<String, String> leads = new java.util.TreeMap<>();
        V2Savepoint.expected().path("leads").fields().forEachRemaining(e -> leads.put(e.getKey(), e.getValue().asText()));
        String session = leads.keySet().iterator().next();
        String leadId = leads.get(session);
        LeadOutcome won = LeadOutcome.newBuilder().setLeadId(leadId).setOutcome(SalesOutcomeKind.WON).setAmount(48000.0)
                .setOccurredAt(V1Sessions.T0.plusSeconds(900)).build();

        WorkflowRun run = new WorkflowRun();
        run.runBounded(followUps, List.of(won), WorkflowRun.settings(), work, V2Savepoint.path(), 2);

        // the policy and the kill switch came back with the savepoint: no control topic was read
        List<JsonNode> audits = run.out("audit");
        assertThat(audits).hasSizeGreaterThanOrEqualTo(V1Sessions.openSessions().size());
        assertThat(audits).extracting(a -> a.path("policy_version").asText()).containsOnly(V2Savepoint.POLICY_VERSION);
        Map<Boolean, List<JsonNode>> byKill = audits.stream()
                .collect(Collectors.partitioningBy(a -> a.path("tenant_id").asText().equals(V2Savepoint.KILLED_TENANT)));
        assertThat(byKill.get(true)).isNotEmpty().allSatisfy(a -> assertThat(a.path("kill_switch").asBoolean()).isTrue());
        assertThat(byKill.get(false)).isNotEmpty().allSatisfy(a -> assertThat(a.path("kill_switch").asBoolean()).isFalse());
        // a sales outcome for a lead qualified before the upgrade is joined to it
        assertThat(run.out("outcome")).filteredOn(o -> o.path("close_reason").asText().equals("sales_outcome"))
                .singleElement().satisfies(o -> {
                    assertThat(o.path("lead_id").asText()).isEqualTo(leadId);
                    assertThat(o.path("session_id").asText()).isEqualTo(session);
                    assertThat(o.path("sales_outcome").asText()).isEqualTo("WON");
                });
    }

    /** One broadcast state of the qualify operator (descriptor name and value type as in StateLayout). */
    private static <V extends org.apache.avro.specific.SpecificRecordBase> Map<String, V> broadcast(String name, Class<V> type)
            throws Exception {
        StreamExecutionEnvironment env = StateTools.environment();
        List<Tuple2<String, V>> entries = StateTools.collect(StateTools.reader(env, V2Savepoint.path())
                .readBroadcastState(OperatorIdentifier.forUid(StateLayout.QUALIFY_UID), name,
                        Types.STRING, new AvroTypeInfo<>(type)), "read " + name, n -> { });
        return entries.stream().collect(Collectors.toMap(t -> t.f0, t -> t.f1, (a, b) -> a));
    }
}
