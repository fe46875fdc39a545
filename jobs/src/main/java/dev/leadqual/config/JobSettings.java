package dev.leadqual.config;

import dev.leadqual.serde.RegistrySettings;
import java.io.IOException;
import java.io.Reader;
import java.io.Serializable;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.function.Function;
import org.apache.flink.util.ParameterTool;

/**
 * The job's parameters: from {@code --key value} arguments first, then {@code LEADQUAL_*}
 * environment variables, then defaults. Connection settings are never hard-coded; secrets are
 * never printed ({@link #toString()} hides them).
 *
 * <pre>
 * --kafka.bootstrap / LEADQUAL_KAFKA_BOOTSTRAP            Kafka bootstrap servers (required)
 * --kafka.properties / LEADQUAL_KAFKA_PROPERTIES          extra client properties, "k=v" lines or ';'-separated
 * --kafka.properties-file / LEADQUAL_KAFKA_PROPERTIES_FILE  a .properties file (SASL/SSL settings)
 * --registry.url / LEADQUAL_REGISTRY_URL                  Confluent-compatible schema registry (required)
 * --registry.user, --registry.password / LEADQUAL_REGISTRY_USER, LEADQUAL_REGISTRY_PASSWORD
 * --group.id / LEADQUAL_GROUP_ID                          consumer group (default leadqual)
 * --transactional-id-prefix                               Kafka transactional id prefix (default leadqual)
 * --out-of-orderness                                      event-time slack (default 5 s)
 * --session.inactivity                                    gap that closes a session (default 30 min)
 * --state.ttl                                             session memory retention (default 7 d)
 * --dedup.ttl                                             how long event ids are remembered (default 1 d)
 * --transcript.tail                                       turns kept hot per session (default 12)
 * --handoff.sla                                           time for sales to accept a handoff (default 15 min)
 * --policy.file                                           initial policy document (default: built in)
 * --outcome.retention                                     how long a lead waits for its sales outcome (default 180 d)
 * --topic.&lt;default-name&gt;                                 rename a topic, e.g. --topic.crm.leads crm.leads.v2
 * --from-earliest                                         start from the earliest offsets (default: latest committed, else earliest)
 * </pre>
 */
public record JobSettings(
        String bootstrapServers,
        Map<String, String> kafkaProperties,
        RegistrySettings registry,
        Topics topics,
        String groupId,
        String transactionalIdPrefix,
        Duration outOfOrderness,
        Duration sessionInactivity,
        Duration stateTtl,
        Duration dedupTtl,
        int transcriptTail,
        Duration handoffSla,
        String policyFile,
        Duration outcomeRetention)
        implements Serializable {

    public static JobSettings fromArgs(String[] args) {
        return from(ParameterTool.fromArgs(args).toMap(), System.getenv());
    }

    public static JobSettings from(Map<String, String> args, Map<String, String> env) {
        Function<String, String> get = key -> {
            String v = args.get(key);
            if (v == null) {
                v = env.get("LEADQUAL_" + key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_'));
            }
            return v == null || v.isBlank() ? null : v.trim();
        };
        String bootstrap = required(get, "kafka.bootstrap");
        RegistrySettings registry = new RegistrySettings(
                required(get, "registry.url"), get.apply("registry.user"), get.apply("registry.password"));
        Topics topics = Topics.resolve(name -> orDefault(get.apply("topic." + name), name));
        return new JobSettings(
                bootstrap,
                kafkaProperties(get.apply("kafka.properties"), get.apply("kafka.properties-file")),
                registry,
                topics,
                orDefault(get.apply("group.id"), "leadqual"),
                orDefault(get.apply("transactional-id-prefix"), "leadqual"),
                duration(get.apply("out-of-orderness"), Duration.ofSeconds(5)),
                duration(get.apply("session.inactivity"), Duration.ofMinutes(30)),
                duration(get.apply("state.ttl"), Duration.ofDays(7)),
                duration(get.apply("dedup.ttl"), Duration.ofDays(1)),
                Integer.parseInt(orDefault(get.apply("transcript.tail"), "12")),
                duration(get.apply("handoff.sla"), Duration.ofMinutes(15)),
                get.apply("policy.file"),
                duration(get.apply("outcome.retention"), Duration.ofDays(180)));
    }

    /** Same settings with another bootstrap server and registry (tests, demo). */
    public static JobSettings local(String bootstrap, String registryUrl) {
        Map<String, String> args = new HashMap<>();
        args.put("kafka.bootstrap", bootstrap);
        args.put("registry.url", registryUrl);
        return from(args, Map.of());
    }

    public JobSettings withSessionInactivity(Duration gap) {
        return new JobSettings(bootstrapServers, kafkaProperties, registry, topics, groupId, transactionalIdPrefix,
                outOfOrderness, gap, stateTtl, dedupTtl, transcriptTail, handoffSla, policyFile, outcomeRetention);
    }

    public JobSettings withGroupId(String group, String txPrefix) {
        return new JobSettings(bootstrapServers, kafkaProperties, registry, topics, group, txPrefix,
                outOfOrderness, sessionInactivity, stateTtl, dedupTtl, transcriptTail, handoffSla, policyFile, outcomeRetention);
    }

    public JobSettings withTopics(Topics newTopics) {
        return new JobSettings(bootstrapServers, kafkaProperties, registry, newTopics, groupId, transactionalIdPrefix,
                outOfOrderness, sessionInactivity, stateTtl, dedupTtl, transcriptTail, handoffSla, policyFile, outcomeRetention);
    }

    /** Client properties for every Kafka client the job creates (security settings included). */
    public Properties kafkaClientProperties() {
        Properties p = new Properties();
        p.putAll(kafkaProperties);
        p.setProperty("bootstrap.servers", bootstrapServers);
        return p;
    }

    private static String required(Function<String, String> get, String key) {
        String v = get.apply(key);
        if (v == null) {
            throw new IllegalArgumentException("Missing required setting --" + key + " (or environment variable LEADQUAL_"
                    + key.toUpperCase(Locale.ROOT).replace('.', '_') + ")");
        }
        return v;
    }

    private static String orDefault(String v, String d) {
        return v == null ? d : v;
    }

    static Duration duration(String text, Duration fallback) {
        if (text == null) {
            return fallback;
        }
        return org.apache.flink.util.TimeUtils.parseDuration(text);
    }

    private static Map<String, String> kafkaProperties(String inline, String file) {
        Properties p = new Properties();
        try {
            if (file != null) {
                try (Reader r = Files.newBufferedReader(Path.of(file))) {
                    p.load(r);
                }
            }
            if (inline != null) {
                p.load(new StringReader(inline.replace(';', '\n')));
            }
        } catch (IOException e) {
            throw new IllegalArgumentException("Cannot read Kafka client properties from " + file + ": " + e.getMessage(), e);
        }
        Map<String, String> m = new HashMap<>();
        p.forEach((k, v) -> m.put(k.toString(), v.toString()));
        return Map.copyOf(m);
    }

    @Override
    public String toString() {
        return "JobSettings[kafka=" + bootstrapServers + ", kafkaProperties=" + kafkaProperties.keySet()
                + ", registry=" + registry + ", topics=" + topics + ", groupId=" + groupId
                + ", sessionInactivity=" + sessionInactivity + ", stateTtl=" + stateTtl + "]";
    }
}
