//! Text helpers shared by the detectors: accent-folded lowercase text, word-bounded phrase
//! search, e-mail addresses, money amounts.

/// Lowercase with Latin accents removed, curly quotes straightened, no-break spaces as
/// spaces and whitespace runs collapsed to one space, so "Désolé  d’être" reads
/// "desole d'etre". One output char per kept input char, no offsets are kept.
pub(crate) fn fold(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut space = false;
    for c in text.chars() {
        if c.is_whitespace() {
            space = !out.is_empty();
            continue;
        }
        if space {
            out.push(' ');
            space = false;
        }
        for lower in c.to_lowercase() {
            out.push(fold_char(lower));
        }
    }
    out
}

fn fold_char(c: char) -> char {
    match c {
        'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' | 'ą' => 'a',
        'ç' | 'ć' | 'č' => 'c',
        'è' | 'é' | 'ê' | 'ë' | 'ę' | 'ě' => 'e',
        'ì' | 'í' | 'î' | 'ï' => 'i',
        'ñ' | 'ń' => 'n',
        'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'ø' => 'o',
        'ù' | 'ú' | 'û' | 'ü' | 'ů' => 'u',
        'ý' | 'ÿ' => 'y',
        'ś' | 'š' => 's',
        'ź' | 'ż' | 'ž' => 'z',
        'ł' => 'l',
        '\u{2018}' | '\u{2019}' | '\u{02bc}' | '`' | '\u{00b4}' => '\'',
        '\u{201c}' | '\u{201d}' | '\u{00ab}' | '\u{00bb}' => '"',
        '\u{2013}' | '\u{2014}' => '-',
        other => other,
    }
}

/// Byte offsets in `hay` where `phrase` occurs as whole words (no letter or digit directly
/// before or after). Both are expected folded.
pub(crate) fn find_words(hay: &str, phrase: &str) -> Vec<usize> {
    let mut found = Vec::new();
    let mut from = 0;
    while let Some(pos) = hay[from..].find(phrase) {
        let start = from + pos;
        let end = start + phrase.len();
        let before = hay[..start].chars().next_back();
        let after = hay[end..].chars().next();
        if !before.is_some_and(char::is_alphanumeric) && !after.is_some_and(char::is_alphanumeric) {
            found.push(start);
        }
        from = start + phrase.chars().next().map_or(1, char::len_utf8);
    }
    found
}

/// The first phrase of `phrases` found in `hay` as whole words, with its offset.
pub(crate) fn first_of<'p>(hay: &str, phrases: &[&'p str]) -> Option<(usize, &'p str)> {
    phrases
        .iter()
        .filter_map(|phrase| find_words(hay, phrase).first().map(|&at| (at, *phrase)))
        .min_by_key(|&(at, _)| at)
}

/// E-mail addresses in `text`, lowercased, in order, `<>` and trailing punctuation removed.
pub(crate) fn addresses(text: &str) -> Vec<String> {
    text.split(|c: char| {
        c.is_whitespace()
            || matches!(
                c,
                '<' | '>' | '(' | ')' | '"' | ',' | ';' | '[' | ']' | '\''
            )
    })
    .filter_map(|word| {
        let word = word.trim_matches(|c: char| matches!(c, '.' | ':'));
        let word = word.strip_prefix("mailto:").unwrap_or(word);
        let (local, domain) = word.split_once('@')?;
        let plausible = !local.is_empty()
            && domain.contains('.')
            && !domain.starts_with('.')
            && !domain.ends_with('.')
            && !domain.contains('@')
            && word
                .chars()
                .all(|c| c.is_alphanumeric() || "@.-_+=%!#$&*/?^{|}~".contains(c));
        plausible.then(|| word.to_lowercase())
    })
    .collect()
}

/// Whether the text names a money amount: a currency sign or code next to a number
/// ("$500", "500 €", "1.5k USD", "R$ 900", "300 euros").
pub(crate) fn has_money(text: &str) -> bool {
    const SIGNS: &[char] = &['$', '€', '£', '¥', '₹'];
    const WORDS: &[&str] = &[
        "usd", "eur", "gbp", "cad", "aud", "brl", "dollars", "dollar", "euros", "euro", "bucks",
        "reais", "pounds",
    ];
    let chars: Vec<char> = text.chars().collect();
    let digit_near = |i: usize| {
        let lo = i.saturating_sub(2);
        let hi = (i + 3).min(chars.len());
        chars[lo..hi].iter().any(char::is_ascii_digit)
    };
    if chars
        .iter()
        .enumerate()
        .any(|(i, c)| SIGNS.contains(c) && digit_near(i))
    {
        return true;
    }
    let folded = fold(text);
    let words: Vec<&str> = folded
        .split(|c: char| !(c.is_alphanumeric() || c == '.' || c == ','))
        .map(|w| w.trim_end_matches(['.', ',']))
        .filter(|w| !w.is_empty())
        .collect();
    words.windows(2).any(|pair| {
        let number = pair[0].trim_end_matches(['k', '.', ',']);
        !number.is_empty()
            && number
                .chars()
                .all(|c| c.is_ascii_digit() || c == '.' || c == ',')
            && WORDS.contains(&pair[1])
    }) || words.iter().any(|w| {
        // "500k", "2.5k": the agency's own shorthand for a fee
        w.strip_suffix('k').is_some_and(|n| {
            !n.is_empty()
                && n.chars().next().is_some_and(|c| c.is_ascii_digit())
                && n.chars().all(|c| c.is_ascii_digit() || c == '.')
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fold_strips_accents_and_collapses_spaces() {
        assert_eq!(fold("Désolé  d’être\u{a0}ABSENT"), "desole d'etre absent");
        assert_eq!(fold("  Zurück am\n3. Januar "), "zuruck am 3. januar");
    }

    #[test]
    fn phrases_match_whole_words_only() {
        assert_eq!(find_words("please unsubscribe me", "unsubscribe"), vec![7]);
        assert!(find_words("unsubscribed yesterday", "unsubscribe").is_empty());
        assert!(find_words("nonstop", "stop").is_empty());
        assert_eq!(first_of("b a b", &["b", "a"]), Some((0, "b")));
    }

    #[test]
    fn addresses_are_found_and_lowercased() {
        assert_eq!(
            addresses("<Jane.Doe@X.com>: host mx said; also mailto:a@b.org."),
            vec!["jane.doe@x.com", "a@b.org"]
        );
        assert!(addresses("user@localhost or @handle").is_empty());
    }

    #[test]
    fn money_needs_a_currency_next_to_a_number() {
        for yes in [
            "va bene 400 euro.",
            "$500 works",
            "500$",
            "1.200 €",
            "R$ 900",
            "300 euros",
            "2.5k",
            "400 USD",
        ] {
            assert!(has_money(yes), "{yes}");
        }
        for no in [
            "back on 12/15",
            "call +1 555 0100",
            "$ sign",
            "room 500",
            "I am out",
        ] {
            assert!(!has_money(no), "{no}");
        }
    }
}
