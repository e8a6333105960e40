-- Audit count driven by audit_by_influencer (influencer_name is NOCASE). ?2/?3: [from, to).
SELECT COUNT(*)
FROM audit_log
WHERE influencer_name = ?1
  AND occurred_at >= ?2 AND occurred_at < ?3
  AND (?4 IS NULL OR campaign_id = ?4)
  AND (?5 IS NULL OR thread_id = ?5)
  AND (?6 IS NULL OR event_type = ?6)
