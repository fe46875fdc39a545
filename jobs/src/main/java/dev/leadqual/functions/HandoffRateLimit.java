package dev.leadqual.functions;

import dev.leadqual.state.StateLayout;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.OperatorStateStore;
import org.apache.flink.api.java.tuple.Tuple3;

/**
 * The policy's per-tenant hourly handoff limit ({@code handoffs_per_hour}) for the whole job, kept by
 * the N parallel instances of the qualification operator without talking to each other.
 *
 * <p>Semantics: each instance may make {@code ceil(limit / N)} handoffs per tenant per event-time
 * hour (UTC hours of the message time). So the job never makes more than {@code N · ceil(limit / N)}
 * handoffs for a tenant in an hour: exactly the limit when N divides it, otherwise at most N − 1
 * over (bounded overshoot). The price of not coordinating: when a tenant's sessions are unevenly
 * spread over the instances, an instance whose share is spent nurtures leads while another still has
 * budget, so a tenant can get fewer than the limit in that hour.
 *
 * <p>Fault tolerance: the counts are checkpointed as union operator state
 * ({@link StateLayout#handoffsPerTenantHour()}). On restore every instance sees every instance's
 * counts; for each tenant it takes the job's total S in the newest hour recorded and starts from
 * {@code ceil(S / N')} with the (possibly new) parallelism N'. The instances together then start at
 * least at S, so neither a restart nor a rescale resets the hour or raises the bound above.
 */
final class HandoffRateLimit {

    private static final long HOUR_MS = 3_600_000L;

    private final int parallelism;
    /** tenant → {hour, handoffs} made by this instance in the tenant's latest hour. */
    private final Map<String, long[]> counts = new HashMap<>();
    private ListState<Tuple3<String, Long, Long>> checkpointed;

    HandoffRateLimit(int parallelism) {
        this.parallelism = Math.max(1, parallelism);
    }

    /** Registers the state and, on restore, takes this instance's part of every tenant's count. */
    void initialize(OperatorStateStore store, boolean restored) throws Exception {
        checkpointed = store.getUnionListState(StateLayout.handoffsPerTenantHour());
        counts.clear();
        if (!restored) {
            return;
        }
        Map<String, long[]> total = new HashMap<>(); // tenant → {newest hour, job total in it}
        for (Tuple3<String, Long, Long> e : checkpointed.get()) {
            long[] t = total.computeIfAbsent(e.f0, k -> new long[] {e.f1, 0});
            if (e.f1 > t[0]) {
                t[0] = e.f1;
                t[1] = 0;
            }
            if (e.f1 == t[0]) {
                t[1] += e.f2;
            }
        }
        total.forEach((tenant, t) -> counts.put(tenant, new long[] {t[0], ceilDiv(t[1], parallelism)}));
    }

    /** Writes this instance's counts into the checkpoint. */
    void snapshot() throws Exception {
        List<Tuple3<String, Long, Long>> entries = new ArrayList<>(counts.size());
        counts.forEach((tenant, h) -> entries.add(Tuple3.of(tenant, h[0], h[1])));
        checkpointed.update(entries);
    }

    /**
     * The tenant's handoffs in the hour of {@code at} as the job-wide figure the policy compares with
     * its limit: this instance's count times N, which reaches the limit exactly when this instance's
     * share {@code ceil(limit / N)} is spent.
     */
    int handoffsThisHour(String tenant, long at) {
        long[] h = counts.get(tenant);
        return h == null || h[0] != at / HOUR_MS ? 0 : (int) Math.min(Integer.MAX_VALUE, h[1] * parallelism);
    }

    /** Counts one handoff of the tenant at {@code at}; a newer hour starts from zero. */
    void count(String tenant, long at) {
        long hour = at / HOUR_MS;
        long[] h = counts.computeIfAbsent(tenant, t -> new long[] {hour, 0});
        if (hour > h[0]) {
            h[0] = hour;
            h[1] = 0;
        }
        if (hour == h[0]) {
            h[1]++;
        }
    }

    private static long ceilDiv(long a, int b) {
        return (a + b - 1) / b;
    }
}
