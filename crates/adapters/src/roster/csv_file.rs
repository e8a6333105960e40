//! The local roster: a CSV file with the team's sheet columns, read tolerantly; a bad row is
//! skipped with the reason, and only a missing column makes the whole file unusable.

use std::path::{Path, PathBuf};

use async_trait::async_trait;

use super::cells::{Columns, EXPECTED};
use negotiator_agent::ports::roster::{
    Influencer, Lookup, Roster, RosterError, RosterProblem, RowProblem,
};

use super::RosterRows;
use negotiator_domain::EmailAddress;

#[derive(Debug, thiserror::Error)]
pub enum RosterFileError {
    #[error("could not read the roster file {path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{roster}: the roster has no {column:?} column; the header must name {expected}")]
    MissingColumn {
        roster: String,
        column: &'static str,
        expected: &'static str,
    },
    #[error("{path}: {source}")]
    Csv { path: PathBuf, source: csv::Error },
    /// The roster could not be loaded when the service started; every lookup says why.
    #[error("{0}")]
    Unusable(String),
}

impl From<RosterFileError> for RosterError {
    fn from(error: RosterFileError) -> Self {
        RosterError::Unreadable(error.to_string())
    }
}

/// A roster loaded from a CSV file at start-up.
#[derive(Debug, Clone)]
pub struct CsvRoster {
    path: PathBuf,
    rows: RosterRows,
}

impl CsvRoster {
    pub fn load(path: &Path) -> Result<Self, RosterFileError> {
        let text = std::fs::read_to_string(path).map_err(|source| RosterFileError::Io {
            path: path.to_owned(),
            source,
        })?;
        Self::parse(path, &text)
    }

    /// Parses roster text; `path` only names the source in errors.
    pub fn parse(path: &Path, text: &str) -> Result<Self, RosterFileError> {
        let csv_error = |source| RosterFileError::Csv {
            path: path.to_owned(),
            source,
        };
        let mut reader = csv::ReaderBuilder::new()
            .flexible(true)
            .trim(csv::Trim::All)
            .from_reader(text.as_bytes());
        let header = reader.headers().map_err(csv_error)?.clone();
        let roster = path.display().to_string();
        let columns = Columns::find(&header.iter().collect::<Vec<_>>()).map_err(|column| {
            RosterFileError::MissingColumn {
                roster: roster.clone(),
                column,
                expected: EXPECTED,
            }
        })?;
        let records = reader
            .records()
            .collect::<Result<Vec<_>, _>>()
            .map_err(csv_error)?;
        // Row numbers as a spreadsheet shows them: the header is row 1.
        let rows = records
            .iter()
            .enumerate()
            .map(|(index, record)| (index + 2, record.iter().collect()));
        Ok(CsvRoster {
            path: path.to_owned(),
            rows: columns.read(&roster, rows),
        })
    }

    pub fn influencers(&self) -> &[Influencer] {
        self.rows.influencers()
    }

    /// The rows that cannot be used, each with its row, column and problem.
    pub fn skipped(&self) -> &[RowProblem] {
        self.rows.skipped()
    }
}

#[async_trait]
impl Roster for CsvRoster {
    async fn find(&self, name: &str) -> Result<Lookup, RosterError> {
        Ok(self.rows.find(name))
    }

    async fn find_by_email(&self, address: &EmailAddress) -> Result<Vec<Influencer>, RosterError> {
        Ok(self.rows.find_by_email(address))
    }

    fn problems(&self) -> Vec<RosterProblem> {
        self.skipped()
            .iter()
            .cloned()
            .map(RosterProblem::Row)
            .collect()
    }

    fn describe(&self) -> String {
        let skipped = match self.skipped().len() {
            0 => String::new(),
            n => format!(", {n} row(s) skipped"),
        };
        format!(
            "CSV roster {} ({} influencers{skipped})",
            self.path.display(),
            self.influencers().len()
        )
    }
}

#[cfg(test)]
mod tests {
    use negotiator_domain::{EmailAddress, Money, Platform};
    use rust_decimal::Decimal;

    use super::*;

    const SHEET: &str = "\
 Name , EMAIL,platform,Handle,Average_Views,Min Rate,Max Rate,Engagement Rate,Manager Email
Jane Doe,Jane@Example.com,Instagram,@jane,\"50,000\",\"$1,000\",$1500.00,4.5%,Sam@Talent.example

Raj Patel,raj@example.com, YouTube ,@raj,120000.0,,,
,,,,,,,
";

    fn found(roster: &CsvRoster, name: &str) -> Influencer {
        match roster.rows.find(name) {
            Lookup::Found(influencer) => influencer,
            other => panic!("{name}: {other:?}"),
        }
    }

    #[test]
    fn reads_a_messy_sheet_and_finds_names_in_any_case() {
        let roster = CsvRoster::parse(Path::new("roster.csv"), SHEET).unwrap();
        assert_eq!(roster.influencers().len(), 2);
        assert!(roster.skipped().is_empty());
        let jane = found(&roster, "  jane   DOE ");
        assert_eq!(jane.email.as_str(), "jane@example.com");
        assert_eq!(jane.platform, Platform::Instagram);
        assert_eq!(jane.average_views, 50_000);
        assert_eq!(jane.min_rate, Some(Money::from_dollars(1_000)));
        assert_eq!(jane.max_rate, Some(Money::from_dollars(1_500)));
        assert_eq!(jane.engagement_pct, Some(Decimal::new(45, 1)));
        assert_eq!(
            jane.side_emails(),
            [EmailAddress::parse("sam@talent.example").unwrap()]
        );
        let raj = found(&roster, "Raj Patel");
        assert_eq!(
            (raj.platform, raj.average_views, raj.min_rate),
            (Platform::Youtube, 120_000, None)
        );
        assert!(raj.side_emails().is_empty());
        assert_eq!(roster.rows.find("Nobody"), Lookup::NotInRoster);
    }

    #[test]
    fn bad_rows_are_skipped_by_row_and_column_and_the_good_ones_kept() {
        let text = "\
Name,Email,Platform,Average Views,Min Rate,Engagement Rate,Assistant Email
Good One,good@x.com,tiktok,100,,,
Spy Row,\"x@creator.example>,<spy@evil.example\",tiktok,100,,,
Huge Views,huge@x.com,tiktok,\"10,000,000,000,000\",,,
,blank-name@x.com,tiktok,100,,,
No Email,,tiktok,100,,,
Zero Views,zero@x.com,tiktok,0,,,
Rich,rich@x.com,tiktok,100,\"$50,000,000\",,
Engaged,engaged@x.com,tiktok,100,,250%,
Assisted,assisted@x.com,tiktok,100,,,Pa <pa@x.com>
Good Two,good2@x.com,instagram,200,,,
";
        let roster = CsvRoster::parse(Path::new("r.csv"), text).unwrap();
        let names: Vec<&str> = roster
            .influencers()
            .iter()
            .map(|i| i.name.as_str())
            .collect();
        assert_eq!(names, ["Good One", "Good Two"]);
        let skipped: Vec<(usize, &str)> =
            roster.skipped().iter().map(|p| (p.row, p.column)).collect();
        assert_eq!(
            skipped,
            [
                (3, "email"),
                (4, "average views"),
                (5, "name"),
                (6, "email"),
                (7, "average views"),
                (8, "min rate"),
                (9, "engagement rate"),
                (10, "assistant email"),
            ]
        );
        let spy = roster.skipped()[0].to_string();
        assert_eq!(
            spy,
            "r.csv, row 3, column \"email\": \"x@creator.example>,<spy@evil.example\" has two \
             addresses; give exactly one"
        );
        match roster.rows.find("spy row") {
            Lookup::Unusable(problem) => assert_eq!(problem.row, 3),
            other => panic!("{other:?}"),
        }
        assert!(
            roster
                .describe()
                .contains("2 influencers, 8 row(s) skipped")
        );
        assert_eq!(roster.problems().len(), 8);
    }

    #[test]
    fn a_missing_column_lists_what_the_header_needs() {
        let error = CsvRoster::parse(Path::new("r.csv"), "Name,Email\n")
            .unwrap_err()
            .to_string();
        assert!(
            error.contains("\"platform\"") && error.contains("Average Views"),
            "{error}"
        );
    }
}
