package dev.leadqual.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.leadqual.cluster.ClusterRest;
import dev.leadqual.cluster.LocalCluster;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code ./leadqual cluster start|stop|status|stop-job}: a real Flink standalone cluster on this machine. */
@Command(name = "cluster", mixinStandardHelpOptions = true,
        description = {"A real Flink 2.2 standalone cluster on this machine: a JobManager and TaskManagers as separate JVMs,",
                "configured from flink-conf/config.yaml, state under .leadqual/cluster/ (conf, logs, checkpoints, savepoints, *.pid)."},
        subcommands = {ClusterCommand.Start.class, ClusterCommand.Stop.class, ClusterCommand.Status.class,
                ClusterCommand.StopJob.class})
public final class ClusterCommand implements Runnable {

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new picocli.CommandLine.ParameterException(spec.commandLine(), "Missing subcommand: start, stop, status or stop-job");
    }

    /** Where the cluster lives; shared by every subcommand. */
    static final class DirOption {
        @Option(names = "--cluster-dir", description = "The cluster's directory (default: .leadqual/cluster under the repo).")
        Path dir;

        Path resolve() {
            return dir != null ? dir : LocalCluster.defaultDir(LocalFlink.home());
        }

        LocalCluster require() throws IOException {
            Optional<LocalCluster> c = LocalCluster.attach(resolve());
            if (c.isEmpty()) {
                throw new IllegalStateException("no cluster is running in " + resolve() + " (./leadqual cluster start)");
            }
            return c.get();
        }
    }

    @Command(name = "start", mixinStandardHelpOptions = true,
            description = "Start a JobManager and TaskManagers (separate JVMs); returns when all have registered.")
    static final class Start implements Callable<Integer> {
        @Option(names = "--task-managers", defaultValue = "2", description = "TaskManagers (default: ${DEFAULT-VALUE}).")
        int taskManagers;

        @Option(names = "--slots", defaultValue = "2", description = "Slots per TaskManager (default: ${DEFAULT-VALUE}).")
        int slots;

        @Option(names = "--tm-memory", defaultValue = "1g", description = "taskmanager.memory.process.size (default: ${DEFAULT-VALUE}).")
        String tmMemory;

        @Option(names = "--jm-memory", defaultValue = "768m", description = "jobmanager.memory.process.size (default: ${DEFAULT-VALUE}).")
        String jmMemory;

        @Option(names = "--rest-port", defaultValue = "8081",
                description = "Web UI and REST port (default: ${DEFAULT-VALUE}; a free one if it is taken).")
        int restPort;

        @Option(names = {"-D"}, description = "A Flink option for this cluster, e.g. -D execution.checkpointing.interval=5s.")
        Map<String, String> config;

        @picocli.CommandLine.Mixin
        DirOption dir = new DirOption();

        @Override
        public Integer call() throws Exception {
            int port = restPort;
            if (port != 0 && !LocalCluster.portFree(port)) {
                System.err.println("port " + port + " is taken; using a free one");
                port = 0;
            }
            LocalCluster.Builder b = LocalCluster.builder()
                    .home(LocalFlink.home())
                    .dir(dir.resolve())
                    .taskManagers(taskManagers)
                    .slotsPerTaskManager(slots)
                    .taskManagerMemory(tmMemory)
                    .jobManagerMemory(jmMemory)
                    .restPort(port)
                    .detached(true);
            if (config != null) {
                config.forEach(b::config);
            }
            System.out.println("Starting a Flink cluster in " + dir.resolve() + " ...");
            LocalCluster cluster = b.start();
            System.out.printf("Flink cluster ready in %.1f s: %s%n", cluster.startupTime().toMillis() / 1000.0, cluster.restUrl());
            printStatus(cluster);
            return 0;
        }
    }

    @Command(name = "stop", mixinStandardHelpOptions = true,
            description = "Stop the cluster's processes by their recorded PIDs (running jobs stop with them; take a savepoint first).")
    static final class Stop implements Callable<Integer> {
        @picocli.CommandLine.Mixin
        DirOption dir = new DirOption();

        @Override
        public Integer call() throws Exception {
            Optional<LocalCluster> c = LocalCluster.attach(dir.resolve());
            if (c.isEmpty()) {
                System.out.println("No cluster is running in " + dir.resolve());
                return 0;
            }
            Map<String, Long> pids = c.get().pids();
            c.get().close();
            System.out.println("Stopped " + pids);
            return 0;
        }
    }

    @Command(name = "status", mixinStandardHelpOptions = true,
            description = "The cluster's REST overview: processes, TaskManagers, slots, jobs.")
    static final class Status implements Callable<Integer> {
        @picocli.CommandLine.Mixin
        DirOption dir = new DirOption();

        @Override
        public Integer call() throws Exception {
            Optional<LocalCluster> c = LocalCluster.attach(dir.resolve());
            if (c.isEmpty()) {
                System.out.println("No cluster is running in " + dir.resolve() + " (./leadqual cluster start)");
                return 3;
            }
            printStatus(c.get());
            return 0;
        }
    }

    @Command(name = "stop-job", mixinStandardHelpOptions = true,
            description = "Stop a job: with --savepoint, stop-with-savepoint and print the savepoint's path; else cancel it.")
    static final class StopJob implements Callable<Integer> {
        @Parameters(index = "0", description = "The job id (./leadqual cluster status lists them).")
        String jobId;

        @Option(names = "--savepoint", description = "Take a savepoint while stopping (default dir: the cluster's savepoints/).")
        boolean savepoint;

        @Option(names = "--target", description = "Savepoint directory (a URI such as file:///path) instead of the cluster's.")
        String target;

        @Option(names = "--timeout", defaultValue = "5m", description = "How long to wait for the savepoint (default: ${DEFAULT-VALUE}).")
        String timeout;

        @picocli.CommandLine.Mixin
        DirOption dir = new DirOption();

        @Override
        public Integer call() throws Exception {
            ClusterRest rest = dir.require().rest();
            if (!savepoint) {
                rest.cancel(jobId);
                System.out.println("Cancelled " + jobId);
                return 0;
            }
            Duration t = org.apache.flink.util.TimeUtils.parseDuration(timeout);
            String path = rest.stopWithSavepoint(jobId, target, t);
            System.out.println("Savepoint: " + path);
            System.out.println("Resume with: ./leadqual submit --from-savepoint " + path + " -- <job args>");
            return 0;
        }
    }

    static void printStatus(LocalCluster cluster) throws IOException {
        ClusterRest rest = cluster.rest();
        JsonNode o = rest.overview();
        System.out.println("Flink " + o.path("flink-version").asText() + " at " + rest.url()
                + "   (dir " + cluster.dir() + ")");
        System.out.printf("  TaskManagers %d, slots %d total / %d free, jobs running %d (finished %d, cancelled %d, failed %d)%n",
                o.path("taskmanagers").asInt(), o.path("slots-total").asInt(), o.path("slots-available").asInt(),
                o.path("jobs-running").asInt(), o.path("jobs-finished").asInt(), o.path("jobs-cancelled").asInt(),
                o.path("jobs-failed").asInt());
        System.out.println("  processes:");
        for (Map.Entry<String, Long> e : cluster.pids().entrySet()) {
            int port = cluster.metricsPort(e.getKey());
            System.out.printf("    %-16s pid %-8d metrics http://%s:%d/metrics%n", e.getKey(), e.getValue(),
                    LocalCluster.HOST, port);
        }
        for (JsonNode tm : rest.taskManagerList()) {
            System.out.printf("    %-16s registered, %d/%d slots free%n", tm.path("id").asText(),
                    tm.path("freeSlots").asInt(), tm.path("slotsNumber").asInt());
        }
        var jobs = rest.jobs();
        if (!jobs.isEmpty()) {
            System.out.println("  jobs:");
            for (ClusterRest.Job j : jobs) {
                String restarts = "RUNNING".equals(j.state()) ? ", restarts " + rest.restarts(j.id()) : "";
                System.out.printf("    %s  %-10s %s (since %s%s)%n", j.id(), j.state(), j.name(),
                        Instant.ofEpochMilli(j.startTime()), restarts);
            }
        }
        System.out.println("  logs: " + cluster.logDir());
    }
}
