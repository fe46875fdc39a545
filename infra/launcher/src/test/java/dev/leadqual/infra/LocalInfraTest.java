package dev.leadqual.infra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/** Real broker and real registry, each in its own JVM. One instance for the class; the last test closes it. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LocalInfraTest {

  private static final String LEAD_V1 = "{\"type\":\"record\",\"name\":\"Lead\",\"namespace\":\"dev.leadqual.test\","
      + "\"fields\":[{\"name\":\"id\",\"type\":\"string\"}]}";
  private static final String LEAD_V2_COMPATIBLE = "{\"type\":\"record\",\"name\":\"Lead\",\"namespace\":\"dev.leadqual.test\","
      + "\"fields\":[{\"name\":\"id\",\"type\":\"string\"},{\"name\":\"score\",\"type\":\"int\",\"default\":0}]}";
  private static final String LEAD_INCOMPATIBLE = "{\"type\":\"record\",\"name\":\"Lead\",\"namespace\":\"dev.leadqual.test\","
      + "\"fields\":[{\"name\":\"id\",\"type\":\"long\"}]}";

  private final HttpClient http = HttpClient.newHttpClient();
  private LocalInfra infra;
  private Admin admin;

  @BeforeAll
  void start() throws IOException {
    long t0 = System.nanoTime();
    infra = LocalInfra.builder()
        .topics(List.of("leads.raw", "leads.scored"))
        .compactedTopics(List.of("leads.state"))
        .partitions(3)
        .start();
    System.out.printf("LocalInfra up in %d ms (broker %d ms, registry %d ms)%n",
        (System.nanoTime() - t0) / 1_000_000, infra.kafkaStartup().toMillis(),
        infra.registryStartup().toMillis());
    System.out.printf("CPU used so far: broker %s, registry %s%n",
        cpu(infra.kafkaPid()), cpu(infra.registryPid()));
    admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, infra.bootstrapServers()));
  }

  @AfterAll
  void stop() {
    if (admin != null) {
      admin.close();
    }
    if (infra != null) {
      infra.close();
    }
  }

  @Test
  @Order(1)
  void addressesAreLoopback() {
    assertThat(infra.bootstrapServers()).matches("127\\.0\\.0\\.1:\\d+");
    assertThat(infra.registryUrl()).matches("http://127\\.0\\.0\\.1:\\d+/api/v1/confluent");
    assertThat(infra.kafkaPid()).isPositive().isNotEqualTo(infra.registryPid());
    assertThat(infra.registryPid()).isPositive();
  }

  @Test
  @Order(2)
  void topicsExistWithPartitionsAndCleanupPolicy() throws Exception {
    assertThat(admin.listTopics().names().get()).contains("leads.raw", "leads.scored", "leads.state");
    Map<String, TopicDescription> d =
        admin.describeTopics(List.of("leads.raw", "leads.scored", "leads.state")).allTopicNames().get();
    assertThat(d.values()).allSatisfy(t -> assertThat(t.partitions()).hasSize(3));

    Map<ConfigResource, Config> configs = admin.describeConfigs(List.of(
        new ConfigResource(ConfigResource.Type.TOPIC, "leads.raw"),
        new ConfigResource(ConfigResource.Type.TOPIC, "leads.state"))).all().get();
    assertThat(configs.get(new ConfigResource(ConfigResource.Type.TOPIC, "leads.raw"))
        .get("cleanup.policy").value()).isEqualTo("delete");
    assertThat(configs.get(new ConfigResource(ConfigResource.Type.TOPIC, "leads.state"))
        .get("cleanup.policy").value()).isEqualTo("compact");
  }

  @Test
  @Order(3)
  void createTopicsLaterIsIdempotent() throws Exception {
    infra.createTopics(List.of("late"), 1, false);
    infra.createTopics(List.of("late"), 1, false); // exists: no error
    assertThat(admin.describeTopics(List.of("late")).allTopicNames().get().get("late").partitions()).hasSize(1);
  }

  @Test
  @Order(4)
  void transactionalProduceAndReadCommitted() {
    Properties pp = new Properties();
    pp.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, infra.bootstrapServers());
    pp.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "tx-" + UUID.randomUUID());
    // as long as Flink's exactly-once sink asks for: must be <= transaction.max.timeout.ms
    pp.put(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, 900_000);
    try (KafkaProducer<String, String> producer =
        new KafkaProducer<>(pp, new StringSerializer(), new StringSerializer())) {
      producer.initTransactions();
      producer.beginTransaction();
      producer.send(new ProducerRecord<>("leads.raw", "lead-1", "hello"));
      producer.commitTransaction();
    }

    Properties cp = new Properties();
    cp.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, infra.bootstrapServers());
    cp.put(ConsumerConfig.GROUP_ID_CONFIG, "g-" + UUID.randomUUID());
    cp.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    cp.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    List<ConsumerRecord<String, String>> got = new ArrayList<>();
    try (KafkaConsumer<String, String> consumer =
        new KafkaConsumer<>(cp, new StringDeserializer(), new StringDeserializer())) {
      consumer.subscribe(List.of("leads.raw"));
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (got.isEmpty() && System.nanoTime() < deadline) {
        consumer.poll(Duration.ofMillis(500)).forEach(got::add);
      }
    }
    assertThat(got).singleElement().satisfies(r -> {
      assertThat(r.key()).isEqualTo("lead-1");
      assertThat(r.value()).isEqualTo("hello");
    });
  }

  @Test
  @Order(5)
  void registryConfluentApi() throws Exception {
    HttpResponse<String> v1 = post("/subjects/leads.raw-value/versions", schemaBody(LEAD_V1));
    assertThat(v1.statusCode()).as(v1.body()).isEqualTo(200);
    int id = id(v1.body());

    HttpResponse<String> byId = get("/schemas/ids/" + id);
    assertThat(byId.statusCode()).isEqualTo(200);
    assertThat(byId.body()).isEqualTo(schemaBody(LEAD_V1));

    // registering the same schema again gives the same id
    assertThat(id(post("/subjects/leads.raw-value/versions", schemaBody(LEAD_V1)).body())).isEqualTo(id);

    HttpResponse<String> incompatible = post("/subjects/leads.raw-value/versions", schemaBody(LEAD_INCOMPATIBLE));
    assertThat(incompatible.statusCode()).isEqualTo(409);
    assertThat(incompatible.body()).contains("40901");

    HttpResponse<String> v2 = post("/subjects/leads.raw-value/versions", schemaBody(LEAD_V2_COMPATIBLE));
    assertThat(v2.statusCode()).as(v2.body()).isEqualTo(200);
    assertThat(id(v2.body())).isNotEqualTo(id);

    HttpResponse<String> latest = get("/subjects/leads.raw-value/versions/latest");
    assertThat(latest.body()).contains("\"version\":2").contains("\"subject\":\"leads.raw-value\"");
    assertThat(get("/subjects").body()).contains("\"leads.raw-value\"");
  }

  /**
   * The job stamps its outputs with the event time that caused them, so replayed or test chats from
   * months ago make records months old. Written the way Flink's exactly-once sink writes (a transaction,
   * then its commit marker, which carries the current time and so rolls the segment), such a record
   * sits alone in a closed segment: a broker with Kafka's default 7-day retention deletes it at its next
   * retention check, after a consumer may already have read it. The local broker keeps it. The canary
   * topic has Kafka's default retention set explicitly and shows the check has run.
   */
  @Test
  @Order(6)
  void oldTimestampedRecordsOutliveTheRetentionCheck() throws Exception {
    String kept = "outputs.replayed";
    String canary = "retention.canary";
    infra.createTopics(List.of(kept), 1, false);
    admin.createTopics(List.of(new NewTopic(canary, 1, (short) 1)
        .configs(Map.of(TopicConfig.RETENTION_MS_CONFIG, Long.toString(Duration.ofDays(7).toMillis())))))
        .all().get();
    long monthsAgo = System.currentTimeMillis() - Duration.ofDays(250).toMillis();
    Properties pp = new Properties();
    pp.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, infra.bootstrapServers());
    pp.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "tx-" + UUID.randomUUID());
    try (KafkaProducer<String, String> producer =
        new KafkaProducer<>(pp, new StringSerializer(), new StringSerializer())) {
      producer.initTransactions();
      producer.beginTransaction();
      producer.send(new ProducerRecord<>(kept, 0, monthsAgo, "lead-1", "from a replayed chat"));
      producer.send(new ProducerRecord<>(canary, 0, monthsAgo, "lead-1", "from a replayed chat"));
      producer.commitTransaction();
    }
    assertThat(readCommitted(kept)).as("read while fresh").hasSize(1);

    TopicPartition canaryPartition = new TopicPartition(canary, 0);
    long deadline = System.nanoTime() + Duration.ofMinutes(7).toNanos(); // checks: 30 s after start, then every 5 min
    while (earliest(canaryPartition) == 0 && System.nanoTime() < deadline) {
      Thread.sleep(500);
    }
    assertThat(earliest(canaryPartition)).as("the broker's retention check ran and deleted the canary's record")
        .isPositive();
    assertThat(earliest(new TopicPartition(kept, 0))).as("log start offset of " + kept).isZero();
    assertThat(readCommitted(kept)).as("read again after the retention check").singleElement()
        .satisfies(r -> assertThat(r.timestamp()).isEqualTo(monthsAgo));
  }

  @Test
  @Order(99)
  void closeStopsBothAndDeletesWorkDir() {
    long kafkaPid = infra.kafkaPid();
    long registryPid = infra.registryPid();
    Path workDir = infra.workDir();
    assertThat(workDir).isDirectory();
    admin.close();
    admin = null;

    long t0 = System.nanoTime();
    infra.close();
    System.out.printf("LocalInfra closed in %d ms%n", (System.nanoTime() - t0) / 1_000_000);
    infra.close(); // idempotent

    assertThat(gone(kafkaPid)).as("kafka pid %d gone", kafkaPid).isTrue();
    assertThat(gone(registryPid)).as("registry pid %d gone", registryPid).isTrue();
    assertThat(workDir).doesNotExist();
  }

  /** Port taken by someone else, explicitly requested: start fails, says why, leaves nothing behind. */
  @Test
  @Order(100)
  void failedStartThrowsWithLogTailAndCleansUp(@TempDir Path dir) throws Exception {
    Path work = dir.resolve("work");
    Path logs = dir.resolve("logs");
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      assertThatThrownBy(() -> LocalInfra.builder()
          .workDir(work)
          .logTo(logs)
          .withRegistry(false)
          .kafkaPort(taken.getLocalPort())
          .start())
          .isInstanceOf(IOException.class)
          .hasMessageContaining("kafka")
          .hasMessageContaining("last lines of");
    }
    assertThat(work).as("a caller-given work dir is kept").isDirectory();
    String out = Files.readString(logs.resolve("kafka.out")) + Files.readString(logs.resolve("kafka-server.log"));
    assertThat(out).containsAnyOf("Address already in use", "BindException");
    // the broker JVM it started is gone: nothing in the work dir is held by a live java process
    assertThat(ProcessHandle.current().children().filter(ProcessHandle::isAlive)
        .filter(p -> p.info().commandLine().orElse("").contains(work.toString()))).isEmpty();
  }

  private long earliest(TopicPartition tp) throws Exception {
    return admin.listOffsets(Map.of(tp, OffsetSpec.earliest())).partitionResult(tp).get().offset();
  }

  /**
   * Every committed record of a one-partition topic that has had a transaction committed, from its log
   * start. {@code commitTransaction()} returns before the commit marker is in the partition, so the
   * stable end offset may still be 0 for a moment: wait for it to move first.
   */
  private List<ConsumerRecord<String, String>> readCommitted(String topic) throws InterruptedException {
    Properties cp = new Properties();
    cp.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, infra.bootstrapServers());
    cp.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    List<ConsumerRecord<String, String>> got = new ArrayList<>();
    try (KafkaConsumer<String, String> consumer =
        new KafkaConsumer<>(cp, new StringDeserializer(), new StringDeserializer())) {
      TopicPartition tp = new TopicPartition(topic, 0);
      consumer.assign(List.of(tp));
      consumer.seekToBeginning(List.of(tp));
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      long end;
      while ((end = consumer.endOffsets(List.of(tp)).get(tp)) == 0 && System.nanoTime() < deadline) {
        Thread.sleep(100);
      }
      while (consumer.position(tp) < end && System.nanoTime() < deadline) {
        consumer.poll(Duration.ofMillis(500)).forEach(got::add);
      }
    }
    return got;
  }

  private static String cpu(long pid) {
    return ProcessHandle.of(pid).flatMap(h -> h.info().totalCpuDuration())
        .map(d -> d.toMillis() + " ms").orElse("?");
  }

  private static boolean gone(long pid) {
    Optional<ProcessHandle> h = ProcessHandle.of(pid);
    return h.isEmpty() || !h.get().isAlive();
  }

  private static String schemaBody(String schema) {
    return "{\"schema\":\"" + schema.replace("\\", "\\\\").replace("\"", "\\\"") + "\"}";
  }

  private static int id(String body) {
    Matcher m = Pattern.compile("\"id\"\\s*:\\s*(\\d+)").matcher(body);
    assertThat(m.find()).as("id in %s", body).isTrue();
    return Integer.parseInt(m.group(1));
  }

  private HttpResponse<String> post(String path, String body) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create(infra.registryUrl() + path))
        .header("Content-Type", "application/vnd.schemaregistry.v1+json")
        .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> get(String path) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create(infra.registryUrl() + path)).GET().build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
