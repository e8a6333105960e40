//! The return date of an out-of-office message: the date after a cue such as "until",
//! "back on", "jusqu'au", "bis zum", "hasta el", "fino al", "até", "tot", resolved against the
//! day the message arrived.
//!
//! Resolution rules:
//! - A date without a year is its next occurrence on or after `received`.
//! - A weekday alone ("back on Monday") is its next occurrence strictly after `received`: a
//!   responder that answers on a Monday saying "back Monday" means the Monday after.
//! - An all-numeric date whose day and month could be either way round ("05/07", "12/11/2026")
//!   is read both ways and the earlier of the readings that fall in the window wins (the
//!   nearest future date); a part over 12 settles it ("15/12" is 15 December, "12/15" is
//!   December 15), and a dotted date ("15.12.") is always day first.
//! - A date before `received` or more than a year after it is absurd: `None`.

use jiff::Span;
use jiff::civil::{Date, Weekday};

use super::text::find_words;

/// Words after which the return date follows (folded; longest first where they share a start).
const CUES: &[&str] = &[
    // English
    "back in the office on",
    "back in the office",
    "back in office on",
    "back at work on",
    "back on",
    "back",
    "returning on",
    "returning",
    "return on",
    "return",
    "until",
    "till",
    "through",
    "thru",
    // Spanish
    "hasta el",
    "hasta",
    "regreso el",
    "regresare el",
    "regresare",
    "volvere el",
    "vuelvo el",
    "de vuelta el",
    "a partir del",
    // French
    "jusqu'au",
    "jusqu'a",
    "de retour le",
    "de retour",
    "retour le",
    "a partir du",
    // German
    "bis einschließlich",
    "bis einschliesslich",
    "bis zum",
    "bis",
    "zuruck am",
    "zuruck",
    "ab dem",
    "wieder am",
    // Portuguese
    "ate o dia",
    "ate dia",
    "ate",
    "retorno em",
    "retorno no dia",
    "retorno",
    "de volta em",
    "de volta no dia",
    "volto em",
    "volto no dia",
    "a partir de",
    // Italian
    "fino al",
    "fino a",
    "rientro il",
    "rientrero il",
    "di ritorno il",
    "di rientro il",
    "torno il",
    "a partire dal",
    // Dutch
    "tot en met",
    "t/m",
    "tot",
    "terug op",
    "weer aanwezig op",
    "vanaf",
];

/// Words skipped between a cue and its date ("returning to the office on May 5th").
const FILLERS: &[&str] = &[
    "the",
    "on",
    "to",
    "in",
    "at",
    "office",
    "work",
    "my",
    "desk",
    "and",
    "including",
    "next",
    "this",
    "coming",
    "of",
    "le",
    "la",
    "el",
    "am",
    "dem",
    "den",
    "zum",
    "il",
    "op",
    "em",
    "o",
    "dia",
    "de",
    "du",
    "del",
    "al",
    "en",
    "met",
    "lo",
    "bureau",
    "oficina",
    "buro",
    "ufficio",
    "kantoor",
    "escritorio",
];

const MONTHS: &[(&str, i8)] = &[
    ("january", 1),
    ("jan", 1),
    ("enero", 1),
    ("janvier", 1),
    ("janv", 1),
    ("januar", 1),
    ("janner", 1),
    ("janeiro", 1),
    ("gennaio", 1),
    ("januari", 1),
    ("ene", 1),
    ("february", 2),
    ("feb", 2),
    ("febrero", 2),
    ("fevrier", 2),
    ("fevr", 2),
    ("februar", 2),
    ("fevereiro", 2),
    ("febbraio", 2),
    ("februari", 2),
    ("fev", 2),
    ("march", 3),
    ("mar", 3),
    ("marzo", 3),
    ("mars", 3),
    ("marz", 3),
    ("marco", 3),
    ("maart", 3),
    ("april", 4),
    ("apr", 4),
    ("abril", 4),
    ("avril", 4),
    ("avr", 4),
    ("aprile", 4),
    ("abr", 4),
    ("may", 5),
    ("mayo", 5),
    ("mai", 5),
    ("maio", 5),
    ("maggio", 5),
    ("mei", 5),
    ("june", 6),
    ("jun", 6),
    ("junio", 6),
    ("juin", 6),
    ("juni", 6),
    ("junho", 6),
    ("giugno", 6),
    ("july", 7),
    ("jul", 7),
    ("julio", 7),
    ("juillet", 7),
    ("juil", 7),
    ("juli", 7),
    ("julho", 7),
    ("luglio", 7),
    ("august", 8),
    ("aug", 8),
    ("agosto", 8),
    ("aout", 8),
    ("augustus", 8),
    ("ago", 8),
    ("september", 9),
    ("sep", 9),
    ("sept", 9),
    ("septiembre", 9),
    ("setiembre", 9),
    ("septembre", 9),
    ("setembro", 9),
    ("settembre", 9),
    ("set", 9),
    ("october", 10),
    ("oct", 10),
    ("octubre", 10),
    ("octobre", 10),
    ("oktober", 10),
    ("outubro", 10),
    ("ottobre", 10),
    ("okt", 10),
    ("out", 10),
    ("november", 11),
    ("nov", 11),
    ("noviembre", 11),
    ("novembre", 11),
    ("novembro", 11),
    ("december", 12),
    ("dec", 12),
    ("diciembre", 12),
    ("decembre", 12),
    ("dezember", 12),
    ("dezembro", 12),
    ("dicembre", 12),
    ("dez", 12),
    ("dic", 12),
];

const WEEKDAYS: &[(&str, Weekday)] = &[
    ("monday", Weekday::Monday),
    ("mon", Weekday::Monday),
    ("lunes", Weekday::Monday),
    ("lundi", Weekday::Monday),
    ("montag", Weekday::Monday),
    ("segunda", Weekday::Monday),
    ("segunda-feira", Weekday::Monday),
    ("lunedi", Weekday::Monday),
    ("maandag", Weekday::Monday),
    ("tuesday", Weekday::Tuesday),
    ("tue", Weekday::Tuesday),
    ("tues", Weekday::Tuesday),
    ("martes", Weekday::Tuesday),
    ("mardi", Weekday::Tuesday),
    ("dienstag", Weekday::Tuesday),
    ("terca", Weekday::Tuesday),
    ("terca-feira", Weekday::Tuesday),
    ("martedi", Weekday::Tuesday),
    ("dinsdag", Weekday::Tuesday),
    ("wednesday", Weekday::Wednesday),
    ("wed", Weekday::Wednesday),
    ("miercoles", Weekday::Wednesday),
    ("mercredi", Weekday::Wednesday),
    ("mittwoch", Weekday::Wednesday),
    ("quarta", Weekday::Wednesday),
    ("quarta-feira", Weekday::Wednesday),
    ("mercoledi", Weekday::Wednesday),
    ("woensdag", Weekday::Wednesday),
    ("thursday", Weekday::Thursday),
    ("thu", Weekday::Thursday),
    ("thurs", Weekday::Thursday),
    ("jueves", Weekday::Thursday),
    ("jeudi", Weekday::Thursday),
    ("donnerstag", Weekday::Thursday),
    ("quinta", Weekday::Thursday),
    ("quinta-feira", Weekday::Thursday),
    ("giovedi", Weekday::Thursday),
    ("donderdag", Weekday::Thursday),
    ("friday", Weekday::Friday),
    ("fri", Weekday::Friday),
    ("viernes", Weekday::Friday),
    ("vendredi", Weekday::Friday),
    ("freitag", Weekday::Friday),
    ("sexta", Weekday::Friday),
    ("sexta-feira", Weekday::Friday),
    ("venerdi", Weekday::Friday),
    ("vrijdag", Weekday::Friday),
    ("saturday", Weekday::Saturday),
    ("sabado", Weekday::Saturday),
    ("samedi", Weekday::Saturday),
    ("samstag", Weekday::Saturday),
    ("sonnabend", Weekday::Saturday),
    ("sabato", Weekday::Saturday),
    ("zaterdag", Weekday::Saturday),
    ("sunday", Weekday::Sunday),
    ("domingo", Weekday::Sunday),
    ("dimanche", Weekday::Sunday),
    ("sonntag", Weekday::Sunday),
    ("domenica", Weekday::Sunday),
    ("zondag", Weekday::Sunday),
];

const TOMORROW: &[&str] = &["tomorrow", "manana", "demain", "morgen", "amanha", "domani"];

/// How many filler words may stand between a cue and its date.
const MAX_FILLERS: usize = 5;

/// The first return date announced in `folded` (text passed through `fold`), resolved
/// against `received`; `None` if no cue is followed by a date in the window.
pub(crate) fn return_date(folded: &str, received: Date) -> Option<Date> {
    let mut cues: Vec<(usize, &str)> = CUES
        .iter()
        .flat_map(|cue| {
            find_words(folded, cue)
                .into_iter()
                .map(move |at| (at, *cue))
        })
        .collect();
    cues.sort_by_key(|&(at, cue)| (at, std::cmp::Reverse(cue.len())));
    cues.into_iter().find_map(|(at, cue)| {
        let tokens = tokens(&folded[at + cue.len()..]);
        date_at(&tokens, received)
    })
}

/// The next words, with surrounding punctuation trimmed (dots kept: "15." and "dec." matter).
fn tokens(rest: &str) -> Vec<&str> {
    rest.split_whitespace()
        .map(|w| {
            w.trim_matches(|c: char| matches!(c, ',' | ';' | ':' | '(' | ')' | '!' | '"' | '*'))
        })
        .filter(|w| !w.is_empty())
        .take(MAX_FILLERS + 6)
        .collect()
}

fn date_at(tokens: &[&str], received: Date) -> Option<Date> {
    let start = tokens
        .iter()
        .take(MAX_FILLERS + 1)
        .position(|t| !FILLERS.contains(&t.trim_end_matches('.')))?;
    let tokens = &tokens[start..];
    let first = tokens.first()?.trim_end_matches('.');
    if TOMORROW.contains(&first) {
        return received.tomorrow().ok();
    }
    if let Some(weekday) = weekday(first) {
        let rest = skip_fillers(&tokens[1..]);
        return explicit(rest, received).or_else(|| next_weekday(weekday, received));
    }
    explicit(tokens, received)
}

fn skip_fillers<'a, 'b>(tokens: &'a [&'b str]) -> &'a [&'b str] {
    let skip = tokens
        .iter()
        .take(2)
        .take_while(|t| FILLERS.contains(&t.trim_end_matches('.')))
        .count();
    &tokens[skip..]
}

/// A written date at the start of `tokens`: numeric, month-name first or day first.
fn explicit(tokens: &[&str], received: Date) -> Option<Date> {
    let first = *tokens.first()?;
    if let Some(date) = numeric(first, received) {
        return Some(date);
    }
    if let Some(month) = month(first) {
        let day = tokens.get(1).and_then(|t| day_number(t))?;
        let year = tokens.get(2).and_then(|t| year_number(t));
        return resolve(&[(day, month)], year, received);
    }
    let day = day_number(first)?;
    let rest = skip_fillers(&tokens[1..]);
    let month = rest.first().and_then(|t| month(t))?;
    let year = skip_fillers(&rest[1..])
        .first()
        .and_then(|t| year_number(t));
    resolve(&[(day, month)], year, received)
}

/// "2026-12-15", "15.12.2026", "15.12.", "12/15", "05/07/2010": both readings where the
/// parts allow, the nearest in the window wins.
fn numeric(token: &str, received: Date) -> Option<Date> {
    // A sentence's full stop is not part of the date ("until 01/02."), a day's dot is ("15.12.").
    let token = match token.strip_suffix('.') {
        Some(inner) if inner.contains(['/', '-']) => inner,
        _ => token,
    };
    if !token
        .chars()
        .all(|c| c.is_ascii_digit() || matches!(c, '/' | '.' | '-'))
        || !token.chars().next()?.is_ascii_digit()
    {
        return None;
    }
    let dotted = token.contains('.');
    let parts: Vec<&str> = token
        .split(['/', '.', '-'])
        .filter(|p| !p.is_empty())
        .collect();
    let nums: Vec<i32> = parts
        .iter()
        .map(|p| p.parse().ok())
        .collect::<Option<_>>()?;
    match (parts.as_slice(), nums.as_slice()) {
        ([y, _, _], &[year, month, day]) if y.len() == 4 => {
            resolve(&[(day, month)], Some(year), received)
        }
        (_, &[a, b]) => resolve(&readings(a, b, dotted), None, received),
        ([_, _, y], &[a, b, year]) if y.len() == 2 || y.len() == 4 => {
            let year = if year < 100 { 2000 + year } else { year };
            resolve(&readings(a, b, dotted), Some(year), received)
        }
        _ => None,
    }
}

/// (day, month) readings of two numbers: day first when dotted, else both ways.
fn readings(a: i32, b: i32, dotted: bool) -> Vec<(i32, i32)> {
    if dotted {
        vec![(a, b)]
    } else {
        vec![(a, b), (b, a)]
    }
}

fn month(token: &str) -> Option<i32> {
    let word = token.trim_end_matches('.');
    MONTHS
        .iter()
        .find(|(name, _)| *name == word)
        .map(|&(_, m)| i32::from(m))
}

fn weekday(token: &str) -> Option<Weekday> {
    let word = token.trim_end_matches(['.', ',']);
    WEEKDAYS
        .iter()
        .find(|(name, _)| *name == word)
        .map(|&(_, d)| d)
}

/// "15", "15th", "1st", "1er", "3º", "15." as a day of the month.
fn day_number(token: &str) -> Option<i32> {
    let digits: String = token.chars().take_while(char::is_ascii_digit).collect();
    let suffix = &token[digits.len()..];
    let known = [
        "", ".", "st", "nd", "rd", "th", "er", "º", "°", "o", "e", "de",
    ];
    let day: i32 = digits.parse().ok()?;
    let suffix = suffix.trim_end_matches([',', '.']);
    (known.contains(&suffix) && (1..=31).contains(&day)).then_some(day)
}

fn year_number(token: &str) -> Option<i32> {
    let token = token.trim_end_matches(['.', ',']);
    (token.len() == 4 && token.chars().all(|c| c.is_ascii_digit()))
        .then(|| token.parse().ok())
        .flatten()
}

/// The earliest reading that is a real date in the window [received, received + 1 year];
/// without a year, each reading is taken in received's year, else the next.
fn resolve(readings: &[(i32, i32)], year: Option<i32>, received: Date) -> Option<Date> {
    let latest = received.checked_add(Span::new().years(1)).ok()?;
    readings
        .iter()
        .filter_map(|&(day, month)| {
            let on = |y: i32| civil_date(y, month, day);
            match year {
                Some(y) => on(y),
                None => on(i32::from(received.year()))
                    .filter(|d| *d >= received)
                    .or_else(|| on(i32::from(received.year()) + 1)),
            }
        })
        .filter(|d| *d >= received && *d <= latest)
        .min()
}

fn civil_date(year: i32, month: i32, day: i32) -> Option<Date> {
    let year = i16::try_from(year).ok()?;
    let month = i8::try_from(month).ok()?;
    let day = i8::try_from(day).ok()?;
    Date::new(year, month, day).ok()
}

fn next_weekday(weekday: Weekday, received: Date) -> Option<Date> {
    let ahead = (weekday.to_monday_zero_offset() - received.weekday().to_monday_zero_offset())
        .rem_euclid(7);
    let ahead = if ahead == 0 { 7 } else { ahead };
    received
        .checked_add(Span::new().days(i64::from(ahead)))
        .ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kind::text::fold;

    fn date(y: i16, m: i8, d: i8) -> Date {
        Date::new(y, m, d).unwrap()
    }

    /// Received on Monday 2026-12-07.
    fn back(text: &str) -> Option<Date> {
        return_date(&fold(text), date(2026, 12, 7))
    }

    #[test]
    fn english_dates_in_many_shapes() {
        let dec15 = Some(date(2026, 12, 15));
        for text in [
            "I am out of the office until December 15.",
            "Out until Dec. 15th, 2026",
            "back on 15 December",
            "returning to the office on the 15th of December",
            "returning to the office on December 15th.",
            "back 12/15",
            "until 15/12",
            "until 12/15/2026",
            "until 12/15/2026.",
            "back in the office on 2026-12-15",
            "I will return on Tuesday, December 15",
        ] {
            assert_eq!(back(text), dec15, "{text}");
        }
    }

    #[test]
    fn other_languages() {
        let jan3 = Some(date(2027, 1, 3));
        for text in [
            "Ich bin bis zum 3. Januar nicht im Büro.",
            "zurück am 3. Januar",
            "je suis absente jusqu'au 3 janvier",
            "de retour le 3 janvier 2027",
            "estoy fuera de la oficina hasta el 3 de enero",
            "estou ausente até 03/01",
            "sono fuori ufficio fino al 3 gennaio",
            "ik ben afwezig tot 3 januari",
            "ab dem 03.01.2027 wieder erreichbar",
        ] {
            assert_eq!(back(text), jan3, "{text}");
        }
    }

    #[test]
    fn weekdays_are_the_next_one_after_arrival() {
        assert_eq!(back("back on Monday"), Some(date(2026, 12, 14)));
        assert_eq!(back("zurück am Mittwoch"), Some(date(2026, 12, 9)));
        assert_eq!(back("back tomorrow"), Some(date(2026, 12, 8)));
    }

    #[test]
    fn ambiguous_numbers_take_the_nearest_future_reading() {
        // 05/07 is 5 July or May 7; received 2010-07-05, May 7 has passed.
        assert_eq!(
            return_date("away until 05/07/2010", date(2010, 7, 5)),
            Some(date(2010, 7, 5))
        );
        // 01/02: January 2 (next year) or 1 February; January 2 is nearer.
        assert_eq!(back("until 01/02"), Some(date(2027, 1, 2)));
        assert_eq!(back("until 01/02. Limited access."), Some(date(2027, 1, 2)));
    }

    #[test]
    fn absurd_or_missing_dates_are_none() {
        for text in [
            "until further notice",
            "until 31/02",
            "back on 2025-01-01",
            "until December 15, 2030",
            "back at 9:00",
            "I am out of the office",
            "until 13/13",
        ] {
            assert_eq!(back(text), None, "{text}");
        }
    }
}
