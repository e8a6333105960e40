//! The tool the model must call to record its reading: a JSON Schema for every field.

use negotiator_domain::DeliverableType;
use negotiator_vendors::anthropic::Tool;
use serde_json::json;

pub(super) const TOOL_NAME: &str = "record_reply_reading";

/// The reading tool: intent, their rate as a string, deliverable ids, a whole-percent
/// confidence, three flags each carried by a verbatim quote, and a summary.
pub(super) fn tool() -> Tool {
    let ids: Vec<&str> = DeliverableType::ALL.iter().map(|d| d.as_str()).collect();
    let evidence = |what: &str| {
        json!({
            "type": ["string", "null"],
            "description": format!(
                "Null unless the reply contains {what}; then the exact words from the reply \
                 that show it, copied verbatim."
            )
        })
    };
    Tool {
        name: TOOL_NAME.to_owned(),
        description: "Record what the creator's reply means.".to_owned(),
        input_schema: json!({
            "type": "object",
            "properties": {
                "intent": {
                    "type": "string",
                    "enum": ["accept", "counter", "reject", "question", "unclear"]
                },
                "proposed_rate": {
                    "type": ["string", "null"],
                    "description": "The creator's own ask for the whole package in US dollars \
                        as a plain decimal string such as \"1500.00\"; null when they name none."
                },
                "deliverables": {
                    "type": "array",
                    "items": {"type": "string", "enum": ids},
                    "description": "Deliverable types the reply names explicitly."
                },
                "confidence": {"type": "integer", "minimum": 0, "maximum": 100},
                "hostile": evidence("insults, threats, ultimatums or contempt"),
                "legal": evidence("contract, legal, agent, exclusivity or rights language"),
                "unusual_deliverables": evidence(
                    "a request beyond posts, stories, reels, videos and shorts"
                ),
                "summary": {"type": "string", "description": "One sentence."}
            },
            "required": [
                "intent", "proposed_rate", "deliverables", "confidence",
                "hostile", "legal", "unusual_deliverables", "summary"
            ],
            "additionalProperties": false
        }),
    }
}
