-- warehouse.session_outcomes: SessionOutcome, Kafka key session_id. Two kinds of rows:
--   * one per closed session (close_reason 'closed' or 'inactivity'): the view closed_sessions;
--   * one per sales outcome the CRM reported for a lead (close_reason 'sales_outcome',
--     sales_outcome MEETING_BOOKED, NO_SHOW, WON, LOST), joined back to the lead by the job:
--     the view sales_outcomes.
-- Never aggregate the table as a whole: the second kind would count a session again. No PII.
CREATE TABLE session_outcomes (
  outcome_id               STRING NOT NULL,
  tenant_id                STRING NOT NULL,
  session_id               STRING NOT NULL,
  opened_at                TIMESTAMP(3) NOT NULL,
  closed_at                TIMESTAMP(3) NOT NULL,
  close_reason             STRING NOT NULL,
  qualified                BOOLEAN NOT NULL,
  lead_id                  STRING,
  final_score              INT NOT NULL,
  category                 STRING NOT NULL,
  final_action             STRING NOT NULL,
  actions                  ARRAY<STRING NOT NULL> NOT NULL,
  time_to_qualification_ms BIGINT,
  slots_filled             ARRAY<STRING NOT NULL> NOT NULL,
  slot_completeness        DOUBLE NOT NULL,
  questions_asked          INT NOT NULL,
  escalations              INT NOT NULL,
  visitor_turns            INT NOT NULL,
  agent_turns              INT NOT NULL,
  bot_turns                INT NOT NULL,
  `language`               STRING NOT NULL,
  sales_outcome            STRING,
  policy_version           STRING NOT NULL,
  trace_id                 STRING,
  -- the Kafka record: where the job wrote it, and its timestamp (the event time that caused it)
  kafka_partition INT NOT NULL METADATA FROM 'partition' VIRTUAL,
  kafka_offset    BIGINT NOT NULL METADATA FROM 'offset' VIRTUAL,
  kafka_timestamp TIMESTAMP_LTZ(3) NOT NULL METADATA FROM 'timestamp' VIRTUAL
) WITH (
  'connector' = 'kafka',
  'topic' = 'warehouse.session_outcomes',
  'properties.bootstrap.servers' = '${kafka.bootstrap}',
  -- the job writes in Kafka transactions (exactly once): read only committed records
  'properties.isolation.level' = 'read_committed',
  'scan.startup.mode' = 'earliest-offset',
  -- a snapshot: read up to the offsets committed when the query starts, then finish. To follow the
  -- topic, run in streaming mode with /*+ OPTIONS('scan.bounded.mode'='unbounded') */ on the table.
  'scan.bounded.mode' = 'latest-offset',
  'value.format' = 'avro-confluent',
  'value.avro-confluent.url' = '${registry.url}',
  -- the reader schema, exactly schemas/src/main/avro/.../SessionOutcome.avsc without docs (Avro enums are read as STRING only
  -- through their enum type; SqlTablesTest keeps this and the columns in step with the .avsc)
  'value.avro-confluent.schema' = '{"type":"record","name":"SessionOutcome","namespace":"dev.leadqual.schema","fields":[{"name":"outcome_id","type":"string"},{"name":"tenant_id","type":"string"},{"name":"session_id","type":"string"},{"name":"opened_at","type":{"type":"long","logicalType":"timestamp-millis"}},{"name":"closed_at","type":{"type":"long","logicalType":"timestamp-millis"}},{"name":"close_reason","type":"string","default":"inactivity"},{"name":"qualified","type":"boolean","default":false},{"name":"lead_id","type":["null","string"],"default":null},{"name":"final_score","type":"int","default":0},{"name":"category","type":"string","default":"other"},{"name":"final_action","type":{"type":"enum","name":"ActionType","namespace":"dev.leadqual.schema","symbols":["NONE","ASK_SLOT","ANSWER_FROM_KNOWLEDGE","HANDOFF_TO_SALES","ESCALATE_TO_HUMAN","NURTURE","SUPPORT_ONLY"],"default":"NONE"},"default":"NONE"},{"name":"actions","type":{"type":"array","items":"dev.leadqual.schema.ActionType"},"default":[]},{"name":"time_to_qualification_ms","type":["null","long"],"default":null},{"name":"slots_filled","type":{"type":"array","items":"string"},"default":[]},{"name":"slot_completeness","type":"double","default":0.0},{"name":"questions_asked","type":"int","default":0},{"name":"escalations","type":"int","default":0},{"name":"visitor_turns","type":"int","default":0},{"name":"agent_turns","type":"int","default":0},{"name":"bot_turns","type":"int","default":0},{"name":"language","type":"string","default":"en"},{"name":"sales_outcome","type":["null","string"],"default":null},{"name":"policy_version","type":"string","default":""},{"name":"trace_id","type":["null","string"],"default":null}]}'
);
