//! Slack's `{"ok":false,"error":"…"}` answers, classed by what the caller should do next.

use reqwest::header::HeaderMap;

use crate::http::{ErrorKind, VendorError, retry_after_from};

pub(crate) const SERVICE: &str = "Slack";

/// How an `ok:false` error code is handled: rate limits and outages are worth retrying;
/// refused credentials and refused requests are not. Codes not listed are refusals.
pub fn class_of(code: &str) -> ErrorKind {
    known_class(code).unwrap_or(ErrorKind::Rejected)
}

fn known_class(code: &str) -> Option<ErrorKind> {
    Some(match code {
        "ratelimited" | "rate_limited" => ErrorKind::RateLimited,
        "invalid_auth"
        | "not_authed"
        | "account_inactive"
        | "token_revoked"
        | "token_expired"
        | "missing_scope"
        | "not_allowed_token_type"
        | "ekm_access_denied" => ErrorKind::Unauthorized,
        "channel_not_found"
        | "not_in_channel"
        | "is_archived"
        | "msg_too_long"
        | "invalid_blocks"
        | "invalid_blocks_format"
        | "no_text"
        | "invalid_arguments"
        | "invalid_form_data"
        | "restricted_action"
        | "too_many_attachments" => ErrorKind::Rejected,
        "internal_error" | "fatal_error" | "service_unavailable" | "request_timeout" => {
            ErrorKind::Unavailable
        }
        _ => return None,
    })
}

/// What a person can do about a code, where that is not obvious from the code.
fn hint(code: &str) -> Option<&'static str> {
    Some(match code {
        "channel_not_found" => {
            "check the channel id in [slack.channels] (`negotiator doctor` checks each one)"
        }
        "not_in_channel" => {
            "invite the app to the channel (/invite @the-app), or give it chat:write.public"
        }
        "is_archived" => {
            "the channel is archived; unarchive it or name another in [slack.channels]"
        }
        "missing_scope" => "add the missing scope to the Slack app and reinstall it",
        "invalid_blocks" | "invalid_blocks_format" => "the message layout was refused",
        _ => return None,
    })
}

/// The error for an `ok:false` answer to `method`.
pub(crate) fn api_error(
    method: &str,
    code: &str,
    needed: Option<&str>,
    headers: &HeaderMap,
) -> VendorError {
    let mut message = format!("{method} answered {code}");
    if let Some(needed) = needed {
        message.push_str(&format!(" (needs scope {needed})"));
    }
    if let Some(hint) = hint(code) {
        message.push_str("; ");
        message.push_str(hint);
    }
    let mut error = VendorError::new(SERVICE, class_of(code), message);
    error.retry_after = retry_after_from(headers);
    error
}

/// A non-2xx answer re-classed by the Slack error code in its body, when there is one we know.
pub(crate) fn reclass(method: &str, mut error: VendorError) -> VendorError {
    let Ok(body) = serde_json::from_str::<serde_json::Value>(&error.message) else {
        return error;
    };
    let Some(code) = body.get("error").and_then(|c| c.as_str()) else {
        return error;
    };
    if let Some(kind) = known_class(code)
        && error.status != Some(429)
    {
        error.kind = kind;
    }
    error.message = format!("{method} answered {code}");
    error
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_classed_by_what_to_do_next() {
        assert_eq!(class_of("ratelimited"), ErrorKind::RateLimited);
        for code in [
            "invalid_auth",
            "not_authed",
            "account_inactive",
            "token_revoked",
        ] {
            assert_eq!(class_of(code), ErrorKind::Unauthorized, "{code}");
        }
        for code in [
            "channel_not_found",
            "not_in_channel",
            "is_archived",
            "msg_too_long",
            "invalid_blocks",
            "something_new",
        ] {
            assert_eq!(class_of(code), ErrorKind::Rejected, "{code}");
        }
        for code in [
            "internal_error",
            "fatal_error",
            "service_unavailable",
            "request_timeout",
        ] {
            assert_eq!(class_of(code), ErrorKind::Unavailable, "{code}");
        }
    }

    #[test]
    fn messages_name_the_method_code_and_remedy() {
        let error = api_error(
            "chat.postMessage",
            "not_in_channel",
            None,
            &HeaderMap::new(),
        );
        let text = error.to_string();
        assert!(
            text.contains("chat.postMessage answered not_in_channel"),
            "{text}"
        );
        assert!(text.contains("/invite"), "{text}");
        let error = api_error(
            "chat.postMessage",
            "missing_scope",
            Some("chat:write"),
            &HeaderMap::new(),
        );
        assert!(error.to_string().contains("needs scope chat:write"));
        assert_eq!(error.kind, ErrorKind::Unauthorized);
    }

    #[test]
    fn a_non_2xx_answer_with_a_slack_code_is_classed_by_the_code() {
        let error = VendorError::from_status(
            SERVICE,
            400,
            &HeaderMap::new(),
            r#"{"ok":false,"error":"invalid_auth"}"#,
        );
        let error = reclass("auth.test", error);
        assert_eq!(error.kind, ErrorKind::Unauthorized);
        assert_eq!(error.message, "auth.test answered invalid_auth");
        let busy = VendorError::from_status(
            SERVICE,
            429,
            &HeaderMap::new(),
            r#"{"ok":false,"error":"something"}"#,
        );
        assert_eq!(
            reclass("chat.postMessage", busy).kind,
            ErrorKind::RateLimited
        );
        let plain =
            VendorError::from_status(SERVICE, 502, &HeaderMap::new(), "<html>bad gateway</html>");
        assert_eq!(reclass("chat.postMessage", plain.clone()), plain);
    }
}
