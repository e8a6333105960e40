//! The Anthropic client against a local fake answering in the documented shapes.

use std::time::{Duration, Instant};

use negotiator_vendors::anthropic::{
    AnthropicClient, Message, MessagesRequest, StopReason, Tool, ToolCall, ToolCallError,
};
use negotiator_vendors::{ErrorKind, RetryPolicy, Secret};
use serde_json::{Value, json};
use wiremock::matchers::{body_partial_json, header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

const KEY: &str = "sk-ant-test-0123456789-very-secret";

fn client(server: &MockServer) -> AnthropicClient {
    AnthropicClient::new(server.uri(), Secret::new(KEY), Duration::from_secs(5))
        .unwrap()
        .with_retry(RetryPolicy::immediate(3))
}

fn tool() -> Tool {
    Tool {
        name: "record_answer".to_owned(),
        description: "Record the answer.".to_owned(),
        input_schema: json!({
            "type": "object",
            "properties": {"answer": {"type": "string"}},
            "required": ["answer"]
        }),
    }
}

fn call() -> ToolCall {
    ToolCall {
        model: "claude-test-model".to_owned(),
        system: "You answer questions.".to_owned(),
        prompt: "What is the answer?".to_owned(),
        tool: tool(),
        max_tokens: 256,
        temperature: Some(0.0),
    }
}

/// A Messages answer with the given content blocks and stop reason.
fn message(content: Value, stop_reason: &str) -> Value {
    json!({
        "id": "msg_01XFDUDYJgAACzvnptvVoYEL",
        "type": "message",
        "role": "assistant",
        "model": "claude-test-model",
        "content": content,
        "stop_reason": stop_reason,
        "stop_sequence": null,
        "usage": {"input_tokens": 412, "output_tokens": 37, "cache_read_input_tokens": 0}
    })
}

fn tool_answer() -> ResponseTemplate {
    let content = json!([{
        "type": "tool_use",
        "id": "toolu_01A09q90qw90lq917835lq9",
        "name": "record_answer",
        "input": {"answer": "forty-two"}
    }]);
    ResponseTemplate::new(200)
        .insert_header("request-id", "req_018EeWyXxfu5pfWkrYcMdjWG")
        .set_body_json(message(content, "tool_use"))
}

fn error(status: u16, kind: &str, text: &str) -> ResponseTemplate {
    ResponseTemplate::new(status).set_body_json(json!({
        "type": "error",
        "error": {"type": kind, "message": text},
        "request_id": "req_011CSHoEeqs5C35K2UUqR7Fy"
    }))
}

#[tokio::test]
async fn a_forced_tool_call_sends_the_documented_headers_and_returns_the_tool_input() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/v1/messages"))
        .and(header("x-api-key", KEY))
        .and(header("anthropic-version", "2023-06-01"))
        .and(header("content-type", "application/json"))
        .and(body_partial_json(json!({
            "model": "claude-test-model",
            "max_tokens": 256,
            "system": [{
                "type": "text",
                "text": "You answer questions.",
                "cache_control": {"type": "ephemeral"}
            }],
            "messages": [{"role": "user", "content": "What is the answer?"}],
            "tools": [{"name": "record_answer", "input_schema": {"type": "object"}}],
            "tool_choice": {"type": "tool", "name": "record_answer"}
        })))
        .respond_with(tool_answer())
        .expect(1)
        .mount(&server)
        .await;

    let answer = client(&server).call_tool(&call()).await.unwrap();

    assert_eq!(answer.input, json!({"answer": "forty-two"}));
    assert_eq!(
        answer.request_id.as_deref(),
        Some("req_018EeWyXxfu5pfWkrYcMdjWG")
    );
    assert_eq!(answer.usage.input_tokens, 412);
    assert_eq!(answer.usage.output_tokens, 37);
}

#[tokio::test]
async fn the_request_never_asks_for_thinking_and_omits_what_is_unset() {
    let request = MessagesRequest {
        model: "m".to_owned(),
        max_tokens: 10,
        system: vec![],
        messages: vec![Message::user("hi")],
        tools: vec![],
        tool_choice: None,
        temperature: None,
    };
    let body = serde_json::to_value(&request).unwrap();
    assert_eq!(
        body,
        json!({"model": "m", "max_tokens": 10, "messages": [{"role": "user", "content": "hi"}]})
    );
    let forced = serde_json::to_value(call().request()).unwrap();
    assert!(forced.get("thinking").is_none());
    assert_eq!(
        forced["tool_choice"],
        json!({"type": "tool", "name": "record_answer"})
    );
}

#[tokio::test]
async fn an_overloaded_answer_is_retried_and_the_next_one_used() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(error(529, "overloaded_error", "Overloaded"))
        .up_to_n_times(1)
        .with_priority(1)
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .respond_with(tool_answer())
        .expect(1)
        .mount(&server)
        .await;

    let answer = client(&server).call_tool(&call()).await.unwrap();
    assert_eq!(answer.input["answer"], "forty-two");
}

#[tokio::test]
async fn a_rate_limit_is_waited_out_as_retry_after_asks() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(
            error(
                429,
                "rate_limit_error",
                "Number of request tokens has exceeded your per-minute rate limit",
            )
            .insert_header("retry-after", "1"),
        )
        .up_to_n_times(1)
        .with_priority(1)
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .respond_with(tool_answer())
        .expect(1)
        .mount(&server)
        .await;

    let started = Instant::now();
    let answer = client(&server).call_tool(&call()).await.unwrap();
    assert_eq!(answer.input["answer"], "forty-two");
    assert!(
        started.elapsed() >= Duration::from_secs(1),
        "{:?}",
        started.elapsed()
    );
}

#[tokio::test]
async fn server_errors_are_retried_three_times_then_reported_as_unavailable() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(error(500, "api_error", "Internal server error"))
        .expect(3)
        .mount(&server)
        .await;

    let failure = client(&server).call_tool(&call()).await.unwrap_err();
    let ToolCallError::Vendor(error) = failure else {
        panic!("expected a vendor error, got {failure:?}");
    };
    assert_eq!(error.kind, ErrorKind::Unavailable);
    assert_eq!(error.status, Some(500));
    assert!(
        error.message.contains("api_error: Internal server error"),
        "{error}"
    );
}

#[tokio::test]
async fn a_bad_request_is_never_retried() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(error(
            400,
            "invalid_request_error",
            "max_tokens: field required",
        ))
        .expect(1)
        .mount(&server)
        .await;

    let failure = client(&server).call_tool(&call()).await.unwrap_err();
    let ToolCallError::Vendor(error) = failure else {
        panic!("expected a vendor error, got {failure:?}");
    };
    assert_eq!(error.kind, ErrorKind::Rejected);
    assert!(!error.is_retryable());
    assert!(
        error
            .to_string()
            .contains("invalid_request_error: max_tokens: field required"),
        "{error}"
    );
    assert!(
        error.to_string().contains("req_011CSHoEeqs5C35K2UUqR7Fy"),
        "{error}"
    );
}

#[tokio::test]
async fn refusals_of_the_request_are_never_retried() {
    for (status, kind, expected) in [
        (401, "authentication_error", ErrorKind::Unauthorized),
        (403, "permission_error", ErrorKind::Unauthorized),
        (404, "not_found_error", ErrorKind::Rejected),
        (413, "request_too_large", ErrorKind::Rejected),
    ] {
        let server = MockServer::start().await;
        Mock::given(method("POST"))
            .respond_with(error(status, kind, "no"))
            .expect(1)
            .mount(&server)
            .await;
        let failure = client(&server).call_tool(&call()).await.unwrap_err();
        let ToolCallError::Vendor(error) = failure else {
            panic!("expected a vendor error, got {failure:?}");
        };
        assert_eq!(error.kind, expected, "{status}");
        assert_eq!(error.status, Some(status));
        server.verify().await;
    }
}

#[tokio::test]
async fn a_truncated_or_refused_answer_is_not_parsed() {
    for stop in ["max_tokens", "refusal", "model_context_window_exceeded"] {
        let server = MockServer::start().await;
        // A tool block whose input was cut short still carries a (partial) object.
        let content = json!([{
            "type": "tool_use", "id": "toolu_1", "name": "record_answer", "input": {"answer": "for"}
        }]);
        Mock::given(method("POST"))
            .respond_with(ResponseTemplate::new(200).set_body_json(message(content, stop)))
            .expect(1)
            .mount(&server)
            .await;
        let failure = client(&server).call_tool(&call()).await.unwrap_err();
        assert!(
            matches!(failure, ToolCallError::Incomplete(reason) if reason.as_str() == stop),
            "{stop}: {failure:?}"
        );
    }
}

#[tokio::test]
async fn an_answer_without_the_tool_call_is_a_failure() {
    let server = MockServer::start().await;
    let content = json!([
        {"type": "text", "text": "The answer is forty-two."},
        {"type": "tool_use", "id": "toolu_2", "name": "another_tool", "input": {}}
    ]);
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(200).set_body_json(message(content, "end_turn")))
        .mount(&server)
        .await;
    let failure = client(&server).call_tool(&call()).await.unwrap_err();
    assert!(
        matches!(&failure, ToolCallError::NoToolCall(name) if name == "record_answer"),
        "{failure:?}"
    );
}

#[tokio::test]
async fn unknown_blocks_and_stop_reasons_are_read_without_failing() {
    let server = MockServer::start().await;
    let content = json!([
        {"type": "thinking", "thinking": "hmm", "signature": "abc"},
        {"type": "tool_use", "id": "toolu_3", "name": "record_answer", "input": {"answer": "x"}}
    ]);
    Mock::given(method("POST"))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(message(content, "brand_new_reason")),
        )
        .mount(&server)
        .await;
    let answer = client(&server).messages(&call().request()).await.unwrap();
    assert_eq!(answer.stop_reason, Some(StopReason::Other));
    assert_eq!(
        answer.tool_input("record_answer"),
        Some(&json!({"answer": "x"}))
    );
}

#[tokio::test]
async fn an_error_object_inside_a_200_is_classed_like_the_error() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(error(200, "overloaded_error", "Overloaded"))
        .expect(3)
        .mount(&server)
        .await;
    let failure = client(&server)
        .messages(&call().request())
        .await
        .unwrap_err();
    assert_eq!(failure.kind, ErrorKind::Unavailable);
}

#[tokio::test]
async fn the_key_never_appears_in_errors_or_debug_output() {
    let server = MockServer::start().await;
    // A proxy that echoes the key back in its refusal.
    Mock::given(method("POST"))
        .respond_with(error(
            401,
            "authentication_error",
            &format!("invalid x-api-key {KEY}"),
        ))
        .mount(&server)
        .await;
    let client = client(&server);
    assert!(!format!("{client:?}").contains(KEY));

    let failure = client.call_tool(&call()).await.unwrap_err();
    for text in [failure.to_string(), format!("{failure:?}")] {
        assert!(!text.contains(KEY), "{text}");
        assert!(text.contains("[redacted]"), "{text}");
    }

    let unreachable = AnthropicClient::new(
        "http://127.0.0.1:9",
        Secret::new(KEY),
        Duration::from_secs(2),
    )
    .unwrap()
    .with_retry(RetryPolicy::immediate(1));
    let failure = unreachable.call_tool(&call()).await.unwrap_err();
    assert!(!format!("{failure} {failure:?}").contains(KEY));
    assert!(matches!(failure, ToolCallError::Vendor(e) if e.kind == ErrorKind::Connection));
}
