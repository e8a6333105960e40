//! `negotiator suppressions list|add|remove`: the addresses no campaign writes to.

use comfy_table::{ContentArrangement, Table, presets::UTF8_FULL_CONDENSED};
use negotiator_agent::workflows::suppressions;

use super::context::Context;
use super::{csv_field, person};
use crate::args::{Format, SuppressionsCommand};

pub async fn run(context: &Context, command: SuppressionsCommand) -> anyhow::Result<()> {
    let agent = context.agent(false).await?;
    match command {
        SuppressionsCommand::List { format } => {
            let all = suppressions::list(&agent).await?;
            match format {
                Format::Json => println!("{}", serde_json::to_string_pretty(&all)?),
                Format::Csv => {
                    println!("address,reason,detail,added_by,negotiation_id,added_at");
                    for s in &all {
                        println!(
                            "{},{},{},{},{},{}",
                            csv_field(&s.address),
                            s.reason,
                            csv_field(&s.detail),
                            csv_field(&s.added_by),
                            s.negotiation_id
                                .map(|id| id.to_string())
                                .unwrap_or_default(),
                            s.added_at
                        );
                    }
                }
                Format::Table if all.is_empty() => println!("No address is suppressed."),
                Format::Table => {
                    let mut table = Table::new();
                    table
                        .load_style(UTF8_FULL_CONDENSED)
                        .set_content_arrangement(ContentArrangement::Dynamic)
                        .set_header(["address", "why", "detail", "by", "since"]);
                    for s in &all {
                        table.add_row([
                            s.address.clone(),
                            s.reason.describe().to_owned(),
                            s.detail.clone(),
                            s.added_by.clone(),
                            s.added_at.strftime("%Y-%m-%d %H:%M UTC").to_string(),
                        ]);
                    }
                    println!("{table}");
                    println!(
                        "{} address(es). No campaign writes to them; `negotiator suppressions \
                         remove ADDRESS` takes one off.",
                        all.len()
                    );
                }
            }
        }
        SuppressionsCommand::Add { address, note, by } => {
            let added = suppressions::add(&agent, &address, note.trim(), &person(by)).await?;
            if !added.new {
                println!("{address} was already on the suppression list; nothing changed.");
                return Ok(());
            }
            println!("{address} is suppressed: no campaign will write to it again.");
            if added.in_roster.is_empty() {
                println!("Note: the roster lists nobody at {address}.");
            } else {
                println!("The roster lists it for {}.", added.in_roster.join(", "));
            }
            if !added.open_negotiations.is_empty() {
                let ids: Vec<String> = added
                    .open_negotiations
                    .iter()
                    .map(ToString::to_string)
                    .collect();
                println!(
                    "Open negotiation(s) {} will send nothing more to it; stop them with \
                     `negotiator stop ID` if they should end.",
                    ids.join(", ")
                );
            }
        }
        SuppressionsCommand::Remove { address, by } => {
            match suppressions::remove(&agent, &address, &person(by)).await? {
                Some(entry) => println!(
                    "{address} is off the suppression list (it was there because {}).",
                    entry.reason.describe()
                ),
                None => anyhow::bail!(
                    "{address} is not on the suppression list; `negotiator suppressions list` \
                     shows what is"
                ),
            }
        }
    }
    Ok(())
}
