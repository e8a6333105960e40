//! A campaign as the team defines it, validated: nothing starts with a missing or bad field.

use std::fmt;

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::money::{Cpm, Money};
use crate::platform::{Deliverable, DeliverableType, Platform};

/// Whether the agent sends on its own or every email waits for a person.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SendingMode {
    Auto,
    /// The default for a new team: every outbound email waits as a draft for approval.
    #[default]
    Review,
}

impl SendingMode {
    pub fn as_str(self) -> &'static str {
        match self {
            SendingMode::Auto => "auto",
            SendingMode::Review => "review",
        }
    }
}

/// The campaign's price range per thousand views.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct CpmRange {
    pub floor: Cpm,
    pub ceiling: Cpm,
}

/// A validated campaign.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Campaign {
    pub campaign_id: String,
    pub client_name: String,
    pub budget: Money,
    pub platform: Platform,
    pub deliverables: Vec<Deliverable>,
    pub cpm: CpmRange,
    /// Influencer names as the team wrote them; looked up in the roster.
    pub influencers: Vec<String>,
    pub timeline: Option<String>,
    pub mode: SendingMode,
}

/// The campaign's fields as they arrive (from a file or a form), before validation.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct CampaignDraft {
    pub campaign_id: Option<String>,
    pub client_name: Option<String>,
    pub budget: Option<String>,
    pub platform: Option<String>,
    /// Each like `instagram_reel`, `2 instagram stories` or `1 x YouTube short`.
    pub deliverables: Vec<String>,
    pub cpm_target: Option<String>,
    pub cpm_leniency_pct: Option<String>,
    pub cpm_min: Option<String>,
    pub cpm_max: Option<String>,
    pub influencers: Vec<String>,
    pub timeline: Option<String>,
    pub mode: Option<String>,
}

/// One thing wrong with one field.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct FieldProblem {
    pub field: &'static str,
    pub problem: String,
}

/// Every problem found, so the team can fix them all at once.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, thiserror::Error)]
pub struct CampaignProblems(pub Vec<FieldProblem>);

impl fmt::Display for CampaignProblems {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "the campaign cannot start: ")?;
        let lines: Vec<String> = self
            .0
            .iter()
            .map(|p| format!("{}: {}", p.field, p.problem))
            .collect();
        write!(f, "{}", lines.join("; "))
    }
}

impl CampaignDraft {
    /// Validates every field and reports all problems together.
    pub fn validate(&self) -> Result<Campaign, CampaignProblems> {
        let mut problems = Vec::new();
        let mut problem = |field: &'static str, text: String| {
            problems.push(FieldProblem {
                field,
                problem: text,
            });
        };
        let client_name = required_text(&self.client_name);
        if client_name.is_none() {
            problem("client_name", "missing; name the client".to_owned());
        }
        let campaign_id = required_text(&self.campaign_id)
            .or_else(|| client_name.as_deref().map(slug))
            .unwrap_or_default();
        let budget = match required_text(&self.budget) {
            None => {
                problem(
                    "budget",
                    "missing; give the campaign budget, like $25,000".to_owned(),
                );
                None
            }
            Some(text) => match text.parse::<Money>() {
                Ok(amount) if amount.is_positive() => Some(amount),
                Ok(_) => {
                    problem("budget", format!("{text:?} must be more than $0"));
                    None
                }
                Err(error) => {
                    problem("budget", error.to_string());
                    None
                }
            },
        };
        let platform = match required_text(&self.platform) {
            None => {
                problem(
                    "platform",
                    "missing; use instagram, tiktok or youtube".to_owned(),
                );
                None
            }
            Some(text) => text
                .parse::<Platform>()
                .map_err(|e| problem("platform", e.to_string()))
                .ok(),
        };
        let mut deliverables = Vec::new();
        if self.deliverables.iter().all(|d| d.trim().is_empty()) {
            problem(
                "deliverables",
                "missing; list what each influencer delivers, like \"1 instagram reel\"".to_owned(),
            );
        }
        for text in self.deliverables.iter().filter(|d| !d.trim().is_empty()) {
            match (parse_deliverable(text), platform) {
                (Err(error), _) => problem("deliverables", error),
                (Ok((kind, quantity)), Some(platform)) => {
                    match Deliverable::new(platform, kind, quantity) {
                        Ok(deliverable) => deliverables.push(deliverable),
                        Err(error) => problem("deliverables", error.to_string()),
                    }
                }
                (Ok(_), None) => {}
            }
        }
        let cpm = self.cpm_range(&mut problem);
        let influencers: Vec<String> = self
            .influencers
            .iter()
            .flat_map(|entry| entry.split([',', '\n', ';']))
            .map(|name| name.split_whitespace().collect::<Vec<_>>().join(" "))
            .filter(|name| !name.is_empty())
            .collect();
        if influencers.is_empty() {
            problem(
                "influencers",
                "missing; list the influencers to contact".to_owned(),
            );
        }
        let mode = match required_text(&self.mode)
            .as_deref()
            .map(str::to_ascii_lowercase)
        {
            None => SendingMode::default(),
            Some(text) if text == "auto" => SendingMode::Auto,
            Some(text) if text == "review" => SendingMode::Review,
            Some(text) => {
                problem(
                    "mode",
                    format!("{text:?} is not a sending mode; use auto or review"),
                );
                SendingMode::default()
            }
        };
        match (budget, platform, cpm, problems.is_empty()) {
            (Some(budget), Some(platform), Some(cpm), true) => Ok(Campaign {
                campaign_id,
                client_name: client_name.unwrap_or_default(),
                budget,
                platform,
                deliverables,
                cpm,
                influencers,
                timeline: required_text(&self.timeline),
                mode,
            }),
            _ => Err(CampaignProblems(problems)),
        }
    }

    /// A CPM target (with optional leniency) or an explicit min/max range; one is required.
    fn cpm_range(&self, problem: &mut impl FnMut(&'static str, String)) -> Option<CpmRange> {
        let cpm = |field: &'static str,
                   value: &Option<String>,
                   problem: &mut dyn FnMut(&'static str, String)| {
            let text = required_text(value)?;
            match text.parse::<Cpm>() {
                Ok(cpm) if cpm.per_thousand().is_positive() => Some(cpm),
                Ok(_) => {
                    problem(field, format!("{text:?} must be more than $0"));
                    None
                }
                Err(error) => {
                    problem(field, error.to_string());
                    None
                }
            }
        };
        if let Some(target_text) = required_text(&self.cpm_target) {
            let target = cpm("cpm_target", &self.cpm_target, problem)?;
            let leniency = match required_text(&self.cpm_leniency_pct) {
                None => Decimal::ZERO,
                Some(text) => match text.trim_end_matches('%').trim().parse::<Decimal>() {
                    Ok(pct) if !pct.is_sign_negative() && pct <= Decimal::ONE_HUNDRED => pct,
                    _ => {
                        problem(
                            "cpm_leniency_pct",
                            format!("{text:?} must be a percentage from 0 to 100"),
                        );
                        return None;
                    }
                },
            };
            let ceiling = target.per_thousand().to_decimal() * (Decimal::ONE_HUNDRED + leniency)
                / Decimal::ONE_HUNDRED;
            let Some(ceiling) = Money::from_decimal(ceiling) else {
                problem("cpm_target", format!("{target_text:?} is too large"));
                return None;
            };
            return Some(CpmRange {
                floor: target,
                ceiling: Cpm::new(ceiling),
            });
        }
        match (
            cpm("cpm_min", &self.cpm_min, problem),
            cpm("cpm_max", &self.cpm_max, problem),
        ) {
            (Some(floor), Some(ceiling)) if floor <= ceiling => Some(CpmRange { floor, ceiling }),
            (Some(floor), Some(ceiling)) => {
                problem("cpm_max", format!("{ceiling} is below cpm_min {floor}"));
                None
            }
            _ => {
                if required_text(&self.cpm_min).is_none() && required_text(&self.cpm_max).is_none()
                {
                    problem(
                        "cpm_target",
                        "missing; give cpm_target (and cpm_leniency_pct), or cpm_min and cpm_max"
                            .to_owned(),
                    );
                }
                None
            }
        }
    }
}

fn required_text(value: &Option<String>) -> Option<String> {
    value
        .as_deref()
        .map(str::trim)
        .filter(|v| !v.is_empty())
        .map(str::to_owned)
}

/// A campaign id from a client name: `Glow Skincare` → `glow-skincare`.
fn slug(text: &str) -> String {
    let lowered: String = text
        .chars()
        .map(|c| {
            if c.is_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                ' '
            }
        })
        .collect();
    lowered.split_whitespace().collect::<Vec<_>>().join("-")
}

/// `instagram_reel`, `2 instagram stories`, `1 x YouTube short`, `tiktok video x3`.
fn parse_deliverable(text: &str) -> Result<(DeliverableType, u32), String> {
    let words: Vec<&str> = text.split_whitespace().collect();
    let (quantity, rest): (u32, Vec<&str>) = match words.as_slice() {
        [first, rest @ ..] if first.parse::<u32>().is_ok() => (
            first.parse().unwrap_or(1),
            rest.iter().copied().filter(|w| *w != "x").collect(),
        ),
        [rest @ .., last]
            if last.trim_start_matches('x').parse::<u32>().is_ok() && last.starts_with('x') =>
        {
            (
                last.trim_start_matches('x').parse().unwrap_or(1),
                rest.to_vec(),
            )
        }
        _ => (1, words.clone()),
    };
    if quantity == 0 {
        return Err(format!("{text:?}: a quantity must be at least 1"));
    }
    let name = rest.join(" ");
    let singular = name
        .strip_suffix("ies")
        .map(|stem| format!("{stem}y"))
        .or_else(|| name.strip_suffix('s').map(str::to_owned));
    name.parse::<DeliverableType>()
        .or_else(|error| singular.as_deref().map(str::parse).unwrap_or(Err(error)))
        .map(|kind| (kind, quantity))
        .map_err(|error| format!("{text:?}: {error}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn draft() -> CampaignDraft {
        CampaignDraft {
            client_name: Some("Glow Skincare".into()),
            budget: Some("$25,000".into()),
            platform: Some("Instagram".into()),
            deliverables: vec!["1 instagram reel".into(), "2 Instagram stories".into()],
            cpm_target: Some("$25".into()),
            cpm_leniency_pct: Some("20%".into()),
            influencers: vec!["Jane Doe, Raj Patel\nMia  Chen".into()],
            ..CampaignDraft::default()
        }
    }

    #[test]
    fn a_complete_draft_becomes_a_campaign() {
        let campaign = draft().validate().unwrap();
        assert_eq!(campaign.campaign_id, "glow-skincare");
        assert_eq!(campaign.budget, Money::from_dollars(25_000));
        assert_eq!(
            campaign.cpm,
            CpmRange {
                floor: Cpm::from_dollars(25),
                ceiling: Cpm::from_dollars(30)
            }
        );
        assert_eq!(campaign.influencers, ["Jane Doe", "Raj Patel", "Mia Chen"]);
        assert_eq!(campaign.deliverables[1].quantity, 2);
        assert_eq!(
            campaign.deliverables[1].kind,
            DeliverableType::InstagramStory
        );
        assert_eq!(campaign.mode, SendingMode::Review);
    }

    #[test]
    fn a_missing_cpm_target_is_named_and_nothing_opens_at_zero() {
        let mut d = draft();
        d.cpm_target = None;
        let problems = d.validate().unwrap_err();
        assert_eq!(problems.0.len(), 1);
        assert_eq!(problems.0[0].field, "cpm_target");
        assert!(
            problems.to_string().contains("cpm_min and cpm_max"),
            "{problems}"
        );
    }

    #[test]
    fn every_problem_is_reported_at_once() {
        let d = CampaignDraft {
            budget: Some("$0".into()),
            platform: Some("myspace".into()),
            cpm_min: Some("30".into()),
            cpm_max: Some("20".into()),
            mode: Some("yolo".into()),
            ..CampaignDraft::default()
        };
        let fields: Vec<&str> = d
            .validate()
            .unwrap_err()
            .0
            .iter()
            .map(|p| p.field)
            .collect();
        for field in [
            "client_name",
            "budget",
            "platform",
            "deliverables",
            "cpm_max",
            "influencers",
            "mode",
        ] {
            assert!(fields.contains(&field), "{field} missing from {fields:?}");
        }
    }

    #[test]
    fn deliverables_must_belong_to_the_campaign_platform() {
        let mut d = draft();
        d.deliverables = vec!["tiktok video".into()];
        let problems = d.validate().unwrap_err().to_string();
        assert!(
            problems.contains("instagram_post, instagram_story, instagram_reel"),
            "{problems}"
        );
    }

    #[test]
    fn deliverable_forms() {
        assert_eq!(
            parse_deliverable("instagram_reel"),
            Ok((DeliverableType::InstagramReel, 1))
        );
        assert_eq!(
            parse_deliverable("3 x TikTok videos"),
            Ok((DeliverableType::TiktokVideo, 3))
        );
        assert_eq!(
            parse_deliverable("youtube short x2"),
            Ok((DeliverableType::YoutubeShort, 2))
        );
        assert!(parse_deliverable("0 instagram reels").is_err());
        assert!(parse_deliverable("a billboard").is_err());
    }
}
