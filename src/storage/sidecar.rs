//! The sidecar file: `<article file name>.annotations.ron`, next to the article.
//!
//! Version 1 (see README): a format tag and version, the article's file name and the SHA-256
//! fingerprint of its canonical text, and the annotations sorted by position. Version 2 adds
//! the claim record (source, via, grades, status, confidence, links). Version 3 adds the
//! anchoring state: `orphaned` annotations (their words are gone from the article; kept
//! untouched) and a `history` of re-anchorings, and each fragment's `original_quote`. Version 4
//! adds the article's `source`: the format and extractor that made its canonical text, the
//! file's encoding and fingerprint, when it was first annotated, and its metadata (title,
//! site, author, published, url, language); fields at their default are left out. Version 5
//! adds `rejected_suggestions`, the words of the suggested claims the analyst rejected; a file
//! without any is still written as version 4, so older builds keep reading it.
//! Every version loads. Unknown fields,
//! unknown or newer versions, and impossible offsets are errors: a sidecar this build cannot
//! fully understand is never overwritten.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::model::provenance::{Metadata, Provenance, SourceRecord};
use crate::model::{
    AnchorState, Annotation, AnnotationId, Article, ClaimRecord, Confidence, Credibility, Fragment,
    Link, LinkKind, Reliability, Span, Status,
};

use super::ReadError;

/// Appended to the article's file name.
pub const SIDECAR_SUFFIX: &str = ".annotations.ron";
/// The `format` field of every sidecar.
pub const FORMAT_TAG: &str = "claimmark-sidecar";
/// The newest version this build reads and writes (it writes the oldest that holds the file).
pub const CURRENT_VERSION: u32 = 5;

/// `report.txt` → `report.txt.annotations.ron`.
pub fn sidecar_path(article: &Path) -> PathBuf {
    let mut name = article.file_name().unwrap_or_default().to_os_string();
    name.push(SIDECAR_SUFFIX);
    article.with_file_name(name)
}

/// `sha256:<hex>` of the canonical text.
pub fn fingerprint(text: &str) -> String {
    crate::model::article::fingerprint_of(text)
}

/// Why an article's sidecar was not loaded; the message names the sidecar.
#[derive(Debug, thiserror::Error)]
pub enum SidecarError {
    #[error("cannot read {}: {source}", path.display())]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    /// Not read at all: not a regular file, too large, or not UTF-8 text.
    #[error("{}: {source}", path.display())]
    Refused { path: PathBuf, source: ReadError },
    /// Read, but not a sidecar this build understands (it is never overwritten then).
    #[error("{}: {source}", path.display())]
    Invalid { path: PathBuf, source: ParseError },
}

/// Why a sidecar's text is not one this build reads ([`parse`]).
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ParseError {
    /// Not even the format tag and version could be read.
    #[error("not a readable sidecar: {0}")]
    Unreadable(RonError),
    #[error("format is `{found}`, expected `{FORMAT_TAG}`")]
    WrongFormat { found: String },
    #[error(
        "written by a newer Claimmark (format version {version}; this build reads up to {CURRENT_VERSION})"
    )]
    Newer { version: u32 },
    #[error("unknown format version {0}")]
    UnknownVersion(u32),
    /// The version is known, the rest of the file does not fit it.
    #[error(transparent)]
    Syntax(#[from] RonError),
    #[error("a version-3 sidecar cannot have a `source`")]
    SourceInVersion3,
    #[error("a version-{0} sidecar cannot have `rejected_suggestions` (version 5 on)")]
    RejectedBeforeVersion5(u32),
    #[error("annotation {id}: reliability `{given}` is not one of A–F")]
    Reliability { id: String, given: String },
    #[error("annotation {id}: credibility {given} is not one of 1–6")]
    Credibility { id: String, given: u8 },
    #[error("annotation {id}: a link has no target")]
    LinkWithoutTarget { id: String },
    /// `number` counts the annotations of the file from 1.
    #[error("annotation {number} has an empty id")]
    EmptyId { number: usize },
    #[error("annotation {number} ({id}): the id is used twice")]
    DuplicateId { number: usize, id: String },
    #[error("annotation {number} ({id}): has no tag")]
    NoTag { number: usize, id: String },
    #[error("annotation {number} ({id}): has no fragment")]
    NoFragment { number: usize, id: String },
    #[error("annotation {number} ({id}): end {end} is not after start {start}")]
    EmptySpan {
        number: usize,
        id: String,
        start: usize,
        end: usize,
    },
    #[error("annotation {number} ({id}): end {end} is beyond the article's {len} characters")]
    BeyondText {
        number: usize,
        id: String,
        end: usize,
        len: usize,
    },
}

/// A RON file (sidecar, codebook, source registry) that does not parse, shown as
/// `line L, column C: message` (see [`describe_ron_error`]).
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{}", describe_ron_error(.0))]
pub struct RonError(Box<ron::error::SpannedError>);

impl From<ron::error::SpannedError> for RonError {
    fn from(e: ron::error::SpannedError) -> Self {
        Self(Box::new(e))
    }
}

impl RonError {
    /// What the RON parser said, and where.
    pub fn spanned(&self) -> &ron::error::SpannedError {
        &self.0
    }
}

/// Only the version, read before the rest so that newer files get a precise message.
#[derive(Deserialize)]
struct VersionProbe {
    format: String,
    version: u32,
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct SidecarV1 {
    format: String,
    version: u32,
    article: String,
    fingerprint: String,
    annotations: Vec<AnnotationV1>,
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct AnnotationV1 {
    id: String,
    tags: Vec<String>,
    fragments: Vec<FragmentV1>,
    #[serde(default)]
    note: String,
    #[serde(default)]
    author: String,
    created: String,
    modified: String,
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct FragmentV1 {
    start: usize,
    end: usize,
    quote: String,
    #[serde(default)]
    prefix: String,
    #[serde(default)]
    suffix: String,
}

/// Version 2: version 1 plus the claim record.
#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct SidecarV2 {
    format: String,
    version: u32,
    article: String,
    fingerprint: String,
    annotations: Vec<AnnotationV2>,
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct AnnotationV2 {
    id: String,
    tags: Vec<String>,
    fragments: Vec<FragmentV1>,
    #[serde(default)]
    note: String,
    #[serde(default)]
    author: String,
    created: String,
    modified: String,
    #[serde(default)]
    attributed_to: Option<String>,
    #[serde(default)]
    source_span: Option<FragmentV1>,
    #[serde(default)]
    via: Vec<String>,
    /// `"A"`…`"F"`.
    #[serde(default)]
    reliability: Option<String>,
    /// 1…6.
    #[serde(default)]
    credibility: Option<u8>,
    #[serde(default)]
    status: Status,
    #[serde(default)]
    confidence: Option<Confidence>,
    #[serde(default)]
    links: Vec<LinkV2>,
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct LinkV2 {
    kind: LinkKind,
    target: String,
    #[serde(default)]
    article: Option<String>,
}

/// Version 4: version 3 plus the article's source; version 5: plus the rejected suggestions.
/// A version-3 file is a version-4 file without `source`, and a version-4 file a version-5 file
/// without `rejected_suggestions`, so all three are read through this one shape.
#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct SidecarV4 {
    format: String,
    version: u32,
    article: String,
    fingerprint: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    source: Option<SourceV4>,
    annotations: Vec<AnnotationV3>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    rejected_suggestions: Vec<String>,
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct SourceV4 {
    format: String,
    extractor: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    encoding: Option<String>,
    file: String,
    imported: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    title: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    site: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    author: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    published: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    url: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    language: Option<String>,
}

impl From<SourceV4> for SourceRecord {
    fn from(s: SourceV4) -> Self {
        SourceRecord {
            provenance: Provenance {
                format: s.format,
                extractor: s.extractor,
                encoding: s.encoding,
                file_fingerprint: s.file,
            },
            meta: Metadata {
                title: s.title,
                site: s.site,
                author: s.author,
                published: s.published,
                url: s.url,
                language: s.language,
                pages: Vec::new(),
                comments: Vec::new(),
            },
            imported: s.imported,
        }
    }
}

impl From<&SourceRecord> for SourceV4 {
    fn from(s: &SourceRecord) -> Self {
        SourceV4 {
            format: s.provenance.format.clone(),
            extractor: s.provenance.extractor.clone(),
            encoding: s.provenance.encoding.clone(),
            file: s.provenance.file_fingerprint.clone(),
            imported: s.imported.clone(),
            title: s.meta.title.clone(),
            site: s.meta.site.clone(),
            author: s.meta.author.clone(),
            published: s.meta.published.clone(),
            url: s.meta.url.clone(),
            language: s.meta.language.clone(),
        }
    }
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct AnnotationV3 {
    id: String,
    tags: Vec<String>,
    fragments: Vec<FragmentV3>,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    note: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    author: String,
    created: String,
    modified: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    attributed_to: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    source_span: Option<FragmentV3>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    via: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    reliability: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    credibility: Option<u8>,
    #[serde(default)]
    status: Status,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    confidence: Option<Confidence>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    links: Vec<LinkV2>,
    #[serde(default, skip_serializing_if = "is_false")]
    orphaned: bool,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    history: Vec<String>,
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct FragmentV3 {
    start: usize,
    end: usize,
    quote: String,
    #[serde(default)]
    prefix: String,
    #[serde(default)]
    suffix: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    original_quote: Option<String>,
}

/// Serde: leave `false` out of the file (the default when reading).
#[allow(clippy::trivially_copy_pass_by_ref)]
fn is_false(b: &bool) -> bool {
    !*b
}

impl From<FragmentV3> for Fragment {
    fn from(f: FragmentV3) -> Self {
        Fragment {
            span: Span {
                start: f.start,
                end: f.end,
            },
            quote: f.quote,
            prefix: f.prefix,
            suffix: f.suffix,
            original_quote: f.original_quote,
        }
    }
}

impl From<&Fragment> for FragmentV3 {
    fn from(f: &Fragment) -> Self {
        FragmentV3 {
            start: f.span.start,
            end: f.span.end,
            quote: f.quote.clone(),
            prefix: f.prefix.clone(),
            suffix: f.suffix.clone(),
            original_quote: f.original_quote.clone(),
        }
    }
}

fn from_v3(a: AnnotationV3) -> Result<Annotation, ParseError> {
    let anchor = AnchorState {
        orphaned: a.orphaned,
        history: a.history,
    };
    // Version 3 is version 2 plus the anchoring state: convert the shared part once.
    let fragments: Vec<Fragment> = a.fragments.into_iter().map(Fragment::from).collect();
    let source_span = a.source_span.map(Fragment::from);
    let v2 = AnnotationV2 {
        id: a.id,
        tags: a.tags,
        fragments: Vec::new(),
        note: a.note,
        author: a.author,
        created: a.created,
        modified: a.modified,
        attributed_to: a.attributed_to,
        source_span: None,
        via: a.via,
        reliability: a.reliability,
        credibility: a.credibility,
        status: a.status,
        confidence: a.confidence,
        links: a.links,
    };
    let mut ann = from_v2(v2)?;
    ann.fragments = fragments;
    ann.record.source_span = source_span;
    ann.anchor = anchor;
    Ok(ann)
}

fn to_v3(a: &Annotation) -> AnnotationV3 {
    let r = &a.record;
    AnnotationV3 {
        id: a.id.0.clone(),
        tags: a.tags.clone(),
        fragments: a.fragments.iter().map(FragmentV3::from).collect(),
        note: a.note.clone(),
        author: a.author.clone(),
        created: a.created.clone(),
        modified: a.modified.clone(),
        attributed_to: r.attributed_to.clone(),
        source_span: r.source_span.as_ref().map(FragmentV3::from),
        via: r.via.clone(),
        reliability: r.reliability.map(|g| g.letter().to_string()),
        credibility: r.credibility.map(Credibility::digit),
        status: r.status,
        confidence: r.confidence,
        links: r
            .links
            .iter()
            .map(|l| LinkV2 {
                kind: l.kind,
                target: l.target.0.clone(),
                article: l.article.clone(),
            })
            .collect(),
        orphaned: a.anchor.orphaned,
        history: a.anchor.history.clone(),
    }
}

impl From<FragmentV1> for Fragment {
    fn from(f: FragmentV1) -> Self {
        Fragment {
            span: Span {
                start: f.start,
                end: f.end,
            },
            quote: f.quote,
            prefix: f.prefix,
            suffix: f.suffix,
            original_quote: None,
        }
    }
}

impl From<&Fragment> for FragmentV1 {
    fn from(f: &Fragment) -> Self {
        FragmentV1 {
            start: f.span.start,
            end: f.span.end,
            quote: f.quote.clone(),
            prefix: f.prefix.clone(),
            suffix: f.suffix.clone(),
        }
    }
}

fn from_v1(a: AnnotationV1) -> Annotation {
    Annotation {
        id: AnnotationId(a.id),
        tags: a.tags,
        fragments: a.fragments.into_iter().map(Fragment::from).collect(),
        note: a.note,
        author: a.author,
        created: a.created,
        modified: a.modified,
        record: ClaimRecord::default(),
        anchor: AnchorState::default(),
    }
}

fn from_v2(a: AnnotationV2) -> Result<Annotation, ParseError> {
    let reliability = match a.reliability.as_deref() {
        None => None,
        Some(r) => {
            let mut chars = r.chars();
            match (
                chars.next().and_then(Reliability::from_letter),
                chars.next(),
            ) {
                (Some(g), None) => Some(g),
                _ => {
                    return Err(ParseError::Reliability {
                        id: a.id,
                        given: r.to_owned(),
                    });
                }
            }
        }
    };
    let credibility = match a.credibility {
        None => None,
        Some(d) => Some(
            Credibility::from_digit(d).ok_or_else(|| ParseError::Credibility {
                id: a.id.clone(),
                given: d,
            })?,
        ),
    };
    let mut links = Vec::with_capacity(a.links.len());
    for l in a.links {
        if l.target.trim().is_empty() {
            return Err(ParseError::LinkWithoutTarget { id: a.id });
        }
        links.push(Link {
            kind: l.kind,
            target: AnnotationId(l.target),
            article: l.article,
        });
    }
    Ok(Annotation {
        id: AnnotationId(a.id),
        tags: a.tags,
        fragments: a.fragments.into_iter().map(Fragment::from).collect(),
        note: a.note,
        author: a.author,
        created: a.created,
        modified: a.modified,
        record: ClaimRecord {
            attributed_to: a.attributed_to,
            source_span: a.source_span.map(Fragment::from),
            via: a.via,
            reliability,
            credibility,
            status: a.status,
            confidence: a.confidence,
            links,
        },
        anchor: AnchorState::default(),
    })
}

/// Checks what no sidecar may hold: empty or duplicate ids, no tag, no fragment, impossible
/// offsets.
fn validate(annotations: &[Annotation], text_len: usize) -> Result<(), ParseError> {
    let mut seen = std::collections::HashSet::new();
    for (i, a) in annotations.iter().enumerate() {
        let number = i + 1;
        let id = || a.id.0.clone();
        if a.id.0.trim().is_empty() {
            return Err(ParseError::EmptyId { number });
        }
        if !seen.insert(&a.id) {
            return Err(ParseError::DuplicateId { number, id: id() });
        }
        if a.tags.is_empty() {
            return Err(ParseError::NoTag { number, id: id() });
        }
        if a.fragments.is_empty() {
            return Err(ParseError::NoFragment { number, id: id() });
        }
        for f in a.fragments.iter().chain(a.record.source_span.iter()) {
            let Span { start, end } = f.span;
            if end <= start {
                return Err(ParseError::EmptySpan {
                    number,
                    id: id(),
                    start,
                    end,
                });
            }
            if end > text_len && !a.anchor.orphaned {
                return Err(ParseError::BeyondText {
                    number,
                    id: id(),
                    end,
                    len: text_len,
                });
            }
        }
    }
    Ok(())
}

/// What a sidecar holds, in model terms.
#[derive(Debug, Clone, PartialEq)]
pub struct Sidecar {
    pub article: String,
    pub fingerprint: String,
    /// The article's source (version 4 on).
    pub source: Option<SourceRecord>,
    pub annotations: Vec<Annotation>,
    /// The words of the suggested claims the analyst rejected (version 5 on).
    pub rejected: std::collections::BTreeSet<String>,
    /// [`content_hash`] of the file's bytes, when it was read from a file.
    pub content_hash: Option<u64>,
}

/// `line L, column C: message` for a RON error.
pub fn describe_ron_error(e: &ron::error::SpannedError) -> String {
    let message = match &e.code {
        // ron's own text advises its API; a user needs to know what is wrong with the file.
        ron::Error::ExceededRecursionLimit => {
            "brackets nested too deeply (this is not a file Claimmark wrote)".to_owned()
        }
        other => other.to_string(),
    };
    format!(
        "line {}, column {}: {message}",
        e.span.start.line, e.span.start.col
    )
}

/// Parses a sidecar's text. With the article, offsets beyond its text are an error when the
/// sidecar's fingerprint says it was written for exactly this text (a corrupt file); when the
/// text has changed since, such offsets are expected and re-anchoring finds the words again.
pub fn parse(text: &str, article: Option<&Article>) -> Result<Sidecar, ParseError> {
    // Files of the current version (nearly all) are read in one pass; anything else (an older
    // version, a damaged file) goes through the version probe for a precise message.
    // A byte-order mark (some Windows editors add one) is not part of the RON; the content
    // hash stays the hash of the whole file.
    let body = super::read::without_bom(text);
    // The files Claimmark writes go through the fast reader; anything it does not read (a
    // hand-edited file, say) through `ron`, which reads the same values.
    let current = super::ron_fast::from_str::<SidecarV4>(body)
        .ok()
        .or_else(|| ron::from_str::<SidecarV4>(body).ok())
        .filter(|f| f.format == FORMAT_TAG && (4..=CURRENT_VERSION).contains(&f.version));
    let parsed = match current {
        Some(file) => from_v4_file(file)?,
        None => parse_any_version(body)?,
    };
    finish_parse(text, article, parsed)
}

/// A sidecar of any version, before its offsets are checked.
struct Parsed {
    article: String,
    fingerprint: String,
    source: Option<SourceRecord>,
    annotations: Vec<Annotation>,
    rejected: std::collections::BTreeSet<String>,
}

/// A version 3, 4 or 5 file in model terms, each version's fields checked.
fn from_v4_file(file: SidecarV4) -> Result<Parsed, ParseError> {
    if file.version == 3 && file.source.is_some() {
        return Err(ParseError::SourceInVersion3);
    }
    if file.version < 5 && !file.rejected_suggestions.is_empty() {
        return Err(ParseError::RejectedBeforeVersion5(file.version));
    }
    let annotations = file
        .annotations
        .into_iter()
        .map(from_v3)
        .collect::<Result<Vec<_>, _>>()?;
    Ok(Parsed {
        article: file.article,
        fingerprint: file.fingerprint,
        source: file.source.map(SourceRecord::from),
        annotations,
        rejected: file.rejected_suggestions.into_iter().collect(),
    })
}

fn parse_any_version(text: &str) -> Result<Parsed, ParseError> {
    let probe: VersionProbe =
        ron::from_str(text).map_err(|e| ParseError::Unreadable(RonError::from(e)))?;
    if probe.format != FORMAT_TAG {
        return Err(ParseError::WrongFormat {
            found: probe.format,
        });
    }
    if probe.version > CURRENT_VERSION {
        return Err(ParseError::Newer {
            version: probe.version,
        });
    }
    Ok(match probe.version {
        1 => {
            let file: SidecarV1 = ron::from_str(text).map_err(RonError::from)?;
            Parsed {
                article: file.article,
                fingerprint: file.fingerprint,
                source: None,
                annotations: file.annotations.into_iter().map(from_v1).collect(),
                rejected: Default::default(),
            }
        }
        2 => {
            let file: SidecarV2 = ron::from_str(text).map_err(RonError::from)?;
            let annotations = file
                .annotations
                .into_iter()
                .map(from_v2)
                .collect::<Result<Vec<_>, _>>()?;
            Parsed {
                article: file.article,
                fingerprint: file.fingerprint,
                source: None,
                annotations,
                rejected: Default::default(),
            }
        }
        3..=5 => {
            let file: SidecarV4 = ron::from_str(text).map_err(RonError::from)?;
            from_v4_file(file)?
        }
        v => return Err(ParseError::UnknownVersion(v)),
    })
}

fn finish_parse(
    text: &str,
    article: Option<&Article>,
    parsed: Parsed,
) -> Result<Sidecar, ParseError> {
    let Parsed {
        article: article_name,
        fingerprint: fingerprint_of_file,
        source,
        annotations,
        rejected,
    } = parsed;
    let text_len = match article {
        // Only an offset beyond the text needs the (costly) fingerprint to judge it.
        Some(a)
            if annotations.iter().any(|x| {
                x.fragments
                    .iter()
                    .chain(x.record.source_span.as_ref())
                    .any(|f| f.span.end > a.char_len())
            }) && a.fingerprint() == fingerprint_of_file =>
        {
            a.char_len()
        }
        _ => usize::MAX,
    };
    validate(&annotations, text_len)?;
    Ok(Sidecar {
        article: article_name,
        fingerprint: fingerprint_of_file,
        source,
        annotations,
        rejected,
        content_hash: Some(content_hash(text.as_bytes())),
    })
}

/// Sidecars larger than this are refused with a clear message rather than parsed.
pub const MAX_SIDECAR_BYTES: u64 = 256 * 1024 * 1024;

/// The backup of a sidecar: the previous generation, kept by every save.
pub fn backup_path(sidecar: &Path) -> PathBuf {
    let mut name = sidecar.file_name().unwrap_or_default().to_os_string();
    name.push(".bak");
    sidecar.with_file_name(name)
}

/// A hash of a sidecar's bytes, to notice that the file changed (within one process).
pub fn content_hash(bytes: &[u8]) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut h = std::collections::hash_map::DefaultHasher::new();
    bytes.hash(&mut h);
    h.finish()
}

/// What [`write_if_unchanged`] did.
#[derive(Debug, PartialEq, Eq)]
pub enum WriteOutcome {
    Written,
    /// The file on disk is not the one this writer last saw: nothing was written; here is
    /// what is there now (`None`: no file).
    ChangedOnDisk(Option<Vec<u8>>),
}

/// Writes a sidecar durably: the current file (if any) becomes the backup generation, then the
/// new contents replace it atomically. Each step is atomic, so a crash leaves a readable
/// sidecar (old or new) and a readable backup.
pub fn write(path: &Path, contents: &str) -> std::io::Result<()> {
    write_if_unchanged(path, contents, None).map(|_| ())
}

/// Like [`write()`], but only if the file on disk still has the `expected` hash (`Some(None)`:
/// no file), so another program's change made since it was last read is never overwritten.
/// Holds the folder's write lock from the check to the rename.
pub fn write_if_unchanged(
    path: &Path,
    contents: &str,
    expected: Option<Option<u64>>,
) -> std::io::Result<WriteOutcome> {
    let _lock = super::atomic::lock_folder(path)?;
    write_locked(path, contents, expected)
}

/// [`write_if_unchanged`] for a caller that holds the folder's lock
/// ([`super::atomic::lock_folder`]). The new contents are written and synced first; only then
/// does the current file become the backup and the new one replace it, so a write that fails
/// (a full disk) leaves both the sidecar and its backup as they were.
pub fn write_locked(
    path: &Path,
    contents: &str,
    expected: Option<Option<u64>>,
) -> std::io::Result<WriteOutcome> {
    let old = read_current(path)?;
    if let Some(expected) = expected
        && old.as_deref().map(content_hash) != expected
    {
        return Ok(WriteOutcome::ChangedOnDisk(old));
    }
    let staged = super::atomic::stage(path, contents.as_bytes())?;
    if let Some(old) = old.filter(|o| o != contents.as_bytes())
        && link_backup(path).is_err()
    {
        super::write_atomic(&backup_path(path), &old)?;
    }
    staged.commit()?;
    Ok(WriteOutcome::Written)
}

/// The sidecar's bytes as they are on disk now (`None`: no file).
pub fn read_current(path: &Path) -> std::io::Result<Option<Vec<u8>>> {
    super::read::read_if_exists(path, MAX_SIDECAR_BYTES).map_err(std::io::Error::from)
}

/// Keeps the current sidecar as the backup without copying it: a hard link to its file (whose
/// bytes were synced when it was written) renamed over the backup. The new sidecar is then
/// renamed over the old name, so the backup keeps the old bytes; the folder sync of that
/// rename makes both durable. Where hard links are not available (some file systems), the
/// caller copies instead.
fn link_backup(path: &Path) -> std::io::Result<()> {
    let backup = backup_path(path);
    let tmp = super::atomic::temporary_beside(path);
    let result = std::fs::hard_link(path, &tmp).and_then(|()| std::fs::rename(&tmp, &backup));
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result
}

/// Reads the sidecar of an article, if there is one (see [`parse`] for `article`).
pub fn load(
    article_path: &Path,
    article: Option<&Article>,
) -> Result<Option<Sidecar>, SidecarError> {
    let path = sidecar_path(article_path);
    // A pipe, a device or a link to one is refused unopened; so is an oversized file.
    let bytes = match super::read::read_if_exists(&path, MAX_SIDECAR_BYTES) {
        Ok(Some(b)) => b,
        Ok(None) => return Ok(None),
        Err(ReadError::Io(source)) => return Err(SidecarError::Io { path, source }),
        Err(refused) => {
            return Err(SidecarError::Refused {
                path,
                source: refused,
            });
        }
    };
    let text = match super::read::text_from_bytes(bytes) {
        Ok(text) => text,
        Err(refused) => {
            return Err(SidecarError::Refused {
                path,
                source: refused,
            });
        }
    };
    parse(&text, article)
        .map(Some)
        .map_err(|source| SidecarError::Invalid { path, source })
}

/// What a sidecar says before its annotations.
#[derive(Clone, Copy)]
pub struct Header<'a> {
    /// The article's file name.
    pub article: &'a str,
    /// The fingerprint of the canonical text the offsets refer to.
    pub fingerprint: &'a str,
    pub source: Option<&'a SourceRecord>,
    /// The words of the rejected suggestions ([`NO_REJECTIONS`] for none).
    pub rejected: &'a std::collections::BTreeSet<String>,
}

/// No rejected suggestions, for a [`Header`].
pub static NO_REJECTIONS: std::collections::BTreeSet<String> = std::collections::BTreeSet::new();

impl Header<'_> {
    fn shell(&self, annotations: Vec<AnnotationV3>) -> SidecarV4 {
        SidecarV4 {
            format: FORMAT_TAG.into(),
            // Without rejections the file is a version-4 file, which older builds read.
            version: if self.rejected.is_empty() { 4 } else { 5 },
            article: self.article.into(),
            fingerprint: self.fingerprint.into(),
            source: self.source.map(SourceV4::from),
            annotations,
            rejected_suggestions: self.rejected.iter().cloned().collect(),
        }
    }
}

/// The text of a sidecar (the merge driver passes the header it read; it has no article text).
pub fn render<'a>(header: &Header, annotations: impl Iterator<Item = &'a Annotation>) -> String {
    let annotations: Vec<&Annotation> = annotations.collect();
    if let Some(text) = render_in_pieces(header, &annotations) {
        return text;
    }
    render_whole(header, &annotations)
}

/// The sidecar rendered in one piece by RON.
fn render_whole(header: &Header, annotations: &[&Annotation]) -> String {
    let file = header.shell(annotations.iter().map(|a| to_v3(a)).collect());
    let mut out = ron::ser::to_string_pretty(&file, pretty()).unwrap_or_default();
    out.push('\n');
    out
}

/// How sidecars are laid out: two spaces per level, one field per line (diffs and merges well).
fn pretty() -> ron::ser::PrettyConfig {
    ron::ser::PrettyConfig::default().indentor("  ")
}

/// From this many annotations on, a sidecar's annotations are written on several threads.
const PARALLEL_RENDER_FROM: usize = 2_000;

/// The same text as rendering the whole file at once (tests hold it to that, byte for byte):
/// the file around the annotation list rendered by RON with the first annotation in it and
/// split there, the annotations written by [`super::ron_write`] (in chunks on worker threads
/// for a long list). `None` if anything is unexpected, and the caller renders in one piece:
/// the first annotation as `ron_write` writes it must be found, byte for byte, where RON put
/// it, so a writer that no longer agrees with RON is never used.
fn render_in_pieces(header: &Header, annotations: &[&Annotation]) -> Option<String> {
    // The list's items are at the second level: the file's fields are at the first.
    const LEVEL: usize = 2;
    const SEPARATOR: &str = ",\n    ";
    let first = annotations.first()?;
    let shell = header.shell(vec![to_v3(first)]);
    let whole = ron::ser::to_string_pretty(&shell, pretty()).ok()?;
    let mut item = String::new();
    super::ron_write::annotation(&mut item, first, LEVEL);
    let at = whole.find(&format!("[\n    {item},\n  ]"))? + "[\n    ".len();
    let (head, tail) = (&whole[..at], &whole[at + item.len()..]);
    // `tail` starts with the separator that follows the last item (",\n  ]…").
    let write = |part: &[&Annotation]| {
        let mut out = String::with_capacity(part.len() * (item.len() + 64));
        for (i, a) in part.iter().enumerate() {
            if i > 0 {
                out.push_str(SEPARATOR);
            }
            super::ron_write::annotation(&mut out, a, LEVEL);
        }
        out
    };
    let threads = if annotations.len() >= PARALLEL_RENDER_FROM {
        std::thread::available_parallelism()
            .map_or(1, |n| n.get())
            .clamp(1, 8)
    } else {
        1
    };
    let chunk = annotations.len().div_ceil(threads);
    let pieces: Vec<String> = if threads == 1 {
        vec![write(annotations)]
    } else {
        std::thread::scope(|scope| {
            let handles: Vec<_> = annotations
                .chunks(chunk)
                .map(|part| scope.spawn(move || write(part)))
                .collect();
            handles
                .into_iter()
                .map(|h| h.join().ok())
                .collect::<Option<Vec<String>>>()
        })?
    };
    let mut out =
        String::with_capacity(pieces.iter().map(String::len).sum::<usize>() + whole.len() + 1);
    out.push_str(head);
    for (i, piece) in pieces.iter().enumerate() {
        if i > 0 {
            out.push_str(SEPARATOR);
        }
        out.push_str(piece);
    }
    out.push_str(tail);
    out.push('\n');
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Link, LinkKind, Reliability, Span, Status};

    fn sample(i: usize) -> Annotation {
        let fragment = |start: usize| Fragment {
            span: Span {
                start,
                end: start + 5,
            },
            quote: format!("quote “{i}” \"é\" \\ 北"),
            prefix: "before\n".into(),
            suffix: "\tafter".into(),
            original_quote: i.is_multiple_of(2).then(|| "old".into()),
        };
        let mut record = ClaimRecord {
            attributed_to: i.is_multiple_of(3).then(|| "Kim Jong Un".into()),
            via: vec!["KCNA".into(), "India Today".into()],
            reliability: Some(Reliability::B),
            credibility: Credibility::from_digit(2),
            status: Status::Disputed,
            confidence: (i % 2 == 1).then_some(Confidence::High),
            links: vec![Link {
                kind: LinkKind::SameClaimAs,
                target: AnnotationId(format!("t{i}")),
                article: Some("other.txt".into()),
            }],
            ..Default::default()
        };
        if i == 1 {
            record.source_span = Some(fragment(0));
        }
        Annotation {
            id: AnnotationId(format!("id-{i}")),
            tags: vec!["claim".into(), "source".into()],
            fragments: (0..1 + i % 3).map(|k| fragment(10 * k + i)).collect(),
            note: if i.is_multiple_of(2) {
                String::new()
            } else {
                "a note,\nwith (parens) and [brackets]".into()
            },
            author: "tester".into(),
            created: "2026-11-28T00:00:00Z".into(),
            modified: "2026-11-28T00:00:01Z".into(),
            record,
            anchor: AnchorState {
                orphaned: i == 4,
                history: vec![format!("moved {i}")],
            },
        }
    }

    /// Both readers of a sidecar's text: the fast one and `ron`, compared as `ron` writes
    /// what each read.
    fn read_both(text: &str) -> (String, String) {
        let fast: SidecarV4 = crate::storage::ron_fast::from_str(text).expect("fast reader");
        let slow: SidecarV4 = ron::from_str(text).expect("ron");
        (
            ron::ser::to_string(&fast).expect("ron"),
            ron::ser::to_string(&slow).expect("ron"),
        )
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig { cases: 200, ..Default::default() })]
        /// Whatever the writer makes, the fast reader reads exactly as `ron` does: any text in
        /// quotes, notes, names and sources (escapes, combining marks, controls, emoji), any
        /// grades, status, links and anchoring state.
        #[test]
        fn the_fast_reader_reads_every_sidecar_the_writer_makes_as_ron_does(
            texts in proptest::collection::vec(".{0,40}", 8),
            numbers in proptest::collection::vec(0usize..1_000_000, 8),
            picks in proptest::collection::vec(0usize..24, 8),
            count in 0usize..6,
        ) {
            let annotations: Vec<Annotation> = (0..count)
                .map(|i| {
                    let mut a = sample(i + picks[i % 8]);
                    let t = |k: usize| texts[(i + k) % 8].clone();
                    a.id = AnnotationId(t(0));
                    a.note = t(1);
                    a.author = t(2);
                    a.tags = vec![t(3), t(4)];
                    a.fragments[0].quote = t(5);
                    a.fragments[0].prefix = t(6);
                    a.fragments[0].span = Span::between(numbers[i % 8], numbers[(i + 1) % 8]);
                    let r = &mut a.record;
                    r.attributed_to = (picks[i] % 2 == 0).then(|| t(7));
                    r.via = vec![t(1), t(2)];
                    r.reliability = Some(Reliability::ALL[picks[i] % 6]);
                    r.credibility = Some(Credibility::ALL[picks[(i + 1) % 8] % 6]);
                    r.status = Status::ALL[picks[i] % 4];
                    r.confidence = (picks[i] % 3 > 0).then(|| Confidence::ALL[picks[i] % 3]);
                    r.links[0].kind = LinkKind::ALL[picks[i] % 4];
                    r.links[0].target = AnnotationId(t(3));
                    r.links[0].article = (picks[i] % 2 == 1).then(|| t(4));
                    a.anchor.history = vec![t(0)];
                    // Empty lists are written `[]` or left out: some of each.
                    if picks[(i + 2) % 8] % 5 == 0 {
                        a.tags.clear();
                        a.record.via.clear();
                        a.record.links.clear();
                        a.anchor.history.clear();
                    }
                    a
                })
                .collect();
            let source = SourceRecord {
                provenance: Provenance {
                    format: texts[0].clone(),
                    extractor: texts[1].clone(),
                    encoding: Some(texts[2].clone()),
                    file_fingerprint: texts[3].clone(),
                },
                meta: Metadata {
                    title: Some(texts[4].clone()),
                    url: (count % 2 == 0).then(|| texts[5].clone()),
                    ..Metadata::default()
                },
                imported: texts[6].clone(),
            };
            let rejected: std::collections::BTreeSet<String> = match count % 2 {
                0 => texts[1..4].iter().cloned().collect(),
                _ => Default::default(),
            };
            let header = Header {
                article: &texts[7],
                fingerprint: &texts[0],
                source: (count % 3 > 0).then_some(&source),
                rejected: &rejected,
            };
            let text = render(&header, annotations.iter());
            // The fast writer writes what RON writes, byte for byte.
            let refs: Vec<&Annotation> = annotations.iter().collect();
            proptest::prop_assert_eq!(&text, &render_whole(&header, &refs));
            let (fast, slow) = read_both(&text);
            proptest::prop_assert_eq!(fast, slow);
        }
    }

    #[test]
    fn rendering_in_pieces_gives_the_same_bytes_as_rendering_at_once() {
        for n in [1, 2, 7, 31, PARALLEL_RENDER_FROM + 1] {
            let owned: Vec<Annotation> = (0..n).map(sample).collect();
            let refs: Vec<&Annotation> = owned.iter().collect();
            let source = SourceRecord {
                provenance: Provenance {
                    format: "html".into(),
                    extractor: "html 1".into(),
                    encoding: Some("windows-1252".into()),
                    file_fingerprint: "sha256:def".into(),
                },
                meta: Metadata {
                    title: Some("Port \"reopens\"".into()),
                    url: Some("https://news.example/a?b=1".into()),
                    ..Metadata::default()
                },
                imported: "2026-11-28T10:00:00Z".into(),
            };
            let rejected = ["“We are ready,” … “for both.”".to_owned()].into();
            let header = Header {
                article: "report.txt",
                fingerprint: "sha256:abc",
                source: Some(&source),
                rejected: if n % 2 == 1 {
                    &rejected
                } else {
                    &NO_REJECTIONS
                },
            };
            let whole = render_whole(&header, &refs);
            let parallel = render_in_pieces(&header, &refs).expect("rendered in pieces");
            assert_eq!(parallel, whole, "{n} annotations");
            let back = parse(&parallel, None).expect("parses");
            assert_eq!(back.annotations.len(), n);
            assert_eq!(back.source.as_ref(), Some(&source));
            assert_eq!(back.rejected, *header.rejected);
            let version = if n % 2 == 1 {
                "version: 5,"
            } else {
                "version: 4,"
            };
            assert!(parallel.contains(version), "{parallel}");
        }
    }

    #[test]
    fn rejections_need_version_5() {
        let text = "(format: \"claimmark-sidecar\", version: 4, article: \"a.txt\", fingerprint: \"x\", annotations: [], rejected_suggestions: [\"q\"])";
        assert!(matches!(
            parse(text, None),
            Err(ParseError::RejectedBeforeVersion5(4))
        ));
        let text = text.replace("version: 4", "version: 5");
        let file = parse(&text, None).expect("version 5");
        assert!(file.rejected.contains("q"));
    }
}
