//! Thin typed HTTP clients for the external services (ClickUp, Google, Slack, Anthropic). Filled in from Step 3 on.
