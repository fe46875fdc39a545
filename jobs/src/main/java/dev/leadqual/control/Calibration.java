package dev.leadqual.control;

import dev.leadqual.schema.SessionOutcome;
import java.io.PrintStream;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Win rate by score bucket from the warehouse's sales-outcome rows: is a lead scored 80 really more
 * likely to close than one scored 50? The table score weights and thresholds are tuned from.
 */
public final class Calibration {

    /** Per bucket: leads with any outcome, meetings booked, won, lost, no-shows. */
    static final class Bucket {
        final Set<String> leads = new HashSet<>();
        int meetings;
        int won;
        int lost;
        int noShows;
    }

    private final int width;
    private final Map<Integer, Bucket> buckets = new TreeMap<>();
    private final Map<String, Integer> scoreByLead = new HashMap<>();

    public Calibration(int bucketWidth) {
        this.width = bucketWidth;
    }

    public void add(SessionOutcome row) {
        if (row.getSalesOutcome() == null || row.getLeadId() == null) {
            return;
        }
        int score = scoreByLead.computeIfAbsent(row.getLeadId(), l -> row.getFinalScore());
        Bucket b = buckets.computeIfAbsent(Math.min(100 / width - 1, score / width), k -> new Bucket());
        b.leads.add(row.getLeadId());
        switch (row.getSalesOutcome()) {
            case "MEETING_BOOKED" -> b.meetings++;
            case "WON" -> b.won++;
            case "LOST" -> b.lost++;
            case "NO_SHOW" -> b.noShows++;
            default -> { }
        }
    }

    public void print(PrintStream out) {
        out.printf("%-9s %6s %9s %5s %5s %8s %9s%n", "score", "leads", "meetings", "won", "lost", "no-show", "win rate");
        buckets.forEach((k, b) -> {
            int closed = b.won + b.lost;
            out.printf("%3d-%-5d %6d %9d %5d %5d %8d %9s%n", k * width, k * width + width - 1, b.leads.size(), b.meetings,
                    b.won, b.lost, b.noShows, closed == 0 ? "-" : String.format("%.0f%%", 100.0 * b.won / closed));
        });
        if (buckets.isEmpty()) {
            out.println("(no sales outcomes yet)");
        }
    }

    /** Win rate per bucket start, for tests and tools. */
    public Map<Integer, Double> winRates() {
        Map<Integer, Double> m = new TreeMap<>();
        buckets.forEach((k, b) -> {
            if (b.won + b.lost > 0) {
                m.put(k * width, (double) b.won / (b.won + b.lost));
            }
        });
        return m;
    }
}
