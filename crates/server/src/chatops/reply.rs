//! An answer for Slack: a Block Kit message within Slack's limits, and who gets to see it.

use negotiator_vendors::slack::{Block, Message, fit};
use serde_json::{Value, json};

/// Who sees an answer.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Visibility {
    /// Only the person who typed the command or clicked the button.
    Ephemeral,
    /// A new message everyone in the channel sees.
    InChannel,
    /// Takes the place of the message whose button was clicked (its buttons go away).
    ReplaceOriginal,
}

/// A message for the person (or the channel), already fitted into Slack's limits.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Reply {
    pub message: Message,
    pub visibility: Visibility,
}

impl Reply {
    /// `message` fitted into Slack's limits; anything cut ends with `pointer` (where to read
    /// the whole of it).
    pub fn new(message: Message, visibility: Visibility, pointer: &str) -> Self {
        Reply {
            message: fit(message, pointer),
            visibility,
        }
    }

    /// A short answer for the person alone: one paragraph of `mrkdwn` (escape outside text
    /// first), which is also the notification text.
    pub fn note(text: impl Into<String>) -> Self {
        let text = text.into();
        Reply::new(
            Message::new(text.clone(), vec![Block::section(text)]),
            Visibility::Ephemeral,
            "",
        )
    }

    /// The same answer shown to the whole channel.
    pub fn to_channel(mut self) -> Self {
        self.visibility = Visibility::InChannel;
        self
    }

    pub fn in_channel(&self) -> bool {
        self.visibility == Visibility::InChannel
    }

    pub fn replaces_original(&self) -> bool {
        self.visibility == Visibility::ReplaceOriginal
    }

    /// The JSON a slash command is answered with directly (within Slack's three seconds).
    pub fn body(&self) -> Value {
        let mut body = json!({
            "text": self.message.text,
            "blocks": self.message.blocks,
        });
        body["response_type"] = json!(if self.in_channel() {
            "in_channel"
        } else {
            "ephemeral"
        });
        if self.replaces_original() {
            body["replace_original"] = json!(true);
        }
        body
    }
}

#[cfg(test)]
mod tests {
    use negotiator_vendors::slack::validate;

    use super::*;

    #[test]
    fn answers_fit_slacks_limits_and_say_who_sees_them() {
        let long = Reply::note("word ".repeat(2_000));
        assert_eq!(validate(&long.message), Ok(()));
        assert_eq!(long.body()["response_type"], "ephemeral");
        let shared = Reply::note("done").to_channel();
        assert_eq!(shared.body()["response_type"], "in_channel");
        assert_eq!(shared.body()["blocks"][0]["text"]["text"], "done");
    }
}
