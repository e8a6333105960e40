//! The campaign source contract: a complete campaign fetches as a draft holding what the
//! source holds; a missing or bad required field is named (how, each source says); a source
//! that cannot be reached is an error, retryable when the vendor is down.

use std::future::Future;

use async_trait::async_trait;
use negotiator_agent::ports::campaign_source::{CampaignSource, Fetched, SourceError};
use negotiator_domain::{Money, Platform};

use super::runner::{Case, run_cases};

/// A campaign source to hold to the contract, and the shelf it reads from.
pub struct SourceSubject {
    pub source: Box<dyn CampaignSource>,
    pub shelf: Box<dyn CampaignShelf>,
    pub caps: SourceCaps,
}

/// What the complete campaign on every shelf holds (the ClickUp intake form's fixture).
pub const CLIENT: &str = "Glow Skincare";
pub const BUDGET_DOLLARS: i64 = 25_000;
pub const PLATFORM: Platform = Platform::Instagram;
pub const INFLUENCERS: &[&str] = &["Jane Doe", "Raj Patel", "Mia Chen"];

/// A field every campaign needs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Required {
    Budget,
    Platform,
}

impl Required {
    pub const ALL: [Required; 2] = [Required::Budget, Required::Platform];

    /// The campaign field's name, as problems name it.
    pub fn name(self) -> &'static str {
        match self {
            Required::Budget => "budget",
            Required::Platform => "platform",
        }
    }
}

/// Where the source reads campaigns from, as a test fills it.
#[async_trait]
pub trait CampaignShelf: Send + Sync {
    /// Puts the complete campaign; returns its reference.
    async fn complete(&self) -> String;
    /// Puts the complete campaign with `field` left out (empty).
    async fn without(&self, field: Required) -> String;
    /// Puts the complete campaign with a value in `field` that cannot be used.
    async fn with_bad(&self, field: Required) -> String;
    /// A reference the source cannot reach (the vendor down, no such file).
    async fn unreachable(&self) -> String;
}

/// Where campaign sources legitimately differ.
#[derive(Clone, Copy, Debug)]
pub struct SourceCaps {
    pub missing_field: Named,
    pub bad_field: Named,
    pub unreachable: Unreachable,
}

/// How a source names a required field it cannot fill.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Named {
    /// `Fetched::Unusable` with a problem for the field.
    Unusable,
    /// A `Fetched::Draft` whose validation names the field (intake validates every draft).
    InvalidDraft,
}

/// What an unreachable source is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Unreachable {
    /// `SourceError::Vendor`, retryable (an outage passes).
    RetryableVendorError,
    /// `SourceError::Misconfigured`, naming the reference (retrying will not help).
    Misconfigured,
}

/// Runs every case, each on a fresh subject from `make`.
pub async fn run<F, Fut>(make: F)
where
    F: Fn() -> Fut,
    Fut: Future<Output = SourceSubject>,
{
    let cases: &[Case<SourceSubject>] = &[
        Case {
            name: "a complete campaign fetches as a draft holding what the source holds",
            run: |s| Box::pin(a_complete_campaign_is_a_draft(s)),
        },
        Case {
            name: "a missing required field is named",
            run: |s| Box::pin(a_missing_required_field_is_named(s)),
        },
        Case {
            name: "a bad required field is named",
            run: |s| Box::pin(a_bad_required_field_is_named(s)),
        },
        Case {
            name: "an unreachable source is an error",
            run: |s| Box::pin(an_unreachable_source_is_an_error(s)),
        },
        Case {
            name: "name and describe say what the source is",
            run: |s| Box::pin(name_and_describe_are_set(s)),
        },
    ];
    run_cases("CampaignSource", cases, make, |s| s.source.describe()).await;
}

async fn fetch(s: &SourceSubject, reference: &str) -> Fetched {
    s.source
        .fetch(reference)
        .await
        .unwrap_or_else(|e| panic!("fetch({reference:?}) failed: {e}"))
}

pub async fn a_complete_campaign_is_a_draft(s: SourceSubject) {
    let reference = s.shelf.complete().await;
    let Fetched::Draft(draft) = fetch(&s, &reference).await else {
        panic!("fetch({reference:?}) is not a draft");
    };
    let campaign = draft
        .validate()
        .unwrap_or_else(|problems| panic!("the complete campaign does not validate: {problems}"));
    assert_eq!(campaign.client_name, CLIENT, "client");
    assert_eq!(
        campaign.budget,
        Money::from_dollars(BUDGET_DOLLARS),
        "budget"
    );
    assert_eq!(campaign.platform, PLATFORM, "platform");
    assert_eq!(campaign.influencers, INFLUENCERS, "influencers");
    assert!(!campaign.deliverables.is_empty(), "deliverables");
}

/// `fetched` names `field` the way `how` says.
fn assert_names(fetched: Fetched, field: Required, how: Named, what: &str) {
    let problems = match (how, fetched) {
        (Named::Unusable, Fetched::Unusable(problems)) => problems,
        (Named::InvalidDraft, Fetched::Draft(draft)) => match draft.validate() {
            Err(problems) => problems,
            Ok(campaign) => panic!("{what}: the draft validates ({campaign:?})"),
        },
        (how, other) => panic!("{what}: expected {how:?}, fetched {other:?}"),
    };
    assert!(
        problems
            .0
            .iter()
            .any(|p| p.field == field.name() && !p.problem.trim().is_empty()),
        "{what}: the problems do not name {:?}: {problems}",
        field.name()
    );
}

pub async fn a_missing_required_field_is_named(s: SourceSubject) {
    for field in Required::ALL {
        let reference = s.shelf.without(field).await;
        let what = format!("without {}", field.name());
        assert_names(
            fetch(&s, &reference).await,
            field,
            s.caps.missing_field,
            &what,
        );
    }
}

pub async fn a_bad_required_field_is_named(s: SourceSubject) {
    for field in Required::ALL {
        let reference = s.shelf.with_bad(field).await;
        let what = format!("with a bad {}", field.name());
        assert_names(fetch(&s, &reference).await, field, s.caps.bad_field, &what);
    }
}

pub async fn an_unreachable_source_is_an_error(s: SourceSubject) {
    let reference = s.shelf.unreachable().await;
    let error = match s.source.fetch(&reference).await {
        Ok(fetched) => panic!("fetch({reference:?}) of an unreachable source gave {fetched:?}"),
        Err(error) => error,
    };
    match (s.caps.unreachable, &error) {
        (Unreachable::RetryableVendorError, SourceError::Vendor(vendor)) => {
            assert!(
                vendor.is_retryable(),
                "an outage must be retryable: {error}"
            );
        }
        (Unreachable::Misconfigured, SourceError::Misconfigured(message)) => {
            assert!(
                message.contains(&reference),
                "the error does not name {reference:?}: {message}"
            );
        }
        (expected, _) => panic!("expected {expected:?}, got {error:?}"),
    }
}

pub async fn name_and_describe_are_set(s: SourceSubject) {
    let name = s.source.name();
    assert!(
        !name.is_empty() && name.chars().all(|c| c.is_ascii_lowercase() || c == '_'),
        "name() must be a short lowercase word (it is stored with campaigns): {name:?}"
    );
    assert!(
        !s.source.describe().trim().is_empty(),
        "describe() is empty"
    );
}
