-- The campaign budget binds, and a draft carries the decision it was written for.
--
-- * `campaigns.budget_cents`: the budget, raised only by a person (audited). A trigger keeps it
--   from going below what is already agreed.
-- * `negotiations.agreed_cents`, `agreed_cpm_cents`, `offer_cents`: the money a decision needs
--   from the rest of the campaign, written from the domain aggregate in the same transaction as
--   its snapshot, so a decision reads a few indexed columns instead of every snapshot. A
--   trigger refuses any write that would take a campaign's agreed total past its budget: the
--   domain decides, and the store enforces it even against two workers racing.
-- * `negotiations.step`: how many decisions have been taken on the negotiation. A draft records
--   the step it was written for; a later decision supersedes it.
-- * `messages.status` gains 'superseded' (SQLite cannot alter a CHECK, so the table is rebuilt;
--   nothing references it).

ALTER TABLE campaigns ADD COLUMN budget_cents INTEGER NOT NULL DEFAULT 0;
UPDATE campaigns SET budget_cents = COALESCE(json_extract(spec, '$.budget'), 0);

ALTER TABLE negotiations ADD COLUMN agreed_cents INTEGER;
ALTER TABLE negotiations ADD COLUMN agreed_cpm_cents INTEGER;
ALTER TABLE negotiations ADD COLUMN offer_cents INTEGER;
ALTER TABLE negotiations ADD COLUMN step INTEGER NOT NULL DEFAULT 0;

UPDATE negotiations
SET agreed_cents = json_extract(snapshot, '$.agreed_rate'),
    offer_cents = CASE
        WHEN state IN ('agreed', 'rejected', 'stopped') THEN NULL
        ELSE json_extract(snapshot, '$.offers[#-1].rate')
    END;
-- The CPM an agreed rate implies, rounded half up to the cent (as `domain::implied_cpm`).
UPDATE negotiations
SET agreed_cpm_cents = (2 * agreed_cents * 1000 + json_extract(snapshot, '$.average_views'))
    / (2 * json_extract(snapshot, '$.average_views'))
WHERE agreed_cents IS NOT NULL;

-- Serves every campaign aggregate (agreed total, offers out, open count, CPM sum) from the index.
CREATE INDEX negotiations_money
    ON negotiations (campaign_id, state, agreed_cents, agreed_cpm_cents, offer_cents);

CREATE TRIGGER negotiations_within_budget_on_update
BEFORE UPDATE OF agreed_cents ON negotiations
WHEN NEW.agreed_cents IS NOT NULL
    AND NEW.agreed_cents IS NOT OLD.agreed_cents
    AND NEW.agreed_cents + (
        SELECT COALESCE(SUM(agreed_cents), 0) FROM negotiations
        WHERE campaign_id = NEW.campaign_id AND negotiation_id <> NEW.negotiation_id
    ) > (SELECT budget_cents FROM campaigns WHERE campaign_id = NEW.campaign_id)
BEGIN
    SELECT RAISE(ABORT, 'negotiator: over budget');
END;

CREATE TRIGGER negotiations_within_budget_on_insert
BEFORE INSERT ON negotiations
WHEN NEW.agreed_cents IS NOT NULL
    AND NEW.agreed_cents + (
        SELECT COALESCE(SUM(agreed_cents), 0) FROM negotiations
        WHERE campaign_id = NEW.campaign_id
    ) > (SELECT budget_cents FROM campaigns WHERE campaign_id = NEW.campaign_id)
BEGIN
    SELECT RAISE(ABORT, 'negotiator: over budget');
END;

CREATE TRIGGER campaigns_budget_covers_agreed
BEFORE UPDATE OF budget_cents ON campaigns
WHEN NEW.budget_cents < (
    SELECT COALESCE(SUM(agreed_cents), 0) FROM negotiations WHERE campaign_id = NEW.campaign_id
)
BEGIN
    SELECT RAISE(ABORT, 'negotiator: budget below agreed');
END;

CREATE TABLE messages_rebuilt (
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
        CHECK (status IN ('draft', 'pending', 'sent', 'received', 'discarded', 'superseded')),
    metadata       TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(metadata)),
    occurred_at    INTEGER NOT NULL,
    -- The negotiation's step this draft was written for (NULL for anything but drafts).
    for_step       INTEGER
) STRICT;

INSERT INTO messages_rebuilt
    (message_id, negotiation_id, direction, rfc_message_id, thread_id, from_addr, to_addr,
     subject, body, status, metadata, occurred_at, for_step)
SELECT message_id, negotiation_id, direction, rfc_message_id, thread_id, from_addr, to_addr,
       subject, body, status, metadata, occurred_at, NULL
FROM messages;

DROP TABLE messages;
ALTER TABLE messages_rebuilt RENAME TO messages;

CREATE INDEX messages_by_negotiation ON messages (negotiation_id, occurred_at);
CREATE INDEX messages_open ON messages (status, occurred_at) WHERE status IN ('draft', 'pending');
