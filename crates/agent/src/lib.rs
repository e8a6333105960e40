//! Ports, adapters, workflows, the job worker and the scheduler.
pub mod roster;
pub mod notify;
pub mod campaign_file;
pub mod mail;
