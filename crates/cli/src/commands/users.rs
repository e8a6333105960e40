//! `negotiator users add|remove|list`: the dashboard's team logins. A password is read from a
//! prompt that does not echo it, or from standard input with `--password-stdin`; never from an
//! argument, which would land in the shell's history.

use std::io::{BufRead, IsTerminal, Write};
use std::path::Path;

use anyhow::{Context as _, bail};
use negotiator_server::dashboard::users;
use negotiator_store::Store;

use crate::args::UsersCommand;

pub async fn run(db: &Path, command: UsersCommand) -> anyhow::Result<()> {
    let store = Store::open(db)
        .await
        .with_context(|| format!("could not open the database at {}", db.display()))?;
    match command {
        UsersCommand::Add {
            name,
            password_stdin,
        } => {
            let password = if password_stdin {
                first_line()?
            } else {
                prompt(&name)?
            };
            users::add(&store, &name, &password, jiff::Timestamp::now()).await?;
            println!(
                "Added {}. Sign in at the dashboard `negotiator serve` shows at / ([server] bind).",
                name.trim()
            );
        }
        UsersCommand::Remove { name } => {
            if !users::remove(&store, &name).await? {
                bail!("there is no user {name:?}; `negotiator users list` shows them");
            }
            println!("Removed {}; their sessions have ended.", name.trim());
        }
        UsersCommand::List => {
            let all = users::list(&store).await?;
            if all.is_empty() {
                println!(
                    "No users: the dashboard is off. `negotiator users add NAME` turns it on."
                );
            }
            for user in all {
                println!("{}\tadded {}", user.name, user.created_at);
            }
        }
    }
    Ok(())
}

fn first_line() -> anyhow::Result<String> {
    let mut line = String::new();
    std::io::stdin()
        .lock()
        .read_line(&mut line)
        .context("could not read the password from standard input")?;
    Ok(line.trim_end_matches(['\r', '\n']).to_owned())
}

/// Asks twice on the terminal, with echo off.
fn prompt(name: &str) -> anyhow::Result<String> {
    if !std::io::stdin().is_terminal() {
        bail!(
            "standard input is not a terminal, so the password cannot be asked for; pipe it in \
             with --password-stdin"
        );
    }
    let ask = |label: &str| -> anyhow::Result<String> {
        eprint!("{label}");
        std::io::stderr().flush().ok();
        echo(false);
        let line = first_line();
        echo(true);
        eprintln!();
        line
    };
    let first = ask(&format!("Password for {}: ", name.trim()))?;
    let again = ask("Again: ")?;
    if first != again {
        bail!("the two passwords differ; nothing was added");
    }
    Ok(first)
}

/// Turns the terminal's echo off or on (`stty`, which every Unix has).
fn echo(on: bool) {
    let _ = std::process::Command::new("stty")
        .arg(if on { "echo" } else { "-echo" })
        .stdin(std::process::Stdio::inherit())
        .status();
}
