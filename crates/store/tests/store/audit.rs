//! The audit trail: the group-commit writer, transactional inserts and filtered queries.

use std::collections::BTreeSet;
use std::sync::Arc;

use negotiator_store::{
    AuditEntry, AuditFilter, AuditStream, DEFAULT_AUDIT_LIMIT, Direction, EventType, NewAuditEntry,
    Store, StoreError, insert_audit, insert_audits,
};
use serde_json::json;

use crate::common::{at, db_path, open_temp};

fn filter() -> AuditFilter {
    AuditFilter::default()
}

fn ids(entries: &[AuditEntry]) -> Vec<i64> {
    entries.iter().map(|e| e.audit_id).collect()
}

/// Reads `stream` to its end, failing the test on an error.
async fn drain(mut stream: AuditStream) -> Vec<AuditEntry> {
    let mut entries = Vec::new();
    while let Some(entry) = stream.next().await {
        entries.push(entry.unwrap());
    }
    entries
}

/// Writes `entries` one by one with `insert_audit` (committed), returning their ids in order.
/// Writes `entries` as a workflow step does: together, in one transaction of their own.
async fn record(store: &Store, entries: &[NewAuditEntry]) -> Result<(), StoreError> {
    let mut tx = store.begin_write().await?;
    insert_audits(&mut tx, entries).await?;
    tx.commit().await?;
    Ok(())
}

async fn insert_all(store: &Store, entries: &[NewAuditEntry]) -> Vec<i64> {
    let mut tx = store.begin_write().await.unwrap();
    let mut ids = Vec::new();
    for entry in entries {
        ids.push(insert_audit(&mut tx, entry).await.unwrap());
    }
    tx.commit().await.unwrap();
    ids
}

#[tokio::test]
async fn concurrent_records_are_all_committed_before_their_callers_continue() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&db_path(&dir)).await.unwrap();
    // A second, independent handle on the file sees only what was committed.
    let observer = Arc::new(Store::open(&db_path(&dir)).await.unwrap());

    const TASKS: usize = 64;
    const PER_TASK: usize = 20;
    let mut handles = Vec::new();
    for task in 0..TASKS {
        let store = store.clone();
        let observer = Arc::clone(&observer);
        handles.push(tokio::spawn(async move {
            for i in 0..PER_TASK {
                let thread = format!("thread-{task}-{i}");
                let entry = NewAuditEntry::new(at(i as i64), EventType::EmailSent)
                    .influencer(format!("Influencer {task}"))
                    .thread(thread.clone())
                    .meta("task", task)
                    .meta("i", i);
                record(&store, &[entry]).await.unwrap();
                // The entry is committed by the time `record` returns.
                let seen = observer
                    .count_audit_entries(&AuditFilter {
                        thread: Some(thread.clone()),
                        ..AuditFilter::default()
                    })
                    .await
                    .unwrap();
                assert_eq!(seen, 1, "{thread} not visible after record returned");
            }
        }));
    }
    for handle in handles {
        handle.await.unwrap();
    }

    let total = store.count_audit_entries(&filter()).await.unwrap();
    assert_eq!(total, (TASKS * PER_TASK) as u64);
    let rows: Vec<(i64, i64)> = sqlx::query_as(
        "SELECT metadata ->> 'task', metadata ->> 'i' FROM audit_log ORDER BY audit_id",
    )
    .fetch_all(store.pool())
    .await
    .unwrap();
    let distinct: BTreeSet<_> = rows.iter().copied().collect();
    assert_eq!(distinct.len(), TASKS * PER_TASK);
    // Each task's entries were written in the order it recorded them.
    for task in 0..TASKS as i64 {
        let order: Vec<i64> = rows
            .iter()
            .filter(|(t, _)| *t == task)
            .map(|(_, i)| *i)
            .collect();
        assert_eq!(order, (0..PER_TASK as i64).collect::<Vec<_>>());
    }
}

#[tokio::test]
async fn recorded_entries_survive_closing_and_reopening() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&db_path(&dir)).await.unwrap();
    let entry = NewAuditEntry::new(at(5), EventType::Agreement)
        .influencer("Jane Doe")
        .campaign("glow-spring")
        .meta("rate_cents", 150_000);
    record(&store, std::slice::from_ref(&entry)).await.unwrap();
    store.close().await;
    drop(store);

    let store = Store::open(&db_path(&dir)).await.unwrap();
    let entries = store.audit_entries(&filter()).await.unwrap();
    assert_eq!(entries.len(), 1);
    assert_eq!(entries[0].metadata, entry.metadata);
}

#[tokio::test]
async fn a_write_after_close_fails_instead_of_hanging() {
    let (_dir, store) = open_temp().await;
    store.close().await;
    let error = record(&store, &[NewAuditEntry::new(at(0), EventType::Error)])
        .await
        .unwrap_err();
    assert!(error.to_string().contains("closed"), "{error}");
}

#[tokio::test]
async fn reading_after_close_fails_with_a_clear_error() {
    let (_dir, store) = open_temp().await;
    sample(&store).await;
    store.close().await;
    let error = store.audit_entries(&filter()).await.unwrap_err();
    assert!(
        matches!(error, StoreError::Closed),
        "expected Closed, got {error:?}"
    );
    assert!(error.to_string().contains("reopen"), "{error}");
    let mut stream = store.audit_stream(&filter(), None);
    let error = stream.next().await.unwrap().unwrap_err();
    assert!(
        matches!(error, StoreError::Closed),
        "expected Closed, got {error:?}"
    );
    assert!(
        stream.next().await.is_none(),
        "the stream ends after its error"
    );
}

#[tokio::test]
async fn an_undecodable_stored_value_names_its_column() {
    let (_dir, store) = open_temp().await;
    sample(&store).await;
    sqlx::query("UPDATE audit_log SET event_type = 'teleported' WHERE audit_id = 4")
        .execute(store.pool())
        .await
        .unwrap();
    let error = store.audit_entries(&filter()).await.unwrap_err();
    assert!(
        matches!(
            error,
            StoreError::CorruptValue {
                table: "audit_log",
                column: "event_type",
                ..
            }
        ),
        "expected CorruptValue, got {error:?}"
    );
    // A stream hands over the entries before the bad one, then the error.
    let mut stream = store.audit_stream(&filter(), None);
    let mut before = Vec::new();
    let error = loop {
        match stream.next().await.unwrap() {
            Ok(entry) => before.push(entry.audit_id),
            Err(error) => break error,
        }
    };
    assert!(
        matches!(error, StoreError::CorruptValue { .. }),
        "{error:?}"
    );
    assert_eq!(before, [8, 7, 5]);
    assert!(stream.next().await.is_none());
    // The other rows are still readable on their own.
    let bob = AuditFilter {
        influencer: Some("Bob".to_owned()),
        ..filter()
    };
    assert_eq!(ids(&store.audit_entries(&bob).await.unwrap()), [8, 6]);
}

#[tokio::test]
async fn overlapping_reads_each_get_the_right_page() {
    let (_dir, store) = open_temp().await;
    sample(&store).await;
    let filters = [
        (filter(), vec![8, 7, 5, 4, 6, 3, 2, 1]),
        (
            AuditFilter {
                influencer: Some("jane doe".to_owned()),
                ..filter()
            },
            vec![4, 3, 2, 1],
        ),
        (
            AuditFilter {
                campaign: Some("c2".to_owned()),
                ..filter()
            },
            vec![8, 4],
        ),
        (
            AuditFilter {
                from: Some(at(200)),
                to: Some(at(400)),
                ..filter()
            },
            vec![4, 6, 3, 2],
        ),
    ];
    // More reads at once than the reader keeps connections for.
    let reads = (0..32).map(|i| {
        let store = store.clone();
        let (f, expected) = filters[i % filters.len()].clone();
        tokio::spawn(async move { (store.audit_entries(&f).await.unwrap(), expected) })
    });
    for read in reads.collect::<Vec<_>>() {
        let (page, expected) = read.await.unwrap();
        assert_eq!(ids(&page), expected);
    }
}

#[tokio::test]
async fn insert_audit_commits_and_rolls_back_with_its_transaction() {
    let (_dir, store) = open_temp().await;

    let mut tx = store.begin_write().await.unwrap();
    let id = insert_audit(&mut tx, &NewAuditEntry::new(at(1), EventType::EmailSent))
        .await
        .unwrap();
    assert!(id > 0);
    drop(tx); // rolls back
    let mut tx = store.begin_write().await.unwrap();
    insert_audit(&mut tx, &NewAuditEntry::new(at(2), EventType::Escalation))
        .await
        .unwrap();
    tx.rollback().await.unwrap();
    assert_eq!(store.count_audit_entries(&filter()).await.unwrap(), 0);
    assert!(store.audit_entries(&filter()).await.unwrap().is_empty());

    let mut tx = store.begin_write().await.unwrap();
    let id = insert_audit(&mut tx, &NewAuditEntry::new(at(3), EventType::Takeover))
        .await
        .unwrap();
    tx.commit().await.unwrap();
    let entries = store.audit_entries(&filter()).await.unwrap();
    assert_eq!(ids(&entries), [id]);
    assert_eq!(entries[0].event_type, EventType::Takeover);
    assert_eq!(entries[0].occurred_at, at(3));
}

/// Every field, awkward text and a nested metadata document.
fn full_entry(body: &str) -> NewAuditEntry {
    NewAuditEntry::new(at(42), EventType::EmailReceived)
        .campaign("12345")
        .influencer("Zoë O'Brien")
        .thread("thread-<abc@mail>")
        .direction(Direction::Received)
        .email_body(body)
        .negotiation_state("countered")
        .rates_used("$1,500.00 / $1,800.00")
        .intent("counter_offer")
        .meta("rate_cents", 180_000)
        .meta("big", i64::MAX)
        .meta("ratio", 0.125)
        .meta("accepted", false)
        .meta("missing", serde_json::Value::Null)
        .meta("quote", "she said \"no\"\n\tthen \\ \u{1F600}")
        .meta(
            "nested",
            json!({"levers": ["usage_rights", "exclusivity"], "round": {"n": 2}}),
        )
        .meta("numeric_text", "007")
}

const AWKWARD_BODY: &str =
    "Hi!\r\nThanks for \"the\" offer, 'really'.\n\nCan we do $1,800? \u{1F4B8} — Zoë\n\\end";

fn assert_same(stored: &AuditEntry, entry: &NewAuditEntry) {
    assert_eq!(stored.occurred_at, entry.occurred_at);
    assert_eq!(stored.event_type, entry.event_type);
    assert_eq!(stored.campaign_id, entry.campaign_id);
    assert_eq!(stored.influencer_name, entry.influencer_name);
    assert_eq!(stored.thread_id, entry.thread_id);
    assert_eq!(stored.direction, entry.direction);
    assert_eq!(stored.email_body, entry.email_body);
    assert_eq!(stored.negotiation_state, entry.negotiation_state);
    assert_eq!(stored.rates_used, entry.rates_used);
    assert_eq!(stored.intent, entry.intent);
    assert_eq!(stored.metadata, entry.metadata);
}

#[tokio::test]
async fn every_field_round_trips_through_insert_audit() {
    let (_dir, store) = open_temp().await;
    let entry = full_entry(AWKWARD_BODY);
    insert_all(&store, std::slice::from_ref(&entry)).await;
    let stored = store.audit_entries(&filter()).await.unwrap();
    assert_same(&stored[0], &entry);
}

#[tokio::test]
async fn every_field_round_trips_through_the_batch_insert() {
    let (_dir, store) = open_temp().await;
    let entry = full_entry(AWKWARD_BODY);
    let empty = NewAuditEntry::new(at(41), EventType::Error);
    record(&store, &[entry.clone(), empty.clone()])
        .await
        .unwrap();
    let stored = store.audit_entries(&filter()).await.unwrap();
    assert_eq!(stored.len(), 2);
    assert_same(&stored[0], &entry);
    assert_same(&stored[1], &empty);
    assert!(stored[1].metadata.is_empty());
}

#[tokio::test]
async fn both_write_paths_store_a_nul_character_intact() {
    let (_dir, store) = open_temp().await;
    let entry = NewAuditEntry::new(at(0), EventType::EmailReceived)
        .email_body("before\u{0}after")
        .meta("k", "x\u{0}y");
    insert_all(&store, std::slice::from_ref(&entry)).await;
    record(&store, std::slice::from_ref(&entry)).await.unwrap();
    for stored in store.audit_entries(&filter()).await.unwrap() {
        assert_same(&stored, &entry);
    }
}

/// A small trail with known shape:
/// ids 1..=3 Jane Doe / c1 at t=100,200,200 (a tie), id 4 JANE DOE / c2 at t=300,
/// id 5 Jane Doe Smith / c1 at t=400, id 6 Bob / c1 at t=200, id 7 no influencer / c1 at t=500,
/// id 8 Bob / c2 thread-b at t=600 (escalation).
async fn sample(store: &Store) -> Vec<i64> {
    let entries = [
        NewAuditEntry::new(at(100), EventType::EmailSent)
            .influencer("Jane Doe")
            .campaign("c1")
            .thread("thread-a"),
        NewAuditEntry::new(at(200), EventType::EmailReceived)
            .influencer("Jane Doe")
            .campaign("c1")
            .thread("thread-a"),
        NewAuditEntry::new(at(200), EventType::StateTransition)
            .influencer("Jane Doe")
            .campaign("c1")
            .thread("thread-a"),
        NewAuditEntry::new(at(300), EventType::EmailSent)
            .influencer("JANE DOE")
            .campaign("c2"),
        NewAuditEntry::new(at(400), EventType::EmailSent)
            .influencer("Jane Doe Smith")
            .campaign("c1"),
        NewAuditEntry::new(at(200), EventType::EmailSent)
            .influencer("Bob")
            .campaign("c1"),
        NewAuditEntry::new(at(500), EventType::CampaignInfluencerSkip).campaign("c1"),
        NewAuditEntry::new(at(600), EventType::Escalation)
            .influencer("Bob")
            .campaign("c2")
            .thread("thread-b"),
    ];
    let ids = insert_all(store, &entries).await;
    assert_eq!(ids, (1..=8).collect::<Vec<_>>());
    ids
}

/// Runs `f` as a page query, as a stream and as a count, checking all three.
async fn check(store: &Store, f: AuditFilter, expected: &[i64]) {
    let page = store.audit_entries(&f).await.unwrap();
    assert_eq!(ids(&page), expected, "page for {f:?}");
    let streamed = drain(store.audit_stream(&f, None)).await;
    assert_eq!(ids(&streamed), expected, "stream for {f:?}");
    let count = store.count_audit_entries(&f).await.unwrap();
    assert_eq!(count, expected.len() as u64, "count for {f:?}");
}

#[tokio::test]
async fn newest_first_with_ties_broken_by_latest_written() {
    let (_dir, store) = open_temp().await;
    sample(&store).await;
    // t: 8=600, 7=500, 5=400, 4=300, {6,3,2}=200, 1=100.
    check(&store, filter(), &[8, 7, 5, 4, 6, 3, 2, 1]).await;
}

#[tokio::test]
async fn influencer_is_an_exact_case_insensitive_match() {
    let (_dir, store) = open_temp().await;
    sample(&store).await;
    for name in ["Jane Doe", "jane doe", "JANE DOE", "jAnE dOe"] {
        let f = AuditFilter {
            influencer: Some(name.to_owned()),
            ..filter()
        };
        check(&store, f, &[4, 3, 2, 1]).await;
    }
    for name in ["Jane", "Jane Doe ", "%", "Jane_Doe"] {
        let f = AuditFilter {
            influencer: Some(name.to_owned()),
            ..filter()
        };
        check(&store, f, &[]).await;
    }
}

#[tokio::test]
async fn campaign_thread_and_event_type_filters() {
    let (_dir, store) = open_temp().await;
    sample(&store).await;
    let campaign = |c: &str| AuditFilter {
        campaign: Some(c.to_owned()),
        ..filter()
    };
    check(&store, campaign("c1"), &[7, 5, 6, 3, 2, 1]).await;
    check(&store, campaign("c2"), &[8, 4]).await;
    // CampaignRow ids are exact, case included.
    check(&store, campaign("C1"), &[]).await;

    let thread = AuditFilter {
        thread: Some("thread-a".to_owned()),
        ..filter()
    };
    check(&store, thread.clone(), &[3, 2, 1]).await;
    let thread_and_type = AuditFilter {
        event_type: Some(EventType::EmailSent),
        ..thread.clone()
    };
    check(&store, thread_and_type, &[1]).await;
    let thread_and_influencer = AuditFilter {
        influencer: Some("jane DOE".to_owned()),
        ..thread.clone()
    };
    check(&store, thread_and_influencer, &[3, 2, 1]).await;
    let thread_and_other_campaign = AuditFilter {
        campaign: Some("c2".to_owned()),
        ..thread
    };
    check(&store, thread_and_other_campaign, &[]).await;

    let sent = AuditFilter {
        event_type: Some(EventType::EmailSent),
        ..filter()
    };
    check(&store, sent.clone(), &[5, 4, 6, 1]).await;
    let sent_in_c1 = AuditFilter {
        campaign: Some("c1".to_owned()),
        ..sent.clone()
    };
    check(&store, sent_in_c1, &[5, 6, 1]).await;
    let jane_in_c2 = AuditFilter {
        influencer: Some("jane doe".to_owned()),
        campaign: Some("c2".to_owned()),
        ..filter()
    };
    check(&store, jane_in_c2, &[4]).await;
    let bob_escalations = AuditFilter {
        influencer: Some("bob".to_owned()),
        event_type: Some(EventType::Escalation),
        ..filter()
    };
    check(&store, bob_escalations, &[8]).await;
}

#[tokio::test]
async fn time_range_is_from_inclusive_to_exclusive() {
    let (_dir, store) = open_temp().await;
    sample(&store).await;
    let range = |from: Option<i64>, to: Option<i64>| AuditFilter {
        from: from.map(at),
        to: to.map(at),
        ..filter()
    };
    check(&store, range(Some(200), Some(400)), &[4, 6, 3, 2]).await;
    check(&store, range(Some(201), Some(400)), &[4]).await;
    check(&store, range(Some(200), Some(200)), &[]).await;
    check(&store, range(Some(200), Some(201)), &[6, 3, 2]).await;
    check(&store, range(Some(500), None), &[8, 7]).await;
    check(&store, range(None, Some(200)), &[1]).await;
    check(&store, range(Some(700), None), &[]).await;
    // A range combined with each driving filter.
    let jane = AuditFilter {
        influencer: Some("Jane Doe".to_owned()),
        ..range(Some(200), Some(300))
    };
    check(&store, jane, &[3, 2]).await;
    let c1 = AuditFilter {
        campaign: Some("c1".to_owned()),
        ..range(Some(150), Some(450))
    };
    check(&store, c1, &[5, 6, 3, 2]).await;
    let thread = AuditFilter {
        thread: Some("thread-a".to_owned()),
        ..range(None, Some(200))
    };
    check(&store, thread, &[1]).await;
    let escalations = AuditFilter {
        event_type: Some(EventType::Escalation),
        ..range(Some(0), Some(600))
    };
    check(&store, escalations, &[]).await;
}

#[tokio::test]
async fn limit_cuts_the_page_but_not_the_count() {
    let (_dir, store) = open_temp().await;
    sample(&store).await;
    let f = AuditFilter {
        limit: 3,
        ..filter()
    };
    assert_eq!(ids(&store.audit_entries(&f).await.unwrap()), [8, 7, 5]);
    assert_eq!(store.count_audit_entries(&f).await.unwrap(), 8);
    let jane = AuditFilter {
        influencer: Some("jane doe".to_owned()),
        limit: 2,
        ..filter()
    };
    assert_eq!(ids(&store.audit_entries(&jane).await.unwrap()), [4, 3]);
    assert_eq!(store.count_audit_entries(&jane).await.unwrap(), 4);
    let none = AuditFilter {
        limit: 0,
        ..filter()
    };
    assert!(store.audit_entries(&none).await.unwrap().is_empty());
}

#[tokio::test]
async fn a_stream_is_capped_by_its_own_limit_only() {
    let (_dir, store) = open_temp().await;
    sample(&store).await;
    let page_of_two = AuditFilter {
        limit: 2,
        ..filter()
    };
    let all = drain(store.audit_stream(&page_of_two, None)).await;
    assert_eq!(ids(&all), [8, 7, 5, 4, 6, 3, 2, 1]);
    let three = drain(store.audit_stream(&page_of_two, Some(3))).await;
    assert_eq!(ids(&three), [8, 7, 5]);
    let jane = AuditFilter {
        influencer: Some("jane doe".to_owned()),
        ..filter()
    };
    assert_eq!(
        ids(&drain(store.audit_stream(&jane, Some(2))).await),
        [4, 3]
    );
    assert!(drain(store.audit_stream(&jane, Some(0))).await.is_empty());
}

#[tokio::test]
async fn a_stream_hands_over_every_entry_past_the_default_page() {
    let (_dir, store) = open_temp().await;
    // More entries than the stream's reader may get ahead of its consumer.
    let entries: Vec<_> = (0..2_000)
        .map(|i| {
            let who = if i % 4 == 0 { "Bob" } else { "Jane" };
            NewAuditEntry::new(at(i), EventType::FollowUp).influencer(who)
        })
        .collect();
    insert_all(&store, &entries).await;

    let all = drain(store.audit_stream(&filter(), None)).await;
    assert_eq!(all.len(), 2_000);
    assert!(all.len() > DEFAULT_AUDIT_LIMIT as usize);
    let times: Vec<_> = all.iter().map(|e| e.occurred_at).collect();
    assert_eq!(times, (0..2_000).rev().map(at).collect::<Vec<_>>());
    let bob = AuditFilter {
        influencer: Some("bob".to_owned()),
        ..filter()
    };
    let bobs = drain(store.audit_stream(&bob, None)).await;
    assert_eq!(bobs.len(), 500);
    assert!(
        bobs.iter()
            .all(|e| e.influencer_name.as_deref() == Some("Bob"))
    );

    // A stream dropped half-way stops its reader; the store reads on.
    let mut partial = store.audit_stream(&filter(), None);
    assert_eq!(
        partial.next().await.unwrap().unwrap().occurred_at,
        at(1_999)
    );
    drop(partial);
    assert_eq!(store.count_audit_entries(&filter()).await.unwrap(), 2_000);
}

#[tokio::test]
async fn the_default_page_is_the_newest_fifty() {
    let (_dir, store) = open_temp().await;
    let entries: Vec<_> = (0..120)
        .map(|i| NewAuditEntry::new(at(i), EventType::FollowUp).influencer("Jane"))
        .collect();
    insert_all(&store, &entries).await;
    let page = store.audit_entries(&filter()).await.unwrap();
    assert_eq!(page.len(), DEFAULT_AUDIT_LIMIT as usize);
    assert_eq!(page[0].occurred_at, at(119));
    assert_eq!(page[49].occurred_at, at(70));
    assert_eq!(store.count_audit_entries(&filter()).await.unwrap(), 120);
}

#[tokio::test]
async fn extreme_timestamps_are_stored_and_bounded_correctly() {
    let (_dir, store) = open_temp().await;
    let early = jiff::Timestamp::MIN;
    let late = jiff::Timestamp::MAX;
    let entries = [
        NewAuditEntry::new(early, EventType::Error),
        NewAuditEntry::new(late, EventType::Error),
    ];
    insert_all(&store, &entries).await;
    let all = store.audit_entries(&filter()).await.unwrap();
    assert_eq!(ids(&all), [2, 1]);
    // Timestamp precision is milliseconds.
    assert_eq!(all[1].occurred_at.as_millisecond(), early.as_millisecond());
    let before_late = AuditFilter {
        to: Some(late),
        ..filter()
    };
    check(&store, before_late, &[1]).await;
}

#[test]
fn event_types_parse_from_their_stored_and_typed_forms() {
    for &event in EventType::ALL {
        assert_eq!(event.as_str().parse::<EventType>().unwrap(), event);
        let typed = format!(" {} ", event.as_str().to_uppercase().replace('_', "-"));
        assert_eq!(typed.parse::<EventType>().unwrap(), event);
    }
    let error = "emailsent".parse::<EventType>().unwrap_err();
    assert!(error.to_string().contains("email_sent"), "{error}");
    assert_eq!(
        serde_json::to_value(EventType::EmailSent).unwrap(),
        json!("email_sent")
    );
    let back: EventType = serde_json::from_value(json!("Email-Sent")).unwrap();
    assert_eq!(back, EventType::EmailSent);
}

#[tokio::test]
async fn a_threads_entries_are_found_through_the_negotiation_that_owns_it() {
    let (_dir, store) = open_temp().await;
    crate::common::add_campaign(&store, "c1").await;
    let mut conn = store.write().await.unwrap();
    let mut row = negotiator_store::insert_negotiation(
        &mut conn,
        &negotiator_store::NewNegotiation {
            campaign_id: "c1".to_owned(),
            influencer_name: "Jane Doe".to_owned(),
            influencer_email: "jane@x.example".to_owned(),
            state: "awaiting_reply".to_owned(),
            snapshot: serde_json::json!({}),
            created_at: at(0),
        },
    )
    .await
    .unwrap();
    row.thread_id = Some("thread-owned".to_owned());
    negotiator_store::update_negotiation(&mut conn, &mut row, at(1))
        .await
        .unwrap();
    for (i, thread) in ["thread-owned", "thread-other", "thread-owned"]
        .iter()
        .enumerate()
    {
        let entry = NewAuditEntry::new(at(10 + i as i64), EventType::EmailSent)
            .campaign("c1")
            .influencer("Jane Doe")
            .thread(*thread);
        negotiator_store::insert_audit(&mut conn, &entry)
            .await
            .unwrap();
    }
    drop(conn);
    let filter = AuditFilter {
        thread: Some("thread-owned".to_owned()),
        ..AuditFilter::default()
    };
    let found = store.audit_entries(&filter).await.unwrap();
    assert_eq!(found.len(), 2);
    assert!(
        found
            .iter()
            .all(|e| e.thread_id.as_deref() == Some("thread-owned"))
    );
    assert_eq!(store.count_audit_entries(&filter).await.unwrap(), 2);
}
