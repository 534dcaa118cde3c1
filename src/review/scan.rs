//! Walking a folder tree and reading every article's annotations into an [`Index`].
//!
//! Each article is read exactly as the editor opens it ([`Session::open`]: the article, its
//! sidecar, the folder's codebook and source registry, every annotation resolved against the
//! current text, orphans kept and flagged), so the review shows what opening the article
//! would show. Articles are read on worker threads; [`ScanProgress`] reports how far the scan
//! got and cancels it. With a cache file ([`super::cache`]), articles whose files did not
//! change since the last scan are taken from the cache instead of being read again.

use std::borrow::Cow;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

use super::cache::{self, Cache, Key, Stamp};
use super::claims::{Claims, RowRef};
use super::{ArticleEntry, ClaimRow, Index, TagInfo};
use crate::import;
use crate::model::{Annotation, Codebook, SourceRegistry};
use crate::session::{AnchorStatus, FolderFiles, Session};
use crate::storage::{codebook, sidecar, sources};

/// How far a scan got, shared with the thread that shows it; also how to cancel it.
#[derive(Debug, Default)]
pub struct ScanProgress {
    /// Articles read (or taken from the cache) so far.
    pub done: AtomicUsize,
    /// Articles found by the walk (0 until the walk is over).
    pub total: AtomicUsize,
    /// Set to stop the scan: it returns [`ScanError::Cancelled`] soon after.
    pub cancel: AtomicBool,
    /// Articles taken from the cache instead of being read again.
    pub reused: AtomicUsize,
    /// What the walk found (the articles, and folders it could not read), as soon as it is
    /// over: the app lists the articles before every one is read.
    pub walked: std::sync::OnceLock<(Vec<PathBuf>, Vec<String>)>,
    /// The index, as soon as it is built, before the cache file is written (for a large
    /// tree, seconds of writing): the app shows it meanwhile. Set by [`scan_remembering`]
    /// only, when the index changed.
    pub built: std::sync::OnceLock<Arc<Index>>,
}

impl crate::job::Cancel for ScanProgress {
    fn cancel(&self) {
        self.cancel.store(true, Ordering::Relaxed);
    }

    fn is_cancelled(&self) -> bool {
        self.cancelled()
    }
}

impl ScanProgress {
    fn cancelled(&self) -> bool {
        self.cancel.load(Ordering::Relaxed)
    }
}

/// Why a scan gave no index.
#[derive(Debug, thiserror::Error)]
pub enum ScanError {
    /// [`ScanProgress::cancel`] was set: no partial index is returned.
    #[error("scan cancelled")]
    Cancelled,
    #[error("{} is not a folder", path.display())]
    NotAFolder { path: PathBuf },
    /// The folder scanned could not be listed (a folder below it is skipped and reported).
    #[error("cannot read {}: {source}", path.display())]
    Unreadable {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("scan failed: a worker thread stopped unexpectedly")]
    WorkerFailed,
}

/// Scans the folder tree under `root`: every article (see [`walk`]) with its annotations.
///
/// With `cache_file`, articles whose article file, sidecar, folder codebook and folder source
/// registry are unchanged since the last scan are taken from the cache; the others are read,
/// and the cache is rewritten when anything changed. A missing, corrupt, outdated or foreign
/// cache file is ignored; failing to write it is not an error either.
pub fn scan(
    root: &Path,
    cache_file: Option<&Path>,
    progress: &ScanProgress,
) -> Result<Index, ScanError> {
    match scan_inner(root, cache_file, None, false, progress)? {
        // No one else holds it ([`scan`] does not publish it early).
        Scanned::Read { index, .. } => Ok(Arc::unwrap_or_clone(index)),
        Scanned::Unchanged => Err(ScanError::WorkerFailed), // only with a memory
    }
}

/// What a scan of a folder leaves for the next scan of it (see [`scan_remembering`]): the
/// stamps of every file it read, and the index it made. A rescan of a tree where nothing
/// changed costs a walk and a `stat` per file: nothing is read, decoded or rebuilt. When
/// something changed, only the articles whose files changed are read; the others' rows are
/// taken from the last index, so the cache file is read only by a folder's first scan, and a
/// folder with no cache file (under the temporary folder, an unwritable cache folder) is not
/// read whole again either. Opaque: only a scan reads it.
pub struct Remembered {
    /// The articles of the scan, in order, with the key each was read under (`None`: not
    /// cacheable, read every time).
    articles: Vec<PathBuf>,
    keys: Vec<Option<Key>>,
    index: Arc<Index>,
    /// The cache file as last written or read (its header, and its file to read entries'
    /// extras from when the next scan writes it again: the index does not keep them).
    cache: Option<Arc<Cache>>,
}

/// What [`scan_remembering`] returns: the new index (`None`: the last one still holds), and
/// what the next scan of the folder is to be given.
pub type Rescanned = (Option<Arc<Index>>, Option<Arc<Remembered>>);

/// [`scan`], for a folder scanned again and again (the app's library): `memory` is what the
/// last scan of the same folder returned. When no article, sidecar or folder file changed
/// since (same paths, same sizes and times), the index is `None`: the last one still holds.
pub fn scan_remembering(
    root: &Path,
    cache_file: Option<&Path>,
    memory: Option<Arc<Remembered>>,
    progress: &ScanProgress,
) -> Result<Rescanned, ScanError> {
    match scan_inner(root, cache_file, memory.as_deref(), true, progress)? {
        Scanned::Unchanged => Ok((None, memory)),
        Scanned::Read {
            index,
            paths,
            keys,
            cache,
        } => {
            let memory = Remembered {
                articles: paths,
                keys,
                index: index.clone(),
                cache,
            };
            Ok((Some(index), Some(Arc::new(memory))))
        }
    }
}

/// What [`scan_inner`] found.
enum Scanned {
    /// Nothing changed since the remembered scan.
    Unchanged,
    /// The index, with the articles walked, their keys, and the cache file now on disk.
    Read {
        index: Arc<Index>,
        paths: Vec<PathBuf>,
        keys: Vec<Option<Key>>,
        cache: Option<Arc<Cache>>,
    },
}

/// `publish`: set [`ScanProgress::built`] once the index is built.
fn scan_inner(
    root: &Path,
    cache_file: Option<&Path>,
    memory: Option<&Remembered>,
    publish: bool,
    progress: &ScanProgress,
) -> Result<Scanned, ScanError> {
    if !root.is_dir() {
        return Err(ScanError::NotAFolder {
            path: root.to_owned(),
        });
    }
    // The first scan reads the cache file's header while the tree is walked; later ones take
    // unchanged articles from the last index instead.
    let (walked, cache) = std::thread::scope(|s| {
        let loading = s.spawn(|| {
            cache_file
                .filter(|_| memory.is_none())
                .and_then(|f| Cache::load(f, root))
        });
        let walked = walk(root);
        (walked, loading.join().ok().flatten())
    });
    let (paths, skipped) = walked?;
    let _ = progress.walked.set((paths.clone(), skipped.clone()));
    // The stamps of every file, taken before anything is read: a file that changes while it
    // is read then differs next time, and is read again.
    let keys = current_keys(&paths, &progress.cancel)?;
    if let Some(m) = memory
        && m.articles == paths
        && m.keys == keys
        && keys.iter().all(Option::is_some)
    {
        progress.total.store(paths.len(), Ordering::Relaxed);
        progress.done.store(paths.len(), Ordering::Relaxed);
        progress.reused.store(paths.len(), Ordering::Release);
        return Ok(Scanned::Unchanged);
    }
    let previous = memory.map(Previous::of);
    let from = From {
        cache: cache.as_ref(),
        previous: previous.as_ref(),
        keep_extras: false,
        // Made for the cache file only, and only when it can be written (it is started
        // before, and left if it turns out current).
        make_extras: false,
    };
    let writer = cache_file.and_then(|f| cache::Writer::create(f).ok());
    let from = From {
        make_extras: writer.is_some(),
        ..from
    };
    let (mut index, read, extras) = build(&paths, &keys, from, progress)?;
    let mut cache = cache.map(Arc::new);
    index.root = root.to_owned();
    index.skipped = skipped;
    let index = Arc::new(index);
    if publish {
        let _ = progress.built.set(index.clone());
    }
    if let (Some(file), Some(mut writer)) = (cache_file, writer) {
        // Rewritten when it is not the file this index was taken from: an article was read,
        // one went, or the rows came from the last index. The cache is only a speed-up: a
        // failure to write it costs the next scan time, no more.
        let cacheable = index
            .articles
            .iter()
            .zip(&keys)
            .filter(|(a, k)| k.is_some() && !a.unreadable)
            .count();
        let current = cache
            .as_ref()
            .is_some_and(|c| !read && c.len() == cacheable);
        if !current {
            // The extras of articles read now came with them; the others' are in the cache
            // file they were first taken from.
            let old = cache
                .clone()
                .or_else(|| memory.and_then(|m| m.cache.clone()));
            let written = writer
                .push(&index, &keys, &mut |i| match &extras[i] {
                    Some(e) => Some(Cow::Borrowed(e.as_slice())),
                    None => Some(Cow::Owned(old.as_ref()?.extras(keys[i].as_ref()?)?)),
                })
                .and_then(|()| writer.finish(root));
            drop(extras);
            cache = written
                .ok()
                .and_then(|()| Cache::load(file, root).map(Arc::new));
        }
    }
    Ok(Scanned::Read {
        index,
        paths,
        keys,
        cache,
    })
}

/// How many articles a run of [`scan_in_batches`] holds for `claimmark list` and a folder's
/// export: a run's rows are some tens of megabytes.
pub const RUN_ARTICLES: usize = 2048;

/// [`scan`] for a reader that takes the index a run of articles at a time and lets it go
/// (`claimmark list`): `each` is given a [`Run`] of at most `batch` articles, in the tree's
/// order (its index's tags and sources are the whole tree's, its rows' article numbers its
/// own), and returns false to stop. Memory holds one run's rows, not the tree's. The cache is used
/// and, when an article's files changed since it was written, rewritten as the runs go (only
/// when every run was given). Returns the folders that could not be read.
pub fn scan_in_batches(
    root: &Path,
    cache_file: Option<&Path>,
    batch: usize,
    progress: &ScanProgress,
    each: &mut dyn FnMut(Run) -> bool,
) -> Result<Vec<String>, ScanError> {
    if !root.is_dir() {
        return Err(ScanError::NotAFolder {
            path: root.to_owned(),
        });
    }
    let (paths, skipped) = walk(root)?;
    scan_walked_in_batches(root, &paths, (cache_file, true), batch, progress, each)?;
    Ok(skipped)
}

/// [`scan_in_batches`] of the articles `paths` of the tree under `root`, in the order
/// [`walk`] found them. `whole`: they are every article of the tree, and the cache file is
/// brought up to date; else they are some of them (the claims a review shows), and the cache
/// file is only read (rewritten with some articles, it would lose the others').
pub fn scan_walked_in_batches(
    root: &Path,
    paths: &[PathBuf],
    (cache_file, whole): (Option<&Path>, bool),
    batch: usize,
    progress: &ScanProgress,
    each: &mut dyn FnMut(Run) -> bool,
) -> Result<(), ScanError> {
    // The cache file's header is read while the files' stamps are taken.
    let (keys, cache) = std::thread::scope(|s| {
        let loading = s.spawn(|| cache_file.and_then(|f| Cache::load(f, root)));
        let keys = current_keys(paths, &progress.cancel);
        (keys, loading.join().ok().flatten())
    });
    let keys = keys?;
    let writing = cache_file
        .filter(|_| whole)
        .map(|file| Rewrite { file, root });
    in_batches(paths, &keys, cache.as_ref(), writing, batch, progress, each)
}

/// [`scan_paths`] a run of articles at a time, as [`scan_in_batches`] does (no cache).
/// Returns the folders that could not be read.
pub fn scan_paths_in_batches(
    paths: &[PathBuf],
    batch: usize,
    progress: &ScanProgress,
    each: &mut dyn FnMut(Run) -> bool,
) -> Result<Vec<String>, ScanError> {
    let (articles, skipped) = list_articles(paths)?;
    let keys = vec![None; articles.len()];
    in_batches(&articles, &keys, None, None, batch, progress, each)?;
    Ok(skipped)
}

/// Where [`in_batches`] rewrites the cache file (for `root`) when it is not current.
struct Rewrite<'a> {
    file: &'a Path,
    root: &'a Path,
}

/// The runs of [`scan_in_batches`]: each read (or taken from `cache`) and given to `each`.
/// With `rewrite`, the cache file is rewritten when it is not current (an article was read,
/// or it holds entries of articles that went): entries taken from it are copied as they are,
/// the others written from the run, and the file put in place once every run was given.
fn in_batches(
    paths: &[PathBuf],
    keys: &[Option<Key>],
    cache: Option<&Cache>,
    rewrite: Option<Rewrite>,
    batch: usize,
    progress: &ScanProgress,
    each: &mut dyn FnMut(Run) -> bool,
) -> Result<(), ScanError> {
    // The filter resolves tag and source names against every folder's files, as the whole
    // tree's index would.
    let mut dirs: Vec<PathBuf> = paths.iter().map(|p| folder_of(p)).collect();
    let mut seen = std::collections::HashSet::new();
    dirs.retain(|d| seen.insert(d.clone()));
    let folders = parallel_map(&dirs, &progress.cancel, |dir| Folder::load(dir))?;
    let (tags, sources) = (union_of_tags(&folders), union_of_sources(&folders));
    let folder_ids: HashMap<&Path, usize> = dirs
        .iter()
        .enumerate()
        .map(|(i, d)| (d.as_path(), i))
        .collect();
    let codebooks: Arc<[Codebook]> = folders
        .into_iter()
        .map(|f| f.codebook.unwrap_or_else(codebook::default_codebook))
        .collect();
    let from = From {
        cache,
        previous: None,
        keep_extras: true,
        make_extras: true,
    };
    let batch = batch.max(1);
    let mut writer: Option<cache::Writer> = None;
    // Cacheable articles so far, and how many of them were taken from the cache.
    let (mut cacheable, mut taken) = (0, 0);
    for (n, (run, run_keys)) in paths.chunks(batch).zip(keys.chunks(batch)).enumerate() {
        let (mut index, read, extras) = build(run, run_keys, from, progress)?;
        if read
            && writer.is_none()
            && let Some(r) = &rewrite
        {
            // The runs before were all taken from the cache: their entries are copied.
            let before = &keys[..n * batch];
            writer = cache::Writer::create(r.file)
                .and_then(|mut w| {
                    w.copy(cache, before)?;
                    Ok(w)
                })
                .ok();
        }
        if let Some(w) = writer.as_mut()
            && w.push(&index, run_keys, &mut |i| {
                extras[i].as_deref().map(Cow::Borrowed)
            })
            .is_err()
        {
            writer = None; // the cache is only a speed-up
        }
        // (The run's articles taken from the cache are the ones it counted as reused.)
        taken += progress.reused.load(Ordering::Relaxed);
        cacheable += index
            .articles
            .iter()
            .zip(run_keys)
            .filter(|(entry, key)| key.is_some() && !entry.unreadable)
            .count();
        index.tags = tags.clone();
        index.sources = sources.clone();
        let mut first = Vec::with_capacity(index.articles.len());
        let mut row = 0;
        for entry in &index.articles {
            first.push(row);
            row += entry.annotations;
        }
        let folder = run
            .iter()
            .map(|p| folder_ids.get(folder_of(p).as_path()).copied().unwrap_or(0))
            .collect();
        let run = Run {
            index,
            extras,
            first,
            folder,
            codebooks: codebooks.clone(),
        };
        if !each(run) {
            return Ok(());
        }
    }
    let Some(r) = rewrite else {
        return Ok(());
    };
    // Nothing read, but entries of articles that went: the others are copied.
    if writer.is_none() && (cache.is_none_or(|c| c.len() != taken) || taken != cacheable) {
        writer = cache::Writer::create(r.file)
            .and_then(|mut w| {
                w.copy(cache, keys)?;
                Ok(w)
            })
            .ok();
    }
    if let Some(w) = writer {
        let _ = w.finish(r.root);
    }
    Ok(())
}

/// A run of articles of [`scan_in_batches`]: their index, and what `claimmark list` prints of
/// each beyond its rows, where the cache kept it or the scan read it.
pub struct Run {
    /// The run's index.
    pub index: Index,
    extras: Extras,
    /// Each article's first row.
    first: Vec<usize>,
    /// Each article's folder (into `codebooks`).
    folder: Vec<usize>,
    codebooks: Arc<[Codebook]>,
}

impl Run {
    /// Article `article` of the run as the exports print it, with those of its annotations
    /// whose id is `wanted` and how each was found in the text, made from its rows and
    /// extras without opening a file; `None` where they are not known (then the article is
    /// to be opened).
    pub fn printed(
        &self,
        article: usize,
        wanted: &dyn Fn(&str) -> bool,
    ) -> Option<(crate::export::Printed<'_>, Vec<(Annotation, AnchorStatus)>)> {
        let entry = self.index.articles.get(article)?;
        if entry.unreadable {
            return None;
        }
        let first = *self.first.get(article)?;
        let extras = self.extras.get(article)?.as_deref()?;
        let codebook = self.codebooks.get(*self.folder.get(article)?)?;
        cache::printed(
            entry,
            &self.index.claims,
            first..first + entry.annotations,
            (extras, wanted),
            codebook,
        )
    }
}

/// The last scan's index, to take unchanged articles from.
struct Previous<'a> {
    index: &'a Index,
    /// Per article path: its number in the index, its key, and its first row.
    by_path: HashMap<&'a Path, (usize, &'a Key, usize)>,
}

impl<'a> Previous<'a> {
    fn of(memory: &'a Remembered) -> Self {
        let mut by_path = HashMap::with_capacity(memory.articles.len());
        let mut row = 0;
        for (i, entry) in memory.index.articles.iter().enumerate() {
            if let (Some(Some(key)), Some(path)) = (memory.keys.get(i), memory.articles.get(i))
                && !entry.unreadable
            {
                by_path.insert(path.as_path(), (i, key, row));
            }
            row += entry.annotations;
        }
        Self {
            index: &memory.index,
            by_path,
        }
    }
}

/// Where a scan may take an article's rows from instead of reading it.
#[derive(Clone, Copy)]
struct From<'a> {
    cache: Option<&'a Cache>,
    previous: Option<&'a Previous<'a>>,
    /// Keep the extras of articles taken from the cache (for `list`).
    keep_extras: bool,
    /// Make the extras of articles read (for the cache, or for `list`).
    make_extras: bool,
}

impl<'a> From<'a> {
    /// The last index, the article's number in it and its first row, when it holds the
    /// article at `path` read under the same `key`.
    fn previous_entry(
        &self,
        path: &Path,
        key: Option<&Key>,
    ) -> Option<(&'a Previous<'a>, usize, usize)> {
        let previous = self.previous?;
        let &(i, known, first) = previous.by_path.get(path)?;
        (Some(known) == key).then_some((previous, i, first))
    }

    /// The cache, where its entry for `key` is and how long its extras are, when it can
    /// stand for the article.
    fn cache_entry(&self, key: Option<&Key>) -> Option<(&'a Cache, std::ops::Range<usize>, usize)> {
        let cache = self.cache?;
        let (range, extras) = cache.lookup(key?)?;
        // `list` reads again an article whose entry lacks its extras, to keep them.
        (!self.keep_extras || extras > 0).then_some((cache, range, extras))
    }

    /// Whether the article at `path` will be read rather than taken (as far as its key
    /// tells: a cache entry that turns out unreadable is read after all).
    fn reads(&self, path: &Path, key: Option<&Key>) -> bool {
        self.previous_entry(path, key).is_none() && self.cache_entry(key).is_none()
    }
}

/// Every article's cache key, as [`scan_one`] takes it (`None`: a stamp could not be taken).
fn current_keys(paths: &[PathBuf], cancel: &AtomicBool) -> Result<Vec<Option<Key>>, ScanError> {
    let mut folders: HashMap<PathBuf, (Option<Stamp>, Option<Stamp>, bool)> = HashMap::new();
    for p in paths {
        let dir = folder_of(p);
        folders.entry(dir).or_insert_with_key(|dir| {
            let (codebook, a) = stamp_of(&dir.join(codebook::CODEBOOK_FILE));
            let (sources, b) = stamp_of(&dir.join(sources::SOURCES_FILE));
            (codebook, sources, a && b)
        });
    }
    parallel_map(paths, cancel, |p| {
        let &(codebook, sources, cacheable) = folders.get(&folder_of(p))?;
        key_of(p, codebook, sources, cacheable)
    })
}

/// An article's cache key from its stamps and its folder files' (`None`: not cacheable).
fn key_of(
    path: &Path,
    codebook: Option<Stamp>,
    sources: Option<Stamp>,
    cacheable: bool,
) -> Option<Key> {
    let (article_stamp, a) = stamp_of(path);
    let (sidecar, b) = stamp_of(&sidecar::sidecar_path(path));
    match article_stamp {
        Some(article) if a && b && cacheable => Some(Key {
            path: cache::path_bytes(path),
            article,
            sidecar,
            codebook,
            sources,
        }),
        _ => None,
    }
}

/// The articles of paths given on a command line, in the order [`scan_paths`] reads them (a
/// folder walked like [`scan`] does, any other path as given), and the folders that could
/// not be read.
pub fn list_articles(paths: &[PathBuf]) -> Result<(Vec<PathBuf>, Vec<String>), ScanError> {
    let mut articles = Vec::new();
    let mut skipped = Vec::new();
    for p in paths {
        if p.is_dir() {
            let (found, problems) = walk(p)?;
            articles.extend(found);
            skipped.extend(problems);
        } else {
            articles.push(p.clone());
        }
    }
    Ok((articles, skipped))
}

/// Scans articles and folders given on a command line (no cache): a folder is walked like
/// [`scan`] does; any other path is read as an article (and reported if it is not one).
/// Articles come in the order given, each folder's in path order.
pub fn scan_paths(paths: &[PathBuf], progress: &ScanProgress) -> Result<Index, ScanError> {
    let (articles, skipped) = list_articles(paths)?;
    let _ = progress.walked.set((articles.clone(), skipped.clone()));
    let keys = vec![None; articles.len()];
    let from = From {
        cache: None,
        previous: None,
        keep_extras: false,
        make_extras: false,
    };
    let (mut index, _, _) = build(&articles, &keys, from, progress)?;
    index.root = match paths {
        [one] => one.clone(),
        _ => PathBuf::new(),
    };
    index.skipped = skipped;
    Ok(index)
}

/// The articles under `root`, recursively, sorted by path: files that
/// [`import::is_article_path`] accepts. Hidden folders (`.git`, …) and symbolic links to
/// folders are not entered (a link could lead back up the tree). Returns the articles and a
/// message for each folder below `root` that could not be read; `root` itself unreadable is
/// an error.
pub fn walk(root: &Path) -> Result<(Vec<PathBuf>, Vec<String>), ScanError> {
    let mut out = Vec::new();
    let mut skipped = Vec::new();
    let mut stack = vec![root.to_owned()];
    while let Some(dir) = stack.pop() {
        crate::storage::read::count_io();
        let entries = match std::fs::read_dir(&dir) {
            Ok(e) => e,
            Err(source) if dir == root => return Err(ScanError::Unreadable { path: dir, source }),
            Err(e) => {
                skipped.push(format!("cannot read {}: {e}", dir.display()));
                continue;
            }
        };
        for entry in entries {
            let entry = match entry {
                Ok(e) => e,
                Err(e) => {
                    skipped.push(format!("cannot read {}: {e}", dir.display()));
                    continue;
                }
            };
            let path = entry.path();
            let Ok(kind) = entry.file_type() else {
                continue;
            };
            if kind.is_dir() {
                let name = entry.file_name();
                let hidden = name.to_string_lossy().starts_with('.');
                // Claimmark's own exports (a brief, brat copies of the articles) are not
                // articles of the folder.
                if !hidden && name != crate::library::EXPORTS_FOLDER {
                    stack.push(path);
                }
            } else if import::is_article_path(&path)
                && (kind.is_file() || (kind.is_symlink() && path.is_file()))
            {
                out.push(path);
            }
        }
    }
    sort_paths(&mut out);
    Ok((out, skipped))
}

/// Sorts paths as `Path`'s order does (component by component), faster: a path's bytes with
/// each separator taken as the lowest byte compare as its components do (a name holds no
/// separator and no NUL), so two paths are compared at their first differing byte. The
/// walk's paths are clean (no `.` components, no repeated separators).
#[cfg(unix)]
fn sort_paths(paths: &mut [PathBuf]) {
    use std::os::unix::ffi::OsStrExt;
    let key = |b: u8| if b == b'/' { 0 } else { b };
    paths.sort_unstable_by(|a, b| {
        let (a, b) = (a.as_os_str().as_bytes(), b.as_os_str().as_bytes());
        match a.iter().zip(b).position(|(x, y)| x != y) {
            Some(i) => key(a[i]).cmp(&key(b[i])),
            None => a.len().cmp(&b.len()),
        }
    });
}

#[cfg(not(unix))]
fn sort_paths(paths: &mut [PathBuf]) {
    paths.sort_unstable();
}

/// What every article of one folder shares: its codebook and its registry (their stamps,
/// part of each article's cache key, were taken before by [`current_keys`]).
struct Folder {
    codebook: Option<Codebook>,
    sources: Option<SourceRegistry>,
}

impl Folder {
    fn load(dir: &Path) -> Self {
        Self {
            codebook: codebook::load_for_folder(dir).ok(),
            sources: sources::load_for_folder(dir).ok(),
        }
    }
}

/// A file's stamp, `None` if it does not exist; the flag is false when it could not be
/// checked (then the cache is not used for what depends on it).
fn stamp_of(path: &Path) -> (Option<Stamp>, bool) {
    match std::fs::metadata(path) {
        Ok(meta) => match Stamp::of(&meta) {
            Some(stamp) => (Some(stamp), true),
            None => (None, false),
        },
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => (None, true),
        Err(_) => (None, false),
    }
}

/// The folder an article's codebook and registry are read from (as [`Session::open`] does).
fn folder_of(path: &Path) -> PathBuf {
    path.parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."))
        .to_owned()
}

/// Each article's extras for the cache, where known (see [`scan_one`]).
type Extras = Vec<Option<Vec<u8>>>;

/// What one worker read: a contiguous run of articles with their rows, so that putting the
/// parts together moves as little as possible.
#[derive(Default)]
struct Part {
    entries: Vec<ArticleEntry>,
    extras: Extras,
    claims: Claims,
    /// Some cacheable article was read (not taken from the cache or the last index).
    read: bool,
}

impl Part {
    /// The parts one after another.
    fn concat(parts: impl Iterator<Item = Part>) -> Part {
        let mut all = Part::default();
        let mut claims = Vec::new();
        for part in parts {
            all.entries.extend(part.entries);
            all.extras.extend(part.extras);
            all.read |= part.read;
            claims.push(part.claims);
        }
        all.claims = Claims::concat(claims);
        all
    }
}

/// Tag closures and labels already worked out, per folder: (tags, closure, label) for each
/// distinct list of tags (a worker's: rows taken from the cache get them from their folder's
/// codebook without working them out for every row).
type Derived = HashMap<usize, Vec<(Vec<String>, Vec<String>, String)>>;

/// Reads `paths` on worker threads into an index (root and skipped left empty), taking
/// articles whose key (in `keys`, parallel to `paths`) matches from the last index or the
/// cache; also returns whether any cacheable article was read, and each article's extras
/// where known (see [`scan_one`]).
fn build(
    paths: &[PathBuf],
    keys: &[Option<Key>],
    from: From,
    progress: &ScanProgress,
) -> Result<(Index, bool, Extras), ScanError> {
    progress.total.store(paths.len(), Ordering::Relaxed);
    progress.done.store(0, Ordering::Relaxed);
    progress.reused.store(0, Ordering::Relaxed);

    // Folders in the order their first article comes.
    let mut folder_ids: HashMap<PathBuf, usize> = HashMap::new();
    let mut folder_dirs: Vec<PathBuf> = Vec::new();
    let article_folder: Vec<usize> = paths
        .iter()
        .map(|p| {
            let dir = folder_of(p);
            *folder_ids.entry(dir.clone()).or_insert_with(|| {
                folder_dirs.push(dir);
                folder_dirs.len() - 1
            })
        })
        .collect();
    let folders = parallel_map(&folder_dirs, &progress.cancel, |dir| Folder::load(dir))?;

    // Contiguous runs of articles, a few per core, each taken by the next worker free (files
    // read from a cold disk come at uneven speeds: with one run per core, one core was
    // left reading alone for the last fifth of the time): a run's rows are built while they
    // are fresh in its worker's cache, and joining the runs moves each row at most once.
    let threads = workers(paths.len());
    let per = paths.len().div_ceil(threads * RUNS_PER_WORKER).max(1);
    let runs: Vec<std::ops::Range<usize>> = (0..paths.len())
        .step_by(per)
        .map(|start| start..(start + per).min(paths.len()))
        .collect();
    // Where the worker reading each run is in it, for the read-ahead.
    let at: Vec<AtomicUsize> = runs.iter().map(|r| AtomicUsize::new(r.start)).collect();
    let read_run = |(run, at): (&std::ops::Range<usize>, &AtomicUsize)| {
        let mut part = Part::default();
        let mut derived = Derived::new();
        // The folder files of the last article read (a run's articles are in path order, so
        // a folder's are read once per run, not once per article).
        let mut files = None;
        for i in run.clone() {
            if progress.cancelled() {
                break;
            }
            at.store(i, Ordering::Relaxed);
            let folder = (article_folder[i], &folders[article_folder[i]]);
            let (entry, taken, extras) = scan_one(
                &paths[i],
                keys.get(i).and_then(Option::as_ref),
                folder,
                from,
                (i, &mut part.claims),
                (&mut derived, &mut files),
            );
            progress.done.fetch_add(1, Ordering::Relaxed);
            if taken {
                progress.reused.fetch_add(1, Ordering::Relaxed);
            }
            // Articles that are never cached (unreadable ones) do not make the cache outdated.
            part.read |= !taken && !entry.unreadable && keys.get(i).is_some_and(Option::is_some);
            part.entries.push(entry);
            part.extras.push(extras);
        }
        part
    };
    let read = |i: usize| from.reads(&paths[i], keys.get(i).and_then(Option::as_ref));
    let stop = AtomicBool::new(false);
    let next = AtomicUsize::new(0);
    let work = || {
        let mut done = Vec::new();
        loop {
            let r = next.fetch_add(1, Ordering::Relaxed);
            let Some(run) = runs.get(r) else {
                break;
            };
            done.push((r, read_run((run, &at[r]))));
        }
        done
    };
    let parts = std::thread::scope(|s| {
        s.spawn(|| read_ahead(&runs, &at, paths, read, (&stop, progress)));
        // The read-ahead stops with the workers, even should one panic (the scope waits for
        // it before the panic goes on).
        let _stop = StopOnDrop(&stop);
        if threads == 1 {
            Ok(vec![work()])
        } else {
            let handles: Vec<_> = (0..threads).map(|_| s.spawn(work)).collect();
            handles
                .into_iter()
                .map(|h| h.join())
                .collect::<Result<Vec<_>, _>>()
        }
    })
    .map_err(|_| ScanError::WorkerFailed)?;
    let mut parts: Vec<(usize, Part)> = parts.into_iter().flatten().collect();
    parts.sort_unstable_by_key(|(r, _)| *r);
    let parts = parts.into_iter().map(|(_, part)| part);
    if progress.cancelled() {
        return Err(ScanError::Cancelled);
    }
    let mut all = Part::concat(parts);
    all.claims.shrink();
    let index = Index {
        articles: all.entries,
        claims: all.claims,
        tags: union_of_tags(&folders),
        sources: union_of_sources(&folders),
        ..Index::default()
    };
    Ok((index, all.read, all.extras))
}

/// Sets its flag when dropped.
struct StopOnDrop<'a>(&'a AtomicBool);

impl Drop for StopOnDrop<'_> {
    fn drop(&mut self) {
        self.0.store(true, Ordering::Relaxed);
    }
}

/// How many runs of articles [`build`] makes per worker thread.
const RUNS_PER_WORKER: usize = 4;

/// How many articles ahead of each worker [`read_ahead`] asks for the files to be read.
const READ_AHEAD: usize = 256;

/// Asks the system to read the files of the articles the workers will read (`read(i)`: the
/// article `paths[i]` is read, not taken) a little ahead of them (`at`: where the worker of
/// each run is in it), so that reading a tree from a cold disk does not wait for each file in
/// turn: the workers then find the files in memory. Returns when every run's files were
/// asked for, or on `stop` or a cancelled scan.
fn read_ahead(
    runs: &[std::ops::Range<usize>],
    at: &[AtomicUsize],
    paths: &[PathBuf],
    read: impl Fn(usize) -> bool,
    (stop, progress): (&AtomicBool, &ScanProgress),
) {
    let mut next: Vec<usize> = runs.iter().map(|r| r.start).collect();
    while !stop.load(Ordering::Relaxed) && !progress.cancelled() {
        let mut asked = false;
        for ((run, at), next) in runs.iter().zip(at).zip(&mut next) {
            let until = run.end.min(at.load(Ordering::Relaxed) + READ_AHEAD);
            while *next < until {
                if read(*next) {
                    crate::storage::read::read_ahead(&paths[*next]);
                    crate::storage::read::read_ahead(&sidecar::sidecar_path(&paths[*next]));
                }
                *next += 1;
                asked = true;
            }
        }
        if runs.iter().zip(&next).all(|(run, next)| *next >= run.end) {
            return;
        }
        if !asked {
            std::thread::sleep(std::time::Duration::from_millis(2));
        }
    }
}

/// How many worker threads to use for `items` items: one per core.
fn workers(items: usize) -> usize {
    std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(items)
        .max(1)
}

/// Reads one article, or takes it from the last index or the cache when every file it
/// depends on is unchanged (its `key`); its rows are added to `rows` as article number
/// `article`. Returns its entry, true when it was taken rather than read, and its extras
/// for the cache when it was read (or taken from the cache, if `from.keep_extras`).
fn scan_one(
    path: &Path,
    key: Option<&Key>,
    (folder_id, folder): (usize, &Folder),
    from: From,
    (article, rows): (usize, &mut Claims),
    (derived, files): (&mut Derived, &mut Option<FolderFiles>),
) -> (ArticleEntry, bool, Option<Vec<u8>>) {
    if let Some((previous, i, first)) = from.previous_entry(path, key) {
        let entry = previous.index.articles[i].clone();
        for r in first..first + entry.annotations {
            let mut row = previous.index.claims.row_ref(r);
            row.article = article;
            rows.push(&row);
        }
        return (entry, true, None);
    }
    if let Some((cache, range, extras)) = from.cache_entry(key)
        // The extras (at the entry's end) are read only by a reader that keeps them.
        && let Some(data) = cache.data(if from.keep_extras {
            range
        } else {
            range.start..range.end - extras
        })
        && let Some((entry, stored)) = cache::decode(&data)
    {
        let default;
        let cb = match &folder.codebook {
            Some(cb) => cb,
            None => {
                default = codebook::default_codebook();
                &default
            }
        };
        let known = derived.entry(folder_id).or_default();
        for r in &stored {
            let at = match known.iter().position(|(tags, _, _)| *tags == r.tags) {
                Some(at) => at,
                None => {
                    let (closure, label) = closure_and_label(&r.tags, cb);
                    let tags = r.tags.iter().map(|t| (*t).to_owned()).collect();
                    known.push((tags, closure, label));
                    known.len() - 1
                }
            };
            let (_, closure, label) = &known[at];
            rows.push(&r.row(article, closure, label));
        }
        let extras = (from.keep_extras && extras > 0).then(|| data[data.len() - extras..].to_vec());
        return (entry, true, extras);
    }
    let modified = match key {
        Some(key) => key.sidecar,
        None => stamp_of(&sidecar::sidecar_path(path)).0,
    }
    .and_then(|s| s.rfc3339());
    let (entry, claims, extras) = read(path, modified, files, from.make_extras);
    for c in &claims {
        let mut row = RowRef::of(c);
        row.article = article;
        rows.push(&row);
    }
    (entry, false, extras)
}

fn file_name(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// Reads one article as the editor opens it: its entry, rows and the cache's extras for it
/// (what `claimmark list` prints beyond the rows), if `make_extras`. `modified`: the
/// sidecar's modification time; `files`: the folder files of the last article read on this
/// thread.
fn read(
    path: &Path,
    modified: Option<String>,
    files: &mut Option<FolderFiles>,
    make_extras: bool,
) -> (ArticleEntry, Vec<ClaimRow>, Option<Vec<u8>>) {
    let mut entry = ArticleEntry {
        path: path.to_owned(),
        title: file_name(path),
        date: None,
        modified,
        tag_counts: Vec::new(),
        annotations: 0,
        attention: None,
        unreadable: false,
        orphaned: 0,
    };
    let session = match Session::open_to_read(path, files) {
        Ok(s) => s,
        Err(e) => {
            entry.attention = Some(e.to_string());
            entry.unreadable = true;
            return (entry, Vec::new(), None);
        }
    };
    entry.date = session.article().date.clone();
    entry.title = session.article().title_or(&entry.title).to_owned();
    if let Some(reason) = session.read_only() {
        entry.attention = Some(reason.to_owned());
        entry.unreadable = true;
        return (entry, Vec::new(), None);
    }
    let cb = &session.codebook();
    let claims: Vec<ClaimRow> = session
        .annotations()
        .iter()
        .map(|a| claim_row(a, cb))
        .collect();
    entry.annotations = claims.len();
    entry.orphaned = claims.iter().filter(|c| c.orphaned).count();
    if entry.orphaned > 0 {
        entry.attention = Some(match entry.orphaned {
            1 => "1 orphaned annotation".to_owned(),
            n => format!("{n} orphaned annotations"),
        });
    }
    entry.tag_counts = tag_counts(&claims, cb);
    let extras = make_extras
        .then(|| cache::extras_of(&session, &claims))
        .flatten();
    (entry, claims, extras)
}

/// Annotations per tag id, in the codebook's order; unknown ids after, as first met.
fn tag_counts(claims: &[ClaimRow], cb: &Codebook) -> Vec<(String, usize)> {
    let mut counts: Vec<(String, usize)> = cb.tags.iter().map(|t| (t.id.clone(), 0)).collect();
    for c in claims {
        for t in &c.tags {
            match counts.iter_mut().find(|(id, _)| id == t) {
                Some((_, n)) => *n += 1,
                None => counts.push((t.clone(), 1)),
            }
        }
    }
    counts.retain(|(_, n)| *n > 0);
    counts
}

/// A row's tags with all their ancestors (each once, in order), and its tag paths joined by
/// ", " ("Claim/Statistic, Source"), by the codebook of the article's folder.
pub(crate) fn closure_and_label<S: AsRef<str>>(tags: &[S], cb: &Codebook) -> (Vec<String>, String) {
    let mut closure: Vec<String> = Vec::with_capacity(tags.len() * 2);
    for t in tags {
        let mut current = Some(t.as_ref());
        let mut steps = 0;
        while let Some(id) = current {
            if !closure.iter().any(|c| c == id) {
                closure.push(id.to_owned());
            }
            steps += 1;
            if steps > cb.tags.len() {
                break; // a cycle; codebooks with cycles do not load
            }
            current = cb.tag(id).and_then(|t| t.parent.as_deref());
        }
    }
    let label = tags
        .iter()
        .map(|t| cb.path(t.as_ref()))
        .collect::<Vec<_>>()
        .join(", ");
    (closure, label)
}

/// One annotation as a row of the claims table (`article` is set by the caller).
fn claim_row(a: &Annotation, cb: &Codebook) -> ClaimRow {
    let extent = a.extent();
    let r = &a.record;
    let (tag_closure, tag_label) = closure_and_label(&a.tags, cb);
    ClaimRow {
        article: 0,
        id: a.id.0.clone(),
        tags: a.tags.clone(),
        tag_closure,
        tag_label,
        quote: a.quote(),
        start: extent.start,
        end: extent.end,
        attributed_to: r.attributed_to.clone(),
        via: r.via.clone(),
        reliability: r.reliability.map(|g| g.letter()),
        credibility: r.credibility.map(|c| c.digit()),
        status: r.status.label().to_owned(),
        confidence: r.confidence.map(|c| c.label().to_owned()),
        note: a.note.clone(),
        author: a.author.clone(),
        created: a.created.clone(),
        modified: a.modified.clone(),
        orphaned: a.anchor.orphaned,
        links: r
            .links
            .iter()
            .map(|l| (l.kind.label().to_owned(), l.target.0.clone()))
            .collect(),
    }
}

/// Every tag of every folder's codebook; the first definition of an id wins.
fn union_of_tags(folders: &[Folder]) -> Vec<TagInfo> {
    let mut out: Vec<TagInfo> = Vec::new();
    let mut seen = std::collections::HashSet::new();
    for cb in folders.iter().filter_map(|f| f.codebook.as_ref()) {
        for t in &cb.tags {
            if seen.insert(t.id.clone()) {
                out.push(TagInfo {
                    id: t.id.clone(),
                    name: t.name.clone(),
                    path: cb.path(&t.id),
                    color: t.color.to_hex(),
                    parent: t.parent.clone(),
                });
            }
        }
    }
    out
}

/// Every source of every folder's registry, canonical name first, then aliases; a source
/// known in several folders (same name, ignoring case) is one entry with all their aliases.
fn union_of_sources(folders: &[Folder]) -> Vec<Vec<String>> {
    let mut out: Vec<Vec<String>> = Vec::new();
    let mut by_name: HashMap<String, usize> = HashMap::new();
    for reg in folders.iter().filter_map(|f| f.sources.as_ref()) {
        for s in &reg.sources {
            let key = s.name.trim().to_lowercase();
            let i = *by_name.entry(key).or_insert_with(|| {
                out.push(vec![s.name.clone()]);
                out.len() - 1
            });
            for alias in &s.aliases {
                if !out[i].iter().any(|n| n.eq_ignore_ascii_case(alias)) {
                    out[i].push(alias.clone());
                }
            }
        }
    }
    out
}

/// `f` over `items` on worker threads (as many as the machine has cores), results in order.
/// An error if `cancel` was set before every item was done, or if a worker failed.
pub(crate) fn parallel_map<T: Sync, R: Send>(
    items: &[T],
    cancel: &AtomicBool,
    f: impl Fn(&T) -> R + Sync,
) -> Result<Vec<R>, ScanError> {
    let threads = workers(items.len());
    let next = AtomicUsize::new(0);
    let work = || {
        let mut done = Vec::new();
        loop {
            if cancel.load(Ordering::Relaxed) {
                break;
            }
            // Small batches: articles differ in size, so fixed chunks would leave cores idle.
            let start = next.fetch_add(8, Ordering::Relaxed);
            if start >= items.len() {
                break;
            }
            for (i, item) in items.iter().enumerate().skip(start).take(8) {
                done.push((i, f(item)));
            }
        }
        done
    };
    let parts: Vec<Vec<(usize, R)>> = if threads == 1 {
        vec![work()]
    } else {
        std::thread::scope(|s| {
            let handles: Vec<_> = (0..threads).map(|_| s.spawn(work)).collect();
            handles
                .into_iter()
                .map(|h| h.join())
                .collect::<Result<_, _>>()
        })
        .map_err(|_| ScanError::WorkerFailed)?
    };
    let mut slots: Vec<Option<R>> = std::iter::repeat_with(|| None).take(items.len()).collect();
    for (i, r) in parts.into_iter().flatten() {
        slots[i] = Some(r);
    }
    slots
        .into_iter()
        .collect::<Option<Vec<R>>>()
        .ok_or(ScanError::Cancelled)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        /// The walk's sort gives `Path`'s order, names with bytes around the separator's
        /// (`-`, `.`, `0`) included.
        #[test]
        fn sort_paths_is_paths_order(
            names in proptest::collection::vec(
                proptest::collection::vec("[a-c.0-]{1,3}", 1..4), 0..40)
        ) {
            // Names as a folder listing gives them: never `.` or `..`.
            let mut paths: Vec<PathBuf> = names
                .iter()
                .filter(|parts| parts.iter().all(|n| n != "." && n != ".."))
                .map(|parts| Path::new("/root").join(parts.join("/")))
                .collect();
            paths.sort();
            paths.dedup();
            let mut ours = paths.clone();
            ours.reverse();
            sort_paths(&mut ours);
            prop_assert_eq!(ours, paths);
        }
    }
}
