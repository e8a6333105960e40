//! Playing the influencer on the local mailbox: a reply to our latest email in a negotiation,
//! written into the mail folder's inbox. The demo and the tests are the other side this way.

use std::path::{Path, PathBuf};

use negotiator_store::{Direction, MessageStatus, list_messages};

use super::{MailboxError, OutboundEmail, build_message};
use crate::{Agent, AgentError};

/// The influencer's side of a played reply.
#[derive(Clone, Debug)]
pub struct PlayedReply<'a> {
    /// Without angle brackets; also names the file.
    pub message_id: String,
    pub from_name: &'a str,
    pub from_address: &'a str,
    pub body: &'a str,
    /// Unix seconds for the Date header.
    pub date: i64,
}

/// Writes `reply` into `mail/inbox/` as an answer to the latest email we sent in negotiation
/// `negotiation_id`: addressed to the agent, in the same thread (In-Reply-To, References) and
/// under the thread's subject. Returns the file written.
pub async fn play_reply(
    agent: &Agent,
    mail: &Path,
    negotiation_id: i64,
    reply: &PlayedReply<'_>,
) -> Result<PathBuf, AgentError> {
    let sent: Vec<_> = list_messages(agent.store.pool(), negotiation_id)
        .await?
        .into_iter()
        .filter(|m| m.direction == Direction::Sent && m.status == MessageStatus::Sent)
        .filter_map(|m| m.rfc_message_id.map(|id| (id, m.subject)))
        .collect();
    let Some((last_id, subject)) = sent.last().cloned() else {
        return Err(AgentError::NotFound {
            what: "sent email to reply to in negotiation",
            id: negotiation_id.to_string(),
            hint: "",
        });
    };
    let email = OutboundEmail {
        message_id: reply.message_id.clone(),
        thread_id: None,
        from_name: reply.from_name.to_owned(),
        from_address: reply.from_address.to_owned(),
        to: agent.settings.agent_address.clone(),
        cc: Vec::new(),
        subject: if subject.starts_with("Re:") {
            subject
        } else {
            format!("Re: {subject}")
        },
        body: reply.body.to_owned(),
        in_reply_to: Some(last_id),
        references: sent.into_iter().map(|(id, _)| id).collect(),
        date: reply.date,
    };
    let raw = build_message(&email)?;
    let inbox = mail.join("inbox");
    let path = inbox.join(format!("{}.eml", reply.message_id));
    std::fs::create_dir_all(&inbox)
        .and_then(|()| std::fs::write(&path, raw))
        .map_err(|source| MailboxError::Folder {
            path: path.clone(),
            source,
        })?;
    Ok(path)
}
