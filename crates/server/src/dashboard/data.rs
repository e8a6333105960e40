//! What the dashboard reads from the store: each campaign's counts and money, its deals' CPMs,
//! its negotiations as rows, and what the audit trail says about replies and escalations.
//! Every figure comes from indexed columns or one pass of a query; snapshots are not decoded.

use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use jiff::Timestamp;
use negotiator_store::{CampaignRow, Store, StoreError, list_campaigns};
use serde::Serialize;
use sqlx::SqlitePool;

/// One campaign's standing.
#[derive(Clone, Debug, Default, Serialize)]
pub struct CampaignView {
    pub campaign_id: String,
    pub client_name: String,
    pub mode: String,
    pub budget_cents: i64,
    pub committed_cents: i64,
    pub outstanding_cents: i64,
    /// Negotiations per state.
    pub states: BTreeMap<String, i64>,
    pub negotiations: i64,
    pub held_by_people: i64,
    pub drafts_waiting: i64,
    /// The target CPM range, in cents, when the campaign names one.
    pub cpm_floor_cents: Option<i64>,
    pub cpm_ceiling_cents: Option<i64>,
    /// Each deal: when it closed (ms), its CPM in cents and the rounds it took.
    pub deals: Vec<Deal>,
    /// Negotiations that were ever escalated.
    pub ever_escalated: i64,
    /// For each negotiation that got a reply, how long (ms) from our first email to it.
    pub first_reply_ms: Vec<i64>,
}

#[derive(Clone, Copy, Debug, Serialize)]
pub struct Deal {
    pub at_ms: i64,
    pub cpm_cents: i64,
    pub rounds: i64,
}

impl CampaignView {
    pub fn count(&self, state: &str) -> i64 {
        self.states.get(state).copied().unwrap_or(0)
    }

    /// Budget less what is agreed (never below zero).
    pub fn remaining_cents(&self) -> i64 {
        (self.budget_cents - self.committed_cents).max(0)
    }
}

fn blank(row: &CampaignRow) -> CampaignView {
    let cents = |pointer: &str| row.spec.pointer(pointer).and_then(|v| v.as_i64());
    CampaignView {
        campaign_id: row.campaign_id.clone(),
        client_name: row.client_name.clone(),
        mode: row.mode.as_str().to_owned(),
        budget_cents: row.budget_cents,
        cpm_floor_cents: cents("/cpm/floor"),
        cpm_ceiling_cents: cents("/cpm/ceiling"),
        ..CampaignView::default()
    }
}

/// Per campaign: negotiations ever escalated, and each reply wait (ms).
pub type ThreadFacts = HashMap<String, (i64, Vec<i64>)>;

/// Every campaign (or the one named), with its figures. For every campaign, the figures read
/// from the audit trail come from `facts` when given (they cost a pass over the trail).
pub async fn campaigns(
    store: &Store,
    only: Option<&str>,
    facts: Option<&FactsCache>,
) -> Result<Vec<CampaignView>, StoreError> {
    let pool = store.pool();
    let rows = list_campaigns(store.db()).await?;
    let mut views: Vec<CampaignView> = rows
        .iter()
        .filter(|r| only.is_none_or(|id| r.campaign_id == id))
        .map(blank)
        .collect();
    if views.is_empty() {
        return Ok(views);
    }
    let index: HashMap<String, usize> = views
        .iter()
        .enumerate()
        .map(|(i, v)| (v.campaign_id.clone(), i))
        .collect();
    let counts: Vec<(String, String, i64, i64, i64, i64)> = sqlx::query_as(
        "SELECT campaign_id, state, COUNT(*), COALESCE(SUM(agreed_cents), 0),
                COALESCE(SUM(offer_cents), 0), COALESCE(SUM(human_controlled), 0)
         FROM negotiations WHERE ?1 IS NULL OR campaign_id = ?1
         GROUP BY campaign_id, state",
    )
    .bind(only)
    .fetch_all(pool)
    .await?;
    for (campaign, state, n, agreed, offered, held) in counts {
        let Some(view) = index.get(&campaign).and_then(|&i| views.get_mut(i)) else {
            continue;
        };
        view.states.insert(state, n);
        view.negotiations += n;
        view.committed_cents += agreed;
        view.outstanding_cents += offered;
        view.held_by_people += held;
    }
    // One row per campaign (rows cost more through sqlx than the SQL does): its deals as
    // "closed_ms:cpm:rounds" items.
    let deals: Vec<(String, String)> = sqlx::query_as(
        "SELECT campaign_id,
                group_concat(updated_at || ':' || agreed_cpm_cents || ':' || round)
         FROM negotiations
         WHERE agreed_cpm_cents IS NOT NULL AND (?1 IS NULL OR campaign_id = ?1)
         GROUP BY campaign_id",
    )
    .bind(only)
    .fetch_all(pool)
    .await?;
    for (campaign, items) in deals {
        let Some(view) = index.get(&campaign).and_then(|&i| views.get_mut(i)) else {
            continue;
        };
        for item in items.split(',') {
            let mut parts = item.split(':').map(|p| p.parse::<i64>().ok());
            if let (Some(Some(at_ms)), Some(Some(cpm_cents)), Some(Some(rounds))) =
                (parts.next(), parts.next(), parts.next())
            {
                view.deals.push(Deal {
                    at_ms,
                    cpm_cents,
                    rounds,
                });
            }
        }
        view.deals.sort_by_key(|d| d.at_ms);
    }
    let drafts: Vec<(String, i64)> = sqlx::query_as(
        "SELECT n.campaign_id, COUNT(*) FROM messages m
         JOIN negotiations n ON n.negotiation_id = m.negotiation_id
         WHERE m.status = 'draft' AND (?1 IS NULL OR n.campaign_id = ?1)
         GROUP BY n.campaign_id",
    )
    .bind(only)
    .fetch_all(pool)
    .await?;
    for (campaign, n) in drafts {
        if let Some(view) = index.get(&campaign).and_then(|&i| views.get_mut(i)) {
            view.drafts_waiting = n;
        }
    }
    let facts = match (only, facts) {
        (None, Some(cache)) => cache.get(pool).await?,
        _ => Arc::new(thread_facts(pool, only).await?),
    };
    for view in &mut views {
        if let Some((escalated, waits)) = facts.get(&view.campaign_id) {
            view.ever_escalated = *escalated;
            view.first_reply_ms.clone_from(waits);
        }
    }
    Ok(views)
}

/// One pass over the email and escalation entries: per negotiation, the first email we sent,
/// the first they sent back, and whether it was ever escalated; summed per campaign.
async fn thread_facts(pool: &SqlitePool, only: Option<&str>) -> Result<ThreadFacts, StoreError> {
    let threads: Vec<(String, i64, Option<String>)> = sqlx::query_as(
        "SELECT campaign_id, SUM(escalated), group_concat(reply_ms) FROM (
             SELECT campaign_id,
                    MAX(event_type = 'escalation') AS escalated,
                    MIN(CASE WHEN event_type = 'email_received' THEN occurred_at END)
                      - MIN(CASE WHEN event_type = 'email_sent' THEN occurred_at END) AS reply_ms
             FROM audit_log
             WHERE event_type IN ('email_sent', 'email_received', 'escalation')
               AND campaign_id IS NOT NULL AND influencer_name IS NOT NULL
               AND (?1 IS NULL OR campaign_id = ?1)
             GROUP BY campaign_id, influencer_name)
         GROUP BY campaign_id",
    )
    .bind(only)
    .fetch_all(pool)
    .await?;
    Ok(threads
        .into_iter()
        .map(|(campaign, escalated, waits)| {
            let waits = waits
                .unwrap_or_default()
                .split(',')
                .filter_map(|w| w.parse::<i64>().ok())
                .filter(|w| *w >= 0)
                .collect();
            (campaign, (escalated, waits))
        })
        .collect())
}

/// How long the every-campaign reply and escalation figures are reused before being read again.
pub const FACTS_FOR: Duration = Duration::from_secs(60);

/// The reply and escalation figures of every campaign, read at most once a [`FACTS_FOR`]: they
/// take a pass over the audit trail, which grows without bound. Cheap to clone; shared.
#[derive(Clone, Debug, Default)]
pub struct FactsCache {
    kept: Arc<Mutex<Kept>>,
}

/// The figures and when they were read.
type Kept = Option<(Instant, Arc<ThreadFacts>)>;

impl FactsCache {
    async fn get(&self, pool: &SqlitePool) -> Result<Arc<ThreadFacts>, StoreError> {
        let fresh = |kept: &Kept| {
            kept.as_ref()
                .filter(|(at, _)| at.elapsed() < FACTS_FOR)
                .map(|(_, facts)| facts.clone())
        };
        if let Some(facts) = fresh(&self.kept.lock().unwrap_or_else(|p| p.into_inner())) {
            return Ok(facts);
        }
        let facts = Arc::new(thread_facts(pool, None).await?);
        *self.kept.lock().unwrap_or_else(|p| p.into_inner()) =
            Some((Instant::now(), facts.clone()));
        Ok(facts)
    }
}

/// One negotiation as a campaign's table shows it.
#[derive(Clone, Debug, Serialize)]
pub struct NegotiationLine {
    pub negotiation_id: i64,
    pub influencer: String,
    pub platform: String,
    pub state: String,
    pub rounds: i64,
    pub our_last_offer_cents: Option<i64>,
    pub their_last_ask_cents: Option<i64>,
    pub agreed_cents: Option<i64>,
    pub agreed_cpm_cents: Option<i64>,
    /// "agent", or the person who took it over.
    pub holder: String,
    pub last_activity: Option<Timestamp>,
    pub draft_waiting: Option<i64>,
    pub version: i64,
}

type LineRow = (
    i64,
    String,
    Option<String>,
    String,
    i64,
    Option<i64>,
    Option<i64>,
    Option<i64>,
    Option<i64>,
    bool,
    Option<String>,
    i64,
);

/// The campaign's negotiations, by name.
pub async fn negotiation_lines(
    store: &Store,
    campaign_id: &str,
) -> Result<Vec<NegotiationLine>, StoreError> {
    let pool = store.pool();
    let rows: Vec<LineRow> = sqlx::query_as(
        "SELECT negotiation_id, influencer_name, json_extract(snapshot, '$.platform'), state,
                round, json_extract(snapshot, '$.offers[#-1].rate'),
                json_extract(snapshot, '$.their_last_ask'), agreed_cents, agreed_cpm_cents,
                human_controlled, json_extract(snapshot, '$.last_activity'), version
         FROM negotiations WHERE campaign_id = ?1 ORDER BY influencer_name COLLATE NOCASE",
    )
    .bind(campaign_id)
    .fetch_all(pool)
    .await?;
    let holders = holders(pool, campaign_id).await?;
    let drafts: HashMap<i64, i64> = sqlx::query_as(
        "SELECT m.negotiation_id, MAX(m.message_id) FROM messages m
         JOIN negotiations n ON n.negotiation_id = m.negotiation_id
         WHERE m.status = 'draft' AND n.campaign_id = ?1 GROUP BY m.negotiation_id",
    )
    .bind(campaign_id)
    .fetch_all(pool)
    .await?
    .into_iter()
    .collect();
    Ok(rows
        .into_iter()
        .map(
            |(id, name, platform, state, rounds, offer, ask, agreed, cpm, held, last, version)| {
                let holder = if held {
                    holders
                        .get(&name.to_lowercase())
                        .cloned()
                        .unwrap_or_else(|| "a person".to_owned())
                } else {
                    "agent".to_owned()
                };
                NegotiationLine {
                    negotiation_id: id,
                    platform: platform.unwrap_or_default(),
                    state,
                    rounds,
                    our_last_offer_cents: offer,
                    their_last_ask_cents: ask,
                    agreed_cents: agreed,
                    agreed_cpm_cents: cpm,
                    holder,
                    last_activity: last.and_then(|t| t.parse().ok()),
                    draft_waiting: drafts.get(&id).copied(),
                    version,
                    influencer: name,
                }
            },
        )
        .collect())
}

/// Who took each of the campaign's threads over last (lower-cased influencer name → person).
async fn holders(
    pool: &SqlitePool,
    campaign_id: &str,
) -> Result<HashMap<String, String>, StoreError> {
    let rows: Vec<(Option<String>, Option<String>)> = sqlx::query_as(
        "SELECT influencer_name, json_extract(metadata, '$.by') FROM audit_log
         WHERE campaign_id = ?1 AND event_type = 'takeover' ORDER BY occurred_at, audit_id",
    )
    .bind(campaign_id)
    .fetch_all(pool)
    .await?;
    Ok(rows
        .into_iter()
        .filter_map(|(name, by)| Some((name?.to_lowercase(), by?)))
        .collect())
}
