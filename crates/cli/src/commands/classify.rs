//! `negotiator classify`: how the agent reads one email, as JSON, for a person asking why: by
//! the configured classifier, checked against the rules as the agent does, with the plan in play.

use std::io::Read;

use anyhow::{Context as _, bail};
use jiff::tz::TimeZone;
use negotiator_agent::ports::classifier::ReplyContext;
use negotiator_domain::campaign::parse_deliverable;
use negotiator_domain::{Deliverable, Money, Platform, cross_check};
use negotiator_reading::kind::{self, MessageKind};
use negotiator_reading::mail::{extract_reply, parse_message};
use serde_json::json;

use super::context::Context;
use super::eval::configured_classifier;
use crate::args::ClassifyArgs;

pub async fn run(context: &Context, args: ClassifyArgs) -> anyhow::Result<()> {
    let platform: Platform = args.platform.parse()?;
    let our_offer = args
        .offer
        .as_deref()
        .map(str::parse::<Money>)
        .transpose()
        .context("--offer")?;
    let deliverables = planned(platform, &args.deliverables)?;
    let classifier = configured_classifier(&context.config)?;
    let mut raw = Vec::new();
    std::io::stdin()
        .read_to_end(&mut raw)
        .context("could not read standard input")?;
    if raw.iter().all(u8::is_ascii_whitespace) {
        bail!("standard input is empty; pipe an email in, e.g. `negotiator classify < reply.eml`");
    }
    // A message with headers is parsed as email; anything else is taken as the reply text.
    let email = parse_message(&raw)
        .ok()
        .filter(|email| email.from.is_some() || email.message_id.is_some());
    let parsed = email.is_some();
    let (raw, email) = match email {
        Some(email) => (raw, email),
        None => {
            // Plain text: read as the body of an email with no headers.
            let mut wrapped = b"Subject: \n\n".to_vec();
            wrapped.extend_from_slice(&raw);
            let email = parse_message(&wrapped).context("could not read standard input as text")?;
            (wrapped, email)
        }
    };
    let today = jiff::Timestamp::now().to_zoned(TimeZone::UTC).date();
    let sorted = kind::message_kind(&raw, &email, today);
    let text = extract_reply(&email.body);
    let opt_out = kind::opt_out(&text);
    let reply = match (&sorted, &opt_out) {
        (MessageKind::Reply, None) => {
            let context = ReplyContext {
                text: text.clone(),
                subject: email.subject.clone(),
                platform,
                our_offer,
                deliverables,
            };
            let read = classifier.classify(&context).await?.reply;
            let rules = negotiator_reading::rules::read(&context);
            Some(cross_check(read, &rules, context.our_offer))
        }
        _ => None,
    };
    let verdict = match (&sorted, &opt_out) {
        (MessageKind::Bounce(_), _) => {
            "a delivery failure notice: not classified; the agent acts on the bounce"
        }
        (MessageKind::AutoReply(_), _) => {
            "an automatic reply: not classified and never answered; the follow-up waits"
        }
        (MessageKind::Reply, Some(_)) => {
            "a request not to be written to: the address is suppressed and nothing is sent"
        }
        (MessageKind::Reply, None) => "a reply: classified below",
    };
    let out = json!({
        "read_as": if parsed { "rfc5322 email" } else { "plain text" },
        "message_kind": sorted,
        "opt_out": opt_out,
        "verdict": verdict,
        "classifier": classifier.describe(),
        "extracted_reply": text,
        "classification": reply,
    });
    println!("{}", serde_json::to_string_pretty(&out)?);
    Ok(())
}

/// `--deliverables`, each checked against the platform.
fn planned(platform: Platform, texts: &[String]) -> anyhow::Result<Vec<Deliverable>> {
    let mut out = Vec::new();
    for text in texts.iter().map(|t| t.trim()).filter(|t| !t.is_empty()) {
        let (kind, quantity) = parse_deliverable(text, Some(platform))
            .map_err(|e| anyhow::anyhow!("--deliverables: {e}"))?;
        out.push(
            Deliverable::new(platform, kind, quantity)
                .with_context(|| format!("--deliverables: {text:?}"))?,
        );
    }
    Ok(out)
}
