//! Fetching a task from ClickUp and mapping it to a campaign draft, in one call for the
//! webhook job and the CLI.

use std::collections::BTreeMap;
use std::time::Duration;

use negotiator_domain::CampaignDraft;
use negotiator_vendors::VendorError;
use negotiator_vendors::clickup::ClickUpClient;

use super::mapping::{MappingProblems, map_task};

#[derive(Debug, thiserror::Error)]
pub enum ClickUpIntakeError {
    /// The task could not be fetched; see [`VendorError::is_retryable`].
    #[error("could not fetch ClickUp task {task_id}: {source}")]
    Fetch {
        task_id: String,
        source: VendorError,
    },
    #[error("ClickUp task {task_id}: {source}")]
    Mapping {
        task_id: String,
        source: MappingProblems,
    },
}

impl ClickUpIntakeError {
    /// Whether fetching again later may help (mapping problems need a person).
    pub fn is_retryable(&self) -> bool {
        match self {
            ClickUpIntakeError::Fetch { source, .. } => source.is_retryable(),
            ClickUpIntakeError::Mapping { .. } => false,
        }
    }

    /// The wait ClickUp asked for, when it did.
    pub fn retry_after(&self) -> Option<Duration> {
        match self {
            ClickUpIntakeError::Fetch { source, .. } => source.retry_after,
            ClickUpIntakeError::Mapping { .. } => None,
        }
    }
}

/// `GET /task/{task_id}` and [`map_task`]: the task's campaign draft (its id is the task
/// id unless the mapping gives one).
pub async fn fetch_draft(
    client: &ClickUpClient,
    task_id: &str,
    mapping: &BTreeMap<String, String>,
) -> Result<CampaignDraft, ClickUpIntakeError> {
    let task = client
        .get_task(task_id)
        .await
        .map_err(|source| ClickUpIntakeError::Fetch {
            task_id: task_id.to_owned(),
            source,
        })?;
    map_task(&task, mapping).map_err(|source| ClickUpIntakeError::Mapping {
        task_id: task_id.to_owned(),
        source,
    })
}
