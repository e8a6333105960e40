//! The dashboard through the router: off without a login, closed when signed out, sign-in
//! limited, outside text escaped in pages and defused in the CSV. (The browser test in
//! `crates/cli/tests/browser.rs` drives the same pages in chromium.)

use std::sync::Arc;

use axum::Router;
use axum::body::Body;
use axum::http::{Request, StatusCode};
use negotiator_adapters::config::Config;
use negotiator_adapters::local::LocalPaths;
use negotiator_agent::ports::clock::SystemClock;
use negotiator_agent::{Agent, Settings};
use negotiator_server::Server;
use negotiator_server::dashboard::users;
use negotiator_store::{
    CampaignMode, NewCampaign, NewNegotiation, Store, insert_campaign, insert_negotiation,
};
use tower::ServiceExt;

const PASSWORD: &str = "a long enough password";

async fn app(dir: &std::path::Path) -> (Router, Store) {
    let store = Store::open(&dir.join("n.db")).await.unwrap();
    let adapters = LocalPaths::under(dir).adapters(false).unwrap();
    let agent = Agent::new(
        store.clone(),
        adapters,
        Settings::demo(),
        Arc::new(SystemClock),
    );
    let mut config = Config::default();
    config.server.bind = "127.0.0.1:0".to_owned();
    let server = Server::bind(agent, Arc::new(config)).await.unwrap();
    (negotiator_server::router(server.state().clone()), store)
}

async fn text(response: axum::response::Response) -> String {
    let bytes = axum::body::to_bytes(response.into_body(), 1 << 22)
        .await
        .unwrap();
    String::from_utf8(bytes.to_vec()).unwrap()
}

async fn sign_in(app: &Router, name: &str, password: &str) -> axum::response::Response {
    app.clone()
        .oneshot(
            Request::post("/login")
                .header("host", "dash.test")
                .header("origin", "http://dash.test")
                .header("content-type", "application/x-www-form-urlencoded")
                .body(Body::from(format!(
                    "name={name}&password={}",
                    password.replace(' ', "+")
                )))
                .unwrap(),
        )
        .await
        .unwrap()
}

async fn get(app: &Router, path: &str, cookie: Option<&str>) -> axum::response::Response {
    let mut request = Request::get(path).header("host", "dash.test");
    if let Some(cookie) = cookie {
        request = request.header("cookie", cookie);
    }
    app.clone()
        .oneshot(request.body(Body::empty()).unwrap())
        .await
        .unwrap()
}

#[tokio::test]
async fn without_a_login_the_dashboard_is_off_and_says_how_to_turn_it_on() {
    let dir = tempfile::tempdir().unwrap();
    let (app, _) = app(dir.path()).await;
    let home = text(get(&app, "/", None).await).await;
    assert!(home.contains("negotiator users add NAME"), "{home}");
    let api = get(&app, "/api/campaigns", None).await;
    assert_ne!(api.status(), StatusCode::OK);
}

#[tokio::test]
async fn signed_out_pages_redirect_and_json_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let (app, store) = app(dir.path()).await;
    users::add(&store, "pat", PASSWORD, jiff::Timestamp::now())
        .await
        .unwrap();
    for path in ["/", "/campaigns/x", "/negotiations/1", "/drafts"] {
        let page = get(&app, path, None).await;
        assert_eq!(page.status(), StatusCode::SEE_OTHER, "{path}");
        assert_eq!(page.headers()["location"], "/login");
    }
    let forged = get(
        &app,
        "/api/campaigns",
        Some(&format!("negotiator_session={}", "0".repeat(64))),
    )
    .await;
    assert_eq!(forged.status(), StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn sign_in_attempts_are_limited_per_name() {
    let dir = tempfile::tempdir().unwrap();
    let (app, store) = app(dir.path()).await;
    users::add(&store, "pat", PASSWORD, jiff::Timestamp::now())
        .await
        .unwrap();
    for _ in 0..5 {
        assert_eq!(
            sign_in(&app, "pat", "wrong password").await.status(),
            StatusCode::UNAUTHORIZED
        );
    }
    // Held back now, even with the right password.
    let held = sign_in(&app, "pat", PASSWORD).await;
    assert_eq!(held.status(), StatusCode::TOO_MANY_REQUESTS);
    assert!(text(held).await.contains("Too many failed sign-ins"));
}

#[tokio::test]
async fn a_sign_in_from_another_site_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let (app, store) = app(dir.path()).await;
    users::add(&store, "pat", PASSWORD, jiff::Timestamp::now())
        .await
        .unwrap();
    let response = app
        .clone()
        .oneshot(
            Request::post("/login")
                .header("host", "dash.test")
                .header("origin", "http://evil.example")
                .header("content-type", "application/x-www-form-urlencoded")
                .body(Body::from(format!(
                    "name=pat&password={}",
                    PASSWORD.replace(' ', "+")
                )))
                .unwrap(),
        )
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    assert!(response.headers().get("set-cookie").is_none());
}

#[tokio::test]
async fn outside_text_is_escaped_in_pages_and_defused_in_the_csv() {
    let dir = tempfile::tempdir().unwrap();
    let (app, store) = app(dir.path()).await;
    users::add(&store, "pat", PASSWORD, jiff::Timestamp::now())
        .await
        .unwrap();
    let at: jiff::Timestamp = "2026-03-01T00:00:00Z".parse().unwrap();
    let mut conn = store.write().await.unwrap();
    insert_campaign(
        &mut conn,
        &NewCampaign {
            campaign_id: "c1".to_owned(),
            client_name: "<b>Glow</b>".to_owned(),
            source: "file".to_owned(),
            mode: CampaignMode::Auto,
            budget_cents: 1_000_000,
            spec: serde_json::json!({}),
            created_at: at,
        },
    )
    .await
    .unwrap();
    insert_negotiation(
        &mut conn,
        &NewNegotiation {
            campaign_id: "c1".to_owned(),
            influencer_name: "=HYPERLINK(\"x\")<script>alert(1)</script>".to_owned(),
            influencer_email: "x@x.example".to_owned(),
            state: "awaiting_reply".to_owned(),
            snapshot: serde_json::json!({"platform": "tiktok"}),
            created_at: at,
        },
    )
    .await
    .unwrap();
    drop(conn);

    let signed = sign_in(&app, "pat", PASSWORD).await;
    assert_eq!(signed.status(), StatusCode::SEE_OTHER);
    let set = signed.headers()["set-cookie"].to_str().unwrap().to_owned();
    assert!(
        set.contains("HttpOnly") && set.contains("SameSite=Strict"),
        "{set}"
    );
    let cookie = set.split(';').next().unwrap().to_owned();

    let home = text(get(&app, "/", Some(&cookie)).await).await;
    assert!(home.contains("&lt;b&gt;Glow&lt;/b&gt;"), "{home}");
    let page = text(get(&app, "/campaigns/c1", Some(&cookie)).await).await;
    assert!(!page.contains("<script>alert"), "{page}");
    assert!(page.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
    let csv = text(get(&app, "/campaigns/c1/negotiations.csv", Some(&cookie)).await).await;
    assert!(
        csv.contains(",\"'=HYPERLINK(\"\"x\"\")<script>alert(1)</script>\",tiktok,"),
        "{csv}"
    );
}
