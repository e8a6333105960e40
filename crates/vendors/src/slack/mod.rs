//! Slack Web API: chat.postMessage and friends, Block Kit limits, request signing (v0).
