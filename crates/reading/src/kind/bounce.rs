//! Delivery failure notices: RFC 3464 reports and the plain-text notices of Gmail, Exchange /
//! Office 365, Postfix, Exim, qmail, Sendmail, Yahoo and others.
//!
//! A message is a bounce when it carries a delivery-status report, when it names its failed
//! recipients (`X-Failed-Recipients`), or when a mail system sent it (MAILER-DAEMON,
//! postmaster, a null `Return-Path`, or an NDR subject) and its notice says delivery failed.
//! A person's reply ("Re: ..." from a person) that quotes a "550" stays a reply.

use super::dsn::{self, RecipientStatus};
use super::text::{addresses, first_of, fold};
use super::view::{MailView, message_id_line};
use super::{Bounce, BounceSeverity};
use crate::mail::InboundEmail;

/// Local parts of mail-system senders.
const DAEMON_LOCAL_PARTS: &[&str] = &[
    "mailer-daemon",
    "mailerdaemon",
    "mail-daemon",
    "maildaemon",
    "postmaster",
    "post_master",
    "mdaemon",
    "mail.delivery.subsystem",
    "bounce",
    "bounces",
    "nobody",
    "no-reply",
    "noreply",
];

/// Display names of mail-system senders (folded).
const DAEMON_NAMES: &[&str] = &[
    "mail delivery",
    "mailer-daemon",
    "mailer daemon",
    "postmaster",
    "mail administrator",
    "system administrator",
    "microsoft outlook",
    "mail delivery subsystem",
    "mail delivery system",
];

/// Subjects of delivery failure notices (folded, matched as words anywhere).
const SUBJECTS: &[&str] = &[
    "undeliverable",
    "undelivered mail",
    "undeliverable mail",
    "delivery status notification",
    "delivery failure",
    "delivery failed",
    "mail delivery failed",
    "delivery has failed",
    "returned mail",
    "returned to sender",
    "failure notice",
    "message not delivered",
    "mail delivery failure",
    "delivery notification",
    "delayed mail",
    "delivery delayed",
    "could not send message",
    "mail could not be delivered",
    "message status - undeliverable",
    "nondeliverable",
    "non-deliverable",
    "address not found",
    "mail system error",
    "non remis",
    "non distribuable",
    "unzustellbar",
    "nicht zustellbar",
    "no se puede entregar",
    "no entregado",
    "onbestelbaar",
    "non recapitabile",
    "nao entregue",
    "olevererbart",
    "mail failed",
    "delivery problem",
    "email bounce notification",
    "failure delivery",
    "error sending your mail",
];

/// Sentences of delivery failure notices (folded, matched as words).
const NOTICE_PHRASES: &[&str] = &[
    "could not be delivered",
    "couldn't be delivered",
    "was not delivered",
    "wasn't delivered",
    "has not been delivered",
    "could not deliver",
    "delivery has failed",
    "delivery failed",
    "delivery to the following recipient",
    "failed permanently",
    "permanent error",
    "permanent failure",
    "permanent fatal errors",
    "undeliverable",
    "undelivered",
    "user unknown",
    "unknown user",
    "no such user",
    "mailbox unavailable",
    "mailbox not found",
    "mailbox full",
    "mailbox is full",
    "over quota",
    "quota exceeded",
    "exceeds allowed size",
    "address not found",
    "recipient address rejected",
    "does not exist",
    "returning message to sender",
    "i'm sorry to have to inform you",
    "this is the mail system at host",
    "created automatically by mail delivery software",
    "the email account that you tried to reach",
    "i wasn't able to deliver",
    "this is the qmail-send program",
    "resolver.adr",
    "has been delayed",
    "delivery is delayed",
    "will be retried",
    "still being retried",
    "delivery failure",
    "did not reach the following recipient",
    "unable to deliver",
    "trouble delivering",
    "permanent errors",
    "not listed in",
    "host unknown",
    "domain name not found",
    "message was rejected",
    "unrouteable",
];

/// Words of a subject about a delay, not yet a failure (folded).
const DELAY_SUBJECTS: &[&str] = &[
    "delay",
    "delayed",
    "warning: could not send",
    "still being retried",
    "verzogert",
    "retarde",
    "retrasado",
];

/// Words of a notice about a delay, not yet a failure (folded).
const DELAY_PHRASES: &[&str] = &[
    "has been delayed",
    "delivery is delayed",
    "delivery delayed",
    "will continue to try",
    "will keep trying",
    "still trying",
    "will be retried",
    "still being retried",
    "will retry",
    "not yet been delivered",
];

/// Words of a notice that gave up retrying a temporary failure (folded): the message
/// expired in the queue; the address may work later.
const EXPIRY_PHRASES: &[&str] = &[
    "retry timeout exceeded",
    "in the queue too long",
    "message expired",
    "delivery time expired",
    "cannot send message for",
    "could not be delivered for",
    "have been failing for a long time",
];

/// Lines where the returned message starts inside a plain-text notice (folded, contained).
const ORIGINAL_MARKERS: &[&str] = &[
    "original message",
    "copy of the message",
    "message follows",
    "returned message",
    "below this line",
    "headers of the original",
    "undelivered message headers",
    "message headers follow",
    "original-message",
];

/// Prefixes a person's reply or forward puts on a subject (folded).
const REPLY_PREFIXES: &[&str] = &[
    "re:", "aw:", "sv:", "antw:", "rif:", "res:", "r:", "fw:", "fwd:", "wg:", "tr:", "enc:",
];

/// What a delivery report says of our message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Report {
    /// Delivery failed or is delayed.
    Failed(Bounce),
    /// A success report (every recipient delivered, relayed or expanded).
    Delivered,
}

/// Reads `view` and `email` as a delivery report, or `None` when it is not one.
pub(crate) fn read(view: &MailView, email: &InboundEmail) -> Option<Report> {
    let subject = fold(&email.subject);
    let notice_text = [view.notice.as_str(), email.body.as_str(), view.raw_body()]
        .into_iter()
        .find(|text| !text.trim().is_empty())
        .unwrap_or_default();
    let head = before_original(notice_text);
    let folded_head = fold(head);
    let structural = view.is_delivery_report();
    let failed_header = view.header("x-failed-recipients").is_some();
    let from_system = from_mail_system(view, email);
    let bounce_subject = !is_reply_subject(&subject) && first_of(&subject, SUBJECTS).is_some();
    let notice_says = first_of(&folded_head, NOTICE_PHRASES).is_some();
    let is_bounce = structural
        || failed_header
        || (from_system && (bounce_subject || notice_says))
        || (bounce_subject && notice_says);
    if !is_bounce {
        return None;
    }
    let blocks = report_blocks(view, notice_text);
    if !blocks.is_empty() && blocks.iter().all(RecipientStatus::succeeded) {
        return Some(Report::Delivered);
    }
    let failed: Vec<&RecipientStatus> = blocks.iter().filter(|b| !b.succeeded()).collect();
    let severity = severity(&failed, &subject, &folded_head, head);
    let worst = failed
        .iter()
        .find(|b| {
            b.status
                .as_deref()
                .is_some_and(|s| class_of(s) == Some(severity))
        })
        .or(failed.first());
    let status = worst
        .and_then(|b| {
            let reported = b.status.as_deref()?;
            Some(specific_status(
                reported,
                b.diagnostic.as_deref().unwrap_or(head),
            ))
        })
        .or_else(|| dsn::first_status(head).filter(|s| !s.starts_with('2')));
    let recipient = failed
        .iter()
        .find_map(|b| b.recipient.clone())
        .or_else(|| {
            view.header("x-failed-recipients")
                .and_then(|v| addresses(v).into_iter().next())
        })
        .or_else(|| recipient_in_text(head, view, email));
    let diagnostic = worst
        .and_then(|b| b.diagnostic.clone())
        .or_else(|| diagnostic_line(head, status.as_deref()));
    let original_message_id = view
        .original_message_id
        .clone()
        .or_else(|| original_id_in_text(notice_text, head.len()));
    Some(Report::Failed(Bounce {
        severity,
        status,
        recipient,
        diagnostic,
        original_message_id,
    }))
}

/// The recipient blocks of the report's delivery-status parts; when those are missing or
/// unreadable (a garbled report), whatever fields the notice or the raw text carry.
fn report_blocks(view: &MailView, notice: &str) -> Vec<RecipientStatus> {
    let from_parts: Vec<RecipientStatus> = view
        .delivery_status
        .iter()
        .flat_map(|text| dsn::recipients(text))
        .collect();
    if !from_parts.is_empty() {
        return from_parts;
    }
    let attached: Vec<RecipientStatus> = view
        .attached_delivery_status
        .iter()
        .flat_map(|text| dsn::recipients(text))
        .collect();
    if !attached.is_empty() {
        return attached;
    }
    let from_notice = dsn::recipients(notice);
    if !from_notice.is_empty() || !view.is_delivery_report() {
        return from_notice;
    }
    dsn::recipients(&view.raw_text)
}

/// Severity, in order: the reported status classes; a delay ("Action: delayed", a delay
/// subject or notice); a status code, then an SMTP reply code, in the notice; a notice that
/// gave up retrying ("retry timeout exceeded"); else permanent.
fn severity(
    failed: &[&RecipientStatus],
    subject: &str,
    folded_head: &str,
    head: &str,
) -> BounceSeverity {
    let classes: Vec<BounceSeverity> = failed
        .iter()
        .filter_map(|b| b.status.as_deref().and_then(class_of))
        .collect();
    if classes.contains(&BounceSeverity::Permanent) {
        return BounceSeverity::Permanent;
    }
    if !classes.is_empty() {
        return BounceSeverity::Temporary;
    }
    let delayed_action = failed
        .iter()
        .any(|b| b.action.as_deref() == Some("delayed"));
    if delayed_action
        || first_of(subject, DELAY_SUBJECTS).is_some()
        || first_of(folded_head, DELAY_PHRASES).is_some()
    {
        return BounceSeverity::Temporary;
    }
    let expired = || first_of(folded_head, EXPIRY_PHRASES).is_some();
    dsn::statuses(head)
        .iter()
        .find_map(|s| class_of(s))
        .or_else(|| dsn::first_smtp_code(head).and_then(class_of))
        .unwrap_or_else(|| {
            if expired() {
                BounceSeverity::Temporary
            } else {
                BounceSeverity::Permanent
            }
        })
}

/// A reported status, or where it is the bare class ("5.0.0") the more specific code of that
/// class the server gave in the diagnostic ("550 5.1.1 User unknown").
fn specific_status(reported: &str, diagnostic: &str) -> String {
    let class = reported.chars().next().unwrap_or('5');
    reported
        .ends_with(".0.0")
        .then(|| dsn::server_status(diagnostic, class))
        .flatten()
        .unwrap_or_else(|| reported.to_owned())
}

/// 5 is permanent, 4 temporary; anything else says nothing.
fn class_of(code: &str) -> Option<BounceSeverity> {
    match code.as_bytes().first() {
        Some(b'5') => Some(BounceSeverity::Permanent),
        Some(b'4') => Some(BounceSeverity::Temporary),
        _ => None,
    }
}

/// A null return path, a mail-system sender (also when its From header has no usable
/// address, as in "From: MAILER-DAEMON <>"), or no sender at all.
fn from_mail_system(view: &MailView, email: &InboundEmail) -> bool {
    let null_sender = view.header("return-path").is_some_and(|v| v.trim() == "<>");
    let raw_from = view.header("from").map(fold);
    let daemon_local = email.from.as_ref().is_some_and(|m| {
        let local = m.address.split('@').next().unwrap_or_default();
        DAEMON_LOCAL_PARTS.contains(&local) || local.starts_with("microsoftexchange")
    });
    let named = raw_from
        .as_deref()
        .is_some_and(|from| DAEMON_NAMES.iter().any(|n| from.contains(n)));
    null_sender || daemon_local || named || (raw_from.is_none() && email.from.is_none())
}

fn is_reply_subject(subject: &str) -> bool {
    REPLY_PREFIXES.iter().any(|p| subject.starts_with(p))
}

/// The notice before the returned message, when that is included as text.
fn before_original(text: &str) -> &str {
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        let folded = fold(line);
        let marker = ORIGINAL_MARKERS.iter().any(|m| folded.contains(m))
            && folded.chars().filter(|c| c.is_alphanumeric()).count() < 80;
        let header = ["received:", "return-path:", "dkim-signature:"]
            .iter()
            .any(|h| folded.starts_with(h));
        if (marker || header) && offset > 0 {
            return &text[..offset];
        }
        offset += line.len();
    }
    text
}

/// The first address in the notice that is neither the bounce's own sender or recipient nor
/// a mail system's.
fn recipient_in_text(head: &str, view: &MailView, email: &InboundEmail) -> Option<String> {
    let own: Vec<&str> = email
        .to
        .iter()
        .chain(email.cc.iter())
        .chain(email.from.iter())
        .map(|m| m.address.as_str())
        .collect();
    let envelope: Vec<String> = ["return-path", "delivered-to", "x-original-to"]
        .iter()
        .filter_map(|h| view.header(h))
        .flat_map(addresses)
        .collect();
    // Message ids look like addresses: never take one from an id header for the recipient.
    let without_ids: String = head
        .lines()
        .filter(|line| {
            let lower = line.trim_start().to_ascii_lowercase();
            !["message-id:", "in-reply-to:", "references:"]
                .iter()
                .any(|h| lower.starts_with(h))
        })
        .collect::<Vec<_>>()
        .join("\n");
    addresses(&without_ids).into_iter().find(|a| {
        let local = a.split('@').next().unwrap_or_default();
        !own.contains(&a.as_str()) && !envelope.contains(a) && !DAEMON_LOCAL_PARTS.contains(&local)
    })
}

/// The notice line that carries the status or an SMTP reply code, as the diagnostic.
fn diagnostic_line(head: &str, status: Option<&str>) -> Option<String> {
    head.lines()
        .find(|line| {
            status.is_some_and(|s| line.contains(s)) || dsn::first_smtp_code(line).is_some()
        })
        .and_then(dsn::one_line)
}

/// A `Message-ID:` line of the returned message, when it is included as text.
fn original_id_in_text(text: &str, head_len: usize) -> Option<String> {
    text.get(head_len..).and_then(message_id_line)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::mail::parse_message;

    fn report(raw: &str) -> Option<Report> {
        let email = parse_message(raw.as_bytes()).unwrap();
        read(&MailView::read(raw.as_bytes()), &email)
    }

    fn bounce(raw: &str) -> Bounce {
        match report(raw) {
            Some(Report::Failed(b)) => b,
            other => panic!("not a bounce: {other:?}"),
        }
    }

    #[test]
    fn a_message_id_is_never_taken_for_the_recipient() {
        let b = bounce(
            "From: MAILER-DAEMON@mx.example\nTo: deals@agency.example\nSubject: Undelivered \
             Mail Returned to Sender\nContent-Type: multipart/report; \
             report-type=delivery-status; boundary=\"x\"\n\n--x\nContent-Type: \
             message/delivery-status\n\ngarbage ; ; Status:\n--x\nContent-Type: \
             text/rfc822-headers\n\nMessage-ID: <offer.1.2@agency.example>\nSubject: Offer\n\n--x",
        );
        assert_eq!(b.recipient, None);
        assert_eq!(
            b.original_message_id.as_deref(),
            Some("offer.1.2@agency.example")
        );
    }

    #[test]
    fn a_report_gives_status_recipient_diagnostic_and_our_message_id() {
        let b = bounce(
            "From: Mail Delivery Subsystem <mailer-daemon@googlemail.com>\nSubject: Delivery Status Notification (Failure)\nContent-Type: multipart/report; report-type=delivery-status; boundary=b\n\n--b\nContent-Type: text/plain\n\nAddress not found\n--b\nContent-Type: message/delivery-status\n\nReporting-MTA: dns; googlemail.com\n\nFinal-Recipient: rfc822; Jane@Example.com\nAction: failed\nStatus: 5.1.1\nDiagnostic-Code: smtp; 550-5.1.1 The email account that you tried to reach does\n not exist.\n--b\nContent-Type: text/rfc822-headers\n\nMessage-ID: <offer-7@agency.example>\n--b--\n",
        );
        assert_eq!(b.severity, BounceSeverity::Permanent);
        assert_eq!(b.status.as_deref(), Some("5.1.1"));
        assert_eq!(b.recipient.as_deref(), Some("jane@example.com"));
        assert_eq!(
            b.diagnostic.as_deref(),
            Some("550-5.1.1 The email account that you tried to reach does not exist.")
        );
        assert_eq!(
            b.original_message_id.as_deref(),
            Some("offer-7@agency.example")
        );
    }

    #[test]
    fn a_delay_is_temporary() {
        let b = bounce(
            "From: Mail Delivery Subsystem <mailer-daemon@googlemail.com>\nSubject: Delivery Status Notification (Delay)\n\nDelivery to the following recipient has been delayed:\n\n     jane@example.com\n\nMessage will be retried for 2 more day(s)\n",
        );
        assert_eq!(b.severity, BounceSeverity::Temporary);
        assert_eq!(b.recipient.as_deref(), Some("jane@example.com"));
    }

    #[test]
    fn plain_text_exim_and_exchange_notices() {
        let exim = bounce(
            "From: Mail Delivery System <Mailer-Daemon@mx.example>\nTo: deals@agency.example\nSubject: Mail delivery failed: returning message to sender\nX-Failed-Recipients: jane@example.com\n\nThis message was created automatically by mail delivery software.\n\nA message that you sent could not be delivered to one or more of its\nrecipients. This is a permanent error. The following address(es) failed:\n\n  jane@example.com\n    SMTP error from remote mail server after RCPT TO:<jane@example.com>:\n    550 5.1.1 User unknown\n\n------ This is a copy of the message, including all the headers. ------\n\nMessage-ID: <offer-9@agency.example>\nSubject: Offer\n\nWe offer $500.\n",
        );
        assert_eq!(exim.severity, BounceSeverity::Permanent);
        assert_eq!(exim.status.as_deref(), Some("5.1.1"));
        assert_eq!(exim.recipient.as_deref(), Some("jane@example.com"));
        assert_eq!(exim.diagnostic.as_deref(), Some("550 5.1.1 User unknown"));
        assert_eq!(
            exim.original_message_id.as_deref(),
            Some("offer-9@agency.example")
        );

        let ndr = bounce(
            "From: postmaster@contoso.example\nTo: deals@agency.example\nSubject: Undeliverable: Offer\n\nDelivery has failed to these recipients or groups:\n\njane@contoso.example\nThe email address you entered couldn't be found.\n\nRemote Server returned '550 5.1.10 RESOLVER.ADR.RecipientNotFound; Recipient not found by SMTP address lookup'\n",
        );
        assert_eq!(ndr.status.as_deref(), Some("5.1.10"));
        assert_eq!(ndr.recipient.as_deref(), Some("jane@contoso.example"));
    }

    #[test]
    fn a_garbled_report_is_still_a_bounce() {
        let b = bounce(
            "From: MAILER-DAEMON@mx.example\nContent-Type: multipart/report; report-type=delivery-status; boundary=zz\n\n--zz\nContent-Type: message/delivery-status\nContent-Transfer-Encoding: base64\n\n!!!not base64!!!\n",
        );
        assert_eq!(b.severity, BounceSeverity::Permanent);
        let b = bounce(
            "Content-Type: message/delivery-status\n\nFinal-Recipient: RFC822; <demo@example.com>\nAction: failed\nStatus: 4.2.2\n",
        );
        assert_eq!(b.severity, BounceSeverity::Temporary);
        assert_eq!(b.recipient.as_deref(), Some("demo@example.com"));
    }

    #[test]
    fn a_success_report_is_not_a_failure() {
        let r = report(
            "From: MAILER-DAEMON@mx.example\nContent-Type: multipart/report; report-type=delivery-status; boundary=b\n\n--b\nContent-Type: message/delivery-status\n\nFinal-Recipient: rfc822; jane@example.com\nAction: delivered\nStatus: 2.0.0\n--b--\n",
        );
        assert_eq!(r, Some(Report::Delivered));
    }

    #[test]
    fn a_person_quoting_a_bounce_is_not_one() {
        for raw in [
            "From: Jane <jane@example.com>\nSubject: Re: Offer\n\nMy old address gave a 550 5.1.1 user unknown, use this one. $500 works.\n",
            "From: Jane <jane@example.com>\nSubject: Re: Offer\n\nSounds good!\n\n> Delivery has failed to these recipients\n> 550 5.1.1 User unknown\n",
            "From: MAILER-DAEMON@mx.example\nSubject: Hello\n\nJust a note.\n",
        ] {
            assert_eq!(report(raw), None, "{raw}");
        }
    }
}
