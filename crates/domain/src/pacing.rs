//! Sending pace: when the next email may go out, from the send window, the daily cap of new
//! conversations with its ramp, and random spacing. Pure: the time, the bookings and the random
//! number all come in as arguments.

use std::collections::BTreeMap;

use jiff::civil::{Date, Time, Weekday};
use jiff::tz::TimeZone;
use jiff::{SignedDuration, Timestamp};

/// How far ahead a slot is looked for before giving up (a window or cap that allows nothing).
const HORIZON_DAYS: i64 = 400;

/// The hours emails may go out in the recipient's time zone, on the days listed. `start ==
/// end` means the whole day.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SendWindow {
    pub start: Time,
    /// Exclusive: nothing goes out at or after it.
    pub end: Time,
    pub days: Vec<Weekday>,
}

impl SendWindow {
    /// Monday to Friday, 09:00 to 17:00.
    pub fn business_hours() -> Self {
        SendWindow {
            start: Time::constant(9, 0, 0, 0),
            end: Time::constant(17, 0, 0, 0),
            days: vec![
                Weekday::Monday,
                Weekday::Tuesday,
                Weekday::Wednesday,
                Weekday::Thursday,
                Weekday::Friday,
            ],
        }
    }

    /// Every hour of every day.
    pub fn always() -> Self {
        SendWindow {
            start: Time::midnight(),
            end: Time::midnight(),
            days: vec![
                Weekday::Monday,
                Weekday::Tuesday,
                Weekday::Wednesday,
                Weekday::Thursday,
                Weekday::Friday,
                Weekday::Saturday,
                Weekday::Sunday,
            ],
        }
    }

    fn all_day(&self) -> bool {
        self.start == self.end
    }

    fn open_on(&self, day: Date) -> bool {
        self.days.contains(&day.weekday())
    }

    /// Whether `at` falls inside the window in `zone`.
    pub fn contains(&self, at: Timestamp, zone: &TimeZone) -> bool {
        let local = zone.to_datetime(at);
        self.open_on(local.date()) && (self.all_day() || self.hours_contain(local.time()))
    }

    fn hours_contain(&self, time: Time) -> bool {
        if self.start < self.end {
            self.start <= time && time < self.end
        } else {
            // A window across midnight, such as 22:00–06:00.
            time >= self.start || time < self.end
        }
    }

    /// The earliest instant at or after `at` inside the window in `zone`.
    fn next_open(&self, at: Timestamp, zone: &TimeZone) -> Result<Timestamp, PaceError> {
        if self.contains(at, zone) {
            return Ok(at);
        }
        let local = zone.to_datetime(at);
        let mut day = local.date();
        for _ in 0..=8 {
            if self.open_on(day) {
                let opens = day
                    .to_datetime(self.start)
                    .to_zoned(zone.clone())
                    .map_err(|_| PaceError::NoSlot)?
                    .timestamp();
                if opens >= at {
                    return Ok(opens);
                }
            }
            day = day.tomorrow().map_err(|_| PaceError::NoSlot)?;
        }
        Err(PaceError::NoSlot)
    }
}

/// A new mailbox starts with fewer new conversations a day and adds `step` each day until the
/// cap.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Ramp {
    /// New conversations on the mailbox's first sending day.
    pub first_day: u32,
    /// Added each day after.
    pub step: u32,
}

/// How the mailbox paces what it sends.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SendPace {
    /// New conversations (openings) a day, counted in the team's time zone; `None` is no cap.
    pub daily_new_conversations: Option<u32>,
    /// The ramp of a new mailbox, if any.
    pub ramp: Option<Ramp>,
    /// When openings and follow-ups may go out, in the recipient's time zone.
    pub window: SendWindow,
    /// The team's zone: recipients without one of their own, and the days the cap counts.
    pub team_zone: TimeZone,
    /// Each paced send keeps a random gap from `min_gap` to `max_gap` from every other.
    pub min_gap: SignedDuration,
    pub max_gap: SignedDuration,
}

/// 50 new conversations a day (20 on a new mailbox's first day, 5 more each day), Monday to
/// Friday 09:00–17:00 in UTC unless the team names its zone, 2 to 10 minutes apart.
impl Default for SendPace {
    fn default() -> Self {
        SendPace {
            daily_new_conversations: Some(50),
            ramp: Some(Ramp {
                first_day: 20,
                step: 5,
            }),
            window: SendWindow::business_hours(),
            team_zone: TimeZone::UTC,
            min_gap: SignedDuration::from_secs(120),
            max_gap: SignedDuration::from_secs(600),
        }
    }
}

/// One slot already booked on the mailbox.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Booked {
    pub at: Timestamp,
    /// An opening, counted against the day's cap.
    pub opening: bool,
}

/// What asks for a slot.
#[derive(Clone, Debug)]
pub struct SlotRequest<'a> {
    pub now: Timestamp,
    /// The recipient's zone.
    pub zone: &'a TimeZone,
    /// A new conversation (counted against the cap); otherwise a follow-up, only windowed
    /// and spaced.
    pub opening: bool,
    /// The mailbox's bookings, in any order.
    pub booked: &'a [Booked],
    /// The team-zone day of the mailbox's first opening: day 0 of the ramp (`None`: today).
    pub first_opening_day: Option<Date>,
    /// A random number: picks the gap.
    pub random: u64,
}

/// No slot could be found.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum PaceError {
    #[error(
        "no send slot within {HORIZON_DAYS} days: the send window or the daily cap allows nothing"
    )]
    NoSlot,
}

impl SendPace {
    /// Every send at once, at any hour: for the demo and tests only.
    pub fn unpaced() -> Self {
        SendPace {
            daily_new_conversations: None,
            ramp: None,
            window: SendWindow::always(),
            team_zone: TimeZone::UTC,
            min_gap: SignedDuration::ZERO,
            max_gap: SignedDuration::ZERO,
        }
    }

    /// Whether nothing is paced at all (the slot is always now).
    pub fn is_unpaced(&self) -> bool {
        self.daily_new_conversations.is_none()
            && self.window.all_day()
            && self.window.days.len() == 7
            && self.max_gap.is_zero()
    }

    /// The most openings allowed on `day` (team zone), given the mailbox's first day.
    pub fn cap_on(&self, day: Date, first: Option<Date>) -> u32 {
        let Some(cap) = self.daily_new_conversations else {
            return u32::MAX;
        };
        let Some(ramp) = self.ramp else {
            return cap;
        };
        let days = first
            .and_then(|first| first.until(day).ok())
            .map_or(0, |span| span.get_days().max(0));
        let days = u32::try_from(days).unwrap_or(u32::MAX);
        ramp.first_day
            .saturating_add(ramp.step.saturating_mul(days))
            .min(cap)
    }

    /// The gap this booking keeps after the one before: from `min_gap` to `max_gap`.
    pub fn gap(&self, random: u64) -> SignedDuration {
        let min = self.min_gap.as_secs().max(0);
        let max = self.max_gap.as_secs().max(min);
        let spread = u64::try_from(max - min).unwrap_or(0);
        let extra = if spread == 0 {
            0
        } else {
            random % (spread + 1)
        };
        SignedDuration::from_secs(min + i64::try_from(extra).unwrap_or(0))
    }

    /// The earliest slot at or after `now` that is inside the recipient's window (a random
    /// moment after it opens, when it was closed), under the day's cap (for an opening), and a
    /// random gap (from `min_gap` to `max_gap`) away from every other booking.
    pub fn next_slot(&self, request: &SlotRequest<'_>) -> Result<Timestamp, PaceError> {
        let mut booked: Vec<Timestamp> = request.booked.iter().map(|b| b.at).collect();
        booked.sort();
        // Openings per team-zone day, counted once rather than on every pass.
        let mut opened: BTreeMap<Date, u32> = BTreeMap::new();
        if request.opening {
            for b in request.booked.iter().filter(|b| b.opening) {
                *opened
                    .entry(self.team_zone.to_datetime(b.at).date())
                    .or_default() += 1;
            }
        }
        let gap = self.gap(request.random);
        let horizon = request
            .now
            .checked_add(SignedDuration::from_hours(24 * HORIZON_DAYS))
            .map_err(|_| PaceError::NoSlot)?;
        let first = request
            .first_opening_day
            .unwrap_or_else(|| self.team_zone.to_datetime(request.now).date());
        let mut at = request.now;
        // Each pass moves `at` forward or returns; bounded by the horizon.
        loop {
            if at > horizon {
                return Err(PaceError::NoSlot);
            }
            let open = self.window.next_open(at, request.zone)?;
            if open != at {
                // Not on the stroke of the hour every morning.
                at = open
                    .checked_add(self.gap(request.random >> 17) - self.min_gap)
                    .map_err(|_| PaceError::NoSlot)?;
                continue;
            }
            if request.opening {
                let day = self.team_zone.to_datetime(at).date();
                let used = opened.get(&day).copied().unwrap_or(0);
                if used >= self.cap_on(day, Some(first)) {
                    at = day
                        .tomorrow()
                        .and_then(|next| next.to_zoned(self.team_zone.clone()))
                        .map_err(|_| PaceError::NoSlot)?
                        .timestamp();
                    continue;
                }
            }
            // This booking's gap on both sides, so a slot only fills a hole in the bookings
            // that is wide enough, and the day's sends spread rather than bunch.
            // The first booking less than `gap` before `at`, or after it.
            let first_near = booked.partition_point(|b| b.duration_until(at) >= gap);
            match booked
                .get(first_near)
                .filter(|b| at.duration_until(**b) < gap)
            {
                Some(b) => at = b.checked_add(gap).map_err(|_| PaceError::NoSlot)?,
                None => return Ok(at),
            }
        }
    }

    /// `count` slots booked one after another (as the worker would book them), for a
    /// projection such as when a campaign's last opening will go out.
    pub fn plan(
        &self,
        request: &SlotRequest<'_>,
        zones: &[TimeZone],
    ) -> Result<Vec<Timestamp>, PaceError> {
        let mut booked = request.booked.to_vec();
        let mut slots = Vec::with_capacity(zones.len());
        for (index, zone) in zones.iter().enumerate() {
            let next = SlotRequest {
                zone,
                booked: &booked,
                random: request.random.wrapping_add(index as u64),
                ..request.clone()
            };
            let at = self.next_slot(&next)?;
            booked.push(Booked {
                at,
                opening: request.opening,
            });
            slots.push(at);
        }
        Ok(slots)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn ts(text: &str) -> Timestamp {
        text.parse().unwrap()
    }

    fn zone(name: &str) -> TimeZone {
        TimeZone::get(name).unwrap()
    }

    fn request<'a>(now: Timestamp, zone: &'a TimeZone, booked: &'a [Booked]) -> SlotRequest<'a> {
        SlotRequest {
            now,
            zone,
            opening: true,
            booked,
            first_opening_day: None,
            random: 0,
        }
    }

    #[test]
    fn inside_the_window_the_slot_is_now() {
        let pace = SendPace::default();
        let now = ts("2026-11-02T10:00:00Z"); // a Monday
        assert_eq!(pace.next_slot(&request(now, &TimeZone::UTC, &[])), Ok(now));
    }

    #[test]
    fn a_weekend_waits_for_monday_morning_in_the_recipients_zone() {
        let pace = SendPace::default();
        let new_york = zone("America/New_York");
        let saturday = ts("2026-11-07T15:00:00Z");
        let slot = pace.next_slot(&request(saturday, &new_york, &[])).unwrap();
        assert_eq!(slot, ts("2026-11-09T14:00:00Z")); // 09:00 EST
    }

    #[test]
    fn after_hours_wait_for_the_next_morning() {
        let pace = SendPace::default();
        let slot = pace
            .next_slot(&request(ts("2026-11-03T17:00:00Z"), &TimeZone::UTC, &[]))
            .unwrap();
        assert_eq!(slot, ts("2026-11-04T09:00:00Z"));
    }

    #[test]
    fn the_ramp_adds_a_step_a_day_up_to_the_cap() {
        let pace = SendPace::default();
        let first = Date::constant(2026, 11, 2);
        let on = |d: i8| pace.cap_on(Date::constant(2026, 11, d), Some(first));
        assert_eq!((on(2), on(3), on(8), on(9), on(20)), (20, 25, 50, 50, 50));
        assert_eq!(SendPace::unpaced().cap_on(first, None), u32::MAX);
    }

    #[test]
    fn a_full_day_moves_the_opening_to_the_next_day_but_not_a_follow_up() {
        let pace = SendPace {
            ramp: None,
            daily_new_conversations: Some(2),
            ..SendPace::default()
        };
        let booked = [
            Booked {
                at: ts("2026-11-02T09:00:00Z"),
                opening: true,
            },
            Booked {
                at: ts("2026-11-02T09:10:00Z"),
                opening: true,
            },
        ];
        let now = ts("2026-11-02T11:00:00Z");
        let utc = TimeZone::UTC;
        let opening = pace.next_slot(&request(now, &utc, &booked));
        assert_eq!(opening, Ok(ts("2026-11-03T09:00:00Z")));
        let follow_up = SlotRequest {
            opening: false,
            ..request(now, &utc, &booked)
        };
        assert_eq!(pace.next_slot(&follow_up), Ok(now));
    }

    #[test]
    fn a_window_that_allows_nothing_is_an_error_not_a_hang() {
        let pace = SendPace {
            daily_new_conversations: Some(0),
            ramp: None,
            ..SendPace::default()
        };
        let now = ts("2026-11-02T10:00:00Z");
        assert_eq!(
            pace.next_slot(&request(now, &TimeZone::UTC, &[])),
            Err(PaceError::NoSlot)
        );
    }

    const ZONES: [&str; 5] = [
        "UTC",
        "America/New_York",
        "Europe/Berlin",
        "Asia/Kolkata",
        "Australia/Sydney",
    ];

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(48))]

        /// A plan of openings never breaks the window, the cap (with its ramp) or the spacing.
        #[test]
        fn a_plan_keeps_every_rule(
            start in 0i64..(60 * 60 * 24 * 365),
            count in 1usize..120,
            cap in 1u32..40,
            first_day in 1u32..20,
            step in 0u32..10,
            min_gap in 0i64..600,
            extra_gap in 0i64..900,
            random in any::<u64>(),
            zone_picks in proptest::collection::vec(0usize..5, 1..8),
        ) {
            let pace = SendPace {
                daily_new_conversations: Some(cap),
                ramp: Some(Ramp { first_day, step }),
                window: SendWindow::business_hours(),
                team_zone: zone("Europe/London"),
                min_gap: SignedDuration::from_secs(min_gap),
                max_gap: SignedDuration::from_secs(min_gap + extra_gap),
            };
            let now = ts("2026-01-01T00:00:00Z")
                .checked_add(SignedDuration::from_secs(start))
                .unwrap();
            let zones: Vec<TimeZone> = (0..count)
                .map(|i| zone(ZONES[zone_picks[i % zone_picks.len()]]))
                .collect();
            let utc = TimeZone::UTC;
            let request = SlotRequest { random, ..request(now, &utc, &[]) };
            let slots = pace.plan(&request, &zones).unwrap();
            let first = pace.team_zone.to_datetime(now).date();
            let mut per_day: std::collections::BTreeMap<Date, u32> = Default::default();
            for (slot, zone) in slots.iter().zip(&zones) {
                prop_assert!(*slot >= now);
                prop_assert!(pace.window.contains(*slot, zone), "{slot} outside the window in {zone:?}");
                *per_day.entry(pace.team_zone.to_datetime(*slot).date()).or_default() += 1;
            }
            for (day, sent) in per_day {
                prop_assert!(sent <= pace.cap_on(day, Some(first)), "{sent} on {day}");
            }
            let mut sorted = slots.clone();
            sorted.sort();
            for pair in sorted.windows(2) {
                prop_assert!(pair[0].duration_until(pair[1]) >= pace.min_gap);
            }
        }

        /// The same bookings, time and random number give the same slot.
        #[test]
        fn a_slot_is_a_function_of_its_inputs(start in 0i64..10_000_000, random in any::<u64>()) {
            let pace = SendPace::default();
            let now = ts("2026-03-01T00:00:00Z").checked_add(SignedDuration::from_secs(start)).unwrap();
            let berlin = zone("Europe/Berlin");
            let booked = [Booked { at: now, opening: true }];
            let request = SlotRequest { random, ..request(now, &berlin, &booked) };
            prop_assert_eq!(pace.next_slot(&request), pace.next_slot(&request));
        }

        /// Unpaced sends go now, whatever is booked.
        #[test]
        fn unpaced_is_now(start in 0i64..10_000_000, n in 0usize..20) {
            let now = ts("2026-03-01T00:00:00Z").checked_add(SignedDuration::from_secs(start)).unwrap();
            let booked: Vec<Booked> = (0..n).map(|_| Booked { at: now, opening: true }).collect();
            prop_assert_eq!(SendPace::unpaced().next_slot(&request(now, &TimeZone::UTC, &booked)), Ok(now));
        }
    }
}
