//! The campaign source's adapters: a campaign file (JSON or TOML), and ClickUp's form (the
//! field mapping and the API fetch).

pub mod clickup;
pub mod file;

pub use clickup::ClickUpSource;
pub use file::FileSource;
