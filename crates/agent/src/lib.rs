//! Ports, adapters, workflows, the job worker and the scheduler.

pub mod agent;
pub mod campaign_file;
pub mod chatops;
pub mod classify;
pub mod clickup;
pub mod clock;
pub mod compose;
pub mod config;
pub mod error;
pub mod local;
pub mod mail;
pub mod mailbox;
pub mod notify;
pub mod roster;
pub mod settings;
pub mod tasks;
pub mod wiring;
pub mod worker;
pub mod workflows;

pub use agent::{Adapters, Agent};
pub use error::AgentError;
pub use settings::Settings;
pub use worker::{Turn, Worker};
