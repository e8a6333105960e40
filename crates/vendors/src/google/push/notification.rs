//! A Pub/Sub push delivery of a Gmail notification: `message.data` is base64 (either alphabet,
//! padded or not) of `{"emailAddress", "historyId"}`, the history id a string or a number.

use base64::Engine;
use base64::engine::general_purpose::{STANDARD_NO_PAD, URL_SAFE_NO_PAD};
use serde::Deserialize;
use serde_json::Value;

/// A push body that is not a Gmail notification.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum PushError {
    #[error("the push body is not Pub/Sub JSON with a message: {0}")]
    Envelope(String),
    #[error("the push message has no messageId")]
    NoMessageId,
    #[error("the push message's data is not base64 JSON with emailAddress and historyId")]
    Data,
}

/// What Gmail told us, and the Pub/Sub message that carried it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Notification {
    /// Pub/Sub's id for the message: the same on every redelivery.
    pub message_id: String,
    pub email_address: String,
    pub history_id: u64,
}

#[derive(Deserialize)]
struct Envelope {
    message: Message,
}

#[derive(Deserialize)]
struct Message {
    data: Option<String>,
    #[serde(rename = "messageId")]
    message_id: Option<String>,
    #[serde(rename = "message_id")]
    message_id_snake: Option<String>,
}

#[derive(Deserialize)]
struct Data {
    #[serde(rename = "emailAddress")]
    email_address: String,
    #[serde(rename = "historyId")]
    history_id: Value,
}

impl Notification {
    /// Reads a push body.
    pub fn parse(body: &[u8]) -> Result<Self, PushError> {
        let envelope: Envelope =
            serde_json::from_slice(body).map_err(|e| PushError::Envelope(e.to_string()))?;
        let message = envelope.message;
        let message_id = message
            .message_id
            .or(message.message_id_snake)
            .filter(|id| !id.trim().is_empty())
            .ok_or(PushError::NoMessageId)?;
        let data = message.data.as_deref().ok_or(PushError::Data)?;
        let data = data.trim().trim_end_matches('=');
        let bytes = URL_SAFE_NO_PAD
            .decode(data)
            .or_else(|_| STANDARD_NO_PAD.decode(data))
            .map_err(|_| PushError::Data)?;
        let data: Data = serde_json::from_slice(&bytes).map_err(|_| PushError::Data)?;
        let history_id = match &data.history_id {
            Value::String(s) => s.trim().parse().ok(),
            Value::Number(n) => n.as_u64(),
            _ => None,
        }
        .ok_or(PushError::Data)?;
        Ok(Notification {
            message_id,
            email_address: data.email_address,
            history_id,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_documented_sample_is_read() {
        let body = br#"{"message":{"data":"eyJlbWFpbEFkZHJlc3MiOiAidXNlckBleGFtcGxlLmNvbSIsICJoaXN0b3J5SWQiOiAiMTIzNDU2Nzg5MCJ9","messageId":"2070443601311540","publishTime":"2021-02-26T19:13:55.749Z"},"subscription":"projects/myproject/subscriptions/mysubscription"}"#;
        assert_eq!(
            Notification::parse(body).unwrap(),
            Notification {
                message_id: "2070443601311540".to_owned(),
                email_address: "user@example.com".to_owned(),
                history_id: 1_234_567_890,
            }
        );
    }

    #[test]
    fn a_numeric_history_id_and_snake_case_ids_are_accepted() {
        let data = STANDARD_NO_PAD.encode(br#"{"emailAddress":"a@b.example","historyId":1710}"#);
        let body = format!(r#"{{"message":{{"data":"{data}==","message_id":"7"}}}}"#);
        let n = Notification::parse(body.as_bytes()).unwrap();
        assert_eq!((n.message_id.as_str(), n.history_id), ("7", 1710));
        assert_eq!(
            Notification::parse(br#"{"message":{"data":"e30","messageId":"1"}}"#),
            Err(PushError::Data)
        );
        assert_eq!(
            Notification::parse(br#"{"message":{"data":"e30"}}"#),
            Err(PushError::NoMessageId)
        );
    }
}
