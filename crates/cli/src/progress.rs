//! A progress bar on standard error for long commands, drawn only when it is a terminal.

use std::io::{IsTerminal, Write};
use std::time::{Duration, Instant};

/// Redraws at most this often: a bar must not slow the work it reports on.
const REDRAW: Duration = Duration::from_millis(100);
const WIDTH: u64 = 30;

/// `label [#########.........] done/total`, or nothing at all when standard error is piped.
pub struct Progress {
    label: &'static str,
    total: u64,
    done: u64,
    drawn_at: Option<Instant>,
    /// The bar was erased for a line of output and must be drawn again at the next step.
    erased: bool,
    shown: bool,
}

impl Progress {
    /// A bar for `total` steps; silent unless standard error is a terminal.
    pub fn new(label: &'static str, total: u64) -> Self {
        Progress {
            label,
            total,
            done: 0,
            drawn_at: None,
            erased: false,
            shown: std::io::stderr().is_terminal(),
        }
    }

    /// Whether the next step will be drawn (worth reading a fresh total for).
    pub fn wants_redraw(&self) -> bool {
        self.shown && self.drawn_at.is_none_or(|at| at.elapsed() >= REDRAW)
    }

    /// One more step done; `total` grows when the work turns out larger (a run's jobs add jobs).
    pub fn advance(&mut self, total: Option<u64>) {
        self.done += 1;
        if let Some(total) = total {
            self.total = total.max(self.done);
        }
        if self.wants_redraw() || (self.shown && self.erased) {
            self.draw();
        }
    }

    /// Clears the bar so a line printed next starts clean; the next step draws it again.
    pub fn clear(&mut self) {
        if self.shown && self.drawn_at.is_some() && !self.erased {
            eprint!("\r\x1b[2K");
            self.erased = true;
        }
    }

    /// Clears the bar for good.
    pub fn finish(mut self) {
        self.clear();
    }

    fn draw(&mut self) {
        let total = self.total.max(self.done).max(1);
        let filled = self.done.saturating_mul(WIDTH) / total;
        let bar: String = (0..WIDTH)
            .map(|i| if i < filled { '#' } else { '.' })
            .collect();
        let mut err = std::io::stderr().lock();
        let _ = write!(err, "\r\x1b[2K{} [{bar}] {}/{total}", self.label, self.done);
        let _ = err.flush();
        self.drawn_at = Some(Instant::now());
        self.erased = false;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_total_grows_with_the_work_and_never_falls_below_what_is_done() {
        let mut bar = Progress::new("jobs", 2);
        bar.shown = false;
        bar.advance(None);
        bar.advance(Some(5));
        assert_eq!((bar.done, bar.total), (2, 5));
        bar.advance(Some(1));
        assert_eq!((bar.done, bar.total), (3, 3));
    }
}
