//! The dashboard's team logins and sessions (`negotiator users`, the dashboard's sign-in).

use jiff::Timestamp;
use serde::Serialize;
use sqlx::SqliteExecutor;

use crate::{StoreError, from_ms, to_ms};

/// A team login. The password hash stays in the store's functions that need it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TeamUser {
    pub user_id: i64,
    pub name: String,
    pub created_at: Timestamp,
}

/// A signed-in session, found by its token's hash.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TeamSession {
    pub user_id: i64,
    pub user_name: String,
    pub csrf_token: String,
    pub expires_at: Timestamp,
}

/// Adds a login; a name already taken (case-insensitively) is `AlreadyExists`.
pub async fn add_team_user(
    ex: impl SqliteExecutor<'_>,
    name: &str,
    password_hash: &str,
    now: Timestamp,
) -> Result<i64, StoreError> {
    let result = sqlx::query(
        "INSERT INTO dashboard_users (name, password_hash, created_at) VALUES (?1, ?2, ?3)",
    )
    .bind(name)
    .bind(password_hash)
    .bind(to_ms(now))
    .execute(ex)
    .await;
    match result {
        Ok(done) => Ok(done.last_insert_rowid()),
        Err(sqlx::Error::Database(db)) if db.is_unique_violation() => {
            Err(StoreError::AlreadyExists {
                what: "user",
                detail: name.to_owned(),
            })
        }
        Err(other) => Err(other.into()),
    }
}

/// Removes a login and its sessions; false when there was no such login.
pub async fn remove_team_user(ex: impl SqliteExecutor<'_>, name: &str) -> Result<bool, StoreError> {
    // Sessions go with the user (ON DELETE CASCADE needs foreign keys, which the store turns on).
    let done = sqlx::query("DELETE FROM dashboard_users WHERE name = ?1")
        .bind(name)
        .execute(ex)
        .await?;
    Ok(done.rows_affected() > 0)
}

/// Every login, by name.
pub async fn list_team_users(ex: impl SqliteExecutor<'_>) -> Result<Vec<TeamUser>, StoreError> {
    let rows: Vec<(i64, String, i64)> =
        sqlx::query_as("SELECT user_id, name, created_at FROM dashboard_users ORDER BY name")
            .fetch_all(ex)
            .await?;
    rows.into_iter()
        .map(|(user_id, name, at)| {
            Ok(TeamUser {
                user_id,
                name,
                created_at: from_ms(at, "dashboard_users", "created_at")?,
            })
        })
        .collect()
}

/// How many logins there are (none: the dashboard is off).
pub async fn count_team_users(ex: impl SqliteExecutor<'_>) -> Result<i64, StoreError> {
    let (n,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM dashboard_users")
        .fetch_one(ex)
        .await?;
    Ok(n)
}

/// A login's id, exact name and password hash, for signing in.
pub async fn team_user_credentials(
    ex: impl SqliteExecutor<'_>,
    name: &str,
) -> Result<Option<(i64, String, String)>, StoreError> {
    Ok(
        sqlx::query_as("SELECT user_id, name, password_hash FROM dashboard_users WHERE name = ?1")
            .bind(name)
            .fetch_optional(ex)
            .await?,
    )
}

/// Stores a new session.
pub async fn insert_team_session(
    ex: impl SqliteExecutor<'_>,
    token_hash: &str,
    user_id: i64,
    csrf_token: &str,
    now: Timestamp,
    expires_at: Timestamp,
) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO dashboard_sessions (token_hash, user_id, csrf_token, created_at, expires_at)
         VALUES (?1, ?2, ?3, ?4, ?5)",
    )
    .bind(token_hash)
    .bind(user_id)
    .bind(csrf_token)
    .bind(to_ms(now))
    .bind(to_ms(expires_at))
    .execute(ex)
    .await?;
    Ok(())
}

/// The live session with this token hash (an expired one is not returned).
pub async fn find_team_session(
    ex: impl SqliteExecutor<'_>,
    token_hash: &str,
    now: Timestamp,
) -> Result<Option<TeamSession>, StoreError> {
    let row: Option<(i64, String, String, i64)> = sqlx::query_as(
        "SELECT s.user_id, u.name, s.csrf_token, s.expires_at
         FROM dashboard_sessions s JOIN dashboard_users u ON u.user_id = s.user_id
         WHERE s.token_hash = ?1 AND s.expires_at > ?2",
    )
    .bind(token_hash)
    .bind(to_ms(now))
    .fetch_optional(ex)
    .await?;
    row.map(|(user_id, user_name, csrf_token, expires)| {
        Ok(TeamSession {
            user_id,
            user_name,
            csrf_token,
            expires_at: from_ms(expires, "dashboard_sessions", "expires_at")?,
        })
    })
    .transpose()
}

/// Ends a session (sign-out); also drops every expired one.
pub async fn delete_team_session(
    ex: impl SqliteExecutor<'_>,
    token_hash: &str,
    now: Timestamp,
) -> Result<(), StoreError> {
    sqlx::query("DELETE FROM dashboard_sessions WHERE token_hash = ?1 OR expires_at <= ?2")
        .bind(token_hash)
        .bind(to_ms(now))
        .execute(ex)
        .await?;
    Ok(())
}
