package dev.leadqual.sql;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.flink.table.api.TableEnvironment;

/**
 * The job's output topics as Flink SQL tables: {@code tables/*.sql} with the connection filled in,
 * then {@code views.sql}. Topic renames, extra Kafka client properties (SASL/SSL) and registry
 * credentials are applied with {@code ALTER TABLE ... SET}, so the DDL files stay what a data
 * engineer would paste into any Flink SQL client.
 */
public final class OutputTables {

    private static final Pattern TABLE = Pattern.compile("CREATE TABLE\\s+(\\w+)");
    private static final Pattern TOPIC = Pattern.compile("'topic'\\s*=\\s*'([^']+)'");

    private OutputTables() {}

    /** Where the topics and the registry are, and how to reach them. */
    public record Connection(
            String bootstrapServers,
            String registryUrl,
            Map<String, String> kafkaProperties,
            String registryUserInfo,
            Map<String, String> topicRenames) {

        public Connection {
            kafkaProperties = Map.copyOf(kafkaProperties);
            topicRenames = Map.copyOf(topicRenames);
        }

        public static Connection of(String bootstrapServers, String registryUrl) {
            return new Connection(bootstrapServers, registryUrl, Map.of(), null, Map.of());
        }
    }

    /** Table name to the topic it reads by default (the job's default topic names). */
    public static Map<String, String> defaultTopics() {
        Map<String, String> topics = new LinkedHashMap<>();
        for (String file : SqlResources.list("tables")) {
            String ddl = SqlResources.read("tables/" + file);
            topics.put(find(TABLE, ddl, file), find(TOPIC, ddl, file));
        }
        return topics;
    }

    /** Table name to the topic it reads on this connection (renames applied). */
    public static Map<String, String> topics(Connection c) {
        Map<String, String> topics = new LinkedHashMap<>();
        defaultTopics().forEach((table, topic) -> topics.put(table, c.topicRenames().getOrDefault(topic, topic)));
        return topics;
    }

    /** Every statement that registers the tables and views, in order. */
    public static List<String> statements(Connection c) {
        Map<String, String> values = Map.of("kafka.bootstrap", c.bootstrapServers(), "registry.url", c.registryUrl());
        List<String> out = new ArrayList<>();
        for (String file : SqlResources.list("tables")) {
            String ddl = SqlScript.resolve(SqlResources.read("tables/" + file), values);
            out.addAll(SqlScript.statements(ddl));
            String table = find(TABLE, ddl, file);
            Map<String, String> options = new LinkedHashMap<>();
            String topic = c.topicRenames().get(find(TOPIC, ddl, file));
            if (topic != null) {
                options.put("topic", topic);
            }
            c.kafkaProperties().forEach((k, v) -> options.put("properties." + k, v));
            if (c.registryUserInfo() != null) {
                options.put("value.avro-confluent.basic-auth.credentials-source", "USER_INFO");
                options.put("value.avro-confluent.basic-auth.user-info", c.registryUserInfo());
            }
            if (!options.isEmpty()) {
                out.add(alter(table, options));
            }
        }
        out.addAll(SqlScript.statements(SqlResources.read("views.sql")));
        return out;
    }

    /** Registers every table and view in the environment's current catalog. */
    public static void register(TableEnvironment env, Connection c) {
        for (String statement : statements(c)) {
            env.executeSql(statement);
        }
    }

    static String alter(String table, Map<String, String> options) {
        StringBuilder sql = new StringBuilder("ALTER TABLE ").append(table).append(" SET (");
        String sep = "";
        for (Map.Entry<String, String> o : options.entrySet()) {
            sql.append(sep).append(SqlScript.literal(o.getKey())).append(" = ").append(SqlScript.literal(o.getValue()));
            sep = ", ";
        }
        return sql.append(")").toString();
    }

    private static String find(Pattern p, String ddl, String file) {
        Matcher m = p.matcher(ddl);
        if (!m.find()) {
            throw new IllegalStateException(file + ": no " + p.pattern());
        }
        return m.group(1);
    }
}
