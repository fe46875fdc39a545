package dev.leadqual.upgrade;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.leadqual.io.ControlEvent;
import dev.leadqual.schema.CrmAccount;
import dev.leadqual.schema.KnowledgeArticle;
import dev.leadqual.schema.PolicyUpdate;
import dev.leadqual.schema.PolicyUpdateKind;
import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

/**
 * The checked-in savepoint of the v2 state layout (jobs/src/test/resources/savepoints/v2): the
 * sessions of {@link V1Sessions} plus the live control plane (a published policy, a tenant kill
 * switch, a CRM account, a knowledge article: broadcast state of the qualify operator) and the
 * sales-outcome join (the leads it keeps to join outcomes to). FROZEN like {@link V1Sessions}:
 * change only together with regenerating it ({@link V2SavepointGenerator}).
 */
final class V2Savepoint {

    static final String POLICY_VERSION = "2026.3-fixture";
    static final String KILLED_TENANT = "initech";
    static final String ACCOUNT_ID = "acc-northwind";
    static final String ARTICLE_ID = "kb-sso";

    private V2Savepoint() {}

    /** The control plane the v2 job had received: policy, kill switch for one tenant, an account, an article. */
    static List<ControlEvent> control() throws IOException {
        String document;
        try (InputStream in = V2Savepoint.class.getResourceAsStream("/policy/default-policy.yaml")) {
            document = new String(in.readAllBytes(), StandardCharsets.UTF_8)
                    .replaceFirst("(?m)^version: .*$", "version: \"" + POLICY_VERSION + "\"");
        }
        PolicyUpdate policy = PolicyUpdate.newBuilder().setUpdateId("u-" + POLICY_VERSION).setKind(PolicyUpdateKind.POLICY)
                .setVersion(POLICY_VERSION).setDocument(document).setPublishedAt(V1Sessions.T0).setPublishedBy("fixture").build();
        PolicyUpdate kill = PolicyUpdate.newBuilder().setUpdateId("k-" + KILLED_TENANT).setKind(PolicyUpdateKind.KILL_SWITCH_ON)
                .setTenantId(KILLED_TENANT).setPublishedAt(V1Sessions.T0).setPublishedBy("fixture").build();
        CrmAccount northwind = CrmAccount.newBuilder().setAccountId(ACCOUNT_ID).setTenantId("acme").setName("Northwind Traders")
                .setDomain("northwindtraders.com").setEmployees(900).setOwner("rep-ana").setOpenOpportunity(true)
                .setUpdatedAt(V1Sessions.T0).build();
        KnowledgeArticle sso = KnowledgeArticle.newBuilder().setArticleId(ARTICLE_ID).setTenantId("acme").setLanguage("en")
                .setTitle("Single sign-on (SSO) with SAML and OIDC")
                .setBody("Enterprise plans support single sign-on with any SAML 2.0 or OpenID Connect identity provider.")
                .setUpdatedAt(V1Sessions.T0).build();
        return List.of(ControlEvent.of(policy), ControlEvent.of(kill), ControlEvent.of(northwind), ControlEvent.of(sso));
    }

    static String path() {
        try {
            return Path.of(V2Savepoint.class.getResource("/savepoints/v2/savepoint/_metadata").toURI()).getParent().toString();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** What the generator recorded: {"leads": {session: lead id}}. */
    static JsonNode expected() throws IOException {
        return new ObjectMapper().readTree(V2Savepoint.class.getResource("/savepoints/v2/expected.json"));
    }
}
