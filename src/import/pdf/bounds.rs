//! What a PDF may make the importer do, checked before lopdf and pdf-extract do it.
//!
//! Both libraries trust the file: they decompress a stream whole into memory however large it
//! expands (a 2 MB file with a 2 GB Flate stream took 6.4 GB), and pdf-extract follows a page's
//! `/Parent` chain without looking for a loop. So before any stream is decompressed its decoded
//! size is measured by decoding it into nothing, within a limit per stream and per file; the
//! page tree is walked with a record of the nodes seen; pixel data (images) and attached files,
//! which the text never needs, are dropped unread. A file over a limit is refused with a
//! sentence saying which.
//!
//! Not covered: the object streams of an encrypted file, which lopdf unpacks while it decrypts
//! the file, past the load filter that measures them in other files.

use std::collections::HashSet;
use std::io::{Read, Write};
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};

use pdf_extract::{Dictionary, Document, LoadOptions, Object, ObjectId, Stream};

use super::PdfError;

/// One stream (a page's drawing, a font, a drawing used on pages) may expand to this much.
pub const MAX_STREAM_BYTES: u64 = 64 * 1024 * 1024;
/// All the streams of one file together may expand to this much (measuring them is work
/// even when they are never held at once).
pub const MAX_DECODED_BYTES: u64 = 1024 * 1024 * 1024;
/// All the object streams of one file together may expand to this much: lopdf keeps them
/// unpacked while it reads the objects in them (dictionaries, small).
pub const MAX_OBJECT_STREAM_BYTES: u64 = 256 * 1024 * 1024;
/// Page trees deeper than this are refused (real files have a handful of levels).
const MAX_TREE_DEPTH: usize = 256;

/// Adds one stream's decoded size to a file's total: refused past the limit for one stream or
/// for the whole file.
fn count_decoded(total: &mut u64, size: u64) -> Result<(), PdfError> {
    if size > MAX_STREAM_BYTES {
        return Err(PdfError::Expands {
            limit: MAX_STREAM_BYTES,
        });
    }
    *total += size;
    if *total > MAX_DECODED_BYTES {
        return Err(PdfError::Expands {
            limit: MAX_DECODED_BYTES,
        });
    }
    Ok(())
}

/// The objects lopdf finds in object streams are decompressed while the file is loaded, on
/// lopdf's worker threads, through a filter that is a plain function: the running total of one
/// load lives in these statics, and loads take turns (a load is quick next to extraction).
static LOADING: Mutex<()> = Mutex::new(());
static OBJECT_STREAM_BYTES: AtomicU64 = AtomicU64::new(0);
/// The limit an object stream went over (0: none).
static OBJECT_STREAM_REFUSED: AtomicU64 = AtomicU64::new(0);

/// Loads a PDF within the limits: decompressed sizes, page tree shape.
pub fn load(bytes: &[u8]) -> Result<Document, PdfError> {
    check_xref_streams(bytes)?;
    let loaded = {
        let _turn = LOADING.lock().unwrap_or_else(|e| e.into_inner());
        OBJECT_STREAM_BYTES.store(0, Ordering::SeqCst);
        OBJECT_STREAM_REFUSED.store(0, Ordering::SeqCst);
        let options = LoadOptions {
            filter: Some(object_stream_filter),
            ..LoadOptions::default()
        };
        let loaded = Document::load_mem_with_options(bytes, options);
        let refused = OBJECT_STREAM_REFUSED.load(Ordering::SeqCst);
        (loaded, refused)
    };
    let mut doc = match loaded {
        (_, limit @ 1..) => return Err(PdfError::Expands { limit }),
        (Ok(doc), _) => doc,
        (Err(pdf_extract::Error::Decryption(_)), _) => return Err(PdfError::Encrypted),
        (Err(_), _) => return Err(PdfError::Damaged),
    };
    if doc.is_encrypted() && doc.decrypt("").is_err() {
        return Err(PdfError::Encrypted);
    }
    check_streams(&mut doc)?;
    check_page_tree(&doc)?;
    Ok(doc)
}

/// The load filter: measures each object stream before lopdf decompresses it, and empties one
/// that expands too far (the load is then refused). lopdf uses what this returns only for the
/// objects inside object streams, which are never streams themselves; for a stream it only
/// asks whether to keep it.
fn object_stream_filter(id: ObjectId, object: &mut Object) -> Option<(ObjectId, Object)> {
    let Object::Stream(stream) = object else {
        return Some((id, object.clone()));
    };
    if stream.dict.has_type(b"ObjStm") && stream.is_compressed() {
        if OBJECT_STREAM_REFUSED.load(Ordering::SeqCst) != 0 {
            // Refused already: not worth measuring.
            stream.set_plain_content(Vec::new());
            return Some((id, Object::Null));
        }
        let size = decoded_len(stream, MAX_STREAM_BYTES);
        let total = OBJECT_STREAM_BYTES.fetch_add(size, Ordering::SeqCst) + size;
        let over = if size > MAX_STREAM_BYTES {
            MAX_STREAM_BYTES
        } else if total > MAX_OBJECT_STREAM_BYTES {
            MAX_OBJECT_STREAM_BYTES
        } else {
            0
        };
        if over != 0 {
            OBJECT_STREAM_REFUSED.store(over, Ordering::SeqCst);
            stream.set_plain_content(Vec::new());
        }
    }
    Some((id, Object::Null))
}

/// Cross-reference streams are decompressed while lopdf reads the file's structure, before any
/// filter sees them: they are found in the bytes (`/Type /XRef` … `stream`) and measured first.
fn check_xref_streams(bytes: &[u8]) -> Result<(), PdfError> {
    let mut total = 0u64;
    let mut from = 0;
    while let Some(at) = find(&bytes[from..], b"/XRef") {
        let after = from + at + b"/XRef".len();
        from = after;
        if bytes.get(after).is_some_and(u8::is_ascii_alphanumeric) {
            continue; // `/XRefStm`
        }
        let window = &bytes[after..bytes.len().min(after + 4096)];
        let Some(keyword) = find(window, b"stream") else {
            continue;
        };
        let dict = &window[..keyword];
        let mut data = after + keyword + b"stream".len();
        if bytes.get(data) == Some(&b'\r') {
            data += 1;
        }
        if bytes.get(data) == Some(&b'\n') {
            data += 1;
        }
        let data = &bytes[data.min(bytes.len())..];
        let size = if find(dict, b"FlateDecode").is_some() {
            flate_len(data, MAX_STREAM_BYTES)
        } else if find(dict, b"LZWDecode").is_some() {
            lzw_len(data, true, MAX_STREAM_BYTES)
        } else {
            0
        };
        count_decoded(&mut total, size)?;
    }
    Ok(())
}

/// Measures every compressed stream the text may need, and drops the data of images and
/// attached files (pdf-extract would decompress an image drawn on a page, then read its pixels
/// as drawing instructions).
fn check_streams(doc: &mut Document) -> Result<(), PdfError> {
    let mut total = 0u64;
    for object in doc.objects.values_mut() {
        let Object::Stream(stream) = object else {
            continue;
        };
        let is_image = name_of(&stream.dict, b"Subtype") == Some(b"Image");
        if is_image || stream.dict.has_type(b"EmbeddedFile") {
            stream.set_plain_content(Vec::new());
            continue;
        }
        if !stream.is_compressed() {
            continue;
        }
        let size = decoded_len(stream, MAX_STREAM_BYTES);
        count_decoded(&mut total, size)?;
    }
    Ok(())
}

fn name_of<'a>(dict: &'a Dictionary, key: &[u8]) -> Option<&'a [u8]> {
    dict.get(key).ok().and_then(|o| o.as_name().ok())
}

/// The page tree, walked from the catalog the way lopdf lists pages: a `/Pages` node reached
/// twice (a `/Kids` loop) or a tree deeper than [`MAX_TREE_DEPTH`] is refused; so is a page
/// whose `/Parent` chain (which pdf-extract climbs for inherited resources) loops.
fn check_page_tree(doc: &Document) -> Result<(), PdfError> {
    let Ok(root) = doc
        .catalog()
        .and_then(|c| c.get(b"Pages"))
        .and_then(Object::as_reference)
    else {
        return Ok(()); // no pages: refused later with its own message
    };
    let mut seen: HashSet<ObjectId> = HashSet::new();
    let mut pages = Vec::new();
    let mut stack = vec![(root, 0usize)];
    while let Some((id, depth)) = stack.pop() {
        let Ok(node) = doc.get_dictionary(id) else {
            continue;
        };
        match node.get_type() {
            Ok(b"Page") => pages.push(id),
            Ok(b"Pages") => {
                if !seen.insert(id) {
                    return Err(PdfError::PageTreeLoop);
                }
                if depth >= MAX_TREE_DEPTH {
                    return Err(PdfError::PageTreeTooDeep);
                }
                let Ok(kids) = node.get_deref(b"Kids", doc).and_then(Object::as_array) else {
                    continue;
                };
                for kid in kids.iter().rev() {
                    if let Ok(kid) = kid.as_reference() {
                        stack.push((kid, depth + 1));
                    }
                }
            }
            _ => {}
        }
    }
    // Parent chains: each node is climbed at most once; a chain that comes back to a node of
    // its own climb loops.
    let mut fine: HashSet<ObjectId> = HashSet::new();
    for page in pages {
        let mut climb: Vec<ObjectId> = Vec::new();
        let mut at = Some(page);
        while let Some(id) = at {
            if fine.contains(&id) {
                break;
            }
            if climb.contains(&id) || climb.len() > MAX_TREE_DEPTH {
                return Err(PdfError::PageTreeLoop);
            }
            climb.push(id);
            at = doc
                .get_dictionary(id)
                .ok()
                .and_then(|d| d.get(b"Parent").ok())
                .and_then(|p| p.as_reference().ok());
        }
        fine.extend(climb);
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// Decoded sizes

/// How many bytes `stream` decodes to, as lopdf would decode it, counted without keeping them;
/// `limit + 1` for anything over `limit`. lopdf decodes FlateDecode, LZWDecode and
/// ASCII85Decode, in order, and stops at any other filter (pdf-extract then uses what it has);
/// the largest stage is what it holds in memory.
pub fn decoded_len(stream: &Stream, limit: u64) -> u64 {
    let over = limit.saturating_add(1);
    let Ok(filters) = stream.filters() else {
        return stream.content.len() as u64;
    };
    let early_change = stream
        .dict
        .get(b"DecodeParms")
        .and_then(Object::as_dict)
        .and_then(|p| p.get(b"EarlyChange"))
        .and_then(Object::as_i64)
        .map_or(true, |v| v != 0);
    let mut data: std::borrow::Cow<[u8]> = std::borrow::Cow::Borrowed(&stream.content);
    let mut largest = data.len() as u64;
    let count = filters.len();
    for (i, filter) in filters.into_iter().enumerate() {
        let len = match filter {
            b"FlateDecode" => flate_len(&data, limit),
            b"LZWDecode" => lzw_len(&data, early_change, limit),
            b"ASCII85Decode" => ascii85_len(&data),
            _ => return largest,
        };
        largest = largest.max(len);
        if largest > limit {
            return over;
        }
        if i + 1 == count {
            break;
        }
        // A stage in the middle, known to be small enough: decoded by lopdf itself.
        let mut one = Stream::new(Dictionary::new(), data.into_owned());
        one.dict.set("Filter", Object::Name(filter.to_vec()));
        data = std::borrow::Cow::Owned(one.decompressed_content().unwrap_or_default());
    }
    largest
}

/// A writer that counts what it is given and fails past a limit.
struct Counter {
    n: u64,
    limit: u64,
}

impl Write for Counter {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.n += buf.len() as u64;
        if self.n > self.limit {
            return Err(std::io::Error::other("over the limit"));
        }
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// Flate: zlib, else (as lopdf retries when zlib gives nothing) raw deflate after the header.
fn flate_len(input: &[u8], limit: u64) -> u64 {
    let over = limit.saturating_add(1);
    let mut count = Counter { n: 0, limit };
    let mut zlib = flate2::read::ZlibDecoder::new(input).take(over);
    let _ = std::io::copy(&mut zlib, &mut count);
    if count.n == 0 && input.len() > 2 {
        let mut raw = flate2::read::DeflateDecoder::new(&input[2..]).take(over);
        let _ = std::io::copy(&mut raw, &mut count);
    }
    count.n.min(over)
}

fn lzw_decoder(early_change: bool) -> weezl::decode::Decoder {
    use weezl::{BitOrder, decode::Decoder};
    if early_change {
        Decoder::with_tiff_size_switch(BitOrder::Msb, 8)
    } else {
        Decoder::new(BitOrder::Msb, 8)
    }
}

fn lzw_len(input: &[u8], early_change: bool, limit: u64) -> u64 {
    let mut count = Counter { n: 0, limit };
    let _ = lzw_decoder(early_change)
        .into_stream(&mut count)
        .decode_all(input);
    count.n.min(limit.saturating_add(1))
}

/// An upper bound of what ASCII85 data decodes to: `z` is four zero bytes, any other character
/// at most one.
fn ascii85_len(input: &[u8]) -> u64 {
    input
        .iter()
        .map(|&c| match c {
            b'z' => 4,
            b'!'..=b'u' => 1,
            _ => 0,
        })
        .sum()
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

#[cfg(test)]
pub(super) mod tests {
    use std::io::Write;

    use super::super::{Extracted, extract};
    use super::*;

    /// A PDF file made of these objects (numbered from 1; 1 is the catalog), with its xref table.
    pub(in crate::import) fn pdf(objects: &[Vec<u8>]) -> Vec<u8> {
        let mut out = b"%PDF-1.5\n".to_vec();
        let mut offsets = Vec::new();
        for (i, object) in objects.iter().enumerate() {
            offsets.push(out.len());
            out.extend(format!("{} 0 obj\n", i + 1).bytes());
            out.extend_from_slice(object);
            out.extend_from_slice(b"\nendobj\n");
        }
        let xref = out.len();
        out.extend(format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1).bytes());
        for offset in offsets {
            out.extend(format!("{offset:010} 00000 n \n").bytes());
        }
        let size = objects.len() + 1;
        out.extend(
            format!("trailer\n<< /Size {size} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n").bytes(),
        );
        out
    }

    pub(in crate::import) fn stream(dict: &str, data: &[u8]) -> Vec<u8> {
        let mut out = format!("<< {dict} /Length {} >>\nstream\n", data.len()).into_bytes();
        out.extend_from_slice(data);
        out.extend_from_slice(b"\nendstream");
        out
    }

    fn zlib(data: &[u8], zeros: usize) -> Vec<u8> {
        let mut z = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::best());
        z.write_all(data).expect("compress");
        let block = vec![b' '; 1 << 20];
        for _ in 0..zeros >> 20 {
            z.write_all(&block).expect("compress");
        }
        z.finish().expect("compress")
    }

    const FONT: &str = "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>";
    const TEXT: &[u8] = b"BT /F1 12 Tf 72 720 Td (The port reopens on Monday.) Tj ET";

    /// Catalog, page tree, one page drawing `contents` (object 4) with the font (object 5) and
    /// `xobjects` in its resources, then `more` objects from number 6 on.
    fn one_page(contents: Vec<u8>, xobjects: &str, more: Vec<Vec<u8>>) -> Vec<u8> {
        let mut objects = vec![
            b"<< /Type /Catalog /Pages 2 0 R >>".to_vec(),
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_vec(),
            format!(
                "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R \
                 /Resources << /Font << /F1 5 0 R >> /XObject << {xobjects} >> >> >>"
            )
            .into_bytes(),
            contents,
            FONT.as_bytes().to_vec(),
        ];
        objects.extend(more);
        pdf(&objects)
    }

    fn text_of(file: &[u8]) -> Result<Extracted, PdfError> {
        extract(file)
    }

    #[test]
    fn a_small_page_reads() {
        let file = one_page(stream("", TEXT), "", Vec::new());
        assert_eq!(
            text_of(&file).expect("reads").text,
            "The port reopens on Monday."
        );
        let packed = one_page(
            stream("/Filter /FlateDecode", &zlib(TEXT, 0)),
            "",
            Vec::new(),
        );
        assert_eq!(
            text_of(&packed).expect("reads").text,
            "The port reopens on Monday."
        );
    }

    /// A 100 MB Flate stream packed into about 100 KB: refused after measuring, before anything
    /// holds it (the same attack with 2 GB took 6.4 GB of memory and 26 s).
    #[test]
    fn decompression_bombs_are_refused_before_they_are_decompressed() {
        let bomb = zlib(TEXT, 100 << 20);
        assert!(bomb.len() < 1 << 20, "{}", bomb.len());
        let message = |file: &[u8]| text_of(file).expect_err("refused");
        let expected = PdfError::Expands {
            limit: MAX_STREAM_BYTES,
        };

        // The page's own drawing.
        let file = one_page(stream("/Filter /FlateDecode", &bomb), "", Vec::new());
        assert_eq!(message(&file), expected);
        // A drawing the page uses, passed through another filter first.
        let mut a85 = Vec::new();
        for chunk in bomb.chunks(4) {
            let mut word = [0u8; 4];
            word[..chunk.len()].copy_from_slice(chunk);
            let mut n = u32::from_be_bytes(word);
            let mut digits = [0u8; 5];
            for d in digits.iter_mut().rev() {
                *d = b'!' + (n % 85) as u8;
                n /= 85;
            }
            a85.extend_from_slice(&digits[..chunk.len() + 1]);
        }
        a85.extend_from_slice(b"~>");
        let form = stream(
            "/Type /XObject /Subtype /Form /BBox [0 0 612 792] \
             /Filter [/ASCII85Decode /FlateDecode]",
            &a85,
        );
        let file = one_page(stream("", b"/X1 Do"), "/X1 6 0 R", vec![form]);
        assert_eq!(message(&file), expected);
        // An object stream, which lopdf unpacks while it loads the file.
        let objstm = stream("/Type /ObjStm /N 1 /First 4 /Filter /FlateDecode", &bomb);
        let file = one_page(stream("", TEXT), "", vec![objstm]);
        assert_eq!(message(&file), expected);
        // A cross-reference stream, which lopdf unpacks before anything else.
        let mut file = one_page(stream("", TEXT), "", Vec::new());
        let at = file.len();
        file.extend_from_slice(b"7 0 obj\n");
        file.extend(stream(
            "/Type /XRef /Size 8 /W [1 4 2] /Filter /FlateDecode",
            &bomb,
        ));
        file.extend(format!("\nendobj\nstartxref\n{at}\n%%EOF\n").bytes());
        assert_eq!(message(&file), expected);
        // Many streams each under the limit, together over the limit for one file.
        let part = zlib(b"", 63 << 20);
        let parts: Vec<Vec<u8>> = (0..17)
            .map(|_| {
                stream(
                    "/Type /XObject /Subtype /Form /BBox [0 0 1 1] /Filter /FlateDecode",
                    &part,
                )
            })
            .collect();
        let names: String = (0..17).map(|i| format!("/P{i} {} 0 R ", i + 6)).collect();
        let file = one_page(stream("", TEXT), &names, parts);
        assert_eq!(
            message(&file),
            PdfError::Expands {
                limit: MAX_DECODED_BYTES
            }
        );
    }

    #[test]
    fn decoded_sizes_are_measured_without_keeping_them() {
        let plain = Stream::new(Dictionary::new(), b"abc".to_vec());
        assert_eq!(decoded_len(&plain, 10), 3);
        let mut packed = Stream::new(Dictionary::new(), zlib(b"", 3 << 20));
        packed.dict.set("Filter", "FlateDecode");
        assert_eq!(decoded_len(&packed, 4 << 20), 3 << 20);
        assert_eq!(decoded_len(&packed, 1 << 20), (1 << 20) + 1);
        // LZW: the codes for a run of one byte grow by one byte each, so they expand fast.
        let mut lzw = Vec::new();
        weezl::encode::Encoder::with_tiff_size_switch(weezl::BitOrder::Msb, 8)
            .into_stream(&mut lzw)
            .encode_all(&vec![0u8; 2 << 20][..])
            .status
            .expect("encode");
        let mut packed = Stream::new(Dictionary::new(), lzw);
        packed.dict.set("Filter", "LZWDecode");
        assert_eq!(decoded_len(&packed, 4 << 20), 2 << 20);
        assert_eq!(decoded_len(&packed, 1 << 20), (1 << 20) + 1);
    }

    /// A 500-byte file whose page tree climbs back into itself: pdf-extract looped forever on
    /// it, holding a core and the folder scan.
    #[test]
    fn page_tree_loops_end_with_an_error() {
        let page = "<< /Type /Page /Parent 2 0 R /Contents 4 0 R >>";
        // The page's parent's parent is the page (the page has no resources of its own, so
        // pdf-extract climbs for them).
        let parent_loop = pdf(&[
            b"<< /Type /Catalog /Pages 2 0 R >>".to_vec(),
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 /Parent 3 0 R >>".to_vec(),
            page.as_bytes().to_vec(),
            stream("", TEXT),
        ]);
        assert!(parent_loop.len() < 600);
        // The page tree lists itself among its kids.
        let kids_loop = pdf(&[
            b"<< /Type /Catalog /Pages 2 0 R >>".to_vec(),
            b"<< /Type /Pages /Kids [3 0 R 6 0 R] /Count 2 >>".to_vec(),
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R \
               /Resources << /Font << /F1 5 0 R >> >> >>"
                .to_vec(),
            stream("", TEXT),
            FONT.as_bytes().to_vec(),
            b"<< /Type /Pages /Kids [2 0 R] /Count 1 /Parent 2 0 R >>".to_vec(),
        ]);
        for file in [parent_loop, kids_loop] {
            assert_eq!(text_of(&file).expect_err("refused"), PdfError::PageTreeLoop);
        }
    }

    /// Forms that draw the next one ten times, twelve deep: 10^12 drawings of a few bytes,
    /// which pdf-extract would draw one by one. Refused by adding up the cost first.
    #[test]
    fn drawings_that_multiply_are_refused() {
        let forms: Vec<Vec<u8>> = (0..12)
            .map(|i| {
                // Form `i` is object 7 + i and draws the next object.
                let next = i + 8;
                stream(
                    &format!(
                        "/Type /XObject /Subtype /Form /BBox [0 0 1 1] \
                         /Resources << /XObject << /N {next} 0 R >> >>"
                    ),
                    "/N Do ".repeat(10).as_bytes(),
                )
            })
            .chain([stream(
                "/Type /XObject /Subtype /Form /BBox [0 0 1 1]",
                TEXT,
            )])
            .collect();
        let file = one_page(stream("", b"/X1 Do"), "/X1 7 0 R", {
            let mut more = vec![b"null".to_vec()];
            more.extend(forms);
            more
        });
        let err = text_of(&file).expect_err("refused");
        assert_eq!(err, PdfError::TooMuchDrawing);
        assert!(err.to_string().contains("draws more than"), "{err}");
        // Drawn a few times, the same forms read.
        let file = one_page(
            stream("", b"/X1 Do /X1 Do"),
            "/X1 6 0 R",
            vec![stream(
                "/Type /XObject /Subtype /Form /BBox [0 0 612 792]",
                TEXT,
            )],
        );
        assert!(text_of(&file).is_ok());
    }

    /// Only a drawing met again while it is being drawn is a loop: a form without resources of
    /// its own uses the page's, where it is listed itself, and that was taken for one.
    #[test]
    fn a_form_is_a_loop_only_when_it_draws_itself() {
        let form =
            |content: &[u8]| stream("/Type /XObject /Subtype /Form /BBox [0 0 612 792]", content);
        let file = one_page(stream("", b"/X1 Do"), "/X1 6 0 R", vec![form(TEXT)]);
        assert_eq!(
            text_of(&file).expect("reads").text,
            "The port reopens on Monday."
        );
        let file = one_page(stream("", b"/X1 Do"), "/X1 6 0 R", vec![form(b"/X1 Do")]);
        let err = text_of(&file).expect_err("refused");
        assert_eq!(err, PdfError::NestedDrawings);
        assert_eq!(
            err.to_string(),
            "this PDF has drawings nested in themselves; it cannot be read"
        );
    }

    /// A chart as matplotlib writes it: each marker a form without resources of its own,
    /// listed in the page's resources and drawn hundreds of times; the title and labels text.
    #[test]
    fn a_matplotlib_chart_with_markers_reads_its_text() {
        let marker = stream(
            "/Type /XObject /Subtype /Form /BBox [-3 -3 3 3]",
            b"0 -3 m 3 0 l 0 3 l -3 0 l h f",
        );
        let mut content = b"BT /F1 14 Tf 200 740 Td (Berth occupancy by month) Tj ET\n".to_vec();
        for i in 0..400 {
            let (x, y) = (80 + i % 40 * 12, 200 + i / 40 * 40);
            content.extend(format!("q 1 0 0 1 {x} {y} cm /M0 Do Q\n").bytes());
        }
        content.extend_from_slice(b"BT /F1 10 Tf 280 160 Td (Month) Tj ET");
        let file = one_page(stream("", &content), "/M0 6 0 R", vec![marker]);
        assert_eq!(
            text_of(&file).expect("reads").text,
            "Berth occupancy by month\n\nMonth"
        );
    }
}
