//! Which negotiation a person means: a thread id, an influencer's name or email address
//! (optionally in one campaign), or a button's value; with the candidates when it is not
//! one, and near misses when it is none.

use negotiator_domain::NegotiationState;
use negotiator_store::{
    NegotiationRow, find_negotiation_by_thread, find_negotiations_by_influencer, list_campaigns,
    list_negotiations,
};

use negotiator_adapters::notify::slack::ActionValue;
use negotiator_agent::Agent;
use negotiator_agent::AgentError;

/// Most candidates or near misses listed.
pub const MAX_CANDIDATES: usize = 8;

/// What a name, address or thread id came to.
#[derive(Clone, Debug, PartialEq)]
pub enum Found {
    One(Box<NegotiationRow>),
    /// More than one, none of them clearly meant: the person picks.
    Several(Vec<NegotiationRow>),
    /// None; `near` are names that contain what was typed.
    Nothing {
        near: Vec<NegotiationRow>,
    },
}

/// Whether a stored negotiation is still running.
pub fn is_open(row: &NegotiationRow) -> bool {
    row.state
        .parse::<NegotiationState>()
        .is_ok_and(|s| !s.is_terminal())
}

/// The negotiation `who` names: a thread id first, then an influencer's name or email
/// (case-insensitive), within `campaign` when given. Of several, the one still running is
/// meant when only one is.
pub async fn find(agent: &Agent, who: &str, campaign: Option<&str>) -> Result<Found, AgentError> {
    let who = who.trim();
    let in_campaign = |row: &NegotiationRow| campaign.is_none_or(|c| row.campaign_id == c);
    if let Some(row) = find_negotiation_by_thread(agent.store.db(), who).await?
        && in_campaign(&row)
    {
        return Ok(Found::One(Box::new(row)));
    }
    let rows: Vec<NegotiationRow> = find_negotiations_by_influencer(agent.store.db(), who)
        .await?
        .into_iter()
        .filter(in_campaign)
        .collect();
    if rows.is_empty() {
        return Ok(Found::Nothing {
            near: near(agent, who, campaign).await?,
        });
    }
    Ok(pick(rows))
}

/// The negotiation a button was put on: its thread, else its influencer and campaign.
pub async fn by_value(agent: &Agent, value: &ActionValue) -> Result<Found, AgentError> {
    if let Some(thread) = value.thread_id.as_deref().filter(|t| !t.is_empty())
        && let Some(row) = find_negotiation_by_thread(agent.store.db(), thread).await?
    {
        return Ok(Found::One(Box::new(row)));
    }
    match value.influencer.as_deref().filter(|i| !i.is_empty()) {
        Some(influencer) => find(agent, influencer, value.campaign_id.as_deref()).await,
        None => Ok(Found::Nothing { near: Vec::new() }),
    }
}

fn pick(mut rows: Vec<NegotiationRow>) -> Found {
    if rows.len() == 1 {
        return Found::One(Box::new(rows.remove(0)));
    }
    let mut open: Vec<NegotiationRow> = rows.iter().filter(|r| is_open(r)).cloned().collect();
    match open.len() {
        1 => Found::One(Box::new(open.remove(0))),
        0 => Found::Several(rows),
        _ => Found::Several(open),
    }
}

/// Every negotiation of every campaign (or of `campaign`), newest campaign first.
pub async fn every(
    agent: &Agent,
    campaign: Option<&str>,
) -> Result<Vec<NegotiationRow>, AgentError> {
    let ids: Vec<String> = match campaign {
        Some(id) => vec![id.to_owned()],
        None => list_campaigns(agent.store.db())
            .await?
            .into_iter()
            .map(|c| c.campaign_id)
            .collect(),
    };
    let mut rows = Vec::new();
    for id in &ids {
        rows.extend(list_negotiations(agent.store.db(), id).await?);
    }
    Ok(rows)
}

/// Negotiations whose name or address contains what was typed (or every word of it).
async fn near(
    agent: &Agent,
    who: &str,
    campaign: Option<&str>,
) -> Result<Vec<NegotiationRow>, AgentError> {
    let wanted = who.to_lowercase();
    let words: Vec<&str> = wanted.split_whitespace().collect();
    if words.is_empty() {
        return Ok(Vec::new());
    }
    let mut rows: Vec<NegotiationRow> = every(agent, campaign)
        .await?
        .into_iter()
        .filter(|row| {
            let name = row.influencer_name.to_lowercase();
            let email = row.influencer_email.to_lowercase();
            name.contains(&wanted)
                || email.contains(&wanted)
                || words.iter().all(|w| name.contains(w))
        })
        .collect();
    rows.sort_by_key(|r| !is_open(r));
    rows.truncate(MAX_CANDIDATES);
    Ok(rows)
}
