-- dead.letters: DeadLetter, Kafka key source topic-partition@offset (= dead_letter_id). One row per
-- input the job could not use, with the stage (decode, normalise, validate, control, policy), the
-- reason, the exception class and the original bytes (truncated to 960 KiB).
CREATE TABLE dead_letters (
  dead_letter_id STRING NOT NULL,
  source_topic   STRING NOT NULL,
  `partition`    INT NOT NULL,
  `offset`       BIGINT NOT NULL,
  `key`          BYTES,
  original       BYTES NOT NULL,
  original_size  INT NOT NULL,
  stage          STRING NOT NULL,
  reason         STRING NOT NULL,
  error_class    STRING NOT NULL,
  failed_at      TIMESTAMP(3) NOT NULL,
  tenant_id      STRING,
  trace_id       STRING,
  -- the Kafka record: where the job wrote it, and its timestamp (the event time that caused it)
  kafka_partition INT NOT NULL METADATA FROM 'partition' VIRTUAL,
  kafka_offset    BIGINT NOT NULL METADATA FROM 'offset' VIRTUAL,
  kafka_timestamp TIMESTAMP_LTZ(3) NOT NULL METADATA FROM 'timestamp' VIRTUAL
) WITH (
  'connector' = 'kafka',
  'topic' = 'dead.letters',
  'properties.bootstrap.servers' = '${kafka.bootstrap}',
  -- the job writes in Kafka transactions (exactly once): read only committed records
  'properties.isolation.level' = 'read_committed',
  'scan.startup.mode' = 'earliest-offset',
  -- a snapshot: read up to the offsets committed when the query starts, then finish. To follow the
  -- topic, run in streaming mode with /*+ OPTIONS('scan.bounded.mode'='unbounded') */ on the table.
  'scan.bounded.mode' = 'latest-offset',
  'value.format' = 'avro-confluent',
  'value.avro-confluent.url' = '${registry.url}',
  -- the reader schema, exactly schemas/src/main/avro/.../DeadLetter.avsc without docs (Avro enums are read as STRING only
  -- through their enum type; SqlTablesTest keeps this and the columns in step with the .avsc)
  'value.avro-confluent.schema' = '{"type":"record","name":"DeadLetter","namespace":"dev.leadqual.schema","fields":[{"name":"dead_letter_id","type":"string"},{"name":"source_topic","type":"string"},{"name":"partition","type":"int","default":-1},{"name":"offset","type":"long","default":-1},{"name":"key","type":["null","bytes"],"default":null},{"name":"original","type":"bytes"},{"name":"original_size","type":"int","default":0},{"name":"stage","type":"string"},{"name":"reason","type":"string"},{"name":"error_class","type":"string"},{"name":"failed_at","type":{"type":"long","logicalType":"timestamp-millis"}},{"name":"tenant_id","type":["null","string"],"default":null},{"name":"trace_id","type":["null","string"],"default":null}]}'
);
