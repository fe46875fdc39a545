package dev.leadqual.functions;

import dev.leadqual.io.ControlEvent;
import dev.leadqual.schema.CrmAccount;
import dev.leadqual.schema.KnowledgeArticle;
import dev.leadqual.schema.PolicyUpdate;
import dev.leadqual.schema.state.SessionMemory;
import dev.leadqual.schema.state.SlotMemory;
import dev.leadqual.state.StateLayout;
import dev.leadqual.udfs.qualify.KnowledgeBase;
import dev.leadqual.udfs.qualify.Policy;
import dev.leadqual.udfs.qualify.PolicyException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import org.apache.flink.api.common.state.BroadcastState;
import org.apache.flink.api.common.state.ReadOnlyBroadcastState;

/**
 * The control plane as the qualification operator sees it: the active policy (from the control
 * topic, else the one it started with), kill switches (global and per tenant), CRM accounts (by id,
 * email domain and company name) and knowledge articles. Control messages are kept in broadcast
 * state (checkpointed, the same on every instance); the parsed policy is cached. (The handoff rate
 * limit is {@link HandoffRateLimit}.)
 */
final class LiveControls {

    static final String POLICY_KEY = "policy";
    static final String KILL_ALL = "kill:*";

    private final Policy initial;
    private Policy cached;
    private String cachedVersion;

    LiveControls(Policy initial) {
        this.initial = initial;
    }

    private KnowledgeBase knowledge;

    /** Applies one control message to broadcast state. */
    void apply(ControlEvent c, BroadcastState<String, PolicyUpdate> control, BroadcastState<String, CrmAccount> accounts,
            BroadcastState<String, KnowledgeArticle> articles) throws Exception {
        if (c.article != null) {
            articles.put(c.article.getArticleId(), c.article);
            knowledge = null;
        } else if (c.deletedArticleId != null) {
            articles.remove(c.deletedArticleId);
            knowledge = null;
        } else if (c.policy != null) {
            PolicyUpdate u = c.policy;
            String killKey = u.getTenantId() == null ? KILL_ALL : "kill:" + u.getTenantId();
            switch (u.getKind()) {
                case POLICY -> control.put(POLICY_KEY, u);
                case KILL_SWITCH_ON -> control.put(killKey, u);
                case KILL_SWITCH_OFF -> control.remove(killKey);
                default -> { }
            }
        } else if (c.account != null) {
            removeAccount(accounts, c.account.getAccountId());
            CrmAccount a = c.account;
            accounts.put("id:" + a.getAccountId(), a);
            if (a.getDomain() != null && !a.getDomain().isBlank()) {
                accounts.put("domain:" + a.getDomain().toLowerCase(Locale.ROOT), a);
            }
            accounts.put("name:" + normaliseName(a.getName()), a);
        } else if (c.deletedAccountId != null) {
            removeAccount(accounts, c.deletedAccountId);
        }
    }

    private static void removeAccount(BroadcastState<String, CrmAccount> accounts, String id) throws Exception {
        CrmAccount old = accounts.get("id:" + id);
        if (old != null) {
            accounts.remove("id:" + id);
            if (old.getDomain() != null) {
                accounts.remove("domain:" + old.getDomain().toLowerCase(Locale.ROOT));
            }
            accounts.remove("name:" + normaliseName(old.getName()));
        }
    }

    /** The active policy: the newest valid one published, else the one the job started with. */
    Policy policy(ReadOnlyBroadcastState<String, PolicyUpdate> control) throws Exception {
        PolicyUpdate u = control.get(POLICY_KEY);
        if (u == null) {
            return initial;
        }
        if (!u.getVersion().equals(cachedVersion)) {
            try {
                cached = Policy.parse(u.getDocument());
            } catch (PolicyException e) {
                cached = cached == null ? initial : cached; // validated upstream; keep what we had
            }
            cachedVersion = u.getVersion();
        }
        return cached;
    }

    /** The knowledge base over the articles in broadcast state, rebuilt after a change (or a restore). */
    KnowledgeBase knowledge(ReadOnlyBroadcastState<String, KnowledgeArticle> articles) throws Exception {
        if (knowledge == null) {
            List<KnowledgeArticle> all = new ArrayList<>();
            for (Map.Entry<String, KnowledgeArticle> e : articles.immutableEntries()) {
                all.add(e.getValue());
            }
            knowledge = new KnowledgeBase(all);
        }
        return knowledge;
    }

    static boolean killSwitch(ReadOnlyBroadcastState<String, PolicyUpdate> control, String tenant) throws Exception {
        return control.contains(KILL_ALL) || control.contains("kill:" + tenant);
    }

    /** The CRM account of the session's company: by the contact's email domain, else by company name. */
    static CrmAccount account(ReadOnlyBroadcastState<String, CrmAccount> accounts, SessionMemory m) throws Exception {
        if (!accounts.immutableEntries().iterator().hasNext()) {
            return null; // no CRM accounts known: nothing to normalise names for
        }
        SlotMemory email = m.getSlots().get("email");
        if (email != null) {
            String v = email.getValue();
            int at = v.lastIndexOf('@');
            if (at > 0) {
                CrmAccount a = accounts.get("domain:" + v.substring(at + 1).toLowerCase(Locale.ROOT));
                if (a != null && tenantMatches(a, m)) {
                    return a;
                }
            }
        }
        SlotMemory company = m.getSlots().get("company");
        if (company != null) {
            CrmAccount a = accounts.get("name:" + normaliseName(company.getValue()));
            if (a != null && tenantMatches(a, m)) {
                return a;
            }
        }
        return null;
    }

    private static boolean tenantMatches(CrmAccount a, SessionMemory m) {
        return "default".equals(a.getTenantId()) || a.getTenantId().equals(m.getTenantId());
    }

    private static final Pattern NOT_NAME = Pattern.compile("[^\\p{L}\\p{N} ]");
    private static final Pattern LEGAL_FORM =
            Pattern.compile("\\b(inc|llc|ltd|gmbh|sa|sas|ag|corp|corporation|co|company|limited|srl|bv)\\b");
    private static final Pattern SPACES = Pattern.compile("\\s+");

    static String normaliseName(String name) {
        String n = name == null ? "" : NOT_NAME.matcher(name.toLowerCase(Locale.ROOT)).replaceAll(" ");
        n = LEGAL_FORM.matcher(n).replaceAll(" ");
        return SPACES.matcher(n.trim()).replaceAll(" ");
    }
}
