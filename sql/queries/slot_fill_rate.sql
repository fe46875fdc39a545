-- Slot fill rate by tenant and slot: in how many closed sessions each slot was filled (any slot the
-- understanding extracted, required or not), and the share of the tenant's closed sessions.
SELECT f.tenant_id,
       f.slot,
       COUNT(*) AS sessions_filled,
       ROUND(CAST(COUNT(*) AS DOUBLE) / MAX(t.closed_sessions), 3) AS fill_rate
FROM (
  SELECT c.tenant_id, s.slot
  FROM closed_sessions AS c
  CROSS JOIN UNNEST(c.slots_filled) AS s (slot)
) AS f
JOIN (
  SELECT tenant_id, COUNT(*) AS closed_sessions FROM closed_sessions GROUP BY tenant_id
) AS t ON t.tenant_id = f.tenant_id
GROUP BY f.tenant_id, f.slot
ORDER BY f.tenant_id, sessions_filled DESC, f.slot;
