//! What Slack posts to the interactions endpoint (the `payload` form field, JSON): button
//! clicks (`block_actions`) and modal submissions (`view_submission`). Fields this app does not
//! use are ignored, so Slack may add more.

use std::collections::BTreeMap;

use serde::Deserialize;
use serde_json::Value;

/// One interaction.
#[derive(Clone, Debug, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Interaction {
    BlockActions(BlockActions),
    ViewSubmission(ViewSubmission),
    /// Anything else (a modal closed, a shortcut): acknowledged and ignored.
    #[serde(other)]
    Other,
}

impl Interaction {
    /// Reads the `payload` field.
    pub fn parse(json: &str) -> Result<Self, serde_json::Error> {
        serde_json::from_str(json)
    }
}

/// Who clicked or submitted.
#[derive(Clone, Debug, Default, Deserialize)]
pub struct User {
    #[serde(default)]
    pub id: String,
    #[serde(default)]
    pub username: Option<String>,
    #[serde(default)]
    pub name: Option<String>,
}

impl User {
    /// The Slack user name, as the audit trail records who acted; the id when Slack sent no
    /// name.
    pub fn display(&self) -> String {
        let name = [self.username.as_deref(), self.name.as_deref()]
            .into_iter()
            .flatten()
            .map(str::trim)
            .find(|n| !n.is_empty())
            .unwrap_or(self.id.trim());
        let name: String = name.chars().filter(|c| !c.is_control()).take(80).collect();
        if name.is_empty() {
            "someone in Slack".to_owned()
        } else {
            name
        }
    }
}

/// A click on a button of a message.
#[derive(Clone, Debug, Deserialize)]
pub struct BlockActions {
    #[serde(default)]
    pub user: User,
    #[serde(default)]
    pub trigger_id: Option<String>,
    #[serde(default)]
    pub response_url: Option<String>,
    #[serde(default)]
    pub actions: Vec<Action>,
    /// The message the button is on, as Slack shows it.
    #[serde(default)]
    pub message: Option<ClickedMessage>,
}

/// The button clicked.
#[derive(Clone, Debug, Deserialize)]
pub struct Action {
    pub action_id: String,
    #[serde(default)]
    pub value: Option<String>,
}

/// The message a clicked button is on.
#[derive(Clone, Debug, Default, Deserialize)]
pub struct ClickedMessage {
    #[serde(default)]
    pub text: String,
    #[serde(default)]
    pub blocks: Vec<Value>,
}

/// A submitted modal.
#[derive(Clone, Debug, Deserialize)]
pub struct ViewSubmission {
    #[serde(default)]
    pub user: User,
    pub view: SubmittedView,
}

#[derive(Clone, Debug, Deserialize)]
pub struct SubmittedView {
    #[serde(default)]
    pub callback_id: String,
    #[serde(default)]
    pub private_metadata: String,
    #[serde(default)]
    pub state: ViewState,
}

/// What was typed into the modal's inputs, by block id then action id.
#[derive(Clone, Debug, Default, Deserialize)]
pub struct ViewState {
    #[serde(default)]
    pub values: BTreeMap<String, BTreeMap<String, InputValue>>,
}

#[derive(Clone, Debug, Default, Deserialize)]
pub struct InputValue {
    #[serde(default)]
    pub value: Option<String>,
}

impl ViewState {
    /// The text typed into input `action_id` of block `block_id`.
    pub fn text(&self, block_id: &str, action_id: &str) -> Option<&str> {
        self.values.get(block_id)?.get(action_id)?.value.as_deref()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slacks_payloads_are_read() {
        let click = r#"{"type":"block_actions","user":{"id":"U1","username":"pat","name":"pat","team_id":"T1"},
            "api_app_id":"A1","token":"legacy","trigger_id":"1.2.3","team":{"id":"T1"},
            "container":{"type":"message"},"response_url":"https://hooks.slack.com/actions/T1/1/x",
            "message":{"type":"message","text":"Needs a decision","ts":"1.2","blocks":[{"type":"divider","block_id":"x"}]},
            "actions":[{"action_id":"escalation_approve","block_id":"escalation_actions",
              "text":{"type":"plain_text","text":"Approve"},"value":"{\"thread_id\":\"t1\"}","type":"button","action_ts":"1"}]}"#;
        let Interaction::BlockActions(click) = Interaction::parse(click).unwrap() else {
            panic!("a click");
        };
        assert_eq!(click.user.display(), "pat");
        assert_eq!(click.actions[0].action_id, "escalation_approve");
        assert_eq!(click.message.unwrap().blocks.len(), 1);

        let submit = r#"{"type":"view_submission","user":{"id":"U2"},"view":{"id":"V1","callback_id":"escalation_counter",
            "private_metadata":"{}","state":{"values":{"rate":{"amount":{"type":"plain_text_input","value":"1,800"}}}}}}"#;
        let Interaction::ViewSubmission(submit) = Interaction::parse(submit).unwrap() else {
            panic!("a submission");
        };
        assert_eq!(submit.user.display(), "U2");
        assert_eq!(submit.view.state.text("rate", "amount"), Some("1,800"));
        assert!(matches!(
            Interaction::parse(r#"{"type":"view_closed"}"#).unwrap(),
            Interaction::Other
        ));
        assert!(Interaction::parse("{}").is_err());
    }
}
