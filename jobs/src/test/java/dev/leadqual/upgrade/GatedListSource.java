package dev.leadqual.upgrade;

import dev.leadqual.schema.ChatEvent;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.connector.source.lib.NumberSequenceSource.NumberSequenceSplit;
import org.apache.flink.api.connector.source.util.ratelimit.RateLimiter;
import org.apache.flink.api.connector.source.util.ratelimit.RateLimiterStrategy;
import org.apache.flink.connector.datagen.source.DataGeneratorSource;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;

/**
 * A source that emits a fixed list of events and then stays open without emitting (like a Kafka
 * topic with nothing new), so a savepoint taken afterwards holds the sessions as they are: the
 * end-of-input watermark that would fire every timer never comes. Run it with parallelism 1.
 */
final class GatedListSource {

    private GatedListSource() {}

    static DataGeneratorSource<ChatEvent> of(List<ChatEvent> events) {
        return of(events, new AvroTypeInfo<>(ChatEvent.class));
    }

    static <T> DataGeneratorSource<T> of(List<T> records, TypeInformation<T> type) {
        List<T> copy = List.copyOf(records);
        int n = copy.size();
        return new DataGeneratorSource<>(i -> copy.get(i.intValue()), n + 1L, new Gate(n), type);
    }

    /** Grants {@code permits} records, then never again. */
    private record Gate(int permits) implements RateLimiterStrategy<NumberSequenceSplit> {
        @Override
        public RateLimiter<NumberSequenceSplit> createRateLimiter(int parallelism) {
            return new RateLimiter<>() {
                private int left = permits;

                @Override
                public CompletionStage<Void> acquire(int n) {
                    if (left >= n) {
                        left -= n;
                        return CompletableFuture.completedFuture(null);
                    }
                    return new CompletableFuture<>(); // closed for good
                }
            };
        }
    }
}
