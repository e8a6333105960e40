//! The roster contract: a name is found ignoring case and spacing, with every column read the
//! same way; a name not in the roster is `NotInRoster`; a row with a bad value is `Unusable`
//! with its row and column; `problems()` lists the skipped rows once the roster is read.

use std::future::Future;

use negotiator_agent::ports::roster::{Influencer, Lookup, Roster, RosterProblem};
use negotiator_domain::{EmailAddress, Money, Platform};

use super::runner::{Case, run_cases};

/// A roster to hold to the contract, serving [`ROWS`].
pub struct RosterSubject {
    pub roster: Box<dyn Roster>,
    pub caps: RosterCaps,
    /// Whatever the roster needs kept alive (a fake, a temp dir).
    pub keep: Box<dyn std::any::Any + Send + Sync>,
}

/// Where rosters legitimately differ.
#[derive(Clone, Copy, Debug)]
pub struct RosterCaps {
    /// Read on the first lookup (a sheet), not when built (a file): until then `problems()`
    /// knows nothing.
    pub reads_on_demand: bool,
}

/// The rows every roster under test serves, header first (row 1), as a person typed them.
pub const ROWS: &[&[&str]] = &[
    &[
        "Name",
        "Email",
        "Platform",
        "Handle",
        "Average Views",
        "Min Rate",
        "Max Rate",
        "Engagement Rate",
        "Manager Email",
    ],
    &[
        "Jane Doe",
        "Jane@Creator.example",
        "Instagram",
        "@jane",
        "50,000",
        "$1,500",
        "$2,000.00",
        "2.5%",
        "sam@talent.example",
    ],
    &[
        "Raj Patel",
        "raj@creator.example",
        "youtube",
        "@raj",
        "120000",
        "",
        "",
        "",
        "",
    ],
    &[
        "Bad Views",
        "bad@creator.example",
        "tiktok",
        "@bad",
        "lots",
        "",
        "",
        "",
        "",
    ],
    &[
        "Two Addresses",
        "x@creator.example>,<spy@evil.example",
        "instagram",
        "@two",
        "1000",
        "",
        "",
        "",
        "",
    ],
    &[
        "Mia Chen",
        "mia@creator.example",
        "TikTok",
        "@mia",
        "60000",
        "",
        "",
        "1.5%",
        "",
    ],
];

/// The rows that cannot be used: (row as the sheet numbers it, column, name).
const SKIPPED: &[(usize, &str, &str)] = &[
    (4, "average views", "Bad Views"),
    (5, "email", "Two Addresses"),
];

/// Runs every case, each on a fresh subject from `make`, which is given [`ROWS`] to serve.
pub async fn run<F, Fut>(make: F)
where
    F: Fn(&'static [&'static [&'static str]]) -> Fut,
    Fut: Future<Output = RosterSubject>,
{
    let cases: &[Case<RosterSubject>] = &[
        Case {
            name: "a name is found ignoring case and spacing",
            run: |s| Box::pin(a_name_is_found_ignoring_case_and_spacing(s)),
        },
        Case {
            name: "a name not in the roster is NotInRoster",
            run: |s| Box::pin(a_name_not_in_the_roster_is_not_in_roster(s)),
        },
        Case {
            name: "a row with a bad value is Unusable, naming its row and column",
            run: |s| Box::pin(a_bad_row_is_unusable_with_its_row_and_column(s)),
        },
        Case {
            name: "problems() lists the skipped rows once read",
            run: |s| Box::pin(problems_list_the_skipped_rows(s)),
        },
        Case {
            name: "describe says where the roster is",
            run: |s| Box::pin(describe_is_not_empty(s)),
        },
    ];
    run_cases("Roster", cases, || make(ROWS), |s| s.roster.describe()).await;
}

async fn find(s: &RosterSubject, name: &str) -> Lookup {
    s.roster
        .find(name)
        .await
        .unwrap_or_else(|e| panic!("find({name:?}) failed: {e}"))
}

fn email(address: &str) -> EmailAddress {
    EmailAddress::parse(address).unwrap()
}

pub async fn a_name_is_found_ignoring_case_and_spacing(s: RosterSubject) {
    let jane = Influencer {
        name: "Jane Doe".to_owned(),
        email: email("jane@creator.example"),
        platform: Platform::Instagram,
        handle: "@jane".to_owned(),
        average_views: 50_000,
        min_rate: Some(Money::from_dollars(1_500)),
        max_rate: Some(Money::from_dollars(2_000)),
        engagement_pct: Some("2.5".parse().unwrap()),
        manager_email: Some(email("sam@talent.example")),
        assistant_email: None,
        time_zone: None,
    };
    for asked in ["Jane Doe", "  jane   DOE ", "JANE DOE"] {
        assert_eq!(
            find(&s, asked).await,
            Lookup::Found(jane.clone()),
            "find({asked:?})"
        );
    }
    match find(&s, "mia chen").await {
        Lookup::Found(mia) => assert_eq!(
            (
                mia.platform,
                mia.average_views,
                mia.min_rate,
                mia.engagement_pct
            ),
            (Platform::Tiktok, 60_000, None, Some("1.5".parse().unwrap())),
            "Mia Chen's row"
        ),
        other => panic!("find(\"mia chen\") = {other:?}"),
    }
}

/// Only a whole name matches: a part of one is somebody else.
pub async fn a_name_not_in_the_roster_is_not_in_roster(s: RosterSubject) {
    for asked in ["Nobody Here", "Jane", "Jane Doe Smith", ""] {
        assert_eq!(
            find(&s, asked).await,
            Lookup::NotInRoster,
            "find({asked:?})"
        );
    }
}

pub async fn a_bad_row_is_unusable_with_its_row_and_column(s: RosterSubject) {
    for &(row, column, name) in SKIPPED {
        match find(&s, &name.to_lowercase()).await {
            Lookup::Unusable(problem) => {
                assert_eq!(
                    (problem.row, problem.column, problem.name.as_deref()),
                    (row, column, Some(name)),
                    "find({name:?}): {problem}"
                );
                assert!(
                    !problem.problem.trim().is_empty(),
                    "find({name:?}) says nothing of why"
                );
                assert!(
                    !problem.roster.trim().is_empty(),
                    "find({name:?}) says not which roster"
                );
            }
            other => panic!("find({name:?}) = {other:?}, not Unusable"),
        }
    }
}

fn skipped_rows(problems: &[RosterProblem]) -> Vec<(usize, &'static str)> {
    problems
        .iter()
        .map(|p| match p {
            RosterProblem::Row(row) => (row.row, row.column),
            RosterProblem::Unusable(why) => panic!("the whole roster is unusable: {why}"),
        })
        .collect()
}

pub async fn problems_list_the_skipped_rows(s: RosterSubject) {
    let expected: Vec<(usize, &str)> = SKIPPED
        .iter()
        .map(|&(row, column, _)| (row, column))
        .collect();
    let before = skipped_rows(&s.roster.problems());
    if s.caps.reads_on_demand {
        assert_eq!(before, [], "problems() before the roster was read");
    } else {
        assert_eq!(before, expected, "problems() of a roster read when built");
    }
    find(&s, "Raj Patel").await;
    assert_eq!(
        skipped_rows(&s.roster.problems()),
        expected,
        "problems() after a lookup"
    );
}

pub async fn describe_is_not_empty(s: RosterSubject) {
    assert!(
        !s.roster.describe().trim().is_empty(),
        "describe() is empty"
    );
}
