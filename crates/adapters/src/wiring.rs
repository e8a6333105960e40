//! Chooses an adapter for each port from the configuration: the production one where its
//! section and secret are present, the local one otherwise.

use std::sync::Arc;

use negotiator_store::Store;
use negotiator_vendors::clickup::{self, ClickUpClient};
use negotiator_vendors::google::ServiceAccountKey;

use negotiator_agent::AgentError;
use negotiator_agent::agent::Adapters;
use negotiator_agent::ports::roster::RowProblem;

use crate::campaign_source::ClickUpSource;
use crate::compose::TemplateComposer;
use crate::config::Config;
use crate::local::LocalPaths;
use crate::mailbox::gmail::GmailMailbox;
use crate::notify::slack::SlackNotifier;
use crate::roster::sheets::SheetsRoster;
use crate::roster::{CsvRoster, EXPECTED_COLUMNS};

/// The adapters `config` asks for; `print_notices` shows local notices on standard output.
pub fn adapters(
    config: &Config,
    store: &Store,
    print_notices: bool,
) -> Result<Adapters, AgentError> {
    let local = LocalPaths::under(&config.local.data_dir);
    let mut adapters = local.adapters(print_notices)?;
    let secrets = &config.secrets;
    if let (Some(slack), Some(token)) = (&config.slack, &secrets.slack_bot_token) {
        adapters.notifier = Arc::new(SlackNotifier::from_config(slack, token.clone())?);
    }
    let knowledge = crate::config::knowledge(config);
    knowledge.notify_through(adapters.notifier.clone());
    adapters.composer = Arc::new(TemplateComposer::new(knowledge.clone()));
    let local_ports = crate::llm::LlmPorts {
        classifier: adapters.classifier.clone(),
        composer: adapters.composer.clone(),
    };
    let llm = crate::llm::ports(
        config,
        store,
        adapters.notifier.clone(),
        local_ports,
        &knowledge,
    )?;
    (adapters.classifier, adapters.composer) = (llm.classifier, llm.composer);
    if let (Some(google), Some(path)) = (&config.google, &secrets.google_credentials) {
        let key = ServiceAccountKey::from_file(path)
            .map_err(|e| AgentError::Invalid(format!("GOOGLE_APPLICATION_CREDENTIALS: {e}")))?;
        if google.sheet_id.is_some() {
            adapters.roster = Arc::new(SheetsRoster::from_config(google, &key)?);
        }
        if google.gmail_user.is_some() {
            if let Some(problem) = mailbox_identity(config) {
                return Err(AgentError::Invalid(problem));
            }
            let mut mailbox = GmailMailbox::from_config(google, &key, store.clone())?;
            if let Some(push) = &config.gmail_push {
                push.auth().map_err(|missing| push_refused(&missing))?;
                if let Some(topic) = &push.topic {
                    mailbox = mailbox.with_push_topic(topic.trim());
                }
            }
            adapters.mailbox = Arc::new(mailbox);
        }
    }
    if config.gmail_push.is_some()
        && !config
            .google
            .as_ref()
            .is_some_and(|g| g.gmail_user.is_some() && secrets.google_credentials.is_some())
    {
        return Err(push_refused(&[
            "the Gmail mailbox ([google] gmail_user and GOOGLE_APPLICATION_CREDENTIALS)".to_owned(),
        ]));
    }
    if let (Some(clickup), Some(token)) = (&config.clickup, &secrets.clickup_api_token) {
        crate::campaign_source::clickup::check_mapping(&clickup.field_mapping)
            .map_err(|problems| AgentError::Invalid(problems.to_string()))?;
        let base = clickup
            .base_url
            .as_deref()
            .unwrap_or(clickup::DEFAULT_BASE_URL);
        let client = ClickUpClient::new(base, token.clone(), clickup::DEFAULT_TIMEOUT)?;
        adapters.campaign_source = Some(Arc::new(ClickUpSource {
            client,
            field_mapping: clickup.field_mapping.clone(),
        }));
    }
    Ok(adapters)
}

/// Gmail push is configured but cannot work: the settings it lacks, named.
fn push_refused(missing: &[String]) -> AgentError {
    AgentError::Invalid(format!(
        "[gmail_push] is configured but push cannot start without {}; set them, or remove \
         [gmail_push] to read the inbox by polling alone",
        missing.join(", ")
    ))
}

/// Why the production mailbox must not start: the agent does not know who it is, or it would
/// send from one mailbox and read another (its own mail would come back as a reply or a
/// takeover).
pub fn mailbox_identity(config: &Config) -> Option<String> {
    if let Some(error) = config.agent.identity_error() {
        return Some(format!("the Gmail mailbox does not start: {error}"));
    }
    let gmail_user = config.google.as_ref()?.gmail_user.as_deref()?.trim();
    let agent = config.agent.agent_address.trim();
    (!gmail_user.eq_ignore_ascii_case(agent)).then(|| {
        format!(
            "[agent] agent_address is {agent:?} but [google] gmail_user is {gmail_user:?}: they \
             must name the same mailbox, the one the agent sends from and reads replies in, or \
             its own emails come back as replies. Change whichever is wrong."
        )
    })
}

/// One finding of `negotiator doctor`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DoctorCheck {
    pub what: String,
    pub ok: bool,
    /// What was found, and what to do when it is wrong.
    pub detail: String,
}

impl DoctorCheck {
    fn new(what: impl Into<String>, result: Result<String, String>) -> Self {
        let (ok, detail) = match result {
            Ok(detail) => (true, detail),
            Err(detail) => (false, detail),
        };
        DoctorCheck {
            what: what.into(),
            ok,
            detail,
        }
    }
}

/// Checks each port's adapter: the local files, and for each configured service whether it
/// answers with the credentials given.
pub async fn doctor(config: &Config) -> Vec<DoctorCheck> {
    let local = LocalPaths::under(&config.local.data_dir);
    let secrets = &config.secrets;
    let mut checks = Vec::new();
    checks.push(DoctorCheck::new(
        "roster (local CSV)",
        CsvRoster::load(&local.roster)
            .map_err(|error| format!("{error}; the header must name {EXPECTED_COLUMNS}"))
            .and_then(|roster| {
                let found = format!(
                    "{} has {} usable influencer(s)",
                    local.roster.display(),
                    roster.influencers().len()
                );
                rows_check(found, roster.skipped())
            }),
    ));
    checks.push(DoctorCheck::new(
        "mailbox (local folder)",
        crate::mailbox::FolderMailbox::open(&local.mail)
            .map(|mailbox| {
                format!(
                    "sent mail goes to {}, replies are read from {}",
                    mailbox.outbox().display(),
                    mailbox.inbox().display()
                )
            })
            .map_err(|e| e.to_string()),
    ));

    checks.push(match (&config.slack, &secrets.slack_bot_token) {
        (Some(slack), Some(token)) => {
            DoctorCheck::new("Slack", slack_check(slack, token.clone()).await)
        }
        (Some(_), None) => DoctorCheck::new(
            "Slack",
            Err(
                "[slack] is configured but SLACK_BOT_TOKEN is not set; notices go to the terminal"
                    .into(),
            ),
        ),
        (None, _) => DoctorCheck::new(
            "Slack",
            Ok("not configured: notices go to the terminal".into()),
        ),
    });
    checks.push(match (&config.clickup, &secrets.clickup_api_token) {
        (Some(clickup), Some(token)) => {
            DoctorCheck::new("ClickUp", clickup_check(clickup, token.clone()).await)
        }
        (Some(_), None) => DoctorCheck::new(
            "ClickUp",
            Err("[clickup] is configured but CLICKUP_API_TOKEN is not set".into()),
        ),
        (None, _) => DoctorCheck::new(
            "ClickUp",
            Ok("not configured: campaigns come from `negotiator campaign import`".into()),
        ),
    });
    if config.clickup.is_some() && secrets.clickup_webhook_secret.is_none() {
        checks.push(DoctorCheck::new(
            "ClickUp webhook",
            Err(
                "CLICKUP_WEBHOOK_SECRET is not set, so /webhooks/clickup refuses every delivery; \
                 `negotiator clickup register-webhook` prints it"
                    .into(),
            ),
        ));
    }
    checks.push(DoctorCheck::new(
        "who the agent is",
        match (config.agent.identity_error(), mailbox_identity(config)) {
            (Some(error), _) => Err(error),
            (None, Some(mismatch)) if config.google.is_some() => Err(mismatch),
            _ => Ok(format!(
                "{} of {} signs the emails sent from {}",
                config.agent.sender.name, config.agent.sender.team, config.agent.agent_address
            )),
        },
    ));
    checks.push(match (&config.google, &secrets.google_credentials) {
        (Some(google), Some(path)) => DoctorCheck::new("Google", google_check(google, path).await),
        (Some(_), None) => DoctorCheck::new(
            "Google",
            Err("[google] is configured but GOOGLE_APPLICATION_CREDENTIALS is not set; the local roster and mail folder are used".into()),
        ),
        (None, _) => DoctorCheck::new(
            "Google",
            Ok("not configured: the local roster CSV and mail folder are used".into()),
        ),
    });
    checks.push(DoctorCheck::new(
        "knowledge base",
        crate::config::knowledge_check(config),
    ));
    for (what, result) in crate::llm::doctor::checks(config).await {
        checks.push(DoctorCheck::new(what, result));
    }
    checks
}

/// How many skipped rows `negotiator doctor` lists one by one.
const LISTED_ROWS: usize = 20;

/// `found` when no row is skipped; otherwise a failure listing the skipped rows.
fn rows_check(found: String, skipped: &[RowProblem]) -> Result<String, String> {
    if skipped.is_empty() {
        return Ok(found);
    }
    let mut lines = vec![format!(
        "{found}; {} row(s) are skipped until fixed:",
        skipped.len()
    )];
    lines.extend(
        skipped
            .iter()
            .take(LISTED_ROWS)
            .map(|p| format!("  row {}, column {:?}: {}", p.row, p.column, p.problem)),
    );
    if skipped.len() > LISTED_ROWS {
        lines.push(format!("  … and {} more", skipped.len() - LISTED_ROWS));
    }
    Err(lines.join("\n"))
}

async fn slack_check(
    slack: &crate::config::SlackConfig,
    token: negotiator_vendors::Secret,
) -> Result<String, String> {
    let notifier = SlackNotifier::from_config(slack, token).map_err(|e| e.to_string())?;
    let who = notifier
        .client()
        .auth_test()
        .await
        .map_err(|e| e.to_string())?;
    let mut found = Vec::new();
    for (key, channel) in notifier.channels() {
        let info = notifier
            .client()
            .conversation_info(channel)
            .await
            .map_err(|e| format!("channel {channel} ({key:?}): {e}"))?;
        if info.is_member == Some(false) {
            return Err(format!(
                "channel {channel} ({key:?}) exists but the app is not in it; invite it with /invite"
            ));
        }
        found.push(format!(
            "{key:?} → #{}",
            info.name.as_deref().unwrap_or(channel)
        ));
    }
    let unrouted = notifier.unrouted_kinds();
    if !unrouted.is_empty() {
        return Err(format!(
            "no channel for {unrouted:?} notices; set `default` (or each kind) under [slack.channels]"
        ));
    }
    Ok(format!(
        "token valid ({who:?}); channels: {}",
        found.join(", ")
    ))
}

async fn clickup_check(
    clickup: &crate::config::ClickUpConfig,
    token: negotiator_vendors::Secret,
) -> Result<String, String> {
    crate::campaign_source::clickup::check_mapping(&clickup.field_mapping)
        .map_err(|p| p.to_string())?;
    let base = clickup
        .base_url
        .as_deref()
        .unwrap_or(clickup::DEFAULT_BASE_URL);
    let client =
        ClickUpClient::new(base, token, clickup::DEFAULT_TIMEOUT).map_err(|e| e.to_string())?;
    let user = client.authorized_user().await.map_err(|e| e.to_string())?;
    let mut detail = format!("token valid ({user:?})");
    if let Some(list) = &clickup.list_id {
        let fields = client.list_fields(list).await.map_err(|e| e.to_string())?;
        let table =
            crate::campaign_source::clickup::fields_table(&fields, Some(&clickup.field_mapping));
        if !table.unmatched.is_empty() {
            return Err(format!(
                "list {list} has no fields named {:?}; `negotiator clickup fields --list {list}` \
                 shows the names to map",
                table.unmatched
            ));
        }
        detail.push_str(&format!("; list {list} has every mapped field"));
    }
    Ok(detail)
}

async fn google_check(
    google: &crate::config::GoogleConfig,
    path: &std::path::Path,
) -> Result<String, String> {
    let key = ServiceAccountKey::from_file(path).map_err(|e| e.to_string())?;
    let mut found = vec![format!("key for {}", key.client_email())];
    if google.sheet_id.is_some() {
        let roster = SheetsRoster::from_config(google, &key).map_err(|e| e.to_string())?;
        let rows = roster.rows().await.map_err(|e| e.to_string())?;
        let readable = format!(
            "roster sheet readable ({} usable influencer(s))",
            rows.influencers().len()
        );
        found.push(rows_check(readable, rows.skipped())?);
    }
    if google.gmail_user.is_some() {
        // Asking for the profile moves no cursor; a throwaway store stands in for the real one.
        let store = Store::open(&std::env::temp_dir().join("negotiator-doctor.db"))
            .await
            .map_err(|e| e.to_string())?;
        let mailbox = GmailMailbox::from_config(google, &key, store).map_err(|e| e.to_string())?;
        mailbox
            .gmail()
            .profile(mailbox.user())
            .await
            .map_err(|e| e.to_string())?;
        found.push(format!("Gmail mailbox {} readable", mailbox.user()));
    }
    Ok(found.join("; "))
}
