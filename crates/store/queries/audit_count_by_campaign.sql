-- Audit count driven by audit_by_campaign. ?2/?3: [from, to) in Unix ms, always bound.
SELECT COUNT(*)
FROM audit_log
WHERE campaign_id = ?1
  AND occurred_at >= ?2 AND occurred_at < ?3
  AND (?4 IS NULL OR thread_id = ?4)
  AND (?5 IS NULL OR event_type = ?5)
