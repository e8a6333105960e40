//! What the detectors read from the raw message: its top-level headers, its content type, the
//! delivery-status parts of a report, the bounced message's id, and the notice text.

use mail_parser::{MessageParser, MessagePart, MimeHeaders, PartType};

use crate::mail::html_to_text;

/// The most of a raw message scanned as text when its parts cannot be read (a garbled DSN).
const RAW_TEXT_LIMIT: usize = 256 * 1024;

/// One message as the detectors see it. Built from any bytes; a part that cannot be read is
/// left out, never an error.
#[derive(Debug, Default)]
pub(crate) struct MailView {
    /// Top-level headers in order: lowercased name, unfolded and trimmed value.
    pub headers: Vec<(String, String)>,
    /// `type/subtype` of the whole message, lowercased ("multipart/report").
    pub content_type: String,
    /// The `report-type` parameter of a multipart/report, lowercased.
    pub report_type: Option<String>,
    /// The text of each message/delivery-status part.
    pub delivery_status: Vec<String>,
    /// The delivery-status parts of an attached message (a bounce returned inside another
    /// notice): read for their fields, never to decide that the message is a bounce.
    pub attached_delivery_status: Vec<String>,
    /// Whether a message/disposition-notification part (a read receipt) is present.
    pub disposition_notification: bool,
    /// Message-ID of the returned message, from a message/rfc822 or text/rfc822-headers part.
    pub original_message_id: Option<String>,
    /// The text parts outside any attached message: the notice a bounce explains itself in.
    pub notice: String,
    /// The raw message as (lossy) text, for a report whose parts are broken.
    pub raw_text: String,
}

impl MailView {
    /// Reads `raw`; a message the parser cannot read gives a view with only `raw_text`.
    pub fn read(raw: &[u8]) -> Self {
        let raw_text = String::from_utf8_lossy(&raw[..raw.len().min(RAW_TEXT_LIMIT)]).into_owned();
        // mail-parser has debug assertions a malformed message can trip (see parse.rs).
        let parsed = std::panic::catch_unwind(|| {
            MessageParser::default()
                .parse(raw)
                .filter(|msg| !msg.parts.is_empty())
                .map(|msg| Self::from_message(&msg))
        });
        let mut view = parsed.ok().flatten().unwrap_or_default();
        view.raw_text = raw_text;
        view
    }

    fn from_message(msg: &mail_parser::Message<'_>) -> Self {
        let headers = msg
            .headers_raw()
            .map(|(name, value)| (name.to_ascii_lowercase(), unfold(value)))
            .collect();
        let (content_type, report_type) = msg.content_type().map_or_else(Default::default, |ct| {
            let full = format!("{}/{}", ct.ctype(), ct.subtype().unwrap_or_default());
            let report = ct.attribute("report-type").map(str::to_ascii_lowercase);
            (full.to_ascii_lowercase(), report)
        });
        let mut view = Self {
            headers,
            content_type,
            report_type,
            ..Self::default()
        };
        let mut notice = Vec::new();
        for part in &msg.parts {
            let kind = part_type(part);
            match (&part.body, kind.as_str()) {
                (
                    PartType::Text(_) | PartType::Binary(_) | PartType::InlineBinary(_),
                    "message/delivery-status" | "message/global-delivery-status",
                ) => view
                    .delivery_status
                    .push(String::from_utf8_lossy(part.contents()).into_owned()),
                (_, "message/disposition-notification") => view.disposition_notification = true,
                (PartType::Text(text), "text/rfc822-headers" | "message/rfc822-headers") => {
                    view.original_message_id = view
                        .original_message_id
                        .take()
                        .or_else(|| message_id_line(text));
                }
                (
                    PartType::Binary(bytes) | PartType::InlineBinary(bytes),
                    "text/rfc822-headers" | "message/rfc822-headers",
                ) => {
                    view.original_message_id = view
                        .original_message_id
                        .take()
                        .or_else(|| message_id_line(&String::from_utf8_lossy(bytes)));
                }
                (PartType::Message(original), _) => {
                    view.original_message_id = view
                        .original_message_id
                        .take()
                        .or_else(|| original.message_id().and_then(clean_id));
                    view.attached_delivery_status.extend(
                        original
                            .parts
                            .iter()
                            .filter(|p| part_type(p).ends_with("delivery-status"))
                            .map(|p| String::from_utf8_lossy(p.contents()).into_owned()),
                    );
                }
                (PartType::Text(text), _) => notice.push(text.to_string()),
                (PartType::Html(html), _) => notice.push(html_to_text(html)),
                _ => {}
            }
        }
        view.notice = notice.join("\n\n");
        view
    }

    /// The first value of a header (name lowercased).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    /// The raw text after the header section: what is left to read when the MIME parts
    /// could not be (a boundary lost to a broken header).
    pub fn raw_body(&self) -> &str {
        ["\r\n\r\n", "\n\n"]
            .iter()
            .filter_map(|blank| self.raw_text.find(blank).map(|at| at + blank.len()))
            .min()
            .map_or("", |start| &self.raw_text[start..])
    }

    /// Whether the message is, or carries, a delivery status report.
    pub fn is_delivery_report(&self) -> bool {
        !self.delivery_status.is_empty()
            || self.report_type.as_deref() == Some("delivery-status")
            || self.content_type == "message/delivery-status"
    }

    /// Whether the message is a read receipt (RFC 8098 disposition notification).
    pub fn is_read_receipt(&self) -> bool {
        self.disposition_notification
            || self.report_type.as_deref() == Some("disposition-notification")
    }
}

/// `type/subtype` of a part, lowercased; empty when it has no Content-Type.
fn part_type(part: &MessagePart<'_>) -> String {
    part.content_type().map_or_else(String::new, |ct| {
        format!("{}/{}", ct.ctype(), ct.subtype().unwrap_or_default()).to_ascii_lowercase()
    })
}

/// A header value on one line: folds joined with a space, trimmed.
pub(crate) fn unfold(value: &str) -> String {
    value.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// A message id without angle brackets, or `None` when blank.
pub(crate) fn clean_id(id: &str) -> Option<String> {
    let id = id
        .trim()
        .trim_start_matches('<')
        .trim_end_matches('>')
        .trim();
    (!id.is_empty() && !id.contains(char::is_whitespace)).then(|| id.to_owned())
}

/// The id of the first `Message-ID:` line of a header block or text.
pub(crate) fn message_id_line(text: &str) -> Option<String> {
    let lines: Vec<&str> = text.lines().collect();
    lines.iter().enumerate().find_map(|(i, line)| {
        let (name, value) = line.trim_start().split_once(':')?;
        if !name.trim().eq_ignore_ascii_case("message-id") {
            return None;
        }
        // The id may be folded onto the next line.
        let value = if value.trim().is_empty() {
            lines.get(i + 1).copied().unwrap_or_default()
        } else {
            value
        };
        let id = value.split_whitespace().next()?;
        clean_id(id)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_report_exposes_its_parts() {
        let raw = b"From: MAILER-DAEMON@x.example\nContent-Type: multipart/report; report-type=delivery-status; boundary=b\n\n--b\nContent-Type: text/plain\n\nDelivery failed.\n--b\nContent-Type: message/delivery-status\n\nReporting-MTA: dns; x.example\n\nFinal-Recipient: rfc822; jane@y.example\nAction: failed\nStatus: 5.1.1\n--b\nContent-Type: text/rfc822-headers\n\nMessage-ID: <ours-1@agency.example>\nSubject: Offer\n--b--\n";
        let view = MailView::read(raw);
        assert!(view.is_delivery_report());
        assert_eq!(view.report_type.as_deref(), Some("delivery-status"));
        assert!(view.delivery_status[0].contains("Status: 5.1.1"));
        assert_eq!(
            view.original_message_id.as_deref(),
            Some("ours-1@agency.example")
        );
        assert!(view.notice.contains("Delivery failed."));
        assert_eq!(view.header("from"), Some("MAILER-DAEMON@x.example"));
    }

    #[test]
    fn an_attached_message_gives_its_id_and_stays_out_of_the_notice() {
        let raw = b"From: postmaster@x.example\nContent-Type: multipart/mixed; boundary=b\n\n--b\nContent-Type: text/plain\n\nUndeliverable.\n--b\nContent-Type: message/rfc822\n\nMessage-ID: <ours-2@agency.example>\nSubject: Offer\n\nWe offer $500.\n--b--\n";
        let view = MailView::read(raw);
        assert_eq!(
            view.original_message_id.as_deref(),
            Some("ours-2@agency.example")
        );
        assert!(!view.notice.contains("$500"));
    }

    #[test]
    fn garbage_gives_an_empty_view() {
        for raw in [&b""[..], b"\x00\xff\xfe", b"not a message at all"] {
            let view = MailView::read(raw);
            assert!(!view.is_delivery_report());
        }
    }
}
