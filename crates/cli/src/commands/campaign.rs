//! `negotiator campaign import`: a campaign file in, negotiations out.

use anyhow::Context as _;
use negotiator_agent::campaign_file::load_campaign_file;
use negotiator_agent::workflows::ingest::ingest;

use super::context::Context;
use crate::args::CampaignCommand;

pub async fn run(context: &Context, command: CampaignCommand) -> anyhow::Result<()> {
    match command {
        CampaignCommand::Import { file } => {
            let draft = load_campaign_file(&file)?;
            let agent = context.agent(false).await?;
            let done = ingest(&agent, &draft, "file")
                .await
                .with_context(|| format!("campaign {} was not started", file.display()))?;
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
    }
}
