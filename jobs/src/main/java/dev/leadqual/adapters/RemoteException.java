package dev.leadqual.adapters;

import java.io.IOException;
import java.time.Duration;

/** An answer from a remote service that is not a usable result: an error status or a malformed body. */
public final class RemoteException extends IOException {

    private final int status;
    private final boolean retryable;
    private final Duration retryAfter;

    public RemoteException(String message, int status, boolean retryable, Duration retryAfter) {
        super(message);
        this.status = status;
        this.retryable = retryable;
        this.retryAfter = retryAfter;
    }

    /** A body the adapter cannot use (not retried: the same request gets the same answer). */
    public static RemoteException malformed(String what) {
        return new RemoteException("malformed response: " + what, 200, false, null);
    }

    /** The HTTP status (200 for a malformed body). */
    public int status() {
        return status;
    }

    /** 408, 429 and 5xx are worth another attempt; other 4xx and malformed bodies are not. */
    public boolean retryable() {
        return retryable;
    }

    /** The server's Retry-After, or null. */
    public Duration retryAfter() {
        return retryAfter;
    }
}
