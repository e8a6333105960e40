-- A batch of webhook deliveries, ?1 = JSON array of [source, dedupe_key, received_at, body].
-- Returns the ones that were new (a repeat of (source, dedupe_key) is skipped).
INSERT INTO webhook_deliveries (source, dedupe_key, received_at, body)
SELECT value ->> 0, value ->> 1, value ->> 2, value ->> 3
FROM json_each(?1)
WHERE true
ON CONFLICT (source, dedupe_key) DO NOTHING
RETURNING source, dedupe_key
