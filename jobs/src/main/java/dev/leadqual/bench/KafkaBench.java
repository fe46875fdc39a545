package dev.leadqual.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.leadqual.LeadQualJob;
import dev.leadqual.config.JobSettings;
import dev.leadqual.config.Topics;
import dev.leadqual.infra.LocalInfra;
import dev.leadqual.io.KafkaConnections;
import dev.leadqual.io.RawRecord;
import dev.leadqual.io.RawRecordDeserializer;
import dev.leadqual.schema.NextAction;
import dev.leadqual.serde.AvroRegistrySerdes;
import dev.leadqual.state.StateLayout;
import dev.leadqual.workflow.LeadQualWorkflow;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.core.execution.JobClient;
import dev.leadqual.serde.ConfluentAvroDeserializer;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * The job through the real broker: its Kafka source, its exactly-once Kafka sinks and the registry.
 *
 * <p>Throughput: the traffic is produced to fresh topics first, then the job reads it (bounded at the
 * end offsets) and the rate is taken at the source, from the warm-up record to the last record (the
 * source runs ahead of the job only by what the network buffers hold, a few thousand records).
 *
 * <p>Latency: the production job ({@link LeadQualJob#build}) runs on fresh topics while a producer
 * offers the traffic at a fixed rate; each next action is matched to its event by
 * {@code caused_by_event_id}. Two consumers read the actions topic: read_uncommitted sees an action
 * as soon as the sink has written it to the broker (the pipeline's own latency), read_committed only
 * once the checkpoint that covers it commits the Kafka transaction (bounded by the checkpoint interval:
 * the price of exactly-once).
 */
public final class KafkaBench {

    /**
     * {@code jobCpuSeconds}, {@code brokerCpuSeconds}: CPU of this process (job, MiniCluster) and of the local broker's
     * process from the warm-up record until the job has read everything; {@code jitCpuSeconds}: their JIT compiler
     * threads' share of that (a fresh broker JVM compiles for much of a short run).
     */
    public record Throughput(double eventsPerSecond, long records, long warmup, double seconds, double jobCpuSeconds,
            double brokerCpuSeconds, double jitCpuSeconds) {

        /** The run's figures into {@code details.json} (a figure that could not be measured is null). */
        public void writeTo(ObjectNode o) {
            BenchResults.figure(o, "events_per_s", eventsPerSecond);
            o.put("records", records);
            o.put("warmup_records", warmup);
            BenchResults.figure(o, "measured_s", seconds);
            BenchResults.figure(o, "job_cpu_s", jobCpuSeconds);
            BenchResults.figure(o, "broker_cpu_s", brokerCpuSeconds);
            BenchResults.figure(o, "jit_cpu_s", jitCpuSeconds);
            BenchResults.figure(o, "events_per_cpu_s", eventsPerCpuSecond());
            BenchResults.figure(o, "events_per_cpu_s_without_jit", eventsPerCpuSecondWithoutJit());
        }

        /** Events per CPU-second of the job and the broker together (the producer has finished before the job starts). */
        public double eventsPerCpuSecond() {
            return (records - warmup) / Math.max(1e-9, jobCpuSeconds + brokerCpuSeconds);
        }

        public double eventsPerCpuSecondWithoutJit() {
            return (records - warmup) / Math.max(1e-9, jobCpuSeconds + brokerCpuSeconds - jitCpuSeconds);
        }
    }

    public record Latency(int ratePerSecond, int seconds, int warmupSeconds, double achievedRate, long sent, long matched,
            double p50, double p99, double p999, double max, long committedMatched, double committedP50, double committedP99,
            double committedP999) {

        /** The run's figures into {@code details.json} (a figure that could not be measured is null). */
        public void writeTo(ObjectNode o) {
            o.put("offered_rate_per_s", ratePerSecond);
            BenchResults.figure(o, "achieved_rate_per_s", achievedRate);
            o.put("duration_s", seconds);
            o.put("warmup_s", warmupSeconds);
            o.put("events_sent", sent);
            o.put("actions_matched", matched);
            BenchResults.figure(o, "read_uncommitted_p50_ms", p50);
            BenchResults.figure(o, "read_uncommitted_p99_ms", p99);
            BenchResults.figure(o, "read_uncommitted_p999_ms", p999);
            BenchResults.figure(o, "read_uncommitted_max_ms", max);
            o.put("committed_actions_matched", committedMatched);
            BenchResults.figure(o, "read_committed_p50_ms", committedP50);
            BenchResults.figure(o, "read_committed_p99_ms", committedP99);
            BenchResults.figure(o, "read_committed_p999_ms", committedP999);
        }
    }

    static final AtomicLong READ = new AtomicLong();
    static final AtomicLong READ_WARM_AT = new AtomicLong();
    static final AtomicLong READ_LAST_AT = new AtomicLong();
    static volatile long readWarmup = Long.MAX_VALUE;
    static volatile long brokerPid = -1;
    /** CPU (ns) at the warm-up record: job process, broker process, JIT threads of both. */
    static final java.util.concurrent.atomic.AtomicReference<long[]> WARM_CPU = new java.util.concurrent.atomic.AtomicReference<>();

    private KafkaBench() {}

    private static Topics topics(String suffix) {
        return Topics.resolve(name -> name + "." + suffix);
    }

    public static Throughput throughput(LocalInfra infra, Configuration conf, int parallelism, BenchTraffic traffic,
            JobSettings base, long warmup) throws Exception {
        String run = "tp" + System.currentTimeMillis();
        Topics topics = topics(run);
        infra.createTopics(topics.streams(), traffic.partitions(), false);
        infra.createTopics(topics.compacted(), traffic.partitions(), true);
        JobSettings settings = base.withTopics(topics).withGroupId("bench-" + run, "bench-" + run);
        long produced = produceAll(infra, traffic, topics);

        READ.set(0);
        READ_WARM_AT.set(0);
        READ_LAST_AT.set(0);
        readWarmup = warmup;
        brokerPid = infra.kafkaPid();
        WARM_CPU.set(null);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        env.setParallelism(parallelism);
        KafkaSource<RawRecord> source = KafkaSource.<RawRecord>builder()
                .setBootstrapServers(settings.bootstrapServers())
                .setProperties(settings.kafkaClientProperties())
                .setTopics(List.of(topics.chatEvents(), topics.rawChat()))
                .setGroupId(settings.groupId())
                .setStartingOffsets(OffsetsInitializer.earliest())
                .setBounded(OffsetsInitializer.latest())
                .setDeserializer(new TimedDeserializer())
                .setProperty("isolation.level", "read_committed")
                .build();
        DataStream<RawRecord> input = env.fromSource(source, WatermarkStrategy.noWatermarks(), "Chat input")
                .uid(StateLayout.CHAT_SOURCE_UID);
        var control = env.fromSource(KafkaConnections.controlSource(settings), WatermarkStrategy.noWatermarks(), "Control input")
                .uid(StateLayout.CONTROL_SOURCE_UID);
        var salesOutcomes = env.fromSource(KafkaConnections.salesOutcomesSource(settings), WatermarkStrategy.noWatermarks(),
                "Sales outcomes").uid(StateLayout.OUTCOMES_SOURCE_UID);
        KafkaConnections.registerOutputSchemas(settings);
        LeadQualWorkflow.define(input, control, salesOutcomes, settings, KafkaConnections.outputs(settings));
        JobClient job = env.executeAsync("LeadQual bench: Kafka throughput");
        long[] endCpu;
        try {
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(15);
            while (READ.get() < produced && System.nanoTime() < deadline) {
                if (job.getJobStatus().get().isGloballyTerminalState()) {
                    break;
                }
                Thread.sleep(100);
            }
            endCpu = cpuNow();
        } finally {
            job.cancel().get(60, TimeUnit.SECONDS);
        }
        long[] warmCpu = WARM_CPU.get();
        long from = READ_WARM_AT.get();
        long to = READ_LAST_AT.get();
        long read = READ.get();
        if (read < produced || from == 0 || to <= from) {
            throw new IllegalStateException("the job read " + read + " of " + produced + " records");
        }
        double seconds = (to - from) / 1e9;
        double jobCpu = warmCpu == null ? Double.NaN : (endCpu[0] - warmCpu[0]) / 1e9;
        double brokerCpu = warmCpu == null || endCpu[1] < 0 ? Double.NaN : (endCpu[1] - warmCpu[1]) / 1e9;
        double jit = warmCpu == null ? Double.NaN : (endCpu[2] - warmCpu[2]) / 1e9;
        return new Throughput((read - warmup) / seconds, read, warmup, seconds, jobCpu, brokerCpu, jit);
    }

    /** CPU (ns) now: this process, the broker's, and the JIT compiler threads of both. */
    static long[] cpuNow() {
        long pid = brokerPid;
        long jit = ThroughputBench.jitAndGcCpuNanos()[0] + (pid > 0 ? ThroughputBench.jitAndGcCpuNanos(Long.toString(pid))[0] : 0);
        return new long[] {ThroughputBench.processCpuNanos(), pid > 0 ? ThroughputBench.processCpuNanos(pid) : -1, jit};
    }

    private static long produceAll(LocalInfra infra, BenchTraffic traffic, Topics topics) throws Exception {
        try (KafkaProducer<byte[], byte[]> producer = producer(infra, 20)) {
            long n = 0;
            for (int k = 0; k < traffic.length(); k++) {
                for (int p = 0; p < traffic.partitions(); p++) {
                    RawRecord r = traffic.parts()[p][k];
                    producer.send(new ProducerRecord<>(topicFor(r, topics), p, r.key, r.value));
                    n++;
                }
            }
            producer.flush();
            return n;
        }
    }

    private static String topicFor(RawRecord r, Topics topics) {
        return r.topic.equals(Topics.defaults().rawChat()) ? topics.rawChat() : topics.chatEvents();
    }

    private static KafkaProducer<byte[], byte[]> producer(LocalInfra infra, int lingerMs) {
        Properties p = new Properties();
        p.setProperty("bootstrap.servers", infra.bootstrapServers());
        p.setProperty("acks", "all");
        p.setProperty("enable.idempotence", "true");
        p.setProperty("linger.ms", String.valueOf(lingerMs));
        p.setProperty("batch.size", "262144");
        return new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer());
    }

    /** Passes records through like {@link RawRecordDeserializer}, counting them and timing the warm-up and last one. */
    static final class TimedDeserializer implements KafkaRecordDeserializationSchema<RawRecord> {
        private final RawRecordDeserializer inner = new RawRecordDeserializer();

        @Override
        public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<RawRecord> out) throws IOException {
            inner.deserialize(record, out);
            long n = READ.incrementAndGet();
            long now = System.nanoTime();
            if (n == readWarmup) {
                READ_WARM_AT.set(now);
                WARM_CPU.set(cpuNow());
            }
            READ_LAST_AT.set(now);
        }

        @Override
        public TypeInformation<RawRecord> getProducedType() {
            return inner.getProducedType();
        }
    }

    /** The production job at {@code rate} events/s for {@code seconds}; the first {@code warmupSeconds} are not counted. */
    public static Latency latency(LocalInfra infra, Configuration conf, int parallelism, BenchTraffic traffic,
            JobSettings base, int rate, int seconds, int warmupSeconds) throws Exception {
        String run = "lat" + System.currentTimeMillis();
        Topics topics = topics(run);
        infra.createTopics(topics.streams(), traffic.partitions(), false);
        infra.createTopics(topics.compacted(), traffic.partitions(), true);
        JobSettings settings = base.withTopics(topics).withGroupId("bench-" + run, "bench-" + run);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        env.setParallelism(parallelism);
        LeadQualJob.build(env, settings);
        JobClient job = env.executeAsync("LeadQual bench: latency");
        Map<String, Long> sentAt = new ConcurrentHashMap<>();
        List<Double> uncommitted = new ArrayList<>();
        List<Double> committed = new ArrayList<>();
        AtomicBoolean stop = new AtomicBoolean();
        Thread readUncommitted = reader(infra, settings, topics.actions(), "read_uncommitted", sentAt, uncommitted, stop);
        Thread readCommitted = reader(infra, settings, topics.actions(), "read_committed", sentAt, committed, stop);
        long sent = 0;
        double achieved;
        try {
            awaitRunning(job);
            Thread.sleep(3000); // the Kafka source finds its partitions
            readUncommitted.start();
            readCommitted.start();
            try (KafkaProducer<byte[], byte[]> producer = producer(infra, 2)) {
                long intervalNanos = 1_000_000_000L / rate;
                long start = System.nanoTime();
                long warmEnd = start + TimeUnit.SECONDS.toNanos(warmupSeconds);
                long end = start + TimeUnit.SECONDS.toNanos(seconds);
                long next = start;
                int k = 0;
                int p = 0;
                while (System.nanoTime() < end && k < traffic.length()) {
                    long now = System.nanoTime();
                    while (next <= now && k < traffic.length()) {
                        RawRecord r = traffic.parts()[p][k];
                        String id = traffic.eventIds()[p][k];
                        long t = System.nanoTime();
                        if (id != null && t >= warmEnd) {
                            sentAt.put(id, t);
                        }
                        producer.send(new ProducerRecord<>(topicFor(r, topics), p, r.key, r.value));
                        sent++;
                        if (++p == traffic.partitions()) {
                            p = 0;
                            k++;
                        }
                        next += intervalNanos;
                    }
                    long sleep = next - System.nanoTime();
                    if (sleep > 200_000) {
                        TimeUnit.NANOSECONDS.sleep(Math.min(sleep, 1_000_000));
                    }
                }
                achieved = sent / ((System.nanoTime() - start) / 1e9);
                producer.flush();
            }
            // Committed visibility waits for the next checkpoint to complete; a job slower than the offered
            // rate also needs time to work off its backlog (its latencies then show the backlog).
            long interval = conf.get(org.apache.flink.configuration.CheckpointingOptions.CHECKPOINTING_INTERVAL).toMillis();
            long minEnd = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(interval + 4000);
            long maxEnd = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
            int lastCount = -1;
            long quietSince = System.nanoTime();
            while (System.nanoTime() < maxEnd) {
                int count;
                synchronized (committed) {
                    count = committed.size();
                }
                if (count != lastCount) {
                    lastCount = count;
                    quietSince = System.nanoTime();
                } else if (System.nanoTime() > minEnd && System.nanoTime() - quietSince > TimeUnit.MILLISECONDS.toNanos(interval + 2000)) {
                    break;
                }
                Thread.sleep(200);
            }
        } finally {
            stop.set(true);
            readUncommitted.join(10_000);
            readCommitted.join(10_000);
            job.cancel().get(60, TimeUnit.SECONDS);
        }
        double[] u = sorted(uncommitted);
        double[] c = sorted(committed);
        return new Latency(rate, seconds, warmupSeconds, achieved, sent, u.length, pct(u, 50), pct(u, 99), pct(u, 99.9),
                u.length == 0 ? Double.NaN : u[u.length - 1], c.length, pct(c, 50), pct(c, 99), pct(c, 99.9));
    }

    private static void awaitRunning(JobClient job) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
        while (System.nanoTime() < deadline) {
            JobStatus s = job.getJobStatus().get();
            if (s == JobStatus.RUNNING) {
                return;
            }
            if (s.isGloballyTerminalState()) {
                throw new IllegalStateException("job ended: " + s);
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("job not running after 2 min");
    }

    private static Thread reader(LocalInfra infra, JobSettings settings, String topic, String isolation,
            Map<String, Long> sentAt, List<Double> into, AtomicBoolean stop) {
        ConfluentAvroDeserializer<NextAction> decoder =
                AvroRegistrySerdes.deserializer(NextAction.class, topic, settings.registry());
        Thread t = new Thread(() -> {
            Properties p = new Properties();
            p.setProperty("bootstrap.servers", infra.bootstrapServers());
            p.setProperty("group.id", "bench-reader-" + UUID.randomUUID());
            p.setProperty("enable.auto.commit", "false");
            p.setProperty("isolation.level", isolation);
            p.setProperty("fetch.max.wait.ms", "5");
            try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
                List<TopicPartition> parts = consumer.partitionsFor(topic).stream()
                        .map(i -> new TopicPartition(topic, i.partition())).toList();
                consumer.assign(parts);
                consumer.seekToBeginning(parts);
                while (!stop.get()) {
                    for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(5))) {
                        long now = System.nanoTime();
                        if (r.value() == null) {
                            continue;
                        }
                        NextAction a = decoder.deserialize(r.value());
                        Long at = sentAt.get(a.getCausedByEventId());
                        if (at != null) {
                            synchronized (into) {
                                into.add((now - at) / 1e6);
                            }
                        }
                    }
                }
            } catch (Exception e) {
                if (!stop.get()) {
                    System.err.println("bench: " + isolation + " reader stopped: " + e);
                }
            }
        }, "bench-" + isolation);
        t.setDaemon(true);
        return t;
    }

    private static double[] sorted(List<Double> values) {
        synchronized (values) {
            double[] a = values.stream().mapToDouble(Double::doubleValue).toArray();
            Arrays.sort(a);
            return a;
        }
    }

    static double pct(double[] sorted, double p) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        int i = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, i))];
    }
}
