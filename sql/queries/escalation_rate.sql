-- Escalation rate by day and tenant: closed sessions that the policy escalated to a human at least
-- once, over closed sessions, by the day (UTC) they closed (the warehouse form of the
-- sessionsEscalated / sessionsClosed metrics). Re-escalations of a handoff whose SLA was missed are
-- in sales_handoffs (escalation > 0), not here.
SELECT CAST(closed_at AS DATE) AS `day`,
       tenant_id,
       COUNT(*) AS closed_sessions,
       SUM(CASE WHEN escalations > 0 THEN 1 ELSE 0 END) AS escalated_sessions,
       ROUND(CAST(SUM(CASE WHEN escalations > 0 THEN 1 ELSE 0 END) AS DOUBLE) / COUNT(*), 3) AS escalation_rate
FROM closed_sessions
GROUP BY CAST(closed_at AS DATE), tenant_id
ORDER BY `day`, tenant_id;
