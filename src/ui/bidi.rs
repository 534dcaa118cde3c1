//! Right-to-left and mixed-direction paragraphs, laid out by us on top of egui's shaping.
//!
//! egui 0.37 shapes Arabic and Hebrew words (letters join) but places them left to right in
//! logical order and miscounts characters in right-to-left runs (egui #5069), which would make
//! clicks land on the wrong offsets. So a paragraph that contains right-to-left text is cut
//! into atoms (a right-to-left word, a space, a punctuation mark, a left-to-right stretch),
//! each shaped by egui alone; lines are broken greedily at spaces; each line is put into visual
//! order with the Unicode Bidirectional Algorithm (`unicode-bidi`, rules L1–L2, brackets and
//! other paired punctuation mirrored in right-to-left runs); and a right-to-left paragraph is
//! aligned right. Hit tests, carets and outlines go through the atoms, so offsets stay code
//! points into the canonical text whatever the display order.

use std::ops::Range;
use std::sync::Arc;

use egui::text::{LayoutJob, TextFormat};
use egui::{Galley, Rect, Vec2, pos2, vec2};
use unicode_bidi::{BidiClass, BidiInfo, bidi_class};

use crate::import::mirrored;

/// True if the text needs this layout: it has a right-to-left letter.
pub fn needs_bidi(text: &str) -> bool {
    text.chars()
        .any(|c| matches!(bidi_class(c), BidiClass::R | BidiClass::AL))
}

/// A piece of a paragraph that is shaped and placed as a whole.
#[derive(Clone, Debug, PartialEq)]
pub struct Atom {
    /// Byte range in the paragraph.
    pub bytes: Range<usize>,
    /// Code-point range in the paragraph.
    pub chars: Range<usize>,
    /// At an odd (right-to-left) embedding level: its characters run right to left.
    pub rtl: bool,
    /// A whitespace character (a line may break after it).
    pub space: bool,
    /// The mirrored glyph to show for a bracket in a right-to-left run.
    pub mirror: Option<char>,
}

impl Atom {
    /// What egui is given to shape. Arabic-Indic digits run left to right, but the shaper
    /// guesses right to left for them (their script is Arabic): they are given reversed so that
    /// they come out in their order.
    pub fn shown(&self, text: &str) -> String {
        let own = &text[self.bytes.clone()];
        match self.mirror {
            Some(m) => m.to_string(),
            None if !self.rtl && own.chars().all(is_arabic_digit) => own.chars().rev().collect(),
            None => own.to_owned(),
        }
    }
}

fn is_arabic_digit(c: char) -> bool {
    matches!(c, '\u{0660}'..='\u{066c}' | '\u{06f0}'..='\u{06f9}')
}

/// Letters of right-to-left scripts and the marks and punctuation that belong with them: kept
/// together as one atom so that egui shapes the word (joining forms, marks) in one piece.
fn joins_rtl_word(c: char) -> bool {
    matches!(
        bidi_class(c),
        BidiClass::R | BidiClass::AL | BidiClass::NSM | BidiClass::AN
    ) || matches!(c, '\u{200c}' | '\u{200d}')
        || ('\u{0590}'..='\u{08ff}').contains(&c)
        || ('\u{fb1d}'..='\u{fdff}').contains(&c)
        || ('\u{fe70}'..='\u{feff}').contains(&c)
}

/// Cuts a paragraph into atoms, in logical order. `cuts` are byte offsets where the formatting
/// changes (highlights, selection, styles): no atom crosses one.
pub fn atoms(text: &str, info: &BidiInfo, cuts: &[usize]) -> Vec<Atom> {
    let mut out: Vec<Atom> = Vec::new();
    let mut cut = cuts.iter().copied().peekable();
    for (ci, (bi, c)) in text.char_indices().enumerate() {
        let mut at_cut = false;
        while cut.peek().is_some_and(|&k| k <= bi) {
            at_cut |= cut.next() == Some(bi);
        }
        let level = info.levels.get(bi).copied();
        let rtl = level.is_some_and(|l| l.is_rtl());
        let space = c.is_whitespace();
        let joins = |prev: &Atom| {
            // An atom never spans two embedding levels: the bidi algorithm reorders by level
            // runs, and an atom must fall inside one.
            !at_cut
                && !space
                && !prev.space
                && info.levels.get(prev.bytes.start).copied() == level
                && prev.mirror.is_none()
                && if rtl {
                    // Right to left: words stay whole, everything else stands alone.
                    joins_rtl_word(c) && text[prev.bytes.clone()].chars().all(joins_rtl_word)
                } else {
                    true
                }
        };
        match out.last_mut() {
            Some(prev) if prev.bytes.end == bi && joins(prev) => {
                prev.bytes.end = bi + c.len_utf8();
                prev.chars.end = ci + 1;
            }
            _ => out.push(Atom {
                bytes: bi..bi + c.len_utf8(),
                chars: ci..ci + 1,
                rtl,
                space,
                mirror: if rtl { mirrored(c) } else { None },
            }),
        }
    }
    out
}

/// Breaks lines greedily: a line ends after a space when the next word would pass `max`.
/// Returns ranges of atom indexes.
pub fn break_lines(atoms: &[Atom], widths: &[f32], max: f32) -> Vec<Range<usize>> {
    let mut lines = Vec::new();
    let mut start = 0;
    let mut width = 0.0;
    let mut i = 0;
    while i < atoms.len() {
        // The next word: atoms up to and including the following space.
        let mut end = i;
        let mut w = 0.0;
        while end < atoms.len() {
            w += widths[end];
            end += 1;
            if atoms[end - 1].space {
                break;
            }
        }
        let ink = w - if atoms[end - 1].space {
            widths[end - 1]
        } else {
            0.0
        };
        if i > start && width + ink > max {
            lines.push(start..i);
            start = i;
            width = 0.0;
        }
        width += w;
        i = end;
    }
    if start < atoms.len() || lines.is_empty() {
        lines.push(start..atoms.len());
    }
    lines
}

/// The atoms of one line in visual order (left to right on screen).
pub fn visual_order(info: &BidiInfo, atoms: &[Atom], line: Range<usize>) -> Vec<usize> {
    let (Some(first), Some(last)) = (atoms.get(line.start), line.end.checked_sub(1)) else {
        return Vec::new();
    };
    let Some(para) = info.paragraphs.first() else {
        return line.collect();
    };
    let bytes = first.bytes.start..atoms[last].bytes.end;
    let (levels, runs) = info.visual_runs(para, bytes);
    let mut order = Vec::with_capacity(line.len());
    for run in runs {
        let inside: Vec<usize> = line
            .clone()
            .filter(|&i| run.contains(&atoms[i].bytes.start))
            .collect();
        if levels.get(run.start).is_some_and(|l| l.is_rtl()) {
            order.extend(inside.into_iter().rev());
        } else {
            order.extend(inside);
        }
    }
    order
}

/// One atom as laid out: where it is in the block and its shaped text.
struct Placed {
    chars: Range<usize>,
    rtl: bool,
    rect: Rect,
    galley: Arc<Galley>,
    /// The highlight behind the atom, painted edge to edge so that neighbours join seamlessly.
    background: egui::Color32,
}

/// A paragraph laid out in visual order. Positions are relative to the block's top left.
pub struct BidiBlock {
    placed: Vec<Placed>,
    rows: Vec<Rect>,
    size: Vec2,
    /// Characters in the paragraph.
    len: usize,
    /// The paragraph's direction is right to left.
    rtl: bool,
}

impl BidiBlock {
    /// Lays out `text` (one paragraph) with a format per byte range (`runs`, covering the text in
    /// order), `width` wide.
    pub fn layout(
        fonts: &mut egui::epaint::text::FontsView<'_>,
        text: &str,
        runs: &[(Range<usize>, TextFormat)],
        width: f32,
    ) -> Self {
        let info = BidiInfo::new(text, None);
        let cuts: Vec<usize> = runs.iter().map(|(r, _)| r.start).collect();
        let atoms = atoms(text, &info, &cuts);
        let format_at = |byte: usize| {
            let i = runs.partition_point(|(r, _)| r.end <= byte);
            runs.get(i)
                .or(runs.last())
                .map(|(_, f)| f.clone())
                .unwrap_or_default()
        };
        let mut backgrounds = Vec::with_capacity(atoms.len());
        let galleys: Vec<Arc<Galley>> = atoms
            .iter()
            .map(|a| {
                let shown = a.shown(text);
                let mut format = format_at(a.bytes.start);
                backgrounds.push(std::mem::replace(
                    &mut format.background,
                    egui::Color32::TRANSPARENT,
                ));
                let mut job = LayoutJob::default();
                job.append(&shown, 0.0, format);
                job.wrap.max_width = f32::INFINITY;
                fonts.layout_job(job)
            })
            .collect();
        let widths: Vec<f32> = galleys.iter().map(|g| g.size().x).collect();
        let base_rtl = info.paragraphs.first().is_some_and(|p| p.level.is_rtl());
        let mut placed = Vec::with_capacity(atoms.len());
        let mut rows = Vec::new();
        let mut y = 0.0f32;
        for line in break_lines(&atoms, &widths, width) {
            let order = visual_order(&info, &atoms, line.clone());
            let height = line
                .clone()
                .map(|i| galleys[i].size().y)
                .fold(0.0f32, f32::max);
            let row_width: f32 = order.iter().map(|&i| widths[i]).sum();
            // Right-to-left paragraphs are aligned right (a line's trailing space, at its left
            // end, is blank).
            let mut x = if base_rtl { width - row_width } else { 0.0 };
            for i in order {
                let rect = Rect::from_min_size(pos2(x, y), vec2(widths[i], height));
                placed.push(Placed {
                    chars: atoms[i].chars.clone(),
                    rtl: atoms[i].rtl,
                    rect,
                    galley: galleys[i].clone(),
                    background: backgrounds[i],
                });
                x += widths[i];
            }
            rows.push(Rect::from_min_size(pos2(0.0, y), vec2(width, height)));
            y += height;
        }
        Self {
            placed,
            rows,
            size: vec2(width, y),
            len: text.chars().count(),
            rtl: base_rtl,
        }
    }

    pub fn size(&self) -> Vec2 {
        self.size
    }

    /// True for a right-to-left paragraph (aligned right, indented from the right).
    pub fn is_rtl(&self) -> bool {
        self.rtl
    }

    /// Paints the atoms with their top left at `origin`.
    pub fn paint(&self, painter: &egui::Painter, origin: egui::Pos2, fallback: egui::Color32) {
        for p in &self.placed {
            if p.background != egui::Color32::TRANSPARENT {
                painter.rect_filled(p.rect.translate(origin.to_vec2()), 0.0, p.background);
            }
        }
        for p in &self.placed {
            painter.galley(origin + p.rect.min.to_vec2(), p.galley.clone(), fallback);
        }
    }

    /// The character offset (within the paragraph) nearest to a point relative to the block.
    pub fn hit(&self, pos: Vec2) -> usize {
        let Some(row) = self
            .rows
            .iter()
            .min_by(|a, b| dist(a.y_range(), pos.y).total_cmp(&dist(b.y_range(), pos.y)))
        else {
            return 0;
        };
        let in_row = self
            .placed
            .iter()
            .filter(|p| (p.rect.center().y - row.center().y).abs() < 0.5);
        let Some(p) = in_row
            .min_by(|a, b| dist(a.rect.x_range(), pos.x).total_cmp(&dist(b.rect.x_range(), pos.x)))
        else {
            return 0;
        };
        let n = p.chars.len() as f32;
        let frac = ((pos.x - p.rect.left()) / p.rect.width().max(1.0)).clamp(0.0, 1.0);
        let frac = if p.rtl { 1.0 - frac } else { frac };
        (p.chars.start + (frac * n).round() as usize).min(self.len)
    }

    /// The caret's rectangle (zero width) before the character at `pos`, relative to the block.
    pub fn caret(&self, pos: usize) -> Rect {
        let found = self
            .placed
            .iter()
            .find(|p| p.chars.contains(&pos))
            .or_else(|| self.placed.iter().find(|p| p.chars.end == pos));
        let Some(p) = found else {
            return Rect::from_min_size(pos2(0.0, 0.0), vec2(0.0, 10.0));
        };
        let x = edge(p, pos);
        Rect::from_min_max(pos2(x, p.rect.top()), pos2(x, p.rect.bottom()))
    }

    /// Rectangles covering the characters `span` (within the paragraph), one per atom part.
    pub fn span_rects(&self, span: Range<usize>) -> Vec<Rect> {
        self.placed
            .iter()
            .filter(|p| p.chars.start < span.end && span.start < p.chars.end)
            .map(|p| {
                let a = edge(p, span.start.max(p.chars.start));
                let b = edge(p, span.end.min(p.chars.end));
                Rect::from_min_max(
                    pos2(a.min(b), p.rect.top()),
                    pos2(a.max(b), p.rect.bottom()),
                )
            })
            .collect()
    }
}

/// The x of the boundary before character `pos` of an atom (its right side for right to left).
fn edge(p: &Placed, pos: usize) -> f32 {
    let n = p.chars.len().max(1) as f32;
    let frac = (pos.saturating_sub(p.chars.start)) as f32 / n;
    if p.rtl {
        p.rect.right() - frac * p.rect.width()
    } else {
        p.rect.left() + frac * p.rect.width()
    }
}

fn dist(range: egui::Rangef, v: f32) -> f32 {
    if v < range.min {
        range.min - v
    } else if v > range.max {
        v - range.max
    } else {
        0.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shown(text: &str, width_in_chars: usize) -> Vec<String> {
        let info = BidiInfo::new(text, None);
        let atoms = atoms(text, &info, &[]);
        let widths: Vec<f32> = atoms.iter().map(|a| a.chars.len() as f32).collect();
        break_lines(&atoms, &widths, width_in_chars as f32)
            .into_iter()
            .map(|line| {
                visual_order(&info, &atoms, line)
                    .into_iter()
                    .map(|i| {
                        let a = &atoms[i];
                        let shown = a.shown(text);
                        // The shaper shows Arabic and Hebrew letters and Arabic-Indic digits
                        // right to left, everything else left to right.
                        if shown
                            .chars()
                            .any(|c| joins_rtl_word(c) || is_arabic_digit(c))
                        {
                            shown.chars().rev().collect()
                        } else {
                            shown
                        }
                    })
                    .collect::<String>()
            })
            .collect()
    }

    #[test]
    fn right_to_left_lines_read_right_to_left_with_numbers_and_latin_left_to_right() {
        // Logical: "אב גד 2024 (abc)." → shown: ".(abc) 2024 דג בא"
        assert_eq!(shown("אב גד 2024 (abc).", 100), [".(abc) 2024 דג בא"]);
        // Arabic with its own comma, kept with the word before it.
        assert_eq!(shown("قال، إن", 100), ["نإ ،لاق"]);
        // Arabic-Indic digits read left to right inside right-to-left text.
        assert_eq!(shown("تخصيص ٤٨ مليون", 100), ["نويلم ٤٨ صيصخت"]);
        // Left-to-right paragraph with a two-word Hebrew name: only the name is reversed.
        assert_eq!(
            shown("The minister אב גד said.", 100),
            ["The minister דג בא said."]
        );
        // Numbers next to right-to-left words sit at another level than the letters after
        // them: each character is shown once, where the algorithm puts it (after Arabic
        // letters a number is an Arabic number, and runs with them).
        assert_eq!(
            shown("Arabic عربي 5G network", 100),
            ["Arabic 5 يبرعG network"]
        );
        assert_eq!(
            shown("The name שלום 2024th event", 100),
            ["The name 2024 םולשth event"]
        );
    }

    #[test]
    fn lines_break_at_spaces_in_logical_order_then_each_is_reordered() {
        let lines = shown("אבג דהו זחט יכל", 8);
        assert_eq!(lines, [" והד גבא", "לכי טחז"]);
    }

    #[test]
    fn text_without_right_to_left_letters_does_not_need_this_layout() {
        assert!(!needs_bidi(
            "Plain English, 日本語, Русский, 한국어 (2024)."
        ));
        assert!(needs_bidi("Quoted: قالت"));
        assert!(needs_bidi("עברית"));
    }

    /// Lays a paragraph out with the system's fonts (as the app does) and checks that every
    /// atom is hit where it is drawn and that carets sit on the right side of right-to-left
    /// words: the offsets of clicks and drags are code points in logical order.
    #[test]
    fn clicks_and_carets_map_to_logical_offsets() {
        let ctx = egui::Context::default();
        ctx.add_font_provider(Arc::new(
            egui_system_font_provider::SystemFontProvider::new(),
        ));
        let text = "قالت الوزارة إن الميناء سيفتح يوم ١٢ مارس (الاثنين) بعد أعمال استمرت 18 شهرا.";
        let format = TextFormat::simple(egui::FontId::proportional(17.0), egui::Color32::WHITE);
        let mut block = None;
        for _ in 0..2 {
            let mut out = ctx.run_ui(egui::RawInput::default(), |ui| {
                block = Some(ui.fonts_mut(|f| {
                    BidiBlock::layout(f, text, &[(0..text.len(), format.clone())], 220.0)
                }));
            });
            out.textures_delta.clear();
        }
        let block = block.expect("laid out");
        let chars: Vec<char> = text.chars().collect();
        assert!(block.rows.len() >= 2, "the paragraph wraps");
        let mut covered: Vec<usize> = block.placed.iter().flat_map(|p| p.chars.clone()).collect();
        covered.sort_unstable();
        assert_eq!(
            covered,
            (0..chars.len()).collect::<Vec<_>>(),
            "each character once"
        );
        assert_eq!(
            block.placed.iter().map(|p| p.chars.len()).sum::<usize>(),
            chars.len(),
            "every character is placed once"
        );
        for p in &block.placed {
            let hit = block.hit(p.rect.center().to_vec2());
            assert!(
                p.chars.start <= hit && hit <= p.chars.end,
                "{:?} hit at {hit}",
                p.chars
            );
        }
        // The paragraph starts at the right end of its first line and its first word reads
        // right to left: the caret after the word's first letter is left of the one before it.
        let first = block.caret(0);
        assert!(first.left() > 200.0, "{first:?}");
        assert!(block.caret(1).left() < first.left());
        // "18" is left to right: its second digit is right of its first.
        let at = chars.iter().position(|&c| c == '1').expect("18");
        assert!(block.caret(at + 1).left() > block.caret(at).left());
        // A span's boxes cover its words, wherever the line put them.
        let word = 5..12; // الوزارة
        let rects = block.span_rects(word);
        assert_eq!(rects.len(), 1);
        assert!(rects[0].width() > 20.0);
        assert!(block.hit(rects[0].center().to_vec2()) >= 5);
    }

    proptest::proptest! {
        #[test]
        fn every_character_is_shown_once_on_some_line(
            text in "[a-z0-9 ().,\u{05d0}-\u{05d4}\u{0627}-\u{062a}\u{0660}-\u{0663}\u{060c}]{0,60}",
            width in 2usize..30,
        ) {
            let info = BidiInfo::new(&text, None);
            let atoms = atoms(&text, &info, &[]);
            let widths: Vec<f32> = atoms.iter().map(|a| a.chars.len() as f32).collect();
            let mut seen = Vec::new();
            for line in break_lines(&atoms, &widths, width as f32) {
                let mut order = visual_order(&info, &atoms, line.clone());
                proptest::prop_assert_eq!(order.len(), line.len());
                order.sort_unstable();
                proptest::prop_assert_eq!(order, line.clone().collect::<Vec<_>>());
                seen.extend(line.flat_map(|i| atoms[i].chars.clone()));
            }
            proptest::prop_assert_eq!(seen, (0..text.chars().count()).collect::<Vec<_>>());
        }
    }

    #[test]
    fn atoms_never_cross_a_format_cut() {
        let text = "قالت وزارة";
        let info = BidiInfo::new(text, None);
        // A highlight starting inside the second word.
        let cut = text.char_indices().nth(7).expect("char").0;
        let a = atoms(text, &info, &[0, cut]);
        assert!(a.iter().any(|x| x.bytes.start == cut));
        assert!(a.iter().all(|x| x.bytes.start >= cut || x.bytes.end <= cut));
    }
}
