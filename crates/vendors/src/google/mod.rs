//! Google: service-account auth, Gmail and Sheets.
