package dev.leadqual.bench;

import dev.leadqual.config.JobSettings;
import dev.leadqual.schema.ArchivedTurn;
import dev.leadqual.schema.DeadLetter;
import dev.leadqual.schema.DecisionAudit;
import dev.leadqual.schema.NextAction;
import dev.leadqual.schema.QualificationMetric;
import dev.leadqual.schema.QualifiedLead;
import dev.leadqual.schema.SalesHandoff;
import dev.leadqual.schema.SessionOutcome;
import dev.leadqual.serde.AvroRegistrySerdes;
import dev.leadqual.workflow.JobOutputs;
import dev.leadqual.workflow.OutputSink;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.apache.avro.specific.SpecificRecord;
import org.apache.flink.api.common.serialization.SerializationSchema;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;

/**
 * Sinks that do everything a Kafka sink does to a record except send it: each record is serialised
 * (Avro in the Confluent wire format, schema registered once, as the job's Kafka sinks do) and then
 * dropped. They count records and bytes and remember when they last wrote, for the throughput figure.
 */
public final class BenchSinks {

    /** Latest System.nanoTime at which any bench sink wrote a record. */
    static final AtomicLong LAST_WRITE = new AtomicLong();
    /**
     * Per sink, per subtask index: the System.nanoTime of its first record (a restored job processes
     * again once every subtask of the qualify operator's sinks wrote).
     */
    static final Map<String, Map<Integer, Long>> FIRST_WRITE_BY_SUBTASK = new ConcurrentHashMap<>();

    /** Subtasks of sink {@code name} that wrote since {@link #reset}. */
    static int subtasksWritten(String name) {
        return FIRST_WRITE_BY_SUBTASK.getOrDefault(name, Map.of()).size();
    }

    /** The latest first write among the subtasks of sink {@code name} (0 if none wrote). */
    static long lastFirstWrite(String name) {
        return FIRST_WRITE_BY_SUBTASK.getOrDefault(name, Map.of()).values().stream().mapToLong(Long::longValue).max().orElse(0);
    }

    static final Map<String, LongAdder> RECORDS = new ConcurrentHashMap<>();
    static final Map<String, LongAdder> BYTES = new ConcurrentHashMap<>();

    private BenchSinks() {}

    public static void reset() {
        LAST_WRITE.set(0);
        FIRST_WRITE_BY_SUBTASK.clear();
        RECORDS.clear();
        BYTES.clear();
    }

    /** Records written per sink since {@link #reset}. */
    public static Map<String, Long> records() {
        Map<String, Long> m = new TreeMap<>();
        RECORDS.forEach((k, v) -> m.put(k, v.sum()));
        return m;
    }

    public static long totalRecords() {
        return RECORDS.values().stream().mapToLong(LongAdder::sum).sum();
    }

    public static long totalBytes() {
        return BYTES.values().stream().mapToLong(LongAdder::sum).sum();
    }

    /** Every output of the job into a serialising, discarding sink, with the Kafka sinks' serialisers. */
    public static JobOutputs outputs(JobSettings s) {
        var t = s.topics();
        return new JobOutputs(
                avro(s, t.leads(), QualifiedLead.class),
                avro(s, t.actions(), NextAction.class),
                avro(s, t.handoffs(), SalesHandoff.class),
                avro(s, t.sessionOutcomes(), SessionOutcome.class),
                avro(s, t.metrics(), QualificationMetric.class),
                avro(s, t.audit(), DecisionAudit.class),
                avro(s, t.archive(), ArchivedTurn.class),
                avro(s, t.deadLetters(), DeadLetter.class));
    }

    private static <T extends SpecificRecord> OutputSink<T> avro(JobSettings s, String topic, Class<T> type) {
        return stream -> stream
                .sinkTo(new SerializingDiscardSink<>(topic, AvroRegistrySerdes.serializer(type, topic, s.registry())))
                .uid("bench-sink-" + topic)
                .name("Serialise and discard " + topic);
    }

    /** Serialises each record with {@code schema} and drops it. */
    public static final class SerializingDiscardSink<T> implements Sink<T> {
        private final String name;
        private final SerializationSchema<T> schema;

        public SerializingDiscardSink(String name, SerializationSchema<T> schema) {
            this.name = name;
            this.schema = schema;
        }

        @Override
        public SinkWriter<T> createWriter(WriterInitContext context) throws java.io.IOException {
            try {
                schema.open(context.asSerializationSchemaInitializationContext());
            } catch (Exception e) {
                throw new java.io.IOException("Cannot open the serialiser of " + name, e);
            }
            return new Writer<>(name, schema, context.getTaskInfo().getIndexOfThisSubtask());
        }
    }

    private static final class Writer<T> implements SinkWriter<T> {
        private final String name;
        private final SerializationSchema<T> schema;
        private long records;
        private long bytes;
        private long lastWrite;
        private final int subtask;

        Writer(String name, SerializationSchema<T> schema, int subtask) {
            this.name = name;
            this.schema = schema;
            this.subtask = subtask;
        }

        @Override
        public void write(T element, Context context) {
            bytes += schema.serialize(element).length;
            lastWrite = System.nanoTime();
            if (records++ == 0) {
                FIRST_WRITE_BY_SUBTASK.computeIfAbsent(name, n -> new ConcurrentHashMap<>()).putIfAbsent(subtask, lastWrite);
            }
        }

        @Override
        public void flush(boolean endOfInput) {
            publish();
        }

        @Override
        public void close() {
            publish();
        }

        private void publish() {
            if (records > 0) {
                RECORDS.computeIfAbsent(name, k -> new LongAdder()).add(records);
                BYTES.computeIfAbsent(name, k -> new LongAdder()).add(bytes);
                records = 0;
                bytes = 0;
            }
            long last = lastWrite;
            LAST_WRITE.accumulateAndGet(last, Math::max);
        }
    }
}
