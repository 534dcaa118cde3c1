//! Atomic, durable file replacement: write a temporary file in the same folder, flush and
//! sync it, rename it over the target, sync the folder. A reader (or a crash) sees the old
//! file or the new one, never half of one.
//!
//! The temporary file is created exclusively (`O_EXCL`: never through a link planted at its
//! name) under a short random name of its own, so a long or non-UTF-8 target name still
//! saves. It takes the target's permissions (and owner, where allowed) before it replaces it,
//! and a target without write permission is refused, not replaced. Writers of one folder's
//! files take the folder's lock ([`lock_folder`]) around read-check-write-rename, so two
//! programs saving at once merge rather than overwrite each other.

use std::io::Write;
use std::path::{Path, PathBuf};

/// The lock file every Claimmark writer of a folder's files holds while it writes (an empty,
/// hidden file; an advisory lock, so readers are never blocked).
pub const LOCK_FILE: &str = ".claimmark.lock";

/// Replaces `path` with `contents` atomically.
pub fn write_atomic(path: &Path, contents: &[u8]) -> std::io::Result<()> {
    stage(path, contents)?.commit()
}

/// New contents written and synced under a temporary name beside their target, not yet in
/// place: [`Staged::commit`] renames them over the target; dropping them removes them.
pub struct Staged {
    tmp: PathBuf,
    target: PathBuf,
    committed: bool,
}

/// The folder a path is in (`.` for a bare name).
pub fn folder_of(path: &Path) -> &Path {
    match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    }
}

/// A new name for a temporary file in `path`'s folder: short and random, so it is the same
/// length whatever the target's name (a long or non-UTF-8 name still saves), and hidden, so
/// the folder's list of articles never shows a left-over. Create it exclusively.
pub fn temporary_beside(path: &Path) -> PathBuf {
    folder_of(path).join(format!(
        ".claimmark-{}.tmp",
        &uuid::Uuid::new_v4().simple().to_string()[..16]
    ))
}

/// Writes `contents` to a new temporary file beside `path`, with `path`'s permissions when it
/// exists. Refuses a target that is read-only or not a regular file.
pub fn stage(path: &Path, contents: &[u8]) -> std::io::Result<Staged> {
    if path.file_name().is_none() {
        return Err(std::io::Error::new(
            std::io::ErrorKind::InvalidInput,
            "path has no file name",
        ));
    }
    let existing = match std::fs::metadata(path) {
        Ok(meta) => Some(meta),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
        Err(e) => return Err(e),
    };
    if let Some(meta) = &existing {
        if !meta.is_file() {
            return Err(std::io::Error::new(
                std::io::ErrorKind::InvalidInput,
                "it is not a regular file; nothing was replaced",
            ));
        }
        if meta.permissions().readonly() {
            return Err(std::io::Error::new(
                std::io::ErrorKind::PermissionDenied,
                "the file is read-only (its permissions allow no writing); nothing was replaced",
            ));
        }
    }
    let staged = Staged {
        tmp: temporary_beside(path),
        target: path.to_owned(),
        committed: false,
    };
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&staged.tmp)?;
    if let Some(meta) = &existing {
        keep_owner_and_mode(&file, meta);
    }
    file.write_all(contents)?;
    file.sync_all()?;
    drop(file);
    Ok(staged)
}

impl Staged {
    /// Renames the new contents over the target and makes the rename durable.
    pub fn commit(mut self) -> std::io::Result<()> {
        std::fs::rename(&self.tmp, &self.target)?;
        self.committed = true;
        // Make the rename itself durable. Not every platform can open a folder; that is fine.
        if let Ok(d) = std::fs::File::open(folder_of(&self.target)) {
            let _ = d.sync_all();
        }
        Ok(())
    }
}

impl Drop for Staged {
    fn drop(&mut self) {
        if !self.committed {
            let _ = std::fs::remove_file(&self.tmp);
        }
    }
}

/// Gives the new file the old one's permissions and, where this user may, its owner and
/// group, so a save never makes a private (0600) sidecar world-readable.
fn keep_owner_and_mode(file: &std::fs::File, old: &std::fs::Metadata) {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        if let Ok(now) = file.metadata()
            && (now.uid(), now.gid()) != (old.uid(), old.gid())
        {
            let _ = std::os::unix::fs::fchown(file, Some(old.uid()), Some(old.gid()));
        }
    }
    let _ = file.set_permissions(old.permissions());
}

/// The folder's write lock, held until dropped.
#[derive(Debug)]
pub struct FolderLock {
    _file: std::fs::File,
}

/// Takes the exclusive write lock of the folder `path` is in, waiting for other writers
/// (other Claimmark processes, the app's saver). The lock file is never followed through a
/// link, never truncated, and must be a regular file.
pub fn lock_folder(path: &Path) -> std::io::Result<FolderLock> {
    let lock = folder_of(path).join(LOCK_FILE);
    let open = |write: bool| {
        let mut options = std::fs::OpenOptions::new();
        options.read(true);
        if write {
            options.write(true).create(true);
        }
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt;
            // Never through a planted link, never blocking on a planted FIFO.
            options.custom_flags(libc::O_NOFOLLOW | libc::O_NONBLOCK);
        }
        options.open(&lock)
    };
    // Another user's lock file (a shared folder) can be locked through a read-only handle.
    let file = match open(true) {
        Err(e) if e.kind() == std::io::ErrorKind::PermissionDenied => open(false),
        other => other,
    }
    .map_err(|e| {
        std::io::Error::new(
            e.kind(),
            format!("cannot take the folder's lock {}: {e}", lock.display()),
        )
    })?;
    if !file.metadata()?.is_file() {
        return Err(std::io::Error::new(
            std::io::ErrorKind::InvalidInput,
            format!("{} is not a regular file", lock.display()),
        ));
    }
    file.lock()?;
    Ok(FolderLock { _file: file })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replaces_the_file_and_leaves_no_temporary() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("a.txt.annotations.ron");
        write_atomic(&path, b"one").expect("write");
        write_atomic(&path, b"two").expect("write");
        assert_eq!(std::fs::read(&path).expect("read"), b"two");
        let names: Vec<_> = std::fs::read_dir(dir.path()).expect("dir").collect();
        assert_eq!(names.len(), 1);
    }

    #[test]
    fn a_missing_folder_is_an_error_not_a_panic() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("gone").join("x.ron");
        assert!(write_atomic(&path, b"x").is_err());
    }

    #[test]
    fn a_dropped_stage_leaves_nothing_and_the_target_untouched() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("x.ron");
        std::fs::write(&path, b"old").expect("write");
        drop(stage(&path, b"new").expect("stage"));
        assert_eq!(std::fs::read(&path).expect("read"), b"old");
        assert_eq!(std::fs::read_dir(dir.path()).expect("dir").count(), 1);
    }

    #[cfg(unix)]
    #[test]
    fn the_mode_is_kept_and_a_read_only_file_is_not_replaced() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("x.ron");
        std::fs::write(&path, b"old").expect("write");
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600)).expect("chmod");
        write_atomic(&path, b"new").expect("write");
        let mode = std::fs::metadata(&path).expect("meta").permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o444)).expect("chmod");
        let err = write_atomic(&path, b"newer").expect_err("read-only");
        assert!(err.to_string().contains("read-only"), "{err}");
        assert_eq!(std::fs::read(&path).expect("read"), b"new");
    }

    #[test]
    fn long_and_odd_names_save_twice() {
        let dir = tempfile::tempdir().expect("tempdir");
        // 250 bytes: the longest name most file systems take, with no room for a suffix.
        let path = dir.path().join("é".repeat(125));
        write_atomic(&path, b"one").expect("first");
        write_atomic(&path, b"two").expect("second");
        assert_eq!(std::fs::read(&path).expect("read"), b"two");
        #[cfg(unix)]
        {
            use std::os::unix::ffi::OsStrExt;
            let odd = dir.path().join(std::ffi::OsStr::from_bytes(b"caf\xe9.ron"));
            write_atomic(&odd, b"one").expect("non-UTF-8 name");
            write_atomic(&odd, b"two").expect("non-UTF-8 name again");
        }
    }

    #[test]
    fn the_folder_lock_excludes_a_second_writer_until_dropped() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("a.txt.annotations.ron");
        let held = lock_folder(&path).expect("lock");
        let second = std::fs::File::open(dir.path().join(LOCK_FILE)).expect("open");
        assert!(
            matches!(second.try_lock(), Err(std::fs::TryLockError::WouldBlock)),
            "a second writer must wait"
        );
        drop(held);
        second.try_lock().expect("free once the first is done");
    }

    #[cfg(unix)]
    #[test]
    fn a_lock_file_that_is_a_link_or_a_fifo_is_refused_without_hanging() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("a.txt.annotations.ron");
        let victim = dir.path().join("victim");
        std::fs::write(&victim, b"x").expect("write");
        std::os::unix::fs::symlink(&victim, dir.path().join(LOCK_FILE)).expect("link");
        assert!(lock_folder(&path).is_err());
        std::fs::remove_file(dir.path().join(LOCK_FILE)).expect("rm");
        let made = std::process::Command::new("mkfifo")
            .arg(dir.path().join(LOCK_FILE))
            .status()
            .expect("mkfifo");
        assert!(made.success());
        assert!(lock_folder(&path).is_err());
    }

    #[cfg(unix)]
    #[test]
    fn a_link_planted_at_a_temporary_name_is_never_written_through() {
        let dir = tempfile::tempdir().expect("tempdir");
        let victim = dir.path().join("victim");
        std::fs::write(&victim, b"precious").expect("write");
        // Plant links at many names; the temporary name is random, and opening it is exclusive.
        for i in 0..50 {
            let _ = std::os::unix::fs::symlink(&victim, dir.path().join(format!(".x{i}.tmp")));
        }
        write_atomic(&dir.path().join("out.csv"), b"data").expect("write");
        assert_eq!(std::fs::read(&victim).expect("read"), b"precious");
    }
}
