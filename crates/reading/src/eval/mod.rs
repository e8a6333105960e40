//! Measuring a classifier: labelled replies (JSON Lines) and the scores of a classifier's
//! readings of them (per-intent precision and recall, rate accuracy, flag recall, confusion).

mod labelled;
mod score;

pub use labelled::{Flag, LabelError, Labelled, parse_labelled};
pub use score::{Counts, FlagScore, IntentScore, Miss, Scores, score};
