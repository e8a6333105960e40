//! Chooses an adapter for each port from the configuration: the production one where its
//! section and secret are present, the local one otherwise.

use negotiator_store::Store;

use crate::agent::Adapters;
use crate::config::Config;
use crate::error::AgentError;
use crate::local::LocalPaths;

/// The adapters `config` asks for; `print_notices` shows local notices on standard output.
pub fn adapters(
    config: &Config,
    _store: &Store,
    print_notices: bool,
) -> Result<Adapters, AgentError> {
    let local = LocalPaths::under(&config.local.data_dir);
    local.adapters(print_notices)
}

/// One finding of `negotiator doctor`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DoctorCheck {
    pub what: String,
    pub ok: bool,
    /// What was found, and what to do when it is wrong.
    pub detail: String,
}

/// Checks each port's adapter: the local files, and for each configured service whether it
/// answers with the credentials given.
pub async fn doctor(config: &Config) -> Vec<DoctorCheck> {
    let local = LocalPaths::under(&config.local.data_dir);
    let mut checks = Vec::new();
    checks.push(match crate::roster::CsvRoster::load(&local.roster) {
        Ok(roster) => DoctorCheck {
            what: "roster (local CSV)".into(),
            ok: true,
            detail: format!("{} has {} influencers", local.roster.display(), roster.influencers().len()),
        },
        Err(error) => DoctorCheck {
            what: "roster (local CSV)".into(),
            ok: false,
            detail: format!("{error}; create it with the columns name, email, platform, handle, average views, min rate, max rate, engagement rate"),
        },
    });
    checks.push(match crate::mailbox::FolderMailbox::open(&local.mail) {
        Ok(mailbox) => DoctorCheck {
            what: "mailbox (local folder)".into(),
            ok: true,
            detail: format!(
                "sent mail goes to {}, replies are read from {}",
                mailbox.outbox().display(),
                mailbox.inbox().display()
            ),
        },
        Err(error) => DoctorCheck {
            what: "mailbox (local folder)".into(),
            ok: false,
            detail: error.to_string(),
        },
    });
    checks
}
