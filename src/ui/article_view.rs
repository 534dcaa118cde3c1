//! The reading view: one galley per paragraph block, laid out only when visible and cached,
//! so that a frame costs what is on screen, not what is in the article.
//!
//! Owns the text selection (UI state). Changes to annotations are pushed as [`Command`]s.

use std::hash::{Hash, Hasher};
use std::ops::Range;
use std::sync::Arc;

use egui::text::{LayoutJob, TextFormat};
use egui::{Align, Color32, FontId, Galley, Key, Pos2, Rect, Sense, Stroke, Ui, Vec2, pos2, vec2};

use super::bidi::{self, BidiBlock};
use super::theme;
use crate::command::{Action, Command};
use crate::model::provenance::Style;
use crate::model::{Annotation, AnnotationId, Article, Span};
use crate::session::Session;

/// The text selection: `anchor` is where it started, `cursor` where it ends (code points).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Selection {
    pub anchor: usize,
    pub cursor: usize,
}

impl Selection {
    pub fn caret(pos: usize) -> Self {
        Self {
            anchor: pos,
            cursor: pos,
        }
    }

    pub fn span(&self) -> Span {
        Span::between(self.anchor, self.cursor)
    }
}

/// A highlight fragment that touches a block.
#[derive(Clone, Copy, Debug)]
struct Mark {
    span: Span,
    /// Index into `AnnotationSet::as_slice`.
    ann: usize,
    /// Length of the whole annotation; shorter ones are drawn on top.
    extent_len: usize,
}

struct Cached {
    key: u64,
    laid: Laid,
}

/// A block as laid out: by egui in one galley, or (with right-to-left text) atom by atom in
/// visual order by [`BidiBlock`]. Positions are relative to the block's top left.
#[derive(Clone)]
enum Laid {
    Plain(Arc<Galley>),
    Bidi(Arc<BidiBlock>),
}

impl Laid {
    fn size(&self) -> Vec2 {
        match self {
            Self::Plain(g) => g.size(),
            Self::Bidi(b) => b.size(),
        }
    }

    fn paint(&self, painter: &egui::Painter, origin: Pos2, color: Color32) {
        match self {
            Self::Plain(g) => painter.galley(origin, g.clone(), color),
            Self::Bidi(b) => b.paint(painter, origin, color),
        }
    }

    /// The code point (within the block) nearest to a point relative to the block.
    fn hit(&self, rel: Vec2) -> usize {
        match self {
            Self::Plain(g) => g.cursor_from_pos(rel).index.0,
            Self::Bidi(b) => b.hit(rel),
        }
    }

    /// The caret before code point `local` of the block.
    fn caret(&self, local: usize) -> Rect {
        match self {
            Self::Plain(g) => g.pos_from_cursor(egui::text::CCursor::new(local)),
            Self::Bidi(b) => b.caret(local),
        }
    }

    /// Boxes around the code points `span` of the block, one per line (or atom).
    fn span_rects(&self, span: Range<usize>) -> Vec<Rect> {
        let g = match self {
            Self::Plain(g) => g,
            Self::Bidi(b) => return b.span_rects(span),
        };
        let a = g.pos_from_cursor(egui::text::CCursor::new(span.start));
        let b = g.pos_from_cursor(egui::text::CCursor::new(span.end));
        let mut out = Vec::new();
        for row in &g.rows {
            let r = row.rect();
            if r.max.y <= a.min.y + 0.5 || r.min.y >= b.max.y - 0.5 {
                continue;
            }
            let left = if (r.min.y - a.min.y).abs() < 0.5 {
                a.min.x
            } else {
                r.min.x
            };
            let right = if (r.min.y - b.min.y).abs() < 0.5 {
                b.min.x
            } else {
                r.max.x
            };
            out.push(Rect::from_min_max(
                pos2(left, r.min.y),
                pos2(right, r.max.y),
            ));
        }
        out
    }
}

/// Per-article state of the reading view.
#[derive(Default)]
pub struct ArticleView {
    pub selection: Option<Selection>,
    /// Multiplies the body text size (Ctrl+plus / Ctrl+minus).
    pub zoom: f32,
    /// The widest a line of text gets, in points (before zoom).
    pub reading_width: f32,
    /// Scroll so that this code-point position is visible, on the next frame.
    pub scroll_to: Option<usize>,
    cache: Vec<Option<Cached>>,
    heights: Vec<f32>,
    measured: Vec<bool>,
    layout_key: (u32, u32),
    marks: Vec<Vec<Mark>>,
    marks_revision: Option<u64>,
    /// The primary button went down on the text and has not been released yet.
    dragging: bool,
    /// The drag moves an end of the selected annotation.
    resizing: Option<Resize>,
    /// The drag (with Ctrl) adds a fragment to this annotation.
    fragment_for: Option<AnnotationId>,
    /// The drag (with Alt) marks the source's name for this annotation.
    source_for: Option<AnnotationId>,
    /// Blocks laid out in the last frame, with their screen rectangles (for hit tests).
    visible: Vec<(usize, Rect, Laid)>,
    /// A span briefly outlined after a jump from the review, and since when.
    emphasis: Option<(Span, std::time::Instant)>,
    /// Suggested claims' pieces, outlined (thicker for the current one), in text order, and
    /// the revision they were given for.
    suggested: Vec<(Span, bool)>,
    suggested_revision: u64,
    /// What else shapes the cached galleys (theme, fonts, scale), as of the last frame.
    env: Option<LayoutEnv>,
    /// A small galley egui lays out for us every frame from its own cache: when egui hands back
    /// another one, it emptied its cache, which it does when it clears its font atlas (the
    /// atlas filled up, the text options changed), and cached galleys point at glyphs that are
    /// gone.
    canary: Option<Arc<Galley>>,
    /// Start at the top on the next frame (a newly opened article).
    to_top: bool,
    /// What the open context menu acts on: the text selection, or a highlight.
    menu_target: Option<MenuTarget>,
}

/// Everything besides the runs that shapes a paragraph's galley. Galleys bake in their colours
/// and point into egui's font atlas, which egui clears when the text options change (a theme
/// switch changes how glyphs are rasterised), so a galley laid out under another `LayoutEnv`
/// draws wrong colours or broken glyphs.
#[derive(Clone, PartialEq)]
struct LayoutEnv {
    dark: bool,
    text: Color32,
    strong: Color32,
    link: Color32,
    text_options: egui::epaint::text::TextOptions,
    pixels_per_point: f32,
    /// Identifies the installed fonts (names, data, families, fonts found on the system).
    fonts: u64,
    font_size: f32,
}

impl LayoutEnv {
    fn of(ui: &Ui, font_size: f32) -> Self {
        let visuals = ui.visuals();
        let (text_options, fonts) = ui.fonts(|f| {
            let mut h = std::collections::hash_map::DefaultHasher::new();
            let definitions = f.definitions();
            for (name, data) in &definitions.font_data {
                name.hash(&mut h);
                (Arc::as_ptr(data) as usize).hash(&mut h);
            }
            definitions.families.hash(&mut h);
            f.discovered_fonts().len().hash(&mut h);
            (*f.options(), h.finish())
        });
        Self {
            dark: visuals.dark_mode,
            text: theme::body_text(visuals),
            strong: visuals.strong_text_color(),
            link: visuals.hyperlink_color,
            text_options,
            pixels_per_point: ui.ctx().pixels_per_point(),
            fonts,
            font_size,
        }
    }
}

/// What a right-click on the text acts on.
#[derive(Clone, Debug, PartialEq)]
enum MenuTarget {
    /// The text selection (if any).
    Text,
    /// A highlight, selected by the right-click.
    Highlight(AnnotationId),
}

/// Where the text column is on screen this frame.
#[derive(Clone, Copy)]
struct Column {
    /// The left edge of the text (a block's indent is added to it).
    left: f32,
    /// The screen position of the article's top.
    top: f32,
    /// The wrap width (a block's indent is taken from it).
    width: f32,
}

/// How long a jumped-to claim stays outlined.
const EMPHASIS: std::time::Duration = std::time::Duration::from_millis(1600);

impl ArticleView {
    pub fn new(zoom: f32) -> Self {
        Self {
            zoom,
            reading_width: theme::READING_WIDTH,
            ..Self::default()
        }
    }

    /// Forgets everything about the previous article; the next one starts at its top.
    pub fn reset(&mut self) {
        let (zoom, width) = (self.zoom, self.reading_width);
        *self = Self::new(zoom);
        self.reading_width = width;
        self.to_top = true;
    }

    /// Drops cached layouts and highlight indexes (e.g. after tag colours changed).
    pub fn invalidate(&mut self) {
        self.marks_revision = None;
        self.cache.iter_mut().for_each(|c| *c = None);
    }

    /// Outlines `span` for a moment (a claim opened from the review).
    pub fn emphasise(&mut self, span: Span) {
        self.emphasis = Some((span, std::time::Instant::now()));
    }

    /// Outlines suggested claims: `outlines` (pieces in text order, and whether each belongs
    /// to the current suggestion) is called only when `revision` changed.
    pub fn set_suggestions(&mut self, revision: u64, outlines: impl FnOnce() -> Vec<(Span, bool)>) {
        if revision != self.suggested_revision {
            self.suggested = outlines();
            self.suggested_revision = revision;
        }
    }

    /// The suggested claims' outlines as last given (for tests).
    pub fn suggestion_outlines(&self) -> &[(Span, bool)] {
        &self.suggested
    }

    /// The span being outlined, while it is.
    pub fn emphasised(&self) -> Option<Span> {
        self.emphasis
            .filter(|(_, t)| t.elapsed() < EMPHASIS)
            .map(|(s, _)| s)
    }

    /// The galley paragraph `block` was painted with in the last frame, if it was on screen
    /// (and laid out by egui, not by [`BidiBlock`]). For tests.
    pub fn painted_galley(&self, block: usize) -> Option<Arc<Galley>> {
        self.visible.iter().find_map(|(i, _, laid)| match laid {
            Laid::Plain(g) if *i == block => Some(g.clone()),
            _ => None,
        })
    }

    /// Drops cached layouts made under other visuals, fonts or scale, or pointing into a font
    /// atlas egui has since cleared.
    fn check_layout_env(&mut self, ui: &Ui) {
        let env = LayoutEnv::of(ui, self.font_size());
        let canary = ui.fonts_mut(|f| {
            f.layout_no_wrap(
                "Claimmark".to_owned(),
                FontId::proportional(theme::BODY_TEXT_SIZE),
                Color32::PLACEHOLDER,
            )
        });
        let atlas_cleared = self
            .canary
            .as_ref()
            .is_some_and(|c| !Arc::ptr_eq(c, &canary));
        if self.env.as_ref() != Some(&env) || atlas_cleared {
            self.cache.iter_mut().for_each(|c| *c = None);
            self.env = Some(env);
        }
        self.canary = Some(canary);
    }

    /// The selected text span, if it is not empty.
    pub fn selected_span(&self) -> Option<Span> {
        self.selection.map(|s| s.span()).filter(|s| !s.is_empty())
    }

    pub fn select(&mut self, span: Span) {
        self.selection = Some(Selection {
            anchor: span.start,
            cursor: span.end,
        });
        self.scroll_to = Some(span.start);
    }

    fn font_size(&self) -> f32 {
        theme::BODY_TEXT_SIZE * self.zoom
    }

    /// Indexes the highlights by block, once per revision of the annotations. Every edit
    /// renumbers the annotations after it, so the index is rebuilt whole; it is one pass over
    /// the annotations and the blocks (both in text order), into the lists of the last build,
    /// so an edit costs no allocation and no search per highlight.
    fn rebuild_marks(&mut self, session: &Session) {
        let revision = session.annotations().revision();
        let blocks = &session.article().blocks;
        if self.marks_revision == Some(revision) && self.marks.len() == blocks.len() {
            return;
        }
        if self.marks.len() == blocks.len() {
            self.marks.iter_mut().for_each(Vec::clear);
        } else {
            self.marks = vec![Vec::new(); blocks.len()];
        }
        // The first block that ends after the last fragment's start (`Article::blocks_of`):
        // fragments come nearly in text order, so it only moves forward, a block at a time.
        let (mut first, mut from) = (0, 0);
        for (i, ann) in session.annotations().as_slice().iter().enumerate() {
            if ann.anchor.orphaned {
                continue; // its offsets refer to text that is gone
            }
            let extent_len = ann.extent().len();
            for f in &ann.fragments {
                if f.span.start < from {
                    first = blocks.partition_point(|b| b.chars.end <= f.span.start);
                } else {
                    while blocks
                        .get(first)
                        .is_some_and(|b| b.chars.end <= f.span.start)
                    {
                        first += 1;
                    }
                }
                from = f.span.start;
                // Blocks are never empty, so those from `first` on that start before the
                // fragment's end are the ones it touches.
                let mut b = first;
                while let Some(block) = blocks.get(b)
                    && block.chars.start < f.span.end
                {
                    if let Some(list) = self.marks.get_mut(b) {
                        list.push(Mark {
                            span: f.span,
                            ann: i,
                            extent_len,
                        });
                    }
                    b += 1;
                }
            }
        }
        self.marks_revision = Some(revision);
        // Highlight formats are part of each galley's cache key, so no galley is reused wrongly.
    }

    fn ensure_sizes(&mut self, article: &Article, wrap_width: f32) {
        let key = (wrap_width.to_bits(), self.font_size().to_bits());
        let n = article.blocks.len();
        if key == self.layout_key && self.heights.len() == n {
            return;
        }
        self.layout_key = key;
        let font = self.font_size();
        let chars_per_row = (wrap_width / (font * 0.48)).max(10.0);
        let row = font * LINE_HEIGHT;
        self.heights = article
            .blocks
            .iter()
            .map(|b| ((b.chars.len() as f32 / chars_per_row).ceil().max(1.0)) * row)
            .collect();
        self.measured = vec![false; n];
        self.cache = (0..n).map(|_| None).collect();
    }

    fn gap_before(&self, article: &Article, i: usize) -> f32 {
        match article.blocks.get(i) {
            Some(b) if i > 0 && b.gap_before => self.font_size() * 0.9,
            Some(_) if i > 0 => self.font_size() * 0.2,
            _ => 0.0,
        }
    }

    /// Shows the article and handles selection; pushes commands for annotation changes.
    pub fn ui(
        &mut self,
        ui: &mut Ui,
        session: &Session,
        selected: Option<&AnnotationId>,
        commands: &mut Vec<Command>,
    ) {
        let article = &session.article();
        let margin = 24.0;
        let wrap_width = (self.reading_width * self.zoom.max(1.0))
            .min(ui.available_width() - 2.0 * margin)
            .max(120.0);
        self.ensure_sizes(article, wrap_width);
        self.check_layout_env(ui);
        self.rebuild_marks(session);
        // Resizing and adding pieces apply to the selected annotation unless it is an orphan:
        // its offsets point at text that is gone, and only Re-attach changes it.
        let editable = selected.filter(|id| {
            session
                .annotations()
                .get(id)
                .is_some_and(|a| !a.anchor.orphaned)
        });
        self.keyboard(ui, session, editable, commands);

        let (tops, height) = self.block_tops(article);
        let total = height + margin;

        let scroll_to = self.scroll_to.take();
        let id = ui.scope_id().with("article_text");
        let mut scroll = egui::ScrollArea::vertical()
            .id_salt("article_scroll")
            .auto_shrink([false, false]);
        if std::mem::take(&mut self.to_top) {
            // One scroll area serves every article (and egui remembers its offset): a newly
            // opened article starts at its top, not where the previous one was left.
            scroll = scroll.vertical_scroll_offset(0.0);
        }
        scroll.show_viewport(ui, |ui, viewport| {
            ui.set_min_height(total);
            let origin = ui.max_rect().min;
            let column = Column {
                left: origin.x + ((ui.max_rect().width() - wrap_width) / 2.0).max(margin),
                top: origin.y,
                width: wrap_width,
            };
            if let Some(pos) = scroll_to {
                self.scroll_to_position(ui, article, &tops, column, viewport, pos);
            }
            self.paint_visible(ui, session, selected, &tops, viewport, column);
            self.expose_visible(ui, article, id);
            let view_rect = Rect::from_min_size(origin + viewport.min.to_vec2(), viewport.size());
            let response = ui.interact(view_rect, id, Sense::click_and_drag());
            self.pointer(ui, &response, session, editable, commands);
            self.highlight_tooltip(&response, session);
            self.context_menu(&response, session, commands);
        });
    }

    /// The highlight under a screen point (the shortest one where they overlap, as drawn on
    /// top), from the blocks laid out this frame.
    fn highlight_at<'s>(&self, session: &'s Session, pos: Pos2) -> Option<&'s Annotation> {
        let (i, rect, laid) = self.visible.iter().find(|(_, r, _)| r.contains(pos))?;
        let block = session.article().blocks.get(*i)?;
        let mut marks: Vec<&Mark> = self.marks.get(*i)?.iter().collect();
        marks.sort_by_key(|m| m.extent_len);
        let rel = (pos - rect.min).to_pos2();
        let mark = marks.into_iter().find(|m| {
            let start = m.span.start.max(block.chars.start) - block.chars.start;
            let end = m.span.end.min(block.chars.end).max(block.chars.start) - block.chars.start;
            start < end && laid.span_rects(start..end).iter().any(|r| r.contains(rel))
        })?;
        session.annotations().as_slice().get(mark.ann)
    }

    /// Hovering a highlight shows what it is: tags, who said it, grade, status, the note.
    fn highlight_tooltip(&self, response: &egui::Response, session: &Session) {
        if self.dragging {
            return;
        }
        let Some(ann) = response
            .hover_pos()
            .and_then(|pos| self.highlight_at(session, pos))
        else {
            return;
        };
        egui::Tooltip::for_enabled(response)
            .at_pointer()
            .gap(12.0)
            .show(|ui| highlight_summary_ui(ui, session, ann));
    }

    /// The right-click menu on the text: on a highlight (which the right-click selects) or on
    /// the text selection: tag, copy, copy with its citation; on a highlight, delete.
    fn context_menu(
        &mut self,
        response: &egui::Response,
        session: &Session,
        commands: &mut Vec<Command>,
    ) {
        if response.secondary_clicked()
            && let Some(pos) = response.interact_pointer_pos()
        {
            let in_selection = self.selected_span().is_some_and(|s| {
                self.hit(session.article(), pos)
                    .is_some_and(|c| s.start <= c && c <= s.end)
            });
            self.menu_target = match self.highlight_at(session, pos) {
                Some(ann) if !in_selection => {
                    self.selection = None;
                    commands.push(Command::SelectAnnotation(ann.id.clone()));
                    Some(MenuTarget::Highlight(ann.id.clone()))
                }
                _ => Some(MenuTarget::Text),
            };
        }
        response.context_menu(|ui| {
            let highlight = match &self.menu_target {
                Some(MenuTarget::Highlight(id)) => session.annotations().get(id),
                _ => None,
            };
            let has_text = self.selected_span().is_some();
            let writable = session.read_only().is_none();
            let something = has_text || highlight.is_some();
            ui.add_enabled_ui(something && writable, |ui| {
                ui.menu_button("Tag with…", |ui| {
                    tag_menu_ui(ui, session, highlight, commands);
                });
            });
            super::command_button(ui, Action::Copy, something, commands);
            super::command_button(ui, Action::CopyWithCitation, something, commands);
            if !something {
                ui.weak("Select some text first");
            }
            if has_text
                && let Some(span) = self.selected_span()
                && ui
                    .button("Find in folder")
                    .on_hover_text("The review, showing every claim of the folder with these words")
                    .clicked()
            {
                let words = session.article().slice(span).to_owned();
                commands.push(Command::FindInFolder(words));
            }
            if let Some(ann) = highlight {
                super::open_in_review_button(ui, &ann.id, commands);
                ui.separator();
                if ui
                    .add_enabled(writable, egui::Button::new("Delete"))
                    .on_hover_text("Delete this annotation")
                    .clicked()
                {
                    commands.push(Command::Remove(ann.id.clone()));
                }
            }
        });
    }

    /// Each block's top, from the article's top (the gaps between blocks included), and where
    /// the last block ends. Heights not yet measured are estimates.
    fn block_tops(&self, article: &Article) -> (Vec<f32>, f32) {
        let mut tops = Vec::with_capacity(article.blocks.len() + 1);
        let mut y = 0.0;
        for i in 0..article.blocks.len() {
            y += self.gap_before(article, i);
            tops.push(y);
            y += self.heights[i];
        }
        (tops, y)
    }

    /// Scrolls the block holding code point `pos` to the middle of the view, unless the line
    /// holding it is already wholly in view (`viewport`, in the article's coordinates): then
    /// the text stays put, so a click on a highlight or a step of the selection does not move
    /// the words under the pointer.
    fn scroll_to_position(
        &self,
        ui: &Ui,
        article: &Article,
        tops: &[f32],
        column: Column,
        viewport: Rect,
        pos: usize,
    ) {
        let b = article.block_at(pos);
        if let (Some(&top), Some(Some(cached)), Some(block)) =
            (tops.get(b), self.cache.get(b), article.blocks.get(b))
        {
            let local = pos.saturating_sub(block.chars.start).min(block.chars.len());
            let line = cached.laid.caret(local).translate(vec2(0.0, top));
            if viewport.min.y <= line.top() && line.bottom() <= viewport.max.y {
                return;
            }
        }
        if let Some(&top) = tops.get(b) {
            let h = self.heights.get(b).copied().unwrap_or(0.0);
            let rect =
                Rect::from_min_size(pos2(column.left, column.top + top), vec2(column.width, h));
            ui.scroll_to_rect(rect, Some(Align::Center));
        }
    }

    /// Lays out (or takes from the cache) and paints the blocks in `viewport`, remembering
    /// them in `visible` and their measured heights; then the caret and the emphasis.
    fn paint_visible(
        &mut self,
        ui: &Ui,
        session: &Session,
        selected: Option<&AnnotationId>,
        tops: &[f32],
        viewport: Rect,
        column: Column,
    ) {
        let article = &session.article();
        let (left, wrap_width) = (column.left, column.width);
        let first = tops
            .partition_point(|&t| t < viewport.min.y)
            .saturating_sub(1);
        self.visible.clear();
        let mut y = tops.get(first).copied().unwrap_or(0.0);
        let mut changed_height = false;
        let text_color = theme::body_text(ui.visuals());
        let dark = ui.visuals().dark_mode;
        let mut i = first;
        while i < article.blocks.len() && y < viewport.max.y {
            if i > first {
                y += self.gap_before(article, i);
            }
            let look = block_look(article.blocks[i].style);
            let width = wrap_width - look.indent;
            let laid = self.galley(ui, session, i, width, text_color, dark, selected);
            let h = laid.size().y;
            if (self.heights[i] - h).abs() > 0.5 {
                changed_height = true;
            }
            self.heights[i] = h;
            self.measured[i] = true;
            // Right-to-left paragraphs are indented (and quotes marked) from the right.
            let rtl = matches!(&laid, Laid::Bidi(b) if b.is_rtl());
            let x = if rtl { left } else { left + look.indent };
            let rect = Rect::from_min_size(pos2(x, column.top + y), vec2(width, h));
            if look.quote {
                let x = if rtl {
                    left + wrap_width - 6.0
                } else {
                    left + 6.0
                };
                ui.painter().line_segment(
                    [pos2(x, rect.top() + 2.0), pos2(x, rect.bottom() - 2.0)],
                    Stroke::new(3.0, ui.visuals().weak_text_color()),
                );
            }
            laid.paint(ui.painter(), rect.min, text_color);
            self.visible.push((i, rect, laid));
            y += h;
            i += 1;
        }
        if changed_height {
            ui.ctx().request_repaint();
        }
        self.paint_caret(ui, article, text_color);
        self.paint_suggestions(ui, article);
        self.paint_emphasis(ui, article);
    }

    /// Outlines the suggested claims on screen, unfilled: a thin dashed box around each
    /// line of a suggestion, a solid thicker one around the current suggestion's.
    fn paint_suggestions(&self, ui: &Ui, article: &Article) {
        let color = theme::suggestion_stroke(ui.visuals().dark_mode);
        for (i, rect, laid) in &self.visible {
            let block = &article.blocks[*i];
            // Pieces are in text order and do not overlap: those ending after the block's
            // start, among those starting before its end.
            let upto = self
                .suggested
                .partition_point(|(s, _)| s.start < block.chars.end);
            let here = self.suggested[..upto]
                .iter()
                .rev()
                .take_while(|(s, _)| s.end > block.chars.start);
            for (span, current) in here {
                let start = span.start.max(block.chars.start) - block.chars.start;
                let end = span.end.min(block.chars.end) - block.chars.start;
                // A piece that starts with the space at a line's end has an empty box there.
                for r in laid
                    .span_rects(start..end)
                    .into_iter()
                    .filter(|r| r.width() > 2.0)
                {
                    let r = r.translate(rect.min.to_vec2()).expand(1.5);
                    if *current {
                        ui.painter().rect_stroke(
                            r,
                            3.0,
                            Stroke::new(2.5, color),
                            egui::StrokeKind::Outside,
                        );
                    } else {
                        dashed_box(ui.painter(), r, Stroke::new(1.2, color));
                    }
                }
            }
        }
    }

    /// Exposes each visible paragraph to screen readers (and to UI tests).
    fn expose_visible(&self, ui: &Ui, article: &Article, id: egui::Id) {
        for (i, rect, _) in &self.visible {
            let text = article.slice(article.blocks[*i].chars).to_owned();
            let r = ui.interact(*rect, id.with(("block", *i)), Sense::hover());
            r.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Label, true, text.clone()));
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn galley(
        &mut self,
        ui: &Ui,
        session: &Session,
        i: usize,
        wrap_width: f32,
        text_color: Color32,
        dark: bool,
        selected: Option<&AnnotationId>,
    ) -> Laid {
        let article = &session.article();
        let block = &article.blocks[i];
        let text = &article.text[block.bytes.clone()];
        let runs = self.runs(session, i, text, dark, selected);
        let mut hasher = std::collections::hash_map::DefaultHasher::new();
        runs.hash(&mut hasher);
        let key = hasher.finish();
        if let Some(Some(c)) = self.cache.get(i)
            && c.key == key
        {
            return c.laid.clone();
        }
        let look = block_look(block.style);
        let size = self.font_size() * look.scale;
        let visuals = ui.visuals();
        let mut job = LayoutJob::default();
        job.wrap.max_width = wrap_width;
        for run in &runs {
            let font_id = if look.code || run.look.code {
                FontId::monospace(size * 0.95)
            } else {
                FontId::proportional(size)
            };
            let color = if run.look.link {
                visuals.hyperlink_color
            } else if look.strong || run.look.strong {
                visuals.strong_text_color()
            } else {
                text_color
            };
            job.append(
                &text[run.bytes.clone()],
                0.0,
                TextFormat {
                    font_id,
                    color,
                    background: run.background,
                    underline: run.underline,
                    italics: look.quote || run.look.italic,
                    line_height: Some(size * LINE_HEIGHT),
                    ..Default::default()
                },
            );
        }
        let laid = if bidi::needs_bidi(text) {
            let formats: Vec<(Range<usize>, TextFormat)> = job
                .sections
                .iter()
                .map(|s| (s.byte_range.start.0..s.byte_range.end.0, s.format.clone()))
                .collect();
            Laid::Bidi(Arc::new(
                ui.fonts_mut(|f| BidiBlock::layout(f, text, &formats, wrap_width)),
            ))
        } else {
            Laid::Plain(ui.fonts_mut(|f| f.layout_job(job)))
        };
        if let Some(slot) = self.cache.get_mut(i) {
            *slot = Some(Cached {
                key,
                laid: laid.clone(),
            });
        }
        laid
    }

    /// Splits a block into runs of equal formatting: highlights, overlaps and the selection.
    fn runs(
        &self,
        session: &Session,
        i: usize,
        text: &str,
        dark: bool,
        selected: Option<&AnnotationId>,
    ) -> Vec<Run> {
        let block = &session.article().blocks[i];
        let base = block.chars.start;
        let len = block.chars.len();
        let marks = self.marks.get(i).map(Vec::as_slice).unwrap_or(&[]);
        let sel = self.selected_span();
        let mut cuts = vec![0, len];
        let local = |p: usize| p.saturating_sub(base).min(len);
        for m in marks {
            cuts.push(local(m.span.start));
            cuts.push(local(m.span.end));
        }
        if let Some(s) = sel {
            cuts.push(local(s.start));
            cuts.push(local(s.end));
        }
        let styles = inline_styles(session.article(), block.chars);
        for m in styles {
            cuts.push(local(m.span.start));
            cuts.push(local(m.span.end));
        }
        cuts.sort_unstable();
        cuts.dedup();
        // Map code-point cuts to byte offsets in one pass.
        let mut bytes = Vec::with_capacity(cuts.len());
        let mut next = cuts.iter().peekable();
        for (ci, (bi, _)) in text
            .char_indices()
            .chain(std::iter::once((text.len(), ' ')))
            .enumerate()
        {
            while next.peek().is_some_and(|&&c| c == ci) {
                bytes.push(bi);
                next.next();
            }
        }
        let anns = session.annotations().as_slice();
        let mut runs = Vec::with_capacity(cuts.len());
        for (w, b) in cuts.windows(2).zip(bytes.windows(2)) {
            let (a, z) = (base + w[0], base + w[1]);
            let piece = Span { start: a, end: z };
            let mut covering: Vec<&Mark> =
                marks.iter().filter(|m| m.span.overlaps(&piece)).collect();
            covering.sort_by_key(|m| m.extent_len);
            let color_of = |m: &Mark| {
                anns.get(m.ann)
                    .and_then(|ann| ann.tags.first())
                    .and_then(|t| session.codebook().tag(t))
                    .map_or(crate::model::Rgb([150, 150, 150]), |t| t.color)
            };
            let is_selected =
                |m: &Mark| anns.get(m.ann).is_some_and(|ann| Some(&ann.id) == selected);
            let mut background = covering.first().map_or(Color32::TRANSPARENT, |m| {
                theme::highlight_fill(color_of(m), is_selected(m), dark)
            });
            let underline = covering
                .get(1)
                .map_or(Stroke::NONE, |m| theme::overlap_stroke(color_of(m)));
            if sel.is_some_and(|s| s.overlaps(&piece)) {
                background = theme::selection_fill(dark);
            }
            let mut look = Look::default();
            for m in styles.iter().filter(|m| m.span.overlaps(&piece)) {
                match m.style {
                    Style::Emphasis => look.italic = true,
                    Style::Strong | Style::Heading(_) => look.strong = true,
                    Style::Link => look.link = true,
                    Style::Code => look.code = true,
                    Style::Quote | Style::ListItem => {}
                }
            }
            runs.push(Run {
                bytes: b[0]..b[1],
                background,
                underline,
                look,
            });
        }
        runs
    }

    /// A thin caret where a click put an empty selection, so Shift+arrows have a visible start.
    fn paint_caret(&self, ui: &Ui, article: &Article, color: Color32) {
        let Some(sel) = self.selection.filter(|s| s.anchor == s.cursor) else {
            return;
        };
        let Some((i, rect, laid)) = self.visible.iter().find(|(i, _, _)| {
            let b = &article.blocks[*i];
            b.chars.start <= sel.cursor && sel.cursor <= b.chars.end
        }) else {
            return;
        };
        let local = sel.cursor - article.blocks[*i].chars.start;
        let at = laid.caret(local);
        let top = rect.min + at.min.to_vec2();
        ui.painter()
            .vline(top.x, top.y..=top.y + at.height(), Stroke::new(1.5, color));
    }

    /// Outlines the emphasised span, fading out, line by line where it is on screen.
    fn paint_emphasis(&mut self, ui: &Ui, article: &Article) {
        let Some((span, since)) = self.emphasis else {
            return;
        };
        let t = since.elapsed().as_secs_f32() / EMPHASIS.as_secs_f32();
        if t >= 1.0 {
            self.emphasis = None;
            return;
        }
        let color = ui
            .visuals()
            .selection
            .stroke
            .color
            .gamma_multiply(1.0 - t * t);
        for (i, rect, laid) in &self.visible {
            let block = &article.blocks[*i];
            let start = span.start.max(block.chars.start);
            let end = span.end.min(block.chars.end);
            if start >= end {
                continue;
            }
            let local = start - block.chars.start..end - block.chars.start;
            for r in laid.span_rects(local) {
                ui.painter().rect_stroke(
                    r.translate(rect.min.to_vec2()).expand(2.0),
                    3.0,
                    Stroke::new(2.5, color),
                    egui::StrokeKind::Outside,
                );
            }
        }
        ui.ctx().request_repaint();
    }

    /// The code-point position under a screen point, from the blocks laid out last frame.
    fn hit(&self, article: &Article, pos: Pos2) -> Option<usize> {
        let (i, rect, laid) = self
            .visible
            .iter()
            .min_by(|a, b| dist_y(a.1, pos).total_cmp(&dist_y(b.1, pos)))?;
        let local = laid.hit(pos - rect.min);
        let block = article.blocks.get(*i)?;
        Some((block.chars.start + local).min(block.chars.end))
    }

    /// Screen rectangle of the caret position `pos`, if its paragraph is on screen.
    fn screen_rect_of(&self, article: &Article, pos: usize) -> Option<Rect> {
        let (i, rect, laid) = self.visible.iter().find(|(i, _, _)| {
            let b = &article.blocks[*i];
            b.chars.start <= pos && pos <= b.chars.end
        })?;
        let local = pos - article.blocks[*i].chars.start;
        let at = laid.caret(local);
        Some(at.translate(rect.min.to_vec2()))
    }

    /// Which end of the selected annotation is under the pointer, if any.
    fn end_under(
        &self,
        session: &Session,
        selected: Option<&AnnotationId>,
        pos: Pos2,
    ) -> Option<Resize> {
        let ann = session.annotations().get(selected?)?;
        let first = ann.fragments.first()?.span.start;
        let last = ann.fragments.last()?.span.end;
        let near = |p: usize| {
            self.screen_rect_of(session.article(), p).is_some_and(|r| {
                (r.left() - pos.x).abs() <= 5.0
                    && r.top() - 2.0 <= pos.y
                    && pos.y <= r.bottom() + 2.0
            })
        };
        if near(last) {
            Some(Resize {
                id: ann.id.clone(),
                start: false,
                fixed: first,
            })
        } else if near(first) {
            Some(Resize {
                id: ann.id.clone(),
                start: true,
                fixed: last,
            })
        } else {
            None
        }
    }

    fn pointer(
        &mut self,
        ui: &Ui,
        response: &egui::Response,
        session: &Session,
        selected: Option<&AnnotationId>,
        commands: &mut Vec<Command>,
    ) {
        let article = &session.article();
        // Raw pointer state rather than `drag_started`, so that even a press, move and release
        // arriving in one frame (fast drags, scripted input) selects what was dragged over.
        let (press, down, latest, hover) = ui.input(|i| {
            // From the events: egui forgets the press origin once the button is released.
            let press = i.events.iter().find_map(|e| match e {
                egui::Event::PointerButton {
                    pos,
                    button: egui::PointerButton::Primary,
                    pressed: true,
                    modifiers,
                } => Some((*pos, *modifiers)),
                _ => None,
            });
            (
                press,
                i.pointer.primary_down(),
                i.pointer.latest_pos(),
                i.pointer.hover_pos(),
            )
        });
        if let Some(h) = hover
            && response.hovered()
            && (self.resizing.is_some() || self.end_under(session, selected, h).is_some())
        {
            ui.ctx().set_cursor_icon(egui::CursorIcon::ResizeHorizontal);
        }
        let origin = press.filter(|(p, _)| {
            response.rect.contains(*p) && ui.ctx().layer_id_at(*p) == Some(response.layer_id)
        });
        if let Some((p, modifiers)) = origin
            && let Some(c) = self.hit(article, p)
        {
            self.start_drag(session, selected, p, c, modifiers, commands);
        }
        if self.dragging
            && let Some(pos) = latest
            && self.drag(ui, response, session, pos, down, commands)
        {
            return;
        }
        self.click(ui, response, session, commands);
    }

    /// A press on the text at code point `c` (screen point `p`) starts a drag: on an end of
    /// the selected annotation it resizes it; with Ctrl it adds a fragment to it, with Alt it
    /// marks its source's name; otherwise it selects text (with Shift, extends the selection).
    fn start_drag(
        &mut self,
        session: &Session,
        selected: Option<&AnnotationId>,
        p: Pos2,
        c: usize,
        modifiers: egui::Modifiers,
        commands: &mut Vec<Command>,
    ) {
        self.dragging = true;
        self.resizing = None;
        self.fragment_for = None;
        self.source_for = None;
        if let Some(resize) = self.end_under(session, selected, p) {
            // Drag an end of the selected annotation to resize it.
            self.selection = Some(Selection {
                anchor: resize.fixed,
                cursor: c,
            });
            self.resizing = Some(resize);
        } else if modifiers.command
            && let Some(id) = selected
        {
            // Ctrl+drag adds a fragment to the selected annotation.
            self.fragment_for = Some(id.clone());
            self.selection = Some(Selection::caret(c));
        } else if modifiers.alt
            && let Some(id) = selected
        {
            // Alt+drag marks who says it: the source's name in the text.
            self.source_for = Some(id.clone());
            self.selection = Some(Selection::caret(c));
        } else {
            match (&mut self.selection, modifiers.shift) {
                (Some(sel), true) => sel.cursor = c,
                _ => self.selection = Some(Selection::caret(c)),
            }
            commands.push(Command::Do(Action::Deselect));
        }
    }

    /// A drag in progress, the pointer at `pos`: the selection's cursor follows it, and the
    /// view scrolls while it is past the top or bottom edge. When the button is no longer
    /// `down` the drag ends; returns true if it ended a resize, fragment or source drag (so it
    /// is not also a click).
    fn drag(
        &mut self,
        ui: &Ui,
        response: &egui::Response,
        session: &Session,
        pos: Pos2,
        down: bool,
        commands: &mut Vec<Command>,
    ) -> bool {
        if let Some(c) = self.hit(session.article(), pos)
            && let Some(sel) = &mut self.selection
        {
            sel.cursor = c;
        }
        // Scroll while dragging past the top or bottom edge.
        let rect = response.rect;
        let dy = if pos.y < rect.top() + 20.0 {
            10.0
        } else if pos.y > rect.bottom() - 20.0 {
            -10.0
        } else {
            0.0
        };
        if down && dy != 0.0 {
            ui.scroll_with_delta(Vec2::new(0.0, dy));
            ui.ctx().request_repaint();
        }
        if !down {
            self.dragging = false;
            return self.finish_drag(session, commands);
        }
        false
    }

    /// A click on the text selects the annotation there or puts the caret there (with Shift,
    /// extends the selection); a double-click selects the word.
    fn click(
        &mut self,
        ui: &Ui,
        response: &egui::Response,
        session: &Session,
        commands: &mut Vec<Command>,
    ) {
        let article = &session.article();
        let Some(pos) = response.interact_pointer_pos() else {
            return;
        };
        let shift = ui.input(|i| i.modifiers.shift);
        if response.double_clicked() {
            if let Some(c) = self.hit(article, pos) {
                let word = article.word_at(c);
                self.selection = Some(Selection {
                    anchor: word.start,
                    cursor: word.end,
                });
                commands.push(Command::Do(Action::Deselect));
            }
        } else if response.clicked()
            && let Some(c) = self.hit(article, pos)
        {
            if shift && let Some(sel) = &mut self.selection {
                sel.cursor = c;
            } else if let Some(ann) = session.annotations().at(c).first() {
                self.selection = None;
                commands.push(Command::SelectAnnotation(ann.id.clone()));
            } else {
                self.selection = Some(Selection::caret(c));
                commands.push(Command::Do(Action::Deselect));
            }
        }
    }

    /// Ends a resize or a Ctrl+drag: the change becomes one annotation edit. Returns true if
    /// the drag was one of those (so it is not also a click).
    fn finish_drag(&mut self, session: &Session, commands: &mut Vec<Command>) -> bool {
        let span = self.selected_span();
        let special =
            self.resizing.is_some() || self.fragment_for.is_some() || self.source_for.is_some();
        if let Some(id) = self.source_for.take() {
            self.selection = None;
            if let (Some(span), Some(ann)) = (span, session.annotations().get(&id)) {
                let mut new = ann.clone();
                let fragment = crate::anchoring::capture(session.article(), span);
                if new.record.attributed_to.is_none() {
                    new.record.attributed_to = Some(session.sources().canonical(&fragment.quote));
                    if new.record.reliability.is_none() {
                        new.record.reliability = session
                            .sources()
                            .resolve(&fragment.quote)
                            .and_then(|s| s.reliability);
                    }
                }
                new.record.source_span = Some(fragment);
                commands.push(Command::UpdateAnnotation(Box::new(new)));
            }
            return true;
        }
        if let Some(resize) = self.resizing.take() {
            self.selection = None;
            if let (Some(span), Some(ann)) = (span, session.annotations().get(&resize.id)) {
                let mut spans: Vec<Span> = ann.fragments.iter().map(|f| f.span).collect();
                let moved = Span::between(
                    resize.fixed,
                    if span.start == resize.fixed {
                        span.end
                    } else {
                        span.start
                    },
                );
                if resize.start {
                    if let Some(first) = spans.first_mut() {
                        *first = Span::between(moved.start, first.end.max(moved.start + 1));
                    }
                } else if let Some(last) = spans.last_mut() {
                    *last = Span::between(last.start, moved.end.max(last.start + 1));
                }
                push_fragments(session, ann, spans, commands);
            }
        } else if let Some(id) = self.fragment_for.take()
            && let (Some(span), Some(ann)) = (span, session.annotations().get(&id))
        {
            self.selection = None;
            let mut spans: Vec<Span> = ann.fragments.iter().map(|f| f.span).collect();
            spans.push(span);
            push_fragments(session, ann, spans, commands);
        }
        self.fragment_for = None;
        special
    }

    /// Shift+arrows extend the selection; Ctrl (or Alt on a Mac) moves by words. With no text
    /// selection and an annotation selected, Shift+arrows move the annotation's end and
    /// Shift+Alt+arrows its start.
    fn keyboard(
        &mut self,
        ui: &Ui,
        session: &Session,
        selected: Option<&AnnotationId>,
        commands: &mut Vec<Command>,
    ) {
        if ui.ctx().egui_wants_keyboard_input() {
            return;
        }
        let article = &session.article();
        let keys = ui.input(|i| super::pressed_keys(i, |_, m| m.shift));
        if keys.is_empty() {
            return;
        }
        let len = article.char_len();
        let step = |pos: usize, key: Key, word: bool| match key {
            Key::ArrowLeft if word => article.previous_word_start(pos),
            Key::ArrowLeft => pos.saturating_sub(1),
            Key::ArrowRight if word => article.next_word_end(pos),
            Key::ArrowRight => (pos + 1).min(len),
            Key::Home => article
                .blocks
                .get(article.block_at(pos))
                .map_or(pos, |b| b.chars.start),
            Key::End => article
                .blocks
                .get(article.block_at(pos))
                .map_or(pos, |b| b.chars.end),
            _ => pos,
        };
        if let Some(sel) = &mut self.selection {
            let before = sel.cursor;
            for (key, m) in keys {
                sel.cursor = step(sel.cursor, key, m.command || m.alt);
            }
            if sel.cursor != before {
                self.scroll_to = Some(sel.cursor);
            }
        } else if let Some(ann) = selected.and_then(|id| session.annotations().get(id)) {
            let mut spans: Vec<Span> = ann.fragments.iter().map(|f| f.span).collect();
            for (key, m) in keys {
                if m.alt {
                    if let Some(first) = spans.first_mut() {
                        first.start =
                            step(first.start, key, m.command).min(first.end.saturating_sub(1));
                    }
                } else if let Some(last) = spans.last_mut() {
                    last.end = step(last.end, key, m.command).max(last.start + 1);
                }
            }
            push_fragments(session, ann, spans, commands);
        }
    }
}

/// The codebook's tags, nested, to tag the text selection with (or, for a highlight, to add to
/// or remove from it: its own tags are shown checked).
fn tag_menu_ui(
    ui: &mut Ui,
    session: &Session,
    highlight: Option<&Annotation>,
    commands: &mut Vec<Command>,
) {
    let codebook = &session.codebook();
    if codebook.tags.is_empty() {
        ui.weak("The codebook has no tags");
    }
    for t in &codebook.tags {
        let label = format!("{}{}", "    ".repeat(codebook.depth(&t.id)), t.name);
        let has = highlight.is_some_and(|a| a.tags.contains(&t.id));
        let mut response = ui.selectable_label(has, label);
        if !t.description.is_empty() {
            response = response.on_hover_text(&t.description);
        }
        if response.clicked() {
            commands.push(Command::Tag(t.id.clone()));
            ui.close();
        }
    }
}

/// What a highlight is, for its tooltip: its tags, who said it (and through whom), its grade
/// and status, and the first line of its note.
fn highlight_summary_ui(ui: &mut Ui, session: &Session, ann: &Annotation) {
    let tags: Vec<&str> = ann
        .tags
        .iter()
        .map(|t| session.codebook().name_of(t))
        .collect();
    ui.label(egui::RichText::new(tags.join(", ")).strong());
    let r = &ann.record;
    let via = r.via.join(", ");
    ui.label(match (&r.attributed_to, via.is_empty()) {
        (Some(who), true) => format!("Said by {who}"),
        (Some(who), false) => format!("Said by {who}, via {via}"),
        (None, false) => format!("Not attributed, via {via}"),
        (None, true) => "Not attributed yet".to_owned(),
    });
    let grade = match (r.reliability, r.credibility) {
        (None, None) => "Not graded".to_owned(),
        (g, c) => format!("Grade {}", crate::model::claim::format_grade(g, c)),
    };
    ui.label(format!("{grade} · {}", r.status.label()));
    if let Some(line) = ann.note.lines().map(str::trim).find(|l| !l.is_empty()) {
        let mut line = line.to_owned();
        if line.chars().count() > 90 {
            line = line.chars().take(90).collect::<String>() + "…";
        }
        ui.label(egui::RichText::new(line).italics());
    }
}

/// What a drag on an end of the selected annotation changes.
struct Resize {
    id: AnnotationId,
    /// Dragging the start (else the end).
    start: bool,
    /// The end that stays put.
    fixed: usize,
}

/// Pushes the annotation with new fragment spans, if they differ.
fn push_fragments(
    session: &Session,
    ann: &crate::model::Annotation,
    spans: Vec<Span>,
    commands: &mut Vec<Command>,
) {
    let mut new = ann.clone();
    crate::anchoring::set_fragments(session.article(), &mut new, spans);
    if new.fragments != ann.fragments {
        commands.push(Command::UpdateAnnotation(Box::new(new)));
    }
}

const LINE_HEIGHT: f32 = 1.5;

#[derive(Hash)]
struct Run {
    bytes: Range<usize>,
    background: Color32,
    underline: Stroke,
    /// Inline styles from the file (emphasis, bold, links, code) over this run.
    look: Look,
}

/// Inline styles over a run.
#[derive(Clone, Copy, Default, Hash, PartialEq, Eq)]
struct Look {
    italic: bool,
    strong: bool,
    link: bool,
    code: bool,
}

/// How a block is set, from its style: the text size relative to the body, the indent, and
/// whether it is a quotation (italic, with a bar in the margin).
struct BlockLook {
    scale: f32,
    indent: f32,
    quote: bool,
    strong: bool,
    code: bool,
}

fn block_look(style: Option<Style>) -> BlockLook {
    let plain = BlockLook {
        scale: 1.0,
        indent: 0.0,
        quote: false,
        strong: false,
        code: false,
    };
    match style {
        Some(Style::Heading(n)) => BlockLook {
            scale: match n {
                1 => 1.45,
                2 => 1.25,
                3 => 1.12,
                _ => 1.0,
            },
            strong: true,
            ..plain
        },
        Some(Style::Quote) => BlockLook {
            indent: 22.0,
            quote: true,
            ..plain
        },
        Some(Style::ListItem) => BlockLook {
            indent: 14.0,
            ..plain
        },
        Some(Style::Code) => BlockLook {
            indent: 14.0,
            code: true,
            scale: 0.9,
            ..plain
        },
        _ => plain,
    }
}

/// The inline styles that start within a block (they never cross a block's end).
fn inline_styles(article: &Article, block: Span) -> &[crate::model::provenance::StyleMark] {
    let from = article
        .styles
        .partition_point(|m| m.span.start < block.start);
    let to = article.styles.partition_point(|m| m.span.start < block.end);
    &article.styles[from..to.max(from)]
}

fn dist_y(rect: Rect, pos: Pos2) -> f32 {
    if pos.y < rect.top() {
        rect.top() - pos.y
    } else if pos.y > rect.bottom() {
        pos.y - rect.bottom()
    } else {
        0.0
    }
}

/// A dashed rectangle's outline.
fn dashed_box(painter: &egui::Painter, r: Rect, stroke: Stroke) {
    let corners = [
        r.left_top(),
        r.right_top(),
        r.right_bottom(),
        r.left_bottom(),
        r.left_top(),
    ];
    painter.extend(egui::Shape::dashed_line(&corners, stroke, 4.0, 3.0));
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Edit;

    /// The marks as `Article::blocks_of` places them, one search per fragment.
    fn marks_by_search(session: &Session) -> Vec<Vec<(Span, usize, usize)>> {
        let article = session.article();
        let mut marks = vec![Vec::new(); article.blocks.len()];
        for (i, ann) in session.annotations().as_slice().iter().enumerate() {
            if ann.anchor.orphaned {
                continue;
            }
            for f in &ann.fragments {
                for b in article.blocks_of(f.span) {
                    marks[b].push((f.span, i, ann.extent().len()));
                }
            }
        }
        marks
    }

    #[test]
    fn highlights_are_indexed_by_block_as_a_search_would_place_them() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("a.txt");
        let text = (0..30)
            .map(|i| format!("Paragraph {i}: Zoë said “yes” to the harbour plan, twice."))
            .collect::<Vec<_>>()
            .join("\n\n");
        std::fs::write(&path, text).expect("write");
        let mut session = Session::open(&path).expect("open");
        let len = session.article().char_len();
        let mut view = ArticleView::new(1.0);
        for (k, (start, end)) in [(5, 30), (40, 400), (100, 120), (3, 700), (650, len)]
            .into_iter()
            .enumerate()
        {
            let mut ann = session.new_annotation(Span::between(start, end), "claim", "", "t");
            if k == 1 {
                // A second piece before the first: pieces out of text order.
                let early = session.new_annotation(Span::between(1, 4), "claim", "", "t");
                ann.fragments.extend(early.fragments);
            }
            if k == 2 {
                ann.anchor.orphaned = true;
            }
            session.apply(Edit::Add(ann)).expect("add");
            view.rebuild_marks(&session);
            let ours: Vec<Vec<(Span, usize, usize)>> = view
                .marks
                .iter()
                .map(|list| list.iter().map(|m| (m.span, m.ann, m.extent_len)).collect())
                .collect();
            assert_eq!(ours, marks_by_search(&session), "after {} additions", k + 1);
        }
    }
}
