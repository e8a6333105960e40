//! Ports, adapters, workflows, the job worker and the scheduler.
pub mod campaign_file;
pub mod mail;
pub mod classify;
pub mod notify;
pub mod roster;
