//! PDF importer: the text layer of a PDF, rebuilt into paragraphs.
//!
//! Glyphs come from `pdf-extract` (on `lopdf`), with their positions; this module groups them
//! into lines (along the text's own direction, so rotated text reads as words), drops glyphs
//! outside the page's visible box (CropBox within MediaBox), puts right-to-left lines into
//! logical order and a page's columns into reading order (`glyphs`, `layout`), reads vertical
//! writing down its columns and the columns right to left, drops page
//! furniture (page numbers, running headers and footers at the top or bottom of pages), and
//! joins lines into paragraphs: by vertical gaps, first-line indents, changes of font size, and
//! short lines that end a sentence. Hyphenated line ends (`exam-` + `ple`) are joined. A
//! paragraph is carried over a page break when the text clearly continues. Where each page
//! starts is kept as [`Metadata::pages`]. CID fonts pdf-extract cannot read by itself (CJK
//! fonts without a Unicode map, predefined CMaps, vertical fonts) are rewritten in the loaded
//! document first (`cid`). A page whose glyphs mostly decode to no letter (a font without a
//! Unicode map and without a known character collection) is replaced by a bracketed note
//! saying so.
//!
//! Metadata: the Info dictionary's Title, Author and CreationDate (XMP `dc:title` when Info has
//! no title). `published` is the document's date (CreationDate), which for most article PDFs is
//! when the PDF was made, not necessarily when the article first appeared.
//!
//! Limits: no OCR (a PDF without a text layer is refused), one level of columns (no columns
//! within columns), no table or figure detection (a table of short cells keeps its rows; one
//! of long cells may read as columns), no styles, no fonts numbered by glyph without a Unicode
//! map (`Adobe-Identity`).
//!
//! Bounded work: a hostile file cannot make the import hang or take the machine's memory.
//! `bounds` measures every compressed stream before anything decompresses it and walks the
//! page tree for loops; `check_forms` adds up what drawing the pages costs (a form drawn ten
//! times counts ten times) and refuses loops of drawings.

use std::collections::{HashMap, HashSet};
use std::panic::{AssertUnwindSafe, catch_unwind};

use pdf_extract::{Document, MediaBox, Object, ObjectId, OutputDev, OutputError, Transform};

use super::Extracted;
use crate::model::provenance::Metadata;

mod bounds;
mod cid;
mod glyphs;
mod layout;

use glyphs::Glyph;

/// Bumped whenever a change to this module can change the text it produces for the same file.
/// 3: CJK fonts without a Unicode map, vertical writing, CJK lines joined without a space.
pub const EXTRACTOR_VERSION: u32 = 3;

/// PDFs with more pages are refused.
pub const MAX_PAGES: usize = 2_000;
/// Extraction stops (with an error) past this many characters of text.
const MAX_CHARS: usize = 20_000_000;
/// Form XObjects nested deeper than this are refused (pdf-extract recurses into them).
const MAX_FORM_DEPTH: usize = 32;
/// Glyphs (with their positions) held at once before they are made into text: a page is put in
/// reading order as a whole up to this, which bounds the memory a page of 20 million characters
/// takes (some 70 bytes a glyph).
const MAX_HELD_GLYPHS: usize = 200_000;
/// The stack of the thread that runs the extraction: pdf-extract and lopdf recurse.
const STACK_BYTES: usize = 64 * 1024 * 1024;

/// Why a PDF gave no text; the message is a short plain sentence without the file name (the
/// caller adds it). The limits a hostile file runs into are the `TooLarge`-kind variants (see
/// [`crate::import::ErrorKind`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum PdfError {
    #[error("this file is not a PDF")]
    NotPdf,
    #[error("this PDF is protected by a password; remove the protection and open it again")]
    Encrypted,
    #[error("this PDF is damaged or in a form Claimmark cannot read")]
    Damaged,
    #[error("page {page} of this PDF is damaged or cannot be read")]
    PageDamaged { page: u32 },
    #[error("this PDF has no pages")]
    NoPages,
    #[error("this PDF has no text layer (a scanned document?); Claimmark does not do OCR")]
    NoText,
    /// Every page with text draws it in fonts that do not map their glyphs to letters.
    #[error(
        "this PDF's text cannot be decoded: its fonts do not say which letters their glyphs are (no Unicode map)"
    )]
    Undecodable,
    #[error("this PDF has {pages} pages; Claimmark opens PDFs of at most {MAX_PAGES} pages")]
    TooManyPages { pages: usize },
    /// More than `MAX_CHARS` characters of text.
    #[error("this PDF has more text than Claimmark can open")]
    TooMuchText,
    /// Drawing the pages would read more than `MAX_DRAWING_BYTES`.
    #[error("this PDF draws more than {} MB of drawing instructions (its drawings draw each other over and over); it is not opened", MAX_DRAWING_BYTES >> 20)]
    TooMuchDrawing,
    /// Drawings that draw themselves, or nest deeper than `MAX_FORM_DEPTH`.
    #[error("this PDF has drawings nested in themselves; it cannot be read")]
    NestedDrawings,
    /// A stream, or all the streams of the file together, would expand past `limit` bytes.
    #[error("this PDF has compressed data that expands to more than {} MB (a decompression bomb?); it is not opened", limit >> 20)]
    Expands { limit: u64 },
    #[error("this PDF's page tree loops back on itself; it cannot be read")]
    PageTreeLoop,
    #[error("this PDF's page tree is nested too deeply to be read")]
    PageTreeTooDeep,
}

/// Reads a PDF's text and metadata.
pub fn extract(bytes: &[u8]) -> Result<Extracted, PdfError> {
    let head = &bytes[..bytes.len().min(1024)];
    if !head.windows(5).any(|w| w == b"%PDF-") {
        return Err(PdfError::NotPdf);
    }
    // lopdf and pdf-extract recurse on nested objects: a thread with a large stack keeps a
    // deeply nested (but legal) file from overflowing the caller's stack. Panics inside
    // pdf-extract are caught per page below; the thread's join catches anything else.
    let owned = bytes.to_vec();
    let worker = std::thread::Builder::new()
        .name("pdf-import".to_owned())
        .stack_size(STACK_BYTES)
        .spawn(move || catch_unwind(AssertUnwindSafe(|| extract_inner(&owned))));
    match worker {
        Ok(handle) => match handle.join() {
            Ok(Ok(result)) => result,
            _ => Err(PdfError::Damaged),
        },
        Err(_) => catch_unwind(AssertUnwindSafe(|| extract_inner(bytes)))
            .unwrap_or(Err(PdfError::Damaged)),
    }
}

fn extract_inner(bytes: &[u8]) -> Result<Extracted, PdfError> {
    let mut doc = bounds::load(bytes)?;
    let pages = doc.get_pages();
    if pages.is_empty() {
        return Err(PdfError::NoPages);
    }
    if pages.len() > MAX_PAGES {
        return Err(PdfError::TooManyPages { pages: pages.len() });
    }
    check_forms(&doc, pages.values().copied())?;
    let fonts = cid::prepare(&mut doc);

    let mut collector = Collector::default();
    for (&num, &id) in pages.iter() {
        fonts.page(&mut doc, id);
        collector.start_page(visible_box(&doc, id), page_rotation(&doc, id));
        let run = catch_unwind(AssertUnwindSafe(|| {
            pdf_extract::output_doc_page(&doc, &mut collector, num)
        }));
        match run {
            Ok(Ok(())) => {}
            Ok(Err(_)) if collector.too_much => return Err(PdfError::TooMuchText),
            _ => return Err(PdfError::PageDamaged { page: num }),
        }
        collector.finish_page();
    }

    let mut meta = read_metadata(&doc);
    let undecodable = collector.undecodable;
    if undecodable.iter().any(|&u| u)
        && undecodable
            .iter()
            .zip(&collector.pages)
            .all(|(&u, lines)| u || lines.is_empty())
    {
        return Err(PdfError::Undecodable);
    }
    let page_lines: Vec<Vec<Line>> = collector
        .pages
        .into_iter()
        .zip(undecodable)
        .enumerate()
        .map(|(p, (lines, unreadable))| {
            if unreadable {
                vec![undecodable_notice(p + 1)]
            } else {
                lines
            }
        })
        .collect();
    if page_lines.iter().all(|p| p.is_empty()) {
        return Err(PdfError::NoText);
    }
    let kept = drop_furniture(page_lines);
    let (text, pages) = build_text(&kept);
    if text.is_empty() {
        return Err(PdfError::NoText);
    }
    meta.pages = pages;
    Ok(Extracted {
        text,
        meta,
        styles: Vec::new(),
    })
}

/// What stands in the text for a page that cannot be decoded, in place of the junk its glyphs
/// would give: the analyst sees which page is missing and why.
fn undecodable_notice(page: usize) -> Line {
    Line {
        text: format!(
            "[Page {page} cannot be read: its font has no map from its glyphs to letters that \
             Claimmark can use.]"
        ),
        size: 1.0,
        notice: true,
        ..Line::default()
    }
}

// ---------------------------------------------------------------------------------------------
// Form XObjects: pdf-extract draws them recursively, and reads a form again each time it is
// drawn, so a form that draws itself would never end, and forms that draw each other ten times
// over, 30 levels deep, would not end either.

/// What drawing the pages costs, in bytes of drawing instructions pdf-extract reads: a form
/// counts each time it is drawn.
const MAX_DRAWING_BYTES: u64 = 1 << 30;

/// Refuses a file whose drawings (form XObjects) draw themselves, directly or through others,
/// nest deeper than [`MAX_FORM_DEPTH`], or add up to more than [`MAX_DRAWING_BYTES`]. A page
/// or form draws the names its drawing instructions use (`/Name Do`), looked up in its own
/// resources, else in those it was drawn with (as pdf-extract does). Only a form met again
/// while it is being drawn is a loop: a form without resources of its own, listed in the
/// resources it uses, is not.
fn check_forms(doc: &Document, page_ids: impl Iterator<Item = ObjectId>) -> Result<(), PdfError> {
    let mut walk = FormWalk {
        doc,
        costs: HashMap::new(),
        draws: HashMap::new(),
        stack: Vec::new(),
        budget: 200_000,
    };
    let empty = pdf_extract::Dictionary::new();
    let mut total = 0u64;
    for page in page_ids {
        let resources = inherited_dict(doc, page, b"Resources").unwrap_or(&empty);
        let content = doc.get_page_content(page).unwrap_or_default();
        total = total.saturating_add(walk.cost_of(&content, resources)?);
        if total > MAX_DRAWING_BYTES {
            return Err(PdfError::TooMuchDrawing);
        }
    }
    Ok(())
}

struct FormWalk<'a> {
    doc: &'a Document,
    /// The cost of drawing a form with the resources it is drawn with.
    costs: HashMap<(ObjectId, usize), u64>,
    /// What each form draws, and how often.
    draws: HashMap<ObjectId, (u64, HashMap<Vec<u8>, u64>)>,
    /// The forms being drawn.
    stack: Vec<ObjectId>,
    /// XObject lookups left: a bound on the walk itself.
    budget: usize,
}

impl<'a> FormWalk<'a> {
    /// The cost of drawing `content` with `resources`: its own size and that of every form it
    /// draws, each time it draws it.
    fn cost_of(
        &mut self,
        content: &[u8],
        resources: &'a pdf_extract::Dictionary,
    ) -> Result<u64, PdfError> {
        let mut cost = content.len() as u64;
        for (name, times) in drawn_names(content) {
            let one = self.form_cost(&name, resources)?;
            cost = cost.saturating_add(one.saturating_mul(times));
            if cost > MAX_DRAWING_BYTES {
                return Err(PdfError::TooMuchDrawing);
            }
        }
        Ok(cost)
    }

    fn form_cost(
        &mut self,
        name: &[u8],
        resources: &'a pdf_extract::Dictionary,
    ) -> Result<u64, PdfError> {
        self.budget = self.budget.checked_sub(1).ok_or(PdfError::NestedDrawings)?;
        let doc = self.doc;
        let Some(id) = resources
            .get(b"XObject")
            .ok()
            .and_then(|o| deref(doc, o))
            .and_then(|o| o.as_dict().ok())
            .and_then(|x| x.get(name).ok())
            .and_then(|o| o.as_reference().ok())
        else {
            return Ok(0);
        };
        let Ok(stream) = doc.get_object(id).and_then(Object::as_stream) else {
            return Ok(0);
        };
        let is_form = stream
            .dict
            .get(b"Subtype")
            .ok()
            .and_then(|s| s.as_name().ok())
            .is_some_and(|n| n == b"Form");
        if !is_form {
            return Ok(0);
        }
        if self.stack.contains(&id) || self.stack.len() >= MAX_FORM_DEPTH {
            return Err(PdfError::NestedDrawings);
        }
        let inner = stream
            .dict
            .get(b"Resources")
            .ok()
            .and_then(|o| deref(doc, o))
            .and_then(|o| o.as_dict().ok())
            .unwrap_or(resources);
        let key = (id, inner as *const _ as usize);
        if let Some(&cost) = self.costs.get(&key) {
            return Ok(cost);
        }
        let (size, names) = self
            .draws
            .entry(id)
            .or_insert_with(|| {
                let content = content_of(stream);
                (content.len() as u64, drawn_names(&content))
            })
            .clone();
        self.stack.push(id);
        let mut cost = size;
        for (name, times) in names {
            let one = self.form_cost(&name, inner)?;
            cost = cost.saturating_add(one.saturating_mul(times));
            if cost > MAX_DRAWING_BYTES {
                return Err(PdfError::TooMuchDrawing);
            }
        }
        self.stack.pop();
        self.costs.insert(key, cost);
        Ok(cost)
    }
}

/// A stream's data as pdf-extract reads it: decoded (its size was bounded when the file was
/// loaded), or as stored when it cannot be decoded.
fn content_of(stream: &pdf_extract::Stream) -> Vec<u8> {
    if stream.is_compressed() {
        stream
            .decompressed_content()
            .unwrap_or_else(|_| stream.content.clone())
    } else {
        stream.content.clone()
    }
}

/// The XObject names drawing instructions draw (`/Name Do`), with how often. A quick scan of
/// the tokens, not a parse: `Do` inside a string may count too, which only overestimates.
fn drawn_names(content: &[u8]) -> HashMap<Vec<u8>, u64> {
    let is_delimiter = |c: u8| c.is_ascii_whitespace() || b"()<>[]{}/%".contains(&c);
    let mut names: HashMap<Vec<u8>, u64> = HashMap::new();
    let mut from = 0;
    while let Some(at) = content[from..].windows(2).position(|w| w == b"Do") {
        let at = from + at;
        from = at + 2;
        let before_ok = at == 0 || is_delimiter(content[at - 1]);
        let after_ok = content.get(at + 2).is_none_or(|&c| is_delimiter(c));
        if !before_ok || !after_ok {
            continue;
        }
        // The operand: the name token before, past whitespace.
        let mut end = at;
        while end > 0 && content[end - 1].is_ascii_whitespace() {
            end -= 1;
        }
        let mut start = end;
        while start > 0 && !is_delimiter(content[start - 1]) {
            start -= 1;
        }
        if start == 0 || content[start - 1] != b'/' {
            continue;
        }
        *names
            .entry(unescape_name(&content[start..end]))
            .or_default() += 1;
    }
    names
}

/// A name's `#xx` escapes decoded, as lopdf reads names.
fn unescape_name(raw: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(raw.len());
    let mut i = 0;
    while i < raw.len() {
        let hex = raw
            .get(i + 1..i + 3)
            .and_then(|h| std::str::from_utf8(h).ok());
        match (raw[i], hex.and_then(|h| u8::from_str_radix(h, 16).ok())) {
            (b'#', Some(byte)) => {
                out.push(byte);
                i += 3;
            }
            (c, _) => {
                out.push(c);
                i += 1;
            }
        }
    }
    out
}

fn deref<'a>(doc: &'a Document, obj: &'a Object) -> Option<&'a Object> {
    doc.dereference(obj).ok().map(|(_, o)| o)
}

/// The part of a page that is shown: its CropBox within its MediaBox (either inherited from the
/// page tree), or the MediaBox; None when the page does not say (then nothing is cut).
fn visible_box(doc: &Document, page: ObjectId) -> Option<PageBox> {
    let media = inherited_rect(doc, page, b"MediaBox")?;
    let Some(crop) = inherited_rect(doc, page, b"CropBox") else {
        return Some(media);
    };
    let shown = [
        media[0].max(crop[0]),
        media[1].max(crop[1]),
        media[2].min(crop[2]),
        media[3].min(crop[3]),
    ];
    // A crop box outside the media box is a broken file: show the whole page.
    Some(if shown[0] < shown[2] && shown[1] < shown[3] {
        shown
    } else {
        media
    })
}

/// A rectangle of a page or its ancestors (`/MediaBox`, `/CropBox`), corners normalised.
fn inherited_rect(doc: &Document, node: ObjectId, key: &[u8]) -> Option<PageBox> {
    let mut dict = doc.get_dictionary(node).ok()?;
    for _ in 0..64 {
        if let Some(found) = dict.get(key).ok().and_then(|o| deref(doc, o)) {
            let numbers: Vec<f64> = found
                .as_array()
                .ok()?
                .iter()
                .filter_map(|n| deref(doc, n)?.as_float().ok().map(f64::from))
                .collect();
            let [a, b, c, d] = numbers[..] else {
                return None;
            };
            return [a, b, c, d]
                .iter()
                .all(|v| v.is_finite())
                .then(|| [a.min(c), b.min(d), a.max(c), b.max(d)]);
        }
        let parent = dict.get(b"Parent").ok()?.as_reference().ok()?;
        dict = doc.get_dictionary(parent).ok()?;
    }
    None
}

fn inherited_dict<'a>(
    doc: &'a Document,
    node: ObjectId,
    key: &[u8],
) -> Option<&'a pdf_extract::Dictionary> {
    let mut dict = doc.get_dictionary(node).ok()?;
    for _ in 0..64 {
        if let Some(found) = dict
            .get(key)
            .ok()
            .and_then(|o| deref(doc, o))
            .and_then(|o| o.as_dict().ok())
        {
            return Some(found);
        }
        let parent = dict.get(b"Parent").ok()?.as_reference().ok()?;
        dict = doc.get_dictionary(parent).ok()?;
    }
    None
}

// ---------------------------------------------------------------------------------------------
// Glyphs to lines

/// A line of text as drawn: its text (spaces collapsed) and where it sits on the page, in
/// points from the page's top left corner. A line of rotated text has its positions along its
/// own direction instead; a right-to-left line has its x positions mirrored, so that its
/// margin, indents and short last line are where the paragraph rules look for them.
#[derive(Clone, Debug, Default)]
struct Line {
    text: String,
    x0: f64,
    x1: f64,
    /// Baseline, growing downwards.
    y: f64,
    /// The largest glyph size on the line.
    size: f64,
    /// Drawn at an angle (not left to right along the page, nor down it as vertical writing).
    rotated: bool,
    /// A column of vertical writing, upright on the page: its positions are along the column
    /// (x, growing downwards) and across it (y, growing leftwards), so that columns read
    /// right to left.
    vertical: bool,
    /// Claimmark's own note in place of a page's text (a page that cannot be decoded): a
    /// paragraph of its own, never page furniture.
    notice: bool,
}

/// The page's visible box (CropBox within MediaBox), in PDF user space: `[llx, lly, urx, ury]`.
type PageBox = [f64; 4];

#[derive(Default)]
struct Collector {
    pages: Vec<Vec<Line>>,
    line: Option<Line>,
    /// The glyphs of the current line, in drawing order.
    glyphs: Vec<Glyph>,
    /// The page's lines so far, with their glyphs, and how many glyphs that is.
    drawn: Vec<(Line, Vec<Glyph>)>,
    held: usize,
    /// The direction of the current line's text on the page (a unit vector, PDF user space).
    dir: (f64, f64),
    /// The direction the page reads in, left to right as it is shown (see [`level_direction`]).
    level: (f64, f64),
    page_height: f64,
    /// The page's left and right edges, about which right-to-left lines are mirrored.
    page_x: (f64, f64),
    /// What of the page is shown; glyphs outside it are not text. Set before each page.
    visible: Option<PageBox>,
    chars: usize,
    too_much: bool,
    /// Glyphs drawn on the current page, and how many of them decode to no letter.
    page_glyphs: usize,
    page_undecoded: usize,
    /// For each page, whether its text could not be decoded.
    undecodable: Vec<bool>,
    /// The column of vertical writing being drawn (see [`Collector::vertical_origin`]).
    column: Option<Column>,
}

/// Where a glyph sits: along its line (`x` to `end`) and across it (`y`), the line's direction,
/// whether that is the way the page reads (left to right, or down for vertical writing), and
/// whether the glyph is of upright vertical writing.
struct Placed {
    x: f64,
    y: f64,
    end: f64,
    dir: (f64, f64),
    upright: bool,
    vertical: bool,
}

/// A column of vertical writing as pdf-extract draws it: from where the text position was set
/// (`start`), to the right along the text's x axis by the glyphs' vertical advances (see
/// [`cid`]).
struct Column {
    start: (f64, f64),
    /// Where pdf-extract drew the last glyph, and that glyph's advance.
    last: (f64, f64),
    advance: f64,
    /// How far down the column the last glyph is.
    down: f64,
}

impl Collector {
    fn start_page(&mut self, visible: Option<PageBox>, rotate: i64) {
        self.finish_page();
        self.level = level_direction(rotate);
        self.pages.push(Vec::new());
        self.undecodable.push(false);
        (self.page_glyphs, self.page_undecoded) = (0, 0);
        self.page_height = 0.0;
        self.visible = visible;
        self.column = None;
    }

    /// Sets the current line aside with its glyphs: its text is made when the page is done, or
    /// when the page's glyphs set aside pass [`MAX_HELD_GLYPHS`] (a page of more text than any
    /// article's: its lines so far are made into text then, in drawing order).
    fn finish_line(&mut self) {
        let glyphs = std::mem::take(&mut self.glyphs);
        if let Some(line) = self.line.take() {
            self.held += glyphs.len();
            self.drawn.push((line, glyphs));
        }
        if self.held > MAX_HELD_GLYPHS {
            self.make_text();
        }
    }

    /// Turns the page's lines into text, now that the page's main direction is known (it
    /// decides which way a line that mixes scripts reads), and puts them in reading order: a
    /// page whose text stands in columns is read column by column (see [`layout`]).
    fn finish_page(&mut self) {
        self.finish_line();
        self.make_text();
        if is_undecodable(self.page_glyphs, self.page_undecoded)
            && let Some(flag) = self.undecodable.last_mut()
        {
            *flag = true;
        }
    }

    /// Makes the lines set aside into text and adds them to the page, in reading order.
    fn make_text(&mut self) {
        self.held = 0;
        let drawn = std::mem::take(&mut self.drawn);
        let page_rtl = glyphs::reads_rtl(drawn.iter().flat_map(|(_, g)| g));
        // The page's lines with their text (and whether they read right to left), and the
        // pieces of each level line cut at wide gaps.
        let mut lines: Vec<(Line, bool)> = Vec::new();
        let mut pieces: Vec<Line> = Vec::new();
        let mut boxes: Vec<layout::Piece> = Vec::new();
        for (mut line, glyphs) in drawn {
            let (text, rtl) = glyphs::line_text(&glyphs, page_rtl);
            line.text = collapse(&glyphs::plain_letters(&text));
            if line.text.is_empty() {
                continue;
            }
            let index = lines.len();
            if !line.rotated && !line.vertical {
                for piece in cut_line(&line, &glyphs, rtl) {
                    boxes.push(layout::Piece {
                        words: piece.text.split(' ').count(),
                        x0: piece.x0,
                        x1: piece.x1,
                        y: piece.y,
                        size: piece.size,
                        line: index,
                    });
                    pieces.push(piece);
                }
            }
            lines.push((line, rtl));
        }
        // Columns of vertical writing come after the level lines (a title above them), in their
        // own order.
        let (mut vertical, lines): (Vec<_>, Vec<_>) = lines.into_iter().partition(|l| l.0.vertical);
        vertical_order(&mut vertical);
        let ordered: Vec<(Line, bool)> = match layout::reading_order(&boxes, page_rtl) {
            None => lines,
            Some(order) => {
                let mut out: Vec<(Line, bool)> = order
                    .into_iter()
                    .map(|item| match item {
                        layout::Item::Line(l) => lines[l].clone(),
                        layout::Item::Piece(p) => (pieces[p].clone(), lines[boxes[p].line].1),
                    })
                    .collect();
                out.extend(lines.into_iter().filter(|(l, _)| l.rotated));
                out
            }
        };
        let ordered = ordered.into_iter().chain(vertical);
        let (left, right) = self.page_x;
        let Some(page) = self.pages.last_mut() else {
            return;
        };
        for (mut line, rtl) in ordered {
            if rtl && !line.rotated {
                (line.x0, line.x1) = (left + right - line.x1, left + right - line.x0);
            }
            page.push(line);
        }
    }

    /// Where a glyph of `advance` is drawn on its line: None when not on the visible page.
    fn place(
        &mut self,
        trm: &Transform,
        advance: f64,
        size: f64,
        vertical: bool,
    ) -> Option<Placed> {
        let (origin, (dir, upright)) = if vertical {
            let down = unit(-trm.m21, -trm.m22).unwrap_or((self.level.1, -self.level.0));
            let upright = down.0 * self.level.1 - down.1 * self.level.0 > 0.9998;
            (self.vertical_origin(trm, advance, size), (down, upright))
        } else {
            ((trm.m31, trm.m32), direction(trm, self.level))
        };
        let vertical = vertical && upright;
        // Positions along the line's direction (x) and across it (y, growing downwards): for
        // horizontal text on a page that is not turned, the page's own x and y from the top.
        let (x, y) = if upright && !vertical && self.level == (1.0, 0.0) {
            (origin.0, self.page_height - origin.1)
        } else {
            (
                origin.0 * dir.0 + origin.1 * dir.1,
                origin.0 * dir.1 - origin.1 * dir.0,
            )
        };
        if !x.is_finite() || !y.is_finite() {
            return None;
        }
        let mut end = x + advance;
        if !end.is_finite() || end < x {
            end = x;
        }
        self.shows(origin, dir, end - x).then_some(Placed {
            x,
            y,
            end,
            dir,
            upright,
            vertical,
        })
    }

    /// Where a glyph of vertical writing is drawn. pdf-extract moves the text position along
    /// the text's x axis by each glyph's advance; [`cid`] made that advance the glyph's
    /// vertical one, so a column comes as a row from where it starts. A glyph that is not
    /// about where the last one left off (across the axis, or more than one and a half glyphs
    /// back or two ahead) starts a new column: its text position was set anew (`Td`, `Tm`), so it is where
    /// it is drawn. Character spacing and `TJ` adjustments move a glyph the other way in
    /// vertical writing (up for what moves right), so a step's difference from the advance is
    /// turned round.
    fn vertical_origin(&mut self, trm: &Transform, advance: f64, size: f64) -> (f64, f64) {
        let drawn = (trm.m31, trm.m32);
        let along = unit(trm.m11, trm.m12).unwrap_or((1.0, 0.0));
        let down = unit(-trm.m21, -trm.m22).unwrap_or((along.1, -along.0));
        let advance = if advance.is_finite() { advance } else { 0.0 };
        let step = self.column.as_ref().and_then(|c| {
            let (dx, dy) = (drawn.0 - c.last.0, drawn.1 - c.last.1);
            let ahead = dx * along.0 + dy * along.1;
            let across = dx * along.1 - dy * along.0;
            let off = ahead - c.advance;
            (across.abs() < 0.1 * size && off >= -1.5 * size && off < 2.0 * size)
                .then_some(c.advance - off)
        });
        let column = match (self.column.as_mut(), step) {
            (Some(c), Some(step)) => {
                c.down += step;
                c
            }
            _ => self.column.insert(Column {
                start: drawn,
                last: drawn,
                advance,
                down: 0.0,
            }),
        };
        (column.last, column.advance) = (drawn, advance);
        let gone = column.down;
        (
            column.start.0 + down.0 * gone,
            column.start.1 + down.1 * gone,
        )
    }

    /// False for a glyph whose middle is outside the page's visible box (printer's marks,
    /// text pushed off the page).
    fn shows(&self, origin: (f64, f64), dir: (f64, f64), advance: f64) -> bool {
        let Some([llx, lly, urx, ury]) = self.visible else {
            return true;
        };
        let (x, y) = (
            origin.0 + dir.0 * advance / 2.0,
            origin.1 + dir.1 * advance / 2.0,
        );
        (llx..=urx).contains(&x) && (lly..=ury).contains(&y)
    }
}

/// Puts columns of vertical writing in reading order: right to left, tier by tier from the
/// top (a tier: columns whose extents down the page overlap, as in a newspaper's).
fn vertical_order(columns: &mut [(Line, bool)]) {
    let mut by_top: Vec<usize> = (0..columns.len()).collect();
    by_top.sort_by(|&a, &b| columns[a].0.x0.total_cmp(&columns[b].0.x0));
    let mut tier = vec![0usize; columns.len()];
    let (mut current, mut bottom) = (0, f64::NEG_INFINITY);
    for i in by_top {
        let line = &columns[i].0;
        if line.x0 >= bottom && bottom > f64::NEG_INFINITY {
            current += 1;
        }
        bottom = bottom.max(line.x1);
        tier[i] = current;
    }
    let mut keyed: Vec<(usize, (Line, bool))> =
        tier.into_iter().zip(columns.iter().cloned()).collect();
    keyed.sort_by(|a, b| a.0.cmp(&b.0).then(a.1.0.y.total_cmp(&b.1.0.y)));
    for (slot, (_, line)) in columns.iter_mut().zip(keyed) {
        *slot = line;
    }
}

/// A level line cut at its wide gaps (see [`glyphs::pieces`]); a line with right-to-left
/// letters stays whole (its glyphs' order is not its reading order).
fn cut_line(line: &Line, glyphs: &[Glyph], rtl: bool) -> Vec<Line> {
    if rtl || glyphs.iter().any(|g| glyphs::has_rtl(&g.text)) {
        return vec![line.clone()];
    }
    let ranges = glyphs::pieces(glyphs);
    if ranges.len() < 2 {
        return vec![line.clone()];
    }
    ranges
        .into_iter()
        .filter_map(|r| piece_line(line, &glyphs[r]))
        .collect()
}

/// A piece of a level line: its glyphs' text and extent, on the line's baseline. None when the
/// piece has no text.
fn piece_line(line: &Line, glyphs: &[Glyph]) -> Option<Line> {
    let text = collapse(&glyphs::as_drawn(glyphs));
    let inked: Vec<&Glyph> = glyphs
        .iter()
        .filter(|g| !g.text.trim().is_empty())
        .collect();
    if text.is_empty() || inked.is_empty() {
        return None;
    }
    Some(Line {
        text,
        x0: inked.iter().map(|g| g.start).fold(f64::INFINITY, f64::min),
        x1: inked
            .iter()
            .map(|g| g.end)
            .fold(f64::NEG_INFINITY, f64::max),
        y: line.y,
        size: inked.iter().map(|g| g.size).fold(0.0, f64::max),
        rotated: false,
        vertical: false,
        notice: false,
    })
}

/// A vector made a unit vector; None for one of no length (or not finite).
fn unit(x: f64, y: f64) -> Option<(f64, f64)> {
    let norm = x.hypot(y);
    (norm.is_finite() && norm > 1e-9).then(|| (x / norm, y / norm))
}

/// The direction a text matrix draws along (a unit vector), and whether it is the way the page
/// reads (`level`: left to right as the page is shown, after its `/Rotate`).
fn direction(trm: &Transform, level: (f64, f64)) -> ((f64, f64), bool) {
    let (dx, dy) = (trm.m11, trm.m12);
    let norm = dx.hypot(dy);
    if !norm.is_finite() || norm < 1e-9 {
        return (level, true);
    }
    let dir = (dx / norm, dy / norm);
    // Within about a degree of the page's own direction: not rotated.
    (dir, dir.0 * level.0 + dir.1 * level.1 > 0.9998)
}

/// The direction text that reads left to right on a page shown turned by `/Rotate` (degrees
/// clockwise) is drawn in, in the page's own space.
fn level_direction(rotate: i64) -> (f64, f64) {
    match rotate.rem_euclid(360) {
        90 => (0.0, 1.0),
        180 => (-1.0, 0.0),
        270 => (0.0, -1.0),
        _ => (1.0, 0.0),
    }
}

/// A page's `/Rotate`, inherited from the page tree; 0 when it has none.
fn page_rotation(doc: &Document, page: ObjectId) -> i64 {
    let Ok(mut dict) = doc.get_dictionary(page) else {
        return 0;
    };
    for _ in 0..64 {
        if let Some(r) = dict
            .get(b"Rotate")
            .ok()
            .and_then(|o| deref(doc, o))
            .and_then(|o| o.as_i64().ok())
        {
            return r;
        }
        let Some(parent) = dict
            .get(b"Parent")
            .ok()
            .and_then(|p| p.as_reference().ok())
            .and_then(|id| doc.get_dictionary(id).ok())
        else {
            return 0;
        };
        dict = parent;
    }
    0
}

impl OutputDev for Collector {
    fn begin_page(
        &mut self,
        _page_num: u32,
        media_box: &MediaBox,
        _art_box: Option<(f64, f64, f64, f64)>,
    ) -> Result<(), OutputError> {
        self.page_height = media_box.ury;
        self.page_x = (media_box.llx, media_box.urx);
        Ok(())
    }

    fn end_page(&mut self) -> Result<(), OutputError> {
        self.finish_page();
        Ok(())
    }

    fn output_character(
        &mut self,
        trm: &Transform,
        width: f64,
        _spacing: f64,
        font_size: f64,
        char: &str,
    ) -> Result<(), OutputError> {
        self.chars += char.chars().count();
        if self.chars > MAX_CHARS {
            self.too_much = true;
            return Err(OutputError::IoError(std::io::Error::other("too much text")));
        }
        let scale = (trm.m11 * trm.m22 - trm.m12 * trm.m21).abs().sqrt();
        let mut size = font_size.abs() * scale;
        if !size.is_finite() || size < 0.1 {
            size = 1.0;
        }
        let (vertical, char) = match char.strip_prefix(cid::VERTICAL) {
            Some(rest) => (true, rest),
            None => (false, char),
        };
        let Some(Placed {
            x,
            y,
            end,
            dir,
            upright,
            vertical,
        }) = self.place(trm, width * size, size, vertical)
        else {
            return Ok(());
        };
        if self.glyphs.len() >= MAX_HELD_GLYPHS {
            self.finish_line();
        }
        let same_line = self.line.as_ref().is_some_and(|l| {
            (y - l.y).abs() <= 0.5 * size.max(l.size)
                && dir.0 * self.dir.0 + dir.1 * self.dir.1 > 0.9998
        });
        if !same_line {
            self.finish_line();
            self.dir = dir;
            self.line = Some(Line {
                text: String::new(),
                x0: x,
                x1: end,
                y,
                size,
                rotated: !upright,
                vertical,
                notice: false,
            });
        }
        self.page_glyphs += 1;
        if !decodes(char) {
            self.page_undecoded += 1;
        }
        let text: String = char.chars().map(clean_char).collect();
        if let Some(line) = self.line.as_mut()
            && !char.trim().is_empty()
        {
            line.x0 = line.x0.min(x);
            line.x1 = line.x1.max(end);
            line.size = line.size.max(size);
        }
        self.glyphs.push(Glyph {
            text,
            start: x,
            end,
            size,
        });
        Ok(())
    }

    fn begin_word(&mut self) -> Result<(), OutputError> {
        Ok(())
    }

    fn end_word(&mut self) -> Result<(), OutputError> {
        Ok(())
    }

    fn end_line(&mut self) -> Result<(), OutputError> {
        Ok(())
    }
}

/// False for what a glyph decodes to when its font does not say which letter it is: nothing
/// (a CID font without a `ToUnicode` map), control characters (the glyph's number read as a
/// character code), the replacement character, private-use code points.
fn decodes(text: &str) -> bool {
    text.chars().any(|c| {
        !(c.is_control()
            || c == '\u{fffd}'
            || ('\u{e000}'..='\u{f8ff}').contains(&c)
            || ('\u{f0000}'..).contains(&c))
    })
}

/// Pages with at least this many glyphs, most of which decode to no letter, cannot be read.
const MIN_UNDECODABLE_GLYPHS: usize = 20;

/// True for a page whose glyphs mostly decode to no letter.
fn is_undecodable(glyphs: usize, undecoded: usize) -> bool {
    glyphs >= MIN_UNDECODABLE_GLYPHS && undecoded * 2 > glyphs
}

/// Control characters become spaces; the soft hyphen is kept here (a line may end in one) and
/// removed when lines are joined.
fn clean_char(c: char) -> char {
    if c.is_control() || c == '\u{feff}' {
        ' '
    } else {
        c
    }
}

/// Collapses whitespace runs to one space and trims; expands the Latin ligatures that fonts
/// draw as one glyph.
fn collapse(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut space = false;
    for c in s.chars() {
        if c.is_whitespace() {
            space = !out.is_empty();
            continue;
        }
        if space {
            out.push(' ');
            space = false;
        }
        match c {
            '\u{fb00}' => out.push_str("ff"),
            '\u{fb01}' => out.push_str("fi"),
            '\u{fb02}' => out.push_str("fl"),
            '\u{fb03}' => out.push_str("ffi"),
            '\u{fb04}' => out.push_str("ffl"),
            '\u{fb05}' | '\u{fb06}' => out.push_str("st"),
            _ => out.push(c),
        }
    }
    out
}

// ---------------------------------------------------------------------------------------------
// Page furniture

/// What a line that may be a page number says.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum PageNumber {
    /// Written as a page number: "Page 3", "Page 3 of 7", "3/7", "- 3 -". Dropped at a page's
    /// edge.
    Labelled,
    /// A number alone ("3", "(3)"): a page number only if the document's pages follow it (a
    /// table's last row can be a number too).
    Bare(i64),
}

/// Whether a line is only a page number, and of which kind. A line of several numbers
/// ("2019 2020 2021", "8.5 8.1") is a table row, not a page number.
fn page_number(text: &str) -> Option<PageNumber> {
    if text.chars().count() > 24 {
        return None;
    }
    let numbers: Vec<&str> = text
        .split(|c: char| !c.is_ascii_digit())
        .filter(|n| !n.is_empty())
        .collect();
    if numbers.is_empty() || numbers.len() > 2 {
        return None;
    }
    let decoration =
        |c: char| matches!(c, '-' | '–' | '—' | '/' | '|' | '.' | '(' | ')' | '[' | ']');
    let rest: String = text
        .chars()
        .filter(|&c| !(c.is_ascii_digit() || c.is_whitespace() || decoration(c)))
        .flat_map(char::to_lowercase)
        .collect();
    let between: String = text
        .trim_matches(|c: char| !c.is_ascii_digit())
        .chars()
        .filter(|c| !c.is_ascii_digit() && !c.is_whitespace())
        .collect();
    match (rest.as_str(), numbers.as_slice()) {
        ("page" | "p" | "pp" | "pg" | "seite", [_]) => Some(PageNumber::Labelled),
        ("page" | "p" | "pg" | "seite", [_, _]) if between == "/" => Some(PageNumber::Labelled),
        ("pageof" | "of" | "seitevon" | "von", [_, _]) => Some(PageNumber::Labelled),
        ("", [a, b]) if between == "/" => {
            let (a, b) = (a.parse::<u64>().ok()?, b.parse::<u64>().ok()?);
            (a <= b).then_some(PageNumber::Labelled)
        }
        ("", [_]) if text.contains(['-', '–', '—']) => Some(PageNumber::Labelled),
        ("", [n]) if !text.contains(['.', '/', '|']) => n.parse().ok().map(PageNumber::Bare),
        _ => None,
    }
}

/// A line with digits removed and spaces collapsed, for comparing running headers.
fn furniture_key(text: &str) -> String {
    collapse(
        &text
            .chars()
            .filter(|c| !c.is_ascii_digit())
            .flat_map(char::to_lowercase)
            .collect::<String>(),
    )
}

/// Indices of the lines at the top and bottom edges of a page (by position, not drawing order;
/// rotated lines have no place among them).
fn edge_lines(lines: &[Line], per_edge: usize) -> Vec<usize> {
    let mut order: Vec<usize> = (0..lines.len())
        .filter(|&i| !lines[i].rotated && !lines[i].vertical)
        .collect();
    order.sort_by(|&a, &b| lines[a].y.total_cmp(&lines[b].y));
    let mut edges: Vec<usize> = order.iter().take(per_edge).copied().collect();
    edges.extend(order.iter().rev().take(per_edge).copied());
    edges.sort_unstable();
    edges.dedup();
    edges
}

/// Drops a document's page furniture: at the top and bottom edges of pages, lines that repeat
/// on more than half the pages (running headers and footers, however long, compared without
/// their digits) and page numbers; rotated lines (a label along the margin) that repeat too.
/// A bare number is a page number only when it follows the pages: the same difference between
/// the number and the page's place in the file on at least two pages, or a single page
/// numbered 1.
fn drop_furniture(pages: Vec<Vec<Line>>) -> Vec<Vec<Line>> {
    const PER_EDGE: usize = 3;
    let n = pages.len();
    let candidates = |lines: &[Line]| -> Vec<usize> {
        let mut at = edge_lines(lines, PER_EDGE);
        at.extend((0..lines.len()).filter(|&i| lines[i].rotated));
        at.sort_unstable();
        at.dedup();
        at
    };
    let mut seen: HashMap<String, usize> = HashMap::new();
    let mut offsets: HashMap<i64, usize> = HashMap::new();
    for (p, lines) in pages.iter().enumerate() {
        let at = candidates(lines);
        let keys: HashSet<String> = at
            .iter()
            .map(|&i| furniture_key(&lines[i].text))
            .filter(|k| k.chars().any(char::is_alphabetic))
            .collect();
        for k in keys {
            *seen.entry(k).or_default() += 1;
        }
        let page_offsets: HashSet<i64> = at
            .iter()
            .filter_map(|&i| match page_number(&lines[i].text) {
                Some(PageNumber::Bare(num)) => Some(num.saturating_sub(p as i64)),
                _ => None,
            })
            .collect();
        for o in page_offsets {
            *offsets.entry(o).or_default() += 1;
        }
    }
    let running = |text: &str| {
        n >= 2
            && seen
                .get(&furniture_key(text))
                .is_some_and(|&count| count >= 2 && count * 2 > n)
    };
    let numbered = |text: &str, p: usize| match page_number(text) {
        Some(PageNumber::Labelled) => true,
        Some(PageNumber::Bare(num)) => {
            let offset = num.saturating_sub(p as i64);
            offsets.get(&offset).is_some_and(|&c| c >= 2) || (n == 1 && num == 1)
        }
        None => false,
    };
    pages
        .into_iter()
        .enumerate()
        .map(|(p, lines)| {
            let edges = edge_lines(&lines, PER_EDGE);
            lines
                .into_iter()
                .enumerate()
                .filter(|(i, l)| {
                    let edge = edges.contains(i);
                    l.notice
                        || !((edge && numbered(&l.text, p))
                            || ((edge || l.rotated) && running(&l.text)))
                })
                .map(|(_, l)| l)
                .collect()
        })
        .collect()
}

// ---------------------------------------------------------------------------------------------
// Lines to paragraphs

/// What a page's body text looks like: its left margin, right edge and line spacing.
struct PageShape {
    left: f64,
    right: f64,
    leading: Option<f64>,
}

fn page_shape(lines: &[Line]) -> PageShape {
    // The shape of the page's main text: its level lines, or its columns of vertical writing
    // where most lines are those.
    let vertical = lines.iter().filter(|l| l.vertical).count() * 2 > lines.len();
    let level: Vec<Line> = lines
        .iter()
        .filter(|l| !l.rotated && l.vertical == vertical)
        .cloned()
        .collect();
    let lines = &level[..];
    // The left margin: the x most lines start at (to the nearest point).
    let mut starts: HashMap<i64, usize> = HashMap::new();
    for l in lines {
        *starts.entry(l.x0.round() as i64).or_default() += 1;
    }
    let left = starts
        .iter()
        .max_by(|a, b| a.1.cmp(b.1).then(b.0.cmp(a.0)))
        .map(|(&x, _)| x as f64)
        .unwrap_or(0.0);
    let mut ends: Vec<f64> = lines.iter().map(|l| l.x1).collect();
    ends.sort_by(f64::total_cmp);
    let right = ends
        .get((ends.len() * 3) / 4)
        .or(ends.last())
        .copied()
        .unwrap_or(0.0);
    let mut gaps: Vec<f64> = lines
        .windows(2)
        .map(|w| w[1].y - w[0].y)
        .filter(|&d| d > 0.0 && d < 3.0 * lines[0].size.max(1.0) + 40.0)
        .collect();
    gaps.sort_by(f64::total_cmp);
    // The most common spacing: the lower median is robust to a few paragraph gaps.
    let leading = gaps.get(gaps.len().saturating_sub(1) / 2).copied();
    PageShape {
        left,
        right,
        leading,
    }
}

fn ends_sentence(text: &str) -> bool {
    let t = text.trim_end_matches([')', ']', '*']);
    t.ends_with([
        '.', '!', '?', ':', '”', '"', '»', '…', '’', '。', '！', '？',
    ])
}

fn starts_lowercase(text: &str) -> bool {
    text.chars().next().is_some_and(char::is_lowercase)
}

fn is_indented(line: &Line, shape: &PageShape) -> bool {
    line.x0 > shape.left + 0.8 * line.size.max(1.0)
}

fn similar_size(a: &Line, b: &Line) -> bool {
    let (lo, hi) = (a.size.min(b.size), a.size.max(b.size));
    hi <= lo * 1.15 + 0.1
}

/// True for a line that is a paragraph of its own: rotated text, a notice.
fn alone(line: &Line) -> bool {
    line.rotated || line.notice
}

/// True when `next` starts a new paragraph after `prev` on the same page.
fn breaks_on_page(prev: &Line, next: &Line, shape: &PageShape) -> bool {
    if alone(prev) || alone(next) || !similar_size(prev, next) || prev.vertical != next.vertical {
        return true;
    }
    let dy = next.y - prev.y;
    if let Some(leading) = shape.leading
        && dy > leading * 1.4
        && dy > 0.0
    {
        return true;
    }
    if is_indented(next, shape) && !is_indented(prev, shape) {
        return true;
    }
    let short = prev.x1 < shape.right - 2.0 * prev.size.max(1.0);
    short && ends_sentence(&prev.text)
}

/// True when `next`, the first line of a page, starts a new paragraph after `prev`, the last
/// line of the page before.
fn breaks_across_pages(
    prev: &Line,
    prev_shape: &PageShape,
    next: &Line,
    shape: &PageShape,
) -> bool {
    if alone(prev)
        || alone(next)
        || ends_sentence(&prev.text)
        || !similar_size(prev, next)
        || prev.vertical != next.vertical
    {
        return true;
    }
    if starts_lowercase(&next.text) {
        return false;
    }
    let full = prev.x1 >= prev_shape.right - 2.0 * prev.size.max(1.0);
    !full || is_indented(next, shape)
}

/// True for the characters of Chinese and Japanese, which are written without spaces (so lines
/// join without one): ideographs, kana, CJK punctuation and full-width forms. Not Hangul:
/// Korean puts spaces between words.
fn is_cjk(c: char) -> bool {
    matches!(c,
        '\u{2e80}'..='\u{2fdf}' | '\u{3000}'..='\u{30ff}' | '\u{31c0}'..='\u{31ff}'
        | '\u{3400}'..='\u{4dbf}' | '\u{4e00}'..='\u{9fff}' | '\u{f900}'..='\u{faff}'
        | '\u{fe30}'..='\u{fe4f}' | '\u{ff00}'..='\u{ff60}' | '\u{20000}'..='\u{3ffff}')
}

/// Appends `line` to `para`, joining hyphenated words (and lines of Chinese and Japanese,
/// without a space). Returns where in `para` (code points) the
/// line's text begins.
fn join_line(para: &mut String, para_chars: &mut usize, line: &str) -> usize {
    let line_chars = line.chars().count();
    if para.is_empty() {
        para.push_str(line);
        *para_chars = line_chars;
        return 0;
    }
    let mut chars = para.chars().rev();
    let last = chars.next();
    let before = chars.next();
    let hyphen = matches!(last, Some('-' | '\u{2010}' | '\u{ad}'));
    let joins_without_space = last.is_some_and(is_cjk) && line.starts_with(is_cjk);
    if last == Some('\u{ad}')
        || (hyphen && before.is_some_and(char::is_alphabetic) && starts_lowercase(line))
    {
        para.pop();
        *para_chars -= 1;
    } else if !hyphen && !joins_without_space {
        para.push(' ');
        *para_chars += 1;
    }
    let at = *para_chars;
    para.push_str(line);
    *para_chars += line_chars;
    at
}

/// The canonical text and, for each page, the code point where its first kept text starts.
fn build_text(pages: &[Vec<Line>]) -> (String, Vec<usize>) {
    let shapes: Vec<PageShape> = pages.iter().map(|l| page_shape(l)).collect();
    let mut text = String::new();
    let mut text_chars = 0usize;
    let mut para = String::new();
    let mut para_chars = 0usize;
    // Page starts as (page index, offset in the current paragraph) until the paragraph is placed.
    let mut pending: Vec<(usize, usize)> = Vec::new();
    let mut starts: Vec<Option<usize>> = vec![None; pages.len()];
    let mut prev: Option<(&Line, usize)> = None;

    let flush = |text: &mut String,
                 text_chars: &mut usize,
                 para: &mut String,
                 para_chars: &mut usize,
                 pending: &mut Vec<(usize, usize)>,
                 starts: &mut Vec<Option<usize>>| {
        // Soft hyphens inside lines are invisible: drop them.
        let removed_before =
            |offset: usize, p: &str| p.chars().take(offset).filter(|&c| c == '\u{ad}').count();
        let cleaned: String = para.chars().filter(|&c| c != '\u{ad}').collect();
        let cleaned = cleaned.trim().to_owned();
        if !cleaned.is_empty() {
            if !text.is_empty() {
                text.push_str("\n\n");
                *text_chars += 2;
            }
            for &(page, offset) in pending.iter() {
                let at = offset - removed_before(offset, para);
                starts[page] = Some(*text_chars + at.min(cleaned.chars().count()));
            }
            text.push_str(&cleaned);
            *text_chars += cleaned.chars().count();
        }
        pending.clear();
        para.clear();
        *para_chars = 0;
    };

    for (p, lines) in pages.iter().enumerate() {
        for (i, line) in lines.iter().enumerate() {
            let new_para = match prev {
                None => true,
                Some((before, bp)) if bp == p => breaks_on_page(before, line, &shapes[p]),
                Some((before, bp)) => breaks_across_pages(before, &shapes[bp], line, &shapes[p]),
            };
            if new_para {
                flush(
                    &mut text,
                    &mut text_chars,
                    &mut para,
                    &mut para_chars,
                    &mut pending,
                    &mut starts,
                );
            }
            let at = join_line(&mut para, &mut para_chars, &line.text);
            if i == 0 {
                pending.push((p, at));
            }
            prev = Some((line, p));
        }
    }
    flush(
        &mut text,
        &mut text_chars,
        &mut para,
        &mut para_chars,
        &mut pending,
        &mut starts,
    );
    // A page without kept text starts where the next text does.
    let mut next = text_chars;
    let mut out = vec![0; pages.len()];
    for k in (0..pages.len()).rev() {
        if let Some(s) = starts[k] {
            next = s.min(next);
        }
        out[k] = next;
    }
    (text, out)
}

// ---------------------------------------------------------------------------------------------
// Metadata

fn read_metadata(doc: &Document) -> Metadata {
    let info = doc
        .trailer
        .get(b"Info")
        .ok()
        .and_then(|o| deref(doc, o))
        .and_then(|o| o.as_dict().ok());
    let field = |key: &[u8]| -> Option<String> {
        let obj = info?.get(key).ok()?;
        let obj = deref(doc, obj)?;
        let s = pdf_extract::decode_text_string(obj).ok().or_else(|| {
            obj.as_str()
                .ok()
                .map(|b| String::from_utf8_lossy(b).into_owned())
        })?;
        let s = collapse(&s.replace('\0', ""));
        (!s.is_empty()).then_some(s)
    };
    let title = field(b"Title").or_else(|| xmp_title(doc));
    let author = field(b"Author");
    let published = field(b"CreationDate").map(|d| pdf_date(&d).unwrap_or(d));
    Metadata {
        title,
        author,
        published,
        ..Metadata::default()
    }
}

/// The XMP packet's `dc:title`, if the catalog has an XMP metadata stream.
fn xmp_title(doc: &Document) -> Option<String> {
    let root = doc.trailer.get(b"Root").ok().and_then(|o| deref(doc, o))?;
    let meta = root.as_dict().ok()?.get(b"Metadata").ok()?;
    let stream = deref(doc, meta)?.as_stream().ok()?;
    let bytes = stream
        .decompressed_content()
        .unwrap_or_else(|_| stream.content.clone());
    if bytes.len() > 4 * 1024 * 1024 {
        return None;
    }
    xmp_title_from(&String::from_utf8_lossy(&bytes))
}

fn xmp_title_from(xmp: &str) -> Option<String> {
    let start = xmp.find("<dc:title")?;
    let rest = &xmp[start..];
    let end = rest.find("</dc:title>")?;
    let block = &rest[..end];
    let li = block.find("<rdf:li")?;
    let after = &block[li..];
    let open_end = after.find('>')?;
    let inner = &after[open_end + 1..];
    let close = inner.find("</rdf:li>")?;
    let raw = &inner[..close];
    let s = collapse(&quick_xml::escape::unescape(raw).ok()?);
    (!s.is_empty()).then_some(s)
}

/// A PDF date (`D:20240305091500+01'00'`) as ISO 8601: `2024-03-05T09:15:00+01:00`, or
/// `2024-03-05` when it has no time. None when it is not a PDF date.
fn pdf_date(s: &str) -> Option<String> {
    let s = s.trim();
    let s = s.strip_prefix("D:").unwrap_or(s);
    let digits: String = s.chars().take_while(char::is_ascii_digit).collect();
    let rest = &s[digits.len()..];
    if digits.len() < 4 || !digits.len().is_multiple_of(2) || digits.len() > 14 {
        return None;
    }
    let part = |r: std::ops::Range<usize>| digits.get(r).and_then(|d| d.parse::<u32>().ok());
    let year = part(0..4)?;
    let month = part(4..6).unwrap_or(1);
    let day = part(6..8).unwrap_or(1);
    if !(1..=12).contains(&month) || !(1..=31).contains(&day) {
        return None;
    }
    if digits.len() < 8 {
        return Some(if digits.len() == 4 {
            format!("{year:04}")
        } else {
            format!("{year:04}-{month:02}")
        });
    }
    let date = format!("{year:04}-{month:02}-{day:02}");
    if digits.len() < 12 {
        return Some(date);
    }
    let hour = part(8..10)?;
    let minute = part(10..12)?;
    let second = part(12..14).unwrap_or(0);
    if hour > 23 || minute > 59 || second > 60 {
        return Some(date);
    }
    let time = format!("{date}T{hour:02}:{minute:02}:{second:02}");
    let zone = rest.trim();
    if zone.starts_with('Z') {
        return Some(format!("{time}Z"));
    }
    if let Some(sign) = zone.chars().next().filter(|c| matches!(c, '+' | '-')) {
        let z: String = zone[1..].chars().filter(char::is_ascii_digit).collect();
        let zh = z.get(0..2).and_then(|d| d.parse::<u32>().ok());
        let zm = z.get(2..4).and_then(|d| d.parse::<u32>().ok()).unwrap_or(0);
        if let Some(zh) = zh.filter(|&h| h <= 14) {
            if zh == 0 && zm == 0 && sign == '-' {
                return Some(time);
            }
            return Some(format!("{time}{sign}{zh:02}:{zm:02}"));
        }
    }
    Some(time)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const EN: &[u8] = include_bytes!("../../tests/fixtures/import/pdf_en_report.pdf");
    const RU: &[u8] = include_bytes!("../../tests/fixtures/import/pdf_ru_article.pdf");
    const SCANNED: &[u8] = include_bytes!("../../tests/fixtures/import/pdf_scanned.pdf");
    const ENCRYPTED: &[u8] = include_bytes!("../../tests/fixtures/import/pdf_encrypted.pdf");
    const AR: &[u8] = include_bytes!("../../tests/fixtures/import/pdf_ar_rtl.pdf");
    const FURNITURE: &[u8] = include_bytes!("../../tests/fixtures/import/pdf_en_furniture.pdf");
    const UNDECODABLE: &[u8] = include_bytes!("../../tests/fixtures/import/pdf_en_undecodable.pdf");
    const TURNED: &[u8] = include_bytes!("../../tests/fixtures/import/pdf_en_turned.pdf");
    const COLUMNS: &[u8] = include_bytes!("../../tests/fixtures/import/pdf_en_columns.pdf");
    const CROPPED: &[u8] = include_bytes!("../../tests/fixtures/import/pdf_en_cropped_rotated.pdf");

    fn from(e: &Extracted, page: usize, len: usize) -> String {
        e.text
            .chars()
            .skip(e.meta.pages[page - 1])
            .take(len)
            .collect()
    }

    #[test]
    fn english_report_metadata() {
        let e = extract(EN).expect("fixture reads");
        assert_eq!(
            e.meta,
            Metadata {
                title: Some("Harbour dredging plan splits Northbridge council".into()),
                author: Some("Mara Ellison".into()),
                published: Some("2024-03-05T09:15:00+01:00".into()),
                pages: e.meta.pages.clone(),
                ..Metadata::default()
            }
        );
        assert!(e.styles.is_empty());
    }

    #[test]
    fn english_report_paragraphs_are_rebuilt() {
        let e = extract(EN).expect("fixture reads");
        crate::import::assert_canonical(&e);
        let paras: Vec<&str> = e.text.split("\n\n").collect();
        assert_eq!(paras.len(), 14);
        assert_eq!(paras[0], "Harbour dredging plan splits Northbridge council");
        assert_eq!(paras[1], "By Mara Ellison, Northbridge Daily");
        // Justified lines drawn word by word: spaces come from the gaps between words.
        assert_eq!(
            paras[2],
            "Northbridge council voted by a single vote on Monday night to ask the port \
             authority for a full environmental review of its plan to dredge the inner harbour, \
             a decision that could delay the project by at least a year."
        );
        // Hyphenated at line ends in the file ("exam-" / "ple", "compet-" / "itive").
        assert_eq!(
            paras[5],
            "Opponents point to the example of Saltmere, where dredging in 2016 was followed by \
             two summers of algal blooms. For them the Saltmere case is the clearest example of \
             what can go wrong when sediment is disturbed without a monitoring plan, and they want \
             the same mistakes avoided here."
        );
        assert!(paras[3].contains("keep the harbour competitive with Saltmere"));
        assert!(!e.text.contains("exam-") && !e.text.contains("compet-"));
        // A hyphen that is part of the word stays.
        assert!(e.text.contains("over twenty-five years."));
        // Two paragraphs go on over a page break: into "Saltmere" (capitalised) and "authority".
        assert_eq!(
            paras[6],
            "The port authority rejects the comparison. Its chief executive, Tomas Reyes, told \
             the meeting that the Saltmere channel was dredged in high summer, when the water was \
             warm and still, and that Northbridge would schedule the work for the winter months, \
             when the tidal flow is strongest and any sediment would be carried out to sea \
             within days."
        );
        assert_eq!(
            paras[11],
            "The environmental review, if the port authority agrees to it, would be carried out \
             by an independent institute and would take between nine and fourteen months. The \
             authority has two weeks to respond."
        );
        assert_eq!(
            paras[13],
            "The council will hold a public hearing on the plan on 21 March at the town hall."
        );
    }

    #[test]
    fn english_report_page_furniture_is_metadata_not_text() {
        let e = extract(EN).expect("fixture reads");
        for gone in [
            "Page 1",
            "Page 2 of 3",
            "Northbridge Daily —",
            "Local news",
            "5 March",
        ] {
            assert!(!e.text.contains(gone), "{gone:?} is in the text");
        }
        assert_eq!(e.meta.pages.len(), 3);
        assert_eq!(e.meta.pages[0], 0);
        assert_eq!(from(&e, 2, 28), "Saltmere channel was dredged");
        assert_eq!(from(&e, 3, 35), "authority has two weeks to respond.");
        assert_eq!(
            e.meta.page_of(e.text.find("clearest").expect("found")),
            Some(1)
        );
        let later = e.text.chars().count() - 5;
        assert_eq!(e.meta.page_of(later), Some(3));
    }

    #[test]
    fn russian_article_round_trips() {
        let e = extract(RU).expect("fixture reads");
        crate::import::assert_canonical(&e);
        assert_eq!(
            e.meta.title.as_deref(),
            Some("Городской совет одобрил новый маршрут трамвая")
        );
        assert_eq!(e.meta.author.as_deref(), Some("Ирина Волкова"));
        assert_eq!(e.meta.published.as_deref(), Some("2023-11-18"));
        let paras: Vec<&str> = e.text.split("\n\n").collect();
        assert_eq!(paras.len(), 10);
        assert_eq!(paras[0], "Городской совет одобрил новый маршрут трамвая");
        assert_eq!(
            paras[3],
            "«Мы обсуждали этот маршрут почти пять лет, и сегодня наконец приняли решение», — \
             сказала председатель транспортной комиссии Анна Белова."
        );
        assert_eq!(
            paras[9],
            "Общественные слушания по проекту пройдут в марте в здании городской администрации."
        );
        assert!(!e.text.contains('–'), "page numbers are not text");
        assert_eq!(e.meta.pages.len(), 2);
        assert_eq!(from(&e, 2, 13), "Строительство");
    }

    #[test]
    fn right_to_left_lines_come_out_in_logical_order() {
        let e = extract(AR).expect("fixture reads");
        crate::import::assert_canonical(&e);
        let paras: Vec<&str> = e.text.split("\n\n").collect();
        assert_eq!(
            paras,
            [
                "افتتاح مكتبة جديدة في المدينة",
                "افتتحت البلدية يوم الأحد مكتبة عامة جديدة في وسط المدينة، قرب السوق القديم.",
                // Digits and Latin words inside keep their own order.
                "تضم المكتبة أكثر من 12000 كتاب وقاعة للأطفال وركنا للصحف والمجلات.",
                "وقالت المديرة إن المشروع كلف 3.5 مليون دينار، بدعم من UNESCO Nord.",
                // Drawn in logical order (from the right edge leftwards): kept as it is.
                "ستفتح المكتبة أبوابها كل يوم من التاسعة صباحا حتى السادسة مساء، ما عدا يوم الجمعة.",
                "הספרייה פתוחה לכל התושבים מיום 4 במאי, והכניסה חינם.",
                "Opening hours are posted at the entrance.",
            ]
        );
    }

    #[test]
    fn columns_drawn_row_by_row_are_read_column_by_column() {
        let e = extract(COLUMNS).expect("fixture reads");
        crate::import::assert_canonical(&e);
        let paras: Vec<&str> = e.text.split("\n\n").collect();
        assert_eq!(
            paras,
            [
                "Instructions for the harbour berth permit application",
                "Who must apply. Every owner of a vessel longer than twelve metres that stays at a \
                 public berth for more than three nights in a row must hold a permit. Owners of \
                 smaller boats apply only if they rent a mooring for the whole season.",
                "When to apply. Send the form at least four weeks before the vessel arrives. \
                 Permits for the summer season are issued in the order the forms are received, \
                 and the harbour office closes the list when every berth is taken.",
                "Where to send it. Post the signed form to the harbour office at the eastern quay, \
                 or hand it in at the desk on weekdays. Keep a copy: the office will ask for its \
                 number if you call about your permit.",
            ]
        );
    }

    #[test]
    fn a_page_that_cannot_be_decoded_says_so_instead_of_showing_junk() {
        let e = extract(UNDECODABLE).expect("fixture reads");
        crate::import::assert_canonical(&e);
        assert_eq!(
            e.text,
            "The tide tables for the spring are on the next page.\n\n[Page 2 cannot be read: \
             its font has no map from its glyphs to letters that Claimmark can use.]"
        );
        assert_eq!(
            e.meta.page_of(e.text.find("[Page 2").expect("notice")),
            Some(2)
        );
        // Every page junk: the file is refused with a sentence that says why.
        let mut doc = Document::load_mem(RU).expect("loads");
        for obj in doc.objects.values_mut() {
            if let Ok(dict) = obj.as_dict_mut() {
                dict.remove(b"ToUnicode");
            }
        }
        let mut bytes = Vec::new();
        doc.save_to(&mut bytes).expect("saves");
        let err = extract(&bytes).expect_err("junk");
        assert_eq!(err, PdfError::Undecodable);
        assert!(err.to_string().contains("cannot be decoded"), "{err}");
    }

    #[test]
    fn long_running_headers_go_and_tables_of_numbers_stay() {
        let e = extract(FURNITURE).expect("fixture reads");
        crate::import::assert_canonical(&e);
        assert!(!e.text.contains("Northbridge Port Authority"), "{}", e.text);
        assert!(!e.text.contains("section four"));
        // The rows of the tables at the foot of pages 1 and 2 are numbers only; the page numbers
        // under them (1, 2, 3) go.
        let paras: Vec<&str> = e.text.split("\n\n").collect();
        assert_eq!(paras.len(), 11);
        assert_eq!(paras[3], "2019 2020 2021 2022 41 57 63 70");
        assert_eq!(paras[7], "8.5 8.1 7.9 7.6 12 14 15 19");
        assert!(paras[10].ends_with("will go to the council in the autumn."));
        assert_eq!(e.meta.pages.len(), 3);
        assert_eq!(from(&e, 2, 10), "The crews ");
    }

    #[test]
    fn text_outside_the_crop_box_goes_and_rotated_text_is_joined() {
        let e = extract(CROPPED).expect("fixture reads");
        crate::import::assert_canonical(&e);
        assert_eq!(
            e.text,
            "The ferry timetable changes on the first of April, when boats will leave every \
             forty minutes.\n\nDraft timetable for public comment"
        );
    }

    #[test]
    fn a_page_shown_turned_reads_its_upright_text_as_lines_and_paragraphs() {
        // /Rotate 90, text drawn at 90 degrees: upright on screen, so not "rotated" text.
        let e = extract(TURNED).expect("fixture reads");
        crate::import::assert_canonical(&e);
        assert_eq!(
            e.text,
            "The council publishes the results of the harbour survey in a landscape table each \
             spring, with one column for every berth and one row for every month of the year."
        );
        assert_eq!(level_direction(90), (0.0, 1.0));
        assert_eq!(level_direction(-90), (0.0, -1.0));
        assert_eq!(level_direction(45), (1.0, 0.0));
    }

    #[test]
    fn rotated_lines_that_repeat_are_furniture() {
        let mut pages = Vec::new();
        for name in ["alpha", "beta", "gamma"] {
            let mut lines = edge_page(&["Body", "More", "Text", "Last"], 0, "");
            lines.pop();
            for l in &mut lines {
                l.text = l.text.replace("alpha", name);
            }
            let mut label = line("Draft for comment", 300.0, 400.0, -20.0);
            label.rotated = true;
            lines.insert(2, label);
            pages.push(lines);
        }
        let kept = kept(&pages);
        assert!(kept.iter().all(|p| p.len() == 4), "{kept:?}");
    }

    #[test]
    fn scanned_encrypted_and_broken_files_are_refused() {
        assert_eq!(extract(SCANNED).expect_err("no text"), PdfError::NoText);
        let err = extract(ENCRYPTED).expect_err("password");
        assert_eq!(err, PdfError::Encrypted);
        assert!(err.to_string().contains("protected by a password"), "{err}");
        let err = extract(b"hello").expect_err("not pdf");
        assert_eq!(err, PdfError::NotPdf);
        assert_eq!(err.to_string(), "this file is not a PDF");
        for cut in [20, EN.len() / 3, EN.len() / 2] {
            assert!(extract(&EN[..cut]).is_err(), "cut at {cut}");
        }
    }

    #[test]
    fn page_number_lines() {
        use PageNumber::{Bare, Labelled};
        for (line, kind) in [
            ("3", Bare(3)),
            ("(3)", Bare(3)),
            ("- 3 -", Labelled),
            ("– 12 –", Labelled),
            ("Page 3", Labelled),
            ("p. 3", Labelled),
            ("Page 3 of 7", Labelled),
            ("3 of 7", Labelled),
            ("3/7", Labelled),
            ("page 3 / 7", Labelled),
        ] {
            assert_eq!(page_number(line), Some(kind), "{line}");
        }
        for no in [
            "Chapter 3",
            "3 dead",
            "Page three",
            "A",
            "Figure 3/7",
            "7/3",
            "2019 2020 2021",
            "41 57",
            "8.5",
            "12 14 15 19",
        ] {
            assert_eq!(page_number(no), None, "{no}");
        }
    }

    /// A page of `body` lines (told apart from other pages' by `page`) and a foot line.
    fn edge_page(body: &[&str], page: usize, foot: &str) -> Vec<Line> {
        let mut lines: Vec<Line> = body
            .iter()
            .enumerate()
            .map(|(i, t)| {
                let name = ["alpha", "beta", "gamma"][page % 3];
                line(&format!("{t} {name}"), 50.0, 300.0, 100.0 + 14.0 * i as f64)
            })
            .collect();
        lines.push(line(foot, 150.0, 160.0, 800.0));
        lines
    }

    fn kept(pages: &[Vec<Line>]) -> Vec<Vec<String>> {
        drop_furniture(pages.to_vec())
            .into_iter()
            .map(|p| p.into_iter().map(|l| l.text).collect())
            .collect()
    }

    #[test]
    fn bare_numbers_are_page_numbers_only_when_they_follow_the_pages() {
        let body = ["One.", "Two.", "Three.", "Four.", "Five.", "Six.", "Seven."];
        // Numbered from 5 (a chapter of a book): dropped.
        let pages: Vec<Vec<Line>> = (0..3)
            .map(|p| edge_page(&body, p, &(5 + p).to_string()))
            .collect();
        assert!(kept(&pages).iter().all(|p| p.len() == body.len()));
        // Numbers at the foot that do not follow the pages are a table's last rows: kept.
        let pages: Vec<Vec<Line>> = ["41", "17", "63"]
            .iter()
            .enumerate()
            .map(|(p, n)| edge_page(&body, p, n))
            .collect();
        assert!(kept(&pages).iter().all(|p| p.len() == body.len() + 1));
        // One page numbered 1.
        assert_eq!(kept(&[edge_page(&body, 0, "1")])[0].len(), body.len());
        assert_eq!(kept(&[edge_page(&body, 0, "4")])[0].len(), body.len() + 1);
    }

    #[test]
    fn running_headers_of_any_length_and_only_with_letters() {
        let long = "A running header of a report that goes on and on, naming the agency, the \
                    review, the draft and its date, the committee, the section it belongs to and \
                    the name of the chapter";
        assert!(long.chars().count() > 150);
        let pages: Vec<Vec<Line>> = (0..3)
            .map(|p| {
                let mut lines = vec![line(long, 50.0, 500.0, 40.0)];
                lines.extend(edge_page(&["Body", "More"], p, "12.5 14.0"));
                lines
            })
            .collect();
        let kept = kept(&pages);
        for (page, name) in kept.iter().zip(["alpha", "beta", "gamma"]) {
            let want = [
                format!("Body {name}"),
                format!("More {name}"),
                "12.5 14.0".into(),
            ];
            assert_eq!(page, &want);
        }
    }

    #[test]
    fn pdf_dates() {
        let d = |s: &str| pdf_date(s);
        assert_eq!(
            d("D:20240305091500+01'00'").as_deref(),
            Some("2024-03-05T09:15:00+01:00")
        );
        assert_eq!(
            d("D:20240305091500Z").as_deref(),
            Some("2024-03-05T09:15:00Z")
        );
        assert_eq!(d("D:20240305").as_deref(), Some("2024-03-05"));
        assert_eq!(d("D:2024").as_deref(), Some("2024"));
        assert_eq!(d("20240305120000").as_deref(), Some("2024-03-05T12:00:00"));
        assert_eq!(d("D:20241305"), None);
        assert_eq!(d("March 2024"), None);
    }

    #[test]
    fn xmp_title() {
        let xmp = r#"<x:xmpmeta><rdf:RDF><rdf:Description><dc:title><rdf:Alt>
            <rdf:li xml:lang="x-default">Ports &amp; harbours</rdf:li></rdf:Alt></dc:title>
            </rdf:Description></rdf:RDF></x:xmpmeta>"#;
        assert_eq!(xmp_title_from(xmp).as_deref(), Some("Ports & harbours"));
        assert_eq!(xmp_title_from("<dc:title></dc:title>"), None);
    }

    fn line(text: &str, x0: f64, x1: f64, y: f64) -> Line {
        Line {
            text: text.into(),
            x0,
            x1,
            y,
            size: 10.0,
            rotated: false,
            vertical: false,
            notice: false,
        }
    }

    #[test]
    fn lines_join_into_paragraphs() {
        let page1 = vec![
            line(
                "A long line of text that is full and ends in exam-",
                50.0,
                300.0,
                100.0,
            ),
            line("ple and well-", 50.0, 300.0, 112.0),
            line("Known words. Short.", 50.0, 150.0, 124.0),
            line("New paragraph that runs on to the", 50.0, 300.0, 136.0),
        ];
        let page2: Vec<Line> = vec![];
        let page3 = vec![
            line("next page and ends here.", 50.0, 200.0, 100.0),
            line("Second paragraph.", 50.0, 300.0, 112.0),
        ];
        let (text, pages) = build_text(&[page1, page2, page3]);
        assert_eq!(
            text,
            "A long line of text that is full and ends in example and well-Known words. Short.\n\n\
             New paragraph that runs on to the next page and ends here.\n\nSecond paragraph."
        );
        let next = text.find("next page").expect("found");
        assert_eq!(pages, vec![0, next, next]);
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

        #[test]
        fn never_panics_on_arbitrary_bytes(
            pdf_header in any::<bool>(),
            bytes in proptest::collection::vec(any::<u8>(), 0..2048),
        ) {
            let mut input = if pdf_header { b"%PDF-1.4\n".to_vec() } else { Vec::new() };
            input.extend(bytes);
            if let Ok(e) = extract(&input) {
                crate::import::assert_canonical(&e);
            }
        }

        #[test]
        fn never_panics_on_mutated_fixtures(
            ru in any::<bool>(),
            edits in proptest::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 1..8),
            cut in any::<prop::sample::Index>(),
        ) {
            let mut bytes = if ru { RU.to_vec() } else { EN.to_vec() };
            for (at, b) in edits {
                let i = at.index(bytes.len());
                bytes[i] = b;
            }
            if let Ok(e) = extract(&bytes) {
                crate::import::assert_canonical(&e);
            }
            let len = cut.index(bytes.len());
            if let Ok(e) = extract(&bytes[..len]) {
                crate::import::assert_canonical(&e);
            }
        }
    }
}
