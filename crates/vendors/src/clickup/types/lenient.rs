//! Serde helpers for ClickUp's loose typing: ids and timestamps as numbers or strings, nulls
//! where lists or objects are documented.

use serde::{Deserialize, Deserializer};
use serde_json::Value;

/// A value that may arrive as `null` is read as its default.
pub fn null_as_default<'de, D, T>(deserializer: D) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: Default + Deserialize<'de>,
{
    Ok(Option::<T>::deserialize(deserializer)?.unwrap_or_default())
}

/// An id sent as a string (`"162641062"`) or a number (`162641062`).
pub fn id<'de, D: Deserializer<'de>>(deserializer: D) -> Result<String, D::Error> {
    match Value::deserialize(deserializer)? {
        Value::String(s) => Ok(s),
        Value::Number(n) => Ok(n.to_string()),
        other => Err(serde::de::Error::custom(format!(
            "expected an id (string or number), found {other}"
        ))),
    }
}

/// An optional id: a string, a number, `null` or absent (with `#[serde(default)]`).
pub fn opt_id<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<String>, D::Error> {
    Ok(match Value::deserialize(deserializer)? {
        Value::String(s) if !s.is_empty() => Some(s),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    })
}

/// An optional integer sent as a number or a numeric string (`orderindex`, `"0"`).
pub fn opt_int<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<i64>, D::Error> {
    Ok(int_of(&Value::deserialize(deserializer)?))
}

/// Milliseconds since the epoch, as a number or a string; anything else is `None`.
pub fn opt_millis<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<i64>, D::Error> {
    Ok(int_of(&Value::deserialize(deserializer)?))
}

/// An integer from a JSON number (whole, or a float with no fraction) or a numeric string.
pub fn int_of(value: &Value) -> Option<i64> {
    match value {
        Value::Number(n) => n.as_i64().or_else(|| {
            n.as_f64()
                .filter(|f| f.fract() == 0.0 && f.abs() < 9.0e15)
                .map(|f| f as i64)
        }),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}
