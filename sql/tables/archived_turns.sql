-- chat.archive: ArchivedTurn, Kafka key session_id. Redacted older turns moved out of a session's
-- memory (archived_because 'tail_full') and the remaining turns when it closes ('session_closed').
CREATE TABLE archived_turns (
  session_id       STRING NOT NULL,
  tenant_id        STRING NOT NULL,
  event_id         STRING NOT NULL,
  sender_role      STRING NOT NULL,
  redacted_text    STRING NOT NULL,
  sent_at          TIMESTAMP(3) NOT NULL,
  archived_because STRING NOT NULL,
  trace_id         STRING,
  -- the Kafka record: where the job wrote it, and its timestamp (the event time that caused it)
  kafka_partition INT NOT NULL METADATA FROM 'partition' VIRTUAL,
  kafka_offset    BIGINT NOT NULL METADATA FROM 'offset' VIRTUAL,
  kafka_timestamp TIMESTAMP_LTZ(3) NOT NULL METADATA FROM 'timestamp' VIRTUAL
) WITH (
  'connector' = 'kafka',
  'topic' = 'chat.archive',
  'properties.bootstrap.servers' = '${kafka.bootstrap}',
  -- the job writes in Kafka transactions (exactly once): read only committed records
  'properties.isolation.level' = 'read_committed',
  'scan.startup.mode' = 'earliest-offset',
  -- a snapshot: read up to the offsets committed when the query starts, then finish. To follow the
  -- topic, run in streaming mode with /*+ OPTIONS('scan.bounded.mode'='unbounded') */ on the table.
  'scan.bounded.mode' = 'latest-offset',
  'value.format' = 'avro-confluent',
  'value.avro-confluent.url' = '${registry.url}',
  -- the reader schema, exactly schemas/src/main/avro/.../ArchivedTurn.avsc without docs (Avro enums are read as STRING only
  -- through their enum type; SqlTablesTest keeps this and the columns in step with the .avsc)
  'value.avro-confluent.schema' = '{"type":"record","name":"ArchivedTurn","namespace":"dev.leadqual.schema","fields":[{"name":"session_id","type":"string"},{"name":"tenant_id","type":"string"},{"name":"event_id","type":"string"},{"name":"sender_role","type":{"type":"enum","name":"SenderRole","namespace":"dev.leadqual.schema","symbols":["VISITOR","AGENT","BOT","SYSTEM"],"default":"SYSTEM"}},{"name":"redacted_text","type":"string"},{"name":"sent_at","type":{"type":"long","logicalType":"timestamp-millis"}},{"name":"archived_because","type":"string"},{"name":"trace_id","type":["null","string"],"default":null}]}'
);
