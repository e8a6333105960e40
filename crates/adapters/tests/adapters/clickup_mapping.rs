//! ClickUp tasks (in the shape `GET /api/v2/task/{id}` documents) mapped to campaign drafts:
//! every custom field type, ClickUp's quirks one by one, and mapping errors.

use std::collections::BTreeMap;

use negotiator_adapters::campaign_source::clickup::{
    MappingProblem, Target, check_mapping, fields_table, map_task, unset_mapped_fields,
};
use negotiator_domain::{CampaignDraft, Cpm, Money, Platform, SendingMode};
use negotiator_testkit::fakes::clickup::form_mapping;
use negotiator_vendors::clickup::{ClickUpTask, Field};
use serde_json::{Value, json};

/// A task created by the campaign intake form: every field type the mapping reads, plus
/// types it never maps (people, location, relationship, formula, rating, an unknown type)
/// and fields left empty the ways ClickUp leaves them.
const FORM_TASK: &str = negotiator_testkit::fixtures::CLICKUP_FORM_TASK;

fn form_task() -> ClickUpTask {
    serde_json::from_str(FORM_TASK).unwrap()
}

fn mapping(entries: &[(&str, &str)]) -> BTreeMap<String, String> {
    entries
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect()
}

/// A task holding only `fields` (each a custom field object as ClickUp sends it).
fn task_with(fields: Vec<Value>) -> ClickUpTask {
    serde_json::from_value(json!({"id": "abc123", "name": "t", "custom_fields": fields})).unwrap()
}

fn field(name: &str, kind: &str, value: Option<Value>) -> Value {
    let mut f = json!({"id": format!("id-{name}"), "name": name, "type": kind, "type_config": {}});
    if let Some(value) = value {
        f["value"] = value;
    }
    f
}

fn platform_dropdown(value: Value, orderindex_as_text: bool) -> Value {
    let index = |i: i64| {
        if orderindex_as_text {
            json!(i.to_string())
        } else {
            json!(i)
        }
    };
    json!({
        "id": "id-platform", "name": "Platform", "type": "drop_down",
        "type_config": {"options": [
            {"id": "opt-ig", "name": "Instagram", "color": "#E1306C", "orderindex": index(0)},
            {"id": "opt-tt", "name": "TikTok", "color": "#000000", "orderindex": index(1)},
            {"id": "opt-yt", "name": "YouTube", "color": "#FF0000", "orderindex": index(2)}
        ]},
        "value": value
    })
}

#[test]
fn a_form_task_with_every_field_type_becomes_a_valid_campaign() {
    let draft = map_task(&form_task(), &form_mapping()).unwrap();
    assert_eq!(
        draft,
        CampaignDraft {
            campaign_id: Some("86b2x7k1q".into()),
            client_name: Some("Glow Skincare".into()),
            budget: Some("25000".into()),
            platform: Some("Instagram".into()),
            deliverables: vec!["Instagram Reel".into(), "Instagram Story".into()],
            cpm_target: Some("$30".into()),
            cpm_leniency_pct: Some("50".into()),
            cpm_min: None,
            cpm_max: None,
            influencers: vec!["Jane Doe".into(), "Raj Patel".into(), "Mia Chen".into()],
            timeline: Some(
                "Content due for approval: 2026-11-02; Content goes live: 2026-11-16; \
                 Rush delivery: yes"
                    .into()
            ),
            mode: Some("Review".into()),
            instructions: None,
            roster_sheet_id: None,
            roster_tab: None,
        }
    );
    let campaign = draft.validate().unwrap();
    assert_eq!(campaign.campaign_id, "86b2x7k1q");
    assert_eq!(campaign.budget, Money::from_dollars(25_000));
    assert_eq!(campaign.platform, Platform::Instagram);
    assert_eq!(campaign.deliverables.len(), 2);
    assert_eq!(campaign.cpm.floor, Cpm::from_dollars(30));
    assert_eq!(campaign.cpm.ceiling, Cpm::from_dollars(45));
    assert_eq!(campaign.influencers, ["Jane Doe", "Raj Patel", "Mia Chen"]);
    assert_eq!(campaign.mode, SendingMode::Review);
}

#[test]
fn a_field_mapped_to_instructions_and_deliverables_as_people_write_them() {
    let task = task_with(vec![
        field("Client", "short_text", Some(json!("Acme"))),
        field("Budget", "currency", Some(json!(20000))),
        field("Platform", "short_text", Some(json!("Instagram"))),
        field("What we need", "text", Some(json!("1 reel\n2 stories"))),
        field("CPM", "currency", Some(json!(25))),
        field("Creators", "text", Some(json!("Jane Doe"))),
        field(
            "Notes for the writer",
            "text",
            Some(json!("Mention the fragrance-free range.")),
        ),
    ]);
    let draft = map_task(
        &task,
        &mapping(&[
            ("Client", "client_name"),
            ("Budget", "budget"),
            ("Platform", "platform"),
            ("What we need", "deliverables"),
            ("CPM", "cpm_target"),
            ("Creators", "influencers"),
            ("Notes for the writer", "Instructions"),
        ]),
    )
    .unwrap();
    assert_eq!(
        draft.instructions.as_deref(),
        Some("Mention the fragrance-free range.")
    );
    let campaign = draft.validate().unwrap();
    assert_eq!(
        campaign.instructions.as_deref(),
        Some("Mention the fragrance-free range.")
    );
    let written: Vec<String> = campaign
        .deliverables
        .iter()
        .map(|d| d.to_string())
        .collect();
    assert_eq!(written, ["1 Instagram reel", "2 Instagram stories"]);
    assert_eq!(Target::parse("instructions"), Some(Target::Instructions));
}

#[test]
fn a_repeated_delivery_maps_to_the_same_campaign() {
    let first = map_task(&form_task(), &form_mapping()).unwrap();
    let again = map_task(&form_task(), &form_mapping()).unwrap();
    assert_eq!(first, again);
    assert_eq!(again.campaign_id.as_deref(), Some("86b2x7k1q"));
}

#[test]
fn a_mapped_campaign_id_field_replaces_the_task_id() {
    let task = task_with(vec![field(
        "Campaign code",
        "short_text",
        Some(json!("glow-spring")),
    )]);
    let draft = map_task(&task, &mapping(&[("Campaign code", "campaign_id")])).unwrap();
    assert_eq!(draft.campaign_id.as_deref(), Some("glow-spring"));
    let empty = task_with(vec![field("Campaign code", "short_text", Some(json!("")))]);
    let draft = map_task(&empty, &mapping(&[("Campaign code", "campaign_id")])).unwrap();
    assert_eq!(draft.campaign_id.as_deref(), Some("abc123"));
}

#[test]
fn empty_text_arrives_as_zero_and_stays_empty() {
    for empty in [json!(0), json!(""), json!("   "), Value::Null] {
        let task = task_with(vec![field(
            "Client Name",
            "short_text",
            Some(empty.clone()),
        )]);
        let draft = map_task(&task, &mapping(&[("Client Name", "client_name")])).unwrap();
        assert_eq!(draft.client_name, None, "{empty}");
        let problems = draft.validate().unwrap_err();
        assert!(
            problems.0.iter().any(|p| p.field == "client_name"),
            "{problems}"
        );
    }
    // A number that is not 0 in a text field is still its text.
    let task = task_with(vec![field("Client Name", "text", Some(json!(7)))]);
    let draft = map_task(&task, &mapping(&[("Client Name", "client_name")])).unwrap();
    assert_eq!(draft.client_name.as_deref(), Some("7"));
}

#[test]
fn a_missing_value_key_or_a_missing_field_leaves_the_campaign_field_empty() {
    let task = task_with(vec![field("Campaign Budget", "currency", None)]);
    let map = mapping(&[
        ("Campaign Budget", "budget"),
        ("Not On This ClickUpTask", "platform"),
    ]);
    let draft = map_task(&task, &map).unwrap();
    assert_eq!(draft.budget, None);
    assert_eq!(draft.platform, None);
    let fields: Vec<&str> = draft
        .validate()
        .unwrap_err()
        .0
        .iter()
        .map(|p| p.field)
        .collect();
    assert!(
        fields.contains(&"budget") && fields.contains(&"platform"),
        "{fields:?}"
    );
    assert_eq!(
        unset_mapped_fields(&task, &map),
        ["Campaign Budget", "Not On This ClickUpTask"]
    );
    assert_eq!(
        unset_mapped_fields(&form_task(), &form_mapping()),
        ["Backup influencers", "Minimum CPM"]
    );
}

#[test]
fn a_drop_down_reads_by_order_index_or_option_id() {
    let map = mapping(&[("Platform", "platform")]);
    for (value, text_index, expected) in [
        (json!(1), false, "TikTok"),
        (json!(2), true, "YouTube"),
        (json!("1"), false, "TikTok"),
        (json!("opt-yt"), false, "YouTube"),
        (json!("opt-ig"), true, "Instagram"),
        (json!(0), false, "Instagram"),
    ] {
        let task = task_with(vec![platform_dropdown(value.clone(), text_index)]);
        let draft = map_task(&task, &map).unwrap();
        assert_eq!(draft.platform.as_deref(), Some(expected), "{value}");
    }
    // Options without an order index are read by position.
    let task = task_with(vec![json!({
        "id": "f", "name": "Platform", "type": "drop_down",
        "type_config": {"options": [{"id": "a", "name": "Instagram"}, {"id": "b", "name": "YouTube"}]},
        "value": 1
    })]);
    assert_eq!(
        map_task(&task, &map).unwrap().platform.as_deref(),
        Some("YouTube")
    );
}

#[test]
fn a_drop_down_value_matching_no_option_names_the_options() {
    let task = task_with(vec![platform_dropdown(json!(7), false)]);
    let problems = map_task(&task, &mapping(&[("Platform", "platform")])).unwrap_err();
    assert!(!problems.is_config_error());
    let text = problems.to_string();
    assert!(text.contains("platform: "), "{text}");
    assert!(text.contains("0 Instagram, 1 TikTok, 2 YouTube"), "{text}");
    assert!(text.contains("pick a current option"), "{text}");
    assert_eq!(problems.partial.as_ref().unwrap().platform, None);
}

#[test]
fn labels_are_option_ids_read_as_names() {
    let labels = |value: Value| {
        json!({
            "id": "f-labels", "name": "Creators", "type": "labels",
            "type_config": {"options": [
                {"id": "l-1", "label": "Jane Doe", "color": "#fff"},
                {"id": "l-2", "label": "Raj Patel", "color": "#fff"},
                {"id": "l-3", "label": "Mia Chen", "color": "#fff"}
            ]},
            "value": value
        })
    };
    let map = mapping(&[("Creators", "influencers")]);
    let draft = map_task(&task_with(vec![labels(json!(["l-3", "l-1"]))]), &map).unwrap();
    assert_eq!(draft.influencers, ["Mia Chen", "Jane Doe"]);
    let draft = map_task(&task_with(vec![labels(json!([]))]), &map).unwrap();
    assert!(draft.influencers.is_empty());
    let problems = map_task(&task_with(vec![labels(json!(["l-1", "l-9"]))]), &map).unwrap_err();
    assert!(problems.to_string().contains("\"l-9\""), "{problems}");
    assert!(problems.to_string().contains("Jane Doe, "), "{problems}");
}

#[test]
fn deliverables_come_from_labels_drop_downs_or_text() {
    let map = mapping(&[("Deliverables", "deliverables")]);
    let text = task_with(vec![field(
        "Deliverables",
        "text",
        Some(json!("1 Instagram Reel and 2 Instagram Stories")),
    )]);
    assert_eq!(
        map_task(&text, &map).unwrap().deliverables,
        ["1 Instagram Reel", "2 Instagram Stories"]
    );
    let drop_down = task_with(vec![json!({
        "id": "d", "name": "Deliverables", "type": "drop_down",
        "type_config": {"options": [{"id": "x", "name": "TikTok Video", "orderindex": 0}]},
        "value": 0
    })]);
    assert_eq!(
        map_task(&drop_down, &map).unwrap().deliverables,
        ["TikTok Video"]
    );
}

#[test]
fn influencers_come_from_text_lists_or_people() {
    let map = mapping(&[("Influencers", "influencers"), ("More", "influencers")]);
    let task = task_with(vec![
        field(
            "Influencers",
            "text",
            Some(json!("Jane Doe;Raj Patel\r\n jane doe")),
        ),
        field(
            "More",
            "users",
            Some(
                json!([{"id": 1, "username": "Mia Chen", "email": "mia@x.example"}, {"id": 2, "email": "li@x.example"}]),
            ),
        ),
    ]);
    assert_eq!(
        map_task(&task, &map).unwrap().influencers,
        ["Jane Doe", "Raj Patel", "Mia Chen", "li@x.example"]
    );
}

#[test]
fn numbers_arrive_as_strings_currency_and_dollar_or_percent_text() {
    let task = task_with(vec![
        field("Budget", "number", Some(json!("25000.50"))),
        json!({"id": "c", "name": "CPM", "type": "currency",
               "type_config": {"precision": 2, "currency_type": "USD"}, "value": 30}),
        field("Leniency", "number", Some(json!(20))),
        field("CPM Max", "short_text", Some(json!("$40"))),
        field("CPM Min", "short_text", Some(json!("$1,250.5"))),
    ]);
    let map = mapping(&[
        ("Budget", "budget"),
        ("CPM", "cpm_target"),
        ("Leniency", "cpm_leniency_pct"),
        ("CPM Max", "cpm_max"),
        ("CPM Min", "cpm_min"),
    ]);
    let draft = map_task(&task, &map).unwrap();
    assert_eq!(draft.budget.as_deref(), Some("25000.50"));
    assert_eq!(draft.cpm_target.as_deref(), Some("30"));
    assert_eq!(draft.cpm_leniency_pct.as_deref(), Some("20"));
    assert_eq!(draft.cpm_max.as_deref(), Some("$40"));
    assert_eq!("$1,250.5".parse::<Money>(), Ok(Money::from_cents(125_050)));
    assert_eq!(
        draft.budget.unwrap().parse::<Money>(),
        Ok(Money::from_cents(2_500_050))
    );

    let percent = task_with(vec![field("Leniency", "short_text", Some(json!(" 50 % ")))]);
    let draft = map_task(&percent, &mapping(&[("Leniency", "cpm_leniency_pct")])).unwrap();
    assert_eq!(draft.cpm_leniency_pct.as_deref(), Some("50"));
}

#[test]
fn a_currency_other_than_dollars_is_refused() {
    let task = task_with(vec![
        json!({"id": "c", "name": "Budget", "type": "currency",
        "type_config": {"precision": 2, "currency_type": "EUR"}, "value": "25000"}),
    ]);
    let problems = map_task(&task, &mapping(&[("Budget", "budget")])).unwrap_err();
    assert!(problems.to_string().contains("EUR"), "{problems}");
    assert!(problems.to_string().contains("US dollars"), "{problems}");
}

#[test]
fn dates_in_milliseconds_become_readable_dates() {
    for value in [json!("1793610000000"), json!(1793610000000_i64)] {
        let task = task_with(vec![field("Go live", "date", Some(value))]);
        let draft = map_task(&task, &mapping(&[("Go live", "timeline")])).unwrap();
        assert_eq!(draft.timeline.as_deref(), Some("2026-11-02"));
    }
    let with_time = task_with(vec![json!({"id": "d", "name": "Go live", "type": "date",
        "type_config": {}, "value": "1792510200000", "value_options": {"time": true}})]);
    let draft = map_task(&with_time, &mapping(&[("Go live", "timeline")])).unwrap();
    assert_eq!(draft.timeline.as_deref(), Some("2026-10-20 15:30 UTC"));
    let bad = task_with(vec![field("Go live", "date", Some(json!("next week")))]);
    let problems = map_task(&bad, &mapping(&[("Go live", "timeline")])).unwrap_err();
    assert!(
        problems.to_string().contains("date in milliseconds"),
        "{problems}"
    );
}

#[test]
fn checkboxes_email_and_url_read_as_text() {
    let task = task_with(vec![
        field("Rush", "checkbox", Some(json!(true))),
        field("Contact", "email", Some(json!("sam@agency.example"))),
        field("Site", "url", Some(json!(" https://glow.example "))),
        field("Unchecked", "checkbox", Some(json!("false"))),
    ]);
    let draft = map_task(
        &task,
        &mapping(&[
            ("Rush", "timeline"),
            ("Contact", "client_name"),
            ("Site", "campaign_id"),
            ("Unchecked", "mode"),
        ]),
    )
    .unwrap();
    assert_eq!(draft.timeline.as_deref(), Some("yes"));
    assert_eq!(draft.client_name.as_deref(), Some("sam@agency.example"));
    assert_eq!(draft.campaign_id.as_deref(), Some("https://glow.example"));
    // A checkbox cannot choose a sending mode: validation says what mode takes.
    assert_eq!(draft.mode.as_deref(), Some("no"));
    let problems = draft.validate().unwrap_err().to_string();
    assert!(problems.contains("use auto or review"), "{problems}");
}

#[test]
fn fields_that_disagree_are_named_and_fields_that_agree_are_fine() {
    let map = mapping(&[
        ("CPM Target", "cpm_target"),
        ("CPM Target (number)", "cpm_target"),
    ]);
    let agree = task_with(vec![
        field("CPM Target", "short_text", Some(json!("$30"))),
        field("CPM Target (number)", "number", Some(json!("30.00"))),
    ]);
    assert_eq!(
        map_task(&agree, &map).unwrap().cpm_target.as_deref(),
        Some("$30")
    );
    let disagree = task_with(vec![
        field("CPM Target", "short_text", Some(json!("$30"))),
        field("CPM Target (number)", "number", Some(json!("25"))),
    ]);
    let problems = map_task(&disagree, &map).unwrap_err();
    assert!(matches!(
        problems.problems[0],
        MappingProblem::Conflict {
            target: Target::CpmTarget,
            ..
        }
    ));
    let text = problems.to_string();
    assert!(text.contains("\"CPM Target\" says \"$30\""), "{text}");
    assert!(text.contains("fill only one"), "{text}");
    // Only one filled in: no conflict.
    let one = task_with(vec![
        field("CPM Target", "short_text", Some(json!(0))),
        field("CPM Target (number)", "number", Some(json!("25"))),
    ]);
    assert_eq!(
        map_task(&one, &map).unwrap().cpm_target.as_deref(),
        Some("25")
    );
}

#[test]
fn an_unknown_campaign_field_in_the_mapping_is_a_config_error_listing_the_valid_ones() {
    let map = mapping(&[("Client Name", "client_name"), ("Budget", "total_budget")]);
    let problems = map_task(&form_task(), &map).unwrap_err();
    assert!(problems.is_config_error());
    assert!(problems.partial.is_none());
    let text = problems.to_string();
    assert!(
        text.starts_with("the ClickUp field mapping is wrong"),
        "{text}"
    );
    assert!(text.contains("\"total_budget\""), "{text}");
    assert!(text.contains("\"Budget\""), "{text}");
    assert!(
        text.contains("client_name, budget, platform, deliverables"),
        "{text}"
    );
    assert!(check_mapping(&map).is_err());
    // Case, spaces and hyphens in a target name are forgiven.
    assert_eq!(
        check_mapping(&mapping(&[("X", "CPM Leniency-pct")])).unwrap(),
        [("X".to_owned(), Target::CpmLeniencyPct)]
    );
}

#[test]
fn a_mapping_names_fields_by_id_or_by_name_loosely() {
    let task = task_with(vec![
        field("Client  Name ", "short_text", Some(json!("Glow"))),
        field("Budget", "number", Some(json!("100"))),
    ]);
    let draft = map_task(
        &task,
        &mapping(&[("client name", "client_name"), ("id-Budget", "budget")]),
    )
    .unwrap();
    assert_eq!(draft.client_name.as_deref(), Some("Glow"));
    assert_eq!(draft.budget.as_deref(), Some("100"));

    let twins = task_with(vec![
        field("Budget", "number", Some(json!("100"))),
        json!({"id": "other", "name": "Budget", "type": "number", "value": "200"}),
    ]);
    let problems = map_task(&twins, &mapping(&[("Budget", "budget")])).unwrap_err();
    assert!(problems.is_config_error());
    assert!(
        problems.to_string().contains("by its field id"),
        "{problems}"
    );
}

#[test]
fn a_field_type_the_agent_cannot_read_is_named_and_reported_with_the_rest() {
    let mut map = form_mapping();
    map.insert("Related brief".into(), "client_name".into());
    map.remove("Campaign Budget");
    let problems = map_task(&form_task(), &map).unwrap_err();
    assert_eq!(problems.problems.len(), 1, "{problems}");
    let text = problems.to_string();
    assert!(text.contains("\"Related brief\" (tasks)"), "{text}");
    // The fields that could be read are in the partial draft; the full report adds what
    // validating it finds, naming each campaign field once.
    let partial = *problems.partial.clone().unwrap();
    assert_eq!(partial.platform.as_deref(), Some("Instagram"));
    let all = problems.to_campaign_problems();
    let fields: Vec<&str> = all.0.iter().map(|p| p.field).collect();
    assert_eq!(fields, ["client_name", "budget"], "{all}");
}

#[test]
fn fields_table_lists_types_ids_options_and_the_mapping() {
    let task = form_task();
    let fields: Vec<Field> = task.custom_fields.clone();
    let mut map = form_mapping();
    map.insert("Campaign Budgt".into(), "budget".into());
    let table = fields_table(&fields, Some(&map));
    assert_eq!(table.rows.len(), fields.len());
    let platform = table
        .rows
        .iter()
        .find(|r| r.name == "Primary Platform")
        .unwrap();
    assert_eq!(platform.field_type, "drop_down");
    assert_eq!(platform.id, "0a1b2c3d-0000-4000-8000-000000000005");
    assert_eq!(platform.options_text(), "0 Instagram, 1 TikTok, 2 YouTube");
    assert_eq!(platform.mapped_to, Some("platform"));
    assert!(platform.required);
    let labels = table
        .rows
        .iter()
        .find(|r| r.field_type == "labels")
        .unwrap();
    assert_eq!(
        labels.options_text(),
        "0 Instagram Reel, 1 Instagram Story, 2 TikTok Video"
    );
    assert_eq!(labels.options[0].id, "978d5a2e-1111-4222-8333-000000000001");
    let website = table
        .rows
        .iter()
        .find(|r| r.name == "Client Website")
        .unwrap();
    assert_eq!(website.mapped_to, None);
    assert_eq!(
        table.unmatched,
        [("Campaign Budgt".to_owned(), "budget".to_owned())]
    );

    let plain = fields_table(&fields, None);
    assert!(plain.rows.iter().all(|r| r.mapped_to.is_none()));
    assert!(plain.unmatched.is_empty());
}
