//! `/negotiations`: the status board, per campaign, the threads that need a person first.

use negotiator_domain::NegotiationState;
use negotiator_store::{NegotiationRow, get_campaign, list_campaigns, list_negotiations};
use negotiator_vendors::slack::{Block, Message};

use super::format::{bold, code, money, shell_word, standing, state};
use super::reply::{Reply, Visibility};
use negotiator_agent::Agent;
use negotiator_agent::AgentError;
use negotiator_agent::workflows::restore;

/// Most campaigns on one board; the CLI shows them all.
const MAX_CAMPAIGNS: usize = 10;

/// Runs `/negotiations`.
pub async fn board(agent: &Agent, campaign: Option<&str>) -> Result<Reply, AgentError> {
    let db = agent.store.db();
    let campaigns = match campaign {
        Some(id) => match get_campaign(db, id).await? {
            Some(found) => vec![found],
            None => return unknown_campaign(agent, id).await,
        },
        None => list_campaigns(db).await?,
    };
    let cli = match campaign {
        Some(id) => format!("negotiator negotiations --campaign {}", shell_word(id)),
        None => "negotiator negotiations".to_owned(),
    };
    if campaigns.is_empty() {
        return Ok(Reply::note(
            "No campaigns yet: import one with `negotiator campaign import FILE`, or submit the \
             ClickUp form.",
        ));
    }
    let mut blocks = vec![Block::header("Negotiations")];
    if let Some(paused) = super::sending::paused_line(agent).await? {
        blocks.push(Block::section(paused));
    }
    for stored in campaigns.iter().take(MAX_CAMPAIGNS) {
        let mut rows = list_negotiations(db, &stored.campaign_id).await?;
        rows.sort_by_key(|r| (attention(r), r.influencer_name.to_lowercase()));
        blocks.push(Block::divider());
        blocks.push(Block::section(summary(stored, &rows)));
        for chunk in rows.chunks(negotiator_vendors::slack::limits::SECTION_FIELDS) {
            blocks.push(Block::fields(chunk.iter().map(field)));
        }
    }
    if campaigns.len() > MAX_CAMPAIGNS {
        blocks.push(Block::context(format!(
            "{} older campaign(s) not shown: {}",
            campaigns.len() - MAX_CAMPAIGNS,
            code(&cli)
        )));
    } else {
        blocks.push(Block::context(format!(
            "The same board in the CLI: {}",
            code(&cli)
        )));
    }
    Ok(Reply::new(
        Message::new("Negotiations", blocks),
        Visibility::Ephemeral,
        &format!("the whole board: {}", code(&cli)),
    ))
}

/// Sorts the threads a person must act on first, finished ones last.
fn attention(row: &NegotiationRow) -> u8 {
    match row.state.parse::<NegotiationState>() {
        Ok(NegotiationState::Escalated) => 0,
        _ if row.human_controlled => 1,
        Ok(s) if s.is_terminal() => 3,
        _ => 2,
    }
}

/// "*glow* · Glow Skincare · review mode — 3 threads: 1 escalated, 2 agreed".
fn summary(campaign: &negotiator_store::CampaignRow, rows: &[NegotiationRow]) -> String {
    let mut counts: Vec<(String, usize)> = Vec::new();
    for row in rows {
        let name = state(&row.state);
        match counts.iter_mut().find(|(s, _)| *s == name) {
            Some((_, n)) => *n += 1,
            None => counts.push((name, 1)),
        }
    }
    let tally = if rows.is_empty() {
        "no threads".to_owned()
    } else {
        let parts: Vec<String> = counts.iter().map(|(s, n)| format!("{n} {s}")).collect();
        format!("{} thread(s): {}", rows.len(), parts.join(", "))
    };
    format!(
        "{} · {} · {} mode — {tally}",
        code(&campaign.campaign_id),
        bold(&campaign.client_name),
        campaign.mode
    )
}

/// One thread: name, where it stands, and the money on the table.
fn field(row: &NegotiationRow) -> String {
    let Ok(negotiation) = restore(row) else {
        return format!("{}\n{}", bold(&row.influencer_name), state(&row.state));
    };
    let mut text = format!(
        "{}\n{} · round {}",
        bold(&row.influencer_name),
        standing(&negotiation),
        negotiation.round()
    );
    if negotiation.agreed_rate().is_none() {
        text.push_str(&format!(
            "\nours {} · theirs {}",
            money(negotiation.current_offer()),
            money(negotiation.their_last_ask())
        ));
    }
    text
}

async fn unknown_campaign(agent: &Agent, id: &str) -> Result<Reply, AgentError> {
    let known: Vec<String> = list_campaigns(agent.store.db())
        .await?
        .iter()
        .take(MAX_CAMPAIGNS)
        .map(|c| code(&c.campaign_id))
        .collect();
    let hint = if known.is_empty() {
        "There are no campaigns yet.".to_owned()
    } else {
        format!("Campaigns, newest first: {}.", known.join(", "))
    };
    Ok(Reply::note(format!("No campaign {}. {hint}", code(id))))
}
