package dev.leadqual.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClassifyCommandTest {

    @Test
    void askedSlotIsReadFromTheInputLines(@TempDir Path dir) throws Exception {
        Path in = dir.resolve("in.jsonl");
        Path out = dir.resolve("out.jsonl");
        Files.writeString(in, String.join("\n",
                "{\"id\":\"asked\",\"text\":\"about 40 of us\",\"asked_slot\":\"company_size\"}",
                "{\"id\":\"plain\",\"text\":\"about 40 of us\"}"), StandardCharsets.UTF_8);

        CliRun run = CliRun.of("classify", "--input", in.toString(), "--output", out.toString());

        assertThat(run.code()).isZero();
        ObjectMapper m = new ObjectMapper();
        List<JsonNode> rows = Files.readAllLines(out, StandardCharsets.UTF_8).stream().map(l -> {
            try {
                return m.readTree(l);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }).toList();
        assertThat(rows).hasSize(2);
        assertThat(rows.get(0).get("id").asText()).isEqualTo("asked");
        assertThat(rows.get(0).at("/slots/company_size/value").asText()).isEqualTo("40");
        assertThat(rows.get(0).get("intent").asText()).isEqualTo("answer");
        assertThat(rows.get(1).get("slots").has("company_size")).isFalse();
    }
}
