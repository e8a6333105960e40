//! Each adapter against its vendor faked on loopback, and the local ones on real files.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    missing_debug_implementations
)]

mod anthropic_adapters;
mod clickup_mapping;
mod contracts;
mod google_adapters;
mod knowledge_base;
mod llm_contract;
mod llm_cost;
mod recorded_eval;
mod roster;
mod slack_notifier;
