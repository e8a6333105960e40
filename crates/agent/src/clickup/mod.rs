//! ClickUp campaign intake: a task's custom fields mapped to a campaign draft.
