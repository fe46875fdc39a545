package dev.leadqual.sql;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.ListOffsetsResult.ListOffsetsResultInfo;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

/**
 * Bounds every table at the offsets committed when a query starts: each partition's last stable
 * offset (what a {@code read_committed} consumer can read up to now), set as the table's
 * {@code scan.bounded.specific-offsets}. The DDL's {@code scan.bounded.mode = latest-offset} would
 * stop at the log end offset instead (flink-connector-kafka 5.0 lists it without an isolation
 * level), which includes the records of transactions still open: a query then waits until they are
 * committed or aborted, up to a checkpoint on a running job and up to the transaction timeout (15
 * minutes) after a job that was killed.
 */
final class CommittedOffsets implements AutoCloseable {

    private final Admin admin;
    private final Map<String, String> topicOfTable;

    CommittedOffsets(OutputTables.Connection connection) {
        Properties p = new Properties();
        p.putAll(connection.kafkaProperties());
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, connection.bootstrapServers());
        this.admin = Admin.create(p);
        this.topicOfTable = OutputTables.topics(connection);
    }

    /** {@code ALTER TABLE} statements that bound each table at its topic's committed offsets now (a missing topic: none). */
    List<String> pinNow() {
        Map<String, Map<Integer, Long>> offsets = committed(topicOfTable.values());
        List<String> out = new ArrayList<>();
        topicOfTable.forEach((table, topic) -> {
            Map<Integer, Long> byPartition = offsets.get(topic);
            if (byPartition != null) {
                StringBuilder spec = new StringBuilder();
                byPartition.forEach((partition, offset) -> spec.append(spec.isEmpty() ? "" : ";")
                        .append("partition:").append(partition).append(",offset:").append(offset));
                Map<String, String> options = new LinkedHashMap<>();
                options.put("scan.bounded.mode", "specific-offsets");
                options.put("scan.bounded.specific-offsets", spec.toString());
                out.add(OutputTables.alter(table, options));
            }
        });
        return out;
    }

    /** Last stable offset of every partition, by topic and partition; topics that do not exist are left out. */
    private Map<String, Map<Integer, Long>> committed(Collection<String> topics) {
        try {
            Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
            for (Map.Entry<String, KafkaFuture<TopicDescription>> t : admin.describeTopics(topics).topicNameValues().entrySet()) {
                TopicDescription d;
                try {
                    d = t.getValue().get();
                } catch (ExecutionException e) {
                    if (e.getCause() instanceof UnknownTopicOrPartitionException) {
                        continue; // a query of this table fails with the connector's own message
                    }
                    throw e;
                }
                d.partitions().forEach(p -> latest.put(new TopicPartition(d.name(), p.partition()), OffsetSpec.latest()));
            }
            Map<TopicPartition, ListOffsetsResultInfo> lso = admin.listOffsets(latest,
                    new ListOffsetsOptions(IsolationLevel.READ_COMMITTED)).all().get();
            Map<String, Map<Integer, Long>> out = new HashMap<>();
            lso.forEach((tp, info) -> out.computeIfAbsent(tp.topic(), t -> new TreeMap<>()).put(tp.partition(), info.offset()));
            return out;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while listing the topics' committed offsets", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("listing the topics' committed offsets failed: " + e.getCause().getMessage(), e.getCause());
        }
    }

    @Override
    public void close() {
        admin.close();
    }
}
