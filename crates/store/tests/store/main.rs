//! Integration tests of the store against real SQLite files in temporary directories.

// `allow-unwrap-in-tests` covers `#[test]` functions only, not the helpers they share.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod audit;
mod common;
mod durability;
mod intake;
mod jobs;
mod named_side;
mod open;
mod rows;
mod writers;
