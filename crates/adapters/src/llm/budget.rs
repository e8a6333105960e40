//! The daily token budget per purpose, as decorators around an LLM classifier or composer:
//! under the budget the model answers; past it the rules or templates take over until midnight
//! UTC, and the team is told once that day. Every call's usage is also counted on `/metrics`.
//! The day's count is kept in the store, so a restart does not reset it.

use std::sync::Arc;

use async_trait::async_trait;
use negotiator_store::Store;

use super::usage;
use negotiator_agent::ports::classifier::{Classified, Classifier, ClassifyError, ReplyContext};
use negotiator_agent::ports::clock::Clock;
use negotiator_agent::ports::composer::{ComposeError, ComposeRequest, Composed, Composer};
use negotiator_agent::ports::notifier::{Notice, NoticeKind, Notifier};
use negotiator_agent::ports::usage::ModelUsage;

/// One purpose's budget: its count in the store, its limit (none: count only), and who to tell.
#[derive(Clone)]
pub struct DailyBudget {
    store: Store,
    purpose: &'static str,
    limit: Option<u64>,
    notifier: Arc<dyn Notifier>,
    clock: Arc<dyn Clock>,
}

impl std::fmt::Debug for DailyBudget {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DailyBudget")
            .field("purpose", &self.purpose)
            .field("limit", &self.limit)
            .finish_non_exhaustive()
    }
}

impl DailyBudget {
    pub fn new(
        store: Store,
        purpose: &'static str,
        limit: Option<u64>,
        notifier: Arc<dyn Notifier>,
        clock: Arc<dyn Clock>,
    ) -> Self {
        DailyBudget {
            store,
            purpose,
            limit,
            notifier,
            clock,
        }
    }

    fn today(&self) -> String {
        self.clock
            .now()
            .to_zoned(jiff::tz::TimeZone::UTC)
            .date()
            .to_string()
    }

    /// Whether today's tokens reached the limit. A store that cannot be read lets the model
    /// answer (the gate still checks every email): the budget is about cost, not safety.
    async fn spent(&self) -> bool {
        let Some(limit) = self.limit else {
            return false;
        };
        let day = self.today();
        match self.store.llm_tokens(&day, self.purpose).await {
            Ok(tokens) if tokens >= limit => {
                self.tell_once(&day, tokens, limit).await;
                true
            }
            Ok(_) => false,
            Err(error) => {
                tracing::warn!(%error, purpose = self.purpose, "could not read today's LLM tokens");
                false
            }
        }
    }

    /// Counts the calls on `/metrics` and adds their tokens to today's total.
    async fn record(&self, spent: &[ModelUsage]) {
        let tokens: u64 = spent.iter().map(usage::total).sum();
        for call in spent {
            usage::count(call);
        }
        if spent.is_empty() {
            return;
        }
        let day = self.today();
        if let Err(error) = self.store.add_llm_tokens(&day, self.purpose, tokens).await {
            tracing::warn!(%error, purpose = self.purpose, "could not add to today's LLM tokens");
        }
    }

    /// The team hears once per day and purpose, whichever process or call notices first.
    async fn tell_once(&self, day: &str, tokens: u64, limit: u64) {
        match self.store.claim_llm_budget_notice(day, self.purpose).await {
            Ok(true) => {}
            Ok(false) => return,
            Err(error) => {
                tracing::warn!(%error, "could not record the LLM budget notice");
                return;
            }
        }
        let (what, instead) = match self.purpose {
            usage::CLASSIFY => ("reading replies", "the built-in rules read them"),
            _ => ("writing emails", "the built-in templates write them"),
        };
        let notice = Notice::new(
            NoticeKind::Error,
            format!("Today's LLM token budget for {what} is spent"),
            format!(
                "{tokens} tokens used against a limit of {limit} ([llm.daily_tokens] {}); until \
                 midnight UTC {instead}.",
                self.purpose
            ),
        );
        tracing::warn!(
            purpose = self.purpose,
            tokens,
            limit,
            "LLM daily token budget spent"
        );
        if let Err(error) = self.notifier.notify(&notice).await {
            tracing::warn!(%error, "could not tell the team the LLM budget is spent");
        }
    }
}

/// An LLM classifier under a daily budget, with the rules past it.
pub struct BudgetedClassifier {
    pub llm: Arc<dyn Classifier>,
    pub fallback: Arc<dyn Classifier>,
    pub budget: DailyBudget,
}

#[async_trait]
impl Classifier for BudgetedClassifier {
    async fn classify(&self, reply: &ReplyContext) -> Result<Classified, ClassifyError> {
        if self.budget.spent().await {
            return self.fallback.classify(reply).await;
        }
        let classified = self.llm.classify(reply).await?;
        self.budget.record(&classified.usage).await;
        Ok(classified)
    }

    fn describe(&self) -> String {
        match self.budget.limit {
            Some(limit) => format!(
                "{} (the rules past {limit} tokens a day)",
                self.llm.describe()
            ),
            None => self.llm.describe(),
        }
    }
}

/// An LLM composer under a daily budget, with the templates past it.
pub struct BudgetedComposer {
    pub llm: Arc<dyn Composer>,
    pub fallback: Arc<dyn Composer>,
    pub budget: DailyBudget,
}

#[async_trait]
impl Composer for BudgetedComposer {
    async fn compose(&self, request: &ComposeRequest<'_>) -> Result<Composed, ComposeError> {
        if self.budget.spent().await {
            return self.fallback.compose(request).await;
        }
        let composed = self.llm.compose(request).await?;
        self.budget.record(&composed.usage).await;
        Ok(composed)
    }

    fn describe(&self) -> String {
        match self.budget.limit {
            Some(limit) => format!(
                "{} (the templates past {limit} tokens a day)",
                self.llm.describe()
            ),
            None => self.llm.describe(),
        }
    }
}

impl std::fmt::Debug for BudgetedClassifier {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("BudgetedClassifier")
            .field("llm", &self.llm.describe())
            .field("budget", &self.budget)
            .finish_non_exhaustive()
    }
}

impl std::fmt::Debug for BudgetedComposer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("BudgetedComposer")
            .field("llm", &self.llm.describe())
            .field("budget", &self.budget)
            .finish_non_exhaustive()
    }
}
