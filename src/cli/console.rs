//! Lines typed on stdin, read on their own thread so the Bevy loop never blocks on the
//! terminal, and handed to the app through a channel it polls once per frame.

use super::command::{Command, parse};
use bevy_ecs::prelude::*;
use std::io::{BufRead, Read, Write};
use std::sync::Mutex;
use std::sync::mpsc::{Receiver, TryRecvError, channel};

/// Longest line kept, in bytes; the rest of a longer line is discarded, so a stream
/// without newlines cannot grow memory without bound.
pub const MAX_LINE_BYTES: usize = 4096;

/// What the console has for the app this frame.
#[derive(Debug, PartialEq, Eq)]
pub enum ConsoleInput {
    /// One line, without its line ending.
    Line(String),
    /// Nothing typed since the last poll.
    Idle,
    /// Stdin reached its end (or failed): no more lines will come.
    Closed,
}

/// The next command typed, for the client prompt and the admin console alike.
#[derive(Debug)]
pub enum Typed {
    /// A parsed command.
    Command(Command),
    /// Nothing (more) typed this frame.
    Idle,
    /// Stdin ended.
    Closed,
}

/// The receiving end of the stdin thread.
#[derive(Resource)]
pub struct Console {
    // A Mutex only because resources must be Sync; one system polls it at a time.
    lines: Mutex<Receiver<String>>,
}

impl Console {
    /// Starts the thread that reads stdin line by line. It ends at end of input; until
    /// then it blocks in `read`, which is why it is detached rather than joined.
    pub fn stdin() -> Self {
        let (sender, receiver) = channel();
        std::thread::Builder::new()
            .name("stdin".into())
            .spawn(move || {
                let mut input = std::io::stdin().lock();
                while let Some(line) = read_line(&mut input) {
                    if sender.send(line).is_err() {
                        break;
                    }
                }
            })
            .map(drop)
            .unwrap_or_else(|error| eprintln!("racksync: no console: {error}"));
        Self {
            lines: Mutex::new(receiver),
        }
    }

    /// The next line, if one is waiting.
    pub fn poll(&self) -> ConsoleInput {
        let Ok(lines) = self.lines.lock() else {
            return ConsoleInput::Closed;
        };
        match lines.try_recv() {
            Ok(line) => ConsoleInput::Line(line),
            Err(TryRecvError::Empty) => ConsoleInput::Idle,
            Err(TryRecvError::Disconnected) => ConsoleInput::Closed,
        }
    }
}

impl Console {
    /// The next command, skipping blank lines and printing parse errors as
    /// `error: …` lines.
    pub fn next_command(&self) -> Typed {
        loop {
            let line = match self.poll() {
                ConsoleInput::Idle => return Typed::Idle,
                ConsoleInput::Closed => return Typed::Closed,
                ConsoleInput::Line(line) => line,
            };
            match parse(&line) {
                Ok(Some(command)) => return Typed::Command(command),
                Ok(None) => {}
                Err(error) => say(format!("error: {error}")),
            }
        }
    }
}

/// Reads one line of at most [`MAX_LINE_BYTES`] (longer lines are cut), decoding invalid
/// UTF-8 lossily. `None` at end of input or on a read error.
pub fn read_line(input: &mut impl BufRead) -> Option<String> {
    let mut bytes = Vec::new();
    let read = Read::take(&mut *input, MAX_LINE_BYTES as u64)
        .read_until(b'\n', &mut bytes)
        .ok()?;
    if read == 0 {
        return None;
    }
    if bytes.last() == Some(&b'\n') {
        bytes.pop();
    } else if bytes.len() == MAX_LINE_BYTES {
        // Skip what is left of an overlong line, chunk by chunk.
        let mut skipped = Vec::new();
        while Read::take(&mut *input, MAX_LINE_BYTES as u64)
            .read_until(b'\n', &mut skipped)
            .ok()?
            > 0
        {
            if skipped.last() == Some(&b'\n') {
                break;
            }
            skipped.clear();
        }
    }
    if bytes.last() == Some(&b'\r') {
        bytes.pop();
    }
    Some(String::from_utf8_lossy(&bytes).into_owned())
}

/// Prints one line on stdout. A closed stdout (the reader went away) is ignored rather
/// than a panic, which is what `println!` would do.
pub fn say(line: impl AsRef<str>) {
    let mut out = std::io::stdout().lock();
    let _ = writeln!(out, "{}", line.as_ref());
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_are_split_trimmed_of_endings_and_bounded() {
        let long = "x".repeat(MAX_LINE_BYTES * 2 + 10);
        let mut bytes = format!("one\r\ntwo\n{long}\nthree\n").into_bytes();
        bytes.extend_from_slice(b"\xffbad\nlast");
        let mut input = std::io::Cursor::new(bytes);
        let mut lines = Vec::new();
        while let Some(line) = read_line(&mut input) {
            lines.push(line);
        }
        assert_eq!(lines.len(), 6);
        assert_eq!(&lines[..2], ["one", "two"]);
        assert_eq!(lines[2].len(), MAX_LINE_BYTES);
        assert_eq!(lines[3], "three");
        assert_eq!(lines[4], "\u{FFFD}bad");
        assert_eq!(lines[5], "last");
    }
}
