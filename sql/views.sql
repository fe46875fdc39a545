-- Views that turn what the topics carry into one row per thing. Run after tables/*.sql.

-- One row per lead: its latest version (crm.leads is an upsert log, one record per lead_version).
CREATE VIEW leads_latest AS
SELECT lead_id, lead_version, tenant_id, session_id, qualified_at, updated_at, score, category, intent,
       contact, company_name, company_size, budget, authority, need, timeline, slots, account_id, owner,
       summary, `language`, policy_version, model_id, trace_id
FROM (
  SELECT *, ROW_NUMBER() OVER (PARTITION BY lead_id ORDER BY lead_version DESC) AS version_rank
  FROM leads
)
WHERE version_rank = 1;

-- One row per closed session (not the sales-outcome rows of the same topic). A session id that
-- closed, then saw new messages, is a new session with a new opened_at; a record written twice
-- (e.g. the job replayed from an old offset without its state) counts once.
CREATE VIEW closed_sessions AS
SELECT outcome_id, tenant_id, session_id, opened_at, closed_at, close_reason, qualified, lead_id,
       final_score, category, final_action, actions, time_to_qualification_ms, slots_filled,
       slot_completeness, questions_asked, escalations, visitor_turns, agent_turns, bot_turns,
       `language`, policy_version, trace_id
FROM (
  SELECT *, ROW_NUMBER() OVER (PARTITION BY outcome_id, opened_at ORDER BY closed_at DESC) AS copy_rank
  FROM session_outcomes
  WHERE close_reason <> 'sales_outcome'
)
WHERE copy_rank = 1;

-- One row per sales outcome the CRM reported for a lead (MEETING_BOOKED, NO_SHOW, WON, LOST, OTHER),
-- joined to the lead by the job; outcome_id names the lead, the outcome and when it happened.
CREATE VIEW sales_outcomes AS
SELECT outcome_id, tenant_id, session_id, lead_id, final_score AS lead_score, category,
       sales_outcome, closed_at AS occurred_at, opened_at AS qualified_at, policy_version
FROM (
  SELECT *, ROW_NUMBER() OVER (PARTITION BY outcome_id ORDER BY kafka_offset) AS copy_rank
  FROM session_outcomes
  WHERE close_reason = 'sales_outcome'
)
WHERE copy_rank = 1;
