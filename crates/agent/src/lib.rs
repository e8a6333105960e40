//! The application: the ports, the running agent and its adapters bundle, the durable tasks,
//! the job worker and the workflows that carry out the domain's decisions.

pub mod agent;
pub mod campaigns;
pub mod error;
pub mod named_side;
pub mod ports;
pub mod settings;
pub mod tasks;
pub mod worker;
pub mod workflows;

pub use agent::{Adapters, Agent};
pub use error::AgentError;
pub use settings::Settings;
pub use worker::{Turn, Worker};
