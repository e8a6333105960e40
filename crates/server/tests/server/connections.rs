//! Connection limits of `negotiator serve` on a real port: a client that never finishes its
//! headers is cut after the header timeout, an idle keep-alive connection is closed after the
//! idle timeout, and ordinary keep-alive requests still work.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use negotiator_adapters::config::Config;
use negotiator_adapters::local::LocalPaths;
use negotiator_agent::ports::clock::SystemClock;
use negotiator_agent::{Agent, Settings};
use negotiator_server::Server;
use negotiator_store::Store;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

/// Far longer than any timeout under test: only there so a broken server fails the test
/// instead of hanging it.
const GUARD: Duration = Duration::from_secs(20);

struct Running {
    addr: SocketAddr,
    stop: oneshot::Sender<()>,
    task: JoinHandle<()>,
    _dir: tempfile::TempDir,
}

async fn serve(header_read_secs: u64, idle_secs: u64) -> Running {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&dir.path().join("n.db")).await.unwrap();
    let adapters = LocalPaths::under(dir.path()).adapters(false).unwrap();
    let agent = Agent::new(store, adapters, Settings::default(), Arc::new(SystemClock));
    let mut config = Config::default();
    config.server.bind = "127.0.0.1:0".to_owned();
    config.server.workers = 0;
    config.server.header_read_timeout_secs = header_read_secs;
    config.server.idle_timeout_secs = idle_secs;
    let server = Server::bind(agent, Arc::new(config)).await.unwrap();
    let addr = server.local_addr().unwrap();
    let (stop, stopped) = oneshot::channel::<()>();
    let task = tokio::spawn(async move {
        server
            .run(async move {
                let _ = stopped.await;
            })
            .await
            .unwrap();
    });
    Running {
        addr,
        stop,
        task,
        _dir: dir,
    }
}

impl Running {
    async fn shut_down(self) {
        self.stop.send(()).unwrap();
        tokio::time::timeout(GUARD, self.task)
            .await
            .expect("serve stops")
            .unwrap();
    }
}

/// Reads until the server closes the connection (or resets it); returns what it sent.
async fn read_until_closed(stream: &mut TcpStream) -> String {
    let mut received = Vec::new();
    let mut buf = [0; 4096];
    loop {
        match tokio::time::timeout(GUARD, stream.read(&mut buf))
            .await
            .expect("the server closes the connection")
        {
            Ok(0) | Err(_) => return String::from_utf8_lossy(&received).into_owned(),
            Ok(n) => received.extend_from_slice(&buf[..n]),
        }
    }
}

/// Sends a keep-alive GET and reads its whole answer (our answers carry a Content-Length).
async fn get(stream: &mut TcpStream, path: &str) -> String {
    let request = format!("GET {path} HTTP/1.1\r\nHost: test\r\n\r\n");
    stream.write_all(request.as_bytes()).await.unwrap();
    let mut received = Vec::new();
    let mut buf = [0; 4096];
    loop {
        let n = tokio::time::timeout(GUARD, stream.read(&mut buf))
            .await
            .expect("an answer")
            .unwrap();
        assert!(n > 0, "closed before answering: {received:?}");
        received.extend_from_slice(&buf[..n]);
        let text = String::from_utf8_lossy(&received).into_owned();
        if let Some((head, body)) = text.split_once("\r\n\r\n") {
            let length: usize = head
                .lines()
                .find_map(|l| {
                    l.to_ascii_lowercase()
                        .strip_prefix("content-length:")
                        .map(|v| v.trim().parse().unwrap())
                })
                .unwrap_or(0);
            if body.len() >= length {
                return text;
            }
        }
    }
}

#[tokio::test]
async fn a_client_that_never_finishes_its_headers_is_cut_after_the_header_timeout() {
    // The idle timeout is far longer: only the header timeout can end this connection.
    let running = serve(1, 600).await;
    let mut stream = TcpStream::connect(running.addr).await.unwrap();
    stream.write_all(b"GET /hea").await.unwrap();
    let answer = read_until_closed(&mut stream).await;
    assert!(!answer.contains("200 OK"), "{answer}");

    // So is one that trickles its headers a byte at a time (it would take 40 s to finish).
    let trickling = TcpStream::connect(running.addr).await.unwrap();
    let (mut reader, mut writer) = trickling.into_split();
    let header = format!("GET /healthz HTTP/1.1\r\nX-Slow: {}", "a".repeat(200));
    let trickle = tokio::spawn(async move {
        for byte in header.bytes() {
            if writer.write_all(&[byte]).await.is_err() {
                return;
            }
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
    });
    let mut received = Vec::new();
    let closed = tokio::time::timeout(GUARD, reader.read_to_end(&mut received)).await;
    assert!(closed.is_ok(), "the trickling connection was not cut");
    assert!(received.is_empty(), "{received:?}");
    trickle.abort();

    // So is one that connects and sends nothing.
    let mut silent = TcpStream::connect(running.addr).await.unwrap();
    read_until_closed(&mut silent).await;
    running.shut_down().await;
}

#[tokio::test]
async fn an_idle_keep_alive_connection_is_closed_after_the_idle_timeout() {
    // The header timeout is far longer: only the idle timeout can end this connection.
    let running = serve(600, 1).await;
    let mut stream = TcpStream::connect(running.addr).await.unwrap();
    let answer = get(&mut stream, "/healthz").await;
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
    assert_eq!(read_until_closed(&mut stream).await, "");
    running.shut_down().await;
}

#[tokio::test]
async fn keep_alive_requests_work_and_idle_time_is_not_held_to_the_header_timeout() {
    let running = serve(1, 600).await;
    let mut stream = TcpStream::connect(running.addr).await.unwrap();
    let first = get(&mut stream, "/healthz").await;
    assert!(first.starts_with("HTTP/1.1 200"), "{first}");
    // Idle for longer than the header timeout, then the next request on the same connection.
    tokio::time::sleep(Duration::from_millis(2_500)).await;
    let second = get(&mut stream, "/readyz").await;
    assert!(second.starts_with("HTTP/1.1 200"), "{second}");
    // A shutdown closes the idle connection rather than waiting for it.
    running.shut_down().await;
    assert_eq!(read_until_closed(&mut stream).await, "");
}
