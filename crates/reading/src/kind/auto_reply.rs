//! Automatic answers: out-of-office and vacation responders, ticket acknowledgements, bulk.
//!
//! Headers and subjects decide alone: RFC 3834 `Auto-Submitted` (anything but `no`),
//! `X-Autoreply`, `X-Autorespond`, `Precedence: auto_reply|bulk|junk` (and `X-Precedence`),
//! vacation headers (`X-Vacation`, `X-Apple-Action: VACATION`, an `X-Mailer` naming vacation),
//! Exchange's `X-Auto-Response-Suppress` *with* `X-MS-Exchange-Inbox-Rules-Loop` (Outlook puts
//! the first on ordinary mail too, so alone it is only a hint, as in Zammad's detector), and
//! responder subjects ("Automatic reply:", "Abwesenheitsnotiz:", "Réponse automatique :", ...).
//!
//! Body text alone never makes a person's reply automatic when it negotiates: an
//! out-of-office sentence counts without those signals only when it opens a short message
//! that names no amount, asks nothing and says nothing of the deal, because a false
//! auto-reply would drop a real counter-offer unread.

use jiff::civil::Date;

use super::AutoReply;
use super::dates::return_date;
use super::text::{first_of, fold, has_money};
use super::view::MailView;
use crate::mail::{InboundEmail, new_text};

/// Subject starts of responders (folded).
const SUBJECT_PREFIXES: &[&str] = &[
    "auto:",
    "automatic reply",
    "auto reply",
    "auto-reply",
    "autoreply",
    "auto response",
    "auto-response",
    "autoresponse",
    "autorespons",
    "automatic response",
    "out of office",
    "out of the office",
    "ooo:",
    "oof:",
    "abwesenheitsnotiz",
    "abwesend",
    "automatische antwort",
    "reponse automatique",
    "respuesta automatica",
    "resposta automatica",
    "risposta automatica",
    "automatisch antwoord",
    "afwezig",
    "automatyczna odpowiedz",
    "[automatyczna odpowiedz]",
    "autosvar",
    "automaattinen vastaus",
    "vacation reply",
    "away from the office",
    "away from office",
    "on vacation",
    "absent du bureau",
    "fuera de la oficina",
    "fuori ufficio",
];

/// Subject words of responders wherever they stand, even after "Re:" (folded).
const SUBJECT_ANYWHERE: &[&str] = &[
    "(automatic response)",
    "(auto-reply)",
    "(auto reply)",
    "[auto-reply]",
    "[auto reply]",
    "automatic reply:",
    "automatiska atbilde",
    "automatische antwort:",
    "reponse automatique :",
    "reponse automatique:",
];

/// Subject words that mean the responder is an out-of-office one (folded).
const SUBJECT_AWAY: &[&str] = &[
    "out of office",
    "out of the office",
    "ooo",
    "oof",
    "abwesenheit",
    "abwesend",
    "afwezig",
    "vacation",
    "absent",
    "fuera de la oficina",
    "fuori ufficio",
    "urlaub",
    "conges",
];

/// Out-of-office sentences (folded), English, Spanish, French, German, Portuguese, Italian
/// and Dutch.
const AWAY_PHRASES: &[&str] = &[
    // English
    "out of the office",
    "out of office",
    "away from the office",
    "away from my desk",
    "on vacation",
    "on holiday",
    "on annual leave",
    "on leave",
    "on maternity leave",
    "on paternity leave",
    "on parental leave",
    "currently away",
    "i am away",
    "i'm away",
    "i am currently out",
    "i'm currently out",
    "limited access to email",
    "limited access to e-mail",
    "limited access to my email",
    "without access to email",
    "no access to email",
    "upon my return",
    "i am traveling",
    "i am travelling",
    "i'm traveling",
    "i'm travelling",
    // Spanish
    "fuera de la oficina",
    "fuera de oficina",
    "estoy de vacaciones",
    "de vacaciones",
    "estoy ausente",
    "no estoy en la oficina",
    "a mi regreso",
    // French
    "absent du bureau",
    "absente du bureau",
    "je suis absent",
    "je suis absente",
    "je suis absent(e)",
    "je serai absent",
    "je serai absente",
    "en conges",
    "en vacances",
    "hors du bureau",
    "a mon retour",
    // German
    "nicht im buro",
    "nicht im hause",
    "nicht im haus",
    "ausser haus",
    "außer haus",
    "im urlaub",
    "abwesend",
    "nicht erreichbar",
    "nach meiner ruckkehr",
    // Portuguese
    "estou ausente",
    "ausente do escritorio",
    "fora do escritorio",
    "estou de ferias",
    "de ferias",
    "em ferias",
    "ao meu retorno",
    // Italian
    "fuori ufficio",
    "fuori sede",
    "sono assente",
    "sono in ferie",
    "in ferie",
    "al mio rientro",
    // Dutch
    "ik ben afwezig",
    "afwezig",
    "niet op kantoor",
    "met vakantie",
    "op vakantie",
    "buiten kantoor",
    "bij terugkomst",
];

/// Words that make a message about the deal, not an absence (folded).
const DEAL_WORDS: &[&str] = &[
    "rate",
    "rates",
    "price",
    "pricing",
    "offer",
    "budget",
    "fee",
    "fees",
    "deal",
    "counter",
    "contract",
    "deliverable",
    "deliverables",
    "exclusivity",
    "usage",
    "cpm",
    "invoice",
    "post",
    "posts",
    "reel",
    "reels",
    "story",
    "stories",
    "video",
    "campaign",
    "yes",
    "sounds good",
    "works for me",
    "happy to",
    "interested",
    "accept",
    "agree",
    "decline",
    "no thanks",
    "ok",
    "okay",
    "va bene",
    "d'accordo",
    "d'accord",
    "de acuerdo",
    "passt",
    "einverstanden",
    "akkoord",
    "combinado",
    "fechado",
    "tarifa",
    "precio",
    "oferta",
    "tarif",
    "prix",
    "offre",
    "preis",
    "angebot",
    "honorar",
    "preco",
    "prezzo",
    "offerta",
    "prijs",
    "aanbod",
];

/// Where an out-of-office sentence must start in a message with no other signal.
const AWAY_OPENING_CHARS: usize = 300;

/// The longest message with no other signal still read as an out-of-office notice.
const AWAY_MAX_CHARS: usize = 1200;

/// An automatic answer, or `None` when the message reads as a person's.
pub(crate) fn read(view: &MailView, email: &InboundEmail, received: Date) -> Option<AutoReply> {
    let subject = fold(&email.subject);
    let text = new_text(&email.body).unwrap_or_else(|| email.body.clone());
    let folded = fold(&text);
    let away = first_of(&folded, AWAY_PHRASES);
    let header = header_signal(view);
    let subject_signal = subject_signal(&subject);
    let (evidence, away_hint) = match (header, subject_signal) {
        (Some((evidence, hint)), subject) => (evidence, hint || subject.is_some_and(|s| s.1)),
        (None, Some((evidence, hint))) => (evidence, hint),
        (None, None) => {
            let (at, phrase) = away?;
            let hinted = weak_signal(view, email);
            let shaped = at < AWAY_OPENING_CHARS && reads_as_absence_only(&text, &folded);
            if !(hinted.is_some() || shaped) {
                return None;
            }
            let evidence = match hinted {
                Some(hint) => format!("{hint} and body \"{phrase}\""),
                None => format!("body \"{phrase}\""),
            };
            (evidence, true)
        }
    };
    let out_of_office = away_hint || away.is_some();
    let returns_on = out_of_office
        .then(|| return_date(&folded, received))
        .flatten();
    Some(AutoReply {
        out_of_office,
        returns_on,
        evidence,
    })
}

/// A header that marks the message automatic: (evidence, says out-of-office).
fn header_signal(view: &MailView) -> Option<(String, bool)> {
    let shown = |name: &str, value: &str| {
        let value: String = value.chars().take(60).collect();
        format!("{name}: {value}")
    };
    if let Some(value) = view.header("auto-submitted") {
        let kind = value
            .split(';')
            .next()
            .unwrap_or_default()
            .trim()
            .to_ascii_lowercase();
        if !kind.is_empty() && kind != "no" {
            return Some((
                shown("Auto-Submitted", value),
                value.to_ascii_lowercase().contains("vacation"),
            ));
        }
    }
    for name in [
        "x-autoreply",
        "x-autorespond",
        "x-autoresponder",
        "x-autoreply-from",
        "x-mail-autoreply",
    ] {
        if let Some(value) = view.header(name) {
            let v = value.trim().to_ascii_lowercase();
            if !matches!(v.as_str(), "no" | "false" | "0") {
                return Some((shown(&header_name(name), value), v.contains("vacation")));
            }
        }
    }
    for name in ["precedence", "x-precedence"] {
        if let Some(value) = view.header(name) {
            let v = value.trim().to_ascii_lowercase();
            if matches!(v.as_str(), "auto_reply" | "auto-reply" | "bulk" | "junk") {
                return Some((shown(&header_name(name), value), false));
            }
        }
    }
    if let Some(value) = view.header("x-vacation") {
        return Some((shown("X-Vacation", value), true));
    }
    if let Some(value) = view
        .header("x-apple-action")
        .filter(|v| v.eq_ignore_ascii_case("vacation"))
    {
        return Some((shown("X-Apple-Action", value), true));
    }
    if let Some(value) = view
        .header("x-mailer")
        .filter(|v| v.to_ascii_lowercase().contains("vacation"))
    {
        return Some((shown("X-Mailer", value), true));
    }
    let suppress = view.header("x-auto-response-suppress");
    if suppress.is_some() && view.header("x-ms-exchange-inbox-rules-loop").is_some() {
        return Some((
            "X-Auto-Response-Suppress with X-MS-Exchange-Inbox-Rules-Loop".to_owned(),
            false,
        ));
    }
    None
}

fn header_name(lower: &str) -> String {
    lower
        .split('-')
        .map(|part| {
            let mut chars = part.chars();
            chars.next().map_or_else(String::new, |c| {
                c.to_ascii_uppercase().to_string() + chars.as_str()
            })
        })
        .collect::<Vec<_>>()
        .join("-")
}

/// A responder subject: (evidence, says out-of-office).
fn subject_signal(subject: &str) -> Option<(String, bool)> {
    let prefix = SUBJECT_PREFIXES.iter().find(|p| subject.starts_with(*p));
    let anywhere = || SUBJECT_ANYWHERE.iter().find(|p| subject.contains(*p));
    let matched = prefix.or_else(anywhere)?;
    let away = SUBJECT_AWAY.iter().any(|w| subject.contains(w));
    Some((
        format!("subject \"{}\"", matched.trim_end_matches(':')),
        away,
    ))
}

/// Signals too weak alone, which an out-of-office sentence confirms.
fn weak_signal(view: &MailView, email: &InboundEmail) -> Option<&'static str> {
    if view.header("return-path").is_some_and(|v| v.trim() == "<>") {
        return Some("Return-Path: <>");
    }
    if view.header("x-auto-response-suppress").is_some() {
        return Some("X-Auto-Response-Suppress");
    }
    let local = email
        .from
        .as_ref()
        .map(|m| m.address.split('@').next().unwrap_or_default().to_owned())
        .unwrap_or_default();
    [
        "noreply",
        "no-reply",
        "donotreply",
        "do-not-reply",
        "no_reply",
    ]
    .contains(&local.as_str())
    .then_some("a no-reply sender")
}

/// Short, and about nothing but the absence: no amount, no question, no word of the deal.
fn reads_as_absence_only(text: &str, folded: &str) -> bool {
    text.chars().count() <= AWAY_MAX_CHARS
        && !text.contains('?')
        && !has_money(text)
        && first_of(folded, DEAL_WORDS).is_none()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::mail::parse_message;

    fn received() -> Date {
        Date::new(2026, 12, 7).unwrap()
    }

    fn auto(raw: &str) -> Option<AutoReply> {
        let email = parse_message(raw.as_bytes()).unwrap();
        read(&MailView::read(raw.as_bytes()), &email, received())
    }

    #[test]
    fn rfc_3834_and_vendor_headers_decide() {
        for (header, evidence) in [
            (
                "Auto-Submitted: auto-replied",
                "Auto-Submitted: auto-replied",
            ),
            (
                "Auto-Submitted: auto-generated; owner-email=a@b.c",
                "Auto-Submitted: auto-generated; owner-email=a@b.c",
            ),
            ("X-Autoreply: yes", "X-Autoreply: yes"),
            ("X-Autorespond: vacation", "X-Autorespond: vacation"),
            ("Precedence: bulk", "Precedence: bulk"),
            ("X-Precedence: auto_reply", "X-Precedence: auto_reply"),
            ("X-Apple-Action: VACATION", "X-Apple-Action: VACATION"),
            ("X-Mailer: vacation 1.2", "X-Mailer: vacation 1.2"),
        ] {
            let raw = format!(
                "From: jane@example.com\nSubject: Re: Offer\n{header}\n\nThanks for your message.\n"
            );
            let reply = auto(&raw).unwrap_or_else(|| panic!("{header}"));
            assert_eq!(reply.evidence, evidence);
        }
        assert!(
            auto(
                "From: jane@example.com\nSubject: Re: Offer\nAuto-Submitted: no\n\nDeal at $500.\n"
            )
            .is_none()
        );
        assert!(
            auto("From: jane@example.com\nSubject: Re: Offer\nPrecedence: list\n\nDeal.\n")
                .is_none()
        );
    }

    #[test]
    fn outlook_suppress_header_alone_is_not_enough() {
        let person = "From: jane@example.com\nSubject: Re: Offer\nX-Auto-Response-Suppress: All\n\nYes, $500 works for me.\n";
        assert!(auto(person).is_none());
        let exchange = "From: jane@example.com\nSubject: Automatic reply: Offer\nX-Auto-Response-Suppress: All\nX-MS-Exchange-Inbox-Rules-Loop: jane@example.com\n\nI am out of the office until December 15.\n";
        let reply = auto(exchange).unwrap();
        assert!(reply.out_of_office);
        assert_eq!(reply.returns_on, Some(Date::new(2026, 12, 15).unwrap()));
    }

    #[test]
    fn responder_subjects_in_many_languages() {
        for subject in [
            "Automatic reply: Offer",
            "Auto: Offer",
            "Out of Office: Offer",
            "Abwesenheitsnotiz: Angebot",
            "Réponse automatique : Offre",
            "Respuesta automática: Oferta",
            "Resposta automática: Oferta",
            "Risposta automatica: Offerta",
            "Automatisch antwoord: Aanbod",
            "Re: Offer (Automatic Response)",
        ] {
            let raw = format!("From: jane@example.com\nSubject: {subject}\n\nThank you.\n");
            assert!(auto(&raw).is_some(), "{subject}");
        }
        assert!(auto("From: jane@example.com\nSubject: Re: Offer\n\nThank you.\n").is_none());
    }

    #[test]
    fn a_short_absence_notice_counts_without_headers() {
        for (body, back) in [
            (
                "I am out of the office until December 15 with limited access to email.",
                Some((2026, 12, 15)),
            ),
            (
                "Je suis absente jusqu'au 3 janvier. Pour toute urgence, contactez Marie.",
                Some((2027, 1, 3)),
            ),
            (
                "Ich bin bis zum 3. Januar nicht im Büro.",
                Some((2027, 1, 3)),
            ),
            (
                "Estoy fuera de la oficina hasta el 3 de enero.",
                Some((2027, 1, 3)),
            ),
            ("Estou ausente até 03/01.", Some((2027, 1, 3))),
            ("Sono fuori ufficio fino al 3 gennaio.", Some((2027, 1, 3))),
            ("Ik ben afwezig tot 3 januari.", Some((2027, 1, 3))),
            ("Thank you for your email. I am on annual leave.", None),
        ] {
            let raw = format!("From: jane@example.com\nSubject: Re: Offer\n\n{body}\n");
            let reply = auto(&raw).unwrap_or_else(|| panic!("{body}"));
            assert!(reply.out_of_office, "{body}");
            let want = back.map(|(y, m, d)| Date::new(y, m, d).unwrap());
            assert_eq!(reply.returns_on, want, "{body}");
            assert!(reply.evidence.starts_with("body"), "{}", reply.evidence);
        }
    }

    #[test]
    fn a_person_mentioning_an_absence_is_a_reply() {
        for body in [
            "I'll be out of office next week but yes, $500 works.",
            "Out of office until Monday. Can we do 600?",
            "I'm on vacation until the 15th, happy to do the reel after that.",
            "Thanks! On holiday now, my rate for a reel is 1.2k EUR.",
            "Hi! Just checking in about the offer - I was out of the office last week.",
        ] {
            let raw = format!("From: jane@example.com\nSubject: Re: Offer\n\n{body}\n");
            assert!(auto(&raw).is_none(), "{body}");
        }
    }

    #[test]
    fn a_null_sender_confirmed_by_an_absence_sentence() {
        let raw = "From: jane@example.com\nReturn-Path: <>\nSubject: Re: Offer\n\nThis is a long notice.\n\n".to_owned()
            + &"Details. ".repeat(60)
            + "\n\nI am out of the office.\n";
        let reply = auto(&raw).unwrap();
        assert_eq!(
            reply.evidence,
            "Return-Path: <> and body \"out of the office\""
        );
    }
}
