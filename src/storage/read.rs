//! Reading a file of the folder (an article, a sidecar, the codebook, the source registry, the
//! review cache) without trusting what its name points at.
//!
//! A cloned repository or a shared folder can hold a named pipe, a socket, a device or a
//! symbolic link to one (`a.txt.annotations.ron -> /dev/zero`) under a name Claimmark reads.
//! Opening a pipe blocks until something writes to it, and a device can be read forever, so
//! [`read_regular`] is the one way the app reads such a file: it refuses anything but a regular
//! file before opening it, and reads no more than a limit. Must not touch egui.

use std::fs::{File, Metadata};
use std::io::Read;
use std::path::Path;

/// The codebook and the source registry: files written by hand or by the app, never this big.
pub const MAX_FOLDER_FILE_BYTES: u64 = 64 * 1024 * 1024;

/// Why a file was not read.
#[derive(Debug, thiserror::Error)]
pub enum ReadError {
    /// A named pipe, socket, device or folder (or a link to one): never opened or read.
    #[error("not a regular file but {kind}; it was not read")]
    NotRegular { kind: &'static str },
    /// More bytes than the caller allows: at most `limit + 1` bytes were read.
    #[error("{} is more than the {} a file of this kind may have; it was not read", size_label(*size), size_label(*limit))]
    TooLarge { size: u64, limit: u64 },
    /// A text file whose bytes are not UTF-8 (`byte`: where the first bad sequence starts).
    #[error("not UTF-8 text (byte {byte})")]
    NotUtf8 { byte: usize },
    #[error(transparent)]
    Io(#[from] std::io::Error),
}

impl From<ReadError> for std::io::Error {
    /// For callers whose errors carry an [`std::io::Error`]; `NotFound` stays `NotFound`.
    fn from(e: ReadError) -> Self {
        match e {
            ReadError::Io(e) => e,
            other => std::io::Error::new(std::io::ErrorKind::InvalidData, other.to_string()),
        }
    }
}

/// Reads a whole file that must be a regular file (symbolic links followed) of at most
/// `max_bytes` bytes.
///
/// The file's type is checked before it is opened (opening a named pipe would block), the file
/// is opened without blocking and checked again through the open handle (the name may have
/// been replaced in between), and at most `max_bytes + 1` bytes are read, so a file that grows
/// while it is read cannot make the read unbounded.
pub fn read_regular(path: &Path, max_bytes: u64) -> Result<Vec<u8>, ReadError> {
    let (file, len) = open_regular(path, max_bytes)?;
    let capacity = usize::try_from(len.min(max_bytes)).unwrap_or(0);
    let mut bytes = Vec::with_capacity(capacity);
    file.take(max_bytes.saturating_add(1))
        .read_to_end(&mut bytes)?;
    let size = bytes.len() as u64;
    if size > max_bytes {
        return Err(ReadError::TooLarge {
            size,
            limit: max_bytes,
        });
    }
    Ok(bytes)
}

/// Opens a regular file of at most `max_bytes` for reading in parts (what [`read_regular`]
/// checks, without reading it); returns it with its length.
pub fn open_regular(path: &Path, max_bytes: u64) -> Result<(File, u64), ReadError> {
    count_io();
    let meta = std::fs::metadata(path)?;
    check(&meta, max_bytes)?;
    let file = open_nonblocking(path)?;
    let meta = file.metadata()?;
    check(&meta, max_bytes)?;
    Ok((file, meta.len()))
}

/// Asks the system to start reading the regular file at `path` into its page cache, and
/// returns without waiting for it: a reader that comes to the file a little later finds it in
/// memory instead of waiting for the disk. A scan that reads a tree's files one after another
/// on each core otherwise waits for each file in turn (200,000 small files on this project's
/// machines: 18 s read one after the other, 2.4 s to advise them all, 1.4 s to read them
/// after). Anything but a regular file is left alone, errors are ignored (the reader meets and
/// reports them), and where the system has no such advice it does nothing.
pub fn read_ahead(path: &Path) {
    #[cfg(target_os = "linux")]
    if let Ok((file, _)) = open_regular(path, u64::MAX) {
        let _ = rustix::fs::fadvise(&file, 0, None, rustix::fs::Advice::WillNeed);
    }
    #[cfg(not(target_os = "linux"))]
    let _ = path;
}

/// [`read_regular`] for a text file: also refuses bytes that are not UTF-8.
pub fn read_regular_text(path: &Path, max_bytes: u64) -> Result<String, ReadError> {
    text_from_bytes(read_regular(path, max_bytes)?)
}

/// A file's bytes as text: [`ReadError::NotUtf8`] when they are not UTF-8.
pub fn text_from_bytes(bytes: Vec<u8>) -> Result<String, ReadError> {
    String::from_utf8(bytes).map_err(|e| ReadError::NotUtf8 {
        byte: e.utf8_error().valid_up_to(),
    })
}

/// [`read_regular`] of a file that may not exist: `None` when it does not.
pub fn read_if_exists(path: &Path, max_bytes: u64) -> Result<Option<Vec<u8>>, ReadError> {
    absent_is_none(read_regular(path, max_bytes))
}

/// [`read_regular_text`] of a file that may not exist: `None` when it does not.
pub fn read_text_if_exists(path: &Path, max_bytes: u64) -> Result<Option<String>, ReadError> {
    absent_is_none(read_regular_text(path, max_bytes))
}

fn absent_is_none<T>(read: Result<T, ReadError>) -> Result<Option<T>, ReadError> {
    match read {
        Ok(value) => Ok(Some(value)),
        Err(ReadError::Io(e)) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(e),
    }
}

/// Text without a leading byte-order mark (some Windows editors add one to files they save):
/// it is not part of the RON of a sidecar, codebook or source registry.
pub fn without_bom(text: &str) -> &str {
    text.strip_prefix('\u{feff}').unwrap_or(text)
}

fn check(meta: &Metadata, max_bytes: u64) -> Result<(), ReadError> {
    if !meta.is_file() {
        return Err(ReadError::NotRegular {
            kind: kind_of(meta),
        });
    }
    if meta.len() > max_bytes {
        return Err(ReadError::TooLarge {
            size: meta.len(),
            limit: max_bytes,
        });
    }
    Ok(())
}

/// Opens for reading without waiting: should the name have become a named pipe since it was
/// checked, the open returns at once instead of blocking, and the type check on the handle
/// refuses it. (Reads of a regular file do not care about the flag.)
#[cfg(unix)]
fn open_nonblocking(path: &Path) -> std::io::Result<File> {
    use std::os::unix::fs::OpenOptionsExt;
    std::fs::OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NONBLOCK | libc::O_NOCTTY)
        .open(path)
}

#[cfg(not(unix))]
fn open_nonblocking(path: &Path) -> std::io::Result<File> {
    File::open(path)
}

/// What a file that is not a regular file is, in words.
fn kind_of(meta: &Metadata) -> &'static str {
    let kind = meta.file_type();
    if kind.is_dir() {
        return "a folder";
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if kind.is_fifo() {
            return "a named pipe (FIFO)";
        }
        if kind.is_socket() {
            return "a socket";
        }
        if kind.is_char_device() {
            return "a character device";
        }
        if kind.is_block_device() {
            return "a block device";
        }
    }
    "a special file"
}

/// `12 MiB`, `300 KiB` or `17 bytes`.
fn size_label(bytes: u64) -> String {
    if bytes >= 1 << 20 {
        format!("{} MiB", bytes >> 20)
    } else if bytes >= 1 << 10 {
        format!("{} KiB", bytes >> 10)
    } else {
        format!("{bytes} bytes")
    }
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;

    fn mkfifo(path: &Path) {
        let status = std::process::Command::new("mkfifo")
            .arg(path)
            .status()
            .expect("run mkfifo");
        assert!(status.success());
    }

    #[test]
    fn regular_files_are_read_up_to_the_limit() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("a.ron");
        std::fs::write(&path, b"0123456789").expect("write");
        assert_eq!(read_regular(&path, 10).expect("read"), b"0123456789");
        let err = read_regular(&path, 9).expect_err("too large");
        assert!(matches!(err, ReadError::TooLarge { limit: 9, .. }), "{err}");
        let link = dir.path().join("link.ron");
        std::os::unix::fs::symlink(&path, &link).expect("symlink");
        assert_eq!(
            read_regular(&link, 10).expect("through a link"),
            b"0123456789"
        );
        let missing = read_regular(&dir.path().join("none"), 10).expect_err("missing");
        assert_eq!(
            std::io::Error::from(missing).kind(),
            std::io::ErrorKind::NotFound
        );
    }

    #[test]
    fn pipes_devices_sockets_and_folders_are_refused_without_being_opened() {
        let dir = tempfile::tempdir().expect("tempdir");
        let fifo = dir.path().join("fifo.ron");
        mkfifo(&fifo);
        let zero = dir.path().join("zero.ron");
        std::os::unix::fs::symlink("/dev/zero", &zero).expect("symlink");
        let socket = dir.path().join("socket.ron");
        let _listener = std::os::unix::net::UnixListener::bind(&socket).expect("bind");
        let cases = [
            (fifo, "named pipe"),
            (zero, "character device"),
            (socket, "socket"),
            (dir.path().to_owned(), "folder"),
        ];
        for (path, kind) in cases {
            // A pipe nobody writes to would block this read forever if it were opened.
            let err = read_regular(&path, 1 << 20).expect_err("refused");
            assert!(
                matches!(err, ReadError::NotRegular { .. }) && err.to_string().contains(kind),
                "{}: {err}",
                path.display()
            );
        }
    }
}

thread_local! {
    static IO_ON_THIS_THREAD: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
}

/// Counts one file read or folder listing on the calling thread (see [`io_on_this_thread`]).
pub fn count_io() {
    IO_ON_THIS_THREAD.with(|n| n.set(n.get() + 1));
}

/// How many files this thread has read through [`read_regular`], and folders it has listed
/// with [`crate::review::scan::walk`]: how tests check that the app's UI thread leaves the
/// disk to its jobs.
pub fn io_on_this_thread() -> usize {
    IO_ON_THIS_THREAD.with(std::cell::Cell::get)
}
