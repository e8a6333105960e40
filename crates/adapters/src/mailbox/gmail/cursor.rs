//! The stored Gmail history cursor: moved only forward, in one transaction with its as-of time.

use jiff::Timestamp;
use negotiator_store::{Store, StoreError, get_cursor, set_cursor};
use negotiator_vendors::{ErrorKind, VendorError};

use super::batch::Position;
use negotiator_agent::ports::mailbox::MailboxError;

/// A resync reads mail from this long before the cursor's as-of time (clock skew, and
/// Gmail's `after:` reading the Date header).
pub(super) const RESYNC_MARGIN_SECS: i64 = 24 * 3600;
/// The as-of time assumed for a cursor stored without one.
const UNKNOWN_AS_OF_SECS: i64 = 7 * 24 * 3600;

#[derive(Debug, Clone)]
pub(super) struct Cursor {
    store: Store,
    history_key: String,
    as_of_key: String,
}

impl Cursor {
    pub fn new(store: Store, user: &str) -> Self {
        Cursor {
            store,
            history_key: format!("gmail:{user}:history_id"),
            as_of_key: format!("gmail:{user}:history_as_of"),
        }
    }

    /// The stored position, if the mailbox was ever read.
    pub async fn load(&self) -> Result<Option<Position>, MailboxError> {
        let db = self.store.db();
        let Some(value) = get_cursor(db, &self.history_key).await.map_err(store)? else {
            return Ok(None);
        };
        let history_id = value.trim().parse::<u64>().map_err(|_| {
            MailboxError::Vendor(VendorError::new(
                "Gmail",
                ErrorKind::Rejected,
                format!(
                    "the stored cursor {} is {value:?}, not a history id; delete it to start from \
                     the mailbox's current state",
                    self.history_key
                ),
            ))
        })?;
        let as_of = get_cursor(db, &self.as_of_key)
            .await
            .map_err(store)?
            .and_then(|v| v.trim().parse::<i64>().ok())
            .unwrap_or_else(|| Timestamp::now().as_second() - UNKNOWN_AS_OF_SECS);
        Ok(Some(Position { history_id, as_of }))
    }

    /// Moves the cursor to `to` if that is forward; says whether it moved.
    pub async fn advance(&self, to: Position) -> Result<bool, MailboxError> {
        let mut tx = self.store.begin_write().await.map_err(store)?;
        let current = get_cursor(&mut tx, &self.history_key)
            .await
            .map_err(store)?
            .and_then(|v| v.trim().parse::<u64>().ok());
        if current.is_some_and(|c| c >= to.history_id) {
            return Ok(false);
        }
        let now = Timestamp::now();
        set_cursor(&mut tx, &self.history_key, &to.history_id.to_string(), now)
            .await
            .map_err(store)?;
        set_cursor(&mut tx, &self.as_of_key, &to.as_of.to_string(), now)
            .await
            .map_err(store)?;
        tx.commit().await.map_err(store)?;
        Ok(true)
    }
}

/// The mailbox port has no store error of its own yet: a database failure is reported as a
/// retryable outage.
fn store(error: StoreError) -> MailboxError {
    MailboxError::Vendor(VendorError::new(
        "the negotiator database",
        ErrorKind::Unavailable,
        format!("could not read or move the Gmail cursor: {error}"),
    ))
}
