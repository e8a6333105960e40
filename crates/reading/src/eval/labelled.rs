//! One labelled reply per line: the email, what it answers, and what it means.

use negotiator_domain::campaign::parse_deliverable;
use negotiator_domain::{Deliverable, Intent, Money, Platform};
use serde::Deserialize;

use crate::ReplyContext;

/// A flag a reader should raise.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Flag {
    Legal,
    Hostile,
    UnusualDeliverables,
}

impl Flag {
    pub const ALL: [Flag; 3] = [Flag::Legal, Flag::Hostile, Flag::UnusualDeliverables];

    pub fn as_str(self) -> &'static str {
        match self {
            Flag::Legal => "legal",
            Flag::Hostile => "hostile",
            Flag::UnusualDeliverables => "unusual_deliverables",
        }
    }

    fn parse(text: &str) -> Option<Flag> {
        Flag::ALL
            .into_iter()
            .find(|f| f.as_str() == text.trim().to_ascii_lowercase())
    }
}

/// A reply with its labels.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Labelled {
    /// The line it came from (1-based).
    pub line: usize,
    pub id: String,
    /// `tuning` or `held_out`, when the set says.
    pub split: Option<String>,
    /// What the reader is given.
    pub context: ReplyContext,
    pub intent: Intent,
    /// Their ask, the total for the package; `None` when they name none of their own.
    pub rate: Option<Money>,
    pub flags: Vec<Flag>,
}

/// A line that cannot be used, named by its number.
#[derive(Debug, thiserror::Error)]
#[error("line {line}: {problem}")]
pub struct LabelError {
    pub line: usize,
    pub problem: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Line {
    id: Option<String>,
    split: Option<String>,
    text: String,
    #[serde(default)]
    subject: String,
    platform: String,
    offer: Option<String>,
    #[serde(default)]
    deliverables: Vec<String>,
    intent: String,
    rate: Option<String>,
    #[serde(default)]
    flags: Vec<String>,
    /// Free text for the person reading the set; not scored.
    #[serde(default, rename = "note")]
    _note: String,
}

const FORMAT: &str = "each line is one JSON object: {\"text\": ..., \"subject\": ..., \
\"platform\": \"instagram\", \"offer\": \"1250\", \"deliverables\": [\"1 instagram reel\"], \
\"intent\": \"accept|counter|reject|question|unclear\", \"rate\": \"1500\" or null, \
\"flags\": [\"legal\", \"hostile\", \"unusual_deliverables\"]}";

/// Reads a JSON Lines set; blank lines and lines starting with `//` are skipped. Every bad line
/// is reported, by number, not only the first.
pub fn parse_labelled(text: &str) -> Result<Vec<Labelled>, Vec<LabelError>> {
    let mut out = Vec::new();
    let mut errors = Vec::new();
    for (index, raw) in text.lines().enumerate() {
        let line = index + 1;
        let raw = raw.trim();
        if raw.is_empty() || raw.starts_with("//") {
            continue;
        }
        match parse_line(raw, line) {
            Ok(labelled) => out.push(labelled),
            Err(problem) => errors.push(LabelError { line, problem }),
        }
    }
    if out.is_empty() && errors.is_empty() {
        errors.push(LabelError {
            line: 0,
            problem: format!("the set has no labelled replies; {FORMAT}"),
        });
    }
    if errors.is_empty() {
        Ok(out)
    } else {
        Err(errors)
    }
}

fn parse_line(raw: &str, line: usize) -> Result<Labelled, String> {
    let parsed: Line = serde_json::from_str(raw).map_err(|e| {
        let e = e.to_string().replace(" at line 1 column ", " at column ");
        format!("not a labelled reply ({e}); {FORMAT}")
    })?;
    if parsed.text.trim().is_empty() {
        return Err("\"text\" is empty".to_owned());
    }
    let platform: Platform = parsed
        .platform
        .parse()
        .map_err(|e| format!("\"platform\": {e}"))?;
    let money = |field: &str, text: &str| {
        text.parse::<Money>()
            .map_err(|e| format!("{field:?}: {text:?} is not an amount ({e})"))
    };
    let offer = parsed
        .offer
        .as_deref()
        .map(|o| money("offer", o))
        .transpose()?;
    let rate = parsed
        .rate
        .as_deref()
        .map(|r| money("rate", r))
        .transpose()?;
    let mut deliverables = Vec::new();
    for text in &parsed.deliverables {
        let (kind, quantity) = parse_deliverable(text, Some(platform))
            .map_err(|e| format!("\"deliverables\": {e}"))?;
        let deliverable = Deliverable::new(platform, kind, quantity)
            .map_err(|e| format!("\"deliverables\": {text:?}: {e}"))?;
        deliverables.push(deliverable);
    }
    let intent: Intent = parsed
        .intent
        .parse()
        .map_err(|e| format!("\"intent\": {e}"))?;
    let mut flags = Vec::new();
    for text in &parsed.flags {
        let flag = Flag::parse(text).ok_or_else(|| {
            format!("\"flags\": {text:?} is not a flag; use legal, hostile or unusual_deliverables")
        })?;
        if !flags.contains(&flag) {
            flags.push(flag);
        }
    }
    if let Some(split) = &parsed.split
        && split != "tuning"
        && split != "held_out"
    {
        return Err(format!("\"split\": {split:?}; use tuning or held_out"));
    }
    Ok(Labelled {
        line,
        id: parsed.id.unwrap_or_else(|| format!("line {line}")),
        split: parsed.split,
        context: ReplyContext {
            text: parsed.text,
            subject: parsed.subject,
            platform,
            our_offer: offer,
            deliverables,
        },
        intent,
        rate,
        flags,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_good_line_reads_and_bad_lines_are_named() {
        let set = "{\"text\":\"Could you do $1,500?\",\"platform\":\"instagram\",\"offer\":\"1250\",\
\"deliverables\":[\"2 instagram reels\"],\"intent\":\"counter\",\"rate\":\"1500\",\"flags\":[]}\n\
\n\
{\"text\":\"x\",\"platform\":\"myspace\",\"intent\":\"accept\"}\n\
not json\n\
{\"text\":\"ok\",\"platform\":\"instagram\",\"intent\":\"accept\",\"flags\":[\"rude\"]}\n";
        let errors = parse_labelled(set).unwrap_err();
        let lines: Vec<usize> = errors.iter().map(|e| e.line).collect();
        assert_eq!(lines, vec![3, 4, 5]);
        assert!(
            errors[0].to_string().starts_with("line 3: \"platform\""),
            "{}",
            errors[0]
        );
        assert!(
            errors[2].to_string().contains("\"rude\" is not a flag"),
            "{}",
            errors[2]
        );

        let good = parse_labelled(set.lines().next().unwrap()).unwrap();
        assert_eq!(good[0].rate, Some(Money::from_dollars(1_500)));
        assert_eq!(good[0].context.deliverables[0].quantity, 2);
        assert_eq!(good[0].intent, Intent::Counter);
    }
}
