//! `negotiator jobs`: the durable queue, and replaying parked work.

use std::path::Path;

use comfy_table::{ContentArrangement, Table, presets::UTF8_FULL_CONDENSED};
use jiff::Timestamp;
use negotiator_store::{HELD_UNTIL, Job, Store};

use super::database::open_existing;
use crate::args::JobsCommand;

pub async fn run(db: &Path, command: JobsCommand) -> anyhow::Result<()> {
    let store = open_existing(db).await?;
    match command {
        JobsCommand::List {
            waiting: true,
            limit,
            ..
        } => waiting(&store, limit).await?,
        JobsCommand::List { status, limit, .. } => {
            let jobs = store.list_jobs(status, limit).await?;
            if jobs.is_empty() {
                println!("No jobs match.");
                return Ok(());
            }
            let mut table = Table::new();
            table
                .load_style(UTF8_FULL_CONDENSED)
                .set_content_arrangement(ContentArrangement::Dynamic)
                .set_header(["id", "kind", "status", "attempts", "run at", "last error"]);
            for job in &jobs {
                table.add_row([
                    job.job_id.to_string(),
                    job.kind.clone(),
                    job.status.to_string(),
                    format!("{}/{}", job.attempts, job.max_attempts),
                    goes_at(job),
                    job.last_error.clone().unwrap_or_default(),
                ]);
            }
            println!("{table}");
        }
        JobsCommand::Retry { id: Some(id), .. } => {
            store.retry(id).await?;
            println!(
                "Job {id} is queued again; `negotiator run` (or the running service) picks it up."
            );
        }
        JobsCommand::Retry { id: None, .. } => {
            let count = store.retry_all_failed().await?;
            println!("{count} failed job(s) queued again.");
        }
    }
    Ok(())
}

/// When a queued job goes: its time, or that the stop switch holds it.
fn goes_at(job: &Job) -> String {
    if job.run_at >= HELD_UNTIL {
        "held: sending is paused".to_owned()
    } else {
        job.run_at.strftime("%Y-%m-%d %H:%M:%S UTC").to_string()
    }
}

/// The jobs waiting for a later time, soonest first: what the pace and the stop switch hold.
async fn waiting(store: &Store, limit: u32) -> anyhow::Result<()> {
    let jobs = store.waiting_jobs(Timestamp::now(), limit).await?;
    if jobs.is_empty() {
        println!("Nothing waits: every queued job is due.");
        return Ok(());
    }
    let mut table = Table::new();
    table
        .load_style(UTF8_FULL_CONDENSED)
        .set_content_arrangement(ContentArrangement::Dynamic)
        .set_header(["id", "kind", "for", "goes at"]);
    for job in &jobs {
        table.add_row([
            job.job_id.to_string(),
            job.kind.clone(),
            job.dedupe_key.clone(),
            goes_at(job),
        ]);
    }
    println!("{table}");
    let held = store.held_jobs().await?;
    if held > 0 {
        println!("Sending is paused: {held} job(s) are held until `negotiator resume --all`.");
    }
    Ok(())
}
