package dev.leadqual.functions;

import dev.leadqual.config.JobSettings;
import dev.leadqual.udfs.qualify.Policy;
import java.io.Serializable;
import java.time.Duration;

/**
 * The retention in force for a session: the active policy's {@code retention} for the session's
 * tenant, over the job's settings where the policy leaves a field unset. Read at every message and
 * timer, so a published policy applies from the next message of every session.
 *
 * <p>What the policy governs live: the inactivity that closes a session (memory and transcript tail
 * are archived and cleared then), the length of the transcript tail, and whether transcripts go to
 * the archive. What stays a job setting: the state TTLs ({@code --state.ttl}, {@code --dedup.ttl},
 * {@code --outcome.retention}), because a TTL is part of its state descriptor, fixed when the
 * operator opens and before the state's first use (adding or removing it later breaks restore).
 * The policy's inactivity is capped at {@code --state.ttl}, so the session closes (with its outcome)
 * before its state could expire unseen.
 */
final class SessionRetention implements Serializable {

    private final long jobInactivityMs;
    private final int jobTailTurns;
    private final long stateTtlMs;

    SessionRetention(JobSettings settings) {
        this.jobInactivityMs = settings.sessionInactivity().toMillis();
        this.jobTailTurns = settings.transcriptTail();
        this.stateTtlMs = settings.stateTtl().toMillis();
    }

    /** Silence after the last message that closes the session. */
    long inactivityMs(Policy policy, String tenant) {
        Duration d = policy.tenant(tenant).retention().sessionInactivity();
        return d == null ? jobInactivityMs : Math.min(d.toMillis(), stateTtlMs);
    }

    /** Turns kept in the transcript tail (it holds up to twice this before the oldest leave). */
    int tailTurns(Policy policy, String tenant) {
        Integer n = policy.tenant(tenant).retention().transcriptTailTurns();
        return n == null ? jobTailTurns : n;
    }

    /** Whether turns leaving the tail, and a closed session's tail, go to the archive. */
    boolean archives(Policy policy, String tenant) {
        return policy.tenant(tenant).retention().archiveTranscripts();
    }
}
