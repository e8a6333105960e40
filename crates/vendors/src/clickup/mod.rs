//! ClickUp API v2: tasks, custom fields, webhooks and their signatures.
