//! A campaign as the team defines it, validated: nothing starts with a missing or bad field.

use std::fmt;

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::money::{Cpm, Money, group_digits};
use crate::platform::{Deliverable, DeliverableType, Platform};

/// The largest budget a campaign may have: anything above is a typo, not a campaign.
pub const MAX_BUDGET: Money = Money::from_dollars(100_000_000);

/// The longest instructions a campaign may give its writer, in characters.
pub const MAX_INSTRUCTIONS_CHARS: usize = 2_000;

string_enum! {
    /// Whether the agent sends on its own or every email waits for a person.
    #[derive(Default)]
    pub enum SendingMode ("sending mode") {
        Auto => "auto",
        /// The default for a new team: every outbound email waits as a draft for approval.
        #[default]
        Review => "review",
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
    /// The team's guidance for the writer ("mention the spring launch"): it shapes the
    /// wording of an LLM's emails, never an amount, a deliverable or a commitment.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub instructions: Option<String>,
    /// The campaign's own roster sheet; `None` uses the configured roster.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub roster: Option<RosterSheet>,
}

/// A Google Sheet (and tab; the first when `None`) a campaign reads its influencers from.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct RosterSheet {
    pub sheet_id: String,
    pub tab: Option<String>,
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
    /// Free text for the writer, at most [`MAX_INSTRUCTIONS_CHARS`].
    pub instructions: Option<String>,
    /// The id of a Google Sheet holding this campaign's roster (the long part of its URL).
    pub roster_sheet_id: Option<String>,
    /// The tab of that sheet (the first tab when missing).
    pub roster_tab: Option<String>,
}

/// How large a campaign may be; the agent's configuration sets these.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CampaignLimits {
    /// Influencers one campaign may list; a longer list is refused, not cut.
    pub max_influencers: usize,
}

impl CampaignLimits {
    pub const DEFAULT_MAX_INFLUENCERS: usize = 500;
}

impl Default for CampaignLimits {
    fn default() -> Self {
        CampaignLimits {
            max_influencers: CampaignLimits::DEFAULT_MAX_INFLUENCERS,
        }
    }
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
    /// The fields a campaign file or form may give, by name.
    pub const FIELDS: [&'static str; 15] = [
        "campaign_id",
        "client_name",
        "budget",
        "platform",
        "deliverables",
        "cpm_target",
        "cpm_leniency_pct",
        "cpm_min",
        "cpm_max",
        "influencers",
        "timeline",
        "mode",
        "instructions",
        "roster_sheet_id",
        "roster_tab",
    ];

    /// [`CampaignDraft::FIELDS`] as a person reads them: `campaign_id, client_name, ...`.
    pub fn field_names() -> String {
        CampaignDraft::FIELDS.join(", ")
    }

    /// Validates every field within the default limits and reports all problems together.
    pub fn validate(&self) -> Result<Campaign, CampaignProblems> {
        self.validate_with(&CampaignLimits::default())
    }

    /// Validates every field within `limits` and reports all problems together.
    pub fn validate_with(&self, limits: &CampaignLimits) -> Result<Campaign, CampaignProblems> {
        let mut problems = Problems::default();
        let client_name = required_text(&self.client_name);
        if client_name.is_none() {
            problems.add("client_name", "missing; name the client");
        }
        let campaign_id = required_text(&self.campaign_id)
            .or_else(|| client_name.as_deref().map(slug))
            .unwrap_or_default();
        let budget = self.budget(&mut problems);
        let platform = self.platform(&mut problems);
        let deliverables = self.deliverables(platform, &mut problems);
        let cpm = self.cpm_range(&mut |field, text| problems.add(field, text));
        let influencers = self.influencers(limits, &mut problems);
        let mode = self.mode(&mut problems);
        let instructions = self.instructions(&mut problems);
        let roster = self.roster(&mut problems);
        match (budget, platform, cpm, problems.0.is_empty()) {
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
                instructions,
                roster,
            }),
            _ => Err(CampaignProblems(problems.0)),
        }
    }

    /// The campaign's own roster sheet, if it names one: an id of the characters Google uses
    /// (a whole sheet URL is accepted and its id taken), and a tab only with a sheet.
    fn roster(&self, problems: &mut Problems) -> Option<RosterSheet> {
        let tab = required_text(&self.roster_tab);
        let Some(given) = required_text(&self.roster_sheet_id) else {
            if tab.is_some() {
                problems.add(
                    "roster_tab",
                    "names a tab but roster_sheet_id is missing; give the sheet's id too, or \
                     leave both out to use the configured roster",
                );
            }
            return None;
        };
        let id = given
            .split("/spreadsheets/d/")
            .nth(1)
            .map_or(given.as_str(), |rest| {
                rest.split('/').next().unwrap_or(rest)
            });
        let valid = id.len() >= 10
            && id
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
        if !valid {
            problems.add(
                "roster_sheet_id",
                "is not a Google Sheet id; copy the long part of the sheet's URL between /d/ and \
                 /edit",
            );
            return None;
        }
        Some(RosterSheet {
            sheet_id: id.to_owned(),
            tab,
        })
    }

    /// A positive budget no larger than [`MAX_BUDGET`].
    fn budget(&self, problems: &mut Problems) -> Option<Money> {
        let Some(text) = required_text(&self.budget) else {
            problems.add("budget", "missing; give the campaign budget, like $25,000");
            return None;
        };
        match text.parse::<Money>() {
            Ok(amount) if amount > MAX_BUDGET => problems.add(
                "budget",
                format!(
                    "{text:?} is more than {MAX_BUDGET}, past any campaign this agent runs; \
                     check the digits"
                ),
            ),
            Ok(amount) if amount.is_positive() => return Some(amount),
            Ok(_) => problems.add("budget", format!("{text:?} must be more than $0")),
            Err(error) => problems.add("budget", error.to_string()),
        }
        None
    }

    fn platform(&self, problems: &mut Problems) -> Option<Platform> {
        let Some(text) = required_text(&self.platform) else {
            problems.add("platform", "missing; use instagram, tiktok or youtube");
            return None;
        };
        text.parse::<Platform>()
            .map_err(|e| problems.add("platform", e.to_string()))
            .ok()
    }

    /// Each deliverable read and checked against the platform (when it is known).
    fn deliverables(
        &self,
        platform: Option<Platform>,
        problems: &mut Problems,
    ) -> Vec<Deliverable> {
        if self.deliverables.iter().all(|d| d.trim().is_empty()) {
            problems.add(
                "deliverables",
                "missing; list what each influencer delivers, like \"1 instagram reel\"",
            );
        }
        let mut deliverables = Vec::new();
        for text in self.deliverables.iter().filter(|d| !d.trim().is_empty()) {
            match (parse_deliverable(text, platform), platform) {
                (Err(error), _) => problems.add("deliverables", error),
                (Ok((kind, quantity)), Some(platform)) => {
                    match Deliverable::new(platform, kind, quantity) {
                        Ok(deliverable) => deliverables.push(deliverable),
                        Err(error) => problems.add("deliverables", error.to_string()),
                    }
                }
                (Ok(_), None) => {}
            }
        }
        deliverables
    }

    /// The names, split on commas, semicolons and lines; at least one, at most the limit.
    fn influencers(&self, limits: &CampaignLimits, problems: &mut Problems) -> Vec<String> {
        let influencers: Vec<String> = self
            .influencers
            .iter()
            .flat_map(|entry| entry.split([',', '\n', ';']))
            .map(|name| name.split_whitespace().collect::<Vec<_>>().join(" "))
            .filter(|name| !name.is_empty())
            .collect();
        let count = |n: usize| group_digits(u64::try_from(n).unwrap_or(u64::MAX));
        if influencers.is_empty() {
            problems.add("influencers", "missing; list the influencers to contact");
        } else if influencers.len() > limits.max_influencers {
            problems.add(
                "influencers",
                format!(
                    "lists {} influencers, more than the {} one campaign may have; split them \
                     into campaigns of {} or fewer",
                    count(influencers.len()),
                    count(limits.max_influencers),
                    count(limits.max_influencers),
                ),
            );
        }
        influencers
    }

    /// Trimmed; refused when longer than [`MAX_INSTRUCTIONS_CHARS`].
    fn instructions(&self, problems: &mut Problems) -> Option<String> {
        let text = required_text(&self.instructions)?;
        let length = text.chars().count();
        if length > MAX_INSTRUCTIONS_CHARS {
            problems.add(
                "instructions",
                format!(
                    "is {} characters, more than the {} the writer is given; keep to what \
                     matters most",
                    group_digits(u64::try_from(length).unwrap_or(u64::MAX)),
                    group_digits(u64::try_from(MAX_INSTRUCTIONS_CHARS).unwrap_or(u64::MAX)),
                ),
            );
            return None;
        }
        Some(text)
    }

    fn mode(&self, problems: &mut Problems) -> SendingMode {
        match required_text(&self.mode)
            .as_deref()
            .map(str::to_ascii_lowercase)
        {
            None => SendingMode::default(),
            Some(text) if text == "auto" => SendingMode::Auto,
            Some(text) if text == "review" => SendingMode::Review,
            Some(text) => {
                problems.add(
                    "mode",
                    format!("{text:?} is not a sending mode; use auto or review"),
                );
                SendingMode::default()
            }
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

/// The problems found so far, field by field.
#[derive(Default)]
struct Problems(Vec<FieldProblem>);

impl Problems {
    fn add(&mut self, field: &'static str, problem: impl Into<String>) {
        self.0.push(FieldProblem {
            field,
            problem: problem.into(),
        });
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

/// A deliverable as a person writes it: the forms of [`parse_named`], and on a known
/// platform also its own words (`1 reel`, `2 stories`, `a YouTube integration`, `two
/// dedicated videos`, `3 tiktoks`), read as the validation gate reads them in an email.
pub fn parse_deliverable(
    text: &str,
    platform: Option<Platform>,
) -> Result<(DeliverableType, u32), String> {
    parse_named(text).or_else(|error| {
        platform
            .and_then(|platform| parse_natural(text, platform))
            .ok_or(error)
    })
}

/// Words that may stand around a deliverable's name: a count, or "x".
fn is_count_word(word: &str) -> bool {
    const WORDS: [&str; 14] = [
        "a", "an", "x", "×", "one", "two", "three", "four", "five", "six", "seven", "eight",
        "nine", "ten",
    ];
    let digits = word
        .trim_start_matches(['x', '×'])
        .trim_end_matches(['x', '×']);
    WORDS.contains(&word) || (!digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()))
}

/// One deliverable named in `text` in the platform's words, with nothing else but its count.
fn parse_natural(text: &str, platform: Platform) -> Option<(DeliverableType, u32)> {
    let lowered = text.trim().to_lowercase();
    let mut words: Vec<String> = lowered.split_whitespace().map(str::to_owned).collect();
    // "3 tiktoks" is three TikTok videos; "integrated video" a YouTube integration.
    if platform == Platform::Tiktok
        && let Some(last) = words.last_mut()
        && matches!(last.as_str(), "tiktok" | "tiktoks")
    {
        let plural = last.ends_with('s');
        *last = if plural {
            "tiktok videos"
        } else {
            "tiktok video"
        }
        .to_owned();
    }
    let normalised = words
        .join(" ")
        .replace("integrated videos", "integrations")
        .replace("integrated video", "integration");
    let mentions = crate::gate::find_deliverables(&normalised, platform);
    let [mention] = mentions.as_slice() else {
        return None;
    };
    let outside = format!(
        "{} {}",
        &normalised[..mention.span.start],
        &normalised[mention.span.end..]
    );
    let rest: Vec<&str> = outside
        .split(|c: char| c.is_whitespace() || matches!(c, '(' | ')' | ','))
        .filter(|w| !w.is_empty())
        .collect();
    if !rest.iter().all(|w| is_count_word(w)) {
        return None;
    }
    let counted = rest.iter().any(|w| !matches!(*w, "a" | "an" | "x" | "×"));
    match mention.quantity {
        Some(quantity) => Some((mention.kind, quantity)),
        None if !counted => Some((mention.kind, 1)),
        None => None,
    }
}

/// `instagram_reel`, `2 instagram stories`, `1 x YouTube short`, `tiktok video x3`.
fn parse_named(text: &str) -> Result<(DeliverableType, u32), String> {
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
    fn a_budget_no_person_would_write_is_refused_by_name() {
        for (text, says) in [
            ("$0", "must be more than $0"),
            ("-5", "must be more than $0"),
            ("1e30", "is not an amount of money"),
            ("twenty thousand", "is not an amount of money"),
            ("$250,000,000", "past any campaign"),
            ("99999999999999999999999", "too large"),
        ] {
            let mut d = draft();
            d.budget = Some(text.to_owned());
            let problems = d.validate().unwrap_err();
            assert_eq!(problems.0.len(), 1, "{text}: {problems}");
            assert_eq!(problems.0[0].field, "budget", "{text}");
            assert!(problems.0[0].problem.contains(says), "{text}: {problems}");
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
    fn a_list_longer_than_the_limit_is_refused_with_its_length() {
        let mut d = draft();
        d.influencers = vec![
            (0..10_001)
                .map(|i| format!("Influencer {i}"))
                .collect::<Vec<_>>()
                .join(", "),
        ];
        let problems = d.validate().unwrap_err();
        assert_eq!(problems.0.len(), 1);
        assert_eq!(problems.0[0].field, "influencers");
        assert!(
            problems.0[0].problem.contains("10,001") && problems.0[0].problem.contains("500"),
            "{problems}"
        );
        let limits = CampaignLimits { max_influencers: 3 };
        assert!(draft().validate_with(&limits).is_ok());
        let limits = CampaignLimits { max_influencers: 2 };
        let problems = draft().validate_with(&limits).unwrap_err().to_string();
        assert!(problems.contains("lists 3 influencers"), "{problems}");
    }

    #[test]
    fn instructions_are_kept_and_bounded() {
        let mut d = draft();
        d.instructions = Some("  Mention the spring launch.  ".into());
        let campaign = d.validate().unwrap();
        assert_eq!(
            campaign.instructions.as_deref(),
            Some("Mention the spring launch.")
        );
        d.instructions = Some("x".repeat(MAX_INSTRUCTIONS_CHARS + 1));
        let problems = d.validate().unwrap_err();
        assert_eq!(problems.0[0].field, "instructions");
        assert!(problems.0[0].problem.contains("2,001"), "{problems}");
        let stored: Campaign =
            serde_json::from_str(&serde_json::to_string(&draft().validate().unwrap()).unwrap())
                .unwrap();
        assert_eq!(stored.instructions, None);
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
        let parse = |text| parse_deliverable(text, None);
        assert_eq!(
            parse("instagram_reel"),
            Ok((DeliverableType::InstagramReel, 1))
        );
        assert_eq!(
            parse("3 x TikTok videos"),
            Ok((DeliverableType::TiktokVideo, 3))
        );
        assert_eq!(
            parse("youtube short x2"),
            Ok((DeliverableType::YoutubeShort, 2))
        );
        assert!(parse("0 instagram reels").is_err());
        assert!(parse("a billboard").is_err());
    }

    #[test]
    fn deliverables_read_as_a_person_writes_them() {
        use DeliverableType::*;
        let on = |platform, text| parse_deliverable(text, Some(platform));
        for (platform, text, kind, quantity) in [
            (Platform::Instagram, "1 reel", InstagramReel, 1),
            (Platform::Instagram, "Instagram Reel", InstagramReel, 1),
            (Platform::Instagram, "2 stories", InstagramStory, 2),
            (Platform::Instagram, "two IG stories", InstagramStory, 2),
            (Platform::Instagram, "a post", InstagramPost, 1),
            (Platform::Instagram, "3 posts", InstagramPost, 3),
            (Platform::Tiktok, "2 stories", TiktokStory, 2),
            (Platform::Tiktok, "3 tiktoks", TiktokVideo, 3),
            (Platform::Tiktok, "1 video", TiktokVideo, 1),
            (
                Platform::Youtube,
                "YouTube integration",
                YoutubeIntegration,
                1,
            ),
            (
                Platform::Youtube,
                "1 integrated video",
                YoutubeIntegration,
                1,
            ),
            (Platform::Youtube, "2 dedicated videos", YoutubeDedicated, 2),
            (
                Platform::Youtube,
                "1 dedicated YouTube video",
                YoutubeDedicated,
                1,
            ),
            (Platform::Youtube, "3 shorts", YoutubeShort, 3),
            (Platform::Youtube, "shorts x4", YoutubeShort, 4),
        ] {
            assert_eq!(
                on(platform, text),
                Ok((kind, quantity)),
                "{platform}: {text}"
            );
        }
        for (platform, text) in [
            (Platform::Instagram, "1 reel and a billboard"),
            (Platform::Instagram, "2 reels, 3 stories"),
            (Platform::Youtube, "2 stories"),
            (Platform::Instagram, "a nice reel"),
        ] {
            assert!(on(platform, text).is_err(), "{platform}: {text}");
        }
    }

    #[test]
    fn a_campaign_reads_natural_deliverables_and_names_a_wrong_one() {
        let mut d = draft();
        d.deliverables = vec!["1 reel".into(), "2 stories".into()];
        let campaign = d.validate().unwrap();
        assert_eq!(
            campaign.deliverables[0].kind,
            DeliverableType::InstagramReel
        );
        assert_eq!(campaign.deliverables[1].quantity, 2);
        d.platform = Some("tiktok".into());
        let problems = d.validate().unwrap_err().to_string();
        assert!(
            problems.contains("instagram_reel is not a tiktok deliverable"),
            "{problems}"
        );
    }
}
