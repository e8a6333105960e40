//! The HTTP/1 connections of `negotiator serve`, driven with hyper directly because
//! `axum::serve` has no header-read or idle timeout: a connection must finish each request's
//! headers in time, one idle between requests is closed, and a shutdown closes them all
//! gracefully.

use std::future::Future;
use std::io;
use std::pin::{Pin, pin};
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};
use std::time::Duration;

use axum::Router;
use axum::extract::Request;
use hyper::body::Incoming;
use hyper::server::conn::http1;
use hyper_util::rt::TokioIo;
use hyper_util::service::TowerToHyperService;
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::watch;
use tokio::time::Instant;
use tower::ServiceExt;

/// How long a connection may take over its headers, and stay idle between requests.
#[derive(Clone, Copy, Debug)]
pub struct Timeouts {
    /// From when the connection opens, or from the first byte of its next request, until its
    /// headers are complete. Also how long a closing connection gets to finish.
    pub header_read: Duration,
    /// From the last response until the next request's first byte.
    pub idle: Duration,
}

/// Serves `app` on every connection `listener` accepts until `shutdown` resolves; then stops
/// accepting, lets each connection finish the request in hand, and returns once all are closed.
pub async fn serve(
    listener: TcpListener,
    app: Router,
    timeouts: Timeouts,
    shutdown: impl Future<Output = ()>,
) {
    let (stop_tx, stop_rx) = watch::channel(false);
    let mut shutdown = pin!(shutdown);
    loop {
        let stream = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok((stream, _)) => stream,
                Err(error) => {
                    accept_failed(error).await;
                    continue;
                }
            },
            () = &mut shutdown => break,
        };
        tokio::spawn(serve_connection(
            stream,
            app.clone(),
            timeouts,
            stop_rx.clone(),
        ));
    }
    drop(listener);
    let _ = stop_tx.send(true);
    drop(stop_rx);
    // Each connection holds a receiver until it is closed.
    stop_tx.closed().await;
}

/// A refused or reset connection is the client's business; anything else (out of file
/// descriptors) gets a second's pause so the loop does not spin.
async fn accept_failed(error: io::Error) {
    use io::ErrorKind::{ConnectionAborted, ConnectionRefused, ConnectionReset};
    if matches!(
        error.kind(),
        ConnectionRefused | ConnectionAborted | ConnectionReset
    ) {
        return;
    }
    tracing::error!(%error, "could not accept a connection; trying again in a second");
    tokio::time::sleep(Duration::from_secs(1)).await;
}

/// Where a connection is between its requests.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Phase {
    /// Reading a request's headers: since the connection opened, or since the first byte of
    /// the next request.
    Head,
    /// A request is being answered (the request timeout bounds it).
    Busy,
    /// Between requests: the last response is out, or on its way.
    Idle,
}

/// The phase of one connection and since when, updated by its reads and its requests.
#[derive(Debug)]
struct Activity(Mutex<(Phase, Instant)>);

impl Activity {
    fn new() -> Self {
        Activity(Mutex::new((Phase::Head, Instant::now())))
    }

    fn get(&self) -> (Phase, Instant) {
        *self.0.lock().unwrap_or_else(|p| p.into_inner())
    }

    fn set(&self, phase: Phase) {
        *self.0.lock().unwrap_or_else(|p| p.into_inner()) = (phase, Instant::now());
    }

    /// Bytes arrived: on an idle connection, they start the next request's headers.
    fn received(&self) {
        let mut state = self.0.lock().unwrap_or_else(|p| p.into_inner());
        if state.0 == Phase::Idle {
            *state = (Phase::Head, Instant::now());
        }
    }
}

/// When a connection in `phase` since `since` has overstayed; `closing` is when a graceful
/// close began. A request being answered never has.
fn deadline(
    (phase, since): (Phase, Instant),
    closing: Option<Instant>,
    timeouts: Timeouts,
) -> Option<Instant> {
    match (phase, closing) {
        (Phase::Head, _) => Some(since + timeouts.header_read),
        (Phase::Idle, None) => Some(since + timeouts.idle),
        // Closing, with its response out or on its way: a client that will not read it
        // does not get to hold the connection.
        (Phase::Idle, Some(closing)) => Some(closing.max(since) + timeouts.header_read),
        (Phase::Busy, _) => None,
    }
}

async fn serve_connection(
    stream: TcpStream,
    app: Router,
    timeouts: Timeouts,
    mut stop: watch::Receiver<bool>,
) {
    let activity = Arc::new(Activity::new());
    // The peer's address, for the dashboard's per-address sign-in limit.
    let peer = stream.peer_addr().ok();
    let io = TokioIo::new(Watched {
        stream,
        activity: activity.clone(),
    });
    let (started, answered) = (activity.clone(), activity.clone());
    let service = app
        .map_request(move |mut request: Request<Incoming>| {
            started.set(Phase::Busy);
            if let Some(peer) = peer {
                request
                    .extensions_mut()
                    .insert(axum::extract::ConnectInfo(peer));
            }
            request
        })
        .map_response(move |response| {
            answered.set(Phase::Idle);
            response
        });
    let mut connection = pin!(
        http1::Builder::new()
            // The timeouts are kept below: hyper's header timer also runs while a connection
            // is idle, so it could not allow a longer idle time than header time.
            .header_read_timeout(None)
            .serve_connection(io, TowerToHyperService::new(service))
    );
    let mut closing = None;
    loop {
        let now = Instant::now();
        // Woken at least this often, so a phase that starts while we sleep (and its deadline)
        // is never noticed late.
        let check = now + timeouts.header_read.min(timeouts.idle);
        let wake = deadline(activity.get(), closing, timeouts).map_or(check, |d| d.min(check));
        tokio::select! {
            served = connection.as_mut() => {
                if let Err(error) = served {
                    tracing::debug!(%error, "a connection ended with an error");
                }
                return;
            }
            _ = stop.changed(), if closing.is_none() => {
                connection.as_mut().graceful_shutdown();
                closing = Some(Instant::now());
            }
            () = tokio::time::sleep_until(wake) => {
                let state = activity.get();
                let now = Instant::now();
                if deadline(state, closing, timeouts).is_none_or(|d| now < d) {
                    continue;
                }
                match (state.0, closing) {
                    (Phase::Idle, None) => {
                        connection.as_mut().graceful_shutdown();
                        closing = Some(now);
                    }
                    _ => {
                        tracing::debug!(phase = ?state.0, "cut a connection that overstayed its timeout");
                        return;
                    }
                }
            }
        }
    }
}

/// A TCP stream that tells its connection's [`Activity`] when bytes arrive.
struct Watched {
    stream: TcpStream,
    activity: Arc<Activity>,
}

impl AsyncRead for Watched {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        let before = buf.filled().len();
        let polled = Pin::new(&mut self.stream).poll_read(cx, buf);
        if buf.filled().len() > before {
            self.activity.received();
        }
        polled
    }
}

impl AsyncWrite for Watched {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.stream).poll_write(cx, buf)
    }

    fn poll_write_vectored(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.stream).poll_write_vectored(cx, bufs)
    }

    fn is_write_vectored(&self) -> bool {
        self.stream.is_write_vectored()
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.stream).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.stream).poll_shutdown(cx)
    }
}
