//! Reading what someone typed after a slash command: Slack's escapes and link markup undone,
//! quoted values, and `key:value` filters whose values may hold spaces and quotes.

/// The opening quote characters and the quote that closes each (Slack clients may turn
/// straight quotes into curly ones).
const QUOTES: [(char, char); 4] = [('"', '"'), ('“', '”'), ('‘', '’'), ('\'', '\'')];

/// The text as the person typed it: Slack's `&amp;`/`&lt;`/`&gt;` escapes undone, links
/// (`<mailto:jane@x.com|jane@x.com>`, `<https://…>`) reduced to their text, and
/// non-breaking spaces made plain.
pub fn unslack(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(open) = rest.find('<') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        match after.find('>') {
            Some(close) => {
                let inner = &after[..close];
                let shown = inner.rsplit_once('|').map_or(inner, |(_, label)| label);
                out.push_str(shown.strip_prefix("mailto:").unwrap_or(shown));
                rest = &after[close + 1..];
            }
            None => {
                out.push('<');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out.replace('\u{a0}', " ")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

/// A value wrapped whole in matching quotes, without them (`\"` inside stands for `"`);
/// anything else as it is, trimmed.
pub fn unquote(text: &str) -> String {
    let text = text.trim();
    if let Some((inner, rest)) = quoted(text)
        && rest.trim().is_empty()
    {
        return inner;
    }
    text.to_owned()
}

/// A quoted value at the start of `text`: its content and what follows the closing quote,
/// when the closing quote ends a word.
fn quoted(text: &str) -> Option<(String, &str)> {
    let open = text.chars().next()?;
    let (_, close) = QUOTES.iter().find(|(o, _)| *o == open)?;
    let mut inner = String::new();
    let mut escaped = false;
    for (index, c) in text.char_indices().skip(1) {
        if escaped {
            inner.push(c);
            escaped = false;
        } else if c == '\\' {
            escaped = true;
        } else if c == *close {
            let rest = &text[index + c.len_utf8()..];
            if rest.is_empty() || rest.starts_with(char::is_whitespace) {
                return Some((inner, rest));
            }
            inner.push(c);
        } else {
            inner.push(c);
        }
    }
    None
}

/// What was typed: free text before the first filter, then each `key:value` filter in order.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Fields {
    pub leading: String,
    pub pairs: Vec<(&'static str, String)>,
}

/// Splits `text` into free text and `key:value` filters, for the keys in `keys` (matched
/// case-insensitively at the start of a word). A value runs to the next filter, so it may
/// hold spaces and quotes (`influencer:Zoë "Z" O'Neil last:7d`); a value quoted whole
/// (`influencer:"Jane Doe"`) ends at its closing quote, so it may even hold a filter's name.
pub fn fields(text: &str, keys: &[&'static str]) -> Fields {
    let mut found = Fields::default();
    let Some(mut at) = next_key(text, 0, keys) else {
        found.leading = text.trim().to_owned();
        return found;
    };
    found.leading = text[..at].trim().to_owned();
    while let Some(key) = key_at(text, at, keys) {
        let value_text = text[at + key.len() + 1..].trim_start();
        let value_at = text.len() - value_text.len();
        if let Some((inner, rest)) = quoted(value_text) {
            let after = rest.trim_start();
            let next = text.len() - after.len();
            if after.is_empty() || key_at(text, next, keys).is_some() {
                found.pairs.push((key, inner));
                at = next;
                continue;
            }
        }
        let end = next_key(text, value_at, keys).unwrap_or(text.len());
        found
            .pairs
            .push((key, text[value_at..end].trim().to_owned()));
        at = end;
    }
    found
}

/// The first filter key at or after `from`.
fn next_key(text: &str, from: usize, keys: &[&'static str]) -> Option<usize> {
    text.char_indices()
        .filter(|(index, _)| *index >= from)
        .map(|(index, _)| index)
        .find(|&index| key_at(text, index, keys).is_some())
}

/// The key whose `key:` starts a word at `at`.
fn key_at(text: &str, at: usize, keys: &[&'static str]) -> Option<&'static str> {
    let starts_word = at == 0
        || text[..at]
            .chars()
            .next_back()
            .is_some_and(char::is_whitespace);
    if !starts_word {
        return None;
    }
    let rest = &text[at..];
    keys.iter().copied().find(|key| {
        rest.len() > key.len()
            && rest.is_char_boundary(key.len())
            && rest[..key.len()].eq_ignore_ascii_case(key)
            && rest[key.len()..].starts_with(':')
    })
}

/// A word inside `value` (after its first) shaped like a filter (`since:7d`): probably a
/// filter this command does not know.
pub fn stray_filter(value: &str) -> Option<&str> {
    value.split_whitespace().skip(1).find(|word| {
        word.split_once(':').is_some_and(|(key, _)| {
            !key.is_empty()
                && key
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c == '_' || c == '-')
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const AUDIT: &[&str] = &["influencer", "campaign", "thread", "last", "type"];

    fn pairs(text: &str) -> Vec<(&'static str, String)> {
        fields(text, AUDIT).pairs
    }

    #[test]
    fn slack_markup_is_undone() {
        assert_eq!(
            unslack("&lt;b&gt; Tom &amp; Jerry <mailto:jane@x.com|jane@x.com>"),
            "<b> Tom & Jerry jane@x.com"
        );
        assert_eq!(unslack("<https://x.example/a>"), "https://x.example/a");
        assert_eq!(unslack("a < b"), "a < b");
        assert_eq!(unslack("Jane\u{a0}Doe"), "Jane Doe");
    }

    #[test]
    fn quotes_are_taken_off_whole_values_only() {
        assert_eq!(unquote(r#""Jane Doe""#), "Jane Doe");
        assert_eq!(unquote("“Jane Doe”"), "Jane Doe");
        assert_eq!(unquote("'Jane Doe'"), "Jane Doe");
        assert_eq!(unquote(r#""Zoë \"Z\" O'Neil""#), r#"Zoë "Z" O'Neil"#);
        assert_eq!(unquote(r#"Zoë "Z" O'Neil"#), r#"Zoë "Z" O'Neil"#);
        assert_eq!(unquote("O'Neil"), "O'Neil");
        assert_eq!(unquote(r#""unbalanced"#), r#""unbalanced"#);
    }

    #[test]
    fn filters_take_names_with_spaces_and_quotes() {
        assert_eq!(
            pairs(r#"influencer:"Jane Doe" last:7d"#),
            [("influencer", "Jane Doe".into()), ("last", "7d".into())]
        );
        assert_eq!(
            pairs("influencer:Jane Doe last:7d type:escalation"),
            [
                ("influencer", "Jane Doe".into()),
                ("last", "7d".into()),
                ("type", "escalation".into())
            ]
        );
        assert_eq!(
            pairs(r#"Influencer: Zoë "Z" O'Neil"#),
            [("influencer", r#"Zoë "Z" O'Neil"#.into())]
        );
        assert_eq!(
            pairs(r#"influencer:"Jane last:Doe" campaign:glow"#),
            [
                ("influencer", "Jane last:Doe".into()),
                ("campaign", "glow".into())
            ]
        );
        // A key inside a word is not a key.
        assert_eq!(
            pairs("thread:abc-last:1"),
            [("thread", "abc-last:1".into())]
        );
        let found = fields("Jane Doe campaign:glow", &["campaign"]);
        assert_eq!(found.leading, "Jane Doe");
        assert_eq!(found.pairs, [("campaign", "glow".into())]);
        assert_eq!(fields("", AUDIT), Fields::default());
        // A quote that does not close the value is part of it.
        assert_eq!(
            pairs(r#"influencer:"Big" Mike last:7d"#),
            [
                ("influencer", r#""Big" Mike"#.into()),
                ("last", "7d".into())
            ]
        );
    }

    #[test]
    fn stray_filters_are_noticed() {
        assert_eq!(stray_filter("Jane since:7d"), Some("since:7d"));
        assert_eq!(stray_filter("Jane Doe"), None);
        assert_eq!(stray_filter("glow:spring"), None);
    }
}
