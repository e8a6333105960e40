//! The email put together: the model's greeting and paragraphs around the parts written only
//! from the plan (the scope of work with our rate, an agreement's next steps, the signature).
//! These mirror `negotiator_domain::template`, so the amounts read exactly as the template's.

use negotiator_domain::{DeliverableType, EmailKind, EmailPlan, Sender};

use super::prose::Prose;

/// The payment terms every scope of work states (the template's wording).
const PAYMENT: &str = "Payment: within 30 days of the content going live";

const NEXT_STEPS: &str = "Next steps:\n\
    1. We'll send over the contract and scope of work for your signature.\n\
    2. Once it's signed, we'll share the creative brief and brand guidelines.\n\
    3. Payment will be processed within 30 days of your content going live.";

/// The full plain-text body, ending with a newline like the template's.
pub(super) fn assemble(plan: &EmailPlan, sender: &Sender, prose: &Prose) -> String {
    let mut parts = vec![prose.greeting.clone()];
    parts.extend(prose.opening.iter().cloned());
    if let Some(block) = scope_block(plan) {
        parts.push(block);
    }
    if plan.kind == EmailKind::Agreement {
        parts.push(NEXT_STEPS.to_owned());
    }
    parts.extend(prose.closing.iter().cloned());
    parts.push(sign_off(sender));
    let mut body = parts.join("\n\n");
    body.push('\n');
    body
}

/// Every email but a decline carries the block, when there is anything to list.
pub(super) fn has_scope_block(plan: &EmailPlan) -> bool {
    plan.kind != EmailKind::Decline && (!plan.deliverables.is_empty() || plan.our_rate.is_some())
}

/// The first word of the influencer's name, or "there".
pub(super) fn first_name(plan: &EmailPlan) -> String {
    plan.influencer_name
        .split_whitespace()
        .next()
        .unwrap_or("there")
        .to_owned()
}

/// "Hi Jane," when the model's greeting cannot be used.
pub(super) fn default_greeting(plan: &EmailPlan) -> String {
    format!("Hi {},", first_name(plan))
}

/// The scope of work: each planned deliverable type once with its total quantity, our rate
/// for everything together, and the payment terms.
fn scope_block(plan: &EmailPlan) -> Option<String> {
    if !has_scope_block(plan) {
        return None;
    }
    let mut merged: Vec<(DeliverableType, u32)> = Vec::new();
    for d in &plan.deliverables {
        match merged.iter_mut().find(|(kind, _)| *kind == d.kind) {
            Some((_, quantity)) => *quantity = quantity.saturating_add(d.quantity),
            None => merged.push((d.kind, d.quantity)),
        }
    }
    let mut block = String::from("Scope of work:");
    for (kind, quantity) in &merged {
        block.push_str(&format!("\n- {}", kind.counted(*quantity)));
    }
    if let Some(rate) = plan.our_rate {
        if merged.is_empty() {
            block.push_str(&format!("\n- Rate: {rate}"));
        } else {
            block.push_str(&format!("\n- Rate: {rate} for everything above"));
        }
    }
    block.push_str(&format!("\n- {PAYMENT}"));
    Some(block)
}

fn sign_off(sender: &Sender) -> String {
    let mut lines = vec!["Best regards,".to_owned()];
    lines.extend(
        [one_line(&sender.name), one_line(&sender.team)]
            .into_iter()
            .filter(|line| !line.is_empty()),
    );
    lines.join("\n")
}

fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}
