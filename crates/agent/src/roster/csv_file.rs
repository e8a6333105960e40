//! The local roster: a CSV file with the team's sheet columns, read tolerantly.

use std::path::{Path, PathBuf};

use async_trait::async_trait;
use negotiator_domain::{Money, Platform};
use rust_decimal::Decimal;

use super::{Influencer, Roster, RosterError};

/// The columns, in the words the team's sheet uses. Matching ignores case, spaces and `_`.
const NAME: &str = "name";
const EMAIL: &str = "email";
const PLATFORM: &str = "platform";
const HANDLE: &str = "handle";
const VIEWS: &str = "average views";
const MIN_RATE: &str = "min rate";
const MAX_RATE: &str = "max rate";
const ENGAGEMENT: &str = "engagement rate";
const REQUIRED: [&str; 4] = [NAME, EMAIL, PLATFORM, VIEWS];

#[derive(Debug, thiserror::Error)]
pub enum RosterFileError {
    #[error("could not read the roster file {path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{path}: the roster has no {column:?} column; the header must name: {expected}")]
    MissingColumn {
        path: PathBuf,
        column: &'static str,
        expected: String,
    },
    #[error("{path}, row {row}, column {column:?}: {problem}")]
    BadValue {
        path: PathBuf,
        row: usize,
        column: &'static str,
        problem: String,
    },
    #[error("{path}: {source}")]
    Csv { path: PathBuf, source: csv::Error },
}

/// A roster loaded from a CSV file at start-up.
#[derive(Debug, Clone)]
pub struct CsvRoster {
    path: PathBuf,
    rows: Vec<Influencer>,
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
        let columns = Columns::find(path, &header)?;
        let mut rows = Vec::new();
        for (index, record) in reader.records().enumerate() {
            let record = record.map_err(csv_error)?;
            // Row numbers as a spreadsheet shows them: the header is row 1.
            let row = index + 2;
            if record.iter().all(|cell| cell.trim().is_empty()) {
                continue;
            }
            rows.push(columns.influencer(path, row, &record)?);
        }
        Ok(CsvRoster {
            path: path.to_owned(),
            rows,
        })
    }

    pub fn influencers(&self) -> &[Influencer] {
        &self.rows
    }
}

#[async_trait]
impl Roster for CsvRoster {
    async fn find(&self, name: &str) -> Result<Option<Influencer>, RosterError> {
        let wanted = normalise_name(name);
        Ok(self
            .rows
            .iter()
            .find(|row| normalise_name(&row.name) == wanted)
            .cloned())
    }

    fn describe(&self) -> String {
        format!(
            "CSV roster {} ({} influencers)",
            self.path.display(),
            self.rows.len()
        )
    }
}

fn normalise_name(name: &str) -> String {
    name.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

/// Where each known column sits in this file's header.
struct Columns {
    positions: Vec<(&'static str, usize)>,
}

impl Columns {
    fn find(path: &Path, header: &csv::StringRecord) -> Result<Self, RosterFileError> {
        let key = |text: &str| text.to_lowercase().replace(['_', ' '], "");
        let mut positions = Vec::new();
        for column in [
            NAME, EMAIL, PLATFORM, HANDLE, VIEWS, MIN_RATE, MAX_RATE, ENGAGEMENT,
        ] {
            if let Some(at) = header.iter().position(|cell| key(cell) == key(column)) {
                positions.push((column, at));
            } else if REQUIRED.contains(&column) {
                return Err(RosterFileError::MissingColumn {
                    path: path.to_owned(),
                    column,
                    expected: "Name, Email, Platform, Handle, Average Views, Min Rate, Max Rate, \
                               Engagement Rate"
                        .to_owned(),
                });
            }
        }
        Ok(Columns { positions })
    }

    fn cell<'r>(&self, record: &'r csv::StringRecord, column: &str) -> &'r str {
        self.positions
            .iter()
            .find(|(name, _)| *name == column)
            .and_then(|(_, at)| record.get(*at))
            .unwrap_or("")
            .trim()
    }

    fn influencer(
        &self,
        path: &Path,
        row: usize,
        record: &csv::StringRecord,
    ) -> Result<Influencer, RosterFileError> {
        let bad = |column: &'static str, problem: String| RosterFileError::BadValue {
            path: path.to_owned(),
            row,
            column,
            problem,
        };
        let name = self.cell(record, NAME);
        if name.is_empty() {
            return Err(bad(NAME, "the name is blank".to_owned()));
        }
        let email = self.cell(record, EMAIL);
        if !looks_like_email(email) {
            return Err(bad(EMAIL, format!("{email:?} is not an email address")));
        }
        let platform = self.cell(record, PLATFORM);
        let platform: Platform = platform
            .parse()
            .map_err(|e| bad(PLATFORM, format!("{e}")))?;
        let average_views = parse_views(self.cell(record, VIEWS)).map_err(|p| bad(VIEWS, p))?;
        Ok(Influencer {
            name: name.to_owned(),
            email: email.to_lowercase(),
            platform,
            handle: self.cell(record, HANDLE).to_owned(),
            average_views,
            min_rate: parse_rate(self.cell(record, MIN_RATE)).map_err(|p| bad(MIN_RATE, p))?,
            max_rate: parse_rate(self.cell(record, MAX_RATE)).map_err(|p| bad(MAX_RATE, p))?,
            engagement_pct: parse_percent(self.cell(record, ENGAGEMENT))
                .map_err(|p| bad(ENGAGEMENT, p))?,
        })
    }
}

fn looks_like_email(text: &str) -> bool {
    match text.split_once('@') {
        Some((local, domain)) => {
            !local.is_empty() && domain.contains('.') && !text.contains(char::is_whitespace)
        }
        None => false,
    }
}

/// `50000`, `50,000` and `50000.0` are all fifty thousand; zero or less is refused.
fn parse_views(text: &str) -> Result<u64, String> {
    let cleaned = text.replace(',', "");
    let views = cleaned
        .parse::<Decimal>()
        .ok()
        .filter(|v| v.fract().is_zero() && v.is_sign_positive() && !v.is_zero())
        .and_then(|v| u64::try_from(v.mantissa() / 10_i128.pow(v.scale())).ok());
    views.ok_or_else(|| format!("{text:?} is not a positive whole number of views"))
}

fn parse_rate(text: &str) -> Result<Option<Money>, String> {
    if text.is_empty() {
        return Ok(None);
    }
    text.parse::<Money>()
        .map(Some)
        .map_err(|_| format!("{text:?} is not an amount of money (write it like $1,250 or 1250)"))
}

fn parse_percent(text: &str) -> Result<Option<Decimal>, String> {
    let cleaned = text.trim_end_matches('%').trim();
    if cleaned.is_empty() {
        return Ok(None);
    }
    cleaned
        .parse::<Decimal>()
        .ok()
        .filter(|pct| !pct.is_sign_negative())
        .map(Some)
        .ok_or_else(|| format!("{text:?} is not a percentage (write it like 4.5% or 4.5)"))
}

#[cfg(test)]
mod tests {
    use super::*;

    const SHEET: &str = "\
 Name , EMAIL,platform,Handle,Average_Views,Min Rate,Max Rate,Engagement Rate
Jane Doe,Jane@Example.com,Instagram,@jane,\"50,000\",\"$1,000\",$1500.00,4.5%

Raj Patel,raj@example.com, YouTube ,@raj,120000.0,,,
,,,,,,,
";

    #[tokio::test]
    async fn reads_a_messy_sheet_and_finds_names_in_any_case() {
        let roster = CsvRoster::parse(Path::new("roster.csv"), SHEET).unwrap();
        assert_eq!(roster.influencers().len(), 2);
        let jane = roster.find("  jane   DOE ").await.unwrap().unwrap();
        assert_eq!(jane.email, "jane@example.com");
        assert_eq!(jane.platform, Platform::Instagram);
        assert_eq!(jane.average_views, 50_000);
        assert_eq!(jane.min_rate, Some(Money::from_dollars(1_000)));
        assert_eq!(jane.max_rate, Some(Money::from_dollars(1_500)));
        assert_eq!(jane.engagement_pct, Some(Decimal::new(45, 1)));
        let raj = roster.find("Raj Patel").await.unwrap().unwrap();
        assert_eq!(
            (raj.platform, raj.average_views, raj.min_rate),
            (Platform::Youtube, 120_000, None)
        );
        assert!(roster.find("Nobody").await.unwrap().is_none());
    }

    #[test]
    fn a_bad_cell_names_its_row_and_column() {
        let text = "Name,Email,Platform,Average Views\nJane,jane@x.com,instagram,lots\n";
        let error = CsvRoster::parse(Path::new("r.csv"), text)
            .unwrap_err()
            .to_string();
        assert!(
            error.contains("row 2") && error.contains("average views"),
            "{error}"
        );
        let text = "Name,Email,Platform,Average Views\nJane,jane@x.com,myspace,100\n";
        let error = CsvRoster::parse(Path::new("r.csv"), text)
            .unwrap_err()
            .to_string();
        assert!(
            error.contains("platform") && error.contains("myspace"),
            "{error}"
        );
        let text = "Name,Email,Platform,Average Views\nJane,not-an-email,tiktok,100\n";
        assert!(CsvRoster::parse(Path::new("r.csv"), text).is_err());
        let text = "Name,Email,Platform,Average Views\nJane,j@x.com,tiktok,0\n";
        assert!(CsvRoster::parse(Path::new("r.csv"), text).is_err());
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
