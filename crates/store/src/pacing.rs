//! Sending pace, durably: the send slots booked on the mailbox, recipients' time zones, and the
//! stop switch that holds every outbound email.

use jiff::Timestamp;
use serde::Serialize;
use sqlx::{Row, SqliteConnection, SqliteExecutor};

use crate::jobs::JobRow;
use crate::{EventType, Job, NewAuditEntry, Store, StoreError, from_ms, insert_audit, to_ms};

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

fn slot(row: &sqlx::sqlite::SqliteRow) -> Result<SendSlot, StoreError> {
    Ok(SendSlot {
        key: row.try_get("slot_key")?,
        at: from_ms(row.try_get("at")?, "send_slots", "at")?,
        opening: row.try_get::<i64, _>("opening")? == 1,
    })
}

/// The slot booked under `key`, if any.
pub async fn find_slot(
    conn: impl SqliteExecutor<'_>,
    key: &str,
) -> Result<Option<SendSlot>, StoreError> {
    sqlx::query("SELECT slot_key, at, opening FROM send_slots WHERE slot_key = ?")
        .bind(key)
        .fetch_optional(conn)
        .await?
        .as_ref()
        .map(slot)
        .transpose()
}

/// Every slot at or after `since`, earliest first.
pub async fn booked_slots(
    conn: impl SqliteExecutor<'_>,
    since: Timestamp,
) -> Result<Vec<SendSlot>, StoreError> {
    sqlx::query("SELECT slot_key, at, opening FROM send_slots WHERE at >= ? ORDER BY at")
        .bind(to_ms(since))
        .fetch_all(conn)
        .await?
        .iter()
        .map(slot)
        .collect()
}

/// When the mailbox's first opening was booked (day 0 of its ramp).
pub async fn first_opening_at(
    conn: impl SqliteExecutor<'_>,
) -> Result<Option<Timestamp>, StoreError> {
    let first: Option<i64> = sqlx::query_scalar("SELECT MIN(at) FROM send_slots WHERE opening = 1")
        .fetch_one(conn)
        .await?;
    first.map(|ms| from_ms(ms, "send_slots", "at")).transpose()
}

/// Books (or moves) the slot under `key`, in the caller's write transaction.
pub async fn book_slot(
    conn: &mut SqliteConnection,
    key: &str,
    at: Timestamp,
    opening: bool,
    now: Timestamp,
) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO send_slots (slot_key, at, opening, booked_at) VALUES (?1, ?2, ?3, ?4)
         ON CONFLICT (slot_key) DO UPDATE SET at = excluded.at, booked_at = excluded.booked_at",
    )
    .bind(key)
    .bind(to_ms(at))
    .bind(i64::from(opening))
    .bind(to_ms(now))
    .execute(conn)
    .await?;
    Ok(())
}

/// Records the recipient's IANA time zone for a negotiation.
pub async fn set_time_zone(
    conn: &mut SqliteConnection,
    negotiation_id: i64,
    zone: &str,
) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO recipient_time_zones (negotiation_id, time_zone) VALUES (?1, ?2)
         ON CONFLICT (negotiation_id) DO UPDATE SET time_zone = excluded.time_zone",
    )
    .bind(negotiation_id)
    .bind(zone)
    .execute(conn)
    .await?;
    Ok(())
}

/// The recipient's time zone for a negotiation, when the roster gave one.
pub async fn time_zone(
    conn: impl SqliteExecutor<'_>,
    negotiation_id: i64,
) -> Result<Option<String>, StoreError> {
    Ok(
        sqlx::query_scalar("SELECT time_zone FROM recipient_time_zones WHERE negotiation_id = ?")
            .bind(negotiation_id)
            .fetch_optional(conn)
            .await?,
    )
}

/// The stop switch as last set (`None`: never touched, so sending runs).
pub async fn sending_switch(
    conn: impl SqliteExecutor<'_>,
) -> Result<Option<SendingSwitch>, StoreError> {
    let row = sqlx::query("SELECT paused, changed_by, changed_at FROM sending_switch WHERE id = 1")
        .fetch_optional(conn)
        .await?;
    row.map(|row| {
        Ok(SendingSwitch {
            paused: row.try_get::<i64, _>("paused")? == 1,
            changed_by: row.try_get("changed_by")?,
            changed_at: from_ms(row.try_get("changed_at")?, "sending_switch", "changed_at")?,
        })
    })
    .transpose()
}

/// Whether sending is paused now.
pub async fn sending_paused(conn: impl SqliteExecutor<'_>) -> Result<bool, StoreError> {
    Ok(sending_switch(conn).await?.is_some_and(|s| s.paused))
}

/// Sets the stop switch; returns whether it changed. On resume, every job the switch held is
/// due again at `now`, in the order it was queued.
pub async fn set_sending_paused(
    conn: &mut SqliteConnection,
    paused: bool,
    by: &str,
    now: Timestamp,
) -> Result<bool, StoreError> {
    let was = sending_paused(&mut *conn).await?;
    if was == paused {
        return Ok(false);
    }
    sqlx::query(
        "INSERT INTO sending_switch (id, paused, changed_by, changed_at) VALUES (1, ?1, ?2, ?3)
         ON CONFLICT (id) DO UPDATE SET paused = excluded.paused,
             changed_by = excluded.changed_by, changed_at = excluded.changed_at",
    )
    .bind(i64::from(paused))
    .bind(by)
    .bind(to_ms(now))
    .execute(&mut *conn)
    .await?;
    if !paused {
        sqlx::query(
            "UPDATE jobs SET run_at = ?1, updated_at = ?1 WHERE status = 'queued' AND run_at >= ?2",
        )
        .bind(to_ms(now))
        .bind(to_ms(HELD_UNTIL))
        .execute(&mut *conn)
        .await?;
    }
    Ok(true)
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
        sqlx::query_as::<_, JobRow>(
            "SELECT job_id, kind, dedupe_key, payload, status, attempts, max_attempts, run_at,
                    lease_until, last_error, created_at, updated_at
             FROM jobs WHERE status = 'queued' AND run_at > ?1
             ORDER BY run_at, job_id LIMIT ?2",
        )
        .bind(to_ms(now))
        .bind(i64::from(limit))
        .fetch_all(&self.pool)
        .await?
        .into_iter()
        .map(Job::try_from)
        .collect()
    }

    /// How many jobs the stop switch holds.
    pub async fn held_jobs(&self) -> Result<i64, StoreError> {
        Ok(
            sqlx::query_scalar("SELECT COUNT(*) FROM jobs WHERE status = 'queued' AND run_at >= ?")
                .bind(to_ms(HELD_UNTIL))
                .fetch_one(&self.pool)
                .await?,
        )
    }
}
