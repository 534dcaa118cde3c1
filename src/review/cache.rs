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
//! Layout: the magic bytes, the format version (u32, little-endian), each entry's data one
//! after another (postcard: the [`ArticleEntry`] and its rows as `StoredRow`s, then, when
//! known, the article's `Extras`: what `claimmark list` prints beyond the rows), the header
//! (postcard: program version, the canonical root, and each entry's key with the length of
//! its data and of its extras), and the header's length (u64, little-endian) as the last 8
//! bytes: the file is written in one pass, an entry at a time, from the index. Entries are
//! read on their own, on the scan's worker threads, only when their key matches, and decoded
//! without copying their text (rows borrow it until they join the index).

use std::collections::HashMap;
use std::io::Write;
use std::ops::Range;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::claims::{Claims, RowRef};
use super::{ArticleEntry, ClaimRow, Index};
use crate::export::Printed;
use crate::model::{Annotation, AnnotationId, ClaimRecord, Fragment};
use crate::session::{AnchorStatus, Session};

/// The cache format this build reads and writes; any other version is ignored. Since version
/// 3 each row is kept once and nothing derived (no lower-cased copy of the quote and note, no
/// tag closure or label: they come from the folder's codebook, which is part of the key);
/// version 4 puts the header last, so the file is written in one pass;
/// version 5 keeps each article's extras after its rows (what `claimmark list` prints beyond
/// them).
pub const FORMAT_VERSION: u32 = 5;

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
    /// Each entry's key, the length of its data, and how much of that (at its end) is the
    /// article's [`Extras`] (0: none).
    entries: Vec<(Key, u64, u64)>,
}

/// A cache file as read: its header, and where each entry's data is.
pub(crate) struct Cache {
    source: Source,
    entries: Entries,
}

/// Each entry's key, where its data is and how long its extras are, by article path.
type Entries = HashMap<Vec<u8>, (Key, Range<usize>, usize)>;

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
        for (key, len, extras) in header.entries {
            let end = offset.checked_add(usize::try_from(len).ok()?)?;
            let extras = usize::try_from(extras).ok()?;
            if end > data_end || extras > end - offset {
                return None;
            }
            entries.insert(key.path.clone(), (key, offset..end, extras));
            offset = end;
        }
        Some(entries)
    }

    /// How many entries the file holds.
    pub(crate) fn len(&self) -> usize {
        self.entries.len()
    }

    /// Where the data of the entry for `key.path` is, if its whole key matches, and how many
    /// bytes at its end are the article's [`Extras`] (0: none).
    pub(crate) fn lookup(&self, key: &Key) -> Option<(Range<usize>, usize)> {
        match self.entries.get(&key.path) {
            Some((stored, range, extras)) if stored == key => Some((range.clone(), *extras)),
            _ => None,
        }
    }

    /// The [`Extras`] bytes of the entry for `key`, if it has them.
    pub(crate) fn extras(&self, key: &Key) -> Option<Vec<u8>> {
        let (range, len) = self.lookup(key)?;
        if len == 0 {
            return None;
        }
        self.data(range.end - len..range.end)
            .map(|d| d.into_owned())
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

/// What `claimmark list` prints of an article besides its rows (the rest of its sidecar's
/// annotations and of its metadata), kept after the entry's rows so that a `list` of an
/// unchanged article need not open it again. Nothing in it is kept twice: a fragment's quote
/// is the row's when the annotation has one fragment.
#[derive(Debug, Serialize, Deserialize)]
pub(crate) struct Extras<'a> {
    fingerprint: &'a str,
    #[serde(borrow)]
    site: Option<&'a str>,
    #[serde(borrow)]
    author: Option<&'a str>,
    #[serde(borrow)]
    published: Option<&'a str>,
    #[serde(borrow)]
    url: Option<&'a str>,
    format: &'a str,
    #[serde(borrow)]
    rows: Vec<RowExtras<'a>>,
}

/// One row's part of [`Extras`].
#[derive(Debug, Serialize, Deserialize)]
struct RowExtras<'a> {
    /// [`AnchorStatus`] as its position in [`ANCHORING`].
    anchoring: u8,
    #[serde(borrow)]
    fragments: Vec<StoredFragment<'a>>,
    #[serde(borrow)]
    source_span: Option<StoredFragment<'a>>,
    /// Each link's article (parallel to the row's links).
    #[serde(borrow)]
    link_articles: Vec<Option<&'a str>>,
}

#[derive(Debug, Serialize, Deserialize)]
struct StoredFragment<'a> {
    start: u64,
    end: u64,
    /// `None`: the row's quote (the annotation's only fragment).
    #[serde(borrow)]
    quote: Option<&'a str>,
    prefix: &'a str,
    suffix: &'a str,
    #[serde(borrow)]
    original_quote: Option<&'a str>,
}

const ANCHORING: [AnchorStatus; 5] = [
    AnchorStatus::Exact,
    AnchorStatus::Moved,
    AnchorStatus::Fuzzy,
    AnchorStatus::Uncertain,
    AnchorStatus::Orphaned,
];

impl<'a> StoredFragment<'a> {
    fn of(f: &'a Fragment, quote: bool) -> Self {
        Self {
            start: f.span.start as u64,
            end: f.span.end as u64,
            quote: quote.then_some(f.quote.as_str()),
            prefix: &f.prefix,
            suffix: &f.suffix,
            original_quote: f.original_quote.as_deref(),
        }
    }

    fn fragment(&self, row_quote: &str) -> Option<Fragment> {
        Some(Fragment {
            span: crate::model::Span {
                start: usize::try_from(self.start).ok()?,
                end: usize::try_from(self.end).ok()?,
            },
            quote: self.quote.unwrap_or(row_quote).to_owned(),
            prefix: self.prefix.to_owned(),
            suffix: self.suffix.to_owned(),
            original_quote: self.original_quote.map(str::to_owned),
        })
    }
}

/// The annotation a row and its extras were made from (its anchoring history left out: no
/// output of `list` shows it), with how it was found in the text; `None` if they do not
/// make one.
fn annotation(row: &RowRef, extras: &RowExtras) -> Option<(Annotation, AnchorStatus)> {
    use crate::model::claim::{Confidence, Credibility, Link, LinkKind, Reliability, Status};
    let fragments = extras
        .fragments
        .iter()
        .map(|f| f.fragment(row.quote))
        .collect::<Option<Vec<_>>>()?;
    if extras.link_articles.len() != row.links.len() {
        return None;
    }
    let links = row
        .links
        .iter()
        .zip(&extras.link_articles)
        .map(|(&(kind, target), article)| {
            Some(Link {
                kind: LinkKind::parse(kind)?,
                target: AnnotationId(target.to_owned()),
                article: article.map(str::to_owned),
            })
        })
        .collect::<Option<Vec<_>>>()?;
    let record = ClaimRecord {
        attributed_to: row.attributed_to.map(str::to_owned),
        source_span: match &extras.source_span {
            Some(f) => Some(f.fragment("")?),
            None => None,
        },
        via: row.via.iter().map(|v| (*v).to_owned()).collect(),
        reliability: match row.reliability {
            Some(c) => Some(Reliability::from_letter(c)?),
            None => None,
        },
        credibility: match row.credibility {
            Some(d) => Some(Credibility::from_digit(d)?),
            None => None,
        },
        status: Status::parse(row.status)?,
        confidence: match row.confidence {
            Some(c) => Some(Confidence::parse(c)?),
            None => None,
        },
        links,
    };
    let annotation = Annotation {
        id: AnnotationId(row.id.to_owned()),
        tags: row.tags.iter().map(|t| (*t).to_owned()).collect(),
        fragments,
        note: row.note.to_owned(),
        author: row.author.to_owned(),
        created: row.created.to_owned(),
        modified: row.modified.to_owned(),
        record,
        anchor: crate::model::AnchorState {
            orphaned: row.orphaned,
            history: Vec::new(),
        },
    };
    Some((annotation, *ANCHORING.get(usize::from(extras.anchoring))?))
}

/// The extras of an open article whose rows are `rows` (made from its annotations, in
/// order), encoded; `None` when they would not give back exactly what the session prints
/// (then `list` opens the article).
pub(crate) fn extras_of(session: &Session, rows: &[ClaimRow]) -> Option<Vec<u8>> {
    let article = session.article();
    let annotations = session.annotations();
    if annotations.len() != rows.len() {
        return None;
    }
    let extras = Extras {
        fingerprint: article.fingerprint(),
        site: article.meta.site.as_deref(),
        author: article.meta.author.as_deref(),
        published: article.meta.published.as_deref(),
        url: article.meta.url.as_deref(),
        format: &article.provenance.format,
        rows: annotations
            .iter()
            .map(|a| {
                let status = session.anchor_status(a);
                RowExtras {
                    anchoring: ANCHORING.iter().position(|s| *s == status).unwrap_or(0) as u8,
                    fragments: a
                        .fragments
                        .iter()
                        .map(|f| StoredFragment::of(f, a.fragments.len() > 1))
                        .collect(),
                    source_span: a
                        .record
                        .source_span
                        .as_ref()
                        .map(|f| StoredFragment::of(f, true)),
                    link_articles: a
                        .record
                        .links
                        .iter()
                        .map(|l| l.article.as_deref())
                        .collect(),
                }
            })
            .collect(),
    };
    // Made back into what `list` prints, they must be what the session holds.
    for ((a, row), extra) in annotations.iter().zip(rows).zip(&extras.rows) {
        let (made, status) = annotation(&RowRef::of(row), extra)?;
        let same = made.id == a.id
            && made.tags == a.tags
            && made.fragments == a.fragments
            && made.note == a.note
            && made.author == a.author
            && made.created == a.created
            && made.modified == a.modified
            && made.record == a.record
            && made.anchor.orphaned == a.anchor.orphaned
            && status == session.anchor_status(a);
        if !same {
            return None;
        }
    }
    postcard::to_allocvec(&extras).ok()
}

/// Which annotations (by id) to make.
type Wanted<'w> = &'w dyn Fn(&str) -> bool;

/// An article's printed part and those of its annotations whose id is `wanted`, from its
/// rows (`rows` of `claims`, with `entry`) and its [`extras_of`] bytes; `None` if they do
/// not fit together.
pub(crate) fn printed<'a>(
    entry: &'a ArticleEntry,
    claims: &Claims,
    rows: std::ops::Range<usize>,
    (extras, wanted): (&'a [u8], Wanted),
    codebook: &'a crate::model::Codebook,
) -> Option<(Printed<'a>, Vec<(Annotation, AnchorStatus)>)> {
    let extras: Extras = postcard::from_bytes(extras).ok()?;
    if extras.rows.len() != rows.len() {
        return None;
    }
    let annotations = rows
        .zip(&extras.rows)
        .filter(|(i, _)| wanted(claims.id(*i)))
        .map(|(i, extra)| annotation(&claims.row_ref(i), extra))
        .collect::<Option<Vec<_>>>()?;
    let printed = Printed {
        path: &entry.path,
        title: entry.title.clone(),
        date: entry.date.as_deref(),
        fingerprint: extras.fingerprint,
        site: extras.site,
        author: extras.author,
        published: extras.published,
        url: extras.url,
        format: extras.format,
        codebook,
    };
    Some((printed, annotations))
}

/// The entry and rows of cache data; `None` if the data is corrupt.
pub(crate) fn decode(blob: &[u8]) -> Option<(ArticleEntry, Vec<StoredRow<'_>>)> {
    postcard::from_bytes(blob).ok()
}

/// A cache file being written, an index (or a run of articles of one) at a time: each
/// entry's data goes to a temporary file beside the cache file as it comes, and
/// [`Writer::finish`] adds the header and puts the file in place. Dropped unfinished, it
/// removes its temporary file (the cache file is left as it was).
pub(crate) struct Writer {
    out: Option<std::io::BufWriter<std::fs::File>>,
    tmp: PathBuf,
    file: PathBuf,
    entries: Vec<(Key, u64, u64)>,
    blob: Vec<u8>,
}

impl Writer {
    /// Starts the cache file `file` (creating its folder).
    pub(crate) fn create(file: &Path) -> std::io::Result<Self> {
        if let Some(dir) = file.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir)?;
        }
        let tmp = crate::storage::atomic::temporary_beside(file);
        let mut writer = Self {
            out: Some(std::io::BufWriter::with_capacity(
                1 << 20,
                std::fs::File::create_new(&tmp)?,
            )),
            tmp,
            file: file.to_owned(),
            entries: Vec::new(),
            blob: Vec::new(),
        };
        let out = writer.out()?;
        out.write_all(MAGIC)?;
        out.write_all(&FORMAT_VERSION.to_le_bytes())?;
        Ok(writer)
    }

    fn out(&mut self) -> std::io::Result<&mut std::io::BufWriter<std::fs::File>> {
        self.out
            .as_mut()
            .ok_or_else(|| std::io::Error::other("the cache file is finished"))
    }

    /// Adds the entries of `index`'s articles that have a key in `keys` (parallel to
    /// `index.articles`; `None`: not cacheable) and could be read, each with the [`Extras`]
    /// bytes `extras` gives for its number (`None`: none).
    pub(crate) fn push<'e>(
        &mut self,
        index: &Index,
        keys: &[Option<Key>],
        extras: &mut dyn FnMut(usize) -> Option<std::borrow::Cow<'e, [u8]>>,
    ) -> std::io::Result<()> {
        let mut row = 0;
        for (i, (entry, key)) in index.articles.iter().zip(keys).enumerate() {
            let rows = row..row + entry.annotations;
            row = rows.end;
            let Some(key) = key.as_ref().filter(|_| !entry.unreadable) else {
                continue;
            };
            let stored: Vec<StoredRow> = rows.map(|i| StoredRow::of(&index.claims, i)).collect();
            let blob = std::mem::take(&mut self.blob);
            let Ok(mut data) = postcard::to_extend(&(entry, stored), blob) else {
                continue; // a path that is not UTF-8: not cached
            };
            let extra = extras(i).map_or(0, |e: std::borrow::Cow<[u8]>| {
                data.extend_from_slice(&e);
                e.len()
            });
            self.out()?.write_all(&data)?;
            self.entries
                .push((key.clone(), data.len() as u64, extra as u64));
            self.blob = data;
            self.blob.clear();
        }
        Ok(())
    }

    /// Adds, as they are, the entries of `cache` whose key is one of `keys` (`None`: none).
    pub(crate) fn copy(
        &mut self,
        cache: Option<&Cache>,
        keys: &[Option<Key>],
    ) -> std::io::Result<()> {
        let Some(cache) = cache else {
            return Ok(());
        };
        for key in keys.iter().flatten() {
            let Some((range, extras)) = cache.lookup(key) else {
                continue;
            };
            let Some(data) = cache.data(range) else {
                continue;
            };
            self.out()?.write_all(&data)?;
            self.entries
                .push((key.clone(), data.len() as u64, extras as u64));
        }
        Ok(())
    }

    /// Writes the header (for `root`) and puts the file in place of the cache file.
    pub(crate) fn finish(mut self, root: &Path) -> std::io::Result<()> {
        let header = Header {
            program: env!("CARGO_PKG_VERSION").to_owned(),
            root: path_bytes(&canonical(root)),
            entries: std::mem::take(&mut self.entries),
        };
        let header = postcard::to_allocvec(&header).map_err(std::io::Error::other)?;
        let mut out = self
            .out
            .take()
            .ok_or_else(|| std::io::Error::other("the cache file is finished"))?;
        out.write_all(&header)?;
        out.write_all(&(header.len() as u64).to_le_bytes())?;
        out.into_inner().map_err(|e| e.into_error())?;
        std::fs::rename(&self.tmp, &self.file)?;
        self.tmp = PathBuf::new(); // in place: nothing to remove
        Ok(())
    }
}

impl Drop for Writer {
    fn drop(&mut self) {
        self.out = None;
        if !self.tmp.as_os_str().is_empty() {
            let _ = std::fs::remove_file(&self.tmp);
        }
    }
}
