//! Inbound mail: MIME parsing, HTML to text, and extraction of the new text of a reply.

pub mod extract;
pub mod html;
pub mod parse;

pub use extract::{extract_reply, new_text, reply_text, strip_quotes};
pub use html::html_to_text;
pub use parse::{InboundEmail, Mailbox, ParseError, parse_address, parse_message};
