//! A task as `GET /api/v2/task/{id}` returns it, and its custom fields, read leniently.

use serde::Deserialize;
use serde_json::Value;

use super::lenient;

/// The parts of a task the agent reads. Unknown keys are ignored; documented lists that
/// arrive as `null` read as empty.
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
pub struct ClickUpTask {
    pub id: String,
    #[serde(default, deserialize_with = "lenient::opt_id")]
    pub custom_id: Option<String>,
    #[serde(default, deserialize_with = "lenient::null_as_default")]
    pub name: String,
    #[serde(default)]
    pub text_content: Option<String>,
    #[serde(default)]
    pub description: Option<String>,
    #[serde(default)]
    pub status: Option<TaskStatus>,
    /// Milliseconds since the epoch.
    #[serde(default, deserialize_with = "lenient::opt_millis")]
    pub date_created: Option<i64>,
    #[serde(default, deserialize_with = "lenient::opt_millis")]
    pub date_updated: Option<i64>,
    #[serde(default)]
    pub archived: Option<bool>,
    #[serde(default)]
    pub creator: Option<User>,
    #[serde(default, deserialize_with = "lenient::null_as_default")]
    pub tags: Vec<Tag>,
    #[serde(default, deserialize_with = "lenient::opt_id")]
    pub team_id: Option<String>,
    #[serde(default)]
    pub url: Option<String>,
    #[serde(default)]
    pub list: Option<Location>,
    #[serde(default)]
    pub folder: Option<Location>,
    #[serde(default)]
    pub space: Option<Location>,
    /// Only the fields that apply to the task's type; an unset field has no `value`.
    #[serde(default, deserialize_with = "lenient::null_as_default")]
    pub custom_fields: Vec<CustomField>,
}

impl ClickUpTask {
    /// The custom field with this exact id, if the task carries it.
    pub fn field_by_id(&self, id: &str) -> Option<&CustomField> {
        self.custom_fields.iter().find(|f| f.id == id)
    }
}

#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
pub struct TaskStatus {
    #[serde(default, deserialize_with = "lenient::null_as_default")]
    pub status: String,
    #[serde(default, rename = "type")]
    pub kind: Option<String>,
}

/// A list, folder or space the task sits in.
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
pub struct Location {
    #[serde(deserialize_with = "lenient::id")]
    pub id: String,
    #[serde(default)]
    pub name: Option<String>,
}

#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
pub struct Tag {
    #[serde(default, deserialize_with = "lenient::null_as_default")]
    pub name: String,
}

/// A ClickUp user (task creator, people fields, the token's owner).
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
pub struct User {
    #[serde(deserialize_with = "lenient::id")]
    pub id: String,
    #[serde(default)]
    pub username: Option<String>,
    #[serde(default)]
    pub email: Option<String>,
}

/// A custom field: its definition and, on a task, its value. The same shape comes from
/// `GET /api/v2/list/{id}/field` (without values), so [`Field`] is this type.
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
pub struct CustomField {
    #[serde(deserialize_with = "lenient::id")]
    pub id: String,
    #[serde(default, deserialize_with = "lenient::null_as_default")]
    pub name: String,
    /// ClickUp's type string (`drop_down`, `labels`, `currency`, …); see [`super::FieldKind`].
    #[serde(
        default,
        rename = "type",
        deserialize_with = "lenient::null_as_default"
    )]
    pub field_type: String,
    #[serde(default, deserialize_with = "lenient::null_as_default")]
    pub type_config: TypeConfig,
    /// The raw value; `None` when the key is missing or `null` (the field is unset).
    #[serde(default)]
    pub value: Option<Value>,
    /// Present on some date values: `{"time": true}` when a time of day was chosen.
    #[serde(default)]
    pub value_options: Option<Value>,
    #[serde(default)]
    pub required: Option<bool>,
}

/// A custom field as the list defines it (no value).
pub type Field = CustomField;

/// The parts of `type_config` the agent reads; the rest is ignored.
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
pub struct TypeConfig {
    /// Drop-down and label options.
    #[serde(default, deserialize_with = "lenient::null_as_default")]
    pub options: Vec<FieldOption>,
    /// Currency fields: an ISO code such as `USD`.
    #[serde(default)]
    pub currency_type: Option<String>,
    #[serde(default, deserialize_with = "lenient::opt_int")]
    pub precision: Option<i64>,
}

/// One drop-down or label option. Drop-downs name it `name`, labels `label`; `orderindex`
/// comes as a number or a numeric string.
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
pub struct FieldOption {
    #[serde(deserialize_with = "lenient::id")]
    pub id: String,
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub label: Option<String>,
    #[serde(default, deserialize_with = "lenient::opt_int")]
    pub orderindex: Option<i64>,
    #[serde(default)]
    pub color: Option<String>,
}

impl FieldOption {
    /// What the team sees: the drop-down `name` or the label's `label`.
    pub fn display_name(&self) -> &str {
        self.name
            .as_deref()
            .or(self.label.as_deref())
            .unwrap_or(&self.id)
    }
}
