//! Plain text in any encoding: a byte-order mark (UTF-8, UTF-16 LE/BE) wins; then valid UTF-8;
//! else the legacy encoding `chardetng` (Firefox's detector) guesses from the bytes, decoded by
//! `encoding_rs` (Windows-1252, ISO-8859-x, Shift_JIS, EUC-KR, GB18030, KOI8-R…). CRLF and CR
//! line endings become `\n`. A leading dateline (` date 2021-06-19 `) gives the article's date.

use encoding_rs::Encoding;

use super::Extracted;
use crate::model::article::canonicalize;

/// Bumped whenever a change to this module can change the text it produces for the same file.
pub const EXTRACTOR_VERSION: u32 = 3;

/// Decodes bytes to text and names the encoding used.
///
/// A byte-order mark wins; then `declared` (a label such as `windows-1251` from an HTML
/// `<meta charset>`), unless it is a UTF-16 label (a page that says UTF-16 but has no BOM is
/// ASCII-compatible in practice); then valid UTF-8; else `chardetng`'s guess. Malformed
/// sequences become U+FFFD: text is never refused for a few bad bytes.
pub fn decode_bytes(bytes: &[u8], declared: Option<&str>) -> (String, &'static str) {
    if let Some((encoding, bom)) = Encoding::for_bom(bytes) {
        let (text, _) = encoding.decode_without_bom_handling(&bytes[bom..]);
        return (text.into_owned(), encoding.name());
    }
    let declared = declared
        .and_then(|l| Encoding::for_label(l.trim().as_bytes()))
        .map(|e| e.output_encoding());
    let encoding = match declared {
        Some(e) => e,
        None if std::str::from_utf8(bytes).is_ok() || mostly_utf8(bytes) => encoding_rs::UTF_8,
        None => {
            let mut detector =
                chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Deny);
            detector.feed(bytes, true);
            detector.guess(None, chardetng::Utf8Detection::Allow)
        }
    };
    let (text, _) = encoding.decode_without_bom_handling(bytes);
    (text.into_owned(), encoding.name())
}

/// True when the bytes are UTF-8 but for a few stray bytes (a file saved as UTF-8, then cut
/// mid-character or given one character in another encoding): at least two valid non-ASCII
/// characters for every stray sequence. Read in a legacy encoding, every other
/// non-ASCII character of such a file would be garbled; text in a legacy encoding has almost no
/// valid UTF-8 sequences, so it never passes.
fn mostly_utf8(bytes: &[u8]) -> bool {
    let mut valid = 0usize;
    let mut invalid = 0usize;
    for chunk in bytes.utf8_chunks() {
        valid += chunk.valid().chars().filter(|c| !c.is_ascii()).count();
        invalid += usize::from(!chunk.invalid().is_empty());
    }
    valid > 0 && valid >= 2 * invalid
}

/// True if the bytes are a binary file rather than text: NUL bytes (outside UTF-16 with a BOM)
/// or more than 5 % control characters near the start.
pub fn looks_binary(bytes: &[u8]) -> bool {
    if Encoding::for_bom(bytes).is_some_and(|(e, _)| e != encoding_rs::UTF_8) {
        return false;
    }
    let probe = &bytes[..bytes.len().min(8192)];
    if probe.contains(&0) {
        return true;
    }
    let controls = probe
        .iter()
        .filter(|&&b| b < 0x20 && !matches!(b, b'\n' | b'\r' | b'\t' | 0x0c))
        .count();
    controls * 20 > probe.len().max(1)
}

/// True if the text has a control character other than `\n` and `\t` (C0, DEL or C1).
fn has_stray_controls(text: &str) -> bool {
    let b = text.as_bytes();
    b.iter()
        .any(|&x| (x < 0x20 && x != b'\n' && x != b'\t') || x == 0x7f)
        || b.windows(2)
            .any(|w| w[0] == 0xc2 && (0x80..=0x9f).contains(&w[1]))
}

/// Why bytes are not a plain-text article.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum TextError {
    /// See [`looks_binary`].
    #[error("this looks like a binary file, not text")]
    Binary,
}

/// A plain-text article.
pub fn extract(bytes: &[u8]) -> Result<(Extracted, &'static str), TextError> {
    if looks_binary(bytes) {
        return Err(TextError::Binary);
    }
    let (text, encoding) = decode_bytes(bytes, None);
    // Most files are canonical already: no copy of the whole text then.
    let mut text = if text.starts_with('\u{feff}') || text.contains('\r') {
        canonicalize(&text)
    } else {
        text
    };
    // Form feeds (page breaks in old text files) and other stray controls become line breaks
    // or spaces, so that no invisible character sits in the text analysts select. (Most files
    // have none: the text is rebuilt only when one is there.)
    if has_stray_controls(&text) {
        text = text
            .chars()
            .map(|c| match c {
                '\u{0c}' => '\n',
                c if c.is_control() && c != '\n' && c != '\t' => ' ',
                c => c,
            })
            .collect();
    }
    Ok((
        Extracted {
            text,
            ..Extracted::default()
        },
        encoding,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text_of(bytes: &[u8]) -> (String, &'static str) {
        let (e, enc) = extract(bytes).expect("decodes");
        (e.text, enc)
    }

    #[test]
    fn bom_and_line_endings_are_normalised() {
        let (t, enc) = text_of(b"\xef\xbb\xbf date 2021-06-19 A.\r\n\r\nB.\rC.");
        assert_eq!(t, " date 2021-06-19 A.\n\nB.\nC.");
        assert_eq!(enc, "UTF-8");
    }

    #[test]
    fn utf16_with_a_bom_is_read_in_both_byte_orders() {
        let s = "Привет, 世界 — ok\r\nline two";
        let mut le = vec![0xff, 0xfe];
        le.extend(s.encode_utf16().flat_map(u16::to_le_bytes));
        let mut be = vec![0xfe, 0xff];
        be.extend(s.encode_utf16().flat_map(u16::to_be_bytes));
        assert_eq!(
            text_of(&le),
            ("Привет, 世界 — ok\nline two".into(), "UTF-16LE")
        );
        assert_eq!(
            text_of(&be),
            ("Привет, 世界 — ok\nline two".into(), "UTF-16BE")
        );
    }

    #[test]
    fn legacy_encodings_are_detected_from_content() {
        let cases: &[(&str, &'static Encoding)] = &[
            (
                "Le ministre a déclaré que l'économie française « résiste » à la crise, \
                 malgré la hausse des coûts de l'énergie et un déficit qui inquiète Bruxelles.",
                encoding_rs::WINDOWS_1252,
            ),
            (
                "政府は月曜日、新しい経済対策を発表した。首相は記者会見で、物価の上昇に対応するため\
                 追加の支援が必要だと述べた。野党はこの計画を批判している。",
                encoding_rs::SHIFT_JIS,
            ),
            (
                "정부는 월요일 새로운 경제 대책을 발표했다. 총리는 기자회견에서 물가 상승에 대응하기 \
                 위해 추가 지원이 필요하다고 말했다. 야당은 이 계획을 비판했다.",
                encoding_rs::EUC_KR,
            ),
            (
                "政府周一宣布了新的经济措施。总理在新闻发布会上表示，为了应对物价上涨，需要额外的支持。\
                 反对党批评了这项计划。",
                encoding_rs::GBK,
            ),
            (
                "Министр заявил в понедельник, что правительство примет новые меры для поддержки \
                 экономики, несмотря на критику со стороны оппозиции и независимых экспертов.",
                encoding_rs::WINDOWS_1251,
            ),
            (
                "Министр заявил в понедельник, что правительство примет новые меры для поддержки \
                 экономики, несмотря на критику со стороны оппозиции и независимых экспертов.",
                encoding_rs::KOI8_R,
            ),
        ];
        for (text, encoding) in cases {
            let (bytes, _, bad) = encoding.encode(text);
            assert!(!bad, "{} can encode the sample", encoding.name());
            let (decoded, name) = text_of(&bytes);
            assert_eq!(
                &decoded,
                text,
                "decoded as {name}, written as {}",
                encoding.name()
            );
        }
    }

    /// 60 MB of two-letter lines took 1.6 GB (a block each); more lines than any article has
    /// are refused.
    #[test]
    fn too_many_lines_are_refused() {
        use crate::import::{Format, MAX_LINES};
        let lines = "ab\n".repeat(MAX_LINES + 1);
        let err = crate::import::extract(Format::Text, lines.as_bytes()).expect_err("refused");
        assert_eq!(err, crate::import::ExtractError::TooManyLines);
        assert!(err.to_string().contains("lines (paragraphs)"), "{err}");
        let lines = "ab\n".repeat(MAX_LINES);
        assert!(crate::import::extract(Format::Text, lines.as_bytes()).is_ok());
    }

    #[test]
    fn utf8_with_a_stray_byte_stays_utf8() {
        let korean = "정부는 월요일 새로운 경제 대책을 발표했다. 총리는 기자회견에서 말했다.";
        let french = "Le ministre a déclaré que l'économie « résiste ».";
        for text in [korean, french] {
            // One byte of another encoding (é in Windows-1252) in the middle of the file, and
            // one character cut short at its end.
            let mid = text.find(' ').expect("a space");
            let (before, after) = text.split_at(mid);
            let mut bytes = before.as_bytes().to_vec();
            bytes.push(0xe9);
            bytes.extend_from_slice(after.as_bytes());
            bytes.extend_from_slice(&"다".as_bytes()[..2]);
            let (decoded, name) = text_of(&bytes);
            assert_eq!(name, "UTF-8");
            assert_eq!(decoded, format!("{before}\u{fffd}{after}\u{fffd}"));
        }
    }

    #[test]
    fn a_declared_label_is_followed_unless_a_bom_says_otherwise() {
        let (bytes, _, _) = encoding_rs::WINDOWS_1251.encode("Да");
        assert_eq!(
            decode_bytes(&bytes, Some("windows-1251")),
            ("Да".into(), "windows-1251")
        );
        assert_eq!(
            decode_bytes(b"\xef\xbb\xbfok", Some("windows-1251")),
            ("ok".into(), "UTF-8")
        );
    }

    #[test]
    fn binary_files_are_refused_and_form_feeds_become_line_breaks() {
        assert_eq!(
            extract(b"PK\x03\x04\x00\x00\x08\x00").map(|_| ()),
            Err(TextError::Binary)
        );
        assert_eq!(
            extract(b"\x7fELF\x02\x01\x01\x00\x00\x00").map(|_| ()),
            Err(TextError::Binary)
        );
        assert_eq!(
            text_of(b"Page one of the report.\x0cPage two\x07 ends.").0,
            "Page one of the report.\nPage two  ends."
        );
    }
}
