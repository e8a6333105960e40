//! Gmail push through Pub/Sub: the push delivery's body, and the OIDC token Pub/Sub signs it
//! with, checked against Google's published keys.

mod jwks;
mod notification;
mod oidc;
mod shared_token;

pub use jwks::{GOOGLE_CERTS_URL, KeyCache};
pub use notification::{Notification, PushError};
pub use oidc::{OidcVerifier, PushClaims, TokenRefusal};
pub use shared_token::token_matches;
