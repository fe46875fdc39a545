package dev.leadqual.functions;

import dev.leadqual.io.RawRecord;
import dev.leadqual.schema.ChatEvent;
import dev.leadqual.serde.ConfluentSchemaCoder;
import dev.leadqual.serde.SchemaRegistryClient;
import dev.leadqual.udfs.normalise.ChatEventValidator;
import dev.leadqual.udfs.normalise.ChatNormaliser;
import dev.leadqual.udfs.normalise.InvalidPayloadException;
import java.io.IOException;
import java.util.List;
import org.apache.avro.AvroRuntimeException;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.formats.avro.RegistryAvroDeserializationSchema;
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
    private final RegistryAvroDeserializationSchema<ChatEvent> avro;
    private transient ChatNormaliser normaliser;

    public DecodeChatInput(String rawTopic, RegistryAvroDeserializationSchema<ChatEvent> avro) {
        this.rawTopic = rawTopic;
        this.avro = avro;
    }

    @Override
    public void open(OpenContext context) {
        normaliser = ChatNormaliser.create();
    }

    @Override
    public void processElement(RawRecord raw, Context ctx, Collector<ChatEvent> out) throws IOException {
        long now = ctx.timerService().currentProcessingTime();
        if (raw.value == null) {
            ctx.output(DeadLetters.TAG, DeadLetters.of(raw, "decode", "null record value", null, now));
            return;
        }
        if (raw.value.length > MAX_RECORD_BYTES) {
            ctx.output(DeadLetters.TAG, DeadLetters.of(raw, "decode",
                    "record of " + raw.value.length + " bytes exceeds the " + MAX_RECORD_BYTES + "-byte limit", null, now));
            return;
        }
        List<ChatEvent> events;
        if (rawTopic.equals(raw.topic)) {
            try {
                events = normaliser.normalise(raw.value);
            } catch (InvalidPayloadException e) {
                ctx.output(DeadLetters.TAG, DeadLetters.of(raw, "normalise", e.reason(), e, now));
                return;
            } catch (RuntimeException e) {
                ctx.output(DeadLetters.TAG, DeadLetters.of(raw, "normalise",
                        "payload could not be normalised: " + e.getClass().getSimpleName(), e, now));
                return;
            }
        } else {
            ChatEvent event;
            try {
                event = avro.deserialize(raw.value);
            } catch (SchemaRegistryClient.UnknownSchemaException | ConfluentSchemaCoder.WireFormatException e) {
                ctx.output(DeadLetters.TAG, DeadLetters.of(raw, "decode", e.getMessage(), e, now));
                return;
            } catch (IOException e) {
                if (isRegistryOutage(e)) {
                    throw e; // retried after restart: the data may be fine
                }
                ctx.output(DeadLetters.TAG, DeadLetters.of(raw, "decode", "undecodable Avro: "
                        + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()), e, now));
                return;
            } catch (AvroRuntimeException | IllegalArgumentException | IndexOutOfBoundsException
                    | ClassCastException | NegativeArraySizeException e) {
                ctx.output(DeadLetters.TAG, DeadLetters.of(raw, "decode",
                        "undecodable Avro: " + e.getClass().getSimpleName(), e, now));
                return;
            }
            events = List.of(event);
        }
        for (ChatEvent event : events) {
            var problem = ChatEventValidator.problem(event, now);
            if (problem.isPresent()) {
                ctx.output(DeadLetters.TAG, DeadLetters.of(raw, "validate", problem.get(), null, now));
            } else {
                out.collect(event);
            }
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
