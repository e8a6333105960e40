//! The three escalation flags (hostile tone, legal language, unusual deliverables), each
//! with the sentence that raised it as evidence.
//!
//! A flag only sends the reply to a person, so the lists lean towards raising one: a false
//! alarm costs a look, a missed threat or contract clause costs much more. Negation does not
//! lower a flag ("no exclusivity" is still about exclusivity).

use negotiator_domain::Evidence;

use super::words::{Match, Words};

/// Threats, ultimatums, insults and passive aggression; firm bargaining and a polite no are
/// not hostile.
const HOSTILE: &[&str] = &[
    // Insults and contempt.
    "idiot*",
    "stupid",
    "moron*",
    "clown*",
    "pathetic",
    "insult*",
    "disrespect*",
    "ridiculous",
    "laughable",
    "a joke",
    "what a joke",
    "scam*",
    "shady",
    "greedy",
    "cheapskate*",
    "so cheap",
    "garbage",
    "trash",
    "crap",
    "bs",
    "bullshit",
    "fuck*",
    "wtf",
    "shit*",
    "screw you",
    "screw this",
    "get lost",
    "piss off",
    "go away",
    "shut up",
    "hell no",
    "leech*",
    "exploit*",
    "how dare",
    "who do you think",
    "beneath me",
    // Threats.
    "report you",
    "i'll report",
    "will report",
    "expose you",
    "call you out",
    "calling you out",
    "tell my followers",
    "tell my audience",
    "warn other",
    "warn my",
    "bad review",
    "name and shame",
    "blacklist",
    "you'll regret",
    "you will regret",
    "or else",
    "sue",
    "suing",
    // Ultimatums.
    "take it or leave it",
    "final offer",
    "last chance",
    "or i walk",
    "or i'm out",
    "or we're done",
    "or forget it",
    "or nothing",
    "or no deal",
    "or forget about it",
    "this is your last",
    // Passive aggression.
    "per my last email",
    "as per my last",
    "as i already said",
    "i already told you",
    "i've already told you",
    "like i said",
    "for the last time",
    "for the second time",
    "did you even",
    "do you even",
    "clearly you",
    "with all due respect",
    "no offense",
    "no offence",
    "thanks for nothing",
    "good luck with that",
    "good luck finding",
    "must be nice",
    "nice try",
    "are you serious",
    "are you kidding",
    "you can't be serious",
    "waste of my time",
    "wasting my time",
    "waste my time",
    "stop spamming",
    "stop emailing",
    "stop contacting",
    "leave me alone",
    "do your research",
    "do your homework",
    "pay in exposure",
    "exposure doesn't",
    "you people",
];

/// Contracts, lawyers, legal action, terms, NDAs, exclusivity, IP, licensing and
/// representatives (agents, a management team); a casual "deal" or "agreement" is not legal.
const LEGAL: &[&str] = &[
    "contract*",
    "lawyer*",
    "attorney*",
    "legal*",
    "law firm",
    "lawsuit*",
    "sue",
    "suing",
    "sued",
    "court",
    "litigat*",
    "terms and conditions",
    "terms conditions",
    "terms of service",
    "terms of use",
    "t's and c's",
    "ts and cs",
    "tos",
    "nda",
    "ndas",
    "non disclosure",
    "nondisclosure",
    "confidentiality",
    "exclusiv*",
    "non compete",
    "noncompete",
    "intellectual property",
    "copyright*",
    "trademark*",
    "licens*",
    "licenc*",
    "usage rights",
    "usage right",
    "content rights",
    "image rights",
    "ownership of",
    "own the content",
    "owns the content",
    "indemn*",
    "liabilit*",
    "liable",
    "breach",
    "jurisdiction",
    "governing law",
    "cease and desist",
    "sign .. agreement",
    "signed agreement",
    "written agreement",
    "formal agreement",
    "service agreement",
    "services agreement",
    "in writing",
    "statement of work",
    "representative*",
    "my rep",
    "my agent",
    "our agent",
    "talent agent",
    "my management",
    "our management",
    "management team",
    "management company",
    "paperwork",
    "rights",
    "clause*",
    "addendum",
    "in perpetuity",
    "perpetual",
];

/// Anything beyond posts, stories, reels, videos and shorts.
const UNUSUAL: &[&str] = &[
    "event",
    "events",
    "appearance*",
    "appear at",
    "appear in person",
    "in person",
    "attend",
    "attending",
    "attendance",
    "meet and greet",
    "meet greet",
    "speaking engagement*",
    "speaking slot",
    "speak at",
    "keynote",
    "panel discussion",
    "on a panel",
    "livestream*",
    "live stream*",
    "live session",
    "do a live",
    "host a live",
    "going live with",
    "ig live",
    "instagram live",
    "tiktok live",
    "youtube live",
    "podcast*",
    "newsletter*",
    "blog post*",
    "ambassador*",
    "long term partnership",
    "long term collab*",
    "product design",
    "design input",
    "design a",
    "co design",
    "co create",
    "co branded",
    "capsule",
    "product line",
    "collab collection",
    "whitelist*",
    "white list*",
    "allowlist*",
    "allow list*",
    "paid ad",
    "paid ads",
    "paid media",
    "paid usage",
    "paid social",
    "ad spend",
    "boost the",
    "boost my",
    "boosted",
    "boosting",
    "spark ad*",
    "spark code*",
    "dark post*",
    "partnership ads",
    "branded content ads",
    "usage rights",
    "usage right",
    "usage terms",
    "usage period",
    "usage fee",
    "usage for",
    "usage of",
    "months of usage",
    "days of usage",
    "content licensing",
    "licens*",
    "licenc*",
    "in perpetuity",
    "perpetual",
    "raw footage",
    "raw files",
    "raw content",
    "ugc",
    "photo shoot",
    "photoshoot",
    "shoot day",
    "takeover",
    "giveaway",
];

/// The three flags of one reply.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(super) struct Flags {
    pub hostile: Option<Evidence>,
    pub legal: Option<Evidence>,
    pub unusual: Option<Evidence>,
}

impl Flags {
    pub fn read(words: &Words<'_>) -> Self {
        Flags {
            hostile: first(words, HOSTILE, not_a_name).or_else(|| hostile_emoji(words)),
            legal: first(words, LEGAL, not_a_name).or_else(|| abbreviation(words)),
            unusual: first(words, UNUSUAL, |w, m| {
                // "in the event that" is not an event.
                !(w.word(m.first) == "event"
                    && m.first > 1
                    && w.word(m.first - 1) == "the"
                    && w.word(m.first - 2) == "in")
            }),
        }
    }

    pub fn raised(&self) -> Vec<&'static str> {
        let mut out = Vec::new();
        if self.hostile.is_some() {
            out.push("hostile tone");
        }
        if self.legal.is_some() {
            out.push("legal terms");
        }
        if self.unusual.is_some() {
            out.push("unusual deliverables");
        }
        out
    }
}

/// "Sue" with a capital is a name, not a lawsuit.
fn not_a_name(words: &Words<'_>, m: Match) -> bool {
    let first = &words.tokens[m.first];
    !(first.text == "sue" && &words.text[first.span.clone()] == "Sue")
}

fn first(
    words: &Words<'_>,
    patterns: &[&str],
    keep: impl Fn(&Words<'_>, Match) -> bool,
) -> Option<Evidence> {
    words
        .find_any(patterns)
        .into_iter()
        .find(|m| keep(words, *m))
        .map(|m| Evidence {
            quote: words.quote(m),
        })
}

/// "IP" and "SOW" (ordinary words in lower case) in capitals, and "T&C" in any case.
fn abbreviation(words: &Words<'_>) -> Option<Evidence> {
    let capital = words
        .tokens
        .iter()
        .find(|t| matches!(&words.text[t.span.clone()], "IP" | "SOW"))
        .map(|t| t.span.start);
    let terms = words
        .text
        .as_bytes()
        .windows(3)
        .position(|w| w.eq_ignore_ascii_case(b"t&c"));
    sentence_evidence(words, capital.or(terms)?)
}

fn sentence_evidence(words: &Words<'_>, at: usize) -> Option<Evidence> {
    let range = words.sentences.get(words.sentence_at(at))?.clone();
    Some(Evidence {
        quote: words.text[range]
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" "),
    })
}

fn hostile_emoji(words: &Words<'_>) -> Option<Evidence> {
    const ANGRY: [char; 5] = ['🖕', '🤬', '😡', '💩', '🤡'];
    sentence_evidence(words, words.text.find(ANGRY)?)
}
