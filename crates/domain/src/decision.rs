//! What `decide` returns: the negotiation after the step, and its side effects as data.

use jiff::SignedDuration;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::email::EmailPlan;
use crate::money::{Cpm, Money};
use crate::negotiation::Negotiation;
use crate::triggers::FiredTrigger;

/// The kind of step taken, for tables, audit entries and metrics.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// The opening offer is ready to go out.
    Opened,
    /// We counter at a new rate.
    Countered,
    /// The deal is agreed.
    Agreed,
    /// A person must decide.
    Escalated,
    /// The negotiation ended without a deal.
    Rejected,
    /// A silent influencer gets a nudge.
    FollowedUp,
    /// The team is told the influencer stayed silent after every follow-up.
    SilenceReported,
    /// A reply arrived while a person holds the thread; the team is told, nothing else moves.
    Held,
    /// Nothing to do (a human has the thread, it is paused or finished, or no time has passed).
    Ignored,
    /// A person paused, resumed, stopped, took over or released the thread.
    Controlled,
}

impl Outcome {
    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Opened => "opened",
            Outcome::Countered => "countered",
            Outcome::Agreed => "agreed",
            Outcome::Escalated => "escalated",
            Outcome::Rejected => "rejected",
            Outcome::FollowedUp => "followed_up",
            Outcome::SilenceReported => "silence_reported",
            Outcome::Held => "held",
            Outcome::Ignored => "ignored",
            Outcome::Controlled => "controlled",
        }
    }
}

/// Why a person is being asked to decide, with the numbers they need.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct EscalationFacts {
    pub reason: String,
    /// The triggers that fired, if that is why.
    pub triggers: Vec<FiredTrigger>,
    pub their_ask: Option<Money>,
    /// The CPM their ask implies.
    pub their_cpm: Option<Cpm>,
    pub our_offer: Option<Money>,
    /// The rate at the campaign's CPM target (the floor).
    pub target_rate: Option<Money>,
    /// The most the agent may agree to on its own for this influencer.
    pub limit_rate: Option<Money>,
    /// How the campaign's CPM tracker arrived at that limit.
    pub limit_reason: String,
}

/// What the team is told, as data; the notifier turns it into a message.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "notice", rename_all = "snake_case")]
pub enum Notification {
    Escalation(EscalationFacts),
    Agreement {
        rate: Money,
        cpm: Cpm,
        /// Set when the rate looks odd enough for a person to double-check.
        warning: Option<String>,
    },
    /// The influencer declined, or a person ended the negotiation.
    Rejected {
        reason: String,
    },
    /// A reply came in while the thread waits for a person.
    ReplyWhileEscalated {
        summary: String,
    },
    /// Every follow-up went unanswered.
    SilenceLimit {
        follow_ups_sent: u32,
    },
}

/// One side effect of a decision, carried out by the agent through the outbox.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "effect", rename_all = "snake_case")]
pub enum Effect {
    /// Compose an email from this plan, pass it through the gate, and send it (or hold it as a
    /// draft for review).
    SendEmail(EmailPlan),
    Notify(Notification),
    /// Add the deal to the campaign's CPM tracker.
    RecordAgreement {
        rate: Money,
        cpm: Cpm,
        engagement_pct: Option<Decimal>,
    },
    /// Check for silence this long after the email goes out.
    ScheduleFollowUp {
        after: SignedDuration,
    },
}

/// The result of one step: the negotiation as it is now, what happened and why, and what must
/// be done about it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Decision {
    pub negotiation: Negotiation,
    pub outcome: Outcome,
    /// One sentence a person can read: why this step.
    pub reason: String,
    pub effects: Vec<Effect>,
}

impl Decision {
    /// Nothing changes, for this reason.
    pub fn ignored(n: &Negotiation, reason: impl Into<String>) -> Self {
        Decision {
            negotiation: n.clone(),
            outcome: Outcome::Ignored,
            reason: reason.into(),
            effects: Vec::new(),
        }
    }

    /// The email this decision sends, if any.
    pub fn email(&self) -> Option<&EmailPlan> {
        self.effects.iter().find_map(|e| match e {
            Effect::SendEmail(plan) => Some(plan),
            _ => None,
        })
    }
}
