use super::*;
use crate::platform::{Deliverable, DeliverableType as D, Platform};

fn dollars(amount: i64) -> Money {
    Money::from_dollars(amount)
}

fn cents(amount: i64) -> Money {
    Money::from_cents(amount)
}

fn deliverable(kind: D, quantity: u32) -> Deliverable {
    Deliverable::new(kind.platform(), kind, quantity).unwrap()
}

/// A counter to Jane Doe for Glow Skincare: 2 reels and 1 story on Instagram, our $1,250
/// against their $1,600, ceiling $1,800.
fn counter_plan() -> EmailPlan {
    EmailPlan {
        kind: EmailKind::Counter,
        influencer_name: "Jane Doe".to_owned(),
        client_name: "Glow Skincare".to_owned(),
        platform: Platform::Instagram,
        deliverables: vec![
            deliverable(D::InstagramReel, 2),
            deliverable(D::InstagramStory, 1),
        ],
        our_rate: Some(dollars(1_250)),
        their_rate: Some(dollars(1_600)),
        ceiling_rate: dollars(1_800),
    }
}

fn plan_with(kind: EmailKind, our: Option<Money>, their: Option<Money>) -> EmailPlan {
    EmailPlan {
        kind,
        our_rate: our,
        their_rate: their,
        ..counter_plan()
    }
}

/// `middle` wrapped in a greeting and a signature, so only `middle` varies between tests.
fn email(middle: &str) -> String {
    format!("Hi Jane,\n\n{middle}\n\nBest regards,\nSam Rivera\nAGM Partnerships\n")
}

/// A campaign budget with plenty left, so only the plan decides.
fn roomy() -> Budget {
    Budget {
        total: dollars(100_000),
        committed: Money::ZERO,
        max_deal: dollars(50_000),
    }
}

fn violations(text: &str, plan: &EmailPlan) -> Vec<Violation> {
    match check(text, plan, &roomy(), &GatePolicy::default()) {
        Ok(()) => Vec::new(),
        Err(failure) => failure.violations,
    }
}

fn assert_passes(text: &str, plan: &EmailPlan) {
    assert_eq!(violations(text, plan), Vec::new(), "{text}");
}

/// Each amount `find_amounts` reads, with the text it read it from.
fn amounts(text: &str) -> Vec<(Money, &str)> {
    find_amounts(text)
        .into_iter()
        .map(|(money, span)| (money, &text[span]))
        .collect()
}

fn assert_reads(text: &str, expected: &[(Money, &str)]) {
    assert_eq!(amounts(text), expected, "{text}");
}

fn assert_no_money(text: &str) {
    assert_eq!(amounts(text), Vec::new(), "{text}");
    assert_eq!(scan_amounts(text), Vec::new(), "{text}");
}

/// Amounts the gate checks but `find_amounts` leaves out, because they only might be money.
fn assert_suspects(text: &str, expected: &[(Money, &str)]) {
    assert_eq!(amounts(text), Vec::new(), "{text}");
    let suspected: Vec<(Money, &str)> = scan_amounts(text)
        .into_iter()
        .filter(|a| !a.certain && a.currency == Currency::Usd)
        .map(|a| (a.money, &text[a.span]))
        .collect();
    assert_eq!(suspected, expected, "{text}");
}

fn unexpected(found: Money, text: &str) -> Violation {
    Violation::UnexpectedAmount {
        found,
        text: text.to_owned(),
    }
}

// ---------------------------------------------------------------------------------------------
// find_amounts: what is money
// ---------------------------------------------------------------------------------------------

#[test]
fn reads_dollar_amounts_with_or_without_cents_and_separators() {
    let d1250 = dollars(1_250);
    assert_reads("$1,250", &[(d1250, "$1,250")]);
    assert_reads("$1,250.00", &[(d1250, "$1,250.00")]);
    assert_reads("$1250", &[(d1250, "$1250")]);
    assert_reads("$1250.5", &[(cents(125_050), "$1250.5")]);
    assert_reads("$ 1,250", &[(d1250, "$ 1,250")]);
    assert_reads("1,250$", &[(d1250, "1,250$")]);
    assert_reads("$1,000,000.00", &[(dollars(1_000_000), "$1,000,000.00")]);
    assert_reads("$.50", &[(cents(50), "$.50")]);
}

#[test]
fn sentence_punctuation_is_not_part_of_the_amount() {
    assert_reads("That's $1,500.", &[(dollars(1_500), "$1,500")]);
    assert_reads("($1,250.50), then", &[(cents(125_050), "$1,250.50")]);
    assert_reads("for $1,250.00; and", &[(dollars(1_250), "$1,250.00")]);
}

#[test]
fn reads_currency_codes_before_and_after_the_number() {
    let d1250 = dollars(1_250);
    assert_reads("1,250 USD", &[(d1250, "1,250 USD")]);
    assert_reads("USD 1250", &[(d1250, "USD 1250")]);
    assert_reads("US$1,250", &[(d1250, "US$1,250")]);
    assert_reads("USD$1,250", &[(d1250, "USD$1,250")]);
    assert_reads("$1250USD", &[(d1250, "$1250USD")]);
    assert_reads("1,250 dollars", &[(d1250, "1,250 dollars")]);
    assert_reads("1,250 US dollars", &[(d1250, "1,250 US dollars")]);
    assert_reads("1250 bucks", &[(d1250, "1250 bucks")]);
}

#[test]
fn reads_thousands_shorthand_and_millions() {
    assert_reads("1.25k", &[(dollars(1_250), "1.25k")]);
    assert_reads("$1.5k", &[(dollars(1_500), "$1.5k")]);
    assert_reads("$1.5K", &[(dollars(1_500), "$1.5K")]);
    assert_reads("a budget of 2k", &[(dollars(2_000), "2k")]);
    assert_reads("$2M", &[(dollars(2_000_000), "$2M")]);
    assert_reads("$1.5 million", &[(dollars(1_500_000), "$1.5 million")]);
    assert_reads(
        "1.5 thousand dollars",
        &[(dollars(1_500), "1.5 thousand dollars")],
    );
    assert_reads(
        "15 hundred dollars",
        &[(dollars(1_500), "15 hundred dollars")],
    );
}

#[test]
fn reads_grand_and_amounts_in_words() {
    assert_reads("2 grand", &[(dollars(2_000), "2 grand")]);
    assert_reads("2.5 grand", &[(dollars(2_500), "2.5 grand")]);
    assert_reads("three grand", &[(dollars(3_000), "three grand")]);
    assert_reads(
        "fifteen hundred dollars",
        &[(dollars(1_500), "fifteen hundred dollars")],
    );
    assert_reads(
        "two thousand five hundred bucks",
        &[(dollars(2_500), "two thousand five hundred bucks")],
    );
    assert_reads(
        "two thousand and fifty dollars",
        &[(dollars(2_050), "two thousand and fifty dollars")],
    );
    assert_reads(
        "twenty-five dollars",
        &[(dollars(25), "twenty-five dollars")],
    );
    assert_reads("a thousand bucks", &[(dollars(1_000), "thousand bucks")]);
}

#[test]
fn reads_cents_written_out() {
    assert_reads("50 cents", &[(cents(50), "50 cents")]);
    assert_reads(
        "ten dollars and fifty cents",
        &[(dollars(10), "ten dollars"), (cents(50), "fifty cents")],
    );
}

#[test]
fn reads_both_ends_of_a_range() {
    let both = [(dollars(1_000), "$1,000"), (dollars(1_500), "1,500")];
    assert_reads("$1,000-1,500", &both);
    assert_reads("$1,000 – 1,500", &both);
    assert_reads("between $1,000 and 1,500", &both);
    assert_reads(
        "$1,500-$2,000",
        &[(dollars(1_500), "$1,500"), (dollars(2_000), "$2,000")],
    );
    assert_reads(
        "1,000 to 1,500 dollars",
        &[(dollars(1_000), "1,000"), (dollars(1_500), "1,500 dollars")],
    );
    assert_reads("$1k-2k", &[(dollars(1_000), "$1k"), (dollars(2_000), "2k")]);
    assert_reads(
        "$500 or 600",
        &[(dollars(500), "$500"), (dollars(600), "600")],
    );
    assert_suspects(
        "1,000-1,500 for the reel",
        &[(dollars(1_000), "1,000"), (dollars(1_500), "1,500")],
    );
}

#[test]
fn reads_bare_numbers_after_a_money_word() {
    assert_reads("our rate is 1500", &[(dollars(1_500), "1500")]);
    assert_reads("Our offer: 1500.", &[(dollars(1_500), "1500")]);
    assert_reads("a fee of 900", &[(dollars(900), "900")]);
    assert_reads("we can pay you 750 for 2 reels", &[(dollars(750), "750")]);
    assert_reads("budget of 2M", &[(dollars(2_000_000), "2M")]);
    assert_reads("the rate would be 1500", &[(dollars(1_500), "1500")]);
    assert_reads(
        "our rate is fifteen hundred",
        &[(dollars(1_500), "fifteen hundred")],
    );
}

#[test]
fn suspects_bare_numbers_written_like_money() {
    assert_suspects("We think 1,500 is fair", &[(dollars(1_500), "1,500")]);
    assert_suspects("1250.00 for both", &[(dollars(1_250), "1250.00")]);
}

#[test]
fn suspects_bare_numbers_after_a_bargaining_verb() {
    assert_suspects("We can do 1500.", &[(dollars(1_500), "1500")]);
    assert_suspects("we could go up to 1500", &[(dollars(1_500), "1500")]);
    assert_suspects("can we meet at 1400?", &[(dollars(1_400), "1400")]);
}

#[test]
fn suspects_bare_numbers_before_a_pricing_word() {
    assert_suspects("I'd want 1500 for the reel", &[(dollars(1_500), "1500")]);
    assert_suspects("2000 for both", &[(dollars(2_000), "2000")]);
    assert_suspects("900 flat", &[(dollars(900), "900")]);
    assert_suspects(
        "one thousand five hundred for both reels",
        &[(dollars(1_500), "one thousand five hundred")],
    );
}

#[test]
fn years_before_a_pricing_word_are_not_money() {
    assert_no_money("We're planning content in 2026 for the launch.");
    assert_no_money("It runs from March 2026 for six weeks.");
}

#[test]
fn no_break_and_thin_spaces_bind_like_spaces() {
    for (text, currency) in [
        ("$\u{a0}1,250", Currency::Usd),
        ("USD\u{a0}1250", Currency::Usd),
        ("€\u{a0}1,250", Currency::Other),
        ("1,250\u{a0}€", Currency::Other),
        ("1,250\u{202f}EUR", Currency::Other),
    ] {
        let found = scan_amounts(text);
        assert_eq!(found.len(), 1, "{text}");
        assert_eq!(found[0].money, dollars(1_250), "{text}");
        assert_eq!(found[0].currency, currency, "{text}");
        assert_eq!(&text[found[0].span.clone()], text, "{text}");
    }
}

#[test]
fn reads_other_currencies_as_amounts() {
    for (text, stated) in [
        ("€500", "€500"),
        ("£500", "£500"),
        ("500 €", "500 €"),
        ("500€ for the reel", "500€"),
        ("500 euros", "500 euros"),
        ("EUR 500", "EUR 500"),
        ("A$500", "A$500"),
        ("CA$500", "CA$500"),
    ] {
        assert_reads(text, &[(dollars(500), stated)]);
        assert_eq!(scan_amounts(text)[0].currency, Currency::Other, "{text}");
    }
}

#[test]
fn rounds_amounts_finer_than_a_cent_half_up_and_marks_them_inexact() {
    assert_reads("$1,250.005", &[(cents(125_001), "$1,250.005")]);
    assert_reads("$1,249.994", &[(cents(124_999), "$1,249.994")]);
    assert!(!scan_amounts("$1,250.005")[0].exact);
    assert!(!scan_amounts("$1,250.001")[0].exact);
    // Extra zeros change nothing.
    assert_reads("$1,250.000", &[(dollars(1_250), "$1,250.000")]);
    assert!(scan_amounts("$1,250.000")[0].exact);
}

#[test]
fn malformed_or_negative_numbers_are_read_but_inexact() {
    for text in ["$1,25", "$12,50", "$1,2500", "$1.2.3", "$1.250,00", "$-500"] {
        let found = scan_amounts(text);
        assert_eq!(found.len(), 1, "{text}");
        assert!(!found[0].exact, "{text}");
    }
}

#[test]
fn absurd_amounts_saturate_instead_of_wrapping() {
    let found = scan_amounts("$100,000,000,000,000,000,000,000");
    assert_eq!(found[0].money, cents(i64::MAX));
    assert!(!found[0].exact);
}

// ---------------------------------------------------------------------------------------------
// find_amounts: what is not money
// ---------------------------------------------------------------------------------------------

#[test]
fn dates_and_times_are_not_money() {
    for text in [
        "Content goes live on 2026-03-15.",
        "How about March 15?",
        "on 3/15 or 3/15/2026",
        "Jan 5, 2026",
        "15.03.2026",
        "a call at 10:30 tomorrow",
        "at 3pm EST",
        "9am-5pm",
        "in Q3 2026",
    ] {
        assert_no_money(text);
    }
}

#[test]
fn percentages_are_not_money() {
    for text in [
        "15%",
        "20-30%",
        "a rate of 5%",
        "a fee of 10 percent",
        "5 per cent",
        "your 4.5% engagement",
    ] {
        assert_no_money(text);
    }
}

#[test]
fn counts_and_durations_are_not_money() {
    for text in [
        "2 reels",
        "1 reel and 2 stories",
        "2x reels",
        "within 30 days",
        "payment within 30 days",
        "Net 30",
        "a 30-day window",
        "48 hours",
        "5-7 business days",
        "2 rounds of revisions",
        "top 10 creators",
        "the 1st draft",
        "offer 1500 reels",
        "we can pay 2 installments",
    ] {
        assert_no_money(text);
    }
}

#[test]
fn phone_numbers_and_references_are_not_money() {
    for text in [
        "call me at (555) 123-4567",
        "555-123-4567",
        "+1 555 123 4567",
        "415.555.0100",
        "Order #12345",
        "Suite 300, 100 Main St",
        "1080p at 60fps",
    ] {
        assert_no_money(text);
    }
}

#[test]
fn audience_sizes_are_not_money() {
    for text in [
        "50k followers",
        "your 1.2M followers",
        "with 250K subscribers",
        "45K avg views",
        "My views are 40k avg, and",
        "50k Instagram followers",
        "reaching 50k+ people",
        "your 50k-strong community",
        "50k-100k followers",
        "1,000-1,500 followers",
        "we have 1500 followers",
        "your videos are averaging 45k",
        "a reach of 50k",
        "followers: 50k",
        "2 million views",
    ] {
        assert_no_money(text);
    }
}

#[test]
fn a_small_count_after_an_amount_is_not_part_of_a_range() {
    assert_reads("$1,250 and 3 stories", &[(dollars(1_250), "$1,250")]);
}

#[test]
fn spelled_numbers_without_a_currency_or_money_word_are_not_money() {
    assert_no_money("fifteen hundred people saw it");
    assert_no_money("the offer is one we love");
    assert_no_money("two reels and one story");
}

// ---------------------------------------------------------------------------------------------
// check: amounts
// ---------------------------------------------------------------------------------------------

#[test]
fn a_counter_stating_our_rate_and_quoting_theirs_passes() {
    let text = email(
        "Thanks for sharing your rate of $1,600. For 2 Instagram reels and 1 Instagram story, \
         the best we can offer is $1,250.00, paid within 30 days of the content going live.",
    );
    assert_passes(&text, &counter_plan());
}

#[test]
fn our_rate_passes_in_any_written_form_because_amounts_compare_as_numbers() {
    for stated in [
        "$1,250",
        "$1,250.00",
        "$1250",
        "$1,250.0",
        "1,250 USD",
        "USD 1250",
        "US$1,250",
        "$1.25k",
        "1,250 dollars",
        "twelve hundred fifty dollars",
    ] {
        let text = email(&format!(
            "For 2 reels and 1 story, the best we can offer is {stated} for everything."
        ));
        assert_passes(&text, &counter_plan());
    }
}

#[test]
fn five_hundred_dollars_equals_five_hundred_dollars_and_no_cents() {
    let plan = plan_with(EmailKind::Opening, Some(dollars(500)), None);
    for stated in ["$500", "$500.00", "$500.0", "500 dollars"] {
        let text = email(&format!(
            "We'd like to offer {stated} for 2 reels and 1 story."
        ));
        assert_passes(&text, &plan);
    }
}

#[test]
fn cents_must_match_exactly() {
    let plan = plan_with(EmailKind::Opening, Some(cents(125_050)), None);
    assert_passes(
        &email("We'd like to offer $1,250.50 for 2 reels and 1 story."),
        &plan,
    );
    assert_passes(
        &email("We'd like to offer $1250.5 for 2 reels and 1 story."),
        &plan,
    );
    assert_eq!(
        violations(
            &email("We'd like to offer $1,250.05 for 2 reels and 1 story."),
            &plan
        ),
        vec![
            unexpected(cents(125_005), "$1,250.05"),
            Violation::MissingOurRate
        ]
    );
}

#[test]
fn a_wrong_amount_fails_even_when_our_rate_is_also_stated() {
    let text = email("We can offer $1,250 for 2 reels and 1 story, or $1,300 if you prefer.");
    assert_eq!(
        violations(&text, &counter_plan()),
        vec![unexpected(dollars(1_300), "$1,300")]
    );
}

#[test]
fn a_wrong_amount_instead_of_ours_fails_twice() {
    let text = email("For 2 reels and 1 story, the best we can offer is $1,350.");
    assert_eq!(
        violations(&text, &counter_plan()),
        vec![
            unexpected(dollars(1_350), "$1,350"),
            Violation::MissingOurRate
        ]
    );
}

#[test]
fn wrong_amounts_in_every_written_form_are_caught() {
    for (stated, found) in [
        ("$1,300", dollars(1_300)),
        ("1,300 USD", dollars(1_300)),
        ("USD 1300", dollars(1_300)),
        ("$1.3k", dollars(1_300)),
        ("1.3k", dollars(1_300)),
        ("thirteen hundred dollars", dollars(1_300)),
        ("13 hundred dollars", dollars(1_300)),
        ("1 grand", dollars(1_000)),
        ("our rate is 1300", dollars(1_300)),
        ("1,300 for the reels", dollars(1_300)),
        ("1300 for the reels", dollars(1_300)),
        ("we could do 1300", dollars(1_300)),
        ("$.50", cents(50)),
        ("50 cents", cents(50)),
    ] {
        let text = email(&format!(
            "For 2 reels and 1 story we offer $1,250. Also {stated} as discussed."
        ));
        let found_violations = violations(&text, &counter_plan());
        assert!(
            matches!(
                found_violations.as_slice(),
                [Violation::UnexpectedAmount { found: f, .. }] if *f == found
            ),
            "{stated}: {found_violations:?}"
        );
    }
}

#[test]
fn the_upper_end_of_a_range_is_checked_too() {
    let text = email("For 2 reels and 1 story we could do $1,250-1,500.");
    assert_eq!(
        violations(&text, &counter_plan()),
        vec![unexpected(dollars(1_500), "1,500")]
    );
}

#[test]
fn two_grand_is_two_thousand_dollars() {
    let text = email("For 2 reels and 1 story we offer $1,250; we can't do 2 grand.");
    assert_eq!(
        violations(&text, &counter_plan()),
        vec![Violation::AboveCeiling {
            found: dollars(2_000),
            ceiling: dollars(1_800)
        }]
    );
}

#[test]
fn an_amount_above_the_ceiling_fails_even_if_it_is_their_rate() {
    let plan = plan_with(
        EmailKind::Counter,
        Some(dollars(1_250)),
        Some(dollars(2_500)),
    );
    let text = email("Thanks for your rate of $2,500. For 2 reels and 1 story we offer $1,250.");
    assert_eq!(
        violations(&text, &plan),
        vec![Violation::AboveCeiling {
            found: dollars(2_500),
            ceiling: dollars(1_800)
        }]
    );
}

#[test]
fn the_ceiling_itself_is_allowed_when_planned() {
    let plan = plan_with(EmailKind::Counter, Some(dollars(1_800)), None);
    assert_passes(
        &email("For 2 reels and 1 story the best we can offer is $1,800.00."),
        &plan,
    );
    let over = violations(
        &email("For 2 reels and 1 story the best we can offer is $1,800.01."),
        &plan,
    );
    assert_eq!(
        over,
        vec![
            Violation::AboveCeiling {
                found: cents(180_001),
                ceiling: dollars(1_800)
            },
            Violation::MissingOurRate
        ]
    );
}

#[test]
fn their_rate_may_not_appear_when_the_plan_does_not_quote_it() {
    let plan = plan_with(EmailKind::Counter, Some(dollars(1_250)), None);
    let text = email("We know you asked for $1,600, but for 2 reels and 1 story we offer $1,250.");
    assert_eq!(
        violations(&text, &plan),
        vec![unexpected(dollars(1_600), "$1,600")]
    );
}

#[test]
fn our_rate_must_be_stated() {
    let text = email("Thanks for getting back to us about the 2 reels and 1 story. Let's talk!");
    assert_eq!(
        violations(&text, &counter_plan()),
        vec![Violation::MissingOurRate]
    );
}

#[test]
fn a_bare_number_that_only_might_be_money_does_not_state_our_rate() {
    let text = email("For 2 reels and 1 story we can do 1250, all in.");
    assert_eq!(
        violations(&text, &counter_plan()),
        vec![Violation::MissingOurRate]
    );
}

#[test]
fn their_rate_alone_does_not_state_ours() {
    let text = email("Thanks for sharing your rate of $1,600 for the 2 reels and 1 story.");
    assert_eq!(
        violations(&text, &counter_plan()),
        vec![Violation::MissingOurRate]
    );
}

#[test]
fn a_decline_needs_no_rate_but_may_state_no_other_amount() {
    let plan = plan_with(EmailKind::Decline, None, None);
    assert_passes(
        &email("Thank you for your time. We aren't able to move forward at this time."),
        &plan,
    );
    assert_eq!(
        violations(
            &email("Thank you for your time. We can't go beyond $900, so we'll pass."),
            &plan
        ),
        vec![unexpected(dollars(900), "$900")]
    );
}

#[test]
fn our_number_in_another_currency_is_not_our_rate() {
    let text = email("For 2 reels and 1 story, the best we can offer is €1,250.");
    assert_eq!(
        violations(&text, &counter_plan()),
        vec![
            unexpected(dollars(1_250), "€1,250"),
            Violation::MissingOurRate
        ]
    );
}

#[test]
fn our_number_in_euros_after_a_no_break_space_is_not_our_rate() {
    let text = email("For 2 reels and 1 story, the best we can offer is 1,250\u{a0}€.");
    assert_eq!(
        violations(&text, &counter_plan()),
        vec![
            unexpected(dollars(1_250), "1,250\u{a0}€"),
            Violation::MissingOurRate
        ]
    );
}

#[test]
fn our_number_finer_than_a_cent_is_not_our_rate() {
    let text = email("For 2 reels and 1 story, the best we can offer is $1,250.004.");
    assert_eq!(
        violations(&text, &counter_plan()),
        vec![
            unexpected(dollars(1_250), "$1,250.004"),
            Violation::MissingOurRate
        ]
    );
}

#[test]
fn a_malformed_number_that_looks_like_our_rate_is_not_our_rate() {
    // "$12,50" reads as 1,250 but is not one clean number.
    let text = email("For 2 reels and 1 story, the best we can offer is $12,50.");
    assert_eq!(
        violations(&text, &counter_plan()),
        vec![
            unexpected(dollars(1_250), "$12,50"),
            Violation::MissingOurRate
        ]
    );
}

#[test]
fn a_realistic_email_full_of_numbers_that_are_not_money_passes() {
    let text = "Hi Jane,\n\n\
        Thanks so much for the quick reply! Your last 10 videos averaged 45k views and your \
        50k-strong community is exactly who Glow Skincare wants to reach (your 4.8% engagement \
        rate is great too).\n\n\
        For 2 Instagram reels and 1 Instagram story, the best we can offer is $1,250.00. \
        Content would go live between 2026-03-15 and March 30, with payment within 30 days \
        (Net 30). Drafts are due 48 hours before posting, and we allow 2 rounds of revisions.\n\n\
        Happy to jump on a call at 10:30 on 3/12 if easier: (555) 123-4567.\n\n\
        Best regards,\nSam Rivera\nAGM Partnerships\n";
    assert_passes(text, &counter_plan());
}

#[test]
fn a_price_per_deliverable_fails_when_the_rate_covers_several() {
    for stated in [
        "$1,250 per reel",
        "$1,250/reel",
        "$1,250 each",
        "$1,250 for each Instagram reel",
        "$1,250 a piece",
    ] {
        let text = email(&format!("For 2 reels and 1 story we can offer {stated}."));
        assert_eq!(
            violations(&text, &counter_plan()),
            vec![Violation::PerUnitAmount {
                found: dollars(1_250),
                text: "$1,250".to_owned()
            }],
            "{stated}"
        );
    }
}

#[test]
fn a_price_per_deliverable_passes_when_there_is_only_one() {
    let plan = EmailPlan {
        deliverables: vec![deliverable(D::InstagramReel, 1)],
        ..counter_plan()
    };
    assert_passes(
        &email("For 1 Instagram reel we can offer $1,250 per reel, all in."),
        &plan,
    );
}

#[test]
fn a_price_per_month_or_for_everything_is_not_per_deliverable() {
    assert_passes(
        &email("For 2 reels and 1 story we can offer $1,250 for everything, a flat fee."),
        &counter_plan(),
    );
    assert_passes(
        &email("For 2 reels and 1 story we can offer $1,250 for both reels and the story."),
        &counter_plan(),
    );
}

// ---------------------------------------------------------------------------------------------
// check: names
// ---------------------------------------------------------------------------------------------

#[test]
fn a_client_named_like_a_deliverable_is_not_a_deliverable() {
    let plan = EmailPlan {
        client_name: "Reel Foods".to_owned(),
        platform: Platform::Tiktok,
        deliverables: vec![deliverable(D::TiktokVideo, 1)],
        ..counter_plan()
    };
    for client in ["Reel Foods", "REEL FOODS", "Reel\n  Foods"] {
        let text = email(&format!(
            "We're excited about this {client} campaign! For 1 TikTok video we offer $1,250."
        ));
        assert_passes(&text, &plan);
    }
    // A reel named outside the client's name is still caught.
    let text = email("For 1 TikTok video and a reel for Reel Foods we offer $1,250.");
    assert_eq!(
        violations(&text, &plan),
        vec![Violation::UndeclaredDeliverable(D::InstagramReel)]
    );
}

#[test]
fn a_client_named_like_a_commitment_is_not_a_commitment() {
    let plan = EmailPlan {
        client_name: "Exclusive Beauty Co".to_owned(),
        ..counter_plan()
    };
    let text = email("Exclusive Beauty Co would love 2 reels and 1 story for $1,250.");
    assert_passes(&text, &plan);
}

#[test]
fn an_influencer_named_like_a_deliverable_is_not_a_deliverable() {
    let plan = EmailPlan {
        influencer_name: "Story Hartley".to_owned(),
        deliverables: vec![deliverable(D::InstagramReel, 2)],
        ..counter_plan()
    };
    let text = "Hi Story,\n\nFor 2 Instagram reels, the best we can offer is $1,250. We love \
                your work, Story Hartley!\n\nBest regards,\nSam";
    assert_passes(text, &plan);
}

#[test]
fn a_name_holding_an_amount_is_never_masked() {
    let plan = EmailPlan {
        client_name: "Brand $900".to_owned(),
        ..counter_plan()
    };
    let text = email("Brand $900 offers $1,250 for 2 reels and 1 story.");
    assert_eq!(
        violations(&text, &plan),
        vec![unexpected(dollars(900), "$900")]
    );
}

#[test]
fn a_name_made_of_money_words_is_never_masked() {
    let plan = EmailPlan {
        influencer_name: "Grand Price".to_owned(),
        ..counter_plan()
    };
    // Masking "Grand" would hide "2 grand" and let $2,000 through.
    let text = "Hi Grand,\n\nFor 2 reels and 1 story we offer $1,250, not 2 grand.\n\nBest,\nSam";
    assert_eq!(
        violations(text, &plan),
        vec![Violation::AboveCeiling {
            found: dollars(2_000),
            ceiling: dollars(1_800)
        }]
    );
}

// ---------------------------------------------------------------------------------------------
// check: forbidden phrases
// ---------------------------------------------------------------------------------------------

fn forbidden(text: &str) -> Vec<String> {
    violations(&email(text), &counter_plan())
        .into_iter()
        .filter_map(|v| match v {
            Violation::ForbiddenPhrase(words) => Some(words),
            _ => None,
        })
        .collect()
}

const OUR_OFFER: &str = "For 2 reels and 1 story we offer $1,250.";

#[test]
fn forbidden_phrases_match_whole_words_only() {
    assert_eq!(
        forbidden(&format!("{OUR_OFFER} This is an exclusive deal.")),
        vec!["exclusive"]
    );
    assert_eq!(
        forbidden(&format!("{OUR_OFFER} The rate is inclusive of everything.")),
        Vec::<String>::new()
    );
    assert_eq!(
        forbidden(&format!(
            "{OUR_OFFER} The brand's guidelines are unguaranteed."
        )),
        Vec::<String>::new()
    );
}

#[test]
fn a_trailing_star_matches_any_ending() {
    for word in ["guarantee", "guaranteed", "guarantees", "Guaranteeing"] {
        assert_eq!(
            forbidden(&format!("{OUR_OFFER} Results are {word}.")),
            vec![word],
        );
    }
    assert_eq!(
        forbidden(&format!("{OUR_OFFER} We need exclusivity.")),
        vec!["exclusivity"]
    );
}

#[test]
fn phrase_words_match_across_any_spacing_punctuation_and_case() {
    for written in [
        "usage rights",
        "usage-rights",
        "Usage Rights",
        "USAGE  RIGHTS",
        "usage\nrights",
        "usage right",
    ] {
        assert_eq!(
            forbidden(&format!("{OUR_OFFER} This includes {written} for a year.")),
            vec![written],
        );
    }
}

#[test]
fn a_phrase_written_as_one_word_still_matches() {
    assert_eq!(
        forbidden(&format!("{OUR_OFFER} There is a noncompete clause.")),
        vec!["noncompete"]
    );
    assert_eq!(
        forbidden(&format!("{OUR_OFFER} There is a non-compete clause.")),
        vec!["non-compete"]
    );
}

#[test]
fn promises_of_future_work_are_forbidden() {
    assert_eq!(
        forbidden(&format!(
            "{OUR_OFFER} We'd love future campaigns and a long-term partnership."
        )),
        vec!["future campaigns", "long-term partnership"]
    );
}

#[test]
fn a_policy_with_its_own_phrases_replaces_the_defaults() {
    let policy = GatePolicy {
        forbidden_phrases: vec!["ASAP".to_owned()],
        min_length: 10,
    };
    let text = email(&format!("{OUR_OFFER} Exclusive! Please reply asap."));
    assert_eq!(
        check(&text, &counter_plan(), &roomy(), &policy),
        Err(GateFailure {
            violations: vec![Violation::ForbiddenPhrase("asap".to_owned())]
        })
    );
}

#[test]
fn the_default_policy_lists_our_commitments() {
    let policy = GatePolicy::default();
    for phrase in ["exclusiv*", "usage right*", "guarante*", "whitelist*"] {
        assert!(
            policy.forbidden_phrases.iter().any(|p| p == phrase),
            "{phrase}"
        );
    }
    assert_eq!(policy.min_length, 50);
}

// ---------------------------------------------------------------------------------------------
// check: deliverables
// ---------------------------------------------------------------------------------------------

#[test]
fn a_deliverable_not_in_the_plan_fails() {
    let text = email("For 2 reels, 1 story and a TikTok video, we offer $1,250.");
    assert_eq!(
        violations(&text, &counter_plan()),
        vec![Violation::UndeclaredDeliverable(D::TiktokVideo)]
    );
    let text = email("For 2 reels, 1 story and 1 Instagram post, we offer $1,250.");
    assert_eq!(
        violations(&text, &counter_plan()),
        vec![Violation::UndeclaredDeliverable(D::InstagramPost)]
    );
}

#[test]
fn a_count_that_differs_from_the_plan_fails() {
    for (written, found) in [
        ("3 reels", 3),
        ("three reels", 3),
        ("reels x 3", 3),
        ("1 Instagram reel", 1),
    ] {
        let text = email(&format!("For {written} and 1 story we offer $1,250."));
        assert_eq!(
            violations(&text, &counter_plan()),
            vec![Violation::QuantityMismatch {
                kind: D::InstagramReel,
                found,
                expected: 2
            }],
            "{written}"
        );
    }
}

#[test]
fn planned_counts_written_any_way_pass() {
    for written in [
        "2 Instagram reels",
        "two reels",
        "2x reels",
        "2 x reel",
        "reels (2)",
        "reels",
    ] {
        let text = email(&format!("For {written} and 1 story we offer $1,250."));
        assert_passes(&text, &counter_plan());
    }
}

#[test]
fn repeated_plan_entries_of_one_kind_are_counted_together() {
    let plan = EmailPlan {
        deliverables: vec![
            deliverable(D::InstagramReel, 1),
            deliverable(D::InstagramReel, 2),
        ],
        ..counter_plan()
    };
    assert_passes(&email("For 3 reels we offer $1,250."), &plan);
}

#[test]
fn the_influencers_earlier_content_is_not_a_deliverable() {
    let plan = EmailPlan {
        deliverables: vec![deliverable(D::InstagramPost, 1)],
        ..counter_plan()
    };
    let text = email(
        "We loved your last 3 reels and your recent stories! For 1 Instagram post we offer \
         $1,250.",
    );
    assert_passes(&text, &plan);
}

#[test]
fn their_own_content_without_a_count_is_not_a_deliverable() {
    let plan = EmailPlan {
        deliverables: vec![deliverable(D::InstagramReel, 2)],
        ..counter_plan()
    };
    let text = email("We loved your post about retinol! For 2 reels we offer $1,250.");
    assert_passes(&text, &plan);
    // With a count it is the deal's, and checked.
    let text = email("For your 3 reels we offer $1,250.");
    assert_eq!(
        violations(&text, &plan),
        vec![Violation::QuantityMismatch {
            kind: D::InstagramReel,
            found: 3,
            expected: 2
        }]
    );
}

#[test]
fn a_story_told_is_not_an_instagram_story() {
    let plan = EmailPlan {
        deliverables: vec![deliverable(D::InstagramReel, 2)],
        ..counter_plan()
    };
    let text = email(
        "We love the story behind Glow Skincare and its brand story. We read your blog post \
         too. For 2 reels we offer $1,250.",
    );
    assert_passes(&text, &plan);
    let text = email("For 2 reels and the story we offer $1,250.");
    assert_eq!(
        violations(&text, &plan),
        vec![Violation::UndeclaredDeliverable(D::InstagramStory)]
    );
}

#[test]
fn a_count_next_to_an_amount_is_not_a_deliverable_count() {
    let text = email("For the reels and the story we offer $1,250 reels included.");
    assert_passes(&text, &counter_plan());
}

// ---------------------------------------------------------------------------------------------
// check: length and reporting
// ---------------------------------------------------------------------------------------------

#[test]
fn a_too_short_email_fails() {
    let plan = plan_with(EmailKind::Counter, Some(dollars(1_250)), None);
    assert_eq!(
        violations("  $1,250 for all.  ", &plan),
        vec![Violation::TooShort]
    );
}

#[test]
fn every_violation_is_reported_once_in_the_order_checked() {
    let text = "Hi! $1,300 exclusive, $1,300 exclusive, 3 reels.";
    assert_eq!(
        violations(text, &counter_plan()),
        vec![
            unexpected(dollars(1_300), "$1,300"),
            Violation::MissingOurRate,
            Violation::QuantityMismatch {
                kind: D::InstagramReel,
                found: 3,
                expected: 2
            },
            Violation::ForbiddenPhrase("exclusive".to_owned()),
            Violation::TooShort,
        ]
    );
}

#[test]
fn the_failure_message_names_each_problem_for_a_person() {
    let failure = check(
        &email("For 3 reels and 1 story we offer $1,300, guaranteed."),
        &counter_plan(),
        &roomy(),
        &GatePolicy::default(),
    )
    .unwrap_err();
    let message = failure.to_string();
    for part in [
        "\"$1,300\" (read as $1,300.00)",
        "never states our rate",
        "3 x Instagram reel but the plan has 2",
        "\"guaranteed\"",
    ] {
        assert!(message.contains(part), "{part} not in {message}");
    }
}

#[test]
fn violations_serialise_with_a_tag() {
    let json = serde_json::to_value(Violation::AboveCeiling {
        found: dollars(2_000),
        ceiling: dollars(1_800),
    })
    .unwrap();
    assert_eq!(
        json,
        serde_json::json!({
            "violation": "above_ceiling",
            "detail": {"found": 200_000, "ceiling": 180_000}
        })
    );
}

// ---------------------------------------------------------------------------------------------
// find_deliverables
// ---------------------------------------------------------------------------------------------

fn mentions(text: &str, platform: Platform) -> Vec<(D, Option<u32>, &str)> {
    find_deliverables(text, platform)
        .into_iter()
        .map(|m| (m.kind, m.quantity, &text[m.span]))
        .collect()
}

#[test]
fn finds_labels_with_their_counts() {
    assert_eq!(
        mentions(
            "2 Instagram reels and 1 YouTube dedicated video",
            Platform::Instagram
        ),
        vec![
            (D::InstagramReel, Some(2), "Instagram reels"),
            (D::YoutubeDedicated, Some(1), "YouTube dedicated video"),
        ]
    );
    assert_eq!(
        mentions("3 TikTok stories, an IG Reel", Platform::Youtube),
        vec![
            (D::TiktokStory, Some(3), "TikTok stories"),
            (D::InstagramReel, None, "IG Reel"),
        ]
    );
}

#[test]
fn reads_counts_written_before_or_after() {
    for text in [
        "2 reels",
        "two reels",
        "2x reels",
        "2 x reel",
        "2 × reels",
        "reel x 2",
        "reels ×2",
        "reels (2)",
    ] {
        assert_eq!(
            mentions(text, Platform::Instagram)
                .into_iter()
                .map(|(kind, quantity, _)| (kind, quantity))
                .collect::<Vec<_>>(),
            vec![(D::InstagramReel, Some(2))],
            "{text}"
        );
    }
}

#[test]
fn shared_words_are_read_for_the_platform() {
    assert_eq!(
        mentions("2 stories", Platform::Instagram)[0].0,
        D::InstagramStory
    );
    assert_eq!(mentions("2 stories", Platform::Tiktok)[0].0, D::TiktokStory);
    assert_eq!(mentions("2 stories", Platform::Youtube), Vec::new());
    assert_eq!(mentions("a post", Platform::Tiktok)[0].0, D::TiktokVideo);
    assert_eq!(mentions("a video", Platform::Instagram), Vec::new());
    assert_eq!(mentions("a video", Platform::Tiktok)[0].0, D::TiktokVideo);
}

#[test]
fn verbs_and_adjectives_are_not_deliverables() {
    for text in [
        "once you post it",
        "we'll post the brief",
        "a short note",
        "in short",
        "post-production",
        "a storyboard",
    ] {
        assert_eq!(mentions(text, Platform::Instagram), Vec::new(), "{text}");
    }
}

#[test]
fn an_amount_before_a_deliverable_is_not_its_count() {
    assert_eq!(
        mentions("$500 reels", Platform::Instagram),
        vec![(D::InstagramReel, None, "reels")]
    );
    assert_eq!(
        mentions("1,500 reels", Platform::Instagram),
        vec![(D::InstagramReel, None, "reels")]
    );
}

#[test]
fn find_deliverables_reports_names_as_written() {
    // The classifier reads replies with it: a brand name is still reported there.
    assert_eq!(
        mentions("Reel Foods", Platform::Tiktok),
        vec![(D::InstagramReel, None, "Reel")]
    );
}

#[test]
fn an_amount_the_budget_does_not_allow_is_refused_whatever_the_plan_says() {
    // The plan's ceiling ($1,800) would allow $1,250, but only $1,000 of the budget is left.
    let tight = Budget {
        total: dollars(10_000),
        committed: dollars(9_000),
        max_deal: dollars(50_000),
    };
    let text = email(OUR_OFFER);
    let failure = check(&text, &counter_plan(), &tight, &GatePolicy::default()).unwrap_err();
    assert!(failure.violations.contains(&Violation::OverBudget {
        found: dollars(1_250),
        room: dollars(1_000),
    }));
    assert!(
        failure
            .to_string()
            .contains("more than the $1,000.00 the campaign's budget"),
        "{failure}"
    );
    // An absurd plan whose own ceiling came from absurd views still cannot pass the deal limit.
    let absurd = EmailPlan {
        our_rate: Some(dollars(300_000_000)),
        their_rate: None,
        ceiling_rate: dollars(400_000_000),
        ..counter_plan()
    };
    let text = email("For 2 reels and 1 story we can offer $300,000,000.00.");
    let failure = check(&text, &absurd, &roomy(), &GatePolicy::default()).unwrap_err();
    assert!(failure.violations.contains(&Violation::OverBudget {
        found: dollars(300_000_000),
        room: dollars(50_000),
    }));
}
