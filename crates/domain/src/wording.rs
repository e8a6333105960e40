//! The template's words a team may change (greetings, compliments, openers, transitions,
//! closings, sign-offs), filled in with agreeing articles and chosen per creator, stably.
//!
//! The money lines and the scope of work are not here: `template` writes them from the plan.

use std::collections::BTreeSet;

use crate::budget::Budget;
use crate::email::{EmailKind, EmailPlan};
use crate::gate::{self, GatePolicy, Violation};
use crate::money::Money;
use crate::platform::Platform;

/// The placeholders a phrase may use.
pub const PLACEHOLDERS: [&str; 5] = ["first_name", "client", "platform", "sender_name", "team"];

/// The words of one stage (one kind of email). Each list may be empty: that piece is left out.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct StageWording {
    /// The first sentence after the greeting.
    pub openers: Vec<String>,
    /// Said of the creator's work, after the opener.
    pub compliments: Vec<String>,
    /// The sentence before the money line (or, in a decline, the decision itself).
    pub transitions: Vec<String>,
    /// The last paragraph before the sign-off.
    pub closings: Vec<String>,
}

/// Every stage's words, and the greeting and sign-off shared by all.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Wording {
    /// "Hi {first_name},".
    pub greetings: Vec<String>,
    /// "Best regards,": the line above the sender's name.
    pub sign_offs: Vec<String>,
    pub opening: StageWording,
    pub counter: StageWording,
    pub answer: StageWording,
    pub agreement: StageWording,
    pub follow_up: StageWording,
    pub decline: StageWording,
}

impl Default for Wording {
    fn default() -> Self {
        Wording::builtin()
    }
}

fn list(items: &[&str]) -> Vec<String> {
    items.iter().map(|s| (*s).to_owned()).collect()
}

impl Wording {
    /// The built-in words (the shipped knowledge base's stage files say the same).
    pub fn builtin() -> Self {
        Wording {
            greetings: list(&["Hi {first_name},"]),
            sign_offs: list(&["Best regards,"]),
            opening: StageWording {
                openers: list(&["I hope you're doing well!"]),
                compliments: list(&[
                    "We've been following your {platform} content and love how genuinely you \
                     connect with your audience; it's exactly the kind of voice we'd like to \
                     work with.",
                    "Your {platform} content caught our eye: it feels honest and personal, and \
                     your audience clearly trusts what you share.",
                    "We keep coming back to your {platform} page; the care you put into every \
                     piece shows, and it's a great fit for {client}.",
                    "We love the warmth and humour you bring to {platform}, and we think \
                     {client}'s audience would too.",
                    "Your {platform} content stands out for how natural it feels; you make \
                     every recommendation sound like advice from a friend.",
                ]),
                transitions: list(&[
                    "We'd love to partner with you on a {client} campaign on {platform}.",
                ]),
                closings: list(&[
                    "If this sounds good, just reply to this email and we'll send over the \
                     next steps. We're also happy to answer any questions.",
                ]),
            },
            counter: StageWording {
                openers: list(&[
                    "Thank you so much for getting back to us, and for being open about what \
                     you had in mind.",
                ]),
                compliments: Vec::new(),
                transitions: list(&["We've taken a careful look on our side."]),
                closings: list(&[
                    "We think that's a fair rate for this scope, and we'd be excited to make \
                     this work with you. Let us know if this works for you, and we'll get \
                     everything moving right away.",
                ]),
            },
            answer: StageWording {
                openers: list(&[
                    "Thanks for your message, and we're happy to help clarify anything.",
                ]),
                compliments: Vec::new(),
                transitions: Vec::new(),
                closings: list(&[
                    "If anything else is unclear, just reply here and we'll get back to you \
                     quickly.",
                ]),
            },
            agreement: StageWording {
                openers: list(&[
                    "Wonderful news: we're thrilled to be working with you on this {client} \
                     campaign!",
                ]),
                compliments: Vec::new(),
                transitions: Vec::new(),
                closings: list(&["Thank you again, we can't wait to see what you create!"]),
            },
            follow_up: StageWording {
                openers: list(&[
                    "I wanted to follow up on our earlier note about partnering with {client} \
                     on {platform}, in case it got buried in your inbox.",
                ]),
                compliments: Vec::new(),
                transitions: Vec::new(),
                closings: list(&[
                    "If you have any questions or would like to talk it through, just reply \
                     here. We'd love to hear from you!",
                ]),
            },
            decline: StageWording {
                openers: list(&[
                    "Thank you for taking the time to talk with us about this {client} \
                     campaign. We really appreciate your openness.",
                ]),
                compliments: Vec::new(),
                transitions: list(&[
                    "After looking at everything carefully, we aren't able to move forward \
                     with this collaboration at this time.",
                ]),
                closings: list(&[
                    "We wish you all the best with your content, and thank you again for your \
                     time.",
                ]),
            },
        }
    }

    pub fn stage(&self, kind: EmailKind) -> &StageWording {
        match kind {
            EmailKind::Opening => &self.opening,
            EmailKind::Counter => &self.counter,
            EmailKind::Answer => &self.answer,
            EmailKind::Agreement => &self.agreement,
            EmailKind::FollowUp => &self.follow_up,
            EmailKind::Decline => &self.decline,
        }
    }

    pub fn stage_mut(&mut self, kind: EmailKind) -> &mut StageWording {
        match kind {
            EmailKind::Opening => &mut self.opening,
            EmailKind::Counter => &mut self.counter,
            EmailKind::Answer => &mut self.answer,
            EmailKind::Agreement => &mut self.agreement,
            EmailKind::FollowUp => &mut self.follow_up,
            EmailKind::Decline => &mut self.decline,
        }
    }
}

/// What the placeholders stand for in one email.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Slots {
    pub first_name: String,
    pub client: String,
    pub platform: String,
    pub sender_name: String,
    pub team: String,
}

impl Slots {
    fn get(&self, name: &str) -> Option<&str> {
        Some(match name {
            "first_name" => &self.first_name,
            "client" => &self.client,
            "platform" => &self.platform,
            "sender_name" => &self.sender_name,
            "team" => &self.team,
            _ => return None,
        })
    }
}

/// `phrase` with its placeholders filled; an "a" or "an" right before a placeholder agrees
/// with what is put there ("a {client} campaign" → "an Acme campaign"). An unknown
/// placeholder is left as written ([`phrase_problem`] refuses it when a file is loaded).
pub fn fill(phrase: &str, slots: &Slots) -> String {
    let mut out = String::with_capacity(phrase.len() + 32);
    let mut rest = phrase;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        let Some(close) = after.find('}') else {
            out.push_str(&rest[open..]);
            return out;
        };
        let name = after[..close].trim();
        match slots.get(name) {
            Some(value) => {
                agree_article(&mut out, value);
                out.push_str(value);
            }
            None => out.push_str(&rest[open..open + close + 2]),
        }
        rest = &after[close + 1..];
    }
    out.push_str(rest);
    out
}

/// Rewrites a trailing "a " / "an " in `out` (a whole word) to agree with `next`.
fn agree_article(out: &mut String, next: &str) {
    for written in ["a ", "an ", "A ", "An "] {
        let Some(before) = out.strip_suffix(written) else {
            continue;
        };
        if before.chars().last().is_some_and(char::is_alphanumeric) {
            return;
        }
        let capital = written.starts_with('A');
        let wanted = match (indefinite_article(next), capital) {
            ("an", true) => "An ",
            ("an", false) => "an ",
            (_, true) => "A ",
            _ => "a ",
        };
        let keep = before.len();
        out.truncate(keep);
        out.push_str(wanted);
        return;
    }
}

/// "a" or "an" before `word`, by its sound as far as the spelling tells: "an Acme", "an
/// Instagram Reel", "a YouTube video", "an hour", "a unique", "an FTC", "a UK".
pub fn indefinite_article(word: &str) -> &'static str {
    let first_word: String = word
        .trim()
        .split(|c: char| c.is_whitespace() || c == '-')
        .next()
        .unwrap_or("")
        .chars()
        .filter(|c| c.is_alphanumeric())
        .collect();
    let lower = first_word.to_lowercase();
    let letters = first_word.chars().count();
    let is_acronym = letters >= 2 && first_word.chars().all(|c| c.is_ascii_uppercase());
    if is_acronym {
        // Letters whose names start with a vowel sound: A, E, F, H, I, L, M, N, O, R, S, X.
        return match first_word.chars().next() {
            Some('A' | 'E' | 'F' | 'H' | 'I' | 'L' | 'M' | 'N' | 'O' | 'R' | 'S' | 'X') => "an",
            _ => "a",
        };
    }
    const SILENT_H: [&str; 4] = ["hour", "honest", "honor", "heir"];
    const YOU_SOUND: [&str; 6] = ["uni", "use", "usu", "uti", "eu", "ewe"];
    if SILENT_H.iter().any(|p| lower.starts_with(p)) {
        return "an";
    }
    if YOU_SOUND.iter().any(|p| lower.starts_with(p)) || lower.starts_with("one") {
        return "a";
    }
    if lower.starts_with('8') || lower == "11" || lower == "18" {
        return "an";
    }
    match lower.chars().next() {
        Some('a' | 'e' | 'i' | 'o' | 'u') => "an",
        _ => "a",
    }
}

/// Chooses from lists the same way every time for the same creator and client (a re-render
/// and a resumed run write the same words), and differently across creators.
#[derive(Clone, Copy, Debug)]
pub struct Chooser {
    seed: u64,
}

impl Chooser {
    /// Seeded by the influencer's and the client's names, as written in the plan.
    pub fn for_plan(plan: &EmailPlan) -> Self {
        let who = format!(
            "{}\n{}",
            one_line(&plan.influencer_name).to_lowercase(),
            one_line(&plan.client_name).to_lowercase()
        );
        Chooser {
            seed: fnv1a(who.as_bytes(), FNV_OFFSET),
        }
    }

    /// One of `items` for the slot named `slot`; `None` when the list is empty.
    pub fn choose<'a>(&self, items: &'a [String], slot: &str) -> Option<&'a String> {
        if items.is_empty() {
            return None;
        }
        let hash = fnv1a(slot.as_bytes(), self.seed);
        let len = u64::try_from(items.len()).unwrap_or(u64::MAX);
        let index = usize::try_from(hash % len).unwrap_or(0);
        items.get(index)
    }
}

const FNV_OFFSET: u64 = 0xcbf2_9ce4_8422_2325;

/// FNV-1a: stable across builds and platforms, unlike the standard library's hasher.
fn fnv1a(bytes: &[u8], start: u64) -> u64 {
    bytes.iter().fold(start, |hash, byte| {
        (hash ^ u64::from(*byte)).wrapping_mul(0x0100_0000_01b3)
    })
}

fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Why `phrase` cannot be used in an email, if it cannot: an unknown or unclosed placeholder,
/// or anything the validation gate refuses with every figure and format left out (an amount,
/// a deliverable, a count, a commitment in `policy`'s forbidden phrases).
pub fn phrase_problem(phrase: &str, policy: &GatePolicy) -> Option<String> {
    let mut unknown = BTreeSet::new();
    let mut rest = phrase;
    while let Some(open) = rest.find('{') {
        let after = &rest[open + 1..];
        let Some(close) = after.find('}') else {
            return Some("has a `{` with no closing `}`".to_owned());
        };
        let name = after[..close].trim();
        if !PLACEHOLDERS.contains(&name) {
            unknown.insert(name.to_owned());
        }
        rest = &after[close + 1..];
    }
    if rest.contains('}') {
        return Some("has a `}` with no opening `{`".to_owned());
    }
    if !unknown.is_empty() {
        return Some(format!(
            "uses {{{}}}, which is not a placeholder; use {}",
            unknown.into_iter().collect::<Vec<_>>().join("}, {"),
            PLACEHOLDERS.map(|p| format!("{{{p}}}")).join(", ")
        ));
    }
    let slots = Slots {
        first_name: "Jane".to_owned(),
        client: "Acme".to_owned(),
        platform: "Instagram".to_owned(),
        sender_name: "Sam Rivera".to_owned(),
        team: "Brightside Talent".to_owned(),
    };
    let text = fill(phrase, &slots);
    for platform in Platform::ALL {
        let plan = EmailPlan {
            kind: EmailKind::Decline,
            influencer_name: "Jane Doe".to_owned(),
            client_name: "Acme".to_owned(),
            platform,
            deliverables: Vec::new(),
            our_rate: None,
            their_rate: None,
            ceiling_rate: Money::ZERO,
        };
        let Err(failure) = gate::check(&text, &plan, &Budget::plan_only(Money::ZERO), policy)
        else {
            continue;
        };
        let found: Vec<String> = failure
            .violations
            .iter()
            .filter_map(|v| match v {
                Violation::TooShort | Violation::MissingOurRate => None,
                Violation::ForbiddenPhrase(words) => Some(format!(
                    "says {words:?}, a commitment the gate refuses in every email"
                )),
                Violation::UndeclaredDeliverable(kind)
                | Violation::QuantityMismatch { kind, .. } => Some(format!(
                    "names {} {}; the scope of work names the deliverables, so wording \
                         says \"the content\" instead",
                    indefinite_article(kind.label()),
                    kind.label()
                )),
                Violation::UnexpectedAmount { text, .. }
                | Violation::PerUnitAmount { text, .. } => Some(format!(
                    "states {text:?}; amounts come only from the plan, never from wording"
                )),
                Violation::AboveCeiling { found, .. } | Violation::OverBudget { found, .. } => {
                    Some(format!(
                        "states {found}; amounts come only from the plan, never from wording"
                    ))
                }
            })
            .collect();
        if let Some(first) = found.into_iter().next() {
            return Some(first);
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn slots(client: &str) -> Slots {
        Slots {
            first_name: "Jane".to_owned(),
            client: client.to_owned(),
            platform: "Instagram".to_owned(),
            ..Slots::default()
        }
    }

    #[test]
    fn articles_agree_with_what_is_filled_in() {
        let phrase = "We'd love to partner with you on a {client} campaign on {platform}.";
        assert_eq!(
            fill(phrase, &slots("Acme")),
            "We'd love to partner with you on an Acme campaign on Instagram."
        );
        assert_eq!(
            fill(phrase, &slots("Glow Skincare")),
            "We'd love to partner with you on a Glow Skincare campaign on Instagram."
        );
        assert_eq!(
            fill("An {client} deal. A {platform} post.", &slots("Nike")),
            "A Nike deal. An Instagram post."
        );
        assert_eq!(fill("Data {client}", &slots("Ohm")), "Data Ohm");
    }

    #[test]
    fn the_article_follows_the_sound() {
        for (word, article) in [
            ("Acme", "an"),
            ("Instagram Reel", "an"),
            ("YouTube integration", "a"),
            ("hour", "an"),
            ("Unilever", "a"),
            ("HBO", "an"),
            ("UK brand", "a"),
            ("Oreo", "an"),
            ("Glow", "a"),
            ("8 Greens", "an"),
        ] {
            assert_eq!(indefinite_article(word), article, "{word}");
        }
    }

    #[test]
    fn choices_are_stable_per_creator_and_vary_across_creators() {
        let wording = Wording::builtin();
        let plan = |name: &str| EmailPlan {
            kind: EmailKind::Opening,
            influencer_name: name.to_owned(),
            client_name: "Acme".to_owned(),
            platform: Platform::Instagram,
            deliverables: Vec::new(),
            our_rate: None,
            their_rate: None,
            ceiling_rate: Money::ZERO,
        };
        let compliments = &wording.opening.compliments;
        let pick = |name: &str| Chooser::for_plan(&plan(name)).choose(compliments, "compliment");
        assert_eq!(pick("Jane Doe"), pick(" jane  doe "));
        let distinct: BTreeSet<_> = (0..20).map(|i| pick(&format!("Creator {i}"))).collect();
        assert!(distinct.len() >= 3, "{distinct:?}");
    }

    #[test]
    fn every_builtin_phrase_passes() {
        let w = Wording::builtin();
        let policy = GatePolicy::default();
        let stages = EmailKind::ALL.iter().map(|k| w.stage(*k));
        for phrase in stages
            .flat_map(|s| [&s.openers, &s.compliments, &s.transitions, &s.closings])
            .chain([&w.greetings, &w.sign_offs])
            .flatten()
        {
            assert_eq!(phrase_problem(phrase, &policy), None, "{phrase}");
        }
    }

    #[test]
    fn a_phrase_with_a_figure_a_format_or_a_promise_is_refused() {
        let policy = GatePolicy::default();
        for (phrase, says) in [
            ("We can pay $500 more.", "amounts come only from the plan"),
            ("We'd love two reels from you.", "names an Instagram reel"),
            ("This is an exclusive deal.", "exclusive"),
            ("Hi {name},", "{name}"),
            ("Hi {first_name,", "no closing"),
        ] {
            let problem = phrase_problem(phrase, &policy).unwrap_or_default();
            assert!(problem.contains(says), "{phrase}: {problem}");
        }
        assert_eq!(phrase_problem("Hello {first_name}!", &policy), None);
    }
}
