//! How each command is written: the answer to anything the grammar cannot read.

use negotiator_vendors::slack::{Block, Message, escape_mrkdwn};

use super::grammar::{CommandName, UsageError};
use super::reply::{Reply, Visibility};

/// One command's forms, with an example.
pub fn usage(command: CommandName) -> &'static str {
    match command {
        CommandName::Audit => {
            "`/audit influencer:NAME|campaign:ID|thread:ID [last:7d] [type:EVENT]`: the ten \
             latest audit entries.\nExample: `/audit influencer:\"Jane Doe\" last:7d type:escalation`"
        }
        CommandName::Claim => {
            "`/claim NAME|EMAIL|THREAD [campaign:ID]`: you take the thread; the agent stops \
             on it.\nExample: `/claim Jane Doe`"
        }
        CommandName::Resume => {
            "`/resume NAME|EMAIL|THREAD [campaign:ID]`: the agent takes the thread back (or \
             the escalation is handed back to it).\nExample: `/resume jane@creator.example`"
        }
        CommandName::Negotiations => {
            "`/negotiations [campaign:ID]`: where every thread stands.\nExample: \
             `/negotiations campaign:glow`"
        }
        CommandName::Sending => {
            "`/sending pause|resume|status`: the stop switch for every outbound email of every \
             campaign; held email goes out in order on resume.\nExample: `/sending pause`"
        }
    }
}

/// The answer to a command that could not be read: what was wrong, and how to write it.
pub fn reply(error: &UsageError) -> Reply {
    let (problem, forms): (String, Vec<&str>) = match error {
        UsageError::UnknownCommand(name) => (
            format!(
                "`{}` is not a command this app knows.",
                escape_mrkdwn(&name.replace('`', "'"))
            ),
            CommandName::ALL.into_iter().map(usage).collect(),
        ),
        UsageError::Bad { command, problem } => (
            format!(
                "That {command} could not be read: {}.",
                escape_mrkdwn(problem.trim_end_matches('.'))
            ),
            vec![usage(*command)],
        ),
    };
    let blocks = vec![
        Block::section(problem.clone()),
        Block::section(forms.join("\n\n")),
    ];
    Reply::new(Message::new(problem, blocks), Visibility::Ephemeral, "")
}

#[cfg(test)]
mod tests {
    use negotiator_vendors::slack::validate;

    use super::*;
    use crate::chatops::grammar::parse;

    #[test]
    fn usage_answers_name_the_problem_and_the_forms() {
        let unknown = reply(&parse("/webhook-collect", "").unwrap_err());
        assert_eq!(validate(&unknown.message), Ok(()));
        let text = serde_json::to_string(&unknown.message.blocks).unwrap();
        for name in ["/audit", "/claim", "/resume", "/negotiations"] {
            assert!(text.contains(name), "{name} in {text}");
        }
        let bad = reply(&parse("/audit", "last:7x").unwrap_err());
        assert!(
            bad.message.text.contains("30m, 24h, 7d"),
            "{}",
            bad.message.text
        );
        assert_eq!(bad.visibility, Visibility::Ephemeral);
    }
}
