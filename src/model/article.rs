//! An article as the reader sees it: canonical text, its date, and its paragraph blocks.

use std::ops::Range;

use super::Span;
use super::provenance::{Extracted, Metadata, Provenance, Style, StyleMark};

/// One displayed paragraph: a non-empty line of the canonical text.
///
/// The article view lays out and caches one galley per block, so that nothing proportional to
/// the whole article happens per frame.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Block {
    /// Code-point range of the block's text (without its line break).
    pub chars: Span,
    /// Byte range of the same text in [`Article::text`].
    pub bytes: Range<usize>,
    /// An empty line precedes this block (a paragraph break rather than a line break).
    pub gap_before: bool,
    /// How the whole block is shown (a heading, a quote, a list item), if the format said so.
    pub style: Option<Style>,
}

/// An article's canonical text (UTF-8, no BOM, `\n` line endings) and what is derived from it.
#[derive(Clone, Debug, Default)]
pub struct Article {
    /// The text that every annotation offset refers to.
    pub text: String,
    /// The date from a leading dateline such as ` date 2021-06-19 `, if there is one.
    pub date: Option<String>,
    /// Non-empty lines, in order. The dateline itself is not part of the first block.
    pub blocks: Vec<Block>,
    /// What the file says about the article (title, site, author, date, URL…).
    pub meta: Metadata,
    /// How the canonical text was made from the file.
    pub provenance: Provenance,
    /// Inline styles (emphasis, bold, links, code), sorted by start; block styles are on
    /// [`Block::style`].
    pub styles: Vec<StyleMark>,
    char_len: usize,
    /// SHA-256 of the text, computed once when first needed.
    fingerprint: std::sync::OnceLock<String>,
    /// Where every [`CharMarks::STEP`]th code point starts, made when a position in a
    /// paragraph with multi-byte characters is first looked up.
    char_marks: std::sync::OnceLock<CharMarks>,
}

/// The byte offset of every [`CharMarks::STEP`]th code point of a text, so that a code-point
/// offset is turned into a byte offset by walking at most `STEP - 1` characters (not the whole
/// paragraph before it: a long non-Latin paragraph made every lookup slow).
#[derive(Clone, Default)]
struct CharMarks(Vec<usize>);

impl CharMarks {
    const STEP: usize = 64;

    fn of(text: &str) -> Self {
        let mut marks = Vec::with_capacity(text.len() / Self::STEP + 1);
        let mut chars = 0usize;
        for (i, &b) in text.as_bytes().iter().enumerate() {
            // A code point starts at every byte that is not a continuation byte.
            if b & 0xC0 != 0x80 {
                if chars.is_multiple_of(Self::STEP) {
                    marks.push(i);
                }
                chars += 1;
            }
        }
        Self(marks)
    }

    /// The byte offset of code point `pos` of `text` (the text's length past its end).
    fn byte_of(&self, text: &str, pos: usize) -> usize {
        let Some(&from) = self.0.get(pos / Self::STEP) else {
            return text.len();
        };
        let mut left = pos % Self::STEP;
        for (i, &b) in text.as_bytes()[from..].iter().enumerate() {
            if b & 0xC0 != 0x80 {
                if left == 0 {
                    return from + i;
                }
                left -= 1;
            }
        }
        text.len()
    }
}

impl std::fmt::Debug for CharMarks {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "CharMarks({} marks)", self.0.len())
    }
}

impl Article {
    /// Builds an article from text that is already canonical (see [`canonicalize`]).
    pub fn new(text: String) -> Self {
        let (date, body_start) = match parse_dateline(&text) {
            Some((date, end)) => (Some(date), end),
            None => (None, 0),
        };
        let mut blocks = Vec::new();
        let mut char_pos = 0usize;
        let mut byte_pos = 0usize;
        let mut blank_seen = false;
        for line in text.split('\n') {
            let line_chars = line.chars().count();
            let mut start_byte = byte_pos;
            let mut start_char = char_pos;
            if byte_pos < body_start {
                // The dateline is metadata: the first block starts after it.
                let skip = body_start.min(byte_pos + line.len()) - byte_pos;
                start_byte += skip;
                start_char += line[..skip].chars().count();
            }
            let end_byte = byte_pos + line.len();
            if text[start_byte..end_byte].trim().is_empty() {
                blank_seen = true;
            } else {
                blocks.push(Block {
                    chars: Span {
                        start: start_char,
                        end: char_pos + line_chars,
                    },
                    bytes: start_byte..end_byte,
                    gap_before: blank_seen && !blocks.is_empty(),
                    style: None,
                });
                blank_seen = false;
            }
            char_pos += line_chars + 1;
            byte_pos = end_byte + 1;
        }
        let char_len = char_pos.saturating_sub(1);
        Self {
            text,
            date,
            blocks,
            meta: Metadata::default(),
            provenance: Provenance::default(),
            styles: Vec::new(),
            char_len,
            fingerprint: std::sync::OnceLock::new(),
            char_marks: std::sync::OnceLock::new(),
        }
    }

    /// An article from an importer's output: block styles go onto their blocks, inline styles
    /// stay in [`Article::styles`]; without a dateline the date is the publication date's day.
    pub fn from_extracted(extracted: Extracted, provenance: Provenance) -> Self {
        let mut article = Self::new(extracted.text);
        let mut inline = Vec::new();
        for mark in extracted.styles {
            let whole: Vec<usize> = article
                .blocks_of(mark.span)
                .filter(|&i| {
                    let b = &article.blocks[i].chars;
                    mark.span.start <= b.start && b.end <= mark.span.end
                })
                .collect();
            if mark.style.is_block() && !whole.is_empty() {
                for i in whole {
                    // A heading inside a quote or a list item stays a heading.
                    let slot = &mut article.blocks[i].style;
                    if !matches!(slot, Some(Style::Heading(_))) {
                        *slot = Some(mark.style);
                    }
                }
            } else {
                // Inline styles are kept per block (the view looks them up by block).
                for i in article.blocks_of(mark.span) {
                    let b = article.blocks[i].chars;
                    let (start, end) = (mark.span.start.max(b.start), mark.span.end.min(b.end));
                    if start < end {
                        inline.push(StyleMark {
                            span: Span { start, end },
                            style: mark.style,
                        });
                    }
                }
            }
        }
        inline.sort_by_key(|m| m.span.start);
        article.styles = inline;
        if article.date.is_none() {
            article.date = extracted
                .meta
                .published
                .as_deref()
                .and_then(day_of)
                .map(str::to_owned);
        }
        article.meta = extracted.meta;
        article.provenance = provenance;
        article
    }

    /// `quote` with where it comes from, for pasting into a report: the quote, then the
    /// title (or `fallback_title`), site, publication date and address, each when known.
    pub fn cite(&self, quote: &str, fallback_title: &str) -> String {
        let date = self.meta.published.as_deref().or(self.date.as_deref());
        let parts: Vec<&str> = [
            Some(self.title_or(fallback_title)),
            self.meta.site.as_deref(),
            date,
            self.meta.url.as_deref(),
        ]
        .into_iter()
        .flatten()
        .filter(|p| !p.trim().is_empty())
        .collect();
        format!("“{}” ({})", quote.trim(), parts.join(", "))
    }

    /// The title to show: the file's own, else `fallback` (the file name).
    pub fn title_or<'a>(&'a self, fallback: &'a str) -> &'a str {
        self.meta
            .title
            .as_deref()
            .filter(|t| !t.trim().is_empty())
            .unwrap_or(fallback)
    }

    /// `sha256:<hex>` of the text: what a sidecar records to say which text it was written for.
    pub fn fingerprint(&self) -> &str {
        self.fingerprint.get_or_init(|| fingerprint_of(&self.text))
    }

    /// Length of the text in code points.
    pub fn char_len(&self) -> usize {
        self.char_len
    }

    /// Byte offset of a code-point offset (clamped to the end of the text).
    pub fn byte_of(&self, char_pos: usize) -> usize {
        if char_pos >= self.char_len {
            return self.text.len();
        }
        let idx = self.blocks.partition_point(|b| b.chars.start <= char_pos);
        // A paragraph of one-byte characters (much of a Latin-script article): no walk, and no
        // marks made for an article that is all ASCII.
        if let Some(b) = idx.checked_sub(1).and_then(|i| self.blocks.get(i))
            && char_pos <= b.chars.end
            && b.bytes.len() == b.chars.len()
        {
            return b.bytes.start + (char_pos - b.chars.start);
        }
        self.char_marks
            .get_or_init(|| CharMarks::of(&self.text))
            .byte_of(&self.text, char_pos)
    }

    /// The text of a span.
    pub fn slice(&self, span: Span) -> &str {
        let start = self.byte_of(span.start);
        let end = self.byte_of(span.end.max(span.start));
        &self.text[start..end]
    }

    /// Index of the block containing `char_pos`, or of the block after it if it falls between
    /// blocks.
    pub fn block_at(&self, char_pos: usize) -> usize {
        let idx = self.blocks.partition_point(|b| b.chars.end < char_pos);
        idx.min(self.blocks.len().saturating_sub(1))
    }

    /// Indexes of the blocks a span touches.
    pub fn blocks_of(&self, span: Span) -> Range<usize> {
        let first = self.blocks.partition_point(|b| b.chars.end <= span.start);
        let last = self.blocks.partition_point(|b| b.chars.start < span.end);
        first..last.max(first)
    }

    /// The span of the word around `char_pos` (letters, digits, apostrophes and hyphens).
    pub fn word_at(&self, char_pos: usize) -> Span {
        let Some(block) = self.blocks.get(self.block_at(char_pos)) else {
            return Span::between(char_pos, char_pos);
        };
        let chars: Vec<char> = self.text[block.bytes.clone()].chars().collect();
        let local = char_pos.saturating_sub(block.chars.start).min(chars.len());
        if chars.get(local).is_none_or(|c| !is_word(*c)) {
            return Span::between(char_pos, (char_pos + 1).min(block.chars.end));
        }
        let mut start = local;
        while start > 0 && chars.get(start - 1).is_some_and(|c| is_word(*c)) {
            start -= 1;
        }
        let mut end = local;
        while chars.get(end).is_some_and(|c| is_word(*c)) {
            end += 1;
        }
        Span::between(block.chars.start + start, block.chars.start + end)
    }

    /// The character at a code-point position.
    pub fn char_at(&self, pos: usize) -> Option<char> {
        self.text.get(self.byte_of(pos)..)?.chars().next()
    }

    /// The end of the next word at or after `pos` (Ctrl+Shift+Right).
    pub fn next_word_end(&self, pos: usize) -> usize {
        let mut p = pos;
        while p < self.char_len && !self.char_at(p).is_some_and(is_word) {
            p += 1;
        }
        if p >= self.char_len {
            return self.char_len;
        }
        self.word_at(p).end.max(pos + 1).min(self.char_len)
    }

    /// The start of the word before `pos` (Ctrl+Shift+Left).
    pub fn previous_word_start(&self, pos: usize) -> usize {
        let mut p = pos;
        while p > 0 && !self.char_at(p - 1).is_some_and(is_word) {
            p -= 1;
        }
        if p == 0 {
            return 0;
        }
        self.word_at(p - 1).start.min(pos.saturating_sub(1))
    }

    /// Every match of `needle` (case-insensitive for ASCII letters), as spans in text order.
    pub fn find_all(&self, needle: &str) -> Vec<Span> {
        if needle.is_empty() {
            return Vec::new();
        }
        let hay = self.text.to_lowercase();
        let pat = needle.to_lowercase();
        if hay.len() != self.text.len() {
            // Lowercasing changed byte lengths (rare scripts): fall back to an exact search.
            return find_exact(&self.text, needle);
        }
        find_exact(&hay, &pat)
    }
}

/// Letters, digits, apostrophes and hyphens make up words.
pub fn is_word(c: char) -> bool {
    c.is_alphanumeric() || c == '\'' || c == '’' || c == '-'
}

/// `sha256:<hex>` of a text.
pub fn fingerprint_of(text: &str) -> String {
    fingerprint_of_bytes(text.as_bytes())
}

/// `sha256:<hex>` of a file's bytes.
pub fn fingerprint_of_bytes(bytes: &[u8]) -> String {
    use sha2::Digest;
    format!("sha256:{:x}", sha2::Sha256::digest(bytes))
}

/// The day (`YYYY-MM-DD`) at the start of an ISO 8601 date or timestamp.
pub fn day_of(date: &str) -> Option<&str> {
    let day = date.trim().get(..10)?;
    let b = day.as_bytes();
    let digits = |r: std::ops::Range<usize>| b[r].iter().all(u8::is_ascii_digit);
    (digits(0..4) && b[4] == b'-' && digits(5..7) && b[7] == b'-' && digits(8..10)).then_some(day)
}

/// All exact matches of `needle` in `hay`, as code-point spans.
pub fn find_exact(hay: &str, needle: &str) -> Vec<Span> {
    let mut out = Vec::new();
    if needle.is_empty() {
        return out;
    }
    let needle_chars = needle.chars().count();
    let mut char_pos = 0usize;
    let mut byte_pos = 0usize;
    for (i, _) in hay.match_indices(needle) {
        char_pos += hay[byte_pos..i].chars().count();
        byte_pos = i;
        out.push(Span {
            start: char_pos,
            end: char_pos + needle_chars,
        });
    }
    out
}

/// Turns decoded text into canonical text: no byte-order mark, `\n` line endings.
pub fn canonicalize(text: &str) -> String {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    if !text.contains('\r') {
        return text.to_owned();
    }
    text.replace("\r\n", "\n").replace('\r', "\n")
}

/// Recognises a leading dateline (` date 2021-06-19 `): returns the date and the byte offset
/// where the body text begins.
pub fn parse_dateline(text: &str) -> Option<(String, usize)> {
    let trimmed = text.trim_start_matches([' ', '\t']);
    let lead = text.len() - trimmed.len();
    let rest = trimmed.strip_prefix("date")?;
    let after_word = rest.trim_start_matches([' ', '\t']);
    if after_word.len() == rest.len() {
        return None;
    }
    let date = day_of(after_word.get(..10)?)?;
    let tail = &after_word[10..];
    let body = tail.trim_start_matches([' ', '\t']);
    if !tail.is_empty() && body.len() == tail.len() && !tail.starts_with('\n') {
        return None; // "date 2021-06-19x" is not a dateline
    }
    let end = text.len() - body.len();
    debug_assert!(end >= lead);
    Some((date.to_owned(), end))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_citation_names_what_is_known_of_the_article() {
        let mut a = Article::new("Kira said so.".into());
        assert_eq!(
            a.cite(" Kira said so. ", "report.txt"),
            "“Kira said so.” (report.txt)"
        );
        a.meta.title = Some("Talks resume".into());
        a.meta.site = Some("Inland Courier".into());
        a.meta.published = Some("2021-06-19".into());
        a.meta.url = Some("https://example.org/talks".into());
        assert_eq!(
            a.cite("Kira said so.", "report.txt"),
            "“Kira said so.” (Talks resume, Inland Courier, 2021-06-19, https://example.org/talks)"
        );
    }

    #[test]
    fn dateline_is_metadata_and_offsets_stay_in_full_text() {
        let a = Article::new(" date 2021-06-19 The North Korean government.\n\nSecond.".into());
        assert_eq!(a.date.as_deref(), Some("2021-06-19"));
        assert_eq!(a.blocks.len(), 2);
        assert_eq!(a.slice(a.blocks[0].chars), "The North Korean government.");
        assert_eq!(a.blocks[0].chars.start, 17);
        assert!(a.blocks[1].gap_before);
        assert_eq!(a.slice(a.blocks[1].chars), "Second.");
    }

    #[test]
    fn no_dateline_without_a_date() {
        assert_eq!(parse_dateline("date night in Paris"), None);
        assert_eq!(parse_dateline("dated 2021-06-19 x"), None);
        assert!(Article::new("Plain text.".into()).date.is_none());
    }

    #[test]
    fn byte_of_counts_code_points_across_astral_and_combining_chars() {
        let a = Article::new("a😀b\ne\u{301}x\n\nz".into());
        assert_eq!(a.slice(Span::between(1, 2)), "😀");
        assert_eq!(a.slice(Span::between(4, 6)), "e\u{301}");
        assert_eq!(a.slice(Span::between(3, 4)), "\n");
        assert_eq!(a.slice(Span::between(9, 10)), "z");
        assert_eq!(a.char_len(), 10);
        assert_eq!(a.byte_of(100), a.text.len());
    }

    #[test]
    fn byte_of_agrees_with_walking_the_text_at_every_position() {
        // Long paragraphs mixing one- to four-byte characters, an ASCII one, blank lines:
        // positions on every side of the marks' steps.
        let mut text = String::new();
        for i in 0..40 {
            text.push_str(&"Zoë “said” 😀 ab Hallström ".repeat(i % 7));
            text.push_str(if i % 3 == 0 { "\n\n" } else { "\n" });
            text.push_str(&"plain ascii words ".repeat(i % 5));
            text.push('\n');
        }
        let a = Article::new(text.clone());
        let walked: Vec<usize> = text
            .char_indices()
            .map(|(i, _)| i)
            .chain([text.len()])
            .collect();
        for (pos, &byte) in walked.iter().enumerate() {
            assert_eq!(a.byte_of(pos), byte, "code point {pos}");
        }
        assert_eq!(a.byte_of(walked.len() + 5), text.len());
    }

    #[test]
    fn canonical_text_has_no_bom_and_lf_only() {
        assert_eq!(canonicalize("\u{feff}a\r\nb\rc"), "a\nb\nc");
    }

    #[test]
    fn find_all_is_case_insensitive_and_counts_chars() {
        let a = Article::new("Ünd the THE the".into());
        let hits = a.find_all("the");
        assert_eq!(hits.len(), 3);
        assert_eq!(hits[0], Span::between(4, 7));
    }

    #[test]
    fn word_at_selects_the_word() {
        let a = Article::new("Kim’s nuclear arsenal".into());
        assert_eq!(a.slice(a.word_at(8)), "nuclear");
        assert_eq!(a.slice(a.word_at(1)), "Kim’s");
        assert_eq!(
            a.next_word_end(5),
            13,
            "skips the space, ends after “nuclear”"
        );
        assert_eq!(a.next_word_end(2), 5);
        assert_eq!(
            a.previous_word_start(14),
            6,
            "back over the space to “nuclear”"
        );
        assert_eq!(a.previous_word_start(0), 0);
        assert_eq!(a.next_word_end(21), 21);
    }

    #[test]
    fn blocks_of_a_span() {
        let a = Article::new("one\ntwo\n\nthree".into());
        assert_eq!(a.blocks_of(Span::between(1, 5)), 0..2);
        assert_eq!(a.blocks_of(Span::between(9, 10)), 2..3);
    }
}
