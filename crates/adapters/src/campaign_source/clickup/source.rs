//! ClickUp as a campaign source: a form submission's task fetched (`GET /task/{id}`) and its
//! custom fields mapped to a campaign draft.

use std::collections::BTreeMap;

use async_trait::async_trait;
use negotiator_agent::ports::campaign_source::{CampaignSource, Fetched, SourceError};
use negotiator_vendors::clickup::ClickUpClient;

use super::mapping::map_task;

/// The ClickUp client and the field mapping from `[clickup]`.
#[derive(Clone, Debug)]
pub struct ClickUpSource {
    pub client: ClickUpClient,
    pub field_mapping: BTreeMap<String, String>,
}

#[async_trait]
impl CampaignSource for ClickUpSource {
    /// The task `task_id` as a campaign draft (its id is the task id unless the mapping gives
    /// one). A mapping that names no campaign field is the configuration's problem; values the
    /// form got wrong are the campaign's.
    async fn fetch(&self, task_id: &str) -> Result<Fetched, SourceError> {
        let task = self.client.get_task(task_id).await?;
        match map_task(&task, &self.field_mapping) {
            Ok(draft) => Ok(Fetched::Draft(Box::new(draft))),
            Err(problems) if problems.is_config_error() => {
                Err(SourceError::Misconfigured(format!(
                    "ClickUp task {task_id}: {problems}; fix [clickup] field_mapping in negotiator.toml"
                )))
            }
            Err(problems) => Ok(Fetched::Unusable(problems.to_campaign_problems())),
        }
    }

    fn name(&self) -> &'static str {
        "clickup"
    }

    fn describe(&self) -> String {
        "ClickUp webhook + API".to_owned()
    }
}
