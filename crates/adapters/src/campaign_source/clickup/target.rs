//! The campaign fields a ClickUp custom field can fill, and how each reads its value.

/// One field of [`negotiator_domain::CampaignDraft`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Target {
    CampaignId,
    ClientName,
    Budget,
    Platform,
    Deliverables,
    CpmTarget,
    CpmLeniencyPct,
    CpmMin,
    CpmMax,
    Influencers,
    Timeline,
    Mode,
    /// Free text for the writer: the campaign's instructions.
    Instructions,
    RosterSheetId,
    RosterTab,
}

/// How a target reads a value.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Reading {
    /// One piece of text.
    Text,
    /// An amount of US dollars, kept as text (`$30`, `25000`).
    Money,
    /// A percentage, kept as text without its `%`.
    Percent,
    /// Several entries (names, deliverables).
    List,
    /// Text from several fields joined, each after its field's name.
    Joined,
}

impl Target {
    pub const ALL: [Target; 15] = [
        Target::CampaignId,
        Target::ClientName,
        Target::Budget,
        Target::Platform,
        Target::Deliverables,
        Target::CpmTarget,
        Target::CpmLeniencyPct,
        Target::CpmMin,
        Target::CpmMax,
        Target::Influencers,
        Target::Timeline,
        Target::Mode,
        Target::Instructions,
        Target::RosterSheetId,
        Target::RosterTab,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Target::CampaignId => "campaign_id",
            Target::ClientName => "client_name",
            Target::Budget => "budget",
            Target::Platform => "platform",
            Target::Deliverables => "deliverables",
            Target::CpmTarget => "cpm_target",
            Target::CpmLeniencyPct => "cpm_leniency_pct",
            Target::CpmMin => "cpm_min",
            Target::CpmMax => "cpm_max",
            Target::Influencers => "influencers",
            Target::Timeline => "timeline",
            Target::Mode => "mode",
            Target::Instructions => "instructions",
            Target::RosterSheetId => "roster_sheet_id",
            Target::RosterTab => "roster_tab",
        }
    }

    /// A mapping's target name; case, spaces and hyphens do not matter (`CPM target`).
    pub fn parse(name: &str) -> Option<Target> {
        let wanted = name.trim().to_ascii_lowercase().replace([' ', '-'], "_");
        Target::ALL.into_iter().find(|t| t.as_str() == wanted)
    }

    pub fn reading(self) -> Reading {
        match self {
            Target::Budget | Target::CpmTarget | Target::CpmMin | Target::CpmMax => Reading::Money,
            Target::CpmLeniencyPct => Reading::Percent,
            Target::Deliverables | Target::Influencers => Reading::List,
            Target::Timeline | Target::Instructions => Reading::Joined,
            Target::CampaignId
            | Target::ClientName
            | Target::Platform
            | Target::Mode
            | Target::RosterSheetId
            | Target::RosterTab => Reading::Text,
        }
    }
}
