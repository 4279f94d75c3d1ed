//! The journal: an append-only file of what each accepted action changed.
//!
//! Layout: the 8-byte [`MAGIC`], then records, each framed as
//! `length: u32 LE | checksum: u64 LE | payload`, where the payload is a postcard
//! [`JournalRecord`] of at most [`MAX_RECORD_BYTES`] and the checksum is xxh3-64 over the
//! length bytes and the payload. A record is either wholly valid or detected as bad.
//!
//! A crash (`kill -9`, power loss) can only damage the end of the file: the last
//! record may be cut short, and a filesystem may leave zeros where data never landed.
//! Reading stops at such a *torn tail* and reports how many bytes it ignored. A bad
//! record followed by anything but zeros is corruption, not a crash, and is an error:
//! silently dropping it would lose acknowledged actions.

use racksync_protocol::{PlayerId, Revision};
use racksync_world::rules::Change;
use serde::{Deserialize, Serialize};
use std::fs::{File, OpenOptions};
use std::io::{BufReader, ErrorKind, Read, Write};
use std::path::{Path, PathBuf};
use xxhash_rust::xxh3::xxh3_64;

/// First bytes of every journal file (format version 1).
pub const MAGIC: [u8; 8] = *b"RSJRNL\x00\x01";

/// Largest payload a record may declare. A Wear record writes every running device,
/// about 30 bytes each, so this holds worlds far beyond a million objects while keeping
/// a corrupted length from asking for gigabytes.
pub const MAX_RECORD_BYTES: u32 = 64 * 1024 * 1024;

/// Bytes before each payload: length and checksum.
const FRAME_BYTES: usize = 4 + 8;

/// One accepted action, as the journal keeps it: the revision it produced and the
/// changes it made. Replay writes the changes; it never re-runs the rules, so a
/// journal stays valid across rule changes.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct JournalRecord {
    /// The revision the action produced.
    pub revision: Revision,
    /// Who performed it (the host for simulation and admin actions).
    pub actor: PlayerId,
    /// The object writes and removals, in order.
    pub changes: Vec<Change>,
}

/// Why the journal could not be used.
#[derive(Debug, thiserror::Error)]
pub enum JournalError {
    /// Reading, writing or syncing the file failed.
    #[error("journal {path}: {source}")]
    Io {
        /// The journal file.
        path: PathBuf,
        /// What failed.
        source: std::io::Error,
    },
    /// The file does not start with the journal magic.
    #[error("{path} is not a racksync journal (format 1)")]
    NotAJournal {
        /// The file.
        path: PathBuf,
    },
    /// One action changed more than a record may hold.
    #[error(
        "the changes of revision {revision} take {bytes} bytes, more than a journal record holds"
    )]
    TooLarge {
        /// The action's revision.
        revision: Revision,
        /// Its encoded size.
        bytes: usize,
    },
    /// A bad record with intact data after it: damage a crash cannot cause.
    #[error("journal {path} is corrupt at byte {offset}: {reason}")]
    Corrupt {
        /// The file.
        path: PathBuf,
        /// Where the bad record starts.
        offset: u64,
        /// What is wrong with it.
        reason: String,
    },
}

/// Encodes one record with its frame.
pub fn frame(record: &JournalRecord) -> Result<Vec<u8>, JournalError> {
    frame_parts(record.revision, record.actor, &record.changes)
}

/// Encodes a record from borrowed parts (the host journals straight from the
/// authority's messages, without cloning their changes).
pub fn frame_parts(
    revision: Revision,
    actor: PlayerId,
    changes: &[Change],
) -> Result<Vec<u8>, JournalError> {
    // Same fields in the same order as `JournalRecord`, so postcard writes the same bytes.
    #[derive(Serialize)]
    struct Borrowed<'a> {
        revision: Revision,
        actor: PlayerId,
        changes: &'a [Change],
    }
    let record = Borrowed {
        revision,
        actor,
        changes,
    };
    let payload = postcard::to_allocvec(&record).expect("journal records are serializable");
    let length = u32::try_from(payload.len())
        .ok()
        .filter(|&length| length <= MAX_RECORD_BYTES)
        .ok_or(JournalError::TooLarge {
            revision,
            bytes: payload.len(),
        })?;
    let mut framed = Vec::with_capacity(FRAME_BYTES + payload.len());
    framed.extend_from_slice(&length.to_le_bytes());
    framed.extend_from_slice(&checksum(length, &payload).to_le_bytes());
    framed.extend_from_slice(&payload);
    Ok(framed)
}

fn checksum(length: u32, payload: &[u8]) -> u64 {
    let mut bytes = Vec::with_capacity(4 + payload.len());
    bytes.extend_from_slice(&length.to_le_bytes());
    bytes.extend_from_slice(payload);
    xxh3_64(&bytes)
}

/// The appending end of a journal file.
#[derive(Debug)]
pub struct JournalWriter {
    path: PathBuf,
    file: File,
}

impl JournalWriter {
    /// Opens `path` for appending, creating it (with its magic) if it is missing or
    /// empty. Fails if the file holds something that is not a journal.
    pub fn open(path: &Path) -> Result<Self, JournalError> {
        let io = |source| JournalError::Io {
            path: path.to_owned(),
            source,
        };
        let mut file = OpenOptions::new()
            .read(true)
            .append(true)
            .create(true)
            .open(path)
            .map_err(io)?;
        if file.metadata().map_err(io)?.len() == 0 {
            file.write_all(&MAGIC).map_err(io)?;
            file.sync_all().map_err(io)?;
            crate::atomic_file::sync_parent(path).map_err(io)?;
        } else {
            let mut magic = [0; MAGIC.len()];
            let read = file.read_exact(&mut magic);
            if read.is_err() || magic != MAGIC {
                return Err(JournalError::NotAJournal {
                    path: path.to_owned(),
                });
            }
        }
        Ok(Self {
            path: path.to_owned(),
            file,
        })
    }

    /// Replaces the journal, atomically and durably, with one holding `framed` records
    /// (those a completed save does not cover), and appends to it from now on. The new
    /// file is written under a temporary name and renamed over the journal with its
    /// handle already open, so no failure can leave appends going to a replaced file.
    pub fn replace(&mut self, framed: &[u8]) -> Result<(), JournalError> {
        let temp = crate::atomic_file::temp_path(&self.path);
        let io = |source| JournalError::Io {
            path: temp.clone(),
            source,
        };
        match std::fs::remove_file(&temp) {
            Err(error) if error.kind() != ErrorKind::NotFound => return Err(io(error)),
            _ => {}
        }
        let mut file = OpenOptions::new()
            .append(true)
            .create(true)
            .open(&temp)
            .map_err(io)?;
        file.write_all(&MAGIC)
            .and_then(|()| file.write_all(framed))
            .and_then(|()| file.sync_all())
            .map_err(io)?;
        std::fs::rename(&temp, &self.path).map_err(|source| self.io(source))?;
        self.file = file;
        crate::atomic_file::sync_parent(&self.path).map_err(|source| self.io(source))
    }

    /// Replaces the open file (for fault injection; see [`DurableWorld`]).
    ///
    /// [`DurableWorld`]: super::DurableWorld
    pub(crate) fn redirect(&mut self, file: File) {
        self.file = file;
    }

    /// The journal file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Appends already framed records with one write. They survive the process being
    /// killed once this returns (they are in the kernel), and a power loss once
    /// [`JournalWriter::sync`] returns.
    pub fn append(&mut self, framed: &[u8]) -> Result<(), JournalError> {
        self.file
            .write_all(framed)
            .map_err(|source| self.io(source))
    }

    /// Makes everything appended so far durable (fdatasync).
    pub fn sync(&mut self) -> Result<(), JournalError> {
        self.file.sync_data().map_err(|source| self.io(source))
    }

    /// Empties the journal down to its magic, durably. Only call it once a save that
    /// covers every record is durable.
    pub fn reset(&mut self) -> Result<(), JournalError> {
        self.file
            .set_len(MAGIC.len() as u64)
            .and_then(|()| self.file.sync_all())
            .map_err(|source| self.io(source))
    }

    fn io(&self, source: std::io::Error) -> JournalError {
        JournalError::Io {
            path: self.path.clone(),
            source,
        }
    }
}

/// What a journal file holds.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct JournalContents {
    /// Every valid record, in file order.
    pub records: Vec<JournalRecord>,
    /// Bytes of a torn tail after the last valid record (0 when the file ends cleanly).
    pub torn_bytes: u64,
}

/// Reads every valid record of the journal at `path`; a missing file is an empty
/// journal. Memory use is bounded by the largest record, not the file.
pub fn read_journal(path: &Path) -> Result<JournalContents, JournalError> {
    let io = |source| JournalError::Io {
        path: path.to_owned(),
        source,
    };
    let file = match File::open(path) {
        Ok(file) => file,
        Err(error) if error.kind() == ErrorKind::NotFound => {
            return Ok(JournalContents::default());
        }
        Err(error) => return Err(io(error)),
    };
    let file_len = file.metadata().map_err(io)?.len();
    let mut reader = BufReader::new(file);
    let mut magic = [0; MAGIC.len()];
    match read_fully(&mut reader, &mut magic).map_err(io)? {
        0 if file_len == 0 => return Ok(JournalContents::default()),
        n if n == MAGIC.len() && magic == MAGIC => {}
        _ => {
            return Err(JournalError::NotAJournal {
                path: path.to_owned(),
            });
        }
    }
    let mut contents = JournalContents::default();
    let mut offset = MAGIC.len() as u64;
    loop {
        let bad = match next_record(&mut reader).map_err(io)? {
            Next::End => return Ok(contents),
            Next::Record(record, size) => {
                contents.records.push(record);
                offset += size;
                continue;
            }
            Next::Bad(reason) => reason,
        };
        // Everything from `offset` on is the bad record and what follows it.
        let rest = file_len.saturating_sub(offset);
        if bad.at_end || rest_is_zero(path, offset).map_err(io)? {
            contents.torn_bytes = rest;
            return Ok(contents);
        }
        return Err(JournalError::Corrupt {
            path: path.to_owned(),
            offset,
            reason: bad.reason,
        });
    }
}

/// What came next in the file.
enum Next {
    /// A clean end of file.
    End,
    /// A valid record and its framed size.
    Record(JournalRecord, u64),
    /// Something that is not a valid record.
    Bad(BadRecord),
}

struct BadRecord {
    reason: String,
    /// The file ended inside this record: the hallmark of an interrupted append.
    at_end: bool,
}

fn next_record(reader: &mut impl Read) -> std::io::Result<Next> {
    let bad = |reason: &str, at_end| {
        Ok(Next::Bad(BadRecord {
            reason: reason.to_string(),
            at_end,
        }))
    };
    let mut header = [0; FRAME_BYTES];
    match read_fully(reader, &mut header)? {
        0 => return Ok(Next::End),
        n if n < FRAME_BYTES => return bad("the file ends inside a record header", true),
        _ => {}
    }
    let length = u32::from_le_bytes(header[..4].try_into().expect("4 bytes"));
    let sum = u64::from_le_bytes(header[4..].try_into().expect("8 bytes"));
    if length == 0 || length > MAX_RECORD_BYTES {
        return bad(&format!("record length {length} is out of range"), false);
    }
    let mut payload = Vec::new();
    let read = reader.take(u64::from(length)).read_to_end(&mut payload)?;
    if read < length as usize {
        return bad("the file ends inside a record", true);
    }
    if checksum(length, &payload) != sum {
        return bad("checksum mismatch", false);
    }
    match postcard::take_from_bytes::<JournalRecord>(&payload) {
        Ok((record, [])) => Ok(Next::Record(record, (FRAME_BYTES + payload.len()) as u64)),
        Ok(_) => bad("trailing bytes after a record", false),
        Err(error) => bad(&format!("undecodable record: {error}"), false),
    }
}

/// Reads until `buf` is full or the file ends; returns how many bytes were read.
fn read_fully(reader: &mut impl Read, buf: &mut [u8]) -> std::io::Result<usize> {
    let mut filled = 0;
    while filled < buf.len() {
        match reader.read(&mut buf[filled..]) {
            Ok(0) => break,
            Ok(n) => filled += n,
            Err(error) if error.kind() == ErrorKind::Interrupted => {}
            Err(error) => return Err(error),
        }
    }
    Ok(filled)
}

/// True when every byte of the file from `offset` on is zero (space a filesystem
/// allocated for an append whose data never reached the disk).
fn rest_is_zero(path: &Path, offset: u64) -> std::io::Result<bool> {
    use std::io::{Seek, SeekFrom};
    let mut file = File::open(path)?;
    file.seek(SeekFrom::Start(offset))?;
    let mut buf = [0u8; 64 * 1024];
    loop {
        match file.read(&mut buf)? {
            0 => return Ok(true),
            n if buf[..n].iter().any(|&b| b != 0) => return Ok(false),
            _ => {}
        }
    }
}
