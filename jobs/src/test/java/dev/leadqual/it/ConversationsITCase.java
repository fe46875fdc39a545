package dev.leadqual.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.leadqual.config.JobSettings;
import dev.leadqual.config.Topics;
import dev.leadqual.demo.ChatProducer;
import dev.leadqual.schema.ActionType;
import dev.leadqual.schema.ChatEvent;
import dev.leadqual.schema.ChatEventType;
import dev.leadqual.schema.DecisionAudit;
import dev.leadqual.schema.NextAction;
import dev.leadqual.schema.SenderRole;
import dev.leadqual.schema.SessionOutcome;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.flink.core.execution.JobClient;
import org.junit.jupiter.api.Test;

/**
 * Whole conversations through the real job on the real broker and registry: public multi-turn
 * customer chats (multidogo: B2B orders and service sign-ups versus support) and hand-written BANT
 * conversations in German, French and Portuguese.
 */
class ConversationsITCase extends KafkaTestBase {

    private static final Instant T0 = Instant.parse("2026-03-10T09:00:00Z");
    private static final Path SHARED_DATA = Path.of(System.getProperty("leadqual.home", "..")).resolve("../shared/data").normalize();

    record Conversation(String id, String label, List<ChatEvent> events) {}

    @Test
    void multidogoSalesConversationsAreQualifiedAndSupportOnesAreNotHandedToSales() throws Exception {
        assumeThat(SHARED_DATA.resolve("multidogo/turn_level/software/dev.tsv")).as("shared data beside the project").exists();
        List<Conversation> conversations = new ArrayList<>();
        conversations.addAll(multidogo("software", "sales", 12));
        conversations.addAll(multidogo("media", "sales", 8));
        conversations.addAll(multidogo("finance", "support", 10));
        conversations.addAll(multidogo("insurance", "support", 10));
        JobOutputs out = run(conversations);

        Map<String, List<ActionType>> actions = actionsBySession(out.actions);
        List<Conversation> sales = conversations.stream().filter(c -> c.label().equals("sales")).toList();
        List<Conversation> support = conversations.stream().filter(c -> c.label().equals("support")).toList();
        long salesEngaged = sales.stream()
                .filter(c -> actions.getOrDefault(c.id(), List.of()).stream()
                        .anyMatch(a -> a == ActionType.ASK_SLOT || a == ActionType.HANDOFF_TO_SALES || a == ActionType.NURTURE))
                .count();
        long supportHandedOff = support.stream()
                .filter(c -> actions.getOrDefault(c.id(), List.of()).contains(ActionType.HANDOFF_TO_SALES))
                .count();
        assertThat((double) salesEngaged / sales.size())
                .as("sales conversations the job starts qualifying (%d of %d)", salesEngaged, sales.size())
                .isGreaterThanOrEqualTo(0.6);
        assertThat((double) supportHandedOff / support.size())
                .as("support conversations wrongly handed to sales (%d of %d)", supportHandedOff, support.size())
                .isLessThanOrEqualTo(0.1);
    }

    @Test
    void bantConversationsInGermanFrenchAndPortugueseAreAskedInTheirLanguageAndHandedOffAndTerseAnswersFillTheAskedSlot()
            throws Exception {
        List<Conversation> bant = List.of(
                conversation("de-1", "sales", 0,
                        "Hallo, was kostet das Enterprise-Paket für 120 Nutzer?",
                        "Unser Budget liegt bei 30.000 € pro Jahr.",
                        "Ich bin Geschäftsführer bei Stark Retail und entscheide selbst.",
                        "Wir möchten bis Ende des Quartals starten.",
                        "Wir haben etwa 400 Mitarbeiter.",
                        "Sie erreichen mich unter jonas.becker@starkretail.example.com",
                        "Können wir eine Demo mit Ihrem Vertrieb vereinbaren?"),
                conversation("fr-1", "sales", 2,
                        "Bonjour, combien coûte l'offre Entreprise pour 80 utilisateurs ?",
                        "Notre budget est d'environ 25 000 euros par an.",
                        "Je suis la directrice des opérations, c'est moi qui décide.",
                        "Nous voulons démarrer le trimestre prochain.",
                        "Nous sommes 250 employés chez Soylent Foods.",
                        "Mon email est camille.martin@soylent.example.com",
                        "Pouvons-nous planifier une démo avec votre équipe commerciale ?"),
                conversation("pt-1", "sales", 4,
                        "Olá, quanto custa o plano empresarial para 60 usuários?",
                        "Nosso orçamento é de cerca de 40 mil reais por ano.",
                        "Sou o diretor de tecnologia e tomo a decisão.",
                        "Queremos começar no próximo mês.",
                        "Somos a Vandelay Industries, com 300 funcionários.",
                        "Meu e-mail é beatriz.souza@vandelay.example.org",
                        "Podemos agendar uma demonstração com a equipe de vendas?"));
        List<Conversation> conversations = new ArrayList<>(bant);
        conversations.addAll(TERSE_ANSWERS);
        JobOutputs out = run(conversations);
        assertTerseAnswerFillsTheAskedSlot(out);

        Map<String, String> languages = Map.of("de-1", "de", "fr-1", "fr", "pt-1", "pt");
        for (Conversation c : bant) {
            List<NextAction> mine = out.actions.stream().filter(a -> a.getSessionId().equals(c.id())).toList();
            assertThat(mine).as("%s: actions", c.id())
                    .extracting(NextAction::getAction).contains(ActionType.HANDOFF_TO_SALES);
            assertThat(mine).filteredOn(a -> a.getAction() == ActionType.ASK_SLOT)
                    .as("%s: questions in the visitor's language", c.id())
                    .allSatisfy(a -> assertThat(a.getLanguage()).isEqualTo(languages.get(c.id())));
            assertThat(out.leads).as("%s: a lead", c.id()).anySatisfy(l -> {
                assertThat(l.getSessionId()).isEqualTo(c.id());
                assertThat(l.getBudget()).isNotNull();
                assertThat(l.getContact().getEmail()).contains("@");
            });
        }
    }

    /**
     * Conversations run alongside the BANT ones (one job start for both): the job asks for the
     * budget after a pricing question and the visitor answers tersely ("150k"); the same reply
     * without the question is no budget.
     */
    static final List<Conversation> TERSE_ANSWERS = List.of(
            conversation("ctx-asked", "sales", 6, "Hi, how much is the enterprise plan for our team?", "150k"),
            conversation("ctx-unasked", "sales", 7, "150k"));

    private static void assertTerseAnswerFillsTheAskedSlot(JobOutputs out) {
        assertThat(out.actions).filteredOn(a -> a.getSessionId().equals("ctx-asked") && a.getAction() == ActionType.ASK_SLOT)
                .as("the job asks for the budget after the pricing question")
                .anySatisfy(a -> {
                    assertThat(a.getSlot()).isEqualTo("budget");
                    assertThat(a.getCausedByEventId()).isEqualTo("ctx-asked-0");
                });
        assertThat(out.audit).filteredOn(a -> a.getEventId().equals("ctx-asked-1")).singleElement()
                .satisfies(a -> assertThat(a.getSlots()).containsEntry("budget", "150000 XXX"));
        assertThat(out.actions).filteredOn(a -> a.getSessionId().equals("ctx-asked") && a.getAction() == ActionType.ASK_SLOT)
                .as("the budget is not asked again").extracting(NextAction::getSlot).containsOnlyOnce("budget");
        assertThat(out.audit).filteredOn(a -> a.getEventId().equals("ctx-unasked-0")).singleElement()
                .satisfies(a -> assertThat(a.getSlots()).doesNotContainKey("budget"));
    }

    /** Produces the conversations, waits for one outcome each, checks nothing was lost or duplicated. */
    private JobOutputs run(List<Conversation> conversations) throws Exception {
        Topics topics = freshTopics();
        JobSettings settings = settings(topics, Map.of());
        JobClient job = LeadQualJobITCase.startJob(settings);
        JobOutputs out = outputs(topics);
        // One decision per distinct visitor message with text (blank ones are dead-lettered by validation).
        Set<String> visitorMessages = conversations.stream().flatMap(c -> c.events().stream())
                .filter(e -> e.getSenderRole() == SenderRole.VISITOR && e.getText() != null && !e.getText().isBlank())
                .map(ChatEvent::getEventId).collect(Collectors.toSet());
        try (ChatProducer producer = new ChatProducer(infra.bootstrapServers(), new Properties(), settings.registry(), topics)) {
            conversations.forEach(c -> c.events().forEach(producer::send));
            producer.flush();
            // Each sink commits its own transaction when a checkpoint completes: wait for the outcomes
            // and for the audit of every message, not for one topic and then a fixed grace period.
            assertThat(out.awaitUntil(o -> o.outcomes.size() >= conversations.size()
                    && o.audit.stream().map(DecisionAudit::getEventId).collect(Collectors.toSet()).containsAll(visitorMessages),
                    Duration.ofSeconds(180))).as("one outcome per conversation, one decision per message").isTrue();
            out.awaitUntil(o -> false, Duration.ofSeconds(2)); // duplicates, if any, would come now
        } finally {
            job.cancel().get();
            out.close();
        }
        assertThat(out.outcomes).extracting(SessionOutcome::getSessionId).doesNotHaveDuplicates()
                .hasSize(conversations.size());
        assertThat(out.audit).extracting(DecisionAudit::getEventId).doesNotHaveDuplicates()
                .containsExactlyInAnyOrderElementsOf(visitorMessages);
        return out;
    }

    private static Map<String, List<ActionType>> actionsBySession(List<NextAction> actions) {
        return actions.stream().collect(Collectors.groupingBy(NextAction::getSessionId, LinkedHashMap::new,
                Collectors.mapping(NextAction::getAction, Collectors.toList())));
    }

    static Conversation conversation(String id, String label, int offsetSeconds, String... visitorLines) {
        List<ChatEvent> events = new ArrayList<>();
        for (int i = 0; i < visitorLines.length; i++) {
            events.add(message(id, id + "-" + i, T0.plusSeconds(offsetSeconds + 15L * i), visitorLines[i]));
        }
        events.add(closed(id, T0.plusSeconds(offsetSeconds + 15L * visitorLines.length)));
        return new Conversation(id, label, events);
    }

    /** The first {@code limit} dev-split conversations of a multidogo domain whose label is {@code label}. */
    static List<Conversation> multidogo(String domain, String label, int limit) throws IOException {
        JsonNode mapping = new ObjectMapper().readTree(SHARED_DATA.resolve("label_mapping.json").toFile()).get("multidogo");
        Set<String> sales = strings(mapping.get("sales"));
        Set<String> support = strings(mapping.get("support"));
        Map<String, List<List<String>>> byConversation = new LinkedHashMap<>();
        List<List<String>> rows = tsv(SHARED_DATA.resolve("multidogo/turn_level/" + domain + "/dev.tsv"));
        for (List<String> row : rows.subList(1, rows.size())) {
            if (row.size() >= 6) {
                byConversation.computeIfAbsent(row.get(0), k -> new ArrayList<>()).add(row);
            }
        }
        List<Conversation> out = new ArrayList<>();
        int n = 0;
        for (var e : byConversation.entrySet()) {
            Set<String> intents = new HashSet<>();
            e.getValue().forEach(r -> intents.addAll(List.of(r.get(5).split("<div>"))));
            boolean isSales = intents.stream().anyMatch(sales::contains);
            boolean isSupport = !isSales && intents.stream().anyMatch(support::contains);
            if (!(label.equals("sales") ? isSales : isSupport)) {
                continue;
            }
            String id = "md-" + domain + "-" + (n++);
            List<ChatEvent> events = new ArrayList<>();
            int offset = out.size() * 3;
            for (List<String> r : e.getValue()) {
                events.add(message(id, id + "-t" + r.get(1), T0.plusSeconds(offset + 10L * (int) Double.parseDouble(r.get(1))), r.get(3)));
            }
            events.add(closed(id, T0.plusSeconds(offset + 10L * ((int) Double.parseDouble(e.getValue().get(e.getValue().size() - 1).get(1)) + 2))));
            out.add(new Conversation(id, label, events));
            if (out.size() == limit) {
                break;
            }
        }
        return out;
    }

    private static ChatEvent message(String session, String eventId, Instant at, String text) {
        return ChatEvent.newBuilder().setEventId(eventId).setSessionId(session).setTenantId("acme")
                .setSenderRole(SenderRole.VISITOR).setText(text).setSentAt(at).build();
    }

    private static ChatEvent closed(String session, Instant at) {
        return ChatEvent.newBuilder().setEventId(session + "-closed").setSessionId(session).setTenantId("acme")
                .setEventType(ChatEventType.SESSION_CLOSED).setSenderRole(SenderRole.SYSTEM).setText(null)
                .setSentAt(at).build();
    }

    private static Set<String> strings(JsonNode array) {
        Set<String> s = new HashSet<>();
        array.forEach(v -> s.add(v.asText()));
        return s;
    }

    /** A TSV reader that honours quoted fields with tabs, newlines and doubled quotes. */
    static List<List<String>> tsv(Path file) throws IOException {
        String s = Files.readString(file, StandardCharsets.UTF_8);
        List<List<String>> rows = new ArrayList<>();
        List<String> row = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (quoted) {
                if (c == '"' && i + 1 < s.length() && s.charAt(i + 1) == '"') {
                    field.append('"');
                    i++;
                } else if (c == '"') {
                    quoted = false;
                } else {
                    field.append(c);
                }
            } else if (c == '"' && field.length() == 0) {
                quoted = true;
            } else if (c == '\t') {
                row.add(field.toString());
                field.setLength(0);
            } else if (c == '\n' || c == '\r') {
                if (c == '\r' && i + 1 < s.length() && s.charAt(i + 1) == '\n') {
                    i++;
                }
                row.add(field.toString());
                field.setLength(0);
                rows.add(row);
                row = new ArrayList<>();
            } else {
                field.append(c);
            }
        }
        if (field.length() > 0 || !row.isEmpty()) {
            row.add(field.toString());
            rows.add(row);
        }
        return rows;
    }
}
