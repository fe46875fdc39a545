package dev.leadqual.backtest;

import dev.leadqual.io.JsonLines;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * What sales made of past conversations, for win rates and calibration: JSON lines with
 * {@code outcome} ({@code MEETING_BOOKED, NO_SHOW, WON, LOST, OTHER}) and {@code session_id} or
 * {@code lead_id} — e.g. {@code crm.outcomes} records ({@code LeadOutcome}) as JSON. A lead id is the
 * job's deterministic one, so it matches whichever policy qualified the session. A conversation may
 * have several outcomes (a meeting, then won).
 */
public final class SalesOutcomes {

    private static final Set<String> KINDS = Set.of("MEETING_BOOKED", "NO_SHOW", "WON", "LOST", "OTHER");

    private final Map<String, Set<String>> byId = new HashMap<>();

    private SalesOutcomes() {}

    /** No outcomes (none given). */
    public static SalesOutcomes none() {
        return new SalesOutcomes();
    }

    /** Reads outcome lines; unusable lines are reported in {@code badLines} and skipped. */
    public static SalesOutcomes read(Path file, List<String> badLines) throws IOException {
        SalesOutcomes o = new SalesOutcomes();
        JsonLines.read(file, badLines, (j, n) -> {
            String id = j.hasNonNull("session_id") ? j.get("session_id").asText()
                    : j.hasNonNull("lead_id") ? j.get("lead_id").asText() : null;
            String kind = j.path("outcome").asText("").trim().toUpperCase(Locale.ROOT);
            if (id == null || !KINDS.contains(kind)) {
                return "needs session_id or lead_id, and outcome (one of " + KINDS + ")";
            }
            o.byId.computeIfAbsent(id, k -> new LinkedHashSet<>()).add(kind);
            return null;
        });
        return o;
    }

    public boolean isEmpty() {
        return byId.isEmpty();
    }

    /** Every outcome recorded for the session (by session id or lead id), in input order; empty if none. */
    public List<String> of(SessionResult s) {
        List<String> all = new ArrayList<>(byId.getOrDefault(s.sessionId(), Set.of()));
        byId.getOrDefault(s.leadId(), Set.of()).stream().filter(k -> !all.contains(k)).forEach(all::add);
        return all;
    }

    /** WON or LOST when the deal closed (WON wins over a later LOST of the same lead), else null. */
    public String closed(SessionResult s) {
        List<String> all = of(s);
        return all.contains("WON") ? "WON" : all.contains("LOST") ? "LOST" : null;
    }

    /** A meeting happened: booked, or the deal was won. */
    public boolean meeting(SessionResult s) {
        List<String> all = of(s);
        return all.contains("MEETING_BOOKED") || all.contains("WON");
    }
}
