//! The vendor clients against fakes that answer as each vendor documents.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    missing_debug_implementations
)]

mod anthropic;
mod clickup;
mod google;
mod slack;
