//! The web benchmark: every page in `tests/fixtures/web/` (written for the project, each in the
//! layout and clutter of a kind of publisher) is extracted by the importer and scored against
//! the reference text beside it (`NAME.txt`: the headline, the standfirst and the body a careful
//! reader keeps; no bylines, captions, pull quotes, related links or widgets).
//!
//! The score is token F1 over bags of tokens: precision is the share of the extracted tokens
//! that the reference has (each counted as often as it occurs in both), recall the share of
//! the reference's tokens that were extracted. Tokens are lower-cased runs of letters, marks
//! and digits (Unicode general categories L, M and N); Chinese characters, kana and other
//! scripts written without spaces are one token each. `tests/benches/web_reference.py` scores
//! trafilatura the same way, with the same tokeniser, for the README's comparison.
//!
//! The floors are a regression guard a little below the measured scores; run with
//! `--nocapture` to see the table.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use claimmark::import::{Format, extract};
use unicode_general_category::{GeneralCategory as G, get_general_category};

/// The median F1 over the pages must stay at or above this.
const MEDIAN_FLOOR: f64 = 0.95;
/// The mean F1 over the pages must stay at or above this.
const MEAN_FLOOR: f64 = 0.95;
/// No page may score below this.
const PAGE_FLOOR: f64 = 0.85;

fn pages() -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/web");
    let mut pages: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("tests/fixtures/web")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "html"))
        .collect();
    pages.sort();
    pages
}

/// Characters of scripts written without spaces between words: each is a token.
fn is_unspaced(c: char) -> bool {
    matches!(c as u32,
        0x3040..=0x30FF     // hiragana, katakana
        | 0x31F0..=0x31FF   // katakana phonetic extensions
        | 0x3400..=0x4DBF   // CJK extension A
        | 0x4E00..=0x9FFF   // CJK unified ideographs
        | 0xF900..=0xFAFF   // CJK compatibility ideographs
        | 0xFF66..=0xFF9F   // half-width katakana
        | 0x20000..=0x3FFFF // CJK extensions B–H
    )
}

fn is_word_char(c: char) -> bool {
    matches!(
        get_general_category(c),
        G::UppercaseLetter
            | G::LowercaseLetter
            | G::TitlecaseLetter
            | G::ModifierLetter
            | G::OtherLetter
            | G::NonspacingMark
            | G::SpacingMark
            | G::EnclosingMark
            | G::DecimalNumber
            | G::LetterNumber
            | G::OtherNumber
    )
}

/// The tokens of a text, lower-cased (see the module doc).
pub fn tokens(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut word = String::new();
    for c in text.chars() {
        if is_unspaced(c) {
            if !word.is_empty() {
                out.push(std::mem::take(&mut word).to_lowercase());
            }
            out.push(c.to_string());
        } else if is_word_char(c) {
            word.push(c);
        } else if !word.is_empty() {
            out.push(std::mem::take(&mut word).to_lowercase());
        }
    }
    if !word.is_empty() {
        out.push(word.to_lowercase());
    }
    out
}

/// Precision, recall and F1 of `got` against `want`, over bags of tokens.
fn score(got: &str, want: &str) -> (f64, f64, f64) {
    let (got, want) = (tokens(got), tokens(want));
    let mut bag: HashMap<&str, usize> = HashMap::new();
    for t in &want {
        *bag.entry(t).or_default() += 1;
    }
    let mut shared = 0usize;
    for t in &got {
        if let Some(n) = bag.get_mut(t.as_str())
            && *n > 0
        {
            *n -= 1;
            shared += 1;
        }
    }
    if shared == 0 {
        return (0.0, 0.0, 0.0);
    }
    let p = shared as f64 / got.len() as f64;
    let r = shared as f64 / want.len() as f64;
    (p, r, 2.0 * p * r / (p + r))
}

fn median(values: &[f64]) -> f64 {
    let mut v = values.to_vec();
    v.sort_by(f64::total_cmp);
    let n = v.len();
    if n % 2 == 1 {
        v[n / 2]
    } else {
        (v[n / 2 - 1] + v[n / 2]) / 2.0
    }
}

#[test]
fn tokeniser() {
    assert_eq!(tokens("Don't stop—2,5 %"), ["don", "t", "stop", "2", "5"]);
    assert_eq!(tokens("東京で雨"), ["東", "京", "で", "雨"]);
    assert_eq!(tokens("서울시, 내년부터"), ["서울시", "내년부터"]);
    // Marks stay in their word (Devanagari vowel signs, Arabic vowels).
    assert_eq!(tokens("दिल्ली में"), ["दिल्ली", "में"]);
    assert_eq!(score("a b c", "a b c").2, 1.0);
    assert_eq!(score("", "a").2, 0.0);
    let (p, r, _) = score("a a b x", "a b b");
    assert_eq!((p, r), (0.5, 2.0 / 3.0));
}

/// What the benchmark's pages say about their articles, read as the cases ask: a raw
/// Spanish dateline (after the site header's own date), several authors, a logo in the `h1`.
#[test]
fn web_pages_metadata() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/web");
    let meta = |name: &str| {
        let bytes = std::fs::read(dir.join(name)).expect("page");
        extract(Format::Html, &bytes).expect("article").0.meta
    };
    let es = meta("es_diario_fecha.html");
    assert_eq!(es.published.as_deref(), Some("2014-01-09T10:21:00"));
    let en = meta("en_tech_logo_typo.html");
    assert_eq!(en.author.as_deref(), Some("Priya Raman and Leo Hart"));
    assert_eq!(
        en.title.as_deref(),
        Some("Open-source maintainers report surge in AI-generated bug reports")
    );
    let pt = meta("pt_pt_jornal.html");
    assert_eq!(
        pt.author.as_deref(),
        Some("Rui Menezes and Sofia Albuquerque")
    );
    let ko = meta("ko_ilbo_reporter.html");
    assert_eq!(
        ko.title.as_deref(),
        Some("서울시, 내년부터 공공자전거 이용료 30% 인하")
    );
}

#[test]
fn web_pages_score_against_their_reference_texts() {
    let pages = pages();
    assert!(pages.len() >= 30, "{} pages", pages.len());
    let mut f1s = Vec::new();
    let mut lines = vec![format!(
        "{:<32} {:>6} {:>6} {:>6}",
        "page", "prec", "recall", "F1"
    )];
    for page in &pages {
        let reference = page.with_extension("txt");
        let want = std::fs::read_to_string(&reference)
            .unwrap_or_else(|e| panic!("{}: {e}", reference.display()));
        let bytes = std::fs::read(page).expect("page");
        let got = match extract(Format::Html, &bytes) {
            Ok((e, _)) => e.text,
            Err(_) => String::new(),
        };
        let (p, r, f1) = score(&got, &want);
        let name = page.file_stem().and_then(|s| s.to_str()).unwrap_or("?");
        lines.push(format!("{name:<32} {p:>6.3} {r:>6.3} {f1:>6.3}"));
        f1s.push((name.to_owned(), f1));
    }
    let values: Vec<f64> = f1s.iter().map(|(_, f)| *f).collect();
    let (med, mean) = (
        median(&values),
        values.iter().sum::<f64>() / values.len() as f64,
    );
    lines.push(format!(
        "{} pages: median F1 {med:.3}, mean F1 {mean:.3}",
        values.len()
    ));
    println!("{}", lines.join("\n"));
    assert!(med >= MEDIAN_FLOOR, "median F1 {med:.3} < {MEDIAN_FLOOR}");
    assert!(mean >= MEAN_FLOOR, "mean F1 {mean:.3} < {MEAN_FLOOR}");
    for (name, f1) in &f1s {
        assert!(*f1 >= PAGE_FLOOR, "{name}: F1 {f1:.3} < {PAGE_FLOOR}");
    }
}
