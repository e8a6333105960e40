//! The documented alternative to OIDC on a push: a secret `token` on the push URL, compared in
//! constant time.

use subtle::ConstantTimeEq;

use crate::Secret;

/// Whether `given` is the secret (a length difference shows, the content never does).
pub fn token_matches(secret: &Secret, given: &str) -> bool {
    let expected = secret.expose().as_bytes();
    expected.len() == given.len() && bool::from(expected.ct_eq(given.as_bytes()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_exact_token_matches() {
        let secret = Secret::new("s3cret-token");
        assert!(token_matches(&secret, "s3cret-token"));
        assert!(!token_matches(&secret, "s3cret-tokeN"));
        assert!(!token_matches(&secret, "s3cret"));
        assert!(!token_matches(&secret, ""));
    }
}
