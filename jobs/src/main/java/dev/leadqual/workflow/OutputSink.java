package dev.leadqual.workflow;

import java.io.Serializable;
import org.apache.flink.streaming.api.datastream.DataStream;

/** Where one output stream goes: a Kafka topic in the job, a collecting sink in tests. */
@FunctionalInterface
public interface OutputSink<T> extends Serializable {
    void attach(DataStream<T> stream);
}
