//! The negotiation domain: pure values and decisions, no I/O, no async, no clock reads.

pub mod money;
pub mod platform;
pub mod reply;

pub use money::{Cpm, Money, MoneyError};
pub use platform::{Deliverable, DeliverableType, Platform, PlatformError};
pub use reply::{ClassifiedReply, Confidence, Evidence, Intent};
pub mod campaign;
pub mod email;
pub use campaign::{
    Campaign, CampaignDraft, CampaignProblems, CpmRange, FieldProblem, SendingMode,
};
pub use email::{EmailKind, EmailPlan};
pub mod concession;
pub mod negotiation;
pub mod pricing;
pub mod state;
pub mod tracker;
pub use concession::{ConcessionError, ConcessionOutcome, ConcessionPolicy, ConcessionSchedule};
pub use negotiation::{Negotiation, NegotiationError, NegotiationSnapshot, NewNegotiation, Offer};
pub use pricing::{
    Boundary, CpmBounds, PricingError, RateAssessment, assess_proposed_rate, implied_cpm, rate_for,
};
pub use state::{
    HistoryEntry, NegotiationEvent, NegotiationState, Position, PositionError, Refusal,
    TransitionRefused, UnknownState, transition, valid_events,
};
pub use tracker::{AgreedDeal, CampaignCpmTracker, Flexibility, TrackerError};
pub mod policy;
pub mod triggers;
pub use policy::NegotiationPolicy;
pub use triggers::{
    ConfidenceTrigger, CpmTrigger, FiredTrigger, KeywordTrigger, TriggerKind, TriggerPolicy,
    evaluate,
};
pub mod gate;
pub mod template;
pub use gate::{GateFailure, GatePolicy, Violation};
pub use template::Sender;
