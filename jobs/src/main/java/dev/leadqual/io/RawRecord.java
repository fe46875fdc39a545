package dev.leadqual.io;

import java.util.Arrays;
import java.util.Objects;

/**
 * A Kafka record as it arrived, before any decoding: decoding happens in an operator so that a
 * record that fails to decode reaches the dead-letter topic with its topic, partition and offset.
 * A Flink POJO (public fields, no-argument constructor): no Kryo.
 */
public class RawRecord {
    public String topic;
    public int partition;
    public long offset;
    public long timestamp;
    public byte[] key;
    public byte[] value;

    public RawRecord() {}

    public RawRecord(String topic, int partition, long offset, long timestamp, byte[] key, byte[] value) {
        this.topic = topic;
        this.partition = partition;
        this.offset = offset;
        this.timestamp = timestamp;
        this.key = key;
        this.value = value;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RawRecord r && partition == r.partition && offset == r.offset
                && timestamp == r.timestamp && Objects.equals(topic, r.topic)
                && Arrays.equals(key, r.key) && Arrays.equals(value, r.value);
    }

    @Override
    public int hashCode() {
        return Objects.hash(topic, partition, offset);
    }

    @Override
    public String toString() {
        return "RawRecord[" + topic + "-" + partition + "@" + offset + ", " + (value == null ? "null" : value.length + " bytes") + "]";
    }
}
