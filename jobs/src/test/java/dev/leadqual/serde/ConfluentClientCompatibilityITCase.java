package dev.leadqual.serde;

import static org.assertj.core.api.Assertions.assertThat;

import dev.leadqual.infra.LocalInfra;
import dev.leadqual.schema.ChatEvent;
import dev.leadqual.schema.Contact;
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
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.io.JsonEncoder;
import org.apache.avro.specific.SpecificDatumWriter;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Our Confluent wire format against Confluent's own schema-registry client (as shipped, shaded, in
 * flink-sql-avro-confluent-registry), both talking to a real registry: bytes we write decode with
 * Confluent's deserializer, and bytes Confluent's serializer writes decode with ours.
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
}
