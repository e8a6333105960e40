//! The reply extractor on quote headers, forward blocks and signatures in other languages:
//! hand-written pairs (`tests/fixtures/quote_headers/handwritten/NAME.txt` and its
//! `NAME.reply.txt`) and, where the real-world sets are present, email_reply_trimmer's
//! fixtures against its expected trimmed text (differences listed with their reasons in
//! `tests/fixtures/quote_headers/email_reply_trimmer_differences.tsv`).

use std::fs;
use std::path::Path;

use negotiator_reading::mail::extract_reply;

use crate::fixture_labels::{committed_root, real_world_root};

fn read(path: &Path) -> String {
    fs::read_to_string(path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()))
}

fn txt_files(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut paths: Vec<_> = fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("cannot list {}: {e}", dir.display()))
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "txt"))
        .collect();
    paths.sort();
    paths
}

#[test]
fn handwritten_quote_headers_and_signatures() {
    let dir = committed_root().join("quote_headers/handwritten");
    let bodies: Vec<_> = txt_files(&dir)
        .into_iter()
        .filter(|p| !p.to_string_lossy().ends_with(".reply.txt"))
        .collect();
    assert!(bodies.len() >= 20, "only {} cases", bodies.len());
    let failures: Vec<String> = bodies
        .iter()
        .filter_map(|body| {
            let want = read(&body.with_extension("reply.txt"));
            let got = extract_reply(&read(body));
            (got != want.trim_end()).then(|| {
                format!(
                    "{}:\n  got  {got:?}\n  want {:?}",
                    body.display(),
                    want.trim_end()
                )
            })
        })
        .collect();
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn email_reply_trimmer_expectations() {
    let Some(root) = real_world_root() else {
        eprintln!(
            "note: the real-world sets are absent; email_reply_trimmer's fixtures not checked"
        );
        return;
    };
    let differences =
        read(&committed_root().join("quote_headers/email_reply_trimmer_differences.tsv"));
    let known: Vec<&str> = differences
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .filter_map(|l| l.split('\t').next())
        .collect();
    let mut failures = Vec::new();
    for email in txt_files(&root.join("replies/email_reply_trimmer")) {
        let name = email
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let want = read(
            &root
                .join("quote_headers/email_reply_trimmer/trimmed")
                .join(&name),
        );
        let same = extract_reply(&read(&email)).trim() == want.trim();
        match (same, known.contains(&name.as_str())) {
            (false, false) => {
                failures.push(format!("{name}: differs from upstream's trimmed text"))
            }
            (true, true) => failures.push(format!(
                "{name}: now matches upstream: remove it from the differences"
            )),
            _ => {}
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
