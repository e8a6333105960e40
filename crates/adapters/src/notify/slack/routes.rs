//! Which Slack channel each kind of notice goes to: its own channel when configured, else the
//! default one.

use std::fmt;

use crate::config::SlackChannels;
use negotiator_agent::ports::notifier::NoticeKind;

/// A key of `[slack.channels]` in `negotiator.toml`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ChannelKey {
    Escalation,
    Agreement,
    Campaign,
    Drafts,
    Errors,
    Default,
}

impl ChannelKey {
    pub const ALL: [ChannelKey; 6] = [
        ChannelKey::Escalation,
        ChannelKey::Agreement,
        ChannelKey::Campaign,
        ChannelKey::Drafts,
        ChannelKey::Errors,
        ChannelKey::Default,
    ];

    /// The key as written in the file.
    pub fn as_str(self) -> &'static str {
        match self {
            ChannelKey::Escalation => "escalation",
            ChannelKey::Agreement => "agreement",
            ChannelKey::Campaign => "campaign",
            ChannelKey::Drafts => "drafts",
            ChannelKey::Errors => "errors",
            ChannelKey::Default => "default",
        }
    }

    /// The configured channel id under this key, if set and not blank.
    pub fn lookup(self, channels: &SlackChannels) -> Option<&str> {
        let value = match self {
            ChannelKey::Escalation => &channels.escalation,
            ChannelKey::Agreement => &channels.agreement,
            ChannelKey::Campaign => &channels.campaign,
            ChannelKey::Drafts => &channels.drafts,
            ChannelKey::Errors => &channels.errors,
            ChannelKey::Default => &channels.default,
        };
        value.as_deref().map(str::trim).filter(|c| !c.is_empty())
    }
}

impl fmt::Display for ChannelKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Every kind of notice, for set-up checks.
pub const KINDS: [NoticeKind; 10] = [
    NoticeKind::Escalation,
    NoticeKind::Agreement,
    NoticeKind::Rejected,
    NoticeKind::CampaignStarted,
    NoticeKind::CampaignRejected,
    NoticeKind::InfluencerMissing,
    NoticeKind::Takeover,
    NoticeKind::DraftWaiting,
    NoticeKind::FollowUpLimit,
    NoticeKind::Error,
];

/// The key a kind of notice is routed by: escalations, agreements, campaign news (started,
/// rejected, influencer missing), drafts and errors each have one; the rest (no deal,
/// takeover, follow-up limit) go to `default`.
pub fn key_for(kind: NoticeKind) -> ChannelKey {
    match kind {
        NoticeKind::Escalation => ChannelKey::Escalation,
        NoticeKind::Agreement => ChannelKey::Agreement,
        NoticeKind::CampaignStarted
        | NoticeKind::CampaignRejected
        | NoticeKind::InfluencerMissing => ChannelKey::Campaign,
        NoticeKind::DraftWaiting => ChannelKey::Drafts,
        NoticeKind::Error => ChannelKey::Errors,
        NoticeKind::Rejected | NoticeKind::Takeover | NoticeKind::FollowUpLimit => {
            ChannelKey::Default
        }
    }
}

/// The channel for `kind`, or the key that should be set.
pub fn channel_for(channels: &SlackChannels, kind: NoticeKind) -> Result<&str, ChannelKey> {
    let key = key_for(kind);
    key.lookup(channels)
        .or_else(|| ChannelKey::Default.lookup(channels))
        .ok_or(key)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_kind_goes_to_its_channel_or_the_default() {
        let channels = SlackChannels {
            default: Some("C0ALL".into()),
            escalation: Some("C0ESC".into()),
            agreement: Some(" ".into()),
            campaign: Some("C0CAMP".into()),
            drafts: None,
            errors: Some("C0ERR".into()),
        };
        let route = |kind| channel_for(&channels, kind).unwrap();
        assert_eq!(route(NoticeKind::Escalation), "C0ESC");
        assert_eq!(
            route(NoticeKind::Agreement),
            "C0ALL",
            "a blank key counts as unset"
        );
        assert_eq!(route(NoticeKind::InfluencerMissing), "C0CAMP");
        assert_eq!(route(NoticeKind::CampaignRejected), "C0CAMP");
        assert_eq!(route(NoticeKind::DraftWaiting), "C0ALL");
        assert_eq!(route(NoticeKind::Error), "C0ERR");
        assert_eq!(route(NoticeKind::Takeover), "C0ALL");
        let only_escalations = SlackChannels {
            escalation: Some("C0ESC".into()),
            ..SlackChannels::default()
        };
        assert_eq!(
            channel_for(&only_escalations, NoticeKind::Escalation),
            Ok("C0ESC")
        );
        assert_eq!(
            channel_for(&only_escalations, NoticeKind::Error),
            Err(ChannelKey::Errors)
        );
        assert_eq!(
            channel_for(&only_escalations, NoticeKind::Takeover),
            Err(ChannelKey::Default)
        );
    }
}
