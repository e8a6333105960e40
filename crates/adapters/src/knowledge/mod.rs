//! The team's knowledge base: a folder of Markdown files (or the shipped one) that shapes how
//! every email is written, picked up again when a file changes, without a restart.
//!
//! Each use looks at the files' sizes and modification times (a few `stat` calls) and re-reads
//! only what changed. A file that cannot be used is logged and reported to the team once, by
//! name, and its last good version (at first, the shipped one) stays in use.

mod document;
mod files;
mod snapshot;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::SystemTime;

use negotiator_agent::ports::notifier::{Notice, NoticeKind, Notifier};
use negotiator_domain::GatePolicy;

pub use document::{Document, MAX_FILE_BYTES};
pub use files::{DEFAULT_FILES, DefaultFile, stage_name};
pub use snapshot::{MAX_PROMPT_CHARS, Snapshot};

/// The knowledge base in use; cheap to clone (all clones share one state).
#[derive(Clone)]
pub struct Knowledge {
    inner: Arc<Inner>,
}

impl std::fmt::Debug for Knowledge {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Knowledge")
            .field("dir", &self.inner.dir)
            .finish_non_exhaustive()
    }
}

impl Default for Knowledge {
    fn default() -> Self {
        Knowledge::builtin()
    }
}

struct Inner {
    /// `None`: the shipped knowledge base.
    dir: Option<PathBuf>,
    policy: GatePolicy,
    notifier: Mutex<Option<Arc<dyn Notifier>>>,
    state: Mutex<State>,
}

/// Size and modification time; `None` for a file that is not there.
type Stamp = Option<(u64, SystemTime)>;

struct State {
    stamps: BTreeMap<String, Stamp>,
    good: BTreeMap<String, Document>,
    /// Each file that cannot be used now, and why.
    broken: BTreeMap<String, String>,
    /// Problems found and not yet told to the team.
    pending: Vec<(String, String)>,
    snapshot: Arc<Snapshot>,
}

/// One file the knowledge base cannot use, and why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FileProblem {
    pub path: PathBuf,
    pub problem: String,
}

impl Knowledge {
    /// The shipped knowledge base: used when `[agent] knowledge_base` is not set.
    pub fn builtin() -> Self {
        Knowledge::with_state(None, GatePolicy::default())
    }

    /// The folder `dir`, its wording checked against `policy` (the gate the emails go
    /// through). Never fails: what cannot be read is reported and the shipped file stands in.
    pub fn open(dir: &Path, policy: GatePolicy) -> Self {
        let knowledge = Knowledge::with_state(Some(dir.to_owned()), policy);
        knowledge.refresh();
        knowledge
    }

    fn with_state(dir: Option<PathBuf>, policy: GatePolicy) -> Self {
        Knowledge {
            inner: Arc::new(Inner {
                dir,
                policy,
                notifier: Mutex::new(None),
                state: Mutex::new(State {
                    stamps: BTreeMap::new(),
                    good: BTreeMap::new(),
                    broken: BTreeMap::new(),
                    pending: Vec::new(),
                    snapshot: Arc::new(Snapshot::builtin()),
                }),
            }),
        }
    }

    /// Tells the team through `notifier` when a file cannot be used.
    pub fn notify_through(&self, notifier: Arc<dyn Notifier>) {
        *self
            .inner
            .notifier
            .lock()
            .unwrap_or_else(PoisonError::into_inner) = Some(notifier);
    }

    pub fn dir(&self) -> Option<&Path> {
        self.inner.dir.as_deref()
    }

    /// The current knowledge, re-read where a file changed; problems found are told to the
    /// team (once each).
    pub async fn snapshot(&self) -> Arc<Snapshot> {
        let (snapshot, pending) = self.refresh();
        if !pending.is_empty() {
            let notifier = self
                .inner
                .notifier
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .clone();
            if let Some(notifier) = notifier {
                for (path, problem) in pending {
                    if let Err(error) = notifier.notify(&self.notice(&path, &problem)).await {
                        tracing::warn!(%error, file = %path, "could not tell the team about a broken knowledge-base file");
                    }
                }
            }
        }
        snapshot
    }

    /// The current knowledge without telling anyone (the problems stay pending).
    pub fn snapshot_now(&self) -> Arc<Snapshot> {
        let mut state = self.lock();
        self.reload(&mut state);
        state.snapshot.clone()
    }

    /// Every file that cannot be used now (for `negotiator doctor`).
    pub fn problems(&self) -> Vec<FileProblem> {
        let mut state = self.lock();
        self.reload(&mut state);
        let dir = self.inner.dir.clone().unwrap_or_default();
        state
            .broken
            .iter()
            .map(|(path, problem)| FileProblem {
                path: dir.join(path),
                problem: problem.clone(),
            })
            .collect()
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, State> {
        self.inner
            .state
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
    }

    fn refresh(&self) -> (Arc<Snapshot>, Vec<(String, String)>) {
        let mut state = self.lock();
        self.reload(&mut state);
        (state.snapshot.clone(), std::mem::take(&mut state.pending))
    }

    fn notice(&self, path: &str, problem: &str) -> Notice {
        let full = self.inner.dir.clone().unwrap_or_default().join(path);
        Notice::new(
            NoticeKind::Error,
            "A knowledge-base file cannot be used",
            format!(
                "{}: {problem}. Its last good version stays in use until it is fixed.",
                full.display()
            ),
        )
        .field("file", full.display().to_string())
    }

    /// Re-reads the files whose stamp changed and rebuilds the snapshot if anything did.
    fn reload(&self, state: &mut State) {
        let Some(dir) = &self.inner.dir else {
            return;
        };
        let stamps = stamps(dir);
        if stamps == state.stamps {
            return;
        }
        let folder_problem = (!dir.is_dir()).then(|| {
            format!(
                "{} is not a folder; `negotiator init` writes one, or remove [agent] \
                 knowledge_base to use the built-in one",
                dir.display()
            )
        });
        match folder_problem {
            Some(problem) => self.report(state, ".", problem),
            None => {
                state.broken.remove(".");
            }
        }
        for (path, stamp) in &stamps {
            if state.stamps.get(path) == Some(stamp) {
                continue;
            }
            if stamp.is_none() {
                // A fixed file that is not there: the shipped one stands in.
                state.good.remove(path);
                state.broken.remove(path);
                continue;
            }
            match read(dir, path, &self.inner.policy) {
                Ok(doc) => {
                    if state.broken.remove(path).is_some() {
                        tracing::info!(file = %path, "a knowledge-base file is usable again");
                    }
                    state.good.insert(path.clone(), doc);
                }
                Err(problem) => self.report(state, path, problem),
            }
        }
        // Examples that were removed.
        state
            .good
            .retain(|path, _| stamps.get(path).is_some_and(Option::is_some));
        state
            .broken
            .retain(|path, _| path == "." || stamps.contains_key(path));
        state.stamps = stamps;
        let mut docs = BTreeMap::new();
        for path in files::fixed_files() {
            let doc = state.good.get(&path).cloned().or_else(|| {
                files::default_text(&path).and_then(|t| Document::parse(t.as_bytes()).ok())
            });
            if let Some(doc) = doc {
                docs.insert(path, doc);
            }
        }
        for (path, doc) in &state.good {
            docs.entry(path.clone()).or_insert_with(|| doc.clone());
        }
        state.snapshot = Arc::new(Snapshot::from_docs(docs));
    }

    fn report(&self, state: &mut State, path: &str, problem: String) {
        if state.broken.get(path) == Some(&problem) {
            return;
        }
        let full = self.inner.dir.clone().unwrap_or_default().join(path);
        tracing::warn!(
            file = %full.display(),
            %problem,
            "a knowledge-base file cannot be used; its last good version stays in use"
        );
        state.pending.push((path.to_owned(), problem.clone()));
        state.broken.insert(path.to_owned(), problem);
    }
}

/// The stamp of every file the knowledge base reads: the fixed ones and `examples/*.md`.
fn stamps(dir: &Path) -> BTreeMap<String, Stamp> {
    let stamp = |path: &Path| {
        std::fs::metadata(path)
            .ok()
            .filter(|m| m.is_file())
            .map(|m| (m.len(), m.modified().unwrap_or(SystemTime::UNIX_EPOCH)))
    };
    let mut out: BTreeMap<String, Stamp> = files::fixed_files()
        .into_iter()
        .map(|path| {
            let found = stamp(&dir.join(&path));
            (path, found)
        })
        .collect();
    if let Ok(entries) = std::fs::read_dir(dir.join(files::EXAMPLES_DIR)) {
        for entry in entries.flatten() {
            let name = entry.file_name().to_string_lossy().into_owned();
            if name.ends_with(".md") && !name.starts_with('.') {
                let path = format!("{}/{name}", files::EXAMPLES_DIR);
                let found = stamp(&entry.path());
                out.insert(path, found);
            }
        }
    }
    out
}

/// One file read, parsed and checked.
fn read(dir: &Path, path: &str, policy: &GatePolicy) -> Result<Document, String> {
    let bytes = std::fs::read(dir.join(path)).map_err(|e| format!("cannot be read: {e}"))?;
    let doc = Document::parse(&bytes)?;
    snapshot::check(path, &doc, policy)?;
    Ok(doc)
}

/// What [`write_default`] did with each file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Written {
    Created(PathBuf),
    /// Already there: left as it is.
    Skipped(PathBuf),
}

/// Writes the shipped knowledge base under `dir`, never over a file that exists.
pub fn write_default(dir: &Path) -> std::io::Result<Vec<Written>> {
    let mut out = Vec::new();
    for file in DEFAULT_FILES {
        let path = dir.join(file.path);
        if path.exists() {
            out.push(Written::Skipped(path));
            continue;
        }
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)?;
        }
        let mut handle = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&path)?;
        std::io::Write::write_all(&mut handle, file.text.as_bytes())?;
        out.push(Written::Created(path));
    }
    Ok(out)
}
