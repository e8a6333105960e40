//! What the benches share: `negotiator serve` started on a fresh database, a raw keep-alive
//! HTTP/1.1 connection to it, signed ClickUp deliveries, and percentiles.

#![allow(dead_code)]

use std::error::Error;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use negotiator_vendors::Secret;
use negotiator_vendors::clickup::sign;
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpStream;

pub type BoxError = Box<dyn Error + Send + Sync>;

/// The ClickUp webhook secret the benches' deliveries are signed with.
pub const WEBHOOK_SECRET: &str = "bench-webhook-secret";

pub fn workspace_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// The binary to run: `path` (relative to the workspace root), or the release build.
pub fn binary(path: Option<&str>) -> Result<PathBuf, BoxError> {
    let root = workspace_root();
    let bin = match path.map(PathBuf::from) {
        Some(p) if p.is_absolute() => p,
        Some(p) => root.join(p),
        None => root.join("target/release/negotiator"),
    };
    if !bin.exists() {
        return Err(format!(
            "no negotiator binary at {}; build it with `cargo build --release -p negotiator-cli` \
             (or pass --bin)",
            bin.display()
        )
        .into());
    }
    Ok(bin)
}

/// A free loopback port.
pub fn free_port() -> Result<u16, BoxError> {
    Ok(std::net::TcpListener::bind("127.0.0.1:0")?
        .local_addr()?
        .port())
}

/// The server under test, stopped when dropped.
pub struct Served {
    pub child: Child,
    pub port: u16,
    pub db: PathBuf,
    pub dir: tempfile::TempDir,
}

impl Drop for Served {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Runs `bin serve` in `dir` with `config` (which must bind `port`) and `env`, on a fresh
/// database, and waits for `/readyz`.
pub async fn start(
    bin: &Path,
    dir: tempfile::TempDir,
    port: u16,
    config: &str,
    env: &[(&str, &str)],
) -> Result<Served, BoxError> {
    let config_path = dir.path().join("negotiator.toml");
    std::fs::write(&config_path, config)?;
    let db = dir.path().join("negotiator.db");
    let child = Command::new(bin)
        .arg("--db")
        .arg(&db)
        .arg("--config")
        .arg(&config_path)
        .arg("serve")
        .envs(env.iter().copied())
        .env("RUST_LOG", "warn")
        .stdout(Stdio::null())
        .stderr(Stdio::inherit())
        .spawn()?;
    let served = Served {
        child,
        port,
        db,
        dir,
    };
    let deadline = Instant::now() + Duration::from_secs(10);
    while Instant::now() < deadline {
        if let Ok(mut c) = Connection::open(port).await
            && c.get("/readyz")
                .await
                .is_ok_and(|(status, _)| status == 200)
        {
            return Ok(served);
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    Err("negotiator serve did not become ready in 10 s".into())
}

/// One keep-alive HTTP/1.1 connection.
pub struct Connection {
    reader: BufReader<tokio::net::tcp::OwnedReadHalf>,
    writer: tokio::net::tcp::OwnedWriteHalf,
}

impl Connection {
    pub async fn open(port: u16) -> Result<Connection, BoxError> {
        let stream = TcpStream::connect(("127.0.0.1", port)).await?;
        stream.set_nodelay(true)?;
        let (read, writer) = stream.into_split();
        Ok(Connection {
            reader: BufReader::new(read),
            writer,
        })
    }

    pub async fn get(&mut self, path: &str) -> Result<(u16, Vec<u8>), BoxError> {
        let request = format!("GET {path} HTTP/1.1\r\nHost: bench\r\n\r\n");
        self.writer.write_all(request.as_bytes()).await?;
        self.response().await
    }

    /// Posts delivery `n`: a signed `taskCreated` for task `bench-{n}`.
    pub async fn post_delivery(&mut self, n: u64) -> Result<(u16, Vec<u8>), BoxError> {
        let body = format!(
            "{{\"event\":\"taskCreated\",\"task_id\":\"bench-{n}\",\"webhook_id\":\"wh-bench\",\
             \"history_items\":[{{\"id\":\"{n}\",\"type\":1,\"date\":\"1642734631523\",\
             \"field\":\"status\",\"parent_id\":\"9001\"}}]}}"
        );
        let signature = sign(&Secret::new(WEBHOOK_SECRET), body.as_bytes());
        let request = format!(
            "POST /webhooks/clickup HTTP/1.1\r\nHost: bench\r\nContent-Type: application/json\r\n\
             X-Signature: {signature}\r\nContent-Length: {}\r\n\r\n{body}",
            body.len()
        );
        self.writer.write_all(request.as_bytes()).await?;
        self.response().await
    }

    /// Posts a Gmail push (Pub/Sub message `push-{n}`) carrying the OIDC `token`.
    pub async fn post_push(
        &mut self,
        n: u64,
        token: &str,
        body: &[u8],
    ) -> Result<(u16, Vec<u8>), BoxError> {
        let head = format!(
            "POST /webhooks/gmail HTTP/1.1\r\nHost: bench\r\nContent-Type: application/json\r\n\
             Authorization: Bearer {token}\r\nX-Push: {n}\r\nContent-Length: {}\r\n\r\n",
            body.len()
        );
        let mut request = head.into_bytes();
        request.extend_from_slice(body);
        self.writer.write_all(&request).await?;
        self.response().await
    }

    async fn response(&mut self) -> Result<(u16, Vec<u8>), BoxError> {
        let mut line = String::new();
        self.reader.read_line(&mut line).await?;
        let status: u16 = line
            .split_whitespace()
            .nth(1)
            .ok_or("no status line")?
            .parse()?;
        let mut length = 0usize;
        loop {
            line.clear();
            self.reader.read_line(&mut line).await?;
            let header = line.trim_end();
            if header.is_empty() {
                break;
            }
            if let Some((name, value)) = header.split_once(':')
                && name.eq_ignore_ascii_case("content-length")
            {
                length = value.trim().parse()?;
            }
        }
        let mut body = vec![0; length];
        self.reader.read_exact(&mut body).await?;
        Ok((status, body))
    }
}

/// A webhook answer that means "stored".
pub fn accepted(status: u16, body: &[u8]) -> bool {
    status == 200 && body.windows(10).any(|w| w == b"\"accepted\"")
}

/// Percentile of sorted microseconds, as milliseconds.
pub fn pct(sorted: &[u64], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let rank = ((p / 100.0) * (sorted.len() - 1) as f64).round() as usize;
    sorted[rank.min(sorted.len() - 1)] as f64 / 1000.0
}
