package dev.leadqual.demo;

import dev.leadqual.io.OutputReader;
import dev.leadqual.schema.ArchivedTurn;
import dev.leadqual.schema.DeadLetter;
import dev.leadqual.schema.NextAction;
import dev.leadqual.schema.QualifiedLead;
import dev.leadqual.schema.SalesHandoff;
import dev.leadqual.schema.SessionOutcome;
import java.io.PrintStream;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;

/** Prints what flows in and out of the job as lines a person can follow. */
public final class DemoPrinter {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss");
    private final PrintStream out;
    private final Map<String, AtomicLong> counts = new TreeMap<>();

    public DemoPrinter(PrintStream out) {
        this.out = out;
    }

    public synchronized void input(SyntheticChats.Item item) {
        String line;
        if (item instanceof SyntheticChats.Event e) {
            line = String.format("  in   %-16s %-7s %s", shortId(e.event().getSessionId()),
                    e.event().getSenderRole(), quote(e.event().getText()));
            count("in: chat events");
        } else if (item instanceof SyntheticChats.Webhook w) {
            line = String.format("  in   %-16s %-7s %s  (Chatwoot webhook)", shortId(w.sessionId()), "VISITOR", quote(w.textForDisplay()));
            count("in: webhooks");
        } else {
            line = String.format("  in   %-16s %-7s <%s>", "-", "BROKEN", ((SyntheticChats.Malformed) item).kind());
            count("in: malformed");
        }
        out.println(now() + line);
    }

    public synchronized void output(OutputReader.Received r) {
        Object v = r.value();
        String line;
        if (v instanceof NextAction a) {
            String what = switch (a.getAction()) {
                case ASK_SLOT -> "ASK " + a.getSlot() + (a.getToAgent() ? " (suggested to agent)" : "") + ": " + quote(a.getMessage());
                case HANDOFF_TO_SALES -> "HANDOFF to " + a.getRouteTo();
                case ESCALATE_TO_HUMAN -> "ESCALATE to " + a.getRouteTo();
                case ANSWER_FROM_KNOWLEDGE -> "ANSWER " + (a.getArticleId() == null ? "" : a.getArticleId() + " ") + quote(a.getMessage());
                default -> a.getAction().toString();
            };
            line = String.format("  >>   %-16s action   %s   [rule %s]", shortId(a.getSessionId()), what, a.getReason());
            count("out: actions");
        } else if (v instanceof QualifiedLead l) {
            line = String.format("  ***  %-16s LEAD     score %d  company=%s size=%s budget=%s authority=%s timeline=%s (v%d)",
                    shortId(l.getSessionId()), l.getScore(), l.getCompanyName(), l.getCompanySize(), l.getBudget(),
                    l.getAuthority(), l.getTimeline(), l.getLeadVersion());
            count("out: lead upserts");
        } else if (v instanceof SalesHandoff h) {
            line = String.format("  ***  %-16s HANDOFF  -> %s: %s", shortId(h.getSessionId()), h.getRouteTo(), h.getSummary().replace('\n', ' '));
            count("out: handoffs");
        } else if (v instanceof SessionOutcome o) {
            line = String.format("  ==   %-16s CLOSED   qualified=%s score=%d category=%s final=%s questions=%d ttq=%s",
                    shortId(o.getSessionId()), o.getQualified(), o.getFinalScore(), o.getCategory(), o.getFinalAction(),
                    o.getQuestionsAsked(), o.getTimeToQualificationMs() == null ? "-" : (o.getTimeToQualificationMs() / 1000.0) + "s");
            count("out: session outcomes");
        } else if (v instanceof DeadLetter d) {
            line = String.format("  !!   %-16s DEAD     %s: %s", d.getSourceTopic() + "@" + d.getOffset(), d.getStage(), d.getReason());
            count("out: dead letters");
        } else if (v instanceof ArchivedTurn) {
            count("out: archived turns");
            return;
        } else {
            count("out: " + r.topic());
            return;
        }
        out.println(now() + line);
    }

    public synchronized void summary() {
        out.println();
        out.println("Summary");
        counts.forEach((k, c) -> out.printf("  %-24s %d%n", k, c.get()));
    }

    private void count(String what) {
        counts.computeIfAbsent(what, k -> new AtomicLong()).incrementAndGet();
    }

    private static String now() {
        return LocalTime.now(ZoneId.systemDefault()).format(TIME);
    }

    private static String shortId(String id) {
        return id.length() <= 16 ? id : id.substring(0, 15) + "~";
    }

    private static String quote(String s) {
        if (s == null) {
            return "";
        }
        return "\"" + (s.length() > 90 ? s.substring(0, 87) + "..." : s) + "\"";
    }
}
