package dev.leadqual.statetools;

import dev.leadqual.replay.ChatLines;
import dev.leadqual.schema.ChatEvent;
import dev.leadqual.schema.SenderRole;
import dev.leadqual.schema.state.SessionMemory;
import dev.leadqual.schema.state.TranscriptTurn;
import dev.leadqual.udfs.qualify.LeadScorer;
import dev.leadqual.udfs.qualify.Policy;
import dev.leadqual.udfs.qualify.SessionMemories;
import dev.leadqual.udfs.redact.Redactor;
import dev.leadqual.udfs.understand.Understander;
import dev.leadqual.udfs.understand.Understanding;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongConsumer;
import org.apache.flink.state.api.SavepointWriter;
import org.apache.flink.state.rocksdb.EmbeddedRocksDBStateBackend;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * {@code state bootstrap}: session memory rebuilt from archived turns, as a fresh savepoint the job
 * can start from (e.g. after state was lost, or when moving sessions from another system). Each
 * session's turns are applied in time order with the job's own understanding and memory logic
 * ({@link SessionMemories#remember}, {@link LeadScorer}); the newest turns become the transcript
 * tail, every event id is remembered for deduplication, and an inactivity timer is set so the
 * session closes as usual. Past decisions are not replayed: the job decides afresh on the next
 * message (a filled slot is never asked).
 *
 * <p>Input lines (JSON, read by {@link ChatLines}): {@code chat.archive} records ({@code session_id,
 * tenant_id, event_id, sender_role, redacted_text, sent_at}) or replay lines ({@code session_id, text,
 * event_id, role, sent_at, tenant_id, language}); {@code sent_at} (required here) as epoch millis or
 * ISO-8601.
 */
public final class ArchiveBootstrap {

    public record Options(Duration inactivity, int tailTurns, Path policyFile) {}

    public record Result(long sessions, long turns, List<String> badLines) {}

    private ArchiveBootstrap() {}

    public static Result run(Path archive, String out, Options options, StateTools.Ttls ttls, LongConsumer progress)
            throws Exception {
        List<String> bad = new ArrayList<>();
        Map<String, List<ChatEvent>> bySession = read(archive, bad);
        Policy policy = options.policyFile() == null ? Policy.defaults()
                : Policy.parse(Files.readString(options.policyFile()));
        Understander understander = Understander.loadDefault();
        List<SessionState> qualify = new ArrayList<>();
        List<SessionState> dedup = new ArrayList<>();
        long turns = 0;
        for (Map.Entry<String, List<ChatEvent>> e : bySession.entrySet()) {
            SessionState[] s = rebuild(e.getKey(), e.getValue(), understander, policy, options);
            qualify.add(s[0]);
            dedup.add(s[1]);
            turns += s[1].seenEventIds.size();
            progress.accept(qualify.size());
        }
        if (qualify.isEmpty()) {
            return new Result(0, 0, bad);
        }
        StreamExecutionEnvironment env = StateTools.writingEnvironment();
        SavepointWriter.newSavepoint(env, new EmbeddedRocksDBStateBackend(), dev.leadqual.state.StateLayout.MAX_PARALLELISM)
                .withOperator(StateTools.QUALIFY, StateTools.qualifyBootstrap(
                        env.fromData(qualify, SessionState.typeInfo()).name("archived sessions"), ttls))
                .withOperator(StateTools.DEDUPLICATE, StateTools.dedupBootstrap(
                        env.fromData(dedup, SessionState.typeInfo()).name("archived event ids"), ttls))
                .write(StateTools.location(out));
        env.execute("leadqual state bootstrap");
        return new Result(qualify.size(), turns, bad);
    }

    /** [qualify state, dedup state] of one session, as the job would hold them after these events. */
    static SessionState[] rebuild(String session, List<ChatEvent> events, Understander understander, Policy policy,
            Options options) {
        SessionMemory m = null;
        List<TranscriptTurn> tail = new ArrayList<>();
        Map<String, Long> seen = new LinkedHashMap<>();
        for (ChatEvent e : events) {
            long at = e.getSentAt().toEpochMilli();
            if (seen.putIfAbsent(e.getEventId(), at) != null) {
                continue; // a redelivery, as the dedup stage would drop it
            }
            if (m == null) {
                m = SessionMemories.fresh(e);
            }
            Understanding u = e.getSenderRole() == SenderRole.VISITOR && e.getText() != null
                    ? understander.understand(e.getText(), e.getLocale(), at)
                    : null;
            SessionMemories.remember(m, e, u, policy);
            if (e.getText() != null) {
                String text = Redactor.redact(e.getText());
                tail.add(TranscriptTurn.newBuilder().setEventId(e.getEventId()).setRole(e.getSenderRole())
                        .setText(text.length() <= 500 ? text : text.substring(0, 500)).setSentAt(at).build());
            }
            if (u != null) {
                m.setScore(LeadScorer.score(m, null, policy).total());
            }
        }
        if (tail.size() > options.tailTurns()) {
            tail = new ArrayList<>(tail.subList(tail.size() - options.tailTurns(), tail.size()));
        }
        m.setTailSize(tail.size());
        // The job's inactivity timer, coalesced to the second as QualifySession does.
        long due = ((m.getLastEventAt() + options.inactivity().toMillis()) / 1000 + 1) * 1000;
        m.setInactivityTimer(due);
        return new SessionState[] {
            SessionState.qualify(session, m, tail, new ArrayList<>(List.of(due))),
            SessionState.dedup(session, seen)};
    }

    /** Turns by session, each session's in time order (input order among equal times). */
    static Map<String, List<ChatEvent>> read(Path archive, List<String> bad) throws IOException {
        Map<String, List<ChatEvent>> bySession = new LinkedHashMap<>();
        for (ChatEvent e : ChatLines.read(archive, bad, true)) {
            bySession.computeIfAbsent(e.getSessionId(), k -> new ArrayList<>()).add(e);
        }
        bySession.values().forEach(l -> l.sort(Comparator.comparing(ChatEvent::getSentAt)));
        return bySession;
    }
}
