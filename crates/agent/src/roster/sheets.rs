//! The Google Sheets roster: the team sheet read tolerantly, looked up by name.
