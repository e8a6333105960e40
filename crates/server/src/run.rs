//! `negotiator serve`: bind, start the workers and the scheduler, serve until SIGTERM/SIGINT,
//! then stop taking work, let the jobs in hand finish, and exit cleanly.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use metrics_exporter_prometheus::{PrometheusBuilder, PrometheusHandle};
use negotiator_adapters::config::Config;
use negotiator_agent::{Agent, Worker};
use tokio::net::TcpListener;
use tokio::sync::watch;
use tokio::task::JoinSet;

use crate::background;
use crate::connections::{self, Timeouts};
use crate::push_auth::PushAuth;
use crate::state::AppState;
use negotiator_agent::workflows::push;

/// How long in-flight jobs get to finish after a shutdown signal.
const DRAIN: Duration = Duration::from_secs(20);

#[derive(Debug, thiserror::Error)]
pub enum ServeError {
    #[error("could not listen on {bind}: {source}; pick another address with [server] bind")]
    Bind {
        bind: String,
        source: std::io::Error,
    },
    #[error("{0}")]
    Config(String),
}

/// A bound server, ready to run.
#[derive(Debug)]
pub struct Server {
    listener: TcpListener,
    state: AppState,
}

impl Server {
    /// Binds `[server] bind` (port 0 picks a free port).
    pub async fn bind(agent: Agent, config: Arc<Config>) -> Result<Server, ServeError> {
        let bind = config.server.bind.clone();
        let listener = TcpListener::bind(&bind)
            .await
            .map_err(|source| ServeError::Bind { bind, source })?;
        let push = PushAuth::from_config(config.gmail_push.as_ref())
            .map_err(ServeError::Config)?
            .map(Arc::new);
        let state = AppState {
            agent,
            config,
            metrics: metrics_handle(),
            push,
            dashboard: Default::default(),
        };
        Ok(Server { listener, state })
    }

    /// The state handlers see (for router tests).
    pub fn state(&self) -> &AppState {
        &self.state
    }

    pub fn local_addr(&self) -> Option<SocketAddr> {
        self.listener.local_addr().ok()
    }

    /// Serves until `shutdown` resolves, running the workers and the scheduler beside it.
    pub async fn run(
        self,
        shutdown: impl Future<Output = ()> + Send + 'static,
    ) -> Result<(), ServeError> {
        let (stop_tx, stop_rx) = watch::channel(false);
        let mut background = JoinSet::new();
        let server_config = &self.state.config.server;
        // One worker, cloned: the clones share which job kinds a rate limit holds back.
        let worker = Worker::new(self.state.agent.clone());
        for _ in 0..server_config.workers {
            background.spawn(background::work(worker.clone(), stop_rx.clone()));
        }
        let pace = background::Pace::new(
            server_config.poll_interval_secs,
            self.state.config.gmail_push.as_ref(),
        );
        if self.state.push.is_some()
            && let Err(error) = push::start_watch(&self.state.agent).await
        {
            tracing::error!(%error, "could not queue the Gmail watch; the inbox is polled meanwhile");
        }
        background.spawn(background::schedule(
            self.state.agent.clone(),
            pace,
            stop_rx.clone(),
        ));

        let app = crate::router(self.state.clone());
        let timeouts = Timeouts {
            header_read: Duration::from_secs(server_config.header_read_timeout_secs.max(1)),
            idle: Duration::from_secs(server_config.idle_timeout_secs.max(1)),
        };
        let signal_stop = stop_tx.clone();
        connections::serve(self.listener, app, timeouts, async move {
            shutdown.await;
            tracing::info!("shutting down: no new requests or jobs; finishing the work in hand");
            let _ = signal_stop.send(true);
        })
        .await;
        let _ = stop_tx.send(true);
        let drained = tokio::time::timeout(DRAIN, async {
            while background.join_next().await.is_some() {}
        })
        .await;
        if drained.is_err() {
            tracing::warn!(
                "some jobs were still running after {}s; their leases expire and they run again on the next start",
                DRAIN.as_secs()
            );
        }
        self.state.agent.store.close().await;
        Ok(())
    }
}

/// The Prometheus recorder for this process (installed once; later calls reuse it).
fn metrics_handle() -> PrometheusHandle {
    static HANDLE: std::sync::OnceLock<PrometheusHandle> = std::sync::OnceLock::new();
    HANDLE
        .get_or_init(|| {
            let recorder = PrometheusBuilder::new().build_recorder();
            let handle = recorder.handle();
            // Fails only if another recorder was installed first; metrics then go there.
            let _ = metrics::set_global_recorder(recorder);
            handle
        })
        .clone()
}

/// Resolves on SIGTERM or SIGINT (Ctrl-C).
pub async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {}
        () = term => {}
    }
}
