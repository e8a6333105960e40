//! What an outbound email must say, as decided: the contract between `decide`, the composer and the gate.

use serde::{Deserialize, Serialize};

use crate::money::Money;
use crate::platform::{Deliverable, Platform};

string_enum! {
    /// Why the email is being written.
    pub enum EmailKind ("email kind") {
        /// The first offer of a negotiation.
        Opening => "opening",
        /// Our counter to their ask.
        Counter => "counter",
        /// We answer a question and restate our current offer.
        Answer => "answer",
        /// The deal is agreed: confirm the terms and the next steps.
        Agreement => "agreement",
        /// They went quiet: a polite nudge restating the current offer.
        FollowUp => "follow_up",
        /// We walk away politely (they said no, or we cannot meet them).
        Decline => "decline",
    }
}

/// Everything an email may state. The composer writes prose around these facts; the gate
/// checks the written text against them before anything is sent.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct EmailPlan {
    pub kind: EmailKind,
    /// The influencer's name as the roster has it (the email uses the first name).
    pub influencer_name: String,
    pub client_name: String,
    pub platform: Platform,
    /// The only deliverables the email may name.
    pub deliverables: Vec<Deliverable>,
    /// Our amount: the offer, the counter or the agreed rate. `None` only for a decline.
    pub our_rate: Option<Money>,
    /// Their ask, which the email may quote back. `None` when it must not appear.
    pub their_rate: Option<Money>,
    /// No amount in the email may exceed this.
    pub ceiling_rate: Money,
}

impl EmailPlan {
    /// The amounts the email may contain: ours, and theirs where quoted.
    pub fn allowed_amounts(&self) -> Vec<Money> {
        self.our_rate.into_iter().chain(self.their_rate).collect()
    }
}
