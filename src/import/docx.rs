//! DOCX importer: the body of a Word document, one paragraph a line.
//!
//! Reads `word/document.xml` (paragraphs, runs, tables: each cell's paragraphs are paragraphs),
//! `word/styles.xml` (which paragraph styles are headings, quotes or lists; which character
//! styles are bold or italic) and `docProps/core.xml` (title, creator, created). Footnotes,
//! comments, headers, footers and deleted text (tracked changes) are left out.
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
use crate::model::provenance::{Metadata, Style, StyleMark};

/// Bumped whenever a change to this module can change the text it produces for the same file.
pub const EXTRACTOR_VERSION: u32 = 1;

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
    let meta = match read_entry(&mut zip, "docProps/core.xml")? {
        Some(xml) => parse_core(&xml),
        None => Metadata::default(),
    };
    let paragraphs = parse_document(&document, &styles)?;
    let (text, marks) = build(paragraphs);
    if text.is_empty() {
        return Err(DocxError::NoText);
    }
    Ok(Extracted {
        text,
        meta,
        styles: marks,
    })
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
    let text = decode_xml_bytes(buf).ok_or(DocxError::Damaged)?;
    Ok(Some(text))
}

/// XML parts are UTF-8 (or, rarely, UTF-16 with a byte-order mark); malformed bytes make the
/// part unreadable rather than guessed.
fn decode_xml_bytes(buf: Vec<u8>) -> Option<String> {
    let (encoding, bom) = encoding_rs::Encoding::for_bom(&buf).unwrap_or((encoding_rs::UTF_8, 0));
    encoding
        .decode_without_bom_handling_and_without_replacement(&buf[bom..])
        .map(|text| text.into_owned())
}

/// The character an entity reference stands for: a character reference or one of XML's five
/// predefined entities. A DTD's own entities are never expanded.
fn entity(r: &quick_xml::events::BytesRef<'_>) -> Option<char> {
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
    numbered: bool,
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
                        def.numbered = attr(&e, b"val").is_some_and(|v| v.trim() != "0");
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

/// The block style a paragraph style gives (following `basedOn`), and whether it numbers.
fn paragraph_style(styles: &HashMap<String, StyleDef>, id: &str) -> (Option<Style>, bool) {
    let mut style = None;
    let mut numbered = false;
    let mut key = Some(id.to_owned());
    for _ in 0..16 {
        let Some(k) = key.take() else { break };
        let def = styles.get(&k);
        if style.is_none() {
            style =
                block_style_by_name(&k).or_else(|| def.and_then(|d| block_style_by_name(&d.name)));
        }
        numbered |= def.is_some_and(|d| d.numbered);
        key = def.and_then(|d| d.based_on.clone());
    }
    (style, numbered)
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
// document.xml

#[derive(Debug, Default)]
struct Para {
    chars: Vec<(char, u8)>,
    style_id: Option<String>,
    numbered: Option<bool>,
}

struct Block {
    /// Collapsed text of the paragraph, with its inline flags.
    chars: Vec<(char, u8)>,
    style: Option<Style>,
    list: bool,
}

fn parse_document(xml: &str, styles: &HashMap<String, StyleDef>) -> Result<Vec<Block>, DocxError> {
    let mut reader = Reader::from_str(xml);
    let mut doc = DocumentReader::new(styles);
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
    if !doc.saw_body {
        return Err(DocxError::Damaged);
    }
    Ok(doc.out)
}

/// The state of one pass over `document.xml`: where in the paragraphs, runs and properties
/// the events are, and the paragraphs read so far.
struct DocumentReader<'a> {
    styles: &'a HashMap<String, StyleDef>,
    out: Vec<Block>,
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
}

impl<'a> DocumentReader<'a> {
    fn new(styles: &'a HashMap<String, StyleDef>) -> Self {
        Self {
            styles,
            out: Vec::new(),
            stack: Vec::new(),
            in_ppr: 0,
            in_rpr: 0,
            in_run: 0,
            in_text: 0,
            skip: 0,
            run_flags: 0,
            run_style_flags: 0,
            saw_body: false,
        }
    }

    /// Inside a run's text (`w:t`) that is kept.
    fn in_text(&self) -> bool {
        self.skip == 0 && self.in_text > 0
    }

    /// Text of the current run, into the innermost paragraph.
    fn push(&mut self, s: &str) {
        let flags = self.run_flags | self.run_style_flags;
        if let Some(p) = self.stack.last_mut() {
            p.chars.extend(s.chars().map(|c| (c, flags)));
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
            b"Fallback" | b"del" | b"moveFrom" | b"instrText" | b"delText"
            | b"footnoteReference" | b"endnoteReference" => self.skip = 1,
            b"p" => self.stack.push(Para::default()),
            b"pPr" => self.in_ppr += 1,
            b"rPr" => self.in_rpr += 1,
            b"r" => {
                self.in_run += 1;
                self.run_flags = 0;
                self.run_style_flags = 0;
            }
            b"t" if self.in_run > 0 => self.in_text += 1,
            _ => {}
        }
        self.properties(name, e);
    }

    /// An element without content: a property, or a tab, break or hyphen in a run.
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
        if self.in_run > 0 && self.in_rpr == 0 && self.in_ppr == 0 {
            match name {
                b"tab" | b"br" | b"cr" | b"ptab" => self.push(" "),
                b"noBreakHyphen" => self.push("-"),
                _ => {}
            }
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
            }
            b"pPr" => self.in_ppr = self.in_ppr.saturating_sub(1),
            b"rPr" => self.in_rpr = self.in_rpr.saturating_sub(1),
            b"r" => self.in_run = self.in_run.saturating_sub(1),
            b"t" => self.in_text = self.in_text.saturating_sub(1),
            _ => {}
        }
    }

    /// A paragraph read: a block with its style, unless it has no text.
    fn finish_paragraph(&mut self, p: Para) {
        let (style, style_numbered) = p
            .style_id
            .as_deref()
            .map(|id| paragraph_style(self.styles, id))
            .unwrap_or((None, false));
        let list = p.numbered.unwrap_or(style_numbered);
        let chars = collapse(&p.chars);
        if !chars.is_empty() {
            self.out.push(Block { chars, style, list });
        }
    }

    /// A paragraph property (its style, whether it is numbered) or a run property (bold,
    /// italic, character style).
    fn properties(&mut self, name: &[u8], e: &BytesStart) {
        if self.in_ppr > 0 && self.in_rpr == 0 {
            let Some(p) = self.stack.last_mut() else {
                return;
            };
            match name {
                b"pStyle" => p.style_id = attr(e, b"val"),
                b"numId" => p.numbered = Some(attr(e, b"val").is_some_and(|v| v.trim() != "0")),
                _ => {}
            }
        } else if self.in_rpr > 0 && self.in_ppr == 0 {
            match name {
                b"b" => set_flag(&mut self.run_flags, BOLD, toggle_on(e)),
                b"i" => set_flag(&mut self.run_flags, ITALIC, toggle_on(e)),
                b"rStyle" => {
                    self.run_style_flags = attr(e, b"val")
                        .map(|id| character_flags(self.styles, &id))
                        .unwrap_or(0);
                }
                _ => {}
            }
        }
    }
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
        let mut chars = block.chars;
        if block.list {
            chars.splice(0..0, [('•', 0), (' ', 0)]);
        }
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
        fn never_panics_on_arbitrary_xml(body in "(<w:(p|r|t|b|i|tab|pPr|rPr|numId|pStyle)( w:val=\"[a-z0-9]{0,3}\")?/?>|</w:(p|r|t|pPr|rPr)>|[a-z &;#<>]{0,4}){0,40}") {
            let doc = format!(r#"<w:document {W}><w:body>{body}</w:body></w:document>"#);
            if let Ok(e) = extract(&docx_with(&doc, &[])) {
                crate::import::assert_canonical(&e);
            }
        }
    }
}
