//! The campaigns' parsed specs, kept between jobs. A campaign's spec lists every influencer, so
//! reading and parsing it again for each reply grew with the campaign; the store bumps a
//! campaign's revision on every change, which says when a kept copy is stale.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use negotiator_domain::Campaign;
use negotiator_store::{CampaignMode, Store, campaign_revision, get_campaign};

use crate::error::AgentError;

/// Campaigns kept at most; past it the cache starts again (a deployment runs a few dozen).
const MAX_KEPT: usize = 256;

/// The parsed campaigns, by id. Cheap to clone; clones share the copies.
#[derive(Clone, Debug, Default)]
pub struct CampaignCache(Arc<Mutex<HashMap<String, Kept>>>);

#[derive(Debug)]
struct Kept {
    revision: i64,
    campaign: Arc<Campaign>,
    mode: CampaignMode,
}

impl CampaignCache {
    /// The campaign as stored now, with its mode; `None` when it is not stored.
    pub async fn get(
        &self,
        store: &Store,
        campaign_id: &str,
    ) -> Result<Option<(Arc<Campaign>, CampaignMode)>, AgentError> {
        let Some(revision) = campaign_revision(store.db(), campaign_id).await? else {
            return Ok(None);
        };
        if let Some(kept) = self.lock().get(campaign_id)
            && kept.revision == revision
        {
            return Ok(Some((Arc::clone(&kept.campaign), kept.mode)));
        }
        let Some(stored) = get_campaign(store.db(), campaign_id).await? else {
            return Ok(None);
        };
        let campaign: Arc<Campaign> = Arc::new(
            serde_json::from_value(stored.spec)
                .map_err(|e| AgentError::corrupt(format!("campaign {campaign_id:?} spec: {e}")))?,
        );
        let mut kept = self.lock();
        if kept.len() >= MAX_KEPT {
            kept.clear();
        }
        // Kept under the revision read first: if the campaign changed in between, the next
        // read finds a newer revision and parses it again.
        kept.insert(
            campaign_id.to_owned(),
            Kept {
                revision,
                campaign: Arc::clone(&campaign),
                mode: stored.mode,
            },
        );
        Ok(Some((campaign, stored.mode)))
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<String, Kept>> {
        // The map is valid whatever a panicking holder was doing: each entry is written whole.
        self.0
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}
