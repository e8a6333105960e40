//! Who wrote in a negotiation's thread: a team member takes it over; someone outside the
//! influencer's named side is stored and told to the team, never read as the influencer.

use negotiator_domain::{Decision, EmailAddress, HumanAction, resolve};

use super::Handled;
use super::read::Arrived;
use crate::agent::Agent;
use crate::error::AgentError;
use crate::named_side::NamedSide;
use crate::tasks::JobKey;
use crate::workflows::commit::{Actor, Extra, Received, Step, commit};
use crate::workflows::human::records;
use crate::workflows::{Loaded, allowance, notices};

/// A team member replied in the thread: the agent steps back (once).
pub(super) async fn team_member(
    agent: &Agent,
    loaded: &Loaded,
    arrived: Arrived,
) -> Result<Handled, AgentError> {
    let now = agent.now();
    let from = arrived.email.from.clone();
    let allowance = allowance(agent, loaded).await?;
    let mut step = Step::by(Actor::Person(from.clone()));
    let decision = if loaded.negotiation.human_controlled() {
        Decision::ignored(&loaded.negotiation, "a person already holds the thread")
    } else {
        let decision = resolve(
            &loaded.negotiation,
            HumanAction::TakeOver,
            &allowance,
            &agent.settings.policy,
            now,
        )?;
        step.extras = records(
            loaded,
            &decision,
            HumanAction::TakeOver,
            &from,
            Some("replied in the thread"),
            now,
        );
        decision
    };
    step.received = Some(Received::email(arrived.message, None));
    Ok(
        match commit(agent, loaded, decision, &allowance, step).await? {
            Some(done) => Handled::TakenOver(Box::new(done)),
            None => Handled::Duplicate,
        },
    )
}

/// Whether the sender is the influencer or someone the roster names for them.
pub(super) async fn their_side(
    agent: &Agent,
    loaded: &Loaded,
    arrived: &Arrived,
) -> Result<bool, AgentError> {
    let side = NamedSide::of(agent.store.db(), &loaded.row).await?;
    Ok(EmailAddress::parse(&arrived.email.from).is_ok_and(|a| side.is_their_side(&a)))
}

/// Someone outside the influencer's side wrote in the thread: stored, not acted on, the team
/// told.
pub(super) async fn outsider(
    agent: &Agent,
    loaded: &Loaded,
    arrived: Arrived,
) -> Result<Handled, AgentError> {
    let from = &arrived.email.from;
    let text = &arrived.message.body;
    let notice = notices::outside_side(loaded, from, &arrived.email.parsed.subject, text);
    let key = JobKey::Outsider {
        message_id: arrived.email.rfc_id.clone(),
    };
    let reason = format!(
        "{from} is not {} nor someone the roster names for them; the agent did not act on it",
        loaded.row.influencer_name
    );
    let decision = Decision::ignored(&loaded.negotiation, reason);
    let step = Step {
        received: Some(Received::email(arrived.message, None)),
        extras: vec![Extra::Notify { notice, key }],
        ..Step::by(Actor::Agent)
    };
    let allowance = allowance(agent, loaded).await?;
    Ok(
        match commit(agent, loaded, decision, &allowance, step).await? {
            Some(_) => Handled::Outsider,
            None => Handled::Duplicate,
        },
    )
}
