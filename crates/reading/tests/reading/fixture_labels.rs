//! Labelled fixtures for the message-kind and opt-out detectors, and how each is judged;
//! shared by the fixture tests and `examples/detector_report.rs` (which scores them).
//!
//! Three roots are read:
//! - `tests/fixtures/` (committed): hand-written samples for gaps, labelled `handwritten`;
//! - the real-world samples of public bounce, auto-reply and reply suites, kept outside the
//!   repository with their licences: `$NEGOTIATOR_NON_REPLY_FIXTURES`, else
//!   `../shared/fixtures/non-replies` (absent: those sets are skipped, and said so);
//! - `../shared/fixtures/{reply-parsing,mime}`: real replies and MIME messages, all expected
//!   to be replies unless `tests/fixtures/shared_labels.tsv` says otherwise.
//!
//! Each set is a folder `<kind>/<source>/` with a `labels.tsv`, one fixture a line:
//! `file  input  kind  severity  status  recipient  out_of_office  returns_on  note`, where
//! `input` is `eml` (a raw message) or `body` (a reply body, wrapped in minimal headers),
//! `kind` is `reply`, `auto_reply` or `bounce`, `-` leaves a field unchecked, `returns_on`
//! is a date or `none`, and a note starting `known miss:` marks a fixture the detectors get
//! wrong, with the reason. Opt-out sets (`opt_outs/<source>/labels.tsv`) have
//! `text  phrase  note`, with `\n` for line breaks and `-` for "not an opt-out".

use std::fs;
use std::path::{Path, PathBuf};

use jiff::Timestamp;
use jiff::civil::Date;
use jiff::tz::TimeZone;
use negotiator_reading::kind::{BounceSeverity, MessageKind, message_kind, opt_out};
use negotiator_reading::mail::{InboundEmail, parse_message};

/// The day a message without a usable Date header is taken to have arrived.
pub const DEFAULT_RECEIVED: (i16, i8, i8) = (2026, 12, 7);

const KNOWN_MISS: &str = "known miss:";

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Input {
    Eml,
    Body,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Reply,
    AutoReply,
    Bounce,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DateCheck {
    Unchecked,
    Absent,
    On(Date),
}

#[derive(Clone, Debug)]
pub struct Fixture {
    /// `set/source/file`, for reports.
    pub name: String,
    pub path: PathBuf,
    pub input: Input,
    pub kind: Kind,
    pub severity: Option<BounceSeverity>,
    pub status: Option<String>,
    pub recipient: Option<String>,
    pub out_of_office: Option<bool>,
    pub returns_on: DateCheck,
    pub known_miss: Option<String>,
}

#[derive(Clone, Debug)]
pub struct OptOutCase {
    pub name: String,
    pub text: String,
    /// The phrase expected, `None` for "not an opt-out".
    pub phrase: Option<String>,
    pub known_miss: Option<String>,
}

pub fn crate_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

pub fn committed_root() -> PathBuf {
    crate_dir().join("tests/fixtures")
}

pub fn shared_root() -> PathBuf {
    crate_dir().join("../../../shared/fixtures")
}

/// The real-world non-reply sets, if present.
pub fn real_world_root() -> Option<PathBuf> {
    let root = std::env::var_os("NEGOTIATOR_NON_REPLY_FIXTURES")
        .map(PathBuf::from)
        .unwrap_or_else(|| shared_root().join("non-replies"));
    root.is_dir().then_some(root)
}

/// Every labelled message fixture of every root, sorted by name.
pub fn message_fixtures() -> Vec<Fixture> {
    let mut all = labelled_sets(&committed_root(), "committed");
    if let Some(root) = real_world_root() {
        all.extend(labelled_sets(&root, "real"));
    }
    all.extend(shared_negatives());
    all.sort_by(|a, b| a.name.cmp(&b.name));
    all
}

/// Every opt-out case of every root.
pub fn opt_out_cases() -> Vec<OptOutCase> {
    let mut cases = Vec::new();
    for root in std::iter::once(committed_root()).chain(real_world_root()) {
        for dir in subdirs(&root.join("opt_outs")) {
            let source = file_name(&dir);
            for (line_no, cols) in tsv(&dir.join("labels.tsv")) {
                let [text, phrase, note, ..] = cols.as_slice() else {
                    panic!("{}:{line_no}: want text, phrase, note", dir.display());
                };
                cases.push(OptOutCase {
                    name: format!("opt_outs/{source}:{line_no}"),
                    text: text.replace("\\n", "\n"),
                    phrase: (phrase != "-").then(|| phrase.clone()),
                    known_miss: known_miss(note),
                });
            }
        }
    }
    cases
}

fn labelled_sets(root: &Path, origin: &str) -> Vec<Fixture> {
    let mut all = Vec::new();
    for set in ["bounces", "auto_replies", "replies"] {
        for dir in subdirs(&root.join(set)) {
            let source = file_name(&dir);
            let labels = dir.join("labels.tsv");
            assert!(
                labels.is_file(),
                "{origin} fixture set {} has no labels.tsv",
                dir.display()
            );
            for (line_no, cols) in tsv(&labels) {
                let fixture = parse_line(&cols, &dir, &format!("{set}/{source}"))
                    .unwrap_or_else(|e| panic!("{}:{line_no}: {e}", labels.display()));
                all.push(fixture);
            }
        }
    }
    all
}

/// The shared reply and MIME fixtures, all replies unless `shared_labels.tsv` says otherwise.
fn shared_negatives() -> Vec<Fixture> {
    let root = shared_root();
    let overrides: Vec<Fixture> = tsv(&committed_root().join("shared_labels.tsv"))
        .into_iter()
        .map(|(line_no, cols)| {
            parse_line(&cols, &root, "shared")
                .unwrap_or_else(|e| panic!("shared_labels.tsv:{line_no}: {e}"))
        })
        .collect();
    let mut all = Vec::new();
    for (dir, ext, input) in [
        ("reply-parsing/talon", "eml", Input::Eml),
        ("reply-parsing/email_reply_parser", "txt", Input::Body),
        ("mime/rfc", "eml", Input::Eml),
        ("mime/thirdparty", "eml", Input::Eml),
        ("mime/malformed", "eml", Input::Eml),
    ] {
        for path in files(&root.join(dir), ext) {
            let rel = format!("{dir}/{}", file_name(&path));
            let labelled = overrides.iter().find(|f| f.path == root.join(&rel));
            all.push(labelled.cloned().unwrap_or_else(|| Fixture {
                name: format!("shared/{rel}"),
                path,
                input,
                kind: Kind::Reply,
                severity: None,
                status: None,
                recipient: None,
                out_of_office: None,
                returns_on: DateCheck::Unchecked,
                known_miss: None,
            }));
        }
    }
    all
}

fn parse_line(cols: &[String], dir: &Path, set: &str) -> Result<Fixture, String> {
    let [
        file,
        input,
        kind,
        severity,
        status,
        recipient,
        away,
        returns_on,
        note,
        ..,
    ] = cols
    else {
        return Err(format!("want 9 columns, got {}", cols.len()));
    };
    let path = dir.join(file);
    if !path.is_file() {
        return Err(format!("no file {}", path.display()));
    }
    let unchecked = |v: &String| (v != "-").then(|| v.clone());
    Ok(Fixture {
        name: format!("{set}/{file}"),
        path,
        input: match input.as_str() {
            "eml" => Input::Eml,
            "body" => Input::Body,
            other => return Err(format!("input {other:?}: want eml or body")),
        },
        kind: match kind.as_str() {
            "reply" => Kind::Reply,
            "auto_reply" => Kind::AutoReply,
            "bounce" => Kind::Bounce,
            other => return Err(format!("kind {other:?}: want reply, auto_reply or bounce")),
        },
        severity: match severity.as_str() {
            "-" => None,
            "permanent" => Some(BounceSeverity::Permanent),
            "temporary" => Some(BounceSeverity::Temporary),
            other => return Err(format!("severity {other:?}")),
        },
        status: unchecked(status),
        recipient: unchecked(recipient),
        out_of_office: match away.as_str() {
            "-" => None,
            "yes" => Some(true),
            "no" => Some(false),
            other => return Err(format!("out_of_office {other:?}: want yes, no or -")),
        },
        returns_on: match returns_on.as_str() {
            "-" => DateCheck::Unchecked,
            "none" => DateCheck::Absent,
            date => DateCheck::On(
                date.parse()
                    .map_err(|e| format!("returns_on {date:?}: {e}"))?,
            ),
        },
        known_miss: known_miss(note),
    })
}

fn known_miss(note: &str) -> Option<String> {
    note.strip_prefix(KNOWN_MISS)
        .map(|reason| reason.trim().to_owned())
}

/// Non-comment lines of a tab-separated file, with 1-based line numbers; none if absent.
fn tsv(path: &Path) -> Vec<(usize, Vec<String>)> {
    let Ok(text) = fs::read_to_string(path) else {
        return Vec::new();
    };
    text.lines()
        .enumerate()
        .filter(|(_, line)| !line.trim().is_empty() && !line.starts_with('#'))
        .map(|(i, line)| (i + 1, line.split('\t').map(str::to_owned).collect()))
        .collect()
}

fn subdirs(dir: &Path) -> Vec<PathBuf> {
    let mut dirs: Vec<PathBuf> = fs::read_dir(dir)
        .map(|entries| {
            entries
                .flatten()
                .map(|e| e.path())
                .filter(|p| p.is_dir())
                .collect()
        })
        .unwrap_or_default();
    dirs.sort();
    dirs
}

fn files(dir: &Path, ext: &str) -> Vec<PathBuf> {
    let mut paths: Vec<PathBuf> = fs::read_dir(dir)
        .map(|entries| {
            entries
                .flatten()
                .map(|e| e.path())
                .filter(|p| p.extension().is_some_and(|e| e == ext))
                .collect()
        })
        .unwrap_or_default();
    paths.sort();
    paths
}

fn file_name(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// The raw message a fixture stands for: the file, or a body wrapped in a person's headers.
pub fn raw_message(fixture: &Fixture) -> Vec<u8> {
    let bytes = fs::read(&fixture.path)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", fixture.path.display()));
    match fixture.input {
        Input::Eml => bytes,
        Input::Body => {
            let mut raw = b"From: Jane Doe <jane@example.com>\r\nTo: deals@agency.example\r\n\
                Subject: Re: Collaboration offer\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n"
                .to_vec();
            raw.extend_from_slice(&bytes);
            raw
        }
    }
}

/// The message as the application would see it; an unparseable one as an empty message.
pub fn inbound(raw: &[u8]) -> InboundEmail {
    parse_message(raw).unwrap_or_else(|_| InboundEmail {
        message_id: None,
        in_reply_to: None,
        references: Vec::new(),
        from: None,
        to: Vec::new(),
        cc: Vec::new(),
        subject: String::new(),
        date: None,
        body: String::from_utf8_lossy(raw).into_owned(),
        html: None,
    })
}

/// The day the message arrived: its Date header (UTC), else [`DEFAULT_RECEIVED`].
pub fn received(email: &InboundEmail) -> Date {
    let (y, m, d) = DEFAULT_RECEIVED;
    email
        .date
        .and_then(|secs| Timestamp::from_second(secs).ok())
        .map(|ts| ts.to_zoned(TimeZone::UTC).date())
        .unwrap_or_else(|| Date::new(y, m, d).expect("a valid default date"))
}

/// What the detectors made of one fixture.
#[derive(Debug)]
pub struct Verdict {
    pub got: MessageKind,
    /// Each way the result differs from the labels; empty when it matches.
    pub problems: Vec<String>,
}

pub fn judge(fixture: &Fixture) -> Verdict {
    let raw = raw_message(fixture);
    let email = inbound(&raw);
    let got = message_kind(&raw, &email, received(&email));
    let mut problems = Vec::new();
    let mut check = |what: &str, got: String, want: String| {
        if got != want {
            problems.push(format!("{what}: got {got}, want {want}"));
        }
    };
    match (&got, fixture.kind) {
        (MessageKind::Reply, Kind::Reply) => {}
        (MessageKind::Bounce(b), Kind::Bounce) => {
            if let Some(want) = fixture.severity {
                check("severity", format!("{:?}", b.severity), format!("{want:?}"));
            }
            if let Some(want) = &fixture.status {
                check(
                    "status",
                    format!("{:?}", b.status),
                    format!("{:?}", Some(want)),
                );
            }
            if let Some(want) = &fixture.recipient {
                check(
                    "recipient",
                    format!("{:?}", b.recipient),
                    format!("{:?}", Some(want)),
                );
            }
        }
        (MessageKind::AutoReply(a), Kind::AutoReply) => {
            if let Some(want) = fixture.out_of_office {
                check(
                    "out_of_office",
                    a.out_of_office.to_string(),
                    want.to_string(),
                );
            }
            match fixture.returns_on {
                DateCheck::Unchecked => {}
                DateCheck::Absent => {
                    check("returns_on", format!("{:?}", a.returns_on), "None".into())
                }
                DateCheck::On(want) => check(
                    "returns_on",
                    format!("{:?}", a.returns_on),
                    format!("{:?}", Some(want)),
                ),
            }
        }
        (got, want) => problems.push(format!("kind: got {}, want {want:?}", describe(got))),
    }
    Verdict { got, problems }
}

/// A kind in a few words, for reports.
pub fn describe(kind: &MessageKind) -> String {
    match kind {
        MessageKind::Reply => "Reply".into(),
        MessageKind::AutoReply(a) => format!("AutoReply ({})", a.evidence),
        MessageKind::Bounce(b) => format!("Bounce ({:?} {:?})", b.severity, b.status),
    }
}

/// The opt-out detector on one case: the phrase found, and whether that is what was wanted
/// (any phrase counts as right for an opt-out; none for a non-opt-out).
pub fn judge_opt_out(case: &OptOutCase) -> (Option<String>, bool) {
    let got = opt_out(&case.text).map(|o| o.phrase);
    let right = got.is_some() == case.phrase.is_some();
    (got, right)
}
