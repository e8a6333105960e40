//! One email address, parsed: a single RFC 5322 addr-spec (`local@domain`), never a list.

use std::fmt;

use serde::{Deserialize, Serialize};

/// Longest whole address (RFC 5321's path limit less the angle brackets).
pub const MAX_ADDRESS_LEN: usize = 254;
/// Longest part before the `@`.
pub const MAX_LOCAL_LEN: usize = 64;
/// Longest part of a domain between dots.
pub const MAX_LABEL_LEN: usize = 63;
/// Characters of the refused text that an error repeats.
const SHOWN_CHARS: usize = 80;

/// Exactly one mailbox, `local@domain`, lowercased: a dot-atom local part and a domain name of
/// letters, digits and hyphens. Nothing that could name a second recipient or end a mail
/// header (a comma, a bracket, a space, a line break) can be in one.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct EmailAddress(String);

/// What is wrong with a text that is not one email address.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum AddressProblem {
    Empty,
    /// Two or more addresses, as in `a@x.com, b@y.com` or `a@x.com>,<b@y.com`.
    SeveralAddresses(usize),
    /// `Jane Doe <jane@x.com>`.
    DisplayName,
    /// `<jane@x.com>`.
    AngleBrackets,
    /// A `,` or `;`, which separate addresses in a header.
    ListSeparator(char),
    LineBreak,
    ControlCharacter,
    Whitespace,
    NotAscii(char),
    QuotedLocalPart,
    /// `jane(comment)@x.com`.
    Comment,
    NoAt,
    SeveralAts,
    EmptyLocalPart,
    EmptyDomain,
    TooLong(usize),
    LocalPartTooLong(usize),
    /// A dot at the start or end of the local part, or two in a row.
    LocalPartDots,
    LocalPartCharacter(char),
    /// `jane@[192.0.2.1]`.
    DomainLiteral,
    DomainWithoutDot,
    /// A dot at the start or end of the domain, or two in a row.
    DomainDots,
    DomainLabelTooLong(String),
    DomainLabelCharacter(String),
    DomainLabelHyphen(String),
    NumericTopLevel,
}

impl fmt::Display for AddressProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use AddressProblem as P;
        match self {
            P::Empty => write!(f, "is empty; write one address, like jane@example.com"),
            P::SeveralAddresses(2) => write!(f, "has two addresses; give exactly one"),
            P::SeveralAddresses(n) => write!(f, "has {n} addresses; give exactly one"),
            P::DisplayName => write!(
                f,
                "has a display name; give the bare address only, like jane@example.com"
            ),
            P::AngleBrackets => write!(
                f,
                "has angle brackets; give the bare address only, like jane@example.com"
            ),
            P::ListSeparator(c) => write!(
                f,
                "has a {c:?}, which separates addresses; give exactly one address"
            ),
            P::LineBreak => write!(f, "has a line break; give one address on one line"),
            P::ControlCharacter => write!(f, "has a control character"),
            P::Whitespace => write!(f, "has a space in it; an address has none"),
            P::NotAscii(c) => write!(
                f,
                "has the non-ASCII character {c:?}; only ASCII addresses are accepted"
            ),
            P::QuotedLocalPart => write!(
                f,
                "has a quoted part (\"...\"); quoted addresses are not accepted, give a plain \
                 one like jane@example.com"
            ),
            P::Comment => write!(f, "has a comment in parentheses; give the bare address"),
            P::NoAt => write!(f, "has no @; write it like jane@example.com"),
            P::SeveralAts => write!(f, "has more than one @"),
            P::EmptyLocalPart => write!(f, "has nothing before the @"),
            P::EmptyDomain => write!(f, "has nothing after the @"),
            P::TooLong(n) => write!(
                f,
                "is {n} characters long; an address has at most {MAX_ADDRESS_LEN}"
            ),
            P::LocalPartTooLong(n) => write!(
                f,
                "has {n} characters before the @; at most {MAX_LOCAL_LEN} are allowed"
            ),
            P::LocalPartDots => write!(
                f,
                "has a dot at the start or end of the part before the @, or two dots in a row"
            ),
            P::LocalPartCharacter(c) => {
                write!(f, "has {c:?} before the @, which an address cannot contain")
            }
            P::DomainLiteral => write!(
                f,
                "has an IP address in brackets after the @; give a domain name like example.com"
            ),
            P::DomainWithoutDot => write!(
                f,
                "has no dot after the @; the domain must be like example.com"
            ),
            P::DomainDots => write!(
                f,
                "has a dot at the start or end of the domain, or two dots in a row"
            ),
            P::DomainLabelTooLong(label) => write!(
                f,
                "has a domain part {label:?} longer than {MAX_LABEL_LEN} characters"
            ),
            P::DomainLabelCharacter(label) => write!(
                f,
                "has a domain part {label:?} with characters other than letters, digits and \
                 hyphens"
            ),
            P::DomainLabelHyphen(label) => write!(
                f,
                "has a domain part {label:?} that starts or ends with a hyphen"
            ),
            P::NumericTopLevel => write!(
                f,
                "ends in a number after the last dot; give a domain name like example.com"
            ),
        }
    }
}

/// A text refused as an email address: what it was (cut short) and what is wrong with it.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{shown} {problem}")]
pub struct AddressError {
    /// The refused text, quoted and escaped (so a line break shows as `\n`), cut short.
    shown: String,
    pub problem: AddressProblem,
}

impl AddressError {
    fn new(text: &str, problem: AddressProblem) -> Self {
        let mut cut: String = text.chars().take(SHOWN_CHARS).collect();
        if cut.len() < text.len() {
            cut.push('…');
        }
        AddressError {
            shown: format!("{cut:?}"),
            problem,
        }
    }
}

impl EmailAddress {
    /// Parses exactly one address; surrounding spaces are refused like any other whitespace,
    /// so trim a form field or a cell first.
    pub fn parse(text: &str) -> Result<Self, AddressError> {
        check(text).map_err(|problem| AddressError::new(text, problem))?;
        Ok(EmailAddress(text.to_ascii_lowercase()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The part after the `@`.
    pub fn domain(&self) -> &str {
        self.0.rsplit_once('@').map_or("", |(_, domain)| domain)
    }
}

impl AsRef<str> for EmailAddress {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for EmailAddress {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::str::FromStr for EmailAddress {
    type Err = AddressError;

    fn from_str(text: &str) -> Result<Self, AddressError> {
        EmailAddress::parse(text)
    }
}

impl TryFrom<String> for EmailAddress {
    type Error = AddressError;

    fn try_from(text: String) -> Result<Self, AddressError> {
        EmailAddress::parse(&text)
    }
}

impl From<EmailAddress> for String {
    fn from(address: EmailAddress) -> String {
        address.0
    }
}

/// The problems a reader would name first come first: a second address or a display name
/// before the finer points of the syntax.
fn check(text: &str) -> Result<(), AddressProblem> {
    use AddressProblem as P;
    if text.is_empty() {
        return Err(P::Empty);
    }
    if text.contains(['\r', '\n']) {
        return Err(P::LineBreak);
    }
    // A tab is whitespace, reported as such below.
    if text.chars().any(|c| c.is_control() && c != '\t') {
        return Err(P::ControlCharacter);
    }
    if let Some(c) = text.chars().find(|c| !c.is_ascii()) {
        return Err(P::NotAscii(c));
    }
    let ats = text.matches('@').count();
    let separated = text.contains([',', ';', '<', '>', ' ', '\t']);
    if ats > 1 && separated {
        return Err(P::SeveralAddresses(ats));
    }
    if let Some(open) = text.find('<') {
        return Err(if text[..open].trim().is_empty() {
            P::AngleBrackets
        } else {
            P::DisplayName
        });
    }
    if text.contains('>') {
        return Err(P::AngleBrackets);
    }
    if let Some(c) = text.chars().find(|c| matches!(c, ',' | ';')) {
        return Err(P::ListSeparator(c));
    }
    if text.contains(char::is_whitespace) {
        return Err(P::Whitespace);
    }
    if text.contains('"') {
        return Err(P::QuotedLocalPart);
    }
    if text.contains(['(', ')']) {
        return Err(P::Comment);
    }
    let Some((local, domain)) = text.split_once('@') else {
        return Err(P::NoAt);
    };
    if domain.contains('@') {
        return Err(P::SeveralAts);
    }
    if local.is_empty() {
        return Err(P::EmptyLocalPart);
    }
    if domain.is_empty() {
        return Err(P::EmptyDomain);
    }
    if text.len() > MAX_ADDRESS_LEN {
        return Err(P::TooLong(text.len()));
    }
    if local.len() > MAX_LOCAL_LEN {
        return Err(P::LocalPartTooLong(local.len()));
    }
    check_local(local)?;
    check_domain(domain)
}

/// A dot-atom: atoms of `atext` joined by single dots.
fn check_local(local: &str) -> Result<(), AddressProblem> {
    if local.split('.').any(str::is_empty) {
        return Err(AddressProblem::LocalPartDots);
    }
    let atext = |c: char| c.is_ascii_alphanumeric() || "!#$%&'*+-/=?^_`{|}~.".contains(c);
    match local.chars().find(|c| !atext(*c)) {
        Some(c) => Err(AddressProblem::LocalPartCharacter(c)),
        None => Ok(()),
    }
}

/// A domain name: two or more labels of letters, digits and inner hyphens.
fn check_domain(domain: &str) -> Result<(), AddressProblem> {
    use AddressProblem as P;
    if domain.starts_with('[') || domain.ends_with(']') {
        return Err(P::DomainLiteral);
    }
    if !domain.contains('.') {
        return Err(P::DomainWithoutDot);
    }
    let labels: Vec<&str> = domain.split('.').collect();
    for label in &labels {
        if label.is_empty() {
            return Err(P::DomainDots);
        }
        if label.len() > MAX_LABEL_LEN {
            return Err(P::DomainLabelTooLong((*label).to_owned()));
        }
        if !label.chars().all(|c| c.is_ascii_alphanumeric() || c == '-') {
            return Err(P::DomainLabelCharacter((*label).to_owned()));
        }
        if label.starts_with('-') || label.ends_with('-') {
            return Err(P::DomainLabelHyphen((*label).to_owned()));
        }
    }
    match labels.last() {
        Some(top) if top.chars().all(|c| c.is_ascii_digit()) => Err(P::NumericTopLevel),
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use AddressProblem as P;

    fn problem(text: &str) -> AddressProblem {
        EmailAddress::parse(text).unwrap_err().problem
    }

    #[test]
    fn plain_addresses_are_kept_lowercased() {
        for (text, stored) in [
            ("jane@example.com", "jane@example.com"),
            ("Jane.Doe@Example.COM", "jane.doe@example.com"),
            (
                "jane+deals@mail.example.co.uk",
                "jane+deals@mail.example.co.uk",
            ),
            ("o'neil@x-y.example", "o'neil@x-y.example"),
            ("a!#$%&'*+-/=?^_`{|}~@x.io", "a!#$%&'*+-/=?^_`{|}~@x.io"),
            ("1@2.example", "1@2.example"),
        ] {
            let address = EmailAddress::parse(text).unwrap();
            assert_eq!(address.as_str(), stored, "{text}");
        }
        let jane = EmailAddress::parse("Jane@Example.com").unwrap();
        assert_eq!(jane, EmailAddress::parse("jane@example.COM").unwrap());
        assert_eq!(jane.domain(), "example.com");
    }

    #[test]
    fn a_second_recipient_is_refused_however_it_is_smuggled() {
        for text in [
            "x@creator.example>,<spy@evil.example",
            "a@x.com, b@y.com",
            "a@x.com,b@y.com",
            "a@x.com;b@y.com",
            "a@x.com b@y.com",
            "Jane <jane@x.com>, Spy <spy@evil.example>",
            "a@x.com>\t<b@y.com",
        ] {
            assert!(
                matches!(problem(text), P::SeveralAddresses(_)),
                "{text}: {:?}",
                problem(text)
            );
        }
        let error = EmailAddress::parse("x@creator.example>,<spy@evil.example").unwrap_err();
        assert_eq!(
            error.to_string(),
            "\"x@creator.example>,<spy@evil.example\" has two addresses; give exactly one"
        );
        assert_eq!(
            problem("a@x.com,b@y.com;c@z.com").to_string(),
            "has 3 addresses; give exactly one"
        );
    }

    #[test]
    fn header_injection_is_refused() {
        for text in [
            "jane@x.com\r\nBcc: spy@evil.example",
            "jane@x.com\nBcc:spy@evil.example",
            "jane@x.com\r",
            "\njane@x.com",
        ] {
            assert_eq!(problem(text), P::LineBreak, "{text:?}");
        }
        assert_eq!(problem("jane@x.com\0"), P::ControlCharacter);
        assert_eq!(problem("ja\u{7f}ne@x.com"), P::ControlCharacter);
        assert_eq!(problem("jane\u{1b}[31m@x.com"), P::ControlCharacter);
        let shown = EmailAddress::parse("jane@x.com\r\nBcc: spy@evil.example")
            .unwrap_err()
            .to_string();
        assert!(shown.contains("\\r\\n") && !shown.contains('\n'), "{shown}");
    }

    #[test]
    fn display_names_brackets_and_separators_are_named() {
        assert_eq!(problem("Jane Doe <jane@x.com>"), P::DisplayName);
        assert_eq!(problem("\"Doe, Jane\" <jane@x.com>"), P::DisplayName);
        assert_eq!(problem("<jane@x.com>"), P::AngleBrackets);
        assert_eq!(problem("jane@x.com>"), P::AngleBrackets);
        assert_eq!(problem("jane@x.com,"), P::ListSeparator(','));
        assert_eq!(problem(";jane@x.com"), P::ListSeparator(';'));
        assert_eq!(
            problem("Jane Doe <jane@x.com>").to_string(),
            "has a display name; give the bare address only, like jane@example.com"
        );
    }

    #[test]
    fn whitespace_anywhere_is_refused() {
        for text in [
            " jane@x.com",
            "jane@x.com ",
            "ja ne@x.com",
            "jane@x .com",
            "\tj@x.com",
        ] {
            assert_eq!(problem(text), P::Whitespace, "{text:?}");
        }
        assert_eq!(problem("jane@x.com\u{a0}"), P::NotAscii('\u{a0}'));
    }

    #[test]
    fn non_ascii_and_quoted_addresses_are_refused_saying_why() {
        assert_eq!(problem("zoë@example.com"), P::NotAscii('ë'));
        assert_eq!(problem("jane@exämple.com"), P::NotAscii('ä'));
        assert_eq!(problem("jane@examp\u{0435}.com"), P::NotAscii('\u{0435}'));
        assert!(problem("zoë@example.com").to_string().contains("ASCII"));
        assert_eq!(problem("\"jane\"@x.com"), P::QuotedLocalPart);
        assert_eq!(problem("\"jane@evil\"@x.com"), P::QuotedLocalPart);
        assert!(problem("\"j\"@x.com").to_string().contains("quoted"));
        assert_eq!(problem("jane(work)@x.com"), P::Comment);
        assert_eq!(problem("jane@x.com(work)"), P::Comment);
    }

    #[test]
    fn the_at_and_both_parts_are_required() {
        assert_eq!(problem(""), P::Empty);
        assert_eq!(problem("jane"), P::NoAt);
        assert_eq!(problem("jane.example.com"), P::NoAt);
        assert_eq!(problem("@x.com"), P::EmptyLocalPart);
        assert_eq!(problem("jane@"), P::EmptyDomain);
        assert_eq!(problem("@"), P::EmptyLocalPart);
        assert_eq!(problem("a@b@x.com"), P::SeveralAts);
    }

    #[test]
    fn local_part_dots_and_characters() {
        for text in [".jane@x.com", "jane.@x.com", "ja..ne@x.com", ".@x.com"] {
            assert_eq!(problem(text), P::LocalPartDots, "{text}");
        }
        assert_eq!(problem("ja\\ne@x.com"), P::LocalPartCharacter('\\'));
        assert_eq!(problem("ja[ne@x.com"), P::LocalPartCharacter('['));
        assert_eq!(problem("ja:ne@x.com"), P::LocalPartCharacter(':'));
    }

    #[test]
    fn domains_must_be_names_with_a_dot() {
        assert_eq!(problem("jane@localhost"), P::DomainWithoutDot);
        assert_eq!(problem("jane@[192.0.2.1]"), P::DomainLiteral);
        assert_eq!(problem("jane@192.0.2.1"), P::NumericTopLevel);
        for text in ["jane@.x.com", "jane@x.com.", "jane@x..com"] {
            assert_eq!(problem(text), P::DomainDots, "{text}");
        }
        assert_eq!(
            problem("jane@ex_ample.com"),
            P::DomainLabelCharacter("ex_ample".into())
        );
        assert_eq!(problem("jane@x.c%m"), P::DomainLabelCharacter("c%m".into()));
        assert_eq!(problem("jane@-x.com"), P::DomainLabelHyphen("-x".into()));
        assert_eq!(problem("jane@x-.com"), P::DomainLabelHyphen("x-".into()));
        let long_label = format!("jane@{}.com", "a".repeat(64));
        assert!(matches!(problem(&long_label), P::DomainLabelTooLong(_)));
        assert!(EmailAddress::parse(&format!("jane@{}.com", "a".repeat(63))).is_ok());
    }

    #[test]
    fn length_limits() {
        let local = "a".repeat(MAX_LOCAL_LEN);
        assert!(EmailAddress::parse(&format!("{local}@x.com")).is_ok());
        assert_eq!(
            problem(&format!("{local}a@x.com")),
            P::LocalPartTooLong(MAX_LOCAL_LEN + 1)
        );
        // 64 + 1 + 189 = 254 characters: the longest address accepted.
        let domain = format!(
            "{}.{}.{}.com",
            "b".repeat(60),
            "c".repeat(60),
            "d".repeat(63)
        );
        let longest = format!("{local}@{domain}");
        assert_eq!(longest.len(), MAX_ADDRESS_LEN);
        assert!(EmailAddress::parse(&longest).is_ok());
        assert_eq!(problem(&format!("{longest}m")), P::TooLong(255));
        let huge = format!("{}@x.com", "a".repeat(100_000));
        let error = EmailAddress::parse(&huge).unwrap_err();
        assert!(
            error.to_string().len() < 300,
            "the error repeats a cut-short text"
        );
    }

    #[test]
    fn serde_goes_through_the_parser() {
        let jane: EmailAddress = serde_json::from_str("\"Jane@X.com\"").unwrap();
        assert_eq!(serde_json::to_string(&jane).unwrap(), "\"jane@x.com\"");
        let bad = serde_json::from_str::<EmailAddress>("\"a@x.com, b@y.com\"").unwrap_err();
        assert!(bad.to_string().contains("two addresses"), "{bad}");
    }
}
