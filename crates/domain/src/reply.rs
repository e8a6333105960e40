//! What a reader (LLM or rules) made of an influencer's reply: the input to `decide`.

use serde::{Deserialize, Serialize};

use crate::money::Money;
use crate::platform::DeliverableType;

string_enum! {
    /// What the influencer wants to do.
    pub enum Intent ("intent") {
        Accept => "accept",
        Counter => "counter",
        Reject => "reject",
        Question => "question",
        Unclear => "unclear",
    }
}

/// How sure the reader is, in whole percent (0 to 100).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Confidence(u8);

impl Confidence {
    pub const CERTAIN: Confidence = Confidence(100);

    /// Values above 100 are clamped to 100.
    pub fn from_percent(percent: u8) -> Self {
        Confidence(percent.min(100))
    }

    pub fn percent(self) -> u8 {
        self.0
    }
}

/// A flag the reader raised, with the words that made it raise it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Evidence {
    pub quote: String,
}

/// One influencer reply, read.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClassifiedReply {
    pub intent: Intent,
    /// The rate they asked for, if any (the total for the package).
    pub proposed_rate: Option<Money>,
    /// Deliverables they named explicitly.
    pub deliverables: Vec<DeliverableType>,
    pub confidence: Confidence,
    pub hostile: Option<Evidence>,
    pub legal: Option<Evidence>,
    /// Something beyond posts, stories, reels, videos and shorts (events, whitelisting, ...).
    pub unusual_deliverables: Option<Evidence>,
    /// One sentence on what the reply says.
    pub summary: String,
    /// The new text of the reply (quotes and signature removed); keyword triggers read it.
    pub text: String,
}

impl ClassifiedReply {
    /// No reading at all (`summary` says why): unclear at 0% confidence, so a person looks.
    pub fn unread(summary: impl Into<String>, text: impl Into<String>) -> Self {
        ClassifiedReply {
            intent: Intent::Unclear,
            proposed_rate: None,
            deliverables: Vec::new(),
            confidence: Confidence::from_percent(0),
            hostile: None,
            legal: None,
            unusual_deliverables: None,
            summary: summary.into(),
            text: text.into(),
        }
    }
}
