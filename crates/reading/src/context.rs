//! What a reader of a reply is given besides its text.

use negotiator_domain::{Deliverable, Money, Platform};
use serde::{Deserialize, Serialize};

/// A reply to read, with what it answers: the reader needs our current offer to know what
/// "that works for me" agrees to, and the planned deliverables to total per-item prices.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReplyContext {
    /// The new text of the reply (quotes and signature already removed).
    pub text: String,
    pub subject: String,
    pub platform: Platform,
    /// Our latest offer in this thread, if one went out.
    pub our_offer: Option<Money>,
    /// What we asked for: per-deliverable prices are totalled over these.
    pub deliverables: Vec<Deliverable>,
}
