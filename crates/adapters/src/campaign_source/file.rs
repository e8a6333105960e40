//! Campaign files (JSON or TOML) read into a draft: numbers or text, one name or a list.

use std::path::{Path, PathBuf};

use async_trait::async_trait;
use negotiator_agent::ports::campaign_source::{CampaignSource, Fetched, SourceError};
use negotiator_domain::CampaignDraft;
use serde_json::Value;

/// Campaign files as a campaign source: the reference is the file's path.
#[derive(Clone, Copy, Debug, Default)]
pub struct FileSource;

#[async_trait]
impl CampaignSource for FileSource {
    async fn fetch(&self, path: &str) -> Result<Fetched, SourceError> {
        load_campaign_file(Path::new(path))
            .map(|draft| Fetched::Draft(Box::new(draft)))
            .map_err(|error| SourceError::Misconfigured(error.to_string()))
    }

    fn name(&self) -> &'static str {
        "file"
    }

    fn describe(&self) -> String {
        "campaign files (`negotiator campaign import`)".to_owned()
    }
}

#[derive(Debug, thiserror::Error)]
pub enum CampaignFileError {
    #[error("could not read the campaign file {path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{path} is not valid {format}: {message}")]
    Syntax {
        path: PathBuf,
        format: &'static str,
        message: String,
    },
    #[error("{path}: {message}; the fields are: {fields}")]
    Shape {
        path: PathBuf,
        message: String,
        fields: String,
    },
}

/// Reads a campaign from a `.json` or `.toml` file (other names: JSON is tried, then TOML).
pub fn load_campaign_file(path: &Path) -> Result<CampaignDraft, CampaignFileError> {
    let text = std::fs::read_to_string(path).map_err(|source| CampaignFileError::Io {
        path: path.to_owned(),
        source,
    })?;
    let extension = path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase);
    let value = match extension.as_deref() {
        Some("toml") => parse_toml(path, &text)?,
        Some("json") => parse_json(path, &text)?,
        _ => parse_json(path, &text).or_else(|_| parse_toml(path, &text))?,
    };
    draft_from_value(path, value)
}

fn parse_json(path: &Path, text: &str) -> Result<Value, CampaignFileError> {
    serde_json::from_str(text).map_err(|error| CampaignFileError::Syntax {
        path: path.to_owned(),
        format: "JSON",
        message: error.to_string(),
    })
}

fn parse_toml(path: &Path, text: &str) -> Result<Value, CampaignFileError> {
    let syntax = |message: String| CampaignFileError::Syntax {
        path: path.to_owned(),
        format: "TOML",
        message,
    };
    let table: toml::Table = toml::from_str(text).map_err(|e| syntax(e.to_string()))?;
    serde_json::to_value(table).map_err(|e| syntax(e.to_string()))
}

/// Accepts numbers where text is expected and a single string where a list is expected.
pub fn draft_from_value(path: &Path, value: Value) -> Result<CampaignDraft, CampaignFileError> {
    let shape = |message: String| CampaignFileError::Shape {
        path: path.to_owned(),
        message,
        fields: CampaignDraft::field_names(),
    };
    let Value::Object(fields) = value else {
        return Err(shape("a campaign must be an object of fields".to_owned()));
    };
    let mut normalised = serde_json::Map::new();
    for (name, value) in fields {
        let is_list = matches!(name.as_str(), "deliverables" | "influencers");
        let value = match (value, is_list) {
            (Value::Array(items), true) => Value::Array(
                items
                    .into_iter()
                    .map(as_text)
                    .collect::<Result<_, _>>()
                    .map_err(|kind| {
                        shape(format!("{name} must be a list of text, not of {kind}"))
                    })?,
            ),
            (single, true) => Value::Array(vec![
                as_text(single)
                    .map_err(|kind| shape(format!("{name} must be text, not {kind}")))?,
            ]),
            (Value::Null, false) => Value::Null,
            (single, false) => {
                as_text(single).map_err(|kind| shape(format!("{name} must be text, not {kind}")))?
            }
        };
        normalised.insert(name, value);
    }
    serde_json::from_value(Value::Object(normalised)).map_err(|error| {
        // serde lists the expected fields itself; the error lists them once, after the message.
        let message = error.to_string();
        let cut = message.find(", expected one of").unwrap_or(message.len());
        shape(message[..cut].to_owned())
    })
}

fn as_text(value: Value) -> Result<Value, &'static str> {
    match value {
        Value::String(text) => Ok(Value::String(text)),
        Value::Number(number) => Ok(Value::String(number.to_string())),
        Value::Bool(flag) => Ok(Value::String(flag.to_string())),
        Value::Null => Err("an empty value"),
        Value::Array(_) => Err("a list"),
        Value::Object(_) => Err("a table"),
    }
}

#[cfg(test)]
mod tests {
    use negotiator_domain::Money;

    use super::*;

    fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
        let path = dir.join(name);
        std::fs::write(&path, text).unwrap();
        path
    }

    #[test]
    fn toml_and_json_files_give_the_same_campaign() {
        let dir = tempfile::tempdir().unwrap();
        let toml = write(
            dir.path(),
            "c.toml",
            r#"
client_name = "Glow Skincare"
budget = 25000
platform = "instagram"
deliverables = ["1 instagram reel", "2 instagram stories"]
cpm_target = 25
cpm_leniency_pct = 20
influencers = "Jane Doe, Raj Patel"
mode = "auto"
"#,
        );
        let json = write(
            dir.path(),
            "c.json",
            r#"{"client_name": "Glow Skincare", "budget": "$25,000",
            "platform": "Instagram", "deliverables": ["1 instagram reel", "2 instagram stories"],
            "cpm_target": "25", "cpm_leniency_pct": "20%", "influencers": ["Jane Doe", "Raj Patel"],
            "mode": "auto"}"#,
        );
        let from_toml = load_campaign_file(&toml).unwrap().validate().unwrap();
        let from_json = load_campaign_file(&json).unwrap().validate().unwrap();
        assert_eq!(from_toml, from_json);
        assert_eq!(from_toml.budget, Money::from_dollars(25_000));
    }

    #[test]
    fn errors_name_the_file_and_the_problem() {
        let dir = tempfile::tempdir().unwrap();
        let typo = write(dir.path(), "c.json", r#"{"client": "Glow"}"#);
        let error = load_campaign_file(&typo).unwrap_err().to_string();
        assert!(
            error.contains("unknown field `client`") && error.contains("client_name"),
            "{error}"
        );
        assert_eq!(
            error.matches("client_name").count(),
            1,
            "said once: {error}"
        );
        let broken = write(dir.path(), "c.toml", "client_name = ");
        assert!(
            load_campaign_file(&broken)
                .unwrap_err()
                .to_string()
                .contains("not valid TOML")
        );
        let missing = dir.path().join("nope.json");
        assert!(
            load_campaign_file(&missing)
                .unwrap_err()
                .to_string()
                .contains("could not read")
        );
    }
}
