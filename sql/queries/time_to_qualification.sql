-- Time to qualification by day and tenant: closed sessions that qualified, by the day (UTC) they
-- opened; seconds from a session's first event to its first qualification (event time). Sessions
-- still open are not in it yet (their time is known when they close).
SELECT CAST(opened_at AS DATE) AS `day`,
       tenant_id,
       COUNT(*) AS qualified_sessions,
       ROUND(AVG(CAST(time_to_qualification_ms AS DOUBLE)) / 1000, 1) AS avg_seconds,
       ROUND(PERCENTILE(time_to_qualification_ms / 1000.0, 0.5), 1) AS p50_seconds,
       ROUND(PERCENTILE(time_to_qualification_ms / 1000.0, 0.9), 1) AS p90_seconds,
       ROUND(MAX(time_to_qualification_ms) / 1000.0, 1) AS max_seconds
FROM closed_sessions
WHERE qualified AND time_to_qualification_ms IS NOT NULL
GROUP BY CAST(opened_at AS DATE), tenant_id
ORDER BY `day`, tenant_id;
