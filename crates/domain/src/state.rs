//! The total negotiation state machine: every state × event pair has a defined outcome.

use std::fmt;
use std::str::FromStr;

use jiff::Timestamp;
use serde::{Deserialize, Serialize};

/// Where a negotiation stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum NegotiationState {
    InitialOffer,
    AwaitingReply,
    CounterReceived,
    CounterSent,
    Agreed,
    Rejected,
    Escalated,
    Stale,
    Paused,
    Stopped,
}

impl NegotiationState {
    pub const ALL: [NegotiationState; 10] = [
        NegotiationState::InitialOffer,
        NegotiationState::AwaitingReply,
        NegotiationState::CounterReceived,
        NegotiationState::CounterSent,
        NegotiationState::Agreed,
        NegotiationState::Rejected,
        NegotiationState::Escalated,
        NegotiationState::Stale,
        NegotiationState::Paused,
        NegotiationState::Stopped,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            NegotiationState::InitialOffer => "initial_offer",
            NegotiationState::AwaitingReply => "awaiting_reply",
            NegotiationState::CounterReceived => "counter_received",
            NegotiationState::CounterSent => "counter_sent",
            NegotiationState::Agreed => "agreed",
            NegotiationState::Rejected => "rejected",
            NegotiationState::Escalated => "escalated",
            NegotiationState::Stale => "stale",
            NegotiationState::Paused => "paused",
            NegotiationState::Stopped => "stopped",
        }
    }

    /// Agreed, rejected and stopped: nothing moves a negotiation out of these, except an
    /// influencer withdrawing from an agreed deal (which a person must then decide on).
    pub fn is_terminal(self) -> bool {
        matches!(
            self,
            NegotiationState::Agreed | NegotiationState::Rejected | NegotiationState::Stopped
        )
    }

    /// States where the influencer's next email is expected and can be acted on.
    pub fn can_take_reply(self) -> bool {
        matches!(
            self,
            NegotiationState::AwaitingReply
                | NegotiationState::CounterReceived
                | NegotiationState::CounterSent
                | NegotiationState::Stale
        )
    }
}

impl fmt::Display for NegotiationState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A string that names no state.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "unknown negotiation state {0:?}; use one of: initial_offer, awaiting_reply, counter_received, counter_sent, agreed, rejected, escalated, stale, paused, stopped"
)]
pub struct UnknownState(pub String);

impl FromStr for NegotiationState {
    type Err = UnknownState;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let wanted = text.trim();
        NegotiationState::ALL
            .into_iter()
            .find(|s| s.as_str() == wanted)
            .ok_or_else(|| UnknownState(text.to_owned()))
    }
}

/// Something that happens to a negotiation.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum NegotiationEvent {
    /// The opening offer went out.
    SendOffer,
    /// The influencer replied.
    ReceiveReply,
    /// We answered their reply (a counter, or an answer restating our offer).
    SendCounter,
    /// The influencer accepted.
    Accept,
    /// The influencer declined.
    Reject,
    /// A human must decide.
    Escalate,
    /// The influencer has been silent too long.
    Timeout,
    /// We nudged a silent influencer.
    SendFollowUp,
    /// A human approved a rate: the deal is done.
    HumanApprove,
    /// A human ended the negotiation.
    HumanReject,
    /// A human returned an escalated thread to the agent.
    HandBack,
    Pause,
    Resume,
    Stop,
    /// A human takes the thread over; the agent stops acting on it.
    TakeOver,
    /// The human gives the thread back to the agent.
    Release,
    /// The influencer withdrew from an agreed deal: it no longer counts, and a person decides.
    Withdraw,
}

impl NegotiationEvent {
    pub const ALL: [NegotiationEvent; 17] = [
        NegotiationEvent::SendOffer,
        NegotiationEvent::ReceiveReply,
        NegotiationEvent::SendCounter,
        NegotiationEvent::Accept,
        NegotiationEvent::Reject,
        NegotiationEvent::Escalate,
        NegotiationEvent::Timeout,
        NegotiationEvent::SendFollowUp,
        NegotiationEvent::HumanApprove,
        NegotiationEvent::HumanReject,
        NegotiationEvent::HandBack,
        NegotiationEvent::Pause,
        NegotiationEvent::Resume,
        NegotiationEvent::Stop,
        NegotiationEvent::TakeOver,
        NegotiationEvent::Release,
        NegotiationEvent::Withdraw,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            NegotiationEvent::SendOffer => "send_offer",
            NegotiationEvent::ReceiveReply => "receive_reply",
            NegotiationEvent::SendCounter => "send_counter",
            NegotiationEvent::Accept => "accept",
            NegotiationEvent::Reject => "reject",
            NegotiationEvent::Escalate => "escalate",
            NegotiationEvent::Timeout => "timeout",
            NegotiationEvent::SendFollowUp => "send_follow_up",
            NegotiationEvent::HumanApprove => "human_approve",
            NegotiationEvent::HumanReject => "human_reject",
            NegotiationEvent::HandBack => "hand_back",
            NegotiationEvent::Pause => "pause",
            NegotiationEvent::Resume => "resume",
            NegotiationEvent::Stop => "stop",
            NegotiationEvent::TakeOver => "take_over",
            NegotiationEvent::Release => "release",
            NegotiationEvent::Withdraw => "withdraw",
        }
    }

    /// Events the agent (or the influencer through the agent) causes: refused while a human
    /// has taken the thread over.
    pub fn is_agent_event(self) -> bool {
        matches!(
            self,
            NegotiationEvent::SendOffer
                | NegotiationEvent::ReceiveReply
                | NegotiationEvent::SendCounter
                | NegotiationEvent::Accept
                | NegotiationEvent::Reject
                | NegotiationEvent::Escalate
                | NegotiationEvent::Timeout
                | NegotiationEvent::SendFollowUp
                | NegotiationEvent::Withdraw
        )
    }
}

impl fmt::Display for NegotiationEvent {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Why an event does not apply.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Refusal {
    /// Agreed, rejected and stopped negotiations are finished.
    Terminal,
    /// Paused: only resume and stop (and human takeover) apply.
    Paused,
    AlreadyPaused,
    NotPaused,
    /// Paused without a remembered state to resume to.
    NothingToResume,
    /// The opening offer has already gone out.
    OfferAlreadySent,
    /// No offer has gone out, so there is nothing to reply to or time out on.
    NoOfferYet,
    /// There is no unanswered reply to answer.
    NoReplyToAnswer,
    /// The thread is with a human; the agent and the influencer's replies wait for them.
    AwaitingHuman,
    AlreadyEscalated,
    /// Only an escalated negotiation can be handed back.
    NotEscalated,
    /// Timeouts apply only while we wait for their reply.
    NotWaiting,
    /// Follow-ups go out only on stale negotiations.
    NotStale,
    /// A human has taken the thread over; the agent does nothing on it.
    HumanControlled,
    AlreadyHumanControlled,
    NotHumanControlled,
    /// Only an agreed deal can be withdrawn from.
    NotAgreed,
}

impl Refusal {
    /// What is wrong and what to do instead.
    pub fn explain(self) -> &'static str {
        match self {
            Refusal::Terminal => {
                "the negotiation is finished (agreed, rejected or stopped); start a new one instead"
            }
            Refusal::Paused => "the negotiation is paused; resume it first",
            Refusal::AlreadyPaused => "the negotiation is already paused",
            Refusal::NotPaused => "the negotiation is not paused, so there is nothing to resume",
            Refusal::NothingToResume => {
                "the paused negotiation does not remember its earlier state; stop it or restore a valid snapshot"
            }
            Refusal::OfferAlreadySent => "the opening offer has already been sent",
            Refusal::NoOfferYet => "no offer has been sent yet; send the opening offer first",
            Refusal::NoReplyToAnswer => {
                "there is no unanswered reply from the influencer to answer"
            }
            Refusal::AwaitingHuman => {
                "the negotiation is escalated; a human must approve, reject or hand it back"
            }
            Refusal::AlreadyEscalated => "the negotiation is already escalated to a human",
            Refusal::NotEscalated => {
                "only an escalated negotiation can be handed back to the agent"
            }
            Refusal::NotWaiting => "we are not waiting for a reply, so silence does not apply",
            Refusal::NotStale => "follow-ups are only sent once the thread has gone stale",
            Refusal::HumanControlled => {
                "a human has taken this thread over; release it before the agent acts"
            }
            Refusal::AlreadyHumanControlled => "a human has already taken this thread over",
            Refusal::NotHumanControlled => {
                "the thread is not under human control, so there is nothing to release"
            }
            Refusal::NotAgreed => "only an agreed deal can be withdrawn from",
        }
    }
}

/// An event that does not apply in a state, and why.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[error("cannot {event} while {state}: {}", reason.explain())]
pub struct TransitionRefused {
    pub state: NegotiationState,
    pub event: NegotiationEvent,
    pub reason: Refusal,
}

/// A state plus, while paused, the state to resume to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Position {
    state: NegotiationState,
    paused_from: Option<NegotiationState>,
}

/// A paused-from state that cannot be resumed to.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PositionError {
    #[error(
        "a paused negotiation must remember a non-terminal, non-paused state to resume to (got {0:?})"
    )]
    BadPausedFrom(Option<NegotiationState>),
    #[error("only a paused negotiation remembers a pre-pause state (state is {0})")]
    NotPaused(NegotiationState),
}

impl Position {
    /// A non-paused position. A paused one needs `Position::paused`.
    pub fn at(state: NegotiationState) -> Result<Self, PositionError> {
        Position::from_parts(state, None)
    }

    /// Paused, remembering `from`.
    pub fn paused(from: NegotiationState) -> Result<Self, PositionError> {
        Position::from_parts(NegotiationState::Paused, Some(from))
    }

    /// Validates that a pre-pause state is present exactly when paused, and resumable.
    pub fn from_parts(
        state: NegotiationState,
        paused_from: Option<NegotiationState>,
    ) -> Result<Self, PositionError> {
        match (state, paused_from) {
            (NegotiationState::Paused, Some(from))
                if !from.is_terminal() && from != NegotiationState::Paused =>
            {
                Ok(Position { state, paused_from })
            }
            (NegotiationState::Paused, other) => Err(PositionError::BadPausedFrom(other)),
            (_, Some(_)) => Err(PositionError::NotPaused(state)),
            (_, None) => Ok(Position { state, paused_from }),
        }
    }

    pub fn state(self) -> NegotiationState {
        self.state
    }

    pub fn paused_from(self) -> Option<NegotiationState> {
        self.paused_from
    }
}

/// Where `event` takes a negotiation at `at`, or why it does not apply.
///
/// Total: every position and event gives `Ok` or a typed refusal. Take-over and release leave
/// the state as it is (the human-control flag lives on the negotiation).
pub fn transition(at: Position, event: NegotiationEvent) -> Result<Position, TransitionRefused> {
    use NegotiationEvent as E;
    use NegotiationState as S;

    let state = at.state;
    let refuse = |reason| {
        Err(TransitionRefused {
            state,
            event,
            reason,
        })
    };
    let to = |next: S| Ok(Position::at_unchecked(next));

    if event == E::Withdraw {
        return match state {
            S::Agreed => to(S::Escalated),
            S::Rejected | S::Stopped => refuse(Refusal::Terminal),
            _ => refuse(Refusal::NotAgreed),
        };
    }
    if state.is_terminal() {
        return refuse(Refusal::Terminal);
    }
    if state == S::Paused {
        return match event {
            E::Resume => match at.paused_from {
                Some(from) => to(from),
                None => refuse(Refusal::NothingToResume),
            },
            E::Stop => to(S::Stopped),
            E::TakeOver | E::Release => Ok(at),
            E::Pause => refuse(Refusal::AlreadyPaused),
            _ => refuse(Refusal::Paused),
        };
    }

    let waiting = matches!(state, S::AwaitingReply | S::CounterSent | S::Stale);
    let replyable = state.can_take_reply();
    match event {
        E::SendOffer => match state {
            S::InitialOffer => to(S::AwaitingReply),
            _ => refuse(Refusal::OfferAlreadySent),
        },
        E::ReceiveReply => match state {
            _ if replyable => to(S::CounterReceived),
            S::InitialOffer => refuse(Refusal::NoOfferYet),
            _ => refuse(Refusal::AwaitingHuman),
        },
        E::SendCounter => match state {
            S::CounterReceived => to(S::CounterSent),
            S::Escalated => refuse(Refusal::AwaitingHuman),
            _ => refuse(Refusal::NoReplyToAnswer),
        },
        E::Accept | E::Reject => {
            let end = if event == E::Accept {
                S::Agreed
            } else {
                S::Rejected
            };
            match state {
                _ if replyable => to(end),
                S::InitialOffer => refuse(Refusal::NoOfferYet),
                _ => refuse(Refusal::AwaitingHuman),
            }
        }
        E::Escalate => match state {
            S::Escalated => refuse(Refusal::AlreadyEscalated),
            _ => to(S::Escalated),
        },
        E::Timeout => match state {
            S::AwaitingReply | S::CounterSent => to(S::Stale),
            S::InitialOffer => refuse(Refusal::NoOfferYet),
            _ => refuse(Refusal::NotWaiting),
        },
        E::SendFollowUp => match state {
            S::Stale => to(S::Stale),
            _ if waiting => refuse(Refusal::NotStale),
            S::Escalated => refuse(Refusal::AwaitingHuman),
            S::InitialOffer => refuse(Refusal::NoOfferYet),
            _ => refuse(Refusal::NotStale),
        },
        E::HumanApprove => to(S::Agreed),
        E::HumanReject => to(S::Rejected),
        E::HandBack => match state {
            S::Escalated => to(S::CounterReceived),
            _ => refuse(Refusal::NotEscalated),
        },
        E::Pause => Ok(Position {
            state: S::Paused,
            paused_from: Some(state),
        }),
        E::Resume => refuse(Refusal::NotPaused),
        E::Stop => to(S::Stopped),
        E::TakeOver | E::Release => Ok(at),
        // Answered before the terminal check above.
        E::Withdraw => refuse(Refusal::NotAgreed),
    }
}

impl Position {
    /// Without validation: a pre-pause state is kept only when paused, and a paused position
    /// without one can only stop (`transition` refuses `resume` with `NothingToResume`).
    pub(crate) fn from_parts_lenient(
        state: NegotiationState,
        paused_from: Option<NegotiationState>,
    ) -> Self {
        Position {
            state,
            paused_from: paused_from.filter(|_| state == NegotiationState::Paused),
        }
    }

    /// Only for non-paused states produced inside `transition`.
    fn at_unchecked(state: NegotiationState) -> Self {
        Position {
            state,
            paused_from: None,
        }
    }
}

/// Every event that applies at `at`, in declaration order (empty when terminal).
pub fn valid_events(at: Position) -> Vec<NegotiationEvent> {
    NegotiationEvent::ALL
        .into_iter()
        .filter(|e| transition(at, *e).is_ok())
        .collect()
}

/// One step of a negotiation's history.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct HistoryEntry {
    pub from: NegotiationState,
    pub event: NegotiationEvent,
    pub to: NegotiationState,
    pub at: Timestamp,
}

#[cfg(test)]
mod tests {
    use super::*;
    use NegotiationEvent as E;
    use NegotiationState as S;

    fn at(state: S) -> Position {
        Position::at(state).unwrap()
    }

    fn go(state: S, event: E) -> Result<S, Refusal> {
        transition(at(state), event)
            .map(|p| p.state())
            .map_err(|e| e.reason)
    }

    #[test]
    fn the_happy_path() {
        assert_eq!(go(S::InitialOffer, E::SendOffer), Ok(S::AwaitingReply));
        assert_eq!(
            go(S::AwaitingReply, E::ReceiveReply),
            Ok(S::CounterReceived)
        );
        assert_eq!(go(S::CounterReceived, E::SendCounter), Ok(S::CounterSent));
        assert_eq!(go(S::CounterSent, E::ReceiveReply), Ok(S::CounterReceived));
        assert_eq!(go(S::CounterReceived, E::Accept), Ok(S::Agreed));
    }

    #[test]
    fn accept_and_reject_work_wherever_an_influencer_can_reply() {
        for state in [
            S::AwaitingReply,
            S::CounterReceived,
            S::CounterSent,
            S::Stale,
        ] {
            assert_eq!(go(state, E::Accept), Ok(S::Agreed), "{state}");
            assert_eq!(go(state, E::Reject), Ok(S::Rejected), "{state}");
        }
        assert_eq!(go(S::InitialOffer, E::Accept), Err(Refusal::NoOfferYet));
        assert_eq!(go(S::Escalated, E::Accept), Err(Refusal::AwaitingHuman));
    }

    #[test]
    fn a_second_reply_before_we_answer_is_fine() {
        assert_eq!(
            go(S::CounterReceived, E::ReceiveReply),
            Ok(S::CounterReceived)
        );
    }

    #[test]
    fn terminal_states_refuse_everything() {
        for state in [S::Agreed, S::Rejected, S::Stopped] {
            for event in E::ALL {
                if (state, event) == (S::Agreed, E::Withdraw) {
                    continue;
                }
                assert_eq!(go(state, event), Err(Refusal::Terminal), "{state} {event}");
            }
        }
        assert!(valid_events(at(S::Rejected)).is_empty());
        assert!(valid_events(at(S::Stopped)).is_empty());
    }

    #[test]
    fn only_an_agreed_deal_can_be_withdrawn_from_and_a_person_then_decides() {
        assert_eq!(valid_events(at(S::Agreed)), vec![E::Withdraw]);
        assert_eq!(go(S::Agreed, E::Withdraw), Ok(S::Escalated));
        assert_eq!(go(S::AwaitingReply, E::Withdraw), Err(Refusal::NotAgreed));
        assert_eq!(go(S::Rejected, E::Withdraw), Err(Refusal::Terminal));
    }

    #[test]
    fn humans_resolve_escalations() {
        assert_eq!(go(S::Escalated, E::HumanApprove), Ok(S::Agreed));
        assert_eq!(go(S::Escalated, E::HumanReject), Ok(S::Rejected));
        assert_eq!(go(S::Escalated, E::HandBack), Ok(S::CounterReceived));
        assert_eq!(
            go(S::Escalated, E::ReceiveReply),
            Err(Refusal::AwaitingHuman)
        );
        assert_eq!(
            go(S::Escalated, E::Escalate),
            Err(Refusal::AlreadyEscalated)
        );
        assert_eq!(go(S::CounterSent, E::HandBack), Err(Refusal::NotEscalated));
    }

    #[test]
    fn silence_and_follow_ups() {
        assert_eq!(go(S::AwaitingReply, E::Timeout), Ok(S::Stale));
        assert_eq!(go(S::CounterSent, E::Timeout), Ok(S::Stale));
        assert_eq!(go(S::Stale, E::SendFollowUp), Ok(S::Stale));
        assert_eq!(go(S::Stale, E::ReceiveReply), Ok(S::CounterReceived));
        assert_eq!(go(S::Stale, E::Timeout), Err(Refusal::NotWaiting));
        assert_eq!(
            go(S::AwaitingReply, E::SendFollowUp),
            Err(Refusal::NotStale)
        );
    }

    #[test]
    fn pause_remembers_and_resume_restores() {
        for state in [
            S::InitialOffer,
            S::AwaitingReply,
            S::CounterReceived,
            S::CounterSent,
            S::Escalated,
            S::Stale,
        ] {
            let paused = transition(at(state), E::Pause).unwrap();
            assert_eq!(paused.state(), S::Paused);
            assert_eq!(paused.paused_from(), Some(state));
            assert_eq!(
                transition(paused, E::ReceiveReply).unwrap_err().reason,
                Refusal::Paused
            );
            assert_eq!(
                transition(paused, E::Pause).unwrap_err().reason,
                Refusal::AlreadyPaused
            );
            let resumed = transition(paused, E::Resume).unwrap();
            assert_eq!(resumed, at(state));
            assert_eq!(transition(paused, E::Stop).unwrap().state(), S::Stopped);
        }
        assert_eq!(go(S::AwaitingReply, E::Resume), Err(Refusal::NotPaused));
    }

    #[test]
    fn positions_validate_the_pause_memory() {
        assert!(Position::at(S::Paused).is_err());
        assert!(Position::paused(S::Agreed).is_err());
        assert!(Position::paused(S::Paused).is_err());
        assert!(Position::from_parts(S::Stale, Some(S::AwaitingReply)).is_err());
        assert!(Position::paused(S::Stale).is_ok());
    }

    #[test]
    fn names_round_trip() {
        for state in S::ALL {
            assert_eq!(state.as_str().parse::<S>(), Ok(state));
            assert_eq!(
                serde_json::to_string(&state).unwrap(),
                format!("\"{}\"", state.as_str())
            );
        }
        for event in E::ALL {
            assert_eq!(
                serde_json::to_string(&event).unwrap(),
                format!("\"{}\"", event.as_str())
            );
        }
        assert!("limbo".parse::<S>().is_err());
    }

    #[test]
    fn refusals_say_what_to_do() {
        let err = transition(at(S::Agreed), E::SendCounter).unwrap_err();
        assert_eq!(
            err.to_string(),
            "cannot send_counter while agreed: the negotiation is finished (agreed, rejected or stopped); start a new one instead"
        );
    }
}
