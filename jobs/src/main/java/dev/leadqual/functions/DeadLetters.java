package dev.leadqual.functions;

import dev.leadqual.io.RawRecord;
import dev.leadqual.schema.DeadLetter;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.Arrays;
import org.apache.flink.util.OutputTag;

/** The dead-letter side output and how its records are made. */
public final class DeadLetters {

    /** Everything the job could not use goes here, with the reason; it is never dropped. */
    public static final OutputTag<DeadLetter> TAG = new OutputTag<>("dead-letters") {};

    /**
     * Original bytes (value plus key) are kept up to this size; the reason and the original size say
     * the rest. A dead letter must fit Kafka's default 1 MiB record limit (producer
     * {@code max.request.size}, broker {@code message.max.bytes}) although its input may have used
     * all of it: a dead letter too large for the sink would fail the job on every restart.
     */
    static final int MAX_KEPT_BYTES = (1 << 20) - (64 << 10);
    /** Of {@link #MAX_KEPT_BYTES}, at most this much is key. */
    static final int MAX_KEPT_KEY_BYTES = 4 << 10;
    /** Reasons are short; an exception message is cut here. */
    static final int MAX_REASON_CHARS = 1000;

    private DeadLetters() {}

    public static DeadLetter of(RawRecord raw, String stage, String reason, Throwable error, long now) {
        return of(raw, stage, reason, error, now, null, null);
    }

    /** A dead letter for an input decoded far enough to know its tenant and trace id. */
    public static DeadLetter of(RawRecord raw, String stage, String reason, Throwable error, long now,
            String tenantId, String traceId) {
        byte[] value = raw.value == null ? new byte[0] : raw.value;
        byte[] key = raw.key == null || raw.key.length <= MAX_KEPT_KEY_BYTES
                ? raw.key : Arrays.copyOf(raw.key, MAX_KEPT_KEY_BYTES);
        int room = MAX_KEPT_BYTES - (key == null ? 0 : key.length);
        byte[] kept = value.length > room ? Arrays.copyOf(value, room) : value;
        String why = reason == null ? "" : reason.length() <= MAX_REASON_CHARS ? reason : reason.substring(0, MAX_REASON_CHARS);
        return DeadLetter.newBuilder()
                .setDeadLetterId(raw.topic + "-" + raw.partition + "@" + raw.offset)
                .setSourceTopic(raw.topic)
                .setPartition(raw.partition)
                .setOffset(raw.offset)
                .setKey(key == null ? null : ByteBuffer.wrap(key))
                .setOriginal(ByteBuffer.wrap(kept))
                .setOriginalSize(value.length)
                .setStage(stage)
                .setReason(why)
                .setErrorClass(error == null ? "" : error.getClass().getName())
                .setFailedAt(Instant.ofEpochMilli(now))
                .setTenantId(tenantId)
                .setTraceId(traceId)
                .build();
    }
}
