//! What every request handler can reach.

use std::sync::Arc;

use metrics_exporter_prometheus::PrometheusHandle;
use negotiator_agent::Agent;
use negotiator_agent::config::Config;

#[derive(Clone, Debug)]
pub struct AppState {
    pub agent: Agent,
    pub config: Arc<Config>,
    pub metrics: PrometheusHandle,
}
