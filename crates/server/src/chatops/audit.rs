//! `/audit`: the ten latest audit entries (for an influencer, campaign or thread if named), compact,
//! with how many there are in all and the CLI command that shows the rest.

use negotiator_store::{AuditEntry, AuditFilter, find_negotiations_by_influencer};
use negotiator_vendors::slack::{Block, Message};
use serde_json::Value;

use super::format::{bold, code, plain, shell_word, state, when};
use super::grammar::AuditQuery;
use super::reply::{Reply, Visibility};
use super::resolve;
use negotiator_agent::Agent;
use negotiator_agent::AgentError;

/// Entries shown in Slack; the CLI shows the rest.
pub const SHOWN: u32 = 10;

/// Longest piece of free text (a reason, a summary, an email) shown per entry.
const DETAIL_CHARS: usize = 200;

/// Runs `/audit`.
pub async fn audit(agent: &Agent, query: &AuditQuery) -> Result<Reply, AgentError> {
    let mut query = query.clone();
    // An email address stands for the influencer's name as the audit trail records it.
    if let Some(given) = &query.influencer {
        let rows = find_negotiations_by_influencer(agent.store.db(), given).await?;
        if let Some(first) = rows.first()
            && rows.iter().all(|r| {
                r.influencer_name
                    .eq_ignore_ascii_case(&first.influencer_name)
            })
        {
            query.influencer = Some(first.influencer_name.clone());
        }
    }
    let filter = AuditFilter {
        influencer: query.influencer.clone(),
        campaign: query.campaign.clone(),
        thread: query.thread.clone(),
        event_type: query.event_type,
        from: query.last.as_ref().map(|p| p.since(agent.now())),
        to: None,
        limit: SHOWN,
    };
    let entries = agent.store.audit_entries(&filter).await?;
    let total = if entries.len() < SHOWN as usize {
        entries.len() as u64
    } else {
        agent.store.count_audit_entries(&filter).await?
    };
    let cli = cli_command(&query);
    if entries.is_empty() {
        return nothing(agent, &query, &cli).await;
    }
    let mut blocks = vec![
        Block::header("Audit trail"),
        Block::context(describe(&query)),
    ];
    blocks.extend(entries.iter().map(|e| Block::section(entry(e))));
    blocks.push(Block::context(format!(
        "Showing {} of {total}, newest first. Use the CLI for more: {}",
        entries.len(),
        code(&cli)
    )));
    let text = format!("Audit trail: {} of {total} entries", entries.len());
    Ok(Reply::new(
        Message::new(text, blocks),
        Visibility::Ephemeral,
        &format!("full entries: {}", code(&cli)),
    ))
}

/// "influencer *Jane Doe* · last 7d · type escalation".
fn describe(query: &AuditQuery) -> String {
    let mut parts = Vec::new();
    if let Some(influencer) = &query.influencer {
        parts.push(format!("influencer {}", bold(influencer)));
    }
    if let Some(campaign) = &query.campaign {
        parts.push(format!("campaign {}", code(campaign)));
    }
    if let Some(thread) = &query.thread {
        parts.push(format!("thread {}", code(thread)));
    }
    if let Some(last) = &query.last {
        parts.push(format!("last {}", code(last.as_str())));
    }
    if let Some(event) = query.event_type {
        parts.push(format!("type {}", code(event.as_str())));
    }
    if parts.is_empty() {
        return "the whole trail".into();
    }
    parts.join(" · ")
}

/// The `negotiator audit` command for the same query.
pub fn cli_command(query: &AuditQuery) -> String {
    let mut command = String::from("negotiator audit");
    let mut flag = |name: &str, value: &str| {
        command.push_str(&format!(" --{name} {}", shell_word(value)));
    };
    if let Some(influencer) = &query.influencer {
        flag("influencer", influencer);
    }
    if let Some(campaign) = &query.campaign {
        flag("campaign", campaign);
    }
    if let Some(thread) = &query.thread {
        flag("thread", thread);
    }
    if let Some(last) = &query.last {
        flag("last", last.as_str());
    }
    if let Some(event) = query.event_type {
        flag("event-type", event.as_str());
    }
    command
}

/// One entry: what, when, where; then the state, rates and who; then the reason or text.
fn entry(e: &AuditEntry) -> String {
    let mut head = vec![
        format!("*{}*", state(e.event_type.as_str())),
        when(e.occurred_at),
    ];
    if let Some(campaign) = &e.campaign_id {
        head.push(code(campaign));
    }
    if let Some(influencer) = &e.influencer_name {
        head.push(plain(influencer, 100));
    }
    let meta = |key: &str| -> Option<String> {
        match e.metadata.get(key)? {
            Value::String(s) if !s.trim().is_empty() => Some(s.clone()),
            Value::Number(n) => Some(n.to_string()),
            _ => None,
        }
    };
    let mut facts = Vec::new();
    if let Some(to) = &e.negotiation_state {
        facts.push(format!("→ {}", state(to)));
    }
    if let Some(action) = meta("action") {
        facts.push(format!("action {}", state(&action)));
    }
    if let Some(kind) = meta("kind") {
        facts.push(state(&kind));
    }
    if let Some(intent) = &e.intent {
        facts.push(format!("read as {}", plain(intent, 40)));
    }
    if let Some(rates) = &e.rates_used {
        facts.push(plain(rates, 120));
    }
    if let Some(by) = meta("by").filter(|b| b != "agent") {
        facts.push(format!("by {}", plain(&by, 80)));
    }
    let detail = ["reason", "summary", "error"]
        .into_iter()
        .find_map(meta)
        .or_else(|| e.email_body.clone());
    let mut text = head.join(" · ");
    if !facts.is_empty() {
        text.push('\n');
        text.push_str(&facts.join(" · "));
    }
    if let Some(detail) = detail.filter(|d| !d.trim().is_empty()) {
        text.push_str(&format!(
            "\n_{}_",
            plain(&detail.replace('_', " "), DETAIL_CHARS)
        ));
    }
    text
}

/// No entries: say so, and when an influencer was named that matches no negotiation, the
/// names that come close.
async fn nothing(agent: &Agent, query: &AuditQuery, cli: &str) -> Result<Reply, AgentError> {
    let mut text = format!("No audit entries match {}.", describe(query));
    if let Some(influencer) = &query.influencer
        && find_negotiations_by_influencer(agent.store.db(), influencer)
            .await?
            .is_empty()
        && let resolve::Found::Nothing { near } =
            resolve::find(agent, influencer, query.campaign.as_deref()).await?
        && !near.is_empty()
    {
        let mut names: Vec<String> = Vec::new();
        for row in &near {
            let name = bold(&row.influencer_name);
            if !names.contains(&name) {
                names.push(name);
            }
        }
        text.push_str(&format!(" Did you mean {}?", names.join(", ")));
    } else if query.last.is_some() {
        text.push_str(" Try a longer last: period.");
    }
    let blocks = vec![
        Block::section(text.clone()),
        Block::context(format!("The CLI reads the same trail: {}", code(cli))),
    ];
    Ok(Reply::new(
        Message::new(text, blocks),
        Visibility::Ephemeral,
        "",
    ))
}
