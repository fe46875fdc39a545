package dev.leadqual.bench;

import dev.leadqual.io.RawRecord;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.datagen.source.DataGeneratorSource;
import org.apache.flink.connector.datagen.source.GeneratorFunction;

/**
 * The benchmark's source: hands over the pre-encoded records of a {@link BenchTraffic}, one partition
 * per source subtask, in order. The records stay in this JVM (the embedded MiniCluster runs here), in
 * a static registry, so the job graph does not carry them.
 *
 * <p>Built on {@link DataGeneratorSource}: its index range is split evenly over the subtasks, so index
 * {@code x} belongs to partition {@code x / perPartition}. Bounded sources go round their partition
 * {@code cycles} times (only the baseline repeats records: it has no deduplication); an open-ended
 * source, once through, re-sends its last record every 20 ms (a duplicate: dropped by deduplication) so
 * the job stays up with its state, e.g. to snapshot it, without firing end-of-input timers.
 */
public final class PoolSource {

    private static final Map<String, BenchTraffic> POOLS = new ConcurrentHashMap<>();

    /** Records handed over by all pool sources since the last {@link #resetClock}. */
    static final AtomicLong EMITTED = new AtomicLong();
    /** System.nanoTime when the {@code warmup}-th record was handed over (0 until then). */
    static final AtomicLong WARM_AT = new AtomicLong();
    static volatile long warmup = Long.MAX_VALUE;
    /** This process's CPU time (ns) when the warm-up record was handed over. */
    static final AtomicLong WARM_CPU = new AtomicLong();
    /** CPU time (ns) of the JIT compiler and GC threads when the warm-up record was handed over. */
    static final java.util.concurrent.atomic.AtomicReference<long[]> WARM_JIT_GC = new java.util.concurrent.atomic.AtomicReference<>();

    private PoolSource() {}

    public static String register(String name, BenchTraffic traffic) {
        POOLS.put(name, traffic);
        return name;
    }

    public static void resetClock(long warmupRecords) {
        EMITTED.set(0);
        WARM_AT.set(0);
        WARM_JIT_GC.set(null);
        warmup = warmupRecords;
    }

    /** A bounded source: each partition {@code cycles} times. */
    public static DataGeneratorSource<RawRecord> bounded(String pool, int cycles) {
        BenchTraffic t = POOLS.get(pool);
        long perPartition = (long) t.length() * cycles;
        return new DataGeneratorSource<>(new Generator(pool, perPartition, false),
                perPartition * t.partitions(), TypeInformation.of(RawRecord.class));
    }

    /** A source that sends each partition once, then idles (see the class comment). */
    public static DataGeneratorSource<RawRecord> openEnded(String pool) {
        BenchTraffic t = POOLS.get(pool);
        long perPartition = Long.MAX_VALUE / 4;
        return new DataGeneratorSource<>(new Generator(pool, perPartition, true),
                perPartition * t.partitions(), TypeInformation.of(RawRecord.class));
    }

    private static final class Generator implements GeneratorFunction<Long, RawRecord> {
        private final String pool;
        private final long perPartition;
        private final boolean idleAfter;
        private transient RawRecord[][] parts;

        Generator(String pool, long perPartition, boolean idleAfter) {
            this.pool = pool;
            this.perPartition = perPartition;
            this.idleAfter = idleAfter;
        }

        @Override
        public RawRecord map(Long index) throws Exception {
            if (parts == null) {
                parts = POOLS.get(pool).parts();
            }
            long x = index;
            int p = (int) Math.min(parts.length - 1, x / perPartition);
            long local = x - p * perPartition;
            RawRecord[] part = parts[p];
            if (local >= part.length) {
                if (idleAfter) {
                    Thread.sleep(20);
                    return part[part.length - 1];
                }
                local %= part.length;
            }
            long n = EMITTED.incrementAndGet();
            if (n == warmup) {
                WARM_AT.set(System.nanoTime());
                WARM_CPU.set(ThroughputBench.processCpuNanos());
                WARM_JIT_GC.set(ThroughputBench.jitAndGcCpuNanos());
            }
            return part[(int) local];
        }
    }
}
