//! `negotiator run`: the due work, once, with a line per step.

use negotiator_agent::ports::roster::warn_about_problems;
use negotiator_agent::workflows::inbound::poll_inbox;
use negotiator_agent::{Turn, Worker};

use super::context::Context;
use crate::progress::Progress;

pub async fn run(context: &Context) -> anyhow::Result<()> {
    let agent = context.acting_agent(true).await?;
    warn_about_problems(agent.adapters.roster.as_ref());
    let new = poll_inbox(&agent).await?;
    if new > 0 {
        println!("{new} new email(s) in the inbox.");
    }
    let due = agent.store.count_due_jobs(agent.now()).await?;
    let worker = Worker::new(agent);
    let mut bar = Progress::new("jobs", due);
    let mut turns: u64 = 0;
    loop {
        let turn = worker.turn().await?;
        if turn == Turn::Idle {
            break;
        }
        turns += 1;
        if !matches!(turn, Turn::Done { notable: false, .. }) {
            bar.clear();
            print_turn(&turn);
        }
        // Jobs add jobs (an opening queues its email): the total is read again as the bar redraws.
        let total = match bar.wants_redraw() {
            true => {
                let agent = worker.agent();
                Some(turns + agent.store.count_due_jobs(agent.now()).await?)
            }
            false => None,
        };
        bar.advance(total);
    }
    bar.finish();
    // Closing the last connections checkpoints the write-ahead log into the database and
    // removes it; left behind, the next process to open the file rereads all of it first.
    worker.agent().store.close().await;
    println!("Done: {turns} job(s) run; nothing else is due now.");
    Ok(())
}

pub fn print_turn(turn: &Turn) {
    match turn {
        Turn::Idle => {}
        Turn::Done { notable: false, .. } => {}
        Turn::Done { line, .. } => println!("• {line}"),
        Turn::Retrying { job_id, error, at } => {
            println!("! job {job_id} failed, retrying at {at}: {error}");
        }
        Turn::Deferred { job_id, until } => {
            println!("· job {job_id} waits for a rate limit; it can run from {until}");
        }
        Turn::Waiting { job_id, until } => {
            println!(
                "· job {job_id} waits for its send slot ([sending] window and pace, or a pause); it runs from {until}"
            );
        }
        Turn::Parked { job_id, error } => println!(
            "✗ job {job_id} failed and is parked: {error} (see `negotiator jobs list --status failed`)"
        ),
    }
}
