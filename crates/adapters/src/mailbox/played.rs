//! Playing the influencer on the local mailbox: a reply to our latest email in a negotiation
//! (a person's, or their responder's), or their mail server's bounce of it, written into the
//! mail folder's inbox. The demo and the tests are the other side this way.

use std::path::{Path, PathBuf};

use negotiator_domain::EmailAddress;
use negotiator_store::{Direction, MessageStatus, list_messages};

use negotiator_agent::ports::mailbox::{MailboxError, OutboundEmail};
use negotiator_agent::{Agent, AgentError};

use super::build_message;

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
    /// Sent by their out-of-office responder (`Auto-Submitted: auto-replied`).
    pub automatic: bool,
}

/// A delivery failure of our latest email, as their mail server reports it.
#[derive(Clone, Debug)]
pub struct PlayedBounce<'a> {
    /// Without angle brackets; also names the file.
    pub message_id: String,
    /// The enhanced status, such as `5.1.1`.
    pub status: &'a str,
    /// What their server said.
    pub diagnostic: &'a str,
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
    let sent = sent(agent, negotiation_id).await?;
    let Some((last_id, subject, _)) = sent.last().cloned() else {
        return Err(nothing_sent(negotiation_id));
    };
    let email = OutboundEmail {
        message_id: reply.message_id.clone(),
        thread_id: None,
        from_name: reply.from_name.to_owned(),
        from_address: reply.from_address.to_owned(),
        to: EmailAddress::parse(agent.settings.agent_address.trim())
            .map_err(|e| AgentError::Invalid(format!("[agent] agent_address {e}")))?,
        cc: Vec::new(),
        subject: if subject.starts_with("Re:") {
            subject
        } else {
            format!("Re: {subject}")
        },
        body: reply.body.to_owned(),
        in_reply_to: Some(last_id),
        references: sent.into_iter().map(|(id, ..)| id).collect(),
        date: reply.date,
    };
    let mut raw = Vec::new();
    if reply.automatic {
        raw.extend_from_slice(b"Auto-Submitted: auto-replied\r\n");
    }
    raw.extend_from_slice(&build_message(&email)?);
    deliver(mail, &reply.message_id, &raw)
}

/// Writes `bounce` into `mail/inbox/`: an RFC 3464 delivery status notification from the
/// mailer daemon of the recipient's domain, about the latest email we sent in negotiation
/// `negotiation_id`, carrying its headers. Returns the file written.
pub async fn play_bounce(
    agent: &Agent,
    mail: &Path,
    negotiation_id: i64,
    bounce: &PlayedBounce<'_>,
) -> Result<PathBuf, AgentError> {
    let sent = sent(agent, negotiation_id).await?;
    let Some((last_id, subject, to)) = sent.last().cloned() else {
        return Err(nothing_sent(negotiation_id));
    };
    let to = EmailAddress::parse(to.trim())
        .map_err(|e| AgentError::corrupt(format!("a sent message's recipient {e}")))?;
    let agent_address = agent.settings.agent_address.trim();
    let domain = to.domain();
    let date = jiff::Timestamp::from_second(bounce.date)
        .unwrap_or(jiff::Timestamp::UNIX_EPOCH)
        .strftime("%a, %d %b %Y %H:%M:%S +0000");
    let (status, diagnostic) = (bounce.status, bounce.diagnostic);
    let raw = format!(
        "From: Mail Delivery System <mailer-daemon@{domain}>\r\n\
         To: {agent_address}\r\n\
         Subject: Undelivered Mail Returned to Sender\r\n\
         Message-ID: <{id}>\r\n\
         Date: {date}\r\n\
         Auto-Submitted: auto-replied\r\n\
         MIME-Version: 1.0\r\n\
         Content-Type: multipart/report; report-type=delivery-status; boundary=\"dsn\"\r\n\
         \r\n\
         --dsn\r\n\
         Content-Type: text/plain; charset=us-ascii\r\n\
         \r\n\
         Your message could not be delivered to {to}: {diagnostic}\r\n\
         \r\n\
         --dsn\r\n\
         Content-Type: message/delivery-status\r\n\
         \r\n\
         Reporting-MTA: dns; mx.{domain}\r\n\
         \r\n\
         Final-Recipient: rfc822; {to}\r\n\
         Action: failed\r\n\
         Status: {status}\r\n\
         Diagnostic-Code: smtp; {diagnostic}\r\n\
         \r\n\
         --dsn\r\n\
         Content-Type: text/rfc822-headers\r\n\
         \r\n\
         Message-ID: <{last_id}>\r\n\
         From: {agent_address}\r\n\
         To: {to}\r\n\
         Subject: {subject}\r\n\
         \r\n\
         --dsn--\r\n",
        id = bounce.message_id,
    );
    deliver(mail, &bounce.message_id, raw.as_bytes())
}

/// The emails we sent in a negotiation, oldest first: Message-ID, subject, recipient.
async fn sent(
    agent: &Agent,
    negotiation_id: i64,
) -> Result<Vec<(String, String, String)>, AgentError> {
    Ok(list_messages(agent.store.db(), negotiation_id)
        .await?
        .into_iter()
        .filter(|m| m.direction == Direction::Sent && m.status == MessageStatus::Sent)
        .filter_map(|m| m.rfc_message_id.map(|id| (id, m.subject, m.to_addr)))
        .collect())
}

fn nothing_sent(negotiation_id: i64) -> AgentError {
    AgentError::NotFound {
        what: "sent email to reply to in negotiation",
        id: negotiation_id.to_string(),
        hint: "",
    }
}

/// Writes `raw` as `inbox/<message_id>.eml`.
fn deliver(mail: &Path, message_id: &str, raw: &[u8]) -> Result<PathBuf, AgentError> {
    let inbox = mail.join("inbox");
    let path = inbox.join(format!("{message_id}.eml"));
    std::fs::create_dir_all(&inbox)
        .and_then(|()| std::fs::write(&path, raw))
        .map_err(|source| MailboxError::Folder {
            path: path.clone(),
            source,
        })?;
    Ok(path)
}
