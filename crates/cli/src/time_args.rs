//! Dates, times and look-back periods as the CLI accepts them, with errors that show the forms.

use std::fmt;
use std::str::FromStr;

use jiff::civil::Date;
use jiff::{SignedDuration, Timestamp, ToSpan};

/// A `--from`/`--to` value: a whole UTC day or an exact instant.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TimeArg {
    Day(Date),
    Instant(Timestamp),
}

impl TimeArg {
    /// The first instant this value covers.
    pub fn start(self) -> Timestamp {
        match self {
            TimeArg::Day(day) => day_start(day),
            TimeArg::Instant(at) => at,
        }
    }

    /// The first instant after this value: a day includes all of itself.
    pub fn end_exclusive(self) -> Timestamp {
        match self {
            TimeArg::Day(day) => day
                .checked_add(1.day())
                .map(day_start)
                .unwrap_or(Timestamp::MAX),
            TimeArg::Instant(at) => at,
        }
    }
}

fn day_start(day: Date) -> Timestamp {
    day.to_zoned(jiff::tz::TimeZone::UTC)
        .map(|z| z.timestamp())
        .unwrap_or(Timestamp::MIN)
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TimeArgError(String);

impl fmt::Display for TimeArgError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{:?} is not a date or time; write a UTC date like 2026-11-25 or a time like \
             2026-11-25T14:30:00Z",
            self.0
        )
    }
}

impl std::error::Error for TimeArgError {}

impl FromStr for TimeArg {
    type Err = TimeArgError;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let text = text.trim();
        if let Ok(day) = text.parse::<Date>() {
            return Ok(TimeArg::Day(day));
        }
        text.parse::<Timestamp>()
            .map(TimeArg::Instant)
            .map_err(|_| TimeArgError(text.to_owned()))
    }
}

/// A `--last` period: a whole number of minutes, hours, days or weeks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Lookback(SignedDuration);

impl Lookback {
    pub fn since(self, now: Timestamp) -> Timestamp {
        now.checked_sub(self.0).unwrap_or(Timestamp::MIN)
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LookbackError(String);

impl fmt::Display for LookbackError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{:?} is not a period; write a number and a unit, like 30m, 24h, 7d or 2w",
            self.0
        )
    }
}

impl std::error::Error for LookbackError {}

impl FromStr for Lookback {
    type Err = LookbackError;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let error = || LookbackError(text.to_owned());
        let trimmed = text.trim();
        let unit = trimmed.chars().last().ok_or_else(error)?;
        let count: i64 = trimmed[..trimmed.len() - unit.len_utf8()]
            .parse()
            .map_err(|_| error())?;
        let minutes_per_unit = match unit.to_ascii_lowercase() {
            'm' => 1,
            'h' => 60,
            'd' => 24 * 60,
            'w' => 7 * 24 * 60,
            _ => return Err(error()),
        };
        if count <= 0 {
            return Err(error());
        }
        count
            .checked_mul(minutes_per_unit)
            .and_then(|minutes| minutes.checked_mul(60))
            .map(|seconds| Lookback(SignedDuration::from_secs(seconds)))
            .ok_or_else(error)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_day_covers_itself_whole() {
        let day: TimeArg = "2026-03-01".parse().unwrap();
        assert_eq!(day.start().to_string(), "2026-03-01T00:00:00Z");
        assert_eq!(day.end_exclusive().to_string(), "2026-03-02T00:00:00Z");
    }

    #[test]
    fn an_instant_is_exact() {
        let at: TimeArg = "2026-03-01T09:30:00Z".parse().unwrap();
        assert_eq!(at.start(), at.end_exclusive());
    }

    #[test]
    fn bad_dates_say_what_to_write() {
        let error = "2026-13-01".parse::<TimeArg>().unwrap_err().to_string();
        assert!(error.contains("2026-11-25"), "{error}");
        assert!("yesterday".parse::<TimeArg>().is_err());
    }

    #[test]
    fn periods_in_every_unit() {
        let now: Timestamp = "2026-11-25T12:00:00Z".parse().unwrap();
        let since = |text: &str| text.parse::<Lookback>().unwrap().since(now).to_string();
        assert_eq!(since("24h"), "2026-11-24T12:00:00Z");
        assert_eq!(since("7d"), "2026-11-18T12:00:00Z");
        assert_eq!(since("30m"), "2026-11-25T11:30:00Z");
        assert_eq!(since("1w"), "2026-11-18T12:00:00Z");
        for bad in ["", "7", "d", "7y", "-1d", "0d", "7 days", "99999999999999w"] {
            assert!(bad.parse::<Lookback>().is_err(), "{bad}");
        }
    }
}
