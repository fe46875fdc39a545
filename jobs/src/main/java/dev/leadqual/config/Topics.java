package dev.leadqual.config;

import java.io.Serializable;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * The names of every topic the job reads and writes. Each can be renamed with {@code --topic.<key>}
 * (e.g. {@code --topic.leads crm.leads.v2}) or {@code LEADQUAL_TOPIC_<KEY>}.
 */
public record Topics(
        String chatEvents,
        String rawChat,
        String deadLetters,
        String leads,
        String actions,
        String handoffs,
        String sessionOutcomes,
        String metrics,
        String audit,
        String archive,
        String controlPolicy,
        String crmAccounts,
        String kbArticles,
        String crmOutcomes)
        implements Serializable {

    public static Topics defaults() {
        return resolve(UnaryOperator.identity());
    }

    /** Topic names from {@code lookup(defaultName)}: the lookup returns an override or the default. */
    public static Topics resolve(UnaryOperator<String> lookup) {
        return new Topics(
                lookup.apply("chat.events"),
                lookup.apply("raw.chat"),
                lookup.apply("dead.letters"),
                lookup.apply("crm.leads"),
                lookup.apply("chat.actions"),
                lookup.apply("sales.handoffs"),
                lookup.apply("warehouse.session_outcomes"),
                lookup.apply("warehouse.qualification_metrics"),
                lookup.apply("audit.decisions"),
                lookup.apply("chat.archive"),
                lookup.apply("control.policy"),
                lookup.apply("crm.accounts"),
                lookup.apply("kb.articles"),
                lookup.apply("crm.outcomes"));
    }

    /** Topics the job only appends to or reads as streams. */
    public List<String> streams() {
        return List.of(chatEvents, rawChat, deadLetters, leads, actions, handoffs, sessionOutcomes, metrics,
                audit, archive, controlPolicy, crmOutcomes);
    }

    /** Topics that hold the latest value per key (CDC upserts and tombstones). */
    public List<String> compacted() {
        return List.of(crmAccounts, kbArticles);
    }
}
