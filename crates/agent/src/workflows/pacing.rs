//! Sending like a careful person: before an opening is made or an email goes out, the stop
//! switch, the daily cap of new conversations, the recipient's working hours and the spacing
//! between sends decide whether it goes now or waits (durably, in the job queue) for its slot.

use std::hash::BuildHasher;

use jiff::tz::TimeZone;
use jiff::{SignedDuration, Timestamp};
use negotiator_domain::{Booked, EmailKind, NegotiationState, SendPace, SlotRequest};
use negotiator_store::WriteTx;
use negotiator_store::{
    HELD_UNTIL, MessageStatus, book_slot, booked_slots, find_slot, first_opening_at, get_message,
    sending_paused, time_zone,
};

use super::Loaded;
use crate::agent::Agent;
use crate::error::AgentError;
use crate::tasks::Task;

/// Whether a job may run now.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Gate {
    Go,
    /// Not before this; the job waits in the queue without using an attempt.
    Wait(Timestamp),
}

/// How far back bookings matter: the spacing before a slot, and the cap's day.
const LOOK_BACK: SignedDuration = SignedDuration::from_hours(48);

/// Decides whether `task` may run now. Only openings and sends are paced; every other job goes.
pub async fn gate(agent: &Agent, task: &Task) -> Result<Gate, AgentError> {
    match task {
        Task::OpenNegotiation { negotiation_id } => {
            if sending_paused(agent.store.db()).await? {
                return Ok(Gate::Wait(HELD_UNTIL));
            }
            opening(agent, *negotiation_id).await
        }
        Task::SendEmail { message_id } => {
            if sending_paused(agent.store.db()).await? {
                return Ok(Gate::Wait(HELD_UNTIL));
            }
            send(agent, *message_id).await
        }
        _ => Ok(Gate::Go),
    }
}

/// A new conversation: booked against the day's cap, in the recipient's window, spaced.
async fn opening(agent: &Agent, negotiation_id: i64) -> Result<Gate, AgentError> {
    let pace = &agent.settings.pace;
    if pace.is_unpaced() {
        return Ok(Gate::Go);
    }
    let loaded = Loaded::by_id(agent, negotiation_id).await?;
    let n = &loaded.negotiation;
    if n.state() != NegotiationState::InitialOffer || loaded.negotiation.human_controlled() {
        // The workflow will find nothing to open; no slot is spent on it.
        return Ok(Gate::Go);
    }
    let zone = recipient_zone(agent, negotiation_id).await?;
    book(agent, &format!("open:{negotiation_id}"), &zone, true).await
}

/// An email: openings and follow-ups go inside the recipient's window, spaced; answers in a
/// live thread (counters, agreements, answers, declines) go at once.
async fn send(agent: &Agent, message_id: i64) -> Result<Gate, AgentError> {
    let pace = &agent.settings.pace;
    if pace.is_unpaced() {
        return Ok(Gate::Go);
    }
    let Some(message) = get_message(agent.store.db(), message_id).await? else {
        return Ok(Gate::Go);
    };
    if message.status != MessageStatus::Pending {
        return Ok(Gate::Go);
    }
    let kind = message
        .metadata
        .get("plan")
        .and_then(|plan| plan.get("kind"))
        .and_then(|kind| kind.as_str())
        .and_then(|kind| kind.parse::<EmailKind>().ok());
    let Some(kind @ (EmailKind::Opening | EmailKind::FollowUp)) = kind else {
        return Ok(Gate::Go);
    };
    let now = agent.now();
    let zone = recipient_zone(agent, message.negotiation_id).await?;
    let key = format!("send:{message_id}");
    let booked = find_slot(agent.store.db(), &key).await?;
    // The opening's own booking spaced it and counted it; it only has to be in the window.
    if booked.is_none() && kind == EmailKind::Opening && pace.window.contains(now, &zone) {
        return Ok(Gate::Go);
    }
    book(agent, &key, &zone, false).await
}

/// The slot under `key`: the one booked before if it still holds, else a new one booked now.
async fn book(
    agent: &Agent,
    key: &str,
    zone: &TimeZone,
    opening: bool,
) -> Result<Gate, AgentError> {
    let pace = &agent.settings.pace;
    let now = agent.now();
    let mut tx = agent.store.begin_write().await?;
    if let Some(slot) = find_slot(&mut tx, key).await? {
        if slot.at > now {
            return Ok(Gate::Wait(slot.at));
        }
        // Its time came; it goes if it is still inside the window (a pause or an outage may
        // have carried it past), and is booked again otherwise.
        if pace.window.contains(now, zone) {
            return Ok(Gate::Go);
        }
    }
    let at = next_slot(&mut tx, pace, now, zone, opening, key).await?;
    book_slot(&mut tx, key, at, opening, now).await?;
    tx.commit().await?;
    Ok(if at <= now { Gate::Go } else { Gate::Wait(at) })
}

/// The next free slot, from what the mailbox has booked.
async fn next_slot(
    tx: &mut WriteTx,
    pace: &SendPace,
    now: Timestamp,
    zone: &TimeZone,
    opening: bool,
    key: &str,
) -> Result<Timestamp, AgentError> {
    let since = now.checked_sub(LOOK_BACK).unwrap_or(now);
    let booked: Vec<Booked> = booked_slots(&mut *tx, since)
        .await?
        .into_iter()
        .filter(|slot| slot.key != key)
        .map(|slot| Booked {
            at: slot.at,
            opening: slot.opening,
        })
        .collect();
    let first = first_opening_at(&mut *tx)
        .await?
        .map(|at| pace.team_zone.to_datetime(at).date());
    let request = SlotRequest {
        now,
        zone,
        opening,
        booked: &booked,
        first_opening_day: first,
        random: random(key),
    };
    pace.next_slot(&request)
        .map_err(|e| AgentError::Invalid(format!("[sending]: {e}")))
}

/// A fresh random number (the process's hasher keys are random).
fn random(key: &str) -> u64 {
    std::collections::hash_map::RandomState::new().hash_one(key)
}

/// The recipient's zone: theirs from the roster, else the team's.
pub async fn recipient_zone(agent: &Agent, negotiation_id: i64) -> Result<TimeZone, AgentError> {
    let team = agent.settings.pace.team_zone.clone();
    let Some(name) = time_zone(agent.store.db(), negotiation_id).await? else {
        return Ok(team);
    };
    Ok(TimeZone::get(&name).unwrap_or_else(|_| {
        tracing::warn!(negotiation_id, time_zone = %name, "unknown time zone; using the team's");
        team
    }))
}

/// When the last of `zones.len()` new openings would go out if booked now, for the
/// campaign-started notice (`None` when sending is unpaced).
pub async fn last_opening(
    agent: &Agent,
    conn: &mut WriteTx,
    zones: &[TimeZone],
) -> Result<Option<Timestamp>, AgentError> {
    let pace = &agent.settings.pace;
    if pace.is_unpaced() || zones.is_empty() {
        return Ok(None);
    }
    let now = agent.now();
    let since = now.checked_sub(LOOK_BACK).unwrap_or(now);
    let booked: Vec<Booked> = booked_slots(&mut *conn, since)
        .await?
        .into_iter()
        .map(|slot| Booked {
            at: slot.at,
            opening: slot.opening,
        })
        .collect();
    let first = first_opening_at(&mut *conn)
        .await?
        .map(|at| pace.team_zone.to_datetime(at).date());
    let request = SlotRequest {
        now,
        zone: &pace.team_zone,
        opening: true,
        booked: &booked,
        first_opening_day: first,
        random: random("plan"),
    };
    Ok(pace
        .plan(&request, zones)
        .ok()
        .and_then(|slots| slots.into_iter().max()))
}

/// Pauses (`true`) or resumes all sending, audited with who; returns whether it changed.
/// Resuming makes every held job due again, in its order.
pub async fn switch(agent: &Agent, paused: bool, by: &str) -> Result<bool, AgentError> {
    Ok(agent.store.switch_sending(paused, by, agent.now()).await?)
}

/// A time as the team reads it: `Tue 3 Nov 2026 14:20 UTC`.
pub fn describe_time(at: Timestamp, zone: &TimeZone) -> String {
    at.to_zoned(zone.clone())
        .strftime("%a %-d %b %Y %H:%M %Z")
        .to_string()
}
