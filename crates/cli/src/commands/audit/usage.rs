//! The `llm_usage` an audit entry keeps, as one readable line per model call.

use serde_json::Value;

/// `llm classify: 312 in, 96 out, 1204 cache read, 0 written (anthropic claude-haiku-4-5)`,
/// calls joined by `; `; `None` when the value is not a list of calls.
pub fn describe(value: &Value) -> Option<String> {
    let calls = value.as_array()?;
    let lines: Vec<String> = calls
        .iter()
        .map(|call| {
            let text = |key: &str| call.get(key).and_then(Value::as_str).unwrap_or("?");
            let count = |key: &str| call.get(key).and_then(Value::as_u64).unwrap_or(0);
            format!(
                "llm {}: {} in, {} out, {} cache read, {} written ({} {})",
                text("purpose"),
                count("input_tokens"),
                count("output_tokens"),
                count("cache_read_tokens"),
                count("cache_write_tokens"),
                text("provider"),
                text("model"),
            )
        })
        .collect();
    (!lines.is_empty()).then(|| lines.join("; "))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_call_reads_as_one_line() {
        let value = serde_json::json!([{
            "provider": "anthropic", "model": "m", "purpose": "classify",
            "input_tokens": 312, "output_tokens": 96,
            "cache_write_tokens": 0, "cache_read_tokens": 1204
        }]);
        assert_eq!(
            describe(&value).unwrap(),
            "llm classify: 312 in, 96 out, 1204 cache read, 0 written (anthropic m)"
        );
        assert_eq!(describe(&serde_json::json!("x")), None);
    }
}
