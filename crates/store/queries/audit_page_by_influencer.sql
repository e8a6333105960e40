-- Audit page driven by audit_by_influencer (influencer_name is NOCASE). ?2/?3: [from, to).
-- Also serves a thread's page: a thread belongs to one influencer's negotiation (?5).
SELECT audit_id, occurred_at, event_type, campaign_id, influencer_name, thread_id, direction,
       email_body, negotiation_state, rates_used, intent, metadata
FROM audit_log
WHERE influencer_name = ?1
  AND occurred_at >= ?2 AND occurred_at < ?3
  AND (?4 IS NULL OR campaign_id = ?4)
  AND (?5 IS NULL OR thread_id = ?5)
  AND (?6 IS NULL OR event_type = ?6)
ORDER BY occurred_at DESC, audit_id DESC
LIMIT ?7
