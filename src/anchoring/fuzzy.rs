//! Finding a quote again after the article was edited: whitespace-insensitive search, then
//! candidates bracketed by the stored prefix and suffix or seeded by the quote's own head and
//! tail, each verified by edit distance within a bounded error.

use crate::model::{Article, Fragment, Span};

/// The most edit distance accepted, as a fraction of the quote's length (at least 2).
pub const MAX_ERROR_RATIO: f32 = 0.25;
/// Quotes longer than this (in characters) are only matched exactly (modulo whitespace).
const MAX_FUZZY_LEN: usize = 4000;
/// At most this many occurrences of a seed are tried: the nearest to the expected place.
const MAX_SEED_HITS: usize = 64;
/// At most this many occurrences of a seed are looked at to find the nearest.
const MAX_SCANNED_HITS: usize = 4096;

/// The article's text with every run of whitespace collapsed to one space, and the way back to
/// the original code-point offsets. Built once per article, only when some quote needs it.
pub struct Normalized {
    text: String,
    /// Byte offset in `text` of each normalized character, plus one past the end.
    bytes: Vec<usize>,
    /// Original code-point offset of each normalized character, plus the text length.
    to_original: Vec<usize>,
}

/// Collapses whitespace runs to one space.
pub fn normalize(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut space = false;
    for c in s.chars() {
        if c.is_whitespace() {
            if !space {
                out.push(' ');
            }
            space = true;
        } else {
            out.push(c);
            space = false;
        }
    }
    out
}

impl Normalized {
    pub fn new(article: &Article) -> Self {
        Self::of(article, 0..article.char_len())
    }

    /// The normalized text of the article's code points `chars` only (a window around where a
    /// quote is expected: cheap to build for one fragment, where the whole text is not).
    pub fn of(article: &Article, chars: std::ops::Range<usize>) -> Self {
        let end = chars.end.min(article.char_len());
        let start = chars.start.min(end);
        let slice = &article.text[article.byte_of(start)..article.byte_of(end)];
        let mut text = String::with_capacity(slice.len());
        let mut bytes = Vec::new();
        let mut to_original = Vec::new();
        let mut space = false;
        for (i, c) in slice.chars().enumerate() {
            let c = if c.is_whitespace() {
                if space {
                    continue;
                }
                space = true;
                ' '
            } else {
                space = false;
                c
            };
            bytes.push(text.len());
            to_original.push(start + i);
            text.push(c);
        }
        bytes.push(text.len());
        to_original.push(end);
        Self {
            text,
            bytes,
            to_original,
        }
    }

    /// Characters after normalization.
    pub fn len(&self) -> usize {
        self.to_original.len() - 1
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Normalized character indexes in `range` where `needle` occurs: the
    /// [`MAX_SEED_HITS`] nearest to `center` (of the first [`MAX_SCANNED_HITS`]).
    fn find(&self, needle: &str, range: std::ops::Range<usize>, center: usize) -> Vec<usize> {
        if needle.is_empty() {
            return Vec::new();
        }
        let (Some(&lo), Some(&hi)) = (self.bytes.get(range.start), self.bytes.get(range.end))
        else {
            return Vec::new();
        };
        let mut hits: Vec<usize> = self.text[lo..hi]
            .match_indices(needle)
            .take(MAX_SCANNED_HITS)
            .filter_map(|(b, _)| self.bytes.binary_search(&(b + lo)).ok())
            .collect();
        if hits.len() > MAX_SEED_HITS {
            hits.sort_by_key(|&i| i.abs_diff(center));
            hits.truncate(MAX_SEED_HITS);
        }
        hits
    }

    /// The normalized index of an original code-point offset.
    pub fn index_of(&self, original: usize) -> usize {
        self.to_original
            .partition_point(|&o| o < original)
            .min(self.len())
    }

    fn chars(&self, start: usize, end: usize) -> Vec<char> {
        let (Some(&a), Some(&b)) = (self.bytes.get(start), self.bytes.get(end)) else {
            return Vec::new();
        };
        self.text[a..b].chars().collect()
    }

    /// The original span of normalized characters `start..end`, without surrounding spaces.
    fn original_span(&self, mut start: usize, mut end: usize) -> Option<Span> {
        while start < end && self.text.as_bytes().get(self.bytes[start]) == Some(&b' ') {
            start += 1;
        }
        while end > start && self.text.as_bytes().get(self.bytes[end - 1]) == Some(&b' ') {
            end -= 1;
        }
        if start >= end {
            return None;
        }
        Some(Span {
            start: self.to_original[start],
            end: self.to_original[end - 1] + 1,
        })
    }
}

/// Places where an edited quote may stand in the normalized characters `range`, each with
/// its edit distance from the quote (within [`MAX_ERROR_RATIO`]), in original offsets. Seeds
/// (the quote's head and tail, the end of its prefix, the start of its suffix) are taken
/// nearest to `near` first, so a repetitive text does not hide the quote's own place.
pub fn candidates(
    norm: &Normalized,
    fragment: &Fragment,
    near: usize,
    range: std::ops::Range<usize>,
) -> Vec<(Span, usize)> {
    let quote: Vec<char> = normalize(&fragment.quote).trim().chars().collect();
    let len = quote.len();
    if len == 0 {
        return Vec::new();
    }
    let center = norm.index_of(near);
    let quote_str: String = quote.iter().collect();
    let mut ranges: Vec<(usize, usize)> = norm
        .find(&quote_str, range.clone(), center)
        .into_iter()
        .map(|i| (i, i + len))
        .collect();
    if len <= MAX_FUZZY_LEN {
        let (lo, hi) = (len * 3 / 4, len * 5 / 4 + 2);
        let prefix: Vec<char> = normalize(&fragment.prefix).chars().collect();
        let suffix: Vec<char> = normalize(&fragment.suffix).chars().collect();
        let p: String = prefix[prefix.len().saturating_sub(16)..].iter().collect();
        let s: String = suffix[..suffix.len().min(16)].iter().collect();
        let seeds = |needle: &str, min: usize| {
            if needle.trim().chars().count() >= min {
                norm.find(needle, range.clone(), center)
            } else {
                Vec::new()
            }
        };
        let ends: Vec<usize> = seeds(&p, 5)
            .into_iter()
            .map(|i| i + p.chars().count())
            .collect();
        let starts = seeds(&s, 5);
        let k = len.min(12);
        let head: String = quote[..k].iter().collect();
        let tail: String = quote[len - k..].iter().collect();
        let heads = seeds(&head, 4);
        let tails: Vec<usize> = seeds(&tail, 4).into_iter().map(|t| t + k).collect();
        // Where the quote may start (after its prefix, or at its head) and end (before its
        // suffix, or after its tail), paired by length.
        let lefts: Vec<usize> = ends.into_iter().chain(heads).collect();
        let rights: Vec<usize> = starts.into_iter().chain(tails).collect();
        pair(&mut ranges, &lefts, &rights, lo, hi, len);
    }
    ranges.sort_unstable();
    ranges.dedup();
    let max_err = ((len as f32 * MAX_ERROR_RATIO) as usize).max(2);
    let mut out: Vec<(Span, usize)> = ranges
        .into_iter()
        .filter(|&(a, b)| a < b && b <= norm.len())
        .filter_map(|(a, b)| {
            let text = norm.chars(a, b);
            let trimmed: Vec<char> = {
                let s: String = text.iter().collect();
                s.trim().chars().collect()
            };
            let d = if trimmed == quote {
                0
            } else if len > MAX_FUZZY_LEN {
                return None;
            } else {
                bounded_levenshtein(&trimmed, &quote, max_err)?
            };
            Some((norm.original_span(a, b)?, d))
        })
        .collect();
    // One entry per span, with its smallest distance.
    out.sort_unstable_by_key(|&(span, d)| (span, d));
    out.dedup_by_key(|(span, _)| *span);
    out
}

/// All normalized characters.
pub fn everywhere(norm: &Normalized) -> std::ops::Range<usize> {
    0..norm.len()
}

/// Adds candidate ranges from left ends (`starts_of_quote`) and right ends (`ends_of_quote`):
/// pairs whose distance fits the quote's length, and each alone with the quote's length.
fn pair(
    out: &mut Vec<(usize, usize)>,
    lefts: &[usize],
    rights: &[usize],
    lo: usize,
    hi: usize,
    len: usize,
) {
    for &l in lefts {
        let mut paired = false;
        for &r in rights {
            if r >= l + lo && r <= l + hi {
                out.push((l, r));
                paired = true;
            }
        }
        if !paired {
            out.push((l, l + len));
        }
    }
    for &r in rights {
        if !lefts.iter().any(|&l| r >= l + lo && r <= l + hi) {
            out.push((r.saturating_sub(len), r));
        }
    }
}

/// Levenshtein distance of two char slices, or `None` if it exceeds `max`.
pub fn bounded_levenshtein(a: &[char], b: &[char], max: usize) -> Option<usize> {
    if a.len().abs_diff(b.len()) > max {
        return None;
    }
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    let mut cur = vec![0; b.len() + 1];
    for (i, ca) in a.iter().enumerate() {
        cur[0] = i + 1;
        let mut row_min = cur[0];
        for (j, cb) in b.iter().enumerate() {
            let cost = usize::from(ca != cb);
            cur[j + 1] = (prev[j] + cost).min(prev[j + 1] + 1).min(cur[j] + 1);
            row_min = row_min.min(cur[j + 1]);
        }
        if row_min > max {
            return None;
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    Some(prev[b.len()]).filter(|&d| d <= max)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn levenshtein_is_bounded() {
        let c = |s: &str| s.chars().collect::<Vec<_>>();
        assert_eq!(bounded_levenshtein(&c("kitten"), &c("sitting"), 5), Some(3));
        assert_eq!(bounded_levenshtein(&c("kitten"), &c("sitting"), 2), None);
        assert_eq!(bounded_levenshtein(&c(""), &c("ab"), 2), Some(2));
    }

    #[test]
    fn whitespace_collapses() {
        assert_eq!(normalize("a \n\n b\tc"), "a b c");
    }
}
