//! Outbound emails as RFC 5322 bytes (headers encoded and folded by mail-builder).

use mail_builder::MessageBuilder;

use super::{MailboxError, OutboundEmail};

pub fn build_message(email: &OutboundEmail) -> Result<Vec<u8>, MailboxError> {
    let mut builder = MessageBuilder::new()
        .message_id(email.message_id.as_str())
        .from((email.from_name.as_str(), email.from_address.as_str()))
        .to(email.to.as_str())
        .subject(email.subject.as_str())
        .date(email.date)
        .text_body(email.body.as_str());
    if !email.cc.is_empty() {
        builder = builder.cc(email.cc.iter().map(String::as_str).collect::<Vec<_>>());
    }
    if let Some(parent) = &email.in_reply_to {
        builder = builder.in_reply_to(parent.as_str());
    }
    if !email.references.is_empty() {
        builder = builder.references(
            email
                .references
                .iter()
                .map(String::as_str)
                .collect::<Vec<_>>(),
        );
    }
    builder
        .write_to_vec()
        .map_err(|error| MailboxError::Build(error.to_string()))
}
