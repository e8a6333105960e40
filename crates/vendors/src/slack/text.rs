//! Text helpers for Slack: escaping outside text for `mrkdwn`, and cutting text to a length
//! without breaking a character, an escape or (where possible) a word.

/// Escapes the three characters Slack's `mrkdwn` treats as control characters, so outside
/// text (an influencer's email, a campaign field) cannot form links or mentions such as
/// `<!channel>`.
pub fn escape_mrkdwn(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            c => out.push(c),
        }
    }
    out
}

/// Characters as Slack counts them for its limits (Unicode scalar values).
pub(crate) fn chars(text: &str) -> usize {
    text.chars().count()
}

/// `text` cut to at most `max` characters, ending with `tail` when anything was cut. The cut
/// falls at a line break or space near the end when there is one, and never inside an
/// `&amp;`-style escape. Text that already fits is returned unchanged.
pub fn truncate(text: &str, max: usize, tail: &str) -> String {
    if chars(text) <= max {
        return text.to_owned();
    }
    let tail_len = chars(tail);
    if tail_len >= max {
        return tail.chars().take(max).collect();
    }
    let keep = max - tail_len;
    let mut cut = text
        .char_indices()
        .nth(keep)
        .map_or(text.len(), |(index, _)| index);
    // Prefer a word or line boundary within the last fifth of what is kept.
    let floor = text
        .char_indices()
        .nth(keep - keep / 5)
        .map_or(0, |(index, _)| index);
    if let Some(space) = text[..cut].rfind(['\n', ' ']).filter(|&at| at >= floor) {
        cut = space;
    }
    // Never leave half an escape such as "&am".
    if let Some(amp) = text[..cut].rfind('&')
        && !text[amp..cut].contains(';')
        && cut - amp < "&amp;".len()
    {
        cut = amp;
    }
    let mut out = text[..cut].trim_end().to_owned();
    out.push_str(tail);
    out
}

/// `text` in pieces of at most `max` characters (at least 1), split at a line break, else a
/// space, within the last fifth of each piece when there is one; never inside an escape.
/// Nothing is lost but the whitespace at the splits.
pub fn split(text: &str, max: usize) -> Vec<String> {
    let max = max.max(1);
    let mut pieces = Vec::new();
    let mut rest = text;
    while chars(rest) > max {
        let hard = rest.char_indices().nth(max).map_or(rest.len(), |(i, _)| i);
        let floor = rest.char_indices().nth(max - max / 5).map_or(0, |(i, _)| i);
        let window = &rest[..hard];
        let mut cut = window
            .rfind('\n')
            .filter(|&at| at >= floor && at > 0)
            .or_else(|| window.rfind(' ').filter(|&at| at >= floor && at > 0))
            .unwrap_or(hard);
        if let Some(amp) = rest[..cut].rfind('&')
            && !rest[amp..cut].contains(';')
            && cut - amp < "&amp;".len()
            && amp > 0
        {
            cut = amp;
        }
        pieces.push(rest[..cut].trim_end().to_owned());
        rest = rest[cut..].trim_start_matches(['\n', ' ']);
    }
    if !rest.trim().is_empty() || pieces.is_empty() {
        pieces.push(rest.to_owned());
    }
    pieces
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_only_slack_control_characters() {
        assert_eq!(
            escape_mrkdwn("<!channel> Tom & Jerry > *bold*"),
            "&lt;!channel&gt; Tom &amp; Jerry &gt; *bold*"
        );
    }

    #[test]
    fn truncation_keeps_short_text_and_cuts_long_text_at_a_boundary() {
        assert_eq!(truncate("short", 10, "…"), "short");
        let cut = truncate("one two three four five six", 15, "…");
        assert!(chars(&cut) <= 15, "{cut}");
        assert_eq!(cut, "one two three…");
        // Multi-byte characters are counted and cut whole.
        let cut = truncate(&"é".repeat(50), 10, "…");
        assert_eq!(chars(&cut), 10);
        // An escape is never split.
        let cut = truncate("abcdefgh &amp; more", 12, "…");
        assert_eq!(cut, "abcdefgh…");
        // A tail longer than the room is itself cut.
        assert_eq!(truncate("abcdef", 3, "12345"), "123");
    }

    #[test]
    fn splitting_prefers_line_breaks_and_loses_no_words() {
        let text = "first paragraph line\nsecond line here\nthird";
        let pieces = split(text, 20);
        assert_eq!(
            pieces,
            ["first paragraph line", "second line here", "third"]
        );
        let long = "word ".repeat(1_000);
        let pieces = split(&long, 300);
        assert!(pieces.iter().all(|p| chars(p) <= 300));
        assert_eq!(pieces.join(" ").split_whitespace().count(), 1_000);
        // No boundary: hard cuts, still nothing lost.
        let solid = "x".repeat(1_001);
        let pieces = split(&solid, 100);
        assert_eq!(pieces.len(), 11);
        assert_eq!(pieces.concat(), solid);
        assert_eq!(split("", 10), [""]);
        let escaped = format!("{}&amp;tail", "a".repeat(8));
        assert_eq!(split(&escaped, 10), ["aaaaaaaa", "&amp;tail"]);
    }
}
