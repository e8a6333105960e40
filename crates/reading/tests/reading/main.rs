//! Reading real-world mail: MIME fixtures, reply extraction (also in other languages), the
//! message-kind and opt-out detectors, and the rules classifier on labelled replies.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    missing_debug_implementations
)]

mod detector_fixtures;
mod fixture_labels;
mod labelled_set;
mod mail_fixtures;
mod quote_headers;
mod rules_classifier;
