//! The influencer's reply: read for what it means, decided on, and the decision committed.

use negotiator_domain::{ClassifiedReply, cross_check, decide};

use super::Handled;
use super::read::Arrived;
use crate::agent::Agent;
use crate::error::AgentError;
use crate::ports::classifier::{Classified, ReplyContext};
use crate::workflows::commit::{Actor, Received, Step, commit};
use crate::workflows::{Loaded, allowance};

/// Classifies the reply (a reply that only quotes us goes to a person unread) and decides.
pub(super) async fn answer(
    agent: &Agent,
    loaded: &Loaded,
    arrived: Arrived,
) -> Result<Handled, AgentError> {
    let Classified { reply, usage } = read_reply(agent, loaded, &arrived).await?;
    let allowance = allowance(agent, loaded).await?;
    let decision = decide(
        &loaded.negotiation,
        &reply,
        &allowance,
        &agent.settings.policy,
        agent.now(),
    );
    let step = Step {
        received: Some(Received {
            usage,
            ..Received::email(arrived.message, Some(reply))
        }),
        ..Step::by(Actor::Agent)
    };
    Ok(
        match commit(agent, loaded, decision, &allowance, step).await? {
            Some(done) => Handled::Decided(Box::new(done)),
            None => Handled::Duplicate,
        },
    )
}

/// What the reply means, by the configured classifier, checked against the rules' reading of
/// the same words: a model can be talked into a reading, the rules cannot
/// (`negotiator_domain::second_reading`).
async fn read_reply(
    agent: &Agent,
    loaded: &Loaded,
    arrived: &Arrived,
) -> Result<Classified, AgentError> {
    let Some(text) = &arrived.fresh else {
        // Nothing of their own: a person looks rather than the agent reading our quoted offer.
        return Ok(Classified::from(ClassifiedReply::unread(
            "the reply has no text of its own, only quoted material",
            arrived.message.body.clone(),
        )));
    };
    let context = ReplyContext {
        text: text.clone(),
        subject: arrived.email.parsed.subject.clone(),
        platform: loaded.negotiation.platform(),
        our_offer: loaded.negotiation.current_offer(),
        deliverables: loaded.negotiation.deliverables().to_vec(),
    };
    let Classified { reply, usage } = agent.adapters.classifier.classify(&context).await?;
    let rules = negotiator_reading::rules::read(&context);
    Ok(Classified {
        reply: cross_check(reply, &rules, context.our_offer),
        usage,
    })
}
