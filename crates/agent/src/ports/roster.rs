//! The roster port: who the influencers are, their contact and their numbers.

use async_trait::async_trait;
use negotiator_domain::{EmailAddress, Money, Platform, RosterSheet};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

/// One usable row of the team's roster.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Influencer {
    pub name: String,
    pub email: EmailAddress,
    pub platform: Platform,
    pub handle: String,
    pub average_views: u64,
    pub min_rate: Option<Money>,
    pub max_rate: Option<Money>,
    /// Engagement rate in percent (`5.2` means 5.2%).
    pub engagement_pct: Option<Decimal>,
    /// Their manager, who may write and is copied for them.
    pub manager_email: Option<EmailAddress>,
    /// Their assistant, likewise.
    pub assistant_email: Option<EmailAddress>,
    /// Their IANA time zone (the roster's optional "Time Zone" column): openings and
    /// follow-ups go out in their working hours.
    #[serde(default)]
    pub time_zone: Option<String>,
}

impl Influencer {
    /// The addresses besides theirs that the roster names for them, without repeats.
    pub fn side_emails(&self) -> Vec<EmailAddress> {
        let mut side: Vec<EmailAddress> = Vec::new();
        for address in [&self.manager_email, &self.assistant_email]
            .into_iter()
            .flatten()
        {
            if *address != self.email && !side.contains(address) {
                side.push(address.clone());
            }
        }
        side
    }
}

/// One roster row that cannot be used, and why: where it is, which column, what is wrong.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{roster}, row {row}, column {column:?}: {problem}")]
pub struct RowProblem {
    /// Where the roster is (a file path, a sheet tab).
    pub roster: String,
    /// As a spreadsheet numbers it: the header is row 1.
    pub row: usize,
    pub column: &'static str,
    pub problem: String,
    /// The row's name, when it has one, so looking that name up can say why it is unusable.
    pub name: Option<String>,
}

/// What a lookup by name found.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Lookup {
    Found(Influencer),
    NotInRoster,
    /// The roster has a row with that name, but it cannot be used.
    Unusable(RowProblem),
}

impl Lookup {
    /// The influencer, when found.
    pub fn found(self) -> Option<Influencer> {
        match self {
            Lookup::Found(influencer) => Some(influencer),
            Lookup::NotInRoster | Lookup::Unusable(_) => None,
        }
    }
}

/// Why the roster could not be read.
#[derive(Debug, thiserror::Error)]
pub enum RosterError {
    /// The roster itself cannot be read or used (a missing file, a missing column); the
    /// message says what to fix.
    #[error("{0}")]
    Unreadable(String),
    /// The roster a campaign names cannot be read here (not shared with us, no such sheet,
    /// or no Google roster configured): the campaign is refused with this message.
    #[error("{0}")]
    Inaccessible(String),
    #[error(transparent)]
    Vendor(#[from] negotiator_vendors::VendorError),
}

/// Something wrong with a roster that the team should fix.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum RosterProblem {
    /// One row is skipped; the rest are used.
    #[error("skipped {0}")]
    Row(RowProblem),
    /// No row can be used (a missing column, an unreadable file).
    #[error("{0}")]
    Unusable(String),
}

#[async_trait]
pub trait Roster: Send + Sync {
    /// Looks an influencer up by name, ignoring case and surrounding spaces.
    async fn find(&self, name: &str) -> Result<Lookup, RosterError>;

    /// Looks an influencer up in a campaign's own roster `sheet`, or in this roster when
    /// `None`. Only a Google Sheets roster reads other sheets; any other refuses the campaign.
    async fn find_in(
        &self,
        sheet: Option<&RosterSheet>,
        name: &str,
    ) -> Result<Lookup, RosterError> {
        match sheet {
            None => self.find(name).await,
            Some(sheet) => Err(RosterError::Inaccessible(format!(
                "the campaign names Google Sheet {} as its roster, but the roster here is {}; \
                 configure [google] with GOOGLE_APPLICATION_CREDENTIALS to read sheets, or \
                 leave roster_sheet_id out",
                sheet.sheet_id,
                self.describe()
            ))),
        }
    }

    /// Who the roster lists at `address`, as their own address or as the manager or assistant
    /// it names for them.
    async fn find_by_email(&self, address: &EmailAddress) -> Result<Vec<Influencer>, RosterError>;

    /// What was wrong with the roster when it was last read (nothing before a roster that is
    /// read on demand has been read).
    fn problems(&self) -> Vec<RosterProblem> {
        Vec::new()
    }

    /// Human-readable description of where the roster comes from (for start-up messages).
    fn describe(&self) -> String;
}

/// Logs a warning for each problem of `roster`, so an operator sees every row to fix.
pub fn warn_about_problems(roster: &dyn Roster) {
    for problem in roster.problems() {
        match &problem {
            RosterProblem::Row(row) => tracing::warn!(
                roster = %row.roster,
                row = row.row,
                column = row.column,
                problem = %row.problem,
                "skipping a roster row that cannot be used; fix it in the roster"
            ),
            RosterProblem::Unusable(reason) => tracing::warn!(
                problem = %reason,
                "the roster cannot be used; every lookup fails until it is fixed"
            ),
        }
    }
}
