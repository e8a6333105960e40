//! The knowledge base and the campaign's instructions, through the worker on the local
//! adapters: the templates write the team's words and pick up an edited file without a
//! restart; a broken file is named and the last good version stays; instructions reach the
//! composer and can never change what the gate allows.

use std::path::Path;
use std::sync::{Arc, Mutex};

use async_trait::async_trait;
use negotiator_adapters::compose::TemplateComposer;
use negotiator_adapters::knowledge::{self, Knowledge};
use negotiator_agent::Adapters;
use negotiator_agent::ports::composer::{ComposeError, ComposeRequest, Composed, Composer};
use negotiator_agent::ports::notifier::NoticeKind;
use negotiator_agent::workflows::ingest::ingest;
use negotiator_domain::{GatePolicy, NegotiationState as S, template};
use negotiator_store::EventType;
use negotiator_testkit::{Harness, campaign};

/// Replaces the list under `## heading` in the knowledge-base file `file` with `items`.
fn set_list(kb: &Path, file: &str, heading: &str, items: &[&str]) {
    let path = kb.join(file);
    let text = std::fs::read_to_string(&path).unwrap();
    let start = text.find(&format!("## {heading}")).unwrap();
    let end = text[start + 3..]
        .find("\n## ")
        .map_or(text.len(), |i| start + 3 + i + 1);
    let list: String = items.iter().map(|i| format!("- {i}\n")).collect();
    let new = format!("{}## {heading}\n\n{list}\n{}", &text[..start], &text[end..]);
    std::fs::write(&path, new).unwrap();
}

async fn harness_with_kb() -> (Harness, tempfile::TempDir) {
    let kb_dir = tempfile::tempdir().unwrap();
    knowledge::write_default(kb_dir.path()).unwrap();
    let kb = Knowledge::open(kb_dir.path(), GatePolicy::default());
    let h = Harness::with(|adapters| {
        kb.notify_through(adapters.notifier.clone());
        Adapters {
            composer: Arc::new(TemplateComposer::new(kb.clone())),
            ..adapters
        }
    })
    .await;
    (h, kb_dir)
}

#[tokio::test]
async fn the_templates_write_the_teams_words_and_take_an_edit_without_a_restart() {
    let (mut h, kb) = harness_with_kb().await;
    set_list(
        kb.path(),
        "stages/opening.md",
        "Compliments",
        &["Your {platform} tutorials are the clearest we have seen anywhere."],
    );
    set_list(kb.path(), "playbook.md", "Sign-offs", &["Warm wishes,"]);
    h.start_campaign("auto", "Jane Doe").await;
    h.run().await;
    let opening = &h.outbox_to("jane@creator.example")[0]
        .body
        .replace("\r\n", "\n");
    assert!(
        opening.contains("Your Instagram tutorials are the clearest we have seen anywhere."),
        "{opening}"
    );
    assert!(opening.contains("a Glow Skincare campaign"), "{opening}");
    assert!(opening.contains("Warm wishes,\nAvery Quinn"), "{opening}");
    assert!(
        opening.contains("$1,250.00"),
        "the money line is the code's: {opening}"
    );

    // The team edits the follow-up's opener while the agent runs: the next email has it.
    set_list(
        kb.path(),
        "stages/follow-up.md",
        "Openers",
        &["Just floating this back to the top of your inbox, {first_name}."],
    );
    h.advance(24 * 4);
    h.run().await;
    let emails = h.outbox_to("jane@creator.example");
    assert_eq!(emails.len(), 2, "a follow-up went out");
    assert!(
        emails[1]
            .body
            .contains("Just floating this back to the top of your inbox, Jane."),
        "{}",
        emails[1].body
    );
}

#[tokio::test]
async fn a_broken_file_is_named_and_its_last_good_version_stays_in_use() {
    let (mut h, kb) = harness_with_kb().await;
    set_list(
        kb.path(),
        "stages/opening.md",
        "Openers",
        &["Hello from the team!"],
    );
    h.start_campaign("auto", "Jane Doe").await;
    h.run().await;
    assert!(h.outbox()[0].body.contains("Hello from the team!"));

    // Now it promises exclusivity, which the gate refuses: the file is refused by name.
    set_list(
        kb.path(),
        "stages/opening.md",
        "Openers",
        &["This is an exclusive offer!"],
    );
    ingest(&h.agent, &campaign("glow-2", "auto", "Raj Patel"), "file")
        .await
        .unwrap();
    h.run().await;
    let raj = &h.outbox_to("raj@creator.example")[0].body;
    assert!(raj.contains("Hello from the team!"), "{raj}");
    assert!(!raj.contains("exclusive"), "{raj}");
    let errors = h.notices_of(NoticeKind::Error);
    assert_eq!(errors.len(), 1, "told once: {errors:?}");
    assert!(
        errors[0].summary.contains("stages/opening.md")
            && errors[0].summary.contains("exclusive")
            && errors[0].summary.contains("last good version"),
        "{}",
        errors[0].summary
    );

    // Not UTF-8: also named, and still the last good words.
    std::fs::write(
        kb.path().join("stages/opening.md"),
        b"## Openers\n- \xff\xfe\n",
    )
    .unwrap();
    ingest(&h.agent, &campaign("glow-3", "auto", "Mia Chen"), "file")
        .await
        .unwrap();
    h.run().await;
    let errors = h.notices_of(NoticeKind::Error);
    assert_eq!(errors.len(), 2, "{errors:?}");
    assert!(
        errors[1].summary.contains("not UTF-8"),
        "{}",
        errors[1].summary
    );
    for email in h.outbox() {
        assert!(
            email.body.contains("Hello from the team!"),
            "{}",
            email.body
        );
    }
}

/// Does what the campaign's instructions say, word for word: what an LLM that obeys them
/// would write. Keeps the instructions it was given.
#[derive(Default)]
struct ObedientComposer {
    seen: Mutex<Vec<Option<String>>>,
}

#[async_trait]
impl Composer for ObedientComposer {
    async fn compose(&self, request: &ComposeRequest<'_>) -> Result<Composed, ComposeError> {
        self.seen
            .lock()
            .unwrap()
            .push(request.instructions.map(str::to_owned));
        let mut text = template::render(request.plan, request.sender);
        if let Some(instructions) = request.instructions {
            text.push_str(&format!("\nAs agreed with the team: {instructions}\n"));
        }
        Ok(text.into())
    }

    fn describe(&self) -> String {
        "obedient".into()
    }
}

#[tokio::test]
async fn instructions_reach_the_composer_and_cannot_change_an_amount_or_a_commitment() {
    let composer = Arc::new(ObedientComposer::default());
    let used = composer.clone();
    let mut h = Harness::with(|adapters| Adapters {
        composer: used,
        ..adapters
    })
    .await;
    let mut gentle = campaign("glow", "auto", "Jane Doe");
    gentle.instructions = Some("Mention the fragrance-free spring range.".to_owned());
    ingest(&h.agent, &gentle, "file").await.unwrap();
    h.run().await;
    let jane = &h.outbox_to("jane@creator.example")[0].body;
    assert!(jane.contains("fragrance-free spring range"), "{jane}");

    for (name, instructions) in [
        ("Raj Patel", "Offer $10,000 for the reel."),
        (
            "Mia Chen",
            "Promise them exclusivity and a guaranteed future campaign.",
        ),
    ] {
        let mut pushy = campaign("pushy", "auto", name);
        pushy.campaign_id = Some(format!("pushy-{}", name.len()));
        pushy.instructions = Some(instructions.to_owned());
        ingest(&h.agent, &pushy, "file").await.unwrap();
    }
    h.run().await;
    let seen = composer.seen.lock().unwrap().clone();
    assert!(
        seen.contains(&Some("Offer $10,000 for the reel.".to_owned())),
        "{seen:?}"
    );
    // The gate stopped both: nothing went out, and a person was asked each time.
    assert_eq!(h.outbox().len(), 1, "only Jane's email was sent");
    let escalations = h.notices_of(NoticeKind::Escalation);
    assert_eq!(escalations.len(), 2, "{escalations:?}");
    assert!(
        escalations
            .iter()
            .all(|e| e.summary.contains("validation gate")),
        "{escalations:?}"
    );
    let refused: Vec<String> = h
        .audit(EventType::Error)
        .await
        .into_iter()
        .filter_map(|e| e.email_body)
        .collect();
    assert!(refused.iter().any(|b| b.contains("$10,000")), "{refused:?}");
    assert!(
        refused.iter().any(|b| b.contains("exclusivity")),
        "{refused:?}"
    );
    for name in ["Raj Patel", "Mia Chen"] {
        let rows = negotiator_store::list_negotiations(
            h.agent.store.db(),
            &format!("pushy-{}", name.len()),
        )
        .await
        .unwrap();
        let loaded = negotiator_agent::workflows::Loaded::from_row(&h.agent, rows[0].clone())
            .await
            .unwrap();
        assert_eq!(loaded.negotiation.state(), S::Escalated, "{name}");
    }
}
