//! The `[sending]` section: the pace of outbound email (the daily cap of new conversations and
//! its ramp, the send window in the recipient's zone, and the spacing between sends).

use jiff::SignedDuration;
use jiff::civil::{Time, Weekday};
use jiff::tz::TimeZone;
use negotiator_domain::{Ramp, SendPace, SendWindow};
use serde::Deserialize;

#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct SendingConfig {
    /// New conversations (openings) the mailbox starts a day, at most; 0 turns the cap off
    /// (only for a mailbox whose sending is limited elsewhere).
    pub daily_new_conversations: u32,
    /// New conversations on a new mailbox's first sending day; set it to the daily cap for a
    /// mailbox that is already warmed up.
    pub ramp_first_day: u32,
    /// Added to the day's allowance each day after the first, up to the cap.
    pub ramp_per_day: u32,
    /// Openings and follow-ups go out from this time (the recipient's local time)...
    pub window_start: String,
    /// ...until this time.
    pub window_end: String,
    /// The days they go out on.
    pub business_days: Vec<String>,
    /// The team's IANA zone: for recipients whose roster row names none, and the days the cap
    /// counts.
    pub time_zone: String,
    /// Each paced send keeps a random gap of at least this...
    pub min_spacing_secs: u32,
    /// ...and at most this from every other.
    pub max_spacing_secs: u32,
}

impl Default for SendingConfig {
    fn default() -> Self {
        SendingConfig {
            daily_new_conversations: 50,
            ramp_first_day: 20,
            ramp_per_day: 5,
            window_start: "09:00".to_owned(),
            window_end: "17:00".to_owned(),
            business_days: ["mon", "tue", "wed", "thu", "fri"]
                .map(str::to_owned)
                .to_vec(),
            time_zone: "UTC".to_owned(),
            min_spacing_secs: 120,
            max_spacing_secs: 600,
        }
    }
}

impl SendingConfig {
    /// The pace this section asks for, or what is wrong with it (naming the key).
    pub fn pace(&self) -> Result<SendPace, String> {
        if self.ramp_first_day == 0 {
            return Err("[sending] ramp_first_day must be at least 1".to_owned());
        }
        if self.min_spacing_secs > self.max_spacing_secs {
            return Err(format!(
                "[sending] min_spacing_secs ({}) is more than max_spacing_secs ({})",
                self.min_spacing_secs, self.max_spacing_secs
            ));
        }
        let time = |key: &str, text: &str| {
            text.trim().parse::<Time>().map_err(|_| {
                format!("[sending] {key} = {text:?} is not a time of day; write it like \"09:00\"")
            })
        };
        let start = time("window_start", &self.window_start)?;
        let end = time("window_end", &self.window_end)?;
        let mut days = Vec::new();
        for name in &self.business_days {
            let day = weekday(name).ok_or_else(|| {
                format!(
                    "[sending] business_days: {name:?} is not a day; use mon, tue, wed, thu, \
                     fri, sat, sun"
                )
            })?;
            if !days.contains(&day) {
                days.push(day);
            }
        }
        if days.is_empty() {
            return Err("[sending] business_days is empty: name at least one day".to_owned());
        }
        let name = self.time_zone.trim();
        let zone = if name.eq_ignore_ascii_case("UTC") {
            Ok(TimeZone::UTC)
        } else {
            TimeZone::get(name)
        };
        let team_zone = zone.map_err(|_| {
            format!(
                "[sending] time_zone = {:?} is not an IANA time zone; write one such as \
                 \"America/New_York\" or \"Europe/London\"",
                self.time_zone
            )
        })?;
        Ok(SendPace {
            daily_new_conversations: (self.daily_new_conversations > 0)
                .then_some(self.daily_new_conversations),
            ramp: (self.ramp_first_day < self.daily_new_conversations).then_some(Ramp {
                first_day: self.ramp_first_day,
                step: self.ramp_per_day,
            }),
            window: SendWindow { start, end, days },
            team_zone,
            min_gap: SignedDuration::from_secs(i64::from(self.min_spacing_secs)),
            max_gap: SignedDuration::from_secs(i64::from(self.max_spacing_secs)),
        })
    }
}

fn weekday(name: &str) -> Option<Weekday> {
    let name = name.trim().to_ascii_lowercase();
    let days = [
        ("mon", Weekday::Monday),
        ("tue", Weekday::Tuesday),
        ("wed", Weekday::Wednesday),
        ("thu", Weekday::Thursday),
        ("fri", Weekday::Friday),
        ("sat", Weekday::Saturday),
        ("sun", Weekday::Sunday),
    ];
    days.into_iter()
        .find(|(short, _)| name.starts_with(short))
        .map(|(_, day)| day)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_defaults_are_the_safe_pace() {
        assert_eq!(SendingConfig::default().pace(), Ok(SendPace::default()));
    }

    #[test]
    fn a_cap_of_0_with_an_open_window_and_no_spacing_is_no_pace_at_all() {
        let config = SendingConfig {
            daily_new_conversations: 0,
            window_start: "00:00".into(),
            window_end: "00:00".into(),
            business_days: ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
                .map(str::to_owned)
                .to_vec(),
            min_spacing_secs: 0,
            max_spacing_secs: 0,
            ..SendingConfig::default()
        };
        assert!(config.pace().unwrap().is_unpaced());
    }

    #[test]
    fn each_bad_key_is_named() {
        let bad = |change: fn(&mut SendingConfig)| {
            let mut config = SendingConfig::default();
            change(&mut config);
            config.pace().unwrap_err()
        };
        assert!(bad(|c| c.time_zone = "Mars/Base".into()).contains("time_zone"));
        assert!(bad(|c| c.window_start = "9am".into()).contains("window_start"));
        assert!(bad(|c| c.business_days = vec!["someday".into()]).contains("business_days"));
        assert!(bad(|c| c.business_days.clear()).contains("business_days"));
        assert!(bad(|c| c.min_spacing_secs = 900).contains("min_spacing_secs"));
        assert!(bad(|c| c.ramp_first_day = 0).contains("ramp_first_day"));
    }
}
