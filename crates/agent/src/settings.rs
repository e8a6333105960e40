//! Who the agent is, who the team is, and how it negotiates: everything but the adapters.

use negotiator_domain::{GatePolicy, NegotiationPolicy, Sender};
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
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            sender: Sender {
                name: "Avery Quinn".to_owned(),
                team: "Northstar Talent Partnerships".to_owned(),
            },
            agent_address: "avery@northstar.example".to_owned(),
            team_domains: vec!["northstar.example".to_owned()],
            team_addresses: Vec::new(),
            policy: NegotiationPolicy::default(),
            gate: GatePolicy::default(),
        }
    }
}

impl Settings {
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
    fn team_members_are_the_team_but_not_the_agent() {
        let mut s = Settings::default();
        s.team_addresses.push("boss@gmail.com".into());
        assert!(s.is_agent("Avery@Northstar.example"));
        assert!(!s.is_team_member("avery@northstar.example"));
        assert!(s.is_team_member("sam@NORTHSTAR.example"));
        assert!(s.is_team_member("boss@gmail.com"));
        assert!(!s.is_team_member("jane@gmail.com"));
        assert!(!s.is_team_member("sam@notnorthstar.example"));
    }
}
