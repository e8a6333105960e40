//! `POST /slack/interactions`: clicks on notice buttons (`block_actions`) and the modals'
//! submissions (`view_submission`: the counter's amount, an approval's confirmation). A click
//! is acknowledged with an empty 200 and its outcome goes through the `response_url`; a
//! submission that cannot be carried out is answered in the modal itself.

use crate::chatops::approve::{self, Approved};
use crate::chatops::counter::{self, Countered};
use crate::chatops::{self, BlockActions, Click, Interaction, Pressed, Reply, ViewSubmission};
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use negotiator_vendors::slack::escape_mrkdwn;

use super::deadline::{self, InTime};
use super::form::Form;
use super::outbound;
use super::signature::SlackInteractions;
use crate::error::HttpError;
use crate::signed::Signed;
use crate::state::AppState;

pub async fn interactions(
    State(state): State<AppState>,
    Signed(body, ..): Signed<SlackInteractions>,
) -> Response {
    let form = Form::parse(&body);
    let Some(payload) = form.get("payload") else {
        return bad_request("an interaction must carry a `payload` field");
    };
    match Interaction::parse(payload) {
        Ok(Interaction::BlockActions(click)) => block_actions(state, click).await,
        Ok(Interaction::ViewSubmission(submission)) => view_submission(state, submission).await,
        Ok(Interaction::Other) => StatusCode::OK.into_response(),
        Err(error) => bad_request(&format!(
            "the payload is not an interaction Slack sends: {error}"
        )),
    }
}

fn bad_request(error: &str) -> Response {
    HttpError::bad_request(error).into_response()
}

/// A click: carried out (within the deadline when it can be), with the outcome sent through
/// the click's `response_url`; Counter opens the amount modal instead.
async fn block_actions(state: AppState, click: BlockActions) -> Response {
    let Some(action) = click.actions.first().cloned() else {
        return StatusCode::OK.into_response();
    };
    let by = click.user.display();
    metrics::counter!("negotiator_slack_clicks_total", "action" => known(&action.action_id))
        .increment(1);
    tracing::info!(action = %known(&action.action_id), user = %click.user.id, "Slack button clicked");
    let work_state = state.clone();
    let work = async move {
        let pressed = chatops::press(
            &work_state.agent,
            &Click {
                action_id: &action.action_id,
                value: action.value.as_deref(),
                by: &by,
                message: click.message.as_ref(),
                response_url: click.response_url.as_deref(),
            },
        )
        .await;
        let reply = match pressed {
            Ok(Pressed::Reply(reply)) => reply,
            Ok(Pressed::OpenModal(view)) => {
                match outbound::open_view(&work_state, click.trigger_id.as_deref(), &view).await {
                    Ok(()) => return,
                    Err(reply) => reply,
                }
            }
            Err(error) => chatops::failure(&error),
        };
        outbound::respond(&work_state, click.response_url.as_deref(), &reply).await;
    };
    // The answer goes through the response_url either way; waiting lets a quick click finish
    // before Slack hears back, and a slow one carries on in its task.
    let _ = deadline::within(work).await;
    StatusCode::OK.into_response()
}

/// The action label for metrics: one of ours, or "other".
fn known(action_id: &str) -> &'static str {
    negotiator_adapters::notify::slack::SlackAction::from_action_id(action_id)
        .map_or("other", |a| a.action_id())
}

/// The counter modal submitted: a bad amount, or a decision no longer waiting, is shown on
/// the amount input; a counter made is told to the channel through the notice's
/// `response_url` and the modal closes.
async fn view_submission(state: AppState, submission: ViewSubmission) -> Response {
    if submission.view.callback_id == approve::CALLBACK_ID {
        return approval_confirmed(state, submission).await;
    }
    if submission.view.callback_id != counter::CALLBACK_ID {
        return StatusCode::OK.into_response();
    }
    let (context, rate) = match counter::read(&submission.view) {
        Ok(read) => read,
        Err(message) => return Json(counter::field_error(&message)).into_response(),
    };
    let by = submission.user.display();
    tracing::info!(user = %submission.user.id, negotiation = context.negotiation_id, "counter submitted from Slack");
    let agent = state.agent.clone();
    let work_context = context.clone();
    let work = async move { counter::counter(&agent, &work_context, rate, &by).await };
    let response_url = context.response_url.clone();
    match deadline::within(work).await {
        InTime::Done(Ok(Countered::Done(reply))) => {
            tokio::spawn(async move {
                outbound::respond(&state, response_url.as_deref(), &reply).await;
            });
            StatusCode::OK.into_response()
        }
        InTime::Done(Ok(Countered::Refused(message))) => {
            Json(counter::field_error(&message)).into_response()
        }
        InTime::Done(Err(error)) => {
            tracing::error!(%error, "a counter from Slack failed");
            Json(counter::field_error(&format!(
                "That did not work: {error}. Try again."
            )))
            .into_response()
        }
        InTime::Panicked => {
            Json(counter::field_error("That did not work; try again.")).into_response()
        }
        InTime::Late(task) => {
            tokio::spawn(async move {
                let reply = match task.await {
                    Ok(Ok(Countered::Done(reply))) => reply,
                    Ok(Ok(Countered::Refused(message))) => Reply::note(escape_mrkdwn(&message)),
                    Ok(Err(error)) => chatops::failure(&error),
                    Err(error) => {
                        tracing::error!(%error, "a slow counter from Slack failed");
                        Reply::note("That counter did not work; try again.")
                    }
                };
                outbound::respond(&state, response_url.as_deref(), &reply).await;
            });
            StatusCode::OK.into_response()
        }
    }
}

/// The approval confirmed in its modal: carried out if nothing moved since it opened; the
/// outcome goes to the channel, and a refusal replaces the form.
async fn approval_confirmed(state: AppState, submission: ViewSubmission) -> Response {
    let context = match approve::read(&submission.view) {
        Ok(context) => context,
        Err(message) => return Json(approve::not_done(&message)).into_response(),
    };
    let by = submission.user.display();
    tracing::info!(user = %submission.user.id, negotiation = context.negotiation_id, "approval confirmed from Slack");
    let agent = state.agent.clone();
    let work_context = context.clone();
    let work = async move { approve::confirm(&agent, &work_context, &by).await };
    let response_url = context.response_url.clone();
    let reply = match deadline::within(work).await {
        InTime::Done(Ok(Approved::Done(reply))) => reply,
        InTime::Done(Ok(Approved::Refused(message))) => {
            return Json(approve::not_done(&message)).into_response();
        }
        InTime::Done(Err(error)) => {
            tracing::error!(%error, "an approval from Slack failed");
            return Json(approve::not_done(&format!(
                "That did not work: {error}. Try again."
            )))
            .into_response();
        }
        InTime::Panicked => {
            return Json(approve::not_done("That did not work; try again.")).into_response();
        }
        InTime::Late(task) => {
            tokio::spawn(async move {
                let reply = match task.await {
                    Ok(Ok(Approved::Done(reply))) => reply,
                    Ok(Ok(Approved::Refused(message))) => Reply::note(escape_mrkdwn(&message)),
                    Ok(Err(error)) => chatops::failure(&error),
                    Err(error) => {
                        tracing::error!(%error, "a slow approval from Slack failed");
                        Reply::note("That approval did not work; try again.")
                    }
                };
                outbound::respond(&state, response_url.as_deref(), &reply).await;
            });
            return StatusCode::OK.into_response();
        }
    };
    tokio::spawn(async move {
        outbound::respond(&state, response_url.as_deref(), &reply).await;
    });
    StatusCode::OK.into_response()
}
