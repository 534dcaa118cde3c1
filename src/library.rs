//! The folder model: what the app has open beyond one article. One [`Library`] holds the
//! articles of a folder tree (or of files given one by one), found by one recursive walk,
//! read by one background scan (with its cache) into one [`Index`]. It feeds every part of
//! the app that needs the folder: the article list and its marks, the review, the
//! inspector's link targets and the export's scope. All its file work runs in a [`Job`]:
//! polling it never touches the disk.
//!
//! Time is passed in ([`Library::poll`] takes `now`), so rescans are testable without waits.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use crate::job::{Job, Poll, Waker};
use crate::review::{ArticleEntry, Index, Remembered, ScanError, ScanProgress};

/// The folder, inside an articles' folder, where the app puts exports by default. The walk
/// does not enter it: a brief or brat copies of the articles written there are not articles
/// of the folder (and do not widen the next export).
pub const EXPORTS_FOLDER: &str = "claimmark-exports";

/// What a library covers.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Scope {
    /// A folder and its subfolders.
    Folder(PathBuf),
    /// Articles (and folders) chosen one by one, in this order.
    Files(Vec<PathBuf>),
}

/// An annotation of another article that a link can point to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LinkTarget {
    /// The article's file name.
    pub article: String,
    /// The annotation's id.
    pub id: String,
    /// Its tag ids.
    pub tags: Vec<String>,
    /// Its quote.
    pub quote: String,
}

type ScanJob = Job<Result<crate::review::scan::Rescanned, ScanError>, ScanProgress>;

/// The articles of a folder tree, their annotations, and the scan that keeps them current.
pub struct Library {
    scope: Scope,
    articles: Vec<PathBuf>,
    skipped: Vec<String>,
    annotated: HashSet<PathBuf>,
    index: Option<Arc<Index>>,
    by_path: HashMap<PathBuf, usize>,
    generation: usize,
    scan: Option<ScanJob>,
    /// The running scan is the first one (its progress is shown).
    first: bool,
    /// The running scan's walk result was taken into `articles`.
    walked: bool,
    /// The running scan's index was taken before the scan ended (it was writing the cache).
    built: bool,
    /// When the last scan ended (the next is due `rescan_every` later), or the first began.
    last_scan: Option<Instant>,
    /// When the running scan began, and how long the last one took.
    scan_started: Option<Instant>,
    last_took: Duration,
    /// The last scan found nothing changed (it only took the files' stamps).
    last_unchanged: bool,
    /// Articles the last scan took from its cache instead of reading them.
    last_reused: usize,
    error: Option<String>,
    cache_file: Option<PathBuf>,
    /// What the last scan read, when there is no cache file to keep it in.
    memory: Option<Arc<Remembered>>,
    waker: Waker,
}

impl std::fmt::Debug for Library {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Library")
            .field("scope", &self.scope)
            .field("articles", &self.articles.len())
            .field("generation", &self.generation)
            .finish()
    }
}

impl Library {
    /// The library of a folder tree; its first scan starts at once. A folder in the
    /// temporary directory gets no cache file (see [`crate::review::cache::default_cache_file`]).
    pub fn open(scope: Scope, waker: Waker) -> Self {
        let cache_file = match &scope {
            Scope::Folder(root) => crate::review::cache::default_cache_file(root),
            Scope::Files(_) => None,
        };
        let mut library = Self {
            scope,
            articles: Vec::new(),
            skipped: Vec::new(),
            annotated: HashSet::new(),
            index: None,
            by_path: HashMap::new(),
            generation: 0,
            scan: None,
            first: true,
            walked: false,
            built: false,
            last_scan: None,
            scan_started: None,
            last_took: Duration::ZERO,
            last_unchanged: false,
            last_reused: 0,
            error: None,
            cache_file,
            memory: None,
            waker,
        };
        library.rescan(Instant::now());
        library
    }

    /// What the library covers.
    pub fn scope(&self) -> &Scope {
        &self.scope
    }

    /// The folder, for a folder's library.
    pub fn root(&self) -> Option<&Path> {
        match &self.scope {
            Scope::Folder(root) => Some(root),
            Scope::Files(_) => None,
        }
    }

    /// The articles, sorted by path for a folder (empty until the walk is over).
    pub fn articles(&self) -> &[PathBuf] {
        &self.articles
    }

    /// True if `path` is one of the articles.
    pub fn contains(&self, path: &Path) -> bool {
        self.by_path.contains_key(path) || self.articles.iter().any(|p| p == path)
    }

    /// True if the article has a sidecar (as of the last scan, or saved since).
    pub fn has_annotations(&self, path: &Path) -> bool {
        self.annotated.contains(path)
    }

    /// The articles that have annotations.
    pub fn annotated(&self) -> &HashSet<PathBuf> {
        &self.annotated
    }

    /// Records that the app just wrote the article's sidecar (before the next scan sees it).
    pub fn note_saved(&mut self, path: &Path) {
        self.annotated.insert(path.to_owned());
    }

    /// The last complete scan.
    pub fn index(&self) -> Option<&Arc<Index>> {
        self.index.as_ref()
    }

    /// An article's entry in the index.
    pub fn entry(&self, path: &Path) -> Option<&ArticleEntry> {
        let index = self.index.as_ref()?;
        index.articles.get(*self.by_path.get(path)?)
    }

    /// The index's articles by path.
    pub fn by_path(&self) -> &HashMap<PathBuf, usize> {
        &self.by_path
    }

    /// Counts the indexes taken (each scan that found a change).
    pub fn generation(&self) -> usize {
        self.generation
    }

    /// Folders the walk could not read, one message each.
    pub fn skipped(&self) -> &[String] {
        &self.skipped
    }

    /// Why the last scan failed, if it did.
    pub fn error(&self) -> Option<&str> {
        self.error.as_deref()
    }

    /// True while the first scan runs (later scans run quietly).
    pub fn scanning(&self) -> bool {
        self.first && self.scan.is_some()
    }

    /// `(done, total)` articles of the first scan, while it reads them (not once its index
    /// is in, while it writes the cache file).
    pub fn first_scan_progress(&self) -> Option<(usize, usize)> {
        let job = self.scan.as_ref().filter(|_| self.first && !self.built)?;
        let p = job.progress();
        Some((
            p.done.load(std::sync::atomic::Ordering::Relaxed),
            p.total.load(std::sync::atomic::Ordering::Relaxed),
        ))
    }

    /// Starts a scan now, unless one runs.
    pub fn rescan(&mut self, now: Instant) {
        if self.scan.is_some() {
            return;
        }
        let scope = self.scope.clone();
        let cache = self.cache_file.clone();
        let memory = self.memory.clone();
        let job = Job::spawn("scan the folder", self.waker.clone(), move |progress| {
            let scanned = match &scope {
                Scope::Folder(root) => {
                    crate::review::scan_remembering(root, cache.as_deref(), memory, progress)
                }
                Scope::Files(paths) => crate::review::scan_paths(paths, progress)
                    .map(|index| (Some(Arc::new(index)), None)),
            };
            // What the scan's threads read and built beside the index is freed by now.
            crate::job::release_memory();
            scanned
        });
        match job {
            Ok(job) => {
                self.scan = Some(job);
                self.walked = false;
                self.built = false;
                self.scan_started = Some(now);
                self.last_scan.get_or_insert(now);
            }
            Err(e) => self.error = Some(e.to_string()),
        }
    }

    /// Articles the last scan took from its cache (or from what the scan before it read)
    /// instead of reading them again.
    pub fn last_reused(&self) -> usize {
        self.last_reused
    }

    /// How long after the last scan ended the next one is due: `rescan_every`, or four times
    /// what the last scan took if that is longer, so that rescanning a tree that takes long
    /// to read never keeps a core busy for more than a fifth of the time; after a scan that
    /// found nothing changed, sixty times (a large tree left alone costs under 2 % of a core
    /// to watch; a small one is still looked at every `rescan_every`). Showing the review and
    /// importing scan at once whatever is due.
    fn interval(&self, rescan_every: Duration) -> Duration {
        let times = if self.last_unchanged { 60 } else { 4 };
        rescan_every.max(self.last_took * times)
    }

    /// Takes what the scan found so far; starts another scan when the last one is
    /// `rescan_every` old. Returns true if the articles or the index changed.
    pub fn poll(&mut self, now: Instant, rescan_every: Duration) -> bool {
        let mut changed = false;
        // The index, while the scan still writes the cache file.
        if let Some(index) = self
            .scan
            .as_ref()
            .filter(|_| !self.built)
            .and_then(|job| job.progress().built.get().cloned())
        {
            self.built = true;
            self.set_index(index);
            changed = true;
        }
        if let Some(job) = &self.scan {
            if !self.walked
                && let Some((articles, skipped)) = job.progress().walked.get()
            {
                self.walked = true;
                if self.articles != *articles {
                    self.articles = articles.clone();
                    changed = true;
                }
                self.skipped = skipped.clone();
            }
            let polled = job.poll();
            // Read after the result: the scan's last counts are in by then.
            let reused = job
                .progress()
                .reused
                .load(std::sync::atomic::Ordering::Acquire);
            let ended = match polled {
                Poll::Pending => false,
                Poll::Ready(Ok((index, memory))) => {
                    self.scan = None;
                    self.first = false;
                    self.error = None;
                    self.last_reused = reused;
                    // `None`: nothing changed since the last scan. A folder's scan says so
                    // itself (comparing two large indexes would stall the frame); files given
                    // one by one are few, and compared.
                    self.last_unchanged = index.is_none();
                    let folder = memory.is_some();
                    self.memory = memory;
                    let taken = |i: &Arc<Index>| {
                        self.index.as_ref().is_some_and(|mine| Arc::ptr_eq(mine, i))
                    };
                    if let Some(index) = index
                        && !taken(&index)
                        && (folder || self.index.as_deref() != Some(&*index))
                    {
                        self.set_index(index);
                        changed = true;
                    }
                    true
                }
                Poll::Ready(Err(e)) => {
                    self.scan = None;
                    self.first = false;
                    self.error = Some(e.to_string());
                    true
                }
                Poll::Lost => {
                    self.scan = None;
                    self.first = false;
                    self.error = Some("the scan of the folder stopped unexpectedly".into());
                    true
                }
            };
            if ended {
                self.last_took = self
                    .scan_started
                    .map_or(Duration::ZERO, |t| now.saturating_duration_since(t));
                self.last_scan = Some(now);
            }
        }
        let interval = self.interval(rescan_every);
        if self.scan.is_none() && self.last_scan.is_none_or(|t| now >= t + interval) {
            self.rescan(now);
        }
        changed
    }

    /// How long until the next scan is due (for a repaint then), if none runs.
    pub fn next_scan_in(&self, now: Instant, rescan_every: Duration) -> Option<Duration> {
        if self.scan.is_some() {
            return None;
        }
        let interval = self.interval(rescan_every);
        Some(self.last_scan.map_or(Duration::ZERO, |t| {
            (t + interval).saturating_duration_since(now)
        }))
    }

    /// True while any scan runs.
    pub fn busy(&self) -> bool {
        self.scan.is_some()
    }

    fn set_index(&mut self, index: Arc<Index>) {
        self.by_path = index
            .articles
            .iter()
            .enumerate()
            .map(|(i, a)| (a.path.clone(), i))
            .collect();
        self.articles = index.articles.iter().map(|a| a.path.clone()).collect();
        self.annotated = index
            .articles
            .iter()
            .filter(|a| a.modified.is_some())
            .map(|a| a.path.clone())
            .collect();
        self.skipped = index.skipped.clone();
        self.index = Some(index);
        self.generation += 1;
    }

    /// The annotations of the library's articles other than `except`, for links from an
    /// annotation of `except` (from the index: no file is read).
    pub fn link_targets(&self, except: &Path) -> Vec<LinkTarget> {
        let Some(index) = &self.index else {
            return Vec::new();
        };
        let skip = self.by_path.get(except).copied();
        let claims = &index.claims;
        (0..claims.len())
            .filter(|&i| Some(claims.article(i)) != skip)
            .filter_map(|i| {
                let article = index.articles.get(claims.article(i))?;
                Some(LinkTarget {
                    article: article
                        .path
                        .file_name()
                        .map(|n| n.to_string_lossy().into_owned())
                        .unwrap_or_default(),
                    id: claims.id(i).to_owned(),
                    tags: claims.tags(i).map(str::to_owned).collect(),
                    quote: claims.quote(i).to_owned(),
                })
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn wait_for_index(lib: &mut Library) {
        poll_until_done(lib, |_| {});
    }

    /// Polls until the scan ends, giving the library to `each` after every poll.
    fn poll_until_done(lib: &mut Library, mut each: impl FnMut(&Library)) {
        let start = Instant::now();
        while lib.busy() {
            assert!(
                start.elapsed() < Duration::from_secs(20),
                "the scan never ended"
            );
            lib.poll(Instant::now(), Duration::from_secs(3600));
            each(lib);
            std::thread::sleep(Duration::from_millis(1));
        }
    }

    /// The scan's index is taken once, while the scan writes its cache file or when it
    /// ends, whichever poll sees it first; once taken, the first scan's progress is no
    /// longer shown.
    #[test]
    fn a_scan_s_index_is_taken_once_early_or_at_the_end() {
        let dir = tempfile::tempdir().expect("in a test");
        for name in ["a.txt", "b.txt", "c.txt"] {
            std::fs::write(dir.path().join(name), "Alpha said so.").expect("in a test");
        }
        let mut lib = Library::open(Scope::Folder(dir.path().to_owned()), crate::job::no_waker());
        poll_until_done(&mut lib, |lib| {
            if lib.built {
                assert!(lib.first_scan_progress().is_none());
            }
        });
        assert_eq!(lib.generation(), 1);
        assert_eq!(lib.index().map(|i| i.articles.len()), Some(3));
    }

    #[test]
    fn a_folder_library_lists_every_article_recursively_and_knows_which_are_annotated() {
        let dir = tempfile::tempdir().expect("in a test");
        std::fs::create_dir(dir.path().join("sub")).expect("in a test");
        std::fs::write(dir.path().join("a.txt"), "Alpha said so.").expect("in a test");
        std::fs::write(dir.path().join("sub/b.txt"), "Beta said no.").expect("in a test");
        std::fs::write(dir.path().join("notes.bin"), [0u8, 1, 2]).expect("in a test");
        let mut session =
            crate::session::Session::open(&dir.path().join("sub/b.txt")).expect("in a test");
        let span = crate::model::Span::between(0, 4);
        let ann = session.new_annotation(span, "claim", "", "analyst");
        session
            .apply(crate::model::Edit::Add(ann))
            .expect("in a test");
        session.save().expect("in a test");

        let mut lib = Library::open(Scope::Folder(dir.path().to_owned()), crate::job::no_waker());
        wait_for_index(&mut lib);
        assert_eq!(
            lib.articles(),
            [dir.path().join("a.txt"), dir.path().join("sub/b.txt")]
        );
        assert!(lib.has_annotations(&dir.path().join("sub/b.txt")));
        assert!(!lib.has_annotations(&dir.path().join("a.txt")));
        assert_eq!(lib.generation(), 1);
        // Link targets come from the index, without the article they are for.
        let targets = lib.link_targets(&dir.path().join("a.txt"));
        assert_eq!(targets.len(), 1);
        assert_eq!(targets[0].article, "b.txt");
        assert_eq!(targets[0].quote, "Beta");
        assert!(lib.link_targets(&dir.path().join("sub/b.txt")).is_empty());

        // Nothing changed: a rescan keeps the generation. A new article: the next scan,
        // when due by the clock passed in, finds it.
        let t0 = Instant::now();
        assert!(!lib.poll(t0, Duration::from_secs(3600)));
        assert!(!lib.busy(), "not due yet");
        std::fs::write(dir.path().join("c.md"), "# Gamma").expect("in a test");
        lib.poll(t0 + Duration::from_secs(7200), Duration::from_secs(3600));
        assert!(lib.busy(), "due: a scan runs");
        wait_for_index(&mut lib);
        assert_eq!(lib.articles().len(), 3);
        assert_eq!(lib.generation(), 2);
    }

    /// Polls with the clock at `now` until the running scan ends.
    fn finish_at(lib: &mut Library, now: Instant) {
        let start = Instant::now();
        while lib.busy() {
            assert!(
                start.elapsed() < Duration::from_secs(20),
                "the scan never ended"
            );
            lib.poll(now, Duration::from_secs(3));
            std::thread::sleep(Duration::from_millis(5));
        }
    }

    #[test]
    fn without_a_cache_file_a_rescan_reads_only_what_changed_and_waits_after_a_long_scan() {
        let dir = tempfile::tempdir().expect("in a test");
        for name in ["a.txt", "b.txt", "c.txt"] {
            std::fs::write(dir.path().join(name), "Alpha said so.").expect("in a test");
        }
        let t0 = Instant::now();
        let mut lib = Library::open(Scope::Folder(dir.path().to_owned()), crate::job::no_waker());
        assert!(
            lib.cache_file.is_none(),
            "a folder in the temporary directory"
        );
        finish_at(&mut lib, t0);
        assert_eq!(lib.last_reused(), 0, "the first scan reads everything");

        // Due again: nothing changed, nothing is read again.
        lib.rescan(t0);
        finish_at(&mut lib, t0);
        assert_eq!(lib.last_reused(), 3);

        // One article annotated: only it is read again, and the index has its claim.
        let mut session = crate::session::Session::open(&dir.path().join("b.txt")).expect("open");
        let ann = session.new_annotation(crate::model::Span::between(0, 5), "claim", "", "me");
        session.apply(crate::model::Edit::Add(ann)).expect("add");
        session.save().expect("save");
        lib.rescan(t0);
        finish_at(&mut lib, t0);
        assert_eq!(lib.last_reused(), 2);
        assert!(lib.has_annotations(&dir.path().join("b.txt")));

        // A scan that took 10 s and read a changed file: the next is due 40 s after it
        // ended, not 3 s.
        std::fs::write(dir.path().join("c.txt"), "Gamma said so.").expect("in a test");
        let started = t0 + Duration::from_secs(100);
        lib.rescan(started);
        let ended = started + Duration::from_secs(10);
        finish_at(&mut lib, ended);
        lib.poll(ended + Duration::from_secs(39), Duration::from_secs(3));
        assert!(!lib.busy(), "not due before four times the scan's length");
        assert_eq!(
            lib.next_scan_in(ended + Duration::from_secs(30), Duration::from_secs(3)),
            Some(Duration::from_secs(10))
        );
        lib.poll(ended + Duration::from_secs(41), Duration::from_secs(3));
        assert!(lib.busy(), "due");
        // That one took 10 s too and found nothing changed: the next is due sixty times its
        // length later, so a large tree left alone costs almost nothing to watch.
        let ended = ended + Duration::from_secs(51);
        finish_at(&mut lib, ended);
        assert_eq!(
            lib.next_scan_in(ended, Duration::from_secs(3)),
            Some(Duration::from_secs(600))
        );
        lib.poll(ended + Duration::from_secs(599), Duration::from_secs(3));
        assert!(!lib.busy());
        lib.poll(ended + Duration::from_secs(601), Duration::from_secs(3));
        assert!(lib.busy(), "due");
        finish_at(&mut lib, ended + Duration::from_secs(601));
    }

    #[test]
    fn a_rescan_of_an_unchanged_tree_decodes_nothing_with_or_without_a_cache_file() {
        use crate::review::{ScanProgress, scan_remembering};
        let dir = tempfile::tempdir().expect("in a test");
        let caches = tempfile::tempdir().expect("in a test");
        for name in ["a.txt", "b.txt"] {
            std::fs::write(dir.path().join(name), "Alpha said so.").expect("in a test");
        }
        for cache in [Some(caches.path().join("review.bin")), None] {
            let scan = |memory| {
                let progress = ScanProgress::default();
                let out = scan_remembering(dir.path(), cache.as_deref(), memory, &progress)
                    .expect("scan");
                (
                    out,
                    progress.reused.load(std::sync::atomic::Ordering::Relaxed),
                )
            };
            let ((first, memory), _) = scan(None);
            let first = first.expect("the first scan gives an index");
            assert!(memory.is_some(), "and what the next scan compares with");
            let ((second, memory), reused) = scan(memory);
            assert!(second.is_none(), "nothing changed: the index still holds");
            assert_eq!(reused, 2);

            // A sidecar saved: that article is read again, and the index has its claim.
            let mut session =
                crate::session::Session::open(&dir.path().join("b.txt")).expect("open");
            let ann = session.new_annotation(crate::model::Span::between(0, 5), "claim", "", "me");
            session.apply(crate::model::Edit::Add(ann)).expect("add");
            session.save().expect("save");
            let ((third, memory), reused) = scan(memory);
            let third = third.expect("changed");
            assert_eq!(reused, 1);
            assert_eq!(third.claims.len(), first.claims.len() + 1);
            let ((fourth, _), _) = scan(memory);
            assert!(fourth.is_none());
            // Undo for the next round.
            std::fs::remove_file(crate::storage::sidecar::sidecar_path(
                &dir.path().join("b.txt"),
            ))
            .expect("in a test");
        }
    }

    #[test]
    fn a_missing_folder_is_an_error_not_a_hang() {
        let dir = tempfile::tempdir().expect("in a test");
        let mut lib = Library::open(
            Scope::Folder(dir.path().join("gone")),
            crate::job::no_waker(),
        );
        wait_for_index(&mut lib);
        assert!(
            lib.error().is_some_and(|e| e.contains("gone")),
            "{:?}",
            lib.error()
        );
        assert!(lib.articles().is_empty());
    }

    #[test]
    fn a_files_library_keeps_the_order_given_and_expands_folders() {
        let dir = tempfile::tempdir().expect("in a test");
        std::fs::create_dir(dir.path().join("f")).expect("in a test");
        std::fs::write(dir.path().join("z.txt"), "Zed.").expect("in a test");
        std::fs::write(dir.path().join("f/a.txt"), "Ay.").expect("in a test");
        let mut lib = Library::open(
            Scope::Files(vec![dir.path().join("z.txt"), dir.path().join("f")]),
            crate::job::no_waker(),
        );
        wait_for_index(&mut lib);
        assert_eq!(
            lib.articles(),
            [dir.path().join("z.txt"), dir.path().join("f/a.txt")]
        );
        assert_eq!(lib.root(), None);
    }
}

/// What Tab makes of a path being typed.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Completion {
    /// The path, completed as far as its folder's names agree.
    pub text: String,
    /// The names that fit, when more than one does (folders end in `/`).
    pub candidates: Vec<String>,
}

/// Completes `typed` against the names in its folder (reads that folder: run it in a job).
/// `~/` stands for the home folder.
pub fn complete_path(typed: &str) -> Completion {
    let expanded = match (typed.strip_prefix("~/"), std::env::var_os("HOME")) {
        (Some(rest), Some(home)) => format!("{}/{rest}", home.to_string_lossy()),
        _ => typed.to_owned(),
    };
    let (dir, prefix) = match expanded.rfind('/') {
        Some(i) => expanded.split_at(i + 1),
        None => ("", expanded.as_str()),
    };
    let listing = if dir.is_empty() { "." } else { dir };
    let names: Vec<(String, bool)> = std::fs::read_dir(listing)
        .map(|entries| {
            entries
                .filter_map(Result::ok)
                .map(|e| {
                    let is_dir = e.path().is_dir();
                    (e.file_name().to_string_lossy().into_owned(), is_dir)
                })
                .collect()
        })
        .unwrap_or_default();
    complete_among(dir, prefix, &names)
}

/// Completes `prefix` in folder `dir` (as typed, ending in `/` or empty) among `names`
/// (name, is a folder): one fit is completed (a folder gets its `/`), several are completed
/// to what they share and listed. Hidden names only when the prefix starts with a dot.
pub fn complete_among(dir: &str, prefix: &str, names: &[(String, bool)]) -> Completion {
    let mut fits: Vec<(&str, bool)> = names
        .iter()
        .filter(|(n, _)| n.starts_with(prefix) && (!n.starts_with('.') || prefix.starts_with('.')))
        .map(|(n, d)| (n.as_str(), *d))
        .collect();
    fits.sort_unstable();
    match fits.as_slice() {
        [] => Completion {
            text: format!("{dir}{prefix}"),
            candidates: Vec::new(),
        },
        [(name, is_dir)] => Completion {
            text: format!("{dir}{name}{}", if *is_dir { "/" } else { "" }),
            candidates: Vec::new(),
        },
        [(first, _), rest @ ..] => {
            let mut shared: String = (*first).to_owned();
            for (name, _) in rest {
                let common = shared
                    .char_indices()
                    .zip(name.chars())
                    .find(|((_, a), b)| a != b)
                    .map_or(shared.len().min(name.len()), |((i, _), _)| i);
                shared.truncate(common);
            }
            Completion {
                text: format!("{dir}{shared}"),
                candidates: fits
                    .iter()
                    .map(|(n, d)| format!("{n}{}", if *d { "/" } else { "" }))
                    .collect(),
            }
        }
    }
}

#[cfg(test)]
mod completion_tests {
    use super::*;

    fn names(list: &[(&str, bool)]) -> Vec<(String, bool)> {
        list.iter().map(|(n, d)| ((*n).to_owned(), *d)).collect()
    }

    #[test]
    fn one_fit_is_completed_and_several_are_completed_to_what_they_share() {
        let n = names(&[
            ("reports", true),
            ("report.txt", false),
            ("notes.md", false),
            (".git", true),
        ]);
        assert_eq!(complete_among("/a/", "no", &n).text, "/a/notes.md");
        let c = complete_among("/a/", "rep", &n);
        assert_eq!(c.text, "/a/report");
        assert_eq!(c.candidates, ["report.txt", "reports/"]);
        assert_eq!(complete_among("/a/", "reports", &n).text, "/a/reports/");
        assert_eq!(complete_among("/a/", "x", &n).text, "/a/x");
        assert_eq!(complete_among("", ".g", &n).text, ".git/");
        assert!(
            complete_among("", "", &n)
                .candidates
                .iter()
                .all(|c| !c.starts_with('.'))
        );
        // Shared prefixes end on a character boundary.
        let n = names(&[("été.txt", false), ("étés.txt", false)]);
        assert_eq!(complete_among("", "é", &n).text, "été");
    }

    #[test]
    fn a_real_folder_is_listed() {
        let dir = tempfile::tempdir().expect("tempdir");
        std::fs::create_dir(dir.path().join("articles")).expect("mkdir");
        let typed = format!("{}/art", dir.path().display());
        assert_eq!(
            complete_path(&typed).text,
            format!("{}/articles/", dir.path().display())
        );
    }
}
