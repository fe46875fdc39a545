package dev.leadqual.cli;

import dev.leadqual.LeadQualJob;
import dev.leadqual.cluster.ClusterRest;
import dev.leadqual.cluster.LocalCluster;
import dev.leadqual.config.JobSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.apache.flink.util.ParameterTool;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code ./leadqual submit}: runs the shaded job jar on the local cluster (REST upload + run). */
@Command(name = "submit", mixinStandardHelpOptions = true,
        description = {"Run the job jar (jobs/target/leadqual-jobs.jar) on the cluster started by `./leadqual cluster start`",
                "and print the job id. Job arguments go after `--`, e.g.",
                "  ./leadqual submit -- --kafka.bootstrap 127.0.0.1:9092 --registry.url http://127.0.0.1:8085",
                "LEADQUAL_KAFKA_BOOTSTRAP and LEADQUAL_REGISTRY_URL of this shell are passed on when not given."})
public final class SubmitCommand implements Callable<Integer> {

    @Option(names = "--from-savepoint", description = "Restore from this savepoint (or retained checkpoint) path.")
    String savepoint;

    @Option(names = "--allow-non-restored-state", description = "Skip savepoint state that maps to no operator.")
    boolean allowNonRestoredState;

    @Option(names = "--parallelism", description = "Job parallelism (default: parallelism.default of the cluster's config).")
    Integer parallelism;

    @Option(names = "--jar", description = "The job jar (default: jobs/target/leadqual-jobs.jar).")
    Path jar;

    @Option(names = "-D", description = "A Flink option for this job only, e.g. -D execution.checkpointing.interval=2s.")
    Map<String, String> config;

    @Option(names = "--no-wait", description = "Return as soon as the job is submitted (default: wait until its tasks run).")
    boolean noWait;

    @Option(names = "--cluster-dir", description = "The cluster's directory (default: .leadqual/cluster under the repo).")
    Path dir;

    @Parameters(description = "Job arguments (after --), see README 'Configuration'.")
    List<String> jobArgs;

    @Override
    public Integer call() throws Exception {
        Path clusterDir = dir != null ? dir : LocalCluster.defaultDir(LocalFlink.home());
        Optional<LocalCluster> cluster = LocalCluster.attach(clusterDir);
        if (cluster.isEmpty()) {
            System.err.println("No cluster is running in " + clusterDir + " (./leadqual cluster start)");
            return 2;
        }
        Path jobJar = jar != null ? jar : LocalFlink.home().resolve("jobs/target/leadqual-jobs.jar");
        if (!Files.isRegularFile(jobJar)) {
            System.err.println("No job jar at " + jobJar + " (build it with `mvn -B package -pl jobs -am -DskipTests`)");
            return 2;
        }
        List<String> args = withEnvironment(jobArgs == null ? List.of() : jobArgs, System.getenv());
        // Fail here, with the job's own message, rather than in the JobManager.
        JobSettings.from(ParameterTool.fromArgs(args.toArray(String[]::new)).toMap(), Map.of());

        ClusterRest rest = cluster.get().rest();
        String jarId = rest.uploadJar(jobJar);
        String jobId;
        try {
            jobId = rest.runJar(jarId, LeadQualJob.class.getName(), args,
                    parallelism != null ? parallelism : cluster.get().defaultParallelism(), savepoint,
                    allowNonRestoredState, config == null ? Map.of() : config);
        } finally {
            rest.deleteJar(jarId);
        }
        System.out.println(jobId);
        if (!noWait) {
            long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
            while (!rest.allTasksRunning(jobId)) {
                String state = rest.jobState(jobId);
                if (state.equals("FAILED") || state.equals("CANCELED") || state.equals("FINISHED")) {
                    System.err.println("job " + jobId + " is " + state + "; see " + cluster.get().logDir());
                    return 1;
                }
                if (System.nanoTime() > deadline) {
                    System.err.println("job " + jobId + " is " + state + " after 3 min; see " + cluster.get().logDir());
                    return 1;
                }
                Thread.sleep(200);
            }
            System.err.println("job " + jobId + " RUNNING on " + rest.url()
                    + (savepoint == null ? "" : " (restored from " + savepoint + ")"));
        }
        return 0;
    }

    /** Job arguments plus the connection settings this shell has in LEADQUAL_* and the arguments lack. */
    static List<String> withEnvironment(List<String> args, Map<String, String> env) {
        List<String> out = new ArrayList<>(args);
        for (String key : List.of("kafka.bootstrap", "registry.url")) {
            String var = "LEADQUAL_" + key.toUpperCase(java.util.Locale.ROOT).replace('.', '_');
            if (!out.contains("--" + key) && env.get(var) != null && !env.get(var).isBlank()) {
                out.add("--" + key);
                out.add(env.get(var));
            }
        }
        return out;
    }
}
