//! The review's cache: what the last scan read of each article, so that the next scan only
//! reads the files that changed.
//!
//! One file per scanned folder, in the user's cache folder ([`default_cache_file`]); never
//! next to the articles. An entry is keyed by the article's path and the size and
//! modification time (on Unix also the inode and change time) of the article, its sidecar
//! and its folder's codebook and source registry files; an entry is used only when all of
//! them match. A cache file that is missing, corrupt, written by another version or for
//! another folder is ignored, and deleting it is always safe: the next scan reads everything.
//!
//! Layout: the magic bytes, the format version (u32, little-endian), each entry's data
//! (postcard: the [`ArticleEntry`] and its rows as `StoredRow`s) one after another, the
//! header (postcard: program version, the canonical root, and each entry's key with the
//! length of its data), and the header's length (u64, little-endian) as the last 8 bytes: the
//! file is written in one pass, an entry at a time, from the index. Entries are read on their
//! own, on the scan's worker threads, only when their key matches, and decoded without copying
//! their text (rows borrow it until they join the index).

use std::collections::HashMap;
use std::ops::Range;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::claims::{Claims, RowRef};
use super::{ArticleEntry, Index};

/// The cache format this build reads and writes; any other version is ignored. Since version
/// 3 each row is kept once and nothing derived (no lower-cased copy of the quote and note, no
/// tag closure or label: they come from the folder's codebook, which is part of the key);
/// version 4 puts the header last, so the file is written in one pass.
pub const FORMAT_VERSION: u32 = 4;

const MAGIC: &[u8; 16] = b"claimmark-review";
/// A cache file larger than this is ignored (it holds rows, not articles).
const MAX_CACHE_BYTES: u64 = 4 * 1024 * 1024 * 1024;

/// Where the cache for scanning `root` lives: `$XDG_CACHE_HOME/claimmark/` (else
/// `$HOME/.cache/claimmark/`, else `%LOCALAPPDATA%\claimmark\`), named after a hash of the
/// canonical root path: `review-<16 hex digits>.bin`. `None` if there is no cache folder, or
/// for a folder in the temporary directory (it does not live long enough to be worth a file
/// that outlives it, and tests and scratch scripts leave none behind).
pub fn default_cache_file(root: &Path) -> Option<PathBuf> {
    if canonical(root).starts_with(canonical(&std::env::temp_dir()))
        || root.starts_with(std::env::temp_dir())
    {
        return None;
    }
    let var = |name: &str| {
        std::env::var_os(name)
            .map(PathBuf::from)
            .filter(|p| p.is_absolute())
    };
    let base = var("XDG_CACHE_HOME")
        .or_else(|| var("HOME").map(|h| h.join(".cache")))
        .or_else(|| var("LOCALAPPDATA"))?;
    Some(cache_file_in(&base, root))
}

/// The cache file for scanning `root` inside the user cache folder `base`:
/// `base/claimmark/review-<16 hex digits of a hash of the canonical root>.bin`.
pub fn cache_file_in(base: &Path, root: &Path) -> PathBuf {
    let hash = Sha256::digest(path_bytes(&canonical(root)));
    let hex: String = hash.iter().take(8).map(|b| format!("{b:02x}")).collect();
    base.join("claimmark").join(format!("review-{hex}.bin"))
}

fn canonical(root: &Path) -> PathBuf {
    std::fs::canonicalize(root)
        .or_else(|_| std::path::absolute(root))
        .unwrap_or_else(|_| root.to_owned())
}

/// A path as bytes (what the cache compares).
pub(crate) fn path_bytes(path: &Path) -> Vec<u8> {
    path.as_os_str().as_encoded_bytes().to_vec()
}

/// What identifies one version of a file: its size and times.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct Stamp {
    len: u64,
    modified_secs: i64,
    modified_nanos: u32,
    /// Unix: the inode (an atomic replace makes a new file) and the change time.
    inode: u64,
    changed_secs: i64,
    changed_nanos: i64,
}

impl Stamp {
    /// The stamp of a file's metadata; `None` where the platform gives no modification time.
    pub(crate) fn of(meta: &std::fs::Metadata) -> Option<Self> {
        let modified = meta.modified().ok()?;
        let (modified_secs, modified_nanos) = match modified.duration_since(std::time::UNIX_EPOCH) {
            Ok(d) => (i64::try_from(d.as_secs()).ok()?, d.subsec_nanos()),
            Err(e) => (
                -i64::try_from(e.duration().as_secs()).ok()?,
                e.duration().subsec_nanos(),
            ),
        };
        #[cfg(unix)]
        let (inode, changed_secs, changed_nanos) = {
            use std::os::unix::fs::MetadataExt;
            (meta.ino(), meta.ctime(), meta.ctime_nsec())
        };
        #[cfg(not(unix))]
        let (inode, changed_secs, changed_nanos) = (0, 0, 0);
        Some(Self {
            len: meta.len(),
            modified_secs,
            modified_nanos,
            inode,
            changed_secs,
            changed_nanos,
        })
    }

    /// The modification time, RFC 3339 in UTC, to the second.
    pub(crate) fn rfc3339(&self) -> Option<String> {
        let secs = if self.modified_secs < 0 && self.modified_nanos > 0 {
            self.modified_secs - 1 // before 1970: the nanoseconds were counted backwards
        } else {
            self.modified_secs
        };
        chrono::DateTime::from_timestamp(secs, 0)
            .map(|t| t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true))
    }
}

/// Everything an article's entry depends on.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct Key {
    pub path: Vec<u8>,
    pub article: Stamp,
    pub sidecar: Option<Stamp>,
    pub codebook: Option<Stamp>,
    pub sources: Option<Stamp>,
}

#[derive(Serialize, Deserialize)]
struct Header {
    /// The program version that wrote the file (the rows' meaning may change between them).
    program: String,
    /// The canonical root path, as bytes.
    root: Vec<u8>,
    /// Each entry's key and the length of its data.
    entries: Vec<(Key, u64)>,
}

/// A cache file as read: its header, and where each entry's data is.
pub(crate) struct Cache {
    source: Source,
    entries: Entries,
}

/// Each entry's key and where its data is, by article path.
type Entries = HashMap<Vec<u8>, (Key, Range<usize>)>;

/// Where a cache's entry data is.
enum Source {
    /// In the file, read an entry at a time when its key matches: a large tree's cache is
    /// never in memory whole.
    #[cfg(unix)]
    File(std::fs::File),
    /// In memory (where positioned reads are not available).
    #[cfg(not(unix))]
    Bytes(Vec<u8>),
}

/// The magic bytes and the version: where the first entry starts.
const START: usize = 20;

impl Cache {
    /// Reads the header of the cache file for `root`; `None` if it is missing, unreadable,
    /// corrupt, of another format or program version, or for another root.
    #[cfg(unix)]
    pub(crate) fn load(file: &Path, root: &Path) -> Option<Self> {
        use std::os::unix::fs::FileExt;
        let (handle, len) = crate::storage::read::open_regular(file, MAX_CACHE_BYTES).ok()?;
        let len = usize::try_from(len).ok()?;
        let mut start = [0u8; START];
        handle.read_exact_at(&mut start, 0).ok()?;
        let mut end = [0u8; 8];
        handle
            .read_exact_at(&mut end, len.checked_sub(8)? as u64)
            .ok()?;
        let header_len = usize::try_from(u64::from_le_bytes(end)).ok()?;
        let header_at = len.checked_sub(8)?.checked_sub(header_len)?;
        let mut header = vec![0u8; header_len];
        handle.read_exact_at(&mut header, header_at as u64).ok()?;
        let entries = Self::parse(&start, &header, header_at, root)?;
        Some(Self {
            source: Source::File(handle),
            entries,
        })
    }

    #[cfg(not(unix))]
    pub(crate) fn load(file: &Path, root: &Path) -> Option<Self> {
        let bytes = crate::storage::read_regular(file, MAX_CACHE_BYTES).ok()?;
        let (start, _) = bytes.split_first_chunk::<START>()?;
        let (rest, end) = bytes.split_last_chunk::<8>()?;
        let header_len = usize::try_from(u64::from_le_bytes(*end)).ok()?;
        let header_at = rest.len().checked_sub(header_len)?;
        let entries = Self::parse(start, &rest[header_at..], header_at, root)?;
        Some(Self {
            source: Source::Bytes(bytes),
            entries,
        })
    }

    /// The entries of a cache file from its start (magic, version) and header; `data_end`:
    /// where the header begins (the entries must end there).
    fn parse(start: &[u8; START], header: &[u8], data_end: usize, root: &Path) -> Option<Entries> {
        let rest = start.strip_prefix(MAGIC.as_slice())?;
        let (version, _) = rest.split_first_chunk::<4>()?;
        if u32::from_le_bytes(*version) != FORMAT_VERSION {
            return None;
        }
        let header: Header = postcard::from_bytes(header).ok()?;
        if header.program != env!("CARGO_PKG_VERSION")
            || header.root != path_bytes(&canonical(root))
        {
            return None;
        }
        let mut offset = START;
        let mut entries = HashMap::with_capacity(header.entries.len());
        for (key, len) in header.entries {
            let end = offset.checked_add(usize::try_from(len).ok()?)?;
            if end > data_end {
                return None;
            }
            entries.insert(key.path.clone(), (key, offset..end));
            offset = end;
        }
        Some(entries)
    }

    /// How many entries the file holds.
    pub(crate) fn len(&self) -> usize {
        self.entries.len()
    }

    /// Where the data of the entry for `key.path` is, if its whole key matches.
    pub(crate) fn lookup(&self, key: &Key) -> Option<Range<usize>> {
        match self.entries.get(&key.path) {
            Some((stored, range)) if stored == key => Some(range.clone()),
            _ => None,
        }
    }

    /// The data at `range` (from [`Cache::lookup`]); `None` if it cannot be read.
    pub(crate) fn data(&self, range: Range<usize>) -> Option<std::borrow::Cow<'_, [u8]>> {
        match &self.source {
            #[cfg(not(unix))]
            Source::Bytes(bytes) => bytes.get(range).map(std::borrow::Cow::Borrowed),
            #[cfg(unix)]
            Source::File(file) => {
                use std::os::unix::fs::FileExt;
                let mut data = vec![0u8; range.len()];
                file.read_exact_at(&mut data, range.start as u64).ok()?;
                Some(std::borrow::Cow::Owned(data))
            }
        }
    }
}

/// A row as the cache keeps it: what [`super::ClaimRow`] holds but the tag closure and label (the
/// scan works them out from the folder's codebook), borrowing its text from the cache bytes.
#[derive(Debug, Serialize, Deserialize)]
pub(crate) struct StoredRow<'a> {
    id: &'a str,
    #[serde(borrow)]
    pub tags: Vec<&'a str>,
    quote: &'a str,
    start: u64,
    end: u64,
    #[serde(borrow)]
    attributed_to: Option<&'a str>,
    #[serde(borrow)]
    via: Vec<&'a str>,
    reliability: Option<char>,
    credibility: Option<u8>,
    status: &'a str,
    #[serde(borrow)]
    confidence: Option<&'a str>,
    note: &'a str,
    author: &'a str,
    created: &'a str,
    modified: &'a str,
    orphaned: bool,
    #[serde(borrow)]
    links: Vec<(&'a str, &'a str)>,
}

impl<'a> StoredRow<'a> {
    /// Row `i` of `claims`.
    fn of(claims: &'a Claims, i: usize) -> Self {
        let (start, end) = claims.span(i);
        Self {
            id: claims.id(i),
            tags: claims.tags(i).collect(),
            quote: claims.quote(i),
            start: start as u64,
            end: end as u64,
            attributed_to: claims.attributed_to(i),
            via: claims.via(i).collect(),
            reliability: claims.reliability(i),
            credibility: claims.credibility(i),
            status: claims.status(i),
            confidence: claims.confidence(i),
            note: claims.note(i),
            author: claims.author(i),
            created: claims.created(i),
            modified: claims.modified(i),
            orphaned: claims.orphaned(i),
            links: claims.links(i).collect(),
        }
    }

    /// The row of article number `article`, with the closure and label worked out for its tags.
    pub(crate) fn row<'b>(
        &'b self,
        article: usize,
        tag_closure: &'b [String],
        tag_label: &'b str,
    ) -> RowRef<'b> {
        RowRef {
            article,
            id: self.id,
            tags: self.tags.clone(),
            tag_closure: tag_closure.iter().map(String::as_str).collect(),
            tag_label,
            quote: self.quote,
            start: usize::try_from(self.start).unwrap_or(usize::MAX),
            end: usize::try_from(self.end).unwrap_or(usize::MAX),
            attributed_to: self.attributed_to,
            via: self.via.clone(),
            reliability: self.reliability,
            credibility: self.credibility,
            status: self.status,
            confidence: self.confidence,
            note: self.note,
            author: self.author,
            created: self.created,
            modified: self.modified,
            orphaned: self.orphaned,
            links: self.links.clone(),
        }
    }
}

/// The entry and rows of cache data; `None` if the data is corrupt.
pub(crate) fn decode(blob: &[u8]) -> Option<(ArticleEntry, Vec<StoredRow<'_>>)> {
    postcard::from_bytes(blob).ok()
}

/// Writes the cache file for `root` from `index` atomically (creating its folder), streamed:
/// one entry at a time, for each article with a key in `keys` (parallel to
/// `index.articles`; `None`: not cacheable) that could be read.
pub(crate) fn write(
    file: &Path,
    root: &Path,
    index: &Index,
    keys: &[Option<Key>],
) -> std::io::Result<()> {
    if let Some(dir) = file.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir)?;
    }
    let tmp = crate::storage::atomic::temporary_beside(file);
    let written = std::fs::File::create_new(&tmp).and_then(|f| {
        let mut out = std::io::BufWriter::with_capacity(1 << 20, f);
        write_to(&mut out, root, index, keys)?;
        out.into_inner().map_err(|e| e.into_error())?;
        std::fs::rename(&tmp, file)
    });
    if written.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    written
}

/// Writes a cache file's bytes (see the module's layout) to `out`.
fn write_to(
    out: &mut impl std::io::Write,
    root: &Path,
    index: &Index,
    keys: &[Option<Key>],
) -> std::io::Result<()> {
    out.write_all(MAGIC)?;
    out.write_all(&FORMAT_VERSION.to_le_bytes())?;
    let mut entries = Vec::with_capacity(keys.len());
    let mut row = 0;
    let mut blob = Vec::new();
    for (entry, key) in index.articles.iter().zip(keys) {
        let rows = row..row + entry.annotations;
        row = rows.end;
        let Some(key) = key.as_ref().filter(|_| !entry.unreadable) else {
            continue;
        };
        let stored: Vec<StoredRow> = rows.map(|i| StoredRow::of(&index.claims, i)).collect();
        blob.clear();
        let Ok(data) = postcard::to_extend(&(entry, stored), std::mem::take(&mut blob)) else {
            continue; // a path that is not UTF-8: not cached
        };
        out.write_all(&data)?;
        entries.push((key.clone(), data.len() as u64));
        blob = data;
    }
    let header = Header {
        program: env!("CARGO_PKG_VERSION").to_owned(),
        root: path_bytes(&canonical(root)),
        entries,
    };
    let header = postcard::to_allocvec(&header).map_err(std::io::Error::other)?;
    out.write_all(&header)?;
    out.write_all(&(header.len() as u64).to_le_bytes())
}
