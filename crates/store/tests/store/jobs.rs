//! The durable job queue: enqueue dedupe, claiming, leases, failures and retries.

use std::collections::BTreeSet;
use std::time::Duration;

use jiff::Timestamp;
use negotiator_store::{DEFAULT_MAX_ATTEMPTS, JobStatus, Store, StoreError, enqueue};
use serde_json::json;

use crate::common::{at, open_temp};

const LEASE: Duration = Duration::from_secs(60);
const LEASE_MS: i64 = 60_000;

async fn push(store: &Store, kind: &str, key: &str, run_at_ms: i64) -> Option<i64> {
    let mut tx = store.begin_write().await.unwrap();
    let id = enqueue(&mut tx, kind, key, &json!({"key": key}), at(run_at_ms))
        .await
        .unwrap();
    tx.commit().await.unwrap();
    id
}

fn assert_not_found(result: Result<impl std::fmt::Debug, StoreError>) {
    match result {
        Err(StoreError::NotFound { .. }) => {}
        other => panic!("expected NotFound, got {other:?}"),
    }
}

#[tokio::test]
async fn enqueue_is_idempotent_per_kind_and_key_whatever_the_status() {
    let (_dir, store) = open_temp().await;
    let id = push(&store, "send_email", "msg-1", 0).await.unwrap();
    assert_eq!(push(&store, "send_email", "msg-1", 10).await, None);
    // The same key under another kind is another job.
    let other = push(&store, "follow_up", "msg-1", 0).await.unwrap();
    assert_ne!(id, other);

    let job = store.job(id).await.unwrap().unwrap();
    assert_eq!(job.kind, "send_email");
    assert_eq!(job.dedupe_key, "msg-1");
    assert_eq!(job.payload, json!({"key": "msg-1"}));
    assert_eq!(job.status, JobStatus::Queued);
    assert_eq!(job.attempts, 0);
    assert_eq!(job.max_attempts, DEFAULT_MAX_ATTEMPTS);
    // The duplicate did not move run_at.
    assert_eq!(job.run_at, at(0));
    assert_eq!(job.lease_until, None);

    // Still refused once the first job is done.
    let claimed = store.claim_next(at(0), LEASE).await.unwrap().unwrap();
    assert_eq!(claimed.job_id, id);
    store.complete(id).await.unwrap();
    assert_eq!(push(&store, "send_email", "msg-1", 0).await, None);
}

#[tokio::test]
async fn an_enqueue_rolled_back_with_its_transaction_leaves_no_job() {
    let (_dir, store) = open_temp().await;
    let mut tx = store.begin_write().await.unwrap();
    enqueue(&mut tx, "send_email", "msg-1", &json!({}), at(0))
        .await
        .unwrap()
        .unwrap();
    tx.rollback().await.unwrap();
    assert!(store.list_jobs(None, 10).await.unwrap().is_empty());
    // And the key is free again.
    assert!(push(&store, "send_email", "msg-1", 0).await.is_some());
}

#[tokio::test]
async fn claims_the_oldest_due_job_first_and_never_a_future_one() {
    let (_dir, store) = open_temp().await;
    let late = push(&store, "k", "late", 300).await.unwrap();
    let early = push(&store, "k", "early", 100).await.unwrap();
    let tie_a = push(&store, "k", "tie-a", 200).await.unwrap();
    let tie_b = push(&store, "k", "tie-b", 200).await.unwrap();
    let future = push(&store, "k", "future", 10_000).await.unwrap();

    assert!(store.claim_next(at(99), LEASE).await.unwrap().is_none());
    let mut order = Vec::new();
    while let Some(job) = store.claim_next(at(1_000), LEASE).await.unwrap() {
        assert_eq!(job.status, JobStatus::Running);
        assert_eq!(job.attempts, 1);
        assert_eq!(job.lease_until, Some(at(1_000 + LEASE_MS)));
        order.push(job.job_id);
    }
    assert_eq!(order, [early, tie_a, tie_b, late]);
    assert_eq!(
        store.job(future).await.unwrap().unwrap().status,
        JobStatus::Queued
    );
    let job = store.claim_next(at(10_000), LEASE).await.unwrap().unwrap();
    assert_eq!(job.job_id, future);
}

#[tokio::test]
async fn concurrent_workers_never_claim_the_same_job_twice() {
    let (_dir, store) = open_temp().await;
    let mut expected = BTreeSet::new();
    for i in 0..40 {
        expected.insert(push(&store, "k", &format!("job-{i}"), i).await.unwrap());
    }
    let mut workers = Vec::new();
    for _ in 0..8 {
        let store = store.clone();
        workers.push(tokio::spawn(async move {
            let mut mine = Vec::new();
            while let Some(job) = store.claim_next(at(1_000), LEASE).await.unwrap() {
                mine.push(job.job_id);
            }
            mine
        }));
    }
    let mut claimed = Vec::new();
    for worker in workers {
        claimed.extend(worker.await.unwrap());
    }
    assert_eq!(claimed.len(), expected.len());
    assert_eq!(claimed.into_iter().collect::<BTreeSet<_>>(), expected);
}

#[tokio::test]
async fn an_expired_lease_puts_the_job_back_until_its_attempts_run_out() {
    let (_dir, store) = open_temp().await;
    let id = push(&store, "k", "a", 0).await.unwrap();
    let mut now = 0;
    for attempt in 1..=DEFAULT_MAX_ATTEMPTS {
        let job = store.claim_next(at(now), LEASE).await.unwrap().unwrap();
        assert_eq!((job.job_id, job.attempts), (id, attempt));
        // A running job is not claimed again while its lease holds.
        assert!(
            store
                .claim_next(at(now + 1), LEASE)
                .await
                .unwrap()
                .is_none()
        );
        // Nothing to release before the lease ends.
        assert_eq!(
            store
                .release_expired_leases(at(now + LEASE_MS - 1))
                .await
                .unwrap(),
            0
        );
        now += LEASE_MS + 1;
        assert_eq!(store.release_expired_leases(at(now)).await.unwrap(), 1);
        let job = store.job(id).await.unwrap().unwrap();
        assert_eq!(job.lease_until, None);
        if attempt < DEFAULT_MAX_ATTEMPTS {
            assert_eq!(job.status, JobStatus::Queued);
            assert_eq!(job.last_error, None);
        } else {
            assert_eq!(job.status, JobStatus::Failed);
            assert!(job.last_error.unwrap().contains("lease expired"));
        }
    }
    assert!(store.claim_next(at(now), LEASE).await.unwrap().is_none());
    // The worker whose lease expired can no longer complete or fail it.
    assert_not_found(store.complete(id).await);
    assert_not_found(store.fail(id, "late", None).await);
}

#[tokio::test]
async fn fail_with_retry_requeues_until_max_attempts_then_parks() {
    let (_dir, store) = open_temp().await;
    let id = push(&store, "k", "a", 0).await.unwrap();
    let mut now = 0;
    for attempt in 1..=DEFAULT_MAX_ATTEMPTS {
        let job = store.claim_next(at(now), LEASE).await.unwrap().unwrap();
        assert_eq!(job.attempts, attempt);
        let retry_at = now + 5_000;
        let status = store
            .fail(id, &format!("boom {attempt}"), Some(at(retry_at)))
            .await
            .unwrap();
        let job = store.job(id).await.unwrap().unwrap();
        assert_eq!(job.last_error.as_deref(), Some(&*format!("boom {attempt}")));
        assert_eq!(job.lease_until, None);
        assert_eq!(job.status, status);
        if attempt < DEFAULT_MAX_ATTEMPTS {
            assert_eq!(status, JobStatus::Queued);
            assert_eq!(job.run_at, at(retry_at));
            // Not due before retry_at.
            assert!(
                store
                    .claim_next(at(retry_at - 1), LEASE)
                    .await
                    .unwrap()
                    .is_none()
            );
        } else {
            assert_eq!(status, JobStatus::Failed);
        }
        now = retry_at;
    }
    assert!(store.claim_next(at(now), LEASE).await.unwrap().is_none());
    let failed = store.list_jobs(Some(JobStatus::Failed), 10).await.unwrap();
    assert_eq!(failed.len(), 1);
    assert_eq!(failed[0].job_id, id);
}

#[tokio::test]
async fn claims_can_pass_over_kinds() {
    let (_dir, store) = open_temp().await;
    let intake = push(&store, "ingest_clickup", "t-1", 100).await.unwrap();
    let notice = push(&store, "notify", "n-1", 200).await.unwrap();
    let skip = ["ingest_clickup".to_owned()];
    let job = store
        .claim_next_except(at(1_000), LEASE, &skip)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        job.job_id, notice,
        "the older job of a passed-over kind waits"
    );
    assert!(
        store
            .claim_next_except(at(1_000), LEASE, &skip)
            .await
            .unwrap()
            .is_none()
    );
    let job = store.claim_next(at(1_000), LEASE).await.unwrap().unwrap();
    assert_eq!(job.job_id, intake);
}

#[tokio::test]
async fn a_deferred_job_waits_without_using_an_attempt_or_recording_an_error() {
    let (_dir, store) = open_temp().await;
    let id = push(&store, "ingest_clickup", "t-1", 0).await.unwrap();
    // Far more deferrals than attempts: none of them counts.
    for round in 0..(DEFAULT_MAX_ATTEMPTS * 3) {
        let now = round * 1_000;
        let job = store.claim_next(at(now), LEASE).await.unwrap().unwrap();
        assert_eq!(job.attempts, 1);
        store.defer(id, at(now + 1_000)).await.unwrap();
        let job = store.job(id).await.unwrap().unwrap();
        assert_eq!(job.status, JobStatus::Queued);
        assert_eq!(job.attempts, 0);
        assert_eq!(job.run_at, at(now + 1_000));
        assert_eq!(job.lease_until, None);
        assert_eq!(job.last_error, None);
        assert!(
            store
                .claim_next(at(now + 999), LEASE)
                .await
                .unwrap()
                .is_none(),
            "not due before its new run_at"
        );
    }
    // A real failure afterwards still has every attempt.
    let job = store
        .claim_next(at(1_000_000), LEASE)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(job.attempts, 1);
    assert_eq!(
        store.fail(id, "boom", Some(at(1_000_001))).await.unwrap(),
        JobStatus::Queued
    );
    // Only a running job can be deferred.
    assert_not_found(store.defer(id, at(0)).await);
}

#[tokio::test]
async fn fail_without_retry_parks_at_once() {
    let (_dir, store) = open_temp().await;
    let id = push(&store, "k", "a", 0).await.unwrap();
    store.claim_next(at(0), LEASE).await.unwrap().unwrap();
    let status = store.fail(id, "permanent", None).await.unwrap();
    assert_eq!(status, JobStatus::Failed);
    let job = store.job(id).await.unwrap().unwrap();
    assert_eq!(job.attempts, 1);
    assert_eq!(job.run_at, at(0));
}

#[tokio::test]
async fn retry_brings_a_failed_job_back_with_fresh_attempts() {
    let (_dir, store) = open_temp().await;
    let id = push(&store, "k", "a", 0).await.unwrap();
    store.claim_next(at(0), LEASE).await.unwrap().unwrap();
    store.fail(id, "permanent", None).await.unwrap();

    let before = Timestamp::now();
    store.retry(id).await.unwrap();
    let job = store.job(id).await.unwrap().unwrap();
    assert_eq!(job.status, JobStatus::Queued);
    assert_eq!(job.attempts, 0);
    assert_eq!(job.last_error.as_deref(), Some("permanent"));
    assert!(job.run_at.as_millisecond() >= before.as_millisecond());
    // Due now.
    let claimed = store
        .claim_next(Timestamp::now(), LEASE)
        .await
        .unwrap()
        .unwrap();
    assert_eq!((claimed.job_id, claimed.attempts), (id, 1));

    // Only failed jobs can be retried.
    assert_not_found(store.retry(id).await);
    assert_not_found(store.retry(9_999).await);
}

#[tokio::test]
async fn retry_all_failed_requeues_every_failed_job_and_nothing_else() {
    let (_dir, store) = open_temp().await;
    let mut failed = Vec::new();
    for key in ["a", "b", "c"] {
        let id = push(&store, "k", key, 0).await.unwrap();
        store.claim_next(at(0), LEASE).await.unwrap().unwrap();
        store.fail(id, "x", None).await.unwrap();
        failed.push(id);
    }
    let done = push(&store, "k", "done", 0).await.unwrap();
    store.claim_next(at(0), LEASE).await.unwrap().unwrap();
    store.complete(done).await.unwrap();
    let queued = push(&store, "k", "queued", 50_000).await.unwrap();

    assert_eq!(store.retry_all_failed().await.unwrap(), 3);
    for id in failed {
        let job = store.job(id).await.unwrap().unwrap();
        assert_eq!((job.status, job.attempts), (JobStatus::Queued, 0));
    }
    assert_eq!(
        store.job(done).await.unwrap().unwrap().status,
        JobStatus::Done
    );
    assert_eq!(store.job(queued).await.unwrap().unwrap().run_at, at(50_000));
    assert_eq!(store.retry_all_failed().await.unwrap(), 0);
}

#[tokio::test]
async fn complete_needs_a_running_job() {
    let (_dir, store) = open_temp().await;
    let id = push(&store, "k", "a", 0).await.unwrap();
    // Queued, never claimed.
    assert_not_found(store.complete(id).await);
    assert_not_found(store.fail(id, "x", None).await);
    // Unknown.
    assert_not_found(store.complete(9_999).await);

    store.claim_next(at(0), LEASE).await.unwrap().unwrap();
    store.complete(id).await.unwrap();
    let job = store.job(id).await.unwrap().unwrap();
    assert_eq!((job.status, job.lease_until), (JobStatus::Done, None));
    // Already done.
    assert_not_found(store.complete(id).await);
    // A done job's lease is never "expired".
    assert_eq!(
        store
            .release_expired_leases(at(i64::from(i32::MAX)))
            .await
            .unwrap(),
        0
    );
}

#[tokio::test]
async fn list_jobs_filters_by_status_newest_change_first() {
    let (_dir, store) = open_temp().await;
    let a = push(&store, "k", "a", 0).await.unwrap();
    let b = push(&store, "k", "b", 0).await.unwrap();
    let c = push(&store, "k", "c", 0).await.unwrap();
    store.claim_next(at(0), LEASE).await.unwrap().unwrap();
    let all = store.list_jobs(None, 10).await.unwrap();
    assert_eq!(all.len(), 3);
    let queued: Vec<_> = store
        .list_jobs(Some(JobStatus::Queued), 10)
        .await
        .unwrap()
        .into_iter()
        .map(|j| j.job_id)
        .collect();
    assert_eq!(queued.len(), 2);
    assert!(queued.contains(&b) && queued.contains(&c));
    let running = store.list_jobs(Some(JobStatus::Running), 10).await.unwrap();
    assert_eq!(running.len(), 1);
    assert_eq!(running[0].job_id, a);
    assert_eq!(store.list_jobs(None, 1).await.unwrap().len(), 1);
}
