package dev.leadqual.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.leadqual.config.JobSettings;
import dev.leadqual.infra.LocalInfra;
import dev.leadqual.io.KafkaConnections;
import dev.leadqual.schema.ActionType;
import dev.leadqual.schema.ChatEvent;
import dev.leadqual.schema.Contact;
import dev.leadqual.schema.NextAction;
import dev.leadqual.schema.SenderRole;
import dev.leadqual.schema.SourcePlatform;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.avro.Schema;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.io.JsonEncoder;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Our Confluent wire format against Confluent's own schema-registry client (as shipped, shaded, in
 * flink-sql-avro-confluent-registry), both talking to a real registry: bytes we write decode with
 * Confluent's deserializer, and bytes Confluent's serializer writes decode with ours. And our registry
 * client and (de)serializers on their own against it: pre-registered output schemas, lookups, unknown
 * ids, what the reader makes of damaged bytes.
 */
class ConfluentClientCompatibilityITCase {

    private static LocalInfra infra;

    @TempDir
    Path dir;

    @BeforeAll
    static void start() throws Exception {
        infra = LocalInfra.builder().partitions(1).start();
    }

    @AfterAll
    static void stop() {
        if (infra != null) {
            infra.close();
        }
    }

    private static ChatEvent event() {
        return ChatEvent.newBuilder()
                .setEventId("evt-42").setSessionId("chatwoot:7:321").setTenantId("acme")
                .setSourcePlatform(SourcePlatform.CHATWOOT).setSenderRole(SenderRole.VISITOR)
                .setText("¿Cuánto cuesta el plan Business para 50 usuarios?")
                .setSentAt(Instant.parse("2026-03-10T09:15:02Z"))
                .setLocale("es").setTraceId("trace-1")
                .setContact(Contact.newBuilder().setEmail("ana@contoso.example").build())
                .build();
    }

    @Test
    void confluentsDeserializerReadsWhatWeWrite() throws Exception {
        RegistrySettings registry = RegistrySettings.of(infra.registryUrl());
        byte[] ours = AvroRegistrySerdes.serializer(ChatEvent.class, "compat.ours", registry).serialize(event());
        assertThat(ours[0]).as("magic byte").isZero();

        Path bytes = Files.write(dir.resolve("ours.bin"), ours);
        Path json = dir.resolve("decoded.json");
        runProbe("decode", bytes.toString(), json.toString());

        String decoded = Files.readString(json, StandardCharsets.UTF_8);
        assertThat(decoded).contains("\"event_id\": \"evt-42\"", "\"session_id\": \"chatwoot:7:321\"",
                "Cuánto cuesta el plan Business", "\"source_platform\": \"CHATWOOT\"", "ana@contoso.example");
    }

    @Test
    void weReadWhatConfluentsSerializerWrites() throws Exception {
        Path json = Files.writeString(dir.resolve("event.json"), avroJson(event()), StandardCharsets.UTF_8);
        Path bytes = dir.resolve("confluent.bin");
        runProbe("encode", json.toString(), bytes.toString(), "compat.confluent-value");

        byte[] confluent = Files.readAllBytes(bytes);
        assertThat(confluent[0]).as("magic byte").isZero();
        ChatEvent decoded = AvroRegistrySerdes
                .deserializer(ChatEvent.class, "compat.confluent", RegistrySettings.of(infra.registryUrl()))
                .deserialize(confluent);
        assertThat(decoded).isEqualTo(event());
    }

    private static String avroJson(ChatEvent e) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        JsonEncoder encoder = EncoderFactory.get().jsonEncoder(ChatEvent.SCHEMA$, out);
        new SpecificDatumWriter<>(ChatEvent.SCHEMA$).write(e, encoder);
        encoder.flush();
        return out.toString(StandardCharsets.UTF_8);
    }

    /** Runs the probe in a JVM whose classpath has Confluent's client instead of flink-avro and Avro. */
    private void runProbe(String mode, String... args) throws Exception {
        Path schema = Files.writeString(dir.resolve("schema.avsc"), ChatEvent.SCHEMA$.toString());
        String classpath = Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
                .filter(e -> !e.contains("flink-avro-") && !e.matches(".*[/\\\\]avro-1\\..*"))
                .collect(Collectors.toCollection(ArrayList::new))
                .stream().collect(Collectors.joining(File.pathSeparator))
                + File.pathSeparator + confluentClientJar();
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp", classpath,
                ConfluentClientProbe.class.getName(), mode, infra.registryUrl(), schema.toString()));
        command.addAll(List.of(args));
        Path log = dir.resolve("probe.log");
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("probe finished").isTrue();
        assertThat(p.exitValue()).as("probe exit; output:\n%s", Files.readString(log)).isZero();
    }

    private static String confluentClientJar() {
        Path jar = Path.of(System.getProperty("leadqual.confluent.client.jar", "target/confluent-client/flink-sql-avro-confluent-registry.jar"));
        assertThat(jar).as("Confluent client jar (copied by the build)").exists();
        return jar.toAbsolutePath().toString();
    }

    /**
     * The job's client registers every output schema before submission; then many sink instances, each
     * with its own client (as in separate task manager JVMs), find their ids at the same moment without
     * registering anything, and the records they write carry that id and read back.
     */
    @Test
    void sinksOnlyLookUpTheSchemasTheJobsClientRegistered() throws Exception {
        JobSettings settings = JobSettings.local(infra.bootstrapServers(), infra.registryUrl());
        KafkaConnections.registerOutputSchemas(settings);
        SchemaRegistryClient observer = new SchemaRegistryClient(settings.registry());
        Map<String, Class<? extends SpecificRecord>> outputs = KafkaConnections.outputTypes(settings.topics());
        List<SchemaRegistryClient> sinks = new ArrayList<>();
        List<Callable<List<Integer>>> work = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            SchemaRegistryClient sink = new SchemaRegistryClient(settings.registry());
            sinks.add(sink);
            work.add(() -> {
                List<Integer> ids = new ArrayList<>();
                for (Map.Entry<String, Class<? extends SpecificRecord>> e : outputs.entrySet()) {
                    ids.add(sink.idOf(AvroRegistrySerdes.valueSubject(e.getKey()), SpecificData.get().getSchema(e.getValue())));
                }
                return ids;
            });
        }
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Integer> expected = new ArrayList<>();
            for (Map.Entry<String, Class<? extends SpecificRecord>> e : outputs.entrySet()) {
                expected.add(observer.register(AvroRegistrySerdes.valueSubject(e.getKey()), SpecificData.get().getSchema(e.getValue())));
            }
            for (Future<List<Integer>> f : pool.invokeAll(work)) {
                assertThat(f.get()).isEqualTo(expected);
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(sinks).allSatisfy(s -> assertThat(s.registrations()).isZero());

        String topic = settings.topics().actions();
        NextAction action = NextAction.newBuilder()
                .setActionId("a1").setTenantId("acme").setSessionId("s1").setAction(ActionType.ASK_SLOT)
                .setSlot("budget").setMessage("What budget do you have in mind?").setLanguage("en")
                .setReason("missing_slot").setCausedByEventId("e1").setDecidedAt(Instant.parse("2026-03-10T09:15:02Z"))
                .setPolicyVersion("v1").build();
        byte[] wire = AvroRegistrySerdes.serializer(NextAction.class, topic, settings.registry()).serialize(action);
        int id = ((wire[1] & 0xff) << 24) | ((wire[2] & 0xff) << 16) | ((wire[3] & 0xff) << 8) | (wire[4] & 0xff);
        assertThat(wire[0]).isZero();
        assertThat(id).isEqualTo(observer.idOf(AvroRegistrySerdes.valueSubject(topic), NextAction.getClassSchema()));
        assertThat(AvroRegistrySerdes.deserializer(NextAction.class, topic, settings.registry()).deserialize(wire)).isEqualTo(action);
    }

    /** A schema the subject does not have yet is registered by the first writer. */
    @Test
    void aSchemaNotYetUnderTheSubjectIsRegistered() throws Exception {
        SchemaRegistryClient client = new SchemaRegistryClient(RegistrySettings.of(infra.registryUrl()));
        Schema schema = NextAction.getClassSchema();
        int id = client.idOf("fresh-subject-value", schema);
        assertThat(client.registrations()).isEqualTo(1);
        assertThat(new SchemaRegistryClient(RegistrySettings.of(infra.registryUrl())).idOf("fresh-subject-value", schema))
                .isEqualTo(id);
    }

    /** Records carrying a made-up schema id go to the dead letters without one registry call each. */
    @Test
    void anUnknownIdIsAskedOnceWithinTheRecheckInterval() {
        SchemaRegistryClient client = new SchemaRegistryClient(RegistrySettings.of(infra.registryUrl()));
        for (int i = 0; i < 5; i++) {
            assertThatThrownBy(() -> client.schemaById(0x7f7f7f7f)).isInstanceOf(SchemaRegistryClient.UnknownSchemaException.class);
        }
        assertThat(client.requests()).isEqualTo(1);
    }

    /**
     * Chat events, whole and damaged (cut at every length, single bytes changed), read as flink-avro's
     * registry schema read them before (Avro's default reader): the same event, or the same exception
     * (the dead letter's reason comes from it).
     */
    @Test
    void damagedEventsFailAsWithFlinksRegistryReader() throws Exception {
        RegistrySettings registry = RegistrySettings.of(infra.registryUrl());
        String topic = "damaged.events";
        dev.leadqual.schema.ChatEvent event = dev.leadqual.schema.ChatEvent.newBuilder()
                .setEventId("evt-1").setSessionId("acme-s1").setTenantId("acme")
                .setSenderRole(dev.leadqual.schema.SenderRole.VISITOR).setText("Our budget is around $50k per year.")
                .setSentAt(Instant.parse("2026-03-10T09:15:02Z")).setLocale("en").setTraceId("t1")
                .setAttributes(Map.of("k", "v")).build();
        byte[] whole = AvroRegistrySerdes.serializer(dev.leadqual.schema.ChatEvent.class, topic, registry).serialize(event);
        List<byte[]> inputs = new ArrayList<>();
        inputs.add(whole);
        for (int n = 0; n < whole.length; n++) {
            inputs.add(java.util.Arrays.copyOf(whole, n));
        }
        java.util.Random random = new java.util.Random(3);
        for (int i = 5; i < whole.length; i++) {
            for (int k = 0; k < 3; k++) {
                byte[] b = whole.clone();
                b[i] = (byte) random.nextInt(256);
                inputs.add(b);
            }
        }
        ConfluentAvroDeserializer<dev.leadqual.schema.ChatEvent> ours =
                AvroRegistrySerdes.deserializer(dev.leadqual.schema.ChatEvent.class, topic, registry);
        SpecificData model = SpecificData.getForClass(dev.leadqual.schema.ChatEvent.class);
        model.setFastReaderEnabled(false); // as before AvroModels
        try {
            int same = 0;
            for (byte[] input : inputs) {
                org.apache.flink.formats.avro.RegistryAvroDeserializationSchema<dev.leadqual.schema.ChatEvent> flinks =
                        new org.apache.flink.formats.avro.RegistryAvroDeserializationSchema<>(dev.leadqual.schema.ChatEvent.class, null,
                                new ConfluentSchemaCoder.Provider(registry, AvroRegistrySerdes.valueSubject(topic)));
                assertThat(outcome(() -> ours.deserialize(input))).isEqualTo(outcome(() -> flinks.deserialize(input)));
                same++;
            }
            assertThat(same).isGreaterThan(100);
        } finally {
            model.setFastReaderEnabled(true);
        }
    }

    private static Object outcome(Callable<Object> read) {
        try {
            return read.call();
        } catch (Exception | Error e) {
            return e.getClass().getName() + ": " + e.getMessage();
        }
    }
}
