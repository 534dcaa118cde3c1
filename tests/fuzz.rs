//! Property tests: no input file can panic an importer or the sidecar loader, and re-anchoring
//! never returns a span outside the text. Cases proptest finds are kept in
//! `tests/fuzz.proptest-regressions` and replayed first on every run.

use std::path::Path;

use claimmark::anchoring::{Resolution, Resolver, capture};
use claimmark::import::plain;
use claimmark::model::{Article, Span};
use claimmark::storage::sidecar;
use proptest::prelude::*;

fn fixture() -> String {
    std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/v2_article.txt.annotations.ron"),
    )
    .expect("fixture")
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 400, ..ProptestConfig::default() })]

    #[test]
    fn decoding_any_bytes_never_panics(bytes in proptest::collection::vec(any::<u8>(), 0..2000)) {
        if let Ok(article) = plain::decode(&bytes, Path::new("x.txt")) {
            for b in &article.blocks {
                prop_assert!(b.chars.start <= b.chars.end && b.chars.end <= article.char_len());
                prop_assert_eq!(article.slice(b.chars), &article.text[b.bytes.clone()]);
            }
        }
    }

    #[test]
    fn parsing_any_text_never_panics(text in ".{0,400}") {
        let article = Article::new("Some article text.".into());
        let _ = sidecar::parse(&text, Some(&article));
        let _ = sidecar::parse(&text, None);
    }

    #[test]
    fn damaged_sidecars_never_panic(cut in 0usize..3000, at in 0usize..3000, junk in "[(){}\\[\\],:\"a-z0-9 \\\\]{0,12}") {
        let good = fixture();
        let cut = cut.min(good.len());
        let at = at.min(good.len());
        let (cut, at) = (good.floor_char_boundary(cut), good.floor_char_boundary(at));
        let truncated = &good[..cut];
        let spliced = format!("{}{}{}", &good[..at], junk, &good[at..]);
        let article = Article::new("The minister said the bridge was safe.".into());
        for text in [truncated, spliced.as_str()] {
            if let Ok(file) = sidecar::parse(text, Some(&article)) {
                for a in &file.annotations {
                    prop_assert!(!a.tags.is_empty() && !a.fragments.is_empty());
                    prop_assert!(a.fragments.iter().all(|f| f.span.start < f.span.end));
                }
            }
        }
    }

    #[test]
    fn resolving_after_any_edit_stays_inside_the_text(
        text in "[a-z ,.\\n]{1,300}",
        start in 0usize..300,
        len in 1usize..40,
        edit_at in 0usize..300,
        insert in "[a-z \\n]{0,20}",
        delete in 0usize..20,
    ) {
        let old = Article::new(text.clone());
        let n = old.char_len();
        let start = start % n;
        let span = Span { start, end: (start + len).min(n) };
        prop_assume!(!span.is_empty());
        let fragment = capture(&old, span);
        let chars: Vec<char> = text.chars().collect();
        let at = edit_at % (chars.len() + 1);
        let end = (at + delete).min(chars.len());
        let edited: String = chars[..at].iter().chain(insert.chars().collect::<Vec<_>>().iter()).chain(chars[end..].iter()).collect();
        let new = Article::new(edited);
        if let Some((found, how)) = Resolver::new(&new).resolve(&fragment) {
            prop_assert!(found.start < found.end && found.end <= new.char_len(), "{found:?} in {}", new.char_len());
            if how != Resolution::Fuzzy {
                prop_assert_eq!(new.slice(found), fragment.quote.as_str());
            }
        }
    }

    #[test]
    fn offsets_map_for_any_text(text in "\\PC{0,200}", pos in 0usize..250) {
        let a = Article::new(claimmark::model::article::canonicalize(&text));
        let b = a.byte_of(pos);
        prop_assert!(a.text.is_char_boundary(b));
        let _ = a.word_at(pos);
        let _ = a.next_word_end(pos.min(a.char_len()));
        let _ = a.previous_word_start(pos.min(a.char_len()));
    }
}
