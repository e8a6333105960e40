//! A roster per campaign: campaigns naming their own Google Sheet read that sheet (each cached
//! on its own), the rest read the configured one, and a sheet the service account cannot read
//! refuses the campaign with whom to share it with.

use std::sync::Arc;

use negotiator_adapters::roster::sheets::SheetsRoster;
use negotiator_agent::workflows::ingest::{Ingest, ingest};
use negotiator_store::list_negotiations;
use negotiator_testkit::fakes::google::CLIENT_EMAIL;
use negotiator_testkit::fakes::sheets::FakeSheets;
use negotiator_testkit::{Harness, campaign};

const HEADER: &[&str] = &["Name", "Email", "Platform", "Handle", "Average Views"];
const SHEET_A: &str = "1AgencyRosterSheetA";
const SHEET_B: &str = "1AgencyRosterSheetB";
const UNSHARED: &str = "1SomeoneElsesSheet99";

fn rows(people: &[(&str, &str)]) -> Vec<Vec<String>> {
    let mut rows = vec![HEADER.iter().map(|c| (*c).to_owned()).collect()];
    for (name, email) in people {
        rows.push(vec![
            (*name).to_owned(),
            (*email).to_owned(),
            "instagram".to_owned(),
            "@x".to_owned(),
            "50000".to_owned(),
        ]);
    }
    rows
}

async fn names(h: &Harness, campaign_id: &str) -> Vec<String> {
    list_negotiations(h.agent.store.db(), campaign_id)
        .await
        .unwrap()
        .into_iter()
        .map(|r| r.influencer_name)
        .collect()
}

#[tokio::test]
async fn two_campaigns_read_two_sheets_and_an_unshared_sheet_is_refused_by_name() {
    let fake = FakeSheets::start("1ConfiguredRosterSheet").await;
    fake.put_tab("Roster", rows(&[("Jane Doe", "jane@creator.example")]));
    fake.put_tab_in(SHEET_A, "Team A", rows(&[("Raj Patel", "raj@a.example")]));
    fake.put_tab_in(SHEET_B, "Sheet1", rows(&[("Raj Patel", "raj@b.example")]));
    fake.put_unshared(UNSHARED);
    let roster = SheetsRoster::new(
        fake.client(),
        "1ConfiguredRosterSheet",
        Some("Roster".to_owned()),
    )
    .with_account(CLIENT_EMAIL);
    let h = Harness::with(move |mut adapters| {
        adapters.roster = Arc::new(roster);
        adapters
    })
    .await;

    let mut a = campaign("team-a", "review", "Raj Patel");
    a.roster_sheet_id = Some(format!(
        "https://docs.google.com/spreadsheets/d/{SHEET_A}/edit#gid=0"
    ));
    a.roster_tab = Some("team a".to_owned());
    let mut b = campaign("team-b", "review", "Raj Patel");
    b.roster_sheet_id = Some(SHEET_B.to_owned());
    let default = campaign("glow", "review", "Jane Doe, Raj Patel");
    for draft in [&a, &b, &default] {
        assert!(matches!(
            ingest(&h.agent, draft, "file").await.unwrap(),
            Ingest::Started(_)
        ));
    }
    assert_eq!(names(&h, "team-a").await, ["Raj Patel"]);
    assert_eq!(names(&h, "team-b").await, ["Raj Patel"]);
    assert_eq!(
        names(&h, "glow").await,
        ["Jane Doe"],
        "Raj is only in the campaigns' own sheets"
    );
    for (campaign, address) in [("team-a", "raj@a.example"), ("team-b", "raj@b.example")] {
        let rows = list_negotiations(h.agent.store.db(), campaign)
            .await
            .unwrap();
        assert_eq!(rows[0].influencer_email, address, "{campaign}'s own sheet");
    }

    let mut unshared = campaign("team-c", "review", "Raj Patel");
    unshared.roster_sheet_id = Some(UNSHARED.to_owned());
    let Ingest::Rejected(problems) = ingest(&h.agent, &unshared, "file").await.unwrap() else {
        panic!("a campaign on an unreadable sheet must be refused");
    };
    let text = problems.to_string();
    assert!(text.contains("roster_sheet_id"), "{text}");
    assert!(text.contains(UNSHARED), "{text}");
    assert!(
        text.contains(&format!("share it with {CLIENT_EMAIL}")),
        "{text}"
    );
    assert!(names(&h, "team-c").await.is_empty());
}
