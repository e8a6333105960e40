//! The webhook intake writer: concurrent deliveries group-committed, each with its job, and
//! repeats recognised as repeats.

use negotiator_store::{JobStatus, NewDelivery, NewJob};
use serde_json::json;

use crate::common::{at, open_temp};

fn delivery(key: &str, task: &str) -> NewDelivery {
    NewDelivery {
        source: "clickup".to_owned(),
        dedupe_key: key.to_owned(),
        body: format!("{{\"task_id\":\"{task}\"}}"),
        received_at: at(0),
        job: Some(NewJob {
            kind: "ingest_clickup".to_owned(),
            dedupe_key: format!("clickup:{task}"),
            payload: json!({"task": "ingest_clickup", "task_id": task}),
            run_at: at(0),
        }),
    }
}

#[tokio::test]
async fn concurrent_deliveries_are_all_stored_each_with_its_job() {
    let (_dir, store) = open_temp().await;
    let log = store.deliveries();
    let mut tasks = Vec::new();
    for i in 0..300 {
        let log = log.clone();
        tasks.push(tokio::spawn(async move {
            log.record(delivery(&format!("d{i}"), &format!("t{i}")))
                .await
        }));
    }
    for task in tasks {
        let stored = task.await.unwrap().unwrap();
        assert!(stored.new_delivery && stored.new_job);
    }
    let (deliveries,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM webhook_deliveries")
        .fetch_one(store.pool())
        .await
        .unwrap();
    assert_eq!(deliveries, 300);
    let queued = store
        .list_jobs(Some(JobStatus::Queued), 1_000)
        .await
        .unwrap();
    assert_eq!(queued.len(), 300);
}

#[tokio::test]
async fn a_retried_delivery_and_a_second_delivery_of_the_same_work_are_told_apart() {
    let (_dir, store) = open_temp().await;
    let log = store.deliveries();
    let first = log.record(delivery("d1", "t1")).await.unwrap();
    assert!(first.new_delivery && first.new_job);
    let retry = log.record(delivery("d1", "t1")).await.unwrap();
    assert!(!retry.new_delivery && !retry.new_job);
    let same_task = log.record(delivery("d2", "t1")).await.unwrap();
    assert!(same_task.new_delivery && !same_task.new_job);
    assert_eq!(store.list_jobs(None, 10).await.unwrap().len(), 1);
}

#[tokio::test]
async fn after_close_a_delivery_is_refused_rather_than_lost_silently() {
    let (_dir, store) = open_temp().await;
    let log = store.deliveries();
    store.close().await;
    let error = log.record(delivery("d1", "t1")).await.unwrap_err();
    assert!(
        matches!(error, negotiator_store::StoreError::WriterStopped),
        "{error:?}"
    );
}

#[tokio::test]
async fn the_same_delivery_twice_at_once_is_stored_once() {
    let (_dir, store) = open_temp().await;
    let log = store.deliveries();
    let (a, b) = tokio::join!(
        log.record(delivery("d1", "t1")),
        log.record(delivery("d1", "t1"))
    );
    let (a, b) = (a.unwrap(), b.unwrap());
    assert_ne!(
        a.new_delivery, b.new_delivery,
        "exactly one is new: {a:?} {b:?}"
    );
    assert_ne!(a.new_job, b.new_job);
    assert_eq!(store.list_jobs(None, 10).await.unwrap().len(), 1);
}
