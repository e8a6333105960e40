//! A stateful fake of Slack's Web API `chat.postMessage`, on loopback: it checks the bot token,
//! refuses what Slack refuses (`not_authed`, `invalid_auth`, `channel_not_found`, `no_text`,
//! `invalid_blocks` past Block Kit's documented limits), keeps every accepted post, and can
//! show a post as a person in the channel would read it, mentions included.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use negotiator_vendors::slack::SlackClient;
use negotiator_vendors::{RetryPolicy, Secret};
use serde_json::{Value, json};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};

use super::{lock, ok};

/// Slack cuts a message's `text` past this many characters, without an error.
const TEXT_KEPT: usize = 40_000;

/// A Slack workspace's Web API on loopback.
pub struct FakeSlack {
    server: MockServer,
    token: String,
    posts: Arc<Mutex<Vec<Posted>>>,
}

impl FakeSlack {
    /// A workspace whose bot token is `token`.
    pub async fn start(token: &str) -> Self {
        let server = MockServer::start().await;
        let posts = Arc::new(Mutex::new(Vec::new()));
        Mock::given(method("POST"))
            .and(path("/chat.postMessage"))
            .respond_with(PostMessage {
                token: token.to_owned(),
                posts: Arc::clone(&posts),
            })
            .mount(&server)
            .await;
        FakeSlack {
            server,
            token: token.to_owned(),
            posts,
        }
    }

    /// The Web API's base URL here (`[slack] base_url`).
    pub fn uri(&self) -> String {
        self.server.uri()
    }

    /// A client with the bot token, retrying at once.
    pub fn client(&self) -> SlackClient {
        SlackClient::new(
            self.server.uri(),
            Secret::new(self.token.clone()),
            Duration::from_secs(5),
        )
        .unwrap()
        .with_retry(RetryPolicy::immediate(3))
    }

    /// Every accepted post, oldest first.
    pub fn posts(&self) -> Vec<Posted> {
        lock(&self.posts).clone()
    }
}

/// One message Slack accepted.
#[derive(Clone, Debug)]
pub struct Posted {
    pub channel: String,
    /// The request body as Slack kept it.
    pub body: Value,
}

impl Posted {
    /// The message's text objects, each with whether Slack reads it as `mrkdwn`: the
    /// notification text, then the header, section, field and context texts.
    fn texts(&self) -> Vec<(bool, String)> {
        let mut texts = Vec::new();
        if let Some(text) = self.body["text"].as_str() {
            let mrkdwn = self.body["mrkdwn"].as_bool().unwrap_or(true);
            texts.push((mrkdwn, text.to_owned()));
        }
        let object = |text: &Value| {
            text["text"]
                .as_str()
                .map(|t| (text["type"] == "mrkdwn", t.to_owned()))
        };
        for block in self.body["blocks"].as_array().into_iter().flatten() {
            texts.extend(object(&block["text"]));
            for list in ["fields", "elements"] {
                texts.extend(
                    block[list]
                        .as_array()
                        .into_iter()
                        .flatten()
                        .filter_map(object),
                );
            }
        }
        texts
    }

    /// What a person in the channel reads, one text object a line: plain text as written,
    /// `mrkdwn` with its `&lt;`-style escapes undone and its links and mentions as shown.
    pub fn visible_text(&self) -> String {
        self.texts()
            .into_iter()
            .map(|(mrkdwn, text)| if mrkdwn { render_mrkdwn(&text) } else { text })
            .collect::<Vec<_>>()
            .join("\n")
    }

    /// The mentions that notify people: `<!here>`, `<!channel>`, `<!everyone>`, user groups
    /// and `<@U…>` users in `mrkdwn` text, and bare `@here`-style words when the post asked
    /// Slack to link names (`link_names`).
    pub fn mentions(&self) -> Vec<String> {
        let link_names = self.body["link_names"] == json!(true) || self.body["link_names"] == 1;
        let mut found = Vec::new();
        for (_, text) in self.texts().into_iter().filter(|(mrkdwn, _)| *mrkdwn) {
            for piece in pieces(&text) {
                if let Piece::Control(control) = piece
                    && (control.starts_with('@')
                        || (control.starts_with('!') && !control.starts_with("!date")))
                {
                    found.push(format!("<{control}>"));
                }
            }
            if link_names {
                found.extend(
                    text.split(|c: char| !(c == '@' || c.is_alphanumeric()))
                        .filter(|w| matches!(*w, "@here" | "@channel" | "@everyone"))
                        .map(str::to_owned),
                );
            }
        }
        found
    }
}

/// A piece of `mrkdwn` text: text as written, or a `<…>` control sequence (a link or a
/// mention) without its brackets.
enum Piece<'a> {
    Text(&'a str),
    Control(&'a str),
}

fn pieces(text: &str) -> Vec<Piece<'_>> {
    let mut found = Vec::new();
    let mut rest = text;
    while let Some(open) = rest.find('<') {
        let Some(close) = rest[open..].find('>') else {
            break;
        };
        found.push(Piece::Text(&rest[..open]));
        found.push(Piece::Control(&rest[open + 1..open + close]));
        rest = &rest[open + close + 1..];
    }
    found.push(Piece::Text(rest));
    found
}

/// `mrkdwn` as Slack shows it: `<url|label>` as the label, `<!here>` as `@here`, `<@U1>` as
/// `@U1`, and `&lt;`, `&gt;`, `&amp;` as the characters they escape.
fn render_mrkdwn(text: &str) -> String {
    pieces(text)
        .into_iter()
        .map(|piece| match piece {
            Piece::Text(text) => unescape(text),
            Piece::Control(control) => {
                let shown = match control.split_once('|') {
                    Some((_, label)) => label.to_owned(),
                    None => match control.strip_prefix('!') {
                        Some(special) => format!("@{special}"),
                        None => control.to_owned(),
                    },
                };
                unescape(&shown)
            }
        })
        .collect()
}

fn unescape(text: &str) -> String {
    text.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

/// What breaks Block Kit's documented limits in `blocks` (empty when nothing does).
fn block_problems(blocks: &[Value]) -> Vec<String> {
    let chars = |v: &Value| v["text"].as_str().map_or(0, |t| t.chars().count());
    let mut problems = Vec::new();
    if blocks.len() > 50 {
        problems.push(format!("{} blocks; at most 50", blocks.len()));
    }
    for (index, block) in blocks.iter().enumerate() {
        let mut check = |ok: bool, what: &str| {
            if !ok {
                problems.push(format!("[{index}] {what}"));
            }
        };
        match block["type"].as_str().unwrap_or("") {
            "header" => {
                check(
                    block["text"]["type"] == "plain_text",
                    "a header must be plain_text",
                );
                check(
                    chars(&block["text"]) <= 150,
                    "header text over 150 characters",
                );
            }
            "section" => {
                let fields = block["fields"].as_array().map_or(&[][..], Vec::as_slice);
                check(
                    chars(&block["text"]) <= 3_000,
                    "section text over 3000 characters",
                );
                check(fields.len() <= 10, "more than 10 fields");
                check(
                    fields.iter().all(|f| chars(f) <= 2_000),
                    "a field over 2000 characters",
                );
                check(
                    chars(&block["text"]) > 0 || !fields.is_empty(),
                    "a section needs text or fields",
                );
            }
            "context" => {
                let elements = block["elements"].as_array().map_or(0, Vec::len);
                check(
                    (1..=10).contains(&elements),
                    "a context needs 1 to 10 elements",
                );
            }
            "divider" | "actions" => {}
            other => check(false, &format!("unknown block type {other:?}")),
        }
    }
    problems
}

struct PostMessage {
    token: String,
    posts: Arc<Mutex<Vec<Posted>>>,
}

impl Respond for PostMessage {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        let refused = |error: &str| ok(json!({"ok": false, "error": error}));
        match request
            .headers
            .get("authorization")
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "))
        {
            None => return refused("not_authed"),
            Some(token) if token != self.token => return refused("invalid_auth"),
            Some(_) => {}
        }
        let Ok(mut body) = serde_json::from_slice::<Value>(&request.body) else {
            return refused("invalid_json");
        };
        let channel = body["channel"].as_str().unwrap_or("").trim().to_owned();
        if channel.is_empty() {
            return refused("channel_not_found");
        }
        let blocks = body["blocks"].as_array().cloned().unwrap_or_default();
        let text = body["text"].as_str().unwrap_or("");
        if text.trim().is_empty() && blocks.is_empty() {
            return refused("no_text");
        }
        let problems = block_problems(&blocks);
        if !problems.is_empty() {
            return ok(json!({
                "ok": false, "error": "invalid_blocks",
                "response_metadata": {"messages": problems},
            }));
        }
        if text.chars().count() > TEXT_KEPT {
            body["text"] = json!(text.chars().take(TEXT_KEPT).collect::<String>());
        }
        let mut posts = lock(&self.posts);
        posts.push(Posted {
            channel: channel.clone(),
            body: body.clone(),
        });
        let ts = format!("1767000000.{:06}", posts.len());
        ok(json!({
            "ok": true, "channel": channel, "ts": ts,
            "message": {"type": "message", "text": body["text"], "ts": ts},
        }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn post(body: Value) -> Posted {
        Posted {
            channel: "C1".to_owned(),
            body,
        }
    }

    #[test]
    fn escaped_text_is_read_as_text_and_markup_as_mentions() {
        let escaped = post(json!({"text": "&lt;!channel&gt; Tom &amp; Jerry @here"}));
        assert_eq!(escaped.visible_text(), "<!channel> Tom & Jerry @here");
        assert!(escaped.mentions().is_empty());
        let pinging = post(
            json!({"text": "<!here> hi <@U024BE7LH> <https://x.example|site>",
            "blocks": [{"type": "header", "text": {"type": "plain_text", "text": "<!channel>"}}]}),
        );
        assert_eq!(
            pinging.visible_text(),
            "@here hi @U024BE7LH site\n<!channel>"
        );
        assert_eq!(pinging.mentions(), ["<!here>", "<@U024BE7LH>"]);
        let linked = post(json!({"text": "hey @channel", "link_names": true}));
        assert_eq!(linked.mentions(), ["@channel"]);
    }
}
