//! The local notifier: prints each notice readably and appends it to a JSON-lines file.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use async_trait::async_trait;

use negotiator_agent::ports::notifier::{Notice, Notifier, NotifyError};

#[derive(Debug)]
pub struct TerminalNotifier {
    log_path: PathBuf,
    print: bool,
    write_lock: Mutex<()>,
}

impl TerminalNotifier {
    /// Notices are appended to `log_path`; `print` also shows them on standard output.
    pub fn new(log_path: &Path, print: bool) -> Self {
        TerminalNotifier {
            log_path: log_path.to_owned(),
            print,
            write_lock: Mutex::new(()),
        }
    }

    pub fn log_path(&self) -> &Path {
        &self.log_path
    }

    /// Every notice recorded so far, oldest first.
    pub fn read_all(path: &Path) -> Result<Vec<Notice>, NotifyError> {
        let text = match std::fs::read_to_string(path) {
            Ok(text) => text,
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
            Err(source) => {
                return Err(NotifyError::Io {
                    path: path.to_owned(),
                    source,
                });
            }
        };
        Ok(text
            .lines()
            .filter_map(|line| serde_json::from_str(line).ok())
            .collect())
    }
}

/// Lines of each long section shown in the terminal.
const SECTION_LINES: usize = 8;

/// The notice as a person reads it in a terminal.
pub fn render(notice: &Notice) -> String {
    let mut text = format!(
        "── {} · {}\n   {}\n",
        notice.kind.as_str().to_uppercase(),
        notice.title,
        notice.summary
    );
    for (label, value) in &notice.fields {
        text.push_str(&format!("   {label}: {value}\n"));
    }
    for section in &notice.sections {
        let lines: Vec<&str> = section.lines().collect();
        for line in lines.iter().take(SECTION_LINES) {
            text.push_str(&format!("   │ {line}\n"));
        }
        if lines.len() > SECTION_LINES {
            text.push_str(&format!(
                "   │ … {} more lines (the whole notice is kept in the notices file)\n",
                lines.len() - SECTION_LINES
            ));
        }
    }
    text
}

#[async_trait]
impl Notifier for TerminalNotifier {
    async fn notify(&self, notice: &Notice) -> Result<(), NotifyError> {
        let io_error = |source| NotifyError::Io {
            path: self.log_path.clone(),
            source,
        };
        let line = serde_json::to_string(notice).map_err(|e| io_error(std::io::Error::other(e)))?;
        {
            let _guard = self
                .write_lock
                .lock()
                .unwrap_or_else(|poisoned| poisoned.into_inner());
            if let Some(parent) = self.log_path.parent() {
                std::fs::create_dir_all(parent).map_err(io_error)?;
            }
            let mut file = std::fs::OpenOptions::new()
                .create(true)
                .append(true)
                .open(&self.log_path)
                .map_err(io_error)?;
            writeln!(file, "{line}").map_err(io_error)?;
        }
        if self.print {
            println!("{}", render(notice));
        }
        Ok(())
    }

    fn describe(&self) -> String {
        format!(
            "terminal (notices also kept in {})",
            self.log_path.display()
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use negotiator_agent::ports::notifier::NoticeKind;

    #[tokio::test]
    async fn notices_are_kept_in_order_and_render_readably() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("notices.jsonl");
        let notifier = TerminalNotifier::new(&path, false);
        let first = Notice::new(
            NoticeKind::Escalation,
            "Jane Doe",
            "Asked $1,800.00, above the ceiling",
        )
        .field("Their rate", "$1,800.00 ($36.00 CPM)")
        .section("Jane: I need $1,800.");
        notifier.notify(&first).await.unwrap();
        notifier
            .notify(&Notice::new(NoticeKind::Agreement, "Raj", "Agreed"))
            .await
            .unwrap();
        let all = TerminalNotifier::read_all(&path).unwrap();
        assert_eq!(all.len(), 2);
        assert_eq!(all[0], first);
        let shown = render(&first);
        assert!(
            shown.contains("ESCALATION · Jane Doe") && shown.contains("Their rate: $1,800.00"),
            "{shown}"
        );
    }
}
