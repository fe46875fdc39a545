package dev.leadqual.adapters;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.LongSupplier;

/**
 * At most {@code perMinute} calls per tenant per minute: a token bucket per tenant holding up to
 * {@code perMinute} tokens, refilled continuously at {@code perMinute} per minute. 0 = unlimited.
 * Thread-safe. Each parallel instance holds its own buckets (the job gives each an equal share).
 */
public final class TenantBudget {

    private static final long MINUTE_NANOS = 60_000_000_000L;

    private final int perMinute;
    private final LongSupplier nanoTime;
    private final ConcurrentMap<String, Bucket> buckets = new ConcurrentHashMap<>();

    public TenantBudget(int perMinute, LongSupplier nanoTime) {
        this.perMinute = perMinute;
        this.nanoTime = nanoTime;
    }

    /** The budget of one of {@code instances} parallel instances sharing {@code perMinute}: at least 1. */
    public static int share(int perMinute, int instances) {
        if (perMinute <= 0) {
            return 0;
        }
        return Math.max(1, (perMinute + instances - 1) / Math.max(1, instances));
    }

    /** Takes one call from {@code tenant}'s budget; false when it is spent for now. */
    public boolean tryAcquire(String tenant) {
        if (perMinute <= 0) {
            return true;
        }
        return buckets.computeIfAbsent(tenant == null ? "" : tenant, t -> new Bucket(perMinute, nanoTime.getAsLong()))
                .take(perMinute, nanoTime.getAsLong());
    }

    private static final class Bucket {
        private double tokens;
        private long refilledAt;

        Bucket(int perMinute, long now) {
            this.tokens = perMinute;
            this.refilledAt = now;
        }

        synchronized boolean take(int perMinute, long now) {
            tokens = Math.min(perMinute, tokens + (double) (now - refilledAt) * perMinute / MINUTE_NANOS);
            refilledAt = now;
            if (tokens >= 1) {
                tokens -= 1;
                return true;
            }
            return false;
        }
    }
}
