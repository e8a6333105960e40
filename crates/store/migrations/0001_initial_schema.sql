-- Initial negotiator schema (SQLite).
--
-- Conventions, and why:
-- * Every table is STRICT, so a value of the wrong type is an error at write time instead of a
--   silently coerced string (the old Python store mixed TEXT timestamps and "" for missing data).
-- * Timestamps are INTEGER Unix milliseconds, UTC, in columns named `*_at`. Integers compare and
--   range-scan correctly; the old TEXT timestamps made a date-only upper bound exclude its own
--   day. Conversion to and from `jiff::Timestamp` happens in Rust.
-- * Keys are named `<table>_id`. INTEGER PRIMARY KEY is the rowid alias (no extra index).
-- * JSON columns are TEXT with a `json_valid` check, so a broken document cannot be stored.
-- * Enumerations that belong to the storage layer (mode, direction, statuses) are CHECKed here;
--   `audit_log.event_type` is deliberately not, because adding an event type must not require
--   rebuilding a table that holds millions of rows (SQLite cannot ALTER a CHECK). The Rust enum
--   validates it on write.

-- A campaign as received from ClickUp, a file or the demo. `spec` is the validated campaign
-- document (deliverables, budget, CPM targets, ...); the store does not interpret it.
CREATE TABLE campaigns (
    campaign_id TEXT PRIMARY KEY NOT NULL,
    client_name TEXT NOT NULL,
    source      TEXT NOT NULL,
    mode        TEXT NOT NULL CHECK (mode IN ('auto', 'review')),
    spec        TEXT NOT NULL CHECK (json_valid(spec)),
    created_at  INTEGER NOT NULL,
    updated_at  INTEGER NOT NULL
) STRICT;

-- One negotiation per (campaign, influencer). The full domain aggregate (history, offers, CPM
-- tracker, lever state) lives in `snapshot`, written in the same transaction as its audit entries
-- and jobs; the other columns are the fields we search or show without decoding it.
-- `version` implements optimistic concurrency: an update names the version it read and fails if
-- someone else committed in between (the old store silently overwrote with INSERT OR REPLACE).
CREATE TABLE negotiations (
    negotiation_id   INTEGER PRIMARY KEY,
    campaign_id      TEXT NOT NULL REFERENCES campaigns (campaign_id),
    influencer_name  TEXT NOT NULL,
    influencer_email TEXT NOT NULL,
    state            TEXT NOT NULL,
    human_controlled INTEGER NOT NULL DEFAULT 0 CHECK (human_controlled IN (0, 1)),
    round            INTEGER NOT NULL DEFAULT 0 CHECK (round >= 0),
    -- NULL until the first email is sent; UNIQUE ignores NULLs.
    thread_id        TEXT UNIQUE,
    last_message_id  TEXT,
    snapshot         TEXT NOT NULL CHECK (json_valid(snapshot)),
    version          INTEGER NOT NULL DEFAULT 1,
    created_at       INTEGER NOT NULL,
    updated_at       INTEGER NOT NULL,
    -- Roster names are matched case-insensitively; one negotiation per influencer per campaign.
    -- This index also serves "list by campaign".
    UNIQUE (campaign_id, influencer_name COLLATE NOCASE)
) STRICT;

-- Finding an influencer's negotiations across campaigns (by name or by the address a reply
-- came from).
CREATE INDEX negotiations_by_influencer_name ON negotiations (influencer_name COLLATE NOCASE);
CREATE INDEX negotiations_by_influencer_email ON negotiations (influencer_email COLLATE NOCASE);

-- Every email we sent, drafted or received. `rfc_message_id` is generated and stored before an
-- outbound send (exactly-once: after a crash the mailbox is searched for it before resending),
-- and deduplicates inbound messages. `metadata` holds e.g. a draft's decision and reasoning.
CREATE TABLE messages (
    message_id     INTEGER PRIMARY KEY,
    negotiation_id INTEGER NOT NULL REFERENCES negotiations (negotiation_id),
    direction      TEXT NOT NULL CHECK (direction IN ('sent', 'received')),
    rfc_message_id TEXT UNIQUE,
    thread_id      TEXT,
    from_addr      TEXT NOT NULL,
    to_addr        TEXT NOT NULL,
    subject        TEXT NOT NULL,
    body           TEXT NOT NULL,
    status         TEXT NOT NULL
        CHECK (status IN ('draft', 'pending', 'sent', 'received', 'discarded')),
    metadata       TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(metadata)),
    occurred_at    INTEGER NOT NULL
) STRICT;

CREATE INDEX messages_by_negotiation ON messages (negotiation_id, occurred_at);
-- Drafts waiting for review and sends whose outcome is unknown are few; a partial index keeps
-- those look-ups cheap without indexing every sent/received message.
CREATE INDEX messages_open ON messages (status, occurred_at) WHERE status IN ('draft', 'pending');

-- Append-only audit trail. No foreign keys: the trail must record things that never became rows
-- (a rejected campaign, a skipped influencer) and must outlive the rows it describes.
CREATE TABLE audit_log (
    audit_id          INTEGER PRIMARY KEY,
    occurred_at       INTEGER NOT NULL,
    event_type        TEXT NOT NULL,
    campaign_id       TEXT,
    -- NOCASE so that `--influencer "jane doe"` finds "Jane Doe" through the index.
    influencer_name   TEXT COLLATE NOCASE,
    thread_id         TEXT,
    direction         TEXT CHECK (direction IN ('sent', 'received')),
    email_body        TEXT,
    negotiation_state TEXT,
    rates_used        TEXT,
    intent            TEXT,
    metadata          TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(metadata))
) STRICT;

-- Each index matches one query shape: equality on the driving filter, then the time range, in
-- the order the query returns rows (newest first, ties by newest audit_id). Including
-- `audit_id DESC` explicitly lets SQLite read the first page straight off the index and stop,
-- with no temporary B-tree for ORDER BY (the implicit rowid suffix of an index is ascending).
CREATE INDEX audit_by_influencer ON audit_log (influencer_name, occurred_at DESC, audit_id DESC);
CREATE INDEX audit_by_campaign ON audit_log (campaign_id, occurred_at DESC, audit_id DESC);
CREATE INDEX audit_by_thread ON audit_log (thread_id, occurred_at DESC, audit_id DESC);
CREATE INDEX audit_by_time ON audit_log (occurred_at DESC, audit_id DESC);

-- Durable job queue (transactional outbox). A job is enqueued in the same transaction as the
-- state change that needs it; `UNIQUE (kind, dedupe_key)` makes enqueueing idempotent.
-- `lease_until` marks a claimed job; a worker that dies lets its lease expire and the job is
-- claimed again.
CREATE TABLE jobs (
    job_id       INTEGER PRIMARY KEY,
    kind         TEXT NOT NULL,
    dedupe_key   TEXT NOT NULL,
    payload      TEXT NOT NULL CHECK (json_valid(payload)),
    status       TEXT NOT NULL DEFAULT 'queued'
        CHECK (status IN ('queued', 'running', 'done', 'failed')),
    attempts     INTEGER NOT NULL DEFAULT 0 CHECK (attempts >= 0),
    max_attempts INTEGER NOT NULL DEFAULT 4 CHECK (max_attempts >= 1),
    run_at       INTEGER NOT NULL,
    lease_until  INTEGER,
    last_error   TEXT,
    created_at   INTEGER NOT NULL,
    updated_at   INTEGER NOT NULL,
    UNIQUE (kind, dedupe_key)
) STRICT;

-- Claiming takes the oldest due queued job: equality on status, then run_at order.
CREATE INDEX jobs_claim ON jobs (status, run_at);

-- Raw inbound webhook deliveries, stored before the 200 goes out. The unique key drops
-- redeliveries (ClickUp retries, Pub/Sub at-least-once).
CREATE TABLE webhook_deliveries (
    delivery_id INTEGER PRIMARY KEY,
    source      TEXT NOT NULL,
    dedupe_key  TEXT NOT NULL,
    received_at INTEGER NOT NULL,
    body        TEXT NOT NULL,
    UNIQUE (source, dedupe_key)
) STRICT;

-- Named positions in external streams (e.g. the Gmail history id), so a restart resumes where it
-- stopped instead of re-reading or skipping messages.
CREATE TABLE cursors (
    name       TEXT PRIMARY KEY NOT NULL,
    value      TEXT NOT NULL,
    updated_at INTEGER NOT NULL
) STRICT;
