//! REFI-QDA: a `.qdpx` project for ATLAS.ti, MAXQDA, NVivo and QualCoder, and a `.qdc`
//! codebook. Both follow the QDA-XML 1.0 schemas (`Project.xsd`, `Codebook.xsd`).
//!
//! # The `.qdpx` project
//!
//! A ZIP with a lowercase `sources/` folder holding `sources/GUID.txt` per article (the
//! canonical text, so UTF-8 without a byte-order mark and with `\n` line ends) and, last,
//! `project.qde` (UTF-8 XML in the namespace `urn:QDA-XML:project:1.0`):
//!
//! - `Project`: `name` (the first article's folder), `origin` ("Claimmark VERSION"),
//!   `creationDateTime` (the export's time).
//! - `Users`: one `User` per distinct annotation author; its GUID is derived from the name.
//! - `CodeBook`: the union, by tag id, of the codebooks of every exported article (the first
//!   definition of an id wins), nested by `parent`, each a codable `Code` with name, colour
//!   and `Description`. A tag id an annotation uses but no codebook defines becomes a `Code`
//!   named after the id. Code names are unique in the export, ignoring case (QualCoder keeps
//!   one code per name and stored the codings of a second `Other` with no code): a name two
//!   codes share is written as the tag's path, `Claim/Other` and `Evidence/Other` (see
//!   [`unqualified_code_name`]).
//! - `Sources`: one `TextSource` per article (`plainTextPath="internal://GUID.txt"`), named
//!   after the article's file, unique in the project: same-named articles in different folders
//!   carry their folders, `report (2024).txt` and `report (2025).txt`. In it, one `PlainTextSelection` per fragment of
//!   each annotation: `startPosition`/`endPosition` in code points (end exclusive), `name` =
//!   the quote shortened, creating/modifying user and times, a `Description` with the note and
//!   a readable line for the claim record ("Attributed to: Kim Jong Un via KCNA > India Today
//!   · B2 · disputed · confidence high") and its links, and one `Coding` (`CodeRef`) per tag.
//! - `Links`: one `Link` per link between claims (`name` = the kind, `originGUID`/`targetGUID`
//!   = the first selection of each claim). A link whose target is not in the export is only
//!   named in the description (and reported by [`Exporter::notes`]).
//!
//! Orphaned annotations (their words are no longer in the article) have no position to
//! give; they are left out and counted in the notes.
//!
//! GUIDs are deterministic: an annotation's first selection takes its id when that is a UUID;
//! every other GUID (ids that are not UUIDs, tags, users, sources, further fragments,
//! codings, links) is a version-5 UUID derived from what it stands for. Apart from timestamps
//! the output is the same on every run.
//!
//! # Importers are stricter than the schema
//!
//! QualCoder's importer fails on a `Project` without `origin`, and does not read inline
//! `PlainTextContent`: every `TextSource` therefore has a `plainTextPath` into `sources/`.
//! It reads that file as UTF-8 and counts positions in code points, so the text is written
//! exactly as annotated: a byte-order mark or `\r\n` would shift every later position. It
//! turns timestamps into its own format by dropping `T` and `Z`, so they are written in UTC
//! as `YYYY-MM-DDTHH:MM:SSZ`. It reads a selection's `Description` as the coding memo.
//!
//! # XML
//!
//! Every text and attribute is escaped with `quick_xml`; characters XML 1.0 forbids (control
//! characters other than tab, newline and carriage return, U+FFFE, U+FFFF) are removed, and
//! line breaks in attributes become spaces.
//!
//! Streaming: each article's text goes into the ZIP as the article arrives; only the XML of
//! its selections is kept until `finish()` writes `project.qde` (the users and the codebook
//! come before the sources in the document, and are only known at the end).

use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::fmt::Write as _;
use std::io::{self, Seek, Write};
use std::path::{Path, PathBuf};

use quick_xml::escape::escape;
use uuid::Uuid;
use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, ZipWriter};

use super::Exporter;
use crate::model::claim::format_grade;
use crate::model::{Annotation, ClaimRecord, Codebook, LinkKind, Status};
use crate::session::Session;

const PROJECT_NS: &str = "urn:QDA-XML:project:1.0";
const CODEBOOK_NS: &str = "urn:QDA-XML:codebook:1.0";
const XML_DECLARATION: &str = "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n";

/// The namespace of every GUID Claimmark derives (a fixed, random UUID).
const GUID_NAMESPACE: Uuid = Uuid::from_u128(0x6c1e_9a4f_52d3_4b8e_9f0a_7d21_c4e3_b5a6);

/// How many code points of a quote a selection's `name` keeps.
const NAME_CHARS: usize = 60;

fn origin() -> String {
    format!("Claimmark {}", env!("CARGO_PKG_VERSION"))
}

/// The GUID of `kind` `name` (a tag id, an author, ...): the same on every export.
fn derived(kind: &str, name: &str) -> Uuid {
    Uuid::new_v5(&GUID_NAMESPACE, format!("{kind}\u{0}{name}").as_bytes())
}

/// An annotation's id as a GUID: the id itself if it is a UUID, else derived from it.
pub(crate) fn annotation_guid(id: &str) -> Uuid {
    Uuid::parse_str(id.trim()).unwrap_or_else(|_| derived("annotation", id))
}

fn tag_guid(id: &str) -> Uuid {
    derived("tag", id)
}

fn user_guid(name: &str) -> Uuid {
    derived("user", name)
}

/// Removes what XML 1.0 cannot carry at all.
fn xml_chars(s: &str) -> Cow<'_, str> {
    let forbidden = |c: char| {
        (c < ' ' && !matches!(c, '\t' | '\n' | '\r')) || matches!(c, '\u{fffe}' | '\u{ffff}')
    };
    if s.contains(forbidden) {
        Cow::Owned(s.chars().filter(|&c| !forbidden(c)).collect())
    } else {
        Cow::Borrowed(s)
    }
}

/// Character data, escaped.
fn text(s: &str) -> String {
    escape(xml_chars(s).into_owned()).into_owned()
}

/// An attribute value, escaped; line breaks and tabs become spaces (a parser would turn them
/// into spaces anyway).
fn attr(s: &str) -> String {
    let clean = xml_chars(s).replace(['\t', '\n', '\r'], " ");
    escape(clean).into_owned()
}

/// An RFC 3339 timestamp as an `xs:dateTime` in UTC (`2024-05-01T10:00:00Z`); `None` if it
/// does not parse.
fn xsd_datetime(rfc3339: &str) -> Option<String> {
    chrono::DateTime::parse_from_rfc3339(rfc3339.trim())
        .ok()
        .map(|t| {
            t.with_timezone(&chrono::Utc)
                .to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
        })
}

/// A quote shortened for a selection's `name`: whitespace runs as one space, at most
/// [`NAME_CHARS`] code points.
fn short_name(quote: &str) -> String {
    let words = quote.split_whitespace().collect::<Vec<_>>().join(" ");
    if words.chars().count() <= NAME_CHARS {
        return words;
    }
    let mut out: String = words.chars().take(NAME_CHARS - 1).collect();
    out.truncate(out.trim_end().len());
    out.push('…');
    out
}

/// The claim record in one readable line: "Attributed to: Kim Jong Un via KCNA > India Today
/// · B2 · disputed · confidence high". `None` when nothing in it was set.
fn record_line(r: &ClaimRecord) -> Option<String> {
    let mut parts = Vec::new();
    let who = r
        .attributed_to
        .as_deref()
        .map(str::trim)
        .filter(|w| !w.is_empty());
    let via = r
        .via
        .iter()
        .map(|v| v.trim())
        .filter(|v| !v.is_empty())
        .collect::<Vec<_>>()
        .join(" > ");
    match (who, via.is_empty()) {
        (Some(who), true) => parts.push(format!("Attributed to: {who}")),
        (Some(who), false) => parts.push(format!("Attributed to: {who} via {via}")),
        (None, false) => parts.push(format!("Via: {via}")),
        (None, true) => {}
    }
    if r.reliability.is_some() || r.credibility.is_some() {
        parts.push(format_grade(r.reliability, r.credibility));
    }
    if r.status != Status::Unverified || !parts.is_empty() || r.confidence.is_some() {
        parts.push(r.status.label().to_owned());
    }
    if let Some(c) = r.confidence {
        parts.push(format!("confidence {}", c.label()));
    }
    (!parts.is_empty()).then(|| parts.join(" · "))
}

/// A selection's `Description`: the note, the claim record, the links, and which part of the
/// annotation the fragment is.
fn description(ann: &Annotation, part: usize, parts: usize) -> String {
    let mut lines = Vec::new();
    if !ann.note.trim().is_empty() {
        lines.push(ann.note.clone());
    }
    if let Some(line) = record_line(&ann.record) {
        lines.push(line);
    }
    if !ann.record.links.is_empty() {
        let links: Vec<String> = ann
            .record
            .links
            .iter()
            .map(|l| match &l.article {
                Some(a) => format!("{} {} (in {a})", l.kind.label(), l.target),
                None => format!("{} {}", l.kind.label(), l.target),
            })
            .collect();
        lines.push(format!("Links: {}", links.join("; ")));
    }
    if parts > 1 {
        lines.push(format!(
            "Part {} of {parts} of one annotation: {}",
            part + 1,
            ann.quote()
        ));
    }
    lines.join("\n")
}

/// One code of the exported codebook.
struct Code {
    id: String,
    name: String,
    color: Option<String>,
    description: String,
    parent: Option<String>,
}

/// The union, by tag id, of the codebooks seen so far; the first definition of an id wins.
#[derive(Default)]
struct Codes {
    codes: Vec<Code>,
    index: HashMap<String, usize>,
    /// Tag ids defined differently by two codebooks.
    conflicting: BTreeSet<String>,
}

impl Codes {
    fn add_codebook(&mut self, codebook: &Codebook) {
        for tag in &codebook.tags {
            let color = Some(tag.color.to_hex());
            if let Some(&i) = self.index.get(&tag.id) {
                let c = &self.codes[i];
                if c.name != tag.name || c.color != color || c.parent != tag.parent {
                    self.conflicting.insert(tag.id.clone());
                }
                continue;
            }
            self.index.insert(tag.id.clone(), self.codes.len());
            self.codes.push(Code {
                id: tag.id.clone(),
                name: tag.name.clone(),
                color,
                description: tag.description.clone(),
                parent: tag.parent.clone(),
            });
        }
    }

    /// Makes sure a tag id an annotation uses has a code (named after the id if no codebook
    /// defines it).
    fn ensure(&mut self, id: &str) {
        if !self.index.contains_key(id) {
            self.index.insert(id.to_owned(), self.codes.len());
            self.codes.push(Code {
                id: id.to_owned(),
                name: id.to_owned(),
                color: None,
                description: String::new(),
                parent: None,
            });
        }
    }

    fn is_empty(&self) -> bool {
        self.codes.is_empty()
    }

    /// Writes `<Codes>` with the codes nested by parent, at `depth` levels of indentation.
    fn write_xml(&self, out: &mut String, depth: usize) {
        // A code whose parent is unknown, or which is part of a cycle (two codebooks can
        // disagree), is written at the top level.
        let n = self.codes.len();
        let parent_of = |i: usize| -> Option<usize> {
            let p = *self.index.get(self.codes[i].parent.as_deref()?)?;
            let mut cur = Some(p);
            for _ in 0..=n {
                match cur {
                    Some(c) if c == i => return None,
                    Some(c) => {
                        cur = self.codes[c]
                            .parent
                            .as_deref()
                            .and_then(|q| self.index.get(q).copied());
                    }
                    None => break,
                }
            }
            Some(p)
        };
        let parents: Vec<Option<usize>> = (0..n).map(parent_of).collect();
        let mut children: Vec<Vec<usize>> = vec![Vec::new(); n];
        let mut roots = Vec::new();
        for (i, parent) in parents.iter().enumerate() {
            match parent {
                Some(p) => children[*p].push(i),
                None => roots.push(i),
            }
        }
        let names = self.unique_names(&parents);
        indent(out, depth);
        out.push_str("<Codes>\n");
        for &r in &roots {
            self.write_code(out, r, &children, &names, depth + 1);
        }
        indent(out, depth);
        out.push_str("</Codes>\n");
    }

    /// Each code's `name`, unique in the export (ignoring case): QualCoder keeps one code per
    /// name, so a second `Other` would lose its codings. A name that two codes share is
    /// qualified by its parents' names as a path (`Claim/Other`, `Evidence/Other`); a top-level
    /// one keeps its name, and a name still taken gets ` (2)`, ` (3)` ….
    /// [`unqualified_code_name`] reads the qualification back.
    fn unique_names(&self, parents: &[Option<usize>]) -> Vec<String> {
        let mut shared: HashMap<String, usize> = HashMap::new();
        for c in &self.codes {
            *shared.entry(c.name.to_lowercase()).or_default() += 1;
        }
        let mut taken = HashSet::new();
        let mut names = Vec::with_capacity(self.codes.len());
        for (i, c) in self.codes.iter().enumerate() {
            let mut wanted = c.name.clone();
            if shared.get(&c.name.to_lowercase()).is_some_and(|&k| k > 1) {
                let mut path = vec![c.name.as_str()];
                let mut at = parents[i];
                // `parents` has no cycles; the bound only guards against a mistake.
                while let Some(p) = at.filter(|_| path.len() <= self.codes.len()) {
                    path.push(&self.codes[p].name);
                    at = parents[p];
                }
                path.reverse();
                wanted = path.join("/");
            }
            let mut unique = wanted.clone();
            let mut k = 2;
            while !taken.insert(unique.to_lowercase()) {
                unique = format!("{wanted} ({k})");
                k += 1;
            }
            names.push(unique);
        }
        names
    }

    fn write_code(
        &self,
        out: &mut String,
        i: usize,
        children: &[Vec<usize>],
        names: &[String],
        depth: usize,
    ) {
        let c = &self.codes[i];
        indent(out, depth);
        let _ = write!(
            out,
            "<Code guid=\"{}\" name=\"{}\" isCodable=\"true\"",
            tag_guid(&c.id),
            attr(&names[i])
        );
        if let Some(color) = &c.color {
            let _ = write!(out, " color=\"{}\"", attr(color));
        }
        let description = xml_chars(&c.description);
        if description.trim().is_empty() && children[i].is_empty() {
            out.push_str("/>\n");
            return;
        }
        out.push_str(">\n");
        if !description.trim().is_empty() {
            indent(out, depth + 1);
            let _ = writeln!(out, "<Description>{}</Description>", text(&description));
        }
        for &child in &children[i] {
            self.write_code(out, child, children, names, depth + 1);
        }
        indent(out, depth);
        out.push_str("</Code>\n");
    }

    fn notes(&self) -> Vec<String> {
        if self.conflicting.is_empty() {
            return Vec::new();
        }
        let ids: Vec<&str> = self.conflicting.iter().map(String::as_str).collect();
        vec![format!(
            "tag id(s) {} are defined differently in the articles' codebooks; the first \
             definition was exported",
            ids.join(", ")
        )]
    }
}

/// A code's name without the qualification the export adds when names clash: `Claim/Other`
/// nested under codes named `Claim` is `Other` (`parents`: the names of the codes it is nested
/// in, outermost first). Any other name is returned as it is.
pub fn unqualified_code_name<'a>(name: &'a str, parents: &[&str]) -> &'a str {
    for k in (1..=parents.len()).rev() {
        let prefix = parents[parents.len() - k..].join("/");
        if let Some(rest) = name
            .strip_prefix(prefix.as_str())
            .and_then(|r| r.strip_prefix('/'))
            .filter(|r| !r.is_empty())
        {
            return rest;
        }
    }
    name
}

fn indent(out: &mut String, depth: usize) {
    for _ in 0..depth {
        out.push_str("  ");
    }
}

/// A link between claims, resolved when the project is written (its target may come in a
/// later article).
struct PendingLink {
    origin_id: String,
    origin: Uuid,
    kind: LinkKind,
    target: String,
}

/// One `<TextSource>`, named when the project is written: a name is only known to be unique
/// once every article has come.
struct PendingSource {
    /// The article's path, whose folders tell same-named articles apart.
    path: PathBuf,
    guid: Uuid,
    /// The XML after the `name` attribute's value, to the closing tag.
    rest: String,
}

/// Each article's `TextSource` name: its file name, unique in the project (ignoring case).
/// Articles of the same name in different folders are named with as many of their folders,
/// nearest last, as tell them apart: `report (2024).txt`, `report (2025).txt`. Never a `/`:
/// QualCoder copies each source to `documents/NAME.txt`, and a `/` there names a folder that
/// does not exist.
fn source_names(paths: &[&Path]) -> Vec<String> {
    let safe = |s: &str| s.replace(['/', '\\'], "_");
    let mut names: Vec<String> = paths
        .iter()
        .map(|p| {
            p.file_name()
                .map(|n| safe(&n.to_string_lossy()))
                .unwrap_or_else(|| "article".into())
        })
        .collect();
    let mut groups: BTreeMap<String, Vec<usize>> = BTreeMap::new();
    for (i, name) in names.iter().enumerate() {
        groups.entry(name.to_lowercase()).or_default().push(i);
    }
    for members in groups.values().filter(|m| m.len() > 1) {
        let folders: Vec<Vec<String>> = members
            .iter()
            .map(|&i| {
                let path = std::path::absolute(paths[i]).unwrap_or_else(|_| paths[i].to_owned());
                path.parent()
                    .into_iter()
                    .flat_map(Path::components)
                    .filter_map(|c| match c {
                        std::path::Component::Normal(n) => Some(safe(&n.to_string_lossy())),
                        _ => None,
                    })
                    .collect()
            })
            .collect();
        let deepest = folders.iter().map(Vec::len).max().unwrap_or(0);
        let qualifier = |k: usize, f: &Vec<String>| f[f.len().saturating_sub(k)..].join(", ");
        let mut k = 1;
        while k < deepest {
            let mut seen = HashSet::new();
            if folders
                .iter()
                .all(|f| seen.insert(qualifier(k, f).to_lowercase()))
            {
                break;
            }
            k += 1;
        }
        for (&i, f) in members.iter().zip(&folders) {
            let q = qualifier(k, f);
            if !q.is_empty() {
                names[i] = qualified(&names[i], &q);
            }
        }
    }
    // The same article given twice, or a name that a qualified one happens to equal.
    let mut taken = HashSet::new();
    for name in &mut names {
        let mut unique = name.clone();
        let mut k = 2;
        while !taken.insert(unique.to_lowercase()) {
            unique = qualified(name, &k.to_string());
            k += 1;
        }
        *name = unique;
    }
    names
}

/// `report.txt` with `2024` is `report (2024).txt`.
fn qualified(file_name: &str, qualifier: &str) -> String {
    match file_name.rsplit_once('.') {
        Some((stem, ext)) if !stem.is_empty() => format!("{stem} ({qualifier}).{ext}"),
        _ => format!("{file_name} ({qualifier})"),
    }
}

/// A `.qdpx` project: a ZIP with `project.qde` and `sources/GUID.txt`.
pub struct QdpxExport<W: Write + Seek> {
    /// `None` once finished.
    zip: Option<ZipWriter<W>>,
    options: SimpleFileOptions,
    /// The export's time, as `xs:dateTime`.
    now: String,
    project_name: Option<String>,
    codes: Codes,
    /// Author name → GUID, sorted by name.
    users: BTreeMap<String, Uuid>,
    /// The `<TextSource>` elements so far, named in `finish`.
    sources: Vec<PendingSource>,
    /// Every GUID handed out for a source, selection, coding or link.
    guids: HashSet<Uuid>,
    /// Annotation id → the GUID of its first selection (link ends).
    selection_of: HashMap<String, Uuid>,
    links: Vec<PendingLink>,
    orphaned: usize,
    out_of_range: usize,
    unresolved_links: usize,
}

impl<W: Write + Seek> QdpxExport<W> {
    pub fn new(out: W) -> io::Result<Self> {
        let local = chrono::Local::now().naive_local();
        let stamp = {
            use chrono::{Datelike, Timelike};
            let (y, mo, d) = (local.year(), local.month(), local.day());
            let (h, mi, s) = (local.hour(), local.minute(), local.second());
            u16::try_from(y).ok().and_then(|y| {
                zip::DateTime::from_date_and_time(
                    y,
                    mo as u8,
                    d as u8,
                    h as u8,
                    mi as u8,
                    s.min(59) as u8,
                )
                .ok()
            })
        };
        let mut options = SimpleFileOptions::default()
            .compression_method(CompressionMethod::Deflated)
            .unix_permissions(0o644);
        if let Some(stamp) = stamp {
            options = options.last_modified_time(stamp);
        }
        let mut zip = ZipWriter::new(out);
        zip.add_directory("sources/", options.unix_permissions(0o755))?;
        Ok(Self {
            zip: Some(zip),
            options,
            now: chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
            project_name: None,
            codes: Codes::default(),
            users: BTreeMap::new(),
            sources: Vec::new(),
            guids: HashSet::new(),
            selection_of: HashMap::new(),
            links: Vec::new(),
            orphaned: 0,
            out_of_range: 0,
            unresolved_links: 0,
        })
    }

    /// `wanted` if no other object has it yet, else a GUID derived from it that is free.
    fn unique(&mut self, wanted: Uuid) -> Uuid {
        let mut guid = wanted;
        let mut n: u32 = 0;
        while !self.guids.insert(guid) {
            n += 1;
            guid = Uuid::new_v5(&wanted, &n.to_le_bytes());
        }
        guid
    }

    fn user(&mut self, author: &str) -> Uuid {
        let name = match author.trim() {
            "" => "unknown",
            a => a,
        };
        *self
            .users
            .entry(name.to_owned())
            .or_insert_with(|| user_guid(name))
    }

    /// Appends the `<PlainTextSelection>`s of one annotation to `xml`.
    fn selections(&mut self, xml: &mut String, ann: &Annotation, char_len: usize) {
        let user = self.user(&ann.author);
        let created = xsd_datetime(&ann.created);
        let modified = xsd_datetime(&ann.modified);
        for tag in &ann.tags {
            self.codes.ensure(tag);
        }
        let parts = ann.fragments.len();
        let mut first = None;
        for (k, fragment) in ann.fragments.iter().enumerate() {
            let span = fragment.span;
            if span.start > span.end || span.end > char_len {
                self.out_of_range += 1;
                continue;
            }
            let wanted = match k {
                0 => annotation_guid(&ann.id.0),
                _ => derived("fragment", &format!("{}\u{0}{k}", ann.id.0)),
            };
            let guid = self.unique(wanted);
            first.get_or_insert(guid);
            let _ = write!(
                xml,
                "      <PlainTextSelection guid=\"{guid}\" name=\"{}\" startPosition=\"{}\" \
                 endPosition=\"{}\" creatingUser=\"{user}\"",
                attr(&short_name(&fragment.quote)),
                span.start,
                span.end,
            );
            if let Some(t) = &created {
                let _ = write!(xml, " creationDateTime=\"{t}\"");
            }
            let _ = write!(xml, " modifyingUser=\"{user}\"");
            if let Some(t) = &modified {
                let _ = write!(xml, " modifiedDateTime=\"{t}\"");
            }
            xml.push_str(">\n");
            let desc = description(ann, k, parts);
            if !desc.is_empty() {
                let _ = writeln!(xml, "        <Description>{}</Description>", text(&desc));
            }
            for tag in &ann.tags {
                let coding = self.unique(derived("coding", &format!("{guid}\u{0}{tag}")));
                let _ = write!(
                    xml,
                    "        <Coding guid=\"{coding}\" creatingUser=\"{user}\""
                );
                if let Some(t) = &created {
                    let _ = write!(xml, " creationDateTime=\"{t}\"");
                }
                let _ = writeln!(
                    xml,
                    ">\n          <CodeRef targetGUID=\"{}\"/>\n        </Coding>",
                    tag_guid(tag)
                );
            }
            xml.push_str("      </PlainTextSelection>\n");
        }
        if let Some(origin) = first {
            self.selection_of.entry(ann.id.0.clone()).or_insert(origin);
            for link in &ann.record.links {
                self.links.push(PendingLink {
                    origin_id: ann.id.0.clone(),
                    origin,
                    kind: link.kind,
                    target: link.target.0.clone(),
                });
            }
        }
    }

    /// The `<Links>` element (empty string if no link could be resolved).
    fn links_xml(&mut self) -> String {
        let pending = std::mem::take(&mut self.links);
        let mut xml = String::new();
        for link in &pending {
            let Some(&target) = self.selection_of.get(&link.target) else {
                self.unresolved_links += 1;
                continue;
            };
            let direction = match link.kind {
                LinkKind::SameClaimAs => "Bidirectional",
                LinkKind::Supports | LinkKind::Contradicts | LinkKind::Elaborates => "OneWay",
            };
            let guid = self.unique(derived(
                "link",
                &format!(
                    "{}\u{0}{}\u{0}{}",
                    link.origin_id,
                    link.kind.label(),
                    link.target
                ),
            ));
            let _ = writeln!(
                xml,
                "    <Link guid=\"{guid}\" name=\"{}\" direction=\"{direction}\" \
                 originGUID=\"{}\" targetGUID=\"{target}\"/>",
                attr(link.kind.label()),
                link.origin
            );
        }
        if xml.is_empty() {
            return xml;
        }
        format!("  <Links>\n{xml}  </Links>\n")
    }
}

impl<W: Write + Seek> Exporter for QdpxExport<W> {
    fn article(&mut self, session: &Session, annotations: &[&Annotation]) -> io::Result<()> {
        if self.zip.is_none() {
            return Err(io::Error::other("the .qdpx project is already finished"));
        }
        if self.project_name.is_none() {
            self.project_name = session
                .folder()
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .filter(|n| !n.trim().is_empty());
        }
        self.codes.add_codebook(session.codebook());

        let name = session.file_name();
        let body = &session.article().text;
        let source = self.unique(derived(
            "source",
            &format!("{}\u{0}{name}", session.article().fingerprint()),
        ));
        if let Some(zip) = self.zip.as_mut() {
            let large = u64::try_from(body.len()).map_or(true, |n| n >= u64::from(u32::MAX));
            zip.start_file(
                format!("sources/{source}.txt"),
                self.options.large_file(large),
            )?;
            zip.write_all(body.as_bytes())?;
        }

        let mut xml = String::new();
        let _ = writeln!(
            xml,
            "\" plainTextPath=\"internal://{source}.txt\" creationDateTime=\"{}\">",
            self.now
        );
        if let Some(date) = &session.article().date {
            let _ = writeln!(
                xml,
                "      <Description>{}</Description>",
                text(&format!("Date: {date}"))
            );
        }
        let char_len = session.article().char_len();
        for ann in annotations {
            if ann.anchor.orphaned {
                self.orphaned += 1;
                continue;
            }
            self.selections(&mut xml, ann, char_len);
        }
        xml.push_str("    </TextSource>\n");
        self.sources.push(PendingSource {
            path: session.path().to_owned(),
            guid: source,
            rest: xml,
        });
        Ok(())
    }

    fn finish(&mut self) -> io::Result<()> {
        let links = self.links_xml();
        let Some(mut zip) = self.zip.take() else {
            return Ok(());
        };
        let name = self
            .project_name
            .clone()
            .unwrap_or_else(|| "Claimmark export".to_owned());
        let mut head = String::from(XML_DECLARATION);
        let _ = writeln!(
            head,
            "<Project xmlns=\"{PROJECT_NS}\" name=\"{}\" origin=\"{}\" creationDateTime=\"{}\">",
            attr(&name),
            attr(&origin()),
            self.now
        );
        if !self.users.is_empty() {
            head.push_str("  <Users>\n");
            for (name, guid) in &self.users {
                let _ = writeln!(head, "    <User guid=\"{guid}\" name=\"{}\"/>", attr(name));
            }
            head.push_str("  </Users>\n");
        }
        if !self.codes.is_empty() {
            head.push_str("  <CodeBook>\n");
            self.codes.write_xml(&mut head, 2);
            head.push_str("  </CodeBook>\n");
        }
        zip.start_file("project.qde", self.options)?;
        zip.write_all(head.as_bytes())?;
        if !self.sources.is_empty() {
            let paths: Vec<&Path> = self.sources.iter().map(|s| s.path.as_path()).collect();
            zip.write_all(b"  <Sources>\n")?;
            for (source, name) in self.sources.iter().zip(source_names(&paths)) {
                let open = format!(
                    "    <TextSource guid=\"{}\" name=\"{}",
                    source.guid,
                    attr(&name)
                );
                zip.write_all(open.as_bytes())?;
                zip.write_all(source.rest.as_bytes())?;
            }
            zip.write_all(b"  </Sources>\n")?;
        }
        zip.write_all(links.as_bytes())?;
        zip.write_all(b"</Project>\n")?;
        let mut out = zip.finish()?;
        out.flush()
    }

    fn notes(&self) -> Vec<String> {
        let mut notes = self.codes.notes();
        if self.orphaned > 0 {
            notes.push(format!(
                "{} orphaned annotation(s) left out: their words are no longer in the article",
                self.orphaned
            ));
        }
        if self.out_of_range > 0 {
            notes.push(format!(
                "{} fragment(s) left out: their positions are outside the article",
                self.out_of_range
            ));
        }
        if self.unresolved_links > 0 {
            notes.push(format!(
                "{} link(s) between claims point to claims not in this export; they are only \
                 named in the selections' descriptions",
                self.unresolved_links
            ));
        }
        notes
    }
}

/// A `.qdc` codebook.
pub struct QdcExport<W: Write> {
    out: W,
    codes: Codes,
}

impl<W: Write> QdcExport<W> {
    pub fn new(out: W) -> Self {
        Self {
            out,
            codes: Codes::default(),
        }
    }
}

impl<W: Write> Exporter for QdcExport<W> {
    fn article(&mut self, session: &Session, _annotations: &[&Annotation]) -> io::Result<()> {
        self.codes.add_codebook(session.codebook());
        Ok(())
    }

    fn finish(&mut self) -> io::Result<()> {
        if self.codes.is_empty() {
            // No article was read: the schema needs at least one code, so give the default
            // codebook (what those articles would have used).
            self.codes
                .add_codebook(&crate::storage::codebook::default_codebook());
        }
        if self.codes.is_empty() {
            return Err(io::Error::other("there is no tag to export"));
        }
        let mut xml = String::from(XML_DECLARATION);
        let _ = writeln!(
            xml,
            "<CodeBook xmlns=\"{CODEBOOK_NS}\" origin=\"{}\">",
            attr(&origin())
        );
        self.codes.write_xml(&mut xml, 1);
        xml.push_str("</CodeBook>\n");
        self.out.write_all(xml.as_bytes())?;
        self.out.flush()
    }

    fn notes(&self) -> Vec<String> {
        self.codes.notes()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Confidence, Credibility, Reliability};

    #[test]
    fn forbidden_characters_are_removed_and_markup_escaped() {
        assert_eq!(
            text("a\u{1}<b> & \"c\"\n\td"),
            "a&lt;b&gt; &amp; &quot;c&quot;\n\td"
        );
        assert_eq!(attr("x\ny\u{ffff}z'"), "x yz&apos;");
    }

    #[test]
    fn guids_are_stable_and_keep_uuid_ids() {
        let id = "7d0f6b0e-8a36-4c1e-9d4b-2f7b6a1f0c11";
        assert_eq!(annotation_guid(id).to_string(), id);
        assert_eq!(annotation_guid("imported-1"), annotation_guid("imported-1"));
        assert_ne!(annotation_guid("imported-1"), annotation_guid("imported-2"));
        assert_ne!(tag_guid("claim"), user_guid("claim"));
    }

    #[test]
    fn the_record_reads_as_one_line() {
        let r = ClaimRecord {
            attributed_to: Some("Kim Jong Un".into()),
            via: vec!["KCNA".into(), "India Today".into()],
            reliability: Some(Reliability::B),
            credibility: Some(Credibility::ProbablyTrue),
            status: Status::Disputed,
            confidence: Some(Confidence::High),
            ..Default::default()
        };
        assert_eq!(
            record_line(&r).as_deref(),
            Some(
                "Attributed to: Kim Jong Un via KCNA > India Today · B2 · disputed · confidence high"
            )
        );
        assert_eq!(record_line(&ClaimRecord::default()), None);
    }

    #[test]
    fn names_are_short_and_on_one_line() {
        assert_eq!(short_name("a\n b"), "a b");
        let long = "word ".repeat(40);
        let name = short_name(&long);
        assert!(name.chars().count() <= NAME_CHARS && name.ends_with('…'));
    }

    #[test]
    fn times_are_utc() {
        assert_eq!(
            xsd_datetime("2024-05-01T12:00:00+02:00").as_deref(),
            Some("2024-05-01T10:00:00Z")
        );
        assert_eq!(xsd_datetime("yesterday"), None);
    }

    #[test]
    fn same_named_articles_carry_as_many_folders_as_tell_them_apart() {
        let paths = [
            "/a/news/2024/report.txt",
            "/b/news/2025/Report.txt",
            "/c/2024/report.txt",
            "/x/second.txt",
            "/x/second.txt",
            "/y/README",
            "/z/README",
            "/y/alone.txt",
        ];
        let paths: Vec<&Path> = paths.iter().map(Path::new).collect();
        assert_eq!(
            source_names(&paths),
            [
                "report (news, 2024).txt",
                "Report (news, 2025).txt",
                "report (c, 2024).txt",
                "second (x).txt",
                "second (x) (2).txt",
                "README (y)",
                "README (z)",
                "alone.txt",
            ]
        );
    }

    #[test]
    fn qualified_code_names_read_back() {
        let cases = [
            (
                "Claim/Statistic/Other",
                &["Claim", "Statistic"][..],
                "Other",
            ),
            ("Statistic/Other", &["Claim", "Statistic"][..], "Other"),
            ("Other", &["Claim"][..], "Other"),
            ("Claim/Other", &[][..], "Claim/Other"),
            ("Claim/", &["Claim"][..], "Claim/"),
            ("Evidence/Other", &["Claim"][..], "Evidence/Other"),
        ];
        for (name, parents, want) in cases {
            assert_eq!(unqualified_code_name(name, parents), want, "{name}");
        }
    }

    #[test]
    fn code_names_are_unique_in_the_export() {
        let tag = |id: &str, name: &str, parent: Option<&str>| crate::model::Tag {
            id: id.into(),
            name: name.into(),
            color: crate::model::Rgb([0, 0, 0]),
            hotkey: None,
            description: String::new(),
            parent: parent.map(Into::into),
        };
        let mut codes = Codes::default();
        codes.add_codebook(&Codebook {
            tags: vec![
                tag("claim", "Claim", None),
                tag("evidence", "Evidence", None),
                tag("other", "Other", Some("claim")),
                tag("other_2", "Other", Some("evidence")),
                tag("other_3", "other", None),
                tag("twin", "Twin", Some("claim")),
                tag("twin_2", "Twin", Some("claim")),
            ],
        });
        let mut xml = String::new();
        codes.write_xml(&mut xml, 0);
        let names: Vec<&str> = xml
            .split("name=\"")
            .skip(1)
            .filter_map(|rest| rest.split('"').next())
            .collect();
        assert_eq!(
            names,
            [
                "Claim",
                "Claim/Other",
                "Claim/Twin",
                "Claim/Twin (2)",
                "Evidence",
                "Evidence/Other",
                "other"
            ]
        );
    }
}
