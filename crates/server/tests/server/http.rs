//! The HTTP surface: routes through `oneshot`, and a real `serve` on a random port.

use std::sync::Arc;

use axum::body::Body;
use axum::http::{Request, StatusCode};
use negotiator_adapters::config::Config;
use negotiator_adapters::local::LocalPaths;
use negotiator_agent::ports::clock::SystemClock;
use negotiator_agent::{Agent, Settings};
use negotiator_server::Server;
use negotiator_store::{
    CampaignMode, NewCampaign, NewNegotiation, Store, insert_campaign, insert_negotiation,
    update_negotiation,
};
use tower::ServiceExt;

async fn agent(dir: &std::path::Path) -> Agent {
    let store = Store::open(&dir.join("n.db")).await.unwrap();
    let adapters = LocalPaths::under(dir).adapters(false).unwrap();
    Agent::new(store, adapters, Settings::demo(), Arc::new(SystemClock))
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
async fn metrics_count_negotiations_by_state_at_each_scrape() {
    let dir = tempfile::tempdir().unwrap();
    let agent = agent(dir.path()).await;
    let store = agent.store.clone();
    let server = Server::bind(agent, config(1024)).await.unwrap();
    let app = negotiator_server::router(server.state().clone());
    let scrape = || async {
        let response = app
            .clone()
            .oneshot(Request::get("/metrics").body(Body::empty()).unwrap())
            .await
            .unwrap();
        body_text(response).await
    };
    let gauge = |text: &str, state: &str| {
        let prefix = format!("negotiator_negotiations{{state=\"{state}\"}} ");
        text.lines()
            .find_map(|line| line.strip_prefix(prefix.as_str()))
            .unwrap_or_else(|| panic!("no {prefix} in {text}"))
            .to_owned()
    };

    let at: jiff::Timestamp = "2026-03-01T00:00:00Z".parse().unwrap();
    let mut conn = store.write().await.unwrap();
    insert_campaign(
        &mut conn,
        &NewCampaign {
            campaign_id: "c1".to_owned(),
            client_name: "Glow".to_owned(),
            source: "file".to_owned(),
            mode: CampaignMode::Auto,
            budget_cents: 1_000_000,
            spec: serde_json::json!({}),
            created_at: at,
        },
    )
    .await
    .unwrap();
    let mut escalated = Vec::new();
    for name in ["Jane Doe", "Bob Stone"] {
        let new = NewNegotiation {
            campaign_id: "c1".to_owned(),
            influencer_name: name.to_owned(),
            influencer_email: format!("{}@x.example", name.replace(' ', ".")),
            state: "escalated".to_owned(),
            snapshot: serde_json::json!({}),
            created_at: at,
        };
        escalated.push(insert_negotiation(&mut conn, &new).await.unwrap());
    }

    let before = scrape().await;
    assert_eq!(gauge(&before, "escalated"), "2");
    assert_eq!(gauge(&before, "agreed"), "0", "a state with none reads 0");

    for negotiation in &mut escalated {
        negotiation.state = "agreed".to_owned();
        update_negotiation(&mut conn, negotiation, at)
            .await
            .unwrap();
    }
    let after = scrape().await;
    assert_eq!(
        gauge(&after, "escalated"),
        "0",
        "the old count does not linger"
    );
    assert_eq!(gauge(&after, "agreed"), "2");
    assert_eq!(
        after
            .matches("# TYPE negotiator_negotiations gauge")
            .count(),
        1,
        "{after}"
    );
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
