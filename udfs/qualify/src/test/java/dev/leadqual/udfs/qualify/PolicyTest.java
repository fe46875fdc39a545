package dev.leadqual.udfs.qualify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.leadqual.schema.ActionType;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.junit.jupiter.api.Test;

class PolicyTest {
  static final String DEFAULT_YAML = resource("/policy/default-policy.yaml");

  static String resource(String name) {
    try (InputStream in = PolicyTest.class.getResourceAsStream(name)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  static String edit(String from, String to) {
    assertThat(DEFAULT_YAML).contains(from);
    return DEFAULT_YAML.replace(from, to);
  }

  static PolicyException rejects(String document) {
    try {
      Policy.parse(document);
    } catch (PolicyException e) {
      return e;
    }
    throw new AssertionError("policy was accepted");
  }

  @Test
  void defaultPolicyHoldsBantWithContactAndFiveLanguages() {
    Policy p = Policy.defaults();
    assertThat(p.version()).isEqualTo("2025.1-default");
    Policy.Tenant t = p.tenant("default");
    assertThat(t.framework()).isEqualTo("BANT");
    assertThat(t.requiredSlots()).containsExactly("budget", "authority", "need", "timeline", "company_size", "contact");
    assertThat(t.handoffSla()).isEqualTo(Duration.ofMinutes(15));
    assertThat(t.routing().humanQueue()).isEqualTo("support-humans");
    for (String slot : t.requiredSlots()) {
      for (String lang : Policy.LANGUAGES) {
        assertThat(p.questionTemplate(slot, lang)).as(slot + "/" + lang).isPresent();
      }
    }
    assertThat(p.weights().sum()).isEqualTo(100.0);
    assertThat(p.rules()).extracting(Policy.Rule::name).contains("qualified_handoff", "ask_next_slot");
    assertThat(p.tenant("unknown-tenant")).isSameAs(t);
  }

  @Test
  void parsesJsonAsWellAsYaml() throws Exception {
    JsonNode tree = new ObjectMapper(new YAMLFactory()).readTree(DEFAULT_YAML);
    Policy fromJson = Policy.parse(new ObjectMapper().writeValueAsString(tree));
    assertThat(fromJson.version()).isEqualTo(Policy.defaults().version());
    assertThat(fromJson.diff(Policy.defaults())).isEmpty();
  }

  @Test
  void tenantInheritsWhatItLeavesOutFromDefault() throws Exception {
    Policy p = Policy.parse(edit("tenants:\n  default:", """
        tenants:
          acme:
            required_slots: [need, contact]
            max_questions_per_session: 2
          default:"""));
    Policy.Tenant acme = p.tenant("acme");
    assertThat(acme.requiredSlots()).containsExactly("need", "contact");
    assertThat(acme.maxQuestionsPerSession()).isEqualTo(2);
    assertThat(acme.handoffsPerHour()).isEqualTo(p.tenant("default").handoffsPerHour());
    assertThat(acme.routing()).isEqualTo(p.tenant("default").routing());
  }

  @Test
  void rejectsUnknownKeysWithPathAndAllowedKeys() {
    PolicyException e = rejects(edit("    intent: 25", "    intnet: 25"));
    assertThat(e.path()).isEqualTo("scoring.weights.intnet");
    assertThat(e.getMessage()).contains("unknown key 'intnet'").contains("allowed:").contains("intent");

    PolicyException top = rejects(DEFAULT_YAML + "\nretention: 3d\n");
    assertThat(top.getMessage()).startsWith("retention: unknown key");

    PolicyException cond = rejects(edit("{wants_human: true}", "{wants_humans: true}"));
    assertThat(cond.path()).isEqualTo("rules.explicit_human_request.when.wants_humans");
  }

  @Test
  void rejectsOutOfRangeValues() {
    assertThat(rejects(edit("min_slot_confidence: 0.5", "min_slot_confidence: 1.5")).getMessage())
        .isEqualTo("tenants.default.min_slot_confidence: 1.5 is out of range 0..1");
    assertThat(rejects(edit("    urgency: 10 ", "    urgency: 20 ")).getMessage())
        .contains("scoring.weights").contains("sum to 110").contains("at most 100");
    assertThat(rejects(edit("    handoff: 65", "    handoff: 50")).getMessage())
        .contains("nurture <= qualify <= handoff");
    assertThat(rejects(edit("max_questions_per_session: 6", "max_questions_per_session: six")).getMessage())
        .contains("tenants.default.max_questions_per_session: must be a whole number");
  }

  @Test
  void rejectsUnknownSlotsActionsAndLanguages() {
    assertThat(rejects(edit("required_slots: [budget,", "required_slots: [budgett,")).getMessage())
        .contains("tenants.default.required_slots").contains("unknown slot 'budgett'").contains("known:");
    assertThat(rejects(edit("action: NURTURE\n", "action: NURTUR\n")).getMessage())
        .contains("unknown action 'NURTUR'").contains("HANDOFF_TO_SALES");
    assertThat(rejects(edit("  need:\n    en:", "  need:\n    it: \"Di che cosa ha bisogno?\"\n    en:")).getMessage())
        .contains("questions.need.it: unknown language 'it'");
    assertThat(rejects(edit("{category: [support], urgency: [high]}", "{category: [support], urgency: [critical]}")).getMessage())
        .contains("unknown urgency 'critical'");
    assertThat(rejects(edit("score_at_least: handoff", "score_at_least: handof")).getMessage())
        .contains("rules.qualified_handoff.when.score_at_least").contains("threshold name");
  }

  @Test
  void rejectsMissingTemplatesAndMultiQuestionTemplates() {
    String noTimelineEn = edit("    en: \"When are you hoping to have a solution in place?\"\n", "");
    assertThat(rejects(noTimelineEn).getMessage()).startsWith("questions.timeline.en: missing template");

    String noTimeline = DEFAULT_YAML.replaceAll("(?s)  timeline:\\n    en:.*?(?=  company_size:)", "");
    PolicyException e = rejects(noTimeline);
    assertThat(e.getMessage()).isEqualTo("questions.timeline.en: missing template for required slot 'timeline' of tenant 'default'");

    assertThat(rejects(edit("Which company are you with?", "Which company? And your role?")).getMessage())
        .contains("questions.company.en").contains("exactly one question");
  }

  @Test
  void rejectsStructuralProblems() {
    assertThat(rejects("").getMessage()).contains("empty");
    assertThat(rejects("version: [").getMessage()).startsWith("not valid JSON/YAML");
    assertThat(rejects(DEFAULT_YAML.replace("version: \"2025.1-default\"\n", "")).getMessage())
        .isEqualTo("missing required key 'version'");
    assertThat(rejects(edit("  default:\n    framework", "  main:\n    framework")).getMessage())
        .contains("missing the 'default' tenant");
    assertThat(rejects(edit("- name: vip_account", "- name: existing_customer_support")).getMessage())
        .contains("duplicate rule name 'existing_customer_support'");
    assertThat(rejects(edit("- name: vip_account", "- name: kill_switch")).getMessage()).contains("reserved");
    assertThat(rejects(edit("strategy: round_robin ", "strategy: territory ")).getMessage())
        .contains("tenants.default.routing.territories").contains("at least one territory");
  }

  @Test
  void diffListsEffectiveChangesReadably() throws Exception {
    Policy active = Policy.defaults();
    Policy next = Policy.parse(edit("version: \"2025.1-default\"", "version: \"2025.2\"")
        .replace("    handoff: 65", "    handoff: 70")
        .replace("  - name: vip_account\n    when: {vip: true}\n    action: ESCALATE_TO_HUMAN\n", "")
        + "  - name: fallback_nurture\n    when: {score_below: nurture}\n    action: NONE\n");
    List<String> diff = next.diff(active);
    assertThat(diff).containsExactlyInAnyOrder(
        "changed version: 2025.1-default -> 2025.2",
        "changed scoring.thresholds.handoff: 65 -> 70",
        "removed rules.vip_account (was when {vip: true} => ESCALATE_TO_HUMAN)",
        "added rules.fallback_nurture: when {score_below: nurture} => NONE");
  }

  @Test
  void diffOfEquivalentDocumentsIsEmptyAndReportsReordering() throws Exception {
    // Leaving out a key whose value is the default changes nothing.
    Policy explicit = Policy.parse(edit("      prefer_account_owner: true    # a known account owner gets the handoff first\n", ""));
    assertThat(explicit.diff(Policy.defaults())).isEmpty();

    String swapped = edit("  - name: negative_sentiment\n    when: {sentiment_below: -0.6}\n    action: ESCALATE_TO_HUMAN\n", "")
        .replace("  - name: urgent_support\n", "  - name: negative_sentiment\n    when: {sentiment_below: -0.6}\n    action: ESCALATE_TO_HUMAN\n  - name: urgent_support\n");
    List<String> diff = Policy.parse(swapped).diff(Policy.defaults());
    assertThat(diff).hasSize(1);
    assertThat(diff.get(0)).startsWith("changed rule order: ").endsWith("-> existing_customer_support, vip_account, explicit_sales_request, demo_request, explicit_human_request, "
        + "souring_conversation, negative_sentiment, urgent_support, already_handed_off, support_request, "
        + "qualified_handoff, product_question, presales_question, long_timeline, ask_next_slot, incomplete_qualification");
  }

  @Test
  void publishedSchemaNamesExactlyTheKeysTheParserAccepts() throws Exception {
    JsonNode schema = new ObjectMapper().readTree(Policy.jsonSchema());
    assertThat(names(schema.at("/$defs/condition/properties"))).containsExactlyInAnyOrderElementsOf(Policy.CONDITION_KEYS);
    assertThat(names(schema.at("/properties"))).containsExactlyInAnyOrder(
        "version", "description", "tenants", "questions", "messages", "scoring", "rules");
    assertThat(names(schema.at("/$defs/defaultTenant/properties"))).containsExactlyInAnyOrder(
        "framework", "required_slots", "min_slot_confidence", "max_questions_per_session", "handoffs_per_hour",
        "handoff_sla_minutes", "routing", "retention");
    assertThat(names(schema.at("/$defs/tenant/properties"))).contains("retention");
    assertThat(names(schema.at("/$defs/retention/properties"))).containsExactlyInAnyOrder(
        "session_inactivity_minutes", "transcript_tail_turns", "archive_transcripts");
    assertThat(schema.at("/$defs/retention/properties/transcript_tail_turns/minimum").asInt()).isEqualTo(2);
    assertThat(schema.at("/$defs/retention/properties/session_inactivity_minutes/maximum").asInt()).isEqualTo(7 * 24 * 60);
    // Every top-level, tenant and condition key used by the default document is declared in the schema.
    ObjectNode doc = (ObjectNode) new ObjectMapper(new YAMLFactory()).readTree(DEFAULT_YAML);
    for (JsonNode rule : doc.get("rules")) {
      assertThat(names(schema.at("/$defs/condition/properties"))).containsAll(names(rule.get("when")));
    }
    assertThat(names(schema.at("/$defs/defaultTenant/properties"))).containsAll(names(doc.at("/tenants/default")));
    assertThat(schema.at("/$defs/rule/properties/action/enum").toString())
        .contains(ActionType.ESCALATE_TO_HUMAN.name(), ActionType.SUPPORT_ONLY.name());
  }

  private static List<String> names(JsonNode n) {
    List<String> out = new ArrayList<>();
    for (Iterator<String> it = n.fieldNames(); it.hasNext(); ) {
      out.add(it.next());
    }
    return out;
  }

  static final String DEFAULT_ARCHIVE = "      archive_transcripts: true       # turns leaving the tail and closed sessions' tails go to chat.archive\n";

  @Test
  void theDefaultPolicyLeavesInactivityAndTailToTheJobAndArchivesTranscripts() {
    assertThat(Policy.defaults().tenant("default").retention()).isEqualTo(new Policy.Retention(null, null, true));
    assertThat(Policy.defaults().tenant("anyone").retention()).isEqualTo(Policy.Retention.JOB_SETTINGS);
  }

  @Test
  void retentionIsPerTenantFieldByFieldOverTheDefaultAndShowsInTheDiff() throws Exception {
    Policy p = Policy.parse(edit(DEFAULT_ARCHIVE, "      session_inactivity_minutes: 45\n      archive_transcripts: true\n"));
    String withTenant = edit(DEFAULT_ARCHIVE, "      session_inactivity_minutes: 45\n      transcript_tail_turns: 8\n")
        .replace("\n# One polite question", "  acme:\n    retention:\n      archive_transcripts: false\n      transcript_tail_turns: 4\n\n# One polite question");
    Policy q = Policy.parse(withTenant);

    assertThat(p.tenant("default").retention()).isEqualTo(new Policy.Retention(Duration.ofMinutes(45), null, true));
    assertThat(q.tenant("default").retention()).isEqualTo(new Policy.Retention(Duration.ofMinutes(45), 8, true));
    assertThat(q.tenant("acme").retention()).isEqualTo(new Policy.Retention(Duration.ofMinutes(45), 4, false));
    assertThat(q.diff(Policy.defaults())).contains(
        "changed tenants.default.retention.session_inactivity_minutes: job setting -> 45",
        "changed tenants.default.retention.transcript_tail_turns: job setting -> 8",
        "added tenants.acme.retention.archive_transcripts: false",
        "added tenants.acme.retention.transcript_tail_turns: 4");
  }

  @Test
  void invalidRetentionIsRejectedWithItsPath() {
    assertThat(rejects(edit(DEFAULT_ARCHIVE, "      session_inactivity_minutes: 10\n")).getMessage())
        .contains("tenants.default.retention.session_inactivity_minutes")
        .contains("shorter than handoff_sla_minutes 15");
    assertThat(rejects(edit(DEFAULT_ARCHIVE, "      transcript_tail_turns: 1\n")).getMessage())
        .contains("tenants.default.retention.transcript_tail_turns").contains("out of range 2..200");
    assertThat(rejects(edit(DEFAULT_ARCHIVE, "      keep_forever: true\n")).getMessage())
        .contains("tenants.default.retention.keep_forever").contains("unknown key");
    assertThat(rejects(edit(DEFAULT_ARCHIVE, "      archive_transcripts: sometimes\n")).getMessage())
        .contains("tenants.default.retention.archive_transcripts").contains("true or false");
    // A tenant that lengthens its SLA past the default's inactivity is caught too.
    String tenant = edit(DEFAULT_ARCHIVE, "      session_inactivity_minutes: 20\n")
        .replace("\n# One polite question", "  acme:\n    handoff_sla_minutes: 30\n\n# One polite question");
    assertThat(rejects(tenant).getMessage()).contains("tenants.acme.retention.session_inactivity_minutes");
  }
}
