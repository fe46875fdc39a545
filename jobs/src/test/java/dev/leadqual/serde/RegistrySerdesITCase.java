package dev.leadqual.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.leadqual.config.JobSettings;
import dev.leadqual.infra.LocalInfra;
import dev.leadqual.io.KafkaConnections;
import dev.leadqual.schema.ActionType;
import dev.leadqual.schema.NextAction;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The registry client and the wire-format (de)serializers against a real registry: pre-registered
 * output schemas, lookups, unknown ids, and what the reader makes of damaged bytes.
 */
class RegistrySerdesITCase {

    private static LocalInfra infra;

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
