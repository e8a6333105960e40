//! How commits reach the disk: a deferring handle's commits are owed until settled, on every
//! handle of the store, and the connection goes back to the others waiting for the disk again.

use negotiator_store::{Db, EventType, NewAuditEntry, Store, StoreError, WriteTx, insert_audit};

use crate::common::{at, open_temp};

async fn audit_one(mut tx: WriteTx, n: i64) {
    insert_audit(
        &mut tx,
        &NewAuditEntry::new(at(n), EventType::Error).meta("n", n),
    )
    .await
    .unwrap();
    tx.commit().await.unwrap();
}

/// `PRAGMA synchronous` on the connection of `tx`: 2 is FULL, 1 NORMAL.
fn sync_level(tx: &mut WriteTx) -> i64 {
    tx.with(|conn| {
        conn.query_row("PRAGMA synchronous", [], |row| row.get(0))
            .map_err(StoreError::from)
    })
    .unwrap()
}

async fn rows(store: &Store) -> usize {
    store
        .audit_entries(&negotiator_store::AuditFilter {
            limit: 100,
            ..Default::default()
        })
        .await
        .unwrap()
        .len()
}

#[tokio::test]
async fn a_deferred_commit_is_owed_until_the_store_settles() {
    let (_dir, store) = open_temp().await;
    let deferring = store.deferring();

    audit_one(store.begin_write().await.unwrap(), 1).await;
    assert!(!store.owes_sync(), "a synced commit owes nothing");
    audit_one(deferring.begin_redoable_write().await.unwrap(), 2).await;
    assert!(!store.owes_sync(), "a redoable commit owes nothing");

    audit_one(deferring.begin_write().await.unwrap(), 3).await;
    assert!(store.owes_sync() && deferring.owes_sync());
    assert_eq!(rows(&store).await, 3, "committed, and seen by every reader");

    store.settle().await.unwrap();
    assert!(!store.owes_sync() && !deferring.owes_sync());
    // Nothing owed: nothing to do.
    deferring.settle().await.unwrap();
}

#[tokio::test]
async fn every_connection_handed_back_waits_for_the_disk_again() {
    let (_dir, store) = open_temp().await;
    let deferring = store.deferring();
    {
        let mut tx = deferring.begin_write().await.unwrap();
        assert_eq!(sync_level(&mut tx), 1, "a deferred commit does not wait");
    }
    {
        let mut tx = deferring.begin_redoable_write().await.unwrap();
        assert_eq!(sync_level(&mut tx), 1);
    }
    // One writer connection serves them all in turn (last in, first out).
    let mut tx = store.begin_write().await.unwrap();
    assert_eq!(sync_level(&mut tx), 2);
    drop(tx);
    let mut statements = store.write().await.unwrap();
    assert_eq!(sync_level(&mut statements), 2);
}

#[tokio::test]
async fn closing_settles_what_is_owed() {
    let (dir, store) = open_temp().await;
    audit_one(store.deferring().begin_write().await.unwrap(), 1).await;
    assert!(store.owes_sync());
    store.close().await;
    assert!(!store.owes_sync());

    let reopened = Store::open(&crate::common::db_path(&dir)).await.unwrap();
    assert_eq!(rows(&reopened).await, 1);
}
