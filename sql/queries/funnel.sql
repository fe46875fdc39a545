-- Qualification funnel by tenant, in sessions: every session with an understood visitor message
-- (qualification_metrics) -> with a sales signal (a message understood as sales or presales) ->
-- qualified (a lead in crm.leads, any version) -> handed off to sales (sales.handoffs) -> a meeting
-- (the CRM reported MEETING_BOOKED, NO_SHOW or WON for the lead) -> won (WON). Meeting and won come
-- from crm.outcomes, joined to the lead by the job (the sales_outcomes view). Each stage counts
-- distinct sessions, so lead upserts, SLA re-escalations and repeated outcomes count once.
WITH sessions AS (
  SELECT tenant_id,
         session_id,
         MAX(CASE WHEN category IN ('sales', 'presales') THEN 1 ELSE 0 END) AS sales_signal
  FROM qualification_metrics
  GROUP BY tenant_id, session_id
), qualified AS (
  SELECT DISTINCT tenant_id, session_id, lead_id FROM leads
), handed_off AS (
  SELECT DISTINCT lead_id FROM sales_handoffs
), sold AS (
  SELECT lead_id,
         MAX(CASE WHEN sales_outcome IN ('MEETING_BOOKED', 'NO_SHOW', 'WON') THEN 1 ELSE 0 END) AS meeting,
         MAX(CASE WHEN sales_outcome = 'WON' THEN 1 ELSE 0 END) AS won
  FROM sales_outcomes
  GROUP BY lead_id
)
SELECT s.tenant_id,
       COUNT(*) AS sessions,
       SUM(s.sales_signal) AS sales_signal,
       COUNT(q.lead_id) AS qualified,
       COUNT(h.lead_id) AS handed_off,
       SUM(COALESCE(o.meeting, 0)) AS meeting,
       SUM(COALESCE(o.won, 0)) AS won
FROM sessions AS s
LEFT JOIN qualified AS q ON q.tenant_id = s.tenant_id AND q.session_id = s.session_id
LEFT JOIN handed_off AS h ON h.lead_id = q.lead_id
LEFT JOIN sold AS o ON o.lead_id = q.lead_id
GROUP BY s.tenant_id
ORDER BY s.tenant_id;
