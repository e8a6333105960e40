//! The pages: campaigns (`/`), one campaign (and its CSV), one negotiation, the drafts.

use axum::extract::{Path, Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use negotiator_agent::workflows::drafts;
use negotiator_store::AuditFilter;
use serde::Deserialize;

use super::{failed, negotiation_or_problem, problem};
use crate::dashboard::data;
use crate::dashboard::session::Member;
use crate::dashboard::views::campaign::{self, TableQuery};
use crate::dashboard::views::{campaigns, negotiation, page};
use crate::state::AppState;

/// Most timeline entries one negotiation page shows.
const TIMELINE_LIMIT: u32 = 2000;

pub async fn home(State(state): State<AppState>, member: Member) -> Response {
    let facts = &state.dashboard.facts;
    match data::campaigns(&state.agent.store, None, Some(facts)).await {
        Ok(views) => page::page("Campaigns", &member, &campaigns::body(&views)).into_response(),
        Err(e) => failed(&member, &e),
    }
}

async fn campaign_data(
    state: &AppState,
    id: &str,
) -> Result<Option<(data::CampaignView, Vec<data::NegotiationLine>)>, negotiator_store::StoreError>
{
    let store = &state.agent.store;
    let Some(view) = data::campaigns(store, Some(id), None)
        .await?
        .into_iter()
        .next()
    else {
        return Ok(None);
    };
    let lines = data::negotiation_lines(store, id).await?;
    Ok(Some((view, lines)))
}

fn no_campaign(member: &Member, id: &str) -> Response {
    problem(
        StatusCode::NOT_FOUND,
        member,
        &format!("There is no campaign {id:?}."),
        "/",
    )
}

pub async fn campaign(
    State(state): State<AppState>,
    member: Member,
    Path(id): Path<String>,
    Query(query): Query<TableQuery>,
) -> Response {
    match campaign_data(&state, &id).await {
        Ok(Some((view, lines))) => {
            let rows = campaign::select(&lines, &query);
            let body = campaign::body(&view, &rows, &query, &member);
            page::page(&format!("Campaign {id}"), &member, &body).into_response()
        }
        Ok(None) => no_campaign(&member, &id),
        Err(e) => failed(&member, &e),
    }
}

pub async fn campaign_csv(
    State(state): State<AppState>,
    member: Member,
    Path(id): Path<String>,
    Query(query): Query<TableQuery>,
) -> Response {
    match campaign_data(&state, &id).await {
        Ok(Some((_, lines))) => {
            let rows = campaign::select(&lines, &query);
            let name: String = id
                .chars()
                .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
                .collect();
            (
                [
                    (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_owned()),
                    (
                        header::CONTENT_DISPOSITION,
                        format!("attachment; filename=\"{name}-negotiations.csv\""),
                    ),
                ],
                campaign::csv_rows(&id, &rows),
            )
                .into_response()
        }
        Ok(None) => no_campaign(&member, &id),
        Err(e) => failed(&member, &e),
    }
}

/// What the last change did, from a fixed list (never text from the query string).
#[derive(Debug, Default, Deserialize)]
pub struct Done {
    done: Option<String>,
}

fn done_text(done: &Done) -> Option<&'static str> {
    Some(match done.done.as_deref()? {
        "approve" => "Approved.",
        "counter" => "Countered.",
        "reject" => "Declined; the decline waits as a draft.",
        "hand_back" | "release" => "Handed back to the agent.",
        "claim" => "You hold this thread now; the agent stops on it.",
        "pause" => "Paused.",
        "resume" => "Resumed.",
        "stop" => "Stopped.",
        "draft_approved" => "The draft was approved and goes out.",
        "draft_discarded" => "The draft was discarded.",
        _ => return None,
    })
}

pub async fn negotiation(
    State(state): State<AppState>,
    member: Member,
    Path(id): Path<i64>,
    Query(done): Query<Done>,
) -> Response {
    let agent = &state.agent;
    let row = match negotiation_or_problem(&state, &member, id).await {
        Ok(row) => row,
        Err(page) => return page,
    };
    let lines = match data::negotiation_lines(&agent.store, &row.campaign_id).await {
        Ok(lines) => lines,
        Err(e) => return failed(&member, &e),
    };
    let line = lines.iter().find(|l| l.negotiation_id == id);
    let filter = AuditFilter {
        campaign: Some(row.campaign_id.clone()),
        influencer: Some(row.influencer_name.clone()),
        limit: TIMELINE_LIMIT,
        ..AuditFilter::default()
    };
    let mut entries = match agent.store.audit_entries(&filter).await {
        Ok(entries) => entries,
        Err(e) => return failed(&member, &e),
    };
    entries.reverse();
    let waiting: String = match drafts::list(agent).await {
        Ok(all) => all
            .iter()
            .filter(|d| d.negotiation_id == id)
            .map(|d| crate::dashboard::views::drafts::draft(d, &member))
            .collect(),
        Err(e) => return failed(&member, &e),
    };
    let mut body = done_text(&done).map(page::notice).unwrap_or_default();
    body.push_str(&negotiation::body(&row, line, &waiting, &entries, &member));
    page::page(&row.influencer_name, &member, &body).into_response()
}

pub async fn drafts_page(
    State(state): State<AppState>,
    member: Member,
    Query(done): Query<Done>,
) -> Response {
    match drafts::list(&state.agent).await {
        Ok(list) => {
            let mut body = done_text(&done).map(page::notice).unwrap_or_default();
            body.push_str(&crate::dashboard::views::drafts::body(&list, &member));
            page::page("Drafts waiting for review", &member, &body).into_response()
        }
        Err(e) => failed(&member, &e),
    }
}
