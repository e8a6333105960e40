//! The negotiation domain: pure values and decisions, no I/O, no async, no clock reads.

pub mod money;
pub mod platform;
pub mod reply;

pub use money::{Cpm, Money, MoneyError};
pub use platform::{Deliverable, DeliverableType, Platform, PlatformError};
pub use reply::{ClassifiedReply, Confidence, Evidence, Intent};
pub mod email;
pub use email::{EmailKind, EmailPlan};
