-- The influencer's named side: the addresses besides theirs that the roster names for them (a
-- manager, an assistant), as a JSON list of lowercased addresses. Our emails copy only these,
-- and a reply from anyone else is not taken as theirs. Existing negotiations name nobody else.
ALTER TABLE negotiations
    ADD COLUMN side_emails TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(side_emails));
