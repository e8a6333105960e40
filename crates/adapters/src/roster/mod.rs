//! The roster's adapters: a CSV file and a Google Sheet, reading rows by the same cell rules.

mod cells;
mod csv_file;
mod rows;
pub mod sheets;

pub use cells::{EXPECTED as EXPECTED_COLUMNS, MAX_AVERAGE_VIEWS, MAX_RATE_AMOUNT};
pub use csv_file::{CsvRoster, RosterFileError};
pub use rows::RosterRows;
