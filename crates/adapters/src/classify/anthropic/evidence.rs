//! A flag's quote must be words the influencer wrote: a quote not found in the reply is
//! dropped, and the flag with it.

use negotiator_domain::Evidence;

/// Longest quote kept as evidence.
const MAX_QUOTE_CHARS: usize = 300;

/// The quote as evidence when it appears in `text`. Case, spacing, curly quotes and dashes
/// may differ, surrounding quotation marks are ignored, and an ellipsis may stand for left-out
/// words; every other word must be the influencer's, in their order.
pub(super) fn grounded(quote: Option<&str>, text: &str) -> Option<Evidence> {
    let quote = quote?
        .trim()
        .trim_matches(|c: char| matches!(c, '"' | '\'' | '“' | '”' | '‘' | '’' | '`'))
        .trim();
    if !quote.chars().any(char::is_alphanumeric) {
        return None;
    }
    let haystack = normalize(text);
    let normalized = normalize(quote);
    let mut from = 0;
    for piece in normalized
        .split("...")
        .map(str::trim)
        .filter(|p| !p.is_empty())
    {
        let piece = piece.trim_end_matches(['.', ',', '!', '?', ';', ':']);
        let found = haystack[from..].find(piece)?;
        from += found + piece.len();
    }
    let kept: String = quote.chars().take(MAX_QUOTE_CHARS).collect();
    Some(Evidence { quote: kept })
}

/// Lowercase, single spaces, straight quotes and hyphens, `…` as `...`.
fn normalize(text: &str) -> String {
    let mapped: String = text
        .chars()
        .flat_map(|c| {
            let s: &str = match c {
                '‘' | '’' | '`' => "'",
                '“' | '”' => "\"",
                '–' | '—' | '‐' => "-",
                '…' => "...",
                _ => "",
            };
            if s.is_empty() {
                c.to_lowercase().collect::<Vec<_>>()
            } else {
                s.chars().collect()
            }
        })
        .collect();
    mapped.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    const REPLY: &str = "Honestly this offer is insulting.\nMy manager   will send our contract — \
                         it's “standard”.";

    fn kept(quote: &str) -> bool {
        grounded(Some(quote), REPLY).is_some()
    }

    #[test]
    fn quotes_from_the_reply_are_kept_despite_case_spacing_and_typography() {
        assert!(kept("this offer is insulting"));
        assert!(kept("\"This offer is insulting.\""));
        assert!(kept(
            "my manager will send our contract - it's \"standard\""
        ));
        assert!(kept("My manager ... our contract"));
        assert!(kept("My manager… contract"));
    }

    #[test]
    fn invented_or_empty_quotes_are_dropped() {
        assert!(!kept("this offer is a scam"));
        assert!(!kept("our contract ... my manager"));
        assert!(!kept("  \"\" "));
        assert!(grounded(None, REPLY).is_none());
    }
}
