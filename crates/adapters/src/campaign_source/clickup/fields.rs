//! A list's custom fields as a table (name, type, id, options, and what each is mapped to),
//! for `negotiator clickup fields` and for checking a field mapping against the real list.

use std::collections::BTreeMap;

use negotiator_vendors::clickup::Field;
use serde::Serialize;

use super::target::Target;

/// One custom field of a list.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct FieldRow {
    pub name: String,
    /// ClickUp's type string (`drop_down`, `labels`, `currency`, …).
    pub field_type: String,
    pub id: String,
    /// Drop-down and label options, in ClickUp's order.
    pub options: Vec<OptionRow>,
    /// The campaign field the mapping sends it to, if any.
    pub mapped_to: Option<&'static str>,
    pub required: bool,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct OptionRow {
    /// The order index a drop-down value reads as (the position when ClickUp sends none).
    pub index: i64,
    pub name: String,
    pub id: String,
}

impl FieldRow {
    /// Options as `0 Instagram, 1 TikTok`; empty when the field has none.
    pub fn options_text(&self) -> String {
        self.options
            .iter()
            .map(|o| format!("{} {}", o.index, o.name))
            .collect::<Vec<_>>()
            .join(", ")
    }
}

/// The table, plus the mapping's entries that name no field of the list (a typo, or a
/// field renamed in ClickUp: such a campaign field would always arrive empty).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct FieldsTable {
    pub rows: Vec<FieldRow>,
    /// (mapping key, campaign field) for keys matching no field by name or id.
    pub unmatched: Vec<(String, String)>,
}

/// The fields of a list as rows, each with what `mapping` (when given) maps it to.
pub fn fields_table(fields: &[Field], mapping: Option<&BTreeMap<String, String>>) -> FieldsTable {
    let loose = |name: &str| {
        name.split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
            .to_lowercase()
    };
    let empty = BTreeMap::new();
    let mapping = mapping.unwrap_or(&empty);
    let target_of = |field: &Field| {
        mapping
            .iter()
            .find(|(key, _)| **key == field.id || loose(key) == loose(&field.name))
            .and_then(|(_, target)| Target::parse(target))
            .map(Target::as_str)
    };
    let rows = fields
        .iter()
        .map(|field| FieldRow {
            name: field.name.clone(),
            field_type: field.field_type.clone(),
            id: field.id.clone(),
            options: field
                .type_config
                .options
                .iter()
                .enumerate()
                .map(|(position, option)| OptionRow {
                    index: option.orderindex.unwrap_or(position as i64),
                    name: option.display_name().to_owned(),
                    id: option.id.clone(),
                })
                .collect(),
            mapped_to: target_of(field),
            required: field.required.unwrap_or(false),
        })
        .collect();
    let unmatched = mapping
        .iter()
        .filter(|(key, _)| {
            !fields
                .iter()
                .any(|f| f.id == **key || loose(&f.name) == loose(key))
        })
        .map(|(key, target)| (key.clone(), target.clone()))
        .collect();
    FieldsTable { rows, unmatched }
}
