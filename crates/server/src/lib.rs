//! The HTTP surface (webhooks, Slack commands, health, readiness, metrics). Filled in from Step 3 on.
