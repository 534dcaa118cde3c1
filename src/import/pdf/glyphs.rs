//! A line's glyphs to its text: spaces from the gaps between glyphs, and right-to-left
//! scripts (Arabic, Hebrew) put into logical order.
//!
//! A PDF stores glyphs as they are drawn. Most producers draw a right-to-left line from left to
//! right, in visual order, so the string read from the file is the line reversed
//! ("ملاعلاب ابحرم" for "مرحبا بالعالم"); some draw it in logical order (from the right edge
//! leftwards), and those need nothing. Which one a line is comes from the glyphs' positions:
//! consecutive right-to-left letters whose positions grow along the string were drawn in visual
//! order. A visual line is sorted by position and turned back with the Unicode Bidirectional
//! Algorithm (`unicode-bidi`): run on the visual string, its reordering is its own inverse for
//! the text of real lines (right-to-left words with numbers and Latin words inside), so numbers
//! and Latin runs keep their left-to-right order; brackets in right-to-left runs, which the
//! producer drew mirrored, are mirrored back. A line without right-to-left letters is left as
//! drawn. Presentation forms (the shapes of Arabic letters that some files map glyphs to) become
//! plain letters.
//!
//! Pure: no PDF here, only glyphs with positions along their line.

use std::ops::Range;

use unicode_bidi::{BidiClass, BidiInfo, Level, bidi_class};

/// One glyph as drawn: its text (one character, or a few for a ligature) and where it sits
/// along its line, in points.
#[derive(Clone, Debug, PartialEq)]
pub(super) struct Glyph {
    pub text: String,
    pub start: f64,
    pub end: f64,
    pub size: f64,
}

/// A line's text, and whether it reads right to left. Whitespace is not collapsed here.
/// `page_rtl` (most of the page's letters are right to left) decides the direction of a line
/// drawn in visual order whose two ends do not agree (Arabic at one end, Latin at the other).
pub(super) fn line_text(glyphs: &[Glyph], page_rtl: bool) -> (String, bool) {
    if !glyphs.iter().any(|g| has_rtl(&g.text)) {
        return (as_drawn(glyphs), false);
    }
    if drawn_in_logical_order(glyphs) {
        let order: Vec<&Glyph> = glyphs.iter().collect();
        let text = spaced(&order, false);
        // The Unicode rule (P2): the first strong letter gives the direction.
        let rtl = strong(text.chars()).is_none_or(is_rtl);
        return (text, rtl);
    }
    let mut order: Vec<&Glyph> = glyphs.iter().collect();
    order.sort_by(|a, b| a.start.total_cmp(&b.start));
    let visual = spaced(&order, true);
    // In visual order the first letter read is at the right end of a right-to-left line and at
    // the left end of a left-to-right one.
    let ends = (strong(visual.chars()), strong(visual.chars().rev()));
    let rtl = match ends {
        (Some(l), Some(r)) if is_rtl(l) == is_rtl(r) => is_rtl(l),
        _ => page_rtl,
    };
    (visual_to_logical(&visual, rtl), rtl)
}

/// The first letter with a strong direction.
fn strong(mut chars: impl Iterator<Item = char>) -> Option<char> {
    chars.find(|&c| matches!(bidi_class(c), BidiClass::L | BidiClass::R | BidiClass::AL))
}

/// Where a left-to-right line is cut into pieces that may belong to different columns: at a gap
/// wider than one and a half times the glyph size, or where the drawing jumps back leftwards
/// (a line drawn across a page's columns, row by row). Ranges of glyphs, in drawing order.
pub(super) fn pieces(glyphs: &[Glyph]) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut from = 0;
    let mut prev: Option<&Glyph> = None;
    for (i, g) in glyphs.iter().enumerate() {
        if g.text.trim().is_empty() {
            continue;
        }
        if let Some(p) = prev
            && (g.start > p.end + 1.5 * g.size || g.start < p.start - g.size)
        {
            out.push(from..i);
            from = i;
        }
        prev = Some(g);
    }
    out.push(from..glyphs.len());
    out
}

/// Arabic and Hebrew presentation forms (a letter's initial, medial, final or isolated shape,
/// ligatures such as lam-alef), which some files map their glyphs to, become the letters
/// themselves (their compatibility decomposition), so that the text reads and searches as
/// typed. Applied to a line in logical order: a ligature's letters come out in their order.
pub(super) fn plain_letters(text: &str) -> String {
    use unicode_normalization::UnicodeNormalization;
    if !text.chars().any(is_presentation_form) {
        return text.to_owned();
    }
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if is_presentation_form(c) {
            out.extend(std::iter::once(c).nfkc());
        } else {
            out.push(c);
        }
    }
    out
}

fn is_presentation_form(c: char) -> bool {
    matches!(c, '\u{fb1d}'..='\u{fdff}' | '\u{fe70}'..='\u{feff}') && c != '\u{feff}'
}

/// The glyphs in drawing order, with a space where the gap before a glyph is wider than a
/// sixth of its size (justified text is often drawn word by word, without space characters).
pub(super) fn as_drawn(glyphs: &[Glyph]) -> String {
    let mut text = String::new();
    let mut last_end: Option<f64> = None;
    for g in glyphs {
        if let Some(end) = last_end
            && g.start > end + 0.15 * g.size
            && !text.ends_with(' ')
        {
            text.push(' ');
        }
        text.push_str(&g.text);
        last_end = Some(g.end);
    }
    text
}

/// The glyphs in the given order with a space at each gap, whichever side the next glyph is on.
/// In a visual string, a glyph of several characters (a lam-alef ligature) is reversed, so that
/// turning the whole line back gives its characters in their order.
fn spaced(order: &[&Glyph], visual: bool) -> String {
    let mut text = String::new();
    let mut prev: Option<&Glyph> = None;
    for &g in order {
        if let Some(p) = prev {
            let gap = (g.start - p.end).max(p.start - g.end);
            if gap > 0.15 * g.size && !text.ends_with(' ') {
                text.push(' ');
            }
        }
        if visual && g.text.chars().nth(1).is_some() && has_rtl(&g.text) {
            text.extend(g.text.chars().rev());
        } else {
            text.push_str(&g.text);
        }
        prev = Some(g);
    }
    text
}

fn is_rtl(c: char) -> bool {
    // Nothing before Hebrew is right to left: most text never reaches the table.
    c >= '\u{0590}' && matches!(bidi_class(c), BidiClass::R | BidiClass::AL)
}

pub(super) fn has_rtl(s: &str) -> bool {
    s.chars().any(is_rtl)
}

/// True when most of the glyphs' letters are right to left.
pub(super) fn reads_rtl<'a>(glyphs: impl Iterator<Item = &'a Glyph>) -> bool {
    let (mut rtl, mut ltr) = (0usize, 0usize);
    for c in glyphs.flat_map(|g| g.text.chars()) {
        if c.is_ascii() {
            ltr += usize::from(c.is_ascii_alphabetic());
            continue;
        }
        match bidi_class(c) {
            BidiClass::R | BidiClass::AL => rtl += 1,
            BidiClass::L => ltr += 1,
            _ => {}
        }
    }
    rtl > ltr
}

/// True when the line's right-to-left letters were drawn from right to left: consecutive ones
/// (in the string) mostly move leftwards. Without evidence either way (one letter, or letters
/// drawn at one spot), visual order, which most producers use.
fn drawn_in_logical_order(glyphs: &[Glyph]) -> bool {
    let letters: Vec<&Glyph> = glyphs.iter().filter(|g| has_rtl(&g.text)).collect();
    let (mut rightwards, mut leftwards) = (0usize, 0usize);
    for w in letters.windows(2) {
        if w[1].start > w[0].start {
            rightwards += 1;
        } else if w[1].start < w[0].start {
            leftwards += 1;
        }
    }
    leftwards > rightwards
}

/// A line in visual order (left to right on the page) put into logical order: the Unicode
/// Bidirectional Algorithm's reordering (rules L1–L2) applied to the visual string, with the
/// paragraph's direction given, and brackets at right-to-left levels mirrored back.
fn visual_to_logical(visual: &str, rtl: bool) -> String {
    let level = if rtl { Level::rtl() } else { Level::ltr() };
    let info = BidiInfo::new(visual, Some(level));
    let Some(para) = info.paragraphs.first() else {
        return visual.to_owned();
    };
    let (levels, runs) = info.visual_runs(para, para.range.clone());
    let mut out = String::with_capacity(visual.len());
    for run in runs {
        let text = &visual[run.clone()];
        if levels[run.start].is_rtl() {
            out.extend(text.chars().rev().map(mirror));
        } else {
            out.push_str(text);
        }
    }
    out
}

/// The bracket facing the other way (what a right-to-left run draws for a bracket).
fn mirror(c: char) -> char {
    crate::import::mirrored(c).unwrap_or(c)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Glyphs for `s`, one per character, drawn from left to right (`rightwards`) or from right
    /// to left, each 5 points wide, touching.
    fn drawn(s: &str, rightwards: bool) -> Vec<Glyph> {
        let n = s.chars().count();
        s.chars()
            .enumerate()
            .map(|(i, c)| {
                let slot = if rightwards { i } else { n - 1 - i };
                let start = 5.0 * slot as f64;
                Glyph {
                    text: c.to_string(),
                    start,
                    end: start + 5.0,
                    size: 10.0,
                }
            })
            .collect()
    }

    #[test]
    fn arabic_in_visual_order_is_turned_back() {
        let (text, rtl) = line_text(&drawn("ملاعلاب ابحرم", true), false);
        assert_eq!(text, "مرحبا بالعالم");
        assert!(rtl);
    }

    #[test]
    fn numbers_and_latin_words_keep_their_order() {
        // Logical "تضم 12000 كتاب من UNESCO Nord." as a producer draws it, left to right.
        let glyphs = drawn(".UNESCO Nord نم باتك 12000 مضت", true);
        // The ends disagree: the page decides.
        assert_eq!(line_text(&glyphs, true).0, "تضم 12000 كتاب من UNESCO Nord.");
        assert_eq!(
            line_text(&glyphs, false).0,
            ".UNESCO Nord تضم 12000 كتاب من"
        );
        let (text, _) = line_text(&drawn("3.5 ةبسنب", true), false);
        assert_eq!(text, "بنسبة 3.5");
    }

    #[test]
    fn brackets_drawn_mirrored_are_mirrored_back() {
        let (text, _) = line_text(&drawn("(ديدج) باتك", true), false);
        assert_eq!(text, "كتاب (جديد)");
    }

    #[test]
    fn a_line_drawn_in_logical_order_is_kept() {
        let (text, rtl) = line_text(&drawn("مرحبا بالعالم", false), false);
        assert_eq!(text, "مرحبا بالعالم");
        assert!(rtl);
        // Hebrew, with the digits of a number drawn left to right inside.
        let mut glyphs = drawn("שנת ", false);
        for (i, c) in "2024".chars().enumerate() {
            let start = 5.0 * i as f64 - 30.0;
            glyphs.push(Glyph {
                text: c.to_string(),
                start,
                end: start + 5.0,
                size: 10.0,
            });
        }
        assert_eq!(line_text(&glyphs, false).0, "שנת 2024");
    }

    #[test]
    fn a_left_to_right_line_with_a_hebrew_word() {
        let (text, rtl) = line_text(&drawn("the word םולש means peace", true), true);
        assert_eq!(text, "the word שלום means peace");
        assert!(!rtl);
    }

    #[test]
    fn left_to_right_lines_are_left_as_drawn() {
        // Drawn out of order on purpose: only right-to-left lines are sorted.
        let mut glyphs = drawn("ab", true);
        glyphs.swap(0, 1);
        assert_eq!(line_text(&glyphs, false), ("ba".to_owned(), false));
        // A gap wider than a sixth of the size is a space.
        let mut glyphs = drawn("ab", true);
        glyphs[1].start += 3.0;
        assert_eq!(line_text(&glyphs, false).0, "a b");
    }

    #[test]
    fn lines_are_cut_at_wide_gaps_and_backward_jumps() {
        let mut glyphs = drawn("ab cd", true);
        assert_eq!(pieces(&glyphs).len(), 1);
        for g in &mut glyphs[3..] {
            g.start += 20.0;
            g.end += 20.0;
        }
        assert_eq!(pieces(&glyphs), [0..3, 3..5]);
        let mut glyphs = drawn("abcd", true);
        for g in &mut glyphs[2..] {
            g.start -= 50.0;
            g.end -= 50.0;
        }
        assert_eq!(pieces(&glyphs), [0..2, 2..4]);
    }

    #[test]
    fn presentation_forms_become_letters() {
        // "سلام" as isolated, initial, medial and final forms, with the lam-alef ligature.
        assert_eq!(plain_letters("\u{feb3}\u{fefc}\u{fee1}"), "سلام");
        assert_eq!(plain_letters("abc ﬁ"), "abc ﬁ");
        // Drawn in visual order, one glyph each: turned back, then the letters.
        let (text, _) = line_text(&drawn("\u{fee1}\u{fefc}\u{feb3}", true), true);
        assert_eq!(plain_letters(&text), "سلام");
    }

    #[test]
    fn a_ligature_keeps_its_letters_in_order() {
        // "سلام" drawn left to right with the lam-alef ligature as one glyph ("لا").
        let mut glyphs = drawn("مxس", true);
        glyphs[1].text = "لا".to_owned();
        assert_eq!(line_text(&glyphs, false).0, "سلام");
    }
}
