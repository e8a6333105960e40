//! The dashboard in a real browser: Debian's `chromium`, driven headless through
//! `chromedriver` (the W3C WebDriver protocol over plain HTTP), against `negotiator serve` on
//! the demo's database. Signs in, reads the demo campaign's numbers, pauses a negotiation and
//! finds the person named in its timeline, is refused a stale page and a cross-site form, and
//! is turned away when signed out. Screenshots go to `<target>/tmp/dashboard-screenshots/`.
//!
//! Needs `chromium` and `chromium-driver` (`apt-get install -y chromium chromium-driver`;
//! `.ci/run` installs them when missing). Without them this test fails and says so.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

use base64::Engine;
use serde_json::{Value, json};

const BIN: &str = env!("CARGO_BIN_EXE_negotiator");
const PASSWORD: &str = "correct horse battery staple";

fn negotiator(dir: &Path, args: &[&str]) -> Command {
    let mut command = Command::new(BIN);
    command
        .current_dir(dir)
        .env_remove("RUST_LOG")
        .args(["--db", "demo.db", "--data-dir", "demo"])
        .args(args);
    command
}

fn run(dir: &Path, args: &[&str], stdin: Option<&str>) -> Output {
    let mut child = negotiator(dir, args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut input = child.stdin.take().unwrap();
    if let Some(text) = stdin {
        input.write_all(text.as_bytes()).unwrap();
    }
    drop(input);
    let output = child.wait_with_output().unwrap();
    assert!(
        output.status.success(),
        "negotiator {args:?} failed: {}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    output
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// A child process killed when dropped.
struct Killed(Child);

impl Drop for Killed {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn which(program: &str) -> Option<PathBuf> {
    std::env::var_os("PATH").and_then(|paths| {
        std::env::split_paths(&paths)
            .map(|p| p.join(program))
            .find(|p| p.is_file())
    })
}

fn screenshots() -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("dashboard-screenshots");
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// A WebDriver session.
struct Browser {
    http: reqwest::Client,
    base: String,
    _driver: Killed,
}

impl Browser {
    async fn start() -> Browser {
        let (Some(driver), Some(chromium)) = (which("chromedriver"), which("chromium")) else {
            panic!(
                "the browser tests need Debian's chromium and its driver: install them with \
                 `apt-get install -y chromium chromium-driver` (or run .ci/run, which does)"
            );
        };
        let port = free_port();
        let child = Command::new(driver)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let http = reqwest::Client::new();
        let root = format!("http://127.0.0.1:{port}");
        let began = Instant::now();
        while http.get(format!("{root}/status")).send().await.is_err() {
            assert!(
                began.elapsed() < Duration::from_secs(20),
                "chromedriver did not start"
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        let session: Value = http
            .post(format!("{root}/session"))
            .json(&json!({"capabilities": {"alwaysMatch": {
                "browserName": "chrome",
                "goog:chromeOptions": {
                    "binary": chromium,
                    "args": ["--headless=new", "--no-sandbox", "--disable-gpu",
                             "--disable-dev-shm-usage", "--window-size=1280,1400"]
                }
            }}}))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        let id = session["value"]["sessionId"]
            .as_str()
            .unwrap_or_else(|| panic!("chromedriver gave no session: {session}"))
            .to_owned();
        Browser {
            http,
            base: format!("{root}/session/{id}"),
            _driver: Killed(child),
        }
    }

    async fn call(&self, method: reqwest::Method, path: &str, body: Option<Value>) -> Value {
        let mut request = self.http.request(method, format!("{}{path}", self.base));
        if let Some(body) = body {
            request = request.json(&body);
        }
        let answer: Value = request.send().await.unwrap().json().await.unwrap();
        answer["value"].clone()
    }

    async fn go(&self, url: &str) {
        self.call(reqwest::Method::POST, "/url", Some(json!({"url": url})))
            .await;
    }

    async fn script(&self, script: &str) -> Value {
        self.call(
            reqwest::Method::POST,
            "/execute/sync",
            Some(json!({"script": script, "args": []})),
        )
        .await
    }

    async fn text(&self) -> String {
        self.script("return document.body.innerText;")
            .await
            .as_str()
            .unwrap_or_default()
            .to_owned()
    }

    /// The page's text once it says `needle` (a form's answer may still be loading), or the
    /// last text read after ten seconds.
    async fn text_once_it_says(&self, needle: &str) -> String {
        read_until(|| self.text(), |text| text.contains(needle)).await
    }

    async fn url(&self) -> String {
        self.call(reqwest::Method::GET, "/url", None)
            .await
            .as_str()
            .unwrap_or_default()
            .to_owned()
    }

    /// The page's address once it ends with `suffix` (a click's navigation takes a moment), or
    /// whatever it is after ten seconds.
    async fn url_once_it_ends_with(&self, suffix: &str) -> String {
        read_until(|| self.url(), |url| url.ends_with(suffix)).await
    }

    async fn element(&self, css: &str) -> String {
        let found = self
            .call(
                reqwest::Method::POST,
                "/element",
                Some(json!({"using": "css selector", "value": css})),
            )
            .await;
        found["element-6066-11e4-a52e-4f735466cecf"]
            .as_str()
            .unwrap_or_else(|| panic!("no element {css}: {found}"))
            .to_owned()
    }

    async fn click(&self, css: &str) {
        let id = self.element(css).await;
        self.call(
            reqwest::Method::POST,
            &format!("/element/{id}/click"),
            Some(json!({})),
        )
        .await;
    }

    async fn type_into(&self, css: &str, text: &str) {
        let id = self.element(css).await;
        self.call(
            reqwest::Method::POST,
            &format!("/element/{id}/value"),
            Some(json!({"text": text})),
        )
        .await;
    }

    async fn screenshot(&self, name: &str) {
        let png = self.call(reqwest::Method::GET, "/screenshot", None).await;
        let bytes = base64::engine::general_purpose::STANDARD
            .decode(png.as_str().unwrap_or_default())
            .unwrap();
        std::fs::write(screenshots().join(format!("{name}.png")), bytes).unwrap();
    }

    async fn cookie(&self, name: &str) -> Option<String> {
        let cookie = self
            .call(reqwest::Method::GET, &format!("/cookie/{name}"), None)
            .await;
        cookie["value"].as_str().map(str::to_owned)
    }

    async fn quit(&self) {
        let _ = self.http.delete(&self.base).send().await;
    }
}

/// Reads with `read` every 100 ms until `done` accepts what it read (a page may still be
/// loading), for ten seconds at most; returns the last reading.
async fn read_until<F: Future<Output = String>>(
    read: impl Fn() -> F,
    done: impl Fn(&str) -> bool,
) -> String {
    let mut value = read().await;
    for _ in 0..100 {
        if done(&value) {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
        value = read().await;
    }
    value
}

/// Serves one page that posts a form to the dashboard as soon as it loads, from another site.
async fn evil_site(target: String) -> u16 {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let page = format!(
        "<!doctype html><html><body><form id=f method=post action=\"{target}\">\
         <input name=csrf value=guessed><input name=action value=stop>\
         <input name=version value=1></form>\
         <script>document.getElementById('f').submit()</script></body></html>"
    );
    tokio::spawn(async move {
        use tokio::io::{AsyncReadExt, AsyncWriteExt};
        while let Ok((mut socket, _)) = listener.accept().await {
            let mut buf = [0u8; 4096];
            let _ = socket.read(&mut buf).await;
            let answer = format!(
                "HTTP/1.1 200 OK\r\ncontent-type: text/html\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{page}",
                page.len()
            );
            let _ = socket.write_all(answer.as_bytes()).await;
        }
    });
    port
}

async fn state_of(
    http: &reqwest::Client,
    base: &str,
    cookie: &str,
    campaign: &str,
    id: i64,
) -> String {
    let lines: Value = http
        .get(format!("{base}/api/campaigns/{campaign}/negotiations"))
        .header("cookie", cookie)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    lines["negotiations"]
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["negotiation_id"] == id)
        .unwrap()["state"]
        .as_str()
        .unwrap()
        .to_owned()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_dashboard_in_a_real_browser() {
    negotiator_vendors::install_crypto();
    let dir = tempfile::tempdir().unwrap();
    let dir = dir.path();
    run(dir, &["demo", "--dir", "demo", "--quiet"], None);
    let port = free_port();
    std::fs::write(
        dir.join("negotiator.toml"),
        format!(
            "[agent]\nagent_address = \"avery@northstar.example\"\nteam_domains = \
             [\"northstar.example\"]\nsender = {{ name = \"Avery Quinn\", team = \"Northstar \
             Talent Partnerships\" }}\n\n[server]\nbind = \"127.0.0.1:{port}\"\nworkers = 0\n\
             poll_interval_secs = 3600\n"
        ),
    )
    .unwrap();
    let base = format!("http://127.0.0.1:{port}");
    let http = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();

    // No login yet: the dashboard is off and says how to turn it on.
    let _server = Killed(
        negotiator(dir, &["serve"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap(),
    );
    let began = Instant::now();
    while http.get(format!("{base}/healthz")).send().await.is_err() {
        assert!(
            began.elapsed() < Duration::from_secs(60),
            "serve did not start"
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    let off = http.get(&base).send().await.unwrap().text().await.unwrap();
    assert!(off.contains("negotiator users add NAME"), "{off}");

    let added = run(
        dir,
        &["users", "add", "pat", "--password-stdin"],
        Some(&format!("{PASSWORD}\n")),
    );
    assert!(String::from_utf8_lossy(&added.stdout).contains("Added pat"));

    // Signed out, pages send you to sign in and the JSON refuses.
    let page = http.get(&base).send().await.unwrap();
    assert_eq!(page.status(), 303);
    assert_eq!(page.headers()["location"], "/login");
    let api = http
        .get(format!("{base}/api/campaigns"))
        .send()
        .await
        .unwrap();
    assert_eq!(api.status(), 401);

    let browser = Browser::start().await;
    browser.go(&format!("{base}/campaigns/anything")).await;
    assert!(
        browser.url().await.ends_with("/login"),
        "signed out, a page asks to sign in"
    );
    browser.screenshot("login").await;

    // A wrong password is refused; the right one signs in.
    browser.type_into("input[name=name]", "pat").await;
    browser
        .type_into("input[name=password]", "not the password")
        .await;
    browser.click("form.login button").await;
    assert!(
        browser
            .text_once_it_says("do not match")
            .await
            .contains("do not match")
    );
    browser.type_into("input[name=password]", PASSWORD).await;
    browser.click("form.login button").await;
    let home = browser.text_once_it_says("remaining $1,450.00").await;
    assert!(home.contains("pat"), "{home}");

    // The demo campaign's numbers, as `negotiator negotiations` gives them.
    let campaign = browser
        .script("return document.querySelector('section.campaign').dataset.campaign;")
        .await
        .as_str()
        .unwrap()
        .to_owned();
    for figure in [
        "budget $4,100.00",
        "committed $2,650.00",
        "outstanding $9,740.00",
        "remaining $1,450.00",
    ] {
        assert!(home.contains(figure), "{figure} missing from {home}");
    }
    assert!(home.contains("Deal rate"), "{home}");
    browser.screenshot("campaigns").await;

    browser.click("section.campaign h2 a").await;
    assert!(
        browser
            .text_once_it_says("Download CSV")
            .await
            .contains("Download CSV")
    );
    browser.screenshot("campaign").await;

    // A negotiation the agent is still working: pause it from its page.
    let href = browser
        .script(
            "const row = Array.from(document.querySelectorAll('tr[data-negotiation]')).find(r => \
             !['agreed','rejected','stopped','paused'].includes(r.dataset.state)); \
             return row.querySelector('a').getAttribute('href');",
        )
        .await
        .as_str()
        .unwrap()
        .to_owned();
    let id: i64 = href.rsplit('/').next().unwrap().parse().unwrap();
    browser.go(&format!("{base}{href}")).await;
    browser.screenshot("negotiation").await;
    browser.click("button[data-action=pause]").await;
    let after = browser.text_once_it_says("Paused.").await;
    assert!(after.contains("Paused."), "{after}");
    let state = browser
        .script("return document.getElementById('state').dataset.state;")
        .await;
    assert_eq!(state, "paused");
    let by = browser
        .script(
            "return Array.from(document.querySelectorAll('li[data-event=human_action] .by')).map(e => e.textContent).join('|');",
        )
        .await;
    assert!(by.as_str().unwrap().contains("by pat"), "{by}");
    browser.screenshot("negotiation-paused").await;

    // The CLI's audit trail names the same person.
    let audit = run(dir, &["audit", "--format", "json", "--limit", "5"], None);
    assert!(String::from_utf8_lossy(&audit.stdout).contains("\"by\": \"pat\""));

    // A stale page: the negotiation moves on (from the CLI) before the button is pressed.
    let cookie = format!(
        "negotiator_session={}",
        browser.cookie("negotiator_session").await.unwrap()
    );
    run(dir, &["resume", &id.to_string(), "--by", "sam"], None);
    browser.click("button[data-action=stop]").await;
    // The script asks before stopping; accept.
    browser
        .call(reqwest::Method::POST, "/alert/accept", Some(json!({})))
        .await;
    let stale = browser.text_once_it_says("This page was out of date").await;
    assert!(stale.contains("This page was out of date"), "{stale}");
    assert_ne!(
        state_of(&http, &base, &cookie, &campaign, id).await,
        "stopped"
    );
    browser.screenshot("stale").await;

    // A form on another site that posts to the dashboard is refused, and changes nothing.
    let evil = evil_site(format!("{base}/negotiations/{id}/act")).await;
    browser.go(&format!("http://localhost:{evil}/")).await;
    tokio::time::sleep(Duration::from_millis(800)).await;
    let refused = browser.text().await;
    assert!(
        refused.contains("Sign in") || refused.contains("another site"),
        "{refused}"
    );
    assert_ne!(
        state_of(&http, &base, &cookie, &campaign, id).await,
        "stopped"
    );

    // With the real session but a forged token, or from another origin: refused.
    let forged = http
        .post(format!("{base}/negotiations/{id}/act"))
        .header("cookie", &cookie)
        .header("origin", &base)
        .form(&[("csrf", "forged"), ("action", "stop"), ("version", "1")])
        .send()
        .await
        .unwrap();
    assert_eq!(forged.status(), 403);
    let csrf = browser
        .script("return document.querySelector('input[name=csrf]') && document.querySelector('input[name=csrf]').value;")
        .await;
    browser.go(&format!("{base}/negotiations/{id}")).await;
    let csrf = match csrf.as_str() {
        Some(c) => c.to_owned(),
        None => browser
            .script("return document.querySelector('input[name=csrf]').value;")
            .await
            .as_str()
            .unwrap()
            .to_owned(),
    };
    let cross = http
        .post(format!("{base}/negotiations/{id}/act"))
        .header("cookie", &cookie)
        .header("origin", "http://evil.example")
        .form(&[
            ("csrf", csrf.as_str()),
            ("action", "stop"),
            ("version", "1"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(cross.status(), 403);
    assert_ne!(
        state_of(&http, &base, &cookie, &campaign, id).await,
        "stopped"
    );

    // Decline an escalated negotiation: the decline waits as a draft, which is discarded.
    browser
        .go(&format!("{base}/campaigns/{campaign}?state=escalated"))
        .await;
    let escalated = browser
        .script(
            "const row = Array.from(document.querySelectorAll('tr[data-negotiation]')).find(r => \
             r.dataset.negotiation !== arguments[0]); return row.querySelector('a').getAttribute('href');"
                .replace("arguments[0]", &format!("'{id}'"))
                .as_str(),
        )
        .await
        .as_str()
        .unwrap()
        .to_owned();
    browser.go(&format!("{base}{escalated}")).await;
    browser.click("button[data-action=reject]").await;
    browser
        .call(reqwest::Method::POST, "/alert/accept", Some(json!({})))
        .await;
    let declined = browser
        .text_once_it_says("the decline waits as a draft")
        .await;
    assert!(
        declined.contains("the decline waits as a draft"),
        "{declined}"
    );
    browser.go(&format!("{base}/drafts")).await;
    assert!(browser.text().await.contains("decline to"), "a draft waits");
    browser.screenshot("drafts").await;
    browser
        .click("article.draft button[data-action=discard]")
        .await;
    let discarded = browser.text_once_it_says("The draft was discarded.").await;
    assert!(
        discarded.contains("The draft was discarded."),
        "{discarded}"
    );

    // Sign out: the session is over, for the browser and for anyone holding its cookie.
    browser.click("form.signout button").await;
    let url = browser.url_once_it_ends_with("/login").await;
    assert!(url.ends_with("/login"), "{url}");
    let after = http
        .get(format!("{base}/api/campaigns"))
        .header("cookie", &cookie)
        .send()
        .await
        .unwrap();
    assert_eq!(after.status(), 401);
    browser.quit().await;
}
