//! The deterministic email composer: plain-text bodies built only from the facts in an `EmailPlan`.

use serde::{Deserialize, Serialize};

use crate::email::{EmailKind, EmailPlan};
use crate::money::Money;
use crate::platform::DeliverableType;
use crate::wording::{Chooser, Slots, StageWording, Wording, fill};

/// Who signs the email.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Sender {
    /// The person, e.g. "Sam Rivera".
    pub name: String,
    /// The team or agency, e.g. "AGM Partnerships".
    pub team: String,
}

/// The payment terms every scope of work may state.
pub const PAYMENT_LINE: &str = "Payment: within 30 days of the content going live";

/// What happens after an agreement.
pub const NEXT_STEPS: &str = "Next steps:\n\
    1. We'll send over the contract and scope of work for your signature.\n\
    2. Once it's signed, we'll share the creative brief and brand guidelines.\n\
    3. Payment will be processed within 30 days of your content going live.";

/// The scope of work for `plan` (each deliverable type once with its total, then our rate),
/// followed by `extra_lines`; `None` when there is nothing to list. The only place an
/// email's money line is written.
pub fn scope_of_work(plan: &EmailPlan, extra_lines: &[String]) -> Option<String> {
    Facts::new(plan).scope(extra_lines)
}

/// The subject of the first email of a thread; replies keep the thread's subject.
pub fn subject_for(client_name: &str) -> String {
    let client = one_line(client_name);
    if client.is_empty() {
        "Collaboration opportunity".to_owned()
    } else {
        format!("Collaboration opportunity with {client}")
    }
}

/// Writes the plain-text body for `plan`, signed by `sender`, in the built-in words.
///
/// Every amount and deliverable comes from the plan, amounts in `Money`'s own format
/// (`$1,250.00`). Their rate is quoted only in a counter, and only when it is within the
/// ceiling. The text never promises exclusivity, usage rights, guarantees or future work, so
/// it passes [`crate::gate::check`] with the default policy whenever the plan itself is sound.
pub fn render(plan: &EmailPlan, sender: &Sender) -> String {
    render_with(plan, sender, &Wording::builtin())
}

/// [`render`] in a team's words: the greeting, opener, compliment, transition, closing and
/// sign-off come from `wording` (chosen per creator, the same on every render); the money
/// lines and the scope of work are written here from the plan.
pub fn render_with(plan: &EmailPlan, sender: &Sender, wording: &Wording) -> String {
    let facts = Facts::new(plan);
    let words = Words {
        stage: wording.stage(plan.kind),
        chooser: Chooser::for_plan(plan),
        slots: Slots {
            first_name: facts.first_name.clone(),
            client: facts.client.clone(),
            platform: facts.platform.to_owned(),
            sender_name: one_line(&sender.name),
            team: one_line(&sender.team),
        },
    };
    let greeting = words
        .pick(&wording.greetings, "greeting")
        .unwrap_or_else(|| format!("Hi {},", facts.first_name));
    let mut paragraphs = vec![greeting];
    paragraphs.extend(match plan.kind {
        EmailKind::Opening => opening(&facts, &words, sender),
        EmailKind::Counter => counter(&facts, &words),
        EmailKind::Answer => answer(&facts, &words),
        EmailKind::Agreement => agreement(&facts, &words),
        EmailKind::FollowUp => follow_up(&facts, &words),
        EmailKind::Decline => decline(&words),
    });
    let sign_off = words
        .pick(&wording.sign_offs, "sign_off")
        .unwrap_or_else(|| "Best regards,".to_owned());
    paragraphs.push(sign_off_with(&sign_off, sender));
    let mut body = paragraphs.join("\n\n");
    body.push('\n');
    body
}

/// The stage's words for one email, chosen and filled in.
struct Words<'a> {
    stage: &'a StageWording,
    chooser: Chooser,
    slots: Slots,
}

impl Words<'_> {
    fn pick(&self, items: &[String], slot: &str) -> Option<String> {
        self.chooser
            .choose(items, slot)
            .map(|phrase| one_line(&fill(phrase, &self.slots)))
            .filter(|phrase| !phrase.is_empty())
    }

    fn opener(&self) -> Option<String> {
        self.pick(&self.stage.openers, "opener")
    }

    fn compliment(&self) -> Option<String> {
        self.pick(&self.stage.compliments, "compliment")
    }

    fn transition(&self) -> Option<String> {
        self.pick(&self.stage.transitions, "transition")
    }

    fn closing(&self) -> Option<String> {
        self.pick(&self.stage.closings, "closing")
    }
}

/// The sentences given, joined into one paragraph; `None` when there are none.
fn paragraph(sentences: impl IntoIterator<Item = Option<String>>) -> Option<String> {
    let sentences: Vec<String> = sentences.into_iter().flatten().collect();
    (!sentences.is_empty()).then(|| sentences.join(" "))
}

/// The plan's facts, worded once.
struct Facts {
    first_name: String,
    client: String,
    platform: &'static str,
    /// Each planned deliverable type once, quantities summed, in plan order.
    items: Vec<String>,
    our_rate: Option<Money>,
    /// Their ask, when it may be quoted back.
    their_rate: Option<Money>,
}

impl Facts {
    fn new(plan: &EmailPlan) -> Self {
        let name = one_line(&plan.influencer_name);
        let first_name = name.split(' ').next().unwrap_or("").to_owned();
        let first_name = if first_name.is_empty() {
            "there".to_owned()
        } else {
            first_name
        };
        let client = one_line(&plan.client_name);
        let mut merged: Vec<(DeliverableType, u32)> = Vec::new();
        for d in &plan.deliverables {
            match merged.iter_mut().find(|(kind, _)| *kind == d.kind) {
                Some((_, quantity)) => *quantity = quantity.saturating_add(d.quantity),
                None => merged.push((d.kind, d.quantity)),
            }
        }
        Facts {
            first_name,
            client: if client.is_empty() {
                "our client".to_owned()
            } else {
                client
            },
            platform: plan.platform.display_name(),
            items: merged
                .into_iter()
                .map(|(kind, quantity)| kind.counted(quantity))
                .collect(),
            our_rate: plan.our_rate,
            their_rate: plan.their_rate.filter(|rate| *rate <= plan.ceiling_rate),
        }
    }

    /// "2 Instagram reels and 1 Instagram story".
    fn list(&self) -> String {
        match self.items.as_slice() {
            [] => String::new(),
            [only] => only.clone(),
            [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
        }
    }

    /// The scope of work block, or nothing when there is nothing to list.
    fn scope(&self, extra_lines: &[String]) -> Option<String> {
        if self.items.is_empty() && self.our_rate.is_none() {
            return None;
        }
        let mut block = String::from("Scope of work:");
        for item in &self.items {
            block.push_str("\n- ");
            block.push_str(item);
        }
        if let Some(rate) = self.our_rate {
            if self.items.is_empty() {
                block.push_str(&format!("\n- Rate: {rate}"));
            } else {
                block.push_str(&format!("\n- Rate: {rate} for everything above"));
            }
        }
        for line in extra_lines {
            block.push_str("\n- ");
            block.push_str(line);
        }
        Some(block)
    }
}

fn opening(facts: &Facts, words: &Words<'_>, sender: &Sender) -> Vec<String> {
    let name = one_line(&sender.name);
    let team = one_line(&sender.team);
    let client = &facts.client;
    let intro = match (name.is_empty(), team.is_empty()) {
        (false, false) => format!("I'm {name} from {team}, reaching out on behalf of {client}."),
        (false, true) => format!("I'm {name}, reaching out on behalf of {client}."),
        (true, false) => format!("We're {team}, reaching out on behalf of {client}."),
        (true, true) => format!("We're reaching out on behalf of {client}."),
    };
    let offer = match (facts.our_rate, facts.items.is_empty()) {
        (Some(rate), false) => Some(format!("For {}, we'd like to offer {rate}.", facts.list())),
        (Some(rate), true) => Some(format!("We'd like to offer {rate}.")),
        (None, false) => Some(format!("We have in mind {}.", facts.list())),
        (None, true) => None,
    };
    let mut out = Vec::new();
    out.extend(paragraph([words.opener(), Some(intro), words.compliment()]));
    out.extend(paragraph([words.transition(), offer]));
    out.extend(facts.scope(&[]));
    out.extend(paragraph([
        Some("Payment is made within 30 days of the content going live.".to_owned()),
        words.closing(),
    ]));
    out
}

fn counter(facts: &Facts, words: &Words<'_>) -> Vec<String> {
    let theirs = facts.their_rate.map(|theirs| {
        format!(
            "You mentioned a rate of {theirs}, and we really appreciate you being upfront with us."
        )
    });
    let offer = match (facts.our_rate, facts.items.is_empty()) {
        (Some(ours), false) => Some(format!(
            "For {}, the best we can offer is {ours}.",
            facts.list()
        )),
        (Some(ours), true) => Some(format!("The best we can offer is {ours}.")),
        (None, _) => Some("We'd love to find an arrangement that works for both of us.".to_owned()),
    };
    let mut out = Vec::new();
    out.extend(paragraph([words.opener(), theirs, words.compliment()]));
    out.extend(paragraph([words.transition(), offer]));
    out.extend(facts.scope(&[]));
    out.extend(words.closing());
    out
}

fn answer(facts: &Facts, words: &Words<'_>) -> Vec<String> {
    let platform = facts.platform;
    let recap = match (facts.our_rate, facts.items.is_empty()) {
        (Some(ours), false) => format!(
            "To recap where things stand: for {} on {platform}, our offer is {ours}, with \
             payment within 30 days of the content going live.",
            facts.list()
        ),
        (Some(ours), true) => format!(
            "To recap where things stand: our offer is {ours}, with payment within 30 days of \
             the content going live."
        ),
        (None, _) => {
            "To recap: payment is made within 30 days of the content going live.".to_owned()
        }
    };
    let mut out = Vec::new();
    out.extend(paragraph([words.opener(), words.compliment()]));
    out.extend(paragraph([words.transition(), Some(recap)]));
    out.extend(facts.scope(&[]));
    out.extend(words.closing());
    out
}

fn agreement(facts: &Facts, words: &Words<'_>) -> Vec<String> {
    let mut out = Vec::new();
    out.extend(paragraph([words.opener(), words.compliment()]));
    let payment = PAYMENT_LINE.to_owned();
    let recap = match facts.scope(std::slice::from_ref(&payment)) {
        Some(scope) => format!("Here's a recap of what we agreed.\n\n{scope}"),
        None => format!("Here's a recap of what we agreed: {payment}."),
    };
    match words.transition() {
        Some(transition) => out.push(format!("{transition} {recap}")),
        None => out.push(recap),
    }
    out.push(NEXT_STEPS.to_owned());
    out.extend(words.closing());
    out
}

fn follow_up(facts: &Facts, words: &Words<'_>) -> Vec<String> {
    let offer = match (facts.our_rate, facts.items.is_empty()) {
        (Some(ours), false) => format!("Our offer still stands: {ours} for {}.", facts.list()),
        (Some(ours), true) => format!("Our offer of {ours} still stands."),
        (None, _) => "We'd still love to make this happen.".to_owned(),
    };
    let mut out = Vec::new();
    out.extend(paragraph([words.opener(), words.compliment()]));
    out.extend(paragraph([words.transition(), Some(offer)]));
    out.extend(facts.scope(&[]));
    out.extend(words.closing());
    out
}

fn decline(words: &Words<'_>) -> Vec<String> {
    let mut out = Vec::new();
    out.extend(paragraph([words.opener(), words.compliment()]));
    out.extend(words.transition());
    out.extend(words.closing());
    out
}

/// The closing lines: "Best regards," then the sender's name and team (those given).
pub fn sign_off(sender: &Sender) -> String {
    sign_off_with("Best regards,", sender)
}

/// `line` (a team's "Warm regards,") then the sender's name and team (those given).
pub fn sign_off_with(line: &str, sender: &Sender) -> String {
    let mut lines = vec![one_line(line)];
    lines.extend(
        [one_line(&sender.name), one_line(&sender.team)]
            .into_iter()
            .filter(|line| !line.is_empty()),
    );
    lines.join("\n")
}

/// Collapses all whitespace (newlines included) to single spaces.
fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::gate::{self, GatePolicy, Violation};
    use crate::platform::{Deliverable, DeliverableType as D, Platform};

    const ALL_KINDS: [EmailKind; 6] = [
        EmailKind::Opening,
        EmailKind::Counter,
        EmailKind::Answer,
        EmailKind::Agreement,
        EmailKind::FollowUp,
        EmailKind::Decline,
    ];

    fn dollars(amount: i64) -> Money {
        Money::from_dollars(amount)
    }

    fn sender() -> Sender {
        Sender {
            name: "Sam Rivera".to_owned(),
            team: "AGM Partnerships".to_owned(),
        }
    }

    /// One and several deliverables for each platform.
    fn deliverable_sets() -> Vec<(Platform, Vec<Deliverable>)> {
        let d = |kind: D, quantity| Deliverable::new(kind.platform(), kind, quantity).unwrap();
        vec![
            (Platform::Instagram, vec![d(D::InstagramReel, 1)]),
            (
                Platform::Instagram,
                vec![
                    d(D::InstagramReel, 2),
                    d(D::InstagramStory, 3),
                    d(D::InstagramPost, 1),
                ],
            ),
            (Platform::Tiktok, vec![d(D::TiktokVideo, 1)]),
            (
                Platform::Tiktok,
                vec![d(D::TiktokVideo, 2), d(D::TiktokStory, 1)],
            ),
            (Platform::Youtube, vec![d(D::YoutubeDedicated, 1)]),
            (
                Platform::Youtube,
                vec![
                    d(D::YoutubeIntegration, 1),
                    d(D::YoutubeShort, 2),
                    d(D::YoutubeDedicated, 2),
                ],
            ),
            (Platform::Youtube, vec![d(D::YoutubeShort, 1)]),
        ]
    }

    fn plan(
        kind: EmailKind,
        platform: Platform,
        deliverables: Vec<Deliverable>,
        their_rate: Option<Money>,
    ) -> EmailPlan {
        EmailPlan {
            kind,
            influencer_name: "Jane Doe".to_owned(),
            client_name: "Glow Skincare".to_owned(),
            platform,
            deliverables,
            our_rate: (kind != EmailKind::Decline).then_some(Money::from_cents(131_250)),
            their_rate,
            ceiling_rate: dollars(1_800),
        }
    }

    /// Every kind, platform, deliverable set, with and without their rate.
    fn every_plan() -> Vec<EmailPlan> {
        let mut plans = Vec::new();
        for kind in ALL_KINDS {
            for (platform, deliverables) in deliverable_sets() {
                for their_rate in [None, Some(Money::from_cents(145_099))] {
                    plans.push(plan(kind, platform, deliverables.clone(), their_rate));
                }
            }
        }
        plans
    }

    fn gate_violations(text: &str, plan: &EmailPlan) -> Vec<Violation> {
        let budget = crate::budget::Budget {
            total: Money::from_dollars(10_000_000),
            committed: Money::ZERO,
            max_deal: Money::from_dollars(10_000_000),
        };
        gate::check(text, plan, &budget, &GatePolicy::default())
            .map_or_else(|f| f.violations, |()| vec![])
    }

    #[test]
    fn every_rendered_email_passes_the_gate() {
        for plan in every_plan() {
            let text = render(&plan, &sender());
            assert_eq!(gate_violations(&text, &plan), vec![], "{plan:?}\n{text}");
        }
    }

    #[test]
    fn every_rendered_email_passes_the_gate_whoever_signs_it() {
        let senders = [
            Sender::default(),
            Sender {
                name: "Sam Rivera".to_owned(),
                team: String::new(),
            },
            Sender {
                name: String::new(),
                team: "AGM Partnerships".to_owned(),
            },
        ];
        for plan in every_plan() {
            for sender in &senders {
                let text = render(&plan, sender);
                assert_eq!(gate_violations(&text, &plan), vec![], "{text}");
            }
        }
    }

    #[test]
    fn names_that_look_like_deliverables_or_commitments_still_pass() {
        for (influencer, client) in [
            ("Story Hartley", "Reel Foods"),
            ("Jane", "Exclusive Beauty"),
            ("  Jane \n Doe ", "Short  Stack\nPancakes"),
            ("", ""),
        ] {
            for kind in ALL_KINDS {
                let plan = EmailPlan {
                    influencer_name: influencer.to_owned(),
                    client_name: client.to_owned(),
                    ..plan(
                        kind,
                        Platform::Tiktok,
                        deliverable_sets()[3].1.clone(),
                        None,
                    )
                };
                let text = render(&plan, &sender());
                assert_eq!(gate_violations(&text, &plan), vec![], "{text}");
            }
        }
    }

    #[test]
    fn round_and_odd_amounts_render_exactly() {
        for cents in [1, 99, 100_000, 131_250, 180_000, 123_456_789] {
            let rate = Money::from_cents(cents);
            let plan = EmailPlan {
                our_rate: Some(rate),
                ceiling_rate: rate,
                ..plan(EmailKind::Opening, Platform::Instagram, vec![], None)
            };
            let text = render(&plan, &sender());
            assert!(text.contains(&rate.to_string()), "{text}");
            assert_eq!(gate_violations(&text, &plan), vec![], "{text}");
        }
    }

    #[test]
    fn the_rendered_email_states_our_rate_in_money_format() {
        for plan in every_plan() {
            let text = render(&plan, &sender());
            let stated = text.contains("$1,312.50");
            assert_eq!(stated, plan.kind != EmailKind::Decline, "{text}");
        }
    }

    #[test]
    fn their_rate_is_quoted_only_in_a_counter_and_only_within_the_ceiling() {
        for plan in every_plan() {
            let text = render(&plan, &sender());
            let quoted = text.contains("$1,450.99");
            let expected = plan.kind == EmailKind::Counter && plan.their_rate.is_some();
            assert_eq!(quoted, expected, "{text}");
        }
        let over = EmailPlan {
            their_rate: Some(dollars(2_500)),
            ..plan(EmailKind::Counter, Platform::Tiktok, vec![], None)
        };
        let text = render(&over, &sender());
        assert!(!text.contains("2,500"), "{text}");
        assert_eq!(gate_violations(&text, &over), vec![]);
    }

    #[test]
    fn a_tampered_amount_fails_the_gate() {
        for plan in every_plan()
            .into_iter()
            .filter(|p| p.kind != EmailKind::Decline)
        {
            let text = render(&plan, &sender()).replace("$1,312.50", "$1,321.50");
            assert_eq!(
                gate_violations(&text, &plan)[..2],
                [
                    Violation::UnexpectedAmount {
                        found: Money::from_cents(132_150),
                        text: "$1,321.50".to_owned()
                    },
                    Violation::MissingOurRate
                ],
                "{text}"
            );
        }
    }

    #[test]
    fn a_tampered_count_or_an_added_promise_fails_the_gate() {
        let base = plan(
            EmailKind::Counter,
            Platform::Instagram,
            deliverable_sets()[1].1.clone(),
            None,
        );
        let text = render(&base, &sender());
        let more_reels = text.replace("2 Instagram reels", "4 Instagram reels");
        assert_eq!(
            gate_violations(&more_reels, &base),
            vec![Violation::QuantityMismatch {
                kind: D::InstagramReel,
                found: 4,
                expected: 2
            }]
        );
        let promise = text.replace("Let us know", "This is an exclusive deal. Let us know");
        assert_eq!(
            gate_violations(&promise, &base),
            vec![Violation::ForbiddenPhrase("exclusive".to_owned())]
        );
    }

    #[test]
    fn a_decline_names_no_amount() {
        let decline = plan(
            EmailKind::Decline,
            Platform::Youtube,
            deliverable_sets()[5].1.clone(),
            Some(dollars(1_500)),
        );
        let text = render(&decline, &sender());
        assert!(gate::find_amounts(&text).is_empty(), "{text}");
    }

    #[test]
    fn greets_by_first_name_and_signs_with_the_sender() {
        let text = render(
            &plan(EmailKind::FollowUp, Platform::Tiktok, vec![], None),
            &sender(),
        );
        assert!(text.starts_with("Hi Jane,\n\n"), "{text}");
        assert!(
            text.ends_with("Best regards,\nSam Rivera\nAGM Partnerships\n"),
            "{text}"
        );
    }

    #[test]
    fn merges_repeated_deliverables_and_pluralises_labels() {
        let d = |kind: D, quantity| Deliverable::new(kind.platform(), kind, quantity).unwrap();
        let opening = plan(
            EmailKind::Opening,
            Platform::Tiktok,
            vec![
                d(D::TiktokStory, 1),
                d(D::TiktokVideo, 1),
                d(D::TiktokStory, 2),
            ],
            None,
        );
        let text = render(&opening, &sender());
        assert!(
            text.contains("For 3 TikTok stories and 1 TikTok video, we'd like to offer $1,312.50."),
            "{text}"
        );
        assert_eq!(gate_violations(&text, &opening), vec![]);
    }

    #[test]
    fn the_subject_names_the_client_on_one_line() {
        assert_eq!(
            subject_for(" Glow \n Skincare "),
            "Collaboration opportunity with Glow Skincare"
        );
        assert_eq!(subject_for("  "), "Collaboration opportunity");
    }
}
