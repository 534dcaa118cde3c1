//! Help → Keyboard shortcuts (F1): every key of the command table, and the keys that take a
//! value, with a search field. Generated from [`crate::command::TABLE`], so it cannot fall
//! behind the keys the app reads.

use egui::{Context, RichText};

use crate::command::{KEYS_WITH_VALUES, TABLE, When};

/// The sheet's state: its search text.
#[derive(Debug, Default)]
pub struct ShortcutsWindow {
    pub search: String,
    focus: bool,
}

impl ShortcutsWindow {
    pub fn new() -> Self {
        Self {
            search: String::new(),
            focus: true,
        }
    }

    /// The rows the search keeps: (keys, what they do).
    pub fn rows(&self, ctx: &Context) -> Vec<(String, String)> {
        let needle = self.search.trim().to_lowercase();
        let table = TABLE.iter().filter(|e| !e.keys.is_empty()).map(|e| {
            let keys: Vec<String> = e.keys.iter().map(|k| ctx.format_shortcut(k)).collect();
            let place = match e.when {
                When::FindBar => " (in the find bar)",
                When::Reviewing => " (after opening a claim from the review)",
                When::Suggesting => " (on the current suggested claim)",
                When::Reading | When::Always | When::NotTyping => "",
            };
            let what = if e.tooltip.is_empty() {
                format!("{}{place}", e.label)
            } else {
                format!("{}: {}{place}", e.label, e.tooltip)
            };
            (keys.join(" or "), what)
        });
        let values = KEYS_WITH_VALUES
            .iter()
            .map(|(k, what)| ((*k).to_owned(), (*what).to_owned()));
        table
            .chain(values)
            .filter(|(keys, what)| {
                needle.is_empty()
                    || keys.to_lowercase().contains(&needle)
                    || what.to_lowercase().contains(&needle)
            })
            .collect()
    }

    /// Shows the sheet; false once closed.
    pub fn ui(&mut self, ctx: &Context) -> bool {
        let mut open = true;
        let rows = self.rows(ctx);
        egui::Window::new("Keyboard shortcuts")
            .open(&mut open)
            .pivot(egui::Align2::CENTER_CENTER)
            .default_pos(ctx.content_rect().center())
            .default_width(560.0)
            .default_height(480.0)
            .show(ctx, |ui| {
                let response = ui.add(
                    egui::TextEdit::singleline(&mut self.search)
                        .hint_text(crate::ui::theme::hint("Search shortcuts"))
                        .desired_width(f32::INFINITY),
                );
                if std::mem::take(&mut self.focus) {
                    response.request_focus();
                }
                ui.separator();
                egui::ScrollArea::vertical().show(ui, |ui| {
                    egui::Grid::new("shortcuts_grid")
                        .num_columns(2)
                        .striped(true)
                        .spacing([16.0, 6.0])
                        .show(ui, |ui| {
                            for (keys, what) in &rows {
                                ui.label(RichText::new(keys).monospace().strong());
                                ui.add(egui::Label::new(what).wrap());
                                ui.end_row();
                            }
                        });
                    if rows.is_empty() {
                        ui.label("No shortcut matches.");
                    }
                });
            });
        open
    }
}
