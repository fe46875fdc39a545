package dev.leadqual.udfs.qualify;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LeadIdsTest {
  @Test
  void idsAreDeterministicPrefixedAndDistinct() {
    String lead = LeadIds.leadId("acme", "s-1");
    assertThat(lead).matches("lead-[0-9a-f]{16}").isEqualTo(LeadIds.leadId("acme", "s-1"));
    assertThat(LeadIds.leadId("acme", "s-2")).isNotEqualTo(lead);
    assertThat(LeadIds.leadId("acm", "es-1")).as("parts are delimited").isNotEqualTo(LeadIds.leadId("acme", "s-1"));
    assertThat(LeadIds.actionId("s-1", "e-1")).startsWith("act-").isNotEqualTo(LeadIds.actionId("s-1", "e-2"));
    assertThat(LeadIds.auditId("s-1", "e-1")).startsWith("aud-");
    assertThat(LeadIds.handoffId(lead, 0)).isNotEqualTo(LeadIds.handoffId(lead, 1));
    // SHA-256("acme\0s-1") — pinned so a refactoring cannot silently change every lead id.
    assertThat(lead).isEqualTo("lead-09727782e15f33ca");
  }
}
