//! Who the agent is, who the team is, and how it negotiates: everything but the adapters.

use negotiator_domain::{
    CampaignLimits, EmailAddress, GatePolicy, NegotiationPolicy, SendPace, Sender,
};
use serde::{Deserialize, Serialize};

/// The agent's identity and rules. Every field has a default, so a config names only changes.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Settings {
    /// The name and team that sign every email.
    pub sender: Sender,
    /// The address the agent sends from; mail from it is the agent's own.
    pub agent_address: String,
    /// Mail domains of the team: a reply in a thread from one of these (other than the agent)
    /// means a person has taken the thread over.
    pub team_domains: Vec<String>,
    /// Individual team addresses outside those domains.
    pub team_addresses: Vec<String>,
    pub policy: NegotiationPolicy,
    pub gate: GatePolicy,
    /// The most influencers one campaign may list; a longer list is refused, not cut.
    pub max_influencers_per_campaign: usize,
    /// The team's knowledge base folder (`negotiator init` writes one); the shipped one
    /// when unset.
    pub knowledge_base: Option<std::path::PathBuf>,
    /// How fast and when email goes out (`[sending]`, set by the configuration's own section).
    #[serde(skip)]
    pub pace: SendPace,
}

/// Nobody: a real run names its sender, team and mailbox in the configuration
/// ([`Settings::identity_problems`] says what is missing); only the demo has a persona.
impl Default for Settings {
    fn default() -> Self {
        Settings {
            sender: Sender::default(),
            agent_address: String::new(),
            team_domains: Vec::new(),
            team_addresses: Vec::new(),
            policy: NegotiationPolicy::default(),
            gate: GatePolicy::default(),
            max_influencers_per_campaign: CampaignLimits::DEFAULT_MAX_INFLUENCERS,
            knowledge_base: None,
            pace: SendPace::default(),
        }
    }
}

impl Settings {
    /// The made-up agency of `negotiator demo` (and of tests): never used by a real run.
    pub fn demo() -> Self {
        Settings {
            sender: Sender {
                name: "Avery Quinn".to_owned(),
                team: "Northstar Talent Partnerships".to_owned(),
            },
            agent_address: "avery@northstar.example".to_owned(),
            team_domains: vec!["northstar.example".to_owned()],
            // The demo lets days pass in seconds; a real run keeps the safe default pace.
            pace: SendPace::unpaced(),
            ..Settings::default()
        }
    }

    /// The keys a run needs to write as the team and are missing or wrong, each with what to
    /// put there; empty when the agent knows who it is.
    pub fn identity_problems(&self) -> Vec<String> {
        let mut problems = Vec::new();
        if self.sender.name.trim().is_empty() {
            problems.push(
                "[agent] sender.name: the person who signs the emails, e.g. \"Sam Rivera\""
                    .to_owned(),
            );
        }
        if self.sender.team.trim().is_empty() {
            problems.push(
                "[agent] sender.team: the agency or team they sign for, e.g. \"Brightside \
                 Talent\""
                    .to_owned(),
            );
        }
        if let Err(error) = EmailAddress::parse(&self.agent_address) {
            problems.push(format!(
                "[agent] agent_address: the mailbox the agent sends from (now {error})"
            ));
        }
        problems
    }

    /// The refusal a run gives when [`Settings::identity_problems`] finds something.
    pub fn identity_error(&self) -> Option<String> {
        let problems = self.identity_problems();
        (!problems.is_empty()).then(|| {
            format!(
                "the agent does not know who it is, so it will not write to anyone; set in \
                 negotiator.toml: {} (only `negotiator demo` runs with a made-up persona)",
                problems.join("; ")
            )
        })
    }
    /// The agent's own address (compared without case).
    pub fn is_agent(&self, address: &str) -> bool {
        address
            .trim()
            .eq_ignore_ascii_case(self.agent_address.trim())
    }

    /// A team member other than the agent.
    pub fn is_team_member(&self, address: &str) -> bool {
        let address = address.trim().to_ascii_lowercase();
        if self.is_agent(&address) {
            return false;
        }
        let domain = address.rsplit_once('@').map_or("", |(_, d)| d);
        self.team_domains.iter().any(|d| {
            d.trim()
                .trim_start_matches('@')
                .eq_ignore_ascii_case(domain)
        }) || self
            .team_addresses
            .iter()
            .any(|a| a.trim().eq_ignore_ascii_case(&address))
    }

    /// How large a campaign may be.
    pub fn campaign_limits(&self) -> CampaignLimits {
        CampaignLimits {
            max_influencers: self.max_influencers_per_campaign,
        }
    }

    /// The domain part of the agent's address, for generated Message-IDs.
    pub fn message_id_domain(&self) -> &str {
        self.agent_address
            .rsplit_once('@')
            .map_or("negotiator.local", |(_, d)| d)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nothing_of_the_demo_persona_is_a_default_and_a_real_run_is_told_what_to_set() {
        let settings = Settings::default();
        assert!(settings.sender.name.is_empty() && settings.agent_address.is_empty());
        assert!(settings.team_domains.is_empty());
        let error = settings.identity_error().unwrap();
        for key in ["sender.name", "sender.team", "agent_address"] {
            assert!(error.contains(key), "{key}: {error}");
        }
        assert_eq!(Settings::demo().identity_error(), None);
        let mut bad = Settings::demo();
        bad.agent_address = "deals@agency.example, spy@evil.example".to_owned();
        assert!(bad.identity_error().unwrap().contains("agent_address"));
    }

    #[test]
    fn the_campaign_size_limit_is_configurable() {
        let settings: Settings = toml::from_str("max_influencers_per_campaign = 20").unwrap();
        assert_eq!(settings.campaign_limits().max_influencers, 20);
        assert_eq!(Settings::default().campaign_limits().max_influencers, 500);
    }

    #[test]
    fn team_members_are_the_team_but_not_the_agent() {
        let mut s = Settings::demo();
        s.team_addresses.push("boss@gmail.com".into());
        assert!(s.is_agent("Avery@Northstar.example"));
        assert!(!s.is_team_member("avery@northstar.example"));
        assert!(s.is_team_member("sam@NORTHSTAR.example"));
        assert!(s.is_team_member("boss@gmail.com"));
        assert!(!s.is_team_member("jane@gmail.com"));
        assert!(!s.is_team_member("sam@notnorthstar.example"));
    }
}
