package dev.leadqual.cli;

import dev.leadqual.config.JobSettings;
import java.util.HashMap;
import java.util.Map;
import picocli.CommandLine.Option;

/** Where the Kafka cluster and the schema registry are, for commands that talk to them. */
public final class Connection {

    @Option(names = "--kafka.bootstrap", defaultValue = "${env:LEADQUAL_KAFKA_BOOTSTRAP}",
            description = "Kafka bootstrap servers (default: $LEADQUAL_KAFKA_BOOTSTRAP).")
    String bootstrap;

    @Option(names = "--registry.url", defaultValue = "${env:LEADQUAL_REGISTRY_URL}",
            description = "Confluent-compatible schema registry URL (default: $LEADQUAL_REGISTRY_URL).")
    String registryUrl;

    @Option(names = "--kafka.properties", defaultValue = "${env:LEADQUAL_KAFKA_PROPERTIES}",
            description = "Extra Kafka client properties, k=v;k=v (SASL/SSL).")
    String kafkaProperties;

    /** The job's settings for this connection (topic names, registry credentials from the environment). */
    JobSettings settings() {
        Map<String, String> args = new HashMap<>();
        if (bootstrap != null) {
            args.put("kafka.bootstrap", bootstrap);
        }
        if (registryUrl != null) {
            args.put("registry.url", registryUrl);
        }
        if (kafkaProperties != null) {
            args.put("kafka.properties", kafkaProperties);
        }
        return JobSettings.from(args, System.getenv());
    }
}
