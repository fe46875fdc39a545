package dev.leadqual.functions;

import static org.assertj.core.api.Assertions.assertThat;

import dev.leadqual.io.RawRecord;
import dev.leadqual.schema.DeadLetter;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Arrays;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumWriter;
import org.junit.jupiter.api.Test;

class DeadLettersTest {

    /** Kafka's default producer max.request.size and (about) broker message.max.bytes. */
    static final int KAFKA_DEFAULT_MAX_RECORD = 1 << 20;

    @Test
    void aDeadLetterOfTheLargestRecordKafkaAcceptsStillFitsInAKafkaRecord() throws IOException {
        byte[] value = new byte[KAFKA_DEFAULT_MAX_RECORD - 100]; // what a default producer can just send
        Arrays.fill(value, (byte) 'x');
        byte[] key = new byte[64 << 10];
        RawRecord raw = new RawRecord("raw.chat", 1, 123456789L, 0L, key, value);

        DeadLetter d = DeadLetters.of(raw, "normalise", "r".repeat(50_000), new IllegalStateException(), 0L, "acme", "trace-1");

        // value + 5-byte wire header + Kafka key and record/batch overhead must stay under the limit
        assertThat(avroSize(d) + 5 + d.getDeadLetterId().length() + 200).isLessThan(KAFKA_DEFAULT_MAX_RECORD);
        assertThat(d.getOriginalSize()).isEqualTo(value.length);
        assertThat(d.getOriginal().remaining() + d.getKey().remaining()).isEqualTo(DeadLetters.MAX_KEPT_BYTES);
        assertThat(d.getReason()).hasSize(DeadLetters.MAX_REASON_CHARS);
        assertThat(d.getTraceId()).isEqualTo("trace-1");
        assertThat(d.getTenantId()).isEqualTo("acme");
    }

    @Test
    void smallInputsAreKeptWhole() {
        byte[] value = {1, 2, 3};
        DeadLetter d = DeadLetters.of(new RawRecord("chat.events", 0, 7L, 0L, null, value), "decode", "bad", null, 0L);
        assertThat(d.getOriginal().array()).isEqualTo(value);
        assertThat(d.getKey()).isNull();
        assertThat(d.getDeadLetterId()).isEqualTo("chat.events-0@7");
        assertThat(d.getTraceId()).isNull();
    }

    private static int avroSize(DeadLetter d) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        BinaryEncoder enc = EncoderFactory.get().binaryEncoder(out, null);
        new SpecificDatumWriter<>(DeadLetter.class).write(d, enc);
        enc.flush();
        return out.size();
    }
}
