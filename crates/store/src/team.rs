//! The dashboard's team logins and sessions (`negotiator users`, the dashboard's sign-in).

use jiff::Timestamp;
use rusqlite::params;
use serde::Serialize;

use crate::db::{execute, query_all, query_one};
use crate::{Db, StoreError, from_ms, to_ms};

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
    db: impl Db,
    name: &str,
    password_hash: &str,
    now: Timestamp,
) -> Result<i64, StoreError> {
    let now = to_ms(now);
    db.with(|conn| {
        conn.prepare_cached(
            "INSERT INTO dashboard_users (name, password_hash, created_at) VALUES (?1, ?2, ?3)",
        )?
        .execute(params![name, password_hash, now])
        .map_err(|e| match StoreError::on_insert(e, "user") {
            // The clash is on the name; say which.
            StoreError::AlreadyExists { what, .. } => StoreError::AlreadyExists {
                what,
                detail: name.to_owned(),
            },
            other => other,
        })?;
        Ok(conn.last_insert_rowid())
    })
}

/// Removes a login and its sessions; false when there was no such login.
pub async fn remove_team_user(db: impl Db, name: &str) -> Result<bool, StoreError> {
    // Sessions go with the user (ON DELETE CASCADE needs foreign keys, which the store turns on).
    let done =
        db.with(|conn| execute(conn, "DELETE FROM dashboard_users WHERE name = ?1", [name]))?;
    Ok(done > 0)
}

/// Every login, by name.
pub async fn list_team_users(db: impl Db) -> Result<Vec<TeamUser>, StoreError> {
    db.with(|conn| {
        query_all(
            conn,
            "SELECT user_id, name, created_at FROM dashboard_users ORDER BY name",
            [],
            |row| {
                Ok(TeamUser {
                    user_id: row.get(0)?,
                    name: row.get(1)?,
                    created_at: from_ms(row.get(2)?, "dashboard_users", "created_at")?,
                })
            },
        )
    })
}

/// How many logins there are (none: the dashboard is off).
pub async fn count_team_users(db: impl Db) -> Result<i64, StoreError> {
    let n = db.with(|conn| {
        query_one(conn, "SELECT COUNT(*) FROM dashboard_users", [], |row| {
            Ok(row.get::<_, i64>(0)?)
        })
    })?;
    Ok(n.unwrap_or(0))
}

/// A login's id, exact name and password hash, for signing in.
pub async fn team_user_credentials(
    db: impl Db,
    name: &str,
) -> Result<Option<(i64, String, String)>, StoreError> {
    db.with(|conn| {
        query_one(
            conn,
            "SELECT user_id, name, password_hash FROM dashboard_users WHERE name = ?1",
            [name],
            |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?)),
        )
    })
}

/// Stores a new session.
pub async fn insert_team_session(
    db: impl Db,
    token_hash: &str,
    user_id: i64,
    csrf_token: &str,
    now: Timestamp,
    expires_at: Timestamp,
) -> Result<(), StoreError> {
    let now = to_ms(now);
    let expires_at = to_ms(expires_at);
    db.with(|conn| {
        execute(
            conn,
            "INSERT INTO dashboard_sessions
                 (token_hash, user_id, csrf_token, created_at, expires_at)
             VALUES (?1, ?2, ?3, ?4, ?5)",
            params![token_hash, user_id, csrf_token, now, expires_at],
        )
    })?;
    Ok(())
}

/// The live session with this token hash (an expired one is not returned).
pub async fn find_team_session(
    db: impl Db,
    token_hash: &str,
    now: Timestamp,
) -> Result<Option<TeamSession>, StoreError> {
    let now = to_ms(now);
    db.with(|conn| {
        query_one(
            conn,
            "SELECT s.user_id, u.name, s.csrf_token, s.expires_at
             FROM dashboard_sessions s JOIN dashboard_users u ON u.user_id = s.user_id
             WHERE s.token_hash = ?1 AND s.expires_at > ?2",
            params![token_hash, now],
            |row| {
                Ok(TeamSession {
                    user_id: row.get(0)?,
                    user_name: row.get(1)?,
                    csrf_token: row.get(2)?,
                    expires_at: from_ms(row.get(3)?, "dashboard_sessions", "expires_at")?,
                })
            },
        )
    })
}

/// Ends a session (sign-out); also drops every expired one.
pub async fn delete_team_session(
    db: impl Db,
    token_hash: &str,
    now: Timestamp,
) -> Result<(), StoreError> {
    let now = to_ms(now);
    db.with(|conn| {
        execute(
            conn,
            "DELETE FROM dashboard_sessions WHERE token_hash = ?1 OR expires_at <= ?2",
            params![token_hash, now],
        )
    })?;
    Ok(())
}
