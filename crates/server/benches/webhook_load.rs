//! Webhook acknowledgement under load, from a second process over loopback.
//!
//! ```sh
//! cargo build --release -p negotiator-cli
//! cargo bench -p negotiator-server --bench webhook_load -- --bin target/release/negotiator
//! ```
//!
//! Starts `negotiator serve` (HTTP only: no workers) on a fresh database, then:
//! 1. open loop: a fixed request rate (default 500/s for 20 s) over 64 keep-alive connections,
//!    each latency counted from the request's *scheduled* send time, so a slow answer delays
//!    and is charged to every request queued behind it (no coordinated omission);
//! 2. closed loop: 64 connections sending back to back (default 10 s), for throughput.
//!
//! Every delivery is a distinct signed `taskCreated`; afterwards the database must hold every
//! one exactly once, with its job, or the run fails.
//!
//! 3. Gmail push: a second server with `[gmail_push]` (Google's keys and Gmail faked on
//!    loopback in this process), the same open loop of distinct Pub/Sub pushes, each with an
//!    RS256 OIDC token verified on arrival; every push must be stored once with its read job.
//!
//! Options (after `--`): `--bin PATH` (relative to the workspace root), `--rate N`,
//! `--seconds N`, `--closed-seconds N`, `--push-seconds N` (0 skips it), `--connections N`.

mod support;

use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};

use negotiator_testkit::fakes::gmail::{FakeGmail, MessageIds};
use negotiator_testkit::fakes::google_certs::{GoogleCerts, PUSH_AUDIENCE, PUSH_EMAIL, push_body};
use negotiator_testkit::fixtures::TEST_SERVICE_ACCOUNT_KEY;
use support::{BoxError, Connection, WEBHOOK_SECRET, accepted, pct};

struct Options {
    bin: PathBuf,
    rate: u64,
    seconds: u64,
    closed_seconds: u64,
    push_seconds: u64,
    connections: usize,
}

/// What the open loop posts.
#[derive(Clone)]
enum Post {
    ClickUp,
    /// Gmail pushes for `email`, with OIDC `token`.
    Push {
        token: Arc<String>,
        email: Arc<String>,
    },
}

fn options() -> Result<Options, BoxError> {
    let mut bin = None;
    let mut o = Options {
        bin: PathBuf::new(),
        rate: 500,
        seconds: 20,
        closed_seconds: 10,
        push_seconds: 20,
        connections: 64,
    };
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let mut value = || args.next().ok_or(format!("{arg} needs a value"));
        match arg.as_str() {
            "--bin" => bin = Some(value()?),
            "--rate" => o.rate = value()?.parse()?,
            "--seconds" => o.seconds = value()?.parse()?,
            "--closed-seconds" => o.closed_seconds = value()?.parse()?,
            "--push-seconds" => o.push_seconds = value()?.parse()?,
            "--connections" => o.connections = value()?.parse()?,
            "--bench" => {}
            other => return Err(format!("unknown option {other}; see the file's header").into()),
        }
    }
    o.bin = support::binary(bin.as_deref())?;
    Ok(o)
}

async fn start(bin: &std::path::Path) -> Result<support::Served, BoxError> {
    let dir = tempfile::tempdir()?;
    let port = support::free_port()?;
    let config = format!(
        "[server]\nbind = \"127.0.0.1:{port}\"\nworkers = 0\npoll_interval_secs = 3600\n\
         [local]\ndata_dir = \"{}\"\n\
         [agent]\nagent_address = \"avery@northstar.example\"\n\
         [agent.sender]\nname = \"Avery Quinn\"\nteam = \"Northstar\"\n",
        dir.path().join("data").display()
    );
    support::start(
        bin,
        dir,
        port,
        &config,
        &[("CLICKUP_WEBHOOK_SECRET", WEBHOOK_SECRET)],
    )
    .await
}

async fn open_loop(
    o: &Options,
    port: u16,
    first: u64,
    seconds: u64,
    post: Post,
) -> Result<(Vec<u64>, u64), BoxError> {
    let total = o.rate * seconds;
    let interval = Duration::from_nanos(1_000_000_000 / o.rate.max(1));
    let next = Arc::new(AtomicU64::new(0));
    let failures = Arc::new(AtomicU64::new(0));
    let start = tokio::time::Instant::now() + Duration::from_millis(200);
    let mut tasks = Vec::new();
    for _ in 0..o.connections {
        let next = next.clone();
        let failures = failures.clone();
        let post = post.clone();
        let mut connection = Connection::open(port).await?;
        tasks.push(tokio::spawn(async move {
            let mut latencies = Vec::new();
            loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                if i >= total {
                    return latencies;
                }
                let scheduled = start + interval * u32::try_from(i).unwrap_or(u32::MAX);
                tokio::time::sleep_until(scheduled).await;
                let answer = match &post {
                    Post::ClickUp => connection.post_delivery(first + i).await,
                    Post::Push { token, email } => {
                        let body = push_body(email, 5_000 + i, &format!("push-{}", first + i));
                        connection.post_push(first + i, token, &body).await
                    }
                };
                match answer {
                    Ok((status, body)) if accepted(status, &body) => {}
                    _ => {
                        failures.fetch_add(1, Ordering::Relaxed);
                    }
                }
                latencies.push(scheduled.elapsed().as_micros() as u64);
            }
        }));
    }
    let mut all = Vec::new();
    for task in tasks {
        all.extend(task.await?);
    }
    all.sort_unstable();
    Ok((all, failures.load(Ordering::Relaxed)))
}

async fn closed_loop(o: &Options, port: u16, first: u64) -> Result<(u64, Duration, u64), BoxError> {
    let next = Arc::new(AtomicU64::new(first));
    let stop = Arc::new(AtomicBool::new(false));
    let failures = Arc::new(AtomicU64::new(0));
    let mut tasks = Vec::new();
    let started = Instant::now();
    for _ in 0..o.connections {
        let (next, stop, failures) = (next.clone(), stop.clone(), failures.clone());
        let mut connection = Connection::open(port).await?;
        tasks.push(tokio::spawn(async move {
            while !stop.load(Ordering::Relaxed) {
                let n = next.fetch_add(1, Ordering::Relaxed);
                match connection.post_delivery(n).await {
                    Ok((status, body)) if accepted(status, &body) => {}
                    _ => {
                        failures.fetch_add(1, Ordering::Relaxed);
                    }
                }
            }
        }));
    }
    tokio::time::sleep(Duration::from_secs(o.closed_seconds)).await;
    stop.store(true, Ordering::Relaxed);
    for task in tasks {
        task.await?;
    }
    let elapsed = started.elapsed();
    Ok((
        next.load(Ordering::Relaxed) - first,
        elapsed,
        failures.load(Ordering::Relaxed),
    ))
}

/// CPU time (user + system) the process has used so far, from /proc (Linux).
fn cpu_time(pid: u32) -> Option<Duration> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    let after_name = stat.rsplit_once(')')?.1;
    let fields: Vec<&str> = after_name.split_whitespace().collect();
    let ticks: u64 = fields.get(11)?.parse::<u64>().ok()? + fields.get(12)?.parse::<u64>().ok()?;
    // Linux reports in clock ticks of 1/100 s on every platform this runs on.
    Some(Duration::from_millis(ticks * 10))
}

async fn stored(db: &std::path::Path) -> Result<(i64, i64), BoxError> {
    let store = negotiator_store::Store::open(db).await?;
    let deliveries: (i64,) = sqlx::query_as("SELECT COUNT(*) FROM webhook_deliveries")
        .fetch_one(store.pool())
        .await?;
    let jobs: (i64,) = sqlx::query_as("SELECT COUNT(*) FROM jobs WHERE kind = 'ingest_clickup'")
        .fetch_one(store.pool())
        .await?;
    store.close().await;
    Ok((deliveries.0, jobs.0))
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), BoxError> {
    let o = options()?;
    let served = start(&o.bin).await?;
    println!(
        "negotiator serve on 127.0.0.1:{}; {} connections; each answer means the delivery and its job are committed (WAL, synchronous=FULL)",
        served.port, o.connections
    );

    println!("open loop: {} req/s for {} s …", o.rate, o.seconds);
    let (latencies, open_failures) =
        open_loop(&o, served.port, 0, o.seconds, Post::ClickUp).await?;
    let sent_open = latencies.len() as u64;
    println!("closed loop: {} s …", o.closed_seconds);
    let server_pid = served.child.id();
    let cpu_before = cpu_time(server_pid);
    let (sent_closed, elapsed, closed_failures) = closed_loop(&o, served.port, sent_open).await?;
    let server_cpu = cpu_time(server_pid)
        .zip(cpu_before)
        .map(|(after, before)| after.saturating_sub(before));
    let sent = sent_open + sent_closed;
    let (deliveries, jobs) = stored(&served.db).await?;

    println!();
    println!("| measure | result | target |");
    println!("|---|---|---|");
    latency_row(
        &format!("open loop {} req/s, latency from scheduled send", o.rate),
        &latencies,
    );
    println!(
        "| closed loop throughput | {:.0} req/s ({sent_closed} in {:.1} s) | ≥ 10,000 req/s |",
        sent_closed as f64 / elapsed.as_secs_f64(),
        elapsed.as_secs_f64()
    );
    if let Some(cpu) = server_cpu {
        println!(
            "| server CPU per request in the closed loop | {:.0} µs ({:.0}% of 2 cores) | (context) |",
            cpu.as_secs_f64() * 1e6 / sent_closed.max(1) as f64,
            cpu.as_secs_f64() / elapsed.as_secs_f64() / 2.0 * 100.0
        );
    }
    println!(
        "| deliveries sent / stored / jobs queued / failed answers | {sent} / {deliveries} / {jobs} / {} | all stored once |",
        open_failures + closed_failures
    );
    if deliveries != sent as i64 || jobs != sent as i64 || open_failures + closed_failures > 0 {
        return Err("not every delivery was acknowledged and stored exactly once".into());
    }
    drop(served);
    if o.push_seconds > 0 {
        gmail_push(&o).await?;
    }
    Ok(())
}

/// Phase 3: Gmail pushes with OIDC tokens, against fakes of Google's keys and of Gmail.
async fn gmail_push(o: &Options) -> Result<(), BoxError> {
    const USER: &str = "avery@northstar.example";
    let certs = GoogleCerts::start(3600).await;
    let gmail = FakeGmail::start(USER, MessageIds::Kept).await;
    let dir = tempfile::tempdir()?;
    let key = dir.path().join("key.json");
    std::fs::write(
        &key,
        serde_json::json!({
            "type": "service_account",
            "private_key_id": "bench",
            "private_key": TEST_SERVICE_ACCOUNT_KEY,
            "client_email": "negotiator@agency.iam.gserviceaccount.com",
        })
        .to_string(),
    )?;
    let port = support::free_port()?;
    let config = format!(
        "[server]\nbind = \"127.0.0.1:{port}\"\nworkers = 0\npoll_interval_secs = 3600\n\
         [local]\ndata_dir = \"{data}\"\n\
         [agent]\nagent_address = \"{USER}\"\nteam_domains = [\"northstar.example\"]\n\
         [agent.sender]\nname = \"Avery Quinn\"\nteam = \"Northstar\"\n\
         [google]\ngmail_user = \"{USER}\"\ngmail_base_url = \"{gmail}\"\ntoken_url = \"{token}\"\n\
         [gmail_push]\ntopic = \"projects/bench/topics/gmail\"\naudience = \"{PUSH_AUDIENCE}\"\n\
         service_account_email = \"{PUSH_EMAIL}\"\njwks_url = \"{jwks}\"\n",
        data = dir.path().join("data").display(),
        gmail = gmail.uri(),
        token = gmail.token_url(),
        jwks = certs.jwks_url(),
    );
    let key_path = key.display().to_string();
    let served = support::start(
        &o.bin,
        dir,
        port,
        &config,
        &[("GOOGLE_APPLICATION_CREDENTIALS", key_path.as_str())],
    )
    .await?;
    let post = Post::Push {
        token: Arc::new(certs.token()),
        email: Arc::new(USER.to_owned()),
    };
    println!();
    println!(
        "Gmail push: {} req/s for {} s, each with an RS256 OIDC token checked against the fake Google keys …",
        o.rate, o.push_seconds
    );
    let (latencies, failures) = open_loop(o, served.port, 0, o.push_seconds, post).await?;
    let sent = latencies.len() as i64;
    let store = negotiator_store::Store::open(&served.db).await?;
    let (deliveries,): (i64,) =
        sqlx::query_as("SELECT COUNT(*) FROM webhook_deliveries WHERE source = 'gmail'")
            .fetch_one(store.pool())
            .await?;
    let (jobs,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM jobs WHERE kind = 'read_mailbox'")
        .fetch_one(store.pool())
        .await?;
    store.close().await;
    println!();
    println!("| measure | result | target |");
    println!("|---|---|---|");
    latency_row(
        &format!(
            "Gmail push ack, open loop {} req/s, from scheduled send",
            o.rate
        ),
        &latencies,
    );
    println!(
        "| pushes sent / stored / read jobs / failed answers / key fetches | {sent} / {deliveries} / {jobs} / {failures} / {} | all stored once, keys fetched once |",
        certs.fetches()
    );
    if deliveries != sent || jobs != sent || failures > 0 {
        return Err("not every push was acknowledged and stored exactly once".into());
    }
    Ok(())
}

/// A table row of an open loop's latencies (ms) against the p99 < 5 ms target.
fn latency_row(what: &str, latencies: &[u64]) {
    println!(
        "| {what}: p50 / p90 / p99 / p99.9 / max | {:.2} / {:.2} / {:.2} / {:.2} / {:.2} ms | p99 < 5 ms |",
        pct(latencies, 50.0),
        pct(latencies, 90.0),
        pct(latencies, 99.0),
        pct(latencies, 99.9),
        pct(latencies, 100.0)
    );
}
