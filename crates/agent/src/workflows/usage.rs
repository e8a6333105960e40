//! What the model calls behind a step cost, kept with the audit entry or message they produced
//! (`llm_usage`: one object per call, as [`ModelUsage`] serialises).

use negotiator_store::NewAuditEntry;
use serde_json::Value;

use crate::ports::usage::ModelUsage;

/// The metadata key under which usage is kept.
pub const KEY: &str = "llm_usage";

/// The calls as a JSON array; `None` when there were none (no key at all, then).
pub fn value(usage: &[ModelUsage]) -> Option<Value> {
    if usage.is_empty() {
        return None;
    }
    serde_json::to_value(usage).ok()
}

/// `entry` with the calls' usage, when there was any.
pub fn with_usage(entry: NewAuditEntry, usage: &[ModelUsage]) -> NewAuditEntry {
    match value(usage) {
        Some(value) => entry.meta(KEY, value),
        None => entry,
    }
}
