//! CID fonts (`Type0`) that pdf-extract cannot read by itself, rewritten in the loaded document
//! before it draws the pages: fonts without a `ToUnicode` map, fonts with a predefined CMap
//! other than Identity (`90ms-RKSJ-H`, `UniJIS-UCS2-H`, `GBK-EUC-H`…), and vertical fonts.
//!
//! - Without `ToUnicode`, a font of one of Adobe's CJK character collections (`CIDSystemInfo`
//!   Adobe-Japan1, GB1, CNS1, Korea1) is decoded through its CMap: a code becomes a CID (for
//!   `Identity-H`/`-V` the code is the CID), the CID becomes text through Adobe's table for the
//!   collection; for the `Uni…-UCS2`/`-UTF16` CMaps the code is the text itself. The CMaps and
//!   the tables are Adobe's `cmap-resources` (BSD-3-Clause), as `hayro-cmap` embeds them.
//! - pdf-extract reads only `Identity-H`/`-V` by name (another name made it panic, so the page
//!   was refused as damaged) and misreads embedded CMaps wider than one byte (an embedded
//!   Identity CMap too: it read every byte as a code). The font gets an encoding CMap that pdf-extract reads right (its codespace written the way its parser
//!   measures it, every code its own number), a `ToUnicode` map and widths keyed by those
//!   numbers.
//! - pdf-extract advances every glyph to the right. A vertical font (`-V`, WMode 1) gets its
//!   vertical advances as widths, so the distance pdf-extract moves along a column is the
//!   distance down it, and its text is marked with [`VERTICAL`] so the importer puts each
//!   glyph back where it is drawn.
//!
//! Only the codes a page draws get entries, made before the page is drawn (strings scanned from
//! its contents and from the document's forms). Fonts held inside a resource dictionary (not as
//! objects of their own) are left alone. Left alone too: fonts whose CIDs are glyph numbers
//! (`Adobe-Identity`, most embedded TrueType subsets): without a `ToUnicode` map, their pages
//! get the "cannot be read" notice.

use std::collections::{BTreeMap, HashMap, HashSet};

use hayro_cmap::{BfString, CMap, CMapName, CidFamily, WritingMode};
use pdf_extract::{Dictionary, Document, Object, ObjectId, Stream};

/// Put before the text of each glyph of a vertical font: never text of its own (a Unicode
/// noncharacter), taken off by the importer.
pub(super) const VERTICAL: char = '\u{fdd0}';

/// Codes looked at per font at most (a two-byte CMap has 65,536).
const MAX_CODES: usize = 70_000;

/// Rewrites the `Type0` fonts pdf-extract would read wrong or not at all (see the module doc).
/// Their maps are made for one page at a time ([`Rewritten::page`]): pdf-extract reads a font's
/// `ToUnicode` map again on every page, and a map of every code a long CJK document uses took
/// some 12 ms a page to read.
pub(super) fn prepare(doc: &mut Document) -> Rewritten {
    let fonts: Vec<Font> = doc
        .objects
        .iter()
        .filter_map(|(&id, obj)| Font::read(doc, id, obj.as_dict().ok()?))
        .collect();
    if fonts.is_empty() {
        return Rewritten::default();
    }
    let fonts = fonts
        .into_iter()
        .map(|font| {
            let parts = font.install(doc);
            (font, parts)
        })
        .collect();
    Rewritten {
        fonts,
        forms: form_strings(doc),
    }
}

/// The fonts rewritten in a document, and the strings its forms draw.
#[derive(Default)]
pub(super) struct Rewritten {
    fonts: Vec<(Font, Parts)>,
    forms: Vec<Vec<u8>>,
}

/// The objects made for a rewritten font, filled in for each page: its `ToUnicode` map, and
/// its descendant with widths keyed by code (for a vertical font or one not read by Identity).
struct Parts {
    to_unicode: ObjectId,
    descendant: Option<ObjectId>,
}

impl Rewritten {
    /// Fills the rewritten fonts' maps and widths with the codes `page` and the forms draw.
    pub(super) fn page(&self, doc: &mut Document, page: ObjectId) {
        if self.fonts.is_empty() {
            return;
        }
        let mut strings = strings_in(&doc.get_page_content(page).unwrap_or_default());
        strings.extend(self.forms.iter().cloned());
        for (font, parts) in &self.fonts {
            font.fill(doc, parts, &strings);
        }
    }
}

/// A `Type0` font to rewrite, with what decoding it takes.
struct Font {
    id: ObjectId,
    cmap: CMap,
    /// `Identity-H`/`-V` by name: two-byte codes that are CIDs, which pdf-extract reads.
    identity: bool,
    vertical: bool,
    /// `Uni…-UCS2`/`-UTF16`: the code is UTF-16 text.
    unicode_codes: bool,
    to_unicode: Option<CMap>,
    /// The collection's CID-to-Unicode table.
    collection: Option<CMap>,
    descendant: Dictionary,
    /// How many bytes a code that starts with each byte has.
    lengths: [u8; 256],
}

impl Font {
    fn read(doc: &Document, id: ObjectId, font: &Dictionary) -> Option<Font> {
        if name(doc, font, b"Subtype")? != b"Type0" {
            return None;
        }
        let descendant = descendant(doc, font)?.clone();
        let (cmap, cmap_name, embedded) = encoding(doc, font)?;
        let identity = !embedded && matches!(cmap_name.as_slice(), b"Identity-H" | b"Identity-V");
        let vertical = cmap.metadata().writing_mode == Some(WritingMode::Vertical)
            || cmap_name.ends_with(b"-V");
        let to_unicode = get(doc, font, b"ToUnicode").and_then(|o| o.as_stream().ok());
        if identity && !vertical && to_unicode.is_some() {
            return None;
        }
        let to_unicode =
            to_unicode.and_then(|s| CMap::parse(&super::content_of(s), hayro_cmap::load_embedded));
        let collection = if to_unicode.is_some() {
            None
        } else {
            family(doc, &descendant)
                .and_then(|f| f.ucs2_cmap())
                .and_then(hayro_cmap::load_embedded)
                .and_then(|data| CMap::parse(data, hayro_cmap::load_embedded))
        };
        if identity && !vertical && collection.is_none() {
            return None;
        }
        let unicode_codes = cmap_name.starts_with(b"Uni")
            && [&b"UCS2"[..], b"UTF16"]
                .iter()
                .any(|k| cmap_name.windows(k.len()).any(|w| w == *k));
        let lengths = if identity {
            [2; 256]
        } else {
            code_lengths(&cmap, cmap_name.windows(5).any(|w| w == b"UTF16"))
        };
        Some(Font {
            id,
            cmap,
            identity,
            vertical,
            unicode_codes,
            to_unicode,
            collection,
            descendant,
            lengths,
        })
    }

    /// The CID a code stands for.
    fn cid(&self, code: u32, len: u8) -> Option<u32> {
        if self.identity {
            return Some(code);
        }
        self.cmap.lookup_cid_code(code, len)
    }

    /// The text a code stands for, if the font says.
    fn text(&self, code: u32, len: u8) -> Option<String> {
        if let Some(map) = &self.to_unicode {
            return map.lookup_bf_string(code).map(bf_text);
        }
        if self.unicode_codes {
            let units: Vec<u16> = if len == 4 {
                vec![(code >> 16) as u16, code as u16]
            } else {
                vec![code as u16]
            };
            return String::from_utf16(&units).ok();
        }
        let cid = self.cid(code, len)?;
        self.collection.as_ref()?.lookup_bf_string(cid).map(bf_text)
    }

    /// The codes the drawings use, split as this font reads them.
    fn codes(&self, strings: &[Vec<u8>]) -> BTreeMap<u32, u8> {
        let mut codes = BTreeMap::new();
        for s in strings {
            let mut at = 0;
            while at < s.len() && codes.len() < MAX_CODES {
                let len = usize::from(self.lengths[usize::from(s[at])]);
                let Some(bytes) = s.get(at..at + len) else {
                    break;
                };
                let code = bytes.iter().fold(0u32, |c, &b| (c << 8) | u32::from(b));
                codes.insert(code, len as u8);
                at += len;
            }
        }
        codes
    }

    /// Points the font at a map, an encoding and a descendant of its own (empty until a page
    /// fills them).
    fn install(&self, doc: &mut Document) -> Parts {
        let empty = || Stream::new(Dictionary::new(), Vec::new());
        let to_unicode = doc.add_object(empty());
        let mut changes: Vec<(&[u8], Object)> = vec![(b"ToUnicode", to_unicode.into())];
        if !self.identity {
            let cmap = Stream::new(Dictionary::new(), code_cmap(&self.lengths));
            changes.push((b"Encoding", doc.add_object(cmap).into()));
        }
        let descendant = (!self.identity || self.vertical).then(|| {
            let id = doc.add_object(self.descendant.clone());
            changes.push((b"DescendantFonts", Object::Array(vec![id.into()])));
            id
        });
        if let Ok(font) = doc.get_object_mut(self.id).and_then(Object::as_dict_mut) {
            for (key, value) in changes {
                font.set(key, value);
            }
        }
        Parts {
            to_unicode,
            descendant,
        }
    }

    /// Fills the font's map and widths with the codes of `strings`.
    fn fill(&self, doc: &mut Document, parts: &Parts, strings: &[Vec<u8>]) {
        let advances = Advances::read(doc, &self.descendant, self.vertical);
        let mut entries = Vec::new();
        let mut widths = Vec::new();
        for (code, len) in self.codes(strings) {
            let text = self.text(code, len).unwrap_or_default();
            if self.vertical {
                entries.push((code, len, format!("{VERTICAL}{text}")));
            } else if !text.is_empty() {
                entries.push((code, len, text));
            }
            if let Some(w) = self.cid(code, len).and_then(|cid| advances.of(cid)) {
                widths.push((code, w));
            }
        }
        if let Ok(Object::Stream(map)) = doc.get_object_mut(parts.to_unicode) {
            map.set_content(to_unicode(&entries));
        }
        let descendant = parts.descendant.map(|id| doc.get_object_mut(id));
        if let Some(Ok(Object::Dictionary(descendant))) = descendant {
            descendant.set("W", widths_array(&widths));
            descendant.set("DW", Object::Integer(advances.default.round() as i64));
        }
    }
}

fn bf_text(s: BfString) -> String {
    match s {
        BfString::Char(c) => c.to_string(),
        BfString::String(s) => s,
    }
}

fn get<'a>(doc: &'a Document, dict: &'a Dictionary, key: &[u8]) -> Option<&'a Object> {
    super::deref(doc, dict.get(key).ok()?)
}

fn name<'a>(doc: &'a Document, dict: &'a Dictionary, key: &[u8]) -> Option<&'a [u8]> {
    get(doc, dict, key)?.as_name().ok()
}

fn descendant<'a>(doc: &'a Document, font: &'a Dictionary) -> Option<&'a Dictionary> {
    let first = get(doc, font, b"DescendantFonts")?
        .as_array()
        .ok()?
        .first()?;
    super::deref(doc, first)?.as_dict().ok()
}

/// The font's encoding CMap, its name, and whether it is embedded (a stream).
fn encoding(doc: &Document, font: &Dictionary) -> Option<(CMap, Vec<u8>, bool)> {
    match get(doc, font, b"Encoding")? {
        Object::Name(n) if n == b"Identity-H" => Some((CMap::identity_h(), n.clone(), false)),
        Object::Name(n) if n == b"Identity-V" => Some((CMap::identity_v(), n.clone(), false)),
        Object::Name(n) => {
            let data = hayro_cmap::load_embedded(CMapName::from_bytes(n))?;
            Some((
                CMap::parse(data, hayro_cmap::load_embedded)?,
                n.clone(),
                false,
            ))
        }
        Object::Stream(s) => {
            let cmap = CMap::parse(&super::content_of(s), hayro_cmap::load_embedded)?;
            let wmode = s.dict.get(b"WMode").ok().and_then(|o| o.as_i64().ok());
            let mut name = cmap.metadata().name.clone().unwrap_or_default();
            if wmode == Some(1) && !name.ends_with(b"-V") {
                name.extend_from_slice(b"-V");
            }
            Some((cmap, name, true))
        }
        _ => None,
    }
}

/// The character collection a CID font draws from (`CIDSystemInfo`).
fn family(doc: &Document, descendant: &Dictionary) -> Option<CidFamily> {
    let info = get(doc, descendant, b"CIDSystemInfo")?.as_dict().ok()?;
    let text = |key: &[u8]| -> Option<Vec<u8>> {
        match get(doc, info, key)? {
            Object::String(s, _) => Some(s.clone()),
            Object::Name(n) => Some(n.clone()),
            _ => None,
        }
    };
    Some(CidFamily::from_registry_ordering(
        &text(b"Registry")?,
        &text(b"Ordering")?,
    ))
}

/// For each first byte, the length of the codes that start with it: one byte where the CMap
/// maps that byte alone, two where it maps two-byte codes starting with it, four for UTF-16's
/// high surrogates. Three-byte codes (EUC's JIS X 0212) are not read.
fn code_lengths(cmap: &CMap, utf16: bool) -> [u8; 256] {
    let mut lengths = [0u8; 256];
    for (b, len) in (0u32..256).zip(lengths.iter_mut()) {
        if cmap.lookup_cid_code(b, 1).is_some() {
            *len = 1;
        } else if utf16 && (0xd8..=0xdb).contains(&b) {
            *len = 4;
        } else if (0u32..256).any(|t| cmap.lookup_cid_code((b << 8) | t, 2).is_some()) {
            *len = 2;
        }
    }
    // A byte the CMap maps nothing to (user-defined characters, unassigned rows) has the length
    // of the bytes around it when they agree, else the usual length.
    let usual = if lengths.contains(&1) { 1 } else { 2 };
    let mut filled = lengths;
    for (b, len) in filled.iter_mut().enumerate() {
        if *len == 0 {
            let before = lengths[..b].iter().rev().find(|&&l| l != 0);
            let after = lengths[b..].iter().find(|&&l| l != 0);
            *len = match (before, after) {
                (Some(x), Some(y)) if x == y => *x,
                _ => usual,
            };
        }
    }
    filled
}

/// An encoding CMap that pdf-extract reads as the font's own: each code its own number. Its
/// parser (adobe-cmap-parser 0.4) takes a codespace bound of 2n bytes for n-byte codes and
/// reads one `cidrange` entry right, so the bounds are written zero-padded to twice their
/// length and one range maps every code to itself.
fn code_cmap(lengths: &[u8; 256]) -> Vec<u8> {
    let mut ranges = Vec::new();
    let mut from = 0usize;
    for b in 1..=256usize {
        if b == 256 || lengths[b] != lengths[from] {
            let len = usize::from(lengths[from]);
            let bound = |first: usize, rest: &str| {
                format!("{}{first:02x}{}", "00".repeat(len), rest.repeat(len - 1))
            };
            ranges.push(format!("<{}> <{}>", bound(from, "00"), bound(b - 1, "ff")));
            from = b;
        }
    }
    format!(
        "/CMapName /Claimmark-Codes def\n{} begincodespacerange\n{}\nendcodespacerange\n\
         1 begincidrange\n<00000000> <ffffffff> 0\nendcidrange\n",
        ranges.len(),
        ranges.join("\n")
    )
    .into_bytes()
}

/// A `ToUnicode` CMap of `(code, code length, text)`.
fn to_unicode(entries: &[(u32, u8, String)]) -> Vec<u8> {
    let mut out = String::from("/CMapName /Claimmark-Unicode def\n");
    for chunk in entries.chunks(100) {
        out.push_str(&format!("{} beginbfchar\n", chunk.len()));
        for (code, len, text) in chunk {
            let code = format!("{code:0width$x}", width = usize::from(*len) * 2);
            let units: String = text.encode_utf16().map(|u| format!("{u:04x}")).collect();
            out.push_str(&format!("<{code}> <{units}>\n"));
        }
        out.push_str("endbfchar\n");
    }
    out.into_bytes()
}

/// A `W` array of single widths, consecutive codes in one run.
fn widths_array(widths: &[(u32, f64)]) -> Object {
    let mut out: Vec<Object> = Vec::new();
    let mut run: Vec<Object> = Vec::new();
    let mut next = None;
    for &(code, w) in widths {
        if next != Some(code) && !run.is_empty() {
            out.push(Object::Array(std::mem::take(&mut run)));
        }
        if run.is_empty() {
            out.push(Object::Integer(i64::from(code)));
        }
        run.push(Object::Real(w as f32));
        next = code.checked_add(1);
    }
    if !run.is_empty() {
        out.push(Object::Array(run));
    }
    Object::Array(out)
}

/// A CID font's advances: its horizontal widths (`W`, `DW`), or for vertical writing its
/// vertical advances (`W2`, `DW2`), as positive distances in thousandths of the font size.
struct Advances {
    each: HashMap<u32, f64>,
    ranges: Vec<(u32, u32, f64)>,
    default: f64,
}

impl Advances {
    fn read(doc: &Document, descendant: &Dictionary, vertical: bool) -> Advances {
        let number = |o: &Object| super::deref(doc, o).and_then(|o| o.as_float().ok());
        let (key, stride, default) = if vertical {
            let dw2 = get(doc, descendant, b"DW2")
                .and_then(|o| o.as_array().ok())
                .and_then(|a| a.get(1))
                .and_then(number)
                .map_or(1000.0, |v| f64::from(v).abs());
            (&b"W2"[..], 3, dw2)
        } else {
            let dw = get(doc, descendant, b"DW").and_then(number);
            (&b"W"[..], 1, dw.map_or(1000.0, f64::from))
        };
        let mut advances = Advances {
            each: HashMap::new(),
            ranges: Vec::new(),
            default,
        };
        let Some(list) = get(doc, descendant, key).and_then(|o| o.as_array().ok()) else {
            return advances;
        };
        let mut i = 0;
        while let Some(first) = list.get(i).and_then(number) {
            let first = first.max(0.0) as u32;
            match list.get(i + 1).and_then(|o| super::deref(doc, o)) {
                Some(Object::Array(values)) => {
                    let values: Vec<f32> = values.iter().filter_map(number).collect();
                    for (k, v) in values.iter().step_by(stride).enumerate().take(MAX_CODES) {
                        advances
                            .each
                            .insert(first.saturating_add(k as u32), f64::from(*v).abs());
                    }
                    i += 2;
                }
                Some(last) => {
                    let last = last.as_float().map_or(first, |l| l.max(0.0) as u32);
                    let Some(v) = list.get(i + 2).and_then(number) else {
                        break;
                    };
                    advances.ranges.push((first, last, f64::from(v).abs()));
                    i += 2 + stride;
                }
                None => break,
            }
        }
        advances
    }

    fn of(&self, cid: u32) -> Option<f64> {
        self.each.get(&cid).copied().or_else(|| {
            self.ranges
                .iter()
                .find(|(lo, hi, _)| (*lo..=*hi).contains(&cid))
                .map(|r| r.2)
        })
    }
}

/// Every string the document's forms draw (the operands of their text operators, and any other
/// string in them: a few codes too many cost nothing).
fn form_strings(doc: &Document) -> Vec<Vec<u8>> {
    let mut seen = HashSet::new();
    for object in doc.objects.values() {
        let Ok(s) = object.as_stream() else { continue };
        if s.dict.get(b"Subtype").ok().and_then(|n| n.as_name().ok()) == Some(&b"Form"[..]) {
            seen.extend(strings_in(&super::content_of(s)));
        }
    }
    seen.into_iter().collect()
}

/// The strings in drawing instructions: `(literal)` and `<hex>` strings.
fn strings_in(content: &[u8]) -> Vec<Vec<u8>> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < content.len() {
        match content[i] {
            b'%' => {
                while i < content.len() && !matches!(content[i], b'\r' | b'\n') {
                    i += 1;
                }
            }
            b'(' => {
                let (s, end) = literal(content, i + 1);
                out.push(s);
                i = end;
            }
            b'<' if content.get(i + 1) == Some(&b'<') => i += 2,
            b'<' => {
                let end = content[i..]
                    .iter()
                    .position(|&c| c == b'>')
                    .map_or(content.len(), |p| i + p);
                out.push(hex(&content[i + 1..end]));
                i = end + 1;
            }
            _ => i += 1,
        }
    }
    out
}

/// A literal string's bytes from just after its `(`, and where it ends.
fn literal(content: &[u8], mut i: usize) -> (Vec<u8>, usize) {
    let mut out = Vec::new();
    let mut depth = 0usize;
    while let Some(&c) = content.get(i) {
        i += 1;
        match c {
            b'\\' => {
                let Some(&e) = content.get(i) else { break };
                i += 1;
                match e {
                    b'n' => out.push(b'\n'),
                    b'r' => out.push(b'\r'),
                    b't' => out.push(b'\t'),
                    b'b' => out.push(8),
                    b'f' => out.push(12),
                    b'0'..=b'7' => {
                        let mut v = u32::from(e - b'0');
                        for _ in 0..2 {
                            match content.get(i) {
                                Some(&d @ b'0'..=b'7') => {
                                    v = v * 8 + u32::from(d - b'0');
                                    i += 1;
                                }
                                _ => break,
                            }
                        }
                        out.push(v as u8);
                    }
                    b'\r' | b'\n' => {}
                    other => out.push(other),
                }
            }
            b'(' => {
                depth += 1;
                out.push(c);
            }
            b')' if depth == 0 => break,
            b')' => {
                depth -= 1;
                out.push(c);
            }
            _ => out.push(c),
        }
    }
    (out, i)
}

fn hex(digits: &[u8]) -> Vec<u8> {
    let nibbles: Vec<u8> = digits
        .iter()
        .filter_map(|&c| (c as char).to_digit(16).map(|d| d as u8))
        .collect();
    nibbles
        .chunks(2)
        .map(|p| (p[0] << 4) | p.get(1).copied().unwrap_or(0))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::super::bounds::tests::{pdf, stream};
    use super::super::{Extracted, extract};
    use super::*;

    /// A one-page PDF that draws `content` with F1: a `Type0` font with `encoding` over a
    /// `CIDFontType0` of Adobe-`ordering`, not embedded, without a `ToUnicode` map.
    fn cid_pdf(encoding: &str, ordering: &str, content: &[u8]) -> Vec<u8> {
        fonts_pdf(&[(encoding, ordering, None)], content)
    }

    /// A one-page PDF that draws `content` with fonts F1, F2…: for each, a `Type0` font with
    /// an encoding over a `CIDFontType0` of an Adobe collection, and its `ToUnicode` CMap if
    /// given.
    fn fonts_pdf(fonts: &[(&str, &str, Option<&str>)], content: &[u8]) -> Vec<u8> {
        fonts_pdf_with(fonts, content, Vec::new())
    }

    /// [`fonts_pdf`] with `more` objects after the fonts'.
    fn fonts_pdf_with(
        fonts: &[(&str, &str, Option<&str>)],
        content: &[u8],
        more: Vec<Vec<u8>>,
    ) -> Vec<u8> {
        let names: String = (0..fonts.len())
            .map(|i| format!("/F{} {} 0 R ", i + 1, 6 + 3 * i))
            .collect();
        let mut objects = vec![
            b"<< /Type /Catalog /Pages 2 0 R >>".to_vec(),
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_vec(),
            format!(
                "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R \
                 /Resources << /Font << {names}>> >> >>"
            )
            .into_bytes(),
            stream("", content),
            b"<< /Type /FontDescriptor /FontName /Mincho /Flags 4 /FontBBox [0 -120 1000 880] \
               /ItalicAngle 0 /Ascent 880 /Descent -120 /CapHeight 700 /StemV 80 >>"
                .to_vec(),
        ];
        for (i, (encoding, ordering, to_unicode)) in fonts.iter().enumerate() {
            let (descendant, map) = (7 + 3 * i, 8 + 3 * i);
            let map_ref = match to_unicode {
                Some(_) => format!("/ToUnicode {map} 0 R"),
                None => String::new(),
            };
            objects.push(
                format!(
                    "<< /Type /Font /Subtype /Type0 /BaseFont /Mincho /Encoding {encoding} \
                     /DescendantFonts [{descendant} 0 R] {map_ref} >>"
                )
                .into_bytes(),
            );
            objects.push(
                format!(
                    "<< /Type /Font /Subtype /CIDFontType0 /BaseFont /Mincho /CIDSystemInfo \
                     << /Registry (Adobe) /Ordering ({ordering}) /Supplement 2 >> \
                     /FontDescriptor 5 0 R /DW 1000 >>"
                )
                .into_bytes(),
            );
            objects.push(stream("", to_unicode.unwrap_or_default().as_bytes()));
        }
        objects.extend(more);
        pdf(&objects)
    }

    /// `text` as the CIDs of a collection, through the collection's Unicode CMap (UTF-16 code
    /// to CID: Adobe's data the other way round from what the importer reads), as a hex string.
    fn cids(text: &str, unicode_cmap: CMapName<'_>) -> String {
        let data = hayro_cmap::load_embedded(unicode_cmap).expect("embedded");
        let cmap = CMap::parse(data, hayro_cmap::load_embedded).expect("parses");
        let hex: String = text
            .encode_utf16()
            .map(|u| {
                let cid = cmap
                    .lookup_cid_code(u32::from(u), 2)
                    .expect("in the collection");
                format!("{cid:04x}")
            })
            .collect();
        format!("<{hex}>")
    }

    fn text_of(file: &[u8]) -> String {
        let e: Extracted = extract(file).expect("reads");
        crate::import::assert_canonical(&e);
        e.text
    }

    const JA_1: &str = "市議会は火曜日、港の浚渫計画を";
    const JA_2: &str = "賛成多数で承認した。";

    #[test]
    fn japanese_cid_font_without_a_unicode_map_reads_through_its_collection() {
        let (one, two) = (
            cids(JA_1, CMapName::UniJisUtf16H),
            cids(JA_2, CMapName::UniJisUtf16H),
        );
        // Adobe-Japan1's hiragana follow JIS order from ぁ at CID 842 (の 887, は 888); the
        // ideographic comma is CID 634.
        assert_eq!(cids("は、の", CMapName::UniJisUtf16H), "<0378027a0377>");
        let content = format!("BT /F1 20 Tf 72 760 Td {one} Tj 0 -28 Td {two} Tj ET");
        let file = cid_pdf("/Identity-H", "Japan1", content.as_bytes());
        // Two lines of one paragraph, joined without a space.
        assert_eq!(text_of(&file), format!("{JA_1}{JA_2}"));
    }

    #[test]
    fn japanese_with_a_predefined_shift_jis_cmap_reads() {
        let line = "2024年3月、市議会は港の計画を承認した。";
        let (sjis, _, bad) = encoding_rs::SHIFT_JIS.encode(line);
        assert!(!bad);
        let mut content = b"BT /F1 12 Tf 72 760 Td (".to_vec();
        for &b in sjis.iter() {
            if matches!(b, b'(' | b')' | b'\\') {
                content.push(b'\\');
            }
            content.push(b);
        }
        content.extend_from_slice(b") Tj ET");
        // pdf-extract panicked on a CMap named other than Identity: the page was "damaged".
        let file = cid_pdf("/90ms-RKSJ-H", "Japan1", &content);
        assert_eq!(text_of(&file), line);
    }

    #[test]
    fn chinese_and_korean_cid_fonts_without_a_unicode_map_read() {
        let zh = "市议会周二批准了港口疏浚计划。";
        let content = format!(
            "BT /F1 12 Tf 72 760 Td {} Tj ET",
            cids(zh, CMapName::UniGbUtf16H)
        );
        assert_eq!(
            text_of(&cid_pdf("/Identity-H", "GB1", content.as_bytes())),
            zh
        );
        // A UCS-2 CMap: the codes are the text.
        let ko = "시의회는 화요일 항만 준설 계획을 승인했다.";
        let hex: String = ko.encode_utf16().map(|u| format!("{u:04x}")).collect();
        let content = format!("BT /F1 12 Tf 72 760 Td <{hex}> Tj ET");
        assert_eq!(
            text_of(&cid_pdf("/UniKS-UCS2-H", "Korea1", content.as_bytes())),
            ko
        );
    }

    #[test]
    fn vertical_writing_reads_down_the_columns_and_right_to_left() {
        // Two paragraphs in columns of at most 12 characters of 20 points, from x = 500
        // leftwards every 30 points; the second paragraph starts one character down.
        let columns = [
            ("港の浚渫計画について市議", 500, 760),
            ("会は承認した。", 470, 760),
            ("工事は来年春に始まる予", 440, 740),
            ("定である。", 410, 760),
        ];
        let mut content = String::new();
        // Drawn out of order: the third column first, then the others from the left.
        for &i in &[2, 3, 1, 0] {
            let (text, x, y) = columns[i];
            // The first column in two strings: the second goes on where the first ended.
            let cut = text.char_indices().nth(5).map_or(text.len(), |(at, _)| at);
            let (a, b) = (&text[..cut], &text[cut..]);
            let (a, b) = (
                cids(a, CMapName::UniJisUtf16H),
                cids(b, CMapName::UniJisUtf16H),
            );
            content.push_str(&format!(
                "BT /F1 20 Tf 1 0 0 1 {x} {y} Tm {a} Tj {b} Tj ET\n"
            ));
        }
        let file = cid_pdf("/Identity-V", "Japan1", content.as_bytes());
        assert_eq!(
            text_of(&file),
            "港の浚渫計画について市議会は承認した。\n\n工事は来年春に始まる予定である。"
        );
    }

    /// A `ToUnicode` CMap for the characters of `text`, from their CIDs in Adobe-Japan1.
    fn japan1_to_unicode(text: &str) -> String {
        let hex = cids(text, CMapName::UniJisUtf16H);
        let codes: Vec<&str> = (1..hex.len() - 1)
            .step_by(4)
            .map(|i| &hex[i..i + 4])
            .collect();
        let entries: String = codes
            .iter()
            .zip(text.chars())
            .map(|(code, c)| {
                let units: String = c
                    .encode_utf16(&mut [0; 2])
                    .iter()
                    .map(|u| format!("{u:04x}"))
                    .collect();
                format!("<{code}> <{units}>\n")
            })
            .collect();
        format!("{} beginbfchar\n{entries}endbfchar\n", codes.len())
    }

    #[test]
    fn a_title_across_the_top_of_vertical_writing_comes_first() {
        let title = "港湾計画の説明";
        let body = "港の浚渫計画について市議会は承認した。";
        let mut content = format!(
            "BT /F1 24 Tf 72 800 Td {} Tj ET\n",
            cids(title, CMapName::UniJisUtf16H)
        );
        // Two columns of one paragraph, 12 characters in the first.
        let (a, b) = body.split_at(body.char_indices().nth(12).map_or(0, |c| c.0));
        for (part, x) in [(a, 500), (b, 470)] {
            let hex = cids(part, CMapName::UniJisUtf16H);
            content.push_str(&format!("BT /F2 20 Tf 1 0 0 1 {x} 760 Tm {hex} Tj ET\n"));
        }
        // The vertical font has a ToUnicode map of its own: kept, and its glyphs still placed
        // down their columns.
        let map = japan1_to_unicode(body);
        let file = fonts_pdf(
            &[
                ("/Identity-H", "Japan1", None),
                ("/Identity-V", "Japan1", Some(&map)),
            ],
            content.as_bytes(),
        );
        assert_eq!(text_of(&file), format!("{title}\n\n{body}"));
    }

    #[test]
    fn fonts_with_their_own_unicode_map_are_left_alone_and_glyph_numbers_stay_unreadable() {
        let text = "港の浚渫計画について市議会は承認した。";
        let content = format!(
            "BT /F1 12 Tf 72 760 Td {} Tj ET",
            cids(text, CMapName::UniJisUtf16H)
        );
        let map = japan1_to_unicode(text);
        let file = fonts_pdf(&[("/Identity-H", "Japan1", Some(&map))], content.as_bytes());
        let mut doc = Document::load_mem(&file).expect("loads");
        let before = doc.objects.clone();
        prepare(&mut doc);
        assert_eq!(doc.objects, before);
        assert_eq!(text_of(&file), text);
        // CIDs that are glyph numbers (Adobe-Identity) say nothing of their letters.
        let long = format!("BT /F1 12 Tf 72 760 Td <{}> Tj ET", "0102".repeat(30));
        let file = cid_pdf("/Identity-H", "Identity", long.as_bytes());
        assert_eq!(
            extract(&file).expect_err("junk"),
            super::super::PdfError::Undecodable
        );
    }

    /// Punctuation set tight with `TJ` in a column, as Japanese typesetting does: in vertical
    /// writing a negative adjustment moves the next glyph up, so no gap (and no space) opens.
    #[test]
    fn adjustments_inside_a_column_of_vertical_writing_move_down_it() {
        let (a, b) = ("市議会は、", "港の計画を承認した。");
        let (ha, hb) = (
            cids(a, CMapName::UniJisUtf16H),
            cids(b, CMapName::UniJisUtf16H),
        );
        let content = format!("BT /F1 20 Tf 1 0 0 1 500 760 Tm [{ha} -500 {hb}] TJ ET");
        let file = cid_pdf("/Identity-V", "Japan1", content.as_bytes());
        assert_eq!(text_of(&file), format!("{a}{b}"));
        // A positive one moves it down, leaving a gap.
        let content = format!("BT /F1 20 Tf 1 0 0 1 500 760 Tm [{ha} 1000 {hb}] TJ ET");
        let file = cid_pdf("/Identity-V", "Japan1", content.as_bytes());
        assert_eq!(text_of(&file), format!("{a} {b}"));
    }

    /// An Identity CMap embedded as a stream: pdf-extract's parser took its two-byte codespace
    /// for one byte and read every byte as a code.
    #[test]
    fn an_embedded_identity_cmap_reads_two_bytes_a_code() {
        let text = "港の浚渫計画について市議会は承認した。";
        let content = format!(
            "BT /F1 12 Tf 72 760 Td {} Tj ET",
            cids(text, CMapName::UniJisUtf16H)
        );
        let cmap = b"/CIDInit /ProcSet findresource begin 12 dict begin begincmap\n\
            /CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> def\n\
            /CMapName /Identity-H def /CMapType 1 def\n\
            1 begincodespacerange <0000> <FFFF> endcodespacerange\n\
            1 begincidrange <0000> <FFFF> 0 endcidrange\n\
            endcmap CMapName currentdict /CMap defineresource pop end end";
        let map = japan1_to_unicode(text);
        let file = fonts_pdf_with(
            &[("9 0 R", "Japan1", Some(&map))],
            content.as_bytes(),
            vec![stream("/Type /CMap /CMapName /Identity-H", cmap)],
        );
        assert_eq!(text_of(&file), text);
        // Without a ToUnicode map, through the collection.
        let file = fonts_pdf_with(
            &[("9 0 R", "Japan1", None)],
            content.as_bytes(),
            vec![stream("/Type /CMap /CMapName /Identity-H", cmap)],
        );
        assert_eq!(text_of(&file), text);
    }

    /// Some producers place every glyph of a column with its own `Td`.
    #[test]
    fn vertical_writing_placed_glyph_by_glyph_reads_as_columns() {
        let columns = ["市議会は承認", "した。"];
        let mut content = String::from("BT /F1 20 Tf 1 0 0 1 500 760 Tm\n");
        for (i, text) in columns.iter().enumerate() {
            if i > 0 {
                let back = 20 * (columns[i - 1].chars().count() - 1);
                content.push_str(&format!("-30 {back} Td\n"));
            }
            for (k, c) in text.chars().enumerate() {
                let step = if k == 0 { "" } else { "0 -20 Td " };
                let hex = cids(&c.to_string(), CMapName::UniJisUtf16H);
                content.push_str(&format!("{step}{hex} Tj\n"));
            }
        }
        content.push_str("ET");
        let file = cid_pdf("/Identity-V", "Japan1", content.as_bytes());
        assert_eq!(text_of(&file), "市議会は承認した。");
    }

    #[test]
    fn strings_are_found_in_drawing_instructions() {
        let content = b"% a comment (not a string)\n<< /MCID 3 >> BDC BT (a\\(b\\)\\101\\n) Tj \
                        [<30 42> -20 <3>] TJ (nested (paren)) Tj ET EMC";
        let found = strings_in(content);
        assert_eq!(
            found,
            [
                b"a(b)A\n".to_vec(),
                vec![0x30, 0x42],
                vec![0x30],
                b"nested (paren)".to_vec()
            ]
        );
    }

    #[test]
    fn code_lengths_follow_the_cmap() {
        let load = |name: CMapName<'_>| {
            CMap::parse(
                hayro_cmap::load_embedded(name).expect("embedded"),
                hayro_cmap::load_embedded,
            )
            .expect("parses")
        };
        // Shift-JIS: ASCII and half-width katakana one byte, kanji lead bytes two.
        let sjis = code_lengths(&load(CMapName::N90msRksjH), false);
        assert_eq!(
            (sjis[0x41], sjis[0xb1], sjis[0x82], sjis[0xe0]),
            (1, 1, 2, 2)
        );
        // UTF-16: two bytes, four for a high surrogate.
        let utf16 = code_lengths(&load(CMapName::UniJisUtf16H), true);
        assert_eq!((utf16[0x00], utf16[0x4e], utf16[0xd8]), (2, 2, 4));
        // Written for pdf-extract's parser: bounds twice as long as the codes, zero-padded.
        let cmap = String::from_utf8(code_cmap(&sjis)).expect("ascii");
        assert!(cmap.contains("<0000> <0080>"), "{cmap}");
        assert!(cmap.contains("<00008100> <00009fff>"), "{cmap}");
        // User-defined rows (F040–F9FC) are two bytes too, as the rows around them.
        assert!(cmap.contains("<0000e000> <0000fcff>"), "{cmap}");
        assert!(cmap.contains("<00fd> <00ff>"), "{cmap}");
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig {
            cases: 32,
            ..proptest::prelude::ProptestConfig::default()
        })]

        /// A damaged vertical CJK file gives text in canonical form or an error, never a panic
        /// that escapes.
        #[test]
        fn damaged_cjk_files_never_escape(
            edits in proptest::collection::vec(
                (proptest::prelude::any::<proptest::sample::Index>(), proptest::prelude::any::<u8>()),
                1..8,
            ),
        ) {
            let content = format!(
                "BT /F1 20 Tf 1 0 0 1 500 760 Tm [{} -500 {}] TJ ET",
                cids(JA_1, CMapName::UniJisUtf16H),
                cids(JA_2, CMapName::UniJisUtf16H)
            );
            let mut bytes = cid_pdf("/Identity-V", "Japan1", content.as_bytes());
            for (at, b) in edits {
                let i = at.index(bytes.len());
                bytes[i] = b;
            }
            if let Ok(e) = extract(&bytes) {
                crate::import::assert_canonical(&e);
            }
        }
    }
}
