//! Runs a suite's cases one after another, each on a fresh subject, and reports every broken
//! case at once.

use std::future::Future;
use std::pin::Pin;

/// One case's run on its subject.
pub(crate) type CaseFuture = Pin<Box<dyn Future<Output = ()> + Send>>;

/// A named case of a suite.
pub(crate) struct Case<S> {
    pub name: &'static str,
    pub run: fn(S) -> CaseFuture,
}

/// Runs each of `cases` on a subject from `make`; panics listing the broken ones, with
/// `describe` naming the adapter.
pub(crate) async fn run_cases<S, F, Fut>(
    port: &str,
    cases: &[Case<S>],
    make: F,
    describe: fn(&S) -> String,
) where
    S: Send + 'static,
    F: Fn() -> Fut,
    Fut: Future<Output = S>,
{
    let mut adapter = String::new();
    let mut broken = Vec::new();
    for case in cases {
        let subject = make().await;
        adapter = describe(&subject);
        // Its own task, so a broken case panics there and the next case still runs.
        if let Err(error) = tokio::spawn((case.run)(subject)).await {
            let why = match error.try_into_panic() {
                Ok(payload) => payload
                    .downcast_ref::<String>()
                    .cloned()
                    .or_else(|| payload.downcast_ref::<&str>().map(|s| (*s).to_owned()))
                    .unwrap_or_else(|| "panicked".to_owned()),
                Err(error) => error.to_string(),
            };
            broken.push(format!("- {}: {why}", case.name));
        }
    }
    assert!(
        broken.is_empty(),
        "{adapter} breaks the {port} contract in {} of {} cases:\n{}",
        broken.len(),
        cases.len(),
        broken.join("\n")
    );
}
