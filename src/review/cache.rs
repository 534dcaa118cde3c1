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

use super::{ArticleEntry, ClaimRow};

/// The cache format this build reads and writes; any other version is ignored.
pub const FORMAT_VERSION: u32 = 2;

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

/// A cache file as read.
pub(crate) struct Cache {
    bytes: Vec<u8>,
    entries: HashMap<Vec<u8>, (Key, Range<usize>)>,
}

impl Cache {
    /// Reads the cache file for `root`; `None` if it is missing, unreadable, corrupt, of
    /// another format or program version, or for another root.
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
        Self::from_bytes(to_bytes(root, records, cache).ok()?, root)
    }

    fn from_bytes(bytes: Vec<u8>, root: &Path) -> Option<Self> {
        let rest = bytes.strip_prefix(MAGIC.as_slice())?;
        let (version, rest) = rest.split_first_chunk::<4>()?;
        if u32::from_le_bytes(*version) != FORMAT_VERSION {
            return None;
        }
        let (header_len, rest) = rest.split_first_chunk::<8>()?;
        let header_len = usize::try_from(u64::from_le_bytes(*header_len)).ok()?;
        let header: Header = postcard::from_bytes(rest.get(..header_len)?).ok()?;
        if header.program != env!("CARGO_PKG_VERSION")
            || header.root != path_bytes(&canonical(root))
        {
            return None;
        }
        let mut offset = bytes.len() - rest.len() + header_len;
        let mut entries = HashMap::with_capacity(header.entries.len());
        for (key, len) in header.entries {
            let end = offset.checked_add(usize::try_from(len).ok()?)?;
            if end > bytes.len() {
                return None;
            }
            entries.insert(key.path.clone(), (key, offset..end));
            offset = end;
        }
        Some(Self { bytes, entries })
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

    /// The data at `range` (from [`Cache::lookup`]).
    pub(crate) fn data(&self, range: Range<usize>) -> Option<&[u8]> {
        self.bytes.get(range)
    }
}

/// An article's entry and rows as cache data; `None` if they cannot be encoded (a path that
/// is not UTF-8).
pub(crate) fn encode(entry: &ArticleEntry, claims: &[ClaimRow]) -> Option<Vec<u8>> {
    postcard::to_allocvec(&(entry, claims)).ok()
}

/// The entry and rows of cache data; `None` if the data is corrupt.
pub(crate) fn decode(blob: &[u8]) -> Option<(ArticleEntry, Vec<ClaimRow>)> {
    postcard::from_bytes(blob).ok()
}

/// Writes the cache file for `root` atomically (creating its folder). `cache`: the cache
/// that was read, which holds the data of reused entries.
pub(crate) fn write(
    file: &Path,
    root: &Path,
    records: &[Record],
    cache: Option<&Cache>,
) -> std::io::Result<()> {
    let out = to_bytes(root, records, cache)?;
    if let Some(dir) = file.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir)?;
    }
    crate::storage::write_atomic(file, &out)
}

/// The bytes of a cache file (see the module's layout).
fn to_bytes(root: &Path, records: &[Record], cache: Option<&Cache>) -> std::io::Result<Vec<u8>> {
    let mut parts: Vec<(&Key, &[u8])> = Vec::with_capacity(records.len());
    for r in records {
        let data = match &r.data {
            Data::Fresh(v) => Some(v.as_slice()),
            Data::Cached(range) => cache.and_then(|c| c.data(range.clone())),
        };
        if let Some(data) = data {
            parts.push((&r.key, data));
        }
    }
    let header = Header {
        program: env!("CARGO_PKG_VERSION").to_owned(),
        root: path_bytes(&canonical(root)),
        entries: parts
            .iter()
            .map(|(k, d)| ((*k).clone(), d.len() as u64))
            .collect(),
    };
    let header = postcard::to_allocvec(&header).map_err(std::io::Error::other)?;
    let total = parts.iter().map(|(_, d)| d.len()).sum::<usize>() + header.len() + 28;
    let mut out = Vec::with_capacity(total);
    out.extend_from_slice(MAGIC);
    out.extend_from_slice(&FORMAT_VERSION.to_le_bytes());
    out.extend_from_slice(&(header.len() as u64).to_le_bytes());
    out.extend_from_slice(&header);
    for (_, d) in &parts {
        out.extend_from_slice(d);
    }
    Ok(out)
}
