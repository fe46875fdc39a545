package dev.leadqual.adapters;

import static org.assertj.core.api.Assertions.assertThat;

import dev.leadqual.adapters.GuardedAdapter.Path;
import dev.leadqual.adapters.GuardedAdapter.Result;
import dev.leadqual.adapters.RecordingHttpServer.Reply;
import dev.leadqual.adapters.RecordingHttpServer.Request;
import dev.leadqual.schema.Contact;
import dev.leadqual.schema.QualifiedLead;
import java.net.ServerSocket;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The CRM REST lookup against a local server standing in for the CRM: requests, answers, errors, outage. */
class CrmLookupContractTest {

    static final String ACCOUNT = """
            {"account_id": "acc-42", "tenant_id": "acme", "name": "Northwind Traders", "domain": "northwind.example.com",
             "industry": "retail", "employees": 900, "owner": "jordan.sales", "lifecycle_stage": "prospect",
             "open_opportunity": false, "existing_customer": false, "updated_at": 1741600000000}
            """;

    private RecordingHttpServer server;

    @BeforeEach
    void startServer() throws Exception {
        server = RecordingHttpServer.start();
    }

    @AfterEach
    void stopServer() {
        server.close();
    }

    static QualifiedLead lead(String email, String company) {
        Instant t = Instant.parse("2026-03-10T09:02:00Z");
        return QualifiedLead.newBuilder()
                .setLeadId("lead-1").setLeadVersion(3).setTenantId("acme").setSessionId("s1")
                .setQualifiedAt(t).setUpdatedAt(t).setScore(74).setCategory("sales").setIntent("pricing")
                .setContact(email == null ? null : Contact.newBuilder().setName("Dana Whitfield").setEmail(email)
                        .setPhone("+14155550199").build())
                .setCompanyName(company)
                .build();
    }

    private GuardedAdapter<QualifiedLead, QualifiedLead> adapter(String url, String apiKey, int retries) {
        GuardSettings guard = new GuardSettings(Duration.ofSeconds(5), retries, Duration.ofMillis(20),
                Duration.ofMillis(200), 5, Duration.ofSeconds(30), 0, 10);
        CrmLookup crm = new CrmLookup(url, apiKey, guard.timeout());
        crm.open();
        return GuardedAdapter.of("crm", crm, guard);
    }

    private static Result<QualifiedLead> await(GuardedAdapter<QualifiedLead, QualifiedLead> a, QualifiedLead l) throws Exception {
        return a.call(l).get(30, TimeUnit.SECONDS);
    }

    @Test
    void looksTheAccountUpByEmailDomainAndSetsAccountAndOwner() throws Exception {
        server.then(Reply.json(200, ACCOUNT));
        var adapter = adapter(server.url(), "crm-token", 1);

        QualifiedLead in = lead("dana.whitfield@Northwind.example.com", "Northwind Traders");
        Result<QualifiedLead> r = await(adapter, in);

        assertThat(r.path()).isEqualTo(Path.REMOTE);
        assertThat(r.value()).isEqualTo(QualifiedLead.newBuilder(in).setAccountId("acc-42").setOwner("jordan.sales").build());

        Request req = server.requests().get(0);
        assertThat(req.method()).isEqualTo("GET");
        assertThat(req.path()).isEqualTo("/accounts");
        assertThat(req.query()).isEqualTo("domain=northwind.example.com&tenant=acme");
        assertThat(req.header("Authorization")).isEqualTo("Bearer crm-token");
        assertThat(req.header("Accept")).isEqualTo("application/json");
        assertThat(req.body()).isEmpty();
        assertThat(req.query()).doesNotContain("dana", "4155550199");
    }

    @Test
    void withoutABusinessEmailTheCompanyNameIsLookedUp() throws Exception {
        server.then(Reply.json(200, "[" + ACCOUNT + "]"), Reply.json(200, "[]"));
        var adapter = adapter(server.url(), null, 0);

        assertThat(await(adapter, lead("dana@gmail.com", "Northwind Traders")).value().getAccountId()).isEqualTo("acc-42");
        assertThat(await(adapter, lead(null, "Initech & Co")).value().getAccountId()).isNull();

        assertThat(server.requests()).extracting(Request::query)
                .containsExactly("name=Northwind+Traders&tenant=acme", "name=Initech+%26+Co&tenant=acme");
        assertThat(server.requests().get(0).header("Authorization")).isNull();
    }

    @Test
    void noAccountIsAnAnswerNotAFailure() throws Exception {
        server.otherwise(req -> Reply.json(404, ""));
        var adapter = adapter(server.url(), null, 2);

        for (int i = 0; i < 8; i++) {
            Result<QualifiedLead> r = await(adapter, lead("dana@northwind.example.com", null));
            assertThat(r.path()).isEqualTo(Path.REMOTE);
            assertThat(r.value()).isEqualTo(lead("dana@northwind.example.com", null));
        }
        assertThat(server.requests()).hasSize(8);
        assertThat(adapter.breaker().state()).isEqualTo(CircuitBreaker.State.CLOSED);
    }

    @Test
    void leadsWithAnAccountOrNothingToMatchOnAreNotLookedUp() throws Exception {
        var adapter = adapter(server.url(), null, 0);

        QualifiedLead known = QualifiedLead.newBuilder(lead("dana@northwind.example.com", null)).setAccountId("acc-1").build();
        Result<QualifiedLead> r1 = await(adapter, known);
        Result<QualifiedLead> r2 = await(adapter, lead(null, null));

        assertThat(r1.path()).isEqualTo(Path.SKIPPED);
        assertThat(r1.value()).isEqualTo(known);
        assertThat(r2.path()).isEqualTo(Path.SKIPPED);
        assertThat(server.requests()).isEmpty();
        assertThat(adapter.stats().fallbacks()).isZero();
    }

    @Test
    void malformedAccountsAndClientErrorsLeaveTheLeadUnchangedWithoutRetrying() throws Exception {
        server.then(Reply.json(200, "{\"account_id\": "), Reply.json(200, "{\"name\": \"no id\"}"),
                Reply.json(401, "{\"error\": \"bad token\"}"));
        var adapter = adapter(server.url(), "wrong", 3);

        for (String reason : new String[] {"malformed response: not JSON", "malformed response: no account_id", "HTTP 401"}) {
            Result<QualifiedLead> r = await(adapter, lead("dana@northwind.example.com", null));
            assertThat(r.path()).isEqualTo(Path.FALLBACK);
            assertThat(r.reason()).isEqualTo(reason);
            assertThat(r.value()).isEqualTo(lead("dana@northwind.example.com", null));
        }
        assertThat(server.requests()).hasSize(3);
    }

    @Test
    void aDeadServerMeansRetriesThenTheLeadUnchanged() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        var adapter = adapter("http://127.0.0.1:" + port, null, 2);

        Result<QualifiedLead> r = await(adapter, lead("dana@northwind.example.com", null));

        assertThat(r.path()).isEqualTo(Path.FALLBACK);
        assertThat(r.reason()).isEqualTo("connection refused");
        assertThat(r.value()).isEqualTo(lead("dana@northwind.example.com", null));
        assertThat(adapter.stats()).extracting(GuardedAdapter.Stats::attempts, GuardedAdapter.Stats::retries)
                .containsExactly(3L, 2L);
    }
}
