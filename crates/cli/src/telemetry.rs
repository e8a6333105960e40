//! Logs: readable on a terminal, JSON lines otherwise; `RUST_LOG` sets the level.

use std::io::IsTerminal;

use tracing_subscriber::EnvFilter;

/// The service logs at info by default; one-shot commands only warnings (their output is the
/// report). Email bodies are only ever logged at debug.
pub fn init(serving: bool) {
    let default = if serving { "info" } else { "warn" };
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new(default));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr);
    if std::io::stderr().is_terminal() {
        builder.with_target(false).init();
    } else {
        builder.json().with_current_span(true).init();
    }
}
