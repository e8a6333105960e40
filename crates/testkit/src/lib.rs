//! The test kit, for every crate's tests and never shipped: the agent on local adapters in a
//! temp folder (`harness`), the service on a fake vendor (`app`), stateful fakes of the vendors'
//! APIs that answer as their documentation says (`fakes`), real-world fixtures, and one contract
//! suite per port that both of its adapters pass (`contract`).

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    missing_debug_implementations
)]

pub mod app;
pub mod contract;
pub mod fakes;
pub mod fixtures;
pub mod harness;
pub mod llm;

pub use app::{TestApp, spawn_app};
pub use harness::{Harness, campaign};
