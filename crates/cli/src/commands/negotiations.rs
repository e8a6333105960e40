//! `negotiator negotiations`: the status board.

use std::path::Path;

use comfy_table::{ContentArrangement, Table, presets::UTF8_FULL_CONDENSED};
use negotiator_store::{list_campaigns, list_negotiations};

use super::database::open_existing;
use crate::args::{Format, NegotiationsArgs};

pub async fn run(db: &Path, args: NegotiationsArgs) -> anyhow::Result<()> {
    let store = open_existing(db).await?;
    let campaigns = match &args.campaign {
        Some(id) => vec![id.clone()],
        None => list_campaigns(store.pool())
            .await?
            .into_iter()
            .map(|c| c.campaign_id)
            .collect(),
    };
    let mut rows = Vec::new();
    for campaign in &campaigns {
        rows.extend(list_negotiations(store.pool(), campaign).await?);
    }
    match args.format {
        Format::Json => println!("{}", serde_json::to_string_pretty(&rows)?),
        Format::Csv => {
            println!("campaign,influencer,email,state,round,human_controlled,thread");
            for n in &rows {
                println!(
                    "{},{},{},{},{},{},{}",
                    n.campaign_id,
                    n.influencer_name,
                    n.influencer_email,
                    n.state,
                    n.round,
                    n.human_controlled,
                    n.thread_id.clone().unwrap_or_default()
                );
            }
        }
        Format::Table if rows.is_empty() => println!("No negotiations yet."),
        Format::Table => {
            let mut table = Table::new();
            table
                .load_style(UTF8_FULL_CONDENSED)
                .set_content_arrangement(ContentArrangement::Dynamic)
                .set_header([
                    "campaign",
                    "influencer",
                    "state",
                    "round",
                    "held by a person",
                ]);
            for n in &rows {
                table.add_row([
                    n.campaign_id.clone(),
                    n.influencer_name.clone(),
                    n.state.clone(),
                    n.round.to_string(),
                    if n.human_controlled { "yes" } else { "" }.to_owned(),
                ]);
            }
            println!("{table}");
        }
    }
    Ok(())
}
