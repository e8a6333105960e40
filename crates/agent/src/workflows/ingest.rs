//! Campaign intake: validate, store, and start one negotiation per influencer found in the
//! roster; the team hears about the campaign, about everyone missing, and about bad fields.

use negotiator_domain::{
    Allowance, Budget, BudgetStanding, Campaign, CampaignCpmTracker, CampaignDraft,
    CampaignProblems, CpmBounds, FieldProblem, Money, Negotiation, NewNegotiation, rates,
};
use negotiator_store::WriteTx;
use negotiator_store::{
    CampaignMode, EventType, NewAuditEntry, NewCampaign, StoreError, find_suppression,
    get_campaign, insert_audits, insert_campaign, insert_negotiation, set_side_emails,
};
use serde_json::json;

use super::commit::audit_and_notify;
use super::{notices, pacing};
use crate::agent::Agent;
use crate::error::AgentError;
use crate::ports::roster::{Influencer, Lookup, RosterError};
use crate::tasks::{JobKey, Task, queue};

/// What intake came to: each is an expected outcome, not an error.
#[derive(Clone, Debug)]
pub enum Ingest {
    /// Stored, and a negotiation started for everyone found.
    Started(Box<Ingested>),
    /// Missing or bad fields: nothing was stored, and the team was told which.
    Rejected(CampaignProblems),
    /// A campaign with this id was taken in before (a redelivery): nobody is contacted twice.
    Duplicate(String),
}

impl Ingest {
    /// The started campaign, if it started.
    pub fn started(self) -> Option<Ingested> {
        match self {
            Ingest::Started(done) => Some(*done),
            _ => None,
        }
    }

    /// Every field problem, if it was refused.
    pub fn rejected(self) -> Option<CampaignProblems> {
        match self {
            Ingest::Rejected(problems) => Some(problems),
            _ => None,
        }
    }
}

/// A started campaign and whom it reached.
#[derive(Clone, Debug)]
pub struct Ingested {
    pub campaign: Campaign,
    /// Influencers a negotiation was started for, with its id.
    pub started: Vec<(String, i64)>,
    /// Influencers not contacted, with the reason.
    pub skipped: Vec<(String, String)>,
}

/// Validates and stores a campaign from `source` (`file`, `clickup`, `demo`) and fans it out.
///
/// An invalid campaign is not stored: the team is told which fields to fix and the audit trail
/// records it. A campaign id seen before is refused, so a repeated delivery never contacts
/// anyone twice.
#[tracing::instrument(name = "ingest", skip_all, fields(source = source, campaign = tracing::field::Empty))]
pub async fn ingest(
    agent: &Agent,
    draft: &CampaignDraft,
    source: &str,
) -> Result<Ingest, AgentError> {
    let now = agent.now();
    let campaign = match draft.validate_with(&agent.settings.campaign_limits()) {
        Ok(campaign) => campaign,
        Err(problems) => {
            let id = draft
                .campaign_id
                .as_deref()
                .map(str::trim)
                .filter(|s| !s.is_empty());
            reject(agent, source, id, &problems).await?;
            return Ok(Ingest::Rejected(problems));
        }
    };
    tracing::Span::current().record("campaign", campaign.campaign_id.as_str());
    if get_campaign(agent.store.db(), &campaign.campaign_id)
        .await?
        .is_some()
    {
        return Ok(Ingest::Duplicate(campaign.campaign_id));
    }

    let bounds = CpmBounds::new(campaign.cpm.floor, campaign.cpm.ceiling)
        .map_err(|e| AgentError::Invalid(format!("campaign CPM range: {e}")))?;
    let (found, skipped) = match look_up(agent, &campaign, bounds, now).await {
        Err(AgentError::Roster(RosterError::Inaccessible(problem))) => {
            let problems = CampaignProblems(vec![FieldProblem {
                field: "roster_sheet_id",
                problem,
            }]);
            reject(agent, source, Some(&campaign.campaign_id), &problems).await?;
            return Ok(Ingest::Rejected(problems));
        }
        other => other?,
    };
    let mut tx = agent.store.begin_write().await?;
    let Some(started) = store(&mut tx, &campaign, source, &found, now).await? else {
        return Ok(Ingest::Duplicate(campaign.campaign_id));
    };
    let money = opening_standing(agent, &campaign, bounds, &found);
    let last = last_opening(agent, &mut tx, &found).await?;
    let facts = Started {
        names: &started,
        skipped: &skipped,
        money: &money,
        last_opening: last.as_deref(),
    };
    tell(&mut tx, &campaign, source, &facts, now).await?;
    tx.commit().await?;
    Ok(Ingest::Started(Box::new(Ingested {
        campaign,
        started,
        skipped,
    })))
}

/// Everyone the campaign lists, looked up in the roster: a negotiation for each who can be
/// contacted, and why each other one cannot.
async fn look_up(
    agent: &Agent,
    campaign: &Campaign,
    bounds: CpmBounds,
    now: jiff::Timestamp,
) -> Result<(Vec<(Influencer, Negotiation)>, Vec<(String, String)>), AgentError> {
    let mut found = Vec::new();
    let mut skipped = Vec::new();
    for name in &campaign.influencers {
        let lookup = agent
            .adapters
            .roster
            .find_in(campaign.roster.as_ref(), name)
            .await?;
        match lookup {
            Lookup::NotInRoster => {
                skipped.push((name.clone(), "they are not in the roster".to_owned()));
            }
            Lookup::Unusable(problem) => {
                skipped.push((
                    name.clone(),
                    format!("their roster row is unusable: {problem}"),
                ));
            }
            Lookup::Found(influencer) => {
                if let Some(why) = suppressed(agent, &influencer).await? {
                    skipped.push((influencer.name.clone(), why));
                    continue;
                }
                match negotiation_for(campaign, &influencer, bounds, now) {
                    Ok(negotiation) => found.push((influencer, negotiation)),
                    Err(reason) => skipped.push((influencer.name.clone(), reason)),
                }
            }
        }
    }
    Ok((found, skipped))
}

/// Why nobody may write to `influencer`, when their address is on the suppression list.
async fn suppressed(agent: &Agent, influencer: &Influencer) -> Result<Option<String>, AgentError> {
    let found = find_suppression(agent.store.db(), influencer.email.as_str()).await?;
    Ok(found.map(|entry| {
        format!(
            "{} is on the suppression list ({}, {}); `negotiator suppressions remove {}` if \
             that was a mistake",
            entry.address,
            entry.reason.describe(),
            entry.added_at.strftime("%Y-%m-%d"),
            entry.address
        )
    }))
}

/// Stores the campaign and a negotiation (with its opening job) for everyone found; `None`
/// when the campaign was stored before.
async fn store(
    tx: &mut WriteTx,
    campaign: &Campaign,
    source: &str,
    found: &[(Influencer, Negotiation)],
    now: jiff::Timestamp,
) -> Result<Option<Vec<(String, i64)>>, AgentError> {
    let stored = NewCampaign {
        campaign_id: campaign.campaign_id.clone(),
        client_name: campaign.client_name.clone(),
        source: source.to_owned(),
        mode: match campaign.mode {
            negotiator_domain::SendingMode::Auto => CampaignMode::Auto,
            negotiator_domain::SendingMode::Review => CampaignMode::Review,
        },
        budget_cents: campaign.budget.cents(),
        spec: serde_json::to_value(campaign).map_err(AgentError::corrupt)?,
        created_at: now,
    };
    match insert_campaign(&mut *tx, &stored).await {
        Err(StoreError::AlreadyExists { .. }) => return Ok(None),
        other => other?,
    }
    let mut started = Vec::new();
    for (influencer, negotiation) in found {
        let row = insert_negotiation(
            &mut *tx,
            &negotiator_store::NewNegotiation {
                campaign_id: campaign.campaign_id.clone(),
                influencer_name: influencer.name.clone(),
                influencer_email: influencer.email.to_string(),
                state: negotiation.state().as_str().to_owned(),
                snapshot: serde_json::to_value(negotiation.snapshot())
                    .map_err(AgentError::corrupt)?,
                created_at: now,
            },
        )
        .await?;
        set_side_emails(&mut *tx, row.negotiation_id, &influencer.side_emails()).await?;
        if let Some(zone) = &influencer.time_zone {
            negotiator_store::set_time_zone(&mut *tx, row.negotiation_id, zone).await?;
        }
        let task = Task::OpenNegotiation {
            negotiation_id: row.negotiation_id,
        };
        let key = JobKey::Open {
            negotiation_id: row.negotiation_id,
        };
        queue(&mut *tx, &task, &key, now).await?;
        started.push((influencer.name.clone(), row.negotiation_id));
    }
    Ok(Some(started))
}

/// What the campaign notice tells: who was reached and skipped, the money, and when the last
/// opening goes out under the sending pace.
#[derive(Clone, Copy)]
struct Started<'a> {
    names: &'a [(String, i64)],
    skipped: &'a [(String, String)],
    money: &'a BudgetStanding,
    last_opening: Option<&'a str>,
}

/// The audit trail and the team hear of the campaign: who was not contacted and why (one
/// notice for all), and that it started, with its money.
async fn tell(
    tx: &mut WriteTx,
    campaign: &Campaign,
    source: &str,
    facts: &Started<'_>,
    now: jiff::Timestamp,
) -> Result<(), AgentError> {
    let Started {
        names: started,
        skipped,
        money,
        last_opening,
    } = *facts;
    let mut entries: Vec<NewAuditEntry> = skipped
        .iter()
        .map(|(name, reason)| {
            NewAuditEntry::new(now, EventType::CampaignInfluencerSkip)
                .campaign(campaign.campaign_id.clone())
                .influencer(name.clone())
                .meta("reason", reason.clone())
        })
        .collect();
    if !skipped.is_empty() {
        let notice = notices::influencers_skipped(campaign, skipped);
        let key = JobKey::CampaignSkipped {
            campaign_id: campaign.campaign_id.clone(),
        };
        queue(&mut *tx, &Task::Notify { notice }, &key, now).await?;
    }
    entries.push(
        NewAuditEntry::new(now, EventType::CampaignStart)
            .campaign(campaign.campaign_id.clone())
            .meta("source", source)
            .meta("client", campaign.client_name.clone())
            .meta("influencer_count", campaign.influencers.len())
            .meta("found_count", started.len())
            .meta("missing_count", skipped.len())
            .meta("mode", campaign.mode.as_str())
            .meta(
                "cpm",
                json!({"floor": campaign.cpm.floor.to_string(), "ceiling": campaign.cpm.ceiling.to_string()}),
            ),
    );
    insert_audits(&mut *tx, &entries).await?;
    let names: Vec<String> = started.iter().map(|(name, _)| name.clone()).collect();
    let missing: Vec<String> = skipped.iter().map(|(name, _)| name.clone()).collect();
    let mut notice = notices::campaign_started(campaign, &names, &missing, money);
    if let Some(last) = last_opening {
        notice = notice.field("Last opening goes out", last);
    }
    let key = JobKey::CampaignStarted {
        campaign_id: campaign.campaign_id.clone(),
    };
    queue(&mut *tx, &Task::Notify { notice }, &key, now).await?;
    Ok(())
}

/// When the last opening is planned to go out, in the team's zone, as the notice says it;
/// `None` when sending is unpaced.
async fn last_opening(
    agent: &Agent,
    tx: &mut WriteTx,
    found: &[(Influencer, Negotiation)],
) -> Result<Option<String>, AgentError> {
    let team = &agent.settings.pace.team_zone;
    let zones: Vec<jiff::tz::TimeZone> = found
        .iter()
        .map(|(influencer, _)| {
            influencer
                .time_zone
                .as_deref()
                .and_then(|name| jiff::tz::TimeZone::get(name).ok())
                .unwrap_or_else(|| team.clone())
        })
        .collect();
    Ok(pacing::last_opening(agent, tx, &zones)
        .await?
        .map(|at| pacing::describe_time(at, team)))
}

/// The campaign's money before anything is agreed, with every opening offer about to go out
/// counted as outstanding.
fn opening_standing(
    agent: &Agent,
    campaign: &Campaign,
    bounds: CpmBounds,
    found: &[(Influencer, Negotiation)],
) -> BudgetStanding {
    let policy = &agent.settings.policy;
    let open = u32::try_from(found.len()).unwrap_or(u32::MAX);
    let tracker = CampaignCpmTracker::new(bounds, open);
    let budget = Budget {
        total: campaign.budget,
        committed: Money::ZERO,
        max_deal: policy.max_deal,
    };
    let outstanding = found
        .iter()
        .filter_map(|(_, negotiation)| {
            let allowance = Allowance {
                flexibility: tracker.limit_for(negotiation.engagement_pct()),
                budget,
            };
            rates(negotiation, &allowance, policy).map(|r| r.opening)
        })
        .fold(Money::ZERO, |sum, opening| {
            sum.checked_add(opening).unwrap_or(sum)
        });
    BudgetStanding {
        budget: campaign.budget,
        committed: Money::ZERO,
        outstanding,
    }
}

/// Records a campaign that cannot start and tells the team which fields to fix.
pub async fn reject(
    agent: &Agent,
    source: &str,
    campaign_id: Option<&str>,
    problems: &CampaignProblems,
) -> Result<(), AgentError> {
    let now = agent.now();
    let mut entry = NewAuditEntry::new(now, EventType::CampaignRejected)
        .meta("source", source)
        .meta(
            "problems",
            serde_json::to_value(&problems.0).map_err(AgentError::corrupt)?,
        );
    if let Some(id) = campaign_id {
        entry = entry.campaign(id);
    }
    let notice = notices::campaign_rejected(source, campaign_id, problems);
    let key = JobKey::CampaignRejected {
        source: source.to_owned(),
        campaign_id: campaign_id.map(str::to_owned),
        at: now,
    };
    let mut tx = agent.store.begin_write().await?;
    audit_and_notify(&mut tx, entry, notice, &key).await?;
    tx.commit().await?;
    Ok(())
}

/// The negotiation for one roster row, or why this influencer cannot be contacted.
fn negotiation_for(
    campaign: &Campaign,
    influencer: &Influencer,
    bounds: CpmBounds,
    now: jiff::Timestamp,
) -> Result<Negotiation, String> {
    if influencer.platform != campaign.platform {
        return Err(format!(
            "the roster has them on {}, but the campaign is on {}",
            influencer.platform.display_name(),
            campaign.platform.display_name()
        ));
    }
    Negotiation::new(
        NewNegotiation {
            influencer_name: influencer.name.clone(),
            client_name: campaign.client_name.clone(),
            platform: campaign.platform,
            average_views: influencer.average_views,
            engagement_pct: influencer.engagement_pct,
            deliverables: campaign.deliverables.clone(),
            bounds,
        },
        now,
    )
    .map_err(|e| e.to_string())
}
