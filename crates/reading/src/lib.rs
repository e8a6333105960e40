//! Reading mail, with no I/O: MIME into text, the new text of a reply without its quotes and
//! signature, what kind of message it is (reply, automatic answer, bounce; opt-out requests),
//! and the built-in rules classifier's reading of what the reply means.

pub mod eval;
pub mod kind;
pub mod mail;
pub mod rules;

mod context;

pub use context::ReplyContext;
