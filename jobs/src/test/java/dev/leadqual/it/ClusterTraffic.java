package dev.leadqual.it;

import dev.leadqual.schema.ChatEvent;
import dev.leadqual.schema.ChatEventType;
import dev.leadqual.schema.SenderRole;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * Seeded test traffic for the cluster tests: whole conversations (sales in English and Spanish,
 * support with an agent turn) that end with SESSION_CLOSED, stamped with the time they are sent, and
 * the kinds of malformed input a public chat endpoint receives.
 */
final class ClusterTraffic {

    static final String[] TENANTS = {"acme", "globex", "initech"};

    private static final List<String[]> SCRIPTS = List.of(
            new String[] {
                "V:Hi, we're evaluating chat tools for our support team at {company}.",
                "V:How much is the enterprise plan for {seats} seats?",
                "V:Our budget is around $50k per year.",
                "V:I'm the VP of Customer Success and I sign off on this.",
                "V:We need to go live by the end of next month.",
                "V:You can reach me at {email}",
                "V:Can we book a demo with your sales team?"},
            new String[] {
                "V:I can't log into my account since this morning.",
                "A:Sorry to hear that! Have you tried resetting your password?",
                "V:Yes, twice. I still get an error message when I log in."},
            new String[] {
                "V:Hola, ¿cuánto cuesta el plan Business para {seats} usuarios?",
                "V:Nuestro presupuesto es de unos 20.000 euros al año.",
                "V:Soy el director de operaciones de {company}.",
                "V:Queremos empezar el próximo trimestre."},
            new String[] {
                "V:Do you integrate with Salesforce?",
                "B:Yes, we have a native Salesforce integration.",
                "V:Great, what does it cost for a team of {seats}?",
                "V:Thanks, that's all for now."});

    private static final String[] COMPANIES = {"Northwind Traders", "Contoso", "Umbrella Logistics", "Stark Retail"};

    /** One conversation being sent: its events are made when sent, so they carry the send time. */
    static final class Conversation {
        final String sessionId;
        final String tenant;
        final List<String> lines;
        int next;

        Conversation(String sessionId, String tenant, List<String> lines) {
            this.sessionId = sessionId;
            this.tenant = tenant;
            this.lines = lines;
        }

        boolean done() {
            return next > lines.size();
        }

        /** The next event: a message, or SESSION_CLOSED after the last line. */
        ChatEvent nextEvent(Instant now) {
            int i = next++;
            ChatEvent.Builder b = ChatEvent.newBuilder()
                    .setSessionId(sessionId)
                    .setTenantId(tenant)
                    .setSentAt(now)
                    .setTraceId("trace-" + sessionId + "-" + i);
            if (i == lines.size()) {
                return b.setEventId(sessionId + "-closed")
                        .setEventType(ChatEventType.SESSION_CLOSED)
                        .setSenderRole(SenderRole.SYSTEM)
                        .setText(null)
                        .build();
            }
            String line = lines.get(i);
            SenderRole role = switch (line.charAt(0)) {
                case 'A' -> SenderRole.AGENT;
                case 'B' -> SenderRole.BOT;
                default -> SenderRole.VISITOR;
            };
            return b.setEventId(sessionId + "-e" + i)
                    .setSenderRole(role)
                    .setText(line.substring(2))
                    .build();
        }
    }

    private final Random random;
    private int sessions;

    ClusterTraffic(long seed) {
        this.random = new Random(seed);
    }

    Conversation newConversation() {
        int n = ++sessions;
        String tenant = TENANTS[random.nextInt(TENANTS.length)];
        String[] script = SCRIPTS.get(random.nextInt(SCRIPTS.size()));
        String company = COMPANIES[random.nextInt(COMPANIES.length)];
        String seats = String.valueOf(10 * (2 + random.nextInt(40)));
        String email = "buyer" + n + "@" + company.toLowerCase().replaceAll("[^a-z]", "") + ".example";
        List<String> lines = new ArrayList<>();
        for (String s : script) {
            lines.add(s.replace("{company}", company).replace("{seats}", seats).replace("{email}", email));
        }
        return new Conversation(String.format("%s-c%04d", tenant, n), tenant, lines);
    }

    // ---------------------------------------------------------------------------------------------
    // malformed input

    /** What is sent to which topic ({@code raw} = the webhook topic) and the stage that must reject it. */
    record Malformed(String kind, boolean raw, byte[] bytes, String stage) {}

    /** Largest value a default Kafka producer sends: 1 MiB request minus the record batch overhead. */
    static final int NEAR_LIMIT_BYTES = 1_048_400;

    private static final byte[] HTML_ERROR_PAGE = ("<!DOCTYPE html><html><head><title>502 Bad Gateway</title></head>"
            + "<body><h1>502 Bad Gateway</h1><p>The proxy received an invalid response.</p>"
            + "<script>alert('x')</script></body></html>").getBytes(StandardCharsets.UTF_8);

    /**
     * The {@code i}-th malformed input: random bytes, truncated Avro, unknown schema ids, invalid UTF-8
     * in JSON, null values, HTML pages, events with blank ids, over-long texts; every 1,000th is one of
     * the 1 MB kinds (up to the largest record a default producer can send).
     *
     * @param avro encodes a chat event in the Confluent wire format with a real schema id
     */
    Malformed malformed(int i, java.util.function.Function<ChatEvent, byte[]> avro) {
        if (i % 1000 == 999) {
            return switch ((i / 1000) % 4) {
                case 0 -> new Malformed("avro_1mb_text", false, avro.apply(eventWithText(textOfAvroSize(avro, 1_000_000))), "validate");
                case 1 -> new Malformed("avro_near_limit_text", false, avro.apply(eventWithText(textOfAvroSize(avro, NEAR_LIMIT_BYTES))), "validate");
                case 2 -> new Malformed("webhook_1mb_text", true, chatwootWebhook(i, "a".repeat(1_000_000)), "normalise");
                default -> new Malformed("webhook_near_limit", true, chatwootWebhook(i, "b".repeat(NEAR_LIMIT_BYTES - 600)), "normalise");
            };
        }
        return switch (i % 11) {
            case 0 -> {
                byte[] b = new byte[8 + random.nextInt(200)];
                random.nextBytes(b);
                b[0] = (byte) (1 + random.nextInt(120)); // never the wire format's magic byte 0
                yield new Malformed("random_bytes", false, b, "decode");
            }
            case 1 -> {
                byte[] full = avro.apply(eventWithText("Hello, I would like a quote for 40 seats please."));
                yield new Malformed("truncated_avro", false, Arrays.copyOf(full, 6 + random.nextInt(full.length / 2)), "decode");
            }
            case 2 -> {
                int id = 1_000_000 + random.nextInt(1_000_000);
                byte[] b = {0, (byte) (id >>> 24), (byte) (id >>> 16), (byte) (id >>> 8), (byte) id, 2, 0x41, 0x42};
                yield new Malformed("unknown_schema_id", false, b, "decode");
            }
            case 3 -> new Malformed("invalid_utf8_json", true, invalidUtf8Json(i), "normalise");
            case 4 -> new Malformed("null_value", false, null, "decode");
            case 5 -> new Malformed("null_value_raw", true, null, "decode");
            case 6 -> new Malformed("html_page_raw", true, HTML_ERROR_PAGE, "normalise");
            case 7 -> new Malformed("html_page_avro_topic", false, HTML_ERROR_PAGE, "decode");
            case 8 -> new Malformed("blank_ids", false, avro.apply(ChatEvent.newBuilder()
                    .setEventId("bad-" + i).setSessionId("").setTenantId(" ")
                    .setText("<b>hello</b>").setSentAt(Instant.now()).build()), "validate");
            case 9 -> new Malformed("invisible_text", false, avro.apply(ChatEvent.newBuilder()
                    .setEventId("bad-" + i).setSessionId("markup-" + i).setTenantId("acme")
                    .setText("\u200b\u200b \t\n").setSentAt(Instant.now()).build()), "validate");
            default -> new Malformed("json_not_a_webhook", true,
                    ("[1, 2, {\"html\": \"<div onclick=\\\"x()\\\">hi</div>\"}]").getBytes(StandardCharsets.UTF_8), "normalise");
        };
    }

    private static ChatEvent eventWithText(String text) {
        return ChatEvent.newBuilder()
                .setEventId("big-" + text.length())
                .setSessionId("big-session")
                .setTenantId("acme")
                .setText(text)
                .setSentAt(Instant.now())
                .build();
    }

    /** A text that makes the encoded event {@code size} bytes long. */
    private static String textOfAvroSize(java.util.function.Function<ChatEvent, byte[]> avro, int size) {
        int overhead = avro.apply(eventWithText("x")).length - 1;
        // the length prefix of a ~1 MB string is 3 bytes longer than that of a 1-char one
        return "x".repeat(size - overhead - 3);
    }

    private static byte[] chatwootWebhook(int i, String content) {
        String json = "{\"event\":\"message_created\",\"id\":" + (900000 + i) + ",\"content\":\"" + content + "\","
                + "\"created_at\":\"" + Instant.now() + "\",\"message_type\":\"incoming\",\"content_type\":\"text\","
                + "\"private\":false,\"sender\":{\"id\":42,\"name\":\"Big Sender\",\"type\":\"contact\"},"
                + "\"conversation\":{\"id\":" + (70000 + i) + ",\"channel\":\"Channel::WebWidget\",\"status\":\"open\"},"
                + "\"account\":{\"id\":7,\"name\":\"Acme Inc\"}}";
        return json.getBytes(StandardCharsets.UTF_8);
    }

    private byte[] invalidUtf8Json(int i) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.writeBytes(("{\"event\":\"message_created\",\"id\":" + (800000 + i) + ",\"content\":\"caf").getBytes(StandardCharsets.UTF_8));
        // an overlong encoding, a lone continuation byte, a truncated 3-byte sequence, 0xFF
        byte[][] bad = {{(byte) 0xC0, (byte) 0xAF}, {(byte) 0x80}, {(byte) 0xE2, (byte) 0x82}, {(byte) 0xFF}};
        b.writeBytes(bad[random.nextInt(bad.length)]);
        b.writeBytes(("\",\"message_type\":\"incoming\",\"conversation\":{\"id\":" + (60000 + i)
                + "},\"account\":{\"id\":7}}").getBytes(StandardCharsets.UTF_8));
        return b.toByteArray();
    }
}
