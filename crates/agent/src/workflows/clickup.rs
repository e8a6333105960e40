//! ClickUp intake as a job: fetch the task, map its fields, and start the campaign (or tell the
//! team what to fix). An outage while fetching is retried and then parked, never dropped.

use std::collections::BTreeMap;

use negotiator_vendors::clickup::ClickUpClient;

use super::ingest::{Ingested, ingest, reject};
use crate::agent::Agent;
use crate::clickup::{ClickUpIntakeError, fetch_draft};
use crate::error::AgentError;

/// The ClickUp client and the field mapping from `[clickup]`.
#[derive(Clone, Debug)]
pub struct ClickUpIntake {
    pub client: ClickUpClient,
    pub field_mapping: BTreeMap<String, String>,
}

/// What became of one task.
#[derive(Clone, Debug)]
pub enum Taken {
    Started(Box<Ingested>),
    /// Missing or bad fields; the team was told which.
    Rejected(usize),
    /// The campaign was started before (ClickUp delivered the task twice).
    AlreadyStarted,
}

pub async fn take_task(
    agent: &Agent,
    intake: &ClickUpIntake,
    task_id: &str,
) -> Result<Taken, AgentError> {
    let draft = match fetch_draft(&intake.client, task_id, &intake.field_mapping).await {
        Ok(draft) => draft,
        Err(ClickUpIntakeError::Fetch { source, .. }) => return Err(source.into()),
        Err(ClickUpIntakeError::Mapping { source, .. }) if source.is_config_error() => {
            return Err(AgentError::Invalid(format!(
                "{source}; fix [clickup] field_mapping in negotiator.toml, then `negotiator jobs \
                 retry --all-failed`"
            )));
        }
        Err(ClickUpIntakeError::Mapping { source, .. }) => {
            // Every problem at once: the unreadable values and what the rest lacks.
            let problems = source.to_campaign_problems();
            reject(agent, "clickup", Some(task_id), &problems).await?;
            return Ok(Taken::Rejected(problems.0.len()));
        }
    };
    match ingest(agent, &draft, "clickup").await {
        Ok(done) => Ok(Taken::Started(Box::new(done))),
        Err(AgentError::Campaign(problems)) => Ok(Taken::Rejected(problems.0.len())),
        Err(AgentError::DuplicateCampaign(_)) => Ok(Taken::AlreadyStarted),
        Err(error) => Err(error),
    }
}
