//! Slack's `v0` request signature over the raw body, within five minutes: 401 when wrong, 503
//! with no signing secret configured.

use axum::http::{HeaderMap, StatusCode};
use negotiator_vendors::slack::verify_signature;

use crate::signed::{Refusal, Signer, reason_label};
use crate::state::AppState;

const TIMESTAMP: &str = "x-slack-request-timestamp";
const SIGNATURE: &str = "x-slack-signature";

/// `POST /slack/commands`, signed by Slack.
#[derive(Debug)]
pub struct SlackCommands;

/// `POST /slack/interactions`, signed by Slack.
#[derive(Debug)]
pub struct SlackInteractions;

impl Signer for SlackCommands {
    const SOURCE: &'static str = "slack_commands";

    fn verify(state: &AppState, headers: &HeaderMap, body: &[u8]) -> Result<(), Refusal> {
        verify(state, headers, body)
    }
}

impl Signer for SlackInteractions {
    const SOURCE: &'static str = "slack_interactions";

    fn verify(state: &AppState, headers: &HeaderMap, body: &[u8]) -> Result<(), Refusal> {
        verify(state, headers, body)
    }
}

fn verify(state: &AppState, headers: &HeaderMap, body: &[u8]) -> Result<(), Refusal> {
    let Some(secret) = &state.config.secrets.slack_signing_secret else {
        return Err(Refusal {
            status: StatusCode::SERVICE_UNAVAILABLE,
            reason: "no_secret".to_owned(),
            error: "Slack commands are not configured here: set SLACK_SIGNING_SECRET".to_owned(),
        });
    };
    let header = |name: &str| headers.get(name).and_then(|v| v.to_str().ok());
    verify_signature(
        secret,
        header(TIMESTAMP),
        body,
        header(SIGNATURE),
        state.agent.now(),
    )
    .map_err(|refused| Refusal {
        status: StatusCode::UNAUTHORIZED,
        reason: reason_label(&refused),
        error: refused.to_string(),
    })
}
