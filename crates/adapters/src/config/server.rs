//! The `[server]` section: where `negotiator serve` listens and its request and connection
//! limits.

use serde::Deserialize;

#[derive(Clone, Debug, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ServerConfig {
    /// Address and port to listen on.
    pub bind: String,
    /// Largest request body accepted (bigger ones get 413).
    pub body_limit_bytes: usize,
    /// A request that takes longer is answered 408.
    pub request_timeout_secs: u64,
    /// A connection must send a request's complete headers within this many seconds (from
    /// when it opens, or from the first byte of its next request), or it is cut.
    pub header_read_timeout_secs: u64,
    /// A keep-alive connection that sends no new request for this long is closed.
    pub idle_timeout_secs: u64,
    /// Jobs worked at once; 0 runs no worker (an instance that only takes webhooks, beside
    /// another that works the queue).
    pub workers: usize,
    /// How often the inbox is read and silent threads are looked at.
    pub poll_interval_secs: u64,
}

impl Default for ServerConfig {
    fn default() -> Self {
        ServerConfig {
            bind: "127.0.0.1:8080".to_owned(),
            body_limit_bytes: 1024 * 1024,
            request_timeout_secs: 10,
            header_read_timeout_secs: 10,
            idle_timeout_secs: 60,
            workers: 2,
            poll_interval_secs: 30,
        }
    }
}
