package dev.leadqual.adapters;

import java.io.Serializable;
import java.time.Duration;

/**
 * The guard around one remote dependency: per-attempt timeout, retries with exponential backoff
 * ({@code backoff}, doubled per retry, at most {@code maxBackoff}; a Retry-After longer than
 * {@code maxBackoff} is not waited for), the circuit breaker, the per-tenant budget (calls per
 * minute, 0 = unlimited) and how many calls may be in flight per parallel instance.
 */
public record GuardSettings(
        Duration timeout,
        int retries,
        Duration backoff,
        Duration maxBackoff,
        int breakerFailures,
        Duration breakerCooldown,
        int callsPerMinutePerTenant,
        int capacity)
        implements Serializable {

    public GuardSettings {
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("adapter timeout must be positive");
        }
        if (retries < 0 || breakerFailures < 1 || capacity < 1 || callsPerMinutePerTenant < 0) {
            throw new IllegalArgumentException("adapter retries >= 0, breaker failures >= 1, capacity >= 1, budget >= 0");
        }
    }

    /** The wait before retry number {@code retry} (1-based): backoff · 2^(retry-1), at most maxBackoff. */
    public Duration backoffBefore(int retry) {
        long ms = backoff.toMillis() << Math.min(20, Math.max(0, retry - 1));
        return Duration.ofMillis(Math.min(ms, maxBackoff.toMillis()));
    }

    /** The longest one guarded call can take: every attempt timing out, every backoff at its maximum. */
    public Duration worstCase() {
        return timeout.multipliedBy(retries + 1L).plus(maxBackoff.multipliedBy(retries));
    }
}
