//! What kind of message arrived: a person's reply, an automatic answer, or a bounce; and
//! whether a reply asks to stop being contacted. Pure: no I/O, no clock (the caller passes
//! the day the message arrived).
//!
//! The application calls [`message_kind`] on every inbound message before reading its intent:
//!
//! ```
//! use jiff::civil::date;
//! use negotiator_reading::kind::{MessageKind, message_kind};
//! use negotiator_reading::mail::parse_message;
//!
//! let raw = b"From: Jane <jane@example.com>\nSubject: Automatic reply: Offer\n\
//!     Auto-Submitted: auto-replied\n\nI am out of the office until December 15.\n";
//! let email = parse_message(raw).unwrap();
//! match message_kind(raw, &email, date(2026, 12, 7)) {
//!     MessageKind::AutoReply(auto) => assert_eq!(auto.returns_on, Some(date(2026, 12, 15))),
//!     other => panic!("{other:?}"),
//! }
//! ```
//!
//! - [`MessageKind::Bounce`]: a delivery status notification about one of our messages:
//!   RFC 3464 reports (`multipart/report; report-type=delivery-status`), and the plain-text
//!   notices of Gmail, Exchange / Office 365, Postfix, Exim, qmail, Sendmail, Yahoo and others.
//!   A report whose status part is broken is still a bounce, with what could be read.
//!   A success report ("delivered") and a read receipt are automatic answers, not bounces.
//! - [`MessageKind::AutoReply`]: RFC 3834 and vendor headers, responder subjects, and
//!   out-of-office text in English, Spanish, French, German, Portuguese, Italian and Dutch;
//!   see `auto_reply` for how body text is kept from swallowing a person's counter-offer.
//!   The return date is resolved as `dates` documents (next occurrence on or after the
//!   arrival; ambiguous day/month: the nearest future reading; absurd dates: `None`).
//! - [`MessageKind::Reply`]: everything else; classify its intent as usual.
//!
//! [`opt_out`] / [`is_opt_out`] read the new text of a reply (see `crate::mail::new_text`).

mod auto_reply;
mod bounce;
mod dates;
mod dsn;
mod opt_out;
mod text;
mod view;

use jiff::civil::Date;
use serde::{Deserialize, Serialize};

use crate::mail::InboundEmail;
use bounce::Report;
use view::MailView;

pub use opt_out::{OptOut, is_opt_out, opt_out};

/// What an inbound message is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum MessageKind {
    /// An ordinary human reply: classify its intent as usual.
    Reply,
    /// An automatic answer (out-of-office, vacation responder, ticket/auto-acknowledgement,
    /// bulk, delivery success report, read receipt).
    AutoReply(AutoReply),
    /// A delivery status notification about one of our messages.
    Bounce(Bounce),
}

/// An automatic answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AutoReply {
    /// The sender is away (out-of-office or vacation responder), not just acknowledging.
    pub out_of_office: bool,
    /// The day the sender says they are back, when given and sensible.
    pub returns_on: Option<Date>,
    /// Which header, subject or phrase decided it, short (for the audit trail).
    pub evidence: String,
}

/// A delivery failure (or delay) of one of our messages.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Bounce {
    pub severity: BounceSeverity,
    /// The enhanced status code, such as "5.1.1".
    pub status: Option<String>,
    /// The failed address, lowercased.
    pub recipient: Option<String>,
    /// What the receiving server said, on one line, at most 300 characters.
    pub diagnostic: Option<String>,
    /// Message-ID of the bounced message (ours), without `<>`, when the notice includes it.
    pub original_message_id: Option<String>,
}

/// Whether retrying the address can help.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BounceSeverity {
    /// 5.x.x: the address does not work (unknown user, domain, policy rejection).
    Permanent,
    /// 4.x.x: delayed or temporarily refused (mailbox full, greylisting, timeouts).
    Temporary,
}

/// What kind of message `raw` is. `email` is `raw` as [`crate::mail::parse_message`] read it;
/// `received` is the day it arrived, used to resolve return dates. Never panics: bytes the
/// MIME parser cannot read are judged on `email` and the raw text.
pub fn message_kind(raw: &[u8], email: &InboundEmail, received: Date) -> MessageKind {
    let view = MailView::read(raw);
    match bounce::read(&view, email) {
        Some(Report::Failed(bounce)) => return MessageKind::Bounce(bounce),
        Some(Report::Delivered) => return automatic("delivery report: delivered"),
        None => {}
    }
    if view.is_read_receipt() {
        return automatic("read receipt (disposition-notification)");
    }
    auto_reply::read(&view, email, received).map_or(MessageKind::Reply, MessageKind::AutoReply)
}

fn automatic(evidence: &str) -> MessageKind {
    MessageKind::AutoReply(AutoReply {
        out_of_office: false,
        returns_on: None,
        evidence: evidence.to_owned(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::mail::parse_message;

    fn kind(raw: &str) -> MessageKind {
        let email = parse_message(raw.as_bytes()).unwrap();
        message_kind(raw.as_bytes(), &email, Date::new(2026, 12, 7).unwrap())
    }

    #[test]
    fn a_person_replying_is_a_reply() {
        assert_eq!(
            kind("From: jane@example.com\nSubject: Re: Offer\n\n$600 and it's a deal.\n"),
            MessageKind::Reply
        );
    }

    #[test]
    fn a_bounce_with_an_auto_submitted_header_is_a_bounce() {
        let raw = "From: Mail Delivery System <Mailer-Daemon@mx.example>\nAuto-Submitted: auto-replied\nSubject: Mail delivery failed: returning message to sender\n\nThis message was created automatically by mail delivery software.\nThis is a permanent error. The following address(es) failed:\n\n  jane@example.com\n";
        assert!(
            matches!(kind(raw), MessageKind::Bounce(b) if b.severity == BounceSeverity::Permanent)
        );
    }

    #[test]
    fn read_receipts_and_success_reports_are_automatic() {
        let mdn = "From: jane@example.com\nSubject: Read: Offer\nContent-Type: multipart/report; report-type=disposition-notification; boundary=b\n\n--b\nContent-Type: text/plain\n\nYour message was read.\n--b\nContent-Type: message/disposition-notification\n\nDisposition: manual-action/MDN-sent-manually; displayed\n--b--\n";
        assert!(
            matches!(kind(mdn), MessageKind::AutoReply(a) if a.evidence.starts_with("read receipt"))
        );
    }

    #[test]
    fn any_bytes_give_a_kind_without_panicking() {
        let email = parse_message(b"From: a@b.example\n\nhi\n").unwrap();
        for raw in [
            &b""[..],
            b"\xff\xfe\x00",
            b"Content-Type: multipart/report; boundary=\n\n--\n--\n",
        ] {
            let _ = message_kind(raw, &email, Date::new(2026, 1, 1).unwrap());
        }
    }

    #[test]
    fn kinds_serialize_with_a_tag() {
        let json =
            serde_json::to_string(&kind("From: jane@example.com\nSubject: Re: x\n\nok\n")).unwrap();
        assert_eq!(json, r#"{"kind":"reply"}"#);
    }
}
