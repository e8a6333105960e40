//! The Slack notifier: notices as Block Kit messages, a channel per kind.
