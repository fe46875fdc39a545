package dev.leadqual.control;

import dev.leadqual.schema.SessionOutcome;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Win rate by score bucket from the warehouse's sales-outcome rows: is a lead scored 80 really more
 * likely to close than one scored 50? The table score weights and thresholds are tuned from. Also
 * used by the backtest, per policy, on the scores each policy gives the same conversations.
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

    /** One bucket's counts: scores {@code from}..{@code to} (inclusive). */
    public record Row(int from, int to, int leads, int meetings, int won, int lost, int noShows) {
        /** won / (won + lost), or null before any lead in the bucket closed. */
        public Double winRate() {
            return won + lost == 0 ? null : (double) won / (won + lost);
        }
    }

    private final int width;
    private final Map<Integer, Bucket> buckets = new TreeMap<>();
    private final Map<String, Integer> scoreByLead = new HashMap<>();

    public Calibration(int bucketWidth) {
        this.width = bucketWidth;
    }

    /** The bucket index of a score (0..100) with buckets of {@code width} points; 100 is in the last one. */
    public static int bucket(int score, int width) {
        return Math.max(0, Math.min(100 / width - 1, score / width));
    }

    /** "from-to" of bucket {@code index}; the last bucket runs to 100. */
    public static String bucketLabel(int index, int width) {
        return index * width + "-" + (index == 100 / width - 1 ? 100 : index * width + width - 1);
    }

    public void add(SessionOutcome row) {
        if (row.getSalesOutcome() == null || row.getLeadId() == null) {
            return;
        }
        add(row.getLeadId(), row.getFinalScore(), row.getSalesOutcome());
    }

    /** One sales outcome of a lead; the lead's first score counts for all its outcomes. */
    public void add(String leadId, int finalScore, String salesOutcome) {
        int score = scoreByLead.computeIfAbsent(leadId, l -> finalScore);
        Bucket b = buckets.computeIfAbsent(bucket(score, width), k -> new Bucket());
        b.leads.add(leadId);
        switch (salesOutcome) {
            case "MEETING_BOOKED" -> b.meetings++;
            case "WON" -> b.won++;
            case "LOST" -> b.lost++;
            case "NO_SHOW" -> b.noShows++;
            default -> { }
        }
    }

    /** The buckets that have leads with outcomes, lowest score first. */
    public List<Row> rows() {
        List<Row> rows = new ArrayList<>();
        buckets.forEach((k, b) -> {
            int to = k == 100 / width - 1 ? 100 : k * width + width - 1;
            rows.add(new Row(k * width, to, b.leads.size(), b.meetings, b.won, b.lost, b.noShows));
        });
        return rows;
    }

    public void print(PrintStream out) {
        out.printf("%-9s %6s %9s %5s %5s %8s %9s%n", "score", "leads", "meetings", "won", "lost", "no-show", "win rate");
        for (Row r : rows()) {
            out.printf("%3d-%-5d %6d %9d %5d %5d %8d %9s%n", r.from(), r.to(), r.leads(), r.meetings(), r.won(), r.lost(),
                    r.noShows(), r.winRate() == null ? "-" : String.format("%.0f%%", 100 * r.winRate()));
        }
        if (buckets.isEmpty()) {
            out.println("(no sales outcomes yet)");
        }
    }

    /** Win rate per bucket start, for tests and tools. */
    public Map<Integer, Double> winRates() {
        Map<Integer, Double> m = new TreeMap<>();
        for (Row r : rows()) {
            if (r.winRate() != null) {
                m.put(r.from(), r.winRate());
            }
        }
        return m;
    }
}
