package dev.leadqual.adapters;

import com.fasterxml.jackson.databind.JsonNode;
import dev.leadqual.schema.QualifiedLead;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * CRM enrichment over REST, the alternative to the compacted {@code crm.accounts} topic:
 * {@code GET {base}/accounts?domain=<email domain>&tenant=<tenant>} (or {@code ?name=<company>&tenant=}
 * when the lead has no business email), bearer API key when set. Answers: 200 with a JSON account
 * ({@code account_id} required, {@code owner} optional; the fields of {@code CrmAccount}; an array
 * is read as its first element), 404 or an empty array = no account. A match sets the lead's
 * {@code account_id} and {@code owner}.
 *
 * <p>Leads that already carry an account (from the topic) or have neither a business email domain
 * nor a company name are not looked up. Only the domain or the company name leaves the job, never
 * the contact. Fallback: the lead unchanged.
 */
public final class CrmLookup implements RemoteService<QualifiedLead, QualifiedLead> {

    static final String PATH = "/accounts";
    /** Mailbox providers: their domain says nothing about the company. */
    static final Set<String> FREE_MAIL = Set.of("gmail.com", "googlemail.com", "outlook.com", "hotmail.com",
            "live.com", "yahoo.com", "icloud.com", "me.com", "aol.com", "gmx.de", "gmx.net", "web.de", "proton.me",
            "protonmail.com", "mail.ru", "yandex.ru", "qq.com", "163.com", "uol.com.br", "bol.com.br", "orange.fr",
            "free.fr", "laposte.net");

    private final String base;
    private final String apiKey;
    private final Duration connectTimeout;
    private transient HttpClient client;

    public CrmLookup(String baseUrl, String apiKey, Duration connectTimeout) {
        this.base = HttpJson.base(baseUrl);
        this.apiKey = apiKey;
        this.connectTimeout = connectTimeout;
    }

    @Override
    public void open() {
        client = HttpJson.client(connectTimeout);
    }

    @Override
    public boolean needsCall(QualifiedLead lead) {
        return lead.getAccountId() == null && query(lead) != null;
    }

    @Override
    public String tenant(QualifiedLead lead) {
        return lead.getTenantId();
    }

    @Override
    public CompletableFuture<QualifiedLead> call(QualifiedLead lead, Duration timeout) {
        if (client == null) {
            open();
        }
        String query = query(lead) + "&tenant=" + encode(lead.getTenantId());
        HttpRequest request = HttpJson.request(URI.create(base + PATH + "?" + query), timeout, apiKey).GET().build();
        return HttpJson.send(client, request).thenApply(response -> {
            if (response.statusCode() == 404) {
                return lead;
            }
            try {
                return enrich(lead, account(HttpJson.body(response)));
            } catch (RemoteException e) {
                throw new CompletionException(e);
            }
        });
    }

    @Override
    public QualifiedLead fallback(QualifiedLead lead) {
        return lead;
    }

    /** {@code domain=...} from a business email, else {@code name=...} from the company; null when neither. */
    static String query(QualifiedLead lead) {
        String domain = domain(lead);
        if (domain != null) {
            return "domain=" + encode(domain);
        }
        String company = lead.getCompanyName();
        return company == null || company.isBlank() ? null : "name=" + encode(company.strip());
    }

    static String domain(QualifiedLead lead) {
        if (lead.getContact() == null || lead.getContact().getEmail() == null) {
            return null;
        }
        String email = lead.getContact().getEmail();
        int at = email.lastIndexOf('@');
        if (at < 0 || at == email.length() - 1) {
            return null;
        }
        String domain = email.substring(at + 1).strip().toLowerCase(Locale.ROOT);
        return FREE_MAIL.contains(domain) ? null : domain;
    }

    /** The account in the body, or null for "no account" (an empty array or JSON null). */
    static JsonNode account(JsonNode body) throws RemoteException {
        JsonNode a = body.isArray() ? body.path(0) : body;
        if (a.isMissingNode() || a.isNull()) {
            return null;
        }
        if (!a.isObject() || !a.path("account_id").isTextual() || a.path("account_id").asText().isBlank()) {
            throw RemoteException.malformed("no account_id");
        }
        return a;
    }

    static QualifiedLead enrich(QualifiedLead lead, JsonNode account) {
        if (account == null) {
            return lead;
        }
        QualifiedLead.Builder b = QualifiedLead.newBuilder(lead).setAccountId(account.get("account_id").asText());
        JsonNode owner = account.path("owner");
        if (owner.isTextual() && !owner.asText().isBlank()) {
            b.setOwner(owner.asText());
        }
        return b.build();
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
