//! The slash commands' grammar: `/audit`, `/claim`, `/resume`, `/negotiations` and `/sending`, read
//! into a [`Command`], or a [`UsageError`] that says what to type instead.

use std::fmt;
use std::str::FromStr;

use jiff::{SignedDuration, Timestamp};
use negotiator_store::EventType;

use super::text::{Fields, fields, stray_filter, unquote, unslack};

/// One of the commands.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CommandName {
    Audit,
    Claim,
    Resume,
    Negotiations,
    Sending,
}

impl CommandName {
    pub const ALL: [CommandName; 5] = [
        CommandName::Audit,
        CommandName::Claim,
        CommandName::Resume,
        CommandName::Negotiations,
        CommandName::Sending,
    ];

    /// The command as typed, with its slash.
    pub fn as_str(self) -> &'static str {
        match self {
            CommandName::Audit => "/audit",
            CommandName::Claim => "/claim",
            CommandName::Resume => "/resume",
            CommandName::Negotiations => "/negotiations",
            CommandName::Sending => "/sending",
        }
    }

    /// The command Slack sent (`/audit`, or `audit`), by name.
    pub fn from_command(command: &str) -> Option<Self> {
        let name = command.trim();
        let name = name.strip_prefix('/').unwrap_or(name);
        Self::ALL
            .into_iter()
            .find(|c| c.as_str()[1..].eq_ignore_ascii_case(name))
    }
}

impl fmt::Display for CommandName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A command, read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Command {
    Audit(AuditQuery),
    /// A person takes the thread; the agent stops on it.
    Claim(Target),
    /// Give the thread back to the agent.
    Resume(Target),
    /// The status board, of one campaign or all.
    Negotiations {
        campaign: Option<String>,
    },
    /// The stop switch for all outbound email.
    Sending(SendingAction),
}

/// What `/sending` does.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SendingAction {
    /// Hold every outbound email.
    Pause,
    /// Let them go, in order.
    Resume,
    /// Say whether sending is paused.
    Status,
}

/// Whose negotiation: a name, an email address or a thread id, optionally narrowed to a
/// campaign.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Target {
    pub who: String,
    pub campaign: Option<String>,
}

/// What `/audit` shows: the newest entries, narrowed by whichever filters are given (none
/// for the whole trail).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct AuditQuery {
    pub influencer: Option<String>,
    pub campaign: Option<String>,
    pub thread: Option<String>,
    pub last: Option<Period>,
    pub event_type: Option<EventType>,
}

/// A look-back period such as `7d`: minutes, hours, days or weeks.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Period {
    length: SignedDuration,
    typed: String,
}

impl Period {
    /// The first instant the period covers, counted back from `now`.
    pub fn since(&self, now: Timestamp) -> Timestamp {
        now.checked_sub(self.length).unwrap_or(Timestamp::MIN)
    }

    /// The period as typed (`7d`), for the CLI's `--last`.
    pub fn as_str(&self) -> &str {
        &self.typed
    }
}

impl FromStr for Period {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let typed = text.trim().to_ascii_lowercase();
        let error = || {
            format!("{text:?} is not a period; write a number and a unit, like 30m, 24h, 7d or 2w")
        };
        let unit = typed.chars().last().ok_or_else(error)?;
        let count: i64 = typed[..typed.len() - unit.len_utf8()]
            .parse()
            .map_err(|_| error())?;
        let minutes = match unit {
            'm' => 1,
            'h' => 60,
            'd' => 24 * 60,
            'w' => 7 * 24 * 60,
            _ => return Err(error()),
        };
        let seconds = count
            .checked_mul(minutes * 60)
            .filter(|_| count > 0)
            .ok_or_else(error)?;
        Ok(Period {
            length: SignedDuration::from_secs(seconds),
            typed,
        })
    }
}

/// What was typed cannot be read; the answer shows how the command is written.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum UsageError {
    #[error("{0} is not a command this app knows")]
    UnknownCommand(String),
    #[error("{problem}")]
    Bad {
        command: CommandName,
        problem: String,
    },
}

impl UsageError {
    fn bad(command: CommandName, problem: impl Into<String>) -> Self {
        UsageError::Bad {
            command,
            problem: problem.into(),
        }
    }
}

const AUDIT_KEYS: &[&str] = &["influencer", "campaign", "thread", "last", "type", "event"];
const TARGET_KEYS: &[&str] = &["influencer", "email", "thread", "campaign"];
const BOARD_KEYS: &[&str] = &["campaign"];

/// Reads `text` (what followed `command` in Slack, as Slack sent it) as a command.
pub fn parse(command: &str, text: &str) -> Result<Command, UsageError> {
    let name = CommandName::from_command(command)
        .ok_or_else(|| UsageError::UnknownCommand(command.trim().to_owned()))?;
    let text = unslack(text);
    match name {
        CommandName::Audit => audit(&text).map(Command::Audit),
        CommandName::Claim => target(name, &text).map(Command::Claim),
        CommandName::Resume => target(name, &text).map(Command::Resume),
        CommandName::Negotiations => board(&text),
        CommandName::Sending => match text.trim().to_ascii_lowercase().as_str() {
            "pause" | "stop" => Ok(Command::Sending(SendingAction::Pause)),
            "resume" | "start" => Ok(Command::Sending(SendingAction::Resume)),
            "" | "status" => Ok(Command::Sending(SendingAction::Status)),
            _ => Err(UsageError::bad(
                name,
                "say pause, resume or status after /sending",
            )),
        },
    }
}

/// Each filter once, with a value.
fn filters(
    command: CommandName,
    found: &Fields,
) -> Result<Vec<(&'static str, String)>, UsageError> {
    let mut seen: Vec<(&'static str, String)> = Vec::new();
    for (key, value) in &found.pairs {
        let key = if *key == "event" { "type" } else { *key };
        if value.is_empty() {
            return Err(UsageError::bad(command, format!("{key}: needs a value")));
        }
        if seen.iter().any(|(k, _)| *k == key) {
            return Err(UsageError::bad(command, format!("{key}: is given twice")));
        }
        seen.push((key, unquote(value)));
    }
    Ok(seen)
}

fn take(filters: &mut Vec<(&'static str, String)>, key: &str) -> Option<String> {
    let at = filters.iter().position(|(k, _)| *k == key)?;
    Some(filters.remove(at).1)
}

fn audit(text: &str) -> Result<AuditQuery, UsageError> {
    let command = CommandName::Audit;
    let found = fields(text, AUDIT_KEYS);
    if !found.leading.is_empty() {
        return Err(UsageError::bad(
            command,
            format!(
                "say what to show with a filter, e.g. influencer:\"{}\"",
                unquote(&found.leading).replace('"', "'")
            ),
        ));
    }
    let mut given = filters(command, &found)?;
    for (key, value) in &given {
        if *key != "influencer"
            && let Some(word) = stray_filter(value)
        {
            return Err(UsageError::bad(
                command,
                format!(
                    "{word:?} is not a filter; the filters are influencer:, campaign:, thread:, last: and type:"
                ),
            ));
        }
    }
    let query = AuditQuery {
        influencer: take(&mut given, "influencer"),
        campaign: take(&mut given, "campaign"),
        thread: take(&mut given, "thread"),
        last: take(&mut given, "last")
            .map(|p| p.parse::<Period>())
            .transpose()
            .map_err(|e| UsageError::bad(command, e))?,
        event_type: take(&mut given, "type")
            .map(|t| t.parse::<EventType>())
            .transpose()
            .map_err(|e| UsageError::bad(command, e.to_string()))?,
    };
    Ok(query)
}

fn target(command: CommandName, text: &str) -> Result<Target, UsageError> {
    let found = fields(text, TARGET_KEYS);
    let mut given = filters(command, &found)?;
    let campaign = take(&mut given, "campaign");
    let mut named: Vec<String> = given.into_iter().map(|(_, v)| v).collect();
    if !found.leading.is_empty() {
        named.insert(0, unquote(&found.leading));
    }
    match named.len() {
        1 => Ok(Target {
            who: named.remove(0),
            campaign,
        }),
        0 => Err(UsageError::bad(
            command,
            "say whose thread: a name, an email address or a thread id",
        )),
        _ => Err(UsageError::bad(
            command,
            "name one thread: a name, an email address or a thread id",
        )),
    }
}

fn board(text: &str) -> Result<Command, UsageError> {
    let command = CommandName::Negotiations;
    let found = fields(text, BOARD_KEYS);
    if !found.leading.is_empty() {
        return Err(UsageError::bad(
            command,
            format!(
                "{:?} is not a filter; to see one campaign, type campaign:ID",
                found.leading
            ),
        ));
    }
    let mut given = filters(command, &found)?;
    Ok(Command::Negotiations {
        campaign: take(&mut given, "campaign"),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn target_of(text: &str) -> Target {
        match parse("/claim", text).unwrap() {
            Command::Claim(target) => target,
            other => panic!("{other:?}"),
        }
    }

    fn problem(command: &str, text: &str) -> String {
        parse(command, text).unwrap_err().to_string()
    }

    #[test]
    fn claim_and_resume_take_a_name_an_email_or_a_thread() {
        assert_eq!(target_of("Jane Doe").who, "Jane Doe");
        assert_eq!(target_of(" \"Jane Doe\" ").who, "Jane Doe");
        assert_eq!(target_of(r#"Zoë "Z" O'Neil"#).who, r#"Zoë "Z" O'Neil"#);
        assert_eq!(
            target_of("<mailto:jane@creator.example|jane@creator.example>").who,
            "jane@creator.example"
        );
        assert_eq!(target_of("18c2f0a9e1b").who, "18c2f0a9e1b");
        assert_eq!(target_of("thread:18c2f0a9e1b").who, "18c2f0a9e1b");
        let narrowed = target_of("Jane Doe campaign:glow");
        assert_eq!(
            narrowed,
            Target {
                who: "Jane Doe".into(),
                campaign: Some("glow".into())
            }
        );
        assert_eq!(
            parse("/resume", "Tom &amp; Jerry").unwrap(),
            Command::Resume(Target {
                who: "Tom & Jerry".into(),
                campaign: None
            })
        );
        assert!(problem("/claim", "").contains("whose thread"));
        assert!(problem("/claim", "campaign:glow").contains("whose thread"));
        assert!(problem("/claim", "Jane thread:abc").contains("one thread"));
    }

    #[test]
    fn audit_reads_its_filters() {
        let Command::Audit(query) =
            parse("/audit", r#"influencer:"Jane Doe" last:7d type:Escalation"#).unwrap()
        else {
            panic!("not an audit");
        };
        assert_eq!(query.influencer.as_deref(), Some("Jane Doe"));
        assert_eq!(query.event_type, Some(EventType::Escalation));
        let now: Timestamp = "2026-11-25T12:00:00Z".parse().unwrap();
        let last = query.last.unwrap();
        assert_eq!(last.as_str(), "7d");
        assert_eq!(last.since(now).to_string(), "2026-11-18T12:00:00Z");
        let Command::Audit(query) = parse("/audit", "campaign:glow event:email-sent").unwrap()
        else {
            panic!("not an audit");
        };
        assert_eq!(query.campaign.as_deref(), Some("glow"));
        assert_eq!(query.event_type, Some(EventType::EmailSent));
        assert!(parse("/audit", "thread:abc").is_ok());
    }

    #[test]
    fn bad_audits_say_what_to_type() {
        assert_eq!(
            parse("/audit", "").unwrap(),
            Command::Audit(AuditQuery::default())
        );
        assert!(problem("/audit", "Jane Doe").contains("influencer:\"Jane Doe\""));
        assert!(parse("/audit", "last:7d").is_ok());
        assert!(problem("/audit", "influencer:Jane last:7x").contains("30m, 24h, 7d"));
        assert!(problem("/audit", "influencer:Jane last:0d").contains("not a period"));
        assert!(problem("/audit", "campaign:glow type:nope").contains("email_sent"));
        assert!(problem("/audit", "influencer:Jane influencer:Raj").contains("twice"));
        assert!(problem("/audit", "influencer:").contains("needs a value"));
        assert!(problem("/audit", "campaign:glow since:7d").contains("since:7d"));
    }

    #[test]
    fn the_board_takes_an_optional_campaign() {
        assert_eq!(
            parse("/negotiations", "").unwrap(),
            Command::Negotiations { campaign: None }
        );
        assert_eq!(
            parse("/Negotiations", " campaign:glow ").unwrap(),
            Command::Negotiations {
                campaign: Some("glow".into())
            }
        );
        assert!(problem("/negotiations", "glow").contains("campaign:ID"));
        assert_eq!(
            parse("/webhook-collect", ""),
            Err(UsageError::UnknownCommand("/webhook-collect".into()))
        );
    }
}
