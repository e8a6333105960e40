//! Drafts waiting for review, each with approve and discard.

use std::fmt::Write;

use negotiator_agent::workflows::drafts::Draft;

use super::html::{esc, money, url_segment, when};
use super::page::csrf_field;
use crate::dashboard::session::Member;

/// One draft with its buttons.
pub fn draft(d: &Draft, member: &Member) -> String {
    let form = |verb: &str, label: &str| {
        format!(
            "<form class=\"inline\" method=\"post\" action=\"/drafts/{}/{verb}\">{}\
             <button data-action=\"{verb}\">{label}</button></form>",
            d.message_id,
            csrf_field(member)
        )
    };
    format!(
        "<article class=\"draft\" id=\"draft-{id}\" data-draft=\"{id}\"><h3>{kind} to \
         <a href=\"/negotiations/{n}\">{who}</a> <small>campaign <a href=\"/campaigns/{seg}\">{c}</a> \
         · written {at}</small></h3><p>our rate <b>{ours}</b> · their rate <b>{theirs}</b></p>\
         <p class=\"reason\">why: {reason}</p><p class=\"muted\">to {to} · {subject}</p>\
         <pre class=\"email\">{body}</pre>{approve}{discard}</article>",
        id = d.message_id,
        kind = esc(&d.kind.replace('_', " ")),
        n = d.negotiation_id,
        who = esc(&d.influencer),
        seg = url_segment(&d.campaign_id),
        c = esc(&d.campaign_id),
        at = when(d.created_at),
        ours = money(d.our_rate.map(|m| m.cents())),
        theirs = money(d.their_rate.map(|m| m.cents())),
        reason = esc(&d.reason),
        to = esc(&d.to),
        subject = esc(&d.subject),
        body = esc(&d.body),
        approve = form("approve", "Approve and send"),
        discard = form("discard", "Discard"),
    )
}

/// Every draft.
pub fn body(drafts: &[Draft], member: &Member) -> String {
    if drafts.is_empty() {
        return "<p class=\"notice\">No drafts wait for review.</p>".to_owned();
    }
    let mut out = String::new();
    for d in drafts {
        let _ = write!(out, "{}", draft(d, member));
    }
    out
}
