//! The team's messages, written from decisions and the facts around them.

use negotiator_domain::money::group_digits;
use negotiator_domain::{
    BudgetFacts, BudgetStanding, Campaign, CampaignProblems, Cpm, EscalationFacts, Money,
    Negotiation, Notification,
};
use negotiator_store::{Direction, Message};

use crate::ports::notifier::{Notice, NoticeKind};

/// How many earlier messages an escalation shows.
const CONVERSATION_TAIL: usize = 6;
/// How much of each message an escalation shows.
const MESSAGE_CHARS: usize = 600;
/// How many skipped influencers a skip notice names in its summary; its section lists all.
const SKIPPED_NAMES: usize = 10;

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
        Notification::ReplyForTeam {
            state,
            held_by_person,
            intent,
            summary,
        } => {
            let why = if *held_by_person {
                "a person holds the thread".to_owned()
            } else {
                format!("the negotiation is {}", state.as_str().replace('_', " "))
            };
            about
                .notice(
                    NoticeKind::Escalation,
                    format!("{name} wrote again ({client})"),
                    format!(
                        "{name} replied, but {why}, so the agent did not answer. Read it and \
                         decide whether anything changes."
                    ),
                )
                .field("What they said", summary.clone())
                .field("Read as", intent.as_str())
                .field("Agreed rate", money(about.negotiation.agreed_rate()))
                .section(conversation(about.conversation))
        }
        Notification::OpeningHeld {
            opening,
            reason,
            budget,
        } => budget_fields(
            about.notice(
                NoticeKind::Escalation,
                format!("Opening offer held: {name} ({client})"),
                format!(
                    "{}. Raise the budget with `negotiator campaign budget {} AMOUNT` and the \
                     offer goes out, or leave {name} out.",
                    capitalise(reason).trim_end_matches('.'),
                    about.campaign.campaign_id
                ),
            ),
            budget,
        )
        .field("Opening offer", opening.to_string()),
        Notification::Undeliverable {
            address,
            status,
            diagnostic,
        } => about
            .notice(
                NoticeKind::Escalation,
                format!("Email bounced: {name} ({client})"),
                format!(
                    "Our email to {name} at {address} could not be delivered, and nothing more \
                     will be sent to that address. Fix {name}'s Email in the roster, then start \
                     them in a new campaign, or write to them yourself and stop this one."
                ),
            )
            .field("Address", address.clone())
            .field(
                "Status",
                status.clone().unwrap_or_else(|| "not given".to_owned()),
            )
            .field(
                "Their server said",
                diagnostic.clone().unwrap_or_else(|| "nothing".to_owned()),
            ),
        Notification::OptedOut { address, phrase } => about
            .notice(
                NoticeKind::Rejected,
                format!("{name} asked not to be contacted ({client})"),
                format!(
                    "{name} asked not to be written to again. {address} is on the suppression \
                     list, so no campaign will email it; nothing was sent in reply."
                ),
            )
            .field("What they said", phrase.clone())
            .field("Agreed rate", money(about.negotiation.agreed_rate())),
    }
}

/// The budget's numbers as fields of a notice.
fn budget_fields(notice: Notice, budget: &BudgetFacts) -> Notice {
    let mut notice = notice
        .field("Budget", budget.budget.to_string())
        .field("Agreed so far", budget.agreed_so_far.to_string())
        .field("Left", budget.left.to_string());
    if let Some(deal) = budget.this_deal {
        notice = notice.field("This deal", deal.to_string());
    }
    notice
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
    if let Some(budget) = &facts.budget {
        notice = budget_fields(notice, budget);
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

/// The campaign's first notice: who is being contacted, and its money with every opening
/// offer counted as outstanding.
pub fn campaign_started(
    campaign: &Campaign,
    started: &[String],
    missing: &[String],
    money: &BudgetStanding,
) -> Notice {
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
        "Committed · outstanding · remaining",
        format!(
            "{} agreed · {} in opening offers · {} left",
            money.committed,
            money.outstanding,
            money.remaining()
        ),
    )
    .field(
        "CPM range",
        format!("{} – {}", campaign.cpm.floor, campaign.cpm.ceiling),
    )
    .field("Sending mode", campaign.mode.as_str())
    .field("Influencers", started.join(", "));
    if !missing.is_empty() {
        notice = notice.field("Not in the roster", missing.join(", "));
    }
    if let Some(over) = money.shortfall() {
        notice = notice.section(format!(
            "Heads up: the opening offers total {}, {over} more than the {} the budget leaves. \
             If they all accept, the acceptances past the budget come to you instead of being \
             agreed; raise the budget with `negotiator campaign budget {} AMOUNT` if it should \
             stretch.",
            money.outstanding,
            money.remaining(),
            campaign.campaign_id
        ));
    }
    notice.campaign_id = Some(campaign.campaign_id.clone());
    notice
}

/// One notice for every influencer a campaign lists but nobody contacted, with each reason.
pub fn influencers_skipped(campaign: &Campaign, skipped: &[(String, String)]) -> Notice {
    let count = skipped.len();
    let title = match skipped {
        [(name, _)] => format!("{name} was not contacted"),
        _ => format!("{count} influencers were not contacted"),
    };
    let names: Vec<&str> = skipped
        .iter()
        .take(SKIPPED_NAMES)
        .map(|(name, _)| name.as_str())
        .collect();
    let more = count.saturating_sub(SKIPPED_NAMES);
    let more = if more > 0 {
        format!(" and {more} more")
    } else {
        String::new()
    };
    let summary = format!(
        "Campaign {} lists {}{more}, but nobody contacted {}. Fix the roster (name, email, \
         platform, average views) and import the campaign again under a new id, or reach out \
         yourself.",
        campaign.client_name,
        names.join(", "),
        if count == 1 { "them" } else { "these" },
    );
    let reasons: Vec<String> = skipped
        .iter()
        .map(|(name, reason)| format!("• {name}: {reason}"))
        .collect();
    let mut notice = Notice::new(NoticeKind::InfluencerMissing, title, summary)
        .section(format!("Why each was skipped:\n{}", reasons.join("\n")));
    notice.campaign_id = Some(campaign.campaign_id.clone());
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

/// Someone the roster does not name for the influencer wrote in their thread.
pub fn outside_side(loaded: &super::Loaded, from: &str, subject: &str, text: &str) -> Notice {
    let name = &loaded.row.influencer_name;
    let mut notice = Notice::new(
        NoticeKind::Error,
        format!("An email from {from} in the thread with {name}"),
        format!(
            "{from} wrote in the thread with {name} but is neither their address nor a manager \
             or assistant the roster names for them, so the agent did not act on it. If they \
             speak for {name}, add them to the roster's Manager Email or Assistant Email column; \
             otherwise answer them yourself."
        ),
    )
    .field("Subject", subject.to_owned())
    .section(text.chars().take(1_500).collect::<String>());
    notice.campaign_id = Some(loaded.row.campaign_id.clone());
    notice.influencer = Some(name.clone());
    notice.thread_id = loaded.row.thread_id.clone();
    notice
}

/// An email that was not sent because its recipient is on the suppression list.
pub fn withheld(row: &negotiator_store::NegotiationRow, why: &str) -> Notice {
    let name = &row.influencer_name;
    let mut notice = Notice::new(
        NoticeKind::Error,
        format!("An email to {name} was not sent"),
        format!(
            "{}. The email was discarded. If the address should be written to again, remove it \
             with `negotiator suppressions remove ADDRESS` and act on the negotiation again.",
            capitalise(why).trim_end_matches('.')
        ),
    );
    notice.campaign_id = Some(row.campaign_id.clone());
    notice.influencer = Some(name.clone());
    notice.thread_id = row.thread_id.clone();
    notice
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
