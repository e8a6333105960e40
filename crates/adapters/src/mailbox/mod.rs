//! The mailbox's adapters: a folder of `.eml` files, and Gmail; and the RFC 5322 builder both
//! send with.

mod folder;
pub mod gmail;
mod played;
mod rfc5322;

pub use folder::FolderMailbox;
pub use played::{PlayedBounce, PlayedReply, play_bounce, play_reply};
pub use rfc5322::build_message;
