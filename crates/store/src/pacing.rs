//! Sending pace, durably: the send slots booked on the mailbox, recipients' time zones, and the
//! stop switch that holds every outbound email.

use jiff::Timestamp;
use rusqlite::{Connection, Row, params};
use serde::Serialize;

use crate::db::{execute, query_all, query_one};
use crate::jobs::job_columns;
use crate::{Db, EventType, Job, NewAuditEntry, Store, StoreError, from_ms, insert_audit, to_ms};

/// Where a job held by the stop switch waits: far enough that it is never due, and `resume`
/// brings every job here back, in its order.
pub const HELD_UNTIL: Timestamp = Timestamp::constant(253_370_764_800, 0); // 9999-01-01

/// One booked slot.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct SendSlot {
    /// What it is for: `open:<negotiation>` or `send:<message>`.
    pub key: String,
    pub at: Timestamp,
    /// An opening, counted against the day's cap of new conversations.
    pub opening: bool,
}

/// Whether sending is paused, and by whom since when.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct SendingSwitch {
    pub paused: bool,
    pub changed_by: String,
    pub changed_at: Timestamp,
}

/// Decodes a row selected as `slot_key, at, opening`.
fn slot(row: &Row<'_>) -> Result<SendSlot, StoreError> {
    Ok(SendSlot {
        key: row.get(0)?,
        at: from_ms(row.get(1)?, "send_slots", "at")?,
        opening: row.get::<_, i64>(2)? == 1,
    })
}

/// The slot booked under `key`, if any.
pub async fn find_slot(db: impl Db, key: &str) -> Result<Option<SendSlot>, StoreError> {
    db.with(|conn| {
        query_one(
            conn,
            "SELECT slot_key, at, opening FROM send_slots WHERE slot_key = ?",
            [key],
            slot,
        )
    })
}

/// Every slot at or after `since`, earliest first.
pub async fn booked_slots(db: impl Db, since: Timestamp) -> Result<Vec<SendSlot>, StoreError> {
    let since = to_ms(since);
    db.with(|conn| {
        query_all(
            conn,
            "SELECT slot_key, at, opening FROM send_slots WHERE at >= ? ORDER BY at",
            [since],
            slot,
        )
    })
}

/// When the mailbox's first opening was booked (day 0 of its ramp).
pub async fn first_opening_at(db: impl Db) -> Result<Option<Timestamp>, StoreError> {
    let first = db
        .with(|conn| {
            query_one(
                conn,
                "SELECT MIN(at) FROM send_slots WHERE opening = 1",
                [],
                |row| Ok(row.get::<_, Option<i64>>(0)?),
            )
        })?
        .flatten();
    first.map(|ms| from_ms(ms, "send_slots", "at")).transpose()
}

/// Books (or moves) the slot under `key`, in the caller's write transaction.
pub async fn book_slot(
    db: impl Db,
    key: &str,
    at: Timestamp,
    opening: bool,
    now: Timestamp,
) -> Result<(), StoreError> {
    let at = to_ms(at);
    let now = to_ms(now);
    db.with(|conn| {
        execute(
            conn,
            "INSERT INTO send_slots (slot_key, at, opening, booked_at) VALUES (?1, ?2, ?3, ?4)
             ON CONFLICT (slot_key) DO UPDATE SET at = excluded.at, booked_at = excluded.booked_at",
            params![key, at, i64::from(opening), now],
        )
    })?;
    Ok(())
}

/// Records the recipient's IANA time zone for a negotiation.
pub async fn set_time_zone(db: impl Db, negotiation_id: i64, zone: &str) -> Result<(), StoreError> {
    db.with(|conn| {
        execute(
            conn,
            "INSERT INTO recipient_time_zones (negotiation_id, time_zone) VALUES (?1, ?2)
             ON CONFLICT (negotiation_id) DO UPDATE SET time_zone = excluded.time_zone",
            params![negotiation_id, zone],
        )
    })?;
    Ok(())
}

/// The recipient's time zone for a negotiation, when the roster gave one.
pub async fn time_zone(db: impl Db, negotiation_id: i64) -> Result<Option<String>, StoreError> {
    db.with(|conn| {
        query_one(
            conn,
            "SELECT time_zone FROM recipient_time_zones WHERE negotiation_id = ?",
            [negotiation_id],
            |row| Ok(row.get::<_, String>(0)?),
        )
    })
}

/// The stop switch as last set (`None`: never touched, so sending runs).
pub async fn sending_switch(db: impl Db) -> Result<Option<SendingSwitch>, StoreError> {
    db.with(read_switch)
}

/// [`sending_switch`] on a connection at hand.
fn read_switch(conn: &Connection) -> Result<Option<SendingSwitch>, StoreError> {
    query_one(
        conn,
        "SELECT paused, changed_by, changed_at FROM sending_switch WHERE id = 1",
        [],
        |row| {
            Ok(SendingSwitch {
                paused: row.get::<_, i64>(0)? == 1,
                changed_by: row.get(1)?,
                changed_at: from_ms(row.get(2)?, "sending_switch", "changed_at")?,
            })
        },
    )
}

/// Whether sending is paused now.
pub async fn sending_paused(db: impl Db) -> Result<bool, StoreError> {
    Ok(sending_switch(db).await?.is_some_and(|s| s.paused))
}

/// Sets the stop switch; returns whether it changed. On resume, every job the switch held is
/// due again at `now`, in the order it was queued.
pub async fn set_sending_paused(
    db: impl Db,
    paused: bool,
    by: &str,
    now: Timestamp,
) -> Result<bool, StoreError> {
    let now = to_ms(now);
    let held_until = to_ms(HELD_UNTIL);
    db.with(|conn| {
        let was = read_switch(conn)?.is_some_and(|s| s.paused);
        if was == paused {
            return Ok(false);
        }
        execute(
            conn,
            "INSERT INTO sending_switch (id, paused, changed_by, changed_at) VALUES (1, ?1, ?2, ?3)
             ON CONFLICT (id) DO UPDATE SET paused = excluded.paused,
                 changed_by = excluded.changed_by, changed_at = excluded.changed_at",
            params![i64::from(paused), by, now],
        )?;
        if !paused {
            execute(
                conn,
                "UPDATE jobs SET run_at = ?1, updated_at = ?1
                 WHERE status = 'queued' AND run_at >= ?2",
                params![now, held_until],
            )?;
        }
        Ok(true)
    })
}

impl Store {
    /// Pauses (`true`) or resumes all sending, audited with who, in one transaction; returns
    /// whether it changed. Resuming makes every held job due at `now`, in its order.
    pub async fn switch_sending(
        &self,
        paused: bool,
        by: &str,
        now: Timestamp,
    ) -> Result<bool, StoreError> {
        let mut tx = self.begin_write().await?;
        let changed = set_sending_paused(&mut tx, paused, by, now).await?;
        if changed {
            let event = if paused {
                EventType::SendingPaused
            } else {
                EventType::SendingResumed
            };
            insert_audit(&mut tx, &NewAuditEntry::new(now, event).meta("by", by)).await?;
        }
        tx.commit().await?;
        Ok(changed)
    }

    /// Queued jobs not due before `now` (held by the pace or the stop switch), soonest first.
    pub async fn waiting_jobs(&self, now: Timestamp, limit: u32) -> Result<Vec<Job>, StoreError> {
        let sql = concat!(
            "SELECT ",
            job_columns!(),
            "
             FROM jobs WHERE status = 'queued' AND run_at > ?1
             ORDER BY run_at, job_id LIMIT ?2"
        );
        let now = to_ms(now);
        let limit = i64::from(limit);
        self.db()
            .with(|conn| query_all(conn, sql, params![now, limit], Job::from_row))
    }

    /// How many jobs the stop switch holds.
    pub async fn held_jobs(&self) -> Result<i64, StoreError> {
        let held_until = to_ms(HELD_UNTIL);
        Ok(self
            .db()
            .with(|conn| {
                query_one(
                    conn,
                    "SELECT COUNT(*) FROM jobs WHERE status = 'queued' AND run_at >= ?",
                    [held_until],
                    |row| Ok(row.get::<_, i64>(0)?),
                )
            })?
            .unwrap_or(0))
    }
}
