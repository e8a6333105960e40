//! The dashboard's HTML, built as strings; everything from outside goes through [`html::esc`].

pub mod campaign;
pub mod campaigns;
pub mod drafts;
pub mod html;
pub mod login;
pub mod negotiation;
pub mod page;
