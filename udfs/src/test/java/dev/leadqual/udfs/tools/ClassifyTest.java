package dev.leadqual.udfs.tools;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.Reader;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.Writer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ClassifyTest {
  private static final ObjectMapper M = new ObjectMapper();

  private static List<JsonNode> run(String input, List<Long> progress) throws Exception {
    StringWriter out = new StringWriter();
    Classify.run(new StringReader(input), out, progress == null ? n -> { } : progress::add);
    List<JsonNode> rows = new ArrayList<>();
    for (String line : out.toString().split("\n")) {
      rows.add(M.readTree(line));
    }
    return rows;
  }

  @Test
  void oneOutputLinePerInputLineInOrderWithErrorsInPlace() throws Exception {
    String in = String.join("\n",
        "{\"id\":\"a\",\"text\":\"how much is the enterprise plan for 200 seats?\"}",
        "not json at all",
        "{\"text\":\"can I get a demo next week\",\"sent_at\":\"2026-03-10T09:00:00Z\"}",
        "{\"id\":42,\"nope\":true}",
        "{\"id\":\"e\",\"text\":\"¿Cuánto cuesta?\",\"language\":\"es\",\"sent_at\":1773133200000}",
        "{\"id\":\"f\",\"text\":\"hi\",\"sent_at\":\"yesterday-ish\"}",
        "[1,2]");
    List<Long> progress = new ArrayList<>();
    List<JsonNode> rows = run(in, progress);
    assertThat(rows).hasSize(7);
    assertThat(progress).containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 7L);

    assertThat(rows.get(0).get("id").asText()).isEqualTo("a");
    assertThat(rows.get(0).get("category").asText()).isEqualTo("presales");
    assertThat(rows.get(0).get("intent").asText()).isEqualTo("pricing");
    assertThat(rows.get(0).get("slots").get("company_size").get("value").asText()).isEqualTo("200");
    assertThat(rows.get(0).get("slots").get("company_size").get("start").asInt()).isEqualTo(36);

    assertThat(rows.get(1).get("id").asInt()).isEqualTo(2);
    assertThat(rows.get(1).get("error").asText()).isEqualTo("invalid JSON");

    JsonNode demo = rows.get(2);
    assertThat(demo.get("id").asInt()).isEqualTo(3);
    assertThat(demo.get("intent").asText()).isEqualTo("demo_request");
    assertThat(demo.get("slots").get("timeline").get("value").asText()).isEqualTo("2026-03-22|now");
    for (String f : List.of("category", "intent", "confidence", "language", "sentiment", "urgency", "slots")) {
      assertThat(demo.has(f)).as(f).isTrue();
    }

    assertThat(rows.get(3).get("id").asInt()).isEqualTo(42);
    assertThat(rows.get(3).get("error").asText()).isEqualTo("missing text");
    assertThat(rows.get(4).get("language").asText()).isEqualTo("es");
    assertThat(rows.get(5).get("error").asText()).contains("sent_at");
    assertThat(rows.get(6).get("error").asText()).isEqualTo("line is not a JSON object");
  }

  @Test
  void streamsManyLinesWithoutBuffering() throws Exception {
    int n = 20_000;
    Reader generated = new Reader() {
      int line;
      String current = "";
      int pos;

      @Override
      public int read(char[] buf, int off, int len) {
        if (pos == current.length()) {
          if (line == n) {
            return -1;
          }
          line++;
          current = "{\"id\":" + line + ",\"text\":\"message number " + line + ": what does the pro plan cost?\"}\n";
          pos = 0;
        }
        int k = Math.min(len, current.length() - pos);
        current.getChars(pos, pos + k, buf, off);
        pos += k;
        return k;
      }

      @Override
      public void close() {}
    };
    long[] lines = {0};
    long[] last = {0};
    Writer counting = new Writer() {
      @Override
      public void write(char[] cbuf, int off, int len) {
        for (int i = off; i < off + len; i++) {
          if (cbuf[i] == '\n') {
            lines[0]++;
          }
        }
      }

      @Override
      public void flush() {}

      @Override
      public void close() {}
    };
    Classify.run(generated, counting, p -> last[0] = p);
    assertThat(lines[0]).isEqualTo(n);
    assertThat(last[0]).isEqualTo(n);
  }

  @Test
  void askedSlotReadsATerseAnswerAsThatSlotAndKeepsTheOutputShape() throws Exception {
    List<JsonNode> rows = run(String.join("\n",
        "{\"id\":\"a\",\"text\":\"150k\",\"asked_slot\":\"budget\"}",
        "{\"id\":\"b\",\"text\":\"150k\"}",
        "{\"id\":\"c\",\"text\":\"150k\",\"asked_slot\":null}",
        "{\"id\":\"d\",\"text\":\"150k\",\"asked_slot\":7}",
        "{\"id\":\"e\",\"text\":\"unos 40\",\"language\":\"es\",\"asked_slot\":\"company_size\"}"), null);
    assertThat(rows.get(0).get("slots").get("budget").get("value").asText()).isEqualTo("150000 XXX");
    assertThat(rows.get(0).get("intent").asText()).isEqualTo("answer");
    assertThat(rows.get(1).get("slots").has("budget")).isFalse();
    assertThat(rows.get(2)).isEqualTo(((com.fasterxml.jackson.databind.node.ObjectNode) rows.get(1).deepCopy()).put("id", "c"));
    assertThat(rows.get(3).get("error").asText()).isEqualTo("asked_slot is not a string");
    assertThat(rows.get(4).get("slots").get("company_size").get("value").asText()).isEqualTo("40");
    List<String> fields = new ArrayList<>();
    rows.get(0).fieldNames().forEachRemaining(fields::add);
    List<String> plain = new ArrayList<>();
    rows.get(1).fieldNames().forEachRemaining(plain::add);
    assertThat(fields).isEqualTo(plain);
  }
}
