//! `negotiator pause --all` / `resume --all`: the stop switch that holds every outbound email.

use jiff::Timestamp;

use super::context::Context;
use super::person;

pub async fn run(context: &Context, paused: bool, by: Option<String>) -> anyhow::Result<()> {
    let store = context.store().await?;
    let by = person(by);
    let held = store.held_jobs().await?;
    let changed = store.switch_sending(paused, &by, Timestamp::now()).await?;
    match (paused, changed) {
        (true, true) => println!(
            "Sending is paused: no email goes out, of any campaign, until `negotiator resume \
             --all`. Nothing is lost; `negotiator jobs list --waiting` shows what waits."
        ),
        (true, false) => println!("Sending was already paused; nothing changed."),
        (false, true) => println!(
            "Sending resumed: {held} held job(s) are due again and go out in the order they \
             were queued (openings and follow-ups still keep to the send window and the daily \
             cap)."
        ),
        (false, false) => println!("Sending was not paused; nothing changed."),
    }
    Ok(())
}

/// `negotiator doctor`'s line on sending: the pace, and whether the stop switch is on.
pub(super) async fn doctor_check(
    store: &negotiator_store::Store,
    config: &negotiator_adapters::config::Config,
) -> super::doctor::Check {
    let pace = config.settings().pace;
    let days: Vec<String> = pace
        .window
        .days
        .iter()
        .map(|d| format!("{d:?}")[..3].to_owned())
        .collect();
    let ramp = pace
        .ramp
        .map(|r| {
            format!(
                " (a new mailbox starts at {} and adds {} a day)",
                r.first_day, r.step
            )
        })
        .unwrap_or_default();
    let rules = format!(
        "up to {} new conversations a day{ramp}; openings and follow-ups {} {}–{} in the \
         recipient's zone (else {}), {}–{} s apart",
        pace.daily_new_conversations.unwrap_or(u32::MAX),
        days.join(" "),
        pace.window.start.strftime("%H:%M"),
        pace.window.end.strftime("%H:%M"),
        pace.team_zone.iana_name().unwrap_or("UTC"),
        pace.min_gap.as_secs(),
        pace.max_gap.as_secs()
    );
    match negotiator_store::sending_switch(store.db()).await {
        Ok(Some(switch)) if switch.paused => super::doctor::Check {
            what: "sending".into(),
            ok: true,
            detail: format!(
                "PAUSED by {} since {}: no email goes out until `negotiator resume --all`; {rules}",
                switch.changed_by,
                switch.changed_at.strftime("%Y-%m-%d %H:%M UTC")
            ),
        },
        Ok(_) => super::doctor::Check {
            what: "sending".into(),
            ok: true,
            detail: format!("running; {rules}"),
        },
        Err(error) => super::doctor::Check {
            what: "sending".into(),
            ok: false,
            detail: format!("could not read the stop switch: {error}"),
        },
    }
}
