//! The journal file format: records round-trip; a record framed from borrowed parts is
//! byte-identical to one framed from a record; reading stops at a torn tail wherever the
//! append was cut; a bad record followed by data is corruption; other files are refused.

use racksync::durability::JournalRecord;
use racksync::durability::journal::{
    JournalContents, JournalError, JournalWriter, MAGIC, frame, frame_parts, read_journal,
};
use racksync_protocol::{ObjectId, ObjectKind, ObjectRecord, Placement, PlayerId, PosMm, Revision};
use racksync_world::rules::Change;

fn record(revision: u64) -> JournalRecord {
    JournalRecord {
        revision: Revision(revision),
        actor: PlayerId(3),
        changes: vec![
            Change::Write(ObjectRecord {
                id: ObjectId::new(3, revision as u32),
                kind: ObjectKind::Server1U,
                placement: Placement::Floor {
                    pos: PosMm::new(1, 0, revision as i32),
                    yaw: 7,
                },
                powered: false,
                health: Default::default(),
                properties: Default::default(),
                cable: None,
            }),
            Change::Remove(ObjectId::new(0, 9)),
        ],
    }
}

fn write_journal(path: &std::path::Path, records: &[JournalRecord]) -> Vec<u8> {
    let mut writer = JournalWriter::open(path).unwrap();
    for record in records {
        writer.append(&frame(record)).unwrap();
    }
    writer.sync().unwrap();
    std::fs::read(path).unwrap()
}

#[test]
fn records_round_trip() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("j");
    let records: Vec<JournalRecord> = (1..=5).map(record).collect();
    write_journal(&path, &records);
    assert_eq!(
        read_journal(&path).unwrap(),
        JournalContents {
            records,
            torn_bytes: 0
        }
    );
    // Reopening appends after what is there.
    write_journal(&path, &[record(6)]);
    assert_eq!(read_journal(&path).unwrap().records.len(), 6);
}

#[test]
fn borrowed_and_owned_framing_agree() {
    let record = record(42);
    assert_eq!(
        frame(&record),
        frame_parts(record.revision, record.actor, &record.changes)
    );
}

#[test]
fn a_missing_or_empty_file_is_an_empty_journal() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("j");
    assert_eq!(read_journal(&path).unwrap(), JournalContents::default());
    std::fs::write(&path, b"").unwrap();
    assert_eq!(read_journal(&path).unwrap(), JournalContents::default());
}

#[test]
fn every_cut_of_the_last_record_is_a_torn_tail() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("j");
    let full = write_journal(&path, &[record(1), record(2)]);
    let last = frame(&record(2)).len();
    let two_records = full.len();
    // Every length from "one byte of the last record" to "all but its last byte".
    for len in (two_records - last + 1)..two_records {
        std::fs::write(&path, &full[..len]).unwrap();
        let contents = read_journal(&path).unwrap();
        assert_eq!(contents.records, vec![record(1)], "cut at {len}");
        assert_eq!(contents.torn_bytes, (len - (two_records - last)) as u64);
    }
}

#[test]
fn a_bad_record_followed_by_data_is_corruption() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("j");
    let mut bytes = write_journal(&path, &[record(1), record(2), record(3)]);
    let second = MAGIC.len() + frame(&record(1)).len();
    // The second record's length claims more than the limit.
    bytes[second + 3] = 0xff;
    std::fs::write(&path, &bytes).unwrap();
    let error = read_journal(&path).unwrap_err();
    assert!(
        matches!(error, JournalError::Corrupt { offset, .. } if offset == second as u64),
        "{error}"
    );
}

#[test]
fn a_bad_last_record_that_is_not_cut_short_is_corruption_unless_zero() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("j");
    let mut bytes = write_journal(&path, &[record(1), record(2)]);
    let last = bytes.len() - 1;
    bytes[last] ^= 1;
    std::fs::write(&path, &bytes).unwrap();
    assert!(matches!(
        read_journal(&path),
        Err(JournalError::Corrupt { .. })
    ));
    // The same record's space zero-filled (data that never reached the disk) is torn.
    let start = MAGIC.len() + frame(&record(1)).len();
    bytes[start..].fill(0);
    std::fs::write(&path, &bytes).unwrap();
    let contents = read_journal(&path).unwrap();
    assert_eq!(contents.records, vec![record(1)]);
    assert_eq!(contents.torn_bytes, (bytes.len() - start) as u64);
}

#[test]
fn other_files_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("j");
    std::fs::write(&path, b"(format: 1, revision: 0)\n").unwrap();
    assert!(matches!(
        read_journal(&path),
        Err(JournalError::NotAJournal { .. })
    ));
    assert!(matches!(
        JournalWriter::open(&path),
        Err(JournalError::NotAJournal { .. })
    ));
}
