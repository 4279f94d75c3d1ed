//! The journal file format: records round-trip; a record framed from borrowed parts is
//! byte-identical to one framed from a record; reading stops at a torn tail wherever the
//! append was cut; a bad record followed by data is corruption; other files are refused;
//! replacing the journal keeps exactly the records given.

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
        writer.append(&frame(record).unwrap()).unwrap();
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
        frame(&record).unwrap(),
        frame_parts(record.revision, record.actor, &record.changes).unwrap()
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
    let last = frame(&record(2)).unwrap().len();
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
    let second = MAGIC.len() + frame(&record(1)).unwrap().len();
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
    let start = MAGIC.len() + frame(&record(1)).unwrap().len();
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

#[test]
fn replacing_keeps_the_given_records_and_appends_after_them() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("j");
    let mut writer = JournalWriter::open(&path).unwrap();
    for revision in 1..=5 {
        writer.append(&frame(&record(revision)).unwrap()).unwrap();
    }
    // A save covering revisions up to 3 completed: keep 4 and 5.
    let mut newer = frame(&record(4)).unwrap();
    newer.extend(frame(&record(5)).unwrap());
    writer.replace(&newer).unwrap();
    writer.append(&frame(&record(6)).unwrap()).unwrap();
    writer.sync().unwrap();
    let revisions: Vec<u64> = read_journal(&path)
        .unwrap()
        .records
        .iter()
        .map(|r| r.revision.0)
        .collect();
    assert_eq!(revisions, vec![4, 5, 6]);
    let names: Vec<String> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names, vec!["j"], "no temporary file is left");
    // Emptying works on the replaced file too.
    writer.reset().unwrap();
    writer.append(&frame(&record(7)).unwrap()).unwrap();
    assert_eq!(read_journal(&path).unwrap().records, vec![record(7)]);
}
