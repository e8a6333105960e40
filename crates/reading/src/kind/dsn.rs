//! Reading delivery-status fields (RFC 3464) and the status codes a bounce writes in its
//! text: enhanced status codes ("5.1.1", RFC 3463) and SMTP reply codes ("550").

use super::text::addresses;

/// The most characters kept of a diagnostic.
pub(crate) const DIAGNOSTIC_LIMIT: usize = 300;

/// The per-recipient fields of one delivery-status block.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub(crate) struct RecipientStatus {
    /// `Action`, lowercased: failed, delayed, delivered, relayed, expanded.
    pub action: Option<String>,
    /// The enhanced status code of `Status`, such as "5.1.1".
    pub status: Option<String>,
    /// The address of `Final-Recipient`, else `Original-Recipient`, lowercased.
    pub recipient: Option<String>,
    /// `Diagnostic-Code` without its type ("smtp;"), on one line.
    pub diagnostic: Option<String>,
}

impl RecipientStatus {
    /// Delivered, relayed or expanded: a success report for this recipient.
    pub fn succeeded(&self) -> bool {
        matches!(
            self.action.as_deref(),
            Some("delivered" | "relayed" | "expanded")
        ) || self.status.as_deref().is_some_and(|s| s.starts_with('2'))
    }
}

/// The recipient blocks of delivery-status text. Lenient: blocks are split at blank lines,
/// folded lines are joined, unknown lines are skipped, and a block counts when it has any of
/// Action, Status or a recipient.
pub(crate) fn recipients(text: &str) -> Vec<RecipientStatus> {
    let mut blocks = Vec::new();
    let mut current = RecipientStatus::default();
    let mut last_field: Option<String> = None;
    for line in text.lines() {
        if line.trim().is_empty() {
            push_block(&mut blocks, std::mem::take(&mut current));
            last_field = None;
            continue;
        }
        if line.starts_with([' ', '\t']) {
            if last_field.as_deref() == Some("diagnostic-code")
                && let Some(diagnostic) = current.diagnostic.as_mut()
            {
                diagnostic.push(' ');
                diagnostic.push_str(line.trim());
            }
            continue;
        }
        let Some((name, value)) = line.split_once(':') else {
            continue;
        };
        let name = name.trim().to_ascii_lowercase();
        let value = value.trim();
        match name.as_str() {
            "action" => current.action = Some(value.to_ascii_lowercase()),
            "status" => current.status = current.status.take().or_else(|| first_status(value)),
            "final-recipient" => current.recipient = typed_address(value),
            "original-recipient" if current.recipient.is_none() => {
                current.recipient = typed_address(value);
            }
            "diagnostic-code" => current.diagnostic = Some(untyped(value).to_owned()),
            _ => {}
        }
        last_field = Some(name);
    }
    push_block(&mut blocks, current);
    for block in &mut blocks {
        block.diagnostic = block.diagnostic.as_deref().and_then(one_line);
    }
    blocks
}

fn push_block(blocks: &mut Vec<RecipientStatus>, block: RecipientStatus) {
    if block.action.is_some() || block.status.is_some() || block.recipient.is_some() {
        blocks.push(block);
    }
}

/// "rfc822; Jane@X.com" → "jane@x.com".
fn typed_address(value: &str) -> Option<String> {
    addresses(untyped(value)).into_iter().next()
}

/// The value after a "type;" prefix ("smtp; 550 ..." → "550 ...").
fn untyped(value: &str) -> &str {
    match value.split_once(';') {
        Some((kind, rest)) if !kind.contains(' ') && kind.len() <= 16 => rest.trim(),
        _ => value.trim(),
    }
}

/// Text on one line, at most [`DIAGNOSTIC_LIMIT`] characters; `None` when blank.
pub(crate) fn one_line(text: &str) -> Option<String> {
    let line = text.split_whitespace().collect::<Vec<_>>().join(" ");
    let line: String = line.chars().take(DIAGNOSTIC_LIMIT).collect();
    (!line.is_empty()).then_some(line)
}

/// The first enhanced status code ("5.1.1", "4.4.7", "5.1.10") standing alone in `text`.
pub(crate) fn first_status(text: &str) -> Option<String> {
    statuses(text).into_iter().next()
}

/// Every enhanced status code of class 2, 4 or 5 standing alone in `text`, in order.
pub(crate) fn statuses(text: &str) -> Vec<String> {
    located_statuses(text).into_iter().map(|(_, s)| s).collect()
}

/// The status code a remote server gave with its SMTP reply ("550 5.1.1", "550-'5.2.2",
/// "550 #5.1.0") in class `class`, else the first such code at all; bare classes ("5.0.0")
/// are passed over.
pub(crate) fn server_status(text: &str, class: char) -> Option<String> {
    let candidates: Vec<(usize, String)> = located_statuses(text)
        .into_iter()
        .filter(|(_, s)| s.starts_with(class) && !s.ends_with(".0.0"))
        .collect();
    let after_reply = candidates.iter().find(|(at, _)| {
        let mut start = at.saturating_sub(6);
        while !text.is_char_boundary(start) {
            start += 1;
        }
        let before = &text[start..*at];
        first_smtp_code(before).is_some()
    });
    after_reply.or(candidates.first()).map(|(_, s)| s.clone())
}

/// Enhanced status codes standing alone in `text`, with their byte offsets.
fn located_statuses(text: &str) -> Vec<(usize, String)> {
    let bytes = text.as_bytes();
    let mut found = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        let starts = matches!(bytes[i], b'2' | b'4' | b'5')
            && (i == 0 || !(bytes[i - 1].is_ascii_alphanumeric() || bytes[i - 1] == b'.'));
        if starts && let Some(len) = status_len(&bytes[i..]) {
            found.push((i, text[i..i + len].to_owned()));
            i += len;
            continue;
        }
        i += 1;
    }
    found
}

/// Length of "c.sss.ddd" at the start of `bytes` (1-3 digits each), not followed by more of
/// a number or a dotted name ("5.1.1.2", "4.5.6.example").
fn status_len(bytes: &[u8]) -> Option<usize> {
    let mut len = 1;
    for _ in 0..2 {
        if bytes.get(len) != Some(&b'.') {
            return None;
        }
        let digits = bytes[len + 1..]
            .iter()
            .take_while(|b| b.is_ascii_digit())
            .count();
        if !(1..=3).contains(&digits) {
            return None;
        }
        len += 1 + digits;
    }
    let trailing = bytes.get(len).copied();
    let continues = match trailing {
        Some(b'.') => bytes.get(len + 1).is_some_and(u8::is_ascii_alphanumeric),
        Some(b) => b.is_ascii_alphanumeric(),
        None => false,
    };
    (!continues).then_some(len)
}

/// The first SMTP reply code of class 4 or 5 ("550 ", "421-", "554.") at the start of a word.
pub(crate) fn first_smtp_code(text: &str) -> Option<&str> {
    let bytes = text.as_bytes();
    (0..bytes.len().saturating_sub(2)).find_map(|i| {
        let code = &bytes[i..i + 3];
        let standalone = (i == 0
            || !(bytes[i - 1].is_ascii_alphanumeric()
                || matches!(bytes[i - 1], b'.' | b'-' | b'+' | b'/')))
            && matches!(
                bytes.get(i + 3),
                Some(b' ' | b'-' | b'.' | b',' | b';' | b'\t' | b'\'' | b'#') | None
            );
        let valid = matches!(code[0], b'4' | b'5')
            && (b'0'..=b'5').contains(&code[1])
            && code[2].is_ascii_digit();
        (standalone && valid).then(|| &text[i..i + 3])
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recipient_blocks_are_read() {
        let text = "Reporting-MTA: dns; mx.example\nArrival-Date: today\n\n\
            Final-Recipient: rfc822; Jane@Example.com\nOriginal-Recipient: rfc822;jane@example.com\n\
            Action: failed\nStatus: 5.1.1 (bad destination mailbox address)\n\
            Diagnostic-Code: smtp; 550-5.1.1 The email account that you tried to reach\n    does not exist.\n\n\
            Final-Recipient: rfc822; bob@example.com\nAction: delayed\nStatus: 4.4.7\n";
        let blocks = recipients(text);
        assert_eq!(blocks.len(), 2);
        assert_eq!(blocks[0].recipient.as_deref(), Some("jane@example.com"));
        assert_eq!(blocks[0].status.as_deref(), Some("5.1.1"));
        assert_eq!(
            blocks[0].diagnostic.as_deref(),
            Some("550-5.1.1 The email account that you tried to reach does not exist.")
        );
        assert_eq!(blocks[1].action.as_deref(), Some("delayed"));
        assert!(!blocks[1].succeeded());
    }

    #[test]
    fn a_broken_block_still_gives_what_it_has() {
        let blocks = recipients(
            "MIME-Version: 1.0\nFinal-Recipient: RFC822; <demo@example.com>\nAction: failed\nStatus: 4.2.2\nContent-Type: text/plain",
        );
        assert_eq!(blocks[0].recipient.as_deref(), Some("demo@example.com"));
        assert_eq!(blocks[0].status.as_deref(), Some("4.2.2"));
        assert!(recipients("Status: RO\nX-Status: \n").is_empty());
    }

    #[test]
    fn status_codes_stand_alone() {
        assert_eq!(
            statuses("550 5.1.10 RESOLVER.ADR.RecipientNotFound; #5.0.0"),
            vec!["5.1.10", "5.0.0"]
        );
        assert!(statuses("host 192.0.2.5.1 or 10.4.5.6, Exim 4.81, v5.1.1a").is_empty());
        assert_eq!(
            first_status("smtp;550 5.2.2 mailbox full."),
            Some("5.2.2".into())
        );
    }

    #[test]
    fn the_server_status_follows_its_reply_code() {
        let diagnostic = "5.1.0 - Unknown address error 550-'5.2.2 <a@b.jp>... Mailbox Full'";
        assert_eq!(server_status(diagnostic, '5'), Some("5.2.2".into()));
        assert_eq!(
            server_status("550 #5.1.0 Address rejected.", '5'),
            Some("5.1.0".into())
        );
        assert_eq!(
            server_status("é5.1.1 then 4.4.2", '4'),
            Some("4.4.2".into())
        );
        assert_eq!(server_status("5.0.0 only", '5'), None);
    }

    #[test]
    fn smtp_codes_start_a_word() {
        assert_eq!(first_smtp_code("host said: 550 no such user"), Some("550"));
        assert_eq!(first_smtp_code("421-Try later"), Some("421"));
        assert_eq!(
            first_smtp_code("port 25, id 5501, 1550 items, 600 ok"),
            None
        );
    }

    #[test]
    fn diagnostics_are_one_short_line() {
        let long = "x ".repeat(400);
        assert_eq!(one_line(&long).unwrap().chars().count(), DIAGNOSTIC_LIMIT);
        assert_eq!(one_line(" a\n  b "), Some("a b".into()));
        assert_eq!(one_line(" \n"), None);
    }
}
