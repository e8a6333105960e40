//! The built-in rules classifier: reads a reply with English phrase rules, no LLM.
//!
//! It reads the reply's words into intent signals (`signals`), its amounts into a reading of
//! their ask (`amounts`, `items`, `rate`), decides intent and confidence from both
//! (`verdict`), raises the three escalation flags (`flags`) and writes a one-sentence
//! summary (`summary`). When it is unsure it says so with a confidence below the default
//! escalation threshold (70) rather than guess; it never invents a rate it did not read.
//! The subject line is not read: it is usually our own subject with "Re:".

mod amounts;
mod flags;
mod items;
mod lexicon;
mod rate;
mod signals;
mod summary;
mod verdict;
mod words;

use negotiator_domain::gate::find_deliverables;
use negotiator_domain::{ClassifiedReply, Confidence};

use crate::ReplyContext;
use amounts::Amounts;
use flags::Flags;
use signals::Signals;
use words::Words;

/// Reads one reply: what it means (intent, their rate, deliverables, flags), deterministic and
/// pure, used when no LLM is configured.
pub fn read(reply: &ReplyContext) -> ClassifiedReply {
    let text = reply.text.as_str();
    let words = Words::new(text);
    let signals = Signals::read(&words);
    let amounts = Amounts::read(text);
    let mentions = find_deliverables(text, reply.platform);
    let rate = rate::read(
        &words,
        &amounts,
        &mentions,
        reply.our_offer,
        &reply.deliverables,
    );
    let verdict = verdict::judge(&words, &signals, &rate, reply.our_offer);
    let flags = Flags::read(&words);
    let summary = summary::summarize(
        &verdict.gist,
        &words,
        &signals,
        reply.our_offer,
        &flags.raised(),
    );
    let mut deliverables = Vec::new();
    for mention in &mentions {
        if !deliverables.contains(&mention.kind) {
            deliverables.push(mention.kind);
        }
    }
    ClassifiedReply {
        intent: verdict.intent,
        proposed_rate: verdict.rate,
        deliverables,
        confidence: Confidence::from_percent(verdict.confidence),
        hostile: flags.hostile,
        legal: flags.legal,
        unusual_deliverables: flags.unusual,
        summary,
        text: reply.text.clone(),
    }
}
