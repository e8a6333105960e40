//! Audit entries as a table for people, JSON for programs, or CSV for spreadsheets.

use std::io::{self, Write};

use anyhow::Context;
use comfy_table::{ContentArrangement, Table, presets::UTF8_FULL_CONDENSED};
use negotiator_store::{AuditEntry, AuditStream, Direction};
use serde::Serializer;
use serde::ser::SerializeSeq;

use crate::progress::Progress;

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

/// The page as a table, then how many entries match and, when some were left out, how to see
/// them. `max_rows` is the largest `--limit` the table takes.
pub fn write_table(
    out: &mut impl Write,
    entries: &[AuditEntry],
    total: u64,
    max_rows: u32,
) -> anyhow::Result<()> {
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
        let more = if total <= u64::from(max_rows) {
            format!("`--limit {total}` shows them all here")
        } else {
            format!(
                "`--limit {max_rows}` shows the newest {}",
                thousands(max_rows.into())
            )
        };
        writeln!(
            out,
            "Showing the newest {} of {} entries ({} left out). {more}; `--format csv` exports \
             them all.",
            thousands(shown),
            thousands(total),
            thousands(total - shown),
        )?;
    } else {
        writeln!(
            out,
            "{} {}.",
            thousands(shown),
            if shown == 1 { "entry" } else { "entries" }
        )?;
    }
    Ok(())
}

/// Every entry of `entries` as one JSON array, written as it is read. The same pretty-printed
/// array `serde_json::to_writer_pretty` makes of a whole list.
pub async fn export_json(
    out: &mut impl Write,
    entries: &mut AuditStream,
    bar: &mut Progress,
) -> anyhow::Result<()> {
    let mut serializer = serde_json::Serializer::pretty(out);
    let mut array = serializer.serialize_seq(None).map_err(io::Error::from)?;
    while let Some(entry) = entries.next().await {
        let entry = entry.context("could not read the audit trail")?;
        array.serialize_element(&entry).map_err(io::Error::from)?;
        bar.advance(None);
    }
    SerializeSeq::end(array).map_err(io::Error::from)?;
    writeln!(serializer.into_inner())?;
    Ok(())
}

/// Every entry of `entries` as CSV (RFC 4180, with a header), written as it is read.
pub async fn export_csv(
    out: &mut impl Write,
    entries: &mut AuditStream,
    bar: &mut Progress,
) -> anyhow::Result<()> {
    write_csv_row(out, CSV_HEADER)?;
    while let Some(entry) = entries.next().await {
        let entry = entry.context("could not read the audit trail")?;
        write_csv_entry(out, &entry)?;
        bar.advance(None);
    }
    Ok(())
}

const CSV_HEADER: [&str; 12] = [
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

/// One entry as a CSV row, in [`CSV_HEADER`] order.
fn write_csv_entry(out: &mut impl Write, entry: &AuditEntry) -> io::Result<()> {
    let audit_id = entry.audit_id.to_string();
    let occurred_at = entry.occurred_at.to_string();
    let metadata = serde_json::to_string(&entry.metadata)?;
    write_csv_row(
        out,
        [
            &audit_id,
            &occurred_at,
            entry.event_type.as_str(),
            text(&entry.campaign_id),
            text(&entry.influencer_name),
            text(&entry.thread_id),
            entry.direction.map_or("", Direction::as_str),
            text(&entry.negotiation_state),
            text(&entry.rates_used),
            text(&entry.intent),
            &metadata,
            text(&entry.email_body),
        ],
    )
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

/// The metadata as `key=value` pairs, which is where reasons and counts live; what model calls
/// cost comes first, so a narrow column still shows it.
fn details(entry: &AuditEntry) -> String {
    let usage = entry
        .metadata
        .get("llm_usage")
        .and_then(super::usage::describe);
    usage
        .into_iter()
        .chain(
            entry
                .metadata
                .iter()
                .filter_map(|(key, value)| match value {
                    _ if key == "llm_usage" && usage_is_shown(value) => None,
                    serde_json::Value::String(text) => Some(format!("{key}={text}")),
                    other => Some(format!("{key}={other}")),
                }),
        )
        .collect::<Vec<_>>()
        .join("; ")
}

fn usage_is_shown(value: &serde_json::Value) -> bool {
    super::usage::describe(value).is_some()
}

fn opt(value: &Option<String>) -> String {
    text(value).to_owned()
}

fn text(value: &Option<String>) -> &str {
    value.as_deref().unwrap_or_default()
}

fn truncate(text: &str, max_chars: usize) -> String {
    let single_line = text.replace(['\n', '\r'], " ");
    if single_line.chars().count() <= max_chars {
        return single_line;
    }
    let kept: String = single_line.chars().take(max_chars - 1).collect();
    format!("{kept}…")
}

fn write_csv_row(out: &mut impl Write, fields: [&str; 12]) -> io::Result<()> {
    for (i, field) in fields.into_iter().enumerate() {
        if i > 0 {
            out.write_all(b",")?;
        }
        write_csv_field(out, field)?;
    }
    out.write_all(b"\n")
}

/// RFC 4180: quote a field holding a comma, quote or line break, doubling inner quotes.
fn write_csv_field(out: &mut impl Write, field: &str) -> io::Result<()> {
    if !field.contains([',', '"', '\n', '\r']) {
        return out.write_all(field.as_bytes());
    }
    out.write_all(b"\"")?;
    for (i, part) in field.split('"').enumerate() {
        if i > 0 {
            out.write_all(b"\"\"")?;
        }
        out.write_all(part.as_bytes())?;
    }
    out.write_all(b"\"")
}

fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, digit) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(digit);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn csv_field(field: &str) -> String {
        let mut out = Vec::new();
        write_csv_field(&mut out, field).unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn csv_quotes_only_what_needs_it() {
        assert_eq!(csv_field("plain"), "plain");
        assert_eq!(csv_field("a,b"), "\"a,b\"");
        assert_eq!(csv_field("say \"hi\"\nbye"), "\"say \"\"hi\"\"\nbye\"");
        assert_eq!(csv_field("\""), "\"\"\"\"");
    }

    #[test]
    fn counts_get_thousands_separators() {
        assert_eq!(thousands(0), "0");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(1_000), "1,000");
        assert_eq!(thousands(1_234_567), "1,234,567");
    }

    #[test]
    fn truncation_marks_what_was_cut_and_flattens_lines() {
        assert_eq!(truncate("short", 10), "short");
        assert_eq!(truncate("line one\nline two", 100), "line one line two");
        assert_eq!(truncate("abcdefghijkl", 5), "abcd…");
    }
}
