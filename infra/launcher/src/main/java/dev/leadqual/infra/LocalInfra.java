package dev.leadqual.infra;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.clients.admin.DescribeTopicsOptions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts, readies and stops a real Kafka 4.2 broker (KRaft, combined broker+controller, own JVM) and a
 * real schema registry (Hortonworks Schema Registry 0.9.1 with its Confluent-compatible REST API, own
 * JVM) on 127.0.0.1. Used by the demo, the CLI and the integration tests.
 *
 * <pre>{@code
 * try (LocalInfra infra = LocalInfra.builder().topics(List.of("leads")).start()) {
 *   String bootstrap = infra.bootstrapServers();   // 127.0.0.1:PORT
 *   String registry = infra.registryUrl();         // http://127.0.0.1:PORT/api/v1/confluent
 * }
 * }</pre>
 *
 * <p>Both servers run from the classpaths Maven assembles in {@code infra/kafka-broker/target/lib} and
 * {@code infra/schema-registry/target/lib} under the repo root ({@link Builder#home}). Their output goes
 * to files in {@link Builder#logTo} (default {@code workDir/logs}), never to this JVM's console.
 *
 * <p>Processes are stopped only by the PIDs this instance started: by {@link #close()}, by a JVM
 * shutdown hook (Ctrl-C), and, should this JVM die without running hooks ({@code kill -9}), by the
 * servers themselves: they watch the stdin pipe this JVM holds and exit when it closes.
 */
public final class LocalInfra implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(LocalInfra.class);

  static final String HOST = "127.0.0.1";
  static final String CONFLUENT_PATH = "/api/v1/confluent";
  private static final Duration KAFKA_READY_TIMEOUT = Duration.ofSeconds(120);
  private static final Duration REGISTRY_READY_TIMEOUT = Duration.ofSeconds(120);
  private static final Duration TOPIC_READY_TIMEOUT = Duration.ofSeconds(60);
  private static final Duration STOP_GRACE = Duration.ofSeconds(10);
  private static final int LOG_TAIL_LINES = 40;
  private static final String BROKER_MODULE = "infra/kafka-broker";
  private static final String TEMP_PREFIX = "leadqual-infra-";
  /** In a temp work dir we created: the PID of the JVM that owns it. */
  private static final String OWNER_FILE = ".owner-pid";

  private final Builder config;
  private final Path home;
  private final Path workDir;
  private final boolean ownsWorkDir;
  private final Path logDir;
  private final AtomicBoolean closed = new AtomicBoolean();
  private final Thread shutdownHook;
  /** Every process this instance started (guarded by this); close() stops them all. */
  private final List<Process> starting = new ArrayList<>();

  private volatile Server kafka;
  private volatile Server registry;
  private volatile Admin admin;
  private volatile int kafkaPort;
  private volatile int registryPort;
  private volatile Duration kafkaStartup = Duration.ZERO;
  private volatile Duration registryStartup = Duration.ZERO;

  /** A started server JVM and the files that tell what it did. */
  private static final class Server {
    final String name;
    final Process process;
    final List<Path> logs;
    final long startedNanos = System.nanoTime();

    Server(String name, Process process, List<Path> logs) {
      this.name = name;
      this.process = process;
      this.logs = logs;
    }
  }

  private LocalInfra(Builder b, Path home, Path workDir, boolean ownsWorkDir, Path logDir) {
    this.config = b;
    this.home = home;
    this.workDir = workDir;
    this.ownsWorkDir = ownsWorkDir;
    this.logDir = logDir;
    this.shutdownHook = new Thread(this::closeFromHook, "leadqual-infra-shutdown");
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Configures and starts a {@link LocalInfra}. Not thread-safe; one builder, one start. */
  public static final class Builder {
    private Path home;
    private Path workDir;
    private int kafkaPort;
    private int registryPort;
    private boolean withRegistry = true;
    private final Set<String> topics = new LinkedHashSet<>();
    private final Set<String> compactedTopics = new LinkedHashSet<>();
    private int partitions = 2;
    private Path logDir;

    private Builder() {}

    /**
     * The repo root, where {@code infra/kafka-broker/target/lib} and {@code
     * infra/schema-registry/target/lib} live. Default: system property {@code leadqual.home}, else env
     * {@code LEADQUAL_HOME}, else the nearest directory at or above the cwd that contains {@code
     * infra/kafka-broker}.
     */
    public Builder home(Path repoRoot) {
      this.home = repoRoot;
      return this;
    }

    /** Where configs and data go. Default: a new temp dir, deleted on close; a given dir is kept. */
    public Builder workDir(Path dir) {
      this.workDir = dir;
      return this;
    }

    /** Kafka PLAINTEXT port on 127.0.0.1; 0 (default) picks a free one. */
    public Builder kafkaPort(int p) {
      this.kafkaPort = checkPort(p);
      return this;
    }

    /** Registry HTTP port on 127.0.0.1; 0 (default) picks a free one. */
    public Builder registryPort(int p) {
      this.registryPort = checkPort(p);
      return this;
    }

    /** Whether to start the schema registry too (default true). */
    public Builder withRegistry(boolean b) {
      this.withRegistry = b;
      return this;
    }

    /** Topics created at start with {@link #partitions} partitions (added to earlier calls). */
    public Builder topics(Collection<String> names) {
      topics.addAll(checkNames(names));
      return this;
    }

    /** Partitions of the topics created at start, and the broker's default (default 2). */
    public Builder partitions(int n) {
      if (n < 1) {
        throw new IllegalArgumentException("partitions must be >= 1: " + n);
      }
      this.partitions = n;
      return this;
    }

    /** Topics created at start with {@code cleanup.policy=compact} (added to earlier calls). */
    public Builder compactedTopics(Collection<String> names) {
      compactedTopics.addAll(checkNames(names));
      return this;
    }

    /** Where server stdout/stderr and server logs go (default {@code workDir/logs}). */
    public Builder logTo(Path logDir) {
      this.logDir = logDir;
      return this;
    }

    /**
     * Starts the broker and (unless disabled) the registry, waits until both are ready and creates the
     * topics. On any failure, stops what it started and throws with the tail of the server logs.
     */
    public LocalInfra start() throws IOException {
      Path resolvedHome = resolveHome(home);
      Path libKafka = requireLib(resolvedHome, "kafka-broker");
      if (withRegistry) {
        requireLib(resolvedHome, "schema-registry");
      }
      boolean owns = workDir == null;
      Path dir;
      if (owns) {
        sweepStaleTempDirs();
        dir = Files.createTempDirectory(TEMP_PREFIX);
        Files.writeString(dir.resolve(OWNER_FILE), Long.toString(ProcessHandle.current().pid()));
      } else {
        dir = workDir.toAbsolutePath();
        Files.createDirectories(dir);
      }
      Path logs = logDir == null ? dir.resolve("logs") : logDir.toAbsolutePath();
      Files.createDirectories(logs);
      LocalInfra infra = new LocalInfra(copy(), resolvedHome, dir, owns, logs);
      try {
        Runtime.getRuntime().addShutdownHook(infra.shutdownHook);
        infra.startAll(libKafka);
        return infra;
      } catch (IOException | RuntimeException | Error e) {
        infra.close();
        throw e;
      }
    }

    /** A snapshot, so changing this builder later does not affect a started instance. */
    private Builder copy() {
      Builder b = new Builder();
      b.home = home;
      b.workDir = workDir;
      b.kafkaPort = kafkaPort;
      b.registryPort = registryPort;
      b.withRegistry = withRegistry;
      b.topics.addAll(topics);
      b.compactedTopics.addAll(compactedTopics);
      b.partitions = partitions;
      b.logDir = logDir;
      return b;
    }

    private static int checkPort(int p) {
      if (p < 0 || p > 65535) {
        throw new IllegalArgumentException("port out of range: " + p);
      }
      return p;
    }

    private static Collection<String> checkNames(Collection<String> names) {
      Objects.requireNonNull(names, "names");
      names.forEach(n -> {
        if (n == null || n.isBlank()) {
          throw new IllegalArgumentException("blank topic name in " + names);
        }
      });
      return names;
    }
  }

  // ---------------------------------------------------------------------------------------------
  // public API

  /** {@code 127.0.0.1:PORT} of the broker's PLAINTEXT listener. */
  public String bootstrapServers() {
    return HOST + ":" + kafkaPort;
  }

  /**
   * Confluent-compatible base URL of the registry, {@code http://127.0.0.1:PORT/api/v1/confluent}.
   *
   * @throws IllegalStateException if started with {@code withRegistry(false)}
   */
  public String registryUrl() {
    if (!config.withRegistry) {
      throw new IllegalStateException("started without a schema registry (withRegistry(false))");
    }
    return "http://" + HOST + ":" + registryPort + CONFLUENT_PATH;
  }

  /**
   * Creates topics with replication factor 1 (existing ones are left as they are) and waits until every
   * partition has a leader.
   */
  public void createTopics(Collection<String> names, int partitions, boolean compacted) {
    Objects.requireNonNull(names, "names");
    if (partitions < 1) {
      throw new IllegalArgumentException("partitions must be >= 1: " + partitions);
    }
    if (closed.get()) {
      throw new IllegalStateException("LocalInfra is closed");
    }
    Set<String> unique = new LinkedHashSet<>(names);
    if (unique.isEmpty()) {
      return;
    }
    List<NewTopic> newTopics = new ArrayList<>();
    for (String name : unique) {
      NewTopic t = new NewTopic(name, partitions, (short) 1);
      if (compacted) {
        t.configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT));
      }
      newTopics.add(t);
    }
    try {
      for (Map.Entry<String, KafkaFuture<Void>> e : admin.createTopics(newTopics).values().entrySet()) {
        try {
          e.getValue().get(TOPIC_READY_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException ex) {
          if (!(ex.getCause() instanceof TopicExistsException)) {
            throw new IllegalStateException("creating topic " + e.getKey() + " failed", ex.getCause());
          }
          LOG.debug("topic {} exists already", e.getKey());
        }
      }
      awaitTopicsReady(unique);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while creating topics " + unique, e);
    } catch (TimeoutException e) {
      throw new IllegalStateException("timed out creating topics " + unique, e);
    }
    LOG.info("created topics {} ({} partitions{})", unique, partitions, compacted ? ", compacted" : "");
  }

  public long kafkaPid() {
    Server s = kafka;
    return s == null ? -1 : s.process.pid();
  }

  /** PID of the registry JVM, or -1 when started with {@code withRegistry(false)}. */
  public long registryPid() {
    Server s = registry;
    return s == null ? -1 : s.process.pid();
  }

  /**
   * Stops both servers by PID (SIGTERM, up to 10 s, then SIGKILL) and deletes the work dir unless it was
   * given by the caller. Idempotent; also runs as a JVM shutdown hook.
   */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    try {
      Runtime.getRuntime().removeShutdownHook(shutdownHook);
    } catch (IllegalStateException | SecurityException e) {
      // JVM shutdown in progress (we may be the hook) or hook never registered
    }
    Admin a = admin;
    if (a != null) {
      try {
        a.close(Duration.ofSeconds(2));
      } catch (RuntimeException e) {
        LOG.debug("closing admin client", e);
      }
    }
    List<Process> started;
    synchronized (this) {
      started = new ArrayList<>(starting);
    }
    // everything this instance ever started, including a server replaced by a retry
    stopProcesses(started);
    if (ownsWorkDir) {
      deleteRecursively(workDir);
    }
  }

  /** Started durations, for logs and benchmarks. */
  Duration kafkaStartup() {
    return kafkaStartup;
  }

  Duration registryStartup() {
    return registryStartup;
  }

  Path workDir() {
    return workDir;
  }

  Path logDir() {
    return logDir;
  }

  // ---------------------------------------------------------------------------------------------
  // start

  private void startAll(Path libKafka) throws IOException {
    Path boot = extractChildMain();
    int[] ports = freePorts(3);
    kafkaPort = config.kafkaPort != 0 ? config.kafkaPort : ports[0];
    int controllerPort = ports[1];
    registryPort = config.registryPort != 0 ? config.registryPort : ports[2];

    // Launch both JVMs first, then wait: they start in parallel.
    kafka = launchKafka(boot, libKafka, controllerPort);
    if (config.withRegistry) {
      registry = launchRegistry(boot);
    }

    try {
      awaitKafka();
    } catch (IOException e) {
      if (config.kafkaPort != 0 || !bindFailure(kafka)) {
        throw e;
      }
      LOG.warn("Kafka lost a race for its port; retrying once with new ports");
      stopAll(kafka);
      int[] again = freePorts(2);
      kafkaPort = again[0];
      kafka = launchKafka(boot, libKafka, again[1]);
      awaitKafka();
    }
    if (config.withRegistry) {
      try {
        awaitRegistry();
      } catch (IOException e) {
        if (config.registryPort != 0 || !bindFailure(registry)) {
          throw e;
        }
        LOG.warn("the registry lost a race for its port; retrying once with a new port");
        stopAll(registry);
        registryPort = freePorts(1)[0];
        registry = launchRegistry(boot);
        awaitRegistry();
      }
    }

    Set<String> compacted = new LinkedHashSet<>(config.compactedTopics);
    Set<String> plain = new LinkedHashSet<>(config.topics);
    plain.removeAll(compacted);
    createTopics(compacted, config.partitions, true);
    createTopics(plain, config.partitions, false);
  }

  private Server launchKafka(Path boot, Path lib, int controllerPort) throws IOException {
    Path dir = workDir.resolve("kafka");
    Path data = dir.resolve("data");
    deleteRecursively(data); // a retry must not inherit a half-started metadata log
    Files.createDirectories(data);

    Properties p = new Properties();
    p.setProperty("process.roles", "broker,controller");
    p.setProperty("node.id", "1");
    p.setProperty("controller.quorum.voters", "1@" + HOST + ":" + controllerPort);
    p.setProperty("listeners", "PLAINTEXT://" + HOST + ":" + kafkaPort + ",CONTROLLER://" + HOST + ":" + controllerPort);
    p.setProperty("advertised.listeners", "PLAINTEXT://" + HOST + ":" + kafkaPort);
    p.setProperty("controller.listener.names", "CONTROLLER");
    p.setProperty("inter.broker.listener.name", "PLAINTEXT");
    p.setProperty("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
    p.setProperty("log.dirs", data.toString());
    p.setProperty("num.partitions", Integer.toString(config.partitions));
    p.setProperty("default.replication.factor", "1");
    p.setProperty("min.insync.replicas", "1");
    p.setProperty("auto.create.topics.enable", "false");
    // single node: internal topics with one replica (without the first, consumer groups get nothing)
    p.setProperty("offsets.topic.replication.factor", "1");
    p.setProperty("offsets.topic.num.partitions", "1");
    p.setProperty("transaction.state.log.replication.factor", "1");
    p.setProperty("transaction.state.log.min.isr", "1");
    p.setProperty("transaction.state.log.num.partitions", "1");
    p.setProperty("share.coordinator.state.topic.replication.factor", "1");
    p.setProperty("share.coordinator.state.topic.min.isr", "1");
    p.setProperty("share.coordinator.state.topic.num.partitions", "1");
    p.setProperty("group.initial.rebalance.delay.ms", "0");
    // Flink's exactly-once KafkaSink uses transactions that stay open across checkpoints
    p.setProperty("transaction.max.timeout.ms", "3600000");
    // No time-based retention. The job stamps its outputs with event time, so replayed, demo and test
    // chats from months ago make months-old records; a commit marker (stamped now) rolls the segment
    // they sit in, and Kafka's default 7-day retention deleted that segment at the next check (30 s
    // after start, then every 5 min): read_committed readers that came later (./leadqual sql) found
    // the topic empty. The work dir is temporary anyway.
    p.setProperty("log.retention.ms", "-1");
    // a small machine (2 cores) shared with a Flink MiniCluster: one network thread and two request handlers
    // (more only take turns on the same cores)
    p.setProperty("num.network.threads", "1");
    p.setProperty("num.io.threads", "2");
    p.setProperty("num.recovery.threads.per.data.dir", "1");
    p.setProperty("background.threads", "4");
    p.setProperty("log.cleaner.threads", "1");
    p.setProperty("log.cleaner.dedupe.buffer.size", Integer.toString(16 * 1024 * 1024));
    Path props = dir.resolve("server.properties");
    try (var out = Files.newBufferedWriter(props)) {
      p.store(out, "written by " + LocalInfra.class.getName());
    }

    Path serverLog = logDir.resolve("kafka-server.log");
    Path log4j = dir.resolve("log4j2.properties");
    Files.writeString(log4j, String.join("\n",
        "status = warn",
        "name = leadqual-kafka",
        "appender.file.type = File",
        "appender.file.name = FILE",
        "appender.file.fileName = " + serverLog.toString().replace("\\", "/"),
        "appender.file.layout.type = PatternLayout",
        "appender.file.layout.pattern = [%d] %p %m (%c)%n",
        "rootLogger.level = WARN",
        "rootLogger.appenderRef.file.ref = FILE",
        "logger.raftserver.name = kafka.server.KafkaRaftServer",
        "logger.raftserver.level = INFO",
        "logger.broker.name = kafka.server.BrokerServer",
        "logger.broker.level = INFO",
        "logger.controller.name = kafka.server.ControllerServer",
        "logger.controller.level = INFO",
        "logger.socketserver.name = kafka.network.SocketServer",
        "logger.socketserver.level = INFO",
        ""));

    List<String> cmd = new ArrayList<>(List.of(
        javaExecutable(),
        "-Xms64m", "-Xmx512m",
        "-XX:+ExitOnOutOfMemoryError",
        "-Djava.awt.headless=true",
        "-Dlog4j2.configurationFile=" + log4j.toUri(),
        "-Dkafka.logs.dir=" + logDir));
    cmd.addAll(extraJvmOpts("leadqual.infra.kafka.jvmOpts"));
    cmd.addAll(List.of(
        "-cp", boot + java.io.File.pathSeparator + lib.resolve("*"),
        ChildMain.class.getName(),
        "--kafka-format", props.toString(), Uuid.randomUuid().toString(),
        "kafka.Kafka", props.toString()));
    Path out = logDir.resolve("kafka.out");
    return launch("kafka", cmd, dir, out, List.of(out, serverLog));
  }

  private Server launchRegistry(Path boot) throws IOException {
    Path lib = home.resolve("infra/schema-registry/target/lib");
    Path dir = workDir.resolve("registry");
    Path jars = dir.resolve("jars");
    Files.createDirectories(jars);
    Path registryLog = logDir.resolve("registry.log");
    Path yaml = dir.resolve("registry.yaml");
    Files.writeString(yaml, String.join("\n",
        "# written by " + LocalInfra.class.getName(),
        "modules:",
        "  - name: schema-registry",
        "    className: com.hortonworks.registries.schemaregistry.webservice.SchemaRegistryModule",
        "    config:",
        "      schemaProviders:",
        "        - providerClass: \"com.hortonworks.registries.schemaregistry.avro.AvroSchemaProvider\"",
        "          defaultSerializerClass: \"com.hortonworks.registries.schemaregistry.serdes.avro.AvroSnapshotSerializer\"",
        "          defaultDeserializerClass: \"com.hortonworks.registries.schemaregistry.serdes.avro.AvroSnapshotDeserializer\"",
        "      schemaCacheSize: 10000",
        "      schemaCacheExpiryInterval: 3600",
        "servletFilters:",
        "  - className: \"com.hortonworks.registries.schemaregistry.webservice.RewriteUriFilter\"",
        "    params:",
        "      forwardPaths: \"" + CONFLUENT_PATH + ",/subjects/*,/schemas/ids/*\"",
        "      redirectPaths: \"/ui/,/\"",
        "fileStorageConfiguration:",
        "  className: \"com.hortonworks.registries.common.util.LocalFileSystemStorage\"",
        "  properties:",
        "    directory: " + yamlString(jars.toString()),
        "storageProviderConfiguration:",
        "  providerClass: \"com.hortonworks.registries.storage.impl.memory.InMemoryStorageManager\"",
        "swagger:",
        "  resourcePackage: com.hortonworks.registries.schemaregistry.webservice",
        "enableCors: false",
        "server:",
        "  applicationConnectors:",
        "    - type: http",
        "      bindHost: " + HOST,
        "      port: " + registryPort,
        "  adminConnectors:",
        "    - type: http",
        "      bindHost: " + HOST,
        "      port: 0",
        "  requestLog:",
        "    appenders: []",
        "logging:",
        "  level: WARN",
        "  loggers:",
        "    org.eclipse.jetty.server.AbstractConnector: INFO",
        "  appenders:",
        "    - type: file",
        "      currentLogFilename: " + yamlString(registryLog.toString()),
        "      archive: false",
        ""));
    List<String> cmd = new ArrayList<>(List.of(
        javaExecutable(),
        "-Xms32m", "-Xmx256m",
        // C1 only: starts ~2x faster on 2 cores; a test registry never needs C2's peak speed
        "-XX:TieredStopAtLevel=1",
        "-XX:+ExitOnOutOfMemoryError",
        "-Djava.awt.headless=true"));
    cmd.addAll(extraJvmOpts("leadqual.infra.registry.jvmOpts"));
    cmd.addAll(List.of(
        "-cp", boot + java.io.File.pathSeparator + lib.resolve("*"),
        ChildMain.class.getName(),
        "com.hortonworks.registries.webservice.RegistryApplication", "server", yaml.toString()));
    Path out = logDir.resolve("registry.out");
    return launch("registry", cmd, dir, out, List.of(out, registryLog));
  }

  private Server launch(String name, List<String> cmd, Path dir, Path out, List<Path> logs)
      throws IOException {
    LOG.debug("starting {}: {}", name, cmd);
    ProcessBuilder pb = new ProcessBuilder(cmd)
        .directory(dir.toFile())
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.to(out.toFile()));
    // stdin stays a pipe whose write end we hold open: ChildMain exits when it closes (we died)
    Process process;
    synchronized (this) {
      if (closed.get()) {
        throw new IOException("LocalInfra closed while starting " + name);
      }
      process = pb.start();
      starting.add(process);
    }
    LOG.debug("{} pid {}", name, process.pid());
    return new Server(name, process, logs);
  }

  private void awaitKafka() throws IOException {
    Server s = kafka;
    long deadline = System.nanoTime() + KAFKA_READY_TIMEOUT.toNanos();
    awaitPort(s, kafkaPort, deadline);
    Map<String, Object> props = new HashMap<>();
    props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
    props.put(AdminClientConfig.CLIENT_ID_CONFIG, "leadqual-infra");
    props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5000);
    props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 30000);
    props.put(AdminClientConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 500);
    props.put(AdminClientConfig.RETRY_BACKOFF_MAX_MS_CONFIG, 500);
    Admin previous = admin;
    if (previous != null) {
      previous.close(Duration.ZERO); // from a failed first attempt
    }
    Admin a = Admin.create(props);
    admin = a;
    while (true) {
      checkAlive(s);
      try {
        Collection<Node> nodes =
            a.describeCluster(new DescribeClusterOptions().timeoutMs(2000)).nodes().get();
        if (!nodes.isEmpty()) {
          break;
        }
      } catch (ExecutionException e) {
        LOG.trace("broker not ready yet", e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted while waiting for Kafka", e);
      }
      if (System.nanoTime() > deadline) {
        throw failure(s, "Kafka was not ready within " + KAFKA_READY_TIMEOUT.toSeconds() + " s", null);
      }
      pause(s, 50);
    }
    kafkaStartup = Duration.ofNanos(System.nanoTime() - s.startedNanos);
    LOG.info("Kafka broker ready at {} in {} ms (pid {})", bootstrapServers(), kafkaStartup.toMillis(),
        s.process.pid());
  }

  private void awaitRegistry() throws IOException {
    Server s = registry;
    long deadline = System.nanoTime() + REGISTRY_READY_TIMEOUT.toNanos();
    awaitPort(s, registryPort, deadline);
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    HttpRequest req = HttpRequest.newBuilder(URI.create(registryUrl() + "/subjects"))
        .timeout(Duration.ofSeconds(5)).GET().build();
    int last = -1;
    while (true) {
      checkAlive(s);
      try {
        last = http.send(req, HttpResponse.BodyHandlers.discarding()).statusCode();
        if (last == 200) {
          break;
        }
      } catch (IOException e) {
        LOG.trace("registry not ready yet", e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted while waiting for the registry", e);
      }
      if (System.nanoTime() > deadline) {
        throw failure(s, "the registry was not ready within " + REGISTRY_READY_TIMEOUT.toSeconds()
            + " s (last HTTP status " + last + ")", null);
      }
      pause(s, 100);
    }
    registryStartup = Duration.ofNanos(System.nanoTime() - s.startedNanos);
    LOG.info("schema registry ready at {} in {} ms (pid {})", registryUrl(), registryStartup.toMillis(),
        s.process.pid());
  }

  /** Waits until something accepts TCP connections on the port: cheap and quiet, unlike a client. */
  private static void awaitPort(Server s, int port, long deadline) throws IOException {
    while (true) {
      checkAlive(s);
      try (Socket socket = new Socket()) {
        socket.connect(new InetSocketAddress(InetAddress.getByName(HOST), port), 500);
        return;
      } catch (ConnectException | java.net.SocketTimeoutException e) {
        // not listening yet
      }
      if (System.nanoTime() > deadline) {
        throw failure(s, s.name + " did not open port " + port + " in time", null);
      }
      pause(s, 50);
    }
  }

  /** Waits a little, returning early if the server exits (no blind sleeps). */
  private static void pause(Server s, long millis) throws IOException {
    try {
      s.process.onExit().get(millis, TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      // still running: the normal case
    } catch (ExecutionException e) {
      throw new IOException(e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while waiting for " + s.name, e);
    }
  }

  private static void checkAlive(Server s) throws IOException {
    if (!s.process.isAlive()) {
      throw failure(s, s.name + " exited with code " + s.process.exitValue() + " during start", null);
    }
  }

  private static IOException failure(Server s, String message, Throwable cause) {
    StringBuilder sb = new StringBuilder(message);
    for (Path log : s.logs) {
      sb.append("\n--- last lines of ").append(log).append(" ---\n").append(tail(log, LOG_TAIL_LINES));
    }
    return new IOException(sb.toString(), cause);
  }

  private static boolean bindFailure(Server s) {
    // stopped processes flush their logs; look there for the bind error
    if (s.process.isAlive()) {
      return false;
    }
    for (Path log : s.logs) {
      String t = tail(log, 400);
      if (t.contains("Address already in use") || t.contains("BindException")) {
        return true;
      }
    }
    return false;
  }

  private void awaitTopicsReady(Set<String> names) throws InterruptedException, TimeoutException {
    long deadline = System.nanoTime() + TOPIC_READY_TIMEOUT.toNanos();
    while (true) {
      try {
        Map<String, TopicDescription> d =
            admin.describeTopics(names, new DescribeTopicsOptions().timeoutMs(5000)).allTopicNames().get();
        boolean ready = d.size() == names.size()
            && d.values().stream().flatMap(t -> t.partitions().stream())
                .map(TopicPartitionInfo::leader).allMatch(l -> l != null && !l.isEmpty());
        if (ready) {
          return;
        }
      } catch (ExecutionException e) {
        LOG.trace("topics {} not visible yet", names, e);
      }
      if (System.nanoTime() > deadline) {
        throw new TimeoutException("topics " + names + " have no leaders after "
            + TOPIC_READY_TIMEOUT.toSeconds() + " s");
      }
      try {
        kafka.process.onExit().get(20, TimeUnit.MILLISECONDS);
        throw new IllegalStateException("the Kafka broker exited while creating topics " + names);
      } catch (ExecutionException e) {
        throw new IllegalStateException(e.getCause());
      } catch (TimeoutException e) {
        // broker still running
      }
    }
  }

  // ---------------------------------------------------------------------------------------------
  // stop

  private void closeFromHook() {
    LOG.info("JVM shutdown: stopping local infra");
    close();
  }

  private static void stopAll(Server... servers) {
    List<Process> ps = new ArrayList<>();
    for (Server s : servers) {
      if (s != null) {
        ps.add(s.process);
      }
    }
    stopProcesses(ps);
  }

  /** SIGTERM to all first (they stop in parallel), then wait; SIGKILL what is left after the grace. */
  private static void stopProcesses(List<Process> processes) {
    List<ProcessHandle> handles = new ArrayList<>();
    for (Process p : processes) {
      ProcessHandle h = p.toHandle();
      h.descendants().forEach(handles::add);
      handles.add(h);
    }
    handles.forEach(ProcessHandle::destroy);
    long deadline = System.nanoTime() + STOP_GRACE.toNanos();
    for (ProcessHandle h : handles) {
      long left = deadline - System.nanoTime();
      try {
        h.onExit().get(Math.max(0, left), TimeUnit.NANOSECONDS);
      } catch (TimeoutException e) {
        LOG.warn("pid {} did not stop within {} s; killing it", h.pid(), STOP_GRACE.toSeconds());
        h.destroyForcibly();
        try {
          h.onExit().get(5, TimeUnit.SECONDS);
        } catch (InterruptedException ie) {
          Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException ee) {
          LOG.warn("pid {} still alive after SIGKILL", h.pid());
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        h.destroyForcibly();
      } catch (ExecutionException e) {
        LOG.debug("waiting for pid {}", h.pid(), e);
      }
    }
    processes.forEach(LocalInfra::closeQuietly);
  }

  private static void closeQuietly(Process p) {
    try {
      p.getOutputStream().close();
    } catch (IOException e) {
      // nothing to do
    }
  }

  // ---------------------------------------------------------------------------------------------
  // helpers

  /**
   * Deletes temp work dirs left by launching JVMs that died without running their shutdown hooks
   * (kill -9). Only dirs with an owner file whose PID is no longer alive; their servers have exited on
   * their own (stdin closed).
   */
  static void sweepStaleTempDirs() {
    Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
    try (Stream<Path> dirs = Files.list(tmp)) {
      dirs.filter(d -> d.getFileName().toString().startsWith(TEMP_PREFIX) && Files.isDirectory(d))
          .forEach(d -> {
            try {
              long pid = Long.parseLong(Files.readString(d.resolve(OWNER_FILE)).trim());
              if (ProcessHandle.of(pid).map(h -> !h.isAlive()).orElse(true)) {
                LOG.info("deleting stale work dir {} (owner pid {} is gone)", d, pid);
                deleteRecursively(d);
              }
            } catch (IOException | NumberFormatException e) {
              // no owner file (yet), or not ours: leave it
            }
          });
    } catch (IOException | UncheckedIOException e) {
      LOG.debug("could not sweep {}", tmp, e);
    }
  }

  static Path resolveHome(Path explicit) throws IOException {
    if (explicit != null) {
      return repoRootAtOrAbove(explicit);
    }
    String prop = System.getProperty("leadqual.home");
    if (prop != null && !prop.isBlank()) {
      return repoRootAtOrAbove(Path.of(prop));
    }
    String env = System.getenv("LEADQUAL_HOME");
    if (env != null && !env.isBlank()) {
      return repoRootAtOrAbove(Path.of(env));
    }
    Path cwd = Path.of("").toAbsolutePath();
    Path found = repoRootAtOrAbove(cwd);
    if (!Files.isDirectory(found.resolve(BROKER_MODULE))) {
      throw new IOException("cannot find the LeadQual repo root: set -Dleadqual.home or LEADQUAL_HOME, "
          + "or run from inside the repo (no directory at or above " + cwd + " contains "
          + BROKER_MODULE + ")");
    }
    return found;
  }

  /**
   * The nearest directory at or above {@code start} that contains infra/kafka-broker, else {@code
   * start} itself. (Maven's multiModuleProjectDirectory is a module dir when run from inside one.)
   */
  private static Path repoRootAtOrAbove(Path start) {
    Path abs = start.toAbsolutePath().normalize();
    for (Path d = abs; d != null; d = d.getParent()) {
      if (Files.isDirectory(d.resolve(BROKER_MODULE))) {
        return d;
      }
    }
    return abs;
  }

  private static Path requireLib(Path home, String module) throws IOException {
    Path lib = home.resolve("infra").resolve(module).resolve("target/lib");
    boolean hasJars;
    try (Stream<Path> s = Files.list(lib)) {
      hasJars = s.anyMatch(p -> p.getFileName().toString().endsWith(".jar"));
    } catch (NoSuchFileException e) {
      hasJars = false;
    }
    if (!hasJars) {
      throw new IOException("no server classpath at " + lib + ": build it first with `mvn -B -f infra/"
          + module + "/pom.xml package` in " + home);
    }
    return lib;
  }

  /** Copies ChildMain's class file into the work dir: the servers' classpath gets just that class. */
  private Path extractChildMain() throws IOException {
    Path boot = workDir.resolve("boot");
    String resource = ChildMain.class.getName().replace('.', '/') + ".class";
    Path target = boot.resolve(resource);
    Files.createDirectories(target.getParent());
    try (InputStream in = ChildMain.class.getClassLoader().getResourceAsStream(resource)) {
      if (in == null) {
        throw new IOException("class file not found: " + resource);
      }
      Files.write(target, in.readAllBytes());
    }
    return boot;
  }

  /** Distinct free ports on 127.0.0.1, all held open together while picking. */
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

  static String javaExecutable() {
    Path p = Path.of(System.getProperty("java.home"), "bin", "java");
    if (Files.isExecutable(p)) {
      return p.toString();
    }
    return ProcessHandle.current().info().command().orElse("java");
  }

  private static List<String> extraJvmOpts(String property) {
    String v = System.getProperty(property, "").trim();
    return v.isEmpty() ? List.of() : List.of(v.split("\\s+"));
  }

  private static String yamlString(String s) {
    return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }

  static String tail(Path file, int lines) {
    try {
      List<String> all = Files.readAllLines(file, StandardCharsets.UTF_8);
      return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    } catch (NoSuchFileException e) {
      return "(no such file)";
    } catch (IOException | UncheckedIOException e) {
      try {
        // not UTF-8 or similar: fall back to a lossy read
        String s = new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1);
        String[] all = s.split("\n");
        return String.join("\n", List.of(all).subList(Math.max(0, all.length - lines), all.length));
      } catch (IOException e2) {
        return "(unreadable: " + e2 + ")";
      }
    }
  }

  static void deleteRecursively(Path dir) {
    if (dir == null || !Files.exists(dir)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(dir)) {
      walk.sorted(Comparator.reverseOrder()).forEach(p -> {
        try {
          Files.deleteIfExists(p);
        } catch (IOException e) {
          LOG.debug("could not delete {}", p, e);
        }
      });
    } catch (IOException | UncheckedIOException e) {
      LOG.warn("could not delete {}: {}", dir, e.toString());
    }
  }

  // ---------------------------------------------------------------------------------------------
  // manual use

  /**
   * Starts both servers, prints the addresses, and runs until Ctrl-C. Options: {@code --kafka-port N},
   * {@code --registry-port N}, {@code --no-registry}, {@code --topics a,b}, {@code --compacted c,d},
   * {@code --partitions N}, {@code --work-dir DIR}, {@code --log-dir DIR}, {@code --home DIR}.
   */
  public static void main(String[] args) throws Exception {
    Builder b = builder();
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      switch (a) {
        case "--kafka-port" -> b.kafkaPort(Integer.parseInt(args[++i]));
        case "--registry-port" -> b.registryPort(Integer.parseInt(args[++i]));
        case "--no-registry" -> b.withRegistry(false);
        case "--topics" -> b.topics(List.of(args[++i].split(",")));
        case "--compacted" -> b.compactedTopics(List.of(args[++i].split(",")));
        case "--partitions" -> b.partitions(Integer.parseInt(args[++i]));
        case "--work-dir" -> b.workDir(Path.of(args[++i]));
        case "--log-dir" -> b.logTo(Path.of(args[++i]));
        case "--home" -> b.home(Path.of(args[++i]));
        case "-h", "--help" -> {
          System.out.println("usage: LocalInfra [--kafka-port N] [--registry-port N] [--no-registry]"
              + " [--topics a,b] [--compacted c,d] [--partitions N] [--work-dir DIR] [--log-dir DIR]"
              + " [--home DIR]");
          return;
        }
        default -> {
          System.err.println("unknown option: " + a + " (try --help)");
          System.exit(2);
        }
      }
    }
    LocalInfra infra = b.start();
    System.out.println("Kafka bootstrap servers: " + infra.bootstrapServers()
        + "  (pid " + infra.kafkaPid() + ", ready in " + infra.kafkaStartup.toMillis() + " ms)");
    if (infra.config.withRegistry) {
      System.out.println("Schema registry URL:     " + infra.registryUrl()
          + "  (pid " + infra.registryPid() + ", ready in " + infra.registryStartup.toMillis() + " ms)");
    }
    System.out.println("Logs: " + infra.logDir + "    Press Ctrl-C to stop.");
    List<CompletableFuture<Process>> exits = new ArrayList<>();
    exits.add(infra.kafka.process.onExit());
    if (infra.registry != null) {
      exits.add(infra.registry.process.onExit());
    }
    CompletableFuture.anyOf(exits.toArray(new CompletableFuture<?>[0])).join();
    if (!infra.closed.get()) {
      System.err.println("a server exited unexpectedly; see the logs in " + infra.logDir);
      infra.close();
      System.exit(1);
    }
  }
}
