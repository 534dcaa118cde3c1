//! REFI-QDA in: a `.qdpx` project (from QualCoder, MAXQDA, ATLAS.ti, NVivo, or Claimmark's own
//! export) becomes articles, tags and annotations in a folder; a `.qdc` codebook becomes tags
//! in the folder's codebook.
//!
//! # What goes where
//!
//! - **Codes** (nested `Code`s; categories are codes with `isCodable="false"`) become nested
//!   tags of the folder's `claimmark.codebook.ron`, matched by their path of names
//!   ([`Codebook::ensure_path`]): a tag the folder has already is kept as it is; a new one
//!   takes the code's colour and `Description`.
//! - **Text sources** (`TextSource`, and a `PDFSource`'s text `Representation`) become new
//!   `.txt` files in the folder, named after the source (`interview.docx` → `interview.txt`,
//!   `interview (2).txt` when the name is taken: an existing file is never overwritten; a file
//!   of that name with the same text is taken as the source, so importing a project twice adds
//!   nothing). The text is the `plainTextPath` file (a rich-text `richTextPath` beside it is
//!   not read) or inline `PlainTextContent`, written as Claimmark's canonical text (UTF-8, no
//!   byte-order mark, `\n`).
//! - **Codings**: each `PlainTextSelection` with `Coding`s is an annotation with those tags;
//!   its `Description` is the note, the `Note`s it refers to (`NoteRef`, or a `Link` from a
//!   note, as NVivo writes) are appended to the note, its `creatingUser` (through `Users`) is
//!   the author, and its times are kept. Selections of one span, note and author that differ
//!   only in their codes (QualCoder writes one selection per code) are one annotation with
//!   several tags. In Claimmark's own export a selection is already one annotation, and
//!   "Part k of n" selections are joined back into one annotation in pieces; the record line
//!   and the links line of its descriptions become the claim record and its links again, so
//!   an export imported into an empty folder gives the same annotations
//!   ([`description`]).
//! - **Links** between selections whose `name` is a kind of link (supports, contradicts, same
//!   claim as, elaborates) become links between claims.
//!
//! # Positions
//!
//! Positions count code points of the source text, from after a byte-order mark (QualCoder
//! writes its files with one but counts from after it; MAXQDA and ATLAS.ti count code points).
//! A `\r\n` counts as two (MAXQDA, NVivo: code points of the file) except in projects from
//! ATLAS.ti and QualCoder, which count it as one (QualCoder's "MAXQDA line endings" writes
//! `\r\n` into the file but keeps its positions). Where selections carry their text as `name`
//! (QualCoder, Claimmark), the reading of line ends and byte-order mark that puts most names on
//! their words wins over that default.
//!
//! # Partial imports
//!
//! Everything that can be placed is; what cannot (a position outside the text, a selection
//! without a code, a code the codebook lacks, a source that is not text or whose file is
//! missing, a note on text without a code) is listed in the report, one line each naming the
//! input. Failing to read the input at all is a [`RefiError`].
//!
//! # Hostile input
//!
//! The input is read through [`read_regular`] (at most [`MAX_DOCUMENT_BYTES`]); every entry is
//! read with a cap on its unpacked size ([`MAX_TEXT_BYTES`]) and all of them together with one
//! of [`MAX_DOCUMENT_BYTES`] (ZIP bombs); entries are read into memory, never extracted; a path
//! with `..` or a root is refused; files are written only into the destination folder, with
//! names made of the source's name without separators ([`file_stem`]). Paths outside the
//! archive (`absolute://`, `relative://`) are looked for by file name beside the `.qdpx` only:
//! a project cannot make Claimmark copy a file from elsewhere on the disk into the folder.
//!
//! No egui. Articles are written by this module (new files only); tags through
//! [`crate::storage::codebook`]; annotations through [`super::apply`].

pub mod description;
pub mod qde;

use std::collections::{HashMap, HashSet};
use std::io::{Cursor, Read, Write};
use std::path::{Component, Path, PathBuf};

use super::{Incoming, Report as Placed};
use crate::import::{MAX_DOCUMENT_BYTES, MAX_TEXT_BYTES};
use crate::model::{ClaimRecord, Codebook, Fragment, Link, LinkKind, Span, TagId};
use crate::storage::codebook::{self as codebook_file, CodebookError};
use crate::storage::read::{ReadError, read_regular};

/// What an import did.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Report {
    /// Articles written: new files in the folder.
    pub created: Vec<PathBuf>,
    /// Sources whose text the folder already had under their name (an earlier import).
    pub reused: Vec<PathBuf>,
    /// Tags added to the folder's codebook.
    pub tags_added: usize,
    /// Codes the folder's codebook already had (kept as they are).
    pub tags_existing: usize,
    /// Placing the annotations; its `problems` also list what this module could not place.
    pub placed: Placed,
}

impl Report {
    /// Everything that was not imported, one line each.
    pub fn problems(&self) -> &[String] {
        &self.placed.problems
    }
}

/// Why an input gave nothing at all. Every message names the file.
#[derive(Debug, thiserror::Error)]
pub enum RefiError {
    #[error("cannot read {}: {source}", path.display())]
    Read { path: PathBuf, source: ReadError },
    #[error("{} is not a ZIP archive: a .qdpx project is one (project.qde and sources/)", path.display())]
    NotZip { path: PathBuf },
    #[error("{} is a damaged ZIP archive: {reason}", path.display())]
    Damaged { path: PathBuf, reason: String },
    #[error("{} has no project.qde: not a REFI-QDA project", path.display())]
    NoProject { path: PathBuf },
    #[error("{}: {entry} is larger than {} MiB unpacked (a ZIP bomb?); it was not read", path.display(), limit >> 20)]
    TooLarge {
        path: PathBuf,
        entry: String,
        limit: u64,
    },
    #[error("{}: {entry}: {source}", path.display())]
    Xml {
        path: PathBuf,
        entry: String,
        source: qde::XmlError,
    },
    #[error("{} is not a folder: a REFI-QDA import needs --into FOLDER", path.display())]
    NotFolder { path: PathBuf },
    #[error("cannot create the folder {}: {source}", path.display())]
    Folder {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error(transparent)]
    Codebook(#[from] CodebookError),
}

/// Imports a `.qdpx` project or a `.qdc` codebook (told apart by their first bytes) into
/// `into`, a folder (made, once the input has been read, if missing). `progress(done, total)`
/// after each article.
pub fn import(
    input: &Path,
    into: &Path,
    progress: &mut dyn FnMut(usize, usize),
) -> Result<Report, RefiError> {
    if into.exists() && !into.is_dir() {
        return Err(RefiError::NotFolder {
            path: into.to_owned(),
        });
    }
    let bytes = read_regular(input, MAX_DOCUMENT_BYTES).map_err(|source| RefiError::Read {
        path: input.to_owned(),
        source,
    })?;
    if bytes.starts_with(b"PK") {
        return import_project(input, bytes, into, progress);
    }
    let is_qdpx = input
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("qdpx"));
    if is_qdpx {
        return Err(RefiError::NotZip {
            path: input.to_owned(),
        });
    }
    let entry = input
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let root = parse_xml(input, &entry, &bytes)?;
    if root.name == "Project" {
        // A bare project.qde: only inline texts can be read.
        let project = qde::project(&root).map_err(|source| xml_error(input, &entry, source))?;
        let mut sources = Sources {
            archive: None,
            input: input.to_owned(),
            base: String::new(),
        };
        return import_parsed(input, &project, &mut sources, into, progress);
    }
    let codes = qde::codebook(&root).map_err(|source| xml_error(input, &entry, source))?;
    prepare_folder(into)?;
    let mut cb = codebook_file::load_for_folder(into)?;
    let mut report = Report::default();
    merge_codes(
        &mut cb,
        &codes,
        &mut Vec::new(),
        &mut HashMap::new(),
        &mut report,
    );
    if report.tags_added > 0 {
        codebook_file::save_for_folder(into, &cb)?;
    }
    Ok(report)
}

fn prepare_folder(into: &Path) -> Result<(), RefiError> {
    if into.exists() && !into.is_dir() {
        return Err(RefiError::NotFolder {
            path: into.to_owned(),
        });
    }
    std::fs::create_dir_all(into).map_err(|source| RefiError::Folder {
        path: into.to_owned(),
        source,
    })
}

fn xml_error(path: &Path, entry: &str, source: qde::XmlError) -> RefiError {
    RefiError::Xml {
        path: path.to_owned(),
        entry: entry.to_owned(),
        source,
    }
}

fn parse_xml(path: &Path, entry: &str, bytes: &[u8]) -> Result<qde::Element, RefiError> {
    let xml = qde::decode(bytes).map_err(|e| xml_error(path, entry, e))?;
    qde::parse(&xml).map_err(|e| xml_error(path, entry, e))
}

fn import_project(
    input: &Path,
    bytes: Vec<u8>,
    into: &Path,
    progress: &mut dyn FnMut(usize, usize),
) -> Result<Report, RefiError> {
    let mut archive = Archive::open(input, bytes)?;
    let Some(qde_name) = archive.project_entry() else {
        return Err(RefiError::NoProject {
            path: input.to_owned(),
        });
    };
    let qde_bytes = match archive.read(&qde_name, MAX_TEXT_BYTES) {
        Ok(b) => b,
        Err(EntryError::TooLarge { limit }) => {
            return Err(RefiError::TooLarge {
                path: input.to_owned(),
                entry: qde_name,
                limit,
            });
        }
        Err(EntryError::Damaged(reason)) => {
            return Err(RefiError::Damaged {
                path: input.to_owned(),
                reason,
            });
        }
    };
    let root = parse_xml(input, &qde_name, &qde_bytes)?;
    let project = qde::project(&root).map_err(|e| xml_error(input, &qde_name, e))?;
    let base = match qde_name.rfind('/') {
        Some(i) => qde_name[..=i].to_owned(),
        None => String::new(),
    };
    let mut sources = Sources {
        archive: Some(archive),
        input: input.to_owned(),
        base,
    };
    import_parsed(input, &project, &mut sources, into, progress)
}

/// The codebook, the articles, then the annotations of a parsed project.
fn import_parsed(
    input: &Path,
    project: &qde::Project,
    sources: &mut Sources,
    into: &Path,
    progress: &mut dyn FnMut(usize, usize),
) -> Result<Report, RefiError> {
    let shown = input.display().to_string();
    let mut report = Report::default();
    let mut problems = Vec::new();

    prepare_folder(into)?;
    let mut cb = codebook_file::load_for_folder(into)?;
    let mut tags = HashMap::new();
    merge_codes(
        &mut cb,
        &project.codes,
        &mut Vec::new(),
        &mut tags,
        &mut report,
    );
    if report.tags_added > 0 {
        codebook_file::save_for_folder(into, &cb)?;
    }

    for (kind, name) in &project.other_sources {
        problems.push(format!(
            "{shown}: source “{name}” is a {kind} source; only text sources are imported"
        ));
    }
    let notes = Memos::read(project, sources, &mut problems, &shown);
    let own_export = project.origin.starts_with("Claimmark");
    let default_two = !{
        let o = project.origin.to_lowercase();
        o.contains("atlas") || o.contains("qualcoder")
    };

    let mut claims: Vec<Claim> = Vec::new();
    for source in &project.sources {
        let text = match sources.text(source) {
            Ok(t) => t,
            Err(why) => {
                problems.push(format!(
                    "{shown}: source “{}” not imported: {why} ({} selection(s))",
                    source.name,
                    source.selections.len()
                ));
                continue;
            }
        };
        let article = match write_article(into, &source.name, &text.canonical) {
            Ok((path, created)) => {
                if created {
                    report.created.push(path.clone());
                } else {
                    report.reused.push(path.clone());
                }
                path
            }
            Err(e) => {
                problems.push(format!(
                    "{shown}: source “{}” not imported: cannot write its article in {}: {e}",
                    source.name,
                    into.display()
                ));
                continue;
            }
        };
        let counting = text.counting(source, default_two);
        let ctx = SourceContext {
            shown: &shown,
            source,
            article: &article,
            text: &text,
            counting,
            tags: &tags,
            users: &project.users,
            notes: &notes,
        };
        let mut found: Vec<Claim> = source
            .selections
            .iter()
            .filter_map(|sel| ctx.claim(sel, &mut problems))
            .collect();
        found = join_parts(found);
        if !own_export {
            found = merge_same_span(found);
        }
        claims.extend(found);
    }
    for note in project.notes.values().filter(|n| n.selections > 0) {
        problems.push(format!(
            "{shown}: note “{}” is on {} stretch(es) of text without a code; not imported (Claimmark needs a tag)",
            if note.name.is_empty() { &note.guid } else { &note.name },
            note.selections
        ));
    }
    let used: HashSet<&str> = project
        .sources
        .iter()
        .flat_map(|s| &s.selections)
        .flat_map(|s| &s.note_refs)
        .chain(project.links.iter().map(|l| &l.origin))
        .map(String::as_str)
        .collect();
    for note in project.notes.values() {
        if note.selections == 0
            && !used.contains(note.guid.as_str())
            && notes.get(&note.guid).is_some()
        {
            problems.push(format!(
                "{shown}: memo “{}” is not on a coding; not imported (Claimmark keeps notes on annotations)",
                if note.name.is_empty() { &note.guid } else { &note.name },
            ));
        }
    }
    link_claims(&mut claims, project, &notes, into, &shown, &mut problems);

    let batch = super::Batch {
        items: claims.into_iter().map(|c| c.incoming(into)).collect(),
        ..super::Batch::default()
    };
    report.placed = super::apply(batch, Some(into), &super::Options::default(), progress);
    problems.append(&mut report.placed.problems);
    report.placed.problems = problems;
    Ok(report)
}

/// Adds the codes (depth first, parents before children) to the codebook; `tags` maps each
/// code's GUID to its tag id.
fn merge_codes(
    cb: &mut Codebook,
    codes: &[qde::Code],
    path: &mut Vec<String>,
    tags: &mut HashMap<String, TagId>,
    report: &mut Report,
) {
    for code in codes {
        let name = match code.name.trim() {
            "" => "Code",
            n => n,
        };
        path.push(name.to_owned());
        let names: Vec<&str> = path.iter().map(String::as_str).collect();
        if let Some((id, added)) = cb.ensure_path(&names, code.color, code.description.trim()) {
            if added == 0 {
                report.tags_existing += 1;
            }
            report.tags_added += added;
            tags.insert(code.guid.clone(), id);
        }
        merge_codes(cb, &code.children, path, tags, report);
        path.pop();
    }
}

// ---------------------------------------------------------------------------------------------
// The archive and the texts in it

/// Why a source's or a note's text was not read (the source is reported, the rest imported).
#[derive(Debug, thiserror::Error)]
pub enum TextError {
    #[error("it has only a rich text ({rich}), no plain text")]
    OnlyRichText { rich: String },
    #[error("it has no text")]
    NoText,
    #[error("its path `{named}` leads outside the project's sources; not read")]
    LeadsOutside { named: String },
    #[error("its path `{named}` names no file")]
    NoFile { named: String },
    #[error("its file `{named}` is outside the project and not beside it as {} ({source})", beside.display())]
    NotBeside {
        named: String,
        beside: PathBuf,
        source: ReadError,
    },
    #[error("its file `{named}` is in a .qdpx, not beside a bare .qde")]
    BareProject { named: String },
    #[error("its file `{named}` is not in the archive")]
    NotInArchive { named: String },
    #[error("{entry} is larger than {} MiB unpacked (a ZIP bomb?); not read", limit >> 20)]
    TooLarge { entry: String, limit: u64 },
    #[error("{entry} is damaged: {reason}")]
    Damaged { entry: String, reason: String },
    #[error("its text: {0}")]
    NotText(#[from] crate::import::text::TextError),
    #[error("its text changes length when read; positions cannot be mapped")]
    Unmappable,
}

/// Why one entry of the archive was not read.
enum EntryError {
    TooLarge { limit: u64 },
    Damaged(String),
}

/// The `.qdpx` ZIP, read entry by entry with limits.
struct Archive {
    zip: zip::ZipArchive<Cursor<Vec<u8>>>,
    /// Lowercase entry name → entry name.
    names: HashMap<String, String>,
    /// Bytes still allowed to be unpacked, all entries together.
    budget: u64,
}

impl Archive {
    fn open(path: &Path, bytes: Vec<u8>) -> Result<Self, RefiError> {
        let zip = zip::ZipArchive::new(Cursor::new(bytes)).map_err(|e| match e {
            zip::result::ZipError::InvalidArchive(_) => RefiError::NotZip {
                path: path.to_owned(),
            },
            other => RefiError::Damaged {
                path: path.to_owned(),
                reason: other.to_string(),
            },
        })?;
        let names = zip
            .file_names()
            .flatten()
            .map(|n| (n.to_lowercase(), n.into_owned()))
            .collect();
        Ok(Self {
            zip,
            names,
            budget: MAX_DOCUMENT_BYTES,
        })
    }

    /// `project.qde` at the top, else the one `.qde` file at any depth.
    fn project_entry(&self) -> Option<String> {
        if let Some(n) = self.names.get("project.qde") {
            return Some(n.clone());
        }
        let mut qde = self
            .names
            .iter()
            .filter(|(lower, _)| lower.ends_with(".qde") && !lower.contains("__macosx"));
        let first = qde.next()?;
        qde.next().is_none().then(|| first.1.clone())
    }

    /// The entry of this name (ignoring case), if there is one.
    fn find(&self, name: &str) -> Option<String> {
        self.names.get(&name.to_lowercase()).cloned()
    }

    /// An entry's bytes: at most `limit`, and at most what is left of the budget.
    fn read(&mut self, name: &str, limit: u64) -> Result<Vec<u8>, EntryError> {
        let limit = limit.min(self.budget);
        let entry = self
            .zip
            .by_name(name)
            .map_err(|e| EntryError::Damaged(e.to_string()))?;
        if entry.size() > limit {
            return Err(EntryError::TooLarge { limit });
        }
        let mut bytes = Vec::new();
        entry
            .take(limit + 1)
            .read_to_end(&mut bytes)
            .map_err(|e| EntryError::Damaged(e.to_string()))?;
        let size = bytes.len() as u64;
        if size > limit {
            return Err(EntryError::TooLarge { limit });
        }
        self.budget -= size;
        Ok(bytes)
    }
}

/// Where the texts of a project's sources and notes are found.
struct Sources {
    /// `None` for a bare `project.qde`.
    archive: Option<Archive>,
    input: PathBuf,
    /// The folder of `project.qde` inside the archive (`""` or `Name/`).
    base: String,
}

impl Sources {
    /// A source's text, with what is needed to map its positions.
    fn text(&mut self, source: &qde::Source) -> Result<SourceText, TextError> {
        let bytes = match (&source.plain_text_path, &source.content) {
            // A file that cannot be read is no loss when the text is also inline.
            (Some(path), Some(inline)) => self
                .file(path)
                .unwrap_or_else(|_| inline.clone().into_bytes()),
            (Some(path), None) => self.file(path)?,
            (None, Some(inline)) => inline.clone().into_bytes(),
            (None, None) => {
                return Err(match &source.rich_text_path {
                    Some(rich) => TextError::OnlyRichText { rich: rich.clone() },
                    None => TextError::NoText,
                });
            }
        };
        SourceText::read(&bytes)
    }

    /// The bytes of a file a project names: `internal://X` in the archive's `sources/`;
    /// `relative://`, `absolute://` or a bare path by file name in `sources/` or beside the
    /// `.qdpx`.
    fn file(&mut self, named: &str) -> Result<Vec<u8>, TextError> {
        let named = named.trim();
        if let Some(rest) = named.strip_prefix("internal://") {
            // Windows writers may separate folders with `\`.
            let rest = rest.replace('\\', "/");
            let rest = rest.trim_start_matches('/');
            if !plain_relative(rest) {
                return Err(TextError::LeadsOutside {
                    named: named.to_owned(),
                });
            }
            let candidates = [
                format!("{}sources/{rest}", self.base),
                format!("{}{rest}", self.base),
            ];
            return self.in_archive(&candidates, named);
        }
        let path = named
            .strip_prefix("absolute://")
            .or_else(|| named.strip_prefix("relative://"))
            .or_else(|| named.strip_prefix("file://"))
            .unwrap_or(named);
        let file_name = path
            .rsplit(['/', '\\'])
            .find(|p| !p.is_empty())
            .unwrap_or_default();
        if file_name.is_empty() || file_name == ".." || file_name == "." {
            return Err(TextError::NoFile {
                named: named.to_owned(),
            });
        }
        let candidates = [format!("{}sources/{file_name}", self.base)];
        if let Ok(bytes) = self.in_archive(&candidates, named) {
            return Ok(bytes);
        }
        let beside = self
            .input
            .parent()
            .map(|d| d.join(file_name))
            .unwrap_or_else(|| PathBuf::from(file_name));
        read_regular(&beside, MAX_TEXT_BYTES).map_err(|source| TextError::NotBeside {
            named: named.to_owned(),
            beside: beside.clone(),
            source,
        })
    }

    fn in_archive(&mut self, candidates: &[String], named: &str) -> Result<Vec<u8>, TextError> {
        let named = named.to_owned();
        let Some(archive) = self.archive.as_mut() else {
            return Err(TextError::BareProject { named });
        };
        let Some(entry) = candidates.iter().find_map(|c| archive.find(c)) else {
            return Err(TextError::NotInArchive { named });
        };
        archive.read(&entry, MAX_TEXT_BYTES).map_err(|e| match e {
            EntryError::TooLarge { limit } => TextError::TooLarge { entry, limit },
            EntryError::Damaged(reason) => TextError::Damaged { entry, reason },
        })
    }
}

/// True for `a/b.txt`: no root, no `..`, no drive, no `\`.
fn plain_relative(path: &str) -> bool {
    !path.is_empty()
        && !path.contains('\\')
        && Path::new(path)
            .components()
            .all(|c| matches!(c, Component::Normal(_) | Component::CurDir))
}

/// A source's text: the canonical text the article will have, and the raw text's line ends
/// for mapping positions.
struct SourceText {
    canonical: String,
    canonical_len: usize,
    /// Code points of the raw text (after a byte-order mark).
    raw_len: usize,
    /// Where each `\r\n` of the raw text starts, in code points, ascending.
    crlf: Vec<usize>,
    bom: bool,
    /// The byte offset of every [`MARK`]th code point of `canonical` (and of its end when that
    /// falls on one), so that a slice by code points costs at most [`MARK`] steps, not a walk
    /// from the start: a long source with thousands of selections stays fast.
    marks: Vec<usize>,
}

/// See [`SourceText::marks`].
const MARK: usize = 64;

/// How a project counts positions in one source.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Counting {
    /// `\r\n` counts as two code points.
    crlf_two: bool,
    /// The byte-order mark counts as one.
    bom: bool,
}

impl SourceText {
    fn read(bytes: &[u8]) -> Result<Self, TextError> {
        let (extracted, _) = crate::import::text::extract(bytes)?;
        let (raw, _) = crate::import::text::decode_bytes(bytes, None);
        let bom = encoding_rs::Encoding::for_bom(bytes).is_some();
        let mut crlf = Vec::new();
        let mut raw_len = 0;
        let mut prev_cr = false;
        for c in raw.chars() {
            if prev_cr && c == '\n' {
                crlf.push(raw_len - 1);
            }
            prev_cr = c == '\r';
            raw_len += 1;
        }
        let mut marks = Vec::new();
        let mut canonical_len = 0;
        for (i, (byte, _)) in extracted.text.char_indices().enumerate() {
            if i % MARK == 0 {
                marks.push(byte);
            }
            canonical_len += 1;
        }
        if canonical_len % MARK == 0 {
            marks.push(extracted.text.len());
        }
        if canonical_len + crlf.len() != raw_len {
            return Err(TextError::Unmappable);
        }
        Ok(Self {
            canonical: extracted.text,
            canonical_len,
            raw_len,
            crlf,
            bom,
            marks,
        })
    }

    /// The byte offset of a code point of the canonical text (at most its length).
    fn byte_of(&self, cp: usize) -> usize {
        let cp = cp.min(self.canonical_len);
        let base = self.marks.get(cp / MARK).copied().unwrap_or(0);
        self.canonical[base..]
            .char_indices()
            .nth(cp % MARK)
            .map_or(self.canonical.len(), |(i, _)| base + i)
    }

    /// The canonical text of a span.
    fn slice(&self, span: Span) -> &str {
        &self.canonical
            [self.byte_of(span.start)..self.byte_of(span.end).max(self.byte_of(span.start))]
    }

    /// A position as the project counts it → a code point of the canonical text.
    fn to_canonical(&self, pos: usize, c: Counting) -> Option<usize> {
        let pos = if c.bom { pos.checked_sub(1)? } else { pos };
        if c.crlf_two {
            (pos <= self.raw_len).then(|| pos - self.crlf.partition_point(|&r| r < pos))
        } else {
            (pos <= self.canonical_len).then_some(pos)
        }
    }

    fn span(&self, start: usize, end: usize, c: Counting) -> Option<Span> {
        let (s, e) = (self.to_canonical(start, c)?, self.to_canonical(end, c)?);
        (s < e).then_some(Span { start: s, end: e })
    }

    /// The reading of positions that puts most selection names on their words; ties go to
    /// the project's default (see the module's doc).
    fn counting(&self, source: &qde::Source, default_two: bool) -> Counting {
        let default = Counting {
            crlf_two: default_two && !self.crlf.is_empty(),
            bom: false,
        };
        if self.crlf.is_empty() && !self.bom {
            return default;
        }
        let mut options = vec![default];
        if !self.crlf.is_empty() {
            options.push(Counting {
                crlf_two: !default.crlf_two,
                bom: false,
            });
        }
        if self.bom {
            options.extend(
                options
                    .clone()
                    .into_iter()
                    .map(|c| Counting { bom: true, ..c }),
            );
        }
        let score = |c: Counting| {
            source
                .selections
                .iter()
                .filter(|s| {
                    let (Ok(a), Ok(b)) = (s.start.trim().parse(), s.end.trim().parse()) else {
                        return false;
                    };
                    self.span(a, b, c)
                        .is_some_and(|span| name_fits(&s.name, self.slice(span)))
                })
                .count()
        };
        let mut best = (score(default), default);
        for &c in &options[1..] {
            let s = score(c);
            if s > best.0 {
                best = (s, c);
            }
        }
        best.1
    }
}

/// True when a selection's `name` is its text (whitespace aside), or the start of it when
/// shortened with `…`.
fn name_fits(name: &str, slice: &str) -> bool {
    let words = |s: &str| s.split_whitespace().collect::<Vec<_>>().join(" ");
    let (name, slice) = (words(name), words(slice));
    if name.is_empty() {
        return false;
    }
    match name.strip_suffix('…') {
        Some(start) => slice.starts_with(start.trim_end()),
        None => name == slice,
    }
}

// ---------------------------------------------------------------------------------------------
// Articles

/// What a source's name gives as a file name, without extension: its last path component,
/// without characters file systems refuse, a leading dot or a document extension; `source`
/// if nothing is left.
pub fn file_stem(source_name: &str) -> String {
    let last = source_name
        .rsplit(['/', '\\'])
        .find(|p| !p.trim().is_empty() && !matches!(p.trim(), "." | ".."))
        .unwrap_or_default();
    let cleaned: String = last
        .chars()
        .map(|c| match c {
            c if c.is_control() => '_',
            ':' | '*' | '?' | '"' | '<' | '>' | '|' => '_',
            c => c,
        })
        .collect();
    let mut stem = cleaned
        .trim()
        .trim_start_matches(['.', ' '])
        .trim_end_matches(['.', ' '])
        .to_owned();
    const DOCUMENTS: [&str; 10] = [
        ".txt", ".text", ".docx", ".doc", ".rtf", ".odt", ".pdf", ".md", ".html", ".htm",
    ];
    let lower = stem.to_lowercase();
    if let Some(ext) = DOCUMENTS.iter().find(|e| lower.ends_with(*e)) {
        stem.truncate(stem.len() - ext.len());
    }
    let mut stem: String = stem
        .trim_end_matches(['.', ' '])
        .chars()
        .take(100)
        .collect();
    if stem.is_empty() {
        stem = "source".into();
    }
    let upper = stem.to_uppercase();
    let reserved = matches!(upper.as_str(), "CON" | "PRN" | "AUX" | "NUL")
        || ((upper.starts_with("COM") || upper.starts_with("LPT"))
            && upper.len() == 4
            && upper.ends_with(|c: char| c.is_ascii_digit()));
    if reserved {
        stem.push('_');
    }
    stem
}

/// Writes a source's text as a new article in `into` (`stem.txt`, `stem (2).txt`, …); an
/// existing file of that name with the same text is taken instead (`false`: not created).
/// Never overwrites a file, nor takes a name whose sidecar exists.
fn write_article(into: &Path, source_name: &str, text: &str) -> std::io::Result<(PathBuf, bool)> {
    let stem = file_stem(source_name);
    for n in 1..=10_000u32 {
        let name = match n {
            1 => format!("{stem}.txt"),
            n => format!("{stem} ({n}).txt"),
        };
        let path = into.join(&name);
        if path.exists() {
            let same = crate::import::read_article(&path).is_ok_and(|a| a.text == text);
            if same {
                return Ok((path, false));
            }
            continue;
        }
        if crate::storage::sidecar_path(&path).exists() {
            continue;
        }
        match std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&path)
        {
            Ok(mut file) => {
                file.write_all(text.as_bytes())?;
                file.sync_all()?;
                return Ok((path, true));
            }
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => continue,
            Err(e) => return Err(e),
        }
    }
    Err(std::io::Error::other(format!(
        "every name from {stem}.txt to {stem} (10000).txt is taken"
    )))
}

// ---------------------------------------------------------------------------------------------
// Memos

/// The text of each project note (memo), by GUID.
struct Memos(HashMap<String, String>);

impl Memos {
    fn read(
        project: &qde::Project,
        sources: &mut Sources,
        problems: &mut Vec<String>,
        shown: &str,
    ) -> Self {
        let mut texts = HashMap::new();
        for note in project.notes.values() {
            let body = match (&note.content, &note.plain_text_path) {
                (Some(c), _) => Some(c.clone()),
                (None, Some(path)) => match sources.file(path) {
                    Ok(bytes) => {
                        let (t, _) = crate::import::text::decode_bytes(&bytes, None);
                        Some(crate::model::article::canonicalize(&t))
                    }
                    Err(why) => {
                        problems.push(format!(
                            "{shown}: note “{}”: {why}",
                            if note.name.is_empty() {
                                &note.guid
                            } else {
                                &note.name
                            }
                        ));
                        None
                    }
                },
                (None, None) => None,
            };
            let body = body
                .filter(|b| !b.trim().is_empty())
                .unwrap_or_else(|| note.description.clone());
            let text = match (note.name.trim(), body.trim()) {
                (_, "") => continue,
                ("", body) => body.to_owned(),
                (name, body) if body.starts_with(name) => body.to_owned(),
                (name, body) => format!("{name}: {body}"),
            };
            texts.insert(note.guid.clone(), text);
        }
        Self(texts)
    }

    fn get(&self, guid: &str) -> Option<&str> {
        self.0.get(guid).map(String::as_str)
    }
}

// ---------------------------------------------------------------------------------------------
// Selections to claims

/// One annotation to be: one selection, or several joined.
struct Claim {
    /// The first selection's GUID: the annotation's id.
    id: String,
    /// Every selection GUID it was made of (link ends).
    selections: Vec<String>,
    article: PathBuf,
    spans: Vec<Span>,
    quotes: Vec<String>,
    tags: Vec<TagId>,
    note: String,
    record: ClaimRecord,
    /// Links as the description names them (kind, target id, target article).
    named_links: Vec<(LinkKind, String, Option<String>)>,
    part: Option<description::Part>,
    author: Option<String>,
    created: Option<String>,
    modified: Option<String>,
    origin: String,
}

impl Claim {
    fn incoming(self, into: &Path) -> Incoming {
        let name = self
            .article
            .file_name()
            .map(PathBuf::from)
            .unwrap_or_default();
        Incoming {
            article: name,
            also: Vec::new(),
            base: into.to_owned(),
            id: Some(self.id),
            tags: self.tags,
            fragments: self
                .spans
                .iter()
                .zip(self.quotes)
                .map(|(&span, quote)| Fragment {
                    span,
                    quote,
                    ..Fragment::default()
                })
                .collect(),
            note: self.note,
            author: self.author,
            created: self.created,
            modified: self.modified,
            record: self.record,
            origin: self.origin,
        }
    }
}

/// What turning one source's selections into claims needs.
struct SourceContext<'a> {
    shown: &'a str,
    source: &'a qde::Source,
    article: &'a Path,
    text: &'a SourceText,
    counting: Counting,
    tags: &'a HashMap<String, TagId>,
    users: &'a HashMap<String, String>,
    notes: &'a Memos,
}

impl SourceContext<'_> {
    /// A selection as a claim; `None` (and a problem) when it cannot be one.
    fn claim(&self, sel: &qde::Selection, problems: &mut Vec<String>) -> Option<Claim> {
        let origin = format!(
            "{}: selection {} (“{}”, {}–{}) of source “{}”",
            self.shown,
            sel.guid,
            short(&sel.name),
            sel.start.trim(),
            sel.end.trim(),
            self.source.name
        );
        let (Ok(start), Ok(end)) = (
            sel.start.trim().parse::<usize>(),
            sel.end.trim().parse::<usize>(),
        ) else {
            problems.push(format!(
                "{origin}: its positions are not numbers; not imported"
            ));
            return None;
        };
        let Some(span) = self.text.span(start, end, self.counting) else {
            let why = if start >= end {
                "it is empty or ends before it starts".to_owned()
            } else {
                format!(
                    "it does not fit the source's text ({} code points)",
                    self.text.raw_len
                )
            };
            problems.push(format!("{origin}: {why}; not imported"));
            return None;
        };
        let mut tags = Vec::new();
        for code in &sel.codes {
            match self.tags.get(code) {
                Some(id) if !tags.contains(id) => tags.push(id.clone()),
                Some(_) => {}
                None => problems.push(format!(
                    "{origin}: its code {code} is not in the project's codebook{}",
                    if sel.codes.iter().any(|c| self.tags.contains_key(c)) {
                        "; imported with its other codes"
                    } else {
                        ""
                    }
                )),
            }
        }
        if tags.is_empty() {
            if sel.codes.is_empty() {
                problems.push(format!(
                    "{origin}: it has no code (a comment?); not imported: Claimmark needs a tag"
                ));
            }
            return None;
        }
        let parsed = description::parse(&sel.description);
        let mut note = parsed.note;
        for memo in sel.note_refs.iter().filter_map(|g| self.notes.get(g)) {
            append(&mut note, memo);
        }
        let user = |g: &Option<String>| g.as_ref().and_then(|g| self.users.get(g)).cloned();
        let quote = self.text.slice(span).to_owned();
        let created = sel.created.as_deref().and_then(timestamp);
        Some(Claim {
            id: sel.guid.clone(),
            selections: vec![sel.guid.clone()],
            article: self.article.to_owned(),
            spans: vec![span],
            quotes: vec![quote],
            tags,
            note,
            record: parsed.record,
            named_links: parsed.links,
            part: parsed.part,
            author: user(&sel.creating_user)
                .or_else(|| user(&sel.modifying_user))
                .filter(|u| !u.is_empty()),
            modified: sel
                .modified
                .as_deref()
                .and_then(timestamp)
                .or_else(|| created.clone()),
            created,
            origin,
        })
    }
}

/// At most 40 code points of a name, for messages.
fn short(name: &str) -> String {
    let words = name.split_whitespace().collect::<Vec<_>>().join(" ");
    if words.chars().count() <= 40 {
        return words;
    }
    let mut s: String = words.chars().take(39).collect();
    s.push('…');
    s
}

/// Appends a paragraph to a note.
fn append(note: &mut String, text: &str) {
    if !note.trim().is_empty() {
        note.push_str("\n\n");
    }
    note.push_str(text);
}

/// An `xs:dateTime` as RFC 3339: kept when it has a zone, taken as UTC when it has none
/// (MAXQDA and QualCoder write UTC), `None` when it is not a date and time.
fn timestamp(t: &str) -> Option<String> {
    let t = t.trim();
    if chrono::DateTime::parse_from_rfc3339(t).is_ok() {
        return Some(t.to_owned());
    }
    let naive = chrono::NaiveDateTime::parse_from_str(t, "%Y-%m-%dT%H:%M:%S%.f").ok()?;
    Some(
        naive
            .and_utc()
            .to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true),
    )
}

/// Joins the "Part k of n" selections of Claimmark's export back into one claim each: a
/// part 1 takes the parts that follow it with the same quote, count, tags, note and record.
fn join_parts(claims: Vec<Claim>) -> Vec<Claim> {
    let mut out: Vec<Claim> = Vec::with_capacity(claims.len());
    for c in claims {
        if let (Some(last), Some(part)) = (out.last_mut(), &c.part)
            && let Some(first) = &last.part
            && part.k > 1
            && part.n == first.n
            && part.quote == first.quote
            && last.spans.len() < part.n
            && c.tags == last.tags
            && c.note == last.note
            && c.record == last.record
        {
            last.spans.extend(c.spans);
            last.quotes.extend(c.quotes);
            last.selections.extend(c.selections);
            continue;
        }
        out.push(c);
    }
    out
}

/// Selections with the same spans, note, record and author that differ in their codes are one
/// claim with all of their tags (QualCoder writes one selection per code).
fn merge_same_span(claims: Vec<Claim>) -> Vec<Claim> {
    let mut out: Vec<Claim> = Vec::with_capacity(claims.len());
    let mut index: HashMap<String, usize> = HashMap::new();
    for c in claims {
        let key = format!("{:?}|{:?}|{:?}|{:?}", c.spans, c.note, c.record, c.author);
        match index.get(&key) {
            Some(&i) => {
                let kept = &mut out[i];
                for t in c.tags {
                    if !kept.tags.contains(&t) {
                        kept.tags.push(t);
                    }
                }
                kept.selections.extend(c.selections);
            }
            None => {
                index.insert(key, out.len());
                out.push(c);
            }
        }
    }
    out
}

/// Turns `Link`s between selections, and the links the descriptions name, into the claims'
/// links; a `Link` from a note to a selection adds the note to it (NVivo).
fn link_claims(
    claims: &mut [Claim],
    project: &qde::Project,
    notes: &Memos,
    into: &Path,
    shown: &str,
    problems: &mut Vec<String>,
) {
    let mut by_selection: HashMap<String, usize> = HashMap::new();
    for (i, c) in claims.iter().enumerate() {
        for s in &c.selections {
            by_selection.insert(s.clone(), i);
        }
    }
    let ids: HashMap<String, usize> = claims
        .iter()
        .enumerate()
        .map(|(i, c)| (c.id.clone(), i))
        .collect();
    let link_to = |claims: &[Claim], from: usize, to: usize, kind: LinkKind| Link {
        kind,
        target: crate::model::AnnotationId(claims[to].id.clone()),
        article: (claims[to].article != claims[from].article)
            .then(|| claims[to].article.strip_prefix(into).ok())
            .flatten()
            .map(|p| p.to_string_lossy().into_owned()),
    };
    let mut links: Vec<(usize, Link)> = Vec::new();
    for l in &project.links {
        let (from, to) = (by_selection.get(&l.origin), by_selection.get(&l.target));
        if let (None, Some(&to)) = (from, to)
            && let Some(memo) = notes.get(&l.origin)
        {
            append(&mut claims[to].note, memo);
            continue;
        }
        let kind = LinkKind::parse(&l.name);
        match (from, to, kind) {
            (Some(&from), Some(&to), Some(kind)) if from != to => {
                links.push((from, link_to(claims, from, to, kind)));
            }
            (Some(_), Some(_), Some(_)) => {}
            (Some(_), Some(_), None) => problems.push(format!(
                "{shown}: link “{}” from {} to {}: not imported (Claimmark links claims as supports, contradicts, same claim as or elaborates)",
                l.name, l.origin, l.target
            )),
            _ => problems.push(format!(
                "{shown}: link “{}” from {} to {}: not imported (it does not join two imported selections)",
                l.name, l.origin, l.target
            )),
        }
    }
    for from in 0..claims.len() {
        for (kind, target, article) in std::mem::take(&mut claims[from].named_links) {
            let lower = target.to_lowercase();
            let derived = crate::export::refi::annotation_guid(&target).to_string();
            let known = ids
                .get(&lower)
                .or_else(|| by_selection.get(&derived))
                .copied();
            let link = match known {
                Some(to) => link_to(claims, from, to, kind),
                None => Link {
                    kind,
                    target: crate::model::AnnotationId(target),
                    article,
                },
            };
            links.push((from, link));
        }
    }
    let mut seen: HashSet<(usize, LinkKind, String)> = HashSet::new();
    for (from, link) in links {
        if seen.insert((from, link.kind, link.target.0.clone())) {
            claims[from].record.links.push(link);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_names_come_from_source_names_and_stay_in_the_folder() {
        assert_eq!(file_stem("interview.docx"), "interview");
        assert_eq!(file_stem("report.TXT"), "report");
        assert_eq!(file_stem("../../etc/passwd"), "passwd");
        assert_eq!(file_stem("..\\..\\evil.txt"), "evil");
        assert_eq!(file_stem(".hidden"), "hidden");
        assert_eq!(file_stem("a: b?"), "a_ b_");
        assert_eq!(file_stem(""), "source");
        assert_eq!(file_stem(".."), "source");
        assert_eq!(file_stem("con"), "con_");
        assert_eq!(file_stem("Interview 3"), "Interview 3");
    }

    #[test]
    fn positions_map_through_line_ends_and_a_byte_order_mark() {
        // "a\r\nb😀c": raw code points a0 \r1 \n2 b3 😀4 c5; canonical "a\nb😀c".
        let text = SourceText::read("\u{feff}a\r\nb😀c".as_bytes()).expect("text");
        assert_eq!(text.canonical, "a\nb😀c");
        assert_eq!(text.slice(Span { start: 2, end: 4 }), "b😀");
        let long = SourceText::read("é".repeat(3 * MARK).as_bytes()).expect("text");
        for (start, end) in [(0, 1), (MARK - 1, MARK + 1), (2 * MARK, 3 * MARK)] {
            assert_eq!(long.slice(Span { start, end }), "é".repeat(end - start));
        }
        let two = Counting {
            crlf_two: true,
            bom: false,
        };
        let one = Counting {
            crlf_two: false,
            bom: false,
        };
        assert_eq!(text.span(3, 5, two), Some(Span { start: 2, end: 4 }));
        assert_eq!(text.span(2, 4, one), Some(Span { start: 2, end: 4 }));
        assert_eq!(
            text.span(4, 6, Counting { bom: true, ..two }),
            Some(Span { start: 2, end: 4 })
        );
        assert_eq!(text.span(3, 7, two), None);
        assert_eq!(text.span(3, 3, two), None);
        assert!(plain_relative("a/b.txt"));
        assert!(
            !plain_relative("../b.txt") && !plain_relative("/etc/x") && !plain_relative("a\\..\\b")
        );
    }

    #[test]
    fn names_choose_how_line_ends_are_counted() {
        let text = SourceText::read(b"one\r\ntwo\r\nthree").expect("text");
        let sel = |start: &str, end: &str, name: &str| qde::Selection {
            start: start.into(),
            end: end.into(),
            name: name.into(),
            ..qde::Selection::default()
        };
        // Counted as two: "three" is at 10–15.
        let source = qde::Source {
            selections: vec![sel("10", "15", "three"), sel("5", "8", "two")],
            ..qde::Source::default()
        };
        assert!(text.counting(&source, false).crlf_two);
        // Counted as one: "three" is at 8–13.
        let source = qde::Source {
            selections: vec![sel("8", "13", "three")],
            ..qde::Source::default()
        };
        assert!(!text.counting(&source, true).crlf_two);
        // No names: the default.
        let source = qde::Source {
            selections: vec![sel("8", "13", "")],
            ..qde::Source::default()
        };
        assert!(text.counting(&source, true).crlf_two);
        // A writer that counted the byte-order mark: every position one further.
        let text =
            SourceText::read(&[b"\xef\xbb\xbf".as_slice(), b"one two"].concat()).expect("text");
        let source = qde::Source {
            selections: vec![sel("5", "8", "two"), sel("1", "4", "one")],
            ..qde::Source::default()
        };
        assert!(text.counting(&source, true).bom);
        assert!(name_fits("thr…", "three"));
        assert!(name_fits("a  b", "a\nb"));
        assert!(!name_fits("", "x"));
    }

    #[test]
    fn times_without_a_zone_are_utc() {
        assert_eq!(
            timestamp("2020-09-29T11:39:59").as_deref(),
            Some("2020-09-29T11:39:59Z")
        );
        assert_eq!(
            timestamp("2020-09-29T11:39:59+02:00").as_deref(),
            Some("2020-09-29T11:39:59+02:00")
        );
        assert_eq!(timestamp("yesterday"), None);
    }
}
