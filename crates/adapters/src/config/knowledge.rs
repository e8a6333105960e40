//! `[agent] knowledge_base`: the folder of Markdown the emails are written with.

use crate::knowledge::Knowledge;

use super::Config;

/// The configured knowledge base (a relative folder is read from the working directory, like
/// `[local] data_dir`), else the shipped one; its wording is checked against `[agent.gate]`.
pub fn knowledge(config: &Config) -> Knowledge {
    match &config.agent.knowledge_base {
        Some(dir) => Knowledge::open(dir, config.agent.gate.clone()),
        None => Knowledge::builtin(),
    }
}

/// `negotiator doctor`'s finding: which knowledge base, and each file it cannot use.
pub fn knowledge_check(config: &Config) -> Result<String, String> {
    let Some(dir) = &config.agent.knowledge_base else {
        return Ok(
            "the shipped one (set [agent] knowledge_base to a folder `negotiator init` wrote to \
             shape the emails)"
                .to_owned(),
        );
    };
    let knowledge = knowledge(config);
    let problems = knowledge.problems();
    if problems.is_empty() {
        let files = knowledge.snapshot_now().files().count();
        return Ok(format!("{} ({files} files in use)", dir.display()));
    }
    let mut lines = vec![format!(
        "{}: {} file(s) cannot be used (the shipped or last good version stands in):",
        dir.display(),
        problems.len()
    )];
    lines.extend(
        problems
            .iter()
            .map(|p| format!("  {}: {}", p.path.display(), p.problem)),
    );
    Err(lines.join("\n"))
}
