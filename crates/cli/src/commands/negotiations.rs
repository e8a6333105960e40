//! `negotiator negotiations`: the status board, with each campaign's money (agreed, offered,
//! left) and the drafts that wait for review.

use std::collections::HashMap;
use std::path::Path;

use super::csv_field;
use comfy_table::{ContentArrangement, Table, presets::UTF8_FULL_CONDENSED};
use negotiator_domain::Money;
use negotiator_store::{
    CampaignRow, Message, MessageStatus, NegotiationRow, campaign_totals, get_campaign,
    list_campaigns, list_messages_by_status, list_negotiations,
};
use serde::Serialize;

use super::database::open_existing;
use crate::args::{Format, NegotiationsArgs};

/// A negotiation as the board shows it: its row, and the draft of its that waits, if any.
#[derive(Debug, Serialize)]
struct Row {
    #[serde(flatten)]
    negotiation: NegotiationRow,
    /// The draft waiting for review: nothing has been sent for the step it shows.
    draft_waiting: Option<DraftWaiting>,
}

#[derive(Debug, Serialize)]
struct DraftWaiting {
    message_id: i64,
    kind: String,
    our_rate: Option<Money>,
}

impl DraftWaiting {
    fn of(message: &Message) -> Self {
        let plan = message.metadata.get("plan");
        DraftWaiting {
            message_id: message.message_id,
            kind: message
                .metadata
                .get("kind")
                .and_then(|k| k.as_str())
                .unwrap_or("email")
                .to_owned(),
            our_rate: plan
                .and_then(|p| p.get("our_rate"))
                .and_then(|r| serde_json::from_value(r.clone()).ok()),
        }
    }

    /// "draft: counter at $1,300.00 waits for review (12)": nothing has been sent yet.
    fn describe(&self) -> String {
        let rate = self
            .our_rate
            .map(|r| format!(" at {r}"))
            .unwrap_or_default();
        format!(
            "draft: {}{rate} waits for review ({})",
            self.kind.replace('_', " "),
            self.message_id
        )
    }
}

pub async fn run(db: &Path, args: NegotiationsArgs) -> anyhow::Result<()> {
    let store = open_existing(db).await?;
    let campaigns: Vec<CampaignRow> = match &args.campaign {
        Some(id) => get_campaign(store.db(), id).await?.into_iter().collect(),
        None => list_campaigns(store.db()).await?,
    };
    if let (Some(id), true) = (&args.campaign, campaigns.is_empty()) {
        anyhow::bail!("no campaign {id:?}; `negotiator negotiations` lists them all");
    }
    let mut drafts: HashMap<i64, DraftWaiting> = HashMap::new();
    for message in list_messages_by_status(store.db(), MessageStatus::Draft).await? {
        drafts.insert(message.negotiation_id, DraftWaiting::of(&message));
    }
    let mut boards = Vec::new();
    for campaign in &campaigns {
        let rows: Vec<Row> = list_negotiations(store.db(), &campaign.campaign_id)
            .await?
            .into_iter()
            .map(|negotiation| Row {
                draft_waiting: drafts.remove(&negotiation.negotiation_id),
                negotiation,
            })
            .collect();
        let totals = campaign_totals(store.db(), &campaign.campaign_id, None).await?;
        boards.push((campaign, totals, rows));
    }
    match args.format {
        Format::Json => {
            let rows: Vec<&Row> = boards.iter().flat_map(|(_, _, rows)| rows).collect();
            println!("{}", serde_json::to_string_pretty(&rows)?);
        }
        Format::Csv => {
            println!(
                "id,campaign,influencer,email,state,round,human_controlled,thread,draft_waiting"
            );
            for row in boards.iter().flat_map(|(_, _, rows)| rows) {
                let n = &row.negotiation;
                println!(
                    "{},{},{},{},{},{},{},{},{}",
                    n.negotiation_id,
                    csv_field(&n.campaign_id),
                    csv_field(&n.influencer_name),
                    csv_field(&n.influencer_email),
                    n.state,
                    n.round,
                    n.human_controlled,
                    n.thread_id.clone().unwrap_or_default(),
                    row.draft_waiting
                        .as_ref()
                        .map(|d| d.message_id.to_string())
                        .unwrap_or_default()
                );
            }
        }
        Format::Table if boards.iter().all(|(_, _, rows)| rows.is_empty()) => {
            println!("No negotiations yet.");
        }
        Format::Table => {
            for (campaign, totals, rows) in &boards {
                if let Some(t) = totals {
                    let (budget, committed, outstanding) = (
                        Money::from_cents(t.budget_cents),
                        Money::from_cents(t.committed_cents),
                        Money::from_cents(t.outstanding_cents),
                    );
                    let remaining = budget.checked_sub(committed).unwrap_or(Money::ZERO);
                    println!(
                        "{} ({}): budget {budget} · committed {committed} · outstanding \
                         {outstanding} · remaining {remaining}",
                        campaign.campaign_id, campaign.client_name
                    );
                    if outstanding > remaining {
                        println!(
                            "  the offers out could together pass what is left, by {}",
                            outstanding.checked_sub(remaining).unwrap_or(Money::ZERO)
                        );
                    }
                }
                println!("{}", table(rows));
            }
        }
    }
    Ok(())
}

fn table(rows: &[Row]) -> Table {
    let mut table = Table::new();
    table
        .load_style(UTF8_FULL_CONDENSED)
        .set_content_arrangement(ContentArrangement::Dynamic)
        .set_header(["id", "influencer", "state", "round", "held by a person"]);
    for row in rows {
        let n = &row.negotiation;
        // A state reached by an email that still waits as a draft says so.
        let state = row
            .draft_waiting
            .as_ref()
            .map_or_else(|| n.state.replace('_', " "), DraftWaiting::describe);
        table.add_row([
            n.negotiation_id.to_string(),
            n.influencer_name.clone(),
            state,
            n.round.to_string(),
            if n.human_controlled { "yes" } else { "" }.to_owned(),
        ]);
    }
    table
}
