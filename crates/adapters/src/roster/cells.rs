//! The roster's columns and cell rules, shared by the CSV file and the Google Sheet: a header
//! found tolerantly, each row read into an influencer or refused with the column and why.

use negotiator_domain::{EmailAddress, Money, Platform};
use rust_decimal::Decimal;

use negotiator_agent::ports::roster::{Influencer, RowProblem};

use super::RosterRows;
use negotiator_domain::money::group_digits;

/// The columns, in the words the team's sheet uses. Matching ignores case, spaces and `_`.
const NAME: &str = "name";
const EMAIL: &str = "email";
const PLATFORM: &str = "platform";
const HANDLE: &str = "handle";
const VIEWS: &str = "average views";
const MIN_RATE: &str = "min rate";
const MAX_RATE: &str = "max rate";
const ENGAGEMENT: &str = "engagement rate";
const MANAGER_EMAIL: &str = "manager email";
const ASSISTANT_EMAIL: &str = "assistant email";
const TIME_ZONE: &str = "time zone";
const ALL: [&str; 11] = [
    NAME,
    EMAIL,
    PLATFORM,
    HANDLE,
    VIEWS,
    MIN_RATE,
    MAX_RATE,
    ENGAGEMENT,
    MANAGER_EMAIL,
    ASSISTANT_EMAIL,
    TIME_ZONE,
];
const REQUIRED: [&str; 4] = [NAME, EMAIL, PLATFORM, VIEWS];
/// What a header must and may name, for the error when it lacks a column.
pub const EXPECTED: &str = "Name, Email, Platform and Average Views (and optionally Handle, Min \
                            Rate, Max Rate, Engagement Rate, Manager Email, Assistant Email, Time Zone)";

/// More average views than any account has; a bigger figure is a typing slip, and an offer
/// priced on it would be absurd (10,000,000,000,000 views once priced a $300 billion offer).
pub const MAX_AVERAGE_VIEWS: u64 = 1_000_000_000;
/// The most a min or max rate may be.
pub const MAX_RATE_AMOUNT: Money = Money::from_dollars(10_000_000);

/// Where each known column sits in one roster's header.
#[derive(Debug)]
pub struct Columns {
    positions: Vec<(&'static str, usize)>,
}

impl Columns {
    /// The columns of `header`, or the first required column it lacks.
    pub fn find(header: &[&str]) -> Result<Self, &'static str> {
        let key = |text: &str| text.to_lowercase().replace(['_', ' '], "");
        let mut positions = Vec::new();
        for column in ALL {
            if let Some(at) = header.iter().position(|cell| key(cell) == key(column)) {
                positions.push((column, at));
            } else if REQUIRED.contains(&column) {
                return Err(column);
            }
        }
        Ok(Columns { positions })
    }

    /// Reads rows (numbered as the roster shows them) into usable influencers and problems;
    /// blank rows are passed over.
    pub fn read<'r>(
        &self,
        roster: &str,
        rows: impl IntoIterator<Item = (usize, Vec<&'r str>)>,
    ) -> RosterRows {
        let mut read = RosterRows::default();
        for (row, cells) in rows {
            let cells = cells.as_slice();
            if cells.iter().all(|cell| cell.trim().is_empty()) {
                continue;
            }
            match self.influencer(cells) {
                Ok(influencer) => read.influencers.push(influencer),
                Err((column, problem)) => {
                    let name = self.cell(cells, NAME);
                    read.skipped.push(RowProblem {
                        roster: roster.to_owned(),
                        row,
                        column,
                        problem,
                        name: (!name.is_empty()).then(|| name.to_owned()),
                    });
                }
            }
        }
        read
    }

    fn cell<'c>(&self, cells: &[&'c str], column: &str) -> &'c str {
        self.positions
            .iter()
            .find(|(name, _)| *name == column)
            .and_then(|(_, at)| cells.get(*at))
            .map_or("", |cell| cell.trim())
    }

    fn influencer(&self, cells: &[&str]) -> Result<Influencer, (&'static str, String)> {
        let at = |column: &'static str| move |problem: String| (column, problem);
        let name = self.cell(cells, NAME);
        if name.is_empty() {
            return Err((NAME, "the name is blank".to_owned()));
        }
        let email = match self.cell(cells, EMAIL) {
            "" => {
                return Err((
                    EMAIL,
                    "the email is blank; every influencer needs one".to_owned(),
                ));
            }
            text => EmailAddress::parse(text).map_err(|e| (EMAIL, e.to_string()))?,
        };
        let platform: Platform = self
            .cell(cells, PLATFORM)
            .parse()
            .map_err(|e| (PLATFORM, format!("{e}")))?;
        let average_views = parse_views(self.cell(cells, VIEWS)).map_err(at(VIEWS))?;
        let min_rate = parse_rate(self.cell(cells, MIN_RATE)).map_err(at(MIN_RATE))?;
        let max_rate = parse_rate(self.cell(cells, MAX_RATE)).map_err(at(MAX_RATE))?;
        if let (Some(min), Some(max)) = (min_rate, max_rate)
            && min > max
        {
            return Err((MAX_RATE, format!("{max} is below the min rate {min}")));
        }
        Ok(Influencer {
            name: name.to_owned(),
            email,
            platform,
            handle: self.cell(cells, HANDLE).to_owned(),
            average_views,
            min_rate,
            max_rate,
            engagement_pct: parse_percent(self.cell(cells, ENGAGEMENT)).map_err(at(ENGAGEMENT))?,
            manager_email: parse_optional_address(self.cell(cells, MANAGER_EMAIL))
                .map_err(at(MANAGER_EMAIL))?,
            assistant_email: parse_optional_address(self.cell(cells, ASSISTANT_EMAIL))
                .map_err(at(ASSISTANT_EMAIL))?,
            time_zone: parse_time_zone(self.cell(cells, TIME_ZONE)).map_err(at(TIME_ZONE))?,
        })
    }
}

/// `50000`, `50,000` and `50000.0` are all fifty thousand; zero, less, or more than
/// [`MAX_AVERAGE_VIEWS`] is refused.
fn parse_views(text: &str) -> Result<u64, String> {
    let cleaned = text.replace(',', "");
    let number = cleaned
        .parse::<Decimal>()
        .ok()
        .filter(|v| v.fract().is_zero() && v.is_sign_positive() && !v.is_zero())
        .ok_or_else(|| format!("{text:?} is not a positive whole number of views"))?;
    u64::try_from(number)
        .ok()
        .filter(|views| *views <= MAX_AVERAGE_VIEWS)
        .ok_or_else(|| {
            format!(
                "{text:?} is more than {} average views, more than any account has; check the \
                 number",
                group_digits(MAX_AVERAGE_VIEWS)
            )
        })
}

/// A blank cell is no rate; an amount must be above $0 and at most [`MAX_RATE_AMOUNT`].
fn parse_rate(text: &str) -> Result<Option<Money>, String> {
    if text.is_empty() {
        return Ok(None);
    }
    let rate = text.parse::<Money>().map_err(|_| {
        format!("{text:?} is not an amount of money (write it like $1,250 or 1250)")
    })?;
    if !rate.is_positive() {
        return Err(format!("{text:?} must be more than $0, or left blank"));
    }
    if rate > MAX_RATE_AMOUNT {
        return Err(format!(
            "{text:?} is more than {MAX_RATE_AMOUNT}, the most a rate may be; check the amount"
        ));
    }
    Ok(Some(rate))
}

/// `4.5%` or `4.5`, from 0 to 100; blank is unknown.
fn parse_percent(text: &str) -> Result<Option<Decimal>, String> {
    let cleaned = text.trim_end_matches('%').trim();
    if cleaned.is_empty() {
        return Ok(None);
    }
    cleaned
        .parse::<Decimal>()
        .ok()
        .filter(|pct| !pct.is_sign_negative() && *pct <= Decimal::ONE_HUNDRED)
        .map(Some)
        .ok_or_else(|| {
            format!("{text:?} is not a percentage from 0 to 100 (write it like 4.5% or 4.5)")
        })
}

/// An IANA zone such as `America/New_York`; blank means the team's zone.
fn parse_time_zone(text: &str) -> Result<Option<String>, String> {
    if text.is_empty() {
        return Ok(None);
    }
    jiff::tz::TimeZone::get(text)
        .map(|_| Some(text.to_owned()))
        .map_err(|_| {
            format!(
                "{text:?} is not a time zone name; write an IANA name such as America/New_York \
                 or Europe/Berlin, or leave it blank for the team's zone"
            )
        })
}

fn parse_optional_address(text: &str) -> Result<Option<EmailAddress>, String> {
    if text.is_empty() {
        return Ok(None);
    }
    EmailAddress::parse(text)
        .map(Some)
        .map_err(|e| e.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn views_must_be_a_sane_positive_whole_number() {
        assert_eq!(parse_views("50,000"), Ok(50_000));
        assert_eq!(parse_views("50000.0"), Ok(50_000));
        assert_eq!(parse_views("1,000,000,000"), Ok(MAX_AVERAGE_VIEWS));
        for bad in ["0", "-5", "lots", "", "1.5", "2e9"] {
            assert!(parse_views(bad).is_err(), "{bad}");
        }
        let absurd = parse_views("10,000,000,000,000").unwrap_err();
        assert!(absurd.contains("more than 1,000,000,000"), "{absurd}");
        assert!(parse_views("99999999999999999999999999").is_err());
    }

    #[test]
    fn rates_are_positive_and_sane() {
        assert_eq!(parse_rate(""), Ok(None));
        assert_eq!(parse_rate("$1,250"), Ok(Some(Money::from_dollars(1_250))));
        assert_eq!(parse_rate("$10,000,000"), Ok(Some(MAX_RATE_AMOUNT)));
        for bad in ["$0", "-5", "lots", "$10,000,000.01", "$300,000,000,000.00"] {
            assert!(parse_rate(bad).is_err(), "{bad}");
        }
        assert!(
            parse_rate("$20,000,000")
                .unwrap_err()
                .contains("$10,000,000.00")
        );
    }

    #[test]
    fn a_time_zone_is_an_iana_name_or_blank() {
        assert_eq!(parse_time_zone(""), Ok(None));
        assert_eq!(
            parse_time_zone("Europe/Berlin"),
            Ok(Some("Europe/Berlin".to_owned()))
        );
        assert!(
            parse_time_zone("Mars/Olympus")
                .unwrap_err()
                .contains("IANA")
        );
    }

    #[test]
    fn engagement_is_a_percentage_from_0_to_100() {
        assert_eq!(parse_percent("4.5%"), Ok(Some(Decimal::new(45, 1))));
        assert_eq!(parse_percent("100"), Ok(Some(Decimal::ONE_HUNDRED)));
        assert_eq!(parse_percent("0%"), Ok(Some(Decimal::ZERO)));
        assert_eq!(parse_percent(""), Ok(None));
        for bad in ["-1%", "100.5", "250%", "high"] {
            assert!(parse_percent(bad).is_err(), "{bad}");
        }
    }
}
