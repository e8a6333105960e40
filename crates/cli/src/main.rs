//! The `negotiator` binary.

fn main() {}
