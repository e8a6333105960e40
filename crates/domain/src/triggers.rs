//! Escalation triggers: which replies a human must see before the agent does anything.

use serde::{Deserialize, Serialize};

use crate::money::Cpm;
use crate::reply::{ClassifiedReply, Confidence, Evidence};

string_enum! {
    /// The kinds of trigger, in the order they are evaluated.
    pub enum TriggerKind ("trigger") {
        HostileTone => "hostile_tone",
        LegalLanguage => "legal_language",
        UnusualDeliverables => "unusual_deliverables",
        LowConfidence => "low_confidence",
        CpmOverThreshold => "cpm_over_threshold",
    }
}

/// Escalate when their proposed CPM is strictly above `threshold`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct CpmTrigger {
    pub enabled: bool,
    /// Written as text in configuration: `"$30.00"`.
    #[serde(with = "crate::policy::dollars")]
    pub threshold: Cpm,
}

impl Default for CpmTrigger {
    /// Off: an ask above the influencer's own limit already escalates, and a fixed absolute
    /// threshold would fight campaigns whose ceiling sits above it.
    fn default() -> Self {
        CpmTrigger {
            enabled: false,
            threshold: Cpm::from_dollars(30),
        }
    }
}

/// Escalate when the reader is less sure than `threshold`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ConfidenceTrigger {
    pub enabled: bool,
    pub threshold: Confidence,
}

impl Default for ConfidenceTrigger {
    fn default() -> Self {
        ConfidenceTrigger {
            enabled: true,
            threshold: Confidence::from_percent(70),
        }
    }
}

/// Escalate when the reader raised this flag or the reply contains one of the keywords.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct KeywordTrigger {
    pub enabled: bool,
    /// Whole words or phrases, any case, that escalate even when the reader saw nothing.
    pub always_escalate_keywords: Vec<String>,
}

impl Default for KeywordTrigger {
    fn default() -> Self {
        KeywordTrigger {
            enabled: true,
            always_escalate_keywords: Vec::new(),
        }
    }
}

/// Every trigger's settings.
#[derive(Clone, Debug, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct TriggerPolicy {
    pub cpm_over_threshold: CpmTrigger,
    pub low_confidence: ConfidenceTrigger,
    pub hostile_tone: KeywordTrigger,
    pub legal_language: KeywordTrigger,
    pub unusual_deliverables: KeywordTrigger,
}

/// A trigger that fired on a reply.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FiredTrigger {
    pub kind: TriggerKind,
    pub reason: String,
    /// The words that made it fire, when there are any.
    pub evidence: Option<Evidence>,
}

/// Lower-cased words of `text`: runs of letters, digits and apostrophes.
fn words(text: &str) -> Vec<String> {
    text.split(|c: char| !(c.is_alphanumeric() || c == '\'' || c == '\u{2019}'))
        .filter(|w| !w.is_empty())
        .map(|w| w.to_lowercase().replace('\u{2019}', "'"))
        .collect()
}

/// The first keyword that appears in `text` as whole words, in order, ignoring case.
fn first_keyword<'k>(text_words: &[String], keywords: &'k [String]) -> Option<&'k str> {
    keywords.iter().map(String::as_str).find(|keyword| {
        let wanted = words(keyword);
        !wanted.is_empty()
            && text_words
                .windows(wanted.len())
                .any(|w| w == wanted.as_slice())
    })
}

fn keyword_trigger(
    kind: TriggerKind,
    label: &str,
    trigger: &KeywordTrigger,
    flag: Option<&Evidence>,
    text_words: &[String],
) -> Option<FiredTrigger> {
    if !trigger.enabled {
        return None;
    }
    let keyword = first_keyword(text_words, &trigger.always_escalate_keywords);
    match (flag, keyword) {
        (Some(evidence), keyword) => Some(FiredTrigger {
            kind,
            reason: match keyword {
                Some(k) => format!("{label}: the reader flagged it and it says \"{k}\""),
                None => format!("{label}: the reader flagged it"),
            },
            evidence: Some(evidence.clone()),
        }),
        (None, Some(k)) => Some(FiredTrigger {
            kind,
            reason: format!("{label}: the reply says \"{k}\", an always-escalate keyword"),
            evidence: Some(Evidence {
                quote: k.to_owned(),
            }),
        }),
        (None, None) => None,
    }
}

/// The triggers that fire on `reply`. `proposed_cpm` is the CPM their own ask implies
/// (never our target); `None` when they named no rate.
pub fn evaluate(
    reply: &ClassifiedReply,
    proposed_cpm: Option<Cpm>,
    policy: &TriggerPolicy,
) -> Vec<FiredTrigger> {
    let text_words = words(&reply.text);
    let mut fired: Vec<FiredTrigger> = [
        (
            TriggerKind::HostileTone,
            "hostile tone",
            &policy.hostile_tone,
            reply.hostile.as_ref(),
        ),
        (
            TriggerKind::LegalLanguage,
            "legal language",
            &policy.legal_language,
            reply.legal.as_ref(),
        ),
        (
            TriggerKind::UnusualDeliverables,
            "unusual deliverables",
            &policy.unusual_deliverables,
            reply.unusual_deliverables.as_ref(),
        ),
    ]
    .into_iter()
    .filter_map(|(kind, label, trigger, flag)| {
        keyword_trigger(kind, label, trigger, flag, &text_words)
    })
    .collect();

    let low = policy.low_confidence;
    if low.enabled && reply.confidence < low.threshold {
        fired.push(FiredTrigger {
            kind: TriggerKind::LowConfidence,
            reason: format!(
                "the reader is {}% sure it is {}, below the {}% threshold",
                reply.confidence.percent(),
                reply.intent.as_str(),
                low.threshold.percent()
            ),
            evidence: None,
        });
    }

    let cpm = policy.cpm_over_threshold;
    if let Some(proposed) = proposed_cpm
        && cpm.enabled
        && proposed > cpm.threshold
    {
        fired.push(FiredTrigger {
            kind: TriggerKind::CpmOverThreshold,
            reason: format!(
                "their ask implies a {proposed} CPM, above the {} threshold",
                cpm.threshold
            ),
            evidence: None,
        });
    }
    fired
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::reply::Intent;

    fn reply(text: &str) -> ClassifiedReply {
        ClassifiedReply {
            intent: Intent::Counter,
            proposed_rate: None,
            deliverables: Vec::new(),
            confidence: Confidence::from_percent(95),
            hostile: None,
            legal: None,
            unusual_deliverables: None,
            summary: String::new(),
            text: text.to_owned(),
        }
    }

    fn with_keywords(keywords: &[&str]) -> TriggerPolicy {
        let mut policy = TriggerPolicy::default();
        policy.legal_language.always_escalate_keywords =
            keywords.iter().map(|k| (*k).to_owned()).collect();
        policy
    }

    #[test]
    fn a_calm_reply_fires_nothing() {
        assert!(
            evaluate(
                &reply("Could you do $1,200?"),
                None,
                &TriggerPolicy::default()
            )
            .is_empty()
        );
    }

    #[test]
    fn reader_flags_fire_with_their_evidence() {
        let mut r = reply("See you in court");
        r.legal = Some(Evidence {
            quote: "See you in court".to_owned(),
        });
        r.hostile = Some(Evidence {
            quote: "court".to_owned(),
        });
        let fired = evaluate(&r, None, &TriggerPolicy::default());
        let kinds: Vec<_> = fired.iter().map(|f| f.kind).collect();
        assert_eq!(
            kinds,
            vec![TriggerKind::HostileTone, TriggerKind::LegalLanguage]
        );
        assert_eq!(
            fired[1].evidence.as_ref().unwrap().quote,
            "See you in court"
        );
    }

    #[test]
    fn keywords_fire_without_the_flag_on_whole_words_any_case() {
        let policy = with_keywords(&["NDA", "legal action"]);
        let fired = evaluate(&reply("Please sign our nda first."), None, &policy);
        assert_eq!(fired.len(), 1);
        assert_eq!(fired[0].kind, TriggerKind::LegalLanguage);
        assert!(fired[0].reason.contains("\"NDA\""), "{}", fired[0].reason);

        let phrase = evaluate(&reply("We may take LEGAL\n action."), None, &policy);
        assert_eq!(phrase.len(), 1);

        // Inside another word, or split by other words: no match.
        assert!(evaluate(&reply("Our agenda is full"), None, &policy).is_empty());
        assert!(evaluate(&reply("legal team, no action"), None, &policy).is_empty());
    }

    #[test]
    fn disabled_triggers_never_fire() {
        let mut policy = with_keywords(&["lawyer"]);
        policy.legal_language.enabled = false;
        policy.low_confidence.enabled = false;
        let mut r = reply("My lawyer will call");
        r.legal = Some(Evidence {
            quote: "lawyer".to_owned(),
        });
        r.confidence = Confidence::from_percent(10);
        assert!(evaluate(&r, Some(Cpm::from_dollars(99)), &policy).is_empty());
    }

    #[test]
    fn low_confidence_is_strictly_below_the_threshold() {
        let policy = TriggerPolicy::default();
        let mut r = reply("hmm");
        r.confidence = Confidence::from_percent(70);
        assert!(evaluate(&r, None, &policy).is_empty());
        r.confidence = Confidence::from_percent(69);
        let fired = evaluate(&r, None, &policy);
        assert_eq!(fired[0].kind, TriggerKind::LowConfidence);
        assert!(fired[0].reason.contains("69%"), "{}", fired[0].reason);
    }

    #[test]
    fn the_cpm_trigger_reads_only_their_proposed_cpm() {
        let mut policy = TriggerPolicy::default();
        policy.cpm_over_threshold.enabled = true;
        let r = reply("I charge $2,000");
        assert!(evaluate(&r, None, &policy).is_empty());
        assert!(evaluate(&r, Some(Cpm::from_dollars(30)), &policy).is_empty());
        let fired = evaluate(&r, Some(Cpm::from_cents(3_001)), &policy);
        assert_eq!(fired[0].kind, TriggerKind::CpmOverThreshold);
    }

    #[test]
    fn config_fills_missing_fields_with_defaults() {
        let policy: TriggerPolicy = serde_json::from_str(
            r#"{"hostile_tone":{"always_escalate_keywords":["idiot"]},"cpm_over_threshold":{"enabled":true}}"#,
        )
        .unwrap();
        assert!(policy.hostile_tone.enabled);
        assert_eq!(policy.hostile_tone.always_escalate_keywords, vec!["idiot"]);
        assert!(policy.cpm_over_threshold.enabled);
        assert_eq!(policy.cpm_over_threshold.threshold, Cpm::from_dollars(30));
        assert!(policy.low_confidence.enabled);
    }
}
