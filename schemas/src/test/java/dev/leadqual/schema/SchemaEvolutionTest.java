package dev.leadqual.schema;

import static org.assertj.core.api.Assertions.assertThat;

import dev.leadqual.schema.state.SessionMemory;
import dev.leadqual.schema.state.TranscriptTurn;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecordBase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The evolution rule of every topic and state contract: a reader of the released schema reads what
 * today's writer writes, and today's reader reads what the released writer wrote. A field added
 * without a default, a removed field without one, or a renamed enum symbol fails here.
 */
class SchemaEvolutionTest {

    static Stream<Schema> currentSchemas() {
        return Stream.of(ChatEvent.SCHEMA$, DeadLetter.SCHEMA$, QualifiedLead.SCHEMA$, NextAction.SCHEMA$,
                SalesHandoff.SCHEMA$, SessionOutcome.SCHEMA$, QualificationMetric.SCHEMA$,
                DecisionAudit.SCHEMA$, ArchivedTurn.SCHEMA$, PolicyUpdate.SCHEMA$, CrmAccount.SCHEMA$,
                LeadOutcome.SCHEMA$, KnowledgeArticle.SCHEMA$, SessionMemory.SCHEMA$, TranscriptTurn.SCHEMA$);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("currentSchemas")
    void releasedAndCurrentSchemasReadEachOther(Schema current) throws IOException {
        Schema released = released().get(current.getFullName());
        assertThat(released).as("released snapshot of %s", current.getFullName()).isNotNull();

        assertThat(SchemaCompatibility.checkReaderWriterCompatibility(current, released).getType())
                .as("today's reader reads the released writer's %s", current.getName())
                .isEqualTo(SchemaCompatibility.SchemaCompatibilityType.COMPATIBLE);
        assertThat(SchemaCompatibility.checkReaderWriterCompatibility(released, current).getType())
                .as("a released reader reads today's writer's %s", current.getName())
                .isEqualTo(SchemaCompatibility.SchemaCompatibilityType.COMPATIBLE);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("currentSchemas")
    void everyFieldAddedSinceReleaseHasADefault(Schema current) throws IOException {
        Schema released = released().get(current.getFullName());
        for (Schema.Field field : current.getFields()) {
            if (released.getField(field.name()) == null) {
                assertThat(field.hasDefaultValue())
                        .as("%s.%s was added after release and needs a default", current.getName(), field.name())
                        .isTrue();
            }
        }
    }

    @Test
    void anOlderProducersChatEventDecodesWithTodaysClassAndDefaults() throws IOException {
        Schema older = olderChatEvent();
        GenericRecord old = new GenericData.Record(older);
        old.put("event_id", "e-1");
        old.put("session_id", "s-1");
        old.put("tenant_id", "acme");
        old.put("channel", "web");
        old.put("source_platform", new GenericData.EnumSymbol(older.getField("source_platform").schema(), "CHATWOOT"));
        old.put("event_type", new GenericData.EnumSymbol(older.getField("event_type").schema(), "MESSAGE"));
        old.put("sender_role", new GenericData.EnumSymbol(older.getField("sender_role").schema(), "VISITOR"));
        old.put("sender_id", null);
        old.put("text", "How much is the enterprise plan?");
        old.put("sent_at", 1_700_000_000_000L);
        old.put("attributes", new HashMap<String, String>());

        byte[] bytes = write(new GenericDatumWriter<>(older), old);
        ChatEvent decoded = new SpecificDatumReader<ChatEvent>(older, ChatEvent.SCHEMA$)
                .read(null, DecoderFactory.get().binaryDecoder(bytes, null));

        assertThat(decoded.getText()).isEqualTo("How much is the enterprise plan?");
        assertThat(decoded.getSourcePlatform()).isEqualTo(SourcePlatform.CHATWOOT);
        assertThat(decoded.getSentAt()).isEqualTo(Instant.ofEpochMilli(1_700_000_000_000L));
        assertThat(decoded.getTraceId()).isNull();
        assertThat(decoded.getContact()).isNull();
    }

    @Test
    void todaysChatEventDecodesWithAnOlderConsumersSchema() throws IOException {
        ChatEvent event = ChatEvent.newBuilder()
                .setEventId("e-2").setSessionId("s-2").setTenantId("acme")
                .setText("Can I book a demo next week?")
                .setSentAt(Instant.ofEpochMilli(1_700_000_100_000L))
                .setTraceId("t-2")
                .setContact(Contact.newBuilder().setEmail("ana@example.com").build())
                .build();
        byte[] bytes = write(new SpecificDatumWriter<>(ChatEvent.SCHEMA$), event);

        Schema older = olderChatEvent();
        GenericRecord decoded = new GenericDatumReader<GenericRecord>(ChatEvent.SCHEMA$, older)
                .read(null, DecoderFactory.get().binaryDecoder(bytes, null));

        assertThat(decoded.get("text").toString()).isEqualTo("Can I book a demo next week?");
        assertThat(decoded.get("session_id").toString()).isEqualTo("s-2");
        assertThat(decoded.getSchema().getField("contact")).isNull();
    }

    @Test
    void aReleasedHandoffReadsAsTheDeterministicSummaryAndAReleasedReaderSkipsTheSummarySource() throws IOException {
        Schema released = released().get(SalesHandoff.SCHEMA$.getFullName());
        assertThat(released.getField("summary_source")).as("summary_source is new since the release").isNull();

        GenericRecord old = new GenericData.Record(released);
        old.put("handoff_id", "l-1-h0");
        old.put("lead_id", "l-1");
        old.put("tenant_id", "acme");
        old.put("session_id", "s-1");
        old.put("score", 72);
        old.put("summary", "Budget 50k, timeline this quarter.");
        old.put("reasons", List.of());
        old.put("key_quotes", List.of());
        old.put("route_to", "sales");
        old.put("handed_off_at", 1_700_000_000_000L);
        old.put("sla_deadline", 1_700_000_900_000L);
        old.put("escalation", 0);
        old.put("policy_version", "v1");
        old.put("trace_id", null);
        SalesHandoff decoded = new SpecificDatumReader<SalesHandoff>(released, SalesHandoff.SCHEMA$)
                .read(null, DecoderFactory.get().binaryDecoder(write(new GenericDatumWriter<>(released), old), null));
        assertThat(decoded.getSummarySource()).isEqualTo("rules");
        assertThat(decoded.getSummary()).isEqualTo("Budget 50k, timeline this quarter.");

        SalesHandoff fromLlm = SalesHandoff.newBuilder(decoded).setSummary("Rewritten.").setSummarySource("llm").build();
        GenericRecord read = new GenericDatumReader<GenericRecord>(SalesHandoff.SCHEMA$, released)
                .read(null, DecoderFactory.get().binaryDecoder(write(new SpecificDatumWriter<>(SalesHandoff.SCHEMA$), fromLlm), null));
        assertThat(read.get("summary").toString()).isEqualTo("Rewritten.");
        assertThat(read.get("score")).isEqualTo(72);
        assertThat(read.getSchema().getField("summary_source")).isNull();
    }

    @Test
    void anEnumSymbolUnknownToAnOlderReaderFallsBackToItsDefault() throws IOException {
        Schema newer = new Schema.Parser().parse(SourcePlatform.SCHEMA$.toString()
                .replace("\"OTHER\"]", "\"OTHER\",\"LIVECHAT\"]"));
        byte[] bytes = write(new GenericDatumWriter<>(newer), new GenericData.EnumSymbol(newer, "LIVECHAT"));
        Object decoded = new SpecificDatumReader<>(newer, SourcePlatform.SCHEMA$)
                .read(null, DecoderFactory.get().binaryDecoder(bytes, null));
        assertThat(decoded).isEqualTo(SourcePlatform.OTHER);
    }

    private static <T> byte[] write(org.apache.avro.io.DatumWriter<T> writer, T datum) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
        writer.write(datum, encoder);
        encoder.flush();
        return out.toByteArray();
    }

    /** Released schemas by full name; shared named types resolve across files. */
    private static Map<String, Schema> released() throws IOException {
        String index;
        try (InputStream in = SchemaEvolutionTest.class.getResourceAsStream("/released/INDEX")) {
            index = new String(in.readAllBytes(), StandardCharsets.UTF_8).trim();
        }
        List<String> pending = new ArrayList<>(List.of(index.split("\\s+")));
        Map<String, Schema> known = new HashMap<>();
        // Files may reference each other's named types: parse in passes until all resolve.
        for (int pass = 0; pass < 5 && !pending.isEmpty(); pass++) {
            for (String file : List.copyOf(pending)) {
                try {
                    Schema s = parse("/released/" + file, known);
                    known.put(s.getFullName(), s);
                    pending.remove(file);
                } catch (org.apache.avro.SchemaParseException unresolvedYet) {
                    // parsed in a later pass
                }
            }
        }
        assertThat(pending).as("released schemas that do not parse").isEmpty();
        return known;
    }

    /** ChatEvent as an older producer wrote it, with today's released shared types. */
    private static Schema olderChatEvent() throws IOException {
        Map<String, Schema> shared = new HashMap<>(released());
        shared.remove(ChatEvent.SCHEMA$.getFullName());
        return parse("/older/ChatEvent.avsc", shared);
    }

    private static Schema parse(String resource, Map<String, Schema> known) throws IOException {
        Schema.Parser parser = new Schema.Parser();
        parser.addTypes(known);
        try (InputStream in = SchemaEvolutionTest.class.getResourceAsStream(resource)) {
            return parser.parse(in);
        }
    }

}
