//! `/sending pause|resume|status`: the stop switch for every outbound email, from Slack.

use negotiator_agent::workflows::pacing;
use negotiator_agent::{Agent, AgentError};
use negotiator_store::sending_switch;
use negotiator_vendors::slack::escape_mrkdwn;

use super::grammar::SendingAction;
use super::reply::Reply;

/// Runs `/sending` for `by`; a change is told to the channel.
pub async fn sending(agent: &Agent, action: SendingAction, by: &str) -> Result<Reply, AgentError> {
    let who = escape_mrkdwn(by);
    Ok(match action {
        SendingAction::Pause => {
            if pacing::switch(agent, true, by).await? {
                Reply::note(format!(
                    ":octagonal_sign: {who} paused all sending: no email goes out, of any \
                     campaign, until `/sending resume`. Nothing is lost."
                ))
                .to_channel()
            } else {
                Reply::note("Sending was already paused.")
            }
        }
        SendingAction::Resume => {
            let held = agent.store.held_jobs().await?;
            if pacing::switch(agent, false, by).await? {
                Reply::note(format!(
                    ":arrow_forward: {who} resumed sending: {held} held job(s) go out in the \
                     order they were queued."
                ))
                .to_channel()
            } else {
                Reply::note("Sending was not paused.")
            }
        }
        SendingAction::Status => Reply::note(
            paused_line(agent)
                .await?
                .unwrap_or_else(|| "Sending runs: nothing is paused.".to_owned()),
        ),
    })
}

/// The board's line while sending is paused: by whom, since when.
pub async fn paused_line(agent: &Agent) -> Result<Option<String>, AgentError> {
    Ok(sending_switch(agent.store.db())
        .await?
        .filter(|switch| switch.paused)
        .map(|switch| {
            format!(
                ":octagonal_sign: *Sending is paused* (by {} since {}): no email goes out until \
                 `/sending resume` or `negotiator resume --all`.",
                escape_mrkdwn(&switch.changed_by),
                switch.changed_at.strftime("%Y-%m-%d %H:%M UTC")
            )
        }))
}
