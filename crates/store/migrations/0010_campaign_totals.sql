-- A campaign's money and CPM totals, kept by triggers in the same transaction as every change to
-- its negotiations: a decision reads one row instead of summing the campaign's negotiations,
-- which cost a millisecond a reply in a campaign of 2,000 (`benches/campaign_throughput.rs`).
-- The store's tests check the row against the sum after every kind of change.
CREATE TABLE campaign_totals (
    campaign_id       TEXT PRIMARY KEY REFERENCES campaigns (campaign_id),
    committed_cents   INTEGER NOT NULL DEFAULT 0,
    outstanding_cents INTEGER NOT NULL DEFAULT 0,
    agreed_deals      INTEGER NOT NULL DEFAULT 0,
    agreed_cpm_cents  INTEGER NOT NULL DEFAULT 0,
    open_negotiations INTEGER NOT NULL DEFAULT 0
) STRICT, WITHOUT ROWID;

INSERT INTO campaign_totals
    (campaign_id, committed_cents, outstanding_cents, agreed_deals, agreed_cpm_cents,
     open_negotiations)
SELECT c.campaign_id,
       COALESCE(SUM(n.agreed_cents), 0),
       COALESCE(SUM(n.offer_cents), 0),
       COUNT(n.agreed_cents),
       COALESCE(SUM(n.agreed_cpm_cents), 0),
       COALESCE(SUM(n.state NOT IN ('agreed', 'rejected', 'stopped')), 0)
FROM campaigns c LEFT JOIN negotiations n ON n.campaign_id = c.campaign_id
GROUP BY c.campaign_id;

CREATE TRIGGER campaign_totals_on_new_campaign
AFTER INSERT ON campaigns
BEGIN
    INSERT INTO campaign_totals (campaign_id) VALUES (NEW.campaign_id);
END;

CREATE TRIGGER campaign_totals_on_insert
AFTER INSERT ON negotiations
BEGIN
    UPDATE campaign_totals
    SET committed_cents = committed_cents + COALESCE(NEW.agreed_cents, 0),
        outstanding_cents = outstanding_cents + COALESCE(NEW.offer_cents, 0),
        agreed_deals = agreed_deals + (NEW.agreed_cents IS NOT NULL),
        agreed_cpm_cents = agreed_cpm_cents + COALESCE(NEW.agreed_cpm_cents, 0),
        open_negotiations = open_negotiations
            + (NEW.state NOT IN ('agreed', 'rejected', 'stopped'))
    WHERE campaign_id = NEW.campaign_id;
END;

CREATE TRIGGER campaign_totals_on_update
AFTER UPDATE OF campaign_id, state, agreed_cents, agreed_cpm_cents, offer_cents ON negotiations
BEGIN
    UPDATE campaign_totals
    SET committed_cents = committed_cents - COALESCE(OLD.agreed_cents, 0),
        outstanding_cents = outstanding_cents - COALESCE(OLD.offer_cents, 0),
        agreed_deals = agreed_deals - (OLD.agreed_cents IS NOT NULL),
        agreed_cpm_cents = agreed_cpm_cents - COALESCE(OLD.agreed_cpm_cents, 0),
        open_negotiations = open_negotiations
            - (OLD.state NOT IN ('agreed', 'rejected', 'stopped'))
    WHERE campaign_id = OLD.campaign_id;
    UPDATE campaign_totals
    SET committed_cents = committed_cents + COALESCE(NEW.agreed_cents, 0),
        outstanding_cents = outstanding_cents + COALESCE(NEW.offer_cents, 0),
        agreed_deals = agreed_deals + (NEW.agreed_cents IS NOT NULL),
        agreed_cpm_cents = agreed_cpm_cents + COALESCE(NEW.agreed_cpm_cents, 0),
        open_negotiations = open_negotiations
            + (NEW.state NOT IN ('agreed', 'rejected', 'stopped'))
    WHERE campaign_id = NEW.campaign_id;
END;

CREATE TRIGGER campaign_totals_on_delete
AFTER DELETE ON negotiations
BEGIN
    UPDATE campaign_totals
    SET committed_cents = committed_cents - COALESCE(OLD.agreed_cents, 0),
        outstanding_cents = outstanding_cents - COALESCE(OLD.offer_cents, 0),
        agreed_deals = agreed_deals - (OLD.agreed_cents IS NOT NULL),
        agreed_cpm_cents = agreed_cpm_cents - COALESCE(OLD.agreed_cpm_cents, 0),
        open_negotiations = open_negotiations
            - (OLD.state NOT IN ('agreed', 'rejected', 'stopped'))
    WHERE campaign_id = OLD.campaign_id;
END;

CREATE TRIGGER campaign_totals_on_campaign_delete
BEFORE DELETE ON campaigns
BEGIN
    DELETE FROM campaign_totals WHERE campaign_id = OLD.campaign_id;
END;

-- The budget's guards read the kept total too (they summed the campaign's agreed rates), and the
-- index that served those sums goes: every decision rewrote its entry.
DROP TRIGGER negotiations_within_budget_on_update;
DROP TRIGGER negotiations_within_budget_on_insert;
DROP TRIGGER campaigns_budget_covers_agreed;
DROP INDEX negotiations_money;

CREATE TRIGGER negotiations_within_budget_on_update
BEFORE UPDATE OF agreed_cents ON negotiations
WHEN NEW.agreed_cents IS NOT NULL
    AND NEW.agreed_cents IS NOT OLD.agreed_cents
    AND NEW.agreed_cents
        + (SELECT committed_cents FROM campaign_totals WHERE campaign_id = NEW.campaign_id)
        - CASE WHEN OLD.campaign_id = NEW.campaign_id THEN COALESCE(OLD.agreed_cents, 0)
               ELSE 0 END
        > (SELECT budget_cents FROM campaigns WHERE campaign_id = NEW.campaign_id)
BEGIN
    SELECT RAISE(ABORT, 'negotiator: over budget');
END;

CREATE TRIGGER negotiations_within_budget_on_insert
BEFORE INSERT ON negotiations
WHEN NEW.agreed_cents IS NOT NULL
    AND NEW.agreed_cents
        + (SELECT committed_cents FROM campaign_totals WHERE campaign_id = NEW.campaign_id)
        > (SELECT budget_cents FROM campaigns WHERE campaign_id = NEW.campaign_id)
BEGIN
    SELECT RAISE(ABORT, 'negotiator: over budget');
END;

CREATE TRIGGER campaigns_budget_covers_agreed
BEFORE UPDATE OF budget_cents ON campaigns
WHEN NEW.budget_cents
    < (SELECT committed_cents FROM campaign_totals WHERE campaign_id = NEW.campaign_id)
BEGIN
    SELECT RAISE(ABORT, 'negotiator: budget below agreed');
END;

-- Bumped by every change to a campaign, so a worker may keep a campaign's parsed spec (it lists
-- every influencer: parsing it for each reply grew with the campaign) and know when it is stale.
ALTER TABLE campaigns ADD COLUMN revision INTEGER NOT NULL DEFAULT 0;

CREATE TRIGGER campaigns_revision
AFTER UPDATE ON campaigns
BEGIN
    UPDATE campaigns SET revision = OLD.revision + 1 WHERE campaign_id = NEW.campaign_id;
END;
