//! Charts drawn on the server as SVG: the pipeline of states, the budget, and each deal's CPM
//! against the target range with the running average.

use std::fmt::Write;

use negotiator_domain::{Money, NegotiationState};

use super::data::{CampaignView, Deal};
use super::views::html::esc;

/// Each state's colour, in pipeline order.
pub const STATE_COLOURS: [(NegotiationState, &str); 10] = [
    (NegotiationState::InitialOffer, "#9aa5b1"),
    (NegotiationState::AwaitingReply, "#5b8def"),
    (NegotiationState::CounterReceived, "#f0b429"),
    (NegotiationState::CounterSent, "#de911d"),
    (NegotiationState::Escalated, "#e12d39"),
    (NegotiationState::Paused, "#8e7cc3"),
    (NegotiationState::Stale, "#bcccdc"),
    (NegotiationState::Agreed, "#27ab83"),
    (NegotiationState::Rejected, "#616e7c"),
    (NegotiationState::Stopped, "#323f4b"),
];

/// A stacked bar of the negotiations by state, with a legend.
pub fn pipeline(view: &CampaignView) -> String {
    let total = view.negotiations.max(1);
    let mut bar = String::new();
    let mut legend = String::new();
    let mut x = 0i64;
    for (state, colour) in STATE_COLOURS {
        let n = view.count(state.as_str());
        if n == 0 {
            continue;
        }
        let w = n * 1000 / total;
        let label = format!("{}: {n}", state.as_str().replace('_', " "));
        let _ = write!(
            bar,
            "<rect x=\"{x}\" y=\"0\" width=\"{w}\" height=\"24\" fill=\"{colour}\"><title>{}</title></rect>",
            esc(&label)
        );
        let _ = write!(
            legend,
            "<li><span class=\"swatch\" style=\"background:{colour}\"></span>{}</li>",
            esc(&label)
        );
        x += w;
    }
    format!(
        "<svg class=\"pipeline\" viewBox=\"0 0 1000 24\" preserveAspectRatio=\"none\" role=\"img\" \
         aria-label=\"negotiations by state\">{bar}</svg><ul class=\"legend\">{legend}</ul>"
    )
}

/// Committed, outstanding and remaining against the budget.
pub fn budget(view: &CampaignView) -> String {
    let budget = view.budget_cents.max(1);
    let committed = view.committed_cents.clamp(0, budget) * 1000 / budget;
    let outstanding = view
        .outstanding_cents
        .clamp(0, budget - view.committed_cents.clamp(0, budget))
        * 1000
        / budget;
    format!(
        "<svg class=\"budget\" viewBox=\"0 0 1000 14\" preserveAspectRatio=\"none\" role=\"img\" \
         aria-label=\"budget\"><rect width=\"1000\" height=\"14\" fill=\"#e4e7eb\"/>\
         <rect width=\"{committed}\" height=\"14\" fill=\"#27ab83\"/>\
         <rect x=\"{committed}\" width=\"{outstanding}\" height=\"14\" fill=\"#f0b429\"/></svg>"
    )
}

const W: i64 = 480;
const H: i64 = 160;
const PAD: i64 = 36;

/// Each deal's CPM (dots) and the running average (line) over time, with the target range
/// shaded.
pub fn cpm(view: &CampaignView) -> String {
    let deals: &[Deal] = &view.deals;
    if deals.is_empty() {
        return "<p class=\"muted\">No deals yet, so no CPM to chart.</p>".to_owned();
    }
    let floor = view.cpm_floor_cents;
    let ceiling = view.cpm_ceiling_cents;
    // The axis spans the deals and the target with a margin, so the range is not squashed.
    let values = || {
        deals
            .iter()
            .map(|d| d.cpm_cents)
            .chain(floor)
            .chain(ceiling)
    };
    let (low, high) = (values().min().unwrap_or(0), values().max().unwrap_or(1));
    let margin = ((high - low) / 5).max(100);
    let (bottom, top) = ((low - margin).max(0), high + margin);
    let (first, last) = (
        deals.first().map_or(0, |d| d.at_ms),
        deals.last().map_or(0, |d| d.at_ms),
    );
    let span = (last - first).max(1);
    let x = |at: i64| {
        if deals.len() == 1 {
            PAD + (W - 2 * PAD) / 2
        } else {
            PAD + (at - first) * (W - 2 * PAD) / span
        }
    };
    let y =
        |cents: i64| H - PAD / 2 - (cents.clamp(bottom, top) - bottom) * (H - PAD) / (top - bottom);
    let mut svg = format!(
        "<svg class=\"cpm\" viewBox=\"0 0 {W} {H}\" role=\"img\" aria-label=\"CPM of each deal \
         and the running average\">"
    );
    if let (Some(floor), Some(ceiling)) = (floor, ceiling) {
        let _ = write!(
            svg,
            "<rect x=\"{PAD}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"#d9f2e6\"><title>target {} to {}</title></rect>",
            y(ceiling),
            W - 2 * PAD,
            (y(floor) - y(ceiling)).max(1),
            Money::from_cents(floor),
            Money::from_cents(ceiling)
        );
        for (cents, label) in [(floor, "floor"), (ceiling, "ceiling")] {
            let _ = write!(
                svg,
                "<text x=\"2\" y=\"{}\" class=\"axis\">{} {label}</text>",
                y(cents) + 4,
                Money::from_cents(cents)
            );
        }
    }
    let mut sum = 0i64;
    let mut path = String::new();
    for (i, deal) in deals.iter().enumerate() {
        sum += deal.cpm_cents;
        let average = sum / (i as i64 + 1);
        let _ = write!(
            path,
            "{}{},{} ",
            if i == 0 { "M" } else { "L" },
            x(deal.at_ms),
            y(average)
        );
        let _ = write!(
            svg,
            "<circle cx=\"{}\" cy=\"{}\" r=\"3\" fill=\"#5b8def\"><title>deal at {} CPM</title></circle>",
            x(deal.at_ms),
            y(deal.cpm_cents),
            Money::from_cents(deal.cpm_cents)
        );
    }
    let _ = write!(
        svg,
        "<path d=\"{}\" fill=\"none\" stroke=\"#1f2933\" stroke-width=\"2\"/>\
         <text x=\"{}\" y=\"{}\" class=\"axis\">average {}</text></svg>",
        path.trim_end(),
        W - PAD - 100,
        H - 2,
        Money::from_cents(sum / deals.len() as i64)
    );
    svg
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_cpm_chart_draws_each_deal_and_the_target() {
        let view = CampaignView {
            cpm_floor_cents: Some(2000),
            cpm_ceiling_cents: Some(3000),
            deals: vec![
                Deal {
                    at_ms: 0,
                    cpm_cents: 2200,
                    rounds: 1,
                },
                Deal {
                    at_ms: 10,
                    cpm_cents: 2800,
                    rounds: 2,
                },
            ],
            ..CampaignView::default()
        };
        let svg = cpm(&view);
        assert_eq!(svg.matches("<circle").count(), 2);
        assert!(svg.contains("average $25.00"), "{svg}");
        assert!(svg.contains("$20.00 floor"));
    }
}
