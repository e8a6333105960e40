//! The words of a reply: canonical lowercased tokens with byte spans, sentences and clauses.

use std::collections::HashMap;
use std::ops::Range;

/// One word as written, with its canonical form (lowercased, curly apostrophes straightened,
/// common shorthand and missing apostrophes repaired: `cant` → `can't`, `u` → `you`).
#[derive(Clone, Debug)]
pub(super) struct Token {
    pub text: String,
    pub span: Range<usize>,
    pub sentence: usize,
    pub clause: usize,
}

/// Where a phrase matched: token indices, both ends included.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) struct Match {
    pub first: usize,
    pub last: usize,
}

/// A reply split into tokens, sentences and clauses.
#[derive(Debug)]
pub(super) struct Words<'a> {
    pub text: &'a str,
    pub tokens: Vec<Token>,
    /// Byte range of each sentence, in order; sentence `i` of a token indexes this.
    pub sentences: Vec<Range<usize>>,
    /// Where each word occurs, in order: a pattern that starts with a whole word is tried only
    /// there (the rules try a few hundred patterns on every reply).
    at: HashMap<String, Vec<usize>>,
}

/// Words that turn the phrase after them around ("not happy", "can't do", "doesn't work").
const NEGATORS: [&str; 20] = [
    "not",
    "no",
    "never",
    "can't",
    "cannot",
    "don't",
    "doesn't",
    "didn't",
    "won't",
    "wouldn't",
    "isn't",
    "aren't",
    "wasn't",
    "couldn't",
    "shouldn't",
    "unable",
    "nor",
    "neither",
    "hardly",
    "nothing",
];

impl<'a> Words<'a> {
    pub fn new(text: &'a str) -> Self {
        let sentences = sentence_ranges(text);
        let mut tokens = Vec::new();
        let mut clause = 0;
        let mut last_end = 0;
        let mut last_sentence = None;
        for span in word_spans(text) {
            let sentence = sentences
                .iter()
                .position(|s| s.contains(&span.start))
                .unwrap_or(sentences.len().saturating_sub(1));
            let gap = &text[last_end..span.start];
            let text_here = canonical(&text[span.clone()]);
            let inside_number = matches!(gap, "," | ".")
                && text[..last_end].ends_with(|c: char| c.is_ascii_digit())
                && text[span.clone()].starts_with(|c: char| c.is_ascii_digit());
            let new_clause = last_sentence.is_some_and(|s| s != sentence)
                || (gap.contains([',', ';', ':', '(', ')', '—', '–', '"']) && !inside_number)
                || gap.contains(" - ")
                || matches!(
                    text_here.as_str(),
                    "but" | "however" | "though" | "although" | "unless" | "except"
                );
            if new_clause && last_sentence.is_some() {
                clause += 1;
            }
            last_sentence = Some(sentence);
            last_end = span.end;
            tokens.push(Token {
                text: text_here,
                span,
                sentence,
                clause,
            });
        }
        let mut at: HashMap<String, Vec<usize>> = HashMap::new();
        for (i, token) in tokens.iter().enumerate() {
            at.entry(token.text.clone()).or_default().push(i);
        }
        Words {
            text,
            tokens,
            sentences,
            at,
        }
    }

    pub fn word(&self, i: usize) -> &str {
        self.tokens.get(i).map_or("", |t| t.text.as_str())
    }

    /// Every place `pattern` occurs inside one sentence. Words are separated by spaces; a word
    /// ending in `*` matches any word starting with it; `..` skips up to two words.
    pub fn find(&self, pattern: &str) -> Vec<Match> {
        let first = match pattern.split_whitespace().next() {
            Some(first) if first != ".." => first,
            _ => return Vec::new(),
        };
        let all;
        let starts: &[usize] = if first.ends_with('*') {
            all = (0..self.tokens.len()).collect::<Vec<_>>();
            &all
        } else {
            match self.at.get(first) {
                Some(starts) => starts,
                // Most patterns start with a word the reply does not have.
                None => return Vec::new(),
            }
        };
        let parts: Vec<&str> = pattern.split_whitespace().collect();
        starts
            .iter()
            .filter_map(|&start| {
                let last = self.match_from(&parts, start)?;
                Some(Match { first: start, last })
            })
            .collect()
    }

    /// Every match of any of the patterns, in text order, overlapping matches kept once.
    pub fn find_any(&self, patterns: &[&str]) -> Vec<Match> {
        let mut all: Vec<Match> = patterns.iter().flat_map(|p| self.find(p)).collect();
        all.sort_by_key(|m| (m.first, std::cmp::Reverse(m.last)));
        let mut kept: Vec<Match> = Vec::new();
        for m in all {
            if kept.last().is_none_or(|k| m.first > k.last) {
                kept.push(m);
            }
        }
        kept
    }

    fn match_from(&self, parts: &[&str], start: usize) -> Option<usize> {
        let sentence = self.tokens.get(start)?.sentence;
        let mut at = start;
        let mut last = start;
        let mut i = 0;
        while i < parts.len() {
            if parts[i] == ".." {
                let rest = &parts[i + 1..];
                return (0..=2).find_map(|skip| {
                    let next = at + skip;
                    let token = self.tokens.get(next)?;
                    if token.sentence != sentence {
                        return None;
                    }
                    if rest.is_empty() {
                        return Some(last);
                    }
                    self.match_from(rest, next)
                });
            }
            let token = self.tokens.get(at)?;
            if token.sentence != sentence || !word_matches(&token.text, parts[i]) {
                return None;
            }
            last = at;
            at += 1;
            i += 1;
        }
        Some(last)
    }

    /// True when one of the three words before the match, in the same clause, negates it.
    /// "No worries", "no problem", "why not" and "can't wait" do not negate.
    pub fn negated(&self, m: Match) -> bool {
        let clause = self.tokens[m.first].clause;
        (m.first.saturating_sub(3)..m.first).any(|i| {
            let t = &self.tokens[i];
            let next = self.word(i + 1);
            t.clause == clause
                && NEGATORS.contains(&t.text.as_str())
                && !(t.text == "no" && matches!(next, "problem" | "worries" | "doubt" | "question"))
                && !(t.text == "not" && i > 0 && self.word(i - 1) == "why")
                && !(matches!(t.text.as_str(), "can't" | "cannot") && next == "wait")
        })
    }

    /// The index of the sentence holding byte `at`.
    pub fn sentence_at(&self, at: usize) -> usize {
        self.sentences
            .iter()
            .position(|s| s.contains(&at))
            .unwrap_or(self.sentences.len().saturating_sub(1))
    }

    /// The sentence holding the match, as written, for an evidence quote; a sentence longer
    /// than 240 bytes is cut to twelve words either side of the match.
    pub fn quote(&self, m: Match) -> String {
        let sentence = self.tokens[m.first].sentence;
        let range = self
            .sentences
            .get(sentence)
            .cloned()
            .unwrap_or(0..self.text.len());
        let (start, end) = if range.len() <= 240 {
            (range.start, range.end)
        } else {
            let first = (m.first.saturating_sub(12)..=m.first)
                .find(|&i| self.tokens[i].sentence == sentence)
                .unwrap_or(m.first);
            let last = (m.last..self.tokens.len().min(m.last + 13))
                .take_while(|&i| self.tokens[i].sentence == sentence)
                .last()
                .unwrap_or(m.last);
            (self.tokens[first].span.start, self.tokens[last].span.end)
        };
        self.text[start..end]
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
    }

    /// The words (canonical) before byte `at` in its sentence, nearest first, at most `n`.
    pub fn words_before(&self, at: usize, n: usize) -> Vec<&str> {
        let sentence = self.sentence_at(at);
        self.tokens
            .iter()
            .rev()
            .filter(|t| t.span.end <= at && t.sentence == sentence)
            .take(n)
            .map(|t| t.text.as_str())
            .collect()
    }

    /// The words (canonical) after byte `at` in its sentence, nearest first, at most `n`.
    pub fn words_after(&self, at: usize, n: usize) -> Vec<&str> {
        let sentence = self.sentence_at(at);
        self.tokens
            .iter()
            .filter(|t| t.span.start >= at && t.sentence == sentence)
            .take(n)
            .map(|t| t.text.as_str())
            .collect()
    }

    /// How many words hold at least one letter.
    pub fn word_count(&self) -> usize {
        self.tokens
            .iter()
            .filter(|t| t.text.chars().any(char::is_alphabetic))
            .count()
    }
}

fn word_matches(word: &str, part: &str) -> bool {
    match part.strip_suffix('*') {
        Some(prefix) => word.starts_with(prefix),
        None => word == part,
    }
}

/// Runs of letters and digits; an apostrophe between letters stays inside the word.
fn word_spans(text: &str) -> Vec<Range<usize>> {
    let mut spans = Vec::new();
    let mut start: Option<usize> = None;
    let mut chars = text.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        let inner_apostrophe = matches!(c, '\'' | '’')
            && start.is_some()
            && chars.peek().is_some_and(|(_, n)| n.is_alphabetic());
        if c.is_alphanumeric() || inner_apostrophe {
            start.get_or_insert(i);
        } else if let Some(s) = start.take() {
            spans.push(s..i);
        }
    }
    if let Some(s) = start {
        spans.push(s..text.len());
    }
    spans
}

/// Sentences end at `!`, `?`, a line break, or a `.` followed by a space or the end (so
/// `1.5k` and `$1,500.00` stay whole).
fn sentence_ranges(text: &str) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut start = 0;
    let mut chars = text.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        let next = chars.peek().map(|(_, n)| *n);
        let ends = match c {
            '!' | '?' | '\n' | '…' => true,
            '.' => next.is_none_or(char::is_whitespace),
            _ => false,
        };
        if ends {
            let end = i + c.len_utf8();
            if !text[start..end].trim().is_empty() {
                out.push(start..end);
            }
            start = end;
        }
    }
    if !text[start..].trim().is_empty() {
        out.push(start..text.len());
    }
    if out.is_empty() {
        out.push(0..text.len());
    }
    out
}

/// Lowercase, straight apostrophes, letters repeated three times or more cut to two
/// ("soooo" → "soo", "goood" → "good"), then shorthand and missing apostrophes repaired.
fn canonical(word: &str) -> String {
    let lower = word.to_lowercase().replace('’', "'");
    let mut squeezed = String::with_capacity(lower.len());
    let mut run = 0;
    let mut prev = None;
    for c in lower.chars() {
        if Some(c) == prev {
            run += 1;
        } else {
            run = 1;
            prev = Some(c);
        }
        if run <= 2 || !c.is_alphabetic() {
            squeezed.push(c);
        }
    }
    let fixed = match squeezed.as_str() {
        "cant" => "can't",
        "dont" => "don't",
        "doesnt" => "doesn't",
        "didnt" => "didn't",
        "wont" => "won't",
        "wouldnt" => "wouldn't",
        "couldnt" => "couldn't",
        "shouldnt" => "shouldn't",
        "isnt" => "isn't",
        "arent" => "aren't",
        "wasnt" => "wasn't",
        "im" => "i'm",
        "ive" => "i've",
        "id" => "i'd",
        "lets" => "let's",
        "thats" => "that's",
        "youre" => "you're",
        "were" => "were",
        "u" => "you",
        "ur" => "your",
        "r" => "are",
        "pls" | "plz" | "pleasee" => "please",
        "thx" | "ty" | "tks" | "thnx" | "thnks" => "thanks",
        "k" | "kk" | "okk" | "okie" | "okey" | "okey-dokey" => "ok",
        "yess" | "yas" | "yass" => "yes",
        "yea" | "ya" | "yah" | "yh" => "yeah",
        "gud" => "good",
        "gr8" => "great",
        "sonds" | "soudns" | "sounsd" | "souds" => "sounds",
        "intrested" | "intersted" | "interessted" => "interested",
        "definately" | "defintely" => "definitely",
        "wat" | "wut" => "what",
        "abt" => "about",
        "tho" => "though",
        "cuz" | "bc" => "because",
        "wanna" => "want",
        other => other,
    };
    fixed.to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_canonical_and_sentences_split_outside_numbers() {
        let w = Words::new("Sooo cant do $1.5k. OK?\nThanks");
        let words: Vec<&str> = w.tokens.iter().map(|t| t.text.as_str()).collect();
        assert_eq!(words, ["soo", "can't", "do", "1", "5k", "ok", "thanks"]);
        assert_eq!(w.sentences.len(), 3);
        assert_eq!(w.tokens[4].sentence, 0);
        assert_eq!(w.tokens[5].sentence, 1);
    }

    #[test]
    fn finds_phrases_with_wildcards_and_gaps() {
        let w = Words::new("Could you go a bit higher? Contracts attached.");
        assert_eq!(
            w.find("could you go .. higher"),
            vec![Match { first: 0, last: 5 }]
        );
        assert_eq!(w.find("contract*").len(), 1);
        assert!(
            w.find("higher contracts").is_empty(),
            "phrases stay inside a sentence"
        );
    }

    #[test]
    fn negation_stays_inside_its_clause() {
        let w = Words::new("No worries, sounds good. That is not what works for me");
        let m = w.find("sounds good")[0];
        assert!(!w.negated(m));
        let m = w.find("works for me")[0];
        assert!(w.negated(m));
        let w = Words::new("Not a problem, sounds good");
        assert!(!w.negated(w.find("sounds good")[0]));
    }

    #[test]
    fn quotes_the_sentence_around_a_match() {
        let w = Words::new("Hi there. My lawyer will review the contract first! Thanks");
        let m = w.find("lawyer")[0];
        assert_eq!(w.quote(m), "My lawyer will review the contract first!");
    }
}
