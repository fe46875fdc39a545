package dev.leadqual.adapters;

import java.io.Serializable;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * One remote dependency behind a {@link GuardedAdapter}: how to call it for one input, and the
 * deterministic answer when it cannot be called. Implementations are serialisable settings; they
 * create their clients in {@link #open()} on the task manager.
 */
public interface RemoteService<I, O> extends Serializable {

    /** Creates the client (called once per parallel instance, before the first call). */
    default void open() {}

    /** Releases the client. */
    default void close() {}

    /** Whether {@code input} needs the remote at all; if not, the fallback is the answer (not counted as a fallback). */
    default boolean needsCall(I input) {
        return true;
    }

    /** The tenant whose budget a call for {@code input} spends. */
    String tenant(I input);

    /**
     * One attempt: completes with the answer, or exceptionally ({@link RemoteException} for answers
     * the service gave, I/O and timeout exceptions otherwise). Must not block the caller.
     */
    CompletableFuture<O> call(I input, Duration timeout);

    /** The deterministic answer without the remote. Never throws, never blocks. */
    O fallback(I input);
}
