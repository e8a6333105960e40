-- Audit page driven by audit_by_campaign. ?2/?3: [from, to) in Unix ms, always bound.
SELECT audit_id, occurred_at, event_type, campaign_id, influencer_name, thread_id, direction,
       email_body, negotiation_state, rates_used, intent, metadata
FROM audit_log
WHERE campaign_id = ?1
  AND occurred_at >= ?2 AND occurred_at < ?3
  AND (?4 IS NULL OR thread_id = ?4)
  AND (?5 IS NULL OR event_type = ?5)
ORDER BY occurred_at DESC, audit_id DESC
LIMIT ?6
