//! `negotiator classify`: how the agent reads one email, as JSON, for a person asking why.

use std::io::Read;

use anyhow::{Context, bail};
use negotiator_agent::classify::{Classifier, ReplyContext, RulesClassifier};
use negotiator_agent::mail::{extract_reply, parse_message};
use negotiator_domain::{Money, Platform};
use serde_json::json;

use crate::args::ClassifyArgs;

pub async fn run(args: ClassifyArgs) -> anyhow::Result<()> {
    let platform: Platform = args.platform.parse()?;
    let our_offer = args
        .offer
        .as_deref()
        .map(str::parse::<Money>)
        .transpose()
        .context("--offer")?;
    let mut raw = Vec::new();
    std::io::stdin()
        .read_to_end(&mut raw)
        .context("could not read standard input")?;
    if raw.iter().all(u8::is_ascii_whitespace) {
        bail!("standard input is empty; pipe an email in, e.g. `negotiator classify < reply.eml`");
    }
    // A message with headers is parsed as email; anything else is taken as the reply text.
    let (subject, body, parsed) = match parse_message(&raw) {
        Ok(email) if email.from.is_some() || email.message_id.is_some() => {
            (email.subject.clone(), email.body.clone(), true)
        }
        _ => (
            String::new(),
            String::from_utf8_lossy(&raw).into_owned(),
            false,
        ),
    };
    let text = extract_reply(&body);
    let context = ReplyContext {
        text: text.clone(),
        subject,
        platform,
        our_offer,
        deliverables: Vec::new(),
    };
    let classifier = RulesClassifier;
    let reply = classifier.classify(&context).await?;
    let out = json!({
        "read_as": if parsed { "rfc5322 email" } else { "plain text" },
        "classifier": classifier.describe(),
        "extracted_reply": text,
        "classification": reply,
    });
    println!("{}", serde_json::to_string_pretty(&out)?);
    Ok(())
}
