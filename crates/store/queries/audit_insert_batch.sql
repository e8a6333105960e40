-- One statement inserts a workflow step's audit entries. ?1 is a JSON array of rows, each row an
-- array in column order (metadata as a JSON object). `jsonb_each` hands each row over in binary
-- form, so `->>` reads its fields without rendering the row as text and parsing it back.
INSERT INTO audit_log (
    occurred_at, event_type, campaign_id, influencer_name, thread_id, direction,
    email_body, negotiation_state, rates_used, intent, metadata
)
SELECT value ->> 0, value ->> 1, value ->> 2, value ->> 3, value ->> 4, value ->> 5,
       value ->> 6, value ->> 7, value ->> 8, value ->> 9, value -> 10
FROM jsonb_each(?1)
ORDER BY key
