//! How long due jobs wait for a worker while a ClickUp intake backlog is rate-limited.
//!
//! ```sh
//! cargo build --release -p negotiator-cli
//! cargo bench -p negotiator-server --bench job_wait -- --bin target/release/negotiator
//! ```
//!
//! Starts a fake ClickUp API on loopback that answers as ClickUp documents (100 requests a
//! minute per token; past that, 429 with `X-RateLimit-Reset`), and `negotiator serve` (two
//! workers, `[clickup]` pointed at the fake) on a fresh database. Then:
//! 1. a backlog: 1,000 signed `taskCreated` deliveries, so 1,000 `ingest_clickup` jobs, each
//!    of whose tasks starts a three-influencer campaign in review mode (openings, drafts,
//!    notices);
//! 2. for 60 s, a three-influencer campaign in auto mode every 500 ms, imported straight into
//!    the database as `negotiator campaign import` does, so openings, notices and sends come
//!    due all the while;
//! 3. the wait of every job other than the intake that came due meanwhile: from its `run_at`
//!    until it was done (its claim plus its own few milliseconds of work). A job not done by
//!    the end counts with the time it had waited so far.
//!
//! Options (after `--`): `--bin PATH` (relative to the workspace root), `--tasks N`,
//! `--seconds N`, `--every-ms N`.

mod support;

use std::collections::{BTreeMap, HashMap};
use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::Json;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use jiff::Timestamp;
use negotiator_adapters::local::LocalPaths;
use negotiator_agent::ports::clock::SystemClock;
use negotiator_agent::workflows::ingest::ingest;
use negotiator_agent::{Agent, Settings};
use negotiator_domain::CampaignDraft;
use negotiator_store::Store;
use serde_json::{Value, json};
use support::{BoxError, Connection, WEBHOOK_SECRET, accepted, pct};

const TOKEN: &str = "pk_bench_token";
/// ClickUp's limit per token on the Free Forever, Unlimited and Business plans.
const CLICKUP_PER_MINUTE: u32 = 100;
const FORM_TASK: &str = negotiator_testkit::fixtures::CLICKUP_FORM_TASK;
const ROSTER: &str = "\
name,email,platform,handle,average views,min rate,max rate,engagement rate
Jane Doe,jane@creator.example,instagram,@jane,50000,,,2.0%
Raj Patel,raj@creator.example,instagram,@raj,40000,,,2.5%
Mia Chen,mia@creator.example,instagram,@mia,60000,,,1.5%
";
const FIELD_MAPPING: [(&str, &str); 7] = [
    ("Client Name", "client_name"),
    ("Campaign Budget", "budget"),
    ("Primary Platform", "platform"),
    (
        "Target Deliverables per Influencer (select all that apply)",
        "deliverables",
    ),
    ("CPM Target - Numerical value ($20-$50)", "cpm_target"),
    ("Influencers to contact", "influencers"),
    ("Sending mode", "mode"),
];

struct Options {
    bin: PathBuf,
    tasks: u64,
    seconds: u64,
    every: Duration,
}

fn options() -> Result<Options, BoxError> {
    let mut bin = None;
    let mut o = Options {
        bin: PathBuf::new(),
        tasks: 1_000,
        seconds: 60,
        every: Duration::from_millis(500),
    };
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let mut value = || args.next().ok_or(format!("{arg} needs a value"));
        match arg.as_str() {
            "--bin" => bin = Some(value()?),
            "--tasks" => o.tasks = value()?.parse()?,
            "--seconds" => o.seconds = value()?.parse()?,
            "--every-ms" => o.every = Duration::from_millis(value()?.parse()?),
            "--bench" => {}
            other => return Err(format!("unknown option {other}; see the file's header").into()),
        }
    }
    o.bin = support::binary(bin.as_deref())?;
    Ok(o)
}

/// A fake ClickUp API: `GET /api/v2/task/{id}` answers the form task under that id, at most
/// [`CLICKUP_PER_MINUTE`] times per token in each minute; past that, 429 as ClickUp answers
/// it, with `X-RateLimit-Limit`, `-Remaining` and `-Reset` (Unix seconds; no `Retry-After`).
#[derive(Default)]
struct FakeClickUp {
    /// Per token: the start of its current minute (Unix seconds) and the calls made in it.
    windows: Mutex<HashMap<String, (i64, u32)>>,
    served: AtomicU64,
    refused: AtomicU64,
}

async fn get_task(
    State(fake): State<Arc<FakeClickUp>>,
    Path(task_id): Path<String>,
    headers: HeaderMap,
) -> Response {
    let Some(token) = headers
        .get("authorization")
        .and_then(|v| v.to_str().ok())
        .filter(|t| *t == TOKEN)
    else {
        let body = json!({"err": "Token invalid", "ECODE": "OAUTH_025"});
        return (StatusCode::UNAUTHORIZED, Json(body)).into_response();
    };
    let now = Timestamp::now().as_second();
    let (start, used, allowed) = {
        let mut windows = fake.windows.lock().unwrap_or_else(|p| p.into_inner());
        let window = windows.entry(token.to_owned()).or_insert((now, 0));
        if now >= window.0 + 60 {
            *window = (now, 0);
        }
        let allowed = window.1 < CLICKUP_PER_MINUTE;
        if allowed {
            window.1 += 1;
        }
        (window.0, window.1, allowed)
    };
    let limits = [
        ("x-ratelimit-limit", CLICKUP_PER_MINUTE.to_string()),
        (
            "x-ratelimit-remaining",
            CLICKUP_PER_MINUTE.saturating_sub(used).to_string(),
        ),
        ("x-ratelimit-reset", (start + 60).to_string()),
    ];
    if !allowed {
        fake.refused.fetch_add(1, Ordering::Relaxed);
        let body = json!({"err": "Rate limit reached", "ECODE": "APP_002"});
        return (StatusCode::TOO_MANY_REQUESTS, limits, Json(body)).into_response();
    }
    fake.served.fetch_add(1, Ordering::Relaxed);
    let mut task: Value = serde_json::from_str(FORM_TASK).unwrap_or(Value::Null);
    task["id"] = json!(task_id);
    (limits, Json(task)).into_response()
}

/// Serves the fake on a free loopback port; returns the port.
async fn start_fake(fake: Arc<FakeClickUp>) -> Result<u16, BoxError> {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let port = listener.local_addr()?.port();
    let app = axum::Router::new()
        .route("/api/v2/task/{task_id}", axum::routing::get(get_task))
        .with_state(fake);
    tokio::spawn(async move {
        let _ = axum::serve(listener, app).await;
    });
    Ok(port)
}

fn config(port: u16, data: &std::path::Path, clickup_port: u16) -> String {
    let mut config = format!(
        "[server]\nbind = \"127.0.0.1:{port}\"\nworkers = 2\npoll_interval_secs = 3600\n\n\
         [local]\ndata_dir = \"{}\"\n\n\
         [agent]\nagent_address = \"avery@northstar.example\"\n\
         sender = {{ name = \"Avery Quinn\", team = \"Northstar\" }}\n\n\
         # The wait measured is the queue's, not the sending pace's: every email may go now.\n\
         [sending]\ndaily_new_conversations = 0\nwindow_start = \"00:00\"\nwindow_end = \"00:00\"\n\
         business_days = [\"mon\", \"tue\", \"wed\", \"thu\", \"fri\", \"sat\", \"sun\"]\n\
         min_spacing_secs = 0\nmax_spacing_secs = 0\n\n\
         [clickup]\nbase_url = \"http://127.0.0.1:{clickup_port}\"\n\n\
         [clickup.field_mapping]\n",
        data.display()
    );
    for (field, target) in FIELD_MAPPING {
        config.push_str(&format!("{field:?} = {target:?}\n"));
    }
    config
}

/// A campaign that comes due while the backlog waits: three openings, then three sends.
fn due_campaign(n: u64) -> CampaignDraft {
    CampaignDraft {
        campaign_id: Some(format!("due-{n}")),
        client_name: Some("Glow Skincare".to_owned()),
        budget: Some("$20,000".to_owned()),
        platform: Some("instagram".to_owned()),
        deliverables: vec!["1 instagram reel".to_owned()],
        cpm_target: Some("$25".to_owned()),
        cpm_leniency_pct: Some("20".to_owned()),
        influencers: vec!["Jane Doe, Raj Patel, Mia Chen".to_owned()],
        mode: Some("auto".to_owned()),
        ..CampaignDraft::default()
    }
}

/// How long each job (other than the intake) that came due between `from` and `to` waited,
/// in microseconds, by kind; and how many were not done by `to`.
async fn waits(
    store: &Store,
    from: Timestamp,
    to: Timestamp,
) -> Result<(BTreeMap<String, Vec<u64>>, u64), BoxError> {
    let rows: Vec<(String, String, i64, i64)> = sqlx::query_as(
        "SELECT kind, status, run_at, updated_at FROM jobs
         WHERE kind != 'ingest_clickup' AND run_at >= ?1 AND run_at <= ?2",
    )
    .bind(from.as_millisecond())
    .bind(to.as_millisecond())
    .fetch_all(store.pool())
    .await?;
    let mut by_kind: BTreeMap<String, Vec<u64>> = BTreeMap::new();
    let mut pending = 0;
    for (kind, status, run_at, updated_at) in rows {
        let until = if status == "done" {
            updated_at
        } else {
            pending += 1;
            to.as_millisecond()
        };
        let wait_us = u64::try_from(until.saturating_sub(run_at)).unwrap_or(0) * 1_000;
        by_kind.entry(kind).or_default().push(wait_us);
    }
    for waits in by_kind.values_mut() {
        waits.sort_unstable();
    }
    Ok((by_kind, pending))
}

async fn count(store: &Store, sql: &'static str) -> Result<i64, BoxError> {
    let (n,): (i64,) = sqlx::query_as(sql).fetch_one(store.pool()).await?;
    Ok(n)
}

fn row(name: &str, sorted: &[u64]) {
    println!(
        "| {name} | {} | {:.1} / {:.1} / {:.1} / {:.1} ms |",
        sorted.len(),
        pct(sorted, 50.0),
        pct(sorted, 90.0),
        pct(sorted, 99.0),
        pct(sorted, 100.0)
    );
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), BoxError> {
    let o = options()?;
    let fake = Arc::new(FakeClickUp::default());
    let clickup_port = start_fake(fake.clone()).await?;
    let dir = tempfile::tempdir()?;
    let data = dir.path().join("data");
    std::fs::create_dir_all(&data)?;
    std::fs::write(data.join("roster.csv"), ROSTER)?;
    let port = support::free_port()?;
    let served = support::start(
        &o.bin,
        dir,
        port,
        &config(port, &data, clickup_port),
        &[
            ("CLICKUP_API_TOKEN", TOKEN),
            ("CLICKUP_WEBHOOK_SECRET", WEBHOOK_SECRET),
        ],
    )
    .await?;
    println!(
        "negotiator serve on 127.0.0.1:{port} (2 workers); fake ClickUp on 127.0.0.1:{clickup_port} \
         ({CLICKUP_PER_MINUTE} requests/minute per token)"
    );

    let mut connection = Connection::open(port).await?;
    for n in 0..o.tasks {
        let (status, body) = connection.post_delivery(n).await?;
        if !accepted(status, &body) {
            return Err(format!("delivery {n} was answered {status}").into());
        }
    }
    println!(
        "{} deliveries queued; a campaign every {:?} for {} s …",
        o.tasks, o.every, o.seconds
    );

    let store = Store::open(&served.db).await?;
    let adapters = LocalPaths::under(&data).adapters(false)?;
    let agent = Agent::new(
        store.clone(),
        adapters,
        Settings::default(),
        Arc::new(SystemClock),
    );
    let from = Timestamp::now();
    let mut ticker = tokio::time::interval(o.every);
    let campaigns = o.seconds * 1_000 / u64::try_from(o.every.as_millis().max(1))?;
    for n in 0..campaigns {
        ticker.tick().await;
        ingest(&agent, &due_campaign(n), "file").await?;
    }
    let to = Timestamp::now();
    // The last campaign's jobs get a moment to run; anything still waiting after it counts.
    tokio::time::sleep(Duration::from_secs(2)).await;
    let (by_kind, pending) = waits(&store, from, to).await?;
    let intake_done = count(
        &store,
        "SELECT COUNT(*) FROM jobs WHERE kind = 'ingest_clickup' AND status = 'done'",
    )
    .await?;
    let failed = count(&store, "SELECT COUNT(*) FROM jobs WHERE status = 'failed'").await?;
    let elapsed = (Timestamp::now() - from).get_seconds() as f64;

    println!();
    println!("| jobs due during the backlog | count | wait p50 / p90 / p99 / max |");
    println!("|---|---|---|");
    let mut all: Vec<u64> = by_kind.values().flatten().copied().collect();
    all.sort_unstable();
    row("all (not intake)", &all);
    for (kind, waits) in &by_kind {
        row(kind, waits);
    }
    println!();
    println!("- not done by the end (counted with their wait so far): {pending}");
    println!(
        "- ClickUp tasks taken in: {intake_done} of {} in {elapsed:.0} s ({:.0}/min); fake ClickUp \
         answered {} and refused {} with 429",
        o.tasks,
        intake_done as f64 * 60.0 / elapsed,
        fake.served.load(Ordering::Relaxed),
        fake.refused.load(Ordering::Relaxed)
    );
    println!("- jobs parked as failed: {failed}");
    store.close().await;
    Ok(())
}
