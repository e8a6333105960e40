//! The negotiation aggregate: one influencer's thread, its state, history, offers and asks.

use jiff::Timestamp;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::money::Money;
use crate::platform::{Deliverable, Platform, PlatformError};
use crate::pricing::CpmBounds;
use crate::state::{
    HistoryEntry, NegotiationEvent, NegotiationState, Position, PositionError, Refusal,
    TransitionRefused, transition,
};

/// An offer we made, in the round we made it (0 = the opening).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Offer {
    pub round: u32,
    pub rate: Money,
    pub at: Timestamp,
}

/// What is needed to start a negotiation.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewNegotiation {
    pub influencer_name: String,
    /// The campaign's client, named in every email.
    pub client_name: String,
    pub platform: Platform,
    pub average_views: u64,
    /// Engagement rate in percent (6.0 means 6%), when the roster has it.
    pub engagement_pct: Option<Decimal>,
    pub deliverables: Vec<Deliverable>,
    /// The campaign's bounds (never the $20/$30 defaults unless the campaign has no target).
    pub bounds: CpmBounds,
}

/// Why a negotiation could not be started or restored.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum NegotiationError {
    #[error("the influencer's name is empty; fill in the roster's name column")]
    EmptyName,
    #[error("average views must be above zero to price an offer; fix the roster row")]
    ZeroViews,
    #[error("a negotiation needs at least one deliverable; set the campaign's deliverables")]
    NoDeliverables,
    #[error(transparent)]
    Deliverable(#[from] PlatformError),
    #[error("engagement {0}% is not a percentage between 0 and 100; fix the roster row")]
    BadEngagement(Decimal),
    #[error("the snapshot's state is inconsistent: {0}")]
    Position(#[from] PositionError),
    #[error("history entry {index} does not follow from the one before: {reason}")]
    History { index: usize, reason: String },
    #[error("the snapshot's {field} is {value}; amounts must be above $0.00")]
    NonPositiveAmount { field: &'static str, value: Money },
    #[error(
        "an agreed negotiation must have an agreed rate, and only an agreed one may (state {0})"
    )]
    AgreedRate(NegotiationState),
}

/// One influencer's negotiation. Built by `Negotiation::new` or restored from a validated
/// `NegotiationSnapshot`; changed only by `decide`'s functions and `apply`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "NegotiationSnapshot", into = "NegotiationSnapshot")]
pub struct Negotiation {
    pub(crate) influencer_name: String,
    pub(crate) client_name: String,
    pub(crate) platform: Platform,
    pub(crate) average_views: u64,
    pub(crate) engagement_pct: Option<Decimal>,
    pub(crate) deliverables: Vec<Deliverable>,
    pub(crate) bounds: CpmBounds,
    pub(crate) state: NegotiationState,
    pub(crate) paused_from: Option<NegotiationState>,
    pub(crate) history: Vec<HistoryEntry>,
    pub(crate) human_controlled: bool,
    pub(crate) round: u32,
    pub(crate) offers: Vec<Offer>,
    pub(crate) their_last_ask: Option<Money>,
    pub(crate) agreed_rate: Option<Money>,
    pub(crate) limit_rate: Option<Money>,
    pub(crate) human_limit: Option<Money>,
    pub(crate) follow_ups_sent: u32,
    pub(crate) silence_reported: bool,
    pub(crate) last_activity: Timestamp,
    pub(crate) quiet_until: Option<Timestamp>,
}

/// The stored form of a negotiation; `Negotiation::try_from` validates it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct NegotiationSnapshot {
    pub influencer_name: String,
    pub client_name: String,
    pub platform: Platform,
    pub average_views: u64,
    pub engagement_pct: Option<Decimal>,
    pub deliverables: Vec<Deliverable>,
    pub bounds: CpmBounds,
    pub state: NegotiationState,
    pub paused_from: Option<NegotiationState>,
    pub history: Vec<HistoryEntry>,
    pub human_controlled: bool,
    /// Counters sent so far (0 after the opening offer).
    pub round: u32,
    pub offers: Vec<Offer>,
    pub their_last_ask: Option<Money>,
    pub agreed_rate: Option<Money>,
    /// The per-influencer limit rate when last computed.
    pub limit_rate: Option<Money>,
    /// A rate a human approved above the computed limit.
    pub human_limit: Option<Money>,
    pub follow_ups_sent: u32,
    /// True once the team was told follow-ups ran out.
    pub silence_reported: bool,
    pub last_activity: Timestamp,
    /// No follow-up before this: they said (automatically) they are away.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub quiet_until: Option<Timestamp>,
}

fn validate_profile(
    name: &str,
    platform: Platform,
    views: u64,
    engagement: Option<Decimal>,
    deliverables: &[Deliverable],
) -> Result<(), NegotiationError> {
    if name.trim().is_empty() {
        return Err(NegotiationError::EmptyName);
    }
    if views == 0 {
        return Err(NegotiationError::ZeroViews);
    }
    if let Some(pct) = engagement
        && (pct.is_sign_negative() && !pct.is_zero() || pct > Decimal::ONE_HUNDRED)
    {
        return Err(NegotiationError::BadEngagement(pct));
    }
    if deliverables.is_empty() {
        return Err(NegotiationError::NoDeliverables);
    }
    for d in deliverables {
        Deliverable::new(platform, d.kind, d.quantity)?;
    }
    Ok(())
}

fn positive(field: &'static str, value: Option<Money>) -> Result<(), NegotiationError> {
    match value {
        Some(v) if !v.is_positive() => Err(NegotiationError::NonPositiveAmount { field, value: v }),
        _ => Ok(()),
    }
}

/// The human-control flag rules on top of the state machine.
fn step(
    at: Position,
    human_controlled: bool,
    event: NegotiationEvent,
) -> Result<(Position, bool), TransitionRefused> {
    let next = transition(at, event)?;
    let refuse = |reason| TransitionRefused {
        state: at.state(),
        event,
        reason,
    };
    match event {
        NegotiationEvent::TakeOver if human_controlled => {
            Err(refuse(Refusal::AlreadyHumanControlled))
        }
        NegotiationEvent::TakeOver => Ok((next, true)),
        NegotiationEvent::Release if !human_controlled => Err(refuse(Refusal::NotHumanControlled)),
        NegotiationEvent::Release => Ok((next, false)),
        e if human_controlled && e.is_agent_event() => Err(refuse(Refusal::HumanControlled)),
        _ => Ok((next, human_controlled)),
    }
}

impl Negotiation {
    /// Starts a negotiation in `initial_offer`, after checking the inputs.
    pub fn new(input: NewNegotiation, now: Timestamp) -> Result<Self, NegotiationError> {
        let influencer_name = input.influencer_name.trim().to_owned();
        validate_profile(
            &influencer_name,
            input.platform,
            input.average_views,
            input.engagement_pct,
            &input.deliverables,
        )?;
        Ok(Negotiation {
            influencer_name,
            client_name: input.client_name.trim().to_owned(),
            platform: input.platform,
            average_views: input.average_views,
            engagement_pct: input.engagement_pct,
            deliverables: input.deliverables,
            bounds: input.bounds,
            state: NegotiationState::InitialOffer,
            paused_from: None,
            history: Vec::new(),
            human_controlled: false,
            round: 0,
            offers: Vec::new(),
            their_last_ask: None,
            agreed_rate: None,
            limit_rate: None,
            human_limit: None,
            follow_ups_sent: 0,
            silence_reported: false,
            last_activity: now,
            quiet_until: None,
        })
    }

    /// Applies one event, appending it to the history, or says why it does not apply.
    /// The agent's events are refused while a human has the thread.
    pub fn apply(
        &mut self,
        event: NegotiationEvent,
        at: Timestamp,
    ) -> Result<(), TransitionRefused> {
        let (next, human) = step(self.position(), self.human_controlled, event)?;
        self.history.push(HistoryEntry {
            from: self.state,
            event,
            to: next.state(),
            at,
        });
        self.state = next.state();
        self.paused_from = next.paused_from();
        self.human_controlled = human;
        Ok(())
    }

    /// The state with its pause memory.
    pub fn position(&self) -> Position {
        Position::from_parts_lenient(self.state, self.paused_from)
    }

    /// The stored form.
    pub fn snapshot(&self) -> NegotiationSnapshot {
        NegotiationSnapshot::from(self.clone())
    }

    pub fn influencer_name(&self) -> &str {
        &self.influencer_name
    }
    pub fn client_name(&self) -> &str {
        &self.client_name
    }
    pub fn platform(&self) -> Platform {
        self.platform
    }
    pub fn average_views(&self) -> u64 {
        self.average_views
    }
    pub fn engagement_pct(&self) -> Option<Decimal> {
        self.engagement_pct
    }
    pub fn deliverables(&self) -> &[Deliverable] {
        &self.deliverables
    }
    pub fn bounds(&self) -> CpmBounds {
        self.bounds
    }
    pub fn state(&self) -> NegotiationState {
        self.state
    }
    pub fn paused_from(&self) -> Option<NegotiationState> {
        self.paused_from
    }
    pub fn history(&self) -> &[HistoryEntry] {
        &self.history
    }
    pub fn human_controlled(&self) -> bool {
        self.human_controlled
    }
    /// Counters sent so far (0 after the opening offer).
    pub fn round(&self) -> u32 {
        self.round
    }
    pub fn offers(&self) -> &[Offer] {
        &self.offers
    }
    /// Our latest offer, if any went out.
    pub fn current_offer(&self) -> Option<Money> {
        self.offers.last().map(|o| o.rate)
    }
    pub fn their_last_ask(&self) -> Option<Money> {
        self.their_last_ask
    }
    pub fn agreed_rate(&self) -> Option<Money> {
        self.agreed_rate
    }
    /// The per-influencer limit rate when last computed (None before the opening).
    pub fn limit_rate(&self) -> Option<Money> {
        self.limit_rate
    }
    /// A rate a human approved or countered at, which raises the limit for this thread.
    pub fn human_limit(&self) -> Option<Money> {
        self.human_limit
    }
    pub fn follow_ups_sent(&self) -> u32 {
        self.follow_ups_sent
    }
    pub fn silence_reported(&self) -> bool {
        self.silence_reported
    }
    pub fn last_activity(&self) -> Timestamp {
        self.last_activity
    }
    /// When an out-of-office said they are back; no follow-up goes out before it.
    pub fn quiet_until(&self) -> Option<Timestamp> {
        self.quiet_until
    }
}

impl From<Negotiation> for NegotiationSnapshot {
    fn from(n: Negotiation) -> Self {
        NegotiationSnapshot {
            influencer_name: n.influencer_name,
            client_name: n.client_name,
            platform: n.platform,
            average_views: n.average_views,
            engagement_pct: n.engagement_pct,
            deliverables: n.deliverables,
            bounds: n.bounds,
            state: n.state,
            paused_from: n.paused_from,
            history: n.history,
            human_controlled: n.human_controlled,
            round: n.round,
            offers: n.offers,
            their_last_ask: n.their_last_ask,
            agreed_rate: n.agreed_rate,
            limit_rate: n.limit_rate,
            human_limit: n.human_limit,
            follow_ups_sent: n.follow_ups_sent,
            silence_reported: n.silence_reported,
            last_activity: n.last_activity,
            quiet_until: n.quiet_until,
        }
    }
}

/// Replays a non-empty history from `initial_offer` and checks it ends where the snapshot says.
fn check_history(s: &NegotiationSnapshot, end: Position) -> Result<(), NegotiationError> {
    if s.history.is_empty() {
        // Nothing to replay (e.g. a negotiation imported without its history).
        return Ok(());
    }
    let mut at = Position::at(NegotiationState::InitialOffer)?;
    let mut human = false;
    let mut previous: Option<Timestamp> = None;
    for (index, entry) in s.history.iter().enumerate() {
        let fail = |reason: String| NegotiationError::History { index, reason };
        if entry.from != at.state() {
            return Err(fail(format!(
                "it starts from {} but the negotiation was {}",
                entry.from,
                at.state()
            )));
        }
        if previous.is_some_and(|p| entry.at < p) {
            return Err(fail("its time is earlier than the entry before".to_owned()));
        }
        let (next, flag) = step(at, human, entry.event).map_err(|e| fail(e.to_string()))?;
        if next.state() != entry.to {
            return Err(fail(format!(
                "{} from {} leads to {}, not {}",
                entry.event,
                entry.from,
                next.state(),
                entry.to
            )));
        }
        at = next;
        human = flag;
        previous = Some(entry.at);
    }
    if at != end || human != s.human_controlled {
        return Err(NegotiationError::History {
            index: s.history.len(),
            reason: format!(
                "the history ends at {} (human control {human}) but the snapshot says {} (human control {})",
                at.state(),
                end.state(),
                s.human_controlled
            ),
        });
    }
    Ok(())
}

impl TryFrom<NegotiationSnapshot> for Negotiation {
    type Error = NegotiationError;

    fn try_from(s: NegotiationSnapshot) -> Result<Self, Self::Error> {
        validate_profile(
            &s.influencer_name,
            s.platform,
            s.average_views,
            s.engagement_pct,
            &s.deliverables,
        )?;
        let end = Position::from_parts(s.state, s.paused_from)?;
        check_history(&s, end)?;
        for offer in &s.offers {
            positive("offer", Some(offer.rate))?;
        }
        positive("their last ask", s.their_last_ask)?;
        positive("agreed rate", s.agreed_rate)?;
        positive("limit rate", s.limit_rate)?;
        positive("human limit", s.human_limit)?;
        if (s.state == NegotiationState::Agreed) != s.agreed_rate.is_some() {
            return Err(NegotiationError::AgreedRate(s.state));
        }
        Ok(Negotiation {
            influencer_name: s.influencer_name,
            client_name: s.client_name,
            platform: s.platform,
            average_views: s.average_views,
            engagement_pct: s.engagement_pct,
            deliverables: s.deliverables,
            bounds: s.bounds,
            state: s.state,
            paused_from: s.paused_from,
            history: s.history,
            human_controlled: s.human_controlled,
            round: s.round,
            offers: s.offers,
            their_last_ask: s.their_last_ask,
            agreed_rate: s.agreed_rate,
            limit_rate: s.limit_rate,
            human_limit: s.human_limit,
            follow_ups_sent: s.follow_ups_sent,
            silence_reported: s.silence_reported,
            last_activity: s.last_activity,
            quiet_until: s.quiet_until,
        })
    }
}

impl Negotiation {
    /// Rebuilds a negotiation from its stored form, refusing inconsistent snapshots.
    pub fn restore(snapshot: NegotiationSnapshot) -> Result<Self, NegotiationError> {
        Negotiation::try_from(snapshot)
    }
}
