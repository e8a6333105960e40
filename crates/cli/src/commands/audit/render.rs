//! Audit entries as a table for people, JSON for programs, or CSV for spreadsheets.

use std::io::Write;

use comfy_table::{ContentArrangement, Table, presets::UTF8_FULL_CONDENSED};
use negotiator_store::AuditEntry;

use crate::args::Format;

const COLUMNS: [&str; 9] = [
    "time (UTC)",
    "event",
    "influencer",
    "campaign",
    "state",
    "dir",
    "rates",
    "intent",
    "details",
];

pub fn write(
    out: &mut impl Write,
    format: Format,
    entries: &[AuditEntry],
    total: u64,
) -> anyhow::Result<()> {
    match format {
        Format::Table => write_table(out, entries, total),
        Format::Json => {
            serde_json::to_writer_pretty(&mut *out, entries)?;
            writeln!(out)?;
            Ok(())
        }
        Format::Csv => write_csv(out, entries),
    }
}

fn write_table(out: &mut impl Write, entries: &[AuditEntry], total: u64) -> anyhow::Result<()> {
    if entries.is_empty() {
        writeln!(out, "No audit entries match these filters.")?;
        return Ok(());
    }
    let mut table = Table::new();
    table
        .load_style(UTF8_FULL_CONDENSED)
        .set_content_arrangement(ContentArrangement::Disabled);
    table.set_header(COLUMNS);
    for entry in entries {
        table.add_row(cells(entry).map(|cell| truncate(&cell, 48)));
    }
    writeln!(out, "{table}")?;
    let shown = entries.len() as u64;
    if total > shown {
        writeln!(
            out,
            "Showing the newest {shown} of {total} entries; narrow with --from/--to or raise \
             --limit, or use --format csv for everything."
        )?;
    } else {
        writeln!(
            out,
            "{shown} {}.",
            if shown == 1 { "entry" } else { "entries" }
        )?;
    }
    Ok(())
}

fn write_csv(out: &mut impl Write, entries: &[AuditEntry]) -> anyhow::Result<()> {
    let header = [
        "audit_id",
        "occurred_at",
        "event_type",
        "campaign_id",
        "influencer_name",
        "thread_id",
        "direction",
        "negotiation_state",
        "rates_used",
        "intent",
        "metadata",
        "email_body",
    ];
    writeln!(out, "{}", header.join(","))?;
    for entry in entries {
        let metadata = serde_json::Value::Object(entry.metadata.clone()).to_string();
        let fields = [
            entry.audit_id.to_string(),
            entry.occurred_at.to_string(),
            entry.event_type.as_str().to_owned(),
            opt(&entry.campaign_id),
            opt(&entry.influencer_name),
            opt(&entry.thread_id),
            entry
                .direction
                .map(|d| d.as_str().to_owned())
                .unwrap_or_default(),
            opt(&entry.negotiation_state),
            opt(&entry.rates_used),
            opt(&entry.intent),
            metadata,
            opt(&entry.email_body),
        ];
        let line: Vec<String> = fields.iter().map(|f| csv_field(f)).collect();
        writeln!(out, "{}", line.join(","))?;
    }
    Ok(())
}

fn cells(entry: &AuditEntry) -> [String; 9] {
    [
        entry.occurred_at.strftime("%Y-%m-%d %H:%M:%S").to_string(),
        entry.event_type.as_str().to_owned(),
        opt(&entry.influencer_name),
        opt(&entry.campaign_id),
        opt(&entry.negotiation_state),
        entry
            .direction
            .map(|d| d.as_str().to_owned())
            .unwrap_or_default(),
        opt(&entry.rates_used),
        opt(&entry.intent),
        details(entry),
    ]
}

/// The metadata as `key=value` pairs, which is where reasons and counts live.
fn details(entry: &AuditEntry) -> String {
    entry
        .metadata
        .iter()
        .map(|(key, value)| match value {
            serde_json::Value::String(text) => format!("{key}={text}"),
            other => format!("{key}={other}"),
        })
        .collect::<Vec<_>>()
        .join("; ")
}

fn opt(value: &Option<String>) -> String {
    value.clone().unwrap_or_default()
}

fn truncate(text: &str, max_chars: usize) -> String {
    let single_line = text.replace(['\n', '\r'], " ");
    if single_line.chars().count() <= max_chars {
        return single_line;
    }
    let kept: String = single_line.chars().take(max_chars - 1).collect();
    format!("{kept}…")
}

/// RFC 4180: quote a field holding a comma, quote or line break, doubling inner quotes.
fn csv_field(field: &str) -> String {
    if field.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", field.replace('"', "\"\""))
    } else {
        field.to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_quotes_only_what_needs_it() {
        assert_eq!(csv_field("plain"), "plain");
        assert_eq!(csv_field("a,b"), "\"a,b\"");
        assert_eq!(csv_field("say \"hi\"\nbye"), "\"say \"\"hi\"\"\nbye\"");
    }

    #[test]
    fn truncation_marks_what_was_cut_and_flattens_lines() {
        assert_eq!(truncate("short", 10), "short");
        assert_eq!(truncate("line one\nline two", 100), "line one line two");
        assert_eq!(truncate("abcdefghijkl", 5), "abcd…");
    }
}
