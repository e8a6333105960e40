//! The built-in local adapters, wired from one folder: what the product runs on with no
//! credentials (a CSV roster, a mail folder, the terminal, rules and templates).

use std::path::{Path, PathBuf};
use std::sync::Arc;

use async_trait::async_trait;

use negotiator_agent::AgentError;
use negotiator_agent::agent::Adapters;
use negotiator_agent::ports::roster::{Influencer, Lookup, Roster, RosterError, RosterProblem};
use negotiator_domain::EmailAddress;

use crate::classify::RulesClassifier;
use crate::compose::TemplateComposer;
use crate::mailbox::FolderMailbox;
use crate::notify::TerminalNotifier;
use crate::roster::{CsvRoster, EXPECTED_COLUMNS};

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

    /// The adapters; `print_notices` also shows each notice on standard output. A roster file
    /// that is missing or cannot be used (no such file, a missing column) is only an error when
    /// someone is looked up in it; bad rows are skipped (see [`Roster::problems`]).
    pub fn adapters(&self, print_notices: bool) -> Result<Adapters, AgentError> {
        Ok(Adapters {
            roster: self.roster(),
            mailbox: Arc::new(FolderMailbox::open(&self.mail)?),
            notifier: Arc::new(TerminalNotifier::new(&self.notices, print_notices)),
            classifier: Arc::new(RulesClassifier),
            composer: Arc::new(TemplateComposer::default()),
            campaign_source: None,
        })
    }

    /// The CSV roster, or one that answers every lookup with why the file cannot be used.
    pub fn roster(&self) -> Arc<dyn Roster> {
        let path = &self.roster;
        if !path.exists() {
            return Arc::new(UnusableRoster {
                path: path.clone(),
                reason: format!(
                    "{}: no roster file here; create it with the columns {EXPECTED_COLUMNS} (or pass \
                     --data-dir)",
                    path.display()
                ),
                state: "not created yet",
            });
        }
        match CsvRoster::load(path) {
            Ok(roster) => Arc::new(roster),
            Err(error) => Arc::new(UnusableRoster {
                path: path.clone(),
                reason: format!("{error}; fix the file and restart"),
                state: "cannot be used",
            }),
        }
    }
}

/// A roster file that does not exist (yet) or cannot be read as a whole.
#[derive(Debug)]
struct UnusableRoster {
    path: PathBuf,
    /// What is wrong and what to do, for every lookup.
    reason: String,
    /// A few words for the start-up line.
    state: &'static str,
}

#[async_trait]
impl Roster for UnusableRoster {
    async fn find(&self, _name: &str) -> Result<Lookup, RosterError> {
        Err(RosterError::Unreadable(self.reason.clone()))
    }

    async fn find_by_email(&self, _address: &EmailAddress) -> Result<Vec<Influencer>, RosterError> {
        Err(RosterError::Unreadable(self.reason.clone()))
    }

    fn problems(&self) -> Vec<RosterProblem> {
        vec![RosterProblem::Unusable(self.reason.clone())]
    }

    fn describe(&self) -> String {
        format!("CSV roster {} ({})", self.path.display(), self.state)
    }
}
