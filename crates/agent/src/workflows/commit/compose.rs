//! Writing the decision's emails and checking each with the validation gate before anything
//! is stored: an email that fails turns the decision into a referral to a person.

use negotiator_domain::{Allowance, Decision, Effect, EmailPlan, gate, refer};

use crate::agent::Agent;
use crate::error::AgentError;
use crate::ports::composer::ComposeRequest;
use crate::ports::usage::ModelUsage;
use crate::workflows::Loaded;

/// The decision to commit, its emails with their text, and, when the gate refused one, the
/// failure and the refused text.
pub(super) type Checked = (Decision, Vec<Written>, Option<(String, String)>);

/// An email of the decision: its plan, its text, and what writing it cost.
#[derive(Clone, Debug)]
pub(super) struct Written {
    pub plan: EmailPlan,
    pub body: String,
    pub usage: Vec<ModelUsage>,
}

/// Composes every email of the decision and checks it. If one fails the gate, the decision is
/// replaced by a referral to a person (no email at all), with the failure and the text kept.
pub(super) async fn compose_and_check(
    agent: &Agent,
    loaded: &Loaded,
    decision: Decision,
    allowance: &Allowance,
) -> Result<Checked, AgentError> {
    let settings = &agent.settings;
    let mut emails = Vec::new();
    for plan in decision.effects.iter().filter_map(|e| match e {
        Effect::SendEmail(plan) => Some(plan),
        _ => None,
    }) {
        let request = ComposeRequest {
            plan,
            sender: &settings.sender,
            instructions: loaded.campaign.instructions.as_deref(),
        };
        let composed = agent.adapters.composer.compose(&request).await?;
        let body = composed.body;
        if let Err(failure) = gate::check(&body, plan, &allowance.budget, &settings.gate) {
            tracing::warn!(
                negotiation_id = loaded.row.negotiation_id,
                influencer = %loaded.row.influencer_name,
                error = %failure,
                "an email failed the validation gate; escalating instead of sending"
            );
            let reason = format!("{failure}; the email was not sent");
            let referred = refer(
                &loaded.negotiation,
                decision.negotiation.their_last_ask(),
                &reason,
                allowance,
                &settings.policy,
                agent.now(),
            );
            return Ok((referred, Vec::new(), Some((failure.to_string(), body))));
        }
        emails.push(Written {
            plan: plan.clone(),
            body,
            usage: composed.usage,
        });
    }
    Ok((decision, emails, None))
}
