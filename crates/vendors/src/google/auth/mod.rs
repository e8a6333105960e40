//! Service-account auth: the key file, the signed JWT assertion and a cached access token.

mod jwt;
mod key;
mod token;

pub use key::{KeyError, ServiceAccountKey};
pub use token::TokenSource;
