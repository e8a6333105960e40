//! The sections of each outside service. A service is used when its section is present and
//! its secret is set; otherwise its port runs on the local adapter.

use std::collections::BTreeMap;

use serde::Deserialize;

/// `[slack]`: where each kind of notice goes.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct SlackConfig {
    pub channels: SlackChannels,
    /// The Web API base, for tests or a proxy.
    pub base_url: Option<String>,
}

/// Channel ids per kind of notice; `default` takes every kind not named.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct SlackChannels {
    pub default: Option<String>,
    pub escalation: Option<String>,
    pub agreement: Option<String>,
    pub campaign: Option<String>,
    pub drafts: Option<String>,
    pub errors: Option<String>,
}

/// `[clickup]`: where campaigns come from and how the form's fields map to a campaign.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ClickUpConfig {
    pub team_id: Option<String>,
    pub list_id: Option<String>,
    /// ClickUp custom field name → campaign field (client_name, budget, platform,
    /// deliverables, cpm_target, cpm_leniency_pct, cpm_min, cpm_max, influencers, timeline,
    /// mode, campaign_id, roster_sheet_id, roster_tab).
    pub field_mapping: BTreeMap<String, String>,
    pub base_url: Option<String>,
}

/// `[anthropic]`: the models that read replies and write emails.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct AnthropicConfig {
    pub classify_model: Option<String>,
    pub compose_model: Option<String>,
    pub base_url: Option<String>,
    /// The `anthropic-version` header; 2023-06-01 when unset.
    pub api_version: Option<String>,
    /// Sampling temperature per purpose, sent only when set (newer models may refuse it).
    pub classify_temperature: Option<f32>,
    pub compose_temperature: Option<f32>,
}

/// `[google]`: the roster sheet and the Gmail mailbox.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct GoogleConfig {
    pub sheet_id: Option<String>,
    pub sheet_tab: Option<String>,
    /// The mailbox the agent sends from (domain-wide delegation subject).
    pub gmail_user: Option<String>,
    pub gmail_base_url: Option<String>,
    pub sheets_base_url: Option<String>,
    pub token_url: Option<String>,
}
