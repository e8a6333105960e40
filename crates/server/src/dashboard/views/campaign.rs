//! One campaign's page: its money and numbers, every negotiation in a table that sorts and
//! filters (by query string, so it works without script), a CSV of the same rows, and the
//! budget control.

use std::cmp::Ordering;
use std::fmt::Write;

use serde::Deserialize;

use super::campaigns::{figures, money_line};
use super::html::{esc, money, state, url_segment, when};
use super::page::csrf_field;
use crate::dashboard::charts;
use crate::dashboard::data::{CampaignView, NegotiationLine};
use crate::dashboard::numbers::numbers;
use crate::dashboard::session::Member;

/// The table's sort and filter, from the query string.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default)]
pub struct TableQuery {
    /// Only this state.
    pub state: Option<String>,
    /// Influencer names containing this (case-insensitive).
    pub q: Option<String>,
    /// Column to sort by.
    pub sort: Option<String>,
    /// "desc" for descending.
    pub dir: Option<String>,
}

/// The columns: query key, heading.
const COLUMNS: [(&str, &str); 11] = [
    ("influencer", "Influencer"),
    ("platform", "Platform"),
    ("state", "State"),
    ("rounds", "Rounds"),
    ("offer", "Our last offer"),
    ("ask", "Their last ask"),
    ("agreed", "Agreed rate"),
    ("cpm", "Agreed CPM"),
    ("holder", "Held by"),
    ("activity", "Last activity"),
    ("draft", "Draft waiting"),
];

fn compare(a: &NegotiationLine, b: &NegotiationLine, key: &str) -> Ordering {
    match key {
        "platform" => a.platform.cmp(&b.platform),
        "state" => a.state.cmp(&b.state),
        "rounds" => a.rounds.cmp(&b.rounds),
        "offer" => a.our_last_offer_cents.cmp(&b.our_last_offer_cents),
        "ask" => a.their_last_ask_cents.cmp(&b.their_last_ask_cents),
        "agreed" => a.agreed_cents.cmp(&b.agreed_cents),
        "cpm" => a.agreed_cpm_cents.cmp(&b.agreed_cpm_cents),
        "holder" => a.holder.cmp(&b.holder),
        "activity" => a.last_activity.cmp(&b.last_activity),
        "draft" => a.draft_waiting.cmp(&b.draft_waiting),
        _ => a
            .influencer
            .to_lowercase()
            .cmp(&b.influencer.to_lowercase()),
    }
}

/// The rows the query selects, in its order.
pub fn select<'a>(lines: &'a [NegotiationLine], query: &TableQuery) -> Vec<&'a NegotiationLine> {
    let needle = query
        .q
        .as_deref()
        .map(str::to_lowercase)
        .unwrap_or_default();
    let state = query.state.as_deref().filter(|s| !s.is_empty());
    let mut rows: Vec<&NegotiationLine> = lines
        .iter()
        .filter(|l| state.is_none_or(|s| l.state == s))
        .filter(|l| needle.is_empty() || l.influencer.to_lowercase().contains(&needle))
        .collect();
    let key = query.sort.as_deref().unwrap_or("influencer");
    rows.sort_by(|a, b| compare(a, b, key).then(a.negotiation_id.cmp(&b.negotiation_id)));
    if query.dir.as_deref() == Some("desc") {
        rows.reverse();
    }
    rows
}

fn query_string(query: &TableQuery, sort: &str, dir: &str) -> String {
    let mut out = format!("?sort={}&dir={dir}", url_segment(sort));
    if let Some(s) = query.state.as_deref().filter(|s| !s.is_empty()) {
        let _ = write!(out, "&state={}", url_segment(s));
    }
    if let Some(q) = query.q.as_deref().filter(|q| !q.is_empty()) {
        let _ = write!(out, "&q={}", url_segment(q));
    }
    out
}

fn filters(view: &CampaignView, query: &TableQuery) -> String {
    let mut options = String::from("<option value=\"\">every state</option>");
    for (s, _) in charts::STATE_COLOURS {
        let name = s.as_str();
        let selected = if query.state.as_deref() == Some(name) {
            " selected"
        } else {
            ""
        };
        let _ = write!(
            options,
            "<option value=\"{name}\"{selected}>{} ({})</option>",
            state(name),
            view.count(name)
        );
    }
    format!(
        "<form class=\"filters\" method=\"get\"><label>State <select name=\"state\" \
         data-autosubmit>{options}</select></label> <label>Influencer <input name=\"q\" \
         value=\"{}\" placeholder=\"name contains\"></label>\
         <input type=\"hidden\" name=\"sort\" value=\"{}\"><input type=\"hidden\" name=\"dir\" \
         value=\"{}\"> <button>Filter</button></form>",
        esc(query.q.as_deref().unwrap_or_default()),
        esc(query.sort.as_deref().unwrap_or("influencer")),
        esc(query.dir.as_deref().unwrap_or("asc")),
    )
}

/// The table.
pub fn table(rows: &[&NegotiationLine], query: &TableQuery) -> String {
    let current = query.sort.as_deref().unwrap_or("influencer");
    let descending = query.dir.as_deref() == Some("desc");
    let mut out = String::from("<div class=\"scroll\"><table class=\"negotiations\"><thead><tr>");
    for (key, heading) in COLUMNS {
        let (dir, mark) = match (key == current, descending) {
            (true, false) => ("desc", " ▲"),
            (true, true) => ("asc", " ▼"),
            _ => ("asc", ""),
        };
        let _ = write!(
            out,
            "<th><a href=\"{}\">{heading}{mark}</a></th>",
            esc(&query_string(query, key, dir))
        );
    }
    out.push_str("</tr></thead><tbody>");
    for l in rows {
        let _ = write!(
            out,
            "<tr data-negotiation=\"{id}\" data-state=\"{st}\"><td><a href=\"/negotiations/{id}\">{name}</a></td>\
             <td>{platform}</td><td>{state}</td><td>{rounds}</td><td>{offer}</td><td>{ask}</td>\
             <td>{agreed}</td><td>{cpm}</td><td>{holder}</td><td>{activity}</td><td>{draft}</td></tr>",
            id = l.negotiation_id,
            st = esc(&l.state),
            name = esc(&l.influencer),
            platform = esc(&l.platform),
            state = state(&l.state),
            rounds = l.rounds,
            offer = money(l.our_last_offer_cents),
            ask = money(l.their_last_ask_cents),
            agreed = money(l.agreed_cents),
            cpm = money(l.agreed_cpm_cents),
            holder = esc(&l.holder),
            activity = l.last_activity.map(when).unwrap_or_default(),
            draft = l
                .draft_waiting
                .map(|d| format!("<a href=\"/drafts#draft-{d}\">draft {d}</a>"))
                .unwrap_or_default(),
        );
    }
    out.push_str("</tbody></table></div>");
    if rows.is_empty() {
        out.push_str("<p class=\"muted\">No negotiation matches.</p>");
    }
    out
}

/// The page body.
pub fn body(
    view: &CampaignView,
    rows: &[&NegotiationLine],
    query: &TableQuery,
    member: &Member,
) -> String {
    let seg = url_segment(&view.campaign_id);
    format!(
        "<p><small>{client} · {mode} mode</small></p>{money}{pipeline}{figures}\
         <h3>CPM per deal and running average</h3>{chart}\
         <form class=\"budget\" method=\"post\" action=\"/campaigns/{seg}/budget\">{csrf}\
         <label>Raise the budget to <input name=\"amount\" placeholder=\"e.g. 12000\" required></label> \
         <button>Set budget</button></form>\
         <h2>Negotiations</h2>{filters}\
         <p><a class=\"button\" href=\"/campaigns/{seg}/negotiations.csv{qs}\">Download CSV</a> \
         <span class=\"muted\">{shown} of {total}</span></p>{table}",
        client = esc(&view.client_name),
        mode = esc(&view.mode),
        money = money_line(view),
        pipeline = charts::pipeline(view),
        figures = figures(&numbers([view])),
        chart = charts::cpm(view),
        csrf = csrf_field(member),
        filters = filters(view, query),
        qs = esc(&query_string(
            query,
            query.sort.as_deref().unwrap_or("influencer"),
            query.dir.as_deref().unwrap_or("asc")
        )),
        shown = rows.len(),
        total = view.negotiations,
        table = table(rows, query),
    )
}

/// A CSV field, quoted when it must be, and never read as a formula by a spreadsheet.
fn csv(text: &str) -> String {
    let text = if text.starts_with(['=', '+', '-', '@']) {
        format!("'{text}")
    } else {
        text.to_owned()
    };
    if text.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text
    }
}

fn plain(cents: Option<i64>) -> String {
    cents
        .map(|c| negotiator_domain::Money::from_cents(c).plain())
        .unwrap_or_default()
}

/// The rows as CSV.
pub fn csv_rows(campaign_id: &str, rows: &[&NegotiationLine]) -> String {
    let mut out = String::from(
        "id,campaign,influencer,platform,state,rounds,our_last_offer,their_last_ask,agreed_rate,\
         agreed_cpm,held_by,last_activity,draft_waiting\n",
    );
    for l in rows {
        let _ = writeln!(
            out,
            "{},{},{},{},{},{},{},{},{},{},{},{},{}",
            l.negotiation_id,
            csv(campaign_id),
            csv(&l.influencer),
            csv(&l.platform),
            csv(&l.state),
            l.rounds,
            plain(l.our_last_offer_cents),
            plain(l.their_last_ask_cents),
            plain(l.agreed_cents),
            plain(l.agreed_cpm_cents),
            csv(&l.holder),
            l.last_activity.map(|t| t.to_string()).unwrap_or_default(),
            l.draft_waiting.map(|d| d.to_string()).unwrap_or_default(),
        );
    }
    out
}
