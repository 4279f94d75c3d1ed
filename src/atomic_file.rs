//! Replacing a file so that its name always holds either the old or the new content,
//! never a partial one, even if the process is killed or the machine loses power.
//!
//! The content goes to a temporary file beside the target (same directory, so the same
//! filesystem), which is fsynced, renamed over the target, and then the directory is
//! fsynced so that the rename itself is on disk.

use std::ffi::OsString;
use std::fs::{File, OpenOptions};
use std::io::Write;
use std::path::{Path, PathBuf};

/// Who may read the file written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Access {
    /// The process's usual permissions (umask applies).
    Default,
    /// Owner read/write only (0600 on Unix): keys and connect tokens.
    OwnerOnly,
}

/// The temporary name [`write_atomic`] uses for `path`: `NAME.tmp` beside it. A crash
/// can leave it behind; the next write replaces it.
pub fn temp_path(path: &Path) -> PathBuf {
    let mut name: OsString = path.file_name().map(OsString::from).unwrap_or_default();
    name.push(".tmp");
    path.with_file_name(name)
}

/// Writes `bytes` to `path` atomically and durably (see the module doc).
pub fn write_atomic(path: &Path, bytes: &[u8], access: Access) -> std::io::Result<()> {
    let temp = temp_path(path);
    let mut file = create(&temp, access)?;
    file.write_all(bytes)?;
    file.sync_all()?;
    drop(file);
    std::fs::rename(&temp, path)?;
    sync_parent(path)
}

/// Creates `path` only if nothing has that name yet (no replacing), writes `bytes` and
/// makes both the file and its directory entry durable.
pub fn write_new(path: &Path, bytes: &[u8], access: Access) -> std::io::Result<()> {
    let mut options = OpenOptions::new();
    options.write(true).create_new(true);
    restrict(&mut options, access);
    let mut file = options.open(path)?;
    file.write_all(bytes)?;
    file.sync_all()?;
    drop(file);
    sync_parent(path)
}

/// fsyncs the directory holding `path`, so a creation or rename in it survives a crash.
pub fn sync_parent(path: &Path) -> std::io::Result<()> {
    let parent = match path.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent,
        _ => Path::new("."),
    };
    File::open(parent)?.sync_all()
}

fn create(path: &Path, access: Access) -> std::io::Result<File> {
    let mut options = OpenOptions::new();
    options.write(true).create(true).truncate(true);
    restrict(&mut options, access);
    let file = options.open(path)?;
    // A temporary file left by an earlier run keeps its old mode; set it again.
    if access == Access::OwnerOnly {
        set_owner_only(&file)?;
    }
    Ok(file)
}

#[cfg(unix)]
fn restrict(options: &mut OpenOptions, access: Access) {
    use std::os::unix::fs::OpenOptionsExt;
    if access == Access::OwnerOnly {
        options.mode(0o600);
    }
}

#[cfg(not(unix))]
fn restrict(_options: &mut OpenOptions, _access: Access) {}

#[cfg(unix)]
fn set_owner_only(file: &File) -> std::io::Result<()> {
    use std::os::unix::fs::PermissionsExt;
    file.set_permissions(std::fs::Permissions::from_mode(0o600))
}

#[cfg(not(unix))]
fn set_owner_only(_file: &File) -> std::io::Result<()> {
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scratch(name: &str) -> PathBuf {
        let dir =
            std::env::temp_dir().join(format!("racksync-atomic-{}-{name}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        dir
    }

    #[test]
    fn replaces_content_and_leaves_no_temp_file() {
        let dir = scratch("replace");
        let path = dir.join("world.ron");
        write_atomic(&path, b"first", Access::Default).unwrap();
        write_atomic(&path, b"second", Access::Default).unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), b"second");
        assert!(!temp_path(&path).exists());
        assert_eq!(temp_path(&path), dir.join("world.ron.tmp"));
        std::fs::remove_dir_all(dir).unwrap();
    }

    #[test]
    fn write_new_refuses_to_replace() {
        let dir = scratch("new");
        let path = dir.join("key");
        write_new(&path, b"one", Access::OwnerOnly).unwrap();
        let error = write_new(&path, b"two", Access::OwnerOnly).unwrap_err();
        assert_eq!(error.kind(), std::io::ErrorKind::AlreadyExists);
        assert_eq!(std::fs::read(&path).unwrap(), b"one");
        std::fs::remove_dir_all(dir).unwrap();
    }

    #[cfg(unix)]
    #[test]
    fn owner_only_files_are_0600() {
        use std::os::unix::fs::PermissionsExt;
        let dir = scratch("mode");
        for path in [dir.join("a"), dir.join("b")] {
            if path.ends_with("a") {
                write_new(&path, b"x", Access::OwnerOnly).unwrap();
            } else {
                // A stale, world-readable temp file must not lend its mode to the result.
                std::fs::write(temp_path(&path), b"old").unwrap();
                std::fs::set_permissions(temp_path(&path), std::fs::Permissions::from_mode(0o644))
                    .unwrap();
                write_atomic(&path, b"x", Access::OwnerOnly).unwrap();
            }
            let mode = std::fs::metadata(&path).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600, "{}", path.display());
        }
        std::fs::remove_dir_all(dir).unwrap();
    }
}
