package dev.leadqual.adapters;

import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * Closed → open after {@code failureThreshold} consecutive failed attempts → half-open once
 * {@code cooldown} has passed (one probe call goes through, every other call is short-circuited)
 * → closed when the probe succeeds, open again (fresh cool-down) when it fails. Thread-safe.
 */
public final class CircuitBreaker {

    public enum State {
        CLOSED(0), HALF_OPEN(1), OPEN(2);

        /** The value of the breakerState gauge. */
        public final int code;

        State(int code) {
            this.code = code;
        }
    }

    private final int failureThreshold;
    private final long cooldownNanos;
    private final LongSupplier nanoTime;

    private State state = State.CLOSED;
    private int consecutiveFailures;
    private long openedAt;
    private boolean probeInFlight;
    private long timesOpened;

    public CircuitBreaker(int failureThreshold, Duration cooldown, LongSupplier nanoTime) {
        if (failureThreshold < 1) {
            throw new IllegalArgumentException("breaker failure threshold must be at least 1");
        }
        this.failureThreshold = failureThreshold;
        this.cooldownNanos = cooldown.toNanos();
        this.nanoTime = nanoTime;
    }

    /** Whether an attempt may go to the remote now; false means: answer with the fallback. */
    public synchronized boolean tryAcquire() {
        switch (state) {
            case CLOSED:
                return true;
            case OPEN:
                if (nanoTime.getAsLong() - openedAt < cooldownNanos) {
                    return false;
                }
                state = State.HALF_OPEN;
                probeInFlight = true;
                return true;
            default: // HALF_OPEN: one probe at a time
                if (probeInFlight) {
                    return false;
                }
                probeInFlight = true;
                return true;
        }
    }

    public synchronized void onSuccess() {
        if (state == State.OPEN) {
            return; // a late answer to a call admitted before the breaker opened: wait for the probe
        }
        state = State.CLOSED;
        consecutiveFailures = 0;
        probeInFlight = false;
    }

    public synchronized void onFailure() {
        switch (state) {
            case HALF_OPEN:
                open();
                break;
            case CLOSED:
                if (++consecutiveFailures >= failureThreshold) {
                    open();
                }
                break;
            default:
                break;
        }
    }

    private void open() {
        state = State.OPEN;
        openedAt = nanoTime.getAsLong();
        probeInFlight = false;
        consecutiveFailures = 0;
        timesOpened++;
    }

    public synchronized State state() {
        return state;
    }

    /** How often the breaker has opened (re-opening after a failed probe included). */
    public synchronized long timesOpened() {
        return timesOpened;
    }
}
