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
//! Layout: the magic bytes, the format version (u32, little-endian), the header's length
//! (u64, little-endian), the header (postcard: program version, the canonical root, and each
//! entry's key with the length of its data), then each entry's data (postcard: the
//! [`ArticleEntry`] and its [`ClaimRow`]s) one after another. Entries are decoded on their
//! own, on the scan's worker threads, and only when their key matches.

use std::collections::HashMap;
use std::ops::Range;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::claims::RowRef;
use super::{ArticleEntry, ClaimRow};

/// The cache format this build reads and writes; any other version is ignored. Version 3
/// keeps each row once and nothing derived (no lower-cased copy of the quote and note, no
/// tag closure or label: they come from the folder's codebook, which is part of the key).
pub const FORMAT_VERSION: u32 = 3;

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

/// One entry of the cache to write.
pub(crate) struct Record {
    key: Key,
    data: Data,
}

enum Data {
    /// Bytes in the cache that was read (unchanged entry).
    Cached(Range<usize>),
    /// Freshly encoded.
    Fresh(Vec<u8>),
}

impl Record {
    /// An entry taken unchanged from the cache that was read (`range`: from [`Cache::lookup`]).
    pub(crate) fn reused(key: Key, range: Range<usize>) -> Self {
        Self {
            key,
            data: Data::Cached(range),
        }
    }

    /// An entry just read and encoded with [`encode`].
    pub(crate) fn fresh(key: Key, blob: Vec<u8>) -> Self {
        Self {
            key,
            data: Data::Fresh(blob),
        }
    }
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
    entries: HashMap<Vec<u8>, (Key, Range<usize>)>,
}

/// Where a cache's entry data is.
enum Source {
    /// In memory (a cache kept for a folder with no cache file).
    Bytes(Vec<u8>),
    /// In the file, read an entry at a time when its key matches: a large tree's cache is
    /// never in memory whole.
    #[cfg(unix)]
    File(std::fs::File),
}

impl Cache {
    /// Reads the header of the cache file for `root`; `None` if it is missing, unreadable,
    /// corrupt, of another format or program version, or for another root.
    #[cfg(unix)]
    pub(crate) fn load(file: &Path, root: &Path) -> Option<Self> {
        use std::os::unix::fs::FileExt;
        let (handle, len) = crate::storage::read::open_regular(file, MAX_CACHE_BYTES).ok()?;
        let mut start = [0u8; 28];
        handle.read_exact_at(&mut start, 0).ok()?;
        let header_len = header_len_of(&start)?;
        if header_len as u64 > len {
            return None;
        }
        let mut header = vec![0u8; header_len];
        handle.read_exact_at(&mut header, 28).ok()?;
        let (entries, end) = Self::parse(&start, &header, root)?;
        (end as u64 <= len).then_some(Self {
            source: Source::File(handle),
            entries,
        })
    }

    #[cfg(not(unix))]
    pub(crate) fn load(file: &Path, root: &Path) -> Option<Self> {
        let bytes = crate::storage::read_regular(file, MAX_CACHE_BYTES).ok()?;
        Self::from_bytes(bytes, root)
    }

    /// The cache a scan would write, kept in memory instead: for a folder with no cache file
    /// (in the temporary directory, or an unwritable cache folder), so that the next scan
    /// still reads only what changed. `cache`: the cache that was read.
    pub(crate) fn in_memory(
        root: &Path,
        records: &[Record],
        cache: Option<&Cache>,
    ) -> Option<Self> {
        let mut bytes = Vec::new();
        write_to(&mut bytes, root, records, cache).ok()?;
        Self::from_bytes(bytes, root)
    }

    fn from_bytes(bytes: Vec<u8>, root: &Path) -> Option<Self> {
        let (start, rest) = bytes.split_first_chunk::<28>()?;
        let header_len = header_len_of(start)?;
        let (entries, end) = Self::parse(start, rest.get(..header_len)?, root)?;
        (end <= bytes.len()).then_some(Self {
            source: Source::Bytes(bytes),
            entries,
        })
    }

    /// The entries of a cache file's start (magic, version, header length) and header, and
    /// where the last entry ends.
    #[allow(clippy::type_complexity)]
    fn parse(
        start: &[u8; 28],
        header: &[u8],
        root: &Path,
    ) -> Option<(HashMap<Vec<u8>, (Key, Range<usize>)>, usize)> {
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
        let mut offset = 28usize.checked_add(header_len_of(start)?)?;
        let mut entries = HashMap::with_capacity(header.entries.len());
        for (key, len) in header.entries {
            let end = offset.checked_add(usize::try_from(len).ok()?)?;
            entries.insert(key.path.clone(), (key, offset..end));
            offset = end;
        }
        Some((entries, offset))
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

/// The header's length, from a cache file's first 28 bytes.
fn header_len_of(start: &[u8; 28]) -> Option<usize> {
    usize::try_from(u64::from_le_bytes(*start[20..].first_chunk()?)).ok()
}

/// A row as the cache keeps it: what [`ClaimRow`] holds but the tag closure and label (the
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
    fn of(c: &'a ClaimRow) -> Self {
        Self {
            id: &c.id,
            tags: c.tags.iter().map(String::as_str).collect(),
            quote: &c.quote,
            start: c.start as u64,
            end: c.end as u64,
            attributed_to: c.attributed_to.as_deref(),
            via: c.via.iter().map(String::as_str).collect(),
            reliability: c.reliability,
            credibility: c.credibility,
            status: &c.status,
            confidence: c.confidence.as_deref(),
            note: &c.note,
            author: &c.author,
            created: &c.created,
            modified: &c.modified,
            orphaned: c.orphaned,
            links: c
                .links
                .iter()
                .map(|(k, t)| (k.as_str(), t.as_str()))
                .collect(),
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

/// An article's entry and rows as cache data; `None` if they cannot be encoded (a path that
/// is not UTF-8).
pub(crate) fn encode(entry: &ArticleEntry, claims: &[ClaimRow]) -> Option<Vec<u8>> {
    let rows: Vec<StoredRow> = claims.iter().map(StoredRow::of).collect();
    postcard::to_allocvec(&(entry, rows)).ok()
}

/// The entry and rows of cache data; `None` if the data is corrupt.
pub(crate) fn decode(blob: &[u8]) -> Option<(ArticleEntry, Vec<StoredRow<'_>>)> {
    postcard::from_bytes(blob).ok()
}

/// Writes the cache file for `root` atomically (creating its folder), streamed: entries
/// taken unchanged are copied from `cache`, the cache that was read, one at a time.
pub(crate) fn write(
    file: &Path,
    root: &Path,
    records: &[Record],
    cache: Option<&Cache>,
) -> std::io::Result<()> {
    if let Some(dir) = file.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir)?;
    }
    let tmp = crate::storage::atomic::temporary_beside(file);
    let written = std::fs::File::create_new(&tmp).and_then(|f| {
        let mut out = std::io::BufWriter::with_capacity(1 << 20, f);
        write_to(&mut out, root, records, cache)?;
        out.into_inner().map_err(|e| e.into_error())?;
        std::fs::rename(&tmp, file)
    });
    if written.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    written
}

/// Writes a cache file's bytes (see the module's layout) to `out`. An entry whose data cannot
/// be read from `cache` is left out.
fn write_to(
    out: &mut impl std::io::Write,
    root: &Path,
    records: &[Record],
    cache: Option<&Cache>,
) -> std::io::Result<()> {
    let available = |r: &Record| match &r.data {
        Data::Fresh(v) => Some(v.len()),
        // Ranges were checked against the cache's length when it was read.
        Data::Cached(range) => cache.map(|_| range.len()),
    };
    let header = Header {
        program: env!("CARGO_PKG_VERSION").to_owned(),
        root: path_bytes(&canonical(root)),
        entries: records
            .iter()
            .filter_map(|r| Some((r.key.clone(), available(r)? as u64)))
            .collect(),
    };
    let header = postcard::to_allocvec(&header).map_err(std::io::Error::other)?;
    out.write_all(MAGIC)?;
    out.write_all(&FORMAT_VERSION.to_le_bytes())?;
    out.write_all(&(header.len() as u64).to_le_bytes())?;
    out.write_all(&header)?;
    for r in records {
        match &r.data {
            Data::Fresh(v) => out.write_all(v)?,
            Data::Cached(range) => {
                if available(r).is_some() {
                    let data = cache
                        .and_then(|c| c.data(range.clone()))
                        .ok_or_else(|| std::io::Error::other("the old cache cannot be read"))?;
                    out.write_all(&data)?;
                }
            }
        }
    }
    Ok(())
}
