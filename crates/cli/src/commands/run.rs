//! `negotiator run`: the due work, once, with a line per step.

use negotiator_agent::ports::roster::warn_about_problems;
use negotiator_agent::workflows::inbound::poll_inbox;
use negotiator_agent::{Turn, Worker};

use super::context::Context;

pub async fn run(context: &Context) -> anyhow::Result<()> {
    let agent = context.acting_agent(true).await?;
    warn_about_problems(agent.adapters.roster.as_ref());
    let new = poll_inbox(&agent).await?;
    if new > 0 {
        println!("{new} new email(s) in the inbox.");
    }
    let worker = Worker::new(agent);
    let turns = worker.run_until_idle(print_turn).await?;
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
        Turn::Parked { job_id, error } => println!(
            "✗ job {job_id} failed and is parked: {error} (see `negotiator jobs list --status failed`)"
        ),
    }
}
