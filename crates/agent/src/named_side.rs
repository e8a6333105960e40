//! A negotiation's named side: the influencer's address and those the roster names for them
//! (a manager, an assistant). Our emails go only to these.

use negotiator_domain::EmailAddress;
use negotiator_store::Db;
use negotiator_store::side_emails;

use crate::error::AgentError;

/// Who speaks for the influencer in one negotiation.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NamedSide {
    influencer: EmailAddress,
    /// Without the influencer's own address and without repeats.
    others: Vec<EmailAddress>,
}

impl NamedSide {
    pub fn new(influencer: EmailAddress, others: impl IntoIterator<Item = EmailAddress>) -> Self {
        let mut kept: Vec<EmailAddress> = Vec::new();
        for address in others {
            if address != influencer && !kept.contains(&address) {
                kept.push(address);
            }
        }
        NamedSide {
            influencer,
            others: kept,
        }
    }

    /// The named side of a stored negotiation.
    pub async fn of(
        db: impl Db,
        row: &negotiator_store::NegotiationRow,
    ) -> Result<Self, AgentError> {
        let influencer = EmailAddress::parse(&row.influencer_email).map_err(|e| {
            AgentError::Invalid(format!(
                "negotiation {} with {}: their address {e}; correct the roster row and start \
                 them in a new campaign",
                row.negotiation_id, row.influencer_name
            ))
        })?;
        let others = side_emails(db, row.negotiation_id).await?;
        Ok(NamedSide::new(influencer, others))
    }

    /// The influencer's own address: where our emails go.
    pub fn influencer(&self) -> &EmailAddress {
        &self.influencer
    }

    /// The others who speak for them (a manager, an assistant).
    pub fn others(&self) -> &[EmailAddress] {
        &self.others
    }

    /// Whether `address` is the influencer's or one the roster names for them.
    pub fn is_their_side(&self, address: &EmailAddress) -> bool {
        *address == self.influencer || self.others.contains(address)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn address(text: &str) -> EmailAddress {
        EmailAddress::parse(text).unwrap()
    }

    #[test]
    fn only_the_named_addresses_are_their_side() {
        let side = NamedSide::new(
            address("jane@creator.example"),
            [
                address("sam@talent.example"),
                address("Jane@Creator.example"),
                address("SAM@talent.example"),
            ],
        );
        assert_eq!(side.others(), [address("sam@talent.example")]);
        assert!(side.is_their_side(&address("JANE@creator.example")));
        assert!(side.is_their_side(&address("sam@talent.example")));
        assert!(!side.is_their_side(&address("stranger@creator.example")));
        assert!(!side.is_their_side(&address("sam@talent.example.evil")));
    }
}
