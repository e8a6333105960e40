-- The jobs of a batch of deliveries, ?1 = JSON array of [kind, dedupe_key, payload (JSON
-- text), run_at], ?2 = now. Returns the ones that were new.
INSERT INTO jobs (kind, dedupe_key, payload, run_at, created_at, updated_at)
SELECT value ->> 0, value ->> 1, value ->> 2, value ->> 3, ?2, ?2
FROM json_each(?1)
WHERE true
ON CONFLICT (kind, dedupe_key) DO NOTHING
RETURNING kind, dedupe_key
