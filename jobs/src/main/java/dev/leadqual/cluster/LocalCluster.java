package dev.leadqual.cluster;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.ConfigurationUtils;
import org.apache.flink.configuration.GlobalConfiguration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real Flink 2.2 standalone cluster on this machine: one JobManager
 * ({@code StandaloneSessionClusterEntrypoint}) and N TaskManagers ({@code TaskManagerRunner}), each its
 * own JVM, run from the jars Maven copies into {@code infra/flink-cluster/target/lib} (there is no
 * flink-dist here). Used by {@code ./leadqual cluster} and by the end-to-end tests.
 *
 * <p>Everything lives in one directory (default {@code .leadqual/cluster/} under the repo root):
 * {@code conf/config.yaml} (a copy of {@code flink-conf/config.yaml} with this cluster's ports,
 * memory, checkpoint and savepoint dirs), {@code log/}, {@code checkpoints/}, {@code savepoints/},
 * {@code cluster.properties} (ports) and one {@code *.pid} file per process. Memory flags come from
 * Flink's own {@code BashJavaUtils}, JVM options are those of flink-dist's {@code env.java.opts.all}.
 *
 * <p>Processes are only ever stopped by the PIDs recorded here (after checking that the PID still
 * belongs to a JVM of this cluster). A <em>detached</em> cluster ({@code ./leadqual cluster start})
 * outlives the command that started it; an attached one (tests) stops on {@link #close()}, on JVM
 * shutdown, and by itself if this JVM dies without running hooks (the processes watch a stdin pipe
 * this JVM holds, as {@code LocalInfra}'s servers do).
 *
 * <pre>{@code
 * try (LocalCluster cluster = LocalCluster.builder().dir(tmp).taskManagers(2).start()) {
 *     String jobId = cluster.rest().submit(jar, "dev.leadqual.LeadQualJob", args, 2, null, Map.of());
 *     cluster.killTaskManager(cluster.taskManagers().get(0));   // SIGKILL
 *     cluster.startTaskManager();
 * }
 * }</pre>
 */
public final class LocalCluster implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(LocalCluster.class);

    public static final String HOST = "127.0.0.1";
    static final String JM_ENTRYPOINT = "org.apache.flink.runtime.entrypoint.StandaloneSessionClusterEntrypoint";
    static final String TM_ENTRYPOINT = "org.apache.flink.runtime.taskexecutor.TaskManagerRunner";
    static final String BASH_JAVA_UTILS = "org.apache.flink.runtime.util.bash.BashJavaUtils";
    /** Class of the infra launcher that ends a server JVM when its parent's stdin pipe closes. */
    static final String CHILD_MAIN = "dev.leadqual.infra.ChildMain";
    static final String JOBMANAGER = "jobmanager";
    static final String TASKMANAGER_PREFIX = "taskmanager-";
    private static final String STATE_FILE = "cluster.properties";

    /** flink-dist's {@code env.java.opts.all}: the module opens Flink needs on Java 17. */
    static final List<String> JAVA_OPTS_ALL = List.of(
            "--add-exports=java.base/sun.net.util=ALL-UNNAMED",
            "--add-exports=java.rmi/sun.rmi.registry=ALL-UNNAMED",
            "--add-exports=jdk.compiler/com.sun.tools.javac.api=ALL-UNNAMED",
            "--add-exports=jdk.compiler/com.sun.tools.javac.file=ALL-UNNAMED",
            "--add-exports=jdk.compiler/com.sun.tools.javac.parser=ALL-UNNAMED",
            "--add-exports=jdk.compiler/com.sun.tools.javac.tree=ALL-UNNAMED",
            "--add-exports=jdk.compiler/com.sun.tools.javac.util=ALL-UNNAMED",
            "--add-exports=java.security.jgss/sun.security.krb5=ALL-UNNAMED",
            "--add-opens=java.base/java.lang=ALL-UNNAMED",
            "--add-opens=java.base/java.net=ALL-UNNAMED",
            "--add-opens=java.base/java.io=ALL-UNNAMED",
            "--add-opens=java.base/java.nio=ALL-UNNAMED",
            "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
            "--add-opens=java.base/java.lang.reflect=ALL-UNNAMED",
            "--add-opens=java.base/java.text=ALL-UNNAMED",
            "--add-opens=java.base/java.time=ALL-UNNAMED",
            "--add-opens=java.base/java.util=ALL-UNNAMED",
            "--add-opens=java.base/java.util.concurrent=ALL-UNNAMED",
            "--add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED",
            "--add-opens=java.base/java.util.concurrent.locks=ALL-UNNAMED");

    private static final Duration START_TIMEOUT = Duration.ofSeconds(120);
    private static final Duration STOP_GRACE = Duration.ofSeconds(20);
    private static final int LOG_TAIL_LINES = 30;

    private final Path home;
    private final Path dir;
    private final Path lib;
    private final boolean detached;
    private final Properties state;
    private final Map<String, Process> attached = new LinkedHashMap<>();
    private final ClusterRest rest;
    private final Thread shutdownHook;
    private volatile boolean closed;
    private Duration startupTime = Duration.ZERO;
    private List<String> tmJvmFlags;
    private List<String> tmDynamicProperties;

    private LocalCluster(Path home, Path dir, boolean detached, Properties state) {
        this.home = home;
        this.dir = dir;
        this.lib = home.resolve("infra/flink-cluster/target/lib");
        this.detached = detached;
        this.state = state;
        this.rest = new ClusterRest(restUrlOf(state));
        this.shutdownHook = detached ? null : new Thread(this::close, "leadqual-cluster-shutdown");
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Configures and starts a {@link LocalCluster}. */
    public static final class Builder {
        private Path home;
        private Path dir;
        private int taskManagers = 2;
        private int slots = 2;
        private String taskManagerMemory = "1g";
        private String jobManagerMemory = "768m";
        private int restPort;
        private int rpcPort;
        private boolean detached;
        private final Map<String, String> config = new LinkedHashMap<>();

        private Builder() {}

        /** The repo root (where {@code infra/flink-cluster/target/lib} and {@code flink-conf/} are). */
        public Builder home(Path repoRoot) {
            this.home = repoRoot;
            return this;
        }

        /** The cluster's directory (default {@code .leadqual/cluster} under the repo root). */
        public Builder dir(Path clusterDir) {
            this.dir = clusterDir;
            return this;
        }

        public Builder taskManagers(int n) {
            if (n < 0) {
                throw new IllegalArgumentException("taskManagers must be >= 0: " + n);
            }
            this.taskManagers = n;
            return this;
        }

        public Builder slotsPerTaskManager(int n) {
            if (n < 1) {
                throw new IllegalArgumentException("slots must be >= 1: " + n);
            }
            this.slots = n;
            return this;
        }

        /** {@code taskmanager.memory.process.size} of each TaskManager (default 1g). */
        public Builder taskManagerMemory(String size) {
            this.taskManagerMemory = size;
            return this;
        }

        /** {@code jobmanager.memory.process.size} (default 768m). */
        public Builder jobManagerMemory(String size) {
            this.jobManagerMemory = size;
            return this;
        }

        /** REST/web port on 127.0.0.1; 0 (default) picks a free one. */
        public Builder restPort(int port) {
            this.restPort = port;
            return this;
        }

        /** JobManager RPC port on 127.0.0.1; 0 (default) picks a free one. */
        public Builder rpcPort(int port) {
            this.rpcPort = port;
            return this;
        }

        /** Whether the processes outlive this JVM (the CLI) or stop with it (tests; default). */
        public Builder detached(boolean d) {
            this.detached = d;
            return this;
        }

        /** A Flink option written into the cluster's config.yaml, over flink-conf/config.yaml. */
        public Builder config(String key, String value) {
            config.put(key, value);
            return this;
        }

        /**
         * Writes the cluster's configuration, starts the JobManager, waits for its REST API, starts the
         * TaskManagers and waits until all have registered. On failure stops what it started and
         * throws with the tail of the logs.
         */
        public LocalCluster start() throws IOException {
            Path h = home == null ? resolveHome() : home.toAbsolutePath().normalize();
            Path d = (dir == null ? defaultDir(h) : dir).toAbsolutePath().normalize();
            requireLib(h);
            Optional<String> running = runningProcesses(d);
            if (running.isPresent()) {
                throw new IllegalStateException("a cluster is already running in " + d + " (" + running.get()
                        + "); stop it first (./leadqual cluster stop)");
            }
            deletePidFiles(d);
            Files.createDirectories(d);
            int[] ports = freePorts(4);
            Properties st = new Properties();
            st.setProperty("rest.port", Integer.toString(restPort == 0 ? ports[0] : restPort));
            st.setProperty("rpc.port", Integer.toString(rpcPort == 0 ? ports[1] : rpcPort));
            st.setProperty("blob.port", Integer.toString(ports[2]));
            st.setProperty("detached", Boolean.toString(detached));
            st.setProperty("next.taskmanager", "1");
            LocalCluster cluster = new LocalCluster(h, d, detached, st);
            long t0 = System.nanoTime();
            try {
                if (!detached) {
                    Runtime.getRuntime().addShutdownHook(cluster.shutdownHook);
                }
                cluster.writeConfiguration(this, ports[3]);
                cluster.startAll(taskManagers);
            } catch (IOException | RuntimeException | Error e) {
                cluster.close();
                throw e;
            }
            cluster.startupTime = Duration.ofNanos(System.nanoTime() - t0);
            LOG.info("Flink cluster ready in {} ms: {} ({} TaskManagers)", cluster.startupTime.toMillis(),
                    cluster.restUrl(), taskManagers);
            return cluster;
        }
    }

    /**
     * The cluster started earlier (by another process) in {@code clusterDir}, for status, submit and
     * stop; empty when there is none (no PID file of a live process).
     */
    public static Optional<LocalCluster> attach(Path clusterDir) throws IOException {
        Path d = clusterDir.toAbsolutePath().normalize();
        Path stateFile = d.resolve(STATE_FILE);
        if (!Files.isRegularFile(stateFile) || runningProcesses(d).isEmpty()) {
            return Optional.empty();
        }
        Properties st = new Properties();
        try (Reader r = Files.newBufferedReader(stateFile)) {
            st.load(r);
        }
        Path h = d.resolve(st.getProperty("home", ".")).normalize();
        return Optional.of(new LocalCluster(h, d, true, st));
    }

    /** {@code .leadqual/cluster} under the repo root. */
    public static Path defaultDir(Path home) {
        return home.resolve(".leadqual").resolve("cluster");
    }

    // ---------------------------------------------------------------------------------------------
    // what callers use

    public String restUrl() {
        return restUrlOf(state);
    }

    /** The cluster's REST API: overview, jar upload and run, job status, savepoints. */
    public ClusterRest rest() {
        return rest;
    }

    public Path dir() {
        return dir;
    }

    public Path confDir() {
        return dir.resolve("conf");
    }

    public Path logDir() {
        return dir.resolve("log");
    }

    public Path savepointsDir() {
        return dir.resolve("savepoints");
    }

    public Path checkpointsDir() {
        return dir.resolve("checkpoints");
    }

    /**
     * {@code parallelism.default} of this cluster's configuration. Jobs submitted over REST without a
     * parallelism run with 1, not with this; pass it explicitly.
     */
    public int defaultParallelism() {
        Configuration c = GlobalConfiguration.loadConfiguration(confDir().toString());
        return c.get(org.apache.flink.configuration.CoreOptions.DEFAULT_PARALLELISM);
    }

    public Duration startupTime() {
        return startupTime;
    }

    /** Prometheus endpoint port of a process ({@code jobmanager} or a TaskManager id), or -1. */
    public int metricsPort(String process) {
        return Integer.parseInt(state.getProperty(process + ".metrics.port", "-1"));
    }

    /** PIDs of the live processes of this cluster, by name ({@code jobmanager}, {@code taskmanager-N}). */
    public Map<String, Long> pids() throws IOException {
        Map<String, Long> pids = new TreeMap<>();
        for (Map.Entry<String, Long> e : pidFiles(dir).entrySet()) {
            if (isOurs(e.getValue(), dir)) {
                pids.put(e.getKey(), e.getValue());
            }
        }
        return pids;
    }

    /** Ids (= Flink resource ids) of the TaskManagers whose processes are alive. */
    public List<String> taskManagers() throws IOException {
        return pids().keySet().stream().filter(n -> n.startsWith(TASKMANAGER_PREFIX)).toList();
    }

    /** Starts one more TaskManager and waits until it has registered; returns its id. */
    public synchronized String startTaskManager() throws IOException {
        String id = launchTaskManager();
        awaitTaskManagers(List.of(id), System.nanoTime() + START_TIMEOUT.toNanos());
        return id;
    }

    /**
     * Kills a TaskManager with SIGKILL (no shutdown hooks, no goodbye to the JobManager: a machine
     * lost) and waits until the process is gone.
     */
    public void killTaskManager(String id) throws IOException {
        long pid = requirePid(id);
        ProcessHandle h = ProcessHandle.of(pid).orElseThrow(() -> new IllegalStateException(id + " is not running"));
        h.destroyForcibly();
        awaitExit(h, Duration.ofSeconds(10));
        forget(id);
        LOG.info("killed {} (pid {}) with SIGKILL", id, pid);
    }

    /** Stops a TaskManager gracefully (SIGTERM, SIGKILL after a grace period). */
    public void stopTaskManager(String id) throws IOException {
        stopByPid(Map.of(id, requirePid(id)));
        forget(id);
    }

    /** Stops every process of this cluster by its recorded PID (SIGTERM, then SIGKILL after a grace). */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            if (shutdownHook != null && Thread.currentThread() != shutdownHook) {
                try {
                    Runtime.getRuntime().removeShutdownHook(shutdownHook);
                } catch (IllegalStateException e) {
                    // JVM already shutting down
                }
            }
            Map<String, Long> pids = pids();
            // TaskManagers first: they would otherwise spend the grace period reconnecting.
            Map<String, Long> tms = new TreeMap<>(pids);
            tms.remove(JOBMANAGER);
            stopByPid(tms);
            if (pids.containsKey(JOBMANAGER)) {
                stopByPid(Map.of(JOBMANAGER, pids.get(JOBMANAGER)));
            }
            for (Process p : attached.values()) {
                closeQuietly(p);
            }
            deletePidFiles(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    // ---------------------------------------------------------------------------------------------
    // configuration

    private void writeConfiguration(Builder b, int jmMetricsPort) throws IOException {
        Path conf = confDir();
        Files.createDirectories(conf);
        for (String sub : List.of("log", "checkpoints", "savepoints", "tmp", "web-upload")) {
            Files.createDirectories(dir.resolve(sub));
        }
        Path source = home.resolve("flink-conf");
        Configuration c = Files.isRegularFile(source.resolve("config.yaml"))
                ? GlobalConfiguration.loadConfiguration(source.toString())
                : new Configuration();
        Map<String, String> set = new LinkedHashMap<>();
        set.put("jobmanager.rpc.address", HOST);
        set.put("jobmanager.rpc.port", state.getProperty("rpc.port"));
        set.put("jobmanager.bind-host", HOST);
        set.put("jobmanager.memory.process.size", b.jobManagerMemory);
        set.put("blob.server.port", state.getProperty("blob.port"));
        set.put("rest.address", HOST);
        set.put("rest.bind-address", HOST);
        set.put("rest.port", state.getProperty("rest.port"));
        set.put("taskmanager.host", HOST);
        set.put("taskmanager.bind-host", HOST);
        set.put("taskmanager.numberOfTaskSlots", Integer.toString(b.slots));
        set.put("taskmanager.memory.process.size", b.taskManagerMemory);
        // Small TaskManagers: give the job's heap what the defaults would reserve for metaspace and
        // off-heap it does not use on this machine.
        set.put("taskmanager.memory.jvm-metaspace.size", "192m");
        set.put("taskmanager.memory.framework.off-heap.size", "64m");
        set.put("taskmanager.memory.managed.fraction", "0.2");
        set.put("execution.checkpointing.dir", checkpointsDir().toUri().toString());
        set.put("execution.checkpointing.savepoint-dir", savepointsDir().toUri().toString());
        set.put("io.tmp.dirs", dir.resolve("tmp").toString());
        set.put("web.upload.dir", dir.resolve("web-upload").toString());
        // One machine: notice a lost TaskManager in seconds, not the 50 s default.
        set.put("heartbeat.interval", "2 s");
        set.put("heartbeat.timeout", "10 s");
        // Spread a job's subtasks over the TaskManagers, so that losing any one is felt.
        set.put("taskmanager.load-balance.mode", "SLOTS");
        // Job metrics in the REST API (numRestarts) within a second.
        set.put("metrics.fetcher.update-interval", "1 s");
        set.putAll(b.config);
        set.forEach(c::setString);
        List<String> lines = new ArrayList<>();
        lines.add("# Written by " + LocalCluster.class.getName() + " from " + source.resolve("config.yaml"));
        lines.add("# with this cluster's ports, memory and directories. Regenerated on every start.");
        lines.addAll(ConfigurationUtils.convertConfigToWritableLines(c, false));
        Files.write(conf.resolve("config.yaml"), lines, StandardCharsets.UTF_8);

        Path log4j = source.resolve("log4j-cluster.properties");
        if (Files.isRegularFile(log4j)) {
            Files.copy(log4j, conf.resolve("log4j.properties"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        } else {
            Files.writeString(conf.resolve("log4j.properties"), String.join("\n",
                    "rootLogger.level = INFO",
                    "rootLogger.appenderRef.file.ref = MainAppender",
                    "appender.main.name = MainAppender",
                    "appender.main.type = File",
                    "appender.main.fileName = ${sys:log.file}",
                    "appender.main.layout.type = PatternLayout",
                    "appender.main.layout.pattern = %d{yyyy-MM-dd HH:mm:ss,SSS} %-5p %-60c %x - %m%n",
                    ""));
        }
        state.setProperty("home", dir.relativize(home).toString());
        state.setProperty(JOBMANAGER + ".metrics.port", Integer.toString(jmMetricsPort));
        saveState();
    }

    private void saveState() throws IOException {
        try (Writer w = Files.newBufferedWriter(dir.resolve(STATE_FILE))) {
            state.store(w, "LeadQual local Flink cluster: ports and counters (pids are in *.pid)");
        }
    }

    // ---------------------------------------------------------------------------------------------
    // processes

    private void startAll(int taskManagers) throws IOException {
        // Memory flags for both roles, computed by Flink itself (as flink-dist's scripts do), in parallel.
        CompletableFuture<List<String>> jmParams = CompletableFuture.supplyAsync(() -> bashJavaUtils("GET_JM_RESOURCE_PARAMS"));
        CompletableFuture<List<String>> tmParams = CompletableFuture.supplyAsync(() -> bashJavaUtils("GET_TM_RESOURCE_PARAMS"));
        List<String> jm = join(jmParams);
        List<String> tm = join(tmParams);
        tmJvmFlags = splitFlags(tm.get(0));
        tmDynamicProperties = splitFlags(tm.get(1));

        List<String> cmd = javaCommand(splitFlags(jm.get(0)), JOBMANAGER, JM_ENTRYPOINT);
        cmd.addAll(splitFlags(jm.get(1)));
        cmd.add("-D");
        cmd.add("metrics.reporter.prom.port=" + metricsPort(JOBMANAGER));
        Process jmProcess = launch(JOBMANAGER, cmd);
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        awaitRest(jmProcess, deadline);

        List<String> ids = new ArrayList<>();
        for (int i = 0; i < taskManagers; i++) {
            ids.add(launchTaskManager());
        }
        awaitTaskManagers(ids, deadline);
    }

    private String launchTaskManager() throws IOException {
        if (tmJvmFlags == null) {
            List<String> tm = bashJavaUtils("GET_TM_RESOURCE_PARAMS");
            tmJvmFlags = splitFlags(tm.get(0));
            tmDynamicProperties = splitFlags(tm.get(1));
        }
        int n = Integer.parseInt(state.getProperty("next.taskmanager", "1"));
        String id = TASKMANAGER_PREFIX + n;
        state.setProperty("next.taskmanager", Integer.toString(n + 1));
        int metricsPort = freePorts(1)[0];
        state.setProperty(id + ".metrics.port", Integer.toString(metricsPort));
        saveState();
        List<String> cmd = javaCommand(tmJvmFlags, id, TM_ENTRYPOINT);
        cmd.addAll(tmDynamicProperties);
        cmd.addAll(List.of("-D", "taskmanager.resource-id=" + id, "-D", "metrics.reporter.prom.port=" + metricsPort));
        launch(id, cmd);
        return id;
    }

    private List<String> javaCommand(List<String> memoryFlags, String name, String mainClass) throws IOException {
        List<String> cmd = new ArrayList<>();
        if (detached && Files.isExecutable(Path.of("/usr/bin/setsid"))) {
            cmd.add("/usr/bin/setsid"); // its own session: Ctrl-C in the terminal that started it does not reach it
        }
        cmd.add(javaExecutable());
        cmd.addAll(memoryFlags);
        cmd.addAll(JAVA_OPTS_ALL);
        cmd.add("-XX:+ExitOnOutOfMemoryError");
        cmd.add("-Dlog.file=" + logDir().resolve(name + ".log"));
        cmd.add("-Dlog4j.configurationFile=" + confDir().resolve("log4j.properties").toUri());
        cmd.add("-Dleadqual.cluster.dir=" + dir); // lets stop() recognise its own processes
        cmd.add("-cp");
        String cp = lib.resolve("*").toString();
        if (!detached) {
            cp = extractChildMain() + File.pathSeparator + cp;
        }
        cmd.add(cp);
        if (!detached) {
            cmd.add(CHILD_MAIN);
        }
        cmd.add(mainClass);
        cmd.add("--configDir");
        cmd.add(confDir().toString());
        return cmd;
    }

    private Process launch(String name, List<String> cmd) throws IOException {
        Path out = logDir().resolve(name + ".out");
        ProcessBuilder pb = new ProcessBuilder(cmd)
                .directory(dir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(out.toFile()));
        if (detached) {
            pb.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        }
        LOG.debug("starting {}: {}", name, cmd);
        Process p = pb.start();
        Files.writeString(dir.resolve(name + ".pid"), p.pid() + "\n");
        if (!detached) {
            attached.put(name, p);
        }
        LOG.info("started {} (pid {})", name, p.pid());
        return p;
    }

    private List<String> bashJavaUtils(String command) {
        try {
            List<String> cmd = List.of(javaExecutable(), "-Xmx128m", "-XX:TieredStopAtLevel=1",
                    "-cp", lib.resolve("*").toString(), BASH_JAVA_UTILS, command, "--configDir", confDir().toString());
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            p.getOutputStream().close();
            String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            int rc = p.waitFor();
            String prefix = "BASH_JAVA_UTILS_EXEC_RESULT:";
            List<String> result = output.lines().filter(l -> l.startsWith(prefix))
                    .map(l -> l.substring(prefix.length()).trim()).toList();
            if (rc != 0 || result.size() < 2) {
                throw new IllegalStateException("BashJavaUtils " + command + " failed (exit " + rc + "):\n" + output);
            }
            return result;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private void awaitRest(Process jm, long deadline) throws IOException {
        while (true) {
            checkAlive(JOBMANAGER, jm);
            if (rest.reachable()) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw failure(JOBMANAGER, "the JobManager's REST API did not answer within " + START_TIMEOUT.toSeconds() + " s");
            }
            pause(jm, 100);
        }
    }

    private void awaitTaskManagers(List<String> ids, long deadline) throws IOException {
        while (true) {
            for (String id : ids) {
                Process p = attached.get(id);
                if (p != null) {
                    checkAlive(id, p);
                } else if (!isOurs(requirePid(id), dir)) {
                    throw failure(id, id + " exited during start");
                }
            }
            if (rest.taskManagerIds().containsAll(ids)) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw failure(ids.get(0), "TaskManagers " + ids + " did not register within " + START_TIMEOUT.toSeconds() + " s");
            }
            pause(attached.get(ids.get(0)), 100);
        }
    }

    private void checkAlive(String name, Process p) throws IOException {
        if (!p.isAlive()) {
            throw failure(name, name + " exited with code " + p.exitValue() + " during start");
        }
    }

    private IOException failure(String name, String message) {
        StringBuilder sb = new StringBuilder(message);
        for (Path log : List.of(logDir().resolve(name + ".out"), logDir().resolve(name + ".log"))) {
            sb.append("\n--- last lines of ").append(log).append(" ---\n").append(tail(log, LOG_TAIL_LINES));
        }
        return new IOException(sb.toString());
    }

    private long requirePid(String name) throws IOException {
        Long pid = pidFiles(dir).get(name);
        if (pid == null) {
            throw new IllegalArgumentException("no process " + name + " in " + dir);
        }
        return pid;
    }

    private void forget(String name) throws IOException {
        Files.deleteIfExists(dir.resolve(name + ".pid"));
        Process p = attached.remove(name);
        if (p != null) {
            closeQuietly(p);
        }
    }

    /** SIGTERM to all, wait for them together, SIGKILL what is left after the grace period. */
    private static void stopByPid(Map<String, Long> pids) {
        List<ProcessHandle> handles = new ArrayList<>();
        pids.forEach((name, pid) -> ProcessHandle.of(pid).ifPresent(h -> {
            LOG.info("stopping {} (pid {})", name, pid);
            h.destroy();
            handles.add(h);
        }));
        long deadline = System.nanoTime() + STOP_GRACE.toNanos();
        for (ProcessHandle h : handles) {
            try {
                h.onExit().get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (TimeoutException e) {
                LOG.warn("pid {} did not stop within {} s; killing it", h.pid(), STOP_GRACE.toSeconds());
                h.destroyForcibly();
                awaitExit(h, Duration.ofSeconds(10));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                h.destroyForcibly();
            } catch (ExecutionException e) {
                LOG.debug("waiting for pid {}", h.pid(), e);
            }
        }
    }

    private static void awaitExit(ProcessHandle h, Duration timeout) {
        try {
            h.onExit().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("pid " + h.pid() + " is still alive after " + timeout.toSeconds() + " s", e);
        }
    }

    /** Waits a little, returning early if the process exits (no blind sleeps). */
    private static void pause(Process p, long millis) throws IOException {
        try {
            if (p == null) {
                Thread.sleep(millis);
            } else {
                p.onExit().get(millis, TimeUnit.MILLISECONDS);
            }
        } catch (TimeoutException e) {
            // still running: the normal case
        } catch (ExecutionException e) {
            throw new IOException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    // ---------------------------------------------------------------------------------------------
    // PID files

    /** Name → PID of every {@code *.pid} file in the directory. */
    static Map<String, Long> pidFiles(Path dir) throws IOException {
        Map<String, Long> pids = new TreeMap<>();
        if (!Files.isDirectory(dir)) {
            return pids;
        }
        try (Stream<Path> s = Files.list(dir)) {
            for (Path p : s.filter(f -> f.getFileName().toString().endsWith(".pid")).toList()) {
                String name = p.getFileName().toString();
                try {
                    pids.put(name.substring(0, name.length() - 4), Long.parseLong(Files.readString(p).trim()));
                } catch (NumberFormatException | NoSuchFileException e) {
                    LOG.warn("ignoring unreadable pid file {}", p);
                }
            }
        }
        return pids;
    }

    /** A description of the live processes of a cluster in {@code dir}, if any. */
    static Optional<String> runningProcesses(Path dir) throws IOException {
        List<String> live = new ArrayList<>();
        pidFiles(dir).forEach((name, pid) -> {
            if (isOurs(pid, dir)) {
                live.add(name + " pid " + pid);
            }
        });
        return live.isEmpty() ? Optional.empty() : Optional.of(String.join(", ", live));
    }

    /** Whether {@code pid} is alive and is a JVM of the cluster in {@code dir} (not a reused PID). */
    static boolean isOurs(long pid, Path dir) {
        Optional<ProcessHandle> h = ProcessHandle.of(pid);
        if (h.isEmpty() || !h.get().isAlive()) {
            return false;
        }
        Optional<String[]> args = h.get().info().arguments();
        // Without access to the command line (another user's process) assume a reused PID.
        return args.isPresent() && Arrays.asList(args.get()).contains("-Dleadqual.cluster.dir=" + dir);
    }

    private static void deletePidFiles(Path dir) throws IOException {
        for (String name : pidFiles(dir).keySet()) {
            Files.deleteIfExists(dir.resolve(name + ".pid"));
        }
    }

    // ---------------------------------------------------------------------------------------------
    // helpers

    private static String restUrlOf(Properties state) {
        return "http://" + HOST + ":" + state.getProperty("rest.port");
    }

    /** The repo root: -Dleadqual.home, LEADQUAL_HOME, else the nearest directory above the cwd with infra/flink-cluster. */
    public static Path resolveHome() throws IOException {
        String h = System.getProperty("leadqual.home", System.getenv("LEADQUAL_HOME"));
        if (h != null && !h.isBlank()) {
            return Path.of(h).toAbsolutePath().normalize();
        }
        for (Path d = Path.of("").toAbsolutePath(); d != null; d = d.getParent()) {
            if (Files.isDirectory(d.resolve("infra/flink-cluster"))) {
                return d;
            }
        }
        throw new IOException("cannot find the LeadQual repo root: set -Dleadqual.home or LEADQUAL_HOME");
    }

    private static void requireLib(Path home) throws IOException {
        Path lib = home.resolve("infra/flink-cluster/target/lib");
        boolean ok;
        try (Stream<Path> s = Files.list(lib)) {
            ok = s.anyMatch(p -> p.getFileName().toString().startsWith("flink-runtime-"));
        } catch (NoSuchFileException e) {
            ok = false;
        }
        if (!ok) {
            throw new IOException("no Flink cluster classpath at " + lib
                    + ": build it first with `mvn -B package -pl infra/flink-cluster` in " + home);
        }
    }

    /** Copies the infra launcher's ChildMain class file next to the cluster: the only class added to its classpath. */
    private Path extractChildMain() throws IOException {
        Path boot = dir.resolve("boot");
        String resource = CHILD_MAIN.replace('.', '/') + ".class";
        Path target = boot.resolve(resource);
        if (!Files.isRegularFile(target)) {
            Files.createDirectories(target.getParent());
            try (InputStream in = LocalCluster.class.getClassLoader().getResourceAsStream(resource)) {
                if (in == null) {
                    throw new IOException("class file not found: " + resource);
                }
                Files.write(target, in.readAllBytes());
            }
        }
        return boot;
    }

    static List<String> splitFlags(String line) {
        return Arrays.stream(line.trim().split("\\s+")).filter(s -> !s.isEmpty()).toList();
    }

    static int[] freePorts(int n) throws IOException {
        List<ServerSocket> sockets = new ArrayList<>();
        try {
            int[] ports = new int[n];
            for (int i = 0; i < n; i++) {
                ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName(HOST));
                sockets.add(s);
                ports[i] = s.getLocalPort();
            }
            return ports;
        } finally {
            for (ServerSocket s : sockets) {
                s.close();
            }
        }
    }

    /** Whether nothing listens on {@code port} of 127.0.0.1. */
    public static boolean portFree(int port) {
        try (ServerSocket s = new ServerSocket(port, 1, InetAddress.getByName(HOST))) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    static String javaExecutable() {
        Path p = Path.of(System.getProperty("java.home"), "bin", "java");
        return Files.isExecutable(p) ? p.toString() : "java";
    }

    private static <T> T join(CompletableFuture<T> f) throws IOException {
        try {
            return f.join();
        } catch (java.util.concurrent.CompletionException e) {
            if (e.getCause() instanceof UncheckedIOException u) {
                throw u.getCause();
            }
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw e;
        }
    }

    private static void closeQuietly(Process p) {
        try {
            p.getOutputStream().close();
        } catch (IOException e) {
            // nothing to do
        }
    }

    static String tail(Path file, int lines) {
        try {
            String s = new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
            String[] all = s.split("\n");
            return String.join("\n", Arrays.asList(all).subList(Math.max(0, all.length - lines), all.length));
        } catch (NoSuchFileException e) {
            return "(no such file)";
        } catch (IOException e) {
            return "(unreadable: " + e + ")";
        }
    }
}
