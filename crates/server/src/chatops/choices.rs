//! The answers for a name that matches several negotiations (pick one) or none (here is
//! what comes close).

use negotiator_store::NegotiationRow;
use negotiator_vendors::slack::{Block, Message};

use super::format::{bold, code, plain, state};
use super::reply::{Reply, Visibility};
use super::resolve::MAX_CANDIDATES;

/// One candidate: who, campaign, state, thread, and the command that picks it.
fn line(row: &NegotiationRow, command: &str) -> String {
    let mut text = format!(
        "• {} ({}) · campaign {} · {}",
        bold(&row.influencer_name),
        plain(&row.influencer_email, 120),
        code(&row.campaign_id),
        state(&row.state)
    );
    if row.human_controlled {
        text.push_str(" · held by a person");
    }
    let pick = match &row.thread_id {
        Some(thread) => format!("{command} {thread}"),
        None => format!(
            "{command} {} campaign:{}",
            row.influencer_name, row.campaign_id
        ),
    };
    text.push_str(&format!(" → {}", code(&pick)));
    text
}

/// `who` matches several negotiations: list them with the command that picks each.
pub fn several(who: &str, rows: &[NegotiationRow], command: &str) -> Reply {
    let intro = format!(
        "{} matches {} negotiations; say which one:",
        bold(who),
        rows.len()
    );
    let mut lines: Vec<String> = rows
        .iter()
        .take(MAX_CANDIDATES)
        .map(|r| line(r, command))
        .collect();
    if rows.len() > MAX_CANDIDATES {
        lines.push(format!(
            "… and {} more; add campaign:ID to narrow it down.",
            rows.len() - MAX_CANDIDATES
        ));
    }
    let blocks = vec![
        Block::section(intro.clone()),
        Block::section(lines.join("\n")),
    ];
    Reply::new(
        Message::new(intro, blocks),
        Visibility::Ephemeral,
        "`negotiator negotiations` lists every thread",
    )
}

/// `who` matches no negotiation: say so, with near misses when there are some.
pub fn nothing(who: &str, campaign: Option<&str>, near: &[NegotiationRow], command: &str) -> Reply {
    let within = campaign.map_or_else(String::new, |c| format!(" in campaign {}", code(c)));
    let intro = format!(
        "No negotiation matches {}{within}: give an influencer's name or email address as in \
         the roster, or a thread id.",
        bold(who)
    );
    let mut blocks = vec![Block::section(intro.clone())];
    if !near.is_empty() {
        let lines: Vec<String> = near.iter().map(|r| line(r, command)).collect();
        blocks.push(Block::section(format!(
            "Did you mean:\n{}",
            lines.join("\n")
        )));
    } else {
        blocks.push(Block::context(
            "`/negotiations` shows every thread and where it stands.",
        ));
    }
    Reply::new(Message::new(intro, blocks), Visibility::Ephemeral, "")
}
