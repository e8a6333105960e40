//! The scores as tables: per intent, rates and flags, the confusion table, and the misses.

use comfy_table::{CellAlignment, ContentArrangement, Table, presets::UTF8_FULL_CONDENSED};
use negotiator_domain::Intent;
use negotiator_reading::eval::{Counts, Scores};

pub fn report(scores: &Scores, misses: bool) -> String {
    let mut out = String::new();
    out.push_str(&format!(
        "Intent accuracy {}   rate accuracy {}   flag recall {}\n\n",
        ratio(scores.intent),
        ratio(scores.rate),
        ratio(scores.flag_recall)
    ));

    let mut intents = table(&["intent", "precision", "recall"]);
    for s in &scores.intents {
        intents.add_row([s.intent.to_string(), ratio(s.precision), ratio(s.recall)]);
    }
    out.push_str(&format!("{intents}\n\n"));

    let mut rates = table(&["proposed rate", "read exactly"]);
    rates.add_row([
        "every reply (none where none named)".to_owned(),
        ratio(scores.rate),
    ]);
    rates.add_row([
        "replies that name an ask".to_owned(),
        ratio(scores.rate_named),
    ]);
    out.push_str(&format!("{rates}\n\n"));

    let mut flags = table(&["flag", "recall", "raised without reason"]);
    for f in &scores.flags {
        flags.add_row([
            f.flag.as_str().to_owned(),
            ratio(f.recall),
            f.false_alarms.to_string(),
        ]);
    }
    out.push_str(&format!("{flags}\n\n"));

    let mut header = vec!["labelled \\ read as".to_owned()];
    header.extend(Intent::ALL.iter().map(ToString::to_string));
    let mut confusion = Table::new();
    confusion
        .load_style(UTF8_FULL_CONDENSED)
        .set_content_arrangement(ContentArrangement::Dynamic)
        .set_header(header);
    for (intent, row) in Intent::ALL.iter().zip(&scores.confusion) {
        let mut cells = vec![intent.to_string()];
        cells.extend(row.iter().map(ToString::to_string));
        confusion.add_row(cells);
    }
    for column in confusion.column_iter_mut().skip(1) {
        column.set_cell_alignment(CellAlignment::Right);
    }
    out.push_str(&format!("{confusion}\n"));

    if misses && !scores.misses.is_empty() {
        let mut list = table(&["line", "id", "read wrongly"]);
        for miss in &scores.misses {
            list.add_row([miss.line.to_string(), miss.id.clone(), miss.what.clone()]);
        }
        out.push_str(&format!("\n{list}\n"));
    } else if !scores.misses.is_empty() {
        out.push_str(&format!(
            "\n{} replies read wrongly; --misses lists them.\n",
            scores.misses.len()
        ));
    }
    out
}

fn table(header: &[&str]) -> Table {
    let mut table = Table::new();
    table
        .load_style(UTF8_FULL_CONDENSED)
        .set_content_arrangement(ContentArrangement::Dynamic)
        .set_header(header.iter().map(|h| (*h).to_owned()));
    table
}

/// "0.93 (41/44)".
fn ratio(counts: Counts) -> String {
    format!("{:.2} ({}/{})", counts.ratio(), counts.hits, counts.total)
}
