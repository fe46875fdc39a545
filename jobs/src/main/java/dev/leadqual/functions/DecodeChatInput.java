package dev.leadqual.functions;

import dev.leadqual.io.RawRecord;
import dev.leadqual.schema.ChatEvent;
import dev.leadqual.serde.ConfluentSchemaCoder;
import dev.leadqual.serde.SchemaRegistryClient;
import dev.leadqual.udfs.normalise.ChatEventValidator;
import dev.leadqual.udfs.normalise.ChatNormaliser;
import dev.leadqual.udfs.normalise.InvalidPayloadException;
import dev.leadqual.metrics.JobMetrics;
import dev.leadqual.schema.DeadLetter;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.avro.AvroRuntimeException;
import org.apache.flink.api.common.functions.OpenContext;
import dev.leadqual.serde.ConfluentAvroDeserializer;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Stage 1, validate and normalise: turns raw Kafka records into {@link ChatEvent}s. Records from the
 * native topic are Avro in the Confluent wire format; records from the raw topic are chat-platform
 * webhooks (Chatwoot, Intercom, Zendesk, Twilio, Rasa) in JSON. Anything unusable goes to
 * {@link DeadLetters#TAG} with its reason; the job never fails on data. A registry that cannot be
 * reached is not a data error: it fails the task so the records are retried after restart.
 */
public class DecodeChatInput extends ProcessFunction<RawRecord, ChatEvent> {

    public static final int MAX_RECORD_BYTES = ChatNormaliser.MAX_PAYLOAD_BYTES;

    private final String rawTopic;
    private final ConfluentAvroDeserializer<ChatEvent> avro;
    private transient ChatNormaliser normaliser;
    private transient CharsetDecoder utf8;
    private transient JobMetrics.DeadLetterCounters deadLetters;

    public DecodeChatInput(String rawTopic, ConfluentAvroDeserializer<ChatEvent> avro) {
        this.rawTopic = rawTopic;
        this.avro = avro;
    }

    @Override
    public void open(OpenContext context) {
        dev.leadqual.serde.AvroModels.useFastReading();
        normaliser = ChatNormaliser.create();
        utf8 = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        deadLetters = new JobMetrics.DeadLetterCounters(getRuntimeContext().getMetricGroup());
    }

    @Override
    public void processElement(RawRecord raw, Context ctx, Collector<ChatEvent> out) throws IOException {
        long now = ctx.timerService().currentProcessingTime();
        if (raw.value == null) {
            deadLetter(ctx, DeadLetters.of(raw, "decode", "null record value", null, now), "null_value");
            return;
        }
        if (raw.value.length > MAX_RECORD_BYTES) {
            deadLetter(ctx, DeadLetters.of(raw, "decode",
                    "record of " + raw.value.length + " bytes exceeds the " + MAX_RECORD_BYTES + "-byte limit", null, now),
                    "too_large");
            return;
        }
        List<ChatEvent> events;
        if (rawTopic.equals(raw.topic)) {
            if (!isUtf8(raw.value)) {
                deadLetter(ctx, DeadLetters.of(raw, "normalise", "payload is not valid UTF-8", null, now), "invalid_utf8");
                return;
            }
            try {
                events = normaliser.normalise(raw.value);
            } catch (InvalidPayloadException e) {
                deadLetter(ctx, DeadLetters.of(raw, "normalise", e.reason(), e, now), "invalid_payload");
                return;
            } catch (RuntimeException e) {
                deadLetter(ctx, DeadLetters.of(raw, "normalise",
                        "payload could not be normalised: " + e.getClass().getSimpleName(), e, now), "normaliser_error");
                return;
            }
        } else {
            ChatEvent event;
            try {
                event = avro.deserialize(raw.value);
            } catch (SchemaRegistryClient.UnknownSchemaException | ConfluentSchemaCoder.WireFormatException e) {
                deadLetter(ctx, DeadLetters.of(raw, "decode", e.getMessage(), e, now),
                        e instanceof SchemaRegistryClient.UnknownSchemaException ? "unknown_schema" : "wire_format");
                return;
            } catch (IOException e) {
                if (isRegistryOutage(e)) {
                    throw e; // retried after restart: the data may be fine
                }
                deadLetter(ctx, DeadLetters.of(raw, "decode", "undecodable Avro: "
                        + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()), e, now), "undecodable_avro");
                return;
            } catch (AvroRuntimeException | IllegalArgumentException | IndexOutOfBoundsException
                    | ClassCastException | NegativeArraySizeException e) {
                deadLetter(ctx, DeadLetters.of(raw, "decode",
                        "undecodable Avro: " + e.getClass().getSimpleName(), e, now), "undecodable_avro");
                return;
            }
            events = List.of(event);
        }
        for (ChatEvent event : events) {
            var problem = ChatEventValidator.problem(event, now);
            if (problem.isPresent()) {
                deadLetter(ctx, DeadLetters.of(raw, "validate", problem.get(), null, now, event.getTenantId(),
                        event.getTraceId()), "invalid_event");
            } else {
                out.collect(event);
            }
        }
    }

    private void deadLetter(Context ctx, DeadLetter d, String reason) {
        deadLetters.count(d.getStage(), reason);
        ctx.output(DeadLetters.TAG, d);
    }

    /** Strict UTF-8 (no replacement characters): webhooks are JSON, and JSON is UTF-8. */
    private boolean isUtf8(byte[] bytes) {
        try {
            utf8.reset().decode(ByteBuffer.wrap(bytes));
            return true;
        } catch (CharacterCodingException e) {
            return false;
        }
    }

    /** Connection failures and server errors, as opposed to what the bytes say. */
    private static boolean isRegistryOutage(IOException e) {
        String m = String.valueOf(e.getMessage());
        return e instanceof java.net.ConnectException
                || e instanceof java.net.http.HttpTimeoutException
                || m.contains("Schema registry") && m.contains("HTTP 5");
    }
}
