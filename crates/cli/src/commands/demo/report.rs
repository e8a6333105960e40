//! The demo's closing table: one row per influencer, with where they ended and why.

use comfy_table::{ContentArrangement, Table, presets::UTF8_FULL_CONDENSED};
use negotiator_adapters::local::LocalPaths;
use negotiator_agent::Agent;
use negotiator_agent::workflows::restore;
use negotiator_domain::implied_cpm;
use negotiator_store::{AuditFilter, EventType, list_negotiations};

use super::script::{CAMPAIGN_ID, campaign};

pub async fn print(agent: &Agent, paths: &LocalPaths, quiet: bool) -> anyhow::Result<()> {
    let rows = list_negotiations(agent.store.db(), CAMPAIGN_ID).await?;
    let mut table = Table::new();
    table
        .load_style(UTF8_FULL_CONDENSED)
        .set_content_arrangement(ContentArrangement::Dynamic)
        .set_header([
            "influencer",
            "final state",
            "rounds",
            "agreed rate",
            "CPM",
            "why",
        ]);
    for row in &rows {
        let negotiation = restore(row)?;
        let (rate, cpm) = match negotiation.agreed_rate() {
            Some(rate) => (
                rate.to_string(),
                implied_cpm(rate, negotiation.average_views())
                    .map(|c| c.to_string())
                    .unwrap_or_default(),
            ),
            None => ("–".to_owned(), "–".to_owned()),
        };
        let state = if negotiation.human_controlled() {
            format!("{} (a person holds it)", row.state)
        } else {
            row.state.clone()
        };
        table.add_row([
            row.influencer_name.clone(),
            state,
            negotiation.round().to_string(),
            rate,
            cpm,
            why(agent, &row.influencer_name).await?,
        ]);
    }
    let draft = campaign();
    let listed = draft
        .influencers
        .iter()
        .flat_map(|names| names.split(','))
        .map(str::trim)
        .filter(|name| !rows.iter().any(|r| r.influencer_name == *name));
    for name in listed {
        table.add_row([
            name.to_owned(),
            "not contacted".to_owned(),
            "–".to_owned(),
            "–".to_owned(),
            "–".to_owned(),
            "not in the roster; the team was asked to add them".to_owned(),
        ]);
    }
    println!("\n{table}");
    if !quiet {
        println!(
            "\nEmails sent are in {}/outbox, notices in {}.\nQuery the trail: \
             negotiator audit --campaign {CAMPAIGN_ID}   ·   negotiator audit --influencer \
             \"Jane Doe\" --last 7d   ·   negotiator audit --event-type escalation",
            paths.mail.display(),
            paths.notices.display()
        );
    }
    Ok(())
}

/// The reason recorded with the influencer's latest state change.
async fn why(agent: &Agent, influencer: &str) -> anyhow::Result<String> {
    let filter = AuditFilter {
        influencer: Some(influencer.to_owned()),
        campaign: Some(CAMPAIGN_ID.to_owned()),
        event_type: Some(EventType::StateTransition),
        limit: 20,
        ..AuditFilter::default()
    };
    let entries = agent.store.audit_entries(&filter).await?;
    Ok(entries
        .iter()
        .find_map(|e| e.metadata.get("reason").and_then(|r| r.as_str()))
        .unwrap_or("")
        .to_owned())
}
