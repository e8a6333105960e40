//! Small pieces of Slack text shared by the answers: code spans, times, states, money, and
//! CLI commands people can paste.

use jiff::Timestamp;
use negotiator_domain::{Money, Negotiation as Domain, NegotiationState};
use negotiator_store::NegotiationRow;
use negotiator_vendors::slack::{escape_mrkdwn, truncate};

/// `text` as inline code, safe for `mrkdwn` (no backtick can end it early).
pub fn code(text: &str) -> String {
    format!("`{}`", escape_mrkdwn(&text.replace('`', "'")))
}

/// Outside text (a name, an email, a reason) safe for `mrkdwn`, on one line and at most
/// `max` characters.
pub fn plain(text: &str, max: usize) -> String {
    let one_line = text.split_whitespace().collect::<Vec<_>>().join(" ");
    escape_mrkdwn(&truncate(&one_line, max, "…"))
}

/// A name in bold.
pub fn bold(text: &str) -> String {
    format!("*{}*", plain(&text.replace('*', "∗"), 200))
}

/// `2026-11-03 10:02 UTC`.
pub fn when(at: Timestamp) -> String {
    at.strftime("%Y-%m-%d %H:%M UTC").to_string()
}

/// `counter_sent` as `counter sent`.
pub fn state(name: &str) -> String {
    name.replace('_', " ")
}

/// An amount, or a dash.
pub fn money(amount: Option<Money>) -> String {
    amount.map_or_else(|| "—".to_owned(), |m| m.to_string())
}

/// "*Jane Doe* (campaign `glow`)".
pub fn who(row: &NegotiationRow) -> String {
    format!(
        "{} (campaign {})",
        bold(&row.influencer_name),
        code(&row.campaign_id)
    )
}

/// Where a negotiation stands, in words: "agreed at $1,500.00", "escalated, held by a
/// person".
pub fn standing(negotiation: &Domain) -> String {
    let mut text = state(negotiation.state().as_str());
    match negotiation.state() {
        NegotiationState::Agreed => {
            if let Some(rate) = negotiation.agreed_rate() {
                text.push_str(&format!(" at {rate}"));
            }
        }
        NegotiationState::Paused => {
            if let Some(from) = negotiation.paused_from() {
                text.push_str(&format!(" (from {})", state(from.as_str())));
            }
        }
        _ => {}
    }
    if negotiation.human_controlled() {
        text.push_str(", held by a person");
    }
    text
}

/// `text` as one word for a POSIX shell: bare when safe, else in double quotes, else (when
/// it holds characters a shell reads inside double quotes) in single quotes.
pub fn shell_word(text: &str) -> String {
    let bare = !text.is_empty()
        && text
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_.:@/+=,".contains(c));
    if bare {
        text.to_owned()
    } else if !text.contains(['"', '\\', '$', '`', '!']) {
        format!("\"{text}\"")
    } else {
        format!("'{}'", text.replace('\'', r"'\''"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shell_words_can_be_pasted() {
        assert_eq!(shell_word("glow-spring"), "glow-spring");
        assert_eq!(shell_word("Jane Doe"), "\"Jane Doe\"");
        assert_eq!(shell_word("Jane O'Neil"), "\"Jane O'Neil\"");
        assert_eq!(shell_word(r#"Zoë "Z" O'Neil"#), r#"'Zoë "Z" O'\''Neil'"#);
        assert_eq!(shell_word(""), "\"\"");
    }

    #[test]
    fn outside_text_cannot_break_out() {
        assert_eq!(code("a`b<!here>"), "`a'b&lt;!here&gt;`");
        assert_eq!(
            plain("line one\n<!channel>  two", 100),
            "line one &lt;!channel&gt; two"
        );
        assert_eq!(bold("*Jane*"), "*∗Jane∗*");
        assert_eq!(
            when("2026-11-03T10:02:33Z".parse().unwrap()),
            "2026-11-03 10:02 UTC"
        );
    }
}
