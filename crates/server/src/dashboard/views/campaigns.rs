//! The campaigns page: the numbers overall, then each campaign's money, pipeline and CPM.

use std::fmt::Write;

use super::html::{duration_ms, esc, money, url_segment};
use crate::dashboard::charts;
use crate::dashboard::data::CampaignView;
use crate::dashboard::numbers::{Numbers, numbers};

/// The numbers as a row of figures.
pub fn figures(n: &Numbers) -> String {
    let pct = |v: Option<i64>| v.map_or_else(|| "—".to_owned(), |v| format!("{v}%"));
    let target = match (n.cpm_floor_cents, n.cpm_ceiling_cents) {
        (Some(f), Some(c)) => format!("target {} – {}", money(Some(f)), money(Some(c))),
        _ => "targets differ by campaign".to_owned(),
    };
    format!(
        "<dl class=\"figures\">\
         <div><dt>Negotiations</dt><dd data-figure=\"negotiations\">{}</dd></div>\
         <div><dt>Deals closed</dt><dd data-figure=\"deals\">{}</dd></div>\
         <div><dt>Deal rate</dt><dd data-figure=\"deal-rate\">{}</dd></div>\
         <div><dt>Median rounds to close</dt><dd data-figure=\"median-rounds\">{}</dd></div>\
         <div><dt>Escalation rate</dt><dd data-figure=\"escalation-rate\">{}</dd></div>\
         <div><dt>Time to first reply</dt><dd data-figure=\"first-reply\">{}</dd></div>\
         <div><dt>CPM achieved</dt><dd data-figure=\"cpm\">{}<small>{}</small></dd></div>\
         </dl>",
        n.negotiations,
        n.deals,
        pct(n.deal_rate_pct),
        n.median_rounds_to_close_tenths
            .map_or_else(|| "—".to_owned(), tenths),
        pct(n.escalation_rate_pct),
        duration_ms(n.median_first_reply_ms),
        money(n.cpm_achieved_cents),
        esc(&target),
    )
}

/// The money line: budget, committed, outstanding, remaining.
pub fn money_line(view: &CampaignView) -> String {
    format!(
        "<p class=\"money\">budget <b data-money=\"budget\">{}</b> · committed \
         <b data-money=\"committed\">{}</b> · outstanding <b data-money=\"outstanding\">{}</b> · \
         remaining <b data-money=\"remaining\">{}</b></p>{}<p class=\"budget-legend\">\
         <span class=\"swatch\" style=\"background:#27ab83\"></span>committed \
         <span class=\"swatch\" style=\"background:#f0b429\"></span>outstanding (up to what \
         is left) <span class=\"swatch\" style=\"background:#e4e7eb\"></span>remaining</p>",
        money(Some(view.budget_cents)),
        money(Some(view.committed_cents)),
        money(Some(view.outstanding_cents)),
        money(Some(view.remaining_cents())),
        charts::budget(view)
    )
}

/// The whole page body.
pub fn body(views: &[CampaignView]) -> String {
    if views.is_empty() {
        return "<p class=\"notice\">No campaigns yet. Import one with <code>negotiator campaign \
                import FILE</code>, or run <code>negotiator demo</code>.</p>"
            .to_owned();
    }
    let mut out = format!("<h2>All campaigns</h2>{}", figures(&numbers(views)));
    for view in views {
        let _ = write!(
            out,
            "<section class=\"campaign\" data-campaign=\"{id}\">\
             <h2><a href=\"/campaigns/{seg}\">{id}</a> <small>{client} · {mode} mode</small></h2>\
             {money}\
             <div class=\"split\"><div>{pipeline}\
             <p>deals closed <b>{deals}</b> · escalations waiting <b data-waiting=\"escalations\">{esc_n}</b> \
             · <a href=\"/drafts\">drafts waiting</a> <b data-waiting=\"drafts\">{drafts}</b> · held by people <b>{held}</b></p>\
             </div><div><h3>CPM per deal and running average</h3>{chart}</div></div>\
             {figures}</section>",
            id = esc(&view.campaign_id),
            seg = url_segment(&view.campaign_id),
            client = esc(&view.client_name),
            mode = esc(&view.mode),
            money = money_line(view),
            pipeline = charts::pipeline(view),
            deals = view.deals.len(),
            esc_n = view.count("escalated"),
            drafts = view.drafts_waiting,
            held = view.held_by_people,
            chart = charts::cpm(view),
            figures = figures(&numbers([view])),
        );
    }
    out
}

/// Tenths as a person writes them: `20` is "2", `5` is "0.5".
fn tenths(value: i64) -> String {
    match value % 10 {
        0 => (value / 10).to_string(),
        rest => format!("{}.{}", value / 10, rest.abs()),
    }
}

#[cfg(test)]
mod tests {
    use super::tenths;

    #[test]
    fn a_median_between_two_rounds_shows_its_half() {
        assert_eq!(tenths(5), "0.5");
        assert_eq!(tenths(20), "2");
        assert_eq!(tenths(15), "1.5");
    }
}
