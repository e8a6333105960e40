//! Raw RFC 5322 bytes to [`InboundEmail`]: ids, addresses, subject, date and the text body.

use mail_parser::{
    Addr, Address, HeaderValue, Message, MessageParser, MessagePart, MimeHeaders, PartType,
};
use serde::{Deserialize, Serialize};

use super::html::html_to_text;

/// One address of a From/To/Cc header.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Mailbox {
    /// Display name, if the header has one.
    pub name: Option<String>,
    /// The address, trimmed and lowercased.
    pub address: String,
}

/// What the agent needs from one inbound message.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InboundEmail {
    /// Message-ID without angle brackets.
    pub message_id: Option<String>,
    /// First id of In-Reply-To, without angle brackets.
    pub in_reply_to: Option<String>,
    /// References, oldest first, without angle brackets.
    pub references: Vec<String>,
    pub from: Option<Mailbox>,
    pub to: Vec<Mailbox>,
    pub cc: Vec<Mailbox>,
    /// Subject, trimmed; empty when absent.
    pub subject: String,
    /// Date header as unix seconds.
    pub date: Option<i64>,
    /// Full text body: the first non-blank text/plain part, else the HTML part as text
    /// (quoted material dropped), else empty.
    pub body: String,
    /// The first HTML part, as sent.
    pub html: Option<String>,
}

/// Why a message could not be parsed at all.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ParseError {
    #[error("the message is empty")]
    Empty,
    #[error("no RFC 5322 header section found ({len} bytes)")]
    NoHeaders { len: usize },
    #[error("the MIME parser failed on this message ({len} bytes)")]
    ParserFailed { len: usize },
}

/// Parses a raw message (LF or CRLF line endings).
pub fn parse_message(raw: &[u8]) -> Result<InboundEmail, ParseError> {
    if raw.iter().all(u8::is_ascii_whitespace) {
        return Err(ParseError::Empty);
    }
    let len = raw.len();
    // mail-parser has `debug_assert!`s on some malformed MIME nesting (release builds
    // recover); a debug build must fail this one message, not the worker.
    let parsed = std::panic::catch_unwind(|| parse_raw(raw))
        .map_err(|_| ParseError::ParserFailed { len })?;
    let msg = parsed.ok_or(ParseError::NoHeaders { len })?;
    Ok(inbound_from(&msg))
}

/// Parses one address header value such as `"Jane Doe" <Jane@X.com>` or `jane@x.com`.
/// Returns `None` unless an address with a local part and a domain is found.
pub fn parse_address(header_value: &str) -> Option<Mailbox> {
    let value = header_value.replace(['\r', '\n'], " ");
    let raw = format!("From: {value}\r\n\r\n");
    let msg = parse_raw(raw.as_bytes())?;
    let mailbox = msg.from()?.iter().find_map(mailbox_from)?;
    let (local, domain) = mailbox.address.split_once('@')?;
    let valid = !local.is_empty() && !domain.is_empty() && !domain.contains(['<', '>', '@']);
    valid.then_some(mailbox)
}

/// The header accessors of mail-parser index `parts[0]`, so a message without it is refused.
fn parse_raw(raw: &[u8]) -> Option<Message<'_>> {
    MessageParser::default()
        .parse(raw)
        .filter(|msg| !msg.parts.is_empty() && !msg.headers().is_empty())
}

fn inbound_from(msg: &Message<'_>) -> InboundEmail {
    let html = first_html(msg);
    InboundEmail {
        message_id: msg.message_id().and_then(clean_id),
        in_reply_to: ids(msg.in_reply_to()).into_iter().next(),
        references: ids(msg.references()),
        from: msg
            .from()
            .and_then(|from| from.iter().find_map(mailbox_from)),
        to: mailboxes(msg.to()),
        cc: mailboxes(msg.cc()),
        subject: msg.subject().unwrap_or_default().trim().to_owned(),
        date: msg
            .date()
            .filter(|d| d.is_valid())
            .map(|d| d.to_timestamp()),
        body: body_text(msg, html.as_deref()),
        html,
    }
}

fn clean_id(id: &str) -> Option<String> {
    let id = id
        .trim()
        .trim_start_matches('<')
        .trim_end_matches('>')
        .trim();
    (!id.is_empty()).then(|| id.to_owned())
}

fn ids(value: &HeaderValue<'_>) -> Vec<String> {
    value
        .as_text_list()
        .unwrap_or_default()
        .iter()
        .filter_map(|id| clean_id(id))
        .collect()
}

fn mailbox_from(addr: &Addr<'_>) -> Option<Mailbox> {
    let address = addr.address.as_deref()?.trim().to_lowercase();
    if address.is_empty() {
        return None;
    }
    let name = addr
        .name
        .as_deref()
        .map(str::trim)
        .filter(|name| !name.is_empty())
        .map(str::to_owned);
    Some(Mailbox { name, address })
}

fn mailboxes(address: Option<&Address<'_>>) -> Vec<Mailbox> {
    address.map_or_else(Vec::new, |a| a.iter().filter_map(mailbox_from).collect())
}

/// The body to read: the first text/plain body part with visible content, else the HTML
/// body as text, else the first inline text part a broken multipart left outside the body
/// (so a reply is never lost to a bad boundary), else a blank text part, else empty.
fn body_text(msg: &Message<'_>, html: Option<&str>) -> String {
    let texts: Vec<&str> = msg
        .text_bodies()
        .filter_map(|part| match &part.body {
            PartType::Text(text) => Some(text.as_ref()),
            _ => None,
        })
        .collect();
    if let Some(text) = texts.iter().find(|text| !text.trim().is_empty()) {
        return (*text).to_owned();
    }
    if let Some(html) = html {
        return html_to_text(html);
    }
    let stray = msg.parts.iter().find_map(|part| match &part.body {
        PartType::Text(text) if !text.trim().is_empty() && !is_attachment(part) => {
            Some(text.as_ref())
        }
        _ => None,
    });
    stray
        .or(texts.first().copied())
        .unwrap_or_default()
        .to_owned()
}

fn is_attachment(part: &MessagePart<'_>) -> bool {
    part.content_disposition()
        .is_some_and(|disposition| disposition.is_attachment())
}

fn first_html(msg: &Message<'_>) -> Option<String> {
    msg.html_bodies().find_map(|part| match &part.body {
        PartType::Html(html) => Some(html.to_string()),
        _ => None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_a_broken_multipart_leaves_outside_the_body_is_kept() {
        // The boundary never occurs, so the parser files the text as an attachment.
        let raw =
            b"From: jane@x.com\nContent-Type: multipart/mixed; boundary=\"ab\"\n\nI accept $500.\n";
        let msg = parse_message(raw).unwrap();
        assert_eq!(msg.body, "I accept $500.\n");
    }

    #[test]
    fn a_text_attachment_is_not_the_body() {
        let raw = b"From: jane@x.com\nContent-Type: multipart/mixed; boundary=b\n\n--b\n\
            Content-Type: text/plain\nContent-Disposition: attachment; filename=rates.txt\n\n\
            $900 per post\n--b--\n";
        assert_eq!(parse_message(raw).unwrap().body, "");
    }

    #[test]
    fn html_beats_a_blank_text_part() {
        let raw = b"From: jane@x.com\nContent-Type: multipart/alternative; boundary=b\n\n--b\n\
            Content-Type: text/plain\n\n \n--b\nContent-Type: text/html\n\n<p>Sounds good</p>\n--b--\n";
        assert_eq!(parse_message(raw).unwrap().body, "Sounds good");
    }
}
