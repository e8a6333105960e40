//! Helpers shared by the test modules.

use std::path::PathBuf;

use jiff::Timestamp;
use negotiator_store::{
    CampaignMode, NewCampaign, NewNegotiation, Store, insert_campaign, insert_negotiation,
};
use tempfile::TempDir;

/// A fresh store in its own temporary directory (kept alive by the returned `TempDir`).
pub async fn open_temp() -> (TempDir, Store) {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&db_path(&dir)).await.unwrap();
    (dir, store)
}

/// The database path used inside a test's temporary directory.
pub fn db_path(dir: &TempDir) -> PathBuf {
    dir.path().join("negotiator.db")
}

/// A timestamp `ms` milliseconds after a fixed instant (2026-03-01T00:00:00Z).
pub fn at(ms: i64) -> Timestamp {
    Timestamp::from_millisecond(BASE_MS + ms).unwrap()
}

/// 2026-03-01T00:00:00Z in Unix milliseconds.
pub const BASE_MS: i64 = 1_772_323_200_000;

/// Stores a campaign with this id.
pub async fn add_campaign(store: &Store, campaign_id: &str) {
    let mut conn = store.write().await.unwrap();
    insert_campaign(
        &mut conn,
        &NewCampaign {
            campaign_id: campaign_id.to_owned(),
            client_name: "Glow Cosmetics".to_owned(),
            source: "file".to_owned(),
            mode: CampaignMode::Auto,
            budget_cents: 1_000_000,
            spec: serde_json::json!({"budget": 1_000_000, "cpm_target": "25.00"}),
            created_at: at(0),
        },
    )
    .await
    .unwrap();
}

/// A new negotiation for `name` in `campaign_id`.
pub fn new_negotiation(campaign_id: &str, name: &str, created_ms: i64) -> NewNegotiation {
    NewNegotiation {
        campaign_id: campaign_id.to_owned(),
        influencer_name: name.to_owned(),
        influencer_email: format!("{}@example.com", name.to_lowercase().replace(' ', ".")),
        state: "initial_outreach".to_owned(),
        snapshot: serde_json::json!({"history": [], "offers": [{"cents": 150_000}]}),
        created_at: at(created_ms),
    }
}

/// Stores a negotiation for `name` in `campaign_id` and returns its id.
pub async fn add_negotiation(store: &Store, campaign_id: &str, name: &str) -> i64 {
    let mut conn = store.write().await.unwrap();
    insert_negotiation(&mut conn, &new_negotiation(campaign_id, name, 0))
        .await
        .unwrap()
        .negotiation_id
}
