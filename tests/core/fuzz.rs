//! Property tests: no input file can panic an importer or the sidecar loader, and re-anchoring
//! never returns a span outside the text. Cases proptest finds are kept in
//! `tests/fuzz.proptest-regressions` and replayed first on every run.

use std::path::Path;

use claimmark::anchoring::{Resolution, Resolver, capture};
use claimmark::import::{self, Format};
use claimmark::model::provenance::Provenance;
use claimmark::model::{Article, Span};
use claimmark::storage::sidecar;
use proptest::prelude::*;

fn fixture() -> String {
    std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/v2_article.txt.annotations.ron"),
    )
    .expect("fixture")
}

const FORMATS: [Format; 5] = [
    Format::Text,
    Format::Markdown,
    Format::Html,
    Format::Pdf,
    Format::Docx,
];

/// Real-world-shaped documents whose damaged copies the importers must survive.
const DOCUMENTS: [(Format, &str); 5] = [
    (Format::Pdf, "pdf_en_report.pdf"),
    (Format::Pdf, "pdf_ja_vertical.pdf"),
    (Format::Docx, "docx_en_statement.docx"),
    (Format::Html, "page_en_news.html"),
    (Format::Html, "page_ja_sjis.html"),
];

/// Imports bytes as `format`: an error is fine, a panic is not, and what comes out keeps the
/// canonical-text contract with every offset inside the text.
fn check_import(format: Format, bytes: &[u8]) -> Result<(), TestCaseError> {
    let Ok((extracted, _)) = import::extract(format, bytes) else {
        return Ok(());
    };
    let text = &extracted.text;
    prop_assert!(
        !text.contains('\r') && !text.starts_with('\u{feff}'),
        "{format:?}: {text:?}"
    );
    let len = text.chars().count();
    for m in &extracted.styles {
        prop_assert!(
            m.span.start <= m.span.end && m.span.end <= len,
            "{format:?}: {m:?} in {len}"
        );
    }
    for page in &extracted.meta.pages {
        prop_assert!(*page <= len);
    }
    let article = Article::from_extracted(extracted, Provenance::default());
    for b in &article.blocks {
        prop_assert!(b.chars.start <= b.chars.end && b.chars.end <= article.char_len());
        prop_assert_eq!(article.slice(b.chars), &article.text[b.bytes.clone()]);
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 400, ..ProptestConfig::default() })]

    #[test]
    fn no_bytes_can_panic_an_importer(bytes in proptest::collection::vec(any::<u8>(), 0..2000)) {
        for format in FORMATS {
            check_import(format, &bytes)?;
        }
    }

    #[test]
    fn no_markup_can_panic_an_importer(text in "([<>/=\"' a-zA-Z#*_>\\-]|\n|ب|한|é|😀){0,600}") {
        for format in FORMATS {
            check_import(format, text.as_bytes())?;
        }
    }

    #[test]
    fn no_damaged_document_can_panic_an_importer(which in 0usize..4, cut in 0usize..100_000, at in 0usize..100_000, junk in proptest::collection::vec(any::<u8>(), 0..16)) {
        let (format, name) = DOCUMENTS[which];
        let good = std::fs::read(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/import").join(name)).expect("fixture");
        let cut = cut % (good.len() + 1);
        let at = at % (good.len() + 1);
        let mut spliced = good[..at].to_vec();
        spliced.extend(&junk);
        spliced.extend(&good[(at + junk.len()).min(good.len())..]);
        check_import(format, &good[..cut])?;
        check_import(format, &spliced)?;
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
        if let Some((found, how)) = Resolver::new(&new).resolve(&fragment).span() {
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
