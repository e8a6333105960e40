//! A notice as a Block Kit message: header, summary, fields, long sections, a context line
//! and, for escalations and waiting drafts, buttons; fitted into Slack's limits.

use negotiator_vendors::slack::limits::{SECTION_FIELDS, SECTION_TEXT};
use negotiator_vendors::slack::{
    Block, Button, ButtonStyle, Confirm, Message, escape_mrkdwn, fit, split, truncate,
};

use super::actions::{ActionValue, SlackAction};
use negotiator_agent::ports::notifier::{Notice, NoticeKind};

/// Characters of long sections (a conversation, an email) shown in one message; the rest is
/// cut, with a pointer to the full text.
pub const SECTIONS_BUDGET: usize = 12_000;
/// Below this much budget, further sections are not started.
const MIN_SECTION: usize = 200;

/// The Block Kit message for `notice`, within Slack's limits.
pub fn message_for(notice: &Notice) -> Message {
    let pointer = pointer(notice);
    let mut blocks = vec![Block::header(notice.title.trim())];
    if !notice.summary.trim().is_empty() {
        blocks.push(Block::section(escape_mrkdwn(notice.summary.trim())));
    }
    for chunk in notice.fields.chunks(SECTION_FIELDS) {
        blocks.push(Block::fields(
            chunk.iter().map(|(label, value)| field(label, value)),
        ));
    }
    let sections = sections(notice, &pointer);
    if !sections.is_empty() {
        blocks.push(Block::divider());
        blocks.extend(sections);
    }
    blocks.push(context(notice));
    if let Some(actions) = actions(notice) {
        blocks.push(actions);
    }
    fit(Message::new(fallback(notice), blocks), &pointer)
}

/// The notification text: title and summary.
fn fallback(notice: &Notice) -> String {
    let title = notice.title.trim();
    let summary = notice.summary.trim();
    let text = match (title.is_empty(), summary.is_empty()) {
        (false, false) => format!("{title}: {summary}"),
        (false, true) => title.to_owned(),
        (true, _) => summary.to_owned(),
    };
    escape_mrkdwn(&text)
}

fn field(label: &str, value: &str) -> String {
    let value = value.trim();
    let value = if value.is_empty() { "—" } else { value };
    format!(
        "*{}*\n{}",
        escape_mrkdwn(label.trim()),
        escape_mrkdwn(value)
    )
}

/// Long sections, split into blocks of at most Slack's section length, within the budget.
fn sections(notice: &Notice, pointer: &str) -> Vec<Block> {
    let tail = format!("\n… {pointer}");
    let mut left = SECTIONS_BUDGET;
    let mut blocks = Vec::new();
    let shown: Vec<String> = notice
        .sections
        .iter()
        .map(|s| bold_speakers(&escape_mrkdwn(s.trim())))
        .filter(|s| !s.is_empty())
        .collect();
    for (index, text) in shown.iter().enumerate() {
        if left < MIN_SECTION {
            let more = shown.len() - index;
            blocks.push(Block::section(format!(
                "_… {more} more section(s) not shown._ {pointer}"
            )));
            break;
        }
        let cut = truncate(text, left, &tail);
        left = left.saturating_sub(cut.chars().count());
        blocks.extend(split(&cut, SECTION_TEXT).into_iter().map(Block::section));
    }
    blocks
}

/// The "Us (Nov 3 10:00):" / "Them (…):" lines of a conversation, in bold.
fn bold_speakers(text: &str) -> String {
    text.lines()
        .map(|line| {
            let speaker = (line.starts_with("Us (") || line.starts_with("Them ("))
                && line.ends_with("):")
                && line.len() < 60;
            if speaker {
                format!("*{line}*")
            } else {
                line.to_owned()
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// "escalation · campaign `glow` · Jane Doe · thread `18c2f…`".
fn context(notice: &Notice) -> Block {
    let mut parts = vec![format!("*{}*", notice.kind.as_str().replace('_', " "))];
    if let Some(campaign) = &notice.campaign_id {
        parts.push(format!("campaign {}", code(campaign)));
    }
    if let Some(influencer) = &notice.influencer {
        parts.push(escape_mrkdwn(influencer));
    }
    if let Some(thread) = &notice.thread_id {
        parts.push(format!("thread {}", code(thread)));
    }
    Block::context(parts.join(" · "))
}

fn code(text: &str) -> String {
    format!("`{}`", escape_mrkdwn(&text.replace('`', "'")))
}

/// Where the full text of a cut notice is: the draft, the campaign's skipped influencers, the
/// thread's audit trail, the influencer's, the campaign's.
pub fn pointer(notice: &Notice) -> String {
    let command = if let (NoticeKind::DraftWaiting, Some(draft)) = (notice.kind, draft_id(notice)) {
        format!("negotiator drafts show {draft}")
    } else if let (NoticeKind::InfluencerMissing, Some(campaign)) =
        (notice.kind, &notice.campaign_id)
    {
        format!(
            "negotiator audit --campaign {} --event-type campaign_influencer_skip",
            shell_word(campaign)
        )
    } else if let Some(thread) = &notice.thread_id {
        format!("negotiator audit --thread {}", shell_word(thread))
    } else if let Some(influencer) = &notice.influencer {
        format!("negotiator audit --influencer {}", shell_word(influencer))
    } else if let Some(campaign) = &notice.campaign_id {
        format!("negotiator audit --campaign {}", shell_word(campaign))
    } else {
        return "full text: `negotiator audit --last 1d`".to_owned();
    };
    format!("full text: {}", code(&command))
}

/// `text` as one shell word: bare when safe, else single-quoted.
fn shell_word(text: &str) -> String {
    let safe = !text.is_empty()
        && text
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_.:@/+=".contains(c));
    if safe {
        text.to_owned()
    } else {
        format!("'{}'", text.replace('\'', r"'\''"))
    }
}

fn field_value<'a>(notice: &'a Notice, label: &str) -> Option<&'a str> {
    notice
        .fields
        .iter()
        .find(|(l, _)| l == label)
        .map(|(_, v)| v.trim())
}

/// The draft's message id: the notice field "Draft".
fn draft_id(notice: &Notice) -> Option<i64> {
    field_value(notice, "Draft")?.parse().ok()
}

fn actions(notice: &Notice) -> Option<Block> {
    let buttons = match notice.kind {
        NoticeKind::Escalation => escalation_buttons(notice)?,
        NoticeKind::DraftWaiting => draft_buttons(notice)?,
        _ => return None,
    };
    Some(Block::Actions {
        elements: buttons
            .into_iter()
            .map(negotiator_vendors::slack::ActionElement::Button)
            .collect(),
        block_id: Some(format!("{}_actions", notice.kind.as_str())),
    })
}

fn value_of(notice: &Notice, draft_id: Option<i64>) -> String {
    ActionValue {
        draft_id,
        thread_id: notice.thread_id.clone(),
        campaign_id: notice.campaign_id.clone(),
        influencer: notice.influencer.clone(),
    }
    .encode()
}

fn button(action: SlackAction, value: &str) -> Button {
    Button::new(action.label(), action.action_id()).value(value)
}

fn escalation_buttons(notice: &Notice) -> Option<Vec<Button>> {
    if notice.thread_id.is_none() && notice.influencer.is_none() {
        return None;
    }
    let value = value_of(notice, None);
    let name = escape_mrkdwn(notice.influencer.as_deref().unwrap_or("the influencer"));
    let mut buttons = Vec::new();
    match field_value(notice, "Their ask") {
        Some("not named") => {}
        ask => {
            let what = ask.map_or_else(
                || format!("{name}'s current ask"),
                |ask| format!("{} from {name}", escape_mrkdwn(ask)),
            );
            buttons.push(
                button(SlackAction::EscalationApprove, &value)
                    .style(ButtonStyle::Primary)
                    .confirm(Confirm::new(
                        "Approve their rate?",
                        format!("The agent will accept {what} and write to them."),
                        "Approve",
                        "Cancel",
                    )),
            );
        }
    }
    buttons.push(button(SlackAction::EscalationCounter, &value));
    buttons.push(
        button(SlackAction::EscalationReject, &value)
            .style(ButtonStyle::Danger)
            .confirm(Confirm::new(
                "End the negotiation?",
                format!("The agent will stop negotiating with {name}."),
                "Reject",
                "Cancel",
            )),
    );
    buttons.push(button(SlackAction::EscalationTakeOver, &value));
    Some(buttons)
}

fn draft_buttons(notice: &Notice) -> Option<Vec<Button>> {
    let draft = draft_id(notice)?;
    let value = value_of(notice, Some(draft));
    let name = escape_mrkdwn(notice.influencer.as_deref().unwrap_or("the influencer"));
    Some(vec![
        button(SlackAction::DraftSend, &value)
            .style(ButtonStyle::Primary)
            .confirm(Confirm::new(
                "Send this email?",
                format!("Draft {draft} goes to {name} once it passes the validation gate again."),
                "Send",
                "Cancel",
            )),
        button(SlackAction::DraftDiscard, &value)
            .style(ButtonStyle::Danger)
            .confirm(Confirm::new(
                "Discard this draft?",
                format!("Draft {draft} is thrown away; the negotiation then waits for a person."),
                "Discard",
                "Cancel",
            )),
    ])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn outside_text_cannot_mention_the_channel() {
        let notice = Notice::new(NoticeKind::Error, "Bad <!channel>", "Hi <!here> & <@U1>")
            .field("From", "<mailto:x@y.z|x>")
            .section("<!everyone> look");
        let message = message_for(&notice);
        // The header is plain_text, which Slack never reads as markup.
        assert!(matches!(&message.blocks[0], Block::Header { text, .. } if text.is_plain()));
        let json = serde_json::to_string(&(&message.text, &message.blocks[1..])).unwrap();
        for raw in ["<!channel>", "<!here>", "<@U1>", "<mailto", "<!everyone>"] {
            assert!(!json.contains(raw), "{raw} in {json}");
        }
    }

    #[test]
    fn conversation_speakers_stand_out() {
        let text = "Conversation (2 of 2 messages):\n\nUs (Nov 3 10:00):\nHi\n\nThem (Nov 3 11:00):\nUs (not a header)";
        assert_eq!(
            bold_speakers(text),
            "Conversation (2 of 2 messages):\n\n*Us (Nov 3 10:00):*\nHi\n\n*Them (Nov 3 11:00):*\nUs (not a header)"
        );
    }

    #[test]
    fn pointers_name_the_most_precise_command() {
        let mut notice = Notice::new(NoticeKind::Escalation, "t", "s");
        assert_eq!(pointer(&notice), "full text: `negotiator audit --last 1d`");
        notice.campaign_id = Some("glow spring".into());
        assert_eq!(
            pointer(&notice),
            "full text: `negotiator audit --campaign 'glow spring'`"
        );
        notice.influencer = Some("Jane O'Doe".into());
        assert_eq!(
            pointer(&notice),
            r"full text: `negotiator audit --influencer 'Jane O'\''Doe'`"
        );
        notice.thread_id = Some("18c2f0a".into());
        assert_eq!(
            pointer(&notice),
            "full text: `negotiator audit --thread 18c2f0a`"
        );
        notice.kind = NoticeKind::DraftWaiting;
        notice = notice.field("Draft", "42");
        assert_eq!(pointer(&notice), "full text: `negotiator drafts show 42`");
        let mut skipped = Notice::new(NoticeKind::InfluencerMissing, "t", "s");
        skipped.campaign_id = Some("glow".into());
        assert_eq!(
            pointer(&skipped),
            "full text: `negotiator audit --campaign glow --event-type campaign_influencer_skip`"
        );
    }
}
