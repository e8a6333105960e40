//! A stateful fake of ClickUp's API v2 task read (`GET /api/v2/task/{id}`), on loopback: it
//! checks the personal token (sent raw, no `Bearer`), serves the tasks a test puts, answers
//! ClickUp's `{"err", "ECODE"}` errors, and can be switched into an outage.

use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use negotiator_vendors::clickup::ClickUpClient;
use negotiator_vendors::{RetryPolicy, Secret};
use serde_json::{Value, json};
use wiremock::matchers::path_regex;
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};

use super::request::path_after;
use super::{lock, ok};
use crate::fixtures::CLICKUP_FORM_TASK;

/// The intake form's task ([`CLICKUP_FORM_TASK`]) as JSON, to serve or to change first.
pub fn form_task() -> Value {
    serde_json::from_str(CLICKUP_FORM_TASK).unwrap()
}

/// The `[clickup] field_mapping` that reads the intake form's task into a campaign.
pub fn form_mapping() -> BTreeMap<String, String> {
    [
        ("Client Name", "client_name"),
        ("Campaign Budget", "budget"),
        ("Primary Platform", "platform"),
        (
            "Target Deliverables per Influencer (select all that apply)",
            "deliverables",
        ),
        ("CPM Target - Numerical value ($20-$50)", "cpm_target"),
        (
            "CPM Leniency - Numerical value (0-100%)",
            "cpm_leniency_pct",
        ),
        ("Minimum CPM", "cpm_min"),
        ("Influencers to contact", "influencers"),
        ("Backup influencers", "influencers"),
        ("Content due for approval", "timeline"),
        ("Content goes live", "timeline"),
        ("Rush delivery", "timeline"),
        ("Sending mode", "mode"),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_owned(), v.to_owned()))
    .collect()
}

#[derive(Debug, Default)]
struct Workspace {
    tasks: HashMap<String, Value>,
    /// While set, every call is answered with this status.
    outage: Option<u16>,
}

/// A ClickUp workspace on loopback.
pub struct FakeClickUp {
    server: MockServer,
    token: String,
    state: Arc<Mutex<Workspace>>,
}

impl FakeClickUp {
    /// A workspace whose personal API token is `token`, with no tasks yet.
    pub async fn start(token: &str) -> Self {
        let server = MockServer::start().await;
        let state = Arc::new(Mutex::new(Workspace::default()));
        Mock::given(path_regex("^/api/v2/"))
            .respond_with(ClickUpApi {
                token: token.to_owned(),
                state: Arc::clone(&state),
            })
            .mount(&server)
            .await;
        FakeClickUp {
            server,
            token: token.to_owned(),
            state,
        }
    }

    /// ClickUp's base URL here (`[clickup] base_url`).
    pub fn uri(&self) -> String {
        self.server.uri()
    }

    /// Serves `task` under its `id`.
    pub fn put_task(&self, task: Value) {
        let id = task["id"].as_str().unwrap_or_default().to_owned();
        lock(&self.state).tasks.insert(id, task);
    }

    /// From now on every call is answered with `status` (a 5xx: ClickUp is down).
    pub fn fail_with(&self, status: u16) {
        lock(&self.state).outage = Some(status);
    }

    /// A client with the token, retrying at once (twice).
    pub fn client(&self) -> ClickUpClient {
        ClickUpClient::new(
            &self.server.uri(),
            Secret::new(self.token.clone()),
            Duration::from_secs(5),
        )
        .unwrap()
        .with_retry(RetryPolicy::immediate(2))
    }
}

struct ClickUpApi {
    token: String,
    state: Arc<Mutex<Workspace>>,
}

impl Respond for ClickUpApi {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        let workspace = lock(&self.state);
        if let Some(status) = workspace.outage {
            return error(status, "Internal Server Error", "SERVER_500");
        }
        match request
            .headers
            .get("authorization")
            .and_then(|v| v.to_str().ok())
        {
            None => return error(401, "Authorization header required", "OAUTH_017"),
            Some(token) if token != self.token => return error(401, "Token invalid", "OAUTH_025"),
            Some(_) => {}
        }
        let path = path_after(request, &["api", "v2"]).unwrap_or_default();
        match (request.method.as_str(), path.as_slice()) {
            ("GET", [task, id]) if task == "task" => match workspace.tasks.get(id) {
                Some(found) => ok(found.clone()),
                None => error(404, "Task not found, deleted", "ITEM_013"),
            },
            _ => error(404, "Route not found", "APP_001"),
        }
    }
}

fn error(status: u16, message: &str, code: &str) -> ResponseTemplate {
    ResponseTemplate::new(status).set_body_json(json!({"err": message, "ECODE": code}))
}
