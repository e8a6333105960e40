//! Campaigns, negotiations, messages, webhook deliveries and cursors.

use negotiator_store::{
    CampaignMode, CampaignTotals, Direction, MessageStatus, NewCampaign, NewMessage, Store,
    StoreError, campaign_totals, find_message_by_rfc_id, find_negotiation_by_thread,
    find_negotiations_by_influencer, get_campaign, get_cursor, get_message, get_negotiation,
    insert_campaign, insert_message, insert_negotiation, list_campaigns, list_drafts,
    list_messages, list_messages_by_status, list_negotiations, set_cursor, supersede_drafts,
    update_campaign, update_message_status, update_negotiation,
};
use serde_json::{Map, json};

use crate::common::{add_campaign, add_negotiation, at, new_negotiation, open_temp};

// ---------------------------------------------------------------------------------------------
// Campaigns

#[tokio::test]
async fn campaigns_insert_get_list_update() {
    let (_dir, store) = open_temp().await;
    add_campaign(&store, "c1").await;
    let mut conn = store.write().await.unwrap();
    let second = NewCampaign {
        campaign_id: "c2".to_owned(),
        client_name: "Other".to_owned(),
        source: "clickup".to_owned(),
        mode: CampaignMode::Review,
        budget_cents: 500_000,
        spec: json!({"x": [1, 2]}),
        created_at: at(10),
    };
    insert_campaign(&mut conn, &second).await.unwrap();
    match insert_campaign(&mut conn, &second).await {
        Err(StoreError::AlreadyExists { what, .. }) => assert_eq!(what, "campaign"),
        other => panic!("expected AlreadyExists, got {other:?}"),
    }

    let listed: Vec<_> = list_campaigns(&mut conn)
        .await
        .unwrap()
        .into_iter()
        .map(|c| c.campaign_id)
        .collect();
    assert_eq!(listed, ["c2", "c1"]);

    let mut c2 = get_campaign(&mut conn, "c2").await.unwrap().unwrap();
    assert_eq!(c2.mode, CampaignMode::Review);
    assert_eq!(c2.spec, json!({"x": [1, 2]}));
    c2.mode = CampaignMode::Auto;
    c2.client_name = "Renamed".to_owned();
    update_campaign(&mut conn, &mut c2, at(20)).await.unwrap();
    assert_eq!(c2.updated_at, at(20));
    assert_eq!(get_campaign(&mut conn, "c2").await.unwrap().unwrap(), c2);

    let mut ghost = c2.clone();
    ghost.campaign_id = "nope".to_owned();
    assert!(matches!(
        update_campaign(&mut conn, &mut ghost, at(30)).await,
        Err(StoreError::NotFound { .. })
    ));
    assert!(get_campaign(&mut conn, "nope").await.unwrap().is_none());
}

// ---------------------------------------------------------------------------------------------
// Negotiations

#[tokio::test]
async fn a_negotiation_reads_back_as_inserted() {
    let (_dir, store) = open_temp().await;
    add_campaign(&store, "c1").await;
    let mut conn = store.write().await.unwrap();
    let inserted = insert_negotiation(&mut conn, &new_negotiation("c1", "Jane Doe", 5))
        .await
        .unwrap();
    assert_eq!(inserted.version, 1);
    assert_eq!(inserted.round, 0);
    assert!(!inserted.human_controlled);
    assert_eq!(inserted.thread_id, None);
    let read = get_negotiation(&mut conn, inserted.negotiation_id)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(read, inserted);
    assert!(get_negotiation(&mut conn, 9_999).await.unwrap().is_none());
}

#[tokio::test]
async fn one_negotiation_per_campaign_and_influencer_case_insensitively() {
    let (_dir, store) = open_temp().await;
    add_campaign(&store, "c1").await;
    add_campaign(&store, "c2").await;
    add_negotiation(&store, "c1", "Jane Doe").await;
    let mut conn = store.write().await.unwrap();
    for name in ["Jane Doe", "jane doe", "JANE DOE"] {
        match insert_negotiation(&mut conn, &new_negotiation("c1", name, 0)).await {
            Err(StoreError::AlreadyExists { what, .. }) => assert_eq!(what, "negotiation"),
            other => panic!("expected AlreadyExists for {name}, got {other:?}"),
        }
    }
    // The same influencer in another campaign, or another influencer, is fine.
    insert_negotiation(&mut conn, &new_negotiation("c2", "jane doe", 0))
        .await
        .unwrap();
    insert_negotiation(&mut conn, &new_negotiation("c1", "Jane Doe Smith", 0))
        .await
        .unwrap();
    let names: Vec<_> = list_negotiations(&mut conn, "c1")
        .await
        .unwrap()
        .into_iter()
        .map(|n| n.influencer_name)
        .collect();
    assert_eq!(names, ["Jane Doe", "Jane Doe Smith"]);
}

#[tokio::test]
async fn a_negotiation_needs_an_existing_campaign() {
    let (_dir, store) = open_temp().await;
    let mut conn = store.write().await.unwrap();
    let error = insert_negotiation(&mut conn, &new_negotiation("missing", "Jane", 0))
        .await
        .unwrap_err();
    assert!(is_foreign_key_violation(&error), "{error:?}");
    assert!(
        list_negotiations(&mut conn, "missing")
            .await
            .unwrap()
            .is_empty()
    );
}

#[tokio::test]
async fn update_negotiation_saves_every_field_and_refuses_a_stale_version() {
    let (_dir, store) = open_temp().await;
    add_campaign(&store, "c1").await;
    let id = add_negotiation(&store, "c1", "Jane Doe").await;
    let mut conn = store.write().await.unwrap();

    let mut mine = get_negotiation(&mut conn, id).await.unwrap().unwrap();
    let mut theirs = mine.clone();

    mine.state = "countered".to_owned();
    mine.round = 2;
    mine.human_controlled = true;
    mine.thread_id = Some("thread-1".to_owned());
    mine.last_message_id = Some("<m1@example.com>".to_owned());
    mine.influencer_email = "jane@new.example".to_owned();
    mine.snapshot = json!({"history": ["offer", "counter"], "cents": 180_000});
    update_negotiation(&mut conn, &mut mine, at(100))
        .await
        .unwrap();
    assert_eq!(mine.version, 2);
    assert_eq!(mine.updated_at, at(100));
    assert_eq!(get_negotiation(&mut conn, id).await.unwrap().unwrap(), mine);

    // A writer still holding version 1 loses and changes nothing.
    theirs.state = "agreed".to_owned();
    match update_negotiation(&mut conn, &mut theirs, at(200)).await {
        Err(StoreError::VersionConflict {
            negotiation_id,
            expected,
        }) => assert_eq!((negotiation_id, expected), (id, 1)),
        other => panic!("expected VersionConflict, got {other:?}"),
    }
    assert_eq!(theirs.version, 1);
    assert_eq!(get_negotiation(&mut conn, id).await.unwrap().unwrap(), mine);

    // Reload and retry works.
    let mut reloaded = get_negotiation(&mut conn, id).await.unwrap().unwrap();
    reloaded.state = "agreed".to_owned();
    update_negotiation(&mut conn, &mut reloaded, at(300))
        .await
        .unwrap();
    assert_eq!(reloaded.version, 3);

    // An update inside a rolled-back transaction leaves the row (and version) as it was.
    drop(conn);
    let mut tx = store.begin_write().await.unwrap();
    let mut doomed = reloaded.clone();
    doomed.state = "escalated".to_owned();
    update_negotiation(&mut tx, &mut doomed, at(400))
        .await
        .unwrap();
    tx.rollback().await.unwrap();
    assert_eq!(
        get_negotiation(store.db(), id).await.unwrap().unwrap(),
        reloaded
    );
}

#[tokio::test]
async fn concurrent_updates_of_one_version_let_exactly_one_win() {
    let (_dir, store) = open_temp().await;
    add_campaign(&store, "c1").await;
    let id = add_negotiation(&store, "c1", "Jane Doe").await;
    let base = get_negotiation(store.db(), id).await.unwrap().unwrap();
    let mut tasks = Vec::new();
    for i in 0..8_i64 {
        let store = store.clone();
        let mut copy = base.clone();
        tasks.push(tokio::spawn(async move {
            copy.round = i + 1;
            let mut tx = store.begin_write().await.unwrap();
            let result = update_negotiation(&mut tx, &mut copy, at(i)).await;
            tx.commit().await.unwrap();
            result
        }));
    }
    let mut wins = 0;
    for task in tasks {
        match task.await.unwrap() {
            Ok(()) => wins += 1,
            Err(StoreError::VersionConflict { .. }) => {}
            Err(other) => panic!("unexpected {other:?}"),
        }
    }
    assert_eq!(wins, 1);
    assert_eq!(
        get_negotiation(store.db(), id)
            .await
            .unwrap()
            .unwrap()
            .version,
        2
    );
}

#[tokio::test]
async fn a_thread_belongs_to_one_negotiation() {
    let (_dir, store) = open_temp().await;
    add_campaign(&store, "c1").await;
    let a = add_negotiation(&store, "c1", "Jane").await;
    let b = add_negotiation(&store, "c1", "Bob").await;
    let mut conn = store.write().await.unwrap();
    let mut jane = get_negotiation(&mut conn, a).await.unwrap().unwrap();
    jane.thread_id = Some("thread-1".to_owned());
    update_negotiation(&mut conn, &mut jane, at(1))
        .await
        .unwrap();
    let mut bob = get_negotiation(&mut conn, b).await.unwrap().unwrap();
    bob.thread_id = Some("thread-1".to_owned());
    assert!(matches!(
        update_negotiation(&mut conn, &mut bob, at(1)).await,
        Err(StoreError::AlreadyExists { .. })
    ));
    assert_eq!(bob.version, 1);

    let found = find_negotiation_by_thread(&mut conn, "thread-1")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(found, jane);
    assert!(
        find_negotiation_by_thread(&mut conn, "thread-2")
            .await
            .unwrap()
            .is_none()
    );
}

#[tokio::test]
async fn find_by_influencer_matches_name_or_email_case_insensitively_newest_first() {
    let (_dir, store) = open_temp().await;
    for c in ["c1", "c2", "c3"] {
        add_campaign(&store, c).await;
    }
    let mut conn = store.write().await.unwrap();
    let old = insert_negotiation(&mut conn, &new_negotiation("c1", "Jane Doe", 10))
        .await
        .unwrap();
    let new = insert_negotiation(&mut conn, &new_negotiation("c2", "jane doe", 20))
        .await
        .unwrap();
    let mut by_email = new_negotiation("c3", "J. Doe", 15);
    by_email.influencer_email = "Jane.Doe@Example.com".to_owned();
    let by_email = insert_negotiation(&mut conn, &by_email).await.unwrap();
    insert_negotiation(&mut conn, &new_negotiation("c1", "Jane Doe Smith", 30))
        .await
        .unwrap();

    let found: Vec<_> = find_negotiations_by_influencer(&mut conn, "JANE DOE")
        .await
        .unwrap()
        .into_iter()
        .map(|n| n.negotiation_id)
        .collect();
    assert_eq!(found, [new.negotiation_id, old.negotiation_id]);
    // new_negotiation gives "jane.doe@example.com" to both Jane Does, plus the explicit one.
    let found: Vec<_> = find_negotiations_by_influencer(&mut conn, "jane.doe@EXAMPLE.com")
        .await
        .unwrap()
        .into_iter()
        .map(|n| n.negotiation_id)
        .collect();
    assert_eq!(
        found,
        [
            new.negotiation_id,
            by_email.negotiation_id,
            old.negotiation_id
        ]
    );
    assert!(
        find_negotiations_by_influencer(&mut conn, "Jane")
            .await
            .unwrap()
            .is_empty()
    );
}

// ---------------------------------------------------------------------------------------------
// Messages

fn message(negotiation_id: i64, rfc: Option<&str>, status: MessageStatus, ms: i64) -> NewMessage {
    let mut metadata = Map::new();
    metadata.insert("decision".to_owned(), json!({"counter_cents": 160_000}));
    NewMessage {
        negotiation_id,
        direction: if status == MessageStatus::Received {
            Direction::Received
        } else {
            Direction::Sent
        },
        rfc_message_id: rfc.map(str::to_owned),
        thread_id: None,
        from_addr: "agency@example.com".to_owned(),
        to_addr: "jane@example.com".to_owned(),
        subject: "Collab: Glow Spring".to_owned(),
        body: "Hi Jane,\n\nWe'd love to offer $1,600.00.\n".to_owned(),
        status,
        metadata,
        occurred_at: at(ms),
        for_step: None,
    }
}

async fn setup_negotiation(store: &Store) -> i64 {
    add_campaign(store, "c1").await;
    add_negotiation(store, "c1", "Jane").await
}

#[tokio::test]
async fn messages_insert_read_back_and_dedupe_on_rfc_message_id() {
    let (_dir, store) = open_temp().await;
    let n = setup_negotiation(&store).await;
    let mut conn = store.write().await.unwrap();

    let new = message(n, Some("<a@example.com>"), MessageStatus::Received, 10);
    let id = insert_message(&mut conn, &new).await.unwrap().unwrap();
    let stored = get_message(&mut conn, id).await.unwrap().unwrap();
    assert_eq!(stored.negotiation_id, n);
    assert_eq!(stored.direction, Direction::Received);
    assert_eq!(stored.rfc_message_id, new.rfc_message_id);
    assert_eq!(stored.body, new.body);
    assert_eq!(stored.subject, new.subject);
    assert_eq!(stored.status, MessageStatus::Received);
    assert_eq!(stored.metadata, new.metadata);
    assert_eq!(stored.occurred_at, at(10));
    assert_eq!(
        find_message_by_rfc_id(&mut conn, "<a@example.com>")
            .await
            .unwrap()
            .unwrap(),
        stored
    );
    assert!(
        find_message_by_rfc_id(&mut conn, "<b@example.com>")
            .await
            .unwrap()
            .is_none()
    );

    // A redelivery is dropped, even with different content.
    let mut again = new.clone();
    again.body = "different".to_owned();
    assert_eq!(insert_message(&mut conn, &again).await.unwrap(), None);
    assert_eq!(list_messages(&mut conn, n).await.unwrap().len(), 1);

    // Messages without a Message-ID (drafts) do not collide with each other.
    insert_message(&mut conn, &message(n, None, MessageStatus::Draft, 20))
        .await
        .unwrap()
        .unwrap();
    insert_message(&mut conn, &message(n, None, MessageStatus::Draft, 30))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(list_messages(&mut conn, n).await.unwrap().len(), 3);
}

#[tokio::test]
async fn a_message_needs_an_existing_negotiation() {
    let (_dir, store) = open_temp().await;
    let mut conn = store.write().await.unwrap();
    let error = insert_message(&mut conn, &message(42, None, MessageStatus::Draft, 0))
        .await
        .unwrap_err();
    assert!(is_foreign_key_violation(&error), "{error:?}");
}

#[tokio::test]
async fn message_status_updates_and_listing_by_status() {
    let (_dir, store) = open_temp().await;
    let n = setup_negotiation(&store).await;
    let mut conn = store.write().await.unwrap();
    let late_draft = insert_message(&mut conn, &message(n, None, MessageStatus::Draft, 30))
        .await
        .unwrap()
        .unwrap();
    let early_draft = insert_message(&mut conn, &message(n, None, MessageStatus::Draft, 10))
        .await
        .unwrap()
        .unwrap();
    let pending = insert_message(
        &mut conn,
        &message(n, Some("<p@x>"), MessageStatus::Pending, 20),
    )
    .await
    .unwrap()
    .unwrap();

    let drafts: Vec<_> = list_messages_by_status(&mut conn, MessageStatus::Draft)
        .await
        .unwrap()
        .into_iter()
        .map(|m| m.message_id)
        .collect();
    assert_eq!(drafts, [early_draft, late_draft]);
    let all: Vec<_> = list_messages(&mut conn, n)
        .await
        .unwrap()
        .into_iter()
        .map(|m| m.message_id)
        .collect();
    assert_eq!(all, [early_draft, pending, late_draft]);

    // A send learns its thread id; a later status change without one keeps it.
    update_message_status(&mut conn, pending, MessageStatus::Sent, Some("thread-9"))
        .await
        .unwrap();
    update_message_status(&mut conn, early_draft, MessageStatus::Discarded, None)
        .await
        .unwrap();
    let sent = get_message(&mut conn, pending).await.unwrap().unwrap();
    assert_eq!(
        (sent.status, sent.thread_id.as_deref()),
        (MessageStatus::Sent, Some("thread-9"))
    );
    update_message_status(&mut conn, pending, MessageStatus::Sent, None)
        .await
        .unwrap();
    let sent = get_message(&mut conn, pending).await.unwrap().unwrap();
    assert_eq!(sent.thread_id.as_deref(), Some("thread-9"));

    let drafts = list_messages_by_status(&mut conn, MessageStatus::Draft)
        .await
        .unwrap();
    assert_eq!(drafts.len(), 1);
    assert!(
        list_messages_by_status(&mut conn, MessageStatus::Pending)
            .await
            .unwrap()
            .is_empty()
    );
    let sent: Vec<_> = list_messages_by_status(&mut conn, MessageStatus::Sent)
        .await
        .unwrap()
        .into_iter()
        .map(|m| m.message_id)
        .collect();
    assert_eq!(sent, [pending]);

    assert!(matches!(
        update_message_status(&mut conn, 9_999, MessageStatus::Sent, None).await,
        Err(StoreError::NotFound { .. })
    ));
}

// ---------------------------------------------------------------------------------------------
// Cursors

#[tokio::test]
async fn cursors_are_absent_until_set_and_then_overwritten() {
    let (_dir, store) = open_temp().await;
    let mut conn = store.write().await.unwrap();
    assert_eq!(get_cursor(&mut conn, "gmail_history").await.unwrap(), None);
    set_cursor(&mut conn, "gmail_history", "1000", at(0))
        .await
        .unwrap();
    assert_eq!(
        get_cursor(&mut conn, "gmail_history")
            .await
            .unwrap()
            .as_deref(),
        Some("1000")
    );
    set_cursor(&mut conn, "gmail_history", "1042", at(1))
        .await
        .unwrap();
    set_cursor(&mut conn, "other", "x", at(1)).await.unwrap();
    assert_eq!(
        get_cursor(&mut conn, "gmail_history")
            .await
            .unwrap()
            .as_deref(),
        Some("1042")
    );
    assert_eq!(
        get_cursor(store.db(), "other").await.unwrap().as_deref(),
        Some("x")
    );
}

// ---------------------------------------------------------------------------------------------
// The budget binds in the store

/// Saves `name`'s negotiation in campaign `c1` as agreed at `cents`.
async fn agree(store: &Store, id: i64, cents: i64) -> Result<(), StoreError> {
    let mut conn = store.write().await.unwrap();
    let mut row = get_negotiation(&mut conn, id).await.unwrap().unwrap();
    row.state = "agreed".to_owned();
    row.agreed_cents = Some(cents);
    row.agreed_cpm_cents = Some(2_500);
    row.offer_cents = None;
    update_negotiation(&mut conn, &mut row, at(50)).await
}

#[tokio::test]
async fn no_write_takes_the_agreed_total_past_the_budget() {
    let (_dir, store) = open_temp().await;
    add_campaign(&store, "c1").await; // a $10,000.00 budget
    let jane = add_negotiation(&store, "c1", "Jane Doe").await;
    let raj = add_negotiation(&store, "c1", "Raj Patel").await;
    agree(&store, jane, 600_000).await.unwrap();
    match agree(&store, raj, 400_001).await {
        Err(StoreError::OverBudget) => {}
        other => panic!("expected OverBudget, got {other:?}"),
    }
    let row = get_negotiation(store.db(), raj).await.unwrap().unwrap();
    assert_eq!(row.agreed_cents, None, "nothing half-stored");
    agree(&store, raj, 400_000).await.unwrap();

    // The budget cannot drop below what is agreed, but may be raised.
    let mut conn = store.write().await.unwrap();
    let mut campaign = get_campaign(&mut conn, "c1").await.unwrap().unwrap();
    campaign.budget_cents = 999_999;
    match update_campaign(&mut conn, &mut campaign, at(60)).await {
        Err(StoreError::BudgetBelowAgreed) => {}
        other => panic!("expected BudgetBelowAgreed, got {other:?}"),
    }
    campaign.budget_cents = 1_200_000;
    update_campaign(&mut conn, &mut campaign, at(60))
        .await
        .unwrap();
}

#[tokio::test]
async fn campaign_totals_come_from_the_negotiations_columns() {
    let (_dir, store) = open_temp().await;
    add_campaign(&store, "c1").await;
    let jane = add_negotiation(&store, "c1", "Jane Doe").await;
    let raj = add_negotiation(&store, "c1", "Raj Patel").await;
    let mia = add_negotiation(&store, "c1", "Mia Chen").await;
    agree(&store, jane, 600_000).await.unwrap();
    let mut conn = store.write().await.unwrap();
    let mut row = get_negotiation(&mut conn, raj).await.unwrap().unwrap();
    row.state = "counter_sent".to_owned();
    row.offer_cents = Some(150_000);
    update_negotiation(&mut conn, &mut row, at(70))
        .await
        .unwrap();
    let mut row = get_negotiation(&mut conn, mia).await.unwrap().unwrap();
    row.state = "rejected".to_owned();
    update_negotiation(&mut conn, &mut row, at(70))
        .await
        .unwrap();

    let totals = campaign_totals(&mut conn, "c1", Some(jane))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        totals,
        CampaignTotals {
            budget_cents: 1_000_000,
            committed_elsewhere_cents: 0,
            committed_cents: 600_000,
            outstanding_cents: 150_000,
            agreed_deals: 1,
            agreed_cpm_cents: 2_500,
            open_negotiations: 1,
        }
    );
    let totals = campaign_totals(&mut conn, "c1", Some(raj))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(totals.committed_elsewhere_cents, 600_000);
    assert!(
        campaign_totals(&mut conn, "nope", None)
            .await
            .unwrap()
            .is_none()
    );
}

/// The campaign's totals summed from its negotiations, as the kept row must always say.
async fn summed(store: &Store, campaign_id: &str) -> (i64, i64, i64, i64, i64) {
    sqlx::query_as(
        "SELECT COALESCE(SUM(agreed_cents), 0), COALESCE(SUM(offer_cents), 0),
                COUNT(agreed_cents), COALESCE(SUM(agreed_cpm_cents), 0),
                COALESCE(SUM(state NOT IN ('agreed', 'rejected', 'stopped')), 0)
         FROM negotiations WHERE campaign_id = ?",
    )
    .bind(campaign_id)
    .fetch_one(store.pool())
    .await
    .unwrap()
}

#[tokio::test]
async fn kept_campaign_totals_always_equal_the_sum_of_the_negotiations() {
    let (_dir, store) = open_temp().await;
    add_campaign(&store, "c1").await;
    add_campaign(&store, "c2").await;
    let mut ids = Vec::new();
    for i in 0..12 {
        let campaign = if i % 3 == 0 { "c2" } else { "c1" };
        ids.push(add_negotiation(&store, campaign, &format!("Creator {i}")).await);
    }
    let states = [
        "offer_sent",
        "countered",
        "agreed",
        "rejected",
        "stopped",
        "escalated",
    ];
    // A fixed walk through every kind of change: offers, agreements, un-agreements (a person
    // reopening), rejections, a rolled-back change.
    for step in 0..120_usize {
        let id = ids[(step * 7) % ids.len()];
        let state = states[(step * 5) % states.len()];
        let mut tx = store.begin_write().await.unwrap();
        let mut row = get_negotiation(&mut tx, id).await.unwrap().unwrap();
        row.state = state.to_owned();
        let agreed = state == "agreed";
        row.agreed_cents = agreed.then_some(10_000 + (step as i64 % 5) * 1_000);
        row.agreed_cpm_cents = agreed.then_some(2_000 + step as i64);
        row.offer_cents = (!agreed && state != "rejected").then_some(5_000 + step as i64);
        update_negotiation(&mut tx, &mut row, at(100 + step as i64))
            .await
            .unwrap();
        if step % 11 == 0 {
            tx.rollback().await.unwrap();
        } else {
            tx.commit().await.unwrap();
        }
        for campaign in ["c1", "c2"] {
            let kept = campaign_totals(store.db(), campaign, None)
                .await
                .unwrap()
                .unwrap();
            let kept = (
                kept.committed_cents,
                kept.outstanding_cents,
                kept.agreed_deals,
                kept.agreed_cpm_cents,
                kept.open_negotiations,
            );
            assert_eq!(kept, summed(&store, campaign).await, "after step {step}");
        }
    }
}

#[tokio::test]
async fn a_later_decision_supersedes_older_drafts() {
    let (_dir, store) = open_temp().await;
    let id = setup_negotiation(&store).await;
    let mut conn = store.write().await.unwrap();
    let mut first = message(id, Some("<d1@x>"), MessageStatus::Draft, 1);
    first.for_step = Some(1);
    let first = insert_message(&mut conn, &first).await.unwrap().unwrap();
    let mut second = message(id, Some("<d2@x>"), MessageStatus::Draft, 2);
    second.for_step = Some(2);
    let second = insert_message(&mut conn, &second).await.unwrap().unwrap();
    assert_eq!(
        supersede_drafts(&mut conn, id, 2).await.unwrap(),
        vec![first]
    );
    let waiting: Vec<i64> = list_drafts(&mut conn, id)
        .await
        .unwrap()
        .iter()
        .map(|m| m.message_id)
        .collect();
    assert_eq!(waiting, vec![second]);
    let old = get_message(&mut conn, first).await.unwrap().unwrap();
    assert_eq!(old.status, MessageStatus::Superseded);
}

/// SQLITE_CONSTRAINT_FOREIGNKEY.
fn is_foreign_key_violation(error: &StoreError) -> bool {
    matches!(
        error,
        StoreError::Sqlite(rusqlite::Error::SqliteFailure(failure, _))
            if failure.extended_code == 787
    )
}
