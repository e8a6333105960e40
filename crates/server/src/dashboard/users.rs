//! `negotiator users add|remove|list`: the team logins the dashboard accepts.

use jiff::Timestamp;
use negotiator_store::{
    Store, StoreError, TeamUser, add_team_user, list_team_users, remove_team_user,
};

use super::passwords::{PasswordError, hash_password};

#[derive(Debug, thiserror::Error)]
pub enum UserError {
    #[error("a user name must be 1 to 64 characters, without control characters; got {0:?}")]
    BadName(String),
    #[error("there is already a user {0:?}; remove it first to set a new password")]
    Exists(String),
    #[error(transparent)]
    Password(#[from] PasswordError),
    #[error(transparent)]
    Store(StoreError),
}

impl From<StoreError> for UserError {
    fn from(e: StoreError) -> Self {
        UserError::Store(e)
    }
}

fn check_name(name: &str) -> Result<&str, UserError> {
    let name = name.trim();
    if name.is_empty() || name.chars().count() > 64 || name.chars().any(char::is_control) {
        return Err(UserError::BadName(name.to_owned()));
    }
    Ok(name)
}

/// Adds a login with this password (hashed with Argon2id; the password is not kept).
pub async fn add(
    store: &Store,
    name: &str,
    password: &str,
    now: Timestamp,
) -> Result<(), UserError> {
    let name = check_name(name)?;
    let hash = hash_password(password)?;
    match add_team_user(&mut store.write().await?, name, &hash, now).await {
        Ok(_) => Ok(()),
        Err(StoreError::AlreadyExists { .. }) => Err(UserError::Exists(name.to_owned())),
        Err(e) => Err(e.into()),
    }
}

/// Removes a login and signs it out everywhere; false when there was none.
pub async fn remove(store: &Store, name: &str) -> Result<bool, UserError> {
    Ok(remove_team_user(&mut store.write().await?, name.trim()).await?)
}

/// Every login.
pub async fn list(store: &Store) -> Result<Vec<TeamUser>, UserError> {
    Ok(list_team_users(store.db()).await?)
}
