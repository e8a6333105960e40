//! The HTTP surface: routes through `oneshot`, and a real `serve` on a random port.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::sync::Arc;

use axum::body::Body;
use axum::http::{Request, StatusCode};
use negotiator_agent::clock::SystemClock;
use negotiator_agent::config::Config;
use negotiator_agent::local::LocalPaths;
use negotiator_agent::{Agent, Settings};
use negotiator_server::Server;
use negotiator_store::Store;
use tower::ServiceExt;

async fn agent(dir: &std::path::Path) -> Agent {
    let store = Store::open(&dir.join("n.db")).await.unwrap();
    let adapters = LocalPaths::under(dir).adapters(false).unwrap();
    Agent::new(store, adapters, Settings::default(), Arc::new(SystemClock))
}

fn config(body_limit: usize) -> Arc<Config> {
    let mut config = Config::default();
    config.server.bind = "127.0.0.1:0".to_owned();
    config.server.body_limit_bytes = body_limit;
    Arc::new(config)
}

async fn body_text(response: axum::response::Response) -> String {
    let bytes = axum::body::to_bytes(response.into_body(), 1 << 20)
        .await
        .unwrap();
    String::from_utf8(bytes.to_vec()).unwrap()
}

#[tokio::test]
async fn health_readiness_and_metrics_answer() {
    let dir = tempfile::tempdir().unwrap();
    let server = Server::bind(agent(dir.path()).await, config(1024))
        .await
        .unwrap();
    let app = negotiator_server::router(server.state().clone());

    let health = app
        .clone()
        .oneshot(Request::get("/healthz").body(Body::empty()).unwrap())
        .await
        .unwrap();
    assert_eq!(health.status(), StatusCode::OK);

    let ready = app
        .clone()
        .oneshot(Request::get("/readyz").body(Body::empty()).unwrap())
        .await
        .unwrap();
    assert_eq!(ready.status(), StatusCode::OK);
    let ready: serde_json::Value = serde_json::from_str(&body_text(ready).await).unwrap();
    assert_eq!(ready["status"], "ready");
    assert_eq!(ready["database"], "ok");
    assert!(
        ready["integrations"]["mailbox"]["adapter"]
            .as_str()
            .unwrap()
            .contains("mail folder")
    );

    let metrics = app
        .clone()
        .oneshot(Request::get("/metrics").body(Body::empty()).unwrap())
        .await
        .unwrap();
    assert_eq!(metrics.status(), StatusCode::OK);
    let text = body_text(metrics).await;
    assert!(
        text.contains("negotiator_http_requests_total{route=\"/healthz\",status=\"200\"}"),
        "{text}"
    );

    let missing = app
        .oneshot(Request::get("/nope").body(Body::empty()).unwrap())
        .await
        .unwrap();
    assert_eq!(missing.status(), StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn bodies_over_the_cap_are_refused_with_413() {
    let dir = tempfile::tempdir().unwrap();
    let server = Server::bind(agent(dir.path()).await, config(64))
        .await
        .unwrap();
    let app = negotiator_server::router(server.state().clone());
    let request = Request::post("/healthz")
        .header("content-length", "1000")
        .body(Body::from(vec![b'x'; 1000]))
        .unwrap();
    let response = app.oneshot(request).await.unwrap();
    assert_eq!(response.status(), StatusCode::PAYLOAD_TOO_LARGE);
}

#[tokio::test]
async fn serve_answers_on_a_real_port_and_stops_cleanly_on_signal() {
    let dir = tempfile::tempdir().unwrap();
    let server = Server::bind(agent(dir.path()).await, config(1024))
        .await
        .unwrap();
    let addr = server.local_addr().unwrap();
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let running = tokio::spawn(server.run(async move {
        let _ = stopped.await;
    }));
    negotiator_vendors::install_crypto();
    let client = reqwest::Client::new();
    for path in ["/healthz", "/readyz", "/metrics"] {
        let response = client
            .get(format!("http://{addr}{path}"))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 200, "{path}");
    }
    let metrics = client
        .get(format!("http://{addr}/metrics"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(metrics.contains("route=\"/readyz\""), "{metrics}");
    stop.send(()).unwrap();
    tokio::time::timeout(std::time::Duration::from_secs(10), running)
        .await
        .expect("serve stops within the drain window")
        .unwrap()
        .unwrap();
    assert!(
        client
            .get(format!("http://{addr}/healthz"))
            .send()
            .await
            .is_err(),
        "no longer listening"
    );
}
