//! The intent, the proposed rate and how sure the rules are, from the phrases and amounts.
//!
//! Confidence is a judgement in whole percent, set so that the default escalation threshold
//! (70) lets clear replies through (80 and above) and stops ambiguous ones (below 70):
//!
//! | reading | intent | confidence |
//! |---|---|---|
//! | one ask, nothing else named | counter | 90 (80 when other amounts were set aside as history) |
//! | only a usual rate ("I normally get $1,500") | counter | 75 (accept at 55 when they also agree) |
//! | per-item prices covering the plan | counter | 85 (68 when "the reel" was multiplied; 60 when unplanned items are priced too) |
//! | a range | counter at its high end | 65 |
//! | per-item prices not covering the plan, several amounts, a number with no currency mark, only an add-on charge | counter or unclear, no rate | 40 to 45 |
//! | plain agreement, or agreement that restates our offer | accept | 90 |
//! | only "yes" / "ok" / 👍 in a short reply | accept | 75 |
//! | agreement plus a real question, or with a condition ("if you cover shipping") | accept | 65 |
//! | a rate objection with no figure ("too low", "can you go higher?") | counter, no rate | 75 |
//! | a clear no | reject | 90 |
//! | an objection to the price and a no, with no figure ("too low, I'll pass") | reject | 60 |
//! | a question with no rate | question | 85 |
//! | a deferral ("let me check with my manager") | unclear | 55 |
//! | contradictory signals | unclear | 40 to 45 |
//! | nothing recognisable | unclear | 25 (10 when there are no words) |
//!
//! Then caps: an amount in another currency 40 (and no rate is reported), an implausible
//! size 50, a stray number that may be money 55, a charge on top of the package ("$500
//! extra") or a count of a planned deliverable other than the plan's ("only for one reel") 60.
//! And deductions: 10 for a misquoted offer, 15 for a deferral next to an ask, 10 for a
//! condition next to an ask, 10 for an ask below our offer (which is held to 55 when it is
//! under half our offer or comes with words of agreement), 5 for a reply over 150 words.

use negotiator_domain::{Intent, Money};

use super::items::ItemPrice;
use super::rate::{RateRead, Reading};
use super::signals::Signals;
use super::words::Words;

/// What the reply says, for the summary.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) enum Gist {
    Empty,
    Nothing,
    Accept,
    AcceptAndAsks,
    AcceptOnCondition,
    /// Agrees, and names an amount that reads as their usual rate.
    AcceptButNames(Money),
    Mixed,
    Defer,
    Ask(Money),
    Range {
        low: Money,
        high: Money,
    },
    Items {
        total: Money,
        prices: Vec<ItemPrice>,
    },
    PartialItems {
        prices: Vec<ItemPrice>,
    },
    Several(Vec<Money>),
    Unmarked(Money),
    AddOn(Money),
    WantsMore,
    Declines,
    Question,
    Disagrees,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) struct Verdict {
    pub intent: Intent,
    pub rate: Option<Money>,
    pub confidence: u8,
    pub gist: Gist,
}

fn verdict(intent: Intent, rate: Option<Money>, confidence: u8, gist: Gist) -> Verdict {
    Verdict {
        intent,
        rate,
        confidence,
        gist,
    }
}

pub(super) fn judge(
    words: &Words<'_>,
    s: &Signals,
    r: &RateRead,
    our_offer: Option<Money>,
) -> Verdict {
    let mut v = match &r.reading {
        Reading::Ask {
            ask, usual: true, ..
        } if s.agrees() => verdict(Intent::Accept, None, 55, Gist::AcceptButNames(*ask)),
        Reading::Ask {
            ask,
            set_aside,
            usual,
        } => {
            let base = match (usual, set_aside) {
                (true, _) => 75,
                (false, true) => 80,
                (false, false) => 90,
            };
            counter(s, *ask, base, our_offer, Gist::Ask(*ask))
        }
        Reading::Range { low, high } => counter(
            s,
            *high,
            65,
            our_offer,
            Gist::Range {
                low: *low,
                high: *high,
            },
        ),
        Reading::Items {
            total,
            prices,
            multiplied_singular,
            extra,
        } if Some(*total) != our_offer => {
            let base = if *extra {
                60
            } else if *multiplied_singular {
                68
            } else {
                85
            };
            let gist = Gist::Items {
                total: *total,
                prices: prices.clone(),
            };
            counter(s, *total, base, our_offer, gist)
        }
        Reading::Items { .. } | Reading::OurOffer => about_our_offer(words, s, r, our_offer),
        Reading::PartialItems { prices } => verdict(
            Intent::Counter,
            None,
            45,
            Gist::PartialItems {
                prices: prices.clone(),
            },
        ),
        Reading::Several(values) => {
            verdict(Intent::Counter, None, 40, Gist::Several(values.clone()))
        }
        Reading::Unmarked { value, cued } => {
            let intent = if *cued || s.agrees() || !s.objection.is_empty() || s.leans_positive() {
                Intent::Counter
            } else {
                Intent::Unclear
            };
            verdict(intent, None, 45, Gist::Unmarked(*value))
        }
        Reading::AddOn(extra) => verdict(Intent::Counter, None, 45, Gist::AddOn(*extra)),
        Reading::Nothing => from_words(words, s, our_offer),
    };

    let mut cap = 100u8;
    if r.foreign {
        cap = cap.min(40);
    }
    if r.odd_size {
        cap = cap.min(50);
    }
    if r.unmarked_too {
        cap = cap.min(55);
    }
    if r.add_on_too || r.other_quantity {
        cap = cap.min(60);
    }
    let mut penalty = 0u8;
    if r.misquoted_offer {
        penalty += 10;
    }
    if words.word_count() > 150 {
        penalty += 5;
    }
    v.confidence = v.confidence.saturating_sub(penalty).min(cap);
    if r.foreign {
        // Never report an amount in another currency as a dollar rate.
        v.rate = None;
    }
    v
}

/// A named rate that is not our offer: a counter, whatever the wording.
fn counter(s: &Signals, ask: Money, base: u8, our_offer: Option<Money>, gist: Gist) -> Verdict {
    let mut confidence = base;
    if !s.reject.is_empty() && s.objection.is_empty() {
        confidence = confidence.min(60);
    }
    if !s.conditions.is_empty() {
        confidence = confidence.saturating_sub(10);
    }
    if !s.defer.is_empty() {
        confidence = confidence.saturating_sub(15);
    }
    if let Some(offer) = our_offer
        && ask < offer
    {
        confidence = confidence.saturating_sub(10);
        // Far below our offer, or below it while agreeing: more likely a per-item price or an
        // expense than their ask for the package.
        if ask.cents().saturating_mul(2) < offer.cents() || s.agrees() {
            confidence = confidence.min(55);
        }
    }
    verdict(Intent::Counter, Some(ask), confidence, gist)
}

/// Only our own offer is named: they take it, object to it, decline or ask about it.
fn about_our_offer(
    words: &Words<'_>,
    s: &Signals,
    r: &RateRead,
    our_offer: Option<Money>,
) -> Verdict {
    let objects = !s.objection.is_empty()
        || s.negative.iter().any(|m| {
            r.our_offer_sentences
                .contains(&words.tokens[m.first].sentence)
        })
        || s.negative_about_money;
    if objects {
        return verdict(Intent::Counter, None, 75, Gist::WantsMore);
    }
    if !s.reject.is_empty() {
        return if s.agrees() {
            verdict(Intent::Unclear, None, 45, Gist::Mixed)
        } else {
            verdict(Intent::Reject, None, 80, Gist::Declines)
        };
    }
    if s.agrees() || s.leans_positive() {
        if !s.defer.is_empty() {
            return verdict(Intent::Unclear, None, 50, Gist::Defer);
        }
        if !s.conditions.is_empty() {
            return verdict(Intent::Accept, our_offer, 65, Gist::AcceptOnCondition);
        }
        if s.real_questions().next().is_some() {
            return verdict(Intent::Accept, our_offer, 65, Gist::AcceptAndAsks);
        }
        let confidence = if s.agrees() { 90 } else { 80 };
        return verdict(Intent::Accept, our_offer, confidence, Gist::Accept);
    }
    let asks_about_it = r
        .our_offer_sentences
        .iter()
        .any(|sentence| s.question_sentences.contains(sentence));
    if asks_about_it || s.real_questions().next().is_some() {
        return verdict(Intent::Question, None, 80, Gist::Question);
    }
    verdict(Intent::Unclear, None, 50, Gist::Nothing)
}

/// No amount at all: the phrases decide.
fn from_words(words: &Words<'_>, s: &Signals, our_offer: Option<Money>) -> Verdict {
    let asks = s.real_questions().next().is_some();
    let deferred = !s.defer.is_empty();
    if !s.objection.is_empty() {
        if !s.reject.is_empty() && s.conditions.is_empty() && !s.agrees() {
            // "What a lowball. Get lost.": the price is why they say no, and they say it.
            return verdict(Intent::Reject, None, 60, Gist::Declines);
        }
        let confidence = if s.reject.is_empty() { 75 } else { 55 };
        return verdict(Intent::Counter, None, confidence, Gist::WantsMore);
    }
    if !s.reject.is_empty() {
        if s.agrees() {
            return verdict(Intent::Unclear, None, 40, Gist::Mixed);
        }
        let confidence = if deferred {
            70
        } else if asks {
            80
        } else {
            90
        };
        return verdict(Intent::Reject, None, confidence, Gist::Declines);
    }
    if !s.negative.is_empty() {
        if s.negative_about_money {
            return verdict(Intent::Counter, None, 70, Gist::WantsMore);
        }
        if s.agrees() {
            return verdict(Intent::Unclear, None, 45, Gist::Mixed);
        }
        return verdict(Intent::Unclear, None, 50, Gist::Disagrees);
    }
    if s.agrees() {
        if deferred {
            return verdict(Intent::Unclear, None, 50, Gist::Defer);
        }
        if !s.conditions.is_empty() {
            return verdict(Intent::Accept, None, 65, Gist::AcceptOnCondition);
        }
        if asks {
            return verdict(Intent::Accept, None, 65, Gist::AcceptAndAsks);
        }
        let confidence = if our_offer.is_some() { 90 } else { 60 };
        return verdict(Intent::Accept, None, confidence, Gist::Accept);
    }
    if s.leans_positive() && !asks && !deferred {
        if !s.conditions.is_empty() {
            return verdict(Intent::Accept, None, 65, Gist::AcceptOnCondition);
        }
        return if words.word_count() <= 12 && our_offer.is_some() {
            verdict(Intent::Accept, None, 75, Gist::Accept)
        } else {
            verdict(Intent::Unclear, None, 45, Gist::Nothing)
        };
    }
    if asks {
        let confidence = if deferred { 70 } else { 85 };
        return verdict(Intent::Question, None, confidence, Gist::Question);
    }
    if deferred {
        return verdict(Intent::Unclear, None, 55, Gist::Defer);
    }
    if s.thumbs_down {
        return verdict(Intent::Reject, None, 70, Gist::Declines);
    }
    if words.word_count() == 0 {
        return verdict(Intent::Unclear, None, 10, Gist::Empty);
    }
    verdict(Intent::Unclear, None, 25, Gist::Nothing)
}
