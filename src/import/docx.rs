//! DOCX importer: the body of a Word document, one paragraph a line, then its notes.
//!
//! Reads `word/document.xml` (paragraphs, runs, tables: each cell's paragraphs are paragraphs),
//! `word/styles.xml` (which paragraph styles are headings, quotes or lists; which character
//! styles are bold or italic), `word/numbering.xml` (list labels, see `docx/numbering.rs`),
//! `docProps/core.xml` (title, creator, created) and:
//!
//! - Footnotes and endnotes (`word/footnotes.xml`, `word/endnotes.xml`): each reference stays
//!   in the text where Word shows it, as the note's number in brackets (`harbour[1]`; endnotes
//!   `[i]` by default, both following `w:numFmt`/`w:numStart` in `word/settings.xml`), and the
//!   notes follow the body under a "Footnotes" and an "Endnotes" heading, in order of
//!   reference, each as `[1] Its text.` (a note of several paragraphs: the first carries the
//!   label). A note with a custom mark (`w:customMarkFollows`) keeps its mark, in the text and
//!   as its label. Brackets keep a number from gluing to the word it follows.
//! - Comments (`word/comments.xml`) are not article text: they go to [`Metadata::comments`]
//!   (author, date, text, and the words they mark), which the article's header lists.
//!
//! Headers, footers and deleted text (tracked changes) are left out.
//!
//! Safe on hostile files: every ZIP entry is read with a size limit (a ZIP bomb is refused),
//! and XML entities other than the five predefined ones and character references are never
//! expanded (no DTD is processed).

use std::collections::HashMap;
use std::io::{Cursor, Read};

use quick_xml::Reader;
use quick_xml::events::{BytesStart, Event};

use super::Extracted;
use crate::model::Span;
use crate::model::provenance::{Comment, Metadata, Style, StyleMark};

mod numbering;

use numbering::{Counters, Numbering};

/// Bumped whenever a change to this module can change the text it produces for the same file.
/// 2: list labels as Word shows them ("1.", "a)", "1.2."), footnotes and endnotes kept.
pub const EXTRACTOR_VERSION: u32 = 2;

/// A comment's quoted words are cut to this many characters (an ellipsis marks the cut).
const MAX_QUOTE_CHARS: usize = 300;
/// Comment ranges open at once beyond this get no quote (a hostile file could open millions).
const MAX_OPEN_QUOTES: usize = 256;

/// A ZIP entry that decompresses beyond this is refused.
pub const MAX_ENTRY_BYTES: u64 = 200 * 1024 * 1024;

/// Why a file is not a Word document Claimmark reads; the message is a short plain sentence
/// without the file name (the caller adds it).
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum DocxError {
    #[error("this file is not a DOCX document (it is not a ZIP archive)")]
    NotZip,
    #[error("this ZIP archive is not a Word document (it has no word/document.xml)")]
    NoDocument,
    /// A part that cannot be unpacked or decoded, or XML that does not parse.
    #[error("this Word document is damaged and cannot be read")]
    Damaged,
    /// A part that unpacks to more than `limit` bytes.
    #[error("this Word document has a part larger than {} MB when unpacked (a ZIP bomb?)", limit / 1024 / 1024)]
    PartTooLarge { limit: u64 },
    #[error("this Word document has no text")]
    NoText,
}

const BOLD: u8 = 1;
const ITALIC: u8 = 2;

/// Reads a DOCX file's text, styles and metadata.
pub fn extract(bytes: &[u8]) -> Result<Extracted, DocxError> {
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).map_err(|_| DocxError::NotZip)?;
    let Some(document) = read_entry(&mut zip, "word/document.xml")? else {
        return Err(DocxError::NoDocument);
    };
    let styles = match read_entry(&mut zip, "word/styles.xml")? {
        Some(xml) => parse_styles(&xml),
        None => HashMap::new(),
    };
    let mut meta = match read_entry(&mut zip, "docProps/core.xml")? {
        Some(xml) => parse_core(&xml),
        None => Metadata::default(),
    };
    let style_nums = styles
        .iter()
        .filter_map(|(id, d)| Some((id.clone(), d.num_id.clone()?)))
        .collect();
    let numbering = match read_entry(&mut zip, "word/numbering.xml")? {
        Some(xml) => Numbering::parse(&xml, style_nums),
        None => Numbering::default(),
    };
    let settings = read_entry(&mut zip, "word/settings.xml")?;
    let mut cx = Context {
        styles: &styles,
        numbering: &numbering,
        counters: Counters::default(),
        notes: Notes::new(settings.as_deref()),
    };
    let body = parse_part(&document, &mut cx, true)?;
    let mut blocks = body.blocks;
    blocks.extend(read_notes(&mut zip, &mut cx)?);
    // Comments are a reviewer's, not the article's: a damaged comments part loses them, not
    // the article.
    if let Some(xml) = read_entry(&mut zip, "word/comments.xml")?
        && let Ok(part) = parse_part(&xml, &mut cx, false)
    {
        meta.comments = comments_of(part.entries, &body.quotes);
    }
    let (text, marks) = build(blocks);
    if text.is_empty() {
        return Err(DocxError::NoText);
    }
    Ok(Extracted {
        text,
        meta,
        styles: marks,
    })
}

/// The footnotes and endnotes the body refers to, each kind under its heading.
fn read_notes(
    zip: &mut zip::ZipArchive<Cursor<&[u8]>>,
    cx: &mut Context,
) -> Result<Vec<Block>, DocxError> {
    let mut blocks = Vec::new();
    for (kind, part, heading) in [
        (NoteKind::Foot, "word/footnotes.xml", "Footnotes"),
        (NoteKind::End, "word/endnotes.xml", "Endnotes"),
    ] {
        if !cx.notes.order.iter().any(|(k, _)| *k == kind) {
            continue;
        }
        let entries = match read_entry(zip, part)? {
            Some(xml) => parse_part(&xml, cx, false)?.entries,
            None => Vec::new(),
        };
        blocks.extend(notes_section(&cx.notes, kind, heading, entries));
    }
    Ok(blocks)
}

/// An entry's text, read with a size limit. None when the archive has no such entry.
fn read_entry(
    zip: &mut zip::ZipArchive<Cursor<&[u8]>>,
    name: &str,
) -> Result<Option<String>, DocxError> {
    read_entry_limited(zip, name, MAX_ENTRY_BYTES)
}

fn read_entry_limited(
    zip: &mut zip::ZipArchive<Cursor<&[u8]>>,
    name: &str,
    limit: u64,
) -> Result<Option<String>, DocxError> {
    let entry = match zip.by_name(name) {
        Ok(entry) => entry,
        Err(zip::result::ZipError::FileNotFound) => return Ok(None),
        Err(_) => return Err(DocxError::Damaged),
    };
    if entry.size() > limit {
        return Err(DocxError::PartTooLarge { limit });
    }
    let mut buf = Vec::with_capacity(entry.size().min(16 * 1024 * 1024) as usize);
    entry
        .take(limit + 1)
        .read_to_end(&mut buf)
        .map_err(|_| DocxError::Damaged)?;
    if buf.len() as u64 > limit {
        return Err(DocxError::PartTooLarge { limit });
    }
    let text = decode_xml_bytes(&buf).ok_or(DocxError::Damaged)?;
    Ok(Some(text))
}

/// XML parts are UTF-8 (or, rarely, UTF-16 with a byte-order mark); malformed bytes make the
/// part unreadable rather than guessed. (REFI-QDA's `project.qde` is read the same way.)
pub(crate) fn decode_xml_bytes(buf: &[u8]) -> Option<String> {
    let (encoding, bom) = encoding_rs::Encoding::for_bom(buf).unwrap_or((encoding_rs::UTF_8, 0));
    encoding
        .decode_without_bom_handling_and_without_replacement(&buf[bom..])
        .map(|text| text.into_owned())
}

/// The character an entity reference stands for: a character reference or one of XML's five
/// predefined entities. A DTD's own entities are never expanded.
pub(crate) fn entity(r: &quick_xml::events::BytesRef<'_>) -> Option<char> {
    if let Ok(Some(c)) = r.resolve_char_ref() {
        return Some(c);
    }
    let name = r.decode().ok()?;
    quick_xml::escape::resolve_predefined_entity(&name)?
        .chars()
        .next()
}

fn attr(e: &BytesStart, local: &[u8]) -> Option<String> {
    e.attributes().flatten().find_map(|a| {
        (a.key.local_name().as_ref() == local).then(|| {
            a.normalized_value(quick_xml::XmlVersion::Implicit1_0)
                .map(|v| v.into_owned())
                .unwrap_or_else(|_| String::from_utf8_lossy(&a.value).into_owned())
        })
    })
}

/// `<w:b/>`, `<w:b w:val="true"/>` are on; `w:val="0"`, `"false"`, `"off"`, `"none"` are off.
fn toggle_on(e: &BytesStart) -> bool {
    !matches!(
        attr(e, b"val")
            .as_deref()
            .map(str::to_ascii_lowercase)
            .as_deref(),
        Some("0" | "false" | "off" | "none")
    )
}

// ---------------------------------------------------------------------------------------------
// styles.xml

#[derive(Clone, Debug, Default)]
struct StyleDef {
    name: String,
    based_on: Option<String>,
    /// The list its paragraphs are items of (`w:numPr/w:numId`; "0" takes numbering away).
    num_id: Option<String>,
    /// Their list level (`w:numPr/w:ilvl`).
    ilvl: Option<u8>,
    flags: u8,
}

fn parse_styles(xml: &str) -> HashMap<String, StyleDef> {
    let mut out = HashMap::new();
    let mut reader = Reader::from_str(xml);
    let mut current: Option<(String, StyleDef)> = None;
    let mut in_rpr = false;
    loop {
        let ev = match reader.read_event() {
            Ok(Event::Eof) | Err(_) => break,
            Ok(ev) => ev,
        };
        match ev {
            Event::Start(e) | Event::Empty(e) => match e.local_name().as_ref() {
                b"style" => {
                    if let Some((id, def)) = current.take() {
                        out.insert(id, def);
                    }
                    let id = attr(&e, b"styleId").unwrap_or_default();
                    current = Some((id, StyleDef::default()));
                }
                b"name" => {
                    if let Some((_, def)) = current.as_mut() {
                        def.name = attr(&e, b"val").unwrap_or_default();
                    }
                }
                b"basedOn" => {
                    if let Some((_, def)) = current.as_mut() {
                        def.based_on = attr(&e, b"val");
                    }
                }
                b"numId" => {
                    if let Some((_, def)) = current.as_mut() {
                        def.num_id = Some(attr(&e, b"val").unwrap_or_default());
                    }
                }
                b"ilvl" => {
                    if let Some((_, def)) = current.as_mut() {
                        def.ilvl = attr(&e, b"val").and_then(|v| v.trim().parse().ok());
                    }
                }
                b"rPr" => in_rpr = true,
                b"b" if in_rpr => {
                    if let Some((_, def)) = current.as_mut() {
                        set_flag(&mut def.flags, BOLD, toggle_on(&e));
                    }
                }
                b"i" if in_rpr => {
                    if let Some((_, def)) = current.as_mut() {
                        set_flag(&mut def.flags, ITALIC, toggle_on(&e));
                    }
                }
                _ => {}
            },
            Event::End(e) => match e.local_name().as_ref() {
                b"rPr" => in_rpr = false,
                b"style" => {
                    if let Some((id, def)) = current.take() {
                        out.insert(id, def);
                    }
                }
                _ => {}
            },
            _ => {}
        }
    }
    if let Some((id, def)) = current.take() {
        out.insert(id, def);
    }
    out
}

fn set_flag(flags: &mut u8, flag: u8, on: bool) {
    if on {
        *flags |= flag;
    } else {
        *flags &= !flag;
    }
}

/// The block style a paragraph style gives and the list it numbers in (`w:numId`, `w:ilvl`),
/// following `basedOn`: the nearest style that says wins.
fn paragraph_style(
    styles: &HashMap<String, StyleDef>,
    id: &str,
) -> (Option<Style>, Option<String>, Option<u8>) {
    let mut style = None;
    let mut num_id = None;
    let mut ilvl = None;
    let mut key = Some(id.to_owned());
    for _ in 0..16 {
        let Some(k) = key.take() else { break };
        let def = styles.get(&k);
        if style.is_none() {
            style =
                block_style_by_name(&k).or_else(|| def.and_then(|d| block_style_by_name(&d.name)));
        }
        if num_id.is_none() {
            num_id = def.and_then(|d| d.num_id.clone());
        }
        if ilvl.is_none() {
            ilvl = def.and_then(|d| d.ilvl);
        }
        key = def.and_then(|d| d.based_on.clone());
    }
    (style, num_id, ilvl)
}

/// "Title" → Heading(1), "Heading2" / "heading 2" → Heading(2), "Quote" / "Intense Quote" →
/// Quote.
fn block_style_by_name(name: &str) -> Option<Style> {
    let n: String = name
        .chars()
        .filter(|c| !c.is_whitespace())
        .flat_map(char::to_lowercase)
        .collect();
    if n == "title" {
        return Some(Style::Heading(1));
    }
    if let Some(level) = n.strip_prefix("heading")
        && let Ok(level) = level.parse::<u8>()
        && (1..=6).contains(&level)
    {
        return Some(Style::Heading(level));
    }
    if matches!(n.as_str(), "quote" | "intensequote" | "blocktext") {
        return Some(Style::Quote);
    }
    None
}

/// Bold/italic of a character style (following `basedOn`).
fn character_flags(styles: &HashMap<String, StyleDef>, id: &str) -> u8 {
    let mut chain = Vec::new();
    let mut key = Some(id.to_owned());
    for _ in 0..16 {
        let Some(k) = key.take() else { break };
        let Some(def) = styles.get(&k) else { break };
        chain.push(def);
        key = def.based_on.clone();
    }
    // The style's own setting wins over its base's: apply from the base up.
    chain.iter().rev().fold(0, |acc, d| acc | d.flags)
}

// ---------------------------------------------------------------------------------------------
// document.xml, footnotes.xml, endnotes.xml, comments.xml

#[derive(Debug, Default)]
struct Para {
    chars: Vec<(char, u8)>,
    style_id: Option<String>,
    /// `w:numPr/w:numId` of the paragraph itself ("0": not numbered, whatever its style says).
    num_id: Option<String>,
    ilvl: Option<u8>,
}

struct Block {
    /// Collapsed text of the paragraph (its list label first), with its inline flags.
    chars: Vec<(char, u8)>,
    style: Option<Style>,
    list: bool,
}

impl Block {
    /// A line of plain text in a block style (the notes' headings).
    fn plain(text: &str, style: Option<Style>) -> Self {
        Block {
            chars: text.chars().map(|c| (c, 0)).collect(),
            style,
            list: false,
        }
    }
}

/// What the parts of a document share as they are read one after another: the definitions,
/// the lists' counts (a list may go on in a note) and the notes referenced so far.
struct Context<'a> {
    styles: &'a HashMap<String, StyleDef>,
    numbering: &'a Numbering,
    counters: Counters,
    notes: Notes,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
enum NoteKind {
    Foot,
    End,
}

/// The footnotes and endnotes the text refers to, numbered in order of first reference as
/// Word numbers them (continuously through the document).
#[derive(Debug)]
struct Notes {
    /// Number format and first number: footnotes `decimal` from 1, endnotes `lowerRoman` from
    /// 1, unless `word/settings.xml` says otherwise.
    formats: [(String, i64); 2],
    /// How many notes of each kind are numbered so far.
    numbered: [i64; 2],
    /// Each note referenced, once, in order of first reference.
    order: Vec<(NoteKind, String)>,
    labels: HashMap<(NoteKind, String), String>,
}

impl Notes {
    fn new(settings: Option<&str>) -> Self {
        let mut formats = [("decimal".to_owned(), 1), ("lowerRoman".to_owned(), 1)];
        if let Some(xml) = settings {
            read_note_settings(xml, &mut formats);
        }
        Notes {
            formats,
            numbered: [0, 0],
            order: Vec::new(),
            labels: HashMap::new(),
        }
    }

    /// A reference to note `id`: the label its mark shows, numbered on first reference. A
    /// custom mark (`custom`) takes no number; its label is set when its text has been read.
    fn reference(&mut self, kind: NoteKind, id: String, custom: bool) -> Option<String> {
        let key = (kind, id);
        if let Some(label) = self.labels.get(&key) {
            return (!custom).then(|| label.clone());
        }
        self.order.push(key.clone());
        if custom {
            self.labels.insert(key, "*".into());
            return None;
        }
        let k = kind as usize;
        let (format, start) = &self.formats[k];
        let label = numbering::number(start.saturating_add(self.numbered[k]), format);
        self.numbered[k] += 1;
        self.labels.insert(key, label.clone());
        Some(label)
    }
}

/// `w:footnotePr` / `w:endnotePr` in settings.xml: `w:numFmt` and `w:numStart`.
fn read_note_settings(xml: &str, formats: &mut [(String, i64); 2]) {
    let mut reader = Reader::from_str(xml);
    let mut kind: Option<usize> = None;
    loop {
        let ev = match reader.read_event() {
            Ok(Event::Eof) | Err(_) => break,
            Ok(ev) => ev,
        };
        match ev {
            Event::Start(e) | Event::Empty(e) => match (e.local_name().as_ref(), kind) {
                (b"footnotePr", _) => kind = Some(0),
                (b"endnotePr", _) => kind = Some(1),
                (b"numFmt", Some(k)) => {
                    if let Some(v) = attr(&e, b"val") {
                        formats[k].0 = v;
                    }
                }
                (b"numStart", Some(k)) => {
                    if let Some(v) = attr(&e, b"val").and_then(|v| v.trim().parse().ok()) {
                        formats[k].1 = v;
                    }
                }
                _ => {}
            },
            Event::End(e) if matches!(e.local_name().as_ref(), b"footnotePr" | b"endnotePr") => {
                kind = None;
            }
            _ => {}
        }
    }
}

/// A note or comment of a notes or comments part, with its paragraphs.
#[derive(Default)]
struct Entry {
    id: String,
    author: Option<String>,
    date: Option<String>,
    blocks: Vec<Block>,
}

/// What one part gives: the body's paragraphs, or the part's notes or comments; and the words
/// each comment range of the body covers.
struct Parsed {
    blocks: Vec<Block>,
    entries: Vec<Entry>,
    quotes: HashMap<String, String>,
}

/// Reads one part: `document.xml` (`body`: it must have a `w:body`) or a notes or comments part.
fn parse_part(xml: &str, cx: &mut Context, body: bool) -> Result<Parsed, DocxError> {
    let mut reader = Reader::from_str(xml);
    let mut doc = DocumentReader::new(cx);
    loop {
        let ev = match reader.read_event() {
            Ok(Event::Eof) => break,
            Ok(ev) => ev,
            Err(_) => return Err(DocxError::Damaged),
        };
        match ev {
            Event::Start(e) => doc.start(&e),
            Event::Empty(e) => doc.empty(&e),
            Event::End(e) => doc.end(e.local_name().as_ref()),
            Event::Text(t) if doc.in_text() => {
                let s = t.decode().map_err(|_| DocxError::Damaged)?;
                doc.push(&s);
            }
            Event::CData(t) if doc.in_text() => {
                let s = t.decode().map_err(|_| DocxError::Damaged)?;
                doc.push(&s);
            }
            Event::GeneralRef(r) if doc.in_text() => {
                if let Some(c) = entity(&r) {
                    doc.push(c.encode_utf8(&mut [0; 4]));
                }
            }
            _ => {}
        }
    }
    if body && !doc.saw_body {
        return Err(DocxError::Damaged);
    }
    for (id, quote) in std::mem::take(&mut doc.open_quotes) {
        doc.quotes.insert(id, quote);
    }
    Ok(Parsed {
        blocks: doc.out,
        entries: doc.entries,
        quotes: doc.quotes,
    })
}

/// The state of one pass over a part: where in the paragraphs, runs and properties the events
/// are, and the paragraphs read so far.
struct DocumentReader<'a, 'b> {
    cx: &'b mut Context<'a>,
    out: Vec<Block>,
    /// The note or comment being read (notes and comments parts).
    entry: Option<Entry>,
    entries: Vec<Entry>,
    /// Paragraphs being read; text boxes put paragraphs inside paragraphs.
    stack: Vec<Para>,
    in_ppr: usize,
    in_rpr: usize,
    in_run: usize,
    in_text: usize,
    /// Depth inside an element whose content is left out (mc:Fallback, w:del, w:instrText…).
    skip: usize,
    run_flags: u8,
    run_style_flags: u8,
    saw_body: bool,
    /// A note reference with a custom mark, and the mark's text read so far in its run.
    custom_mark: Option<((NoteKind, String), String)>,
    /// Comment ranges open (`w:commentRangeStart`), with the words read in them so far.
    open_quotes: Vec<(String, String)>,
    /// Comment ranges closed, by comment id.
    quotes: HashMap<String, String>,
}

impl<'a, 'b> DocumentReader<'a, 'b> {
    fn new(cx: &'b mut Context<'a>) -> Self {
        Self {
            cx,
            out: Vec::new(),
            entry: None,
            entries: Vec::new(),
            stack: Vec::new(),
            in_ppr: 0,
            in_rpr: 0,
            in_run: 0,
            in_text: 0,
            skip: 0,
            run_flags: 0,
            run_style_flags: 0,
            saw_body: false,
            custom_mark: None,
            open_quotes: Vec::new(),
            quotes: HashMap::new(),
        }
    }

    /// Inside a run's text (`w:t`) that is kept.
    fn in_text(&self) -> bool {
        self.skip == 0 && self.in_text > 0
    }

    /// Text of the current run, into the innermost paragraph (and the comments open on it).
    fn push(&mut self, s: &str) {
        let flags = self.run_flags | self.run_style_flags;
        if let Some(p) = self.stack.last_mut() {
            p.chars.extend(s.chars().map(|c| (c, flags)));
        }
        if let Some((_, mark)) = self.custom_mark.as_mut() {
            mark.push_str(s);
        }
        for (_, quote) in &mut self.open_quotes {
            if quote.len() <= MAX_QUOTE_CHARS * 4 {
                quote.push_str(s);
            }
        }
    }

    fn start(&mut self, e: &BytesStart) {
        let name = e.local_name();
        let name = name.as_ref();
        if self.skip > 0 {
            self.skip += 1;
            return;
        }
        match name {
            b"body" => self.saw_body = true,
            b"Fallback" | b"del" | b"moveFrom" | b"instrText" | b"delText" => self.skip = 1,
            b"footnote" | b"endnote" | b"comment" => {
                // Separators and continuation notices are lines, not notes.
                if attr(e, b"type").is_some_and(|t| t != "normal") {
                    self.skip = 1;
                } else {
                    self.entry = Some(Entry {
                        id: attr(e, b"id").unwrap_or_default(),
                        author: attr(e, b"author").map(|a| collapse_str(&a)),
                        date: attr(e, b"date").map(|d| collapse_str(&d)),
                        blocks: Vec::new(),
                    });
                }
            }
            b"p" => self.stack.push(Para::default()),
            b"pPr" => self.in_ppr += 1,
            b"rPr" => self.in_rpr += 1,
            b"r" => {
                self.in_run += 1;
                self.run_flags = 0;
                self.run_style_flags = 0;
            }
            b"t" if self.in_run > 0 => self.in_text += 1,
            _ => self.marker(name, e),
        }
        self.properties(name, e);
    }

    /// An element without content: a property, a marker, or a tab, break or hyphen in a run.
    fn empty(&mut self, e: &BytesStart) {
        if self.skip > 0 {
            return;
        }
        let name = e.local_name();
        let name = name.as_ref();
        if name == b"p" {
            return; // an empty paragraph
        }
        self.properties(name, e);
        self.marker(name, e);
        if self.in_run > 0 && self.in_rpr == 0 && self.in_ppr == 0 {
            match name {
                b"tab" | b"br" | b"cr" | b"ptab" => self.push(" "),
                b"noBreakHyphen" => self.push("-"),
                _ => {}
            }
        }
    }

    /// A note reference (its label goes into the text) or a comment range's start or end.
    fn marker(&mut self, name: &[u8], e: &BytesStart) {
        let id = || attr(e, b"id").unwrap_or_default();
        match name {
            b"footnoteReference" | b"endnoteReference" => {
                let kind = if name == b"footnoteReference" {
                    NoteKind::Foot
                } else {
                    NoteKind::End
                };
                let custom = attr(e, b"customMarkFollows").is_some_and(|v| {
                    !matches!(
                        v.trim().to_ascii_lowercase().as_str(),
                        "0" | "false" | "off"
                    )
                });
                let id = id();
                match self.cx.notes.reference(kind, id.clone(), custom) {
                    Some(label) => {
                        if let Some(p) = self.stack.last_mut() {
                            p.chars.push(('[', 0));
                            p.chars.extend(label.chars().map(|c| (c, 0)));
                            p.chars.push((']', 0));
                        }
                    }
                    None => self.custom_mark = Some(((kind, id), String::new())),
                }
            }
            b"commentRangeStart" if self.open_quotes.len() < MAX_OPEN_QUOTES => {
                self.open_quotes.push((id(), String::new()));
            }
            b"commentRangeEnd" => {
                let id = id();
                if let Some(i) = self.open_quotes.iter().position(|(open, _)| *open == id) {
                    let (id, quote) = self.open_quotes.remove(i);
                    self.quotes.insert(id, quote);
                }
            }
            _ => {}
        }
    }

    fn end(&mut self, name: &[u8]) {
        if self.skip > 0 {
            self.skip -= 1;
            return;
        }
        match name {
            b"p" => {
                if let Some(p) = self.stack.pop() {
                    self.finish_paragraph(p);
                }
                for (_, quote) in &mut self.open_quotes {
                    quote.push(' ');
                }
            }
            b"footnote" | b"endnote" | b"comment" => {
                if let Some(entry) = self.entry.take() {
                    self.entries.push(entry);
                }
            }
            b"pPr" => self.in_ppr = self.in_ppr.saturating_sub(1),
            b"rPr" => self.in_rpr = self.in_rpr.saturating_sub(1),
            b"r" => {
                self.in_run = self.in_run.saturating_sub(1);
                if let Some((key, mark)) = self.custom_mark.take() {
                    let mark = collapse_str(&mark);
                    if !mark.is_empty() {
                        self.cx.notes.labels.insert(key, mark);
                    }
                }
            }
            b"t" => self.in_text = self.in_text.saturating_sub(1),
            _ => {}
        }
    }

    /// A paragraph read: a block with its style and list label, unless it has no text. A
    /// numbered paragraph without text still counts (Word shows its number).
    fn finish_paragraph(&mut self, p: Para) {
        let (style, style_num, style_ilvl) = p
            .style_id
            .as_deref()
            .map(|id| paragraph_style(self.cx.styles, id))
            .unwrap_or((None, None, None));
        let num_id = p.num_id.or(style_num).filter(|id| id.trim() != "0");
        let label = num_id.map(|id| {
            let ilvl = p.ilvl.or(style_ilvl);
            let cx = &mut *self.cx;
            cx.counters
                .next(cx.numbering, id.trim(), ilvl, p.style_id.as_deref())
                .map(|l| {
                    if l.space {
                        format!("{} ", l.text)
                    } else {
                        l.text
                    }
                })
                // A list the document does not define: a bullet, as before.
                .unwrap_or_else(|| "• ".into())
        });
        if collapse(&p.chars).is_empty() {
            return;
        }
        let list = label.is_some() && !matches!(style, Some(Style::Heading(_)));
        let mut chars: Vec<(char, u8)> =
            label.unwrap_or_default().chars().map(|c| (c, 0)).collect();
        chars.extend(p.chars);
        let block = Block {
            chars: collapse(&chars),
            style,
            list,
        };
        match self.entry.as_mut() {
            Some(entry) => entry.blocks.push(block),
            None => self.out.push(block),
        }
    }

    /// A paragraph property (its style, its list and level) or a run property (bold, italic,
    /// character style).
    fn properties(&mut self, name: &[u8], e: &BytesStart) {
        if self.in_ppr > 0 && self.in_rpr == 0 {
            let Some(p) = self.stack.last_mut() else {
                return;
            };
            match name {
                b"pStyle" => p.style_id = attr(e, b"val"),
                b"numId" => p.num_id = Some(attr(e, b"val").unwrap_or_default()),
                b"ilvl" => p.ilvl = attr(e, b"val").and_then(|v| v.trim().parse().ok()),
                _ => {}
            }
        } else if self.in_rpr > 0 && self.in_ppr == 0 {
            match name {
                b"b" => set_flag(&mut self.run_flags, BOLD, toggle_on(e)),
                b"i" => set_flag(&mut self.run_flags, ITALIC, toggle_on(e)),
                b"rStyle" => {
                    self.run_style_flags = attr(e, b"val")
                        .map(|id| character_flags(self.cx.styles, &id))
                        .unwrap_or(0);
                }
                _ => {}
            }
        }
    }
}

/// The notes of one kind, in order of reference, under `heading`: "[1] Its text." Nothing
/// when none is referenced.
fn notes_section(notes: &Notes, kind: NoteKind, heading: &str, entries: Vec<Entry>) -> Vec<Block> {
    let mut by_id: HashMap<String, Vec<Block>> =
        entries.into_iter().map(|e| (e.id, e.blocks)).collect();
    let mut out = Vec::new();
    for key in notes.order.iter().filter(|(k, _)| *k == kind) {
        let label = notes.labels.get(key).map_or("*", String::as_str);
        let mut blocks = by_id.remove(&key.1).unwrap_or_default();
        let mut prefix: Vec<(char, u8)> = format!("[{label}]").chars().map(|c| (c, 0)).collect();
        match blocks.first_mut() {
            Some(first) => {
                prefix.push((' ', 0));
                prefix.append(&mut first.chars);
                first.chars = prefix;
            }
            // Referenced but missing or empty: the label still says which mark it was.
            None => blocks.push(Block {
                chars: prefix,
                style: None,
                list: false,
            }),
        }
        out.extend(blocks);
    }
    if !out.is_empty() {
        out.insert(0, Block::plain(heading, Some(Style::Heading(2))));
    }
    out
}

/// The comments of comments.xml, in its order, each with the words its range covers.
fn comments_of(entries: Vec<Entry>, quotes: &HashMap<String, String>) -> Vec<Comment> {
    entries
        .into_iter()
        .map(|e| {
            let text: Vec<String> = e
                .blocks
                .iter()
                .map(|b| b.chars.iter().map(|&(c, _)| c).collect())
                .collect();
            let quote = quotes
                .get(&e.id)
                .map(|q| shorten(&collapse_str(q), MAX_QUOTE_CHARS))
                .filter(|q| !q.is_empty());
            Comment {
                author: e.author.filter(|a| !a.is_empty()),
                date: e.date.filter(|d| !d.is_empty()),
                text: text.join(" "),
                quote,
            }
        })
        .filter(|c| !c.text.is_empty() || c.quote.is_some())
        .collect()
}

/// `s` cut to at most `max` characters at a word's end, with an ellipsis when cut.
fn shorten(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        return s.to_owned();
    }
    let cut: String = s.chars().take(max).collect();
    let cut = match cut.rfind(' ') {
        Some(i) if i > 0 => &cut[..i],
        _ => &cut,
    };
    format!("{cut}…")
}

/// Collapses whitespace (control characters count as whitespace) and trims. A kept space has
/// the flags its two neighbours share, so a mark never starts or ends on a space.
fn collapse(chars: &[(char, u8)]) -> Vec<(char, u8)> {
    let mut out: Vec<(char, u8)> = Vec::with_capacity(chars.len());
    let mut space = false;
    for &(c, flags) in chars {
        if c.is_whitespace() || c.is_control() || c == '\u{feff}' || c == '\u{ad}' {
            if c != '\u{ad}' && c != '\u{feff}' {
                space = !out.is_empty();
            }
            continue;
        }
        if space {
            let prev = out.last().map(|p| p.1).unwrap_or(0);
            out.push((' ', prev & flags));
            space = false;
        }
        out.push((c, flags));
    }
    out
}

// ---------------------------------------------------------------------------------------------
// Blocks to canonical text

fn build(blocks: Vec<Block>) -> (String, Vec<StyleMark>) {
    let mut text = String::new();
    let mut pos = 0usize;
    let mut marks = Vec::new();
    for block in blocks {
        if !text.is_empty() {
            text.push_str("\n\n");
            pos += 2;
        }
        let start = pos;
        let chars = block.chars;
        let len = chars.len();
        if let Some(style) = block.style {
            marks.push(StyleMark {
                span: Span::between(start, start + len),
                style,
            });
        }
        if block.list {
            marks.push(StyleMark {
                span: Span::between(start, start + len),
                style: Style::ListItem,
            });
        }
        for (flag, style) in [(BOLD, Style::Strong), (ITALIC, Style::Emphasis)] {
            let mut run_start = None;
            for (i, &(_, f)) in chars.iter().chain(std::iter::once(&(' ', 0))).enumerate() {
                match (f & flag != 0, run_start) {
                    (true, None) => run_start = Some(i),
                    (false, Some(s)) => {
                        marks.push(StyleMark {
                            span: Span::between(start + s, start + i),
                            style,
                        });
                        run_start = None;
                    }
                    _ => {}
                }
            }
        }
        text.extend(chars.iter().map(|&(c, _)| c));
        pos += len;
    }
    marks.sort_by_key(|m| (m.span.start, m.span.end));
    (text, marks)
}

// ---------------------------------------------------------------------------------------------
// core.xml

fn parse_core(xml: &str) -> Metadata {
    let mut meta = Metadata::default();
    let mut reader = Reader::from_str(xml);
    let mut field: Option<&'static str> = None;
    let mut value = String::new();
    loop {
        let ev = match reader.read_event() {
            Ok(Event::Eof) | Err(_) => break,
            Ok(ev) => ev,
        };
        match ev {
            Event::Start(e) => {
                field = match e.local_name().as_ref() {
                    b"title" => Some("title"),
                    b"creator" => Some("creator"),
                    b"created" => Some("created"),
                    b"language" => Some("language"),
                    _ => None,
                };
                value.clear();
            }
            Event::Text(t) if field.is_some() => {
                if let Ok(s) = t.decode() {
                    value.push_str(&s);
                }
            }
            Event::GeneralRef(r) if field.is_some() => {
                value.extend(entity(&r));
            }
            Event::End(_) => {
                let v = collapse_str(&value);
                if !v.is_empty() {
                    match field {
                        Some("title") => meta.title = Some(v),
                        Some("creator") => meta.author = Some(v),
                        Some("created") => meta.published = Some(v),
                        Some("language") => meta.language = Some(v),
                        _ => {}
                    }
                }
                field = None;
                value.clear();
            }
            _ => {}
        }
    }
    meta
}

fn collapse_str(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use std::io::Write;

    const EN: &[u8] = include_bytes!("../../tests/fixtures/import/docx_en_statement.docx");
    const KO: &[u8] = include_bytes!("../../tests/fixtures/import/docx_ko_memo.docx");

    fn slice(e: &Extracted, span: Span) -> String {
        e.text.chars().skip(span.start).take(span.len()).collect()
    }

    fn marked(e: &Extracted, style: Style) -> Vec<String> {
        e.styles
            .iter()
            .filter(|m| m.style == style)
            .map(|m| slice(e, m.span))
            .collect()
    }

    /// A DOCX made in memory from a document.xml body.
    fn docx_with(document: &str, extra: &[(&str, &[u8])]) -> Vec<u8> {
        let mut buf = Cursor::new(Vec::new());
        {
            let mut w = zip::ZipWriter::new(&mut buf);
            let opts = zip::write::SimpleFileOptions::default()
                .compression_method(zip::CompressionMethod::Deflated);
            w.start_file("word/document.xml", opts).expect("start");
            w.write_all(document.as_bytes()).expect("write");
            for (name, data) in extra {
                w.start_file(*name, opts).expect("start");
                w.write_all(data).expect("write");
            }
            w.finish().expect("finish");
        }
        buf.into_inner()
    }

    const W: &str = r#"xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main""#;

    /// A paragraph in list `num` at level `ilvl`.
    fn item(num: &str, ilvl: u8, text: &str) -> String {
        format!(
            r#"<w:p><w:pPr><w:numPr><w:ilvl w:val="{ilvl}"/><w:numId w:val="{num}"/></w:numPr></w:pPr><w:r><w:t>{text}</w:t></w:r></w:p>"#
        )
    }

    fn para(text: &str) -> String {
        format!(r#"<w:p><w:r><w:t xml:space="preserve">{text}</w:t></w:r></w:p>"#)
    }

    fn styled(style: &str, ilvl: Option<u8>, text: &str) -> String {
        let ilvl = ilvl
            .map(|l| format!(r#"<w:numPr><w:ilvl w:val="{l}"/></w:numPr>"#))
            .unwrap_or_default();
        format!(
            r#"<w:p><w:pPr><w:pStyle w:val="{style}"/>{ilvl}</w:pPr><w:r><w:t>{text}</w:t></w:r></w:p>"#
        )
    }

    fn body(paragraphs: &[String]) -> String {
        format!(
            r#"<?xml version="1.0"?><w:document {W}><w:body>{}</w:body></w:document>"#,
            paragraphs.concat()
        )
    }

    /// A `w:lvl`: level, format, pattern, and extra properties.
    fn lvl(ilvl: u8, format: &str, text: &str, extra: &str) -> String {
        format!(
            r#"<w:lvl w:ilvl="{ilvl}"><w:start w:val="1"/><w:numFmt w:val="{format}"/><w:lvlText w:val="{text}"/>{extra}<w:pPr><w:ind w:left="720"/></w:pPr></w:lvl>"#
        )
    }

    fn numbering(abstracts: &[(u32, Vec<String>)], nums: &[(u32, u32, &str)]) -> String {
        let mut xml = format!(r#"<?xml version="1.0"?><w:numbering {W}>"#);
        for (id, levels) in abstracts {
            xml.push_str(&format!(
                r#"<w:abstractNum w:abstractNumId="{id}"><w:multiLevelType w:val="hybridMultilevel"/>{}</w:abstractNum>"#,
                levels.concat()
            ));
        }
        for (num, abs, extra) in nums {
            xml.push_str(&format!(
                r#"<w:num w:numId="{num}"><w:abstractNumId w:val="{abs}"/>{extra}</w:num>"#
            ));
        }
        xml.push_str("</w:numbering>");
        xml
    }

    #[test]
    fn lists_are_numbered_and_nested_as_word_shows_them() {
        let nums = numbering(
            &[
                (
                    0,
                    vec![
                        lvl(0, "decimal", "%1.", ""),
                        lvl(1, "lowerLetter", "%2)", ""),
                        lvl(2, "lowerRoman", "%3.", ""),
                    ],
                ),
                (
                    1,
                    vec![
                        lvl(0, "decimal", "%1.", r#"<w:pStyle w:val="ListNumber"/>"#),
                        lvl(1, "decimal", "%1.%2.", ""),
                    ],
                ),
                (
                    2,
                    vec![
                        lvl(0, "bullet", "\u{f0b7}", ""),
                        lvl(1, "bullet", "o", ""),
                        lvl(2, "bullet", "\u{f0a7}", ""),
                    ],
                ),
            ],
            &[
                (1, 0, ""),
                (2, 1, ""),
                (3, 2, ""),
                // Another instance of list 0: it goes on counting.
                (4, 0, ""),
                // "Restart numbering": an instance with a start override restarts the count
                // at its first item; the count goes on from there, whichever instance.
                (
                    5,
                    0,
                    r#"<w:lvlOverride w:ilvl="0"><w:startOverride w:val="1"/></w:lvlOverride>"#,
                ),
            ],
        );
        let styles = format!(
            r#"<w:styles {W}><w:style w:type="paragraph" w:styleId="ListNumber"><w:name w:val="List Number"/><w:pPr><w:numPr><w:numId w:val="2"/></w:numPr></w:pPr></w:style></w:styles>"#
        );
        let doc = body(&[
            item("1", 0, "First point"),
            item("1", 1, "Detail"),
            item("1", 1, "Second detail"),
            item("1", 2, "Finer still"),
            item("1", 0, "Second point"),
            item("1", 1, "Detail again"),
            para("Between the lists."),
            item("4", 0, "Continued"),
            // An empty item is numbered all the same: Word shows "4." on its own.
            r#"<w:p><w:pPr><w:numPr><w:ilvl w:val="0"/><w:numId w:val="1"/></w:numPr></w:pPr></w:p>"#.into(),
            item("1", 0, "After the empty one"),
            item("5", 0, "Restarted"),
            item("5", 0, "Restarted, second"),
            item("1", 0, "Back in the first instance"),
            styled("ListNumber", None, "Chapter"),
            styled("ListNumber", Some(1), "Section"),
            styled("ListNumber", Some(1), "Section two"),
            styled("ListNumber", None, "Next chapter"),
            item("3", 0, "Bullet"),
            item("3", 1, "Sub-bullet"),
            item("3", 2, "Sub-sub-bullet"),
            // numId 0 takes the style's numbering away.
            r#"<w:p><w:pPr><w:pStyle w:val="ListNumber"/><w:numPr><w:numId w:val="0"/></w:numPr></w:pPr><w:r><w:t>Not numbered</w:t></w:r></w:p>"#.into(),
            item("99", 0, "A list the file does not define"),
        ]);
        let e = extract(&docx_with(
            &doc,
            &[
                ("word/numbering.xml", nums.as_bytes()),
                ("word/styles.xml", styles.as_bytes()),
            ],
        ))
        .expect("reads");
        crate::import::assert_canonical(&e);
        let lines: Vec<&str> = e.text.split("\n\n").collect();
        assert_eq!(
            lines,
            [
                "1. First point",
                "a) Detail",
                "b) Second detail",
                "i. Finer still",
                "2. Second point",
                "a) Detail again",
                "Between the lists.",
                "3. Continued",
                "5. After the empty one",
                "1. Restarted",
                "2. Restarted, second",
                "3. Back in the first instance",
                "1. Chapter",
                "1.1. Section",
                "1.2. Section two",
                "2. Next chapter",
                "• Bullet",
                "◦ Sub-bullet",
                "▪ Sub-sub-bullet",
                "Not numbered",
                "• A list the file does not define",
            ]
        );
        let items = marked(&e, Style::ListItem);
        assert_eq!(items.len(), lines.len() - 2, "{items:?}");
        assert!(items.iter().all(|i| lines.contains(&i.as_str())));
    }

    #[test]
    fn list_levels_follow_restart_legal_numbers_suffix_and_formats() {
        let nums = numbering(
            &[(
                0,
                vec![
                    lvl(0, "upperRoman", "Part %1", ""),
                    // Never restarts; shown as decimals ("legal" numbering).
                    lvl(
                        1,
                        "decimal",
                        "%1.%2",
                        r#"<w:lvlRestart w:val="0"/><w:isLgl/>"#,
                    ),
                    lvl(2, "decimalZero", "%3", r#"<w:suff w:val="nothing"/>"#),
                ],
            )],
            &[(
                1,
                0,
                r#"<w:lvlOverride w:ilvl="0"><w:startOverride w:val="3"/></w:lvlOverride>"#,
            )],
        );
        let doc = body(&[
            item("1", 0, "Scope"),
            item("1", 1, "Terms"),
            item("1", 2, "-first"),
            item("1", 0, "Method"),
            item("1", 1, "Samples"),
        ]);
        let e =
            extract(&docx_with(&doc, &[("word/numbering.xml", nums.as_bytes())])).expect("reads");
        crate::import::assert_canonical(&e);
        assert_eq!(
            e.text,
            "Part III Scope\n\n3.1 Terms\n\n01-first\n\nPart IV Method\n\n4.2 Samples"
        );
    }

    fn notes_part(root: &str, tag: &str, notes: &[(&str, &str)]) -> String {
        let mut xml = format!(
            r#"<?xml version="1.0"?><w:{root} {W}><w:{tag} w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:{tag}><w:{tag} w:type="continuationSeparator" w:id="0"><w:p><w:r><w:t>continued</w:t></w:r></w:p></w:{tag}>"#
        );
        for (id, paragraphs) in notes {
            xml.push_str(&format!(r#"<w:{tag} w:id="{id}">{paragraphs}</w:{tag}>"#));
        }
        xml.push_str(&format!("</w:{root}>"));
        xml
    }

    /// A note's paragraph as Word writes it: the note's own mark, a space, the text.
    fn note_para(text: &str) -> String {
        format!(
            r#"<w:p><w:pPr><w:pStyle w:val="FootnoteText"/></w:pPr><w:r><w:rPr><w:rStyle w:val="FootnoteReference"/></w:rPr><w:footnoteRef/></w:r><w:r><w:t xml:space="preserve"> {text}</w:t></w:r></w:p>"#
        )
    }

    fn note_ref(tag: &str, id: &str) -> String {
        format!(
            r#"<w:r><w:rPr><w:rStyle w:val="FootnoteReference"/></w:rPr><w:{tag} w:id="{id}"/></w:r>"#
        )
    }

    #[test]
    fn footnotes_and_endnotes_keep_their_marks_and_follow_the_text() {
        let doc = body(&[
            format!(
                r#"<w:p><w:r><w:t>The quay was dredged in 2016</w:t></w:r>{}<w:r><w:t xml:space="preserve"> and again in 2019</w:t></w:r>{}<w:r><w:t>.</w:t></w:r></w:p>"#,
                note_ref("footnoteReference", "7"),
                note_ref("footnoteReference", "3"),
            ),
            format!(
                r#"<w:p><w:r><w:t>Costs rose</w:t></w:r>{}<w:r><w:t xml:space="preserve">, the council said</w:t></w:r><w:r><w:footnoteReference w:customMarkFollows="1" w:id="9"/><w:t>†</w:t></w:r><w:r><w:t>; see the annex</w:t></w:r>{}<w:r><w:t>.</w:t></w:r></w:p>"#,
                note_ref("endnoteReference", "2"),
                note_ref("endnoteReference", "5"),
            ),
        ]);
        let footnotes = notes_part(
            "footnotes",
            "footnote",
            &[
                ("3", note_para("Second dredging, by another firm.").as_str()),
                (
                    "7",
                    [
                        note_para("First dredging."),
                        para("Its report was never published."),
                    ]
                    .concat()
                    .as_str(),
                ),
                ("8", note_para("A note nothing refers to.").as_str()),
                ("9", note_para("Figures rounded.").as_str()),
            ],
        );
        let endnotes = notes_part(
            "endnotes",
            "endnote",
            &[
                ("2", note_para("Council minutes, May 2020.").as_str()),
                ("5", note_para("Annex B.").as_str()),
            ],
        );
        let e = extract(&docx_with(
            &doc,
            &[
                ("word/footnotes.xml", footnotes.as_bytes()),
                ("word/endnotes.xml", endnotes.as_bytes()),
            ],
        ))
        .expect("reads");
        crate::import::assert_canonical(&e);
        assert_eq!(
            e.text,
            "The quay was dredged in 2016[1] and again in 2019[2].\n\n\
             Costs rose[i], the council said†; see the annex[ii].\n\n\
             Footnotes\n\n\
             [1] First dredging.\n\n\
             Its report was never published.\n\n\
             [2] Second dredging, by another firm.\n\n\
             [†] Figures rounded.\n\n\
             Endnotes\n\n\
             [i] Council minutes, May 2020.\n\n\
             [ii] Annex B."
        );
        assert_eq!(marked(&e, Style::Heading(2)), ["Footnotes", "Endnotes"]);
    }

    #[test]
    fn note_numbers_follow_the_settings_and_missing_notes_keep_their_label() {
        let settings = format!(
            r#"<w:settings {W}><w:footnotePr><w:numFmt w:val="lowerLetter"/><w:footnote w:id="-1"/></w:footnotePr><w:endnotePr><w:numFmt w:val="decimal"/><w:numStart w:val="5"/></w:endnotePr></w:settings>"#
        );
        let doc = body(&[format!(
            r#"<w:p><w:r><w:t>One</w:t></w:r>{}<w:r><w:t xml:space="preserve"> two</w:t></w:r>{}<w:r><w:t xml:space="preserve"> three</w:t></w:r>{}</w:p>"#,
            note_ref("footnoteReference", "1"),
            note_ref("endnoteReference", "1"),
            note_ref("footnoteReference", "2"),
        )]);
        let footnotes = notes_part(
            "footnotes",
            "footnote",
            &[("1", note_para("Eins.").as_str())],
        );
        let e = extract(&docx_with(
            &doc,
            &[
                ("word/settings.xml", settings.as_bytes()),
                ("word/footnotes.xml", footnotes.as_bytes()),
            ],
        ))
        .expect("reads");
        crate::import::assert_canonical(&e);
        assert_eq!(
            e.text,
            "One[a] two[5] three[b]\n\nFootnotes\n\n[a] Eins.\n\n[b]\n\nEndnotes\n\n[5]"
        );
    }

    #[test]
    fn comments_go_to_the_metadata_with_the_words_they_mark() {
        let doc = body(&[
            String::from(
                r#"<w:p><w:r><w:t xml:space="preserve">Dredging </w:t></w:r><w:commentRangeStart w:id="0"/><w:r><w:t>costs rose by 40%</w:t></w:r><w:commentRangeEnd w:id="0"/><w:r><w:rPr><w:rStyle w:val="CommentReference"/></w:rPr><w:commentReference w:id="0"/></w:r><w:r><w:t xml:space="preserve"> last </w:t></w:r><w:commentRangeStart w:id="1"/><w:r><w:t>year.</w:t></w:r></w:p>"#,
            ),
            String::from(
                r#"<w:p><w:r><w:t>The council</w:t></w:r><w:commentRangeEnd w:id="1"/><w:r><w:t xml:space="preserve"> agreed.</w:t></w:r><w:r><w:commentReference w:id="2"/></w:r></w:p>"#,
            ),
        ]);
        let comments = format!(
            r#"<w:comments {W}><w:comment w:id="0" w:author="Ana Ruiz" w:date="2024-03-05T10:00:00Z" w:initials="AR"><w:p><w:r><w:annotationRef/></w:r><w:r><w:t>Source?</w:t></w:r></w:p><w:p><w:r><w:t>The annual report says 35%.</w:t></w:r></w:p></w:comment><w:comment w:id="1" w:author="Ben Ode"><w:p><w:r><w:t>Which year?</w:t></w:r></w:p></w:comment><w:comment w:id="2" w:author=""><w:p><w:r><w:t>Check the vote.</w:t></w:r></w:p></w:comment></w:comments>"#
        );
        let e = extract(&docx_with(
            &doc,
            &[("word/comments.xml", comments.as_bytes())],
        ))
        .expect("reads");
        crate::import::assert_canonical(&e);
        assert_eq!(
            e.text,
            "Dredging costs rose by 40% last year.\n\nThe council agreed."
        );
        assert_eq!(
            e.meta.comments,
            [
                Comment {
                    author: Some("Ana Ruiz".into()),
                    date: Some("2024-03-05T10:00:00Z".into()),
                    text: "Source? The annual report says 35%.".into(),
                    quote: Some("costs rose by 40%".into()),
                },
                Comment {
                    author: Some("Ben Ode".into()),
                    date: None,
                    text: "Which year?".into(),
                    quote: Some("year. The council".into()),
                },
                Comment {
                    author: None,
                    date: None,
                    text: "Check the vote.".into(),
                    quote: None,
                },
            ]
        );
    }

    #[test]
    fn long_comment_quotes_are_shortened_and_damaged_comments_do_not_lose_the_article() {
        let long = "word ".repeat(200);
        let doc = body(&[format!(
            r#"<w:p><w:commentRangeStart w:id="0"/><w:r><w:t>{long}</w:t></w:r><w:commentRangeEnd w:id="0"/></w:p>"#
        )]);
        let comments = format!(
            r#"<w:comments {W}><w:comment w:id="0"><w:p><w:r><w:t>Too long.</w:t></w:r></w:p></w:comment></w:comments>"#
        );
        let e = extract(&docx_with(
            &doc,
            &[("word/comments.xml", comments.as_bytes())],
        ))
        .expect("reads");
        let quote = e.meta.comments[0].quote.clone().expect("a quote");
        assert!(quote.ends_with("word…"), "{quote}");
        assert!(quote.chars().count() <= MAX_QUOTE_CHARS + 1, "{quote}");
        let damaged = docx_with(
            &doc,
            &[("word/comments.xml", b"<w:comments><w:comment></w:x>")],
        );
        let e = extract(&damaged).expect("the article still reads");
        assert!(e.meta.comments.is_empty());
        assert!(e.text.starts_with("word word"));
    }

    #[test]
    fn press_statement_text_styles_and_metadata() {
        let e = extract(EN).expect("fixture reads");
        crate::import::assert_canonical(&e);
        assert_eq!(
            e.meta,
            Metadata {
                title: Some("Statement on the Eastern Quay dredging review".into()),
                author: Some("Northbridge Port Authority".into()),
                published: Some("2024-03-06T10:30:00Z".into()),
                ..Metadata::default()
            }
        );
        let paras: Vec<&str> = e.text.split("\n\n").collect();
        assert_eq!(paras[0], "Statement on the Eastern Quay dredging review");
        assert_eq!(
            paras[1],
            "Northbridge Port Authority \u{2014} for immediate release, 6 March 2024"
        );
        assert_eq!(paras[2], "Summary");
        assert_eq!(
            paras[3],
            "The Port Authority has agreed to the independent environmental review requested by \
             Northbridge council, and will publish its terms of reference within two weeks."
        );
        assert_eq!(
            paras[5],
            "• how sediment moves in the inner harbour during winter tides;"
        );
        assert_eq!(paras[8], "• Findings will be published in full.");
        // Table cells are paragraphs; tabs and doubled spaces collapse.
        let tail: Vec<&str> = paras[paras.len() - 8..].to_vec();
        assert_eq!(
            tail,
            [
                "Timetable",
                "Stage",
                "Date",
                "Terms of reference",
                "20 March 2024",
                "Final report",
                "May 2025",
                "Press contact: Lena Okafor, press@northbridge-port.example (office hours)"
            ]
        );
        // Headers and footers are left out.
        assert!(!e.text.contains("press office") && !e.text.contains("Page footer"));
        assert_eq!(
            marked(&e, Style::Heading(1)),
            [
                "Statement on the Eastern Quay dredging review",
                "Summary",
                "Timetable"
            ]
        );
        assert_eq!(
            marked(&e, Style::Strong),
            ["Northbridge Port Authority", "agreed", "does not"]
        );
        assert_eq!(
            marked(&e, Style::Emphasis),
            ["within two weeks", "does not", "plan"]
        );
        assert_eq!(
            marked(&e, Style::Quote),
            ["We want this project to be judged on evidence, not on fear or on hope."]
        );
        assert_eq!(marked(&e, Style::ListItem).len(), 4);
    }

    #[test]
    fn korean_memo_is_exact() {
        let e = extract(KO).expect("fixture reads");
        crate::import::assert_canonical(&e);
        assert_eq!(
            e.text,
            "내부 메모: 항만 준설 검토\n\n수신: 홍보팀 전원\n\n노스브리지 항만청은 시의회가 요청한 \
             독립 환경 검토를 수용하기로 했습니다. 검토 결과는 내년 5월에 발표될 예정입니다.\n\n\
             언론 문의는 모두 홍보팀으로 전달해 주시기 바랍니다."
        );
        assert_eq!(e.meta.title.as_deref(), Some("항만 준설 검토 메모"));
        assert_eq!(e.meta.author.as_deref(), Some("김서연"));
        assert_eq!(e.meta.published.as_deref(), Some("2024-03-07T08:00:00Z"));
        assert_eq!(marked(&e, Style::Strong), ["독립 환경 검토"]);
        let heading = e.styles[0];
        assert_eq!(heading.style, Style::Heading(1));
        assert_eq!(heading.span, Span::between(0, 15));
    }

    #[test]
    fn runs_breaks_and_toggles() {
        let doc = format!(
            r#"<?xml version="1.0"?><w:document {W}><w:body>
            <w:p><w:pPr><w:pStyle w:val="Heading3"/></w:pPr><w:r><w:t>Head</w:t></w:r></w:p>
            <w:p><w:r><w:rPr><w:b/><w:i w:val="0"/></w:rPr><w:t xml:space="preserve">bold </w:t></w:r><w:r><w:rPr><w:b w:val="false"/></w:rPr><w:t>plain</w:t><w:tab/><w:t>x</w:t><w:br/><w:t>non</w:t><w:noBreakHyphen/><w:t>stop</w:t><w:sym w:char="F0E0"/></w:r></w:p>
            <w:p><w:r><w:t>  </w:t></w:r></w:p><w:p/>
            <w:p><w:r><w:t>a &amp; b &#233;</w:t></w:r><w:del><w:r><w:delText>gone</w:delText></w:r></w:del></w:p>
            </w:body></w:document>"#
        );
        let e = extract(&docx_with(&doc, &[])).expect("reads");
        crate::import::assert_canonical(&e);
        assert_eq!(e.text, "Head\n\nbold plain x non-stop\n\na & b é");
        assert_eq!(marked(&e, Style::Heading(3)), ["Head"]);
        assert_eq!(marked(&e, Style::Strong), ["bold"]);
        assert!(marked(&e, Style::Emphasis).is_empty());
        assert_eq!(e.meta, Metadata::default());
    }

    #[test]
    fn entities_from_a_dtd_are_not_expanded() {
        let doc = format!(
            r#"<?xml version="1.0"?><!DOCTYPE d [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;"><!ENTITY x SYSTEM "file:///etc/passwd">]><w:document {W}><w:body><w:p><w:r><w:t>x&b;&x;y</w:t></w:r></w:p></w:body></w:document>"#
        );
        let e = extract(&docx_with(&doc, &[])).expect("reads");
        assert_eq!(e.text, "xy");
    }

    #[test]
    fn oversized_entries_are_refused() {
        let doc = format!(
            r#"<w:document {W}><w:body><w:p><w:r><w:t>{}</w:t></w:r></w:p></w:body></w:document>"#,
            "a".repeat(5000)
        );
        let bytes = docx_with(&doc, &[]);
        let mut zip = zip::ZipArchive::new(Cursor::new(&bytes[..])).expect("zip");
        let err = read_entry_limited(&mut zip, "word/document.xml", 1024 * 1024 * 2)
            .expect("under the limit");
        assert!(err.is_some());
        let err = read_entry_limited(&mut zip, "word/document.xml", 4096).expect_err("over");
        assert_eq!(err, DocxError::PartTooLarge { limit: 4096 });
        assert!(err.to_string().contains("ZIP bomb"), "{err}");
    }

    #[test]
    fn not_docx_gives_clear_errors() {
        let err = extract(b"plain text").expect_err("not a zip");
        assert_eq!(err, DocxError::NotZip);
        assert_eq!(
            err.to_string(),
            "this file is not a DOCX document (it is not a ZIP archive)"
        );
        let mut buf = Cursor::new(Vec::new());
        {
            let mut w = zip::ZipWriter::new(&mut buf);
            w.start_file("readme.txt", zip::write::SimpleFileOptions::default())
                .expect("start");
            w.write_all(b"hello").expect("write");
            w.finish().expect("finish");
        }
        let err = extract(&buf.into_inner()).expect_err("no document");
        assert_eq!(err, DocxError::NoDocument);
        assert!(err.to_string().contains("not a Word document"), "{err}");
        let bad = docx_with("<w:document><w:body><w:p></w:q>", &[]);
        assert_eq!(extract(&bad).expect_err("bad xml"), DocxError::Damaged);
        for cut in [10, EN.len() / 2, EN.len() - 10] {
            assert!(extract(&EN[..cut]).is_err(), "cut at {cut}");
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 128, ..ProptestConfig::default() })]

        #[test]
        fn never_panics_on_arbitrary_bytes(bytes in proptest::collection::vec(any::<u8>(), 0..2048)) {
            if let Ok(e) = extract(&bytes) {
                crate::import::assert_canonical(&e);
            }
        }

        #[test]
        fn never_panics_on_mutated_fixtures(
            ko in any::<bool>(),
            edits in proptest::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 1..8),
        ) {
            let mut bytes = if ko { KO.to_vec() } else { EN.to_vec() };
            for (at, b) in edits {
                let i = at.index(bytes.len());
                bytes[i] = b;
            }
            if let Ok(e) = extract(&bytes) {
                crate::import::assert_canonical(&e);
            }
        }

        #[test]
        fn never_panics_on_arbitrary_numbering(
            defs in "(<w:(abstractNum|num|lvl|lvlOverride|startOverride|start|numFmt|lvlText|lvlRestart|abstractNumId|numStyleLink|isLgl|suff)( w:(val|ilvl|numId|abstractNumId)=\"(%[0-9]|-?[a-zA-Z0-9]){0,4}\")?/?>|</w:(abstractNum|num|lvl|lvlOverride)>){0,40}",
            items in proptest::collection::vec((0u8..12, 0u8..4), 0..12),
        ) {
            let numbering = format!(r#"<w:numbering {W}>{defs}</w:numbering>"#);
            let paragraphs: Vec<String> = items.iter().map(|&(ilvl, num)| item(&num.to_string(), ilvl, "x")).collect();
            if let Ok(e) = extract(&docx_with(&body(&paragraphs), &[("word/numbering.xml", numbering.as_bytes())])) {
                crate::import::assert_canonical(&e);
            }
        }

        #[test]
        fn never_panics_on_arbitrary_xml(body in "(<w:(p|r|t|b|i|tab|pPr|rPr|numId|pStyle)( w:val=\"[a-z0-9]{0,3}\")?/?>|</w:(p|r|t|pPr|rPr)>|[a-z &;#<>]{0,4}){0,40}") {
            let doc = format!(r#"<w:document {W}><w:body>{body}</w:body></w:document>"#);
            if let Ok(e) = extract(&docx_with(&doc, &[])) {
                crate::import::assert_canonical(&e);
            }
        }
    }
}
