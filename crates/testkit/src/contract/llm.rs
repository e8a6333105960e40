//! The LLM contract, at the HTTP level: the classifier and composer of each provider
//! (Anthropic, OpenAI-compatible) against [`FakeLlm`] speaking that provider's protocol. A
//! structured answer is read and its usage reported; a refusal, a truncated answer, text
//! without the object or a malformed object is unusable (the reply job retries, then parks
//! and a person is told) and the composer sends the template instead; 429, 529 and 5xx are
//! retried (a long `retry-after` is handed to the job queue); a timeout is retryable; a 400 is
//! a configuration error, never retried; no sampling parameter is sent unless configured.

use std::future::Future;
use std::time::Duration;

use negotiator_adapters::llm::is_configuration_error;
use negotiator_agent::ports::classifier::{Classifier, ClassifyError, ReplyContext};
use negotiator_agent::ports::composer::{ComposeError, ComposeRequest, Composer};
use negotiator_domain::{
    Deliverable, DeliverableType, EmailKind, EmailPlan, Intent, Money, Platform, Sender, template,
};
use negotiator_vendors::ErrorKind;
use serde_json::{Value, json};

use super::runner::{Case, run_cases};
use crate::fakes::llm::{FakeLlm, Scripted};

/// Both adapters of one provider on one fake, built with a client timeout of
/// [`CLIENT_TIMEOUT`], three attempts and no backoff.
pub struct LlmSubject {
    pub fake: FakeLlm,
    pub classifier: Box<dyn Classifier>,
    pub composer: Box<dyn Composer>,
    /// The `provider` their usage names.
    pub provider: &'static str,
}

/// The timeout the subject's clients must use; [`Scripted::Slow`] waits longer.
pub const CLIENT_TIMEOUT: Duration = Duration::from_secs(1);
const SLOWER: Duration = Duration::from_secs(3);

pub const CLASSIFY_TOOL: &str = "record_reply_reading";
pub const COMPOSE_TOOL: &str = "write_email_prose";

/// Runs every case, each on a fresh subject from `make`.
pub async fn run<F, Fut>(make: F)
where
    F: Fn() -> Fut,
    Fut: Future<Output = LlmSubject>,
{
    let cases: &[Case<LlmSubject>] = &[
        Case {
            name: "a structured answer is read, with its usage",
            run: |s| Box::pin(a_structured_answer_is_read_with_its_usage(s)),
        },
        Case {
            name: "the model's prose is used, with its usage",
            run: |s| Box::pin(the_models_prose_is_used_with_its_usage(s)),
        },
        Case {
            name: "a refusal is unusable and the email falls back to the template",
            run: |s| Box::pin(incomplete(s, Scripted::Refusal)),
        },
        Case {
            name: "a truncated answer is unusable and the email falls back to the template",
            run: |s| Box::pin(incomplete(s, Scripted::Truncated(reading()))),
        },
        Case {
            name: "text without the object is unusable",
            run: |s| {
                Box::pin(incomplete(
                    s,
                    Scripted::Text("Sure! It's a counter.".into()),
                ))
            },
        },
        Case {
            name: "a malformed object is unusable",
            run: |s| Box::pin(incomplete(s, Scripted::Object(json!({"intent": 7})))),
        },
        Case {
            name: "429 with retry-after, 529 and 503 are retried and the next answer used",
            run: |s| Box::pin(busy_answers_are_retried(s)),
        },
        Case {
            name: "a long retry-after and a lasting 5xx are handed to the job queue",
            run: |s| Box::pin(lasting_trouble_is_retryable_later(s)),
        },
        Case {
            name: "a timeout is retryable",
            run: |s| Box::pin(a_timeout_is_retryable(s)),
        },
        Case {
            name: "a 400 is a configuration error, never retried nor hidden by the template",
            run: |s| Box::pin(a_bad_request_is_a_configuration_error(s)),
        },
    ];
    run_cases("LLM", cases, make, |s| {
        format!("{} / {}", s.classifier.describe(), s.composer.describe())
    })
    .await;
}

/// A counter at $1,500 for the planned package, as a model records it.
pub fn reading() -> Value {
    json!({
        "intent": "counter",
        "proposed_rate": "1500.00",
        "deliverables": ["instagram_reel"],
        "confidence": 88,
        "hostile": null,
        "legal": null,
        "unusual_deliverables": null,
        "summary": "They would do the reels for $1,500."
    })
}

/// Prose with no number, as a model writes it.
pub fn prose() -> Value {
    json!({
        "greeting": "Hi Jane,",
        "opening_paragraphs": ["Thank you so much for getting back to us. We really appreciate it."],
        "closing_paragraphs": ["Let us know if this works for you, and we'll get everything moving!"]
    })
}

fn reply() -> ReplyContext {
    ReplyContext {
        text: "Thanks for reaching out! For the 2 reels my rate would be $1,500 total.".into(),
        subject: "Re: Collaboration with Glow Skincare".into(),
        platform: Platform::Instagram,
        our_offer: Some(Money::from_dollars(1_200)),
        deliverables: vec![
            Deliverable::new(Platform::Instagram, DeliverableType::InstagramReel, 2).unwrap(),
        ],
    }
}

fn plan() -> EmailPlan {
    EmailPlan {
        kind: EmailKind::Counter,
        influencer_name: "Jane Doe".into(),
        client_name: "Glow Skincare".into(),
        platform: Platform::Instagram,
        deliverables: reply().deliverables,
        our_rate: Some(Money::from_dollars(1_300)),
        their_rate: Some(Money::from_dollars(1_500)),
        ceiling_rate: Money::from_dollars(1_600),
    }
}

fn sender() -> Sender {
    Sender {
        name: "Sam Rivera".into(),
        team: "AGM Partnerships".into(),
    }
}

async fn compose(
    s: &LlmSubject,
) -> Result<negotiator_agent::ports::composer::Composed, ComposeError> {
    let (plan, sender) = (plan(), sender());
    s.composer
        .compose(&ComposeRequest {
            plan: &plan,
            sender: &sender,
            instructions: None,
        })
        .await
}

async fn a_structured_answer_is_read_with_its_usage(s: LlmSubject) {
    s.fake.script([Scripted::Object(reading())]);
    let read = s.classifier.classify(&reply()).await.unwrap();
    assert_eq!(read.reply.intent, Intent::Counter);
    assert_eq!(read.reply.proposed_rate, Some(Money::from_dollars(1_500)));
    let [usage] = read.usage.as_slice() else {
        panic!("one call's usage expected, got {:?}", read.usage);
    };
    assert_eq!(usage.provider, s.provider);
    assert_eq!(usage.purpose, "classify");
    assert!(usage.input_tokens + usage.cache_read_tokens > 0 && usage.output_tokens > 0);
    let requests = s.fake.requests();
    assert_eq!(requests.len(), 1);
    assert!(
        requests[0].body.get("temperature").is_none(),
        "no sampling parameter unless configured: {}",
        requests[0].body
    );
}

async fn the_models_prose_is_used_with_its_usage(s: LlmSubject) {
    s.fake.script([Scripted::Object(prose())]);
    let composed = compose(&s).await.unwrap();
    assert!(composed.body.starts_with("Hi Jane,"), "{}", composed.body);
    assert!(
        composed.body.contains("Thank you so much"),
        "{}",
        composed.body
    );
    assert!(
        composed.body.contains("$1,300"),
        "the scope block: {}",
        composed.body
    );
    assert_eq!(composed.usage.len(), 1);
    assert_eq!(composed.usage[0].purpose, "compose");
    assert!(s.fake.requests()[0].body.get("temperature").is_none());
}

async fn incomplete(s: LlmSubject, step: Scripted) {
    s.fake.script([step.clone()]);
    let failure = s.classifier.classify(&reply()).await.unwrap_err();
    assert!(
        matches!(failure, ClassifyError::Unusable(_)),
        "unusable, so the job retries and then a person looks: {failure:?}"
    );
    assert_eq!(s.fake.requests().len(), 1, "not retried within the call");
    s.fake.script([step]);
    let composed = compose(&s).await.unwrap();
    assert_eq!(composed.body, template::render(&plan(), &sender()));
}

async fn busy_answers_are_retried(s: LlmSubject) {
    s.fake.script([
        Scripted::Status {
            status: 429,
            retry_after: Some(1),
        },
        Scripted::Status {
            status: 529,
            retry_after: None,
        },
        Scripted::Object(reading()),
    ]);
    let read = s.classifier.classify(&reply()).await.unwrap();
    assert_eq!(read.reply.intent, Intent::Counter);
    assert_eq!(s.fake.requests().len(), 3);
    s.fake.script([
        Scripted::Status {
            status: 503,
            retry_after: None,
        },
        Scripted::Object(prose()),
    ]);
    let composed = compose(&s).await.unwrap();
    assert!(composed.body.starts_with("Hi Jane,"));
}

async fn lasting_trouble_is_retryable_later(s: LlmSubject) {
    s.fake.script([Scripted::Status {
        status: 429,
        retry_after: Some(120),
    }]);
    let failure = s.classifier.classify(&reply()).await.unwrap_err();
    let ClassifyError::Vendor(error) = &failure else {
        panic!("a vendor error expected, got {failure:?}");
    };
    assert_eq!(error.kind, ErrorKind::RateLimited);
    assert_eq!(error.retry_after, Some(Duration::from_secs(120)));
    assert!(failure.is_retryable());
    let before = s.fake.requests().len();
    s.fake.script((0..3).map(|_| Scripted::Status {
        status: 500,
        retry_after: None,
    }));
    let failure = s.classifier.classify(&reply()).await.unwrap_err();
    assert!(failure.is_retryable(), "{failure:?}");
    assert_eq!(s.fake.requests().len() - before, 3, "three attempts");
}

async fn a_timeout_is_retryable(s: LlmSubject) {
    s.fake
        .script((0..3).map(|_| Scripted::Slow(SLOWER, reading())));
    let failure = s.classifier.classify(&reply()).await.unwrap_err();
    let ClassifyError::Vendor(error) = &failure else {
        panic!("a vendor error expected, got {failure:?}");
    };
    assert_eq!(error.kind, ErrorKind::Timeout, "{error}");
    assert!(failure.is_retryable());
}

async fn a_bad_request_is_a_configuration_error(s: LlmSubject) {
    s.fake.script([Scripted::Status {
        status: 400,
        retry_after: None,
    }]);
    let failure = s.classifier.classify(&reply()).await.unwrap_err();
    let ClassifyError::Vendor(error) = &failure else {
        panic!("a vendor error expected, got {failure:?}");
    };
    assert!(is_configuration_error(error), "{error:?}");
    assert!(!failure.is_retryable());
    assert!(
        error.to_string().contains("configuration error"),
        "the error says what to fix: {error}"
    );
    assert_eq!(s.fake.requests().len(), 1, "never retried");
    s.fake.script([Scripted::Status {
        status: 400,
        retry_after: None,
    }]);
    let failure = compose(&s).await.unwrap_err();
    assert!(!failure.is_retryable(), "{failure:?}");
}
