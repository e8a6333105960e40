//! The roster end to end: bad rows are skipped (never the whole service), a hostile address
//! never reaches a `To:`, and our emails copy only the influencer's named side.

use std::path::Path;
use std::sync::Arc;

use negotiator_adapters::config::Config;
use negotiator_adapters::local::LocalPaths;
use negotiator_adapters::roster::CsvRoster;
use negotiator_adapters::wiring;
use negotiator_agent::ports::notifier::NoticeKind;
use negotiator_agent::ports::roster::{Lookup, RosterProblem};
use negotiator_agent::workflows::ingest::ingest;
use negotiator_store::{Direction, MessageStatus, NewMessage, Store, insert_message, side_emails};
use negotiator_testkit::fixtures::ROSTER;
use negotiator_testkit::{Harness, campaign};

/// Two good rows around three bad ones: a smuggled second address, absurd views, no email.
const MIXED: &str = "\
name,email,platform,handle,average views,min rate,max rate,engagement rate
Jane Doe,jane@creator.example,instagram,@jane,50000,,,2.0%
Spy Row,\"x@creator.example>,<spy@evil.example\",instagram,@spy,50000,,,
Big Numbers,big@creator.example,instagram,@big,\"10,000,000,000,000\",,,
No Email,,instagram,@none,50000,,,
Raj Patel,raj@creator.example,instagram,@raj,40000,,,2.5%
";

fn write_roster(dir: &Path, text: &str) -> LocalPaths {
    let paths = LocalPaths::under(dir);
    std::fs::write(&paths.roster, text).unwrap();
    paths
}

fn rows_and_columns(problems: &[RosterProblem]) -> Vec<(usize, &'static str)> {
    problems
        .iter()
        .map(|p| match p {
            RosterProblem::Row(row) => (row.row, row.column),
            RosterProblem::Unusable(reason) => panic!("unexpected: {reason}"),
        })
        .collect()
}

#[tokio::test]
async fn the_wiring_starts_on_a_roster_with_bad_rows_and_names_each_by_row_and_column() {
    let dir = tempfile::tempdir().unwrap();
    write_roster(dir.path(), MIXED);
    let store = Store::open(&dir.path().join("n.db")).await.unwrap();
    let mut config = Config::default();
    config.local.data_dir = dir.path().to_owned();

    // The same wiring `negotiator serve` and `run` use.
    let adapters = wiring::adapters(&config, &store, false).unwrap();
    let roster = adapters.roster;
    assert_eq!(
        rows_and_columns(&roster.problems()),
        [(3, "email"), (4, "average views"), (5, "email")]
    );
    assert!(
        roster
            .describe()
            .contains("2 influencers, 3 row(s) skipped")
    );
    assert!(matches!(
        roster.find("raj patel").await.unwrap(),
        Lookup::Found(_)
    ));
    match roster.find("Big Numbers").await.unwrap() {
        Lookup::Unusable(problem) => {
            let text = problem.to_string();
            assert!(
                text.contains("row 4") && text.contains("\"average views\""),
                "{text}"
            );
            assert!(text.contains("more than 1,000,000,000"), "{text}");
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(roster.find("Nobody").await.unwrap(), Lookup::NotInRoster);

    // `negotiator doctor` lists every skipped row.
    let checks = wiring::doctor(&config).await;
    let check = checks
        .iter()
        .find(|c| c.what == "roster (local CSV)")
        .unwrap();
    assert!(!check.ok);
    for wanted in [
        "2 usable influencer(s)",
        "3 row(s)",
        "row 3",
        "row 4",
        "row 5",
    ] {
        assert!(check.detail.contains(wanted), "{wanted}: {}", check.detail);
    }
}

#[tokio::test]
async fn a_roster_without_its_columns_still_starts_and_every_lookup_says_why() {
    let dir = tempfile::tempdir().unwrap();
    let paths = write_roster(dir.path(), "Name,Email\nJane,jane@x.com\n");
    let adapters = paths.adapters(false).unwrap();
    let error = adapters.roster.find("Jane").await.unwrap_err().to_string();
    assert!(
        error.contains("\"platform\"") && error.contains("Average Views"),
        "{error}"
    );
    match adapters.roster.problems().as_slice() {
        [RosterProblem::Unusable(reason)] => assert!(reason.contains("platform"), "{reason}"),
        other => panic!("{other:?}"),
    }
    assert!(adapters.roster.describe().contains("cannot be used"));

    // A campaign then fails as a whole, with that reason; nothing is half-started.
    let store = Store::open(&dir.path().join("n.db")).await.unwrap();
    let agent = negotiator_agent::Agent::new(
        store,
        adapters,
        negotiator_agent::Settings::demo(),
        Arc::new(negotiator_agent::ports::clock::SystemClock),
    );
    let error = ingest(&agent, &campaign("glow", "auto", "Jane"), "file")
        .await
        .unwrap_err()
        .to_string();
    assert!(error.contains("platform"), "{error}");
}

#[tokio::test]
async fn a_hostile_roster_row_is_skipped_by_name_and_never_reaches_a_to() {
    let mut h = Harness::with(|mut adapters| {
        adapters.roster = Arc::new(CsvRoster::parse(Path::new("roster.csv"), MIXED).unwrap());
        adapters
    })
    .await;
    let done = ingest(
        &h.agent,
        &campaign("glow", "auto", "Jane Doe, Spy Row, Big Numbers"),
        "file",
    )
    .await
    .unwrap()
    .started()
    .unwrap();
    assert_eq!(done.started.len(), 1);
    let spy = done
        .skipped
        .iter()
        .find(|(name, _)| name == "Spy Row")
        .unwrap();
    for wanted in ["row 3", "\"email\"", "has two addresses"] {
        assert!(spy.1.contains(wanted), "{wanted}: {}", spy.1);
    }
    h.run().await;

    let outbox = h.outbox();
    assert_eq!(outbox.len(), 1);
    for email in &outbox {
        let to: Vec<&str> = email.to.iter().map(|m| m.address.as_str()).collect();
        assert_eq!(to, ["jane@creator.example"]);
        assert!(email.cc.is_empty());
    }
    let skipped = h.notices_of(NoticeKind::InfluencerMissing);
    assert_eq!(skipped.len(), 1);
    let listed = &skipped[0].sections[0];
    assert!(
        listed.contains("Spy Row") && listed.contains("Big Numbers"),
        "{listed}"
    );
}

#[tokio::test]
async fn an_address_damaged_in_the_database_is_refused_before_the_mailbox() {
    let mut h = Harness::new().await;
    h.start_campaign("auto", "Jane Doe").await;
    // A row written before addresses were parsed, or edited by hand.
    sqlx::query("UPDATE negotiations SET influencer_email = ?")
        .bind("jane@creator.example>,<spy@evil.example")
        .execute(h.agent.store.pool())
        .await
        .unwrap();
    let lines = h.run().await;
    assert!(h.outbox().is_empty(), "{:?}", h.outbox());
    assert!(
        lines.iter().any(|l| l.contains("has two addresses")),
        "{lines:?}"
    );
}

#[tokio::test]
async fn our_emails_copy_the_named_side_who_wrote_and_nobody_else() {
    let roster = format!(
        "{}Zoe Named,zoe@creator.example,instagram,@zoe,50000,,,,sam@talent.example,\n",
        ROSTER
            .replacen(
                "engagement rate",
                "engagement rate,manager email,assistant email",
                1
            )
            .replace("%\n", "%,,\n")
    );
    let mut h = Harness::with(|mut adapters| {
        adapters.roster = Arc::new(CsvRoster::parse(Path::new("roster.csv"), &roster).unwrap());
        adapters
    })
    .await;
    h.start_campaign("auto", "Zoe Named").await;
    h.run().await;
    let zoe = h.negotiation("Zoe Named").await;
    let side = side_emails(h.agent.store.db(), zoe.row.negotiation_id)
        .await
        .unwrap();
    assert_eq!(side.len(), 1);
    assert_eq!(side[0].as_str(), "sam@talent.example");
    let opening = &h.outbox_to("zoe@creator.example")[0];
    assert!(opening.cc.is_empty(), "nobody else has written yet");

    // Someone outside the named side writes in the thread (stored as it would be taken in),
    // then the named manager answers with a counter.
    let mut conn = h.agent.store.write().await.unwrap();
    insert_message(
        &mut conn,
        &NewMessage {
            negotiation_id: zoe.row.negotiation_id,
            direction: Direction::Received,
            rfc_message_id: Some("stranger-1@elsewhere.example".to_owned()),
            thread_id: zoe.row.thread_id.clone(),
            from_addr: "stranger@elsewhere.example".to_owned(),
            to_addr: h.agent.settings.agent_address.clone(),
            subject: "Re: collaboration".to_owned(),
            body: "Put me on copy please.".to_owned(),
            status: MessageStatus::Received,
            metadata: serde_json::Map::new(),
            occurred_at: h.agent.now(),
            for_step: None,
        },
    )
    .await
    .unwrap();
    drop(conn);
    h.advance(5);
    h.reply(
        "Zoe Named",
        "Sam@Talent.example",
        "Thanks! Her rate for a reel is $1,450.",
    )
    .await;
    h.run().await;

    let emails = h.outbox_to("zoe@creator.example");
    assert_eq!(emails.len(), 2, "{emails:?}");
    let counter = &emails[1];
    let cc: Vec<&str> = counter.cc.iter().map(|m| m.address.as_str()).collect();
    assert_eq!(cc, ["sam@talent.example"]);
    let to: Vec<&str> = counter.to.iter().map(|m| m.address.as_str()).collect();
    assert_eq!(to, ["zoe@creator.example"]);
}
