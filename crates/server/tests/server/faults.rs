//! Outside services failing, through the real worker: a 429 whose Retry-After is waited out,
//! and an outage that parks every job it touches with one message to the errors channel,
//! replayed by `jobs retry`. (`fault_retries.rs` counts retries in its own process, because
//! the metrics recorder is global.)

use std::time::{Duration, Instant};

use crate::fault_rig::{FORM_TASK, ok_post, rig};
use jiff::SignedDuration;
use negotiator_agent::ports::notifier::{Notice, NoticeKind};
use negotiator_agent::tasks::{JobKey, Task};
use negotiator_store::{AuditFilter, EventType, JobStatus};
use negotiator_vendors::RetryPolicy;
use serde_json::{Value, json};
use wiremock::matchers::{method, path, path_regex};
use wiremock::{Mock, MockServer, ResponseTemplate};

#[tokio::test]
async fn a_429_retry_after_is_waited_out() {
    let slack = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/chat.postMessage"))
        .respond_with(ResponseTemplate::new(429).insert_header("Retry-After", "1"))
        .up_to_n_times(1)
        .with_priority(1)
        .mount(&slack)
        .await;
    Mock::given(method("POST"))
        .and(path("/chat.postMessage"))
        .respond_with(ok_post())
        .mount(&slack)
        .await;
    // The default policy: backoff alone would retry after ~0.5 s; Slack asked for 1 s.
    let r = rig(&slack, RetryPolicy::default(), None).await;
    r.queue(
        Task::Notify {
            notice: Notice::new(NoticeKind::Error, "x", "y"),
        },
        JobKey::Unmatched {
            message_id: "n1".to_owned(),
        },
    )
    .await;
    let started = Instant::now();
    r.work().await;
    assert!(
        started.elapsed() >= Duration::from_secs(1),
        "{:?}",
        started.elapsed()
    );
    let requests = slack.received_requests().await.unwrap();
    assert_eq!(requests.len(), 2);
}

#[tokio::test]
async fn an_outage_parks_its_jobs_with_one_message_to_the_errors_channel_and_retry_replays_them() {
    let slack = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/chat.postMessage"))
        .respond_with(ok_post())
        .mount(&slack)
        .await;
    let clickup = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path_regex("^/api/v2/task/"))
        .respond_with(ResponseTemplate::new(502))
        .up_to_n_times(36)
        .with_priority(1)
        .mount(&clickup)
        .await;
    for id in ["t1", "t2", "t3"] {
        let mut task: Value = serde_json::from_str(&FORM_TASK.replace(
            "\"value\": \"77aa0001-0000-4000-8000-00000000000b\"",
            "\"value\": \"77aa0001-0000-4000-8000-00000000000a\"",
        ))
        .unwrap();
        task["id"] = json!(id);
        Mock::given(method("GET"))
            .and(path(format!("/api/v2/task/{id}")))
            .respond_with(ResponseTemplate::new(200).set_body_json(task))
            .mount(&clickup)
            .await;
    }
    let r = rig(&slack, RetryPolicy::immediate(3), Some(&clickup)).await;
    for id in ["t1", "t2", "t3"] {
        r.queue(
            Task::IngestClickUp { task_id: id.into() },
            JobKey::ClickUpTask { task_id: id.into() },
        )
        .await;
    }
    for _ in 0..8 {
        r.work().await;
        r.clock.advance(SignedDuration::from_mins(5));
    }
    let failed = r
        .agent
        .store
        .list_jobs(Some(JobStatus::Failed), 10)
        .await
        .unwrap();
    assert_eq!(failed.len(), 3, "all three parked, none dropped");
    let posts: Vec<Value> = slack
        .received_requests()
        .await
        .unwrap()
        .iter()
        .map(|r| serde_json::from_slice(&r.body).unwrap())
        .filter(|b: &Value| b["channel"] == "C-ERRORS")
        .collect();
    assert_eq!(posts.len(), 1, "one outage, one message: {posts:?}");
    let errors = r
        .agent
        .store
        .audit_entries(&AuditFilter {
            event_type: Some(EventType::Error),
            ..AuditFilter::default()
        })
        .await
        .unwrap();
    assert_eq!(errors.len(), 3, "each parked job is in the audit trail");

    // ClickUp is back: `negotiator jobs retry --all-failed`.
    assert_eq!(r.agent.store.retry_all_failed().await.unwrap(), 3);
    r.clock.set(
        jiff::Timestamp::now()
            .checked_add(SignedDuration::from_secs(1))
            .unwrap(),
    );
    r.work().await;
    assert!(
        r.agent
            .store
            .list_jobs(Some(JobStatus::Failed), 10)
            .await
            .unwrap()
            .is_empty()
    );
    let campaigns = negotiator_store::list_campaigns(r.agent.store.db())
        .await
        .unwrap();
    assert_eq!(campaigns.len(), 3);
}
