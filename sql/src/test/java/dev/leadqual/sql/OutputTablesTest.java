package dev.leadqual.sql;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.flink.avro.shaded.org.apache.avro.Schema;
import org.apache.flink.formats.avro.typeutils.AvroSchemaConverter;
import org.apache.flink.table.api.EnvironmentSettings;
import org.apache.flink.table.api.TableEnvironment;
import org.apache.flink.table.catalog.Column;
import org.apache.flink.table.catalog.ObjectPath;
import org.apache.flink.table.catalog.exceptions.TableNotExistException;
import org.apache.flink.table.catalog.ResolvedSchema;
import org.apache.flink.table.types.logical.RowType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The DDL against the job's contracts (schemas/src/main/avro): every table reads its record with the
 * record's own schema, and its columns are exactly what Flink derives from that schema (the format
 * refuses anything else at query time). Every view and named query plans. No Kafka needed: tables
 * connect only when a query runs.
 */
class OutputTablesTest {

    private static final Path AVRO = Path.of("..", "schemas", "src", "main", "avro");
    private static final OutputTables.Connection NOWHERE = OutputTables.Connection.of("127.0.0.1:9", "http://127.0.0.1:9");

    private static Map<String, Schema> records;
    private static TableEnvironment env;

    @BeforeAll
    static void setUp() throws IOException {
        records = contracts();
        env = TableEnvironment.create(EnvironmentSettings.inBatchMode());
        OutputTables.register(env, NOWHERE);
    }

    @Test
    void everyTableReadsItsRecordWithTheContractsSchemaAndColumns() {
        Map<String, String> tables = Map.of(
                "leads", "QualifiedLead", "next_actions", "NextAction", "sales_handoffs", "SalesHandoff",
                "session_outcomes", "SessionOutcome", "qualification_metrics", "QualificationMetric",
                "decision_audit", "DecisionAudit", "archived_turns", "ArchivedTurn", "dead_letters", "DeadLetter");
        assertThat(OutputTables.defaultTopics()).containsOnlyKeys(tables.keySet());
        for (var t : tables.entrySet()) {
            Schema contract = records.get(t.getValue());
            Schema reader = new Schema.Parser().parse(options(env, t.getKey()).get("value.avro-confluent.schema"));
            assertThat(reader).as("%s reads with %s.avsc (docs aside)", t.getKey(), t.getValue()).isEqualTo(contract);

            RowType expected = (RowType) AvroSchemaConverter.convertToDataType(contract.toString()).getLogicalType();
            ResolvedSchema schema = env.from(t.getKey()).getResolvedSchema();
            List<String> physical = schema.getColumns().stream().filter(Column::isPhysical)
                    .map(c -> c.getName() + " " + c.getDataType().getLogicalType().asSerializableString()).toList();
            List<String> derived = expected.getFields().stream()
                    .map(f -> f.getName() + " " + f.getType().asSerializableString()).toList();
            assertThat(physical).as("%s columns, in the record's field order", t.getKey()).isEqualTo(derived);
        }
    }

    @Test
    void everyViewAndNamedQueryPlans() {
        // closed_sessions and sales_outcomes are planned with the queries that use them
        assertThat(env.explainSql("SELECT * FROM leads_latest")).contains("TableSourceScan");
        assertThat(NamedQuery.all()).extracting(NamedQuery::name).contains("time_to_qualification",
                "escalation_rate", "slot_completeness", "funnel", "dead_letters_by_reason");
        for (NamedQuery q : NamedQuery.all()) {
            assertThat(q.description()).as(q.name()).isNotBlank();
            List<String> statements = SqlScript.statements(q.sql());
            assertThat(statements).as(q.name()).hasSize(1);
            assertThat(env.explainSql(statements.get(0))).as(q.name()).contains("TableSourceScan");
        }
    }

    @Test
    void renamesPropertiesAndCredentialsAreAppliedToEveryTable() {
        var c = new OutputTables.Connection("b:1", "http://r", Map.of("security.protocol", "SASL_SSL"), "u:p",
                Map.of("crm.leads", "crm.leads.v2"));
        TableEnvironment e = TableEnvironment.create(EnvironmentSettings.inBatchMode());
        OutputTables.register(e, c);
        Map<String, String> leads = options(e, "leads");
        assertThat(leads).containsEntry("topic", "crm.leads.v2")
                .containsEntry("properties.bootstrap.servers", "b:1")
                .containsEntry("properties.security.protocol", "SASL_SSL")
                .containsEntry("value.avro-confluent.url", "http://r")
                .containsEntry("value.avro-confluent.basic-auth.user-info", "u:p")
                .containsEntry("properties.isolation.level", "read_committed");
        assertThat(options(e, "next_actions")).containsEntry("topic", "chat.actions")
                .containsEntry("properties.security.protocol", "SASL_SSL");
    }

    @Test
    void namedQueriesAreFoundWithDashesOrUnderscores() {
        assertThat(NamedQuery.find("dead-letters-by-reason")).get().extracting(NamedQuery::name)
                .isEqualTo("dead_letters_by_reason");
        assertThat(NamedQuery.find("Funnel.sql")).isPresent();
        assertThat(NamedQuery.find("nope")).isEmpty();
    }

    private static Map<String, String> options(TableEnvironment e, String table) {
        try {
            return e.getCatalog(e.getCurrentCatalog()).orElseThrow()
                    .getTable(new ObjectPath(e.getCurrentDatabase(), table)).getOptions();
        } catch (TableNotExistException x) {
            throw new AssertionError(x);
        }
    }

    /** Every record of schemas/src/main/avro by simple name, named types resolved (common/ first). */
    private static Map<String, Schema> contracts() throws IOException {
        Schema.Parser parser = new Schema.Parser();
        Map<String, Schema> out = new HashMap<>();
        for (String dir : List.of("common", "control", "events", "outputs")) {
            try (Stream<Path> files = Files.list(AVRO.resolve(dir))) {
                for (Path f : files.sorted().toList()) {
                    Schema s = parser.parse(f.toFile());
                    out.put(s.getName(), s);
                }
            }
        }
        return out;
    }
}
