//! The agent end to end through the worker, on the local adapters and a real SQLite file: the workflows, trust, and rate limits.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    missing_debug_implementations
)]

mod durability;
mod gmail_ids;
mod inbox;
mod injection;
mod knowledge;
mod pacing;
mod rate_limits;
mod rosters;
mod trust;
mod workflows;
