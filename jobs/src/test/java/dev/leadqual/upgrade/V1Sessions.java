package dev.leadqual.upgrade;

import dev.leadqual.schema.ChatEvent;
import dev.leadqual.schema.ChatEventType;
import dev.leadqual.schema.SenderRole;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The input of the checked-in v1 savepoint (jobs/src/test/resources/savepoints/v1): 38 sessions in
 * varied states over three tenants. FROZEN: the savepoint was made from exactly these events; change
 * them only together with regenerating it ({@link V1SavepointGenerator}).
 *
 * <ul>
 *   <li>buyer-1..12: sales conversations stopped at different points (slots partly filled: name,
 *       email, budget, authority, timeline, company size, phone), some with a redelivered event;
 *   <li>handoff-1..6: complete BANT then "book a demo" (handed to sales); 1 and 2 accepted;
 *   <li>support-1..6: support with agent turns; long-1..3: 27 turns, tails archived;
 *   <li>closed-1..4: closed by a SESSION_CLOSED event (only their dedup ids remain);
 *   <li>ventas-1 (es), vertrieb-1 (de).
 * </ul>
 * Every session's last event is a visitor message or a close, so the generator knows when the job
 * has applied everything (one audit per visitor message, one outcome per close).
 */
final class V1Sessions {

    static final Instant T0 = Instant.parse("2026-03-10T09:00:00Z");
    static final List<String> TENANTS = List.of("acme", "globex", "initech");
    /** The person of buyer-1 and handoff-1: two sessions, one email. */
    static final String DANA = "dana.whitfield@northwindtraders.com";

    private static final String[] BANT = {
        "Hi, how much is the enterprise plan for 200 seats at Northwind Traders?",
        "I'm %NAME%, you can reach me at %EMAIL%",
        "Our budget is around $50k per year.",
        "I'm the VP of Customer Success and I sign off on purchases.",
        "We need it live by the end of next month.",
        "We have about 900 employees.",
        "My phone is +1 415 555 01%NN%",
    };
    private static final String[] NAMES = {"Dana Whitfield", "Omar Haddad", "Li Wei", "Sofia Rossi", "Jonas Berg",
        "Amara Okafor", "Ravi Patel", "Elena Petrova", "Tom Becker", "Aiko Tanaka", "Lucas Silva", "Nora Lind"};

    private V1Sessions() {}

    /** Every event, in the order the fixture source emits them (each session's in time order). */
    static List<ChatEvent> events() {
        List<ChatEvent> all = new ArrayList<>();
        for (int k = 1; k <= 12; k++) {
            all.addAll(buyer("buyer-" + k, k, 2 + k % 6, k));
        }
        for (int k = 1; k <= 6; k++) {
            all.addAll(handoff("handoff-" + k, k, 40 + k));
        }
        for (int k = 1; k <= 6; k++) {
            all.addAll(support("support-" + k, k, 60 + k));
        }
        for (int k = 1; k <= 3; k++) {
            all.addAll(longChat("long-" + k, k, 70 + k));
        }
        for (int k = 1; k <= 4; k++) {
            all.addAll(closed("closed-" + k, k, 80 + k));
        }
        Conversation es = new Conversation("ventas-1", "globex", 90);
        es.visitor("Hola, ¿cuánto cuesta el plan empresarial para 50 usuarios?");
        es.visitor("Nuestro presupuesto es de unos 20.000 euros al año.");
        es.visitor("Soy la directora de operaciones y decido la compra.");
        all.addAll(es.events);
        Conversation de = new Conversation("vertrieb-1", "initech", 95);
        de.visitor("Hallo, was kostet der Business-Tarif für 30 Nutzer?");
        de.visitor("Unser Budget liegt bei etwa 10.000 Euro pro Jahr.");
        all.addAll(de.events);
        return all;
    }

    static String tenant(int k) {
        return TENANTS.get(k % TENANTS.size());
    }

    static String email(String session, int k) {
        return k == 1 ? DANA : NAMES[(k - 1) % NAMES.length].toLowerCase().replace(' ', '.') + "@example-" + session + ".com";
    }

    private static List<ChatEvent> buyer(String s, int k, int messages, int startSecond) {
        Conversation c = new Conversation(s, tenant(k), startSecond);
        for (int i = 0; i < messages; i++) {
            c.visitor(bant(i, s, k));
            if (i == 1 && k % 3 == 0) {
                c.redeliver(0); // a webhook retried: the job drops it
            }
        }
        return c.events;
    }

    private static List<ChatEvent> handoff(String s, int k, int startSecond) {
        Conversation c = new Conversation(s, tenant(k), startSecond);
        for (int i = 0; i < BANT.length; i++) {
            c.visitor(bant(i, s, k));
        }
        if (k == 4) {
            c.redeliver(2);
        }
        c.visitor("Can we book a demo with your sales team?");
        if (k <= 2) {
            c.lifecycle(ChatEventType.HANDOFF_ACCEPTED);
            c.agent("Hi, I'm Sam from sales. Happy to set up a demo.");
            c.visitor("Great, thanks!");
        }
        return c.events;
    }

    private static List<ChatEvent> support(String s, int k, int startSecond) {
        Conversation c = new Conversation(s, tenant(k), startSecond);
        c.visitor("I can't log into my account, it says my password is wrong.");
        c.agent("Sorry about that! Have you tried resetting your password?");
        c.visitor("Yes, but the reset email never arrives.");
        if (k % 2 == 0) {
            c.redeliver(2);
            c.agent("I've resent it from our side, please check your spam folder.");
            c.visitor("Found it, thanks. Still, the export to CSV is broken too.");
        }
        return c.events;
    }

    private static List<ChatEvent> longChat(String s, int k, int startSecond) {
        Conversation c = new Conversation(s, tenant(k), startSecond);
        for (int i = 0; i < 27; i++) {
            if (i % 2 == 0) {
                c.visitor("Question " + i + ": does the API support webhooks for ticket updates?");
            } else {
                c.agent("Answer " + i + ": yes, see the webhooks page in the docs.");
            }
        }
        return c.events;
    }

    private static List<ChatEvent> closed(String s, int k, int startSecond) {
        Conversation c = new Conversation(s, tenant(k), startSecond);
        c.visitor("Where can I download my invoices?");
        c.visitor("Found them under Billing, never mind.");
        c.lifecycle(ChatEventType.SESSION_CLOSED);
        return c.events;
    }

    private static String bant(int i, String s, int k) {
        return BANT[i].replace("%NAME%", NAMES[(k - 1) % NAMES.length]).replace("%EMAIL%", email(s, k))
                .replace("%NN%", String.format("%02d", k));
    }

    // What the fixture implies, independent of the job.

    static Set<String> sessions() {
        Set<String> s = new LinkedHashSet<>();
        events().forEach(e -> s.add(e.getSessionId()));
        return s;
    }

    static Set<String> closedSessions() {
        Set<String> s = new LinkedHashSet<>();
        events().stream().filter(e -> e.getEventType() == ChatEventType.SESSION_CLOSED).forEach(e -> s.add(e.getSessionId()));
        return s;
    }

    static Set<String> openSessions() {
        Set<String> s = sessions();
        s.removeAll(closedSessions());
        return s;
    }

    /** Distinct event ids per session: what the deduplicate operator remembers. */
    static Map<String, Set<String>> eventIds() {
        Map<String, Set<String>> ids = new LinkedHashMap<>();
        events().forEach(e -> ids.computeIfAbsent(e.getSessionId(), k -> new LinkedHashSet<>()).add(e.getEventId()));
        return ids;
    }

    /** Visitor messages per session, redeliveries not counted. */
    static Map<String, Integer> visitorTurns() {
        Map<String, Integer> turns = new LinkedHashMap<>();
        Set<String> seen = new HashSet<>();
        for (ChatEvent e : events()) {
            if (seen.add(e.getSessionId() + "/" + e.getEventId()) && e.getEventType() == ChatEventType.MESSAGE
                    && e.getSenderRole() == SenderRole.VISITOR) {
                turns.merge(e.getSessionId(), 1, Integer::sum);
            }
        }
        return turns;
    }

    /** Visitor messages the job answers with an audit record: what the generator waits for. */
    static int distinctVisitorMessages() {
        return visitorTurns().values().stream().mapToInt(Integer::intValue).sum();
    }

    /** The first event time of each session. */
    static Map<String, Instant> openedAt() {
        Map<String, Instant> at = new LinkedHashMap<>();
        events().forEach(e -> at.putIfAbsent(e.getSessionId(), e.getSentAt()));
        return at;
    }

    /** One session's events, ten seconds apart from its start second. */
    static final class Conversation {
        final String session;
        final String tenant;
        final List<ChatEvent> events = new ArrayList<>();
        private int second;
        private int n;

        Conversation(String session, String tenant, int startSecond) {
            this.session = session;
            this.tenant = tenant;
            this.second = startSecond;
        }

        void visitor(String text) {
            add(ChatEventType.MESSAGE, SenderRole.VISITOR, text);
        }

        void agent(String text) {
            add(ChatEventType.MESSAGE, SenderRole.AGENT, text);
        }

        void lifecycle(ChatEventType type) {
            add(type, SenderRole.SYSTEM, null);
        }

        /** The i-th event again, same id and content, delivered now. */
        void redeliver(int i) {
            events.add(ChatEvent.newBuilder(events.get(i)).build());
        }

        private void add(ChatEventType type, SenderRole role, String text) {
            n++;
            events.add(ChatEvent.newBuilder()
                    .setEventId(session + "-" + n)
                    .setSessionId(session)
                    .setTenantId(tenant)
                    .setEventType(type)
                    .setSenderRole(role)
                    .setText(text)
                    .setSentAt(T0.plusSeconds(second))
                    .setTraceId("trace-" + session + "-" + n)
                    .build());
            second += 10;
        }
    }
}
