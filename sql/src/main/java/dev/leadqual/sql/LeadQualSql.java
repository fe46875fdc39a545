package dev.leadqual.sql;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code ./leadqual sql}: Flink SQL over the job's output topics. With no statement to run it opens
 * an interactive shell; with {@code -f}, {@code -e} or {@code --query} it runs them and prints the
 * results. Runs on its own classpath (Flink Table, the Kafka connector, the avro-confluent format).
 */
@Command(name = "leadqual sql", mixinStandardHelpOptions = true, version = "LeadQual 0.1.0", sortOptions = false,
        description = "Flink SQL over the job's output topics: every topic a table (Kafka, Avro from the schema "
                + "registry), read as a snapshot (up to the offsets committed when a query starts). Without -f, -e or "
                + "--query: an interactive shell. Files run first, then -e statements, then named queries, each in the "
                + "order given.",
        footer = "%nNamed queries (--list describes them): time_to_qualification, escalation_rate, slot_completeness, "
                + "slot_fill_rate, funnel, dead_letters_by_reason. Tables, views and queries: sql/README.md.")
public final class LeadQualSql implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--kafka.bootstrap", defaultValue = "${env:LEADQUAL_KAFKA_BOOTSTRAP}", paramLabel = "HOST:PORT",
            description = "Kafka bootstrap servers (default: $LEADQUAL_KAFKA_BOOTSTRAP).")
    String bootstrap;

    @Option(names = "--registry.url", defaultValue = "${env:LEADQUAL_REGISTRY_URL}", paramLabel = "URL",
            description = "Confluent-compatible schema registry URL (default: $LEADQUAL_REGISTRY_URL).")
    String registryUrl;

    @Option(names = "--kafka.properties", defaultValue = "${env:LEADQUAL_KAFKA_PROPERTIES}", paramLabel = "K=V;K=V",
            description = "Extra Kafka client properties, e.g. SASL/SSL (default: $LEADQUAL_KAFKA_PROPERTIES).")
    String kafkaProperties;

    @Option(names = "--kafka.properties-file", defaultValue = "${env:LEADQUAL_KAFKA_PROPERTIES_FILE}", paramLabel = "FILE",
            description = "Extra Kafka client properties from a .properties file (default: $LEADQUAL_KAFKA_PROPERTIES_FILE).")
    Path kafkaPropertiesFile;

    @Option(names = "--registry.user", defaultValue = "${env:LEADQUAL_REGISTRY_USER}",
            description = "Registry basic-auth user (default: $LEADQUAL_REGISTRY_USER).")
    String registryUser;

    @Option(names = "--registry.password", defaultValue = "${env:LEADQUAL_REGISTRY_PASSWORD}",
            description = "Registry basic-auth password (default: $LEADQUAL_REGISTRY_PASSWORD).")
    String registryPassword;

    @Option(names = "--topic", paramLabel = "NAME=TOPIC",
            description = "A renamed topic, by its default name, as the job's --topic.<name> (e.g. crm.leads=crm.leads.v2); "
                    + "also $LEADQUAL_TOPIC_<NAME> (LEADQUAL_TOPIC_CRM_LEADS).")
    Map<String, String> topics = new LinkedHashMap<>();

    @Option(names = {"-f", "--file"}, paramLabel = "FILE", description = "Run a SQL script (statements end with ';').")
    List<Path> files = new ArrayList<>();

    @Option(names = {"-e", "--execute"}, paramLabel = "SQL", description = "Run these statements.")
    List<String> statements = new ArrayList<>();

    @Option(names = {"-q", "--query"}, paramLabel = "NAME", description = "Run a named query (queries/NAME.sql).")
    List<String> queries = new ArrayList<>();

    @Option(names = "--format", defaultValue = "table", paramLabel = "table|json|csv",
            description = "How results are printed (default: ${DEFAULT-VALUE}); json: one object per result.")
    String format;

    @Option(names = {"-l", "--list"}, description = "List the tables, views and named queries, and exit.")
    boolean list;

    @Option(names = "--print-ddl", description = "Print the statements that register the tables and views (to paste into any Flink SQL client), and exit.")
    boolean printDdl;

    public static void main(String[] args) {
        System.exit(new CommandLine(new LeadQualSql()).setCaseInsensitiveEnumValuesAllowed(true).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        if (list) {
            printList();
            return 0;
        }
        OutputTables.Connection connection = connection();
        if (printDdl) {
            OutputTables.statements(connection).forEach(s -> System.out.println(s + ";\n"));
            return 0;
        }
        List<NamedQuery> named = new ArrayList<>();
        for (String q : queries) {
            named.add(NamedQuery.find(q).orElseThrow(() -> new ParameterException(spec.commandLine(),
                    "no named query '" + q + "' (--list shows them)")));
        }
        SqlSession.Format f = parseFormat();
        boolean interactive = files.isEmpty() && statements.isEmpty() && named.isEmpty();
        try (SqlSession session = new SqlSession(connection, f, System.out)) {
            if (interactive) {
                new SqlShell(session).run();
                return 0;
            }
            for (Path file : files) {
                session.run(file.getFileName().toString(), Files.readString(file, StandardCharsets.UTF_8));
            }
            for (String s : statements) {
                session.run(null, s);
            }
            for (NamedQuery q : named) {
                session.run(q);
            }
            return 0;
        } catch (RuntimeException e) {
            System.err.println("[ERROR] " + Errors.describe(e));
            return 1;
        }
    }

    OutputTables.Connection connection() throws IOException {
        if (bootstrap == null || bootstrap.isBlank()) {
            throw new ParameterException(spec.commandLine(),
                    "Missing --kafka.bootstrap (or LEADQUAL_KAFKA_BOOTSTRAP): the Kafka cluster the job writes to");
        }
        if (registryUrl == null || registryUrl.isBlank()) {
            throw new ParameterException(spec.commandLine(),
                    "Missing --registry.url (or LEADQUAL_REGISTRY_URL): the schema registry the job registers its schemas in");
        }
        Map<String, String> props = new LinkedHashMap<>();
        if (kafkaPropertiesFile != null) {
            Properties p = new Properties();
            try (Reader r = Files.newBufferedReader(kafkaPropertiesFile)) {
                p.load(r);
            }
            p.stringPropertyNames().stream().sorted().forEach(k -> props.put(k, p.getProperty(k)));
        }
        if (kafkaProperties != null) {
            for (String kv : kafkaProperties.split(";")) {
                int eq = kv.indexOf('=');
                if (eq > 0) {
                    props.put(kv.substring(0, eq).strip(), kv.substring(eq + 1).strip());
                }
            }
        }
        Map<String, String> renames = new HashMap<>();
        for (String topic : OutputTables.defaultTopics().values()) {
            String env = System.getenv("LEADQUAL_TOPIC_" + topic.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_'));
            if (env != null && !env.isBlank()) {
                renames.put(topic, env.strip());
            }
        }
        renames.putAll(topics);
        String userInfo = registryUser == null ? null : registryUser + ":" + (registryPassword == null ? "" : registryPassword);
        return new OutputTables.Connection(bootstrap.strip(), registryUrl.strip(), props, userInfo, renames);
    }

    private SqlSession.Format parseFormat() {
        try {
            return SqlSession.Format.valueOf(format.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), "--format must be table, json or csv, not '" + format + "'");
        }
    }

    private static String wrap(String text, String indent, int width) {
        StringBuilder out = new StringBuilder(indent);
        int col = indent.length();
        for (String word : text.split(" ")) {
            if (col + word.length() + 1 > width && col > indent.length()) {
                out.append('\n').append(indent);
                col = indent.length();
            } else if (col > indent.length()) {
                out.append(' ');
                col++;
            }
            out.append(word);
            col += word.length();
        }
        return out.toString();
    }

    private static void printList() {
        System.out.println("Tables (topic):");
        OutputTables.defaultTopics().forEach((t, topic) -> System.out.printf("  %-22s %s%n", t, topic));
        System.out.println("Views: leads_latest, closed_sessions, sales_outcomes (sql/views.sql)");
        System.out.println("Named queries (--query NAME):");
        for (NamedQuery q : NamedQuery.all()) {
            System.out.println("  " + q.name());
            System.out.println(wrap(q.description(), "      ", 100));
        }
    }
}
