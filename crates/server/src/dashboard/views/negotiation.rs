//! One negotiation: where it stands, the controls a person has on it, and its timeline from
//! the audit trail (every email with the reply's own text, each reading with its confidence
//! and evidence, each decision with its reason, escalations, takeovers, agreements).

use std::fmt::Write;

use negotiator_store::{AuditEntry, Direction, NegotiationRow};
use serde_json::Value;

use super::html::{esc, money, state, url_segment, when};
use super::page::csrf_field;
use crate::dashboard::data::NegotiationLine;
use crate::dashboard::session::Member;

/// Metadata shown in their own place, not in the list of other details.
const SHOWN: [&str; 9] = [
    "by",
    "reason",
    "confidence",
    "summary",
    "evidence",
    "subject",
    "from",
    "to",
    "message_id",
];

fn text(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

fn entry(e: &AuditEntry) -> String {
    let meta = |key: &str| e.metadata.get(key).map(text);
    let mut out = format!(
        "<li class=\"event {kind}\" data-event=\"{kind}\"><div class=\"when\">{at}</div>\
         <div class=\"what\"><b>{label}</b>",
        kind = esc(e.event_type.as_str()),
        at = when(e.occurred_at),
        label = state(e.event_type.as_str()),
    );
    if let Some(s) = &e.negotiation_state {
        let _ = write!(out, " <span class=\"badge\">{}</span>", state(s));
    }
    if let Some(by) = meta("by") {
        let _ = write!(out, " <span class=\"by\">by {}</span>", esc(&by));
    }
    for key in ["subject", "from", "to"] {
        if let Some(v) = meta(key) {
            let _ = write!(out, "<div class=\"muted\">{key}: {}</div>", esc(&v));
        }
    }
    if let Some(intent) = &e.intent {
        let _ = write!(
            out,
            "<div>read as <b>{}</b>{}</div>",
            state(intent),
            meta("confidence")
                .map(|c| format!(" with {}% confidence", esc(&c)))
                .unwrap_or_default()
        );
    }
    for key in ["summary", "evidence"] {
        if let Some(v) = meta(key) {
            let _ = write!(out, "<div class=\"evidence\">evidence: {}</div>", esc(&v));
        }
    }
    if let Some(rates) = &e.rates_used {
        let _ = write!(out, "<div>rates: {}</div>", esc(rates));
    }
    if let Some(reason) = meta("reason") {
        let _ = write!(out, "<div class=\"reason\">why: {}</div>", esc(&reason));
    }
    if let Some(body) = &e.email_body {
        if e.direction == Some(Direction::Received) {
            let reply = negotiator_reading::mail::extract_reply(body);
            let _ = write!(
                out,
                "<blockquote class=\"reply\">{}</blockquote>\
                 <details><summary>whole email</summary><pre>{}</pre></details>",
                esc(&reply),
                esc(body)
            );
        } else {
            let _ = write!(out, "<pre class=\"email\">{}</pre>", esc(body));
        }
    }
    let others: Vec<String> = e
        .metadata
        .iter()
        .filter(|(k, _)| !SHOWN.contains(&k.as_str()))
        .map(|(k, v)| format!("{}: {}", esc(k), esc(&text(v))))
        .collect();
    if !others.is_empty() {
        let _ = write!(out, "<div class=\"muted\">{}</div>", others.join(" · "));
    }
    out.push_str("</div></li>");
    out
}

/// The timeline, oldest first.
pub fn timeline(entries: &[AuditEntry]) -> String {
    if entries.is_empty() {
        return "<p class=\"muted\">Nothing recorded yet.</p>".to_owned();
    }
    let mut out = String::from("<ol class=\"timeline\">");
    for e in entries {
        out.push_str(&entry(e));
    }
    out.push_str("</ol>");
    out
}

fn button(id: i64, version: i64, member: &Member, action: &str, label: &str) -> String {
    format!(
        "<form class=\"inline\" method=\"post\" action=\"/negotiations/{id}/act\">{}\
         <input type=\"hidden\" name=\"version\" value=\"{version}\">\
         <input type=\"hidden\" name=\"action\" value=\"{action}\">\
         <button data-action=\"{action}\">{label}</button></form>",
        csrf_field(member)
    )
}

fn rate_form(id: i64, version: i64, member: &Member, action: &str, label: &str) -> String {
    format!(
        "<form class=\"inline\" method=\"post\" action=\"/negotiations/{id}/act\">{}\
         <input type=\"hidden\" name=\"version\" value=\"{version}\">\
         <input type=\"hidden\" name=\"action\" value=\"{action}\">\
         <input name=\"rate\" placeholder=\"rate, e.g. 1500\" required size=\"10\">\
         <button data-action=\"{action}\">{label}</button></form>",
        csrf_field(member)
    )
}

/// The controls that apply to where the negotiation stands.
pub fn controls(row: &NegotiationRow, their_ask: Option<i64>, member: &Member) -> String {
    let (id, v) = (row.negotiation_id, row.version);
    let terminal = matches!(row.state.as_str(), "agreed" | "rejected" | "stopped");
    if terminal {
        return "<p class=\"muted\">This negotiation has ended; there is nothing to do on it.</p>"
            .to_owned();
    }
    let mut out = String::from("<div class=\"controls\">");
    if row.state == "escalated" {
        if let Some(ask) = their_ask {
            out.push_str(&button(
                id,
                v,
                member,
                "approve",
                &format!("Approve their ask ({})", money(Some(ask))),
            ));
        }
        out.push_str(&rate_form(id, v, member, "counter", "Counter at"));
        out.push_str(&button(
            id,
            v,
            member,
            "hand_back",
            "Hand back to the agent",
        ));
        out.push_str(&button(id, v, member, "reject", "Decline"));
    }
    if row.human_controlled {
        out.push_str(&button(id, v, member, "release", "Hand back to the agent"));
    } else {
        out.push_str(&button(id, v, member, "claim", "Claim (I'll answer)"));
    }
    if row.state == "paused" {
        out.push_str(&button(id, v, member, "resume", "Resume"));
    } else {
        out.push_str(&button(id, v, member, "pause", "Pause"));
    }
    out.push_str(&button(id, v, member, "stop", "Stop"));
    out.push_str("</div>");
    out
}

/// The page body.
pub fn body(
    row: &NegotiationRow,
    line: Option<&NegotiationLine>,
    drafts: &str,
    entries: &[AuditEntry],
    member: &Member,
) -> String {
    let their_ask = line.and_then(|l| l.their_last_ask_cents);
    format!(
        "<p>campaign <a href=\"/campaigns/{seg}\">{campaign}</a> · {platform} · \
         <span id=\"state\" data-state=\"{raw}\">{st}</span> · round {round} · held by \
         <span id=\"holder\">{holder}</span></p>\
         <p>our last offer <b>{offer}</b> · their last ask <b>{ask}</b> · agreed <b>{agreed}</b> \
         · agreed CPM <b>{cpm}</b></p>{controls}{drafts}<h2>Timeline</h2>{timeline}",
        seg = url_segment(&row.campaign_id),
        campaign = esc(&row.campaign_id),
        platform = esc(line.map_or("", |l| l.platform.as_str())),
        raw = esc(&row.state),
        st = state(&row.state),
        round = row.round,
        holder = esc(line.map_or("agent", |l| l.holder.as_str())),
        offer = money(line.and_then(|l| l.our_last_offer_cents)),
        ask = money(their_ask),
        agreed = money(row.agreed_cents),
        cpm = money(row.agreed_cpm_cents),
        controls = controls(row, their_ask, member),
        timeline = timeline(entries),
    )
}

/// The confirmation an approval far above the limit or past the budget waits for.
pub fn confirm(row: &NegotiationRow, rate: &str, summary: &str, member: &Member) -> String {
    format!(
        "<p class=\"notice\">{}</p><form method=\"post\" action=\"/negotiations/{id}/act\">{}\
         <input type=\"hidden\" name=\"version\" value=\"{v}\">\
         <input type=\"hidden\" name=\"action\" value=\"approve\">\
         <input type=\"hidden\" name=\"rate\" value=\"{rate}\">\
         <input type=\"hidden\" name=\"confirmed\" value=\"yes\">\
         <button>Yes, approve</button> <a href=\"/negotiations/{id}\">Cancel</a></form>",
        esc(summary),
        csrf_field(member),
        id = row.negotiation_id,
        v = row.version,
        rate = esc(rate),
    )
}
