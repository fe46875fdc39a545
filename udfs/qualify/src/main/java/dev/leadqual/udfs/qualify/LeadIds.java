package dev.leadqual.udfs.qualify;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Deterministic ids, so that replays and redeliveries update records rather than duplicate them:
 * {@code prefix-} + the first 16 hex digits of SHA-256 over the parts joined with U+0000.
 */
public final class LeadIds {
  private LeadIds() {}

  /** {@code lead-…} from tenant and session: one lead per session. */
  public static String leadId(String tenantId, String sessionId) {
    return id("lead", tenantId, sessionId);
  }

  /** {@code act-…}: the action caused by an event. */
  public static String actionId(String sessionId, String eventId) {
    return id("act", sessionId, eventId);
  }

  /** {@code aud-…}: the audit record of the decision on an event. */
  public static String auditId(String sessionId, String eventId) {
    return id("aud", sessionId, eventId);
  }

  /** {@code ho-…}: a handoff of a lead; {@code escalation} 0 for the first, n for the n-th re-escalation. */
  public static String handoffId(String leadId, int escalation) {
    return id("ho", leadId, Integer.toString(escalation));
  }

  /** {@code out-…}: a session's outcome record. */
  public static String outcomeId(String tenantId, String sessionId) {
    return id("out", tenantId, sessionId);
  }

  /** {@code metric-…}: the per-decision metric of an event. */
  public static String metricId(String sessionId, String eventId) {
    return id("metric", sessionId, eventId);
  }

  /** One digest per thread: ids are made for every message, the lookup of the algorithm is not free. */
  private static final ThreadLocal<MessageDigest> SHA_256 = ThreadLocal.withInitial(() -> {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  });

  /** {@code prefix-} + 16 hex digits of SHA-256(parts joined by U+0000; null as empty). */
  public static String id(String prefix, String... parts) {
    MessageDigest sha = SHA_256.get();
    sha.reset();
    for (int i = 0; i < parts.length; i++) {
      if (i > 0) {
        sha.update((byte) 0);
      }
      if (parts[i] != null) {
        sha.update(parts[i].getBytes(StandardCharsets.UTF_8));
      }
    }
    return prefix + "-" + HexFormat.of().formatHex(sha.digest(), 0, 8);
  }
}
