package dev.leadqual.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The figures of one bench run. {@code results.json} holds exactly the keys of the contract (issue 6),
 * a number or null when a phase did not run or failed; {@code details.json} holds everything else
 * (method, counts, secondary figures, errors).
 */
public final class BenchResults {

    /** The contract's keys, in order. Other tools rely on them: never rename or drop one. */
    public static final List<String> KEYS = List.of(
            "baseline_events_per_s", "pipeline_events_per_s", "ratio", "kafka_events_per_s", "latency_rate_per_s",
            "p50_ms", "p99_ms", "p999_ms", "state_bytes_per_session", "restore_s_1m_sessions", "nlu_us_per_message",
            "cores", "parallelism", "git_commit");

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final Map<String, Object> values = new LinkedHashMap<>();
    private final ObjectNode details = JSON.createObjectNode();

    public BenchResults() {
        KEYS.forEach(k -> values.put(k, null));
    }

    public void put(String key, Object value) {
        if (!values.containsKey(key)) {
            throw new IllegalArgumentException("not a contract key: " + key);
        }
        // JSON has no NaN: a figure that could not be measured is null.
        values.put(key, value instanceof Double d ? (Double.isNaN(d) || Double.isInfinite(d) ? null : round(d)) : value);
    }

    public Object get(String key) {
        return values.get(key);
    }

    public ObjectNode details() {
        return details;
    }

    public void write(Path dir) throws IOException {
        Files.createDirectories(dir);
        ObjectNode o = JSON.createObjectNode();
        values.forEach((k, v) -> o.set(k, JSON.valueToTree(v)));
        JSON.writeValue(dir.resolve("results.json").toFile(), o);
        JSON.writeValue(dir.resolve("details.json").toFile(), details);
    }

    /** Rounds to three significant decimals for small numbers, one for large. */
    /** A figure into details.json, rounded like results.json; one that could not be measured (NaN, infinite) is null. */
    public static void figure(com.fasterxml.jackson.databind.node.ObjectNode o, String key, double value) {
        if (Double.isNaN(value) || Double.isInfinite(value)) {
            o.putNull(key);
        } else {
            o.put(key, round(value));
        }
    }

    static double round(double d) {
        if (Double.isNaN(d) || Double.isInfinite(d)) {
            return d;
        }
        double scale = Math.abs(d) >= 100 ? 10 : 1000;
        return Math.round(d * scale) / scale;
    }

    /** The table: figure, value, target, status. */
    public void print(PrintStream out) {
        out.println();
        out.printf("%-24s %16s   %-22s %s%n", "figure", "value", "target", "status");
        out.println("-".repeat(80));
        row(out, "baseline_events_per_s", null, 0, false);
        row(out, "pipeline_events_per_s", null, 0, false);
        row(out, "ratio", ">= 0.5", 0.5, true);
        row(out, "kafka_events_per_s", null, 0, false);
        row(out, "latency_rate_per_s", null, 0, false);
        row(out, "p50_ms", null, 0, false);
        row(out, "p99_ms", "<= 50", 50, false);
        row(out, "p999_ms", null, 0, false);
        row(out, "state_bytes_per_session", "<= 2048", 2048, false);
        row(out, "restore_s_1m_sessions", "<= 30", 30, false);
        row(out, "nlu_us_per_message", "<= 10", 10, false);
        row(out, "cores", null, 0, false);
        row(out, "parallelism", null, 0, false);
        row(out, "git_commit", null, 0, false);
        out.println();
    }

    private void row(PrintStream out, String key, String target, double bound, boolean atLeast) {
        Object v = values.get(key);
        String status = "";
        if (target != null) {
            if (v instanceof Number n) {
                boolean ok = atLeast ? n.doubleValue() >= bound : n.doubleValue() <= bound;
                status = ok ? "met" : "NOT met";
            } else {
                status = "not measured";
            }
        }
        String shown = v == null ? "-" : v instanceof Double d && Math.abs(d) >= 1000 ? String.format("%,.0f", d) : String.valueOf(v);
        out.printf("%-24s %16s   %-22s %s%n", key, shown, target == null ? "" : target, status);
    }
}
