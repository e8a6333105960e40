//! A rate-limited vendor never holds the worker: with a ClickUp backlog whose rate limit is
//! spent, the jobs behind it still run, and the backlog waits without using its attempts.

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::Duration;

use negotiator_adapters::campaign_source::ClickUpSource;
use negotiator_agent::Turn;
use negotiator_agent::ports::notifier::{Notice, NoticeKind};
use negotiator_agent::tasks::{JobKey, Task, queue};
use negotiator_store::JobStatus;
use negotiator_testkit::Harness;
use negotiator_vendors::clickup::ClickUpClient;
use negotiator_vendors::{RateLimiter, RetryPolicy, Secret};
use wiremock::matchers::{method, path_regex};
use wiremock::{Mock, MockServer, ResponseTemplate};

const FORM_TASK: &str = negotiator_testkit::fixtures::CLICKUP_FORM_TASK;
const BACKLOG: usize = 20;

fn field_mapping() -> BTreeMap<String, String> {
    [
        ("Client Name", "client_name"),
        ("Campaign Budget", "budget"),
        ("Primary Platform", "platform"),
        (
            "Target Deliverables per Influencer (select all that apply)",
            "deliverables",
        ),
        ("CPM Target - Numerical value ($20-$50)", "cpm_target"),
        ("Influencers to contact", "influencers"),
        ("Sending mode", "mode"),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_owned(), v.to_owned()))
    .collect()
}

/// A harness whose ClickUp client allows one call an hour, on a fake ClickUp.
async fn harness(clickup: &MockServer) -> Harness {
    let client = ClickUpClient::new(&clickup.uri(), Secret::new("pk_1"), Duration::from_secs(5))
        .unwrap()
        .with_retry(RetryPolicy::immediate(3))
        .with_limiter(Arc::new(RateLimiter::new(1, Duration::from_secs(3_600), 1)));
    Harness::with(|mut adapters| {
        adapters.campaign_source = Some(Arc::new(ClickUpSource {
            client,
            field_mapping: field_mapping(),
        }));
        adapters
    })
    .await
}

async fn queue_at(h: &Harness, task: Task, key: JobKey, minutes_ago: i64) {
    let run_at = h.agent.now() - jiff::SignedDuration::from_mins(minutes_ago);
    let mut tx = h.agent.store.begin_write().await.unwrap();
    queue(&mut tx, &task, &key, run_at).await.unwrap();
    tx.commit().await.unwrap();
}

#[tokio::test]
async fn a_spent_rate_limit_defers_its_backlog_and_other_work_runs_at_once() {
    let clickup = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path_regex("^/api/v2/task/"))
        .respond_with(ResponseTemplate::new(200).set_body_string(FORM_TASK))
        .mount(&clickup)
        .await;
    let h = harness(&clickup).await;
    // The backlog is older than the notice, so it comes first in the queue.
    for i in 0..BACKLOG {
        let task = Task::IngestClickUp {
            task_id: format!("t-{i}"),
        };
        let key = JobKey::ClickUpTask {
            task_id: format!("t-{i}"),
        };
        queue_at(&h, task, key, 10).await;
    }
    let notice = Notice::new(
        NoticeKind::Escalation,
        "Due now",
        "A notice behind the backlog.",
    );
    let key = JobKey::Unmatched {
        message_id: "due-now".to_owned(),
    };
    queue_at(&h, Task::Notify { notice }, key, 0).await;

    // The first task takes the hour's only call; the second finds the limit spent and is put
    // back; the third turn passes over the backlog to the notice.
    let first = h.worker.turn().await.unwrap();
    assert!(
        matches!(&first, Turn::Done { line, .. } if line.contains("t-0")),
        "{first:?}"
    );
    let second = h.worker.turn().await.unwrap();
    let Turn::Deferred { until, .. } = second else {
        panic!("expected the second task to be deferred, got {second:?}");
    };
    assert!(until > h.agent.now() + jiff::SignedDuration::from_mins(59));
    let third = h.worker.turn().await.unwrap();
    assert!(
        matches!(&third, Turn::Done { line, .. } if line.contains("Due now")),
        "{third:?}"
    );

    // Everything else due runs (t-0's openings), and no ClickUp task is claimed again.
    let rest = h.worker.run_until_idle(|_| {}).await.unwrap();
    assert!(rest >= 3, "t-0's three openings ran ({rest} turns)");
    assert!(h.notices().iter().any(|n| n.title == "Due now"));
    assert_eq!(clickup.received_requests().await.unwrap().len(), 1);

    // However often the backlog comes due while the limit stays spent, it is only deferred:
    // no attempt used, no error recorded, nothing parked.
    for _ in 0..6 {
        h.clock.advance(jiff::SignedDuration::from_hours(2));
        let turn = h.worker.turn().await.unwrap();
        assert!(matches!(turn, Turn::Deferred { .. }), "{turn:?}");
        assert_eq!(h.worker.turn().await.unwrap(), Turn::Idle);
    }
    let jobs = h.agent.store.list_jobs(None, 100).await.unwrap();
    let backlog: Vec<_> = jobs.iter().filter(|j| j.kind == "ingest_clickup").collect();
    assert_eq!(backlog.len(), BACKLOG);
    for job in backlog.iter().filter(|j| j.dedupe_key != "clickup:t-0") {
        assert_eq!(job.status, JobStatus::Queued, "{job:?}");
        assert_eq!(job.attempts, 0, "{job:?}");
        assert_eq!(job.last_error, None, "{job:?}");
    }
    assert!(
        jobs.iter().all(|j| j.status != JobStatus::Failed),
        "nothing parked"
    );
    assert_eq!(clickup.received_requests().await.unwrap().len(), 1);
}
