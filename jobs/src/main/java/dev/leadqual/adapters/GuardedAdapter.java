package dev.leadqual.adapters;

import java.net.ConnectException;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one contract of every optional remote dependency: {@link #call} always completes, never
 * exceptionally, within {@link GuardSettings#worstCase()}, with the remote's answer or the
 * service's deterministic {@link RemoteService#fallback fallback}. In order:
 *
 * <ol>
 *   <li>inputs that need no call get the fallback at once (counted as {@code skipped});
 *   <li>the tenant's budget (calls per minute) is spent, else fallback ({@code budgetRejected});
 *   <li>each attempt first asks the circuit breaker, else fallback ({@code shortCircuited});
 *   <li>an attempt that times out, cannot connect, or gets 408/429/5xx is retried after an
 *       exponential backoff (Retry-After honoured when it is within the backoff cap), at most
 *       {@code retries} times; other errors and malformed bodies are not retried; every failed
 *       attempt counts towards the breaker;
 *   <li>when the attempts are used up: fallback ({@code fallbacks}).
 * </ol>
 *
 * Plain Java (no Flink), so it is tested on its own; {@link GuardedAsyncFunction} runs it in Flink's
 * Async I/O operator and exposes the counters as metrics. Thread-safe.
 */
public final class GuardedAdapter<I, O> {

    private static final Logger LOG = LoggerFactory.getLogger(GuardedAdapter.class);

    /** How an answer was reached. */
    public enum Path { REMOTE, SKIPPED, FALLBACK }

    /** An answer and how it was reached; {@code reason} says why the fallback was used. */
    public record Result<O>(O value, Path path, String reason) {}

    private final String name;
    private final RemoteService<I, O> remote;
    private final GuardSettings settings;
    private final CircuitBreaker breaker;
    private final TenantBudget budget;

    final AtomicLong calls = new AtomicLong();
    final AtomicLong attempts = new AtomicLong();
    final AtomicLong successes = new AtomicLong();
    final AtomicLong failures = new AtomicLong();
    final AtomicLong timeouts = new AtomicLong();
    final AtomicLong retries = new AtomicLong();
    final AtomicLong fallbacks = new AtomicLong();
    final AtomicLong shortCircuited = new AtomicLong();
    final AtomicLong budgetRejected = new AtomicLong();
    final AtomicLong skipped = new AtomicLong();

    /**
     * @param budgetPerMinute this instance's calls per minute per tenant (its share of the job's), 0 = unlimited
     */
    public GuardedAdapter(String name, RemoteService<I, O> remote, GuardSettings settings, int budgetPerMinute,
            LongSupplier nanoTime) {
        this.name = name;
        this.remote = remote;
        this.settings = settings;
        this.breaker = new CircuitBreaker(settings.breakerFailures(), settings.breakerCooldown(), nanoTime);
        this.budget = new TenantBudget(budgetPerMinute, nanoTime);
    }

    /** An adapter on the wall clock with the whole budget (one instance). */
    public static <I, O> GuardedAdapter<I, O> of(String name, RemoteService<I, O> remote, GuardSettings settings) {
        return new GuardedAdapter<>(name, remote, settings, settings.callsPerMinutePerTenant(), System::nanoTime);
    }

    /** The answer for {@code input}: the remote's, or the fallback. Never completes exceptionally. */
    public CompletableFuture<Result<O>> call(I input) {
        try {
            if (!remote.needsCall(input)) {
                skipped.incrementAndGet();
                return CompletableFuture.completedFuture(new Result<>(remote.fallback(input), Path.SKIPPED, "not needed"));
            }
            calls.incrementAndGet();
            if (!budget.tryAcquire(remote.tenant(input))) {
                budgetRejected.incrementAndGet();
                return CompletableFuture.completedFuture(fallback(input, "tenant budget spent"));
            }
            CompletableFuture<Result<O>> result = new CompletableFuture<>();
            attempt(input, 0, result);
            return result;
        } catch (RuntimeException e) {
            return CompletableFuture.completedFuture(fallback(input, "adapter error: " + e.getClass().getSimpleName()));
        }
    }

    private void attempt(I input, int retry, CompletableFuture<Result<O>> result) {
        if (!breaker.tryAcquire()) {
            shortCircuited.incrementAndGet();
            result.complete(fallback(input, "circuit open"));
            return;
        }
        attempts.incrementAndGet();
        if (retry > 0) {
            retries.incrementAndGet();
        }
        CompletableFuture<O> answer;
        try {
            answer = remote.call(input, settings.timeout());
        } catch (RuntimeException e) {
            answer = CompletableFuture.failedFuture(e);
        }
        // The client's own timeout should fire first; this one holds even if it does not.
        answer.orTimeout(settings.timeout().toMillis() + 250, TimeUnit.MILLISECONDS).whenComplete((value, error) -> {
            if (error == null && value != null) {
                breaker.onSuccess();
                successes.incrementAndGet();
                result.complete(new Result<>(value, Path.REMOTE, null));
                return;
            }
            Throwable cause = unwrap(error);
            failures.incrementAndGet();
            boolean timedOut = cause instanceof TimeoutException || cause instanceof HttpTimeoutException;
            if (timedOut) {
                timeouts.incrementAndGet();
            }
            breaker.onFailure();
            String reason = describe(cause);
            Duration wait = retry < settings.retries() ? waitBeforeRetry(retry + 1, cause) : null;
            if (wait == null) {
                result.complete(fallback(input, reason));
                return;
            }
            LOG.debug("adapter {}: attempt {} failed ({}), retrying in {} ms", name, retry + 1, reason, wait.toMillis());
            CompletableFuture.delayedExecutor(wait.toMillis(), TimeUnit.MILLISECONDS)
                    .execute(() -> attempt(input, retry + 1, result));
        });
    }

    /** The wait before retry {@code retry}, or null when the failure is not worth retrying. */
    private Duration waitBeforeRetry(int retry, Throwable cause) {
        Duration wait = settings.backoffBefore(retry);
        if (cause instanceof RemoteException r) {
            if (!r.retryable()) {
                return null;
            }
            if (r.retryAfter() != null) {
                if (r.retryAfter().compareTo(settings.maxBackoff()) > 0) {
                    return null; // the server asks for longer than we may wait: answer now
                }
                return r.retryAfter().compareTo(wait) > 0 ? r.retryAfter() : wait;
            }
            return wait;
        }
        return cause instanceof java.io.IOException || cause instanceof TimeoutException ? wait : null;
    }

    private Result<O> fallback(I input, String reason) {
        fallbacks.incrementAndGet();
        return new Result<>(remote.fallback(input), Path.FALLBACK, reason);
    }

    private static Throwable unwrap(Throwable t) {
        while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }

    /** A reason without message texts or secrets: the status or the exception class. */
    private static String describe(Throwable cause) {
        if (cause instanceof RemoteException r) {
            return r.status() == 200 ? r.getMessage() : "HTTP " + r.status();
        }
        if (cause instanceof TimeoutException || cause instanceof HttpTimeoutException) {
            return "timeout";
        }
        if (cause instanceof ConnectException) {
            return "connection refused";
        }
        return cause == null ? "no answer" : cause.getClass().getSimpleName();
    }

    /** Counts a fallback given outside the adapter (the Async I/O operator's own timeout). */
    public O timedOut(I input) {
        timeouts.incrementAndGet();
        return fallback(input, "operator timeout").value();
    }

    public String name() {
        return name;
    }

    public CircuitBreaker breaker() {
        return breaker;
    }

    public GuardSettings settings() {
        return settings;
    }

    /** A snapshot of the counters (tests, logs). */
    public Stats stats() {
        return new Stats(calls.get(), attempts.get(), successes.get(), failures.get(), timeouts.get(), retries.get(),
                fallbacks.get(), shortCircuited.get(), budgetRejected.get(), skipped.get(), breaker.state(),
                breaker.timesOpened());
    }

    public record Stats(long calls, long attempts, long successes, long failures, long timeouts, long retries,
            long fallbacks, long shortCircuited, long budgetRejected, long skipped, CircuitBreaker.State breakerState,
            long breakerOpened) {}
}
