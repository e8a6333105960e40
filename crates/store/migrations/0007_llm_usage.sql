-- Tokens spent on language models per UTC day and purpose (`classify`, `compose`), so the daily
-- token budget holds across restarts, and whether the team was told that day's budget is spent.
CREATE TABLE llm_usage_daily (
    day      TEXT NOT NULL,
    purpose  TEXT NOT NULL,
    tokens   INTEGER NOT NULL DEFAULT 0,
    calls    INTEGER NOT NULL DEFAULT 0,
    notified INTEGER NOT NULL DEFAULT 0 CHECK (notified IN (0, 1)),
    PRIMARY KEY (day, purpose)
) STRICT;
