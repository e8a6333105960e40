//! The built-in local adapters, wired from one folder: what the product runs on with no
//! credentials (a CSV roster, a mail folder, the terminal, rules and templates).

use std::path::{Path, PathBuf};
use std::sync::Arc;

use async_trait::async_trait;

use crate::agent::Adapters;
use crate::classify::RulesClassifier;
use crate::compose::TemplateComposer;
use crate::error::AgentError;
use crate::mailbox::FolderMailbox;
use crate::notify::TerminalNotifier;
use crate::roster::{CsvRoster, Influencer, Roster, RosterError, RosterFileError};

/// Where the local adapters keep their files.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LocalPaths {
    /// The roster CSV (the team's sheet columns).
    pub roster: PathBuf,
    /// The mail folder: `outbox/` for sent mail, `inbox/` for replies.
    pub mail: PathBuf,
    /// Every notice, one JSON object per line.
    pub notices: PathBuf,
}

impl LocalPaths {
    /// `roster.csv`, `mail/` and `notices.jsonl` under `dir`.
    pub fn under(dir: &Path) -> Self {
        LocalPaths {
            roster: dir.join("roster.csv"),
            mail: dir.join("mail"),
            notices: dir.join("notices.jsonl"),
        }
    }

    /// The adapters; `print_notices` also shows each notice on standard output. A missing
    /// roster file is only an error when someone is looked up in it.
    pub fn adapters(&self, print_notices: bool) -> Result<Adapters, AgentError> {
        let roster: Arc<dyn Roster> = if self.roster.exists() {
            Arc::new(CsvRoster::load(&self.roster).map_err(RosterError::from)?)
        } else {
            Arc::new(NoRoster(self.roster.clone()))
        };
        Ok(Adapters {
            roster,
            mailbox: Arc::new(FolderMailbox::open(&self.mail)?),
            notifier: Arc::new(TerminalNotifier::new(&self.notices, print_notices)),
            classifier: Arc::new(RulesClassifier),
            composer: Arc::new(TemplateComposer),
            clickup: None,
        })
    }
}

/// The roster file does not exist (yet).
#[derive(Debug)]
struct NoRoster(PathBuf);

#[async_trait]
impl Roster for NoRoster {
    async fn find(&self, _name: &str) -> Result<Option<Influencer>, RosterError> {
        Err(RosterError::File(RosterFileError::Io {
            path: self.0.clone(),
            source: std::io::Error::new(
                std::io::ErrorKind::NotFound,
                "no roster file here; create it with the columns name, email, platform, handle, \
                 average views, min rate, max rate, engagement rate (or pass --data-dir)",
            ),
        }))
    }

    fn describe(&self) -> String {
        format!("CSV roster {} (not created yet)", self.0.display())
    }
}
