//! ClickUp campaign intake: a task's custom fields mapped to a campaign draft.
//!
//! - [`map_task`] reads each mapped custom field by its ClickUp type (numbers sent as text,
//!   `$30`, `50%`, currency, dates in ms, drop-downs by order index or option id, labels by
//!   option ids, checkboxes, `0` for empty text) into a [`negotiator_domain::CampaignDraft`].
//! - [`check_mapping`] checks a configured mapping's campaign field names up front.
//! - [`fields_table`] lists a ClickUp list's fields for `negotiator clickup fields`.
//! - [`ClickUpSource`] fetches a task and maps it: the campaign source port for the webhook job.

mod convert;
mod fields;
mod mapping;
mod source;
mod target;

pub use fields::{FieldRow, FieldsTable, OptionRow, fields_table};
pub use mapping::{MappingProblem, MappingProblems, check_mapping, map_task, unset_mapped_fields};
pub use source::ClickUpSource;
pub use target::{Reading, Target};
