package dev.leadqual.demo;

import dev.leadqual.schema.ChatEvent;
import dev.leadqual.schema.ChatEventType;
import dev.leadqual.schema.Contact;
import dev.leadqual.schema.SenderRole;
import dev.leadqual.schema.SourcePlatform;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * A seedable generator of realistic chat traffic: sales (BANT) and support conversations in five
 * languages across several tenants, interleaved like live chats, a share of them arriving as
 * Chatwoot webhooks, and a small share of malformed records. The same seed gives the same traffic.
 */
public final class SyntheticChats {

    /** What to send where: an Avro chat event, a raw platform webhook (JSON), or malformed bytes. */
    public sealed interface Item permits Event, Webhook, Malformed {}

    /** @param script the conversation script it belongs to, e.g. {@code sales_en} (known to the generator only) */
    public record Event(ChatEvent event, String script) implements Item {}

    public record Webhook(String sessionId, byte[] json, String textForDisplay) implements Item {}

    /** @param kind random_bytes, unknown_schema_id, truncated_avro, missing_text, bad_json */
    public record Malformed(String kind, boolean rawTopic, byte[] bytes) implements Item {}

    private static final String[] TENANTS = {"acme", "globex", "initech"};
    private static final String[] FIRST = {"Dana", "Luis", "Jonas", "Camille", "Beatriz", "Priya", "Tom", "Ana"};
    private static final String[] LAST = {"Whitfield", "García", "Becker", "Martin", "Souza", "Raman", "Okafor", "Ito"};
    private static final String[] COMPANIES = {"Northwind Traders", "Contoso", "Umbrella Logistics", "Stark Retail",
        "Wayne Health", "Soylent Foods", "Hooli", "Vandelay Industries"};

    /** Conversation scripts: V: visitor, A: agent, B: bot. {name} {company} {email} {seats} are filled in. */
    private static final Map<String, List<String>> SCRIPTS = Map.ofEntries(
            Map.entry("sales_en", List.of(
                    "V:Hi, we're looking for a chat tool for our support team at {company}.",
                    "V:How much is the enterprise plan for {seats} seats?",
                    "V:Our budget is around $50k per year.",
                    "V:I'm the VP of Customer Success, I sign off on this.",
                    "V:We need to go live by the end of next month.",
                    "V:We have about {seats} agents and 900 employees overall.",
                    "V:You can reach me at {email}.",
                    "V:Could we book a demo with your sales team?")),
            Map.entry("presales_en", List.of(
                    "V:Hello! Do you integrate with Salesforce and Zendesk?",
                    "V:What does the professional plan cost per user per month?",
                    "V:Not sure about budget yet, just exploring options for later this year.",
                    "V:Thanks, that's helpful.")),
            Map.entry("support_en", List.of(
                    "V:I can't log into my account since this morning.",
                    "A:Sorry to hear that! Have you tried resetting your password?",
                    "V:Yes, twice. Still getting an error, and our customers are waiting.",
                    "V:This is really frustrating, please fix it urgently.",
                    "V:Thanks, it works now.")),
            Map.entry("human_en", List.of(
                    "V:Your bot is not helping. I want to talk to a real person please.",
                    "V:Hello? Anyone there?")),
            Map.entry("sales_es", List.of(
                    "V:Hola, ¿cuánto cuesta el plan Business para {seats} usuarios?",
                    "V:Nuestro presupuesto es de unos 20.000 euros al año.",
                    "V:Soy el director de operaciones de {company}.",
                    "V:Queremos empezar el próximo trimestre.",
                    "V:Mi correo es {email}.")),
            Map.entry("sales_de", List.of(
                    "V:Hallo, wir suchen eine Lösung für unser Vertriebsteam mit {seats} Mitarbeitern.",
                    "V:Was kostet das Enterprise-Paket?",
                    "V:Unser Budget liegt bei 30.000 € pro Jahr.",
                    "V:Ich bin Geschäftsführer bei {company}.",
                    "V:Wir möchten bis Ende des Quartals starten. Erreichbar unter {email}.")),
            Map.entry("support_fr", List.of(
                    "V:Bonjour, ma facture de ce mois est incorrecte.",
                    "A:Bonjour, je regarde cela tout de suite.",
                    "V:On nous a facturé deux fois pour le même abonnement.",
                    "V:Merci beaucoup.")),
            Map.entry("presales_pt", List.of(
                    "V:Olá, vocês têm integração com o HubSpot?",
                    "V:Quanto custa o plano profissional para {seats} usuários?",
                    "V:Somos a {company}, temos cerca de 300 funcionários.",
                    "V:Obrigado!")));
    private static final List<String> SCRIPT_NAMES = List.copyOf(new java.util.TreeSet<>(SCRIPTS.keySet()));

    private final Random random;
    private final double malformedShare;
    private final double webhookShare;
    private final List<Live> live = new ArrayList<>();
    private final int concurrentSessions;
    private long sessionCounter;
    private long eventCounter;

    private static final class Live {
        String sessionId;
        String tenant;
        String script;
        List<String> turns;
        int next;
        boolean webhook;
        String email;
        String name;
    }

    public SyntheticChats(long seed, int concurrentSessions, double malformedShare, double webhookShare) {
        this.random = new Random(seed);
        this.concurrentSessions = Math.max(1, concurrentSessions);
        this.malformedShare = malformedShare;
        this.webhookShare = webhookShare;
    }

    /** How many turns the script has (every session of it runs them all). */
    public static int scriptLength(String script) {
        return SCRIPTS.get(script).size();
    }

    /** The next item of the traffic, stamped with {@code now}. */
    public Item next(Instant now) {
        if (random.nextDouble() < malformedShare) {
            return malformed(now);
        }
        while (live.size() < concurrentSessions) {
            live.add(newSession());
        }
        int i = random.nextInt(live.size());
        Live s = live.get(i);
        String line = s.turns.get(s.next++);
        if (s.next >= s.turns.size()) {
            live.remove(i);
        }
        SenderRole role = switch (line.charAt(0)) {
            case 'A' -> SenderRole.AGENT;
            case 'B' -> SenderRole.BOT;
            default -> SenderRole.VISITOR;
        };
        String text = line.substring(2);
        long n = ++eventCounter;
        if (s.webhook) {
            return new Webhook(s.sessionId, chatwootWebhook(s, n, role, text, now), text);
        }
        return new Event(ChatEvent.newBuilder()
                .setEventId("evt-" + Long.toHexString(random.nextLong()) + "-" + n)
                .setSessionId(s.sessionId)
                .setTenantId(s.tenant)
                .setChannel("web")
                .setSourcePlatform(SourcePlatform.NATIVE)
                .setEventType(ChatEventType.MESSAGE)
                .setSenderRole(role)
                .setSenderId(role == SenderRole.VISITOR ? "visitor-" + s.sessionId : "agent-7")
                .setText(text)
                .setSentAt(now)
                .setLocale(s.script.substring(s.script.length() - 2))
                .setTraceId("trace-" + Long.toHexString(random.nextLong()))
                .setContact(s.next == 1 && random.nextBoolean()
                        ? Contact.newBuilder().setName(s.name).build() : null)
                .build(), s.script);
    }

    private Live newSession() {
        Live s = new Live();
        s.tenant = TENANTS[random.nextInt(TENANTS.length)];
        s.script = SCRIPT_NAMES.get(random.nextInt(SCRIPT_NAMES.size()));
        s.webhook = random.nextDouble() < webhookShare;
        long id = ++sessionCounter;
        s.sessionId = s.webhook ? "chatwoot:7:" + (1000 + id) : s.tenant + "-s" + String.format("%05d", id);
        String first = FIRST[random.nextInt(FIRST.length)];
        String last = LAST[random.nextInt(LAST.length)];
        String company = COMPANIES[random.nextInt(COMPANIES.length)];
        s.name = first + " " + last;
        s.email = (first + "." + last).toLowerCase().replaceAll("[^a-z.]", "") + "@"
                + company.toLowerCase().replaceAll("[^a-z]", "") + ".example.com";
        String seats = String.valueOf(10 * (2 + random.nextInt(40)));
        s.turns = new ArrayList<>();
        for (String t : SCRIPTS.get(s.script)) {
            s.turns.add(t.replace("{company}", company).replace("{email}", s.email)
                    .replace("{seats}", seats).replace("{name}", s.name));
        }
        return s;
    }

    private byte[] chatwootWebhook(Live s, long n, SenderRole role, String text, Instant now) {
        String conv = s.sessionId.substring(s.sessionId.lastIndexOf(':') + 1);
        String json = "{\"event\":\"message_created\",\"id\":" + (500000 + n) + ",\"content\":" + quote(text)
                + ",\"created_at\":\"" + now + "\",\"message_type\":\"" + (role == SenderRole.VISITOR ? "incoming" : "outgoing")
                + "\",\"content_type\":\"text\",\"private\":false,"
                + "\"sender\":{\"id\":" + conv + ",\"name\":" + quote(s.name) + ",\"type\":\"" + (role == SenderRole.VISITOR ? "contact" : "user") + "\"},"
                + "\"conversation\":{\"id\":" + conv + ",\"channel\":\"Channel::WebWidget\",\"status\":\"open\","
                + "\"meta\":{\"sender\":{\"id\":" + conv + ",\"name\":" + quote(s.name) + ",\"email\":" + quote(s.email) + ",\"type\":\"contact\"}}},"
                + "\"account\":{\"id\":7,\"name\":\"Acme Inc\"}}";
        return json.getBytes(StandardCharsets.UTF_8);
    }

    private Malformed malformed(Instant now) {
        int kind = random.nextInt(5);
        return switch (kind) {
            case 0 -> {
                byte[] b = new byte[8 + random.nextInt(64)];
                random.nextBytes(b);
                b[0] = 0x7f; // never the wire format's magic byte
                yield new Malformed("random_bytes", false, b);
            }
            case 1 -> new Malformed("unknown_schema_id", false, new byte[] {0, 0x7f, 0x7f, 0x7f, 0x7f, 2, 0x41});
            case 2 -> new Malformed("truncated_avro", false, null); // producer encodes then truncates
            case 3 -> new Malformed("missing_text", false, null); // producer encodes a MESSAGE without text
            default -> new Malformed("bad_json", true, "{\"event\":\"message_created\",\"id\":".getBytes(StandardCharsets.UTF_8));
        };
    }

    /** A valid-looking MESSAGE event without text (for the missing_text case). */
    public ChatEvent eventWithoutText(Instant now) {
        return ChatEvent.newBuilder()
                .setEventId("evt-bad-" + (++eventCounter))
                .setSessionId("broken-" + random.nextInt(1000))
                .setTenantId("acme")
                .setText(null)
                .setSentAt(now)
                .build();
    }

    private static String quote(String s) {
        StringBuilder b = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                default -> {
                    if (c < 0x20) {
                        b.append(String.format("\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        return b.append('"').toString();
    }
}
