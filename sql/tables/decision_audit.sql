-- audit.decisions: DecisionAudit, Kafka key session_id. One row per decision (per understood visitor
-- message), emitted or not (emitted = false when the decision did not change), with the rule, the
-- features, the score contributions, the policy version and the model id. Texts are redacted.
CREATE TABLE decision_audit (
  audit_id        STRING NOT NULL,
  tenant_id       STRING NOT NULL,
  session_id      STRING NOT NULL,
  event_id        STRING NOT NULL,
  event_time      TIMESTAMP(3) NOT NULL,
  decided_at      TIMESTAMP(3) NOT NULL,
  redacted_text   STRING NOT NULL,
  features        MAP<STRING NOT NULL, STRING NOT NULL> NOT NULL,
  slots           MAP<STRING NOT NULL, STRING NOT NULL> NOT NULL,
  `rule`          STRING NOT NULL,
  action          STRING NOT NULL,
  previous_action STRING NOT NULL,
  emitted         BOOLEAN NOT NULL,
  score           INT NOT NULL,
  contributions   ARRAY<ROW<signal STRING NOT NULL, points DOUBLE NOT NULL, detail STRING NOT NULL> NOT NULL> NOT NULL,
  policy_version  STRING NOT NULL,
  model_id        STRING NOT NULL,
  kill_switch     BOOLEAN NOT NULL,
  rate_limited    BOOLEAN NOT NULL,
  trace_id        STRING,
  -- the Kafka record: where the job wrote it, and its timestamp (the event time that caused it)
  kafka_partition INT NOT NULL METADATA FROM 'partition' VIRTUAL,
  kafka_offset    BIGINT NOT NULL METADATA FROM 'offset' VIRTUAL,
  kafka_timestamp TIMESTAMP_LTZ(3) NOT NULL METADATA FROM 'timestamp' VIRTUAL
) WITH (
  'connector' = 'kafka',
  'topic' = 'audit.decisions',
  'properties.bootstrap.servers' = '${kafka.bootstrap}',
  -- the job writes in Kafka transactions (exactly once): read only committed records
  'properties.isolation.level' = 'read_committed',
  'scan.startup.mode' = 'earliest-offset',
  -- a snapshot: read up to the offsets committed when the query starts, then finish. To follow the
  -- topic, run in streaming mode with /*+ OPTIONS('scan.bounded.mode'='unbounded') */ on the table.
  'scan.bounded.mode' = 'latest-offset',
  'value.format' = 'avro-confluent',
  'value.avro-confluent.url' = '${registry.url}',
  -- the reader schema, exactly schemas/src/main/avro/.../DecisionAudit.avsc without docs (Avro enums are read as STRING only
  -- through their enum type; SqlTablesTest keeps this and the columns in step with the .avsc)
  'value.avro-confluent.schema' = '{"type":"record","name":"DecisionAudit","namespace":"dev.leadqual.schema","fields":[{"name":"audit_id","type":"string"},{"name":"tenant_id","type":"string"},{"name":"session_id","type":"string"},{"name":"event_id","type":"string"},{"name":"event_time","type":{"type":"long","logicalType":"timestamp-millis"}},{"name":"decided_at","type":{"type":"long","logicalType":"timestamp-millis"}},{"name":"redacted_text","type":"string","default":""},{"name":"features","type":{"type":"map","values":"string"},"default":{}},{"name":"slots","type":{"type":"map","values":"string"},"default":{}},{"name":"rule","type":"string"},{"name":"action","type":{"type":"enum","name":"ActionType","namespace":"dev.leadqual.schema","symbols":["NONE","ASK_SLOT","ANSWER_FROM_KNOWLEDGE","HANDOFF_TO_SALES","ESCALATE_TO_HUMAN","NURTURE","SUPPORT_ONLY"],"default":"NONE"}},{"name":"previous_action","type":"dev.leadqual.schema.ActionType","default":"NONE"},{"name":"emitted","type":"boolean","default":false},{"name":"score","type":"int"},{"name":"contributions","type":{"type":"array","items":{"type":"record","name":"ScoreContribution","namespace":"dev.leadqual.schema","fields":[{"name":"signal","type":"string"},{"name":"points","type":"double"},{"name":"detail","type":"string","default":""}]}},"default":[]},{"name":"policy_version","type":"string"},{"name":"model_id","type":"string"},{"name":"kill_switch","type":"boolean","default":false},{"name":"rate_limited","type":"boolean","default":false},{"name":"trace_id","type":["null","string"],"default":null}]}'
);
