//! Watches the open article's sidecar for changes made by other programs (another Claimmark,
//! a sync tool, git), on its own thread, so the UI thread never touches the disk.

use std::path::PathBuf;
use std::sync::mpsc::{Receiver, Sender, channel};
use std::time::{Duration, SystemTime};

use super::ReadError;

/// The sidecar's contents after a change on disk (`None`: it was deleted; an error: why it
/// could not be read, see [`crate::session::Session::on_disk_change`]).
pub struct Changed {
    pub path: PathBuf,
    pub contents: Option<Result<String, ReadError>>,
}

pub struct Watcher {
    set_path: Sender<Option<PathBuf>>,
    changes: Receiver<Changed>,
}

/// How often the file's size and modification time are looked at.
pub const POLL: Duration = Duration::from_millis(500);

impl Watcher {
    /// Starts the watching thread; `notify` wakes the UI after a change.
    pub fn spawn(notify: impl Fn() + Send + 'static) -> Self {
        let (set_path, path_rx) = channel::<Option<PathBuf>>();
        let (tx, changes) = channel();
        std::thread::Builder::new()
            .name("claimmark-watch".into())
            .spawn(move || {
                let mut path: Option<PathBuf> = None;
                let mut seen: Option<(u64, SystemTime)> = None;
                loop {
                    match path_rx.recv_timeout(POLL) {
                        Ok(p) => {
                            seen = p.as_ref().and_then(|p| stamp(p));
                            path = p;
                            continue;
                        }
                        Err(std::sync::mpsc::RecvTimeoutError::Disconnected) => return,
                        Err(std::sync::mpsc::RecvTimeoutError::Timeout) => {}
                    }
                    let Some(p) = &path else {
                        continue;
                    };
                    let now = stamp(p);
                    if now == seen {
                        continue;
                    }
                    seen = now;
                    let max = super::sidecar::MAX_SIDECAR_BYTES;
                    let contents = super::read::read_text_if_exists(p, max).transpose();
                    if tx
                        .send(Changed {
                            path: p.clone(),
                            contents,
                        })
                        .is_err()
                    {
                        return;
                    }
                    notify();
                }
            })
            .ok();
        Self { set_path, changes }
    }

    /// Watches `path` from now on (its current state is not a change).
    pub fn watch(&self, path: Option<PathBuf>) {
        let _ = self.set_path.send(path);
    }

    pub fn poll(&self) -> Vec<Changed> {
        self.changes.try_iter().collect()
    }
}

fn stamp(path: &std::path::Path) -> Option<(u64, SystemTime)> {
    let meta = std::fs::metadata(path).ok()?;
    Some((meta.len(), meta.modified().ok()?))
}
