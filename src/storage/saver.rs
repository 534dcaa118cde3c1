//! A background writer: the GUI hands it sidecar snapshots and never waits on the disk.

use std::path::PathBuf;
use std::sync::mpsc::{Receiver, Sender, channel};

/// One snapshot to write.
pub struct SaveJob {
    pub path: PathBuf,
    pub contents: String,
    /// The annotation-set revision the snapshot represents.
    pub revision: u64,
    /// The hash of the file this snapshot was made against (`None`: no file yet); a file that
    /// changed since is not overwritten.
    pub expected: Option<u64>,
}

/// The outcome of one job.
pub struct SaveDone {
    pub path: PathBuf,
    pub revision: u64,
    pub result: Result<super::sidecar::WriteOutcome, SaverError>,
    /// The hash of the contents this job wrote (or tried to).
    pub hash: u64,
}

/// Why a snapshot was not written.
#[derive(Debug, thiserror::Error)]
pub enum SaverError {
    /// The writer thread is gone (it could not start, or it panicked): nothing is written.
    #[error("the save thread has stopped")]
    Stopped,
    #[error("cannot save {}: {source}", path.display())]
    Write {
        path: PathBuf,
        source: std::io::Error,
    },
}

/// Writes jobs in order on its own thread, atomically.
pub struct Saver {
    jobs: Sender<SaveJob>,
    done: Receiver<SaveDone>,
    in_flight: usize,
}

impl Saver {
    /// Starts the writer thread; `notify` is called after each job (e.g. to wake the UI).
    pub fn spawn(notify: impl Fn() + Send + 'static) -> Self {
        let (jobs, job_rx) = channel::<SaveJob>();
        let (done_tx, done) = channel();
        std::thread::Builder::new()
            .name("claimmark-saver".into())
            .spawn(move || {
                for job in job_rx {
                    let result = super::sidecar::write_if_unchanged(
                        &job.path,
                        &job.contents,
                        Some(job.expected),
                    )
                    .map_err(|source| SaverError::Write {
                        path: job.path.clone(),
                        source,
                    });
                    let _ = done_tx.send(SaveDone {
                        hash: super::sidecar::content_hash(job.contents.as_bytes()),
                        path: job.path,
                        revision: job.revision,
                        result,
                    });
                    notify();
                }
            })
            .ok();
        Self {
            jobs,
            done,
            in_flight: 0,
        }
    }

    pub fn submit(&mut self, job: SaveJob) -> Result<(), SaverError> {
        self.jobs.send(job).map_err(|_| SaverError::Stopped)?;
        self.in_flight += 1;
        Ok(())
    }

    /// Jobs submitted and not yet reported back.
    pub fn in_flight(&self) -> usize {
        self.in_flight
    }

    /// Finished jobs since the last call.
    pub fn poll(&mut self) -> Vec<SaveDone> {
        let done: Vec<SaveDone> = self.done.try_iter().collect();
        self.in_flight = self.in_flight.saturating_sub(done.len());
        done
    }

    /// Waits for every submitted job (used on exit and when switching articles).
    pub fn wait(&mut self) -> Vec<SaveDone> {
        let mut all = Vec::new();
        while self.in_flight > 0 {
            match self.done.recv() {
                Ok(d) => {
                    self.in_flight -= 1;
                    all.push(d);
                }
                Err(_) => break,
            }
        }
        all
    }
}
