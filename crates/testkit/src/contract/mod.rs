//! One contract suite per port: the same cases, run against each of its adapters.
//!
//! Each suite's `run` takes a way to make a fresh subject (the adapter, a handle on whatever
//! feeds or watches it, and what the adapter can do where adapters legitimately differ), runs
//! every case on a fresh subject, and panics naming each broken case and why. Cases are also
//! public one by one, for a case that only some adapters face.

pub mod campaign_source;
pub mod llm;
pub mod mailbox;
pub mod notifier;
pub mod roster;
mod runner;
