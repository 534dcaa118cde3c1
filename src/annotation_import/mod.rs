//! Importing annotations made elsewhere (JSON Lines, W3C Web Annotation, brat standoff) into
//! the sidecars of the articles they name: pre-annotations from NLP tools, another analyst's
//! work, or our own exports coming back.
//!
//! Readers (one file per format) turn an input file into [`Incoming`] annotations; [`apply`]
//! places them. The rules: an annotation whose id, or whose tags and spans, already exist is
//! left alone (existing annotations are never touched); a fragment whose quote is not at its
//! offsets is found again by quote, prefix and suffix (the same re-anchoring as opening an
//! edited article); what cannot be placed (unknown article, unknown tag, quote not found, an
//! unreadable sidecar) is reported, never guessed.
//!
//! No egui. Writes only through [`Session::save`], so every write is atomic and checked
//! against other writers.

pub mod brat;
pub mod jsonl;
pub mod refi;
pub mod w3c;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::anchoring;
use crate::model::{
    Annotation, AnnotationId, ClaimRecord, Confidence, Credibility, Edit, EditError, Fragment,
    Link, LinkKind, Reliability, Span, Status,
};
use crate::session::{Session, default_author, now_rfc3339};

/// The formats that can be imported.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Format {
    Jsonl,
    /// W3C Web Annotation: a collection, a page, a single annotation, an array, or one
    /// annotation per line.
    W3c,
    /// brat standoff: `NAME.ann` beside `NAME.txt`.
    Brat,
    /// REFI-QDA: a `.qdpx` project or a `.qdc` codebook. It creates articles and tags, so it
    /// is imported into a folder with [`refi::import`], not through [`read`] and [`apply`]
    /// (and is not in [`Format::ALL`], the formats of the import window).
    Refi,
}

impl Format {
    pub const ALL: [Format; 3] = [Format::Jsonl, Format::W3c, Format::Brat];

    pub fn label(self) -> &'static str {
        match self {
            Format::Jsonl => "JSON Lines (Claimmark)",
            Format::W3c => "W3C Web Annotation",
            Format::Brat => "brat standoff (.ann)",
            Format::Refi => "REFI-QDA project (.qdpx) or codebook (.qdc)",
        }
    }

    /// Guesses the format of an input file from its name.
    pub fn guess(path: &Path) -> Option<Format> {
        let name = path.file_name()?.to_string_lossy().to_lowercase();
        if name.ends_with(".ann") {
            Some(Format::Brat)
        } else if name.ends_with(".jsonld") || name.ends_with(".json") {
            Some(Format::W3c)
        } else if name.ends_with(".jsonl") {
            Some(Format::Jsonl)
        } else if name.ends_with(".qdpx") || name.ends_with(".qdc") || name.ends_with(".qde") {
            Some(Format::Refi)
        } else {
            None
        }
    }
}

/// One annotation read from an input file, before it is placed.
#[derive(Clone, Debug, Default)]
pub struct Incoming {
    /// The article it belongs to, as the input names it (see [`resolve_article`]).
    pub article: PathBuf,
    /// The folder the article is looked for in: the input file's.
    pub base: PathBuf,
    /// Its id, if the format carries one.
    pub id: Option<String>,
    /// Tag ids, names or full paths ("Claim/Statistic"), or brat type names.
    pub tags: Vec<String>,
    /// Spans with the quote each should cover (an empty quote: trust the span).
    pub fragments: Vec<Fragment>,
    pub note: String,
    pub author: Option<String>,
    pub created: Option<String>,
    pub modified: Option<String>,
    pub record: ClaimRecord,
    /// Where it was read, for messages: `claims.jsonl line 12`.
    pub origin: String,
}

/// What an import did.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Report {
    /// Annotations added.
    pub added: usize,
    /// Of those, how many were found by quote because their offsets did not match.
    pub moved: usize,
    /// Annotations that already existed (same id, or same tags and spans), left alone.
    pub existing: usize,
    /// Articles whose sidecars were written.
    pub articles: usize,
    /// What could not be placed, one line each, naming the input and the article.
    pub problems: Vec<String>,
}

/// Why an input file gave no annotations. Every message names the file (and the line or the
/// annotation, where there is one).
#[derive(Debug, thiserror::Error)]
pub enum InputError {
    #[error("cannot read {}: {source}", path.display())]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{} is not UTF-8 text", path.display())]
    NotUtf8 { path: PathBuf },
    /// A JSON Lines line that is not JSON.
    #[error("{origin}: not JSON: {source}")]
    NotJson {
        origin: String,
        source: serde_json::Error,
    },
    /// A W3C file that is neither one JSON document (`whole`) nor JSON lines.
    #[error("{}: not JSON ({whole}) nor JSON lines (line {line}: {source})", path.display())]
    NotJsonNorLines {
        path: PathBuf,
        whole: serde_json::Error,
        line: usize,
        source: serde_json::Error,
    },
    #[error("{origin}: no `article`")]
    NoArticle { origin: String },
    #[error("{origin}: no `fragments` nor `start`/`end`")]
    NoFragments { origin: String },
    #[error("{origin}: no target source naming the article")]
    NoTargetSource { origin: String },
    #[error("{origin}: no TextPositionSelector or TextQuoteSelector")]
    NoSelector { origin: String },
    /// A brat `T` line without its tab-separated parts.
    #[error("{origin}: not a brat text-bound line")]
    NotTextBound { origin: String },
    #[error("{origin}: no offsets")]
    NoOffsets { origin: String },
    #[error("{origin}: offsets `{piece}` are not `START END`")]
    BadOffsets { origin: String, piece: String },
    /// A REFI-QDA file given to [`read`]: it is imported into a folder ([`refi::import`]).
    #[error("{}: a REFI-QDA project or codebook is imported into a folder (--into FOLDER)", path.display())]
    IntoFolder { path: PathBuf },
}

/// Why one incoming annotation was not placed: it is reported, the others are placed.
/// `whence` says where it was read and which article it is for.
#[derive(Debug, thiserror::Error)]
pub enum PlaceError {
    /// The article the input names is not one an import may write to (see
    /// [`resolve_article`]).
    #[error("the article `{named}` {why} {}: not imported (only articles in the input's folder, or the folder given with --into, are written to)", base.display())]
    ArticleOutside {
        named: String,
        why: Outside,
        base: PathBuf,
    },
    #[error("{whence}: tag `{tag}` is not in the folder's codebook (add it in Codebook…)")]
    UnknownTag { whence: String, tag: String },
    #[error("{whence}: no tag")]
    NoTag { whence: String },
    #[error("{whence}: no text span")]
    NoSpan { whence: String },
    /// The quote is not at its offsets, and re-anchoring found more than one place or only a
    /// poor fit (`candidates`).
    #[error(
        "{whence}: \"{quote}\" ({start}–{end}) is not at its offsets and fits more than one place or fits poorly ({}); not placed",
        spans_list(candidates)
    )]
    Uncertain {
        whence: String,
        quote: String,
        start: usize,
        end: usize,
        candidates: Vec<Span>,
    },
    #[error("{whence}: \"{quote}\" ({start}–{end}) is not in the text")]
    NotInText {
        whence: String,
        quote: String,
        start: usize,
        end: usize,
    },
    /// The session refused the annotation.
    #[error("{whence}: {source}")]
    Rejected { whence: String, source: EditError },
}

/// Where an article named by an input file lies, when it is not written to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Outside {
    /// A web address (or a Windows drive path), and no file of its name in the folder.
    WebAddress,
    /// An absolute path outside the folder.
    Absolute,
    /// A relative path with `..` (or a root).
    LeadsOutside,
    /// Not found in the folder.
    Missing,
}

impl std::fmt::Display for Outside {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Self::WebAddress => "is a web address, not a file in",
            Self::Absolute => "is outside",
            Self::LeadsOutside => "leads outside",
            Self::Missing => "is not in",
        })
    }
}

/// `3–9, 40–46`.
fn spans_list(spans: &[Span]) -> String {
    spans
        .iter()
        .map(|s| format!("{}–{}", s.start, s.end))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Reads one input file.
pub fn read(format: Format, input: &Path) -> Result<Vec<Incoming>, InputError> {
    match format {
        Format::Jsonl => jsonl::read(input),
        Format::W3c => w3c::read(input),
        Format::Brat => brat::read(input),
        Format::Refi => Err(InputError::IntoFolder {
            path: input.to_owned(),
        }),
    }
}

/// Places annotations into their articles' sidecars, one article at a time; `into` is one
/// article that takes them all, or a folder the articles are looked for in instead of the
/// input's; `progress(done, total)` after each article.
pub fn apply(
    items: Vec<Incoming>,
    into: Option<&Path>,
    progress: &mut dyn FnMut(usize, usize),
) -> Report {
    let mut by_article: BTreeMap<PathBuf, Vec<Incoming>> = BTreeMap::new();
    let mut report = Report::default();
    for item in items {
        let article = match into {
            Some(folder) if folder.is_dir() => resolve_article(&item.article, folder),
            Some(article) => Ok(article.to_owned()),
            None => resolve_article(&item.article, &item.base),
        };
        match article {
            Ok(article) => by_article.entry(article).or_default().push(item),
            Err(e) => report.problems.push(format!("{}: {e}", item.origin)),
        }
    }
    let total = by_article.len();
    for (i, (article, items)) in by_article.into_iter().enumerate() {
        place_all(&article, items, &mut report);
        progress(i + 1, total);
    }
    report
}

fn place_all(article: &Path, items: Vec<Incoming>, report: &mut Report) {
    let mut session = match Session::open(article) {
        Ok(s) => s,
        Err(e) => {
            report
                .problems
                .push(format!("{} annotation(s) not imported: {e}", items.len()));
            return;
        }
    };
    if let Some(reason) = session.read_only() {
        report.problems.push(format!(
            "{} annotation(s) not imported: {reason}",
            items.len()
        ));
        return;
    }
    let before = report.added;
    let mut seen = Seen::of(&session);
    for item in items {
        match place(&mut session, item, &mut seen) {
            Ok(Placed::Added { moved }) => {
                report.added += 1;
                report.moved += usize::from(moved);
            }
            Ok(Placed::Existing) => report.existing += 1,
            Err(problem) => report.problems.push(problem.to_string()),
        }
    }
    if report.added > before {
        match session.save_merged() {
            Ok(_) => report.articles += 1,
            Err(e) => {
                report.problems.push(e.to_string());
                report.added = before;
            }
        }
    }
}

enum Placed {
    Added { moved: bool },
    Existing,
}

/// The ids and the claims (same words, tags, note and record) an article has, so that each
/// incoming annotation is checked against them at once rather than by a walk of every
/// annotation (importing 10,000 into an article with 10,000).
struct Seen {
    ids: std::collections::HashSet<String>,
    claims: std::collections::HashSet<String>,
}

impl Seen {
    fn of(session: &Session) -> Self {
        Self {
            ids: session
                .annotations()
                .iter()
                .map(|a| a.id.0.clone())
                .collect(),
            claims: session
                .annotations()
                .iter()
                .map(|a| {
                    let spans: Vec<Span> = a.fragments.iter().map(|f| f.span).collect();
                    claim_key(&a.tags, &spans, &a.note, &a.record)
                })
                .collect(),
        }
    }
}

/// What makes two annotations the same claim: same words, tags, note and record (links
/// aside: a format may carry them differently).
fn claim_key(tags: &[String], spans: &[Span], note: &str, r: &ClaimRecord) -> String {
    let mut tags = tags.to_vec();
    tags.sort();
    let mut spans = spans.to_vec();
    spans.sort();
    format!(
        "{tags:?}|{spans:?}|{note:?}|{:?}|{:?}|{:?}|{:?}|{:?}|{:?}",
        r.attributed_to, r.via, r.reliability, r.credibility, r.status, r.confidence
    )
}

fn place(session: &mut Session, item: Incoming, seen: &mut Seen) -> Result<Placed, PlaceError> {
    let whence = format!("{} (for {})", item.origin, session.path().display());
    if let Some(id) = &item.id
        && seen.ids.contains(id)
    {
        return Ok(Placed::Existing);
    }
    let tags = tag_ids(session, &item.tags, &whence)?;
    if item.fragments.is_empty() {
        return Err(PlaceError::NoSpan { whence });
    }
    let (spans, moved) = spans_in(session.article(), &item.fragments, &whence)?;
    let key = claim_key(&tags, &spans, &item.note, &item.record);
    let duplicate = seen.claims.contains(&key);
    if duplicate {
        return Ok(Placed::Existing);
    }
    let now = now_rfc3339();
    let id = match item.id {
        Some(id) if !id.trim().is_empty() => AnnotationId(id),
        _ => AnnotationId::new_random(),
    };
    let mut ann = Annotation {
        id,
        tags,
        fragments: Vec::new(),
        note: item.note,
        author: item.author.unwrap_or_else(default_author),
        created: item.created.unwrap_or_else(|| now.clone()),
        modified: item.modified.unwrap_or(now),
        record: item.record,
        anchor: Default::default(),
    };
    anchoring::set_fragments(session.article(), &mut ann, spans);
    if let Some(source) = &mut ann.record.source_span {
        match anchoring::resolve(session.article(), source) {
            anchoring::Placement::At(span, _) => {
                *source = anchoring::capture(session.article(), span);
            }
            _ => ann.record.source_span = None,
        }
    }
    let id = ann.id.0.clone();
    session
        .apply(Edit::Add(ann))
        .map_err(|source| PlaceError::Rejected { whence, source })?;
    seen.ids.insert(id);
    seen.claims.insert(key);
    Ok(Placed::Added { moved })
}

/// The codebook's ids of the tags an annotation names, each once: an error for a tag the
/// codebook does not have, or for no tag at all.
fn tag_ids(session: &Session, named: &[String], whence: &str) -> Result<Vec<String>, PlaceError> {
    let mut tags = Vec::new();
    for t in named {
        let Some(id) = find_tag(session, t) else {
            return Err(PlaceError::UnknownTag {
                whence: whence.to_owned(),
                tag: t.clone(),
            });
        };
        if !tags.contains(&id) {
            tags.push(id);
        }
    }
    if tags.is_empty() {
        return Err(PlaceError::NoTag {
            whence: whence.to_owned(),
        });
    }
    Ok(tags)
}

/// Where each fragment goes in the article: at its offsets when its quote is there (or it has
/// none), else where re-anchoring finds the quote (then `moved` is true). An error for a quote
/// that is not in the text, or fits more than one place or poorly.
fn spans_in(
    article: &crate::model::Article,
    fragments: &[Fragment],
    whence: &str,
) -> Result<(Vec<Span>, bool), PlaceError> {
    let len = article.char_len();
    let mut spans = Vec::new();
    let mut moved = false;
    for f in fragments {
        let fits = f.span.end <= len && !f.span.is_empty();
        if fits && (f.quote.is_empty() || article.slice(f.span) == f.quote) {
            spans.push(f.span);
            continue;
        }
        let quote: String = f.quote.chars().take(60).collect();
        match anchoring::resolve(article, f) {
            anchoring::Placement::At(span, _) if !f.quote.is_empty() => {
                spans.push(span);
                moved = true;
            }
            anchoring::Placement::Uncertain { candidates, .. } if !f.quote.is_empty() => {
                return Err(PlaceError::Uncertain {
                    whence: whence.to_owned(),
                    quote,
                    start: f.span.start,
                    end: f.span.end,
                    candidates,
                });
            }
            _ => {
                return Err(PlaceError::NotInText {
                    whence: whence.to_owned(),
                    quote,
                    start: f.span.start,
                    end: f.span.end,
                });
            }
        }
    }
    Ok((spans, moved))
}

/// A tag by id, name, full path, or brat type name (non-alphanumerics as `_`).
fn find_tag(session: &Session, wanted: &str) -> Option<String> {
    let codebook = &session.codebook();
    if let Some(t) = codebook.find(wanted) {
        return Some(t.id.clone());
    }
    let wanted_lower = wanted.trim().to_lowercase();
    codebook
        .tags
        .iter()
        .find(|t| {
            codebook.path(&t.id).to_lowercase() == wanted_lower
                || t.name.to_lowercase() == wanted_lower
                || brat_name(&t.name).to_lowercase() == wanted_lower
        })
        .map(|t| t.id.clone())
}

/// A name as brat allows it in a type: letters, digits, `_` and `-`.
pub fn brat_name(name: &str) -> String {
    name.chars()
        .map(|c| {
            if c.is_alphanumeric() || c == '_' || c == '-' {
                c
            } else {
                '_'
            }
        })
        .collect()
}

/// The claim record from the fields of a JSON object (JSON Lines top level, or the W3C
/// export's `claim`). Unknown values are ignored, not guessed.
pub fn record_from_json(v: &Value) -> ClaimRecord {
    let text = |k: &str| v.get(k).and_then(Value::as_str).map(str::to_owned);
    let reliability = text("reliability")
        .and_then(|s| s.chars().next())
        .and_then(Reliability::from_letter);
    let credibility = v
        .get("credibility")
        .and_then(|c| {
            c.as_u64()
                .or_else(|| c.as_str().and_then(|s| s.trim().parse().ok()))
        })
        .and_then(|d| u8::try_from(d).ok())
        .and_then(Credibility::from_digit);
    let links = v
        .get("links")
        .and_then(Value::as_array)
        .map(|links| {
            links
                .iter()
                .filter_map(|l| {
                    Some(Link {
                        kind: LinkKind::parse(l.get("kind")?.as_str()?)?,
                        target: AnnotationId(l.get("target")?.as_str()?.to_owned()),
                        article: l.get("article").and_then(Value::as_str).map(str::to_owned),
                    })
                })
                .collect()
        })
        .unwrap_or_default();
    ClaimRecord {
        attributed_to: text("attributed_to").filter(|s| !s.is_empty()),
        source_span: v.get("source_span").and_then(fragment_from_json),
        via: strings(v.get("via")),
        reliability,
        credibility,
        status: text("status")
            .and_then(|s| Status::parse(&s))
            .unwrap_or_default(),
        confidence: text("confidence").and_then(|s| Confidence::parse(&s)),
        links,
    }
}

/// A fragment from `{start, end, quote, prefix, suffix}`.
pub fn fragment_from_json(v: &Value) -> Option<Fragment> {
    let num = |k: &str| v.get(k).and_then(Value::as_u64).map(|n| n as usize);
    let text = |k: &str| {
        v.get(k)
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_owned()
    };
    Some(Fragment {
        span: Span::between(num("start")?, num("end")?),
        quote: text("quote"),
        prefix: text("prefix"),
        suffix: text("suffix"),
        original_quote: None,
    })
}

/// Strings from a JSON string or array of strings.
pub fn strings(v: Option<&Value>) -> Vec<String> {
    match v {
        Some(Value::String(s)) => vec![s.clone()],
        Some(Value::Array(items)) => items
            .iter()
            .filter_map(Value::as_str)
            .map(str::to_owned)
            .collect(),
        _ => Vec::new(),
    }
}

/// The article a record names, found only inside `base` (the folder of the input file, or
/// the folder given with `--into`), never in the current directory: a relative path below
/// `base`, or an absolute path or `file:` URL that lies in it; else a file of the same name in
/// `base` (an export moved together with its articles). Absolute paths, `..` and URLs that
/// lead outside are refused with a message, so an input file can never make Claimmark write
/// a sidecar elsewhere.
pub fn resolve_article(named: &Path, base: &Path) -> Result<PathBuf, PlaceError> {
    use std::path::Component;
    let shown = named.display().to_string();
    let by_name = || {
        let name = named.file_name()?;
        let candidate = base.join(name);
        candidate.is_file().then_some(candidate)
    };
    let outside = |why: Outside| PlaceError::ArticleOutside {
        named: shown.clone(),
        why,
        base: base.to_owned(),
    };
    if shown.contains("://")
        || named
            .components()
            .any(|c| matches!(c, Component::Prefix(_)))
    {
        return by_name().ok_or_else(|| outside(Outside::WebAddress));
    }
    let inside = |candidate: &Path| -> Option<PathBuf> {
        let real = std::fs::canonicalize(candidate).ok()?;
        let root = std::fs::canonicalize(base).ok()?;
        (real.starts_with(&root) && real.is_file()).then(|| candidate.to_owned())
    };
    if named.is_absolute() {
        return inside(named)
            .or_else(by_name)
            .ok_or_else(|| outside(Outside::Absolute));
    }
    if named
        .components()
        .any(|c| matches!(c, Component::ParentDir | Component::RootDir))
    {
        return by_name().ok_or_else(|| outside(Outside::LeadsOutside));
    }
    inside(&base.join(named))
        .or_else(by_name)
        .ok_or_else(|| outside(Outside::Missing))
}

/// Reads an input file as UTF-8 text, with a message naming it.
pub fn read_text(input: &Path) -> Result<String, InputError> {
    let bytes = std::fs::read(input).map_err(|source| InputError::Io {
        path: input.to_owned(),
        source,
    })?;
    let text = String::from_utf8(bytes).map_err(|_| InputError::NotUtf8 {
        path: input.to_owned(),
    })?;
    Ok(text.trim_start_matches('\u{feff}').to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn articles_outside_the_folder_are_refused_by_kind() {
        let dir = tempfile::tempdir().expect("tempdir");
        let base = dir.path().join("in");
        std::fs::create_dir(&base).expect("mkdir");
        std::fs::write(base.join("a.txt"), "text").expect("write");
        assert_eq!(
            resolve_article(Path::new("a.txt"), &base).expect("inside"),
            base.join("a.txt")
        );
        let cases = [
            ("https://example.com/b.txt", Outside::WebAddress),
            ("../b.txt", Outside::LeadsOutside),
            ("b.txt", Outside::Missing),
        ];
        for (named, expected) in cases {
            let err = resolve_article(Path::new(named), &base).expect_err("refused");
            assert!(
                matches!(err, PlaceError::ArticleOutside { why, .. } if why == expected),
                "{named}: {err:?}"
            );
            assert!(err.to_string().contains("not imported"), "{err}");
        }
        let outside = dir.path().join("b.txt");
        std::fs::write(&outside, "text").expect("write");
        let err = resolve_article(&outside, &base).expect_err("refused");
        assert!(
            matches!(
                err,
                PlaceError::ArticleOutside {
                    why: Outside::Absolute,
                    ..
                }
            ),
            "{err:?}"
        );
    }

    #[test]
    fn unreadable_inputs_name_the_file_and_the_line() {
        let dir = tempfile::tempdir().expect("tempdir");
        let jsonl = dir.path().join("claims.jsonl");
        std::fs::write(&jsonl, "{\"article\": \"a.txt\", \"tags\": [\"claim\"]}\n").expect("write");
        let err = read(Format::Jsonl, &jsonl).expect_err("no span");
        assert!(matches!(err, InputError::NoFragments { .. }), "{err:?}");
        assert!(
            err.to_string()
                .ends_with("claims.jsonl line 1: no `fragments` nor `start`/`end`")
        );
        std::fs::write(&jsonl, "not json\n").expect("write");
        let err = read(Format::Jsonl, &jsonl).expect_err("not json");
        assert!(matches!(err, InputError::NotJson { .. }), "{err:?}");
        let ann = dir.path().join("a.ann");
        std::fs::write(&ann, "T1\tClaim 3 x\tword\n").expect("write");
        let err = read(Format::Brat, &ann).expect_err("bad offsets");
        assert!(
            matches!(&err, InputError::BadOffsets { piece, .. } if piece == "3 x"),
            "{err:?}"
        );
        std::fs::write(&ann, b"T1\t\xff\n").expect("write");
        let err = read(Format::Brat, &ann).expect_err("not utf-8");
        assert!(matches!(err, InputError::NotUtf8 { .. }), "{err:?}");
        let err = read(Format::W3c, &dir.path().join("missing.json")).expect_err("missing");
        assert!(matches!(err, InputError::Io { .. }), "{err:?}");
    }
}
