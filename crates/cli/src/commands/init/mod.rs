//! `negotiator init [DIR]`: sets a team up with a commented configuration, a roster, an
//! example campaign and the default knowledge base, never writing over a file.

use std::path::{Path, PathBuf};

use anyhow::Context as _;
use negotiator_adapters::knowledge::{self, Written};

use crate::args::InitArgs;

const CONFIG: &str = include_str!("negotiator.toml");
const ROSTER: &str = include_str!("roster.csv");
const CAMPAIGN: &str = include_str!("example-campaign.toml");

pub fn run(args: InitArgs) -> anyhow::Result<()> {
    let dir = args.dir.unwrap_or_else(|| PathBuf::from("."));
    std::fs::create_dir_all(&dir)
        .with_context(|| format!("could not create the folder {}", dir.display()))?;
    let mut written = Vec::new();
    for (path, text) in [
        ("negotiator.toml", CONFIG),
        ("data/roster.csv", ROSTER),
        ("campaigns/example-campaign.toml", CAMPAIGN),
    ] {
        written.push(write_new(&dir.join(path), text)?);
    }
    written.extend(
        knowledge::write_default(&dir.join("kb")).with_context(|| {
            format!("could not write the knowledge base under {}", dir.display())
        })?,
    );
    report(&dir, &written);
    Ok(())
}

/// Writes `text` to `path` unless something is there already.
fn write_new(path: &Path, text: &str) -> anyhow::Result<Written> {
    if path.exists() {
        return Ok(Written::Skipped(path.to_owned()));
    }
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent)
            .with_context(|| format!("could not create the folder {}", parent.display()))?;
    }
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
        .with_context(|| format!("could not write {}", path.display()))?;
    std::io::Write::write_all(&mut file, text.as_bytes())
        .with_context(|| format!("could not write {}", path.display()))?;
    Ok(Written::Created(path.to_owned()))
}

fn report(dir: &Path, written: &[Written]) {
    let created: Vec<&PathBuf> = written
        .iter()
        .filter_map(|w| match w {
            Written::Created(path) => Some(path),
            Written::Skipped(_) => None,
        })
        .collect();
    let skipped: Vec<&PathBuf> = written
        .iter()
        .filter_map(|w| match w {
            Written::Skipped(path) => Some(path),
            Written::Created(_) => None,
        })
        .collect();
    if created.is_empty() {
        println!("Nothing written: every file is already there.");
    } else {
        println!("Wrote {} file(s):", created.len());
        for path in &created {
            println!("  {}", path.display());
        }
    }
    if !skipped.is_empty() {
        println!("Left as they are ({} already there):", skipped.len());
        for path in &skipped {
            println!("  {}", path.display());
        }
    }
    let here = if dir == Path::new(".") {
        String::new()
    } else {
        format!("cd {} && ", dir.display())
    };
    println!(
        "\nWhat to edit next:\n\
         1. negotiator.toml: [agent] sender and agent_address (who signs and sends), and\n   \
            team_domains; uncomment a production section when you are ready for it.\n\
         2. data/roster.csv: your influencers (keep the header row).\n\
         3. campaigns/example-campaign.toml: your first campaign.\n\
         4. kb/: how your emails sound (kb/README.md explains the files).\n\
         Then: {here}negotiator doctor && negotiator campaign import \
         campaigns/example-campaign.toml && negotiator run"
    );
}

#[cfg(test)]
mod tests {
    use negotiator_adapters::config::Config;

    use super::CONFIG;

    #[test]
    fn the_written_configuration_loads_as_is_and_with_every_section_uncommented() {
        let config = Config::parse(CONFIG).unwrap();
        assert!(config.slack.is_none() && config.anthropic.is_none());
        assert_eq!(
            config.agent.knowledge_base.as_deref(),
            Some(std::path::Path::new("kb"))
        );
        let (local, production) = CONFIG.split_once("# ---- production adapters").unwrap();
        let uncommented: Vec<&str> = production
            .lines()
            .skip(1)
            .map(|line| line.strip_prefix("# ").unwrap_or(line))
            .collect();
        let all = format!("{local}\n{}", uncommented.join("\n"));
        let config = Config::parse(&all).unwrap();
        assert!(config.slack.is_some() && config.clickup.is_some());
        assert!(config.google.is_some() && config.anthropic.is_some());
        assert!(config.openai.is_some() && config.llm.daily_tokens.classify.is_some());
        assert!(config.gmail_push.is_some());
        let clickup = config.clickup.unwrap();
        negotiator_adapters::campaign_source::clickup::check_mapping(&clickup.field_mapping)
            .unwrap();
    }
}
