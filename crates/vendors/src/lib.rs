//! Thin typed HTTP clients for the services the agent talks to. Each client takes its base URL
//! (so tests point it at a local fake), and every error says whether trying again may help.

pub mod anthropic;
pub mod clickup;
pub mod google;
pub mod http;
pub mod openai;
pub mod secret;
pub mod slack;

pub use http::{ErrorKind, HttpClient, RateLimiter, RetryPolicy, VendorError};
pub use secret::Secret;

/// Installs the TLS crypto provider (ring) for the whole process. Call once at start-up;
/// calling again is harmless.
pub fn install_crypto() {
    // Err means a provider is already installed, which is what we want.
    let _ = rustls::crypto::ring::default_provider().install_default();
}
