package dev.leadqual.bench;

import dev.leadqual.config.Topics;
import dev.leadqual.demo.ChatProducer;
import dev.leadqual.demo.SyntheticChats;
import dev.leadqual.io.RawRecord;
import dev.leadqual.schema.ChatEvent;
import dev.leadqual.schema.SenderRole;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import dev.leadqual.serde.ConfluentAvroSerializer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * The benchmark's traffic: {@link SyntheticChats} (the demo's realistic chats: five languages, three
 * tenants, a fifth as Chatwoot webhooks, 4% malformed records) encoded once, up front, exactly as the
 * demo producer sends them (Avro in the Confluent wire format, webhook JSON, malformed bytes), so the
 * job's source costs nothing but handing records over.
 *
 * <p>Records are split into {@code partitions} lists like Kafka partitions: all records of a session in
 * one list, in order (sessions by key hash; records without a key fill the shorter list, and the
 * shorter lists are padded with malformed records so all have the same length).
 *
 * @param parts       the records of each partition, in order, all of the same length
 * @param eventIds    for each record, the event id of an Avro chat event, else null
 * @param visitor     for each record, whether it is a visitor message (one that reaches the decision)
 * @param sessions    distinct session keys
 * @param firstMillis event time of the first record
 * @param lastMillis  event time of the last record
 */
public record BenchTraffic(RawRecord[][] parts, String[][] eventIds, boolean[][] visitor, int sessions,
        long firstMillis, long lastMillis) {

    /** Same seed as the demo. */
    public static final long SEED = 42;

    /**
     * {@code events} records over {@code concurrentSessions} live chats, event time starting at
     * {@code startMillis} and advancing {@code 1000 / ratePerSecond} ms per record.
     */
    public static BenchTraffic generate(long seed, int events, int concurrentSessions, int partitions,
            long startMillis, double ratePerSecond, ConfluentAvroSerializer<ChatEvent> avro, Topics topics) {
        SyntheticChats chats = new SyntheticChats(seed, concurrentSessions, 0.04, 0.2);
        List<List<RawRecord>> lists = new ArrayList<>();
        List<List<String>> ids = new ArrayList<>();
        List<List<Boolean>> visitors = new ArrayList<>();
        for (int p = 0; p < partitions; p++) {
            lists.add(new ArrayList<>(events / partitions + 16));
            ids.add(new ArrayList<>(events / partitions + 16));
            visitors.add(new ArrayList<>(events / partitions + 16));
        }
        Set<String> sessions = new HashSet<>();
        double stepMs = 1000.0 / ratePerSecond;
        long last = startMillis;
        for (int i = 0; i < events; i++) {
            long at = startMillis + (long) (i * stepMs);
            last = at;
            Instant now = Instant.ofEpochMilli(at);
            SyntheticChats.Item item = chats.next(now);
            ProducerRecord<byte[], byte[]> r = ChatProducer.record(item, chats, now, avro, topics);
            String session = item instanceof SyntheticChats.Event e ? e.event().getSessionId()
                    : item instanceof SyntheticChats.Webhook w ? w.sessionId() : null;
            int p = session == null ? shortest(lists) : Math.floorMod(session.hashCode(), partitions);
            if (session != null) {
                sessions.add(session);
            }
            List<RawRecord> list = lists.get(p);
            list.add(new RawRecord(r.topic(), p, list.size(), at, r.key(), r.value()));
            ids.get(p).add(item instanceof SyntheticChats.Event e ? e.event().getEventId() : null);
            visitors.get(p).add(item instanceof SyntheticChats.Event e ? e.event().getSenderRole() == SenderRole.VISITOR
                    : item instanceof SyntheticChats.Webhook w && new String(w.json(), java.nio.charset.StandardCharsets.UTF_8)
                            .contains("\"message_type\":\"incoming\""));
        }
        int length = lists.stream().mapToInt(List::size).max().orElse(0);
        Random random = new Random(seed);
        RawRecord[][] parts = new RawRecord[partitions][];
        String[][] eventIds = new String[partitions][];
        boolean[][] visitor = new boolean[partitions][];
        for (int p = 0; p < partitions; p++) {
            List<RawRecord> list = lists.get(p);
            while (list.size() < length) {
                byte[] junk = new byte[16];
                random.nextBytes(junk);
                junk[0] = 0x7f;
                list.add(new RawRecord(topics.chatEvents(), p, list.size(), last, null, junk));
                ids.get(p).add(null);
                visitors.get(p).add(false);
            }
            parts[p] = list.toArray(new RawRecord[0]);
            eventIds[p] = ids.get(p).toArray(new String[0]);
            visitor[p] = new boolean[length];
            for (int k = 0; k < length; k++) {
                visitor[p][k] = visitors.get(p).get(k);
            }
        }
        return new BenchTraffic(parts, eventIds, visitor, sessions.size(), startMillis, last);
    }

    private static int shortest(List<List<RawRecord>> lists) {
        int best = 0;
        for (int p = 1; p < lists.size(); p++) {
            if (lists.get(p).size() < lists.get(best).size()) {
                best = p;
            }
        }
        return best;
    }

    public int partitions() {
        return parts.length;
    }

    /** Records per partition. */
    public int length() {
        return parts.length == 0 ? 0 : parts[0].length;
    }

    public long records() {
        return (long) partitions() * length();
    }

    /** Average size of a record's value in bytes. */
    public double averageValueBytes() {
        long bytes = 0;
        for (RawRecord[] part : parts) {
            for (RawRecord r : part) {
                bytes += r.value == null ? 0 : r.value.length;
            }
        }
        return records() == 0 ? 0 : (double) bytes / records();
    }
}
