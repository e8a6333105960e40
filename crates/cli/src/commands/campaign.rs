//! `negotiator campaign import`: a campaign file in, negotiations out; `campaign budget`: a
//! person sets a campaign's budget.

use anyhow::bail;
use negotiator_adapters::campaign_source::FileSource;
use negotiator_agent::workflows::ingest::Ingest;
use negotiator_agent::workflows::{budget, intake};

use super::context::Context;
use super::person;
use crate::args::CampaignCommand;

pub async fn run(context: &Context, command: CampaignCommand) -> anyhow::Result<()> {
    match command {
        CampaignCommand::Import { file } => {
            let agent = context.agent(false).await?;
            let path = file.to_string_lossy();
            match intake::take(&agent, &FileSource, &path).await? {
                Ingest::Started(done) => {
                    let campaign = &done.campaign;
                    println!(
                        "Campaign {} ({}) stored in {} mode: {} negotiation(s) started.",
                        campaign.campaign_id,
                        campaign.client_name,
                        campaign.mode.as_str(),
                        done.started.len()
                    );
                    for (name, reason) in &done.skipped {
                        println!("  not contacted: {name} ({reason})");
                    }
                    println!("Run `negotiator run` to send the opening offers.");
                    Ok(())
                }
                Ingest::Rejected(problems) => {
                    bail!("campaign {} was not started: {problems}", file.display())
                }
                Ingest::Duplicate(id) => bail!(
                    "campaign {id:?} was already imported; give the new campaign its own \
                     campaign_id"
                ),
            }
        }
        CampaignCommand::Budget {
            campaign,
            amount,
            by,
        } => {
            let agent = context.agent(false).await?;
            let change = budget::set(&agent, &campaign, amount, &person(by)).await?;
            let standing = change.standing;
            println!(
                "Campaign {}: budget {} -> {} ({} agreed, {} in offers out, {} left).",
                change.campaign_id,
                change.from,
                change.to,
                standing.committed,
                standing.outstanding,
                standing.remaining()
            );
            if change.openings_requeued > 0 {
                println!(
                    "{} opening offer(s) the old budget held back go out on the next \
                     `negotiator run`.",
                    change.openings_requeued
                );
            }
            Ok(())
        }
    }
}
