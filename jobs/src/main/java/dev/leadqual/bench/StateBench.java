package dev.leadqual.bench;

import dev.leadqual.config.JobSettings;
import dev.leadqual.config.Topics;
import dev.leadqual.io.RawRecord;
import dev.leadqual.state.StateLayout;
import dev.leadqual.statetools.StateTools;
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
 * submission to its first output. For the restore of a large state the sessions are copied under new
 * keys up to the target count ({@link ScaledState}: 1M in the full run), written as a savepoint by the
 * State Processor API, restored once to take a native savepoint (what a checkpoint holds), and the job
 * is timed restoring from that. Below 1M the figure is extrapolated from the largest restore:
 * start-up + (restore − start-up) × 1M / sessions, start-up being the same job without state.
 *
 * <p>The probe traffic of the restores is dated before the stored sessions, so no restored session's
 * inactivity timer fires during the measurement (a million sessions closing at once is not a restore).
 */
public final class StateBench {

    /**
     * {@code restoreSessions}: sessions in the large restore (0: none, only the extrapolation);
     * {@code restoreSeconds1M}: measured with about 1M sessions when {@code restoreSessions} ≥ 1M,
     * else extrapolated from the largest restore measured.
     */
    public record Result(long sessions, long canonicalBytes, long nativeBytes, double bytesPerSession,
            double nativeBytesPerSession, double startupSeconds, double restoreSeconds, long restoreSessions,
            long restoreNativeBytes, double restoreFromCanonicalSeconds, double restoreLargeSeconds,
            double scaleUpSeconds, double restoreSeconds1M, boolean restoreMeasured) {}

    private StateBench() {}

    /**
     * @param probePool traffic of the timed restores; {@code secondProbePool} other events for the
     *     restore from a savepoint taken after the first probe ran
     * @param targetSessions sessions of the large restore (e.g. 1,000,000), built by copying the
     *     sessions the pipeline made ({@link ScaledState}); 0 to skip it
     */
    public static Result run(Configuration baseConf, Path dir, int parallelism, String pool, String probePool,
            String secondProbePool, BenchTraffic traffic, JobSettings settings, long targetSessions) throws Exception {
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
            canonical = savepoint(job, dir.resolve("canonical"), SavepointFormatType.CANONICAL);
            nativeSp = savepoint(job, dir.resolve("native"), SavepointFormatType.NATIVE);
        } finally {
            job.cancel().get(60, TimeUnit.SECONDS);
        }
        long sessions = traffic.sessions();
        long canonicalBytes = size(canonical);
        long nativeBytes = size(nativeSp);

        // Start-up without state is timed before and after the restores (the faster counts): JIT and load noise.
        double startup = restore(baseConf, parallelism, probePool, settings, null, null).seconds();
        double restore = restore(baseConf, parallelism, probePool, settings, nativeSp.toUri().toString(), null).seconds();

        long largeSessions = 0;
        long largeNativeBytes = 0;
        double fromCanonical = Double.NaN;
        double large = Double.NaN;
        double scaleUp = Double.NaN;
        if (targetSessions > sessions) {
            // The large state: every session copied under new keys, written as a (canonical) savepoint by
            // the State Processor API; restored once (canonical → RocksDB) to take the native savepoint a
            // checkpoint would hold; then the timed restore from that.
            int copies = (int) ((targetSessions + sessions - 1) / sessions);
            long t = System.nanoTime();
            Path scaled = dir.resolve("scaled-canonical");
            largeSessions = ScaledState.write(canonical.toUri().toString(), scaled.toUri().toString(), copies,
                    new StateTools.Ttls(settings.stateTtl(), settings.dedupTtl()));
            scaleUp = (System.nanoTime() - t) / 1e9;
            Restored r = restore(baseConf, parallelism, probePool, settings, scaled.toUri().toString(), dir.resolve("scaled-native"));
            fromCanonical = r.seconds();
            largeNativeBytes = size(r.nativeSavepoint());
            // Other probe events: the native savepoint remembers the first probe's event ids (duplicates now).
            large = restore(baseConf, parallelism, secondProbePool, settings, r.nativeSavepoint().toUri().toString(), null)
                    .seconds();
        }
        startup = Math.min(startup, restore(baseConf, parallelism, probePool, settings, null, null).seconds());

        boolean measured = largeSessions >= 1_000_000;
        double at1M = measured ? large
                : largeSessions > 0 ? startup + Math.max(0, large - startup) * (1_000_000.0 / largeSessions)
                : startup + Math.max(0, restore - startup) * (1_000_000.0 / sessions);
        return new Result(sessions, canonicalBytes, nativeBytes, (double) canonicalBytes / sessions,
                (double) nativeBytes / sessions, startup, restore, largeSessions, largeNativeBytes, fromCanonical, large,
                scaleUp, at1M, measured);
    }

    private record Restored(double seconds, Path nativeSavepoint) {}

    private static Path savepoint(JobClient job, Path dir, SavepointFormatType format) throws Exception {
        return Path.of(java.net.URI.create(job.triggerSavepoint(dir.toUri().toString(), format).get(30, TimeUnit.MINUTES)));
    }

    /**
     * Seconds from submitting the job (from {@code savepoint}, or empty) until every sink subtask wrote;
     * then, when {@code nativeSavepointDir} is given, a native savepoint of the restored job.
     */
    private static Restored restore(Configuration baseConf, int parallelism, String probePool, JobSettings settings,
            String savepoint, Path nativeSavepointDir) throws Exception {
        Configuration conf = new Configuration(baseConf);
        if (savepoint != null) {
            conf.set(StateRecoveryOptions.SAVEPOINT_PATH, savepoint);
            conf.set(StateRecoveryOptions.SAVEPOINT_IGNORE_UNCLAIMED_STATE, true); // the state run's source position
        }
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        env.setParallelism(parallelism);
        DataStream<RawRecord> input = env.fromSource(PoolSource.openEnded(probePool), WatermarkStrategy.noWatermarks(), "Probe input")
                .uid("bench-probe-source-" + probePool); // per pool: a savepoint taken after one probe holds its position
        ThroughputBench.definePipeline(input, settings, BenchSinks.outputs(settings));
        BenchSinks.reset();
        long t0 = System.nanoTime();
        JobClient job = env.executeAsync("LeadQual bench: restore");
        try {
            // Processing again = every subtask of the qualify operator restored its state and wrote a
            // metric (one written for every visitor message). One subtask's first output can come while
            // the other still restores; dead letters come before any state is needed.
            String metrics = Topics.defaults().metrics();
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(20);
            while (BenchSinks.subtasksWritten(metrics) < parallelism) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("not every subtask wrote within 20 min of restoring");
                }
                JobStatus s = job.getJobStatus().get();
                if (s.isGloballyTerminalState()) {
                    throw new IllegalStateException("restored job ended: " + s);
                }
                Thread.sleep(5);
            }
            double seconds = (BenchSinks.lastFirstWrite(metrics) - t0) / 1e9;
            Path sp = nativeSavepointDir == null ? null : savepoint(job, nativeSavepointDir, SavepointFormatType.NATIVE);
            return new Restored(seconds, sp);
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
