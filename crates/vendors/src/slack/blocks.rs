//! Block Kit as serde types: the blocks, text objects and buttons a message is made of.

use serde::{Deserialize, Serialize};

/// A text object: `plain_text` (shown as written) or `mrkdwn` (Slack's markup; escape
/// outside text with [`super::escape_mrkdwn`]).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Text {
    PlainText {
        text: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        emoji: Option<bool>,
    },
    Mrkdwn {
        text: String,
    },
}

impl Text {
    pub fn plain(text: impl Into<String>) -> Self {
        Text::PlainText {
            text: text.into(),
            emoji: Some(true),
        }
    }

    pub fn mrkdwn(text: impl Into<String>) -> Self {
        Text::Mrkdwn { text: text.into() }
    }

    pub fn as_str(&self) -> &str {
        match self {
            Text::PlainText { text, .. } | Text::Mrkdwn { text } => text,
        }
    }

    pub fn is_plain(&self) -> bool {
        matches!(self, Text::PlainText { .. })
    }

    pub(crate) fn text_mut(&mut self) -> &mut String {
        match self {
            Text::PlainText { text, .. } | Text::Mrkdwn { text } => text,
        }
    }
}

/// One layout block of a message.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Block {
    /// Large bold plain text at the top.
    Header {
        text: Text,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        block_id: Option<String>,
    },
    /// A paragraph, and/or up to ten short fields shown in two columns.
    Section {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        text: Option<Text>,
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        fields: Vec<Text>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        block_id: Option<String>,
    },
    Divider {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        block_id: Option<String>,
    },
    /// Small grey text.
    Context {
        elements: Vec<Text>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        block_id: Option<String>,
    },
    /// A row of buttons.
    Actions {
        elements: Vec<ActionElement>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        block_id: Option<String>,
    },
}

impl Block {
    pub fn header(text: impl Into<String>) -> Self {
        Block::Header {
            text: Text::plain(text),
            block_id: None,
        }
    }

    /// A section of `mrkdwn` text.
    pub fn section(text: impl Into<String>) -> Self {
        Block::Section {
            text: Some(Text::mrkdwn(text)),
            fields: Vec::new(),
            block_id: None,
        }
    }

    /// A section of `mrkdwn` fields.
    pub fn fields(fields: impl IntoIterator<Item = String>) -> Self {
        Block::Section {
            text: None,
            fields: fields.into_iter().map(Text::mrkdwn).collect(),
            block_id: None,
        }
    }

    pub fn divider() -> Self {
        Block::Divider { block_id: None }
    }

    /// A context line of `mrkdwn` text.
    pub fn context(text: impl Into<String>) -> Self {
        Block::Context {
            elements: vec![Text::mrkdwn(text)],
            block_id: None,
        }
    }

    pub fn actions(buttons: impl IntoIterator<Item = Button>) -> Self {
        Block::Actions {
            elements: buttons.into_iter().map(ActionElement::Button).collect(),
            block_id: None,
        }
    }

    /// The block's type as Slack names it.
    pub fn kind(&self) -> &'static str {
        match self {
            Block::Header { .. } => "header",
            Block::Section { .. } => "section",
            Block::Divider { .. } => "divider",
            Block::Context { .. } => "context",
            Block::Actions { .. } => "actions",
        }
    }

    pub(crate) fn block_id_mut(&mut self) -> &mut Option<String> {
        match self {
            Block::Header { block_id, .. }
            | Block::Section { block_id, .. }
            | Block::Divider { block_id }
            | Block::Context { block_id, .. }
            | Block::Actions { block_id, .. } => block_id,
        }
    }
}

/// An interactive element of an actions block.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum ActionElement {
    Button(Button),
}

/// A button. A click sends the interactions endpoint a `block_actions` payload carrying the
/// button's `action_id` and `value`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Button {
    /// Plain text.
    pub text: Text,
    pub action_id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub style: Option<ButtonStyle>,
    /// A dialog the person must confirm before the click is sent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub confirm: Option<Confirm>,
}

impl Button {
    pub fn new(text: impl Into<String>, action_id: impl Into<String>) -> Self {
        Button {
            text: Text::plain(text),
            action_id: action_id.into(),
            value: None,
            style: None,
            confirm: None,
        }
    }

    pub fn value(mut self, value: impl Into<String>) -> Self {
        self.value = Some(value.into());
        self
    }

    pub fn style(mut self, style: ButtonStyle) -> Self {
        self.style = Some(style);
        self
    }

    pub fn confirm(mut self, confirm: Confirm) -> Self {
        self.confirm = Some(confirm);
        self
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ButtonStyle {
    Primary,
    Danger,
}

/// A confirmation dialog: title, question, and the two button labels.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Confirm {
    /// Plain text.
    pub title: Text,
    pub text: Text,
    /// Plain text.
    pub confirm: Text,
    /// Plain text.
    pub deny: Text,
}

impl Confirm {
    pub fn new(
        title: impl Into<String>,
        text: impl Into<String>,
        confirm: impl Into<String>,
        deny: impl Into<String>,
    ) -> Self {
        Confirm {
            title: Text::plain(title),
            text: Text::mrkdwn(text),
            confirm: Text::plain(confirm),
            deny: Text::plain(deny),
        }
    }
}

/// What `chat.postMessage` sends besides the channel: blocks, and the plain `text` Slack
/// shows in notifications and to screen readers.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Message {
    pub text: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub blocks: Vec<Block>,
}

impl Message {
    pub fn new(text: impl Into<String>, blocks: Vec<Block>) -> Self {
        Message {
            text: text.into(),
            blocks,
        }
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn blocks_serialize_as_slack_documents_them() {
        let blocks = vec![
            Block::header("Deal agreed"),
            Block::section("*Jane* agreed"),
            Block::fields(["*Rate*\n$1,250.00".to_owned()]),
            Block::divider(),
            Block::context("campaign `glow`"),
            Block::actions([Button::new("Approve", "escalation_approve")
                .value("{\"thread_id\":\"t1\"}")
                .style(ButtonStyle::Primary)
                .confirm(Confirm::new(
                    "Sure?",
                    "Approve $1,800?",
                    "Approve",
                    "Cancel",
                ))]),
        ];
        let value = serde_json::to_value(&blocks).unwrap();
        assert_eq!(
            value,
            json!([
                {"type": "header", "text": {"type": "plain_text", "text": "Deal agreed", "emoji": true}},
                {"type": "section", "text": {"type": "mrkdwn", "text": "*Jane* agreed"}},
                {"type": "section", "fields": [{"type": "mrkdwn", "text": "*Rate*\n$1,250.00"}]},
                {"type": "divider"},
                {"type": "context", "elements": [{"type": "mrkdwn", "text": "campaign `glow`"}]},
                {"type": "actions", "elements": [{
                    "type": "button",
                    "text": {"type": "plain_text", "text": "Approve", "emoji": true},
                    "action_id": "escalation_approve",
                    "value": "{\"thread_id\":\"t1\"}",
                    "style": "primary",
                    "confirm": {
                        "title": {"type": "plain_text", "text": "Sure?", "emoji": true},
                        "text": {"type": "mrkdwn", "text": "Approve $1,800?"},
                        "confirm": {"type": "plain_text", "text": "Approve", "emoji": true},
                        "deny": {"type": "plain_text", "text": "Cancel", "emoji": true}
                    }
                }]}
            ])
        );
        let back: Vec<Block> = serde_json::from_value(value).unwrap();
        assert_eq!(back, blocks);
    }
}
