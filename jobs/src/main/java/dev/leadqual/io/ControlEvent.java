package dev.leadqual.io;

import dev.leadqual.schema.CrmAccount;
import dev.leadqual.schema.KnowledgeArticle;
import dev.leadqual.schema.PolicyUpdate;

/**
 * One message of the control plane, broadcast to every instance of the qualification operator:
 * a policy update or kill switch, a CRM account or knowledge article upsert, or its deletion (tombstone).
 * A Flink POJO whose Avro fields use Flink's Avro serializer: no Kryo. Serializable so that fixed
 * control events can be captured by a bounded source in tests and tools.
 */
public class ControlEvent implements java.io.Serializable {

    private static final long serialVersionUID = 1L;

    public PolicyUpdate policy;
    public CrmAccount account;
    public String deletedAccountId;
    public KnowledgeArticle article;
    public String deletedArticleId;

    public ControlEvent() {}

    public static ControlEvent of(PolicyUpdate update) {
        ControlEvent e = new ControlEvent();
        e.policy = update;
        return e;
    }

    public static ControlEvent of(CrmAccount account) {
        ControlEvent e = new ControlEvent();
        e.account = account;
        return e;
    }

    public static ControlEvent of(KnowledgeArticle article) {
        ControlEvent e = new ControlEvent();
        e.article = article;
        return e;
    }

    public static ControlEvent articleDeleted(String articleId) {
        ControlEvent e = new ControlEvent();
        e.deletedArticleId = articleId;
        return e;
    }

    public static ControlEvent accountDeleted(String accountId) {
        ControlEvent e = new ControlEvent();
        e.deletedAccountId = accountId;
        return e;
    }

    @Override
    public String toString() {
        return policy != null ? "ControlEvent[policy " + policy.getKind() + " " + policy.getVersion() + "]"
                : account != null ? "ControlEvent[account " + account.getAccountId() + "]"
                : deletedAccountId != null ? "ControlEvent[account deleted " + deletedAccountId + "]"
                : article != null ? "ControlEvent[article " + article.getArticleId() + "]"
                : "ControlEvent[article deleted " + deletedArticleId + "]";
    }
}
