//! The review of a whole folder tree: the claims table (sortable, filtered, virtualised), the
//! claim register (one claim reported by several sources) and charts (per tag, per source,
//! over time; a click on a bar filters).
//!
//! The claims come from the app's [`Library`] (its scan runs in the background, with a
//! progress bar here the first time, and again every few seconds, so articles and sidecars
//! changed by other programs appear without a restart). The panel owns its filter, sort and
//! cursor; opening a claim goes through [`Command::JumpToClaim`].

use std::path::{Path, PathBuf};
use std::sync::Arc;

use egui::{RichText, Ui};
use egui_extras::{Column, TableBuilder};

use crate::command::{Action, Command};
use crate::library::Library;
use crate::model::count;
use crate::review::{self, Filter, Index, RegisteredClaim, SortKey};

/// Annotation ids by article path.
pub type Selection = std::collections::HashMap<PathBuf, std::collections::HashSet<String>>;

/// The review's tabs.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Tab {
    #[default]
    Claims,
    Register,
    Charts,
}

#[derive(Default)]
pub struct ReviewPanel {
    /// The library's index this panel last took (see [`ReviewPanel::sync`]).
    pub index: Option<Arc<Index>>,
    pub tab: Tab,
    pub filter: Filter,
    /// The filter `rows` was computed for, and the index it was computed on.
    applied: Option<(Filter, usize)>,
    /// The library generation `index` was taken from.
    pub generation: usize,
    /// Indices into `index.claims` that pass the filter, in display order.
    pub rows: Vec<usize>,
    pub sort: Option<(SortKey, bool)>,
    /// The current row (index into `rows`).
    pub cursor: Option<usize>,
    /// Scroll the table to the cursor on the next frame.
    scroll_to_cursor: bool,
    register: Option<(usize, Vec<RegisteredClaim>)>,
    /// The charts' counts for the current rows (computed once per change, not per frame).
    counts: Option<Counts>,
    /// A claim to put the cursor on when the index has it ("Open in review").
    pending_focus: Option<(PathBuf, String)>,
    /// Text fields of the filter bar.
    source: String,
    grade: String,
    author: String,
    since: String,
    until: String,
}

impl ReviewPanel {
    /// Takes the library's index when it changed, keeping the filter, the sort and the
    /// current claim.
    pub fn sync(&mut self, library: &Library) {
        if library.generation() == self.generation {
            return;
        }
        if let Some(index) = library.index() {
            self.set_index(index.clone(), library.generation());
        }
    }

    /// Replaces the index, keeping the filter, the sort and the current claim.
    pub fn set_index(&mut self, index: Arc<Index>, generation: usize) {
        let current = self.current_id();
        self.index = Some(index);
        self.generation = generation;
        self.refresh();
        if let Some(id) = current {
            self.cursor = self.position_of(&id);
        }
    }

    fn current_id(&self) -> Option<String> {
        let index = self.index.as_ref()?;
        let row = *self.rows.get(self.cursor?)?;
        (row < index.claims.len()).then(|| index.claims.id(row).to_owned())
    }

    fn position_of(&self, id: &str) -> Option<usize> {
        let index = self.index.as_ref()?;
        self.rows.iter().position(|&r| index.claims.id(r) == id)
    }

    /// Recomputes the rows if the filter or the index changed.
    fn refresh(&mut self) {
        let Some(index) = &self.index else {
            return;
        };
        let key = (self.filter.clone(), self.generation);
        if self.applied.as_ref() == Some(&key) {
            return;
        }
        let current = self.current_id();
        self.rows = review::filter::apply(index, &self.filter);
        if let Some((sort, descending)) = self.sort {
            review::filter::sort(index, &mut self.rows, sort, descending);
        }
        self.applied = Some(key);
        self.register = None;
        self.counts = None;
        self.cursor = current.and_then(|id| self.position_of(&id));
        if let Some((article, id)) = self.pending_focus.clone() {
            self.set_cursor_to(&article, &id);
            if self.cursor.is_some() {
                self.pending_focus = None;
            }
        }
    }

    /// The articles and, per article, the annotation ids of the claims shown (for an export
    /// of the review).
    pub fn selection(&self) -> (Vec<PathBuf>, Selection) {
        let Some(index) = &self.index else {
            return Default::default();
        };
        let mut ids: Selection = Default::default();
        let claims = &index.claims;
        for &r in &self.rows {
            if let Some(article) = index.articles.get(claims.article(r)) {
                ids.entry(article.path.clone())
                    .or_default()
                    .insert(claims.id(r).to_owned());
            }
        }
        let mut paths: Vec<PathBuf> = ids.keys().cloned().collect();
        paths.sort();
        (paths, ids)
    }

    /// The claim at the cursor (index into `index.claims`).
    pub fn current(&self) -> Option<usize> {
        self.rows.get(self.cursor?).copied()
    }

    /// Moves the cursor by `delta` rows (J/K, arrows) and returns the claim there.
    pub fn step(&mut self, delta: isize) -> Option<usize> {
        if self.rows.is_empty() {
            return None;
        }
        let last = self.rows.len() - 1;
        let next = match self.cursor {
            None if delta >= 0 => 0,
            None => last,
            Some(c) => c.saturating_add_signed(delta).min(last),
        };
        self.cursor = Some(next);
        self.scroll_to_cursor = true;
        self.current()
    }

    /// Shows only the claims whose quote or note has `words` (the filters' other fields cleared).
    pub fn search_for(&mut self, words: String) {
        self.clear_filters();
        self.filter.search = words;
        self.tab = Tab::Claims;
    }

    /// Clears the filters and puts the cursor on a claim, once the index has it (a claim
    /// just made is there after the next scan).
    pub fn focus_on(&mut self, article: &Path, id: &str) {
        self.clear_filters();
        self.tab = Tab::Claims;
        self.pending_focus = Some((article.to_owned(), id.to_owned()));
        self.applied = None;
    }

    fn clear_filters(&mut self) {
        self.filter = Filter::default();
        for t in [
            &mut self.source,
            &mut self.grade,
            &mut self.author,
            &mut self.since,
            &mut self.until,
        ] {
            t.clear();
        }
    }

    /// Puts the cursor on a claim (after a jump from elsewhere).
    pub fn set_cursor_to(&mut self, article: &Path, id: &str) {
        let Some(index) = &self.index else {
            return;
        };
        let claims = &index.claims;
        self.cursor = self.rows.iter().position(|&r| {
            claims.id(r) == id
                && index
                    .articles
                    .get(claims.article(r))
                    .is_some_and(|a| a.path == article)
        });
        self.scroll_to_cursor = true;
    }

    /// A claim's article and id: what a jump names, so that a rescan in between cannot make
    /// it open another claim.
    pub fn claim_ref(&self, claim: usize) -> Option<(PathBuf, String)> {
        let index = self.index.as_ref()?;
        let row = index.claims.get(claim)?;
        let article = index.articles.get(row.article)?;
        Some((article.path.clone(), row.id.clone()))
    }

    fn jump(&self, claim: usize) -> Option<Command> {
        let (article, id) = self.claim_ref(claim)?;
        Some(Command::JumpToClaim { article, id })
    }

    pub fn ui(&mut self, ui: &mut Ui, library: &Library, commands: &mut Vec<Command>) {
        self.sync(library);
        ui.horizontal(|ui| {
            ui.heading("Review");
            let root = library.root().map_or_else(
                || "the articles opened".to_owned(),
                |r| r.display().to_string(),
            );
            ui.weak(root);
            ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                if ui
                    .button("Back to the article")
                    .on_hover_text("Ctrl+R")
                    .clicked()
                {
                    commands.push(Command::Do(Action::ToggleReview));
                }
            });
        });
        if let Some((done, total)) = library.first_scan_progress() {
            let fraction = if total == 0 {
                0.0
            } else {
                done as f32 / total as f32
            };
            ui.add(
                egui::ProgressBar::new(fraction)
                    .text(format!("Scanning: {done} of {total} articles")),
            );
        }
        if let Some(e) = library.error() {
            ui.colored_label(ui.visuals().error_fg_color, e);
        }
        let Some(index) = self.index.clone() else {
            return;
        };
        self.filter_bar(ui, &index);
        self.refresh();
        ui.horizontal(|ui| {
            ui.selectable_value(&mut self.tab, Tab::Claims, "Claims");
            ui.selectable_value(&mut self.tab, Tab::Register, "Claim register");
            ui.selectable_value(&mut self.tab, Tab::Charts, "Charts");
            ui.separator();
            ui.label(format!(
                "{} of {} claims in {} articles",
                self.rows.len(),
                index.claims.len(),
                index.articles.len()
            ));
        });
        ui.separator();
        match self.tab {
            Tab::Claims => self.table_ui(ui, &index, commands),
            Tab::Register => self.register_ui(ui, &index, commands),
            Tab::Charts => self.charts_ui(ui, &index),
        }
    }

    fn tag_filter_ui(&mut self, ui: &mut Ui, index: &Index) {
        let label = ui.label("Tag");
        let tag_text = match self.filter.tags.first() {
            Some(id) => index
                .tags
                .iter()
                .find(|t| &t.id == id)
                .map_or(id.clone(), |t| t.path.clone()),
            None => "Any".to_owned(),
        };
        egui::ComboBox::from_id_salt("review_tag")
            .selected_text(tag_text)
            .show_ui(ui, |ui| {
                if ui
                    .selectable_label(self.filter.tags.is_empty(), "Any")
                    .clicked()
                {
                    self.filter.tags.clear();
                }
                for t in &index.tags {
                    let on = self.filter.tags.first() == Some(&t.id);
                    if ui.selectable_label(on, &t.path).clicked() {
                        self.filter.tags = vec![t.id.clone()];
                    }
                }
            })
            .response
            .labelled_by(label.id);
    }

    fn status_filter_ui(&mut self, ui: &mut Ui) {
        let label = ui.label("Status");
        let status_text = self
            .filter
            .statuses
            .first()
            .cloned()
            .unwrap_or_else(|| "Any".into());
        egui::ComboBox::from_id_salt("review_status")
            .selected_text(status_text)
            .show_ui(ui, |ui| {
                if ui
                    .selectable_label(self.filter.statuses.is_empty(), "Any")
                    .clicked()
                {
                    self.filter.statuses.clear();
                }
                for s in crate::model::Status::ALL {
                    let on = self.filter.statuses.first().map(String::as_str) == Some(s.label());
                    if ui.selectable_label(on, s.label()).clicked() {
                        self.filter.statuses = vec![s.label().to_owned()];
                    }
                }
            })
            .response
            .labelled_by(label.id);
    }

    fn filter_bar(&mut self, ui: &mut Ui, index: &Index) {
        ui.horizontal_wrapped(|ui| {
            self.tag_filter_ui(ui, index);
            let label = ui.label("Source");
            let r = ui
                .add(
                    egui::TextEdit::singleline(&mut self.source)
                        .hint_text(crate::ui::theme::hint("name or alias"))
                        .desired_width(130.0),
                )
                .labelled_by(label.id);
            if r.changed() {
                self.filter.source = Some(self.source.trim().to_owned()).filter(|s| !s.is_empty());
            }
            self.status_filter_ui(ui);
            let field = |ui: &mut Ui, name: &str, hint: &str, width: f32, text: &mut String| {
                let label = ui.label(name);
                ui.add(
                    egui::TextEdit::singleline(text)
                        .hint_text(crate::ui::theme::hint(hint))
                        .desired_width(width),
                )
                .labelled_by(label.id)
                .changed()
            };
            if field(ui, "Grade", "B2", 36.0, &mut self.grade) {
                self.filter.grade = Some(self.grade.trim().to_owned()).filter(|s| !s.is_empty());
            }
            if field(ui, "Author", "anyone", 80.0, &mut self.author) {
                self.filter.author = Some(self.author.trim().to_owned()).filter(|s| !s.is_empty());
            }
            if field(ui, "From", "YYYY-MM-DD", 84.0, &mut self.since) {
                self.filter.since = Some(self.since.trim().to_owned()).filter(|s| !s.is_empty());
            }
            if field(ui, "To", "YYYY-MM-DD", 84.0, &mut self.until) {
                self.filter.until = Some(self.until.trim().to_owned()).filter(|s| !s.is_empty());
            }
            let label = ui.label("Search");
            ui.add(
                egui::TextEdit::singleline(&mut self.filter.search)
                    .hint_text(crate::ui::theme::hint("quotes and notes"))
                    .desired_width(160.0),
            )
            .labelled_by(label.id);
            if ui
                .add_enabled(!self.filter.is_empty(), egui::Button::new("Clear filters"))
                .clicked()
            {
                self.clear_filters();
            }
        });
    }

    /// Keys move through the claims when no text field has focus: J/K and the arrows; Enter
    /// opens the claim.
    fn table_keys(&mut self, ui: &Ui, commands: &mut Vec<Command>) {
        if ui.ctx().egui_wants_keyboard_input() {
            return;
        }
        let keys = ui.input(|i| {
            [
                (egui::Key::J, 1),
                (egui::Key::ArrowDown, 1),
                (egui::Key::K, -1),
                (egui::Key::ArrowUp, -1),
            ]
            .into_iter()
            .filter(|(k, _)| i.key_pressed(*k))
            .map(|(_, d)| d)
            .sum::<isize>()
        });
        if keys != 0 {
            self.step(keys);
        }
        if ui.input(|i| i.key_pressed(egui::Key::Enter))
            && let Some(claim) = self.current()
        {
            commands.extend(self.jump(claim));
        }
    }

    /// A claim row's right-click menu: open it, copy its quote, filter by its source.
    fn row_menu_ui(
        &mut self,
        ui: &mut Ui,
        index: &Index,
        claim: usize,
        commands: &mut Vec<Command>,
    ) {
        let Some(row) = index.claims.get(claim) else {
            return;
        };
        if ui.button("Open in its article").clicked() {
            commands.extend(self.jump(claim));
            ui.close();
        }
        if ui.button("Copy quote").clicked() {
            ui.ctx().copy_text(row.quote.clone());
            ui.close();
        }
        if let Some(source) = &row.attributed_to
            && ui.button(format!("Only claims by {source}")).clicked()
        {
            self.source = source.clone();
            self.filter.source = Some(source.clone());
            ui.close();
        }
        if let Some(tag) = row.tags.first()
            && ui
                .button(format!("Only claims tagged {}", tag_path(index, tag)))
                .clicked()
        {
            self.filter.tags = vec![tag.clone()];
            ui.close();
        }
    }

    fn table_ui(&mut self, ui: &mut Ui, index: &Index, commands: &mut Vec<Command>) {
        self.table_keys(ui, commands);
        ui.weak("Double-click or Enter opens the claim; J/K or the arrows step through the list.");
        let row_height = ui.text_style_height(&egui::TextStyle::Body) + 6.0;
        let mut table = TableBuilder::new(ui)
            .id_salt("claims_table")
            .striped(true)
            .resizable(true)
            .sense(egui::Sense::click())
            .cell_layout(egui::Layout::left_to_right(egui::Align::Center))
            // Every column fits at 1280 points beside the article list; the quote takes what
            // is left, and the table scrolls sideways when the window is narrower still.
            .column(Column::initial(120.0).at_least(40.0).clip(true))
            .column(Column::initial(82.0).at_least(40.0))
            .column(Column::initial(96.0).at_least(40.0).clip(true))
            .column(Column::remainder().at_least(140.0).clip(true))
            .column(Column::initial(100.0).at_least(40.0).clip(true))
            .column(Column::initial(76.0).at_least(40.0).clip(true))
            .column(Column::initial(48.0).at_least(40.0))
            .column(Column::initial(80.0).at_least(40.0).clip(true))
            .column(Column::initial(86.0).at_least(40.0).clip(true))
            .column(Column::initial(96.0).at_least(40.0).clip(true))
            .column(Column::initial(70.0).at_least(40.0).clip(true));
        if self.scroll_to_cursor {
            if let Some(c) = self.cursor {
                table = table.scroll_to_row(c, Some(egui::Align::Center));
            }
            self.scroll_to_cursor = false;
        }
        let mut clicked_sort = None;
        let sort = self.sort;
        table
            .header(row_height + 2.0, |mut header| {
                for key in SortKey::ALL {
                    header.col(|ui| {
                        let arrow = match sort {
                            Some((k, false)) if k == key => " ˆ",
                            Some((k, true)) if k == key => " ˇ",
                            _ => "",
                        };
                        let text = RichText::new(format!("{}{arrow}", key.label())).strong();
                        if ui
                            .add(egui::Button::new(text).frame(false))
                            .on_hover_text("Sort by this column (again: reverse)")
                            .clicked()
                        {
                            clicked_sort = Some(key);
                        }
                    });
                }
            })
            .body(|body| {
                body.rows(row_height, self.rows.len(), |mut row| {
                    let i = row.index();
                    let Some(claim) = self.rows.get(i).and_then(|&r| index.claims.get(r)) else {
                        return;
                    };
                    let article = index.articles.get(claim.article);
                    row.set_selected(self.cursor == Some(i));
                    claim_cells(&mut row, article, &claim);
                    let response = row.response();
                    if response.clicked() {
                        self.cursor = Some(i);
                    }
                    if response.double_clicked()
                        && let Some(&r) = self.rows.get(i)
                    {
                        commands.extend(self.jump(r));
                    }
                    if let Some(&r) = self.rows.get(i) {
                        response.context_menu(|ui| {
                            self.cursor = Some(i);
                            self.row_menu_ui(ui, index, r, commands);
                        });
                    }
                });
            });
        if let Some(key) = clicked_sort {
            let descending = matches!(self.sort, Some((k, false)) if k == key);
            self.sort = Some((key, descending));
            self.applied = None;
            self.refresh();
        }
    }

    fn register_ui(&mut self, ui: &mut Ui, index: &Index, commands: &mut Vec<Command>) {
        if self.register.as_ref().map(|(g, _)| *g) != Some(self.generation) {
            let groups = review::register(index, Some(&self.rows));
            self.register = Some((self.generation, groups));
        }
        let Some((_, groups)) = &self.register else {
            return;
        };
        if groups.is_empty() {
            ui.label(
                "No claim is reported in several places yet: link annotations with \
                 “same claim as” (in the inspector) to build the register.",
            );
            return;
        }
        ui.weak(
            "Annotations linked “same claim as” form one claim. Several independent sources \
             are evidence for credibility 1 (confirmed by other sources).",
        );
        egui::ScrollArea::vertical()
            .id_salt("register")
            .auto_shrink([false, false])
            .show(ui, |ui| {
                for (n, g) in groups.iter().enumerate() {
                    egui::Frame::group(ui.style()).show(ui, |ui| {
                        ui.set_width(ui.available_width());
                        ui.label(
                            RichText::new(format!("“{}”", g.quote.replace('\n', " "))).strong(),
                        );
                        ui.label(format!(
                            "{}: {} · {}: {} · {}",
                            count(g.sources.len(), "source"),
                            if g.sources.is_empty() {
                                "—".to_owned()
                            } else {
                                g.sources.join(", ")
                            },
                            count(g.outlets.len(), "outlet"),
                            g.outlets.join(", "),
                            count(g.articles, "article")
                        ));
                        ui.label(format!(
                            "Grades: {} · Status: {}",
                            if g.grades.is_empty() {
                                "—".to_owned()
                            } else {
                                g.grades.join(", ")
                            },
                            g.statuses.join(", ")
                        ));
                        ui.horizontal_wrapped(|ui| {
                            for &m in &g.members {
                                let Some(claim) = index.claims.get(m) else {
                                    continue;
                                };
                                let title = index
                                    .articles
                                    .get(claim.article)
                                    .map_or("", |a| a.title.as_str());
                                if ui
                                    .link(format!(
                                        "{title}: {}",
                                        claim.attributed_to.as_deref().unwrap_or("unattributed")
                                    ))
                                    .on_hover_text("Open this report of the claim")
                                    .clicked()
                                {
                                    commands.extend(self.jump(m));
                                }
                            }
                        });
                    });
                    if n + 1 < groups.len() {
                        ui.add_space(4.0);
                    }
                }
            });
    }

    fn charts_ui(&mut self, ui: &mut Ui, index: &Index) {
        let rows = &self.rows;
        let Counts {
            per_tag,
            per_source,
            per_month,
        } = self
            .counts
            .get_or_insert_with(|| Counts::of(index, rows))
            .clone();
        ui.weak("Click a bar to filter the claims by it.");
        let height = ((ui.available_height() - 60.0) / 3.0).max(120.0);
        egui::ScrollArea::vertical()
            .id_salt("charts")
            .auto_shrink([false, false])
            .show(ui, |ui| {
                let labels: Vec<String> = per_tag.iter().map(|(_, p, _)| p.clone()).collect();
                let counts: Vec<usize> = per_tag.iter().map(|(_, _, n)| *n).collect();
                let colors: Vec<egui::Color32> = per_tag
                    .iter()
                    .map(|(id, _, _)| {
                        index
                            .tags
                            .iter()
                            .find(|t| &t.id == id)
                            .and_then(|t| crate::model::Rgb::parse(&t.color))
                            .map_or(egui::Color32::GRAY, super::theme::swatch)
                    })
                    .collect();
                if let Some(i) = bar_chart(
                    ui,
                    "Claims per tag",
                    "chart_tags",
                    &labels,
                    &counts,
                    &colors,
                    height,
                ) && let Some((id, _, _)) = per_tag.get(i)
                {
                    self.filter.tags = vec![id.clone()];
                    self.tab = Tab::Claims;
                }
                let labels: Vec<String> = per_source.iter().map(|(s, _)| s.clone()).collect();
                let counts: Vec<usize> = per_source.iter().map(|(_, n)| *n).collect();
                if let Some(i) = bar_chart(
                    ui,
                    "Claims per source (top 15)",
                    "chart_sources",
                    &labels,
                    &counts,
                    &[],
                    height,
                ) && let Some((name, _)) = per_source.get(i)
                    && name != "(none)"
                {
                    self.source = name.clone();
                    self.filter.source = Some(name.clone());
                    self.tab = Tab::Claims;
                }
                let labels: Vec<String> = per_month.iter().map(|(m, _)| m.clone()).collect();
                let counts: Vec<usize> = per_month.iter().map(|(_, n)| *n).collect();
                if let Some(i) = bar_chart(
                    ui,
                    "Claims per month (article date)",
                    "chart_months",
                    &labels,
                    &counts,
                    &[],
                    height,
                ) && let Some((month, _)) = per_month.get(i)
                {
                    self.since = format!("{month}-01");
                    self.until = format!("{month}-31");
                    self.filter.since = Some(self.since.clone());
                    self.filter.until = Some(self.until.clone());
                    self.tab = Tab::Claims;
                }
            });
    }
}

/// What the charts count, for the rows shown.
#[derive(Clone)]
struct Counts {
    /// (tag id, full path, count).
    per_tag: Vec<(String, String, usize)>,
    /// The 15 most frequent sources.
    per_source: Vec<(String, usize)>,
    per_month: Vec<(String, usize)>,
}

impl Counts {
    fn of(index: &Index, rows: &[usize]) -> Self {
        let per_tag = review::stats::per_tag(index, rows)
            .into_iter()
            .map(|(id, n)| {
                let path = index
                    .tags
                    .iter()
                    .find(|t| t.id == id)
                    .map_or(id.clone(), |t| t.path.clone());
                (id, path, n)
            })
            .collect();
        let mut per_source = review::stats::per_source(index, rows);
        per_source.truncate(15);
        Self {
            per_tag,
            per_source,
            per_month: review::stats::per_month(index, rows),
        }
    }
}

/// A tag's path ("Claim/Statistic") in the index, or its id.
fn tag_path(index: &Index, id: &str) -> String {
    index
        .tags
        .iter()
        .find(|t| t.id == id)
        .map_or_else(|| id.to_owned(), |t| t.path.clone())
}

/// The cells of one claim's row, in [`SortKey::ALL`]'s order.
fn claim_cells(
    row: &mut egui_extras::TableRow<'_, '_>,
    article: Option<&review::ArticleEntry>,
    claim: &review::ClaimRow,
) {
    let one_line = |s: &str| s.replace('\n', " ");
    row.col(|ui| cell(ui, article.map_or("", |a| a.title.as_str())));
    row.col(|ui| cell(ui, article.and_then(|a| a.date.as_deref()).unwrap_or("")));
    row.col(|ui| cell(ui, &claim.tag_label));
    row.col(|ui| {
        let text = if claim.orphaned {
            format!("(orphaned) {}", one_line(&claim.quote))
        } else {
            one_line(&claim.quote)
        };
        cell(ui, text);
    });
    row.col(|ui| cell(ui, claim.attributed_to.as_deref().unwrap_or("")));
    row.col(|ui| cell(ui, claim.via.join(" › ")));
    row.col(|ui| {
        let grade: String = claim
            .reliability
            .into_iter()
            .chain(claim.credibility.map(|d| char::from(b'0' + d)))
            .collect();
        cell(ui, grade);
    });
    row.col(|ui| cell(ui, &claim.status));
    row.col(|ui| cell(ui, claim.confidence.as_deref().unwrap_or("")));
    row.col(|ui| cell(ui, one_line(&claim.note)));
    row.col(|ui| cell(ui, &claim.author));
}

/// A table cell: one line, cut with "…", not selectable (a click selects the row).
fn cell(ui: &mut Ui, text: impl Into<egui::WidgetText>) {
    ui.add(egui::Label::new(text).selectable(false).truncate());
}

/// A vertical bar chart with one labelled bar per entry; returns the bar clicked.
fn bar_chart(
    ui: &mut Ui,
    title: &str,
    id: &str,
    labels: &[String],
    counts: &[usize],
    colors: &[egui::Color32],
    height: f32,
) -> Option<usize> {
    use egui_plot::{Bar, BarChart, Plot};
    ui.label(RichText::new(title).strong());
    if counts.is_empty() {
        ui.weak("Nothing to count.");
        return None;
    }
    let color = ui.visuals().selection.bg_fill;
    let bars: Vec<Bar> = counts
        .iter()
        .enumerate()
        .map(|(i, &n)| {
            Bar::new(i as f64, n as f64)
                .width(0.7)
                .name(labels.get(i).cloned().unwrap_or_default())
                .fill(colors.get(i).copied().unwrap_or(color))
        })
        .collect();
    let names = labels.to_vec();
    let response = Plot::new(id)
        .height(height)
        .allow_zoom(false)
        .allow_drag(false)
        .allow_scroll(false)
        .allow_boxed_zoom(false)
        .allow_double_click_reset(false)
        .show_grid([false, true])
        .include_y(0.0)
        .x_axis_formatter(move |mark, _| {
            let i = mark.value.round();
            if (mark.value - i).abs() > 1e-6 || i < 0.0 {
                return String::new();
            }
            names.get(i as usize).cloned().unwrap_or_default()
        })
        .show(ui, |plot| plot.bar_chart(BarChart::new(title, bars)));
    if !response.response.clicked() {
        return None;
    }
    let pos = response.response.interact_pointer_pos()?;
    let value = response.transform.value_from_position(pos);
    let i = value.x.round();
    let hit = i >= 0.0
        && (value.x - i).abs() <= 0.35
        && value.y >= 0.0
        && counts.get(i as usize).is_some_and(|&n| value.y <= n as f64);
    hit.then_some(i as usize)
}
