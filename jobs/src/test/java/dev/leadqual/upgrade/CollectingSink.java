package dev.leadqual.upgrade;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;

/** Collects records (as their Avro JSON) into a static list per name: for MiniCluster runs in this JVM. */
final class CollectingSink<T> implements Sink<T> {

    private static final Map<String, List<String>> COLLECTED = new ConcurrentHashMap<>();
    private final String name;

    CollectingSink(String name) {
        this.name = name;
        COLLECTED.put(name, new CopyOnWriteArrayList<>());
    }

    static List<String> collected(String name) {
        return COLLECTED.getOrDefault(name, List.of());
    }

    @Override
    public SinkWriter<T> createWriter(WriterInitContext context) {
        List<String> into = COLLECTED.computeIfAbsent(name, k -> new CopyOnWriteArrayList<>());
        return new SinkWriter<>() {
            @Override
            public void write(T element, Context ctx) {
                into.add(element.toString());
            }

            @Override
            public void flush(boolean endOfInput) {}

            @Override
            public void close() {}
        };
    }
}
