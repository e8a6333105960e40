//! The `negotiator` binary as a person runs it.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    missing_debug_implementations
)]

mod audit_cli;
mod clickup_cli;
mod crash;
mod decisions_cli;
mod eval_cli;
mod help_cli;
mod inbox_cli;
mod init_cli;
mod llm_cli;
mod roster_cli;
mod sending_cli;
