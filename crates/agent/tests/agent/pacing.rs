//! Sending like a careful person, through the worker with a clock that lets days pass: the
//! daily cap of new conversations and its ramp, answers never held, the recipient's working
//! hours and weekends, the stop switch, and a restart that books nothing twice.

use std::collections::BTreeMap;

use jiff::civil::{Date, Time, Weekday};
use jiff::tz::TimeZone;
use jiff::{SignedDuration, Timestamp};
use negotiator_agent::ports::notifier::NoticeKind;
use negotiator_agent::workflows::ingest::ingest;
use negotiator_agent::workflows::pacing;
use negotiator_agent::{Agent, Worker};
use negotiator_domain::{Ramp, SendPace, SendWindow};
use negotiator_store::{AuditEntry, EventType, HELD_UNTIL, booked_slots};
use negotiator_testkit::{Harness, campaign};

/// A roster of `n` creators, `Creator 0` … with optional time zones.
fn roster(n: usize, zone: impl Fn(usize) -> &'static str) -> String {
    let mut text = String::from("name,email,platform,average views,time zone\n");
    for i in 0..n {
        text.push_str(&format!(
            "Creator {i},creator{i}@creator.example,instagram,40000,{}\n",
            zone(i)
        ));
    }
    text
}

fn names(n: usize) -> String {
    (0..n)
        .map(|i| format!("Creator {i}"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Business hours in UTC, `cap` a day, 1–3 minutes apart.
fn pace(cap: u32, ramp: Option<Ramp>) -> SendPace {
    SendPace {
        daily_new_conversations: Some(cap),
        ramp,
        window: SendWindow::business_hours(),
        team_zone: TimeZone::UTC,
        min_gap: SignedDuration::from_secs(60),
        max_gap: SignedDuration::from_secs(180),
    }
}

/// A harness on `roster`, with `pace`.
async fn paced(pace: SendPace, roster: &str) -> Harness {
    let mut h = Harness::new().await;
    std::fs::write(&h.paths.roster, roster).unwrap();
    restart(&mut h, pace);
    h
}

/// A fresh agent and worker on the same database and folders (as after a restart).
fn restart(h: &mut Harness, pace: SendPace) {
    let adapters = h.paths.adapters(false).unwrap();
    let mut settings = h.agent.settings.as_ref().clone();
    settings.pace = pace;
    h.agent = Agent::new(h.agent.store.clone(), adapters, settings, h.clock.clone());
    h.worker = Worker::new(h.agent.clone());
}

async fn start(h: &Harness, n: usize) {
    let mut draft = campaign("glow", "auto", &names(n));
    draft.budget = Some("$900,000".to_owned());
    ingest(&h.agent, &draft, "file")
        .await
        .unwrap()
        .started()
        .unwrap();
}

/// Runs the worker, moving the clock to each waiting job's time, until `until`.
async fn drive(h: &mut Harness, until: Timestamp) {
    loop {
        h.run().await;
        let now = h.agent.now();
        let next = h.agent.store.waiting_jobs(now, 1).await.unwrap();
        match next.first() {
            Some(job) if job.run_at <= until => h.clock.set(job.run_at),
            _ => break,
        }
    }
    h.clock.set(until);
    h.run().await;
}

async fn sent(h: &Harness) -> Vec<AuditEntry> {
    let mut sent = h.audit(EventType::EmailSent).await;
    sent.sort_by_key(|e| (e.occurred_at, e.audit_id));
    sent
}

fn kind(entry: &AuditEntry) -> &str {
    entry
        .metadata
        .get("kind")
        .and_then(|k| k.as_str())
        .unwrap_or("")
}

/// Openings sent per UTC day.
async fn openings_per_day(h: &Harness) -> BTreeMap<Date, usize> {
    let mut days = BTreeMap::new();
    for entry in sent(h).await.iter().filter(|e| kind(e) == "opening") {
        *days
            .entry(TimeZone::UTC.to_datetime(entry.occurred_at).date())
            .or_default() += 1;
    }
    days
}

fn ts(text: &str) -> Timestamp {
    text.parse().unwrap()
}

fn day(d: i8) -> Date {
    Date::constant(2026, 11, d)
}

#[tokio::test]
async fn the_cap_holds_openings_for_the_next_day_and_answers_go_at_once() {
    let mut h = paced(pace(3, None), &roster(7, |_| "")).await;
    start(&h, 7).await;
    h.run().await;
    // Monday 09:00: one goes now; the rest wait in the queue, each for its slot.
    assert_eq!(sent(&h).await.len(), 1);
    let waiting: Vec<_> = h
        .agent
        .store
        .waiting_jobs(h.agent.now(), 50)
        .await
        .unwrap()
        .into_iter()
        .filter(|j| j.kind == "open_negotiation")
        .collect();
    assert_eq!(waiting.len(), 6, "{waiting:?}");
    assert!(waiting.iter().all(|j| j.attempts == 0));
    // The campaign notice says when the last opening goes out: Wednesday.
    let started = &h.notices_of(NoticeKind::CampaignStarted)[0];
    let last = started
        .fields
        .iter()
        .find(|(label, _)| label == "Last opening goes out")
        .map(|(_, v)| v.clone())
        .unwrap();
    assert!(last.starts_with("Wed 4 Nov 2026 09:"), "{last}");

    drive(&mut h, ts("2026-11-02T18:00:00Z")).await;
    assert_eq!(openings_per_day(&h).await.values().sum::<usize>(), 3);
    // After hours, with the day's cap spent, Creator 0 counters: the answer goes at once.
    h.reply(
        "Creator 0",
        "creator0@creator.example",
        "Thanks! Could you do $1,100?",
    )
    .await;
    h.run().await;
    let answers: Vec<AuditEntry> = sent(&h)
        .await
        .into_iter()
        .filter(|e| kind(e) != "opening")
        .collect();
    assert_eq!(answers.len(), 1, "{answers:?}");
    assert_eq!(answers[0].occurred_at, ts("2026-11-02T18:00:00Z"));

    drive(&mut h, ts("2026-11-06T00:00:00Z")).await;
    let per_day = openings_per_day(&h).await;
    assert_eq!(
        per_day,
        BTreeMap::from([(day(2), 3), (day(3), 3), (day(4), 1)])
    );
    // Every opening inside the window, at least a minute apart.
    let openings: Vec<Timestamp> = sent(&h)
        .await
        .iter()
        .filter(|e| kind(e) == "opening")
        .map(|e| e.occurred_at)
        .collect();
    for at in &openings {
        assert!(
            SendWindow::business_hours().contains(*at, &TimeZone::UTC),
            "{at}"
        );
    }
    for pair in openings.windows(2) {
        assert!(pair[0].duration_until(pair[1]) >= SignedDuration::from_secs(60));
    }
    // Follow-ups to the silent ones keep to the window too.
    let follow_ups: Vec<Timestamp> = sent(&h)
        .await
        .iter()
        .filter(|e| kind(e) == "follow_up")
        .map(|e| e.occurred_at)
        .collect();
    assert!(!follow_ups.is_empty());
    for at in &follow_ups {
        assert!(
            SendWindow::business_hours().contains(*at, &TimeZone::UTC),
            "{at}"
        );
    }
}

#[tokio::test]
async fn a_new_mailbox_ramps_up_to_its_cap() {
    let ramp = Ramp {
        first_day: 2,
        step: 2,
    };
    let mut h = paced(pace(5, Some(ramp)), &roster(14, |_| "")).await;
    start(&h, 14).await;
    drive(&mut h, ts("2026-11-07T00:00:00Z")).await;
    assert_eq!(
        openings_per_day(&h).await,
        BTreeMap::from([(day(2), 2), (day(3), 4), (day(4), 5), (day(5), 3)])
    );
}

#[tokio::test]
async fn openings_wait_for_the_recipients_working_hours_and_skip_the_weekend() {
    let zones = ["America/New_York", "Asia/Tokyo", ""];
    let mut h = paced(pace(50, None), &roster(3, |i| zones[i])).await;
    // Friday 20:00 UTC: 15:00 in New York, Saturday 05:00 in Tokyo, 20:00 for the team (UTC).
    h.clock.set(ts("2026-11-06T20:00:00Z"));
    start(&h, 3).await;
    drive(&mut h, ts("2026-11-10T00:00:00Z")).await;
    let by_name: BTreeMap<String, Timestamp> = sent(&h)
        .await
        .into_iter()
        .filter(|e| kind(e) == "opening")
        .map(|e| (e.influencer_name.clone().unwrap(), e.occurred_at))
        .collect();
    let local = |name: &str, zone: &str| {
        let tz = TimeZone::get(zone).unwrap();
        tz.to_datetime(by_name[name])
    };
    // New York is open: it goes on Friday afternoon, their time.
    let ny = local("Creator 0", "America/New_York");
    assert_eq!((ny.date(), ny.weekday()), (day(6), Weekday::Friday));
    // Tokyo's Saturday and Sunday are skipped: Monday morning there (Sunday evening in UTC).
    let tokyo = local("Creator 1", "Asia/Tokyo");
    assert_eq!(tokyo.weekday(), Weekday::Monday);
    assert!(
        tokyo.time() >= Time::constant(9, 0, 0, 0) && tokyo.time() < Time::constant(17, 0, 0, 0)
    );
    assert!(
        by_name["Creator 1"]
            < ts("2026-11-09T00:00:00Z")
                .checked_add(SignedDuration::from_hours(1))
                .unwrap()
    );
    // No zone in the roster: the team's, so Monday 09:00 UTC.
    let team = local("Creator 2", "UTC");
    assert_eq!(team.weekday(), Weekday::Monday);
    assert!(team.time() >= Time::constant(9, 0, 0, 0) && team.time() < Time::constant(9, 30, 0, 0));
}

#[tokio::test]
async fn pause_all_holds_every_email_and_resume_sends_them_in_order() {
    let mut h = paced(SendPace::unpaced(), &roster(3, |_| "")).await;
    start(&h, 3).await;
    assert!(pacing::switch(&h.agent, true, "pat").await.unwrap());
    assert!(!pacing::switch(&h.agent, true, "pat").await.unwrap());
    h.run().await;
    h.advance(48);
    h.run().await;
    assert!(h.outbox().is_empty());
    let held = h.agent.store.waiting_jobs(h.agent.now(), 50).await.unwrap();
    assert_eq!(held.len(), 3);
    assert!(
        held.iter()
            .all(|j| j.run_at == HELD_UNTIL && j.attempts == 0)
    );
    let paused = h.audit(EventType::SendingPaused).await;
    assert_eq!(paused.len(), 1);
    assert_eq!(paused[0].metadata["by"], "pat");

    assert!(pacing::switch(&h.agent, false, "sam").await.unwrap());
    h.run().await;
    let order: Vec<String> = sent(&h)
        .await
        .into_iter()
        .map(|e| e.influencer_name.unwrap())
        .collect();
    assert_eq!(order, ["Creator 0", "Creator 1", "Creator 2"]);
    assert_eq!(
        h.audit(EventType::SendingResumed).await[0].metadata["by"],
        "sam"
    );

    // An answer in a live thread is held too, and goes on resume.
    h.reply(
        "Creator 1",
        "creator1@creator.example",
        "Could you do $1,100?",
    )
    .await;
    pacing::switch(&h.agent, true, "pat").await.unwrap();
    h.run().await;
    assert_eq!(sent(&h).await.len(), 3);
    pacing::switch(&h.agent, false, "pat").await.unwrap();
    h.run().await;
    assert_eq!(sent(&h).await.len(), 4);
}

#[tokio::test]
async fn a_restart_books_nothing_twice_and_keeps_the_cap() {
    let mut h = paced(pace(3, None), &roster(8, |_| "")).await;
    start(&h, 8).await;
    h.run().await;
    let booked = booked_slots(h.agent.store.db(), Timestamp::MIN)
        .await
        .unwrap();
    assert_eq!(booked.len(), 8, "every opening booked once: {booked:?}");
    // A restart: a new worker on the same database; and one more pass of the first worker's
    // jobs finds their bookings rather than making new ones.
    restart(&mut h, pace(3, None));
    h.run().await;
    let again = booked_slots(h.agent.store.db(), Timestamp::MIN)
        .await
        .unwrap();
    assert_eq!(booked, again);
    drive(&mut h, ts("2026-11-06T00:00:00Z")).await;
    assert_eq!(
        openings_per_day(&h).await,
        BTreeMap::from([(day(2), 3), (day(3), 3), (day(4), 2)])
    );
    // One opening each (later emails are follow-ups).
    let openings = sent(&h).await;
    for i in 0..8 {
        let name = format!("Creator {i}");
        let theirs = openings
            .iter()
            .filter(|e| kind(e) == "opening" && e.influencer_name.as_deref() == Some(&name))
            .count();
        assert_eq!(theirs, 1, "{name}");
    }
}
