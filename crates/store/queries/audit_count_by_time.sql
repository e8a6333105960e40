-- Audit count driven by audit_by_time. ?1/?2: [from, to) in Unix ms, always bound.
SELECT COUNT(*)
FROM audit_log
WHERE occurred_at >= ?1 AND occurred_at < ?2
  AND (?3 IS NULL OR thread_id = ?3)
  AND (?4 IS NULL OR event_type = ?4)
