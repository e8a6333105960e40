//! The ports: one trait per outside service (and the clock), with the values that cross it.
//! Each has a local adapter and a production one in `negotiator-adapters`, and one contract
//! suite in the test kit that both pass.

pub mod campaign_source;
pub mod classifier;
pub mod clock;
pub mod composer;
pub mod mailbox;
pub mod notifier;
pub mod roster;
pub mod usage;
