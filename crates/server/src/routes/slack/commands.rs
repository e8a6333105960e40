//! `POST /slack/commands`: `/audit`, `/claim`, `/resume` and `/negotiations`. The answer
//! comes back in the response when it is ready within Slack's three seconds; otherwise the
//! person sees "working on it" and the answer follows through the `response_url`.

use crate::chatops::{self, CommandName, Reply};
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use tokio::task::JoinHandle;

use super::deadline::{self, InTime};
use super::form::Form;
use super::outbound;
use super::signature::SlackCommands;
use crate::signed::Signed;
use crate::state::AppState;

pub async fn commands(
    State(state): State<AppState>,
    Signed(body, ..): Signed<SlackCommands>,
) -> Response {
    let form = Form::parse(&body);
    if form.get("ssl_check") == Some("1") {
        return StatusCode::OK.into_response();
    }
    let command = form.get("command").unwrap_or_default();
    let text = form.get("text").unwrap_or_default();
    let by = person(form.get("user_name"), form.get("user_id"));
    let label = CommandName::from_command(command).map_or("unknown", |c| &c.as_str()[1..]);
    metrics::counter!("negotiator_slack_commands_total", "command" => label).increment(1);
    tracing::info!(
        command = label,
        user = form.get("user_id").unwrap_or_default(),
        "Slack command"
    );

    let parsed = match chatops::parse(command, text) {
        Ok(parsed) => parsed,
        Err(usage) => return answer(&chatops::usage_reply(&usage)),
    };
    let agent = state.agent.clone();
    let work = async move { chatops::run(&agent, &parsed, &by).await };
    match deadline::within(work).await {
        InTime::Done(reply) => answer(&reply),
        InTime::Panicked => answer(&Reply::note(
            "That did not work: something broke while answering. Try again, or use the CLI.",
        )),
        InTime::Late(task) => {
            let response_url = form.get("response_url").map(str::to_owned);
            tokio::spawn(follow_up(state, response_url, task));
            answer(&Reply::note(
                "Working on it: the answer follows here in a moment.",
            ))
        }
    }
}

/// The answer, once the work that outran the deadline is done.
async fn follow_up(state: AppState, response_url: Option<String>, task: JoinHandle<Reply>) {
    let reply = match task.await {
        Ok(reply) => reply,
        Err(error) => {
            tracing::error!(%error, "a slow Slack command failed");
            Reply::note("That did not work: something broke while answering. Try again.")
        }
    };
    outbound::respond(&state, response_url.as_deref(), &reply).await;
}

fn answer(reply: &Reply) -> Response {
    (StatusCode::OK, Json(reply.body())).into_response()
}

/// Who typed the command, as the audit trail records them: the Slack user name, else the id.
fn person(user_name: Option<&str>, user_id: Option<&str>) -> String {
    let name = [user_name, user_id]
        .into_iter()
        .flatten()
        .map(str::trim)
        .find(|n| !n.is_empty())
        .unwrap_or("someone in Slack");
    name.chars().filter(|c| !c.is_control()).take(80).collect()
}
