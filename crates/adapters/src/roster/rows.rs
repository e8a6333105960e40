//! A roster as read: the usable rows, and why each other row cannot be used.

use negotiator_agent::ports::roster::{Influencer, Lookup, RowProblem};
use negotiator_domain::EmailAddress;

/// Every row of one read of a roster, sorted into usable and skipped.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RosterRows {
    pub(super) influencers: Vec<Influencer>,
    pub(super) skipped: Vec<RowProblem>,
}

impl RosterRows {
    pub fn influencers(&self) -> &[Influencer] {
        &self.influencers
    }

    /// The rows that cannot be used, in roster order.
    pub fn skipped(&self) -> &[RowProblem] {
        &self.skipped
    }

    /// Looks a name up ignoring case and spacing; a usable row wins over an unusable one.
    pub fn find(&self, name: &str) -> Lookup {
        let wanted = normalise_name(name);
        if let Some(found) = self
            .influencers
            .iter()
            .find(|row| normalise_name(&row.name) == wanted)
        {
            return Lookup::Found(found.clone());
        }
        self.skipped
            .iter()
            .find(|p| {
                p.name
                    .as_deref()
                    .is_some_and(|n| normalise_name(n) == wanted)
            })
            .map_or(Lookup::NotInRoster, |p| Lookup::Unusable(p.clone()))
    }

    /// Everyone listed at `address`: as their own address or as their manager or assistant.
    pub fn find_by_email(&self, address: &EmailAddress) -> Vec<Influencer> {
        self.influencers
            .iter()
            .filter(|row| row.email == *address || row.side_emails().contains(address))
            .cloned()
            .collect()
    }
}

fn normalise_name(name: &str) -> String {
    name.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_match_ignoring_case_and_spacing() {
        assert_eq!(normalise_name("  jane   DOE "), normalise_name("Jane Doe"));
    }
}
