//! The team's messages, written from decisions and the facts around them.

use negotiator_domain::{
    Campaign, CampaignProblems, Cpm, EscalationFacts, Money, Negotiation, Notification,
};
use negotiator_store::{Direction, Message};

use crate::notify::{Notice, NoticeKind};

/// How many earlier messages an escalation shows.
const CONVERSATION_TAIL: usize = 6;
/// How much of each message an escalation shows.
const MESSAGE_CHARS: usize = 600;

/// What a notice about one negotiation can draw on.
#[derive(Debug)]
pub struct About<'a> {
    pub campaign: &'a Campaign,
    /// The negotiation after the decision.
    pub negotiation: &'a Negotiation,
    pub thread_id: Option<&'a str>,
    /// The messages so far, oldest first.
    pub conversation: &'a [Message],
    /// The campaign's average agreed CPM, including this decision's deal.
    pub campaign_average: Option<Cpm>,
}

impl About<'_> {
    fn notice(&self, kind: NoticeKind, title: String, summary: impl Into<String>) -> Notice {
        let mut notice = Notice::new(kind, title, summary);
        notice.campaign_id = Some(self.campaign.campaign_id.clone());
        notice.influencer = Some(self.negotiation.influencer_name().to_owned());
        notice.thread_id = self.thread_id.map(str::to_owned);
        notice
    }

    fn deliverables(&self) -> String {
        self.negotiation
            .deliverables()
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join(", ")
    }

    fn views(&self) -> String {
        let views = self.negotiation.average_views();
        let engagement = self
            .negotiation
            .engagement_pct()
            .map(|e| format!(", {e}% engagement"))
            .unwrap_or_default();
        format!("{} average views{engagement}", group_digits(views))
    }

    fn target(&self) -> String {
        let bounds = self.negotiation.bounds();
        format!("{} CPM target, {} ceiling", bounds.floor, bounds.ceiling)
    }
}

/// The notice for a decision's notification.
pub fn for_notification(about: &About<'_>, notification: &Notification) -> Notice {
    let name = about.negotiation.influencer_name();
    let client = &about.campaign.client_name;
    match notification {
        Notification::Escalation(facts) => escalation(about, facts),
        Notification::Agreement { rate, cpm, warning } => {
            let mut notice = about
                .notice(
                    NoticeKind::Agreement,
                    format!("Deal agreed: {name} for {client}"),
                    format!("{name} agreed to {rate} ({cpm} CPM)."),
                )
                .field("Influencer", name)
                .field("Agreed rate", rate.to_string())
                .field("Platform", about.negotiation.platform().display_name())
                .field("Deliverables", about.deliverables())
                .field(
                    "CPM achieved",
                    format!("{cpm} (target {})", about.negotiation.bounds().floor),
                );
            if let Some(average) = about.campaign_average {
                notice = notice.field("Campaign average CPM", average.to_string());
            }
            if let Some(warning) = warning {
                notice = notice.field("Check", warning.clone());
            }
            notice.section(
                "Next steps: send the contract and scope of work for signature, then the brief \
                 and brand guidelines; payment within 30 days of the content going live.",
            )
        }
        Notification::Rejected { reason } => about.notice(
            NoticeKind::Rejected,
            format!("No deal: {name} for {client}"),
            capitalise(reason),
        ),
        Notification::ReplyWhileEscalated { summary } => about
            .notice(
                NoticeKind::Escalation,
                format!("New reply while escalated: {name}"),
                format!("{name} wrote again while the thread waits for a person."),
            )
            .field("What they said", summary.clone())
            .section(conversation(about.conversation)),
        Notification::SilenceLimit { follow_ups_sent } => about
            .notice(
                NoticeKind::FollowUpLimit,
                format!("No answer from {name}"),
                format!(
                    "{name} has not replied after {follow_ups_sent} follow-ups; chase them \
                     yourself or close the negotiation."
                ),
            )
            .field("Our offer", money(about.negotiation.current_offer())),
    }
}

fn escalation(about: &About<'_>, facts: &EscalationFacts) -> Notice {
    let name = about.negotiation.influencer_name();
    let mut notice = about
        .notice(
            NoticeKind::Escalation,
            format!("Needs a decision: {name} ({})", about.campaign.client_name),
            capitalise(&facts.reason),
        )
        .field("Influencer", format!("{name} · {}", about.views()))
        .field("Platform", about.negotiation.platform().display_name())
        .field("Deliverables", about.deliverables());
    let their = match (facts.their_ask, facts.their_cpm) {
        (Some(ask), Some(cpm)) => format!("{ask} ({cpm} CPM)"),
        (Some(ask), None) => ask.to_string(),
        _ => "not named".to_owned(),
    };
    notice = notice
        .field("Their ask", their)
        .field("Our offer", money(facts.our_offer))
        .field(
            "Target",
            match facts.target_rate {
                Some(rate) => format!("{rate} ({})", about.target()),
                None => about.target(),
            },
        );
    if let Some(limit) = facts.limit_rate {
        notice = notice.field("Agent's limit", format!("{limit} ({})", facts.limit_reason));
    }
    if !facts.triggers.is_empty() {
        let fired = facts
            .triggers
            .iter()
            .map(|t| match &t.evidence {
                Some(e) => format!("{} (\"{}\")", t.kind, e.quote),
                None => t.kind.to_string(),
            })
            .collect::<Vec<_>>()
            .join(", ");
        notice = notice.field("Triggered by", fired);
    }
    notice.section(conversation(about.conversation))
}

/// The last few messages, newest last, as "Us:" / "Them:" blocks.
fn conversation(messages: &[Message]) -> String {
    let shown = &messages[messages.len().saturating_sub(CONVERSATION_TAIL)..];
    if shown.is_empty() {
        return "No messages yet.".to_owned();
    }
    let mut text = format!(
        "Conversation ({} of {} messages):",
        shown.len(),
        messages.len()
    );
    for message in shown {
        let who = match message.direction {
            Direction::Sent => "Us",
            Direction::Received => "Them",
        };
        let body = message.body.trim();
        let cut: String = body.chars().take(MESSAGE_CHARS).collect();
        let more = if body.chars().count() > MESSAGE_CHARS {
            " …"
        } else {
            ""
        };
        text.push_str(&format!(
            "\n\n{who} ({}):\n{cut}{more}",
            message.occurred_at.strftime("%b %-d %H:%M")
        ));
    }
    text
}

pub fn campaign_started(campaign: &Campaign, started: &[String], missing: &[String]) -> Notice {
    let mut notice = Notice::new(
        NoticeKind::CampaignStarted,
        format!("Campaign started: {}", campaign.client_name),
        format!(
            "Negotiating with {} influencer{} on {}.",
            started.len(),
            if started.len() == 1 { "" } else { "s" },
            campaign.platform.display_name()
        ),
    )
    .field("Campaign", campaign.campaign_id.clone())
    .field("Budget", campaign.budget.to_string())
    .field(
        "CPM range",
        format!("{} – {}", campaign.cpm.floor, campaign.cpm.ceiling),
    )
    .field("Sending mode", campaign.mode.as_str())
    .field("Influencers", started.join(", "));
    if !missing.is_empty() {
        notice = notice.field("Not in the roster", missing.join(", "));
    }
    notice.campaign_id = Some(campaign.campaign_id.clone());
    notice
}

pub fn influencer_missing(campaign: &Campaign, name: &str, reason: &str) -> Notice {
    let mut notice = Notice::new(
        NoticeKind::InfluencerMissing,
        format!("{name} was not contacted"),
        format!(
            "Campaign {} lists {name}, but {reason}, so nobody contacted them. Fix the roster \
             row (name, email, platform, average views) and import the campaign again under a \
             new id, or reach out yourself.",
            campaign.client_name
        ),
    );
    notice.campaign_id = Some(campaign.campaign_id.clone());
    notice.influencer = Some(name.to_owned());
    notice
}

pub fn campaign_rejected(
    source: &str,
    campaign_id: Option<&str>,
    problems: &CampaignProblems,
) -> Notice {
    let mut notice = Notice::new(
        NoticeKind::CampaignRejected,
        "Campaign not started".to_owned(),
        format!(
            "A campaign from {source} has missing or bad fields, so nothing was sent. Fix them \
             and submit it again."
        ),
    );
    for problem in &problems.0 {
        notice = notice.field(problem.field, problem.problem.clone());
    }
    notice.campaign_id = campaign_id.map(str::to_owned);
    notice
}

pub fn takeover(about: &About<'_>, by: &str) -> Notice {
    let name = about.negotiation.influencer_name();
    about.notice(
        NoticeKind::Takeover,
        format!("{by} took over {name}"),
        format!(
            "{by} replied in the thread with {name}, so the agent has stopped acting on it. \
             Hand it back with /resume when you are done."
        ),
    )
}

pub fn draft_waiting(about: &About<'_>, message_id: i64, reason: &str, body: &str) -> Notice {
    let name = about.negotiation.influencer_name();
    about
        .notice(
            NoticeKind::DraftWaiting,
            format!("Draft to {name} waits for approval"),
            format!("Why: {reason}"),
        )
        .field("Draft", message_id.to_string())
        .field(
            "Approve",
            format!("negotiator drafts approve {message_id}  (or discard {message_id})"),
        )
        .section(body.to_owned())
}

pub fn unmatched_email(from: &str, subject: &str, reason: &str) -> Notice {
    Notice::new(
        NoticeKind::Error,
        format!("An email from {from} matches no negotiation"),
        format!("{reason} Subject: {subject:?}. Check it in the mailbox and handle it yourself."),
    )
}

fn money(amount: Option<Money>) -> String {
    amount.map_or_else(|| "none yet".to_owned(), |m| m.to_string())
}

fn group_digits(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

fn capitalise(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => {
            let mut out: String = first.to_uppercase().collect();
            out.push_str(chars.as_str());
            if !out.ends_with(['.', '!', '?']) {
                out.push('.');
            }
            out
        }
        None => String::new(),
    }
}
