//! Which part of the Gmail history is safely taken in: the messages handed out since the
//! stored cursor, and how far the cursor may move as they are acknowledged.

/// A history position: the Gmail history id, and a time (Unix seconds) no later than the
/// arrival of any message after it (the window a full resync reads from).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) struct Position {
    pub history_id: u64,
    pub as_of: i64,
}

/// One message to take in.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) struct Entry {
    pub id: String,
    pub thread_id: String,
    /// The history record that added it; `None` when it came from a resync listing.
    pub record: Option<u64>,
    pub done: bool,
}

/// The messages between the stored cursor and `target`, in history order.
#[derive(Debug)]
pub(super) struct Batch {
    entries: Vec<Entry>,
    /// Where the cursor goes once every message is done.
    target: Position,
    /// The stored cursor's `as_of`, kept by partial moves (a message after them may be older).
    base_as_of: i64,
}

impl Batch {
    pub fn new(entries: Vec<Entry>, target: Position, base_as_of: i64) -> Self {
        Batch {
            entries,
            target,
            base_as_of,
        }
    }

    /// Up to `max` messages not yet done, oldest first (handed out again until acknowledged).
    pub fn pending(&self, max: usize) -> Vec<(String, String)> {
        self.entries
            .iter()
            .filter(|e| !e.done)
            .take(max)
            .map(|e| (e.id.clone(), e.thread_id.clone()))
            .collect()
    }

    /// Marks message `id` taken in (or skipped for good); `false` if it is not in this batch.
    pub fn mark_done(&mut self, id: &str) -> bool {
        match self.entries.iter_mut().find(|e| e.id == id) {
            Some(entry) => {
                entry.done = true;
                true
            }
            None => false,
        }
    }

    pub fn is_finished(&self) -> bool {
        self.entries.iter().all(|e| e.done)
    }

    /// The furthest the cursor may go without passing a message that is not done: the
    /// target once all are done; otherwise just before the oldest pending message's history
    /// record (never past the target, which bounds what this batch has seen). `None` when a
    /// pending message has no history record (a resync batch moves only when complete).
    pub fn safe_position(&self) -> Option<Position> {
        let mut oldest: Option<u64> = None;
        for entry in self.entries.iter().filter(|e| !e.done) {
            let record = entry.record?;
            oldest = Some(oldest.map_or(record, |o| o.min(record)));
        }
        match oldest {
            None => Some(self.target),
            Some(record) => Some(Position {
                history_id: record.saturating_sub(1).min(self.target.history_id),
                as_of: self.base_as_of,
            }),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(id: &str, record: Option<u64>) -> Entry {
        Entry {
            id: id.to_owned(),
            thread_id: "t".to_owned(),
            record,
            done: false,
        }
    }

    const TARGET: Position = Position {
        history_id: 200,
        as_of: 2_000,
    };

    #[test]
    fn the_cursor_stops_before_the_oldest_message_not_taken_in() {
        let mut batch = Batch::new(
            vec![
                entry("a", Some(110)),
                entry("b", Some(120)),
                entry("c", Some(120)),
            ],
            TARGET,
            1_000,
        );
        assert_eq!(batch.safe_position().map(|p| p.history_id), Some(109));
        assert!(batch.mark_done("a"));
        let partial = batch.safe_position().unwrap();
        assert_eq!((partial.history_id, partial.as_of), (119, 1_000));
        // Acknowledged out of order: still held by "b".
        batch.mark_done("c");
        assert_eq!(batch.safe_position().map(|p| p.history_id), Some(119));
        assert_eq!(batch.pending(10), [("b".to_owned(), "t".to_owned())]);
        batch.mark_done("b");
        assert!(batch.is_finished());
        assert_eq!(batch.safe_position(), Some(TARGET));
        assert!(!batch.mark_done("zzz"));
    }

    #[test]
    fn never_past_the_target_and_resync_batches_move_only_when_complete() {
        // A record newer than the first page's history id (mail that came in mid-listing).
        let batch = Batch::new(vec![entry("late", Some(250))], TARGET, 1_000);
        assert_eq!(batch.safe_position().map(|p| p.history_id), Some(200));
        let mut resync = Batch::new(vec![entry("x", None), entry("y", None)], TARGET, 1_000);
        resync.mark_done("x");
        assert_eq!(resync.safe_position(), None);
        resync.mark_done("y");
        assert_eq!(resync.safe_position(), Some(TARGET));
        assert_eq!(Batch::new(vec![], TARGET, 0).safe_position(), Some(TARGET));
    }
}
