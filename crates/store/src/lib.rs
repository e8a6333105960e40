//! SQLite persistence for the negotiator.
