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
pub mod w3c;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::anchoring;
use crate::model::{
    Annotation, AnnotationId, ClaimRecord, Confidence, Credibility, Edit, Fragment, Link, LinkKind,
    Reliability, Span, Status,
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
}

impl Format {
    pub const ALL: [Format; 3] = [Format::Jsonl, Format::W3c, Format::Brat];

    pub fn label(self) -> &'static str {
        match self {
            Format::Jsonl => "JSON Lines (Claimmark)",
            Format::W3c => "W3C Web Annotation",
            Format::Brat => "brat standoff (.ann)",
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
        } else {
            None
        }
    }
}

/// One annotation read from an input file, before it is placed.
#[derive(Clone, Debug, Default)]
pub struct Incoming {
    /// The article it belongs to.
    pub article: PathBuf,
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

/// Reads one input file.
pub fn read(format: Format, input: &Path) -> Result<Vec<Incoming>, String> {
    match format {
        Format::Jsonl => jsonl::read(input),
        Format::W3c => w3c::read(input),
        Format::Brat => brat::read(input),
    }
}

/// Places annotations into their articles' sidecars (or all into `into`), one article at a
/// time; `progress(done, total)` after each article.
pub fn apply(
    items: Vec<Incoming>,
    into: Option<&Path>,
    progress: &mut dyn FnMut(usize, usize),
) -> Report {
    let mut by_article: BTreeMap<PathBuf, Vec<Incoming>> = BTreeMap::new();
    for item in items {
        let article = into.map_or_else(|| item.article.clone(), Path::to_owned);
        by_article.entry(article).or_default().push(item);
    }
    let mut report = Report::default();
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
    if let Some(reason) = &session.read_only {
        report.problems.push(format!(
            "{} annotation(s) not imported: {reason}",
            items.len()
        ));
        return;
    }
    let before = report.added;
    for item in items {
        match place(&mut session, item) {
            Ok(Placed::Added { moved }) => {
                report.added += 1;
                report.moved += usize::from(moved);
            }
            Ok(Placed::Existing) => report.existing += 1,
            Err(problem) => report.problems.push(problem),
        }
    }
    if report.added > before {
        match session.save() {
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

fn place(session: &mut Session, item: Incoming) -> Result<Placed, String> {
    let whence = format!("{} (for {})", item.origin, session.path.display());
    if let Some(id) = &item.id
        && session.annotations.get(&AnnotationId(id.clone())).is_some()
    {
        return Ok(Placed::Existing);
    }
    let mut tags = Vec::new();
    for t in &item.tags {
        let Some(id) = find_tag(session, t) else {
            return Err(format!(
                "{whence}: tag `{t}` is not in the folder's codebook (add it in Codebook…)"
            ));
        };
        if !tags.contains(&id) {
            tags.push(id);
        }
    }
    if tags.is_empty() {
        return Err(format!("{whence}: no tag"));
    }
    if item.fragments.is_empty() {
        return Err(format!("{whence}: no text span"));
    }
    let article = &session.article;
    let len = article.char_len();
    let mut spans = Vec::new();
    let mut moved = false;
    for f in &item.fragments {
        let fits = f.span.end <= len && !f.span.is_empty();
        if fits && (f.quote.is_empty() || article.slice(f.span) == f.quote) {
            spans.push(f.span);
            continue;
        }
        match anchoring::resolve(article, f).filter(|_| !f.quote.is_empty()) {
            Some((span, _)) => {
                spans.push(span);
                moved = true;
            }
            None => {
                let quote: String = f.quote.chars().take(60).collect();
                return Err(format!(
                    "{whence}: \"{quote}\" ({}–{}) is not in the text",
                    f.span.start, f.span.end
                ));
            }
        }
    }
    let mut sorted = spans.clone();
    sorted.sort();
    let mut tag_set = tags.clone();
    tag_set.sort();
    let duplicate = session.annotations.iter().any(|a| {
        let mut t = a.tags.clone();
        t.sort();
        let s: Vec<Span> = a.fragments.iter().map(|f| f.span).collect();
        let (r, mine) = (&a.record, &item.record);
        // The same claim: same words, tags, note and record (links aside: a format may
        // carry them differently).
        t == tag_set
            && s == sorted
            && a.note == item.note
            && (
                r.attributed_to.as_ref(),
                &r.via,
                r.reliability,
                r.credibility,
            ) == (
                mine.attributed_to.as_ref(),
                &mine.via,
                mine.reliability,
                mine.credibility,
            )
            && (r.status, r.confidence) == (mine.status, mine.confidence)
    });
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
    anchoring::set_fragments(&session.article, &mut ann, spans);
    if let Some(source) = &mut ann.record.source_span {
        match anchoring::resolve(&session.article, source) {
            Some((span, _)) => *source = anchoring::capture(&session.article, span),
            None => ann.record.source_span = None,
        }
    }
    session
        .apply(Edit::Add(ann))
        .map_err(|e| format!("{whence}: {e}"))?;
    Ok(Placed::Added { moved })
}

/// A tag by id, name, full path, or brat type name (non-alphanumerics as `_`).
fn find_tag(session: &Session, wanted: &str) -> Option<String> {
    let codebook = &session.codebook;
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

/// Finds the article an input names: the path itself, else relative to the input's folder,
/// else a file of that name in the input's folder.
pub fn locate(named: &Path, input: &Path) -> PathBuf {
    if named.exists() {
        return named.to_owned();
    }
    let folder = input.parent().unwrap_or(Path::new("."));
    if named.is_relative() && folder.join(named).exists() {
        return folder.join(named);
    }
    if let Some(name) = named.file_name()
        && folder.join(name).exists()
    {
        return folder.join(name);
    }
    named.to_owned()
}

/// Reads an input file as UTF-8 text, with a message naming it.
pub fn read_text(input: &Path) -> Result<String, String> {
    let bytes =
        std::fs::read(input).map_err(|e| format!("cannot read {}: {e}", input.display()))?;
    let text =
        String::from_utf8(bytes).map_err(|_| format!("{} is not UTF-8 text", input.display()))?;
    Ok(text.trim_start_matches('\u{feff}').to_owned())
}
