//! The `racksync` binary as child processes with piped stdio, for tests of the
//! command-line interfaces. Every wait has a deadline; children are killed on drop.
// Each test file compiles this module on its own and uses only part of it.
#![allow(dead_code)]

use std::io::{BufRead, BufReader, Read, Write};
use std::process::{Child, ChildStdin, Command, ExitStatus, Stdio};
use std::sync::mpsc::{Receiver, RecvTimeoutError, channel};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// Longest wait for any one expected line or exit. Generous: the machine running the
/// tests may be busy compiling.
pub const DEADLINE: Duration = Duration::from_secs(60);

/// Stderr lines kept per child for failure messages.
const STDERR_KEPT: usize = 200;

/// A running `racksync` process.
pub struct Proc {
    name: String,
    child: Child,
    stdin: Option<ChildStdin>,
    stdout: Receiver<String>,
    /// Every stdout line received so far.
    transcript: Vec<String>,
    /// Index of the first transcript line not yet passed by [`Proc::expect`].
    cursor: usize,
    stderr: Arc<Mutex<Vec<String>>>,
    /// The thread draining stderr; it ends when the child's stderr closes.
    stderr_reader: Option<std::thread::JoinHandle<()>>,
}

impl Proc {
    /// Starts `racksync ARGS` with stdin, stdout and stderr piped.
    pub fn spawn(name: &str, args: &[&str]) -> Self {
        let mut child = Command::new(env!("CARGO_BIN_EXE_racksync"))
            .args(args)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("starting racksync");
        let stdin = child.stdin.take();
        let stdout = lines_of(child.stdout.take().expect("piped stdout"));
        let stderr = Arc::new(Mutex::new(Vec::new()));
        // Drained on its own thread: a full stderr pipe would block the child.
        let kept = stderr.clone();
        let pipe = child.stderr.take().expect("piped stderr");
        let stderr_reader = std::thread::spawn(move || {
            for line in BufReader::new(pipe).lines().map_while(Result::ok) {
                let mut kept = kept.lock().unwrap_or_else(|e| e.into_inner());
                if kept.len() == STDERR_KEPT {
                    kept.remove(0);
                }
                kept.push(line);
            }
        });
        Self {
            name: name.to_string(),
            child,
            stdin,
            stdout,
            transcript: Vec::new(),
            cursor: 0,
            stderr,
            stderr_reader: Some(stderr_reader),
        }
    }

    /// Starts a host on an ephemeral loopback port; returns it and its address.
    pub fn host(extra: &[&str]) -> (Self, String) {
        let mut args = vec!["host", "--bind", "127.0.0.1:0"];
        args.extend_from_slice(extra);
        let mut host = Self::spawn("host", &args);
        let line = host.expect("the listening line", |l| l.starts_with("listening "));
        let addr = line["listening ".len()..].to_string();
        (host, addr)
    }

    /// Starts an interactive client of `addr` and waits until it has joined.
    pub fn joined_client(addr: &str, name: &str, extra: &[&str]) -> Self {
        let mut args = vec!["client", "--connect", addr, "--name", name];
        args.extend_from_slice(extra);
        let mut client = Self::spawn(name, &args);
        client.expect("the joined line", |l| l.starts_with("joined objects="));
        client
    }

    /// The child's process id.
    pub fn id(&self) -> u32 {
        self.child.id()
    }

    /// Types one line on the child's stdin.
    pub fn send(&mut self, line: &str) {
        let stdin = self.stdin.as_mut().expect("stdin is still open");
        writeln!(stdin, "{line}").expect("writing to the child's stdin");
        stdin.flush().expect("flushing the child's stdin");
    }

    /// Closes the child's stdin (end of input).
    pub fn close_stdin(&mut self) {
        self.stdin = None;
    }

    /// Waits for the next stdout line (after the last match) satisfying `matches`; lines
    /// before it are passed over. Panics with the transcript after [`DEADLINE`].
    pub fn expect(&mut self, what: &str, matches: impl Fn(&str) -> bool) -> String {
        let deadline = Instant::now() + DEADLINE;
        loop {
            if let Some(offset) = self.transcript[self.cursor..]
                .iter()
                .position(|line| matches(line))
            {
                let index = self.cursor + offset;
                self.cursor = index + 1;
                return self.transcript[index].clone();
            }
            let left = deadline.saturating_duration_since(Instant::now());
            match self.stdout.recv_timeout(left) {
                Ok(line) => self.transcript.push(line),
                Err(RecvTimeoutError::Timeout) => {
                    self.fail(&format!("timed out waiting for {what}"))
                }
                Err(RecvTimeoutError::Disconnected) => {
                    self.fail(&format!("stdout ended while waiting for {what}"))
                }
            }
        }
    }

    /// Waits for the next line equal to `line`.
    pub fn expect_line(&mut self, line: &str) -> String {
        self.expect(&format!("{line:?}"), |l| l == line)
    }

    /// Waits until a stderr line (logs, errors) satisfies `matches`; returns it. Panics
    /// after [`DEADLINE`].
    pub fn expect_stderr(&mut self, what: &str, matches: impl Fn(&str) -> bool) -> String {
        let deadline = Instant::now() + DEADLINE;
        loop {
            let found = self
                .stderr
                .lock()
                .ok()
                .and_then(|lines| lines.iter().find(|l| matches(l)).cloned());
            if let Some(line) = found {
                return line;
            }
            if Instant::now() > deadline {
                self.fail(&format!("timed out waiting for {what} on stderr"));
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// Waits for the child to exit on its own, then for its stderr to be read to the
    /// end, so [`Proc::stderr_text`] holds everything it wrote.
    pub fn wait_exit(&mut self) -> ExitStatus {
        let deadline = Instant::now() + DEADLINE;
        loop {
            match self.child.try_wait() {
                Ok(Some(status)) => {
                    self.finish_stderr(deadline);
                    return status;
                }
                Ok(None) if Instant::now() < deadline => {
                    std::thread::sleep(Duration::from_millis(20))
                }
                Ok(None) => self.fail("timed out waiting for the process to exit"),
                Err(error) => self.fail(&format!("waiting for the process: {error}")),
            }
        }
    }

    /// Joins the stderr reader once the pipe closed (the child exited and no process it
    /// started holds the pipe), at the latest by `deadline`.
    fn finish_stderr(&mut self, deadline: Instant) {
        while let Some(reader) = self.stderr_reader.take() {
            if reader.is_finished() {
                let _ = reader.join();
            } else if Instant::now() < deadline {
                self.stderr_reader = Some(reader);
                std::thread::sleep(Duration::from_millis(5));
            }
        }
    }

    /// True while the child runs.
    pub fn running(&mut self) -> bool {
        matches!(self.child.try_wait(), Ok(None))
    }

    /// Sends a signal by name (`STOP`, `CONT`) with the system's `kill` command.
    pub fn signal(&self, signal: &str) {
        let status = Command::new("kill")
            .arg(format!("-{signal}"))
            .arg(self.id().to_string())
            .status()
            .expect("running kill");
        assert!(status.success(), "kill -{signal} failed");
    }

    /// Everything the child wrote on stderr so far (the last lines, when it wrote many).
    pub fn stderr_text(&self) -> String {
        self.stderr.lock().map(|l| l.join("\n")).unwrap_or_default()
    }

    fn fail(&mut self, message: &str) -> ! {
        // Collect what is already buffered, so the transcript is complete.
        while let Ok(line) = self.stdout.try_recv() {
            self.transcript.push(line);
        }
        let stderr = self.stderr.lock().map(|l| l.join("\n")).unwrap_or_default();
        panic!(
            "{}: {message}\n--- stdout ---\n{}\n--- stderr (last lines) ---\n{stderr}",
            self.name,
            self.transcript.join("\n")
        );
    }
}

impl Drop for Proc {
    fn drop(&mut self) {
        // SIGKILL ends even a process a test left stopped with `signal("STOP")`.
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Lines of a pipe, read on their own thread.
fn lines_of(pipe: impl Read + Send + 'static) -> Receiver<String> {
    let (sender, receiver) = channel();
    std::thread::spawn(move || {
        for line in BufReader::new(pipe).lines().map_while(Result::ok) {
            if sender.send(line).is_err() {
                break;
            }
        }
    });
    receiver
}
