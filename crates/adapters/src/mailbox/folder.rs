//! The local mailbox: sent mail is written to `outbox/` as `.eml` files, replies are read from
//! `inbox/` and moved to `inbox/read/` once stored.

use std::path::{Path, PathBuf};

use async_trait::async_trait;

use negotiator_agent::ports::mailbox::{
    Delivered, Mailbox, MailboxError, OutboundEmail, RawInbound,
};

use super::build_message;

#[derive(Debug, Clone)]
pub struct FolderMailbox {
    root: PathBuf,
}

impl FolderMailbox {
    /// Uses (and creates) `outbox/`, `inbox/` and `inbox/read/` under `root`.
    pub fn open(root: &Path) -> Result<Self, MailboxError> {
        let mailbox = FolderMailbox {
            root: root.to_owned(),
        };
        for dir in [mailbox.outbox(), mailbox.inbox(), mailbox.read()] {
            std::fs::create_dir_all(&dir)
                .map_err(|source| MailboxError::Folder { path: dir, source })?;
        }
        Ok(mailbox)
    }

    pub fn outbox(&self) -> PathBuf {
        self.root.join("outbox")
    }

    pub fn inbox(&self) -> PathBuf {
        self.root.join("inbox")
    }

    fn read(&self) -> PathBuf {
        self.root.join("inbox").join("read")
    }

    fn sent_path(&self, message_id: &str) -> PathBuf {
        self.outbox().join(format!("{}.eml", file_stem(message_id)))
    }
}

/// A Message-ID made safe as a file name.
fn file_stem(message_id: &str) -> String {
    message_id
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_' | '@') {
                c
            } else {
                '_'
            }
        })
        .collect()
}

fn folder_error(path: &Path) -> impl FnOnce(std::io::Error) -> MailboxError + '_ {
    move |source| MailboxError::Folder {
        path: path.to_owned(),
        source,
    }
}

#[async_trait]
impl Mailbox for FolderMailbox {
    async fn send(&self, email: &OutboundEmail) -> Result<Delivered, MailboxError> {
        let bytes = build_message(email)?;
        let path = self.sent_path(&email.message_id);
        // Write then rename, so a crash never leaves half an email that looks sent.
        let partial = path.with_extension("eml.partial");
        std::fs::write(&partial, bytes).map_err(folder_error(&partial))?;
        std::fs::rename(&partial, &path).map_err(folder_error(&path))?;
        let thread_id = email
            .thread_id
            .clone()
            .unwrap_or_else(|| email.message_id.clone());
        Ok(Delivered {
            thread_id,
            message_id: Some(email.message_id.clone()),
        })
    }

    async fn find_sent(
        &self,
        email: &OutboundEmail,
        _since: i64,
    ) -> Result<Option<Delivered>, MailboxError> {
        // The folder is ours: it files a send under our Message-ID and never changes it.
        let message_id = email.message_id.as_str();
        let path = self.sent_path(message_id);
        if !path.exists() {
            return Ok(None);
        }
        let raw = std::fs::read(&path).map_err(folder_error(&path))?;
        let thread_id = negotiator_reading::mail::parse_message(&raw)
            .ok()
            .and_then(|parsed| parsed.references.first().cloned())
            .unwrap_or_else(|| message_id.to_owned());
        Ok(Some(Delivered {
            thread_id,
            message_id: Some(message_id.to_owned()),
        }))
    }

    async fn fetch_new(&self) -> Result<Vec<RawInbound>, MailboxError> {
        let inbox = self.inbox();
        let mut names = Vec::new();
        for entry in std::fs::read_dir(&inbox).map_err(folder_error(&inbox))? {
            let entry = entry.map_err(folder_error(&inbox))?;
            let name = entry.file_name().to_string_lossy().into_owned();
            if name.ends_with(".eml") && entry.path().is_file() {
                names.push(name);
            }
        }
        names.sort();
        let mut messages = Vec::with_capacity(names.len());
        for name in names {
            let path = inbox.join(&name);
            let raw = std::fs::read(&path).map_err(folder_error(&path))?;
            messages.push(RawInbound {
                provider_id: name,
                thread_id: None,
                raw,
            });
        }
        Ok(messages)
    }

    async fn acknowledge(&self, message: &RawInbound) -> Result<(), MailboxError> {
        let from = self.inbox().join(&message.provider_id);
        let to = self.read().join(&message.provider_id);
        match std::fs::rename(&from, &to) {
            Ok(()) => Ok(()),
            // Already moved by an earlier run that stopped before it could say so.
            Err(error) if error.kind() == std::io::ErrorKind::NotFound && to.exists() => Ok(()),
            Err(source) => Err(MailboxError::Folder { path: from, source }),
        }
    }

    fn describe(&self) -> String {
        format!(
            "mail folder {} (sent mail in outbox/, replies from inbox/)",
            self.root.display()
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn email(message_id: &str, thread_id: Option<&str>) -> OutboundEmail {
        OutboundEmail {
            message_id: message_id.to_owned(),
            thread_id: thread_id.map(str::to_owned),
            from_name: "Avery at Northstar".to_owned(),
            from_address: "agent@northstar.example".to_owned(),
            to: negotiator_domain::EmailAddress::parse("jane@example.com").unwrap(),
            cc: vec![],
            subject: "Collaboration opportunity with Glow — ünïcode".to_owned(),
            body: "Hi Jane,\n\nWe would love to work with you for $1,000.00.\n".to_owned(),
            in_reply_to: thread_id.map(str::to_owned),
            references: thread_id.map(str::to_owned).into_iter().collect(),
            date: 1_764_000_000,
        }
    }

    #[tokio::test]
    async fn a_sent_email_is_a_real_rfc5322_file_that_threads() {
        let dir = tempfile::tempdir().unwrap();
        let mailbox = FolderMailbox::open(dir.path()).unwrap();
        let first = mailbox
            .send(&email("m1.1@negotiator.local", None))
            .await
            .unwrap();
        assert_eq!(first.thread_id, "m1.1@negotiator.local");
        let reply = email("m2.1@negotiator.local", Some("m1.1@negotiator.local"));
        assert_eq!(
            mailbox.send(&reply).await.unwrap().thread_id,
            "m1.1@negotiator.local"
        );

        let raw = std::fs::read(mailbox.sent_path("m2.1@negotiator.local")).unwrap();
        let parsed = negotiator_reading::mail::parse_message(&raw).unwrap();
        assert_eq!(parsed.message_id.as_deref(), Some("m2.1@negotiator.local"));
        assert_eq!(parsed.in_reply_to.as_deref(), Some("m1.1@negotiator.local"));
        assert_eq!(
            parsed.subject,
            "Collaboration opportunity with Glow — ünïcode"
        );
        assert!(parsed.body.contains("$1,000.00"));

        let found = mailbox.find_sent(&reply, 0).await.unwrap().unwrap();
        assert_eq!(found.thread_id, "m1.1@negotiator.local");
        assert!(
            mailbox
                .find_sent(&email("never@negotiator.local", None), 0)
                .await
                .unwrap()
                .is_none()
        );
    }

    #[tokio::test]
    async fn inbox_messages_are_read_in_order_until_acknowledged() {
        let dir = tempfile::tempdir().unwrap();
        let mailbox = FolderMailbox::open(dir.path()).unwrap();
        std::fs::write(mailbox.inbox().join("002.eml"), b"Subject: b\r\n\r\nsecond").unwrap();
        std::fs::write(mailbox.inbox().join("001.eml"), b"Subject: a\r\n\r\nfirst").unwrap();
        std::fs::write(mailbox.inbox().join("notes.txt"), b"ignored").unwrap();
        let new = mailbox.fetch_new().await.unwrap();
        assert_eq!(
            new.iter()
                .map(|m| m.provider_id.as_str())
                .collect::<Vec<_>>(),
            ["001.eml", "002.eml"]
        );
        mailbox.acknowledge(&new[0]).await.unwrap();
        mailbox.acknowledge(&new[0]).await.unwrap();
        assert_eq!(mailbox.fetch_new().await.unwrap().len(), 1);
    }
}
