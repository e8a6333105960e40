//! `Store::open`: file creation, connection settings, reopening and refusing foreign files.

use negotiator_store::{Store, StoreError, get_campaign};
use sqlx::{Connection, SqliteConnection};

use crate::common::{add_campaign, db_path, open_temp};

#[tokio::test]
async fn creates_missing_parent_directories() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("a").join("b").join("negotiator.db");
    let store = Store::open(&path).await.unwrap();
    assert!(path.is_file());
    add_campaign(&store, "c1").await;
    store.close().await;
}

#[tokio::test]
async fn every_connection_uses_wal_full_sync_foreign_keys_and_busy_timeout() {
    let (_dir, store) = open_temp().await;
    // Hold several connections at once so the pool has to open more than one.
    let mut conns = Vec::new();
    for _ in 0..4 {
        conns.push(store.pool().acquire().await.unwrap());
    }
    for conn in &mut conns {
        let journal: String = sqlx::query_scalar("PRAGMA journal_mode")
            .fetch_one(&mut **conn)
            .await
            .unwrap();
        assert_eq!(journal, "wal");
        let foreign_keys: i64 = sqlx::query_scalar("PRAGMA foreign_keys")
            .fetch_one(&mut **conn)
            .await
            .unwrap();
        assert_eq!(foreign_keys, 1);
        // 2 = FULL.
        let synchronous: i64 = sqlx::query_scalar("PRAGMA synchronous")
            .fetch_one(&mut **conn)
            .await
            .unwrap();
        assert_eq!(synchronous, 2);
        let busy_timeout: i64 = sqlx::query_scalar("PRAGMA busy_timeout")
            .fetch_one(&mut **conn)
            .await
            .unwrap();
        assert_eq!(busy_timeout, 5_000);
    }
}

#[tokio::test]
async fn reopening_keeps_data_and_applies_no_migration_twice() {
    let dir = tempfile::tempdir().unwrap();
    let path = db_path(&dir);
    let store = Store::open(&path).await.unwrap();
    add_campaign(&store, "c1").await;
    store.close().await;
    drop(store);

    let store = Store::open(&path).await.unwrap();
    let campaign = get_campaign(store.db(), "c1").await.unwrap();
    assert_eq!(campaign.unwrap().campaign_id, "c1");
    let applied: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM _sqlx_migrations")
        .fetch_one(store.pool())
        .await
        .unwrap();
    let known = i64::try_from(negotiator_store::MIGRATOR.iter().count()).unwrap();
    assert_eq!(applied, known, "each migration applied once");

    // A second handle on the same file while the first is open is fine too.
    let other = Store::open(&path).await.unwrap();
    assert!(get_campaign(other.db(), "c1").await.unwrap().is_some());
}

#[tokio::test]
async fn an_empty_file_becomes_a_new_database() {
    let dir = tempfile::tempdir().unwrap();
    let path = db_path(&dir);
    std::fs::write(&path, b"").unwrap();
    let store = Store::open(&path).await.unwrap();
    add_campaign(&store, "c1").await;
}

#[tokio::test]
async fn a_file_that_is_not_sqlite_is_refused_and_left_alone() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("notes.txt");
    let text = "These are my notes, not a database.\n".repeat(100);
    std::fs::write(&path, &text).unwrap();

    let error = Store::open(&path).await.unwrap_err();
    match &error {
        StoreError::NotADatabase { path: reported } => assert_eq!(reported, &path),
        other => panic!("expected NotADatabase, got {other:?}"),
    }
    assert!(
        error.to_string().contains("not an SQLite database"),
        "{error}"
    );
    assert_eq!(std::fs::read_to_string(&path).unwrap(), text);
}

#[tokio::test]
async fn a_database_with_foreign_tables_is_refused_and_left_alone() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("audit.db");
    {
        let url = format!("sqlite://{}?mode=rwc", path.display());
        let mut conn = SqliteConnection::connect(&url).await.unwrap();
        sqlx::query("CREATE TABLE audit (id INTEGER PRIMARY KEY, body TEXT)")
            .execute(&mut conn)
            .await
            .unwrap();
        sqlx::query("INSERT INTO audit (body) VALUES ('old')")
            .execute(&mut conn)
            .await
            .unwrap();
        conn.close().await.unwrap();
    }

    let error = Store::open(&path).await.unwrap_err();
    match &error {
        StoreError::ForeignDatabase { path: reported } => assert_eq!(reported, &path),
        other => panic!("expected ForeignDatabase, got {other:?}"),
    }

    // Nothing of ours was added, and the file was not switched to WAL mode.
    let url = format!("sqlite://{}?mode=ro", path.display());
    let mut conn = SqliteConnection::connect(&url).await.unwrap();
    let tables: Vec<String> =
        sqlx::query_scalar("SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name")
            .fetch_all(&mut conn)
            .await
            .unwrap();
    assert_eq!(tables, ["audit"]);
    let journal: String = sqlx::query_scalar("PRAGMA journal_mode")
        .fetch_one(&mut conn)
        .await
        .unwrap();
    assert_eq!(journal, "delete");
}

#[tokio::test]
async fn a_database_from_a_newer_release_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let path = db_path(&dir);
    let store = Store::open(&path).await.unwrap();
    sqlx::query(
        "INSERT INTO _sqlx_migrations
             (version, description, success, checksum, execution_time)
         VALUES (99990101000000, 'from the future', 1, x'00', 0)",
    )
    .execute(store.pool())
    .await
    .unwrap();
    store.close().await;
    drop(store);

    match Store::open(&path).await.unwrap_err() {
        StoreError::NewerSchema { version } => assert_eq!(version, 99_990_101_000_000),
        other => panic!("expected NewerSchema, got {other:?}"),
    }
}
