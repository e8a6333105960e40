//! What `decide` returns: the negotiation after the step, and its side effects as data.

use jiff::SignedDuration;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::budget::BudgetFacts;
use crate::email::EmailPlan;
use crate::money::{Cpm, Money};
use crate::negotiation::Negotiation;
use crate::reply::Intent;
use crate::state::NegotiationState;
use crate::triggers::FiredTrigger;

string_enum! {
    /// The kind of step taken, for tables, audit entries and metrics.
    pub enum Outcome ("outcome") {
        /// The opening offer is ready to go out.
        Opened => "opened",
        /// We counter at a new rate.
        Countered => "countered",
        /// The deal is agreed.
        Agreed => "agreed",
        /// A person must decide.
        Escalated => "escalated",
        /// The negotiation ended without a deal.
        Rejected => "rejected",
        /// A silent influencer gets a nudge.
        FollowedUp => "followed_up",
        /// The team is told the influencer stayed silent after every follow-up.
        SilenceReported => "silence_reported",
        /// The team is told and nothing else moves: a reply while a person decides or holds the
        /// thread, a reply on a paused or finished thread, an opening the budget cannot take.
        Held => "held",
        /// Nothing to do (a human has the thread, it is paused or finished, or no time has passed).
        Ignored => "ignored",
        /// An automatic answer (an out-of-office) came in: nothing is answered, and the
        /// follow-up waits until they are back.
        AutoReplied => "auto_replied",
        /// A person paused, resumed, stopped, took over or released the thread.
        Controlled => "controlled",
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
    /// The campaign's budget: what it is, what is agreed, what is left, and this deal.
    #[serde(default)]
    pub budget: Option<BudgetFacts>,
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
    /// The influencer wrote on a thread the agent does not act on (a person holds it, or it is
    /// paused or finished): a person reads it.
    ReplyForTeam {
        state: NegotiationState,
        held_by_person: bool,
        intent: Intent,
        summary: String,
    },
    /// Our email to them did not arrive and never will (a permanent bounce): the address is
    /// suppressed and a person must fix it in the roster.
    Undeliverable {
        address: String,
        /// The delivery status, such as `5.1.1`, when the report gave one.
        status: Option<String>,
        /// What the receiving server said, in one line.
        diagnostic: Option<String>,
    },
    /// They asked not to be written to again: the address is suppressed in every campaign.
    OptedOut {
        address: String,
        /// The words that asked.
        phrase: String,
    },
    /// The opening offer was not sent: the budget cannot take it.
    OpeningHeld {
        opening: Money,
        reason: String,
        budget: BudgetFacts,
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
