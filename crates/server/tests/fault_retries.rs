//! A service that fails twice then answers: the work completes and two retries are counted.
//! Alone in its process, because the metrics recorder is global.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    missing_debug_implementations
)]

#[path = "server/fault_rig.rs"]
mod fault_rig;

use fault_rig::{ok_post, rig};
use negotiator_agent::ports::notifier::{Notice, NoticeKind};
use negotiator_agent::tasks::{JobKey, Task};
use negotiator_store::JobStatus;
use negotiator_vendors::RetryPolicy;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

#[tokio::test]
async fn a_service_that_fails_twice_then_answers_finishes_the_work_with_two_retries() {
    let slack = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/chat.postMessage"))
        .respond_with(ResponseTemplate::new(500))
        .up_to_n_times(2)
        .with_priority(1)
        .mount(&slack)
        .await;
    Mock::given(method("POST"))
        .and(path("/chat.postMessage"))
        .respond_with(ok_post())
        .mount(&slack)
        .await;
    let r = rig(&slack, RetryPolicy::immediate(3), None).await;
    let notice = Notice::new(
        NoticeKind::Agreement,
        "Deal agreed: Jane Doe",
        "Jane agreed to $1,250.00",
    );
    let key = JobKey::Unmatched {
        message_id: "n1".to_owned(),
    };
    r.queue(Task::Notify { notice }, key).await;
    r.work().await;

    assert_eq!(slack.received_requests().await.unwrap().len(), 3);
    assert!(
        r.agent
            .store
            .list_jobs(Some(JobStatus::Failed), 5)
            .await
            .unwrap()
            .is_empty()
    );
    assert_eq!(
        r.agent
            .store
            .list_jobs(Some(JobStatus::Done), 5)
            .await
            .unwrap()
            .len(),
        1
    );
    assert_eq!(
        r.metric("negotiator_external_retries_total{service=\"Slack\"}"),
        Some(2.0)
    );
    assert_eq!(
        r.metric("negotiator_jobs_total{kind=\"notify\",outcome=\"done\"}"),
        Some(1.0)
    );

    // What a model call cost reaches /metrics by provider, model, purpose and kind of token.
    let usage = negotiator_agent::ports::usage::ModelUsage {
        provider: "anthropic".into(),
        model: "claude-haiku-4-5-20251001".into(),
        purpose: "classify".into(),
        input_tokens: 690,
        output_tokens: 96,
        cache_write_tokens: 0,
        cache_read_tokens: 1072,
    };
    negotiator_adapters::llm::usage::count(&usage);
    negotiator_adapters::llm::usage::count(&usage);
    let labels = "provider=\"anthropic\",model=\"claude-haiku-4-5-20251001\",purpose=\"classify\"";
    assert_eq!(
        r.metric(&format!("negotiator_llm_calls_total{{{labels}}}")),
        Some(2.0)
    );
    assert_eq!(
        r.metric(&format!(
            "negotiator_llm_tokens_total{{{labels},kind=\"cache_read\"}}"
        )),
        Some(2144.0)
    );
}
