//! The adapters: for each port, the local one a team runs with no credentials and the
//! production one against the vendor's API; the configuration and the wiring that picks them.

pub mod campaign_source;
pub mod classify;
pub mod compose;
pub mod config;
pub mod knowledge;
pub mod llm;
pub mod local;
pub mod mailbox;
pub mod notify;
pub mod roster;
pub mod wiring;
