//! Write transactions of one process take the write lock in the order they asked for it.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use negotiator_store::{EventType, NewAuditEntry, insert_audit};

use crate::common::{at, open_temp};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn writers_take_their_turn_in_the_order_they_asked() {
    let (_dir, store) = open_temp().await;
    let order = Arc::new(Mutex::new(Vec::new()));
    let first = store.begin_write().await.unwrap();

    let mut waiting = Vec::new();
    for writer in 0..6_i64 {
        let (store, order) = (store.clone(), order.clone());
        waiting.push(tokio::spawn(async move {
            let mut tx = store.begin_write().await.unwrap();
            order.lock().unwrap().push(writer);
            let entry = NewAuditEntry::new(at(writer), EventType::Error).meta("writer", writer);
            insert_audit(&mut tx, &entry).await.unwrap();
            tx.commit().await.unwrap();
        }));
        // Each asks only once the one before is queued.
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    // Held well past SQLite's first retries: without the queue, whichever retry found the lock
    // free would win.
    tokio::time::sleep(Duration::from_millis(200)).await;
    first.commit().await.unwrap();
    for writer in waiting {
        writer.await.unwrap();
    }
    assert_eq!(*order.lock().unwrap(), vec![0, 1, 2, 3, 4, 5]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn many_writers_at_once_all_commit() {
    let (_dir, store) = open_temp().await;
    let mut writers = Vec::new();
    for writer in 0..16_i64 {
        let store = store.clone();
        writers.push(tokio::spawn(async move {
            for step in 0..50_i64 {
                let mut tx = store.begin_write().await?;
                let entry = NewAuditEntry::new(at(step), EventType::Error).meta("writer", writer);
                insert_audit(&mut tx, &entry).await?;
                tx.commit().await?;
            }
            Ok::<_, negotiator_store::StoreError>(())
        }));
    }
    for writer in writers {
        writer.await.unwrap().unwrap();
    }
    let written = store
        .count_audit_entries(&negotiator_store::AuditFilter::default())
        .await
        .unwrap();
    assert_eq!(written, 16 * 50);
}
