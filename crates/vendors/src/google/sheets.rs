//! Google Sheets API v4: a tab's values as the sheet shows them, the tab found ignoring case.

use std::sync::Arc;
use std::time::Duration;

use serde::Deserialize;

use super::auth::TokenSource;
use super::client::Api;
use crate::http::{ErrorKind, RateLimiter, RetryPolicy, VendorError};

const SERVICE: &str = "Google Sheets";

/// A tab's title as the sheet spells it, and its rows (trailing blank cells and rows are
/// absent, as Google sends them).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Tab {
    pub title: String,
    pub rows: Vec<Vec<String>>,
}

#[derive(Deserialize)]
struct Spreadsheet {
    #[serde(default)]
    sheets: Vec<SheetEntry>,
}

#[derive(Deserialize)]
struct SheetEntry {
    properties: SheetProperties,
}

#[derive(Deserialize)]
struct SheetProperties {
    #[serde(default)]
    title: String,
}

#[derive(Deserialize)]
struct ValueRange {
    #[serde(default)]
    values: Vec<Vec<serde_json::Value>>,
}

/// A Sheets client (read-only).
#[derive(Debug)]
pub struct Sheets {
    api: Api,
    retry: RetryPolicy,
    reads: RateLimiter,
}

impl Sheets {
    /// A client of the Sheets API at `base_url` (normally [`SHEETS_BASE_URL`](super::SHEETS_BASE_URL)).
    /// Reads are kept under Google's 60 a minute per user.
    pub fn new(auth: Arc<TokenSource>, base_url: &str) -> Result<Self, VendorError> {
        let hint = format!(
            "share the sheet with {} (Viewer is enough)",
            auth.client_email()
        );
        Ok(Sheets {
            api: Api::new(SERVICE, auth, base_url, hint)?,
            retry: RetryPolicy::default(),
            reads: RateLimiter::new(50, Duration::from_secs(60), 10),
        })
    }

    pub fn with_retry(mut self, retry: RetryPolicy) -> Self {
        self.retry = retry;
        self
    }

    /// The spreadsheet's tab titles, in order.
    pub async fn tab_titles(&self, spreadsheet_id: &str) -> Result<Vec<String>, VendorError> {
        let url = self.api.url(&["v4", "spreadsheets", spreadsheet_id]);
        let sheet: Spreadsheet = self
            .call(|c| c.get(url.clone()).query(&[("fields", "sheets.properties.title")]))
            .await
            .map_err(|mut e| {
                if e.status == Some(404) {
                    e.message = format!(
                        "no spreadsheet {spreadsheet_id}; check [google] sheet_id (the long id in the sheet's URL)"
                    );
                }
                e
            })?;
        Ok(sheet
            .sheets
            .into_iter()
            .map(|s| s.properties.title)
            .collect())
    }

    /// The values in `range` (A1 notation) as the sheet displays them, row by row.
    pub async fn values_get(
        &self,
        spreadsheet_id: &str,
        range: &str,
    ) -> Result<Vec<Vec<String>>, VendorError> {
        let url = self
            .api
            .url(&["v4", "spreadsheets", spreadsheet_id, "values", range]);
        let answer: ValueRange = self
            .call(|c| {
                c.get(url.clone()).query(&[
                    ("majorDimension", "ROWS"),
                    ("valueRenderOption", "FORMATTED_VALUE"),
                ])
            })
            .await?;
        Ok(answer
            .values
            .into_iter()
            .map(|row| row.into_iter().map(cell_text).collect())
            .collect())
    }

    /// The whole tab called `tab` (ignoring case and surrounding spaces), or the first tab when
    /// `None`. A missing tab is refused with the list of tabs the sheet has.
    pub async fn read_tab(
        &self,
        spreadsheet_id: &str,
        tab: Option<&str>,
    ) -> Result<Tab, VendorError> {
        let titles = self.tab_titles(spreadsheet_id).await?;
        let title = match tab {
            Some(wanted) => {
                let key = |t: &str| t.trim().to_lowercase();
                titles.iter().find(|t| key(t) == key(wanted)).cloned().ok_or_else(|| {
                    VendorError::new(
                        SERVICE,
                        ErrorKind::Rejected,
                        format!(
                            "the spreadsheet has no tab named {wanted:?}; its tabs are: {}; fix [google] sheet_tab",
                            quoted_list(&titles)
                        ),
                    )
                })?
            }
            None => titles.first().cloned().ok_or_else(|| {
                VendorError::new(SERVICE, ErrorKind::Rejected, "the spreadsheet has no tabs")
            })?,
        };
        let rows = self.values_get(spreadsheet_id, &a1_sheet(&title)).await?;
        Ok(Tab { title, rows })
    }

    async fn call<T: serde::de::DeserializeOwned>(
        &self,
        build: impl Fn(&reqwest::Client) -> reqwest::RequestBuilder,
    ) -> Result<T, VendorError> {
        let user = self
            .api
            .auth()
            .subject()
            .unwrap_or("service-account")
            .to_owned();
        self.retry
            .run(self.api.service(), || async {
                self.reads.permit(self.api.service(), &user, 1).await?;
                self.api.json(&build).await
            })
            .await
    }
}

/// A whole tab in A1 notation: the title in single quotes, quotes inside doubled.
fn a1_sheet(title: &str) -> String {
    format!("'{}'", title.replace('\'', "''"))
}

fn quoted_list(titles: &[String]) -> String {
    if titles.is_empty() {
        return "(none)".to_owned();
    }
    titles
        .iter()
        .map(|t| format!("{t:?}"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// A cell as text: formatted values are strings, but numbers and booleans are read too.
fn cell_text(value: serde_json::Value) -> String {
    match value {
        serde_json::Value::String(s) => s,
        serde_json::Value::Null => String::new(),
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tab_titles_are_quoted_for_a1_notation() {
        assert_eq!(a1_sheet("Test Client"), "'Test Client'");
        assert_eq!(a1_sheet("Jane's"), "'Jane''s'");
    }
}
