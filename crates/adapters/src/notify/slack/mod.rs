//! The Slack notifier: each notice as a Block Kit message, posted to the channel for its kind.

mod actions;
mod render;
mod routes;

use std::time::Duration;

use async_trait::async_trait;
use negotiator_vendors::slack::{DEFAULT_BASE_URL, SlackClient};
use negotiator_vendors::{ErrorKind, Secret, VendorError};

pub use actions::{ActionValue, SlackAction};
pub use render::{SECTIONS_BUDGET, message_for, pointer};
pub use routes::{ChannelKey, KINDS, channel_for, key_for};

use crate::config::{SlackChannels, SlackConfig};
use negotiator_agent::ports::notifier::{Notice, NoticeKind, Notifier, NotifyError};

/// How long one Slack call may take.
pub const TIMEOUT: Duration = Duration::from_secs(10);

/// Posts notices to Slack (`chat.postMessage`), one channel per kind of notice (see
/// [`key_for`]); buttons on escalations and drafts are described in [`SlackAction`].
#[derive(Clone, Debug)]
pub struct SlackNotifier {
    client: SlackClient,
    channels: SlackChannels,
}

impl SlackNotifier {
    pub fn new(client: SlackClient, channels: SlackChannels) -> Self {
        SlackNotifier { client, channels }
    }

    /// A notifier for `[slack]` with the bot token (`SLACK_BOT_TOKEN`).
    pub fn from_config(config: &SlackConfig, token: Secret) -> Result<Self, VendorError> {
        let base_url = config.base_url.as_deref().unwrap_or(DEFAULT_BASE_URL);
        Ok(SlackNotifier::new(
            SlackClient::new(base_url, token, TIMEOUT)?,
            config.channels.clone(),
        ))
    }

    /// The client, for `negotiator doctor` (`auth_test`, `conversation_info`).
    pub fn client(&self) -> &SlackClient {
        &self.client
    }

    /// Every configured channel with its key, for checking that each exists.
    pub fn channels(&self) -> Vec<(ChannelKey, &str)> {
        ChannelKey::ALL
            .into_iter()
            .filter_map(|key| key.lookup(&self.channels).map(|c| (key, c)))
            .collect()
    }

    /// The kinds of notice that have no channel (neither their own nor `default`).
    pub fn unrouted_kinds(&self) -> Vec<NoticeKind> {
        KINDS
            .into_iter()
            .filter(|&kind| channel_for(&self.channels, kind).is_err())
            .collect()
    }

    /// The channel `kind` goes to; an error naming the key to set when there is none.
    pub fn channel_for(&self, kind: NoticeKind) -> Result<&str, NotifyError> {
        channel_for(&self.channels, kind).map_err(|key| {
            let message = if key == ChannelKey::Default {
                format!(
                    "no channel for {} notices: set `default` under [slack.channels] in \
                     negotiator.toml",
                    kind.as_str()
                )
            } else {
                format!(
                    "no channel for {} notices: set `{key}` (or `default`) under \
                     [slack.channels] in negotiator.toml",
                    kind.as_str()
                )
            };
            NotifyError::Vendor(VendorError::new("Slack", ErrorKind::Rejected, message))
        })
    }
}

#[async_trait]
impl Notifier for SlackNotifier {
    async fn notify(&self, notice: &Notice) -> Result<(), NotifyError> {
        let channel = self.channel_for(notice.kind)?;
        let message = message_for(notice);
        let posted = self.client.post(channel, &message).await?;
        tracing::debug!(
            kind = notice.kind.as_str(),
            channel = %posted.channel,
            ts = %posted.ts,
            "notice posted to Slack"
        );
        Ok(())
    }

    fn describe(&self) -> String {
        let route = |key: ChannelKey| key.lookup(&self.channels).unwrap_or("not set");
        let mut text = String::from("Slack (");
        for key in ChannelKey::ALL {
            let label = if key == ChannelKey::Default {
                "everything else"
            } else {
                key.as_str()
            };
            if key != ChannelKey::Escalation {
                text.push_str(", ");
            }
            match (key, key.lookup(&self.channels)) {
                (ChannelKey::Default, _) | (_, Some(_)) => {
                    text.push_str(&format!("{label} → {}", route(key)));
                }
                (_, None) => text.push_str(&format!("{label} → default")),
            }
        }
        text.push(')');
        text
    }
}
