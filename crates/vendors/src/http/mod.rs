//! What every vendor client shares: error classes, one retry policy, client-side rate limits.

mod client;
mod error;
pub mod health;
mod limiter;
mod retry;

pub use client::{Answer, HttpClient};
pub use error::{ErrorKind, VendorError, retry_after_from};
pub use limiter::RateLimiter;
pub use retry::RetryPolicy;
