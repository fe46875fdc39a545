package dev.leadqual.bench;

import dev.leadqual.config.JobSettings;
import dev.leadqual.io.RawRecord;
import dev.leadqual.state.StateLayout;
import dev.leadqual.workflow.LeadQualWorkflow;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.serialization.SerializationSchema;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.functions.KeySelector;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Throughput of the bare engine and of the pipeline, on the same source (pre-encoded records of one
 * {@link BenchTraffic}), the same kind of sink (serialise, then discard), the same parallelism and the
 * same checkpointing (the configuration passed in).
 *
 * <p>Measured as records handed over by the source after the first {@code warmup} records, divided by
 * the time from the warmup-th record to the last record any sink wrote (so JIT warm-up, job start and
 * shutdown are outside the window; the end-of-input work, e.g. closing every open session, is inside).
 */
public final class ThroughputBench {

    /**
     * One measured run. {@code jitCpuSeconds} and {@code gcCpuSeconds}: CPU of the JIT compiler and GC
     * threads within {@code cpuSeconds} (from /proc; 0 where unavailable). In a run of a minute or two
     * the JIT compiles the job's code for much of the window, a cost a long-running job does not pay.
     */
    public record Result(double eventsPerSecond, long records, double seconds, Map<String, Long> outputs, long outputBytes,
            double cpuSeconds, double eventsPerCpuSecond, double jitCpuSeconds, double gcCpuSeconds) {

        /** Events per CPU-second of everything but the JIT compiler: closer to what the job costs once warm. */
        public double eventsPerCpuSecondWithoutJit() {
            return eventsPerCpuSecond * cpuSeconds / Math.max(1e-9, cpuSeconds - jitCpuSeconds);
        }
    }

    /** CPU time of this process, all threads, in ns (-1 if unknown). */
    static long processCpuNanos() {
        return java.lang.management.ManagementFactory.getOperatingSystemMXBean()
                instanceof com.sun.management.OperatingSystemMXBean os ? os.getProcessCpuTime() : -1;
    }

    /** CPU time (ns) of this process's JIT compiler threads [0] and GC threads [1], from /proc/self/task. */
    static long[] jitAndGcCpuNanos() {
        return jitAndGcCpuNanos("self");
    }

    /** CPU time (ns) of all threads of process {@code pid} (e.g. the local broker), from /proc; -1 if unknown. */
    static long processCpuNanos(long pid) {
        try {
            String stat = java.nio.file.Files.readString(java.nio.file.Path.of("/proc/" + pid + "/stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return (Long.parseLong(f[11]) + Long.parseLong(f[12])) * 10_000_000L; // utime, stime; USER_HZ = 100
        } catch (java.io.IOException | RuntimeException e) {
            return -1;
        }
    }

    /** As {@link #jitAndGcCpuNanos()} for process {@code pid} ("self" or a number). */
    static long[] jitAndGcCpuNanos(String pid) {
        long[] out = new long[2];
        java.nio.file.Path tasks = java.nio.file.Path.of("/proc/" + pid + "/task");
        if (!java.nio.file.Files.isDirectory(tasks)) {
            return out;
        }
        long nanosPerTick = 10_000_000L; // USER_HZ = 100 on Linux
        try (var threads = java.nio.file.Files.list(tasks)) {
            for (java.nio.file.Path t : (Iterable<java.nio.file.Path>) threads::iterator) {
                try {
                    String name = java.nio.file.Files.readString(t.resolve("comm")).trim();
                    int kind = name.contains("CompilerThre") ? 0 : name.startsWith("GC Thread") || name.startsWith("G1 ") ? 1 : -1;
                    if (kind < 0) {
                        continue;
                    }
                    String stat = java.nio.file.Files.readString(t.resolve("stat"));
                    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                    out[kind] += (Long.parseLong(f[11]) + Long.parseLong(f[12])) * nanosPerTick; // utime, stime
                } catch (java.io.IOException | RuntimeException ended) {
                    // the thread ended meanwhile
                }
            }
        } catch (java.io.IOException e) {
            return out;
        }
        return out;
    }

    private ThroughputBench() {}

    /** A bare keyed job on RocksDB: per record, one read-modify-write of a small value (a counter). */
    public static Result baseline(Configuration conf, int parallelism, String pool, int cycles, long warmup) throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        env.setParallelism(parallelism);
        DataStream<RawRecord> input = env.fromSource(PoolSource.bounded(pool, cycles), WatermarkStrategy.noWatermarks(), "Chat input")
                .uid(StateLayout.CHAT_SOURCE_UID);
        input.keyBy(new BySessionKey())
                .process(new CountPerKey())
                .uid("baseline-count")
                .name("Read-modify-write a counter")
                .sinkTo(new BenchSinks.SerializingDiscardSink<>("baseline", new LongBytes()))
                .uid("baseline-sink")
                .name("Serialise and discard");
        return run(env, "LeadQual bench: baseline", warmup);
    }

    /** The whole job from raw records (decode → … → encode), sinks replaced by {@link BenchSinks}. */
    public static Result pipeline(Configuration conf, int parallelism, String pool, JobSettings settings, long warmup)
            throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        env.setParallelism(parallelism);
        DataStream<RawRecord> input = env.fromSource(PoolSource.bounded(pool, 1), WatermarkStrategy.noWatermarks(), "Chat input")
                .uid(StateLayout.CHAT_SOURCE_UID);
        definePipeline(input, settings, BenchSinks.outputs(settings));
        return run(env, "LeadQual bench: pipeline", warmup);
    }

    /**
     * The job's workflow on {@code input}, with empty control-plane and sales-outcome inputs (the
     * policy stays the built-in one, as when those topics are quiet).
     */
    static void definePipeline(DataStream<RawRecord> input, JobSettings settings, dev.leadqual.workflow.JobOutputs outputs) {
        dev.leadqual.io.KafkaConnections.registerOutputSchemas(settings); // as LeadQualJob.build does
        // Empty inputs that never finish (an empty fromData fails in Flink 2.2: "Reached the end of the collection").
        DataStream<RawRecord> control = input.filter(new Nothing()).uid("bench-no-control-input").name("No control input");
        DataStream<RawRecord> outcomes = input.filter(new Nothing()).uid("bench-no-sales-outcomes").name("No sales outcomes");
        LeadQualWorkflow.define(input, control, outcomes, settings, outputs);
    }

    private static Result run(StreamExecutionEnvironment env, String name, long warmup) throws Exception {
        PoolSource.resetClock(warmup);
        BenchSinks.reset();
        env.execute(name);
        long cpuEnd = processCpuNanos();
        long[] jitGcEnd = jitAndGcCpuNanos();
        long[] jitGcWarm = PoolSource.WARM_JIT_GC.get();
        long records = PoolSource.EMITTED.get();
        long from = PoolSource.WARM_AT.get();
        long to = BenchSinks.LAST_WRITE.get();
        if (from == 0 || to <= from) {
            throw new IllegalStateException(name + ": too few records to measure (" + records + ", warm-up " + warmup + ")");
        }
        double seconds = (to - from) / 1e9;
        return new Result((records - warmup) / seconds, records, seconds, BenchSinks.records(), BenchSinks.totalBytes(),
                (cpuEnd - PoolSource.WARM_CPU.get()) / 1e9, (records - warmup) / ((cpuEnd - PoolSource.WARM_CPU.get()) / 1e9),
                jitGcWarm == null ? 0 : (jitGcEnd[0] - jitGcWarm[0]) / 1e9, jitGcWarm == null ? 0 : (jitGcEnd[1] - jitGcWarm[1]) / 1e9);
    }

    /** The session key of a raw record (its Kafka key); records without a key share one per partition. */
    static final class BySessionKey implements KeySelector<RawRecord, String> {
        @Override
        public String getKey(RawRecord r) {
            return r.key == null ? "no-key-" + r.partition : new String(r.key, StandardCharsets.UTF_8);
        }
    }

    /** One read-modify-write of a small value per record. */
    static final class CountPerKey extends KeyedProcessFunction<String, RawRecord, Long> {
        private transient ValueState<Long> count;

        @Override
        public void open(OpenContext context) {
            count = getRuntimeContext().getState(new ValueStateDescriptor<>("count", Types.LONG));
        }

        @Override
        public void processElement(RawRecord r, Context ctx, Collector<Long> out) throws Exception {
            Long c = count.value();
            long next = c == null ? 1 : c + 1;
            count.update(next);
            out.collect(next);
        }
    }

    /** Lets nothing through. */
    static final class Nothing implements org.apache.flink.api.common.functions.FilterFunction<RawRecord> {
        @Override
        public boolean filter(RawRecord r) {
            return false;
        }
    }

    /** Eight bytes, big-endian. */
    static final class LongBytes implements SerializationSchema<Long> {
        @Override
        public byte[] serialize(Long v) {
            long x = v;
            byte[] b = new byte[8];
            for (int i = 7; i >= 0; i--) {
                b[i] = (byte) x;
                x >>>= 8;
            }
            return b;
        }
    }
}
