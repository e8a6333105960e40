//! The Gmail mailbox: send, find by Message-ID, and read new mail from the history.
