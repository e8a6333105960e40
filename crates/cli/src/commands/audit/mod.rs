//! `negotiator audit`: query the audit trail by influencer, campaign, thread, type and time.

mod render;
mod usage;

use std::io::{BufWriter, IsTerminal, Write};
use std::path::Path;

use anyhow::{Context, bail};
use jiff::Timestamp;
use negotiator_store::{AuditFilter, DEFAULT_AUDIT_LIMIT, Store};

use crate::args::{AuditArgs, Format};
use crate::commands::database;
use crate::progress::Progress;

/// Most entries the table shows: it is built whole in memory before it is printed.
const MAX_TABLE_ROWS: u32 = 100_000;

/// Output buffer of an export: large writes, few system calls.
const EXPORT_BUFFER: usize = 64 * 1024;

pub async fn run(db: &Path, args: AuditArgs) -> anyhow::Result<()> {
    let filter = filter_from(&args, Timestamp::now())?;
    let store = database::open_existing(db).await?;
    let written = match args.format {
        Format::Table => show_table(&store, &filter).await,
        Format::Csv | Format::Json => export(&store, &filter, args.limit, args.format).await,
    };
    match written {
        // The reader of the output (`| head`) has had enough: not a failure.
        Err(error) if is_broken_pipe(&error) => Ok(()),
        other => other,
    }
}

/// The newest page as a table, and how many entries it left out.
async fn show_table(store: &Store, filter: &AuditFilter) -> anyhow::Result<()> {
    let entries = store
        .audit_entries(filter)
        .await
        .context("could not read the audit trail")?;
    let total = if entries.len() < filter.limit as usize {
        entries.len() as u64
    } else {
        store
            .count_audit_entries(filter)
            .await
            .context("could not count audit entries")?
    };
    let mut out = std::io::stdout().lock();
    render::write_table(&mut out, &entries, total, MAX_TABLE_ROWS)?;
    out.flush()?;
    Ok(())
}

/// Every matching entry (at most `limit`), written as it is read.
async fn export(
    store: &Store,
    filter: &AuditFilter,
    limit: Option<u32>,
    format: Format,
) -> anyhow::Result<()> {
    // The count costs a query: only read it when a bar will show it.
    let total = match std::io::stderr().is_terminal() {
        true => {
            let all = store.count_audit_entries(filter).await?;
            limit.map_or(all, |limit| all.min(u64::from(limit)))
        }
        false => 0,
    };
    let mut bar = Progress::new("entries", total);
    let mut entries = store.audit_stream(filter, limit);
    let mut out = BufWriter::with_capacity(EXPORT_BUFFER, std::io::stdout());
    if format == Format::Json {
        render::export_json(&mut out, &mut entries, &mut bar).await?;
    } else {
        render::export_csv(&mut out, &mut entries, &mut bar).await?;
    }
    out.flush()?;
    bar.finish();
    Ok(())
}

fn is_broken_pipe(error: &anyhow::Error) -> bool {
    error.chain().any(|cause| {
        cause
            .downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
    })
}

fn filter_from(args: &AuditArgs, now: Timestamp) -> anyhow::Result<AuditFilter> {
    let from = match (args.last, args.from) {
        (Some(last), _) => Some(last.since(now)),
        (None, from) => from.map(|from| from.start()),
    };
    let to = args.to.map(|to| to.end_exclusive());
    if args.format == Format::Table
        && let Some(limit) = args.limit.filter(|&limit| limit > MAX_TABLE_ROWS)
    {
        bail!(
            "--limit {limit} is more than the table shows ({MAX_TABLE_ROWS}); lower it, or use \
             --format csv or --format json, which export any number"
        );
    }
    if let (Some(from), Some(to)) = (from, to)
        && from >= to
    {
        bail!("--from ({from}) is not before --to ({to}); swap them or widen the range");
    }
    Ok(AuditFilter {
        influencer: non_blank(&args.influencer),
        campaign: non_blank(&args.campaign),
        thread: non_blank(&args.thread),
        event_type: args.event_type,
        from,
        to,
        limit: args.limit.unwrap_or(DEFAULT_AUDIT_LIMIT),
    })
}

fn non_blank(value: &Option<String>) -> Option<String> {
    value
        .as_deref()
        .map(str::trim)
        .filter(|v| !v.is_empty())
        .map(str::to_owned)
}

#[cfg(test)]
mod tests {
    use clap::Parser;

    use super::*;
    use crate::args::{Cli, Command};

    fn filter(argv: &[&str]) -> anyhow::Result<AuditFilter> {
        let now: Timestamp = "2026-11-25T12:00:00Z".parse().unwrap();
        let cli = Cli::try_parse_from(std::iter::once("negotiator").chain(argv.iter().copied()))?;
        match cli.command {
            Command::Audit(args) => filter_from(&args, now),
            other => anyhow::bail!("not an audit command: {other:?}"),
        }
    }

    #[test]
    fn last_counts_back_from_now() {
        let f = filter(&["audit", "--last", "7d", "--influencer", " Jane Doe "]).unwrap();
        assert_eq!(f.from.unwrap().to_string(), "2026-11-18T12:00:00Z");
        assert_eq!(f.influencer.as_deref(), Some("Jane Doe"));
        assert_eq!(f.limit, 50);
    }

    #[test]
    fn a_to_date_includes_that_whole_day() {
        let f = filter(&["audit", "--from", "2026-03-01", "--to", "2026-03-01"]).unwrap();
        assert_eq!(f.from.unwrap().to_string(), "2026-03-01T00:00:00Z");
        assert_eq!(f.to.unwrap().to_string(), "2026-03-02T00:00:00Z");
    }

    #[test]
    fn an_inverted_range_is_refused() {
        let error = filter(&["audit", "--from", "2026-03-05", "--to", "2026-03-01"]).unwrap_err();
        assert!(error.to_string().contains("is not before"), "{error}");
    }

    #[test]
    fn bad_flags_and_values_are_refused_with_the_reason() {
        let bad_type = filter(&["audit", "--event-type", "emailsent"])
            .unwrap_err()
            .to_string();
        assert!(bad_type.contains("email_sent"), "{bad_type}");
        let bad_date = filter(&["audit", "--from", "2026-02-30"])
            .unwrap_err()
            .to_string();
        assert!(bad_date.contains("2026-11-25"), "{bad_date}");
        assert!(filter(&["audit", "--last", "7d", "--from", "2026-01-01"]).is_err());
        assert!(filter(&["audit", "--influncer", "x"]).is_err());
        assert!(filter(&["audit", "--format", "xml"]).is_err());
    }
}
