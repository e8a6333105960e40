//! Properties of the pure domain: decisions, the budget, the state machine, pricing and the gate.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    missing_debug_implementations
)]

mod budget;
mod decisions;
mod properties;
