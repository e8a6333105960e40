//! The negotiation domain: pure values and decisions, no I/O, no async, no clock reads.

pub mod address;
#[macro_use]
mod names;

pub mod budget;
pub mod campaign;
pub mod concession;
pub mod decide;
pub mod decision;
pub mod email;
pub mod gate;
pub mod money;
pub mod negotiation;
pub mod pacing;
pub mod platform;
pub mod policy;
pub mod pricing;
pub mod reply;
pub mod second_reading;
pub mod state;
pub mod template;
pub mod tracker;
pub mod triggers;
pub mod wording;

pub use address::{AddressError, AddressProblem, EmailAddress};
#[doc(hidden)]
pub use serde as __serde;

pub use budget::{Allowance, ApprovalCheck, Budget, BudgetFacts, BudgetStanding};
pub use campaign::{
    Campaign, CampaignDraft, CampaignLimits, CampaignProblems, CpmRange, FieldProblem, RosterSheet,
    SendingMode,
};
pub use concession::{ConcessionError, ConcessionOutcome, ConcessionPolicy, ConcessionSchedule};
pub use decide::{
    ActionRefused, HumanAction, Rates, Undelivered, auto_reply, bounced, check_silence, decide,
    open, opted_out, rates, refer, resolve,
};
pub use decision::{Decision, Effect, EscalationFacts, Notification, Outcome};
pub use email::{EmailKind, EmailPlan};
pub use gate::{GateFailure, GatePolicy, Violation};
pub use money::{Cpm, Money, MoneyError};
pub use names::ParseEnumError;
pub use negotiation::{Negotiation, NegotiationError, NegotiationSnapshot, NewNegotiation, Offer};
pub use pacing::{Booked, PaceError, Ramp, SendPace, SendWindow, SlotRequest};
pub use platform::{Deliverable, DeliverableType, Platform, PlatformError};
pub use policy::NegotiationPolicy;
pub use pricing::{
    Boundary, CpmBounds, PricingError, RateAssessment, assess_proposed_rate, implied_cpm, rate_for,
};
pub use reply::{ClassifiedReply, Confidence, Evidence, Intent};
pub use second_reading::cross_check;
pub use state::{
    HistoryEntry, NegotiationEvent, NegotiationState, Position, PositionError, Refusal,
    TransitionRefused, UnknownState, transition, valid_events,
};
pub use template::Sender;
pub use tracker::{CampaignCpmTracker, Flexibility, TrackerError};
pub use triggers::{
    ConfidenceTrigger, CpmTrigger, FiredTrigger, KeywordTrigger, TriggerKind, TriggerPolicy,
    evaluate,
};
