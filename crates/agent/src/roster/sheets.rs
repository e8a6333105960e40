//! The Google Sheets roster: the team sheet read tolerantly, looked up by name.
//!
//! The tab has the CSV roster's header (Name, Email, Platform, Handle, Average Views, Min
//! Rate, Max Rate, Engagement Rate; case, spaces and `_` ignored) and each row is read by the
//! CSV roster's own cell rules ("50,000", "50000.0", "$1,500", "2.5%", blanks, "YouTube"),
//! so the two adapters cannot drift apart. A bad row is logged and skipped; only a missing
//! column fails the whole sheet. The rows are cached for a short time.

use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use async_trait::async_trait;
use negotiator_vendors::google::{SHEETS_BASE_URL, ServiceAccountKey, Sheets, TokenSource, scopes};
use negotiator_vendors::{ErrorKind, VendorError};
use tokio::sync::Mutex;
use tokio::time::Instant;

use super::{CsvRoster, Influencer, Roster, RosterError, RosterFileError};
use crate::config::GoogleConfig;

/// How long rows read from the sheet are used before it is read again.
pub const DEFAULT_CACHE_TTL: Duration = Duration::from_secs(60);

/// The roster in a Google Sheet tab.
#[derive(Debug)]
pub struct SheetsRoster {
    sheets: Sheets,
    spreadsheet_id: String,
    /// `None`: the first tab.
    tab: Option<String>,
    ttl: Duration,
    cache: Mutex<Option<Cached>>,
}

#[derive(Debug)]
struct Cached {
    read_at: Instant,
    rows: Arc<Vec<Influencer>>,
}

impl SheetsRoster {
    /// The roster in `tab` (ignoring case; the first tab when `None`) of `spreadsheet_id`.
    pub fn new(sheets: Sheets, spreadsheet_id: impl Into<String>, tab: Option<String>) -> Self {
        SheetsRoster {
            sheets,
            spreadsheet_id: spreadsheet_id.into(),
            tab: tab.filter(|t| !t.trim().is_empty()),
            ttl: DEFAULT_CACHE_TTL,
            cache: Mutex::new(None),
        }
    }

    /// The roster in `[google] sheet_id` / `sheet_tab`, read as the service account itself
    /// (share the sheet with its address); `sheets_base_url` and `token_url` override
    /// Google's addresses.
    pub fn from_config(
        config: &GoogleConfig,
        key: &ServiceAccountKey,
    ) -> Result<Self, VendorError> {
        let sheet_id = config
            .sheet_id
            .as_deref()
            .map(str::trim)
            .filter(|id| !id.is_empty())
            .ok_or_else(|| {
                VendorError::new(
                    "Google Sheets",
                    ErrorKind::Rejected,
                    "set [google] sheet_id to the roster spreadsheet's id (the long part of its URL)",
                )
            })?;
        let mut auth = TokenSource::new(key.clone(), &[scopes::SHEETS_READONLY], None)?;
        if let Some(url) = &config.token_url {
            auth = auth.with_token_url(url);
        }
        let base = config.sheets_base_url.as_deref().unwrap_or(SHEETS_BASE_URL);
        let sheets = Sheets::new(Arc::new(auth), base)?;
        Ok(SheetsRoster::new(
            sheets,
            sheet_id,
            config.sheet_tab.clone(),
        ))
    }

    /// Reuses rows for `ttl` (zero reads the sheet on every lookup).
    pub fn with_cache_ttl(mut self, ttl: Duration) -> Self {
        self.ttl = ttl;
        self
    }

    /// Every readable row, from the cache when fresh.
    pub async fn influencers(&self) -> Result<Arc<Vec<Influencer>>, RosterError> {
        let mut cache = self.cache.lock().await;
        if let Some(cached) = cache.as_ref()
            && cached.read_at.elapsed() < self.ttl
        {
            return Ok(cached.rows.clone());
        }
        let rows = Arc::new(self.read().await?);
        *cache = Some(Cached {
            read_at: Instant::now(),
            rows: rows.clone(),
        });
        Ok(rows)
    }

    async fn read(&self) -> Result<Vec<Influencer>, RosterError> {
        let tab = self
            .sheets
            .read_tab(&self.spreadsheet_id, self.tab.as_deref())
            .await?;
        let source = format!("Google Sheet tab {:?}", tab.title);
        parse_rows(&source, &tab.rows)
    }
}

#[async_trait]
impl Roster for SheetsRoster {
    async fn find(&self, name: &str) -> Result<Option<Influencer>, RosterError> {
        let wanted = normalise_name(name);
        Ok(self
            .influencers()
            .await?
            .iter()
            .find(|row| normalise_name(&row.name) == wanted)
            .cloned())
    }

    fn describe(&self) -> String {
        match &self.tab {
            Some(tab) => format!("Google Sheet {} (tab {tab:?})", self.spreadsheet_id),
            None => format!("Google Sheet {} (first tab)", self.spreadsheet_id),
        }
    }
}

/// Reads the header row and every data row; bad rows are logged and skipped.
fn parse_rows(source: &str, rows: &[Vec<String>]) -> Result<Vec<Influencer>, RosterError> {
    let path = Path::new(source);
    let Some((header, data)) = rows.split_first() else {
        return Err(VendorError::new(
            "Google Sheets",
            ErrorKind::Rejected,
            format!("{source} is empty; it needs a header row (Name, Email, Platform, Average Views, ...)"),
        )
        .into());
    };
    let header_line = csv_line(header);
    // The header alone: a missing column fails the whole sheet.
    CsvRoster::parse(path, &header_line)?;
    let mut influencers = Vec::new();
    for (index, row) in data.iter().enumerate() {
        // Row numbers as the sheet shows them: the header is row 1.
        let row_number = index + 2;
        if row.iter().all(|cell| cell.trim().is_empty()) {
            continue;
        }
        let text = format!("{header_line}{}", csv_line(row));
        match CsvRoster::parse(path, &text) {
            Ok(parsed) => influencers.extend(parsed.influencers().iter().cloned()),
            Err(RosterFileError::BadValue {
                column, problem, ..
            }) => {
                tracing::warn!(
                    source,
                    row = row_number,
                    column,
                    problem = %problem,
                    "skipping a roster row that cannot be read; fix it in the sheet"
                );
            }
            Err(other) => return Err(other.into()),
        }
    }
    Ok(influencers)
}

/// One row as a CSV line, each cell quoted, for the CSV roster's reader.
fn csv_line(cells: &[String]) -> String {
    let quoted: Vec<String> = cells
        .iter()
        .map(|cell| format!("\"{}\"", cell.replace('"', "\"\"")))
        .collect();
    format!("{}\n", quoted.join(","))
}

fn normalise_name(name: &str) -> String {
    name.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

#[cfg(test)]
mod tests {
    use negotiator_domain::{Money, Platform};
    use rust_decimal::Decimal;

    use super::*;

    fn rows(lines: &[&[&str]]) -> Vec<Vec<String>> {
        lines
            .iter()
            .map(|l| l.iter().map(|c| (*c).to_owned()).collect())
            .collect()
    }

    #[test]
    fn messy_cells_are_read_and_bad_rows_skipped() {
        let sheet = rows(&[
            &[
                "Name",
                "EMAIL",
                "Platform",
                "Handle",
                "Average_Views",
                "Min Rate",
                "Max Rate",
                "Engagement Rate",
            ],
            &[
                "Jane Doe",
                "Jane@Example.com",
                "YouTube",
                "@jane",
                "50,000",
                "$1,500",
                "2,000.00",
                "2.5%",
            ],
            &[
                "Raj \"RJ\" Patel",
                "raj@example.com",
                " instagram ",
                "",
                "50000.0",
            ],
            &[],
            &["Bad Views", "bad@example.com", "tiktok", "@bad", "lots"],
            &["", "", "", "", ""],
            &["No Platform", "np@example.com", "myspace", "", "100"],
        ]);
        let found = parse_rows("tab", &sheet).unwrap();
        assert_eq!(found.len(), 2);
        let jane = &found[0];
        assert_eq!(
            (jane.platform, jane.average_views),
            (Platform::Youtube, 50_000)
        );
        assert_eq!(jane.email, "jane@example.com");
        assert_eq!(jane.min_rate, Some(Money::from_dollars(1_500)));
        assert_eq!(jane.max_rate, Some(Money::from_dollars(2_000)));
        assert_eq!(jane.engagement_pct, Some(Decimal::new(25, 1)));
        let raj = &found[1];
        assert_eq!(raj.name, "Raj \"RJ\" Patel");
        assert_eq!(
            (
                raj.platform,
                raj.average_views,
                raj.min_rate,
                raj.engagement_pct
            ),
            (Platform::Instagram, 50_000, None, None)
        );
    }

    #[test]
    fn a_missing_column_or_an_empty_tab_fails_the_sheet() {
        let error =
            parse_rows("tab", &rows(&[&["Name", "Email"], &["Jane", "j@x.com"]])).unwrap_err();
        assert!(error.to_string().contains("platform"), "{error}");
        let error = parse_rows("tab \"Roster\"", &[]).unwrap_err();
        assert!(error.to_string().contains("header row"), "{error}");
    }

    #[test]
    fn names_match_ignoring_case_and_spacing() {
        assert_eq!(normalise_name("  jane   DOE "), normalise_name("Jane Doe"));
    }
}
