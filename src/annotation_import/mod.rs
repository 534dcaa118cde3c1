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
pub mod taguette;
pub mod w3c;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::rc::Rc;

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
    /// Taguette's CSV exports: highlights (`id, document, tag, content`) or the codebook
    /// (`tag, description, …`).
    Taguette,
    /// REFI-QDA: a `.qdpx` project or a `.qdc` codebook. It creates articles and tags, so it
    /// is imported into a folder with [`refi::import`], not through [`read`] and [`apply`].
    Refi,
}

impl Format {
    pub const ALL: [Format; 5] = [
        Format::Jsonl,
        Format::W3c,
        Format::Brat,
        Format::Taguette,
        Format::Refi,
    ];

    pub fn label(self) -> &'static str {
        match self {
            Format::Jsonl => "JSON Lines (Claimmark)",
            Format::W3c => "W3C Web Annotation or Hypothesis (.json)",
            Format::Brat => "brat standoff (.ann)",
            Format::Taguette => "Taguette highlights or codebook (.csv)",
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
        } else if name.ends_with(".csv") {
            Some(Format::Taguette)
        } else if name.ends_with(".qdpx") || name.ends_with(".qdc") || name.ends_with(".qde") {
            Some(Format::Refi)
        } else {
            None
        }
    }
}

/// What the caller asks of an import beyond placing what fits.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Options {
    /// Tags the folder's codebook lacks are added to it (with the hierarchy their path or
    /// brat's `annotation.conf` gives) instead of being refused.
    pub create_tags: bool,
    /// The tag given to records that have none (comments, plain highlights).
    pub tag: Option<String>,
}

/// What the readers made of their input files: the annotations to place, the records they
/// refused (each naming the file and the record), and what they know of tags.
#[derive(Debug, Default)]
pub struct Batch {
    pub items: Vec<Incoming>,
    /// Records that could not be read, with the reason; the others are still placed.
    pub refused: Vec<InputError>,
    /// Where a tag the input names sits in its own hierarchy (brat's `annotation.conf`:
    /// `Statistic` -> `["Claim", "Statistic"]`), for `--create-tags`.
    pub tag_paths: BTreeMap<String, Vec<String>>,
    /// Tags an input defines (a codebook file), with their description, for the codebook of
    /// the folder they are imported into (the input's, or `--into`).
    pub codebook: Vec<DefinedTag>,
}

/// A tag an input file defines.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DefinedTag {
    /// The folder whose codebook receives it (the input's folder).
    pub base: PathBuf,
    /// Its path of names, parents first.
    pub path: Vec<String>,
    pub description: String,
}

impl Batch {
    /// Adds another input file's batch to this one.
    pub fn extend(&mut self, other: Batch) {
        self.items.extend(other.items);
        self.refused.extend(other.refused);
        self.tag_paths.extend(other.tag_paths);
        self.codebook.extend(other.codebook);
    }
}

/// One annotation read from an input file, before it is placed.
#[derive(Clone, Debug, Default)]
pub struct Incoming {
    /// The article it belongs to, as the input names it (see [`resolve_article`]).
    pub article: PathBuf,
    /// Other names the input gives the same article (a Hypothesis annotation's document
    /// links: the PDF's file, the page's other addresses), tried in order when `article` is
    /// not found.
    pub also: Vec<PathBuf>,
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
    /// Tags added to folders' codebooks (`--create-tags`, or a codebook input).
    pub tags_created: usize,
    /// What could not be read or placed, one line each, naming the input and the record.
    pub problems: Vec<String>,
    /// What was placed without all it said (a tag the codebook lacks, a brat line kind
    /// Claimmark has no place for), one line each.
    pub partial: Vec<String>,
}

impl Report {
    /// Whether anything the inputs held did not come in whole: the exit status of the CLI.
    pub fn incomplete(&self) -> bool {
        !self.problems.is_empty() || !self.partial.is_empty()
    }
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
    #[error("{origin}: no `fragments`, `start`/`end` nor `quote`")]
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
    /// A file that parsed but held nothing to import: never a silent "0 imported".
    #[error("{}: no annotations found in it (is it {}?)", path.display(), format.label())]
    NoAnnotations { path: PathBuf, format: Format },
    /// A record of a kind Claimmark has no place for (a reply, a page note, a brat
    /// equivalence…): `what` says which and why.
    #[error("{origin}: {what}; not imported")]
    NotImported { origin: String, what: String },
    /// A CSV whose header is not one the format knows.
    #[error("{}: the columns `{header}` are not Taguette's highlights (id, document, tag, content) nor its codebook (tag, description, …)", path.display())]
    UnknownColumns { path: PathBuf, header: String },
    #[error("{origin}: not CSV: {source}")]
    NotCsv { origin: String, source: csv::Error },
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
    #[error(
        "{whence}: tag `{tag}` is not in the folder's codebook (add it in Codebook…, or import with --create-tags)"
    )]
    UnknownTag { whence: String, tag: String },
    #[error("{whence}: no tag (a comment or a plain highlight); give one with --tag NAME")]
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

/// Reads one input file: what it holds, with the records that could not be read listed (a
/// file that cannot be read at all, or holds nothing, is an error).
pub fn read(format: Format, input: &Path) -> Result<Batch, InputError> {
    let batch = match format {
        Format::Jsonl => jsonl::read(input),
        Format::W3c => w3c::read(input),
        Format::Brat => brat::read(input),
        Format::Taguette => taguette::read(input),
        Format::Refi => Err(InputError::IntoFolder {
            path: input.to_owned(),
        }),
    }?;
    if batch.items.is_empty() && batch.refused.is_empty() && batch.codebook.is_empty() {
        return Err(InputError::NoAnnotations {
            path: input.to_owned(),
            format,
        });
    }
    Ok(batch)
}

/// Places annotations into their articles' sidecars, one article at a time; `into` is one
/// article that takes them all, or a folder the articles are looked for in instead of the
/// input's; `progress(done, total)` after each article. Every record that can be placed is;
/// each one that cannot is listed in the report.
pub fn apply(
    batch: Batch,
    into: Option<&Path>,
    options: &Options,
    progress: &mut dyn FnMut(usize, usize),
) -> Report {
    let mut by_article: BTreeMap<PathBuf, Vec<Incoming>> = BTreeMap::new();
    let mut report = Report {
        problems: batch.refused.iter().map(ToString::to_string).collect(),
        ..Report::default()
    };
    let into_folder = into.filter(|p| p.is_dir());
    let mut pages = Pages::default();
    // An input names the same article many times (every Hypothesis annotation of a page).
    let mut resolved: std::collections::HashMap<
        (PathBuf, PathBuf),
        Result<PathBuf, Rc<PlaceError>>,
    > = std::collections::HashMap::new();
    for mut item in batch.items {
        if item.tags.is_empty()
            && let Some(tag) = &options.tag
        {
            item.tags.push(tag.clone());
        }
        let base = into_folder.unwrap_or(&item.base).to_owned();
        let article = match into {
            Some(article) if into_folder.is_none() => Ok(article.to_owned()),
            _ => {
                let mut found = resolved
                    .entry((item.article.clone(), base.clone()))
                    .or_insert_with(|| {
                        resolve_in(&item.article, &base, &mut pages).map_err(Rc::new)
                    })
                    .clone();
                for other in &item.also {
                    if found.is_ok() {
                        break;
                    }
                    if let Ok(path) = resolved
                        .entry((other.clone(), base.clone()))
                        .or_insert_with(|| resolve_in(other, &base, &mut pages).map_err(Rc::new))
                    {
                        found = Ok(path.clone());
                    }
                }
                found
            }
        };
        match article {
            Ok(article) => by_article.entry(article).or_default().push(item),
            Err(e) => report.problems.push(format!("{}: {e}", item.origin)),
        }
    }
    let tags = Tags {
        paths: batch.tag_paths,
    };
    add_tags(
        &batch.codebook,
        into_folder,
        &by_article,
        &tags,
        options,
        &mut report,
    );
    let total = by_article.len();
    for (i, (article, items)) in by_article.into_iter().enumerate() {
        place_all(&article, items, &tags, &mut report);
        progress(i + 1, total);
    }
    report
}

/// What the inputs say of their tags, for finding them in a codebook.
struct Tags {
    /// brat's hierarchy from `annotation.conf`.
    paths: BTreeMap<String, Vec<String>>,
}

impl Tags {
    /// The path of names a tag stands for: its `annotation.conf` place, else its own name
    /// split at `/`, `>` or `.` ([`path_names`]).
    fn names<'a>(&'a self, tag: &'a str) -> Vec<&'a str> {
        match self.paths.get(tag) {
            Some(path) => path.iter().map(String::as_str).collect(),
            None => path_names(tag),
        }
    }
}

/// A tag path as other tools write it: `Claim/Statistic`, `Claim > Statistic` or Taguette's
/// `Claim.Statistic`, as its names. A `.` splits only between two non-empty names without
/// spaces around it, so `U.S. claims` or `Dr. No` stay one name.
pub fn path_names(tag: &str) -> Vec<&str> {
    let parts: Vec<&str> = tag
        .split(['/', '>'])
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .collect();
    if parts.len() > 1 {
        return parts;
    }
    let dotted: Vec<&str> = tag.trim().split('.').collect();
    let clean = dotted.len() > 1
        && dotted
            .iter()
            .all(|p| !p.is_empty() && p.trim() == *p && p.chars().count() > 1);
    if clean { dotted } else { parts }
}

/// Adds to folders' codebooks the tags a codebook input defines, and (with `--create-tags`)
/// the tags incoming annotations name that the codebook of their article's folder lacks.
fn add_tags(
    defined: &[DefinedTag],
    into: Option<&Path>,
    by_article: &BTreeMap<PathBuf, Vec<Incoming>>,
    tags: &Tags,
    options: &Options,
    report: &mut Report,
) {
    let mut wanted: BTreeMap<PathBuf, Vec<Wanted>> = BTreeMap::new();
    for d in defined {
        let folder = into.unwrap_or(&d.base).to_owned();
        wanted.entry(folder).or_default().push(Wanted {
            named: d.path.join("/"),
            path: d.path.clone(),
            description: d.description.clone(),
        });
    }
    if options.create_tags {
        for (article, items) in by_article {
            let folder = crate::storage::atomic::folder_of(article).to_owned();
            let list = wanted.entry(folder).or_default();
            for tag in items.iter().flat_map(|i| &i.tags) {
                if !list.iter().any(|w| w.named == *tag) {
                    list.push(Wanted {
                        named: tag.clone(),
                        path: tags.names(tag).into_iter().map(str::to_owned).collect(),
                        description: String::new(),
                    });
                }
            }
        }
    }
    for (folder, list) in wanted {
        if let Err(e) = add_to_codebook(&folder, &list, tags, report) {
            report.problems.push(e.to_string());
        }
    }
}

/// A tag to add unless the codebook finds it.
struct Wanted {
    /// As the input names it (what placing will look for).
    named: String,
    /// Its path of names, parents first.
    path: Vec<String>,
    description: String,
}

/// Adds the tags of `list` that the folder's codebook cannot find, and saves it if any.
fn add_to_codebook(
    folder: &Path,
    list: &[Wanted],
    tags: &Tags,
    report: &mut Report,
) -> Result<(), crate::storage::codebook::CodebookError> {
    use crate::storage::codebook;
    let mut book = codebook::load_for_folder(folder)?;
    let mut added = 0;
    for w in list {
        if find_in(&book, &w.named, tags).is_some() {
            continue;
        }
        let names: Vec<&str> = w.path.iter().map(String::as_str).collect();
        if let Some((_, n)) = book.ensure_path(&names, None, &w.description) {
            added += n;
        }
    }
    if added > 0 {
        codebook::save_for_folder(folder, &book)?;
        report.tags_created += added;
    }
    Ok(())
}

fn place_all(article: &Path, items: Vec<Incoming>, tags: &Tags, report: &mut Report) {
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
        match place(&mut session, item, tags, &mut seen, &mut report.partial) {
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

fn place(
    session: &mut Session,
    item: Incoming,
    named: &Tags,
    seen: &mut Seen,
    partial: &mut Vec<String>,
) -> Result<Placed, PlaceError> {
    let whence = format!("{} (for {})", item.origin, session.path().display());
    if let Some(id) = &item.id
        && seen.ids.contains(id)
    {
        return Ok(Placed::Existing);
    }
    let (tags, unknown) = tag_ids(session.codebook(), &item.tags, named, &whence)?;
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
        .map_err(|source| PlaceError::Rejected {
            whence: whence.clone(),
            source,
        })?;
    if !unknown.is_empty() {
        partial.push(format!(
            "{whence}: placed without the tag(s) {}, which the folder's codebook lacks (import with --create-tags to add them)",
            unknown
                .iter()
                .map(|t| format!("`{t}`"))
                .collect::<Vec<_>>()
                .join(", ")
        ));
    }
    seen.ids.insert(id);
    seen.claims.insert(key);
    Ok(Placed::Added { moved })
}

/// The codebook's ids of the tags an annotation names, each once, and the names the codebook
/// does not have. An error when it has none of them (or the annotation names no tag): a
/// claim is placed with the tags that are known, and the rest reported.
fn tag_ids(
    codebook: &crate::model::Codebook,
    named: &[String],
    tags: &Tags,
    whence: &str,
) -> Result<(Vec<String>, Vec<String>), PlaceError> {
    let mut ids = Vec::new();
    let mut unknown = Vec::new();
    for t in named {
        match find_in(codebook, t, tags) {
            Some(id) if !ids.contains(&id) => ids.push(id),
            Some(_) => {}
            None => unknown.push(t.clone()),
        }
    }
    if ids.is_empty() {
        return Err(match unknown.into_iter().next() {
            Some(tag) => PlaceError::UnknownTag {
                whence: whence.to_owned(),
                tag,
            },
            None => PlaceError::NoTag {
                whence: whence.to_owned(),
            },
        });
    }
    Ok((ids, unknown))
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

/// A tag by id, the type our brat export gives it (`Claim_Other` when two tags are named
/// Other), name, full path (`Claim/Statistic`, `Claim > Statistic`, `Claim.Statistic`), its
/// place in the input's own hierarchy, or brat type name (non-alphanumerics as `_`).
fn find_in(codebook: &crate::model::Codebook, wanted: &str, tags: &Tags) -> Option<String> {
    // The input's own hierarchy first (brat's annotation.conf), then the name as it is.
    let names = tags.names(wanted);
    if tags.paths.contains_key(wanted)
        && let Some(t) = codebook.find_path(&names)
    {
        return Some(t.id.clone());
    }
    if let Some(t) = codebook.tag(wanted) {
        return Some(t.id.clone());
    }
    if let Some(id) = crate::export::brat::tag_of_type(codebook, wanted) {
        return Some(id);
    }
    if let Some(t) = codebook.find(wanted) {
        return Some(t.id.clone());
    }
    if names.len() > 1
        && let Some(t) = codebook.find_path(&names)
    {
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
/// export's `claim`): `reliability` and `credibility`, else `grade`. Unknown values are
/// ignored, not guessed.
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
    // A `grade` alone ("B2") stands for both parts; `null` (ungraded) or anything that is not
    // a grade gives none.
    let (reliability, credibility) = match (reliability, credibility) {
        (None, None) => text("grade")
            .and_then(|g| crate::model::claim::parse_grade(&g).ok())
            .unwrap_or_default(),
        both => both,
    };
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
    resolve_in(named, base, &mut Pages::default())
}

/// [`resolve_article`], with the folders' saved pages read once for every web address.
fn resolve_in(named: &Path, base: &Path, pages: &mut Pages) -> Result<PathBuf, PlaceError> {
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
        return by_name()
            .or_else(|| pages.find(&shown, base))
            .ok_or_else(|| outside(Outside::WebAddress));
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

/// The saved pages of folders with the addresses they were saved from (canonical link,
/// `og:url`), each folder read once.
#[derive(Default)]
struct Pages(std::collections::HashMap<PathBuf, Vec<(String, PathBuf)>>);

impl Pages {
    /// The article in `base` (not its subfolders) that was saved from the web address `url`,
    /// ignoring a `#fragment`, a trailing `/` and `http` against `https`. Pages only: other
    /// files carry no address.
    fn find(&mut self, url: &str, base: &Path) -> Option<PathBuf> {
        let wanted = url_key(url);
        let pages = self.0.entry(base.to_owned()).or_insert_with(|| {
            let files = crate::import::list_folder(base).unwrap_or_default();
            files
                .into_iter()
                .filter(|path| {
                    path.extension().and_then(|e| e.to_str()).is_some_and(|e| {
                        ["html", "htm", "xhtml", "mhtml", "mht"]
                            .contains(&e.to_lowercase().as_str())
                    })
                })
                .filter_map(|path| {
                    let url = crate::import::read_article(&path).ok()?.meta.url?;
                    Some((url_key(&url), path))
                })
                .collect()
        });
        pages
            .iter()
            .find(|(key, _)| *key == wanted)
            .map(|(_, path)| path.clone())
    }
}

/// A web address as pages are matched by it.
fn url_key(u: &str) -> String {
    let u = u.split('#').next().unwrap_or(u).trim_end_matches('/');
    u.strip_prefix("https://")
        .or_else(|| u.strip_prefix("http://"))
        .unwrap_or(u)
        .to_owned()
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
    fn unreadable_records_are_listed_and_the_others_read() {
        let dir = tempfile::tempdir().expect("tempdir");
        let jsonl = dir.path().join("claims.jsonl");
        std::fs::write(
            &jsonl,
            concat!(
                "{\"article\": \"a.txt\", \"tags\": [\"claim\"]}\n",
                "not json\n",
                "{\"article\": \"a.txt\", \"tags\": [\"claim\"], \"quote\": \"words\"}\n",
            ),
        )
        .expect("write");
        let batch = read(Format::Jsonl, &jsonl).expect("a batch");
        assert_eq!(batch.items.len(), 1, "the quote-only line is read");
        assert_eq!(batch.items[0].fragments[0].quote, "words");
        assert!(
            matches!(batch.refused[0], InputError::NoFragments { .. }),
            "{:?}",
            batch.refused
        );
        assert!(
            batch.refused[0]
                .to_string()
                .ends_with("claims.jsonl line 1: no `fragments`, `start`/`end` nor `quote`")
        );
        assert!(
            matches!(batch.refused[1], InputError::NotJson { .. }),
            "{:?}",
            batch.refused
        );
        let ann = dir.path().join("a.ann");
        std::fs::write(&ann, "T1\tClaim 3 x\tword\n").expect("write");
        let batch = read(Format::Brat, &ann).expect("a batch");
        assert!(
            matches!(&batch.refused[0], InputError::BadOffsets { piece, .. } if piece == "3 x"),
            "{:?}",
            batch.refused
        );
        std::fs::write(&ann, b"T1\t\xff\n").expect("write");
        let err = read(Format::Brat, &ann).expect_err("not utf-8");
        assert!(matches!(err, InputError::NotUtf8 { .. }), "{err:?}");
        let err = read(Format::W3c, &dir.path().join("missing.json")).expect_err("missing");
        assert!(matches!(err, InputError::Io { .. }), "{err:?}");
        let empty = dir.path().join("empty.json");
        std::fs::write(&empty, "{\"rows\": [], \"total\": 0}").expect("write");
        let err = read(Format::W3c, &empty).expect_err("nothing in it");
        assert!(matches!(err, InputError::NoAnnotations { .. }), "{err:?}");
    }

    #[test]
    fn tag_paths_split_where_other_tools_nest() {
        assert_eq!(path_names("Claim/Statistic"), ["Claim", "Statistic"]);
        assert_eq!(path_names("Claim > Statistic"), ["Claim", "Statistic"]);
        assert_eq!(path_names("Claim.Statistic"), ["Claim", "Statistic"]);
        assert_eq!(path_names("U.S. claims"), ["U.S. claims"]);
        assert_eq!(path_names("Dr. No"), ["Dr. No"]);
        assert_eq!(path_names("v1.2"), ["v1.2"]);
        assert_eq!(path_names(" Claim "), ["Claim"]);
    }
}
