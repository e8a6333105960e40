-- Sending pace: the slots booked on the mailbox (so a restart neither double-books nor passes
-- the daily cap of new conversations), the recipient's time zone from the roster, and the
-- stop switch that holds every outbound email.
CREATE TABLE send_slots (
    slot_key   TEXT PRIMARY KEY NOT NULL,
    at         INTEGER NOT NULL,
    opening    INTEGER NOT NULL CHECK (opening IN (0, 1)),
    booked_at  INTEGER NOT NULL
) STRICT;
CREATE INDEX send_slots_at ON send_slots (at);

CREATE TABLE recipient_time_zones (
    negotiation_id INTEGER PRIMARY KEY NOT NULL REFERENCES negotiations (negotiation_id),
    time_zone      TEXT NOT NULL
) STRICT;

CREATE TABLE sending_switch (
    id         INTEGER PRIMARY KEY NOT NULL CHECK (id = 1),
    paused     INTEGER NOT NULL CHECK (paused IN (0, 1)),
    changed_by TEXT NOT NULL,
    changed_at INTEGER NOT NULL
) STRICT;
