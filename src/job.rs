//! Background work as one type. A [`Job`] runs a closure on a worker thread; the closure
//! reports how far it got and checks for cancellation through its progress value, and the
//! owner polls the job (each frame, in the app) for its result. Dropping a job cancels it.
//!
//! Every piece of slow work the app starts goes through here: opening an article, scanning
//! a folder, exporting, importing, and waiting for a file dialog. Nothing here knows about
//! egui: the owner passes a [`Waker`] that the job calls when it is done (the app's asks
//! for a repaint).

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::mpsc::{Receiver, RecvTimeoutError, TryRecvError, sync_channel};
use std::time::Duration;

/// Called by a job's thread when the result is ready (e.g. to ask the UI for a repaint).
pub type Waker = Arc<dyn Fn() + Send + Sync>;

/// A waker that does nothing (for the command line and tests that poll).
pub fn no_waker() -> Waker {
    Arc::new(|| {})
}

/// How the program hands memory its allocator keeps back to the system (see
/// [`release_memory`]); set once, by the binary, which chose the allocator.
static RELEASE_MEMORY: std::sync::OnceLock<fn()> = std::sync::OnceLock::new();

/// Sets what [`release_memory`] does (the binary: its allocator's collection).
pub fn set_memory_release(release: fn()) {
    let _ = RELEASE_MEMORY.set(release);
}

/// Hands memory freed by a large piece of work back to the system, if the binary said how.
/// An allocator keeps what was freed for later use, and gives it back only when the threads
/// that freed it allocate again: after a scan of a large tree whose worker threads are gone,
/// some 300 MB stayed resident in an idle app until something was clicked.
pub fn release_memory() {
    if let Some(release) = RELEASE_MEMORY.get() {
        release();
    }
}

/// What a job's closure can report and be asked: the common part of every progress value.
pub trait Cancel: Default + Send + Sync + 'static {
    /// Asks the work to stop; it returns early, soon after, with what it has.
    fn cancel(&self);
    /// True once [`Cancel::cancel`] was called.
    fn is_cancelled(&self) -> bool;
}

/// Progress counted in items (articles exported, files imported…), and cancellation.
#[derive(Debug, Default)]
pub struct Progress {
    /// Items done so far.
    pub done: AtomicUsize,
    /// Items in all (0 while unknown).
    pub total: AtomicUsize,
    cancel: AtomicBool,
}

impl Progress {
    /// Records that `done` of `total` items are done.
    pub fn set(&self, done: usize, total: usize) {
        self.done.store(done, Ordering::Relaxed);
        self.total.store(total, Ordering::Relaxed);
    }

    /// `(done, total)`.
    pub fn get(&self) -> (usize, usize) {
        (
            self.done.load(Ordering::Relaxed),
            self.total.load(Ordering::Relaxed),
        )
    }
}

impl Cancel for Progress {
    fn cancel(&self) {
        self.cancel.store(true, Ordering::Relaxed);
    }

    fn is_cancelled(&self) -> bool {
        self.cancel.load(Ordering::Relaxed)
    }
}

/// A job could not be started.
#[derive(Debug, thiserror::Error)]
#[error("cannot start {name}: {source}")]
pub struct SpawnError {
    /// What the job does ("open article").
    pub name: String,
    #[source]
    pub source: std::io::Error,
}

/// What polling a job found.
#[derive(Debug, PartialEq, Eq)]
pub enum Poll<T> {
    /// Still running.
    Pending,
    /// Finished with this result (given once; later polls say [`Poll::Lost`]).
    Ready(T),
    /// The worker stopped without a result (it panicked), or the result was already taken.
    Lost,
}

/// Work running on its own thread, with progress `P`, giving a `T`.
pub struct Job<T, P: Cancel = Progress> {
    name: String,
    progress: Arc<P>,
    result: Receiver<T>,
    /// The result was handed out.
    taken: std::cell::Cell<bool>,
}

impl<T, P: Cancel> std::fmt::Debug for Job<T, P> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Job").field("name", &self.name).finish()
    }
}

impl<T: Send + 'static, P: Cancel> Job<T, P> {
    /// Starts `work` on a thread named `name`; `waker` is called once the result is ready.
    pub fn spawn(
        name: &str,
        waker: Waker,
        work: impl FnOnce(&P) -> T + Send + 'static,
    ) -> Result<Self, SpawnError> {
        let progress = Arc::new(P::default());
        let (tx, rx) = sync_channel(1);
        let p = progress.clone();
        std::thread::Builder::new()
            .name(format!("claimmark: {name}"))
            .spawn(move || {
                let _ = tx.send(work(&p));
                waker();
            })
            .map_err(|source| SpawnError {
                name: name.to_owned(),
                source,
            })?;
        Ok(Self {
            name: name.to_owned(),
            progress,
            result: rx,
            taken: std::cell::Cell::new(false),
        })
    }

    /// The result, if the work is over; never waits.
    pub fn poll(&self) -> Poll<T> {
        if self.taken.get() {
            return Poll::Lost;
        }
        match self.result.try_recv() {
            Ok(t) => {
                self.taken.set(true);
                Poll::Ready(t)
            }
            Err(TryRecvError::Empty) => Poll::Pending,
            Err(TryRecvError::Disconnected) => Poll::Lost,
        }
    }

    /// Waits at most `timeout` for the result (the command line, tests).
    pub fn wait(&self, timeout: Duration) -> Poll<T> {
        if self.taken.get() {
            return Poll::Lost;
        }
        match self.result.recv_timeout(timeout) {
            Ok(t) => {
                self.taken.set(true);
                Poll::Ready(t)
            }
            Err(RecvTimeoutError::Timeout) => Poll::Pending,
            Err(RecvTimeoutError::Disconnected) => Poll::Lost,
        }
    }

    /// What the work reported so far.
    pub fn progress(&self) -> &P {
        &self.progress
    }

    /// What the job does, as given to [`Job::spawn`] ("open article").
    pub fn name(&self) -> &str {
        &self.name
    }

    /// Asks the work to stop (it still delivers a result, usually "cancelled").
    pub fn cancel(&self) {
        self.progress.cancel();
    }
}

impl<T, P: Cancel> Drop for Job<T, P> {
    /// A job nobody waits for any more is asked to stop.
    fn drop(&mut self) {
        self.progress.cancel();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What the binary set is what a scan's end calls (once set, for the whole process).
    #[test]
    fn release_memory_calls_what_the_binary_set() {
        static CALLS: AtomicUsize = AtomicUsize::new(0);
        fn count() {
            CALLS.fetch_add(1, Ordering::Relaxed);
        }
        set_memory_release(count);
        release_memory();
        release_memory();
        assert_eq!(CALLS.load(Ordering::Relaxed), 2);
    }

    #[test]
    fn a_job_reports_progress_and_its_result() {
        let (go_tx, go_rx) = std::sync::mpsc::channel::<()>();
        let job: Job<usize> = Job::spawn("count", no_waker(), move |p: &Progress| {
            p.set(1, 3);
            let _ = go_rx.recv();
            p.set(3, 3);
            42
        })
        .expect("in a test");
        assert_eq!(job.poll(), Poll::Pending);
        // Progress is visible while the work runs.
        while job.progress().get() != (1, 3) {
            std::thread::yield_now();
        }
        go_tx.send(()).expect("in a test");
        assert_eq!(job.wait(Duration::from_secs(10)), Poll::Ready(42));
        assert_eq!(job.progress().get(), (3, 3));
        assert_eq!(job.poll(), Poll::Lost, "a result is given once");
    }

    #[test]
    fn cancelling_stops_the_work_and_dropping_cancels() {
        let job: Job<&str> = Job::spawn("spin", no_waker(), |p: &Progress| {
            while !p.is_cancelled() {
                std::thread::sleep(Duration::from_millis(1));
            }
            "stopped"
        })
        .expect("in a test");
        job.cancel();
        assert_eq!(job.wait(Duration::from_secs(10)), Poll::Ready("stopped"));

        let (tx, rx) = std::sync::mpsc::channel();
        let job: Job<()> = Job::spawn("spin", no_waker(), move |p: &Progress| {
            while !p.is_cancelled() {
                std::thread::sleep(Duration::from_millis(1));
            }
            let _ = tx.send("saw the cancel");
        })
        .expect("in a test");
        drop(job);
        assert_eq!(
            rx.recv_timeout(Duration::from_secs(10)),
            Ok("saw the cancel")
        );
    }

    #[test]
    fn a_worker_that_panics_is_lost_not_pending_forever_and_the_waker_is_not_needed() {
        let woken = Arc::new(AtomicUsize::new(0));
        let w = woken.clone();
        let waker: Waker = Arc::new(move || {
            w.fetch_add(1, Ordering::Relaxed);
        });
        let job: Job<()> =
            Job::spawn("fail", waker, |_: &Progress| panic!("boom")).expect("in a test");
        assert_eq!(job.wait(Duration::from_secs(10)), Poll::Lost);
        assert_eq!(woken.load(Ordering::Relaxed), 0);

        let woken = Arc::new(AtomicUsize::new(0));
        let w = woken.clone();
        let waker: Waker = Arc::new(move || {
            w.fetch_add(1, Ordering::Relaxed);
        });
        let job: Job<u8> = Job::spawn("ok", waker, |_: &Progress| 7).expect("in a test");
        assert_eq!(job.wait(Duration::from_secs(10)), Poll::Ready(7));
        // The waker runs right after the send; give it the moment it needs.
        let start = std::time::Instant::now();
        while woken.load(Ordering::Relaxed) == 0 && start.elapsed() < Duration::from_secs(10) {
            std::thread::yield_now();
        }
        assert_eq!(woken.load(Ordering::Relaxed), 1);
    }
}
