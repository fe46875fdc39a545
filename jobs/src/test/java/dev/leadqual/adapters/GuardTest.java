package dev.leadqual.adapters;

import static org.assertj.core.api.Assertions.assertThat;

import dev.leadqual.adapters.CircuitBreaker.State;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The breaker's states and the budgets on a controlled clock. */
class GuardTest {

    private final AtomicLong now = new AtomicLong(1_000_000_000L);

    private void advance(Duration d) {
        now.addAndGet(d.toNanos());
    }

    @Test
    void breakerOpensAfterConsecutiveFailuresOnly() {
        CircuitBreaker b = new CircuitBreaker(3, Duration.ofSeconds(10), now::get);
        b.onFailure();
        b.onFailure();
        b.onSuccess(); // resets the streak
        b.onFailure();
        b.onFailure();
        assertThat(b.state()).isEqualTo(State.CLOSED);
        b.onFailure();
        assertThat(b.state()).isEqualTo(State.OPEN);
        assertThat(b.tryAcquire()).isFalse();
    }

    @Test
    void halfOpenLetsOneProbeThroughAndItsOutcomeDecides() {
        CircuitBreaker b = new CircuitBreaker(1, Duration.ofSeconds(10), now::get);
        b.onFailure();
        advance(Duration.ofSeconds(9));
        assertThat(b.tryAcquire()).isFalse();
        advance(Duration.ofSeconds(1));
        assertThat(b.tryAcquire()).as("the probe").isTrue();
        assertThat(b.state()).isEqualTo(State.HALF_OPEN);
        assertThat(b.tryAcquire()).as("a second call while probing").isFalse();

        b.onFailure(); // probe failed: open again, fresh cool-down
        assertThat(b.state()).isEqualTo(State.OPEN);
        advance(Duration.ofSeconds(5));
        assertThat(b.tryAcquire()).isFalse();
        advance(Duration.ofSeconds(5));
        assertThat(b.tryAcquire()).isTrue();
        b.onSuccess();
        assertThat(b.state()).isEqualTo(State.CLOSED);
        assertThat(b.tryAcquire()).isTrue();
        assertThat(b.tryAcquire()).isTrue();
        assertThat(b.timesOpened()).isEqualTo(2);
    }

    @Test
    void aLateSuccessDoesNotCloseAnOpenBreaker() {
        CircuitBreaker b = new CircuitBreaker(1, Duration.ofSeconds(10), now::get);
        b.onFailure();
        b.onSuccess();
        assertThat(b.state()).isEqualTo(State.OPEN);
    }

    @Test
    void budgetsArePerTenantAndRefillOverTheMinute() {
        TenantBudget budget = new TenantBudget(3, now::get);
        for (int i = 0; i < 3; i++) {
            assertThat(budget.tryAcquire("acme")).isTrue();
        }
        assertThat(budget.tryAcquire("acme")).isFalse();
        assertThat(budget.tryAcquire("globex")).isTrue();
        advance(Duration.ofSeconds(20)); // a third of a minute: one call back
        assertThat(budget.tryAcquire("acme")).isTrue();
        assertThat(budget.tryAcquire("acme")).isFalse();
        advance(Duration.ofMinutes(5)); // never more than a minute's worth
        for (int i = 0; i < 3; i++) {
            assertThat(budget.tryAcquire("acme")).isTrue();
        }
        assertThat(budget.tryAcquire("acme")).isFalse();
    }

    @Test
    void zeroMeansUnlimitedAndTheJobsBudgetIsSharedByItsInstances() {
        TenantBudget unlimited = new TenantBudget(0, now::get);
        for (int i = 0; i < 10_000; i++) {
            assertThat(unlimited.tryAcquire("acme")).isTrue();
        }
        assertThat(TenantBudget.share(60, 4)).isEqualTo(15);
        assertThat(TenantBudget.share(10, 4)).isEqualTo(3);
        assertThat(TenantBudget.share(1, 4)).isEqualTo(1);
        assertThat(TenantBudget.share(0, 4)).isZero();
    }

    @Test
    void backoffDoublesUpToItsCapAndTheWorstCaseBoundsACall() {
        GuardSettings g = new GuardSettings(Duration.ofSeconds(2), 3, Duration.ofMillis(100), Duration.ofMillis(300),
                5, Duration.ofSeconds(30), 0, 10);
        assertThat(g.backoffBefore(1)).isEqualTo(Duration.ofMillis(100));
        assertThat(g.backoffBefore(2)).isEqualTo(Duration.ofMillis(200));
        assertThat(g.backoffBefore(3)).isEqualTo(Duration.ofMillis(300));
        assertThat(g.worstCase()).isEqualTo(Duration.ofMillis(8000 + 900));
    }

    @Test
    void settingsAreOffByDefaultAndReadWithDefaults() {
        assertThat(AdapterSettings.from(k -> null)).isEqualTo(AdapterSettings.OFF);
        AdapterSettings s = AdapterSettings.from(k -> switch (k) {
            case "llm.url" -> "http://127.0.0.1:11434/";
            case "llm.api-key" -> "sk-secret";
            case "crm.url" -> "http://crm.internal";
            case "crm.breaker.failures" -> "7";
            default -> null;
        });
        assertThat(s.llm().url()).isEqualTo("http://127.0.0.1:11434");
        assertThat(s.llm().model()).isEqualTo("llama3.1");
        assertThat(s.llm().guard().timeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(s.crm().guard().breakerFailures()).isEqualTo(7);
        assertThat(s.crm().guard().callsPerMinutePerTenant()).isEqualTo(600);
        assertThat(s.toString()).doesNotContain("sk-secret");
        assertThat(s.llmIntentThreshold()).as("intent second opinions off unless asked for").isZero();
        assertThat(AdapterSettings.OFF.llmIntentThreshold()).isZero();

        AdapterSettings intents = AdapterSettings.from(k -> switch (k) {
            case "llm.url" -> "http://127.0.0.1:11434";
            case "llm.intent-below" -> "0.55";
            default -> null;
        });
        assertThat(intents.llmIntentThreshold()).isEqualTo(0.55);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> AdapterSettings.from(k -> switch (k) {
            case "llm.url" -> "http://127.0.0.1:11434";
            case "llm.intent-below" -> "1.5";
            default -> null;
        })).hasMessageContaining("llm.intent-below");
    }
}
