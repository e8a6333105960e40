//! The built-in rules classifier against a table of realistic influencer replies.
//!
//! Unless a case says otherwise the reply answers an Instagram offer of $1,000 for two reels.

use negotiator_domain::{ClassifiedReply, Deliverable, DeliverableType, Intent, Money, Platform};
use negotiator_reading::{ReplyContext, rules};
use proptest::prelude::*;

use DeliverableType::{
    InstagramReel as Reel, InstagramStory as Story, TiktokVideo, YoutubeDedicated,
};

/// Where the confidence must fall against the default escalation threshold of 70.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Band {
    /// 80 or more: clear.
    Clear,
    /// 70 to 79: goes through, but not a sure reading.
    Passes,
    /// Below 70: a person looks at it.
    Escalates,
}

impl Band {
    fn holds(self, percent: u8) -> bool {
        match self {
            Band::Clear => percent >= 80,
            Band::Passes => (70..80).contains(&percent),
            Band::Escalates => percent < 70,
        }
    }
}

struct Case {
    name: &'static str,
    text: &'static str,
    platform: Platform,
    offer: Option<i64>,
    planned: &'static [(DeliverableType, u32)],
    intent: Intent,
    /// Dollars.
    rate: Option<i64>,
    band: Band,
    /// Words each flag's evidence must contain; `None` means the flag must not be raised.
    hostile: Option<&'static str>,
    legal: Option<&'static str>,
    unusual: Option<&'static str>,
}

const TWO_REELS: &[(DeliverableType, u32)] = &[(Reel, 2)];
const REELS_AND_STORIES: &[(DeliverableType, u32)] = &[(Reel, 2), (Story, 3)];
const REEL_AND_STORY: &[(DeliverableType, u32)] = &[(Reel, 1), (Story, 1)];

/// A case with the default context and no flags.
const fn case(
    name: &'static str,
    text: &'static str,
    intent: Intent,
    rate: Option<i64>,
    band: Band,
) -> Case {
    Case {
        name,
        text,
        platform: Platform::Instagram,
        offer: Some(1_000),
        planned: TWO_REELS,
        intent,
        rate,
        band,
        hostile: None,
        legal: None,
        unusual: None,
    }
}

const fn planned(mut c: Case, planned: &'static [(DeliverableType, u32)]) -> Case {
    c.planned = planned;
    c
}

const fn hostile(mut c: Case, words: &'static str) -> Case {
    c.hostile = Some(words);
    c
}

const fn legal(mut c: Case, words: &'static str) -> Case {
    c.legal = Some(words);
    c
}

const fn unusual(mut c: Case, words: &'static str) -> Case {
    c.unusual = Some(words);
    c
}

const fn on(mut c: Case, platform: Platform, planned: &'static [(DeliverableType, u32)]) -> Case {
    c.platform = platform;
    c.planned = planned;
    c
}

use Band::{Clear, Escalates, Passes};
use Intent::{Accept, Counter, Question, Reject, Unclear};

const CASES: &[Case] = &[
    // Acceptances.
    case(
        "accepts_with_a_plain_sounds_good",
        "Sounds good!",
        Accept,
        None,
        Clear,
    ),
    case(
        "accepts_with_emoji",
        "Yes!! Let's do it 🙌",
        Accept,
        None,
        Clear,
    ),
    case(
        "accepts_in_all_caps",
        "SOUNDS GREAT, I'M IN",
        Accept,
        None,
        Clear,
    ),
    case(
        "accepts_with_typos_and_no_apostrophes",
        "sounds gud, lets do it",
        Accept,
        None,
        Clear,
    ),
    case(
        "accepts_restating_our_offer",
        "$1,000 works for me, send over the brief",
        Accept,
        Some(1_000),
        Clear,
    ),
    case(
        "accepts_our_offer_written_without_a_currency_mark",
        "1000 works for me!",
        Accept,
        Some(1_000),
        Clear,
    ),
    case(
        "accepts_with_a_lone_deal",
        "Deal! Talk soon",
        Accept,
        None,
        Clear,
    ),
    case(
        "a_lone_ok_accepts_but_less_surely",
        "ok",
        Accept,
        None,
        Passes,
    ),
    case(
        "accepts_and_asks_the_next_steps_without_doubt",
        "Let's do it! What are the next steps?",
        Accept,
        None,
        Clear,
    ),
    case(
        "accepts_but_a_real_question_escalates",
        "Sounds good! Could we push the posting date to December though?",
        Accept,
        None,
        Escalates,
    ),
    legal(
        case(
            "manager_accepts_and_asks_for_the_contract",
            "Hi team,\n\nI manage Jane's brand partnerships. We're happy to move forward at \
             the proposed rate. Please send the contract over to me.\n\nBest,\nMia",
            Accept,
            None,
            Clear,
        ),
        "send the contract",
    ),
    // Counters with one clear ask.
    case(
        "positive_wording_with_a_new_rate_is_a_counter",
        "Sounds good but can you do $1,500?",
        Counter,
        Some(1_500),
        Clear,
    ),
    case(
        "reads_k_shorthand",
        "could u do 1.5k?? thx",
        Counter,
        Some(1_500),
        Clear,
    ),
    case(
        "reads_a_currency_code_before",
        "My rate for this would be USD 1,500.",
        Counter,
        Some(1_500),
        Clear,
    ),
    case(
        "reads_a_currency_code_after_and_a_count_of_reels",
        "I charge 1500 USD for two reels.",
        Counter,
        Some(1_500),
        Clear,
    ),
    case(
        "reads_a_rate_in_words",
        "Honestly I'd do it for fifteen hundred dollars.",
        Counter,
        Some(1_500),
        Clear,
    ),
    case(
        "quoting_our_offer_back_keeps_their_charge_as_the_ask",
        "You offered $1,000 but I charge $1,500.",
        Counter,
        Some(1_500),
        Clear,
    ),
    case(
        "our_number_called_too_low_then_their_minimum",
        "$1,000 is too low for me, I need at least $1,500",
        Counter,
        Some(1_500),
        Clear,
    ),
    case(
        "typos_and_shorthand_around_two_amounts",
        "i cant do 1k, my minimum is 1.3k",
        Counter,
        Some(1_300),
        Clear,
    ),
    case(
        "sets_aside_a_usual_rate_for_the_discounted_one",
        "I normally charge $2,000 but I can do $1,500 for you.",
        Counter,
        Some(1_500),
        Clear,
    ),
    case(
        "an_ask_below_our_offer_is_still_their_ask",
        "I'd do it for $800",
        Counter,
        Some(800),
        Clear,
    ),
    case(
        "a_deferral_next_to_an_ask_lowers_the_confidence",
        "I'd want $1,500 but let me check with my manager first.",
        Counter,
        Some(1_500),
        Passes,
    ),
    case(
        "long_manager_reply_with_a_rate_for_the_planned_reels",
        "Hi Sarah,\n\nThanks so much for reaching out about the Glow spring campaign, Jane \
         loves the brand and has used the serum for a while now. I look after her \
         partnerships.\n\nBased on her recent performance (her last three reels averaged \
         well above her usual views), her rate for 2 Instagram reels is $2,400. That \
         includes one round of edits.\n\nLet me know how you'd like to proceed.\n\nWarmly,\nTom",
        Counter,
        Some(2_400),
        Clear,
    ),
    // Ranges: the high end, and a person decides.
    case(
        "a_range_is_read_at_its_high_end_and_escalates",
        "My rate is usually $1,200-1,500 for this.",
        Counter,
        Some(1_500),
        Escalates,
    ),
    case(
        "a_range_in_k_with_between_and",
        "I could do between 1.2k and 1.5k",
        Counter,
        Some(1_500),
        Escalates,
    ),
    // Per-deliverable prices.
    planned(
        case(
            "per_item_prices_total_over_the_planned_quantities",
            "I charge $500 per reel and $300 per story.",
            Counter,
            Some(1_900),
            Clear,
        ),
        REELS_AND_STORIES,
    ),
    planned(
        case(
            "slash_prices_total_over_the_planned_quantities",
            "$500/reel, $300/story",
            Counter,
            Some(1_900),
            Clear,
        ),
        REELS_AND_STORIES,
    ),
    case(
        "a_bare_price_each_is_multiplied",
        "Reels are 600 each.",
        Counter,
        Some(1_200),
        Clear,
    ),
    planned(
        case(
            "a_rate_card_prices_each_planned_item",
            "My rates:\nReel - $800\nStory - $250",
            Counter,
            Some(1_050),
            Clear,
        ),
        REEL_AND_STORY,
    ),
    planned(
        case(
            "a_price_missing_for_a_planned_item_escalates_without_a_rate",
            "I charge $500 per reel.",
            Counter,
            None,
            Escalates,
        ),
        REELS_AND_STORIES,
    ),
    case(
        "a_price_for_the_reel_multiplied_by_two_escalates",
        "I'd do the reel for $700",
        Counter,
        Some(1_400),
        Escalates,
    ),
    planned(
        case(
            "one_price_after_a_list_of_deliverables_is_the_package",
            "I can do 2 reels and 3 stories for $2,000",
            Counter,
            Some(2_000),
            Clear,
        ),
        REELS_AND_STORIES,
    ),
    // Amounts that cannot be trusted.
    case(
        "several_unrelated_amounts_escalate_without_a_rate",
        "$1,200 for Instagram, $900 for TikTok, $2,000 for both.",
        Counter,
        None,
        Escalates,
    ),
    case(
        "a_number_without_a_currency_mark_is_not_read_as_a_rate",
        "how about 1500?",
        Counter,
        None,
        Escalates,
    ),
    case(
        "an_amount_in_euros_is_never_a_dollar_rate",
        "My rate is €1,500.",
        Counter,
        None,
        Escalates,
    ),
    unusual(
        case(
            "an_add_on_charge_is_not_the_package_rate",
            "Sounds good. Whitelisting for paid ads would be $500 extra.",
            Counter,
            None,
            Escalates,
        ),
        "Whitelisting for paid ads",
    ),
    case(
        "an_expense_is_not_the_package_rate",
        "Sounds good! I'll also need $1,500 for travel.",
        Counter,
        None,
        Escalates,
    ),
    case(
        "an_amount_far_below_our_offer_escalates",
        "I can do $300.",
        Counter,
        Some(300),
        Escalates,
    ),
    case(
        "agreeing_while_naming_a_past_fee_escalates",
        "Sounds good! I just did a campaign with Nike for $5,000 so I know the value.",
        Accept,
        None,
        Escalates,
    ),
    planned(
        case(
            "a_package_price_wins_over_per_item_prices",
            "I charge $1,500 for a reel and $500 for a story, but I'd do the package for \
             $1,800",
            Counter,
            Some(1_800),
            Clear,
        ),
        REEL_AND_STORY,
    ),
    case(
        "a_range_whose_low_end_has_no_k_takes_the_high_end",
        "I normally get 3-4k for this kind of thing",
        Counter,
        Some(4_000),
        Escalates,
    ),
    case(
        "a_yes_with_a_condition_escalates",
        "We can do it for $1,000 if you cover shipping.",
        Accept,
        Some(1_000),
        Escalates,
    ),
    case(
        "a_smaller_package_at_our_price_escalates",
        "I'm happy with $1,000 but only for one reel.",
        Accept,
        Some(1_000),
        Escalates,
    ),
    case(
        "absolutely_not_is_a_no",
        "Absolutely not.",
        Reject,
        None,
        Clear,
    ),
    // Flags.
    hostile(
        case(
            "an_insulting_ultimatum_is_hostile_and_still_a_counter",
            "Are you kidding? $1,000 for two reels is insulting. My rate is $3,000, take it \
             or leave it.",
            Counter,
            Some(3_000),
            Clear,
        ),
        "Are you kidding?",
    ),
    case(
        "firm_bargaining_is_not_hostile",
        "My rate is firm at $1,500. Let me know if that works.",
        Counter,
        Some(1_500),
        Clear,
    ),
    hostile(
        case(
            "a_threat_is_hostile",
            "If you don't pay my rate I'll tell my followers how you treat creators.",
            Unclear,
            None,
            Escalates,
        ),
        "tell my followers",
    ),
    legal(
        case(
            "a_lawyer_and_an_exclusivity_clause_are_legal",
            "Happy to do it, but my lawyer will need to review the contract first, \
             especially any exclusivity clause.",
            Accept,
            None,
            Clear,
        ),
        "my lawyer will need to review the contract",
    ),
    unusual(
        case(
            "an_event_appearance_is_unusual",
            "Does the package include an appearance at the launch event?",
            Question,
            None,
            Clear,
        ),
        "appearance at the launch event",
    ),
    // Questions.
    case(
        "asks_about_the_timeline",
        "What's the timeline for posting? And how many revisions are included?",
        Question,
        None,
        Clear,
    ),
    unusual(
        case(
            "asks_about_usage_without_a_rate_and_flags_usage",
            "How long would you need usage for",
            Question,
            None,
            Clear,
        ),
        "usage for",
    ),
    case(
        "asks_about_our_amount",
        "Is the $1,000 for both reels or per reel?",
        Question,
        None,
        Clear,
    ),
    case(
        "interest_and_a_question_is_a_question",
        "Yes I'm interested! When would the reels need to go live?",
        Question,
        None,
        Clear,
    ),
    // Rate objections without a figure.
    case(
        "too_low_without_a_figure_is_a_counter_with_no_rate",
        "That's a bit low for me. Any flexibility on the budget?",
        Counter,
        None,
        Passes,
    ),
    case(
        "the_rate_does_not_work_is_a_counter",
        "Unfortunately the rate doesn't work for me.",
        Counter,
        None,
        Passes,
    ),
    case(
        "passing_at_that_rate_is_an_objection_not_a_no",
        "I'll have to pass at that rate.",
        Counter,
        None,
        Passes,
    ),
    case(
        "not_happy_with_the_offer_is_an_objection",
        "Not happy with this offer at all.",
        Counter,
        None,
        Passes,
    ),
    // Rejections.
    case(
        "rejects_not_interested",
        "Not interested, thanks.",
        Reject,
        None,
        Clear,
    ),
    case("rejects_a_bare_nope", "Nope.", Reject, None, Clear),
    case(
        "rejects_politely_without_hostility",
        "Thank you so much for thinking of me! Unfortunately I'll have to pass on this one.",
        Reject,
        None,
        Clear,
    ),
    case(
        "rejects_fully_booked",
        "I'm fully booked until March, sorry!",
        Reject,
        None,
        Clear,
    ),
    case(
        "rejects_not_a_fit",
        "Appreciate it but this isn't the right fit for my audience.",
        Reject,
        None,
        Clear,
    ),
    // Unclear.
    case(
        "does_not_work_alone_is_unclear",
        "That doesn't really work for me.",
        Unclear,
        None,
        Escalates,
    ),
    case(
        "a_deferral_is_unclear",
        "Let me check with my manager and get back to you.",
        Unclear,
        None,
        Escalates,
    ),
    case(
        "agreeing_and_declining_at_once_is_unclear",
        "Sounds good, but I'm not interested.",
        Unclear,
        None,
        Escalates,
    ),
    case("empty_text_is_unclear", "", Unclear, None, Escalates),
    case(
        "garbled_text_is_unclear",
        "asdkjh qwe ,,, ///",
        Unclear,
        None,
        Escalates,
    ),
    // Other platforms.
    on(
        case(
            "tiktok_video_priced_in_the_reply",
            "Happy to do the TikTok video for $1,200",
            Counter,
            Some(1_200),
            Clear,
        ),
        Platform::Tiktok,
        &[(TiktokVideo, 1)],
    ),
    on(
        case(
            "youtube_dedicated_video_in_grand",
            "For a dedicated video I charge 3 grand.",
            Counter,
            Some(3_000),
            Clear,
        ),
        Platform::Youtube,
        &[(YoutubeDedicated, 1)],
    ),
];

fn context(c: &Case) -> ReplyContext {
    ReplyContext {
        text: c.text.to_owned(),
        subject: "Re: Partnership offer".to_owned(),
        platform: c.platform,
        our_offer: c.offer.map(Money::from_dollars),
        deliverables: c
            .planned
            .iter()
            .map(|(kind, quantity)| Deliverable {
                kind: *kind,
                quantity: *quantity,
            })
            .collect(),
    }
}

fn read(c: &Case) -> ClassifiedReply {
    rules::read(&context(c))
}

/// Everything wrong with one case, or nothing.
fn problems(c: &Case, got: &ClassifiedReply) -> Vec<String> {
    let mut out = Vec::new();
    if got.intent != c.intent {
        out.push(format!("intent {:?}, want {:?}", got.intent, c.intent));
    }
    let want_rate = c.rate.map(Money::from_dollars);
    if got.proposed_rate != want_rate {
        out.push(format!("rate {:?}, want {want_rate:?}", got.proposed_rate));
    }
    if !c.band.holds(got.confidence.percent()) {
        out.push(format!(
            "confidence {}, want {:?}",
            got.confidence.percent(),
            c.band
        ));
    }
    for (flag, got, want) in [
        ("hostile", &got.hostile, c.hostile),
        ("legal", &got.legal, c.legal),
        ("unusual", &got.unusual_deliverables, c.unusual),
    ] {
        match (got, want) {
            (None, None) => {}
            (Some(e), Some(words)) if e.quote.contains(words) => {}
            (got, want) => out.push(format!("{flag} flag {got:?}, want quote with {want:?}")),
        }
    }
    if !got.summary.ends_with('.') || got.summary.is_empty() {
        out.push(format!("summary {:?} is not one sentence", got.summary));
    }
    out
}

#[test]
fn every_reply_in_the_table_reads_as_expected() {
    assert!(CASES.len() >= 40, "the table has {} cases", CASES.len());
    let mut names: Vec<&str> = CASES.iter().map(|c| c.name).collect();
    names.sort_unstable();
    names.dedup();
    assert_eq!(names.len(), CASES.len(), "case names are unique");

    let failures: Vec<String> = CASES
        .iter()
        .filter_map(|c| {
            let got = read(c);
            let problems = problems(c, &got);
            (!problems.is_empty()).then(|| {
                format!(
                    "{}: {}\n    text: {:?}\n    summary: {:?}",
                    c.name,
                    problems.join("; "),
                    c.text,
                    got.summary
                )
            })
        })
        .collect();
    assert!(
        failures.is_empty(),
        "{} of {} cases failed:\n{}",
        failures.len(),
        CASES.len(),
        failures.join("\n")
    );
}

fn reply(text: &str) -> ClassifiedReply {
    let c = case("ad hoc", "", Unclear, None, Clear);
    let mut ctx = context(&c);
    ctx.text = text.to_owned();
    rules::read(&ctx)
}

#[test]
fn summaries_name_the_rate_the_range_and_the_flags() {
    assert_eq!(
        reply("Sounds good but can you do $1,500?").summary,
        "They counter at $1,500.00."
    );
    assert_eq!(
        reply("I could do between 1.2k and 1.5k").summary,
        "They ask for a range of $1,200.00 to $1,500.00, read as the top of the range, \
         $1,500.00."
    );
    let hostile = reply("My rate is $3,000, take it or leave it.");
    assert_eq!(
        hostile.summary,
        "They counter at $3,000.00 (flags: hostile tone)."
    );
    assert_eq!(
        reply("Sounds good!").summary,
        "They accept our offer of $1,000.00."
    );
}

#[test]
fn evidence_quotes_the_sentence_that_raised_the_flag() {
    let got = reply("Hi! Love the brand.\nWe would need whitelisting rights for 30 days. Thanks");
    let unusual = got.unusual_deliverables.map(|e| e.quote);
    assert_eq!(
        unusual.as_deref(),
        Some("We would need whitelisting rights for 30 days.")
    );
    let legal = got.legal.map(|e| e.quote);
    assert_eq!(
        legal.as_deref(),
        Some("We would need whitelisting rights for 30 days.")
    );
    assert_eq!(got.hostile, None);
}

#[test]
fn deliverables_named_are_listed_once_in_order() {
    let got = reply("The stories are fine, but 2 reels and another story is a lot.");
    assert_eq!(got.deliverables, [Story, Reel]);
}

#[test]
fn the_text_is_kept_as_given() {
    let text = "  Sounds good!\n";
    assert_eq!(reply(text).text, text);
}

#[test]
fn without_an_offer_on_record_a_plain_yes_escalates() {
    let c = case("no offer", "Sounds good!", Accept, None, Escalates);
    let mut ctx = context(&c);
    ctx.our_offer = None;
    let got = rules::read(&ctx);
    assert_eq!(got.intent, Accept);
    assert!(
        got.confidence.percent() < 70,
        "{}",
        got.confidence.percent()
    );
}

#[test]
fn without_planned_deliverables_a_single_item_price_is_their_rate_and_several_are_not_totalled() {
    let c = case("no plan", "$500 per reel", Counter, None, Escalates);
    let mut ctx = context(&c);
    ctx.deliverables.clear();
    let got = rules::read(&ctx);
    assert_eq!(got.proposed_rate, Some(Money::from_dollars(500)));

    ctx.text = "$500 per reel and $200 per story".to_owned();
    let got = rules::read(&ctx);
    assert_eq!(got.proposed_rate, None);
    assert!(got.confidence.percent() < 70);
}

proptest! {
    /// Whatever arrives (emoji, accents, stray digits and currency marks), the reader answers
    /// without panicking, with a confidence in range and a positive rate if any.
    #[test]
    fn any_text_reads_without_panicking(
        text in "[a-zA-Z0-9 $€£.,:;!?/'’\\-–\n😀👍éß]{0,80}",
        offer in proptest::option::of(1i64..5_000),
    ) {
        let c = case("prop", "", Unclear, None, Clear);
        let mut ctx = context(&c);
        ctx.text = text;
        ctx.our_offer = offer.map(Money::from_dollars);
        let got = rules::read(&ctx);
        prop_assert!(got.confidence.percent() <= 100);
        prop_assert!(got.proposed_rate.is_none_or(|r| r.is_positive()));
        prop_assert!(got.summary.ends_with('.'));
    }

    /// Sentences built from the lexicon's own pieces, with amounts in every form.
    #[test]
    fn phrase_soup_reads_without_panicking(
        parts in proptest::collection::vec(
            prop_oneof![
                Just("sounds good"), Just("but"), Just("can you do"), Just("$1,500"),
                Just("1.5k"), Just("-"), Just("per reel"), Just("each"), Just("2 reels"),
                Just("not"), Just("interested"), Just("?"), Just("."), Just("for the"),
                Just("story"), Just("USD"), Just("3-4k"), Just("you offered $1,000"),
                Just("plus $300"), Just("between"), Just("and"), Just("1200"), Just("€"),
            ],
            0..14,
        ),
    ) {
        let got = reply(&parts.join(" "));
        prop_assert!(got.confidence.percent() <= 100);
    }
}
