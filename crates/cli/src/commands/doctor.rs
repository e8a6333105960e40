//! `negotiator doctor`: is the configuration sound, and does each configured service answer?

use comfy_table::{ContentArrangement, Table, presets::UTF8_FULL_CONDENSED};

use super::context::Context;

/// One line of the report.
pub(super) struct Check {
    pub what: String,
    pub ok: bool,
    pub detail: String,
}

pub async fn run(context: &Context) -> anyhow::Result<()> {
    let mut checks = Vec::new();
    let config = &context.config;
    checks.push(Check {
        what: "configuration".into(),
        ok: true,
        detail: match &config.source {
            Some(path) => format!("read {}", path.display()),
            None => "no negotiator.toml: defaults, every port on its local adapter".into(),
        },
    });
    match context.store().await {
        Ok(store) => {
            if let Some(push) = &config.gmail_push {
                checks.push(super::mail_push::doctor_check(push, &store).await);
            }
            let writable = store.check_writable().await.map_err(|e| e.to_string());
            checks.push(Check {
                what: "database".into(),
                ok: writable.is_ok(),
                detail: match writable {
                    Ok(()) => format!("{} opens and takes writes", context.db.display()),
                    Err(e) => format!("{}: {e}", context.db.display()),
                },
            });
            checks.push(super::sending::doctor_check(&store, config).await);
        }
        Err(error) => checks.push(Check {
            what: "database".into(),
            ok: false,
            detail: format!("{error:#}"),
        }),
    }
    for check in negotiator_adapters::wiring::doctor(config).await {
        checks.push(Check {
            what: check.what,
            ok: check.ok,
            detail: check.detail,
        });
    }

    let mut table = Table::new();
    table
        .load_style(UTF8_FULL_CONDENSED)
        .set_content_arrangement(ContentArrangement::Dynamic)
        .set_header(["check", "", "detail"]);
    for check in &checks {
        table.add_row([
            check.what.clone(),
            if check.ok { "ok" } else { "FAIL" }.to_owned(),
            check.detail.clone(),
        ]);
    }
    println!("{table}");
    let failed = checks.iter().filter(|c| !c.ok).count();
    if failed > 0 {
        anyhow::bail!(
            "{failed} check(s) failed; fix what the detail column says and run `negotiator doctor` again"
        );
    }
    println!("Everything checked is in order.");
    Ok(())
}
