//! `negotiator doctor`'s line about Gmail push: its settings, and whether new mail is noticed
//! by push or by polling right now.

use jiff::{SignedDuration, Timestamp};
use negotiator_adapters::config::{GmailPushConfig, PushAuthConfig};
use negotiator_agent::workflows::push::read_mode;
use negotiator_store::Store;

use super::doctor::Check;

pub(super) async fn doctor_check(push: &GmailPushConfig, store: &Store) -> Check {
    let what = "Gmail push".to_owned();
    let auth = match push.auth() {
        Ok(PushAuthConfig::Oidc { audience, .. }) => format!("OIDC tokens for {audience}"),
        Ok(PushAuthConfig::SharedSecret(_)) => "a shared-secret token on the push URL".to_owned(),
        Err(missing) => {
            return Check {
                what,
                ok: false,
                detail: format!("push cannot start without {}", missing.join(", ")),
            };
        }
    };
    let fallback = SignedDuration::from_secs(push.fallback_after_secs as i64);
    match read_mode(store, Timestamp::now(), fallback).await {
        Ok(mode) => Check {
            what,
            ok: true,
            detail: format!("checks {auth}; in use now: {}", mode.describe()),
        },
        Err(error) => Check {
            what,
            ok: false,
            detail: error.to_string(),
        },
    }
}
