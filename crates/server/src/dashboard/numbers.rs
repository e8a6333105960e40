//! The numbers that tell how negotiating goes: deal rate, median rounds to close, escalation
//! rate, time to first reply, CPM achieved against the target; per campaign and overall.

use serde::Serialize;

use super::data::CampaignView;

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Numbers {
    pub negotiations: i64,
    pub deals: i64,
    /// Negotiations that ended: agreed, rejected or stopped.
    pub ended: i64,
    /// Deals among the negotiations that ended, in percent.
    pub deal_rate_pct: Option<i64>,
    /// In tenths of a round, so two deals closed in 0 and 1 rounds show 0.5, not 0.
    pub median_rounds_to_close_tenths: Option<i64>,
    pub escalated: i64,
    /// Negotiations ever escalated, in percent of all.
    pub escalation_rate_pct: Option<i64>,
    pub median_first_reply_ms: Option<i64>,
    /// The deals' average CPM in cents.
    pub cpm_achieved_cents: Option<i64>,
    pub cpm_floor_cents: Option<i64>,
    pub cpm_ceiling_cents: Option<i64>,
}

fn pct(part: i64, whole: i64) -> Option<i64> {
    (whole > 0).then(|| (part * 100 + whole / 2) / whole)
}

fn median(mut values: Vec<i64>) -> Option<i64> {
    values.sort_unstable();
    let n = values.len();
    match n {
        0 => None,
        _ if n % 2 == 1 => values.get(n / 2).copied(),
        _ => Some((values.get(n / 2 - 1)? + values.get(n / 2)?) / 2),
    }
}

/// The numbers of these campaigns taken together (one campaign, or all of them).
pub fn numbers<'a>(views: impl IntoIterator<Item = &'a CampaignView>) -> Numbers {
    let mut out = Numbers::default();
    let (mut rounds, mut replies, mut cpm_sum) = (Vec::new(), Vec::new(), 0i64);
    let mut bounds: Option<(Option<i64>, Option<i64>)> = None;
    for view in views {
        out.negotiations += view.negotiations;
        out.deals += view.deals.len() as i64;
        out.ended += view.count("agreed") + view.count("rejected") + view.count("stopped");
        out.escalated += view.ever_escalated;
        rounds.extend(view.deals.iter().map(|d| d.rounds));
        cpm_sum += view.deals.iter().map(|d| d.cpm_cents).sum::<i64>();
        replies.extend_from_slice(&view.first_reply_ms);
        let these = (view.cpm_floor_cents, view.cpm_ceiling_cents);
        // Overall, a target is shown only when every campaign shares it.
        bounds = match bounds {
            None => Some(these),
            Some(b) if b == these => Some(b),
            Some(_) => Some((None, None)),
        };
    }
    out.deal_rate_pct = pct(out.deals, out.ended);
    out.escalation_rate_pct = pct(out.escalated, out.negotiations);
    out.median_rounds_to_close_tenths = median(rounds.into_iter().map(|r| r * 10).collect());
    out.median_first_reply_ms = median(replies);
    out.cpm_achieved_cents = (out.deals > 0).then(|| (cpm_sum + out.deals / 2) / out.deals);
    (out.cpm_floor_cents, out.cpm_ceiling_cents) = bounds.unwrap_or((None, None));
    out
}

#[cfg(test)]
mod tests {
    use super::super::data::Deal;
    use super::*;

    #[test]
    fn numbers_of_one_campaign() {
        let mut view = CampaignView {
            negotiations: 4,
            ever_escalated: 1,
            first_reply_ms: vec![3_600_000, 7_200_000, 10_800_000],
            cpm_floor_cents: Some(2000),
            cpm_ceiling_cents: Some(3000),
            ..CampaignView::default()
        };
        view.states.insert("agreed".into(), 2);
        view.states.insert("rejected".into(), 1);
        view.states.insert("negotiating".into(), 1);
        view.deals = vec![
            Deal {
                at_ms: 1,
                cpm_cents: 2000,
                rounds: 1,
            },
            Deal {
                at_ms: 2,
                cpm_cents: 2501,
                rounds: 3,
            },
        ];
        let n = numbers([&view]);
        assert_eq!(n.deal_rate_pct, Some(67));
        assert_eq!(n.escalation_rate_pct, Some(25));
        assert_eq!(n.median_rounds_to_close_tenths, Some(20));
        assert_eq!(n.median_first_reply_ms, Some(7_200_000));
        assert_eq!(n.cpm_achieved_cents, Some(2251));
        assert_eq!(n.cpm_floor_cents, Some(2000));
    }

    #[test]
    fn nothing_ended_means_no_rates() {
        let n = numbers([&CampaignView::default()]);
        assert_eq!(n.deal_rate_pct, None);
        assert_eq!(n.median_rounds_to_close_tenths, None);
    }
}
