//! What every request handler can reach.

use std::sync::Arc;

use metrics_exporter_prometheus::PrometheusHandle;
use negotiator_adapters::config::Config;
use negotiator_agent::Agent;

#[derive(Clone, Debug)]
pub struct AppState {
    pub agent: Agent,
    pub config: Arc<Config>,
    pub metrics: PrometheusHandle,
    /// How Gmail pushes are authenticated; `None` without `[gmail_push]`.
    pub push: Option<Arc<crate::push_auth::PushAuth>>,
    pub dashboard: crate::dashboard::Dashboard,
}
