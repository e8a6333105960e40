//! Automatic answers (out-of-office, vacation responders, auto-acknowledgements): filed in the
//! audit trail, never classified and never answered. One from the influencer's side holds the
//! follow-up until they are back.

use negotiator_domain::{Decision, auto_reply};
use negotiator_reading::kind::AutoReply;
use negotiator_store::{Direction, EventType, NewAuditEntry, insert_audit};
use serde_json::{Map, Value};

use super::Handled;
use super::read::{Arrived, Read};
use crate::agent::Agent;
use crate::error::AgentError;
use crate::workflows::commit::{Actor, Received, Step, commit};
use crate::workflows::{Loaded, allowance};

/// An automatic answer in a negotiation's thread. From their side it holds the follow-up;
/// from anyone else (a team member's responder, someone copied) it is only filed.
pub(super) async fn in_thread(
    agent: &Agent,
    loaded: &Loaded,
    arrived: Arrived,
    auto: &AutoReply,
    their_side: bool,
) -> Result<Handled, AgentError> {
    let now = agent.now();
    let decision = if their_side {
        auto_reply(
            &loaded.negotiation,
            auto.returns_on,
            &agent.settings.policy,
            now,
        )
    } else {
        Decision::ignored(
            &loaded.negotiation,
            format!(
                "an automatic reply from {}, who is not on the influencer's side; filed only",
                arrived.email.from
            ),
        )
    };
    let step = Step {
        received: Some(Received::filed(
            arrived.message,
            EventType::AutoReply,
            details(auto),
        )),
        ..Step::by(Actor::Agent)
    };
    let allowance = allowance(agent, loaded).await?;
    Ok(
        match commit(agent, loaded, decision, &allowance, step).await? {
            Some(done) => Handled::Decided(Box::new(done)),
            None => Handled::Duplicate,
        },
    )
}

/// An automatic answer that belongs to no negotiation: filed, nobody told (it asks nothing).
pub(super) async fn unmatched(
    agent: &Agent,
    email: &Read,
    auto: &AutoReply,
) -> Result<Handled, AgentError> {
    let mut entry = NewAuditEntry::new(agent.now(), EventType::AutoReply)
        .direction(Direction::Received)
        .email_body(email.parsed.body.clone())
        .meta("from", email.from.clone())
        .meta("subject", email.parsed.subject.clone())
        .meta("message_id", email.rfc_id.clone())
        .meta("matched", false);
    for (key, value) in details(auto) {
        entry = entry.meta(key, value);
    }
    let mut tx = agent.store.begin_write().await?;
    insert_audit(&mut tx, &entry).await?;
    tx.commit().await?;
    Ok(Handled::Noted(format!(
        "filed an automatic reply from {} that matches no negotiation",
        email.from
    )))
}

/// What showed it was automatic, and when they are back, for the audit trail.
fn details(auto: &AutoReply) -> Map<String, Value> {
    let mut details = Map::new();
    details.insert("evidence".into(), auto.evidence.clone().into());
    details.insert("out_of_office".into(), auto.out_of_office.into());
    if let Some(date) = auto.returns_on {
        details.insert("returns_on".into(), date.to_string().into());
    }
    details
}
