//! The service-account key file: who we are (`client_email`) and the RSA key that proves it.

use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use ring::signature::RsaKeyPair;
use serde::Deserialize;

/// A key file that cannot be used. Never carries any part of the key.
#[derive(Debug, thiserror::Error)]
pub enum KeyError {
    #[error(
        "could not read the Google key file {path}: {source}; set GOOGLE_APPLICATION_CREDENTIALS \
         to the service account's JSON key"
    )]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error(
        "{source_name} is not a service-account JSON key ({problem}); download one from the Google \
         Cloud console (IAM > Service accounts > Keys > Add key > JSON)"
    )]
    Format {
        source_name: String,
        problem: String,
    },
    #[error(
        "{source_name} holds {kind:?} credentials; negotiator needs a service-account key \
         (\"type\": \"service_account\") with domain-wide delegation for Gmail"
    )]
    WrongKind { source_name: String, kind: String },
    #[error(
        "the private_key in {source_name} is not a usable RSA key ({problem}); download a fresh \
         JSON key for the service account"
    )]
    BadPrivateKey {
        source_name: String,
        problem: String,
    },
}

#[derive(Deserialize)]
struct KeyFile {
    #[serde(rename = "type")]
    kind: Option<String>,
    client_email: Option<String>,
    private_key: Option<String>,
    private_key_id: Option<String>,
    token_uri: Option<String>,
}

/// A parsed service-account key. `Debug` shows the account, never the key.
#[derive(Clone)]
pub struct ServiceAccountKey {
    client_email: String,
    key_id: Option<String>,
    token_uri: String,
    signer: Arc<RsaKeyPair>,
}

impl ServiceAccountKey {
    /// Reads and checks the JSON key file at `path`.
    pub fn from_file(path: &Path) -> Result<Self, KeyError> {
        let text = std::fs::read_to_string(path).map_err(|source| KeyError::Read {
            path: path.to_owned(),
            source,
        })?;
        Self::from_json(&text, &path.display().to_string())
    }

    /// Parses key JSON; `source_name` only names it in errors.
    pub fn from_json(json: &str, source_name: &str) -> Result<Self, KeyError> {
        let format = |problem: String| KeyError::Format {
            source_name: source_name.to_owned(),
            problem,
        };
        // serde_json's messages give a line and column, never the text around them.
        let file: KeyFile = serde_json::from_str(json).map_err(|e| format(e.to_string()))?;
        if let Some(kind) = file.kind.as_deref()
            && kind != "service_account"
        {
            return Err(KeyError::WrongKind {
                source_name: source_name.to_owned(),
                kind: kind.to_owned(),
            });
        }
        let client_email = file
            .client_email
            .filter(|e| !e.trim().is_empty())
            .ok_or_else(|| format("it has no client_email".to_owned()))?;
        let pem = file
            .private_key
            .filter(|k| !k.trim().is_empty())
            .ok_or_else(|| format("it has no private_key".to_owned()))?;
        let signer = parse_pem(&pem).map_err(|problem| KeyError::BadPrivateKey {
            source_name: source_name.to_owned(),
            problem,
        })?;
        Ok(ServiceAccountKey {
            client_email: client_email.trim().to_owned(),
            key_id: file.private_key_id.filter(|id| !id.trim().is_empty()),
            token_uri: file
                .token_uri
                .filter(|u| !u.trim().is_empty())
                .unwrap_or_else(|| super::super::TOKEN_URL.to_owned()),
            signer: Arc::new(signer),
        })
    }

    /// The service account's address (share the sheet with it).
    pub fn client_email(&self) -> &str {
        &self.client_email
    }

    /// The key file's `token_uri`: where tokens come from, and the assertions' audience.
    pub fn token_uri(&self) -> &str {
        &self.token_uri
    }

    pub(super) fn key_id(&self) -> Option<&str> {
        self.key_id.as_deref()
    }

    pub(super) fn signer(&self) -> &RsaKeyPair {
        &self.signer
    }
}

impl fmt::Debug for ServiceAccountKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ServiceAccountKey")
            .field("client_email", &self.client_email)
            .field("token_uri", &self.token_uri)
            .field("private_key", &"[redacted]")
            .finish()
    }
}

/// A PEM private key (PKCS#8 `PRIVATE KEY`, as Google issues them, or PKCS#1 `RSA PRIVATE
/// KEY`). Tolerates `\n` left escaped by a copy through an environment variable.
fn parse_pem(pem: &str) -> Result<RsaKeyPair, String> {
    let pem = pem.replace("\\n", "\n");
    let pkcs1 = pem.contains("BEGIN RSA PRIVATE KEY");
    let body: String = pem
        .lines()
        .map(str::trim)
        .filter(|line| !line.starts_with("-----"))
        .collect();
    let der = STANDARD
        .decode(body.as_bytes())
        .map_err(|_| "the PEM body is not base64".to_owned())?;
    let parsed = if pkcs1 {
        RsaKeyPair::from_der(&der)
    } else {
        RsaKeyPair::from_pkcs8(&der)
    };
    parsed.map_err(|rejected| format!("ring refused it: {rejected}"))
}
