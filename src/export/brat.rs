//! brat standoff: a folder that brat (<https://brat.nlplab.org>) opens as a collection.
//!
//! For each article the folder gets `NAME.txt` and `NAME.ann`; `finish` adds
//! one `annotation.conf`. `NAME` is the article's file stem (`report.txt` → `report`), made
//! unique within the export (`report-2`, compared ignoring case).
//!
//! - `NAME.txt` is the article's canonical text exactly: UTF-8, no byte-order mark, `\n` line
//!   ends. Offsets in `NAME.ann` are Unicode code points into it, end exclusive, as brat
//!   (Python string indices) counts them.
//! - One text-bound line per annotation and tag, `T3<TAB>Claim 10 25;31 40<TAB>TEXT`. The
//!   fragments are written in text order; fragments that touch or overlap are merged, and each
//!   is split at `\n` (brat's spans do not cross line breaks), dropping pieces that are empty
//!   or only whitespace. `TEXT` is the pieces' text joined by one space, which is what brat's
//!   reader rebuilds and checks. The type is the tag's name reduced to what brat allows
//!   (ASCII letters, digits, `_`, `-`; anything else becomes `_`), unique per tag id across
//!   the export, ignoring case (our import matches types without regard to case). Tags whose
//!   names clash (two `Other` tags under different parents) are qualified by their parents,
//!   the nearest first, until they differ: `Claim_Other`, `Evidence_Other`. A top-level tag
//!   whose name is still taken (by another tag, or by a relation or attribute name below)
//!   takes `-2`, `-3` …. Our brat import names the tags the same way from the folder's
//!   codebook ([`tag_of_type`]), so every type comes back to its tag.
//! - On every `T` of an annotation, attributes for what is set: `Reliability` (`A`–`F`),
//!   `Credibility` (`1`–`6`), `Status` (`corroborated`, `disputed`, `refuted`; the default
//!   `unverified` is not written: no `Status` means unverified) and `Confidence` (`low`,
//!   `moderate`, `high`).
//! - On every `T` of an annotation with an attribution or a note, one
//!   `#4<TAB>AnnotatorNotes T3<TAB>…` line. brat notes are one line: line breaks become
//!   spaces and the text is trimmed. The attribution comes first as
//!   `[source: NAME; via: OUTLET > OUTLET]` (either part may be absent; the outlets run from
//!   the source outward), then a space and the note. Inside the brackets `\`, `[`, `]`, `;`
//!   and `>` are escaped with a backslash. A note without attribution that itself starts with
//!   `[` is written as `\[…`, so a line starts with an unescaped `[` exactly when it carries
//!   an attribution.
//! - Links between exported annotations of the same article become relations from the first
//!   `T` of each: `R1<TAB>Same_claim_as Arg1:T3 Arg2:T7` (`Supports`, `Contradicts`,
//!   `Same_claim_as`, `Elaborates`).
//!
//! What brat cannot hold is counted and reported through [`Exporter::notes`]: links to
//! annotations in other articles (brat relations stay within one document), links to
//! annotations of the same article that are not exported, orphaned annotations (their words
//! are no longer in the text, so they have no offsets) and annotations that cover only line
//! breaks or spaces.
//!
//! `annotation.conf` declares every tag of the exported articles' codebooks (the union by tag
//! id; children indented with a tab under their parent, brat's hierarchy syntax) plus tag ids
//! used by annotations but missing from their codebook; the four relations between any
//! entities; `<OVERLAP>` with `<OVL-TYPE>:<ANY>`, because claims may nest, cross and share
//! their spans; no events; and the four attributes with their values. Tags whose names had to
//! change are listed in comments at its top.
//!
//! Streaming: only the current article is in memory, plus the tag union and a few counters.

use std::collections::{HashMap, HashSet};
use std::fmt::Write as _;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use super::Exporter;
use crate::model::{
    Annotation, AnnotationId, Article, Codebook, Confidence, Credibility, LinkKind, Reliability,
    Span, Status, TagId,
};
use crate::session::Session;

/// The relation type of each link kind.
fn relation_type(kind: LinkKind) -> &'static str {
    match kind {
        LinkKind::Supports => "Supports",
        LinkKind::Contradicts => "Contradicts",
        LinkKind::SameClaimAs => "Same_claim_as",
        LinkKind::Elaborates => "Elaborates",
    }
}

/// Attribute type names; entity types never take these (nor the relation names).
const RELIABILITY: &str = "Reliability";
const CREDIBILITY: &str = "Credibility";
const STATUS: &str = "Status";
const CONFIDENCE: &str = "Confidence";

/// One entity type of `annotation.conf`.
#[derive(Debug)]
struct EntityType {
    tag: TagId,
    /// The brat type name (storage form).
    name: String,
    parent: Option<TagId>,
}

/// Writes `NAME.txt` + `NAME.ann` per article into a folder, and `annotation.conf` at the end.
pub struct BratExport {
    dir: PathBuf,
    /// Document names used so far, lowercased (two articles never share files, even on a
    /// case-insensitive file system).
    names: HashSet<String>,
    /// The type of every tag seen.
    types: TypeNames,
    /// The codebook's name and colour of each type (by index into `types`), for visual.conf.
    looks: HashMap<usize, (String, String)>,
    links_to_other_articles: usize,
    links_to_unexported: usize,
    orphaned: usize,
    blank: usize,
}

impl BratExport {
    pub fn new(dir: &Path) -> io::Result<Self> {
        // A new folder: never one (or a link) already at that name.
        std::fs::create_dir(dir)?;
        Ok(Self {
            dir: dir.to_owned(),
            names: HashSet::new(),
            types: TypeNames::new(),
            looks: HashMap::new(),
            links_to_other_articles: 0,
            links_to_unexported: 0,
            orphaned: 0,
            blank: 0,
        })
    }

    /// A document name not used yet in this export.
    fn document_name(&mut self, session: &Session) -> String {
        let stem = session
            .path()
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .filter(|s| !s.is_empty())
            .unwrap_or_else(|| "article".into());
        let mut name = stem.clone();
        let mut n = 2;
        while self.names.contains(&name.to_lowercase()) {
            name = format!("{stem}-{n}");
            n += 1;
        }
        self.names.insert(name.to_lowercase());
        name
    }

    /// The `.ann` text of one article.
    fn ann_text(&mut self, session: &Session, annotations: &[&Annotation]) -> String {
        let mut out = String::new();
        let (mut t, mut a, mut c) = (0usize, 0usize, 0usize);
        let mut first_t: HashMap<&AnnotationId, usize> = HashMap::new();
        for ann in annotations {
            if ann.anchor.orphaned {
                self.orphaned += 1;
                continue;
            }
            let pieces = pieces(session.article(), ann);
            if pieces.is_empty() {
                self.blank += 1;
                continue;
            }
            let offsets = pieces
                .iter()
                .map(|s| format!("{} {}", s.start, s.end))
                .collect::<Vec<_>>()
                .join(";");
            let text = pieces
                .iter()
                .map(|s| session.article().slice(*s))
                .collect::<Vec<_>>()
                .join(" ");
            let attributes = attributes(ann);
            let note = note_line(ann);
            for tag in &ann.tags {
                let i = self.types.add_tag(tag);
                let ty = &self.types.types[i].name;
                t += 1;
                first_t.entry(&ann.id).or_insert(t);
                let _ = writeln!(out, "T{t}\t{ty} {offsets}\t{text}");
                for (name, value) in &attributes {
                    a += 1;
                    let _ = writeln!(out, "A{a}\t{name} T{t} {value}");
                }
                if let Some(note) = &note {
                    c += 1;
                    let _ = writeln!(out, "#{c}\tAnnotatorNotes T{t}\t{note}");
                }
            }
        }
        let mut r = 0usize;
        for ann in annotations {
            let Some(from) = first_t.get(&ann.id) else {
                continue;
            };
            for link in &ann.record.links {
                if let Some(to) = first_t.get(&link.target) {
                    r += 1;
                    let _ = writeln!(
                        out,
                        "R{r}\t{} Arg1:T{from} Arg2:T{to}",
                        relation_type(link.kind)
                    );
                } else if session.annotations().get(&link.target).is_some() {
                    self.links_to_unexported += 1;
                } else {
                    self.links_to_other_articles += 1;
                }
            }
        }
        out
    }

    /// The text of `annotation.conf`.
    fn config(&self) -> String {
        let mut out = String::from(
            "# brat annotation configuration written by Claimmark from the codebook(s) of the\n\
             # exported articles.\n",
        );
        for (name, ty) in &self.types.renamed {
            let name = flatten(name);
            let _ = writeln!(out, "# {ty} is the tag \"{name}\"");
        }
        out.push_str("\n[entities]\n");
        let mut children: HashMap<&str, Vec<usize>> = HashMap::new();
        let mut roots = Vec::new();
        for (i, e) in self.types.types.iter().enumerate() {
            match e.parent.as_deref() {
                Some(p) if p != e.tag && self.types.type_of.contains_key(p) => {
                    children.entry(p).or_default().push(i)
                }
                _ => roots.push(i),
            }
        }
        let mut written = vec![false; self.types.types.len()];
        for i in roots {
            self.write_entity(&mut out, i, 0, &children, &mut written);
        }
        // Anything left is on a parent cycle (a codebook `validate` would reject).
        for i in 0..self.types.types.len() {
            self.write_entity(&mut out, i, 0, &children, &mut written);
        }
        out.push_str("\n[relations]\n");
        for kind in LinkKind::ALL {
            let _ = writeln!(out, "{}\tArg1:<ENTITY>, Arg2:<ENTITY>", relation_type(kind));
        }
        out.push_str("<OVERLAP>\tArg1:<ENTITY>, Arg2:<ENTITY>, <OVL-TYPE>:<ANY>\n");
        out.push_str("\n[events]\n\n[attributes]\n");
        let values = |v: Vec<String>| v.join("|");
        let attrs = [
            (
                RELIABILITY,
                values(
                    Reliability::ALL
                        .iter()
                        .map(|r| r.letter().to_string())
                        .collect(),
                ),
            ),
            (
                CREDIBILITY,
                values(
                    Credibility::ALL
                        .iter()
                        .map(|c| c.digit().to_string())
                        .collect(),
                ),
            ),
            (
                STATUS,
                values(Status::ALL.iter().map(|s| s.label().to_owned()).collect()),
            ),
            (
                CONFIDENCE,
                values(
                    Confidence::ALL
                        .iter()
                        .map(|c| c.label().to_owned())
                        .collect(),
                ),
            ),
        ];
        for (name, values) in attrs {
            let _ = writeln!(out, "{name}\tArg:<ENTITY>, Value:{values}");
        }
        out
    }

    fn write_entity(
        &self,
        out: &mut String,
        i: usize,
        depth: usize,
        children: &HashMap<&str, Vec<usize>>,
        written: &mut [bool],
    ) {
        if written[i] {
            return;
        }
        written[i] = true;
        let e = &self.types.types[i];
        let _ = writeln!(out, "{}{}", "\t".repeat(depth), e.name);
        for &child in children.get(e.tag.as_str()).into_iter().flatten() {
            self.write_entity(out, child, depth + 1, children, written);
        }
    }
}

impl BratExport {
    /// `visual.conf`: each type shown with its tag's name and colour, as in Claimmark.
    fn visual(&self) -> String {
        let mut labels = String::from("[labels]\n");
        let mut drawing = String::from("[drawing]\n");
        for (i, t) in self.types.types.iter().enumerate() {
            let Some((label, color)) = self.looks.get(&i) else {
                continue;
            };
            // `|` separates a label's forms in brat; keep it out of the name.
            let label = label.replace(['|', '\t', '\n'], " ");
            let _ = writeln!(labels, "{} | {}", t.name, label.trim());
            let _ = writeln!(drawing, "{}\tbgColor:{color}", t.name);
        }
        format!("{labels}\n{drawing}")
    }
}

impl Exporter for BratExport {
    fn article(&mut self, session: &Session, annotations: &[&Annotation]) -> io::Result<()> {
        let codebook = session.codebook();
        self.types.add_codebook(codebook);
        for tag in &codebook.tags {
            if let Some(&i) = self.types.type_of.get(&tag.id) {
                self.looks
                    .entry(i)
                    .or_insert_with(|| (tag.name.clone(), tag.color.to_hex()));
            }
        }
        let name = self.document_name(session);
        write(
            &self.dir.join(format!("{name}.txt")),
            session.article().text.as_bytes(),
        )?;
        let ann = self.ann_text(session, annotations);
        write(&self.dir.join(format!("{name}.ann")), ann.as_bytes())
    }

    fn finish(&mut self) -> io::Result<()> {
        write(&self.dir.join("annotation.conf"), self.config().as_bytes())?;
        write(&self.dir.join("visual.conf"), self.visual().as_bytes())
    }

    fn notes(&self) -> Vec<String> {
        let mut notes = Vec::new();
        let count = |n: usize, one: &str, many: &str| {
            if n == 1 {
                format!("1 {one}")
            } else {
                format!("{n} {many}")
            }
        };
        if self.links_to_other_articles > 0 {
            notes.push(format!(
                "{} not in the brat files (brat relations stay within one document)",
                count(
                    self.links_to_other_articles,
                    "link to an annotation in another article is",
                    "links to annotations in other articles are"
                )
            ));
        }
        if self.links_to_unexported > 0 {
            notes.push(format!(
                "{} not in the brat files (the target is not exported)",
                count(
                    self.links_to_unexported,
                    "link to an annotation of the same article is",
                    "links to annotations of the same article are"
                )
            ));
        }
        if self.orphaned > 0 {
            notes.push(format!(
                "{} not in the brat files (their words are no longer in the article)",
                count(
                    self.orphaned,
                    "orphaned annotation is",
                    "orphaned annotations are"
                )
            ));
        }
        if self.blank > 0 {
            notes.push(format!(
                "{} not in the brat files (they cover only line breaks or spaces)",
                count(self.blank, "annotation is", "annotations are")
            ));
        }
        if !self.types.renamed.is_empty() {
            let list: Vec<String> = self
                .types
                .renamed
                .iter()
                .map(|(name, ty)| format!("\"{}\" → {ty}", flatten(name)))
                .collect();
            notes.push(format!(
                "brat type names allow only letters, digits, _ and -, and must be unique: {}",
                list.join(", ")
            ));
        }
        notes
    }
}

/// Writes a file, naming it in the error.
fn write(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let fail = |e: io::Error| io::Error::new(e.kind(), format!("{}: {e}", path.display()));
    let mut file = io::BufWriter::new(std::fs::File::create(path).map_err(fail)?);
    file.write_all(bytes).map_err(fail)?;
    file.flush().map_err(fail)
}

/// The brat type of every tag of an export (see the module doc), in first-seen order.
#[derive(Debug)]
struct TypeNames {
    types: Vec<EntityType>,
    type_of: HashMap<TagId, usize>,
    /// Type names taken, lowercased, including the relation and attribute names.
    taken: HashSet<String>,
    /// Tags whose type is not their name: (tag path, brat type).
    renamed: Vec<(String, String)>,
}

impl TypeNames {
    fn new() -> Self {
        let taken = LinkKind::ALL
            .into_iter()
            .map(relation_type)
            .chain([RELIABILITY, CREDIBILITY, STATUS, CONFIDENCE])
            .map(str::to_lowercase)
            .collect();
        Self {
            types: Vec::new(),
            type_of: HashMap::new(),
            taken,
            renamed: Vec::new(),
        }
    }

    /// Names the tags of a codebook that have no type yet (a tag id seen before keeps its
    /// type). A name that is taken, or that another new tag of this codebook shares, is
    /// qualified by the tag's parents, the nearest first, until it is free.
    fn add_codebook(&mut self, codebook: &Codebook) {
        let fresh: Vec<_> = codebook
            .tags
            .iter()
            .filter(|t| !self.type_of.contains_key(&t.id))
            .collect();
        let mut shared: HashMap<String, usize> = HashMap::new();
        for t in &fresh {
            *shared
                .entry(base_name(&t.name, &t.id).to_lowercase())
                .or_default() += 1;
        }
        for t in fresh {
            if self.type_of.contains_key(&t.id) {
                continue; // an id the codebook repeats: the first wins
            }
            let base = base_name(&t.name, &t.id);
            let lower = base.to_lowercase();
            let clash = self.taken.contains(&lower) || shared.get(&lower).is_some_and(|&n| n > 1);
            let path = codebook.path(&t.id);
            let mut wanted = base;
            if clash {
                // The path's levels are the tag's name and its parents' names.
                let levels: Vec<&str> = path.split('/').collect();
                for k in 2..=levels.len() {
                    wanted = storage_form(&levels[levels.len() - k..].join("/"));
                    if !self.taken.contains(&wanted.to_lowercase()) {
                        break;
                    }
                }
            }
            self.insert(&t.id, &t.name, &path, wanted, t.parent.as_deref());
        }
    }

    /// The type of a tag id that no codebook of the export defines (named after the id).
    fn add_tag(&mut self, tag: &str) -> usize {
        if let Some(&i) = self.type_of.get(tag) {
            return i;
        }
        self.insert(tag, tag, tag, base_name(tag, tag), None)
    }

    /// Gives `tag` (named `name`, `shown` in messages) the type `wanted`, or `wanted-2`,
    /// `wanted-3` … if that is taken; returns its index.
    fn insert(
        &mut self,
        tag: &str,
        name: &str,
        shown: &str,
        wanted: String,
        parent: Option<&str>,
    ) -> usize {
        let mut unique = wanted.clone();
        let mut n = 2;
        while self.taken.contains(&unique.to_lowercase()) {
            unique = format!("{wanted}-{n}");
            n += 1;
        }
        if unique != name {
            self.renamed.push((shown.to_owned(), unique.clone()));
        }
        self.taken.insert(unique.to_lowercase());
        self.types.push(EntityType {
            tag: tag.to_owned(),
            name: unique,
            parent: parent.map(str::to_owned),
        });
        let i = self.types.len() - 1;
        self.type_of.insert(tag.to_owned(), i);
        i
    }
}

/// The tag a brat type of our export stands for, named as an export of articles with this
/// codebook names their tags (`Claim_Other`, `Off_the_record`); `None` for any other type.
/// Case is ignored: the export never makes two types that differ only by case.
pub fn tag_of_type(codebook: &Codebook, type_name: &str) -> Option<TagId> {
    let mut names = TypeNames::new();
    names.add_codebook(codebook);
    names
        .types
        .into_iter()
        .find(|t| t.name.eq_ignore_ascii_case(type_name.trim()))
        .map(|t| t.tag)
}

/// A tag's type before any clash: its name's storage form, else its id's, else `Tag`.
fn base_name(name: &str, id: &str) -> String {
    [storage_form(name), storage_form(id)]
        .into_iter()
        .find(|b| !is_degenerate(b))
        .unwrap_or_else(|| "Tag".into())
}

/// A name reduced to brat's storage form: ASCII letters, digits, `_` and `-`.
fn storage_form(name: &str) -> String {
    name.trim()
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '_' || c == '-' {
                c
            } else {
                '_'
            }
        })
        .collect()
}

/// Empty, or only `_` and `-` (a line of hyphens is a separator in brat's configuration).
fn is_degenerate(name: &str) -> bool {
    name.chars().all(|c| c == '_' || c == '-')
}

/// An annotation's brat spans: fragments in text order, touching ones merged, split at line
/// breaks, without pieces that are empty or only whitespace.
fn pieces(article: &Article, ann: &Annotation) -> Vec<Span> {
    let len = article.char_len();
    let merged = crate::anchoring::merge_spans(
        ann.fragments
            .iter()
            .map(|f| Span::between(f.span.start.min(len), f.span.end.min(len)))
            .collect(),
    );
    let mut out = Vec::new();
    for span in merged {
        let mut pos = span.start;
        for line in article.slice(span).split(is_line_break) {
            let n = line.chars().count();
            if !line.trim().is_empty() {
                out.push(Span {
                    start: pos,
                    end: pos + n,
                });
            }
            pos += n + 1;
        }
    }
    out
}

/// The attributes of an annotation that differ from "not set".
fn attributes(ann: &Annotation) -> Vec<(&'static str, String)> {
    let r = &ann.record;
    let mut out = Vec::new();
    if let Some(v) = r.reliability {
        out.push((RELIABILITY, v.letter().to_string()));
    }
    if let Some(v) = r.credibility {
        out.push((CREDIBILITY, v.digit().to_string()));
    }
    if r.status != Status::default() {
        out.push((STATUS, r.status.label().to_owned()));
    }
    if let Some(v) = r.confidence {
        out.push((CONFIDENCE, v.label().to_owned()));
    }
    out
}

/// The one-line `AnnotatorNotes` text: `[source: …; via: … > …] note` (see the module doc).
fn note_line(ann: &Annotation) -> Option<String> {
    let r = &ann.record;
    let mut parts = Vec::new();
    if let Some(source) = r.attributed_to.as_deref().filter(|s| !s.trim().is_empty()) {
        parts.push(format!("source: {}", escape(source)));
    }
    if !r.via.is_empty() {
        let via: Vec<String> = r.via.iter().map(|v| escape(v)).collect();
        parts.push(format!("via: {}", via.join(" > ")));
    }
    let note = flatten(&ann.note);
    let note = note.trim();
    let line = match (parts.is_empty(), note.is_empty()) {
        (true, true) => return None,
        (true, false) if note.starts_with('[') => format!("\\{note}"),
        (true, false) => note.to_owned(),
        (false, true) => format!("[{}]", parts.join("; ")),
        (false, false) => format!("[{}] {note}", parts.join("; ")),
    };
    Some(line)
}

/// Escapes the characters that structure the attribution brackets, and flattens line breaks.
fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in flatten(s.trim()).chars() {
        if matches!(c, '\\' | '[' | ']' | ';' | '>') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// What Python's `str.splitlines` (and so brat's reader) takes for a line break.
fn is_line_break(c: char) -> bool {
    matches!(
        c,
        '\n' | '\r' | '\u{0b}' | '\u{0c}' | '\u{1c}'
            ..='\u{1e}' | '\u{85}' | '\u{2028}' | '\u{2029}'
    )
}

/// Replaces every line break (what Python's `str.splitlines` splits on) with a space.
fn flatten(s: &str) -> String {
    s.chars()
        .map(|c| if is_line_break(c) { ' ' } else { c })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Fragment;

    fn ann(spans: &[(usize, usize)]) -> Annotation {
        Annotation {
            id: AnnotationId("a".into()),
            tags: vec!["claim".into()],
            fragments: spans
                .iter()
                .map(|&(start, end)| Fragment {
                    span: Span { start, end },
                    ..Fragment::default()
                })
                .collect(),
            note: String::new(),
            author: String::new(),
            created: String::new(),
            modified: String::new(),
            record: Default::default(),
            anchor: Default::default(),
        }
    }

    #[test]
    fn fragments_split_at_line_breaks_and_merge_when_touching() {
        let article = Article::new("ab’c\n\n  \nde🚀f\nxyz".into());
        // "b’c\n\n  \nde" crosses a paragraph break and a blank line; "f" touches "e🚀".
        let p = pieces(&article, &ann(&[(1, 11), (11, 13), (10, 11)]));
        assert_eq!(
            p,
            [Span { start: 1, end: 4 }, Span { start: 9, end: 13 }],
            "{p:?}"
        );
        assert_eq!(article.slice(p[1]), "de🚀f");
        assert!(pieces(&article, &ann(&[(4, 8)])).is_empty(), "only breaks");
    }

    #[test]
    fn notes_are_one_line_with_an_escaped_attribution() {
        let mut a = ann(&[(0, 1)]);
        assert_eq!(note_line(&a), None);
        a.note = "[sic] first\nsecond\u{2028}third ".into();
        assert_eq!(note_line(&a).as_deref(), Some("\\[sic] first second third"));
        a.record.attributed_to = Some("Kim; [Jong] Un".into());
        a.record.via = vec!["KCNA".into(), "A>B".into()];
        assert_eq!(
            note_line(&a).as_deref(),
            Some("[source: Kim\\; \\[Jong\\] Un; via: KCNA > A\\>B] [sic] first second third")
        );
    }

    fn codebook(tags: &[(&str, &str, Option<&str>)]) -> Codebook {
        Codebook {
            tags: tags
                .iter()
                .map(|&(id, name, parent)| crate::model::Tag {
                    id: id.into(),
                    name: name.into(),
                    color: crate::model::Rgb([0, 0, 0]),
                    hotkey: None,
                    description: String::new(),
                    parent: parent.map(Into::into),
                })
                .collect(),
        }
    }

    #[test]
    fn type_names_are_storage_forms_unique_per_tag() {
        let mut names = TypeNames::new();
        names.add_codebook(&codebook(&[
            ("a", "Off the record", None),
            ("b", "Off the_record", None),
            ("c", "Status", None),
            ("d", "---", None),
            ("e", "status", None),
        ]));
        names.add_tag("a");
        names.add_tag("loose tag");
        let types: Vec<&str> = names.types.iter().map(|t| t.name.as_str()).collect();
        assert_eq!(
            types,
            [
                "Off_the_record",
                "Off_the_record-2",
                "Status-2",
                "d",
                "status-3",
                "loose_tag"
            ]
        );
        assert_eq!(names.renamed.len(), 6);
    }

    #[test]
    fn clashing_names_are_qualified_by_their_parents_and_read_back() {
        let cb = codebook(&[
            ("claim", "Claim", None),
            ("evidence", "Evidence", None),
            ("stat", "Statistic", Some("claim")),
            ("other", "Other", Some("stat")),
            ("other_2", "Other", Some("evidence")),
            ("other_3", "Other", None),
            ("other_4", "other", Some("claim")),
        ]);
        let mut names = TypeNames::new();
        names.add_codebook(&cb);
        let types: Vec<&str> = names.types.iter().map(|t| t.name.as_str()).collect();
        assert_eq!(
            types,
            [
                "Claim",
                "Evidence",
                "Statistic",
                "Statistic_Other",
                "Evidence_Other",
                "Other",
                "Claim_other"
            ]
        );
        assert_eq!(
            names.renamed,
            [
                (
                    "Claim/Statistic/Other".to_owned(),
                    "Statistic_Other".to_owned()
                ),
                ("Evidence/Other".to_owned(), "Evidence_Other".to_owned()),
                ("Claim/other".to_owned(), "Claim_other".to_owned()),
            ]
        );
        for (tag, ty) in names.types.iter().map(|t| (&t.tag, &t.name)) {
            assert_eq!(tag_of_type(&cb, ty).as_ref(), Some(tag), "{ty}");
            assert_eq!(
                tag_of_type(&cb, &ty.to_uppercase()).as_ref(),
                Some(tag),
                "{ty}"
            );
        }
        assert_eq!(tag_of_type(&cb, "Other-2"), None);
    }
}
