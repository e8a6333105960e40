//! Campaign intake from a source: fetch the campaign a reference names and start it, or tell
//! the team what to fix. An outage while fetching is retried and then parked, never dropped.

use negotiator_store::NewDelivery;

use super::ingest::{Ingest, ingest, reject};
use crate::agent::Agent;
use crate::error::AgentError;
use crate::ports::campaign_source::{CampaignSource, Fetched, SourceError};
use crate::tasks::{JobKey, Task, intake_job};

/// What became of a webhook delivery.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Accepted {
    /// Stored, and its intake job queued.
    Queued,
    /// The same delivery, or the same task, was taken in before; nothing new was queued.
    Duplicate,
}

/// A verified ClickUp delivery announcing a new task: stored with the task's intake job before
/// the webhook is answered (group-committed with other deliveries), the delivery deduplicated
/// on `delivery_key` and the job on the task, so a redelivery never starts a campaign twice.
pub async fn accept_clickup_task(
    agent: &Agent,
    delivery_key: String,
    task_id: &str,
    body: &[u8],
) -> Result<Accepted, AgentError> {
    let now = agent.now();
    let task = Task::IngestClickUp {
        task_id: task_id.to_owned(),
    };
    let stored = agent
        .store
        .deliveries()
        .record(NewDelivery {
            source: "clickup".to_owned(),
            dedupe_key: delivery_key,
            body: String::from_utf8_lossy(body).into_owned(),
            received_at: now,
            job: Some(intake_job(
                &task,
                &JobKey::ClickUpTask {
                    task_id: task_id.to_owned(),
                },
                now,
            )?),
        })
        .await?;
    Ok(if stored.new_delivery && stored.new_job {
        Accepted::Queued
    } else {
        Accepted::Duplicate
    })
}

/// Fetches the campaign `reference` names from `source` and takes it in.
#[tracing::instrument(name = "intake", skip_all, fields(source = source.name(), reference = reference))]
pub async fn take(
    agent: &Agent,
    source: &dyn CampaignSource,
    reference: &str,
) -> Result<Ingest, AgentError> {
    match source.fetch(reference).await {
        Ok(Fetched::Draft(draft)) => ingest(agent, &draft, source.name()).await,
        Ok(Fetched::Unusable(problems)) => {
            reject(agent, source.name(), Some(reference), &problems).await?;
            Ok(Ingest::Rejected(problems))
        }
        Err(SourceError::Vendor(error)) => Err(error.into()),
        Err(SourceError::Misconfigured(problem)) => Err(AgentError::Invalid(problem)),
    }
}
