//! The review across a folder tree: every annotation of every article in one index, filtered,
//! sorted, counted, and grouped into claims reported by several sources.
//!
//! - [`scan`](mod@scan): walks a folder recursively and reads every article's sidecar into an
//!   [`Index`] (on worker threads, with progress); [`cache`] keeps what was read, so a
//!   rescan only reads files that changed.
//! - [`filter`]: [`Filter`] (tag with children, source with aliases, status, grade, author,
//!   article date range, text search over quotes and notes) and sorting by any column.
//! - [`register`](mod@register): the claim register: annotations linked "same claim as",
//!   across articles, as one claim with its distinct sources and outlets.
//! - [`stats`]: counts per tag, per source and per month for the charts.
//!
//! No egui. Reads files only; never writes next to articles (the cache lives in the user's
//! cache folder and is safe to delete).

pub mod cache;
pub mod claims;
pub mod filter;
pub mod register;
pub mod scan;
pub mod stats;

use std::path::PathBuf;

use serde::{Deserialize, Serialize};

pub use claims::Claims;
pub use filter::{Filter, SortKey};
pub use register::{RegisteredClaim, register};
pub use scan::{
    Remembered, Run, ScanError, ScanProgress, list_articles, scan, scan_in_batches, scan_paths,
    scan_paths_in_batches, scan_remembering, scan_walked_in_batches,
};

/// One article of the index.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ArticleEntry {
    /// The article file, as found by the walk (the scanned folder joined with the relative
    /// path) or as given.
    pub path: PathBuf,
    /// The file name (articles have no other title yet).
    pub title: String,
    /// The dateline's date (`YYYY-MM-DD`), if any.
    pub date: Option<String>,
    /// The sidecar's modification time, RFC 3339 (`None`: no sidecar).
    pub modified: Option<String>,
    /// Annotations per tag id, in the codebook's order (tags it does not know last); tags
    /// without annotations are left out.
    pub tag_counts: Vec<(String, usize)>,
    /// How many annotations the article has (its rows in [`Index::claims`]).
    pub annotations: usize,
    /// Why the article needs attention: an unreadable sidecar (the read-only reason), orphaned
    /// annotations ("2 orphaned annotations"), or the error that kept the article from being
    /// read. `None`: all well.
    pub attention: Option<String>,
    /// True when the article or its sidecar could not be read (`attention` says why): the
    /// article contributes no rows, and `claimmark list` reports it as an error.
    pub unreadable: bool,
    /// How many of its annotations are orphaned (their words are gone from the text).
    pub orphaned: usize,
}

/// One annotation as the claims table shows it: flat, with everything a filter or a column
/// needs precomputed. The index keeps its rows in compact columns ([`Claims`]) and makes a
/// `ClaimRow` only for a row that is shown or printed ([`Claims::get`]).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ClaimRow {
    /// Index into [`Index::articles`].
    pub article: usize,
    /// The annotation's id (a UUID string), unique across the folder tree.
    pub id: String,
    /// Tag ids, in the annotation's order.
    pub tags: Vec<String>,
    /// Tag ids with all their ancestors (for "tag with children" filtering).
    pub tag_closure: Vec<String>,
    /// Full tag paths ("Claim/Statistic"), joined by ", ".
    pub tag_label: String,
    /// The quoted text of all fragments, joined by " … ".
    pub quote: String,
    /// Code-point offset of the annotation's start in the article's current text.
    pub start: usize,
    /// Code-point offset of its end (exclusive).
    pub end: usize,
    /// Who makes the claim, as recorded.
    pub attributed_to: Option<String>,
    /// The outlets the claim passed through, from the source outward.
    pub via: Vec<String>,
    /// Reliability letter A–F.
    pub reliability: Option<char>,
    /// Credibility digit 1–6.
    pub credibility: Option<u8>,
    /// unverified, corroborated, disputed or refuted.
    pub status: String,
    /// low, moderate or high.
    pub confidence: Option<String>,
    /// The analyst's note.
    pub note: String,
    /// Who made the annotation.
    pub author: String,
    /// When the annotation was made (RFC 3339).
    pub created: String,
    /// When it was last changed (RFC 3339).
    pub modified: String,
    /// Its words are gone from the current text (it is kept, unplaced).
    pub orphaned: bool,
    /// Links: (kind label, target annotation id).
    pub links: Vec<(String, String)>,
}

/// Every article and annotation of a folder tree.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Index {
    /// The folder scanned.
    pub root: PathBuf,
    /// Every article: a scanned tree's sorted by path, `scan_paths`' in the order given.
    pub articles: Vec<ArticleEntry>,
    /// Every annotation, in article order, then text order.
    pub claims: Claims,
    /// Source names with their aliases (canonical name first), from every folder's registry.
    pub sources: Vec<Vec<String>>,
    /// Every tag of every folder's codebook (first definition of an id wins), in codebook
    /// order.
    pub tags: Vec<TagInfo>,
    /// Folders inside the tree that could not be read (one message each, naming the folder);
    /// their articles are missing from the index.
    pub skipped: Vec<String>,
}

/// A tag as the review shows it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TagInfo {
    /// The tag's stable id (`statistic`).
    pub id: String,
    /// Its display name (`Statistic`).
    pub name: String,
    /// "Claim/Statistic".
    pub path: String,
    /// `#rrggbb`.
    pub color: String,
    /// The parent tag's id.
    pub parent: Option<String>,
}
