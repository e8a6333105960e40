//! The changes a person makes from the dashboard, through the same workflows as Slack and the
//! CLI, audited with the signed-in name. Every form carries the CSRF token; a negotiation's
//! form also carries the version it was drawn from, and a page that is out of date is refused.

use axum::Form;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use negotiator_agent::AgentError;
use negotiator_agent::workflows::{budget, drafts, human};
use negotiator_domain::{HumanAction, Money};
use serde::Deserialize;

use super::{failed, negotiation_or_problem, problem};
use crate::dashboard::session::Member;
use crate::dashboard::views::html::url_segment;
use crate::dashboard::views::{negotiation, page};
use crate::state::AppState;

#[derive(Debug, Deserialize)]
pub struct ActForm {
    #[serde(default)]
    csrf: String,
    action: String,
    version: i64,
    #[serde(default)]
    rate: Option<String>,
    #[serde(default)]
    confirmed: Option<String>,
}

fn parse_rate(text: Option<&str>) -> Result<Money, String> {
    let text = text.map(str::trim).unwrap_or_default();
    if text.is_empty() {
        return Err("Give a rate, e.g. 1500 or $1,500.00.".to_owned());
    }
    let rate: Money = text.parse().map_err(|e| format!("{e}"))?;
    if !rate.is_positive() {
        return Err("A rate must be more than $0.00.".to_owned());
    }
    Ok(rate)
}

pub async fn act(
    State(state): State<AppState>,
    member: Member,
    headers: HeaderMap,
    Path(id): Path<i64>,
    Form(form): Form<ActForm>,
) -> Response {
    if let Err(refused) = member.check_change(&headers, &form.csrf) {
        return refused.into_response();
    }
    let agent = &state.agent;
    let back = format!("/negotiations/{id}");
    let row = match negotiation_or_problem(&state, &member, id).await {
        Ok(row) => row,
        Err(page) => return page,
    };
    if row.version != form.version {
        return problem(
            StatusCode::CONFLICT,
            &member,
            &format!(
                "This page was out of date: the negotiation with {} has changed since it was \
                 shown (it is now {}). Nothing was done; look at it again and decide.",
                row.influencer_name,
                row.state.replace('_', " ")
            ),
            &back,
        );
    }
    let action = match form.action.as_str() {
        "approve" => match form
            .rate
            .as_deref()
            .filter(|r| !r.trim().is_empty())
            .map(|r| parse_rate(Some(r)))
            .transpose()
        {
            Ok(Some(rate)) => HumanAction::Approve { rate },
            Ok(None) => {
                let ask = negotiator_agent::workflows::restore(&row)
                    .ok()
                    .and_then(|n| n.their_last_ask());
                match ask {
                    Some(rate) => HumanAction::Approve { rate },
                    None => {
                        return problem(
                            StatusCode::BAD_REQUEST,
                            &member,
                            &format!(
                                "{} has not named a rate, so there is nothing to approve; use \
                                 Counter.",
                                row.influencer_name
                            ),
                            &back,
                        );
                    }
                }
            }
            Err(e) => return problem(StatusCode::BAD_REQUEST, &member, &e, &back),
        },
        "counter" => match parse_rate(form.rate.as_deref()) {
            Ok(rate) => HumanAction::CounterAt { rate },
            Err(e) => return problem(StatusCode::BAD_REQUEST, &member, &e, &back),
        },
        "reject" => HumanAction::Reject,
        "hand_back" => HumanAction::HandBack,
        "claim" => HumanAction::TakeOver,
        "release" => HumanAction::Release,
        "pause" => HumanAction::Pause,
        "resume" => HumanAction::Resume,
        "stop" => HumanAction::Stop,
        _ => {
            return problem(
                StatusCode::BAD_REQUEST,
                &member,
                "That is not an action the dashboard knows.",
                &back,
            );
        }
    };
    let confirmed = form.confirmed.as_deref() == Some("yes");
    match human::act_confirmed(agent, id, action, &member.name, confirmed).await {
        Ok(_) => {
            Redirect::to(&format!("{back}?done={}", url_segment(&form.action))).into_response()
        }
        Err(AgentError::NeedsConfirmation(check)) => {
            let rate = match action {
                HumanAction::Approve { rate } => rate.plain(),
                _ => String::new(),
            };
            let body = negotiation::confirm(&row, &rate, &check.summary(), &member);
            page::page("Confirm the approval", &member, &body).into_response()
        }
        Err(AgentError::Refused(refused)) => problem(
            StatusCode::CONFLICT,
            &member,
            &format!(
                "Could not {} {}: {}",
                form.action.replace('_', " "),
                row.influencer_name,
                refused.explain()
            ),
            &back,
        ),
        Err(e @ AgentError::Invalid(_)) => {
            problem(StatusCode::BAD_REQUEST, &member, &e.to_string(), &back)
        }
        Err(e) => failed(&member, &e),
    }
}

#[derive(Debug, Deserialize)]
pub struct CsrfOnly {
    #[serde(default)]
    csrf: String,
}

pub async fn draft(
    State(state): State<AppState>,
    member: Member,
    headers: HeaderMap,
    Path((id, verb)): Path<(i64, String)>,
    Form(form): Form<CsrfOnly>,
) -> Response {
    if let Err(refused) = member.check_change(&headers, &form.csrf) {
        return refused.into_response();
    }
    let agent = &state.agent;
    let result = match verb.as_str() {
        "approve" => drafts::approve(agent, id, &member.name).await,
        "discard" => drafts::discard(agent, id, &member.name).await,
        _ => {
            return problem(
                StatusCode::NOT_FOUND,
                &member,
                "A draft can be approved or discarded.",
                "/drafts",
            );
        }
    };
    let done = if verb == "approve" {
        "draft_approved"
    } else {
        "draft_discarded"
    };
    match result {
        Ok(d) => {
            Redirect::to(&format!("/negotiations/{}?done={done}", d.negotiation_id)).into_response()
        }
        Err(e @ (AgentError::Invalid(_) | AgentError::NotFound { .. } | AgentError::Gate(_))) => {
            problem(StatusCode::CONFLICT, &member, &e.to_string(), "/drafts")
        }
        Err(AgentError::Refused(refused)) => {
            problem(StatusCode::CONFLICT, &member, &refused.explain(), "/drafts")
        }
        Err(e) => failed(&member, &e),
    }
}

#[derive(Debug, Deserialize)]
pub struct BudgetForm {
    #[serde(default)]
    csrf: String,
    amount: String,
}

pub async fn raise_budget(
    State(state): State<AppState>,
    member: Member,
    headers: HeaderMap,
    Path(campaign): Path<String>,
    Form(form): Form<BudgetForm>,
) -> Response {
    if let Err(refused) = member.check_change(&headers, &form.csrf) {
        return refused.into_response();
    }
    let back = format!("/campaigns/{}", url_segment(&campaign));
    let amount = match parse_rate(Some(&form.amount)) {
        Ok(amount) => amount,
        Err(e) => return problem(StatusCode::BAD_REQUEST, &member, &e, &back),
    };
    match budget::set(&state.agent, &campaign, amount, &member.name).await {
        Ok(_) => Redirect::to(&back).into_response(),
        Err(e @ (AgentError::Invalid(_) | AgentError::NotFound { .. } | AgentError::Store(_))) => {
            problem(StatusCode::CONFLICT, &member, &e.to_string(), &back)
        }
        Err(e) => failed(&member, &e),
    }
}
