//! A fake language-model server on loopback that speaks both Anthropic's Messages API
//! (`POST /v1/messages`) and OpenAI's chat completions (`POST /v1/chat/completions`,
//! `GET /v1/models`), for the shared LLM contract suite and the cost report.
//!
//! Each request takes the next scripted behaviour (an object, a refusal, a truncated answer,
//! an error status with `retry-after`, a slow answer, text with no object). With the script
//! empty it answers from recorded answers per tool, or a default. Every answer carries a
//! realistic `usage`: about four characters a token, and the static prefix (tools and system
//! prompt) read from cache when the same prefix was sent before and is long enough to cache.

use std::collections::{HashMap, HashSet, VecDeque};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use serde_json::{Value, json};
use wiremock::matchers::path_regex;
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};

use super::lock;

/// One scripted behaviour, the same for both protocols.
#[derive(Clone, Debug)]
pub enum Scripted {
    /// The structured answer (tool input or JSON content).
    Object(Value),
    /// The model declines (`stop_reason: refusal`, or `message.refusal`).
    Refusal,
    /// Cut short at the token limit (`max_tokens` / `length`), with what was written so far.
    Truncated(Value),
    /// An error status, with `retry-after` seconds when given.
    Status {
        status: u16,
        retry_after: Option<u64>,
    },
    /// The object, after a wait.
    Slow(Duration, Value),
    /// Plain text and no structured answer.
    Text(String),
}

/// A request as received.
#[derive(Clone, Debug)]
pub struct LlmRequest {
    pub path: String,
    pub headers: Vec<(String, String)>,
    pub body: Value,
}

impl LlmRequest {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    /// The tool or schema the request asks to fill in.
    pub fn tool(&self) -> Option<String> {
        tool_name(&self.body)
    }
}

/// What the fake billed for one answer; `input` is the uncached input only (OpenAI's
/// `prompt_tokens` is `input + cache_read`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Billed {
    pub input: u64,
    pub output: u64,
    pub cache_write: u64,
    pub cache_read: u64,
    /// The static prefix's size (tools, schema, system prompt), cached or not.
    pub prefix: u64,
}

#[derive(Default)]
struct State {
    script: VecDeque<Scripted>,
    recorded: HashMap<String, VecDeque<Value>>,
    requests: Vec<LlmRequest>,
    billed: Vec<Billed>,
    cached: HashSet<String>,
    models: Vec<String>,
}

/// The fake server.
pub struct FakeLlm {
    server: MockServer,
    state: Arc<Mutex<State>>,
}

impl FakeLlm {
    pub async fn start() -> Self {
        let server = MockServer::start().await;
        let state = Arc::new(Mutex::new(State::default()));
        Mock::given(path_regex("^/v1/"))
            .respond_with(Api {
                state: Arc::clone(&state),
            })
            .mount(&server)
            .await;
        FakeLlm { server, state }
    }

    /// The Anthropic base URL (requests go to `{url}/v1/messages`).
    pub fn url(&self) -> String {
        self.server.uri()
    }

    /// The OpenAI-compatible base URL, with `/v1` as servers expose it.
    pub fn openai_url(&self) -> String {
        format!("{}/v1", self.server.uri())
    }

    /// The next requests' behaviours, in order.
    pub fn script(&self, steps: impl IntoIterator<Item = Scripted>) {
        lock(&self.state).script.extend(steps);
    }

    /// Answers for calls of `tool` once the script is empty, in order (the last repeats),
    /// instead of any recorded before.
    pub fn record(&self, tool: &str, answers: impl IntoIterator<Item = Value>) {
        lock(&self.state)
            .recorded
            .insert(tool.to_owned(), answers.into_iter().collect());
    }

    /// What `GET /v1/models` lists.
    pub fn models(&self, ids: &[&str]) {
        lock(&self.state).models = ids.iter().map(|s| (*s).to_owned()).collect();
    }

    pub fn requests(&self) -> Vec<LlmRequest> {
        lock(&self.state).requests.clone()
    }

    /// The usage of every answered call, in order.
    pub fn billed(&self) -> Vec<Billed> {
        lock(&self.state).billed.clone()
    }
}

struct Api {
    state: Arc<Mutex<State>>,
}

impl Respond for Api {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        let path = request.url.path().to_owned();
        let mut state = lock(&self.state);
        if request.method.as_str() == "GET" && path == "/v1/models" {
            let data: Vec<Value> = state
                .models
                .iter()
                .map(|id| json!({"id": id, "object": "model", "owned_by": "local"}))
                .collect();
            return ResponseTemplate::new(200)
                .set_body_json(json!({"object": "list", "data": data}));
        }
        let body: Value = serde_json::from_slice(&request.body).unwrap_or(Value::Null);
        let headers = request
            .headers
            .iter()
            .map(|(n, v)| {
                (
                    n.as_str().to_ascii_lowercase(),
                    v.to_str().unwrap_or("").to_owned(),
                )
            })
            .collect();
        state.requests.push(LlmRequest {
            path: path.clone(),
            headers,
            body: body.clone(),
        });
        let anthropic = match path.as_str() {
            "/v1/messages" => true,
            "/v1/chat/completions" => false,
            _ => return ResponseTemplate::new(404),
        };
        let tool = tool_name(&body).unwrap_or_default();
        let step = state.script.pop_front().unwrap_or_else(|| {
            let answers = state.recorded.entry(tool.clone()).or_default();
            let answer = if answers.len() > 1 {
                answers.pop_front()
            } else {
                answers.front().cloned()
            };
            Scripted::Object(answer.unwrap_or_else(|| default_answer(&tool)))
        });
        let (status, retry_after, delay) = match &step {
            Scripted::Status {
                status,
                retry_after,
            } => (*status, *retry_after, None),
            Scripted::Slow(wait, _) => (200, None, Some(*wait)),
            _ => (200, None, None),
        };
        if status != 200 {
            let mut answer = ResponseTemplate::new(status).set_body_json(if anthropic {
                anthropic_error(status)
            } else {
                openai_error(status)
            });
            if let Some(seconds) = retry_after {
                answer = answer.insert_header("retry-after", seconds.to_string().as_str());
            }
            return answer;
        }
        let billed = bill(&mut state, &body, anthropic, &step);
        state.billed.push(billed);
        let payload = if anthropic {
            anthropic_answer(&body, &tool, &step, billed)
        } else {
            openai_answer(&body, &tool, &step, billed)
        };
        let mut answer = ResponseTemplate::new(200)
            .insert_header("request-id", "req_011CSHoEeqs5C35K2UUqR7Fy")
            .set_body_json(payload);
        if let Some(wait) = delay {
            answer = answer.set_delay(wait);
        }
        answer
    }
}

/// Roughly four characters a token, as for English prose and JSON.
fn tokens(text: &str) -> u64 {
    (text.chars().count() as u64).div_ceil(4)
}

/// The smallest prefix the provider caches: per Anthropic's prompt-caching docs, 4096 tokens
/// for Haiku 4.5, 2048 for older Haiku, 1024 for Sonnet and Opus; OpenAI caches from 1024.
fn cache_minimum(model: &str, anthropic: bool) -> u64 {
    match (anthropic, model) {
        (true, m) if m.contains("haiku-4-5") => 4096,
        (true, m) if m.contains("haiku") => 2048,
        _ => 1024,
    }
}

/// The usage of one answer: the static prefix (tools, system) from cache when seen before.
fn bill(state: &mut State, body: &Value, anthropic: bool, step: &Scripted) -> Billed {
    let model = body["model"].as_str().unwrap_or_default();
    let (prefix, rest) = if anthropic {
        let tools = body.get("tools").map(Value::to_string).unwrap_or_default();
        let system = body.get("system").map(Value::to_string).unwrap_or_default();
        let marked = body["system"]
            .as_array()
            .is_some_and(|blocks| blocks.iter().any(|b| b.get("cache_control").is_some()));
        let messages = body["messages"].to_string();
        if marked {
            (format!("{tools}{system}"), messages)
        } else {
            (String::new(), format!("{tools}{system}{messages}"))
        }
    } else {
        let messages = body["messages"].as_array().cloned().unwrap_or_default();
        let system = messages
            .iter()
            .filter(|m| m["role"] == "system")
            .map(Value::to_string)
            .collect::<String>();
        let user = messages
            .iter()
            .filter(|m| m["role"] != "system")
            .map(Value::to_string)
            .collect::<String>();
        let schema = format!(
            "{}{}",
            body.get("tools").map(Value::to_string).unwrap_or_default(),
            body.get("response_format")
                .map(Value::to_string)
                .unwrap_or_default()
        );
        (format!("{schema}{system}"), user)
    };
    let prefix_tokens = tokens(&prefix);
    let rest_tokens = tokens(&rest);
    let output = match step {
        Scripted::Object(v) | Scripted::Truncated(v) | Scripted::Slow(_, v) => {
            tokens(&v.to_string())
        }
        Scripted::Text(t) => tokens(t),
        Scripted::Refusal => 12,
        Scripted::Status { .. } => 0,
    };
    let key = format!("{model}\u{0}{prefix}");
    let cacheable = prefix_tokens >= cache_minimum(model, anthropic);
    let mut billed = Billed {
        input: prefix_tokens + rest_tokens,
        output,
        prefix: prefix_tokens,
        ..Billed::default()
    };
    if cacheable {
        if state.cached.contains(&key) {
            billed.cache_read = prefix_tokens;
            billed.input = rest_tokens;
        } else {
            state.cached.insert(key);
            // Anthropic bills the write apart; OpenAI-style servers count it as input.
            if anthropic {
                billed.cache_write = prefix_tokens;
                billed.input = rest_tokens;
            }
        }
    }
    billed
}

fn tool_name(body: &Value) -> Option<String> {
    body["tools"][0]["name"]
        .as_str()
        .or_else(|| body["tools"][0]["function"]["name"].as_str())
        .or_else(|| body["response_format"]["json_schema"]["name"].as_str())
        .map(str::to_owned)
}

/// With nothing recorded: a reading a person must look at, or plain prose with no number.
fn default_answer(tool: &str) -> Value {
    match tool {
        "write_email_prose" => json!({
            "greeting": "Hi there,",
            "opening_paragraphs": ["Thank you so much for getting back to us. We really appreciate it."],
            "closing_paragraphs": ["Let us know what you think, and we'll take it from there!"]
        }),
        _ => json!({
            "intent": "unclear", "proposed_rate": null, "deliverables": [], "confidence": 10,
            "hostile": null, "legal": null, "unusual_deliverables": null,
            "summary": "The fake has no recorded reading for this reply."
        }),
    }
}

fn anthropic_answer(body: &Value, tool: &str, step: &Scripted, billed: Billed) -> Value {
    let tool_use = |input: &Value| json!([{"type": "tool_use", "id": "toolu_01A09q90qw90lq917835lq9", "name": tool, "input": input}]);
    let (content, stop) = match step {
        Scripted::Object(v) | Scripted::Slow(_, v) => (tool_use(v), "tool_use"),
        Scripted::Truncated(v) => (tool_use(v), "max_tokens"),
        Scripted::Refusal => (
            json!([{"type": "text", "text": "I can't help with that."}]),
            "refusal",
        ),
        Scripted::Text(t) => (json!([{"type": "text", "text": t}]), "end_turn"),
        Scripted::Status { .. } => (json!([]), "end_turn"),
    };
    json!({
        "id": "msg_013Zva2CMHLNnXjNJJKqJ2EF",
        "type": "message",
        "role": "assistant",
        "model": body["model"],
        "content": content,
        "stop_reason": stop,
        "stop_sequence": null,
        "usage": {
            "input_tokens": billed.input,
            "output_tokens": billed.output,
            "cache_creation_input_tokens": billed.cache_write,
            "cache_read_input_tokens": billed.cache_read
        }
    })
}

fn openai_answer(body: &Value, tool: &str, step: &Scripted, billed: Billed) -> Value {
    let tools_mode = body.get("tools").is_some();
    let message = |text: String| {
        if tools_mode {
            json!({"role": "assistant", "content": null, "tool_calls": [{
                "id": "call_abc123", "type": "function",
                "function": {"name": tool, "arguments": text}
            }]})
        } else {
            json!({"role": "assistant", "content": text})
        }
    };
    let (message, finish) = match step {
        Scripted::Object(v) | Scripted::Slow(_, v) => (
            message(v.to_string()),
            if tools_mode { "tool_calls" } else { "stop" },
        ),
        Scripted::Truncated(v) => {
            let text = v.to_string();
            let cut: String = text.chars().take(text.chars().count() / 2).collect();
            (message(cut), "length")
        }
        Scripted::Refusal => (
            json!({"role": "assistant", "content": null, "refusal": "I can't help with that."}),
            "stop",
        ),
        Scripted::Text(t) => (json!({"role": "assistant", "content": t}), "stop"),
        Scripted::Status { .. } => (json!({}), "stop"),
    };
    json!({
        "id": "chatcmpl-B9MBs8CjcvOU2jLn4n570S5qMJKcT",
        "object": "chat.completion",
        "created": 1_741_569_952,
        "model": body["model"],
        "choices": [{"index": 0, "message": message, "finish_reason": finish}],
        "usage": {
            "prompt_tokens": billed.input + billed.cache_read,
            "completion_tokens": billed.output,
            "total_tokens": billed.input + billed.cache_read + billed.output,
            "prompt_tokens_details": {"cached_tokens": billed.cache_read}
        }
    })
}

fn anthropic_error(status: u16) -> Value {
    let kind = match status {
        400 => "invalid_request_error",
        401 => "authentication_error",
        429 => "rate_limit_error",
        529 => "overloaded_error",
        _ => "api_error",
    };
    json!({
        "type": "error",
        "error": {"type": kind, "message": format!("the fake answered {status}")},
        "request_id": "req_011CSHoEeqs5C35K2UUqR7Fy"
    })
}

fn openai_error(status: u16) -> Value {
    let kind = match status {
        400 => "invalid_request_error",
        429 => "rate_limit_exceeded",
        _ => "server_error",
    };
    json!({"error": {"message": format!("the fake answered {status}"), "type": kind, "param": null, "code": null}})
}
