-- Dead letters by reason: inputs the job could not use, by stage, reason and source topic, with the
-- exception's class. Numbers in a reason are masked as N (every "unknown schema id 4711" is one
-- reason); a dead letter written twice (same source topic, partition and offset) counts once.
SELECT stage,
       REGEXP_REPLACE(reason, '[0-9]+', 'N') AS reason,
       source_topic,
       COALESCE(REGEXP_EXTRACT(error_class, '([A-Za-z0-9_]+)$', 1), '') AS error,
       COUNT(DISTINCT dead_letter_id) AS dead_letters,
       MIN(failed_at) AS first_failed_at,
       MAX(failed_at) AS last_failed_at
FROM dead_letters
GROUP BY stage, REGEXP_REPLACE(reason, '[0-9]+', 'N'), source_topic,
         COALESCE(REGEXP_EXTRACT(error_class, '([A-Za-z0-9_]+)$', 1), '')
ORDER BY dead_letters DESC, stage, reason;
