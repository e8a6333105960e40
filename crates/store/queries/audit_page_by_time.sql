-- Audit page driven by audit_by_time. ?1/?2: [from, to) in Unix ms, always bound.
SELECT audit_id, occurred_at, event_type, campaign_id, influencer_name, thread_id, direction,
       email_body, negotiation_state, rates_used, intent, metadata
FROM audit_log
WHERE occurred_at >= ?1 AND occurred_at < ?2
  AND (?3 IS NULL OR event_type = ?3)
ORDER BY occurred_at DESC, audit_id DESC
LIMIT ?4
