//! The roster port: who the influencers are, their contact and their numbers.

mod csv_file;
pub mod sheets;

use async_trait::async_trait;
use negotiator_domain::{Money, Platform};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

pub use csv_file::{CsvRoster, RosterFileError};

/// One row of the team's roster.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Influencer {
    pub name: String,
    pub email: String,
    pub platform: Platform,
    pub handle: String,
    pub average_views: u64,
    pub min_rate: Option<Money>,
    pub max_rate: Option<Money>,
    /// Engagement rate in percent (`5.2` means 5.2%).
    pub engagement_pct: Option<Decimal>,
}

/// Why the roster could not be read.
#[derive(Debug, thiserror::Error)]
pub enum RosterError {
    #[error(transparent)]
    File(#[from] RosterFileError),
    #[error(transparent)]
    Vendor(#[from] negotiator_vendors::VendorError),
}

#[async_trait]
pub trait Roster: Send + Sync {
    /// Looks an influencer up by name, ignoring case and surrounding spaces.
    async fn find(&self, name: &str) -> Result<Option<Influencer>, RosterError>;

    /// Human-readable description of where the roster comes from (for start-up messages).
    fn describe(&self) -> String;
}
