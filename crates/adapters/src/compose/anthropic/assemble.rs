//! The email put together: the model's greeting and paragraphs around the parts written only
//! from the plan (the scope of work with our rate, an agreement's next steps, the signature).
//! Those come from `negotiator_domain::template`, so the amounts read exactly as the template's.

use negotiator_domain::{EmailKind, EmailPlan, Sender, template};

use super::prose::Prose;

/// The full plain-text body, ending with a newline like the template's.
pub(super) fn assemble(plan: &EmailPlan, sender: &Sender, prose: &Prose) -> String {
    let mut parts = vec![prose.greeting.clone()];
    parts.extend(prose.opening.iter().cloned());
    if let Some(block) = scope_block(plan) {
        parts.push(block);
    }
    if plan.kind == EmailKind::Agreement {
        parts.push(template::NEXT_STEPS.to_owned());
    }
    parts.extend(prose.closing.iter().cloned());
    parts.push(template::sign_off(sender));
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

/// The template's scope of work, always with the payment terms (the template adds them only
/// to agreements).
fn scope_block(plan: &EmailPlan) -> Option<String> {
    if !has_scope_block(plan) {
        return None;
    }
    template::scope_of_work(plan, &[template::PAYMENT_LINE.to_owned()])
}
