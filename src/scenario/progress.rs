//! The progress line a run prints on stderr while it goes.

use std::io::{IsTerminal, Write};
use std::time::{Duration, Instant};

/// What the progress line shows.
#[derive(Clone, Debug)]
pub struct Snapshot {
    /// `acting` or `settling`.
    pub phase: &'static str,
    /// Scenario time.
    pub now: Duration,
    /// Acting time in all.
    pub duration: Duration,
    /// Bots in the world.
    pub playing: usize,
    /// Bot slots.
    pub bots: usize,
    /// Actions sent.
    pub sent: u64,
    /// Accepted.
    pub accepted: u64,
    /// Rejected.
    pub rejected: u64,
    /// ACK latency p99 so far, ms.
    pub ack_p99_ms: f64,
    /// Host tick p99 so far, ms (in-process hosts).
    pub host_tick_p99_ms: Option<f64>,
}

/// Prints a snapshot about once a second: rewriting one line on a terminal, one line
/// per update otherwise (logs, CI).
pub struct Progress {
    enabled: bool,
    terminal: bool,
    last: Option<Instant>,
    every: Duration,
}

impl Progress {
    /// Progress on stderr, or nothing when `enabled` is false.
    pub fn stderr(enabled: bool) -> Self {
        let terminal = std::io::stderr().is_terminal();
        Self {
            enabled,
            terminal,
            last: None,
            every: if terminal {
                Duration::from_millis(250)
            } else {
                Duration::from_secs(2)
            },
        }
    }

    /// Shows `snapshot` if the last line is old enough.
    pub fn show(&mut self, snapshot: &Snapshot) {
        if !self.enabled || self.last.is_some_and(|at| at.elapsed() < self.every) {
            return;
        }
        self.last = Some(Instant::now());
        let line = format!(
            "[{:>6.1}/{:.0} s {}] bots {}/{} · sent {} · accepted {} · rejected {} · ACK p99 {:.0} ms{}",
            snapshot.now.as_secs_f64(),
            snapshot.duration.as_secs_f64(),
            snapshot.phase,
            snapshot.playing,
            snapshot.bots,
            snapshot.sent,
            snapshot.accepted,
            snapshot.rejected,
            snapshot.ack_p99_ms,
            snapshot
                .host_tick_p99_ms
                .map(|t| format!(" · host tick p99 {t:.2} ms"))
                .unwrap_or_default(),
        );
        let mut err = std::io::stderr().lock();
        if self.terminal {
            let _ = write!(err, "\r\x1b[2K{line}");
        } else {
            let _ = writeln!(err, "{line}");
        }
        let _ = err.flush();
    }

    /// Ends the progress line.
    pub fn finish(&mut self) {
        if self.enabled && self.terminal && self.last.is_some() {
            eprintln!();
        }
    }
}
