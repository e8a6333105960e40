//! What the words of a reply say about its intent, before any amount is read.

use super::lexicon::{
    ACCEPT, AT_THAT_PRICE, BARE_NO, CONDITIONS, DEFER, FILLERS, NEGATIVE, NEXT_STEPS, OBJECTION,
    POSITIVE, QUESTION_OPENERS, QUESTION_PHRASES, RATE_WORDS, REJECT, RHETORICAL, TALK_VERBS,
    TERMS,
};
use super::words::{Match, Words};

/// The intent phrases found in a reply, each as the words that matched.
#[derive(Clone, Debug, Default)]
pub(super) struct Signals {
    /// "sounds good", "let's do it" (not negated).
    pub accept: Vec<Match>,
    /// "yes", "ok", "great": weak on their own.
    pub positive: Vec<Match>,
    /// "not interested", "I'll pass".
    pub reject: Vec<Match>,
    /// "too low", "could you go higher", and a no to the price only ("I'll pass at that rate").
    pub objection: Vec<Match>,
    /// "doesn't work", "can't do", a negated acceptance ("not happy with").
    pub negative: Vec<Match>,
    /// The sentences of `negative` matches that talk about money.
    pub negative_about_money: bool,
    /// Sentences that ask something, by index.
    pub question_sentences: Vec<usize>,
    /// Of those, the ones that only ask what happens after a yes.
    pub next_step_sentences: Vec<usize>,
    /// "let me check with my manager".
    pub defer: Vec<Match>,
    /// "if you cover shipping", "as long as": a yes with strings attached.
    pub conditions: Vec<Match>,
    /// Emoji that agree (👍 🤝) or refuse (👎).
    pub thumbs_up: bool,
    pub thumbs_down: bool,
}

impl Signals {
    pub fn read(words: &Words<'_>) -> Self {
        let mut s = Signals::default();
        for m in words.find_any(ACCEPT) {
            let not_after = words.word(m.last + 1) == "not"
                && words.tokens.get(m.last + 1).map(|t| t.clause)
                    == Some(words.tokens[m.last].clause);
            if (words.negated(m) || not_after) && about_terms(words, m) {
                // "Fine by me, but I can't agree to any exclusivity": a term refused, which
                // is a condition on the yes rather than a no to the deal.
                s.conditions.push(m);
            } else if words.negated(m) || not_after {
                s.negative.push(m);
            } else if !talk_only(words, m) {
                s.accept.push(m);
            }
        }
        // "Deal!" on its own, or opening a sentence ("Deal at $2,000 for the package"); not
        // "the deal", "deal with", "deal breaker".
        for m in words.find("deal") {
            let sentence = words.tokens[m.first].sentence;
            let length = words
                .tokens
                .iter()
                .filter(|t| t.sentence == sentence)
                .count();
            let opens = m.first == 0 || words.tokens[m.first - 1].sentence != sentence;
            let next = words.word(m.last + 1);
            let opens_a_yes =
                opens && !matches!(next, "with" | "breaker" | "breakers" | "is" | "was" | "or");
            if (length <= 2 || opens_a_yes) && !words.negated(m) {
                s.accept.push(m);
            }
        }
        for m in words.find_any(POSITIVE) {
            let inside_accept = s.accept.iter().chain(&s.negative).any(|a| overlaps(*a, m));
            let not_after = words.word(m.last + 1) == "not";
            if !inside_accept && !not_after && !words.negated(m) && !talk_only(words, m) {
                s.positive.push(m);
            }
        }
        for m in words.find_any(REJECT) {
            if words.negated(m) {
                continue;
            }
            let sentence = words.tokens[m.first].sentence;
            let price_only = words
                .find_any(AT_THAT_PRICE)
                .iter()
                .any(|p| words.tokens[p.first].sentence == sentence && p.first > m.last);
            if price_only {
                s.objection.push(m);
            } else {
                s.reject.push(m);
            }
        }
        let words_only: Vec<&str> = words
            .tokens
            .iter()
            .map(|t| t.text.as_str())
            .filter(|w| !FILLERS.contains(w))
            .collect();
        if !words_only.is_empty()
            && words_only.len() <= 2
            && words_only.iter().all(|w| BARE_NO.contains(w))
            && s.reject.is_empty()
            && let Some(m) = words.find(words_only[0]).first()
        {
            s.reject.push(*m);
        }
        // A reply that ends on a plain no ("You people are clowns. No.") says no too; an
        // opening "No." is often the start of a counter.
        if s.reject.is_empty()
            && let Some(m) = bare_no_sentence(words)
        {
            s.reject.push(m);
        }
        s.objection.extend(words.find_any(OBJECTION));
        for m in words.find_any(NEGATIVE) {
            let inside = s.reject.iter().chain(&s.negative).any(|r| overlaps(*r, m));
            if inside {
                continue;
            }
            if about_terms(words, m) {
                s.conditions.push(m);
            } else {
                s.negative.push(m);
            }
        }
        s.negative.sort_by_key(|m| m.first);
        s.negative_about_money = s.negative.iter().any(|m| {
            let sentence = words.tokens[m.first].sentence;
            words
                .tokens
                .iter()
                .any(|t| t.sentence == sentence && RATE_WORDS.contains(&t.text.as_str()))
        });
        s.defer = words.find_any(DEFER);
        let conditions: Vec<Match> = words
            .find_any(CONDITIONS)
            .into_iter()
            .filter(|m| {
                // "let me know if you need anything" is not a condition.
                let before = if m.first > 0 {
                    words.word(m.first - 1)
                } else {
                    ""
                };
                !matches!(
                    before,
                    "know" | "see" | "ask" | "wondering" | "wonder" | "curious"
                )
            })
            .collect();
        s.conditions.extend(conditions);
        s.question_sentences = question_sentences(words);
        let next_steps = words.find_any(NEXT_STEPS);
        s.next_step_sentences = s
            .question_sentences
            .iter()
            .copied()
            .filter(|q| {
                next_steps
                    .iter()
                    .any(|m| words.tokens[m.first].sentence == *q)
            })
            .collect();
        s.thumbs_up = words.text.contains(['👍', '🤝', '🙌', '✅', '🎉', '🥳']);
        s.thumbs_down = words.text.contains('👎');
        s
    }

    /// Questions other than "what are the next steps?".
    pub fn real_questions(&self) -> impl Iterator<Item = usize> + '_ {
        self.question_sentences
            .iter()
            .copied()
            .filter(|q| !self.next_step_sentences.contains(q))
    }

    pub fn agrees(&self) -> bool {
        !self.accept.is_empty()
    }

    pub fn leans_positive(&self) -> bool {
        !self.positive.is_empty() || self.thumbs_up
    }
}

fn overlaps(a: Match, b: Match) -> bool {
    a.first <= b.last && b.first <= a.last
}

/// "Happy to discuss", "would love to chat": an offer to talk, not a yes.
fn talk_only(words: &Words<'_>, m: Match) -> bool {
    words.word(m.last) == "to" && TALK_VERBS.contains(&words.word(m.last + 1))
}

/// Sentences ending in `?`, or opening with a question word ("what", "can you") and not
/// ending in `!` or `.`, or holding an asking phrase ("I was wondering").
fn question_sentences(words: &Words<'_>) -> Vec<usize> {
    let phrases = words.find_any(QUESTION_PHRASES);
    let rhetorical = words.find_any(RHETORICAL);
    let mut out = Vec::new();
    for (i, range) in words.sentences.iter().enumerate() {
        if rhetorical
            .iter()
            .any(|m| words.tokens[m.first].sentence == i)
        {
            continue;
        }
        let sentence = words.text[range.clone()].trim_end();
        let first_word = words
            .tokens
            .iter()
            .find(|t| t.sentence == i)
            .map(|t| t.text.as_str());
        let opens_like_question = first_word.is_some_and(|w| QUESTION_OPENERS.contains(&w))
            && !sentence.ends_with(['!', '.']);
        let asks = phrases.iter().any(|m| words.tokens[m.first].sentence == i);
        if sentence.contains('?') || opens_like_question || asks {
            out.push(i);
        }
    }
    out
}

/// Whether the clause of `m` names a term of the deal (exclusivity, usage rights, a contract).
fn about_terms(words: &Words<'_>, m: Match) -> bool {
    let clause = words.tokens[m.first].clause;
    words
        .find_any(TERMS)
        .iter()
        .any(|t| t.first > m.last && words.tokens[t.first].clause == clause)
}

/// The last sentence, when it is one or two words that are all a plain no ("No.", "Nope.").
fn bare_no_sentence(words: &Words<'_>) -> Option<Match> {
    let last = words.tokens.last()?.sentence;
    Some(last).and_then(|sentence| {
        let kept: Vec<usize> = (0..words.tokens.len())
            .filter(|i| {
                let t = &words.tokens[*i];
                t.sentence == sentence && !FILLERS.contains(&t.text.as_str())
            })
            .collect();
        let all_no = !kept.is_empty()
            && kept.len() <= 2
            && kept
                .iter()
                .all(|i| BARE_NO.contains(&words.tokens[*i].text.as_str()));
        all_no.then(|| Match {
            first: kept[0],
            last: kept[0],
        })
    })
}
