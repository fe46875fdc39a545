package dev.leadqual.udfs.qualify;

import static org.assertj.core.api.Assertions.assertThat;

import dev.leadqual.schema.KnowledgeArticle;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class KnowledgeBaseTest {

    static KnowledgeArticle article(String id, String tenant, String lang, String title, String body) {
        return KnowledgeArticle.newBuilder().setArticleId(id).setTenantId(tenant).setLanguage(lang).setTitle(title)
                .setBody(body).setUrl("https://help.example.com/" + id).setUpdatedAt(Instant.EPOCH).build();
    }

    private static final KnowledgeBase KB = new KnowledgeBase(List.of(
            article("kb-sso", "default", "en", "Single sign-on with SAML and Okta",
                    "Connect your identity provider. SAML 2.0 single sign-on is available on the Enterprise plan with Okta, Azure AD and Google."),
            article("kb-hubspot", "default", "en", "HubSpot integration",
                    "Sync contacts and conversations with HubSpot CRM. Install the app from the integrations page."),
            article("kb-export", "default", "en", "Exporting conversations",
                    "Export all conversations as CSV from the reports page."),
            article("kb-hubspot-pt", "default", "pt", "Integração com o HubSpot",
                    "Sincronize contatos e conversas com o HubSpot CRM. Instale o aplicativo na página de integrações."),
            article("kb-acme-only", "acme", "en", "Acme's custom SLA", "Acme customers have a 1 hour response SLA.")));

    @Test
    void findsTheArticleThatAnswersTheQuestion() {
        assertThat(KB.best("Do you support SSO with Okta?", "en", "globex"))
                .hasValueSatisfying(h -> assertThat(h.article().getArticleId()).isEqualTo("kb-sso"));
        assertThat(KB.best("does it integrate with hubspot", "en", "globex"))
                .hasValueSatisfying(h -> assertThat(h.article().getArticleId()).isEqualTo("kb-hubspot"));
    }

    @Test
    void prefersTheVisitorsLanguageAndFallsBackToEnglish() {
        assertThat(KB.best("Vocês têm integração com o HubSpot?", "pt", "globex"))
                .hasValueSatisfying(h -> assertThat(h.article().getArticleId()).isEqualTo("kb-hubspot-pt"));
        assertThat(KB.best("Können wir Konversationen als CSV exportieren (export conversations)?", "de", "globex"))
                .hasValueSatisfying(h -> assertThat(h.article().getArticleId()).isEqualTo("kb-export"));
    }

    @Test
    void noAnswerWhenNothingMatchesAndTenantArticlesStayWithTheirTenant() {
        assertThat(KB.best("What's the weather like today?", "en", "globex")).isEmpty();
        assertThat(KB.best("What is the SLA for Acme customers?", "en", "globex"))
                .map(h -> h.article().getArticleId()).isNotEqualTo(java.util.Optional.of("kb-acme-only"));
        assertThat(KB.best("What is the SLA for Acme customers?", "en", "acme"))
                .hasValueSatisfying(h -> assertThat(h.article().getArticleId()).isEqualTo("kb-acme-only"));
    }
}
