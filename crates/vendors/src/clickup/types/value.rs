//! Custom field values decoded by field type: ClickUp's encodings (numbers as strings, a
//! drop-down as its order index or option id, labels as option ids, dates in ms, `0` for an
//! empty text field) turned into plain values.

use std::fmt;

use jiff::Timestamp;
use serde_json::Value;

use super::lenient::int_of;
use super::task::{CustomField, FieldOption};

/// ClickUp's custom field types, by their `type` string.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FieldKind {
    ShortText,
    Text,
    Number,
    Currency,
    Date,
    DropDown,
    Labels,
    Checkbox,
    Url,
    Email,
    Phone,
    /// People.
    Users,
    /// Relationships to other tasks.
    Tasks,
    /// Rating.
    Emoji,
    Location,
    Formula,
    /// `progress`, `automatic_progress`, `manual_progress`.
    Progress,
    /// Files.
    Attachment,
    /// A type this client does not know; its value is kept as opaque JSON.
    Other(String),
}

impl FieldKind {
    pub fn from_type(type_name: &str) -> FieldKind {
        match type_name {
            "short_text" => FieldKind::ShortText,
            "text" => FieldKind::Text,
            "number" => FieldKind::Number,
            "currency" => FieldKind::Currency,
            "date" => FieldKind::Date,
            "drop_down" => FieldKind::DropDown,
            "labels" => FieldKind::Labels,
            "checkbox" => FieldKind::Checkbox,
            "url" => FieldKind::Url,
            "email" => FieldKind::Email,
            "phone" => FieldKind::Phone,
            "users" => FieldKind::Users,
            "tasks" => FieldKind::Tasks,
            "emoji" => FieldKind::Emoji,
            "location" => FieldKind::Location,
            "formula" => FieldKind::Formula,
            "progress" | "automatic_progress" | "manual_progress" => FieldKind::Progress,
            "attachment" => FieldKind::Attachment,
            other => FieldKind::Other(other.to_owned()),
        }
    }

    /// Whether the field holds a choice among its `type_config.options`.
    pub fn has_options(&self) -> bool {
        matches!(self, FieldKind::DropDown | FieldKind::Labels)
    }
}

/// A custom field's value, decoded.
#[derive(Clone, Debug, PartialEq)]
pub enum FieldValue {
    /// Text, short text, email, url, phone, a location's address, a text formula; trimmed,
    /// never empty.
    Text(String),
    /// A number as its decimal text (`"8"`, `"30.5"`), or as written when it came as a string
    /// (`"$30"`, `"50%"`); never converted through a float.
    Number(String),
    /// A currency field's amount (as [`FieldValue::Number`]) and its ISO code (`USD`).
    Currency {
        amount: String,
        currency: Option<String>,
    },
    /// A date; `with_time` is ClickUp's `value_options.time` when it was sent. A date chosen
    /// without a time reads as 04:00 in the time zone of whoever set it.
    Date {
        at: Timestamp,
        with_time: Option<bool>,
    },
    /// A drop-down's chosen option, by name.
    Choice(String),
    /// Labels, by name, in the order ClickUp sent them.
    Choices(Vec<String>),
    Checkbox(bool),
    /// People fields: each user's name (or email when there is no name).
    Users(Vec<String>),
    /// A type with no plain reading (tasks, files, progress, unknown types).
    Other(Value),
}

impl FieldValue {
    /// The value as one line of text: options joined with `, `, dates as `YYYY-MM-DD` (UTC;
    /// with `HH:MM UTC` when a time was chosen), checkboxes as `yes`/`no`.
    pub fn to_text(&self) -> String {
        match self {
            FieldValue::Text(s) | FieldValue::Number(s) | FieldValue::Choice(s) => s.clone(),
            FieldValue::Currency { amount, currency } => match currency {
                Some(code) => format!("{amount} {code}"),
                None => amount.clone(),
            },
            FieldValue::Date { at, with_time } => {
                let utc = at.to_zoned(jiff::tz::TimeZone::UTC);
                if *with_time == Some(true) {
                    utc.strftime("%Y-%m-%d %H:%M UTC").to_string()
                } else {
                    utc.strftime("%Y-%m-%d").to_string()
                }
            }
            FieldValue::Choices(items) | FieldValue::Users(items) => items.join(", "),
            FieldValue::Checkbox(true) => "yes".to_owned(),
            FieldValue::Checkbox(false) => "no".to_owned(),
            FieldValue::Other(value) => value.to_string(),
        }
    }
}

/// A value that does not fit its field's type.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ValueError {
    #[error(
        "{field:?} holds {value}, which is none of its options ({options}); the option may have \
         been removed or renamed in ClickUp since the task was made: pick a current option on \
         the task"
    )]
    UnknownOption {
        field: String,
        value: String,
        options: OptionNames,
    },
    #[error(
        "{field:?} ({field_type}) holds {value}, which is not a {expected}; fix it on the task"
    )]
    Unexpected {
        field: String,
        field_type: String,
        value: String,
        expected: &'static str,
    },
}

/// Option names as `0 Instagram, 1 TikTok` (order index, then name) for error messages.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OptionNames(pub Vec<String>);

impl fmt::Display for OptionNames {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.0.is_empty() {
            f.write_str("it has no options")
        } else {
            f.write_str(&self.0.join(", "))
        }
    }
}

impl CustomField {
    pub fn kind(&self) -> FieldKind {
        FieldKind::from_type(&self.field_type)
    }

    /// The decoded value; `Ok(None)` when the field is unset: no `value` key, `null`, an empty
    /// or blank string, an empty list, or the integer `0` that ClickUp sends for an empty
    /// text field.
    pub fn read(&self) -> Result<Option<FieldValue>, ValueError> {
        let Some(value) = self.value.as_ref() else {
            return Ok(None);
        };
        if is_blank(value) {
            return Ok(None);
        }
        let kind = self.kind();
        let read = match kind {
            FieldKind::ShortText
            | FieldKind::Text
            | FieldKind::Url
            | FieldKind::Email
            | FieldKind::Phone => match value {
                Value::String(s) => Some(FieldValue::Text(s.trim().to_owned())),
                // ClickUp sends 0 for an empty text field.
                Value::Number(n) if n.as_f64() == Some(0.0) => None,
                Value::Number(n) => Some(FieldValue::Text(n.to_string())),
                _ => return Err(self.unexpected(value, "text")),
            },
            FieldKind::Number | FieldKind::Emoji => Some(FieldValue::Number(self.number(value)?)),
            FieldKind::Currency => Some(FieldValue::Currency {
                amount: self.number(value)?,
                currency: self
                    .type_config
                    .currency_type
                    .as_deref()
                    .map(str::trim)
                    .filter(|c| !c.is_empty())
                    .map(str::to_ascii_uppercase),
            }),
            FieldKind::Date => {
                let at = int_of(value)
                    .and_then(|ms| Timestamp::from_millisecond(ms).ok())
                    .ok_or_else(|| self.unexpected(value, "date in milliseconds"))?;
                let with_time = self
                    .value_options
                    .as_ref()
                    .and_then(|o| o.get("time"))
                    .and_then(Value::as_bool);
                Some(FieldValue::Date { at, with_time })
            }
            FieldKind::DropDown => Some(FieldValue::Choice(self.option(value)?)),
            FieldKind::Labels => {
                let items: Vec<&Value> = match value {
                    Value::Array(items) => items.iter().filter(|v| !is_blank(v)).collect(),
                    single => vec![single],
                };
                let names = items
                    .into_iter()
                    .map(|item| self.option(item))
                    .collect::<Result<Vec<_>, _>>()?;
                (!names.is_empty()).then_some(FieldValue::Choices(names))
            }
            FieldKind::Checkbox => Some(FieldValue::Checkbox(self.checkbox(value)?)),
            FieldKind::Users => {
                let Value::Array(users) = value else {
                    return Err(self.unexpected(value, "list of people"));
                };
                let names: Vec<String> = users.iter().filter_map(user_name).collect();
                (!names.is_empty()).then_some(FieldValue::Users(names))
            }
            FieldKind::Location => match value.get("formatted_address").and_then(Value::as_str) {
                Some(address) if !address.trim().is_empty() => {
                    Some(FieldValue::Text(address.trim().to_owned()))
                }
                _ => Some(FieldValue::Other(value.clone())),
            },
            FieldKind::Formula => match value {
                Value::String(s) => Some(FieldValue::Text(s.trim().to_owned())),
                Value::Number(n) => Some(FieldValue::Number(n.to_string())),
                other => Some(FieldValue::Other(other.clone())),
            },
            FieldKind::Tasks
            | FieldKind::Progress
            | FieldKind::Attachment
            | FieldKind::Other(_) => Some(FieldValue::Other(value.clone())),
        };
        Ok(read)
    }

    /// Option names for tables and messages: `0 Instagram` (order index and name).
    pub fn option_names(&self) -> OptionNames {
        OptionNames(
            self.type_config
                .options
                .iter()
                .enumerate()
                .map(|(position, option)| {
                    let index = option.orderindex.unwrap_or(position as i64);
                    format!("{index} {}", option.display_name())
                })
                .collect(),
        )
    }

    /// A number as a JSON number or a numeric string; kept as text, never a float.
    fn number(&self, value: &Value) -> Result<String, ValueError> {
        match value {
            Value::Number(n) => Ok(n.to_string()),
            Value::String(s) => Ok(s.trim().to_owned()),
            _ => Err(self.unexpected(value, "number")),
        }
    }

    fn checkbox(&self, value: &Value) -> Result<bool, ValueError> {
        match value {
            Value::Bool(b) => Ok(*b),
            Value::String(s) if s.trim().eq_ignore_ascii_case("true") => Ok(true),
            Value::String(s) if s.trim().eq_ignore_ascii_case("false") => Ok(false),
            Value::Number(n) if n.as_i64() == Some(1) => Ok(true),
            Value::Number(n) if n.as_i64() == Some(0) => Ok(false),
            _ => Err(self.unexpected(value, "checkbox (true or false)")),
        }
    }

    /// The option a drop-down or label value points at: an option id, an order index (number
    /// or numeric string), an `{id}`/`{name}` object, or (leniently) the option's own name.
    fn option(&self, value: &Value) -> Result<String, ValueError> {
        let options = &self.type_config.options;
        let found = match value {
            Value::String(s) => {
                let s = s.trim();
                options
                    .iter()
                    .find(|o| o.id == s)
                    .or_else(|| s.parse().ok().and_then(|i| by_index(options, i)))
                    .or_else(|| {
                        options
                            .iter()
                            .find(|o| o.display_name().trim().eq_ignore_ascii_case(s))
                    })
            }
            Value::Number(_) => int_of(value).and_then(|i| by_index(options, i)),
            Value::Object(map) => match map.get("id").and_then(Value::as_str) {
                Some(id) => options.iter().find(|o| o.id == id),
                None => {
                    let name = map
                        .get("name")
                        .or_else(|| map.get("label"))
                        .and_then(Value::as_str);
                    return name
                        .map(str::trim)
                        .filter(|n| !n.is_empty())
                        .map(str::to_owned)
                        .ok_or_else(|| self.unexpected(value, "option id, order index or name"));
                }
            },
            _ => None,
        };
        found
            .map(|o| o.display_name().to_owned())
            .ok_or_else(|| ValueError::UnknownOption {
                field: self.name.clone(),
                value: value.to_string(),
                options: self.option_names(),
            })
    }

    fn unexpected(&self, value: &Value, expected: &'static str) -> ValueError {
        let mut shown = value.to_string();
        if shown.chars().count() > 80 {
            shown = shown.chars().take(77).collect::<String>() + "...";
        }
        ValueError::Unexpected {
            field: self.name.clone(),
            field_type: self.field_type.clone(),
            value: shown,
            expected,
        }
    }
}

/// The option at order index `index`; by position when the options carry no order index.
fn by_index(options: &[FieldOption], index: i64) -> Option<&FieldOption> {
    if options.iter().any(|o| o.orderindex.is_some()) {
        options.iter().find(|o| o.orderindex == Some(index))
    } else {
        usize::try_from(index).ok().and_then(|i| options.get(i))
    }
}

fn user_name(user: &Value) -> Option<String> {
    ["username", "email", "id"]
        .iter()
        .filter_map(|key| match user.get(key) {
            Some(Value::String(s)) if !s.trim().is_empty() => Some(s.trim().to_owned()),
            Some(Value::Number(n)) => Some(n.to_string()),
            _ => None,
        })
        .next()
}

fn is_blank(value: &Value) -> bool {
    match value {
        Value::Null => true,
        Value::String(s) => s.trim().is_empty(),
        Value::Array(items) => items.iter().all(is_blank),
        _ => false,
    }
}
