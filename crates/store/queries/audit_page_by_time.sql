-- Audit page driven by audit_by_time. ?1/?2: [from, to) in Unix ms, always bound. A thread
-- (?3) no negotiation claims is looked for here, newest first.
SELECT audit_id, occurred_at, event_type, campaign_id, influencer_name, thread_id, direction,
       email_body, negotiation_state, rates_used, intent, metadata
FROM audit_log
WHERE occurred_at >= ?1 AND occurred_at < ?2
  AND (?3 IS NULL OR thread_id = ?3)
  AND (?4 IS NULL OR event_type = ?4)
ORDER BY occurred_at DESC, audit_id DESC
LIMIT ?5
