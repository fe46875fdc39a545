package dev.leadqual.udfs.bench;

import dev.leadqual.schema.ChatEvent;
import dev.leadqual.udfs.normalise.ChatNormaliser;
import dev.leadqual.udfs.normalise.InvalidPayloadException;
import dev.leadqual.udfs.understand.Understander;
import dev.leadqual.udfs.understand.Understanding;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The whole understanding step per message on one thread: language, intent, sentiment, urgency and
 * slots ({@code understand}), and the same after normalising a Chatwoot webhook payload
 * ({@code normaliseAndUnderstand}). Messages rotate over typical chat lines in five languages.
 * SampleTime mode reports the median (p0.50). See EVALUATION.md for the command.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
@Threads(1)
public class UnderstandingBenchmark {
  static final String[] MESSAGES = {
    "how much is the enterprise plan for 200 seats?",
    "can I get a demo next week",
    "our invoice is wrong",
    "I want to talk to a person",
    "Hi, I'm Dana, CTO at Northwind. We're 250 employees, budget 75k-150k euro per year, go-live in Q3. dana@northwind.com",
    "¿Cuánto cuesta el plan pro? Somos 40 personas y queremos empezar el próximo mes",
    "Können wir nächste Woche eine Demo vereinbaren? Unser Budget liegt bei 20.000 € pro Jahr.",
    "Bonjour, je voudrais un devis pour 50 utilisateurs",
    "Olá, quero falar com um vendedor sobre o plano anual",
    "the widget is not loading on our website since this morning",
    "thanks!",
    "does it integrate with salesforce? we need SSO too, call me on +1 415 555 0132",
  };

  private Understander understander;
  private ChatNormaliser normaliser;
  private byte[][] payloads;
  private long sentAt;
  private int i;

  /** The Chatwoot message_created payloads the normalise benchmark feeds. */
  static byte[][] payloads() {
    byte[][] out = new byte[MESSAGES.length][];
    for (int k = 0; k < MESSAGES.length; k++) {
      String text = MESSAGES[k].replace("\\", "\\\\").replace("\"", "\\\"");
      out[k] = ("{\"id\":" + (1000 + k) + ",\"content\":\"" + text + "\",\"created_at\":\"2026-03-10T09:15:02.000Z\","
          + "\"message_type\":\"incoming\",\"content_type\":\"text\",\"private\":false,"
          + "\"sender\":{\"id\":14,\"name\":\"Dana\",\"type\":\"contact\"},\"inbox\":{\"id\":1,\"name\":\"Website\"},"
          + "\"conversation\":{\"channel\":\"Channel::WebWidget\",\"id\":321,\"inbox_id\":1,"
          + "\"meta\":{\"sender\":{\"id\":14,\"name\":\"Dana\",\"email\":null,\"phone_number\":null,\"type\":\"contact\"}},\"status\":\"open\"},"
          + "\"account\":{\"id\":7,\"name\":\"Acme\"},\"event\":\"message_created\"}").getBytes(StandardCharsets.UTF_8);
    }
    return out;
  }

  @Setup
  public void setUp() {
    understander = Understander.loadDefault();
    normaliser = ChatNormaliser.create();
    sentAt = java.time.Instant.parse("2026-03-10T09:15:02Z").toEpochMilli();
    payloads = payloads();
  }

  @Benchmark
  public Understanding understand() {
    String m = MESSAGES[i++ % MESSAGES.length];
    return understander.understand(m, null, sentAt);
  }

  @Benchmark
  public Understanding normaliseAndUnderstand() throws InvalidPayloadException {
    ChatEvent e = normaliser.normalise(payloads[i++ % payloads.length]).get(0);
    return understander.understand(e.getText(), e.getLocale(), e.getSentAt().toEpochMilli());
  }
}
