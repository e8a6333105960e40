//! The buttons on Slack notices and what a click carries, for the interactions handler.
//!
//! | notice | button | `action_id` | `value` (JSON) |
//! |---|---|---|---|
//! | escalation | Approve their rate | `escalation_approve` | `{"thread_id":"…","campaign_id":"…","influencer":"…"}` |
//! | escalation | Counter | `escalation_counter` | same |
//! | escalation | Reject | `escalation_reject` | same |
//! | escalation | Take over | `escalation_take_over` | same |
//! | draft waiting | Send | `draft_send` | `{"draft_id":42,"thread_id":"…","campaign_id":"…","influencer":"…"}` |
//! | draft waiting | Discard | `draft_discard` | same |
//!
//! Every key of the value may be absent except `draft_id` on draft buttons; escalation
//! buttons are only shown when the notice names a thread or an influencer. Read a click with
//! [`SlackAction::from_action_id`] and [`ActionValue::parse`]. A button can be clicked long
//! after it was posted (and more than once): the handler must load the negotiation or draft
//! as it is now, act only if it is still waiting for that decision, and record who clicked
//! (`user.id` of the `block_actions` payload) in the audit trail. Approve, Reject, Send and
//! Discard ask Slack for a confirmation dialog first; Counter carries no amount, so the
//! handler asks for one (a modal, or a reply in the message's thread).

use serde::{Deserialize, Serialize};

/// What a button asks the agent to do.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum SlackAction {
    /// Accept the influencer's current ask.
    EscalationApprove,
    /// Counter with an amount the person gives.
    EscalationCounter,
    /// End the negotiation.
    EscalationReject,
    /// A person handles the thread from now on (as if they had replied themselves).
    EscalationTakeOver,
    /// Send the waiting draft (it passes the validation gate again first).
    DraftSend,
    /// Throw the draft away; the negotiation then waits for a person.
    DraftDiscard,
}

impl SlackAction {
    pub const ALL: [SlackAction; 6] = [
        SlackAction::EscalationApprove,
        SlackAction::EscalationCounter,
        SlackAction::EscalationReject,
        SlackAction::EscalationTakeOver,
        SlackAction::DraftSend,
        SlackAction::DraftDiscard,
    ];

    /// The button's `action_id`.
    pub fn action_id(self) -> &'static str {
        match self {
            SlackAction::EscalationApprove => "escalation_approve",
            SlackAction::EscalationCounter => "escalation_counter",
            SlackAction::EscalationReject => "escalation_reject",
            SlackAction::EscalationTakeOver => "escalation_take_over",
            SlackAction::DraftSend => "draft_send",
            SlackAction::DraftDiscard => "draft_discard",
        }
    }

    pub fn from_action_id(action_id: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|a| a.action_id() == action_id)
    }

    /// The button's label.
    pub fn label(self) -> &'static str {
        match self {
            SlackAction::EscalationApprove => "Approve their rate",
            SlackAction::EscalationCounter => "Counter",
            SlackAction::EscalationReject => "Reject",
            SlackAction::EscalationTakeOver => "Take over",
            SlackAction::DraftSend => "Send",
            SlackAction::DraftDiscard => "Discard",
        }
    }
}

/// The `value` of every button: which negotiation, and for draft buttons which draft.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ActionValue {
    /// The draft's message id (draft buttons only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub draft_id: Option<i64>,
    /// The email thread of the negotiation.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub thread_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub campaign_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub influencer: Option<String>,
}

impl ActionValue {
    /// Reads a button's `value`.
    pub fn parse(value: &str) -> Result<Self, serde_json::Error> {
        serde_json::from_str(value)
    }

    /// The `value` string put on a button.
    pub fn encode(&self) -> String {
        // Serialising plain strings and integers cannot fail.
        serde_json::to_string(self).unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn action_ids_and_values_round_trip() {
        for action in SlackAction::ALL {
            assert_eq!(
                SlackAction::from_action_id(action.action_id()),
                Some(action)
            );
        }
        assert_eq!(SlackAction::from_action_id("something_else"), None);
        let value = ActionValue {
            draft_id: Some(42),
            thread_id: Some("18c2f".into()),
            campaign_id: None,
            influencer: Some("Zoë \"Z\" O'Neil".into()),
        };
        let encoded = value.encode();
        assert_eq!(
            encoded,
            r#"{"draft_id":42,"thread_id":"18c2f","influencer":"Zoë \"Z\" O'Neil"}"#
        );
        assert_eq!(ActionValue::parse(&encoded).unwrap(), value);
        assert!(ActionValue::parse("not json").is_err());
    }
}
