-- The suppression list: addresses nobody may write to again, in any campaign. An influencer who
-- asked not to be written to (`opt_out`), an address that bounced for good (`bounce`), or one a
-- person added (`manual`). Addresses are stored lowercased and compared without case. A row is
-- only ever removed by a person (audited); the audit trail keeps who added and removed it.
CREATE TABLE suppressions (
    address        TEXT PRIMARY KEY NOT NULL COLLATE NOCASE,
    reason         TEXT NOT NULL CHECK (reason IN ('opt_out', 'bounce', 'manual')),
    detail         TEXT NOT NULL DEFAULT '',
    added_by       TEXT NOT NULL,
    negotiation_id INTEGER REFERENCES negotiations (negotiation_id),
    added_at       INTEGER NOT NULL
) STRICT;
