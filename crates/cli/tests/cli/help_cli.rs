//! `negotiator --help` says what the product is before it lists what it does.

use std::process::Command;

#[test]
fn help_opens_with_what_the_product_is() {
    let out = Command::new(env!("CARGO_BIN_EXE_negotiator"))
        .arg("--help")
        .output()
        .unwrap();
    assert!(out.status.success());
    let help = String::from_utf8(out.stdout).unwrap();
    assert_eq!(
        help.lines().next(),
        Some("An email agent that negotiates influencer marketing rates")
    );
    assert!(!help.contains("binary"), "{help}");
}
