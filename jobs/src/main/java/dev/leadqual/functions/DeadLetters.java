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

    /** Original bytes are kept up to this size (the reason and size say the rest). */
    static final int MAX_KEPT_BYTES = 1 << 20;

    private DeadLetters() {}

    public static DeadLetter of(RawRecord raw, String stage, String reason, Throwable error, long now) {
        byte[] value = raw.value == null ? new byte[0] : raw.value;
        byte[] kept = value.length > MAX_KEPT_BYTES ? Arrays.copyOf(value, MAX_KEPT_BYTES) : value;
        return DeadLetter.newBuilder()
                .setDeadLetterId(raw.topic + "-" + raw.partition + "@" + raw.offset)
                .setSourceTopic(raw.topic)
                .setPartition(raw.partition)
                .setOffset(raw.offset)
                .setKey(raw.key == null ? null : ByteBuffer.wrap(raw.key))
                .setOriginal(ByteBuffer.wrap(kept))
                .setOriginalSize(value.length)
                .setStage(stage)
                .setReason(reason)
                .setErrorClass(error == null ? "" : error.getClass().getName())
                .setFailedAt(Instant.ofEpochMilli(now))
                .build();
    }
}
