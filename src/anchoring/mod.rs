//! Selectors and re-anchoring: how an annotation finds its words again.
//!
//! A fragment is stored both by position (code points) and by quote with prefix and suffix,
//! the two selectors of W3C Web Annotation. On load the position is tried first; if the quote
//! no longer sits there, the quote is searched for and the occurrence whose context matches
//! best (then the nearest) wins. Pure functions over text; no I/O, no egui.

pub mod fuzzy;

use crate::model::{Article, Fragment, Span, article::find_exact};

/// Characters of context kept on each side of a quote.
pub const CONTEXT_CHARS: usize = 32;

/// Captures a fragment's selectors from the article text.
pub fn capture(article: &Article, span: Span) -> Fragment {
    let span = Span::between(
        span.start.min(article.char_len()),
        span.end.min(article.char_len()),
    );
    let prefix_start = span.start.saturating_sub(CONTEXT_CHARS);
    let suffix_end = (span.end + CONTEXT_CHARS).min(article.char_len());
    Fragment {
        span,
        quote: article.slice(span).to_owned(),
        prefix: article
            .slice(Span::between(prefix_start, span.start))
            .to_owned(),
        suffix: article
            .slice(Span::between(span.end, suffix_end))
            .to_owned(),
        original_quote: None,
    }
}

/// Replaces an annotation's fragments with `spans`: sorted, overlapping or touching spans
/// merged, empty ones dropped, selectors captured afresh. Used to add a fragment or resize one.
pub fn set_fragments(article: &Article, ann: &mut crate::model::Annotation, spans: Vec<Span>) {
    let merged = merge_spans(spans);
    if merged.is_empty() {
        return; // an annotation keeps at least one fragment
    }
    let old = std::mem::take(&mut ann.fragments);
    ann.fragments = merged
        .into_iter()
        .map(|s| {
            let mut f = capture(article, s);
            // A resized piece keeps the quote it was first made with, if re-anchoring kept one.
            f.original_quote = old
                .iter()
                .find(|o| o.span.overlaps(&s))
                .and_then(|o| o.original_quote.clone());
            f
        })
        .collect();
}

/// Spans sorted, with empty ones dropped and overlapping or touching ones merged: the pieces of
/// one annotation as they are stored (and exported).
pub fn merge_spans(mut spans: Vec<Span>) -> Vec<Span> {
    spans.retain(|s| !s.is_empty());
    spans.sort();
    let mut merged: Vec<Span> = Vec::with_capacity(spans.len());
    for s in spans {
        match merged.last_mut() {
            Some(last) if s.start <= last.end => last.end = last.end.max(s.end),
            _ => merged.push(s),
        }
    }
    merged
}

/// How a fragment was found in the current text.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Resolution {
    /// The quote is at the stored position.
    Exact,
    /// The quote was found elsewhere, by its quote and context.
    Moved,
    /// The words changed a little (a typo fixed, lines re-wrapped): found by approximate match.
    Fuzzy,
}

impl Resolution {
    pub fn label(self) -> &'static str {
        match self {
            Self::Exact => "exact",
            Self::Moved => "moved",
            Self::Fuzzy => "fuzzy",
        }
    }
}

/// Resolves many fragments against one article. Fragments are expected in text order: the
/// shift found for one (a paragraph inserted above it) is tried first for the next, and quotes
/// are looked for near their expected place before the whole text is searched, so re-anchoring
/// a long, edited article costs little more than reading it.
pub struct Resolver<'a> {
    article: &'a Article,
    normalized: Option<fuzzy::Normalized>,
    /// The last shift observed (new start − stored start).
    delta: i64,
}

/// How far around its expected place a quote is looked for before the whole text.
pub const SEARCH_WINDOW: usize = 20_000;

impl<'a> Resolver<'a> {
    pub fn new(article: &'a Article) -> Self {
        Self {
            article,
            normalized: None,
            delta: 0,
        }
    }

    /// Exact position; else the quote where the last shift puts it, else nearby, else anywhere
    /// (best context, then nearest); else an approximate match within
    /// [`fuzzy::MAX_ERROR_RATIO`]. `None` means orphaned.
    pub fn resolve(&mut self, fragment: &Fragment) -> Option<(Span, Resolution)> {
        let article = self.article;
        let span = fragment.span;
        let len = article.char_len();
        let at = |s: Span| s.end <= len && !s.is_empty() && article.slice(s) == fragment.quote;
        if at(span) {
            self.delta = 0;
            return Some((span, Resolution::Exact));
        }
        if fragment.quote.is_empty() {
            return None;
        }
        let shifted = |d: i64| {
            let start = usize::try_from(i64::try_from(span.start).ok()?.checked_add(d)?).ok()?;
            Some(Span {
                start,
                end: start.saturating_add(span.len()),
            })
        };
        let expected = shifted(self.delta).unwrap_or(span);
        let found = if self.delta != 0 && at(expected) {
            Some(expected)
        } else {
            let lo = expected.start.saturating_sub(SEARCH_WINDOW).min(len);
            let hi = expected.end.saturating_add(SEARCH_WINDOW).min(len).max(lo);
            let near: Vec<Span> = find_exact(article.slice(Span::between(lo, hi)), &fragment.quote)
                .into_iter()
                .map(|s| Span {
                    start: s.start + lo,
                    end: s.end + lo,
                })
                .collect();
            best_by_context(article, fragment, expected, near).or_else(|| {
                best_by_context(
                    article,
                    fragment,
                    expected,
                    find_exact(&article.text, &fragment.quote),
                )
            })
        };
        if let Some(found) = found {
            self.delta = shift(span, found);
            return Some((found, Resolution::Moved));
        }
        let norm = self
            .normalized
            .get_or_insert_with(|| fuzzy::Normalized::new(article));
        let found = fuzzy::find(norm, fragment, expected.start)?;
        self.delta = shift(span, found);
        Some((found, Resolution::Fuzzy))
    }
}

/// How far a fragment moved (saturating: offsets come from files).
fn shift(from: Span, to: Span) -> i64 {
    let (a, b) = (
        i64::try_from(to.start).unwrap_or(i64::MAX),
        i64::try_from(from.start).unwrap_or(i64::MAX),
    );
    a.saturating_sub(b)
}

/// The occurrence whose surroundings match the stored prefix and suffix best, then the one
/// nearest to where it was expected.
fn best_by_context(
    article: &Article,
    fragment: &Fragment,
    expected: Span,
    candidates: Vec<Span>,
) -> Option<Span> {
    let score = |s: &Span| {
        let before = article.slice(Span::between(
            s.start.saturating_sub(CONTEXT_CHARS),
            s.start,
        ));
        let after = article.slice(Span::between(
            s.end,
            (s.end + CONTEXT_CHARS).min(article.char_len()),
        ));
        let p = common_suffix(before, &fragment.prefix);
        let q = common_prefix(after, &fragment.suffix);
        (p + q, std::cmp::Reverse(s.start.abs_diff(expected.start)))
    };
    candidates.into_iter().max_by_key(score)
}

/// Finds one stored fragment in the article's current text (see [`Resolver`] for many).
pub fn resolve(article: &Article, fragment: &Fragment) -> Option<(Span, Resolution)> {
    Resolver::new(article).resolve(fragment)
}

fn common_prefix(a: &str, b: &str) -> usize {
    a.chars().zip(b.chars()).take_while(|(x, y)| x == y).count()
}

fn common_suffix(a: &str, b: &str) -> usize {
    a.chars()
        .rev()
        .zip(b.chars().rev())
        .take_while(|(x, y)| x == y)
        .count()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Marks a span in a string as `[` … `]` and returns the article and the span.
    fn marked(s: &str) -> (Article, Span) {
        let start = s.chars().position(|c| c == '[').expect("[");
        let end = s.chars().position(|c| c == ']').expect("]") - 1;
        (Article::new(s.replace(['[', ']'], "")), Span { start, end })
    }

    #[test]
    fn capture_keeps_quote_and_context() {
        let (a, span) = marked("The [claim] is here");
        let f = capture(&a, span);
        assert_eq!(
            (f.quote.as_str(), f.prefix.as_str(), f.suffix.as_str()),
            ("claim", "The ", " is here")
        );
    }

    #[test]
    fn a_quote_in_place_is_exact() {
        let (a, span) = marked("Kim [stressed] the need");
        let f = capture(&a, span);
        assert_eq!(resolve(&a, &f), Some((span, Resolution::Exact)));
    }

    #[test]
    fn a_moved_quote_is_found_by_its_context() {
        let (old, span) = marked("ready for talks. He is [ready for talks] now.");
        let f = capture(&old, span);
        let (new, want) = marked("Inserted text. ready for talks. He is [ready for talks] now.");
        assert_eq!(resolve(&new, &f), Some((want, Resolution::Moved)));
    }

    #[test]
    fn fragments_are_sorted_merged_and_recaptured() {
        let a = Article::new("one two three four five".into());
        let mut ann = crate::model::Annotation {
            id: crate::model::AnnotationId("x".into()),
            tags: vec!["claim".into()],
            fragments: vec![capture(&a, Span::between(0, 3))],
            note: String::new(),
            author: String::new(),
            created: String::new(),
            modified: String::new(),
            record: Default::default(),
            anchor: Default::default(),
        };
        set_fragments(
            &a,
            &mut ann,
            vec![
                Span::between(14, 18),
                Span::between(0, 3),
                Span::between(2, 7),
            ],
        );
        let quotes: Vec<&str> = ann.fragments.iter().map(|f| f.quote.as_str()).collect();
        assert_eq!(quotes, ["one two", "four"]);
        ann.fragments[1].original_quote = Some("fourth".into());
        set_fragments(
            &a,
            &mut ann,
            vec![Span::between(0, 7), Span::between(14, 23)],
        );
        assert_eq!(ann.fragments[1].quote, "four five");
        assert_eq!(
            ann.fragments[1].original_quote.as_deref(),
            Some("fourth"),
            "kept through a resize"
        );
        set_fragments(&a, &mut ann, vec![Span::between(5, 5)]);
        assert_eq!(ann.fragments.len(), 2, "never left without a fragment");
    }

    /// Realistic edits of the seed article keep every annotation on the same words.
    #[test]
    fn edited_quotes_are_found_approximately() {
        let cases = [
            // (old text with [quote], new text with [expected])
            (
                "He said the [goverment is ready for talks] today.",
                "He said the [government is ready for talks] today.",
            ),
            (
                "x\n\nThe [North Korean government is\nready for both] dialogue",
                "x\n\nThe [North Korean government is ready for\nboth] dialogue",
            ),
            (
                "A [claim about the dam collapse] was made.",
                "Intro paragraph.\n\nA [claim about the dam's collapse] was made.",
            ),
            (
                "Officials [said the bridge was safe], the report says.",
                "Officials [said that the bridge was safe], the report says.",
            ),
        ];
        for (old, new) in cases {
            let (a, span) = marked(old);
            let f = capture(&a, span);
            let (b, want) = marked(new);
            let got = Resolver::new(&b).resolve(&f);
            assert_eq!(
                got.map(|(s, _)| b.slice(s).to_owned()),
                Some(b.slice(want).to_owned()),
                "{old} -> {new}"
            );
        }
    }

    #[test]
    fn a_rewritten_quote_is_orphaned_not_misplaced() {
        let (a, span) = marked("The [minister resigned on Tuesday] after the vote.");
        let f = capture(&a, span);
        let b = Article::new("The vote passed and everyone went home early.".into());
        assert_eq!(Resolver::new(&b).resolve(&f), None);
    }

    #[test]
    fn absurd_offsets_from_a_file_do_not_overflow() {
        let a = Article::new("Some text here.".into());
        let f = Fragment {
            span: Span {
                start: usize::MAX - 3,
                end: usize::MAX,
            },
            quote: "text".into(),
            ..Default::default()
        };
        assert_eq!(
            Resolver::new(&a)
                .resolve(&f)
                .map(|(s, _)| a.slice(s).to_owned()),
            Some("text".to_owned())
        );
    }

    #[test]
    fn a_vanished_quote_is_not_found() {
        let (old, span) = marked("Kim [stressed] the need");
        let f = capture(&old, span);
        assert_eq!(resolve(&Article::new("Kim said the need".into()), &f), None);
    }
}
