//! The dashboard's pages on a large database: 50 campaigns, 5,000 negotiations and 50,000 audit
//! entries, served by the real router (session check included) in this process.
//!
//! ```sh
//! cargo bench -p negotiator-server --bench dashboard
//! ```
//!
//! Reports p50, p99 and the slowest of the campaigns page (`/`, every campaign's figures and
//! charts) and of one campaign's page (its 100 negotiations, sorted), over `--requests N`
//! requests each (default 300) after a warm-up.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::body::Body;
use axum::http::{Request, StatusCode};
use jiff::{Timestamp, ToSpan};
use negotiator_adapters::config::Config;
use negotiator_adapters::local::LocalPaths;
use negotiator_agent::ports::clock::SystemClock;
use negotiator_agent::{Agent, Settings};
use negotiator_server::Server;
use negotiator_server::dashboard::passwords::token_hash;
use negotiator_store::{
    CampaignMode, Db, Direction, EventType, NewAuditEntry, NewCampaign, NewNegotiation, Store,
    add_team_user, insert_audits, insert_campaign, insert_negotiation, insert_team_session,
};
use serde_json::json;
use tower::ServiceExt;

const CAMPAIGNS: usize = 50;
const PER_CAMPAIGN: usize = 100;
const STATES: [&str; 8] = [
    "agreed",
    "awaiting_reply",
    "counter_sent",
    "counter_received",
    "escalated",
    "rejected",
    "agreed",
    "stale",
];

async fn populate(store: &Store) {
    let start: Timestamp = "2026-03-01T00:00:00Z".parse().unwrap();
    let mut tx = store.begin_write().await.unwrap();
    for c in 0..CAMPAIGNS {
        let campaign_id = format!("c{c:02}");
        insert_campaign(
            &mut tx,
            &NewCampaign {
                campaign_id: campaign_id.clone(),
                client_name: format!("Client {c}"),
                source: "file".to_owned(),
                mode: CampaignMode::Auto,
                budget_cents: 100_000_000,
                spec: json!({"cpm": {"floor": 2000, "ceiling": 3000}}),
                created_at: start,
            },
        )
        .await
        .unwrap();
        let mut audit = Vec::new();
        for n in 0..PER_CAMPAIGN {
            let name = format!("Creator {c}-{n}");
            let state = STATES[n % STATES.len()];
            let at = start.checked_add((n as i64).hours()).unwrap();
            let row = insert_negotiation(
                &mut tx,
                &NewNegotiation {
                    campaign_id: campaign_id.clone(),
                    influencer_name: name.clone(),
                    influencer_email: format!("creator{c}.{n}@x.example"),
                    state: state.to_owned(),
                    snapshot: json!({
                        "platform": "instagram",
                        "offers": [{"round": 0, "rate": 90_000, "at": at}],
                        "their_last_ask": 140_000,
                        "last_activity": at,
                    }),
                    created_at: at,
                },
            )
            .await
            .unwrap();
            let agreed = state == "agreed";
            (&mut tx)
                .with(|conn| {
                    conn.execute(
                        "UPDATE negotiations SET round = ?2, agreed_cents = ?3,
                                agreed_cpm_cents = ?4, offer_cents = ?5, updated_at = ?6
                         WHERE negotiation_id = ?1",
                        (
                            row.negotiation_id,
                            (n % 4) as i64,
                            agreed.then_some(120_000i64),
                            agreed.then_some(2000 + (n as i64 * 37) % 1200),
                            (!agreed).then_some(90_000i64),
                            at.as_millisecond(),
                        ),
                    )?;
                    Ok(())
                })
                .unwrap();
            for i in 0..10i64 {
                let (event, direction) = match i % 3 {
                    0 => (EventType::EmailSent, Some(Direction::Sent)),
                    1 => (EventType::EmailReceived, Some(Direction::Received)),
                    _ if state == "escalated" => (EventType::Escalation, None),
                    _ => (EventType::StateTransition, None),
                };
                let mut entry = NewAuditEntry::new(at.checked_add((i * 3).hours()).unwrap(), event)
                    .campaign(campaign_id.clone())
                    .influencer(name.clone())
                    .negotiation_state(state)
                    .meta("reason", "bench");
                if let Some(d) = direction {
                    entry = entry
                        .direction(d)
                        .email_body("Hello, thanks for the offer.");
                }
                audit.push(entry);
            }
        }
        insert_audits(&mut tx, &audit).await.unwrap();
    }
    tx.commit().await.unwrap();
}

fn pct(sorted: &[Duration], p: f64) -> Duration {
    let i = ((sorted.len() as f64 * p).ceil() as usize).clamp(1, sorted.len()) - 1;
    sorted[i]
}

#[tokio::main]
async fn main() {
    let mut requests = 300usize;
    let mut only_fill = false;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        if arg == "--fill-only" {
            only_fill = true;
        }
        if arg == "--requests" {
            requests = args.next().and_then(|v| v.parse().ok()).unwrap_or(requests);
        }
    }
    let dir = tempfile::tempdir().unwrap();
    // `DASHBOARD_BENCH_DB=path` keeps the database for a look with `sqlite3`.
    let path = std::env::var_os("DASHBOARD_BENCH_DB")
        .map_or_else(|| dir.path().join("n.db"), std::path::PathBuf::from);
    let store = Store::open(&path).await.unwrap();
    let began = Instant::now();
    populate(&store).await;
    eprintln!(
        "populated {CAMPAIGNS} campaigns, {} negotiations, {} audit entries in {:.1?}",
        CAMPAIGNS * PER_CAMPAIGN,
        CAMPAIGNS * PER_CAMPAIGN * 10,
        began.elapsed()
    );
    if only_fill {
        return;
    }
    let now = Timestamp::now();
    let user = add_team_user(&mut store.write().await.unwrap(), "bench", "unused", now)
        .await
        .unwrap();
    let token = "ab".repeat(32);
    insert_team_session(
        &mut store.write().await.unwrap(),
        &token_hash(&token),
        user,
        "csrf",
        now,
        now.checked_add(1.hours()).unwrap(),
    )
    .await
    .unwrap();
    let adapters = LocalPaths::under(dir.path()).adapters(false).unwrap();
    let agent = Agent::new(store, adapters, Settings::demo(), Arc::new(SystemClock));
    let mut config = Config::default();
    config.server.bind = "127.0.0.1:0".to_owned();
    let server = Server::bind(agent, Arc::new(config)).await.unwrap();
    let app = negotiator_server::router(server.state().clone());
    let cookie = format!("negotiator_session={token}");

    for (label, path) in [
        ("campaigns page (/)", "/"),
        ("one campaign's page", "/campaigns/c07"),
    ] {
        let mut times = Vec::with_capacity(requests);
        let mut bytes = 0;
        let mut first = Duration::ZERO;
        for i in 0..requests + 20 {
            let request = Request::get(path)
                .header("cookie", &cookie)
                .body(Body::empty())
                .unwrap();
            let began = Instant::now();
            let response = app.clone().oneshot(request).await.unwrap();
            assert_eq!(response.status(), StatusCode::OK, "{path}");
            let body = axum::body::to_bytes(response.into_body(), 1 << 26)
                .await
                .unwrap();
            let took = began.elapsed();
            bytes = body.len();
            if i == 0 {
                first = took;
            }
            if i >= 20 {
                times.push(took);
            }
        }
        times.sort();
        println!(
            "{label}: first {first:.1?}; then {requests} requests, {bytes} bytes each: p50 {:.1?}, \
             p99 {:.1?}, max {:.1?}",
            pct(&times, 0.50),
            pct(&times, 0.99),
            times.last().copied().unwrap_or_default()
        );
    }
}
