//! Escaping and the small formatting helpers every view uses.

use std::fmt::Write;

use jiff::Timestamp;
use negotiator_domain::Money;

/// `text` safe inside HTML text and double-quoted attributes.
pub fn esc(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// A URL path segment (ids of campaigns come from outside).
pub fn url_segment(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) {
            out.push(b as char);
        } else {
            let _ = write!(out, "%{b:02X}");
        }
    }
    out
}

/// An amount, or a dash.
pub fn money(cents: Option<i64>) -> String {
    cents.map_or_else(|| "—".to_owned(), |c| Money::from_cents(c).to_string())
}

/// A time as `2026-03-01 14:05 UTC`.
pub fn when(at: Timestamp) -> String {
    at.strftime("%Y-%m-%d %H:%M UTC").to_string()
}

/// A state name as people read it.
pub fn state(state: &str) -> String {
    esc(&state.replace('_', " "))
}

/// A duration in hours as `3.5 h` or days as `2.1 d`.
pub fn duration_ms(ms: Option<i64>) -> String {
    match ms {
        None => "—".to_owned(),
        Some(ms) if ms < 48 * 3_600_000 => format!("{:.1} h", ms as f64 / 3_600_000.0),
        Some(ms) => format!("{:.1} d", ms as f64 / 86_400_000.0),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markup_and_quotes_are_escaped() {
        assert_eq!(
            esc(r#"<script>alert("x")</script> & 'y'"#),
            "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;y&#39;"
        );
    }

    #[test]
    fn url_segments_are_percent_encoded() {
        assert_eq!(url_segment("spring/24 a"), "spring%2F24%20a");
    }
}
