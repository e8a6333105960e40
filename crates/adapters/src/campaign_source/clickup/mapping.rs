//! A ClickUp task's custom fields mapped to a campaign draft through the configured field
//! mapping (ClickUp field name or id → campaign field), reading each value by its field type.

use std::collections::{BTreeMap, HashSet};
use std::fmt;

use negotiator_domain::{CampaignDraft, CampaignProblems, FieldProblem, Money};
use negotiator_vendors::clickup::{ClickUpTask, CustomField};

use super::convert::{Converted, convert};
use super::target::{Reading, Target};

/// One reason a task could not be mapped.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum MappingProblem {
    /// The mapping names a campaign field that does not exist (a configuration error).
    UnknownTarget {
        clickup_field: String,
        target: String,
    },
    /// Several of the task's fields carry the mapped name.
    AmbiguousName {
        clickup_field: String,
        ids: Vec<String>,
    },
    /// A value that cannot fill its campaign field.
    Value {
        clickup_field: String,
        target: Target,
        problem: String,
    },
    /// Fields mapped to the same campaign field disagree.
    Conflict {
        target: Target,
        /// (ClickUp field name, its value)
        values: Vec<(String, String)>,
    },
}

impl MappingProblem {
    /// The campaign field concerned; `field_mapping` for a configuration error.
    pub fn campaign_field(&self) -> &'static str {
        match self {
            MappingProblem::UnknownTarget { .. } | MappingProblem::AmbiguousName { .. } => {
                "field_mapping"
            }
            MappingProblem::Value { target, .. } | MappingProblem::Conflict { target, .. } => {
                target.as_str()
            }
        }
    }

    /// The problem without the campaign field's name in front.
    pub fn detail(&self) -> String {
        match self {
            MappingProblem::UnknownTarget {
                clickup_field,
                target,
            } => format!(
                "ClickUp field {clickup_field:?} is mapped to {target:?}, which is not a campaign \
                 field; use one of: {}",
                negotiator_domain::CampaignDraft::field_names()
            ),
            MappingProblem::AmbiguousName { clickup_field, ids } => format!(
                "the task has {} fields named {clickup_field:?} (ids {}); map one of them by its \
                 field id instead of its name",
                ids.len(),
                ids.join(", ")
            ),
            MappingProblem::Value { problem, .. } => problem.clone(),
            MappingProblem::Conflict { values, .. } => {
                let said: Vec<String> = values
                    .iter()
                    .map(|(field, value)| format!("{field:?} says {value:?}"))
                    .collect();
                format!(
                    "the ClickUp fields disagree ({}); fill only one of them, or map only one",
                    said.join(", ")
                )
            }
        }
    }
}

impl fmt::Display for MappingProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.campaign_field(), self.detail())
    }
}

/// Every problem found mapping one task, and the draft as far as it could be filled.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub struct MappingProblems {
    pub problems: Vec<MappingProblem>,
    /// The draft without the fields that had problems; `None` when the mapping itself is
    /// wrong.
    pub partial: Option<Box<CampaignDraft>>,
}

impl fmt::Display for MappingProblems {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let lines: Vec<String> = self.problems.iter().map(ToString::to_string).collect();
        if self.is_config_error() {
            write!(
                f,
                "the ClickUp field mapping is wrong: {}",
                lines.join("; ")
            )
        } else {
            write!(
                f,
                "the ClickUp task cannot become a campaign: {}",
                lines.join("; ")
            )
        }
    }
}

impl MappingProblems {
    /// Whether the configuration is at fault (fix `[clickup.field_mapping]`), not the task.
    pub fn is_config_error(&self) -> bool {
        self.problems.iter().any(|p| {
            matches!(
                p,
                MappingProblem::UnknownTarget { .. } | MappingProblem::AmbiguousName { .. }
            )
        })
    }

    /// The mapping problems and, after them, whatever else the partial draft's validation
    /// finds (fields not already named), so the team can fix everything at once.
    pub fn to_campaign_problems(&self) -> CampaignProblems {
        let mut problems: Vec<FieldProblem> = self
            .problems
            .iter()
            .map(|p| FieldProblem {
                field: p.campaign_field(),
                problem: p.detail(),
            })
            .collect();
        if let Some(Err(more)) = self.partial.as_deref().map(CampaignDraft::validate) {
            let named: HashSet<&str> = problems.iter().map(|p| p.field).collect();
            let more: Vec<FieldProblem> = more
                .0
                .into_iter()
                .filter(|p| !named.contains(p.field))
                .collect();
            problems.extend(more);
        }
        CampaignProblems(problems)
    }
}

/// Checks a field mapping's campaign field names, returning each entry with its target.
pub fn check_mapping(
    mapping: &BTreeMap<String, String>,
) -> Result<Vec<(String, Target)>, MappingProblems> {
    let mut resolved = Vec::new();
    let mut problems = Vec::new();
    for (clickup_field, target) in mapping {
        match Target::parse(target) {
            Some(t) => resolved.push((clickup_field.clone(), t)),
            None => problems.push(MappingProblem::UnknownTarget {
                clickup_field: clickup_field.clone(),
                target: target.clone(),
            }),
        }
    }
    if problems.is_empty() {
        Ok(resolved)
    } else {
        Err(MappingProblems {
            problems,
            partial: None,
        })
    }
}

/// Maps `task` to a campaign draft. The campaign id is the task id unless a mapped field
/// gives one. A mapped field that is absent from the task or has no value leaves its campaign
/// field empty, so validation names it. Several fields mapped to one list field add up;
/// several mapped to `timeline` are joined, each after its name; several mapped to any other
/// field must agree.
pub fn map_task(
    task: &ClickUpTask,
    mapping: &BTreeMap<String, String>,
) -> Result<CampaignDraft, MappingProblems> {
    let entries = check_mapping(mapping)?;
    let mut problems = Vec::new();

    // (position in the task, field, target), in the task's (the form's) order.
    let mut sources: Vec<(usize, &CustomField, Target)> = Vec::new();
    for (key, target) in &entries {
        match find_fields(task, key).as_slice() {
            [] => {}
            [(position, field)] => sources.push((*position, field, *target)),
            several => problems.push(MappingProblem::AmbiguousName {
                clickup_field: key.clone(),
                ids: several.iter().map(|(_, f)| f.id.clone()).collect(),
            }),
        }
    }
    sources.sort_by_key(|(position, _, target)| (*position, *target));

    let mut filled: BTreeMap<Target, Vec<(String, Converted)>> = BTreeMap::new();
    for (_, field, target) in sources {
        let value = match field.read() {
            Ok(Some(value)) => value,
            Ok(None) => continue,
            Err(error) => {
                problems.push(MappingProblem::Value {
                    clickup_field: field.name.clone(),
                    target,
                    problem: error.to_string(),
                });
                continue;
            }
        };
        match convert(&value, target) {
            Ok(converted) => filled
                .entry(target)
                .or_default()
                .push((field.name.clone(), converted)),
            Err(reason) => problems.push(MappingProblem::Value {
                clickup_field: field.name.clone(),
                target,
                problem: format!("{:?} ({}) {reason}", field.name, field.field_type),
            }),
        }
    }

    let mut draft = CampaignDraft {
        campaign_id: Some(task.id.clone()),
        ..CampaignDraft::default()
    };
    for (target, contributions) in filled {
        match combine(target, contributions) {
            Ok(Converted::Entries(entries)) => set_list(&mut draft, target, entries),
            Ok(Converted::Text(text)) => set_text(&mut draft, target, text),
            Err(problem) => problems.push(problem),
        }
    }
    if problems.is_empty() {
        Ok(draft)
    } else {
        Err(MappingProblems {
            problems,
            partial: Some(Box::new(draft)),
        })
    }
}

/// The mapping keys whose fields the task lacks or leaves unset, in mapping order. Right
/// after `taskCreated` a form's fields may not all be written yet (ClickUp does not say), so
/// a caller can wait and fetch again before rejecting a campaign for missing fields.
pub fn unset_mapped_fields(task: &ClickUpTask, mapping: &BTreeMap<String, String>) -> Vec<String> {
    mapping
        .keys()
        .filter(|key| {
            find_fields(task, key)
                .iter()
                .all(|(_, field)| matches!(field.read(), Ok(None)))
        })
        .cloned()
        .collect()
}

/// The task's fields a mapping key names: its id, else its exact name, else its name with
/// case and runs of spaces ignored.
fn find_fields<'t>(task: &'t ClickUpTask, key: &str) -> Vec<(usize, &'t CustomField)> {
    let fields = || task.custom_fields.iter().enumerate();
    let by_id: Vec<_> = fields().filter(|(_, f)| f.id == key).collect();
    if !by_id.is_empty() {
        return by_id;
    }
    let exact: Vec<_> = fields().filter(|(_, f)| f.name == key).collect();
    if !exact.is_empty() {
        return exact;
    }
    let wanted = loose(key);
    fields().filter(|(_, f)| loose(&f.name) == wanted).collect()
}

fn loose(name: &str) -> String {
    name.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

/// One campaign field's value from the fields mapped to it.
fn combine(
    target: Target,
    contributions: Vec<(String, Converted)>,
) -> Result<Converted, MappingProblem> {
    match target.reading() {
        Reading::List => {
            let mut seen = HashSet::new();
            let entries = contributions
                .into_iter()
                .flat_map(|(_, c)| match c {
                    Converted::Entries(entries) => entries,
                    Converted::Text(text) => vec![text],
                })
                .filter(|e| seen.insert(e.to_lowercase()))
                .collect();
            Ok(Converted::Entries(entries))
        }
        Reading::Joined => {
            let texts: Vec<(String, String)> = contributions
                .into_iter()
                .map(|(name, c)| (name, text_of(c)))
                .collect();
            Ok(Converted::Text(match texts.as_slice() {
                [(_, only)] => only.clone(),
                _ => texts
                    .iter()
                    .map(|(name, text)| format!("{}: {text}", name.trim()))
                    .collect::<Vec<_>>()
                    .join("; "),
            }))
        }
        Reading::Text | Reading::Money | Reading::Percent => {
            let values: Vec<(String, String)> = contributions
                .into_iter()
                .map(|(name, c)| (name, text_of(c)))
                .collect();
            let first = values.first().map(|(_, v)| v.clone()).unwrap_or_default();
            if values.iter().all(|(_, v)| same(target, v, &first)) {
                Ok(Converted::Text(first))
            } else {
                Err(MappingProblem::Conflict { target, values })
            }
        }
    }
}

fn text_of(converted: Converted) -> String {
    match converted {
        Converted::Text(text) => text,
        Converted::Entries(entries) => entries.join(", "),
    }
}

/// Equal as amounts (`$30` and `30.00`) or as text, ignoring case.
fn same(target: Target, a: &str, b: &str) -> bool {
    if target.reading() == Reading::Money
        && let (Ok(x), Ok(y)) = (a.parse::<Money>(), b.parse::<Money>())
    {
        return x == y;
    }
    a.trim().eq_ignore_ascii_case(b.trim())
}

fn set_text(draft: &mut CampaignDraft, target: Target, text: String) {
    if text.trim().is_empty() {
        return;
    }
    let slot = match target {
        Target::CampaignId => &mut draft.campaign_id,
        Target::ClientName => &mut draft.client_name,
        Target::Budget => &mut draft.budget,
        Target::Platform => &mut draft.platform,
        Target::CpmTarget => &mut draft.cpm_target,
        Target::CpmLeniencyPct => &mut draft.cpm_leniency_pct,
        Target::CpmMin => &mut draft.cpm_min,
        Target::CpmMax => &mut draft.cpm_max,
        Target::Timeline => &mut draft.timeline,
        Target::Mode => &mut draft.mode,
        Target::Instructions => &mut draft.instructions,
        Target::RosterSheetId => &mut draft.roster_sheet_id,
        Target::RosterTab => &mut draft.roster_tab,
        Target::Deliverables | Target::Influencers => {
            set_list(draft, target, vec![text]);
            return;
        }
    };
    *slot = Some(text);
}

fn set_list(draft: &mut CampaignDraft, target: Target, entries: Vec<String>) {
    match target {
        Target::Deliverables => draft.deliverables = entries,
        Target::Influencers => draft.influencers = entries,
        other => set_text(draft, other, entries.join(", ")),
    }
}
