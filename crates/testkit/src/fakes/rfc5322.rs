//! Just enough RFC 5322 for the Gmail fake: a raw message's header fields, and one replaced.

/// One header field: its name, its unfolded value, and the bytes it spans (folded lines and
/// line ending included).
struct Field {
    name: String,
    value: String,
    span: std::ops::Range<usize>,
}

/// The header fields up to the blank line, in order.
fn scan(raw: &[u8]) -> Vec<Field> {
    let mut fields: Vec<Field> = Vec::new();
    let mut at = 0;
    while at < raw.len() {
        let end = raw[at..]
            .iter()
            .position(|&b| b == b'\n')
            .map_or(raw.len(), |i| at + i + 1);
        let line = String::from_utf8_lossy(&raw[at..end]);
        let line = line.trim_end_matches(['\r', '\n']);
        if line.is_empty() {
            break;
        }
        match (line.starts_with([' ', '\t']), fields.last_mut()) {
            (true, Some(field)) => {
                field.value.push(' ');
                field.value.push_str(line.trim());
                field.span.end = end;
            }
            _ => {
                let (name, value) = line.split_once(':').unwrap_or((line, ""));
                fields.push(Field {
                    name: name.trim().to_owned(),
                    value: value.trim().to_owned(),
                    span: at..end,
                });
            }
        }
        at = end;
    }
    fields
}

/// The header fields as `(name, unfolded value)`, in order.
pub(super) fn fields(raw: &[u8]) -> Vec<(String, String)> {
    scan(raw).into_iter().map(|f| (f.name, f.value)).collect()
}

/// The first field called `name` (ignoring case).
pub(super) fn field(raw: &[u8], name: &str) -> Option<String> {
    scan(raw)
        .into_iter()
        .find(|f| f.name.eq_ignore_ascii_case(name))
        .map(|f| f.value)
}

/// `raw` with the first field called `name` set to `value` (added on top when absent).
pub(super) fn replace_field(raw: &[u8], name: &str, value: &str) -> Vec<u8> {
    let line = format!("{name}: {value}\r\n");
    let span = scan(raw)
        .into_iter()
        .find(|f| f.name.eq_ignore_ascii_case(name))
        .map_or(0..0, |f| f.span);
    let mut out = Vec::with_capacity(raw.len() + line.len());
    out.extend_from_slice(&raw[..span.start]);
    out.extend_from_slice(line.as_bytes());
    out.extend_from_slice(&raw[span.end..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const RAW: &[u8] =
        b"Subject: a long\r\n  folded subject\r\nMessage-ID: <a@b>\r\n\r\nBody: not a header\r\n";

    #[test]
    fn folded_fields_are_unfolded_and_the_body_is_not_read() {
        assert_eq!(
            fields(RAW),
            [
                ("Subject".to_owned(), "a long folded subject".to_owned()),
                ("Message-ID".to_owned(), "<a@b>".to_owned()),
            ]
        );
        assert_eq!(field(RAW, "message-id").as_deref(), Some("<a@b>"));
    }

    #[test]
    fn a_field_is_replaced_in_place_or_added() {
        let replaced = replace_field(RAW, "subject", "new");
        assert_eq!(
            String::from_utf8(replaced).unwrap(),
            "subject: new\r\nMessage-ID: <a@b>\r\n\r\nBody: not a header\r\n"
        );
        let added = replace_field(b"\r\nbody", "Message-ID", "<x@y>");
        assert_eq!(added, b"Message-ID: <x@y>\r\n\r\nbody");
    }
}
