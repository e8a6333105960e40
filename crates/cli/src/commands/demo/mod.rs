//! `negotiator demo`: a whole campaign on the local adapters, with scripted influencer replies
//! and a clock that lets days pass in a second. Every stage is idempotent and the stage
//! reached is stored, so `--resume` carries on after an interruption without sending twice.

mod report;
mod script;

use std::path::Path;
use std::sync::Arc;

use anyhow::{Context, bail};
use jiff::{SignedDuration, Timestamp};
use negotiator_adapters::local::LocalPaths;
use negotiator_adapters::mailbox::{PlayedBounce, PlayedReply, play_bounce, play_reply};
use negotiator_agent::ports::clock::ManualClock;
use negotiator_agent::workflows::inbound::poll_inbox;
use negotiator_agent::workflows::ingest::{Ingest, ingest};
use negotiator_agent::{Agent, Settings, Worker};
use negotiator_domain::Money;
use negotiator_store::{Store, get_cursor, list_campaigns, list_negotiations, set_cursor};

use super::run::print_turn;
use crate::args::DemoArgs;
use script::{
    BEN_CLOSES, CAMPAIGN_ID, DAY_ONE, GIA_AWAY, IVY_ACCEPTS, KAI_BOUNCES, ROSTER_CSV, Reply,
};

const STAGE: &str = "demo.stage";
const START: &str = "demo.start";

/// The stages in order, each with the demo clock's offset from the start.
const STAGES: [(&str, SignedDuration); 6] = [
    ("The campaign arrives", SignedDuration::ZERO),
    (
        "The agent sends the opening offers",
        SignedDuration::from_mins(1),
    ),
    ("Day 1, replies come in", SignedDuration::from_hours(24)),
    ("Day 1, afternoon", SignedDuration::from_hours(29)),
    (
        "Day 2, the budget runs short",
        SignedDuration::from_hours(48),
    ),
    ("Day 4, silence", SignedDuration::from_hours(96)),
];

pub async fn run(db: &Path, args: DemoArgs) -> anyhow::Result<()> {
    let store = prepare(db, &args.dir, args.resume).await?;
    let start = match get_cursor(store.db(), START).await? {
        Some(text) => text
            .parse::<Timestamp>()
            .context("the stored demo start time")?,
        // Start five days back so the whole story sits in the recent past (`audit --last 7d`).
        None => {
            let start = Timestamp::now()
                .checked_sub(SignedDuration::from_hours(5 * 24))
                .unwrap_or_else(|_| Timestamp::now());
            let mut conn = store.write().await?;
            set_cursor(&mut conn, START, &start.to_string(), Timestamp::now()).await?;
            start
        }
    };
    let clock = Arc::new(ManualClock::new(start));
    let paths = LocalPaths::under(&args.dir);
    std::fs::create_dir_all(&args.dir)
        .with_context(|| format!("could not create {}", args.dir.display()))?;
    if !paths.roster.exists() {
        std::fs::write(&paths.roster, ROSTER_CSV)
            .with_context(|| format!("could not write {}", paths.roster.display()))?;
    }
    let adapters = paths.adapters(!args.quiet)?;
    let mut settings = Settings::demo();
    // Offers rounded up to the next $10, never past the limit.
    settings.policy.concession.round_up_to = Some(Money::from_dollars(10));
    if !args.quiet {
        println!(
            "negotiator demo: one campaign on the local adapters (no network, no credentials)"
        );
        for (port, what) in adapters.describe() {
            println!("  {port:<10} {what}");
        }
        println!("  database   {}", db.display());
    }
    // Only this process works on the demo database: jobs an interrupted run had claimed are free.
    store.release_expired_leases(Timestamp::MAX).await?;
    let agent = Agent::new(store, adapters, settings, clock.clone());
    let worker = Worker::new(agent.clone());

    let reached = stage_reached(&agent).await?;
    for (index, (title, offset)) in STAGES.iter().enumerate().skip(reached) {
        clock.set(start.checked_add(*offset).unwrap_or(start));
        if !args.quiet {
            println!("\n━━ {title} ({})", clock_label(start, agent.now()));
        }
        match index {
            0 => import(&agent, args.quiet).await?,
            2 => {
                deliver(&agent, &paths, &DAY_ONE, args.quiet).await?;
                not_replies(&agent, &paths, start, args.quiet).await?;
            }
            3 => deliver(&agent, &paths, &[BEN_CLOSES], args.quiet).await?,
            4 => deliver(&agent, &paths, &[IVY_ACCEPTS], args.quiet).await?,
            _ => {}
        }
        if index > 0 {
            poll_inbox(&agent).await?;
            work(&worker, args.quiet).await?;
        }
        let mut conn = agent.store.write().await?;
        set_cursor(&mut conn, STAGE, &(index + 1).to_string(), agent.now()).await?;
    }
    report::print(&agent, &paths, args.quiet).await
}

async fn work(worker: &Worker, quiet: bool) -> anyhow::Result<()> {
    worker
        .run_until_idle(|turn| {
            if !quiet {
                print_turn(turn);
            }
        })
        .await?;
    Ok(())
}

/// A fresh database for the demo, or the interrupted one with `resume`. A database holding
/// anything but the demo campaign is never touched.
async fn prepare(db: &Path, dir: &Path, resume: bool) -> anyhow::Result<Store> {
    if db.exists() {
        let store = Store::open(db)
            .await
            .with_context(|| format!("could not open {}", db.display()))?;
        let others: Vec<String> = list_campaigns(store.db())
            .await?
            .into_iter()
            .map(|c| c.campaign_id)
            .filter(|id| id != CAMPAIGN_ID)
            .collect();
        if !others.is_empty() {
            bail!(
                "{} holds other campaigns ({}); the demo will not touch it. Run it on its own \
                 database: `negotiator --db data/demo.db demo`",
                db.display(),
                others.join(", ")
            );
        }
        if resume {
            return Ok(store);
        }
        store.close().await;
        for suffix in ["", "-wal", "-shm"] {
            let path = format!("{}{suffix}", db.display());
            match std::fs::remove_file(&path) {
                Err(e) if e.kind() != std::io::ErrorKind::NotFound => {
                    return Err(e)
                        .with_context(|| format!("could not remove the old demo database {path}"));
                }
                _ => {}
            }
        }
    } else if resume {
        println!(
            "No interrupted demo at {}; starting a new one.",
            db.display()
        );
    }
    if !resume && dir.exists() {
        std::fs::remove_dir_all(dir)
            .with_context(|| format!("could not clear the old demo folder {}", dir.display()))?;
    }
    Store::open(db)
        .await
        .with_context(|| format!("could not create the demo database at {}", db.display()))
}

async fn stage_reached(agent: &Agent) -> anyhow::Result<usize> {
    Ok(match get_cursor(agent.store.db(), STAGE).await? {
        Some(text) => text.parse().context("the stored demo stage")?,
        None => 0,
    })
}

async fn import(agent: &Agent, quiet: bool) -> anyhow::Result<()> {
    match ingest(agent, &script::campaign(), "demo").await? {
        Ingest::Started(done) => {
            if !quiet {
                println!(
                    "• campaign {} for {}: {} influencers listed, {} found in the roster",
                    done.campaign.campaign_id,
                    done.campaign.client_name,
                    done.campaign.influencers.len(),
                    done.started.len()
                );
            }
            Ok(())
        }
        // Imported before an interruption: carry on.
        Ingest::Duplicate(_) => Ok(()),
        Ingest::Rejected(problems) => bail!("the demo's campaign was refused: {problems}"),
    }
}

/// Drops scripted replies into the inbox as real RFC 5322 files answering our last email.
async fn deliver(
    agent: &Agent,
    paths: &LocalPaths,
    replies: &[Reply],
    quiet: bool,
) -> anyhow::Result<()> {
    let rows = list_negotiations(agent.store.db(), CAMPAIGN_ID).await?;
    for (n, reply) in replies.iter().enumerate() {
        let Some(row) = rows.iter().find(|r| r.influencer_name == reply.influencer) else {
            continue;
        };
        let slug: String = reply
            .influencer
            .chars()
            .filter(char::is_ascii_alphanumeric)
            .collect::<String>()
            .to_ascii_lowercase();
        let played = PlayedReply {
            message_id: format!(
                "{slug}.{}.{}@influencer.example",
                agent.now().as_second(),
                n
            ),
            from_name: reply.from_name,
            from_address: reply.from_address,
            body: reply.body,
            date: agent.now().as_second(),
            automatic: false,
        };
        play_reply(agent, &paths.mail, row.negotiation_id, &played).await?;
        if !quiet {
            println!(
                "• {} {}: {:?}",
                reply.influencer,
                reply.shows,
                one_line(reply.body)
            );
        }
    }
    Ok(())
}

/// Day 1's mail that is not a reply: Gia's out-of-office (back on Day 6) and the bounce of
/// our email to Kai.
async fn not_replies(
    agent: &Agent,
    paths: &LocalPaths,
    start: Timestamp,
    quiet: bool,
) -> anyhow::Result<()> {
    let rows = list_negotiations(agent.store.db(), CAMPAIGN_ID).await?;
    let id = |name: &str| {
        rows.iter()
            .find(|r| r.influencer_name == name)
            .map(|r| r.negotiation_id)
    };
    let now = agent.now().as_second();
    if let Some(gia) = id("Gia Romano") {
        let back = start
            .checked_add(SignedDuration::from_hours(6 * 24))
            .unwrap_or(start)
            .strftime("%B %-d")
            .to_string();
        let body = GIA_AWAY.replace("{back}", &back);
        let away = PlayedReply {
            message_id: format!("gia.away.{now}@giaromano.example"),
            from_name: "Gia Romano",
            from_address: "gia@giaromano.example",
            body: &body,
            date: now,
            automatic: true,
        };
        play_reply(agent, &paths.mail, gia, &away).await?;
        if !quiet {
            println!(
                "• Gia Romano's out-of-office answers: {:?}",
                one_line(&body)
            );
        }
    }
    if let Some(kai) = id("Kai Brooks") {
        let (status, diagnostic) = KAI_BOUNCES;
        let bounce = PlayedBounce {
            message_id: format!("dsn.{now}@mx.kaibrooks.example"),
            status,
            diagnostic,
            date: now,
        };
        play_bounce(agent, &paths.mail, kai, &bounce).await?;
        if !quiet {
            println!("• our email to Kai Brooks bounces: {diagnostic}");
        }
    }
    Ok(())
}

fn one_line(text: &str) -> String {
    let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if flat.chars().count() > 90 {
        format!("{}…", flat.chars().take(89).collect::<String>())
    } else {
        flat
    }
}

fn clock_label(start: Timestamp, now: Timestamp) -> String {
    let elapsed = now.duration_since(start);
    let hours = elapsed.as_hours();
    format!("demo clock +{}d {}h", hours / 24, hours % 24)
}
