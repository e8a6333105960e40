//! A 500-influencer campaign through the real worker on the local adapters, with a simulated
//! clock, under the sending pace: how many openings go out each simulated day, and how the
//! send times spread inside the window.
//!
//! `cargo bench -p negotiator-cli --bench send_pacing` (add `-- --size N` for another size).

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::BTreeMap;
use std::error::Error;
use std::sync::Arc;

use jiff::civil::Date;
use jiff::tz::TimeZone;
use jiff::{SignedDuration, Timestamp};
use negotiator_adapters::local::LocalPaths;
use negotiator_agent::ports::clock::ManualClock;
use negotiator_agent::workflows::ingest::ingest;
use negotiator_agent::{Agent, Settings, Worker};
use negotiator_domain::{CampaignDraft, Ramp, SendPace};
use negotiator_store::{AuditFilter, EventType, Store};

type BoxError = Box<dyn Error + Send + Sync>;

fn main() -> Result<(), BoxError> {
    let args: Vec<String> = std::env::args().collect();
    let size = args
        .iter()
        .position(|a| a == "--size")
        .and_then(|at| args.get(at + 1))
        .and_then(|n| n.parse().ok())
        .unwrap_or(500);
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    let flat = SendPace {
        ramp: None,
        ..SendPace::default()
    };
    runtime.block_on(run("cap 50/day, no ramp", flat, size))?;
    runtime.block_on(run(
        "the defaults: cap 50/day, a new mailbox ramping 20 +5/day",
        SendPace {
            ramp: Some(Ramp {
                first_day: 20,
                step: 5,
            }),
            ..SendPace::default()
        },
        size,
    ))?;
    Ok(())
}

async fn run(title: &str, pace: SendPace, size: usize) -> Result<(), BoxError> {
    let dir = tempfile::tempdir()?;
    let paths = LocalPaths::under(dir.path());
    let mut roster = String::from("name,email,platform,average views\n");
    for i in 0..size {
        roster.push_str(&format!(
            "Creator {i},creator{i}@creator.example,instagram,{}\n",
            40_000 + i * 10
        ));
    }
    std::fs::write(&paths.roster, roster)?;
    let store = Store::open(&dir.path().join("n.db")).await?;
    // Monday 08:00 UTC: the campaign arrives an hour before the window opens.
    let start: Timestamp = "2026-11-02T08:00:00Z".parse()?;
    let clock = Arc::new(ManualClock::new(start));
    let mut settings = Settings::demo();
    settings.pace = pace.clone();
    let agent = Agent::new(store, paths.adapters(false)?, settings, clock.clone());
    let worker = Worker::new(agent.clone());
    let draft = CampaignDraft {
        campaign_id: Some("big".to_owned()),
        client_name: Some("Glow Skincare".to_owned()),
        budget: Some("$2,000,000".to_owned()),
        platform: Some("instagram".to_owned()),
        deliverables: vec!["1 instagram reel".to_owned()],
        cpm_target: Some("$25".to_owned()),
        cpm_leniency_pct: Some("20".to_owned()),
        influencers: vec![
            (0..size)
                .map(|i| format!("Creator {i}"))
                .collect::<Vec<_>>()
                .join(", "),
        ],
        mode: Some("auto".to_owned()),
        ..CampaignDraft::default()
    };
    let wall = std::time::Instant::now();
    ingest(&agent, &draft, "file").await?;
    let mut turns = 0usize;
    let end = start
        .checked_add(SignedDuration::from_hours(24 * 40))
        .map_err(|e| e.to_string())?;
    loop {
        turns += worker.run_until_idle(|_| {}).await?;
        let next = agent.store.waiting_jobs(agent.now(), 1).await?;
        let opened = openings(&agent.store).await?.len();
        match next.first() {
            Some(job) if opened < size && job.run_at <= end => clock.set(job.run_at),
            _ => break,
        }
    }
    let sent = openings(&agent.store).await?;
    println!(
        "\n{title}: {size} influencers, {} openings sent over {} simulated day(s); {turns} \
         worker turns in {:.1} s of wall time",
        sent.len(),
        per_day(&sent).len(),
        wall.elapsed().as_secs_f64()
    );
    println!(
        "| day | openings | first | last | min gap | median gap | max gap |\n|---|---|---|---|---|---|---|"
    );
    for (day, times) in per_day(&sent) {
        let gaps: Vec<i64> = times
            .windows(2)
            .map(|w| w[0].duration_until(w[1]).as_secs())
            .collect();
        let mut sorted = gaps.clone();
        sorted.sort_unstable();
        let stat =
            |v: Option<&i64>| v.map_or("–".to_owned(), |s| format!("{}m{:02}s", s / 60, s % 60));
        println!(
            "| {} {day} | {} | {} | {} | {} | {} | {} |",
            &format!("{:?}", day.weekday())[..3],
            times.len(),
            hhmm(times[0]),
            hhmm(times[times.len() - 1]),
            stat(sorted.first()),
            stat(sorted.get(sorted.len() / 2)),
            stat(sorted.last()),
        );
    }
    Ok(())
}

/// When each opening went out, earliest first.
async fn openings(store: &Store) -> Result<Vec<Timestamp>, BoxError> {
    let filter = AuditFilter {
        event_type: Some(EventType::EmailSent),
        limit: 100_000,
        ..AuditFilter::default()
    };
    let mut times: Vec<Timestamp> = store
        .audit_entries(&filter)
        .await?
        .into_iter()
        .filter(|e| e.metadata.get("kind").and_then(|k| k.as_str()) == Some("opening"))
        .map(|e| e.occurred_at)
        .collect();
    times.sort();
    Ok(times)
}

fn per_day(times: &[Timestamp]) -> BTreeMap<Date, Vec<Timestamp>> {
    let mut days: BTreeMap<Date, Vec<Timestamp>> = BTreeMap::new();
    for at in times {
        days.entry(TimeZone::UTC.to_datetime(*at).date())
            .or_default()
            .push(*at);
    }
    days
}

fn hhmm(at: Timestamp) -> String {
    TimeZone::UTC
        .to_datetime(at)
        .strftime("%H:%M:%S")
        .to_string()
}
