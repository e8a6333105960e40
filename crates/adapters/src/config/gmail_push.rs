//! The `[gmail_push]` section: Gmail pushes news of the inbox through Pub/Sub to
//! `POST /webhooks/gmail`, and how pushes are authenticated and polling falls back.

use negotiator_vendors::Secret;
use negotiator_vendors::google::push::GOOGLE_CERTS_URL;
use serde::Deserialize;

/// `[gmail_push]`: present means push is wanted (and then every setting it needs must be set).
#[derive(Clone, Debug, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct GmailPushConfig {
    /// The Pub/Sub topic Gmail publishes to: `projects/<project>/topics/<topic>`.
    pub topic: Option<String>,
    /// The `aud` the push subscription's OIDC token carries (by default the push endpoint URL).
    pub audience: Option<String>,
    /// The service account the push subscription signs its tokens as (`email` claim).
    pub service_account_email: Option<String>,
    /// Where Google's token-signing keys are published (JWK form).
    pub jwks_url: String,
    /// Set to use a shared-secret `?token=` on the push URL instead of OIDC: the name of the
    /// environment variable holding it (e.g. `GMAIL_PUSH_TOKEN`).
    pub shared_secret_env: Option<String>,
    /// Seconds of clock difference allowed on a token's expiry.
    pub leeway_secs: u64,
    /// With no push (or watch renewal) for this long, polling goes back to its normal pace.
    pub fallback_after_secs: u64,
    /// The polling pace while pushes arrive.
    pub slow_poll_secs: u64,
}

impl Default for GmailPushConfig {
    fn default() -> Self {
        GmailPushConfig {
            topic: None,
            audience: None,
            service_account_email: None,
            jwks_url: GOOGLE_CERTS_URL.to_owned(),
            shared_secret_env: None,
            leeway_secs: 60,
            fallback_after_secs: 30 * 60,
            slow_poll_secs: 10 * 60,
        }
    }
}

/// How pushes are authenticated.
#[derive(Clone, Debug)]
pub enum PushAuthConfig {
    /// The OIDC token Pub/Sub signs: for `audience`, as `email`.
    Oidc {
        audience: String,
        email: String,
        jwks_url: String,
        leeway_secs: u64,
    },
    /// A secret `?token=` on the push URL.
    SharedSecret(Secret),
}

impl GmailPushConfig {
    /// The authentication to use, or every missing setting named (the shared-secret token is
    /// read from the environment).
    pub fn auth(&self) -> Result<PushAuthConfig, Vec<String>> {
        fn set(value: &Option<String>) -> Option<&str> {
            value.as_deref().map(str::trim).filter(|v| !v.is_empty())
        }
        let mut missing = Vec::new();
        if set(&self.topic).is_none() {
            missing.push(
                "[gmail_push] topic (the Pub/Sub topic, projects/<project>/topics/<topic>)"
                    .to_owned(),
            );
        }
        let auth = if let Some(env) = set(&self.shared_secret_env) {
            match Secret::from_env(env) {
                Some(secret) if !secret.expose().trim().is_empty() => {
                    Some(PushAuthConfig::SharedSecret(secret))
                }
                _ => {
                    missing.push(format!(
                        "the environment variable {env} ([gmail_push] shared_secret_env), the \
                         token on the push URL"
                    ));
                    None
                }
            }
        } else {
            let audience = set(&self.audience);
            let email = set(&self.service_account_email);
            if audience.is_none() {
                missing.push(
                    "[gmail_push] audience (the push subscription's OIDC audience)".to_owned(),
                );
            }
            if email.is_none() {
                missing.push(
                    "[gmail_push] service_account_email (the push subscription's service account)"
                        .to_owned(),
                );
            }
            audience
                .zip(email)
                .map(|(audience, email)| PushAuthConfig::Oidc {
                    audience: audience.to_owned(),
                    email: email.to_owned(),
                    jwks_url: self.jwks_url.clone(),
                    leeway_secs: self.leeway_secs,
                })
        };
        match auth {
            Some(auth) if missing.is_empty() => Ok(auth),
            _ => Err(missing),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_missing_setting_is_named() {
        let missing = GmailPushConfig::default().auth().unwrap_err();
        let text = missing.join("; ");
        for name in ["topic", "audience", "service_account_email"] {
            assert!(text.contains(name), "{text}");
        }
        let secret = GmailPushConfig {
            topic: Some("projects/p/topics/t".to_owned()),
            shared_secret_env: Some("NEGOTIATOR_TEST_UNSET_PUSH_TOKEN".to_owned()),
            ..GmailPushConfig::default()
        };
        let text = secret.auth().unwrap_err().join("; ");
        assert!(text.contains("NEGOTIATOR_TEST_UNSET_PUSH_TOKEN"), "{text}");
        let oidc = GmailPushConfig {
            topic: Some("projects/p/topics/t".to_owned()),
            audience: Some("https://agent.example/webhooks/gmail".to_owned()),
            service_account_email: Some("push@p.iam.gserviceaccount.com".to_owned()),
            ..GmailPushConfig::default()
        };
        assert!(matches!(oidc.auth(), Ok(PushAuthConfig::Oidc { .. })));
    }
}
