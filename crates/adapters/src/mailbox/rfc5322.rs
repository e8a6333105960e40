//! Outbound emails as RFC 5322 bytes (headers encoded and folded by mail-builder). To and Cc
//! come only from parsed addresses, so no text can add a recipient.

use mail_builder::MessageBuilder;
use mail_builder::headers::text::Text;

use negotiator_agent::ports::mailbox::{MailboxError, OutboundEmail, SEND_ID_HEADER};

pub fn build_message(email: &OutboundEmail) -> Result<Vec<u8>, MailboxError> {
    let mut builder = MessageBuilder::new()
        .message_id(email.message_id.as_str())
        // Our Message-ID again, in a header no provider rewrites: how a send is found again.
        .header(SEND_ID_HEADER, Text::new(email.message_id.as_str()))
        .from((email.from_name.as_str(), email.from_address.as_str()))
        .to(email.to.as_str())
        .subject(email.subject.as_str())
        .date(email.date)
        .text_body(email.body.as_str());
    if !email.cc.is_empty() {
        builder = builder.cc(email.cc.iter().map(|a| a.as_str()).collect::<Vec<_>>());
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

#[cfg(test)]
mod tests {
    use negotiator_domain::EmailAddress;
    use proptest::prelude::*;

    use super::*;
    use negotiator_reading::mail::parse_message;

    fn email(to: EmailAddress, cc: Vec<EmailAddress>) -> OutboundEmail {
        OutboundEmail {
            message_id: "m-1@northstar.example".to_owned(),
            thread_id: None,
            from_name: "Avery".to_owned(),
            from_address: "avery@northstar.example".to_owned(),
            to,
            cc,
            subject: "Hello".to_owned(),
            body: "Hi.\n".to_owned(),
            in_reply_to: None,
            references: Vec::new(),
            date: 1_764_000_000,
        }
    }

    /// The addresses of the To and Cc headers as a mail reader sees them.
    fn recipients(raw: &[u8]) -> (Vec<String>, Vec<String>) {
        let parsed = parse_message(raw).unwrap();
        let addresses = |list: Vec<negotiator_reading::mail::Mailbox>| {
            list.into_iter().map(|m| m.address).collect::<Vec<_>>()
        };
        (addresses(parsed.to), addresses(parsed.cc))
    }

    #[test]
    fn to_holds_one_address_and_cc_the_named_side() {
        let to = EmailAddress::parse("Jane@Creator.example").unwrap();
        let cc = vec![
            EmailAddress::parse("sam@talent.example").unwrap(),
            EmailAddress::parse("pa@creator.example").unwrap(),
        ];
        let raw = build_message(&email(to, cc)).unwrap();
        let (to, cc) = recipients(&raw);
        assert_eq!(to, ["jane@creator.example"]);
        assert_eq!(cc, ["sam@talent.example", "pa@creator.example"]);
    }

    /// Plausible addresses, and texts built to smuggle a second recipient or a header.
    fn candidates() -> impl Strategy<Value = String> {
        prop_oneof![
            "[a-zA-Z0-9!#$%&'*+/=?^_`{|}~-]{1,10}(\\.[a-z0-9]{1,5})?@[a-z0-9-]{1,10}\\.[a-z]{2,4}",
            "[a-z0-9.+<>,;:\"() \\r\\n\\t-]{0,12}@[a-z0-9.<>,;@ \\r\\n-]{1,12}\\.[a-z]{2,4}[>,< a-z@.]{0,12}",
        ]
    }

    proptest! {
        /// Whatever text is offered, either it is refused as an address or the To header
        /// names exactly that one address.
        #[test]
        fn no_text_can_put_a_second_recipient_in_to(text in candidates()) {
            if let Ok(address) = EmailAddress::parse(&text) {
                let raw = build_message(&email(address.clone(), Vec::new())).unwrap();
                let (to, cc) = recipients(&raw);
                prop_assert_eq!(to, vec![address.to_string()]);
                prop_assert!(cc.is_empty());
            }
        }
    }
}
