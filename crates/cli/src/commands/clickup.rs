//! `negotiator clickup`: what the team needs to connect a ClickUp intake form.

use anyhow::{Context as _, bail};
use comfy_table::{ContentArrangement, Table, presets::UTF8_FULL_CONDENSED};
use negotiator_adapters::campaign_source::clickup::fields_table;
use negotiator_adapters::config::ClickUpConfig;
use negotiator_vendors::clickup::{self, ClickUpClient, WebhookRegistration};

use super::context::Context;
use crate::args::ClickUpCommand;

pub async fn run(context: &Context, command: ClickUpCommand) -> anyhow::Result<()> {
    let settings = context.config.clickup.clone().unwrap_or_default();
    let Some(token) = context.config.secrets.clickup_api_token.clone() else {
        bail!("set CLICKUP_API_TOKEN (a personal token, pk_…) in the environment first");
    };
    let base = settings
        .base_url
        .as_deref()
        .unwrap_or(clickup::DEFAULT_BASE_URL);
    let client = ClickUpClient::new(base, token, clickup::DEFAULT_TIMEOUT)?;
    match command {
        ClickUpCommand::Fields { list } => fields(&client, &settings, list).await,
        ClickUpCommand::RegisterWebhook {
            endpoint,
            team,
            list,
        } => register(&client, &settings, endpoint, team, list).await,
    }
}

fn pick(flag: Option<String>, configured: &Option<String>, what: &str) -> anyhow::Result<String> {
    flag.or_else(|| configured.clone())
        .filter(|v| !v.trim().is_empty())
        .with_context(|| format!("give --{what} or set [clickup] {what}_id in negotiator.toml"))
}

async fn fields(
    client: &ClickUpClient,
    settings: &ClickUpConfig,
    list: Option<String>,
) -> anyhow::Result<()> {
    let list = pick(list, &settings.list_id, "list")?;
    let fields = client.list_fields(&list).await?;
    let table_data = fields_table(&fields, Some(&settings.field_mapping));
    let mut table = Table::new();
    table
        .load_style(UTF8_FULL_CONDENSED)
        .set_content_arrangement(ContentArrangement::Dynamic)
        .set_header(["name", "type", "id", "options", "mapped to"]);
    for row in &table_data.rows {
        table.add_row([
            row.name.clone(),
            row.field_type.clone(),
            row.id.clone(),
            row.options_text(),
            row.mapped_to.unwrap_or("").to_owned(),
        ]);
    }
    println!("{table}");
    for (key, target) in &table_data.unmatched {
        println!(
            "! [clickup] field_mapping has {key:?} → {target}, but list {list} has no such field"
        );
    }
    println!(
        "Map a field under [clickup.field_mapping] as \"Field name\" = \"campaign field\" \
         (client_name, budget, platform, deliverables, cpm_target, cpm_leniency_pct, cpm_min, \
         cpm_max, influencers, timeline, mode, campaign_id, instructions)."
    );
    Ok(())
}

async fn register(
    client: &ClickUpClient,
    settings: &ClickUpConfig,
    endpoint: String,
    team: Option<String>,
    list: Option<String>,
) -> anyhow::Result<()> {
    let team = pick(team, &settings.team_id, "team")?;
    let list = list.or_else(|| settings.list_id.clone());
    let (webhook, registration) = client
        .ensure_webhook(&team, &endpoint, &["taskCreated"], list.as_deref())
        .await?;
    let what = match registration {
        WebhookRegistration::Created => "created",
        WebhookRegistration::Existing => "already registered",
        WebhookRegistration::Reactivated => "re-activated (ClickUp had suspended it)",
    };
    println!("Webhook {} {what}: taskCreated → {endpoint}", webhook.id);
    match &webhook.secret {
        Some(secret) => println!(
            "Put its signing secret in the service's environment, never in negotiator.toml:\n  \
             CLICKUP_WEBHOOK_SECRET={}",
            secret.expose()
        ),
        None => println!(
            "ClickUp did not return the signing secret this time; it was shown when the webhook \
             was first created. If it is lost, delete the webhook in ClickUp and register again."
        ),
    }
    Ok(())
}
