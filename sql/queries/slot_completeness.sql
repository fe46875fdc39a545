-- Slot completeness by tenant and category: the share of the tenant's required slots (the policy's
-- qualification framework, e.g. BANT) filled when a session closed, 0..1, over closed sessions.
-- (Per message, qualification_metrics repeats the running value: averaging it would weigh long
-- sessions more.)
SELECT tenant_id,
       category,
       COUNT(*) AS closed_sessions,
       ROUND(AVG(slot_completeness), 3) AS avg_completeness,
       ROUND(PERCENTILE(slot_completeness, 0.5), 3) AS p50_completeness,
       SUM(CASE WHEN slot_completeness >= 1.0 THEN 1 ELSE 0 END) AS complete_sessions,
       ROUND(AVG(CASE WHEN qualified THEN slot_completeness END), 3) AS avg_completeness_qualified
FROM closed_sessions
GROUP BY tenant_id, category
ORDER BY tenant_id, category;
