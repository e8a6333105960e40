//! `negotiator jobs`: the durable queue, and replaying parked work.

use std::path::Path;

use comfy_table::{ContentArrangement, Table, presets::UTF8_FULL_CONDENSED};

use super::database::open_existing;
use crate::args::JobsCommand;

pub async fn run(db: &Path, command: JobsCommand) -> anyhow::Result<()> {
    let store = open_existing(db).await?;
    match command {
        JobsCommand::List { status, limit } => {
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
                    job.run_at.strftime("%Y-%m-%d %H:%M:%S").to_string(),
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
