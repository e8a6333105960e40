//! Calls back to Slack: answers through a `response_url`, and `views.open` for the counter
//! modal. The client is built from `[slack] base_url` and `SLACK_BOT_TOKEN` (the token only
//! goes to Slack's Web API, never to a `response_url`).

use std::time::Duration;

use crate::chatops::Reply;
use negotiator_vendors::slack::{DEFAULT_BASE_URL, SlackClient};
use negotiator_vendors::{ErrorKind, Secret, VendorError};

use crate::state::AppState;

/// How long one call back to Slack may take.
const TIMEOUT: Duration = Duration::from_secs(10);

/// A Slack client for this configuration.
pub fn client(state: &AppState) -> Result<SlackClient, VendorError> {
    let base_url = state
        .config
        .slack
        .as_ref()
        .and_then(|s| s.base_url.as_deref())
        .unwrap_or(DEFAULT_BASE_URL);
    let token = state
        .config
        .secrets
        .slack_bot_token
        .clone()
        .unwrap_or_else(|| Secret::new(""));
    SlackClient::new(base_url, token, TIMEOUT)
}

/// Sends `reply` through `response_url`. Failures are logged (without the URL, which is a
/// credential of its own); there is nobody else to tell.
pub async fn respond(state: &AppState, response_url: Option<&str>, reply: &Reply) {
    let Some(url) = response_url.filter(|u| !u.trim().is_empty()) else {
        tracing::warn!("Slack sent no response_url; an answer could not be delivered");
        return;
    };
    let sent = match client(state) {
        Ok(slack) => {
            slack
                .respond(
                    url,
                    &reply.message,
                    reply.in_channel(),
                    reply.replaces_original(),
                )
                .await
        }
        Err(error) => Err(error),
    };
    match sent {
        Ok(()) => {
            metrics::counter!("negotiator_slack_responses_total", "outcome" => "ok").increment(1)
        }
        Err(error) => {
            metrics::counter!("negotiator_slack_responses_total", "outcome" => "failed")
                .increment(1);
            tracing::warn!(%error, "could not answer through Slack's response_url");
        }
    }
}

/// Opens `view` for the person whose click made `trigger_id`; the answer for them when
/// Slack would not.
pub async fn open_view(
    state: &AppState,
    trigger_id: Option<&str>,
    view: &serde_json::Value,
) -> Result<(), Reply> {
    let Some(trigger_id) = trigger_id.filter(|t| !t.is_empty()) else {
        return Err(Reply::note(
            "Slack sent nothing to open the counter form with; click Counter again.",
        ));
    };
    let opened = match client(state) {
        Ok(slack) => slack.views_open(trigger_id, view).await,
        Err(error) => Err(error),
    };
    let Err(error) = opened else {
        return Ok(());
    };
    tracing::warn!(%error, "Slack would not open the counter form");
    let answer = match error.kind {
        ErrorKind::RateLimited | ErrorKind::Throttled => format!(
            "Slack is rate-limiting this app; click Counter again in {} s.",
            error.retry_after.map_or(30, |w| w.as_secs().max(1))
        ),
        ErrorKind::Unauthorized => "Slack refused the app's token, so the counter form could not \
             open: check SLACK_BOT_TOKEN (`negotiator doctor` tests it)."
            .to_owned(),
        _ => format!(
            "Slack would not open the counter form ({}); click Counter again.",
            negotiator_vendors::slack::escape_mrkdwn(&error.message)
        ),
    };
    Err(Reply::note(answer))
}
