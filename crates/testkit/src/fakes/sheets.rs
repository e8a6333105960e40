//! A stateful fake of the Google Sheets API (v4) on loopback: the tab titles
//! (`spreadsheets.get`) and a tab's values (`spreadsheets.values.get`, rows as displayed,
//! trailing blanks left out as Google does) of one spreadsheet, or of several; a spreadsheet
//! not shared with the service account answers 403 as Google does. Calls need a token the
//! fake's token endpoint granted for a Sheets scope.

use std::sync::{Arc, Mutex};

use negotiator_vendors::RetryPolicy;
use negotiator_vendors::google::{Sheets, scopes};
use serde_json::{Value, json};
use wiremock::matchers::{method, path_regex};
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};

use super::google::{GoogleAuth, google_error, not_found};
use super::request::path_after;
use super::{lock, ok};

const READ_SCOPES: &[&str] = &[
    scopes::SHEETS_READONLY,
    "https://www.googleapis.com/auth/spreadsheets",
    "https://www.googleapis.com/auth/drive.readonly",
    "https://www.googleapis.com/auth/drive",
];

/// One spreadsheet's tabs, in order: `(title, rows of cells)`.
type Tabs = Vec<(String, Vec<Vec<String>>)>;

/// Every spreadsheet the fake holds, by id, and those not shared with the service account.
#[derive(Default)]
struct Books {
    books: Vec<(String, Tabs)>,
    unshared: Vec<String>,
}

/// A spreadsheet on loopback, with Google's token endpoint beside it.
pub struct FakeSheets {
    server: MockServer,
    spreadsheet_id: String,
    tabs: Arc<Mutex<Books>>,
}

impl FakeSheets {
    /// The spreadsheet `spreadsheet_id`, with no tabs yet.
    pub async fn start(spreadsheet_id: &str) -> Self {
        let server = MockServer::start().await;
        let auth = GoogleAuth::mount(&server).await;
        let tabs = Arc::new(Mutex::new(Books {
            books: vec![(spreadsheet_id.to_owned(), Vec::new())],
            unshared: Vec::new(),
        }));
        Mock::given(method("GET"))
            .and(path_regex("^/v4/spreadsheets/"))
            .respond_with(SheetsApi {
                auth,
                tabs: Arc::clone(&tabs),
            })
            .mount(&server)
            .await;
        FakeSheets {
            server,
            spreadsheet_id: spreadsheet_id.to_owned(),
            tabs,
        }
    }

    /// Adds (or replaces) the tab `title` holding `rows`.
    pub fn put_tab(&self, title: &str, rows: Vec<Vec<String>>) {
        let id = self.spreadsheet_id.clone();
        self.put_tab_in(&id, title, rows);
    }

    /// The same in spreadsheet `spreadsheet_id` (created if new, shared with the service
    /// account).
    pub fn put_tab_in(&self, spreadsheet_id: &str, title: &str, rows: Vec<Vec<String>>) {
        let mut books = lock(&self.tabs);
        let index = match books.books.iter().position(|(id, _)| id == spreadsheet_id) {
            Some(index) => index,
            None => {
                books.books.push((spreadsheet_id.to_owned(), Vec::new()));
                books.books.len() - 1
            }
        };
        let tabs = &mut books.books[index].1;
        match tabs.iter_mut().find(|(t, _)| t == title) {
            Some(tab) => tab.1 = rows,
            None => tabs.push((title.to_owned(), rows)),
        }
    }

    /// Makes spreadsheet `spreadsheet_id` exist but not shared with the service account.
    pub fn put_unshared(&self, spreadsheet_id: &str) {
        lock(&self.tabs).unshared.push(spreadsheet_id.to_owned());
    }

    /// The Sheets API's base URL here (`[google] sheets_base_url`).
    pub fn uri(&self) -> String {
        self.server.uri()
    }

    /// A Sheets client reading as the service account through this fake, retrying at once.
    pub fn client(&self) -> Sheets {
        let auth = GoogleAuth::token_source(&self.server, &[scopes::SHEETS_READONLY], None);
        Sheets::new(auth, &self.server.uri())
            .unwrap()
            .with_retry(RetryPolicy::immediate(3))
    }
}

struct SheetsApi {
    auth: GoogleAuth,
    tabs: Arc<Mutex<Books>>,
}

impl Respond for SheetsApi {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        if let Some(refusal) = self.auth.refusal(request, READ_SCOPES, None) {
            return refusal;
        }
        let path = path_after(request, &["v4", "spreadsheets"]).unwrap_or_default();
        let books = lock(&self.tabs);
        let Some(id) = path.first() else {
            return not_found();
        };
        if books.unshared.contains(id) {
            return google_error(
                403,
                "forbidden",
                "PERMISSION_DENIED",
                "The caller does not have permission",
            );
        }
        let Some((_, tabs)) = books.books.iter().find(|(book, _)| book == id) else {
            return not_found();
        };
        match path.as_slice() {
            [id] => {
                let sheets: Vec<Value> = tabs
                    .iter()
                    .enumerate()
                    .map(|(index, (title, _))| {
                        json!({"properties": {"sheetId": index * 1000, "title": title, "index": index}})
                    })
                    .collect();
                ok(json!({"spreadsheetId": id, "sheets": sheets}))
            }
            [_, values, range] if values == "values" => values_of(tabs, range),
            _ => not_found(),
        }
    }
}

/// `spreadsheets.values.get` for a whole tab (`'Title'` or `Title`, optionally `!A1:Z`).
fn values_of(tabs: &Tabs, range: &str) -> ResponseTemplate {
    let sheet = range.split('!').next().unwrap_or("");
    let title = match sheet.strip_prefix('\'').and_then(|s| s.strip_suffix('\'')) {
        Some(quoted) => quoted.replace("''", "'"),
        None => sheet.to_owned(),
    };
    let Some((title, rows)) = tabs.iter().find(|(t, _)| t.eq_ignore_ascii_case(&title)) else {
        return google_error(
            400,
            "badRequest",
            "INVALID_ARGUMENT",
            &format!("Unable to parse range: {range}"),
        );
    };
    // Google leaves out trailing empty cells of each row, and trailing empty rows.
    let mut values: Vec<Vec<String>> = rows
        .iter()
        .map(|row| {
            let used = row.iter().rposition(|c| !c.is_empty()).map_or(0, |i| i + 1);
            row[..used].to_vec()
        })
        .collect();
    while values.last().is_some_and(Vec::is_empty) {
        values.pop();
    }
    let quoted = format!("'{}'", title.replace('\'', "''"));
    let mut answer =
        json!({"range": format!("{quoted}!A1:Z{}", values.len().max(1)), "majorDimension": "ROWS"});
    if !values.is_empty() {
        answer["values"] = json!(values);
    }
    ok(answer)
}
