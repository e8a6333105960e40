//! `negotiator drafts`: the emails held for review, and what a reviewer does with them.

use comfy_table::{ContentArrangement, Table, presets::UTF8_FULL_CONDENSED};
use negotiator_agent::workflows::drafts::{self, Draft};

use super::context::Context;
use super::{csv_field, person};
use crate::args::{DraftsCommand, Format};

pub async fn run(context: &Context, command: DraftsCommand) -> anyhow::Result<()> {
    let agent = match command {
        DraftsCommand::Approve { .. } | DraftsCommand::Discard { .. } => {
            context.acting_agent(false).await?
        }
        _ => context.agent(false).await?,
    };
    match command {
        DraftsCommand::List { format } => {
            let all = drafts::list(&agent).await?;
            match format {
                Format::Json => println!("{}", serde_json::to_string_pretty(&all)?),
                Format::Csv => {
                    println!("id,influencer,campaign,kind,our_rate,their_rate,reason");
                    for d in &all {
                        println!(
                            "{},{},{},{},{},{},{}",
                            d.message_id,
                            csv_field(&d.influencer),
                            csv_field(&d.campaign_id),
                            d.kind,
                            money(d.our_rate),
                            money(d.their_rate),
                            csv_field(&d.reason)
                        );
                    }
                }
                Format::Table if all.is_empty() => println!("No drafts are waiting for review."),
                Format::Table => {
                    let mut table = Table::new();
                    table
                        .load_style(UTF8_FULL_CONDENSED)
                        .set_content_arrangement(ContentArrangement::Dynamic)
                        .set_header(["id", "influencer", "campaign", "email", "our rate", "why"]);
                    for d in &all {
                        table.add_row([
                            d.message_id.to_string(),
                            d.influencer.clone(),
                            d.campaign_id.clone(),
                            d.kind.replace('_', " "),
                            money(d.our_rate),
                            d.reason.clone(),
                        ]);
                    }
                    println!("{table}");
                    println!(
                        "{} draft(s). `negotiator drafts show ID` shows one; approve or discard \
                         it with `negotiator drafts approve ID` / `discard ID`.",
                        all.len()
                    );
                }
            }
        }
        DraftsCommand::Show { id } => print_draft(&drafts::show(&agent, id).await?),
        DraftsCommand::Approve { id, by } => {
            let draft = drafts::approve(&agent, id, &person(by)).await?;
            println!(
                "Approved draft {id} to {}; it goes out on the next `negotiator run`.",
                draft.influencer
            );
        }
        DraftsCommand::Discard { id, by } => {
            let draft = drafts::discard(&agent, id, &person(by)).await?;
            println!(
                "Discarded draft {id}; the negotiation with {} now waits for a person.",
                draft.influencer
            );
        }
    }
    Ok(())
}

fn print_draft(d: &Draft) {
    println!(
        "Draft {} · {} · {}",
        d.message_id,
        d.kind.replace('_', " "),
        d.status
    );
    println!("To:       {} <{}>", d.influencer, d.to);
    println!("Subject:  {}", d.subject);
    println!("Campaign: {}", d.campaign_id);
    println!(
        "Our rate: {}   Their rate: {}",
        money(d.our_rate),
        money(d.their_rate)
    );
    println!("Why:      {}", d.reason);
    println!("Written:  {}", d.created_at.strftime("%Y-%m-%d %H:%M UTC"));
    println!("\n{}", d.body.trim_end());
}

fn money(amount: Option<negotiator_domain::Money>) -> String {
    amount
        .map(|m| m.to_string())
        .unwrap_or_else(|| "–".to_owned())
}
