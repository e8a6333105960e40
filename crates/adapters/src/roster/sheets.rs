//! The Google Sheets roster: the team sheet read tolerantly, looked up by name.
//!
//! The tab has the CSV roster's header (Name, Email, Platform, Handle, Average Views, Min
//! Rate, Max Rate, Engagement Rate, Manager Email, Assistant Email; case, spaces and `_`
//! ignored) and each row is read by the CSV roster's own cell rules ("50,000", "50000.0",
//! "$1,500", "2.5%", blanks, "YouTube"), so the two adapters cannot drift apart. A bad row is
//! logged and skipped, and a lookup of its name says why; only a missing column fails the
//! whole sheet. The rows are cached for a short time, per sheet and tab: a campaign may name
//! its own roster sheet, and one the service account cannot read refuses the campaign with
//! what to do (share the sheet with the service account's address).

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

use async_trait::async_trait;
use negotiator_vendors::google::{SHEETS_BASE_URL, ServiceAccountKey, Sheets, TokenSource, scopes};
use negotiator_vendors::{ErrorKind, VendorError};
use tokio::sync::Mutex;
use tokio::time::Instant;

use super::cells::{Columns, EXPECTED};
use negotiator_agent::ports::roster::{Influencer, Lookup, Roster, RosterError, RosterProblem};
use negotiator_domain::{EmailAddress, RosterSheet};

use super::{RosterFileError, RosterRows};
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
    /// Campaigns' own sheets, by sheet and tab.
    others: Mutex<HashMap<RosterSheet, Cached>>,
    /// The service account's address, for "share the sheet with …".
    account: Option<String>,
}

#[derive(Debug)]
struct Cached {
    read_at: Instant,
    rows: Arc<RosterRows>,
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
            others: Mutex::new(HashMap::new()),
            account: None,
        }
    }

    /// Names the service account in "share the sheet with …" messages.
    pub fn with_account(mut self, client_email: impl Into<String>) -> Self {
        self.account = Some(client_email.into());
        self
    }

    /// The rows of a campaign's own `sheet`, from its cache when fresh. A sheet Google will not
    /// show us (403, 404) is [`RosterError::Inaccessible`], saying whom to share it with.
    pub async fn rows_of(&self, sheet: &RosterSheet) -> Result<Arc<RosterRows>, RosterError> {
        let mut others = self.others.lock().await;
        if let Some(cached) = others.get(sheet)
            && cached.read_at.elapsed() < self.ttl
        {
            return Ok(cached.rows.clone());
        }
        let rows = match self.read_sheet(&sheet.sheet_id, sheet.tab.as_deref()).await {
            Ok(rows) => Arc::new(rows),
            Err(RosterError::Vendor(error)) if matches!(error.status, Some(403 | 404)) => {
                let account = self
                    .account
                    .as_deref()
                    .unwrap_or("the service account in GOOGLE_APPLICATION_CREDENTIALS");
                let what = if error.status == Some(404) {
                    "does not exist or is not shared with us"
                } else {
                    "is not shared with us"
                };
                return Err(RosterError::Inaccessible(format!(
                    "Google Sheet {} {what}: share it with {account} (Viewer is enough), then \
                     submit the campaign again; or check roster_sheet_id",
                    sheet.sheet_id
                )));
            }
            Err(other) => return Err(other),
        };
        others.insert(
            sheet.clone(),
            Cached {
                read_at: Instant::now(),
                rows: rows.clone(),
            },
        );
        Ok(rows)
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
        Ok(
            SheetsRoster::new(sheets, sheet_id, config.sheet_tab.clone())
                .with_account(key.client_email()),
        )
    }

    /// Reuses rows for `ttl` (zero reads the sheet on every lookup).
    pub fn with_cache_ttl(mut self, ttl: Duration) -> Self {
        self.ttl = ttl;
        self
    }

    /// Every row as last read, from the cache when fresh.
    pub async fn rows(&self) -> Result<Arc<RosterRows>, RosterError> {
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

    async fn read(&self) -> Result<RosterRows, RosterError> {
        self.read_sheet(&self.spreadsheet_id, self.tab.as_deref())
            .await
    }

    async fn read_sheet(&self, id: &str, tab: Option<&str>) -> Result<RosterRows, RosterError> {
        let tab = self.sheets.read_tab(id, tab).await?;
        let source = format!("Google Sheet tab {:?}", tab.title);
        let rows = parse_rows(&source, &tab.rows)?;
        for problem in rows.skipped() {
            tracing::warn!(
                roster = %source,
                row = problem.row,
                column = problem.column,
                problem = %problem.problem,
                "skipping a roster row that cannot be used; fix it in the sheet"
            );
        }
        Ok(rows)
    }
}

#[async_trait]
impl Roster for SheetsRoster {
    async fn find(&self, name: &str) -> Result<Lookup, RosterError> {
        Ok(self.rows().await?.find(name))
    }

    async fn find_in(
        &self,
        sheet: Option<&RosterSheet>,
        name: &str,
    ) -> Result<Lookup, RosterError> {
        match sheet {
            // The configured sheet itself, by another name: one cache.
            Some(sheet)
                if sheet.sheet_id != self.spreadsheet_id
                    || !same_tab(sheet.tab.as_deref(), self.tab.as_deref()) =>
            {
                Ok(self.rows_of(sheet).await?.find(name))
            }
            _ => self.find(name).await,
        }
    }

    async fn find_by_email(&self, address: &EmailAddress) -> Result<Vec<Influencer>, RosterError> {
        Ok(self.rows().await?.find_by_email(address))
    }

    fn problems(&self) -> Vec<RosterProblem> {
        // Only what the last read found; a lookup in progress holds the lock, and then the
        // answer is "nothing known yet" rather than a wait.
        let Ok(cache) = self.cache.try_lock() else {
            return Vec::new();
        };
        cache.as_ref().map_or_else(Vec::new, |cached| {
            cached
                .rows
                .skipped()
                .iter()
                .cloned()
                .map(RosterProblem::Row)
                .collect()
        })
    }

    fn describe(&self) -> String {
        match &self.tab {
            Some(tab) => format!("Google Sheet {} (tab {tab:?})", self.spreadsheet_id),
            None => format!("Google Sheet {} (first tab)", self.spreadsheet_id),
        }
    }
}

fn same_tab(a: Option<&str>, b: Option<&str>) -> bool {
    match (a, b) {
        (Some(a), Some(b)) => a.trim().eq_ignore_ascii_case(b.trim()),
        (None, None) => true,
        _ => false,
    }
}

/// Reads the header row and every data row by the CSV roster's cell rules; only a missing
/// column (or no header at all) fails the whole sheet.
fn parse_rows(source: &str, rows: &[Vec<String>]) -> Result<RosterRows, RosterError> {
    let Some((header, data)) = rows.split_first() else {
        return Err(VendorError::new(
            "Google Sheets",
            ErrorKind::Rejected,
            format!("{source} is empty; it needs a header row (Name, Email, Platform, Average Views, ...)"),
        )
        .into());
    };
    let header: Vec<&str> = header.iter().map(String::as_str).collect();
    let columns = Columns::find(&header).map_err(|column| RosterFileError::MissingColumn {
        roster: source.to_owned(),
        column,
        expected: EXPECTED,
    })?;
    // Row numbers as the sheet shows them: the header is row 1.
    let numbered = data
        .iter()
        .enumerate()
        .map(|(index, row)| (index + 2, row.iter().map(String::as_str).collect()));
    Ok(columns.read(source, numbered))
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
    fn messy_cells_are_read_and_bad_rows_skipped_by_row_and_column() {
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
                "Manager Email",
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
                "sam@talent.example",
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
            &[
                "Spy",
                "x@creator.example>,<spy@evil.example",
                "tiktok",
                "",
                "100",
            ],
        ]);
        let found = parse_rows("tab", &sheet).unwrap();
        assert_eq!(found.influencers().len(), 2);
        let jane = &found.influencers()[0];
        assert_eq!(
            (jane.platform, jane.average_views),
            (Platform::Youtube, 50_000)
        );
        assert_eq!(jane.email.as_str(), "jane@example.com");
        assert_eq!(jane.min_rate, Some(Money::from_dollars(1_500)));
        assert_eq!(jane.max_rate, Some(Money::from_dollars(2_000)));
        assert_eq!(jane.engagement_pct, Some(Decimal::new(25, 1)));
        assert_eq!(jane.side_emails()[0].as_str(), "sam@talent.example");
        let raj = &found.influencers()[1];
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
        let skipped: Vec<(usize, &str)> =
            found.skipped().iter().map(|p| (p.row, p.column)).collect();
        assert_eq!(
            skipped,
            [(5, "average views"), (7, "platform"), (8, "email")]
        );
        assert!(matches!(found.find("spy"), Lookup::Unusable(p) if p.row == 8));
    }

    #[test]
    fn a_missing_column_or_an_empty_tab_fails_the_sheet() {
        let error =
            parse_rows("tab", &rows(&[&["Name", "Email"], &["Jane", "j@x.com"]])).unwrap_err();
        assert!(error.to_string().contains("platform"), "{error}");
        let error = parse_rows("tab \"Roster\"", &[]).unwrap_err();
        assert!(error.to_string().contains("header row"), "{error}");
    }
}
