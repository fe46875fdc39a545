package dev.leadqual.sql;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.time.temporal.TemporalAccessor;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.flink.table.api.EnvironmentSettings;
import org.apache.flink.table.api.ResultKind;
import org.apache.flink.table.api.TableEnvironment;
import org.apache.flink.table.api.TableResult;
import org.apache.flink.types.Row;
import org.apache.flink.types.RowKind;
import org.apache.flink.util.CloseableIterator;

/**
 * A Flink SQL session over the job's outputs: a batch {@link TableEnvironment} (every table is a
 * bounded snapshot of its topic) in UTC, with the tables and views registered; runs scripts and
 * prints what queries return as a table, JSON or CSV.
 */
public final class SqlSession implements AutoCloseable {

    /** How results are printed. */
    public enum Format {
        /** Flink's tableau, as the SQL client prints it. */
        TABLE,
        /** One JSON line per result: {"query", "statement" (null for a named query), "columns", "rows": [{column: value}]}. */
        JSON,
        /** A header line and one line per row (RFC 4180); nested values as JSON. */
        CSV
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    /** Statements that run a job over the tables: each reads the tables as committed when it starts. */
    private static final Set<String> READS = Set.of("SELECT", "WITH", "INSERT", "EXECUTE", "VALUES", "TABLE");

    private final TableEnvironment env;
    private final CommittedOffsets committed;
    private final Format format;
    private final PrintStream out;
    private volatile TableResult running;

    public SqlSession(OutputTables.Connection connection, Format format, PrintStream out) {
        // Each query runs on its own embedded Flink (Flink's local executor). One shared embedded
        // cluster with queries submitted over REST saved ~1.5 s of CPU a query; it was dropped for
        // queries that returned no rows, most likely the records the test broker's retention had
        // deleted (sql/README.md, "Retention and event time"), not its result client.
        this.env = TableEnvironment.create(EnvironmentSettings.inBatchMode());
        env.getConfig().set("table.local-time-zone", "UTC");
        env.getConfig().set("table.display.max-column-width", "40");
        this.format = format;
        this.out = out;
        OutputTables.register(env, connection);
        this.committed = new CommittedOffsets(connection);
    }

    @Override
    public void close() {
        cancelRunning();
        committed.close();
    }

    public TableEnvironment environment() {
        return env;
    }

    /** Runs every statement of a script in order and prints the results; {@code source} names the script (may be null). */
    public void run(String source, String script) {
        for (String statement : SqlScript.statements(script)) {
            execute(source, statement, statement);
        }
    }

    /** Runs a named query and prints its result under its name. */
    public void run(NamedQuery query) {
        for (String statement : SqlScript.statements(query.sql())) {
            execute(query.name(), statement, null);
        }
    }

    /** Cancels the statement being executed, if any (Ctrl-C in the shell). */
    public void cancelRunning() {
        TableResult r = running;
        if (r != null) {
            r.getJobClient().ifPresent(job -> job.cancel());
        }
    }

    /** {@code shown} is the statement as printed with a JSON result (null: the query name says it). */
    private void execute(String query, String statement, String shown) {
        if (READS.contains(SqlScript.firstKeyword(statement))) {
            committed.pinNow().forEach(env::executeSql);
        }
        TableResult result = env.executeSql(statement);
        running = result;
        try {
            if (result.getResultKind() != ResultKind.SUCCESS_WITH_CONTENT) {
                if (format == Format.TABLE) {
                    result.print();
                }
                return;
            }
            switch (format) {
                case TABLE -> result.print();
                case JSON -> printJson(query, shown, result);
                case CSV -> printCsv(result);
            }
        } finally {
            running = null;
        }
    }

    private void printJson(String query, String statement, TableResult result) {
        List<String> columns = result.getResolvedSchema().getColumnNames();
        ObjectNode doc = JSON.createObjectNode();
        doc.put("query", query);
        doc.put("statement", statement);
        ArrayNode cols = doc.putArray("columns");
        columns.forEach(cols::add);
        ArrayNode rows = doc.putArray("rows");
        try (CloseableIterator<Row> it = result.collect()) {
            while (it.hasNext()) {
                Row row = it.next();
                Map<String, Object> values = new LinkedHashMap<>();
                if (row.getKind() != RowKind.INSERT) {
                    values.put("_op", row.getKind().shortString());
                }
                for (int i = 0; i < columns.size(); i++) {
                    values.put(columns.get(i), plain(row.getField(i)));
                }
                rows.add(JSON.valueToTree(values));
            }
        } catch (Exception e) {
            throw new IllegalStateException("reading the result failed: " + e.getMessage(), e);
        }
        out.println(doc);
    }

    private void printCsv(TableResult result) {
        List<String> columns = result.getResolvedSchema().getColumnNames();
        out.println(String.join(",", columns.stream().map(SqlSession::csv).toList()));
        try (CloseableIterator<Row> it = result.collect()) {
            while (it.hasNext()) {
                Row row = it.next();
                List<String> cells = new ArrayList<>();
                for (int i = 0; i < columns.size(); i++) {
                    Object v = plain(row.getField(i));
                    cells.add(v == null ? "" : csv(v instanceof Map || v instanceof List ? JSON.writeValueAsString(v) : v.toString()));
                }
                out.println(String.join(",", cells));
            }
        } catch (Exception e) {
            throw new IllegalStateException("reading the result failed: " + e.getMessage(), e);
        }
    }

    /** A result value as JSON-friendly Java: numbers, booleans, strings (ISO times, base64 bytes), lists, maps. */
    static Object plain(Object v) {
        if (v == null || v instanceof Number && !(v instanceof BigDecimal) || v instanceof Boolean || v instanceof String) {
            if (v instanceof Double d && (d.isNaN() || d.isInfinite())) {
                return d.toString();
            }
            return v;
        }
        if (v instanceof BigDecimal d) {
            return d;
        }
        if (v instanceof TemporalAccessor) {
            return v.toString();
        }
        if (v instanceof byte[] bytes) {
            return Base64.getEncoder().encodeToString(bytes);
        }
        if (v instanceof Map<?, ?> m) {
            Map<String, Object> out = new LinkedHashMap<>();
            m.forEach((k, val) -> out.put(String.valueOf(k), plain(val)));
            return out;
        }
        if (v instanceof Object[] array) {
            List<Object> out = new ArrayList<>();
            for (Object e : array) {
                out.add(plain(e));
            }
            return out;
        }
        if (v instanceof Row r) {
            var names = r.getFieldNames(true);
            if (names == null) {
                List<Object> out = new ArrayList<>();
                for (int i = 0; i < r.getArity(); i++) {
                    out.add(plain(r.getField(i)));
                }
                return out;
            }
            Map<String, Object> out = new LinkedHashMap<>();
            names.forEach(n -> out.put(n, plain(r.getField(n))));
            return out;
        }
        return v.toString();
    }

    private static String csv(String s) {
        return s.contains(",") || s.contains("\"") || s.contains("\n") || s.contains("\r")
                ? "\"" + s.replace("\"", "\"\"") + "\"" : s;
    }
}
