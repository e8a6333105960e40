//! The notifier port: what the team is told (escalations, agreements, campaign news, errors).

use async_trait::async_trait;
use negotiator_domain::string_enum;
use serde::{Deserialize, Serialize};

string_enum! {
    /// Which kind of news; channels are chosen per kind.
    pub enum NoticeKind ("notice kind") {
        Escalation => "escalation",
        Agreement => "agreement",
        /// The influencer declined, or a person ended the negotiation.
        Rejected => "rejected",
        CampaignStarted => "campaign_started",
        CampaignRejected => "campaign_rejected",
        InfluencerMissing => "influencer_missing",
        Takeover => "takeover",
        DraftWaiting => "draft_waiting",
        FollowUpLimit => "follow_up_limit",
        Error => "error",
    }
}

/// One message to the team: a title, a one-line summary, labelled facts and longer sections.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Notice {
    pub kind: NoticeKind,
    pub title: String,
    pub summary: String,
    pub fields: Vec<(String, String)>,
    /// Longer material, such as the conversation so far.
    pub sections: Vec<String>,
    pub campaign_id: Option<String>,
    pub influencer: Option<String>,
    pub thread_id: Option<String>,
}

impl Notice {
    pub fn new(kind: NoticeKind, title: impl Into<String>, summary: impl Into<String>) -> Self {
        Notice {
            kind,
            title: title.into(),
            summary: summary.into(),
            fields: Vec::new(),
            sections: Vec::new(),
            campaign_id: None,
            influencer: None,
            thread_id: None,
        }
    }

    pub fn field(mut self, label: impl Into<String>, value: impl Into<String>) -> Self {
        self.fields.push((label.into(), value.into()));
        self
    }

    pub fn section(mut self, text: impl Into<String>) -> Self {
        self.sections.push(text.into());
        self
    }
}

#[derive(Debug, thiserror::Error)]
pub enum NotifyError {
    #[error("could not record the notification in {path}: {source}")]
    Io {
        path: std::path::PathBuf,
        source: std::io::Error,
    },
    #[error(transparent)]
    Vendor(#[from] negotiator_vendors::VendorError),
}

impl NotifyError {
    pub fn is_retryable(&self) -> bool {
        match self {
            NotifyError::Io { .. } => true,
            NotifyError::Vendor(e) => e.is_retryable(),
        }
    }
}

#[async_trait]
pub trait Notifier: Send + Sync {
    async fn notify(&self, notice: &Notice) -> Result<(), NotifyError>;

    fn describe(&self) -> String;
}
