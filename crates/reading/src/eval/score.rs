//! The scores of a classifier's readings against their labels.

use negotiator_domain::second_reading::ask;
use negotiator_domain::{ClassifiedReply, Intent, Money};

use super::labelled::{Flag, Labelled};

/// Hits out of a total; a ratio of none is 1 (nothing was missed).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Counts {
    pub hits: usize,
    pub total: usize,
}

impl Counts {
    pub fn ratio(self) -> f64 {
        if self.total == 0 {
            1.0
        } else {
            // Counts of replies are small; f64 holds them exactly.
            self.hits as f64 / self.total as f64
        }
    }

    fn add(&mut self, hit: bool) {
        self.total += 1;
        if hit {
            self.hits += 1;
        }
    }
}

/// One intent: precision (of the replies read as it, how many are it) and recall (of the
/// replies that are it, how many were read as it).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct IntentScore {
    pub intent: Intent,
    pub precision: Counts,
    pub recall: Counts,
}

/// One flag: recall (of the replies that should raise it, how many did) and the replies that
/// raised it without reason.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FlagScore {
    pub flag: Flag,
    pub recall: Counts,
    pub false_alarms: usize,
}

/// A reply read wrongly, and how.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Miss {
    pub line: usize,
    pub id: String,
    pub what: String,
}

/// Everything measured on one set.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Scores {
    pub replies: usize,
    pub intent: Counts,
    pub intents: Vec<IntentScore>,
    /// The ask read exactly (no ask where they named none), over every reply.
    pub rate: Counts,
    /// The ask read exactly, over the replies that name one.
    pub rate_named: Counts,
    pub flags: Vec<FlagScore>,
    /// Every flag expected, raised.
    pub flag_recall: Counts,
    /// `confusion[expected][read]`, in `Intent::ALL` order.
    pub confusion: Vec<Vec<usize>>,
    pub misses: Vec<Miss>,
}

/// Scores `readings[i]` against `set[i]`. Our offer said back counts as no ask, whichever
/// side reports it: the rules report an acceptance that restates our offer with it as the rate,
/// the model's prompt asks for none, and the agent acts on both alike.
pub fn score(set: &[Labelled], readings: &[ClassifiedReply]) -> Scores {
    let n = Intent::ALL.len();
    let index = |intent: Intent| Intent::ALL.iter().position(|i| *i == intent).unwrap_or(0);
    let mut confusion = vec![vec![0; n]; n];
    let mut intent = Counts::default();
    let mut rate = Counts::default();
    let mut rate_named = Counts::default();
    let mut flag_recall = Counts::default();
    let mut flags: Vec<FlagScore> = Flag::ALL
        .into_iter()
        .map(|flag| FlagScore {
            flag,
            recall: Counts::default(),
            false_alarms: 0,
        })
        .collect();
    let mut misses = Vec::new();
    for (label, read) in set.iter().zip(readings) {
        let mut wrong = Vec::new();
        confusion[index(label.intent)][index(read.intent)] += 1;
        intent.add(label.intent == read.intent);
        if label.intent != read.intent {
            wrong.push(format!("intent {} read as {}", label.intent, read.intent));
        }
        let offer = label.context.our_offer;
        let (expected, found) = (ask(label.rate, offer), ask(read.proposed_rate, offer));
        rate.add(expected == found);
        if expected.is_some() {
            rate_named.add(expected == found);
        }
        if expected != found {
            wrong.push(format!("rate {} read as {}", shown(expected), shown(found)));
        }
        for score in &mut flags {
            let raised = raised(read, score.flag);
            let expected = label.flags.contains(&score.flag);
            if expected {
                score.recall.add(raised);
                flag_recall.add(raised);
                if !raised {
                    wrong.push(format!("{} not raised", score.flag.as_str()));
                }
            } else if raised {
                score.false_alarms += 1;
                wrong.push(format!("{} raised without reason", score.flag.as_str()));
            }
        }
        if !wrong.is_empty() {
            misses.push(Miss {
                line: label.line,
                id: label.id.clone(),
                what: wrong.join("; "),
            });
        }
    }
    let intents = Intent::ALL
        .iter()
        .copied()
        .map(|i| {
            let k = index(i);
            let read_as: usize = confusion.iter().map(|row| row[k]).sum();
            let is: usize = confusion[k].iter().sum();
            IntentScore {
                intent: i,
                precision: Counts {
                    hits: confusion[k][k],
                    total: read_as,
                },
                recall: Counts {
                    hits: confusion[k][k],
                    total: is,
                },
            }
        })
        .collect();
    Scores {
        replies: set.len().min(readings.len()),
        intent,
        intents,
        rate,
        rate_named,
        flags,
        flag_recall,
        confusion,
        misses,
    }
}

fn raised(read: &ClassifiedReply, flag: Flag) -> bool {
    match flag {
        Flag::Legal => read.legal.is_some(),
        Flag::Hostile => read.hostile.is_some(),
        Flag::UnusualDeliverables => read.unusual_deliverables.is_some(),
    }
}

fn shown(rate: Option<Money>) -> String {
    rate.map_or_else(|| "none".to_owned(), |r| r.to_string())
}
