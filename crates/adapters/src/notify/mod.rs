//! The notifier's adapters: the terminal (with a JSON-lines log), and Slack.

pub mod slack;
mod terminal;

pub use terminal::TerminalNotifier;
