//! Slack's documented limits for a modal view (`views.open`): title and button labels, block
//! count, private metadata, and the input blocks; the other blocks are checked as in a
//! message.

use negotiator_vendors::slack::{Block, Message, validate};
use serde_json::Value;

/// Characters of a modal's title, submit and close labels.
pub const LABEL: usize = 24;
/// Blocks in a modal.
pub const MAX_BLOCKS: usize = 100;
pub const PRIVATE_METADATA: usize = 3_000;
pub const CALLBACK_ID: usize = 255;
/// Characters of an input block's label and hint.
pub const INPUT_LABEL: usize = 2_000;
/// Characters of a text input's placeholder.
pub const PLACEHOLDER: usize = 150;
pub const ID: usize = 255;

/// Notes `what` when it is longer than `max`.
fn over(found: &mut Vec<String>, what: impl AsRef<str>, actual: usize, max: usize) {
    if actual > max {
        found.push(format!(
            "{actual} characters of {} (Slack allows {max})",
            what.as_ref()
        ));
    }
}

fn chars(value: &Value, pointer: &str) -> usize {
    value
        .pointer(pointer)
        .and_then(Value::as_str)
        .map_or(0, |s| s.chars().count())
}

/// Every way `view` breaks a documented modal limit; `Ok` when it breaks none.
pub fn check(view: &Value) -> Result<(), Vec<String>> {
    let mut found = Vec::new();
    for label in ["title", "submit", "close"] {
        over(
            &mut found,
            label,
            chars(view, &format!("/{label}/text")),
            LABEL,
        );
        if view.get(label).is_some()
            && view.pointer(&format!("/{label}/type")) != Some(&Value::from("plain_text"))
        {
            found.push(format!("the {label} must be plain_text"));
        }
    }
    if view
        .pointer("/title/text")
        .and_then(Value::as_str)
        .is_none_or(str::is_empty)
    {
        found.push("a modal needs a title".to_owned());
    }
    over(
        &mut found,
        "private_metadata",
        chars(view, "/private_metadata"),
        PRIVATE_METADATA,
    );
    over(
        &mut found,
        "callback_id",
        chars(view, "/callback_id"),
        CALLBACK_ID,
    );
    let blocks = view
        .get("blocks")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    if blocks.len() > MAX_BLOCKS {
        found.push(format!(
            "{} blocks (Slack allows {MAX_BLOCKS})",
            blocks.len()
        ));
    }
    let mut shown = Vec::new();
    for (index, block) in blocks.iter().enumerate() {
        if block.get("type") == Some(&Value::from("input")) {
            over(
                &mut found,
                format!("block {index} label"),
                chars(block, "/label/text"),
                INPUT_LABEL,
            );
            over(
                &mut found,
                format!("block {index} hint"),
                chars(block, "/hint/text"),
                INPUT_LABEL,
            );
            over(
                &mut found,
                format!("block {index} placeholder"),
                chars(block, "/element/placeholder/text"),
                PLACEHOLDER,
            );
            over(
                &mut found,
                format!("block {index} block_id"),
                chars(block, "/block_id"),
                ID,
            );
            over(
                &mut found,
                format!("block {index} action_id"),
                chars(block, "/element/action_id"),
                ID,
            );
            if chars(block, "/label/text") == 0 {
                found.push(format!("block {index}: an input needs a label"));
            }
            continue;
        }
        match serde_json::from_value::<Block>(block.clone()) {
            Ok(block) => shown.push(block),
            Err(e) => found.push(format!("block {index} is not a block this app builds: {e}")),
        }
    }
    if !shown.is_empty()
        && let Err(violations) = validate(&Message::new("modal", shown))
    {
        found.extend(violations.iter().map(ToString::to_string));
    }
    if found.is_empty() { Ok(()) } else { Err(found) }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn modal_limits_are_checked() {
        let good = json!({
            "type": "modal", "callback_id": "c",
            "title": {"type": "plain_text", "text": "Counter"},
            "submit": {"type": "plain_text", "text": "Counter"},
            "blocks": [
                {"type": "section", "text": {"type": "mrkdwn", "text": "hi"}},
                {"type": "input", "block_id": "rate", "label": {"type": "plain_text", "text": "Rate"},
                 "element": {"type": "plain_text_input", "action_id": "amount"}}
            ]
        });
        assert_eq!(check(&good), Ok(()));
        let mut bad = good.clone();
        bad["title"]["text"] = json!("A title far longer than twenty-four");
        bad["private_metadata"] = json!("x".repeat(3_001));
        bad["blocks"][1]["element"]["placeholder"] =
            json!({"type": "plain_text", "text": "p".repeat(151)});
        bad["blocks"][0]["text"]["text"] = json!("t".repeat(3_001));
        let problems = check(&bad).unwrap_err();
        assert_eq!(problems.len(), 4, "{problems:?}");
        assert!(problems[0].contains("title"), "{problems:?}");
    }
}
