package dev.leadqual.adapters;

import java.util.Collections;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.streaming.api.functions.async.ResultFuture;
import org.apache.flink.streaming.api.functions.async.RichAsyncFunction;

/**
 * A {@link GuardedAdapter} in Flink's Async I/O operator: one record in, exactly one record out,
 * never an exception. The operator's own timeout (set above the adapter's worst case) answers
 * with the fallback too, so a hung dependency can neither stall nor fail the job.
 *
 * <p>Metrics, under {@code adapter.<name>}: counters {@code calls}, {@code attempts},
 * {@code successes}, {@code failures}, {@code timeouts}, {@code retries}, {@code fallbacks},
 * {@code shortCircuited}, {@code budgetRejected}, {@code skipped}; gauges {@code breakerState}
 * (0 closed, 1 half-open, 2 open) and {@code breakerOpened} (how often it opened).
 */
public class GuardedAsyncFunction<I, O> extends RichAsyncFunction<I, O> {

    private final String name;
    private final RemoteService<I, O> remote;
    private final GuardSettings settings;
    private transient GuardedAdapter<I, O> adapter;

    public GuardedAsyncFunction(String name, RemoteService<I, O> remote, GuardSettings settings) {
        this.name = name;
        this.remote = remote;
        this.settings = settings;
    }

    @Override
    public void open(OpenContext context) throws Exception {
        remote.open();
        int instances = getRuntimeContext().getTaskInfo().getNumberOfParallelSubtasks();
        adapter = new GuardedAdapter<>(name, remote, settings,
                TenantBudget.share(settings.callsPerMinutePerTenant(), instances), System::nanoTime);
        MetricGroup group = getRuntimeContext().getMetricGroup().addGroup("adapter", name);
        group.counter("calls", new View(adapter.calls));
        group.counter("attempts", new View(adapter.attempts));
        group.counter("successes", new View(adapter.successes));
        group.counter("failures", new View(adapter.failures));
        group.counter("timeouts", new View(adapter.timeouts));
        group.counter("retries", new View(adapter.retries));
        group.counter("fallbacks", new View(adapter.fallbacks));
        group.counter("shortCircuited", new View(adapter.shortCircuited));
        group.counter("budgetRejected", new View(adapter.budgetRejected));
        group.counter("skipped", new View(adapter.skipped));
        group.gauge("breakerState", (Gauge<Integer>) () -> adapter.breaker().state().code);
        group.gauge("breakerOpened", (Gauge<Long>) () -> adapter.breaker().timesOpened());
    }

    @Override
    public void asyncInvoke(I input, ResultFuture<O> resultFuture) {
        adapter.call(input).whenComplete((result, error) -> resultFuture.complete(Collections.singletonList(
                error == null ? result.value() : remote.fallback(input))));
    }

    @Override
    public void timeout(I input, ResultFuture<O> resultFuture) {
        resultFuture.complete(Collections.singletonList(adapter.timedOut(input)));
    }

    @Override
    public void close() throws Exception {
        remote.close();
        super.close();
    }

    /** Flink's view of one of the adapter's counters. */
    private static final class View implements Counter {
        private final AtomicLong value;

        View(AtomicLong value) {
            this.value = value;
        }

        @Override
        public void inc() {
            value.incrementAndGet();
        }

        @Override
        public void inc(long n) {
            value.addAndGet(n);
        }

        @Override
        public void dec() {
            value.decrementAndGet();
        }

        @Override
        public void dec(long n) {
            value.addAndGet(-n);
        }

        @Override
        public long getCount() {
            return value.get();
        }
    }
}
