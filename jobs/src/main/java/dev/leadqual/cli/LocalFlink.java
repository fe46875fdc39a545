package dev.leadqual.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.CoreOptions;
import org.apache.flink.configuration.GlobalConfiguration;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.apache.flink.configuration.WebOptions;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/** An embedded Flink (MiniCluster) configured from flink-conf/config.yaml, for local commands. */
public final class LocalFlink {

    private LocalFlink() {}

    /** The repository root: LEADQUAL_HOME (set by ./leadqual), the leadqual.home property, else the cwd. */
    public static Path home() {
        String h = System.getProperty("leadqual.home", System.getenv("LEADQUAL_HOME"));
        return Path.of(h == null ? "." : h).toAbsolutePath().normalize();
    }

    /**
     * flink-conf/config.yaml with checkpoints, savepoints and the embedded cluster's own files (its
     * working directory, RocksDB's local dirs, the extracted RPC jar, web uploads) under
     * {@code workDir}: a command that deletes its work dir leaves nothing else behind, even when the
     * JVM exits before the cluster's asynchronous shutdown has removed them.
     */
    public static Configuration configuration(Path workDir, Duration checkpointInterval) {
        Path confDir = home().resolve("flink-conf");
        Configuration conf = Files.isRegularFile(confDir.resolve("config.yaml"))
                ? GlobalConfiguration.loadConfiguration(confDir.toString())
                : new Configuration();
        conf.set(CheckpointingOptions.CHECKPOINTS_DIRECTORY, workDir.resolve("checkpoints").toUri().toString());
        conf.set(CheckpointingOptions.SAVEPOINT_DIRECTORY, workDir.resolve("savepoints").toUri().toString());
        conf.set(org.apache.flink.configuration.CheckpointingOptions.CHECKPOINTING_INTERVAL, checkpointInterval);
        conf.set(CoreOptions.TMP_DIRS, workDir.resolve("tmp").toString());
        conf.set(WebOptions.TMP_DIR, workDir.resolve("tmp").toString());
        conf.set(RestOptions.BIND_PORT, "0");
        conf.removeConfig(org.apache.flink.configuration.ConfigOptions.key("metrics.reporter.prom.factory.class").stringType().noDefaultValue());
        conf.removeConfig(org.apache.flink.configuration.ConfigOptions.key("metrics.reporter.prom.port").stringType().noDefaultValue());
        return conf;
    }

    public static StreamExecutionEnvironment environment(Configuration conf, String restoreFrom) {
        if (restoreFrom != null) {
            conf.set(StateRecoveryOptions.SAVEPOINT_PATH, restoreFrom);
        }
        return StreamExecutionEnvironment.getExecutionEnvironment(conf);
    }
}
