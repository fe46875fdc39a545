package dev.leadqual.bench;

import dev.leadqual.config.JobSettings;
import dev.leadqual.io.RawRecord;
import dev.leadqual.state.StateLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * State per session and restore time. The pipeline takes in complete typical conversations (its
 * source then idles, so no end-of-input timer closes a session: every session is open and holds all
 * its state: session memory, transcript tail, seen event ids, timers); then two savepoints:
 * canonical (Flink's own uncompressed key/value format: the logical size of the live state, divided
 * by the sessions for {@code state_bytes_per_session}) and native (RocksDB's SST files, compressed,
 * what a full checkpoint holds). The job is then restored from the native savepoint and timed from
 * submission to its first output; a run without state gives the fixed start-up part, so the figure
 * extrapolates to 1M sessions as start-up + (restore − start-up) × 1M / sessions.
 */
public final class StateBench {

    public record Result(long sessions, long canonicalBytes, long nativeBytes, double bytesPerSession,
            double nativeBytesPerSession, double startupSeconds, double restoreSeconds, double restoreSeconds1M) {}

    private StateBench() {}

    public static Result run(Configuration baseConf, Path dir, int parallelism, String pool, String probePool,
            BenchTraffic traffic, JobSettings settings) throws Exception {
        Configuration conf = new Configuration(baseConf);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        env.setParallelism(parallelism);
        DataStream<RawRecord> input = env.fromSource(PoolSource.openEnded(pool), WatermarkStrategy.noWatermarks(), "Chat input")
                .uid(StateLayout.CHAT_SOURCE_UID);
        ThroughputBench.definePipeline(input, settings, BenchSinks.outputs(settings));
        PoolSource.resetClock(Long.MAX_VALUE);
        JobClient job = env.executeAsync("LeadQual bench: state");
        Path canonical;
        Path nativeSp;
        try {
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(20);
            while (PoolSource.EMITTED.get() < traffic.records()) {
                if (System.nanoTime() > deadline || job.getJobStatus().get().isGloballyTerminalState()) {
                    throw new IllegalStateException("state run: only " + PoolSource.EMITTED.get() + " records taken in");
                }
                Thread.sleep(100);
            }
            // A savepoint's barrier follows every record already sent: all of them are in its state.
            canonical = Path.of(java.net.URI.create(job.triggerSavepoint(dir.resolve("canonical").toUri().toString(),
                    SavepointFormatType.CANONICAL).get(10, TimeUnit.MINUTES)));
            nativeSp = Path.of(java.net.URI.create(job.triggerSavepoint(dir.resolve("native").toUri().toString(),
                    SavepointFormatType.NATIVE).get(10, TimeUnit.MINUTES)));
        } finally {
            job.cancel().get(60, TimeUnit.SECONDS);
        }
        long sessions = traffic.sessions();
        long canonicalBytes = size(canonical);
        long nativeBytes = size(nativeSp);

        // Start-up without state is timed before and after the restore (the faster counts): JIT and load noise.
        double startup = timeToFirstOutput(baseConf, parallelism, probePool, settings, null);
        double restore = timeToFirstOutput(baseConf, parallelism, probePool, settings, nativeSp.toUri().toString());
        startup = Math.min(startup, timeToFirstOutput(baseConf, parallelism, probePool, settings, null));
        double extrapolated = startup + Math.max(0, restore - startup) * (1_000_000.0 / sessions);
        return new Result(sessions, canonicalBytes, nativeBytes, (double) canonicalBytes / sessions,
                (double) nativeBytes / sessions, startup, restore, extrapolated);
    }

    /** Seconds from submitting the job (from {@code savepoint}, or empty) to its first output record. */
    private static double timeToFirstOutput(Configuration baseConf, int parallelism, String probePool, JobSettings settings,
            String savepoint) throws Exception {
        Configuration conf = new Configuration(baseConf);
        if (savepoint != null) {
            conf.set(StateRecoveryOptions.SAVEPOINT_PATH, savepoint);
            conf.set(StateRecoveryOptions.SAVEPOINT_IGNORE_UNCLAIMED_STATE, true); // the state run's source position
        }
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        env.setParallelism(parallelism);
        DataStream<RawRecord> input = env.fromSource(PoolSource.openEnded(probePool), WatermarkStrategy.noWatermarks(), "Probe input")
                .uid("bench-probe-source");
        ThroughputBench.definePipeline(input, settings, BenchSinks.outputs(settings));
        BenchSinks.reset();
        long t0 = System.nanoTime();
        JobClient job = env.executeAsync("LeadQual bench: restore");
        try {
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(10);
            while (BenchSinks.FIRST_WRITE.get() == 0) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("no output within 10 min of restoring");
                }
                JobStatus s = job.getJobStatus().get();
                if (s.isGloballyTerminalState()) {
                    throw new IllegalStateException("restored job ended: " + s);
                }
                Thread.sleep(5);
            }
            return (BenchSinks.FIRST_WRITE.get() - t0) / 1e9;
        } finally {
            job.cancel().get(60, TimeUnit.SECONDS);
        }
    }

    private static long size(Path dir) throws java.io.IOException {
        try (var files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
        }
    }
}
