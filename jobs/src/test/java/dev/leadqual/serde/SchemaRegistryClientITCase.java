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

/** The registry client against a real registry: pre-registered output schemas, lookups, unknown ids. */
class SchemaRegistryClientITCase {

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
}
