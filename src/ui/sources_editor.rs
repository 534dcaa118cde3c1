//! The source registry editor: sources with aliases and the reliability grade that new claims
//! attributed to them start with. Save writes the folder's `claimmark.sources.ron`.

use egui::{Context, RichText, Ui};

use crate::command::Command;
use crate::model::{Reliability, Source, SourceRegistry};

pub struct SourcesEditor {
    pub draft: SourceRegistry,
    /// Aliases as typed, comma-separated, one entry per source.
    aliases: Vec<String>,
    pub error: Option<String>,
}

impl SourcesEditor {
    pub fn new(registry: &SourceRegistry) -> Self {
        Self {
            aliases: registry
                .sources
                .iter()
                .map(|s| s.aliases.join(", "))
                .collect(),
            draft: registry.clone(),
            error: None,
        }
    }

    /// Shows the window; returns false when it should close.
    pub fn ui(&mut self, ctx: &Context, folder: &str, commands: &mut Vec<Command>) -> bool {
        let mut open = true;
        let mut close = false;
        egui::Window::new("Sources")
            .open(&mut open)
            .default_width(700.0)
            .show(ctx, |ui| {
                ui.label(format!(
                    "Sources of {folder}. Saved as claimmark.sources.ron in that folder."
                ));
                ui.separator();
                if let Some(i) = self.table_ui(ui) {
                    self.draft.sources.remove(i);
                    self.aliases.remove(i);
                }
                ui.separator();
                close = self.buttons_ui(ui, commands);
                if let Some(e) = &self.error {
                    ui.colored_label(ui.visuals().error_fg_color, e);
                }
            });
        open && !close
    }

    /// The sources, one editable row each; returns the row whose Delete was clicked.
    fn table_ui(&mut self, ui: &mut Ui) -> Option<usize> {
        let mut delete = None;
        egui::ScrollArea::vertical()
            .max_height(420.0)
            .show(ui, |ui| {
                egui::Grid::new("sources_grid")
                    .striped(true)
                    .num_columns(5)
                    .show(ui, |ui| {
                        for h in [
                            "Name",
                            "Aliases (comma-separated)",
                            "Default reliability",
                            "Description",
                            "",
                        ] {
                            ui.label(RichText::new(h).strong());
                        }
                        ui.end_row();
                        for (i, (source, aliases)) in self
                            .draft
                            .sources
                            .iter_mut()
                            .zip(&mut self.aliases)
                            .enumerate()
                        {
                            if source_row_ui(ui, i, source, aliases) {
                                delete = Some(i);
                            }
                            ui.end_row();
                        }
                    });
            });
        delete
    }

    /// Add source, Save and Cancel; returns true when the window should close.
    fn buttons_ui(&mut self, ui: &mut Ui, commands: &mut Vec<Command>) -> bool {
        let mut close = false;
        ui.horizontal(|ui| {
            if ui.button("Add source").clicked() {
                self.draft.sources.push(Source::named(""));
                self.aliases.push(String::new());
            }
            if ui.button("Save").clicked() && self.save(commands) {
                close = true;
            }
            if ui.button("Cancel").clicked() {
                close = true;
            }
        });
        close
    }

    /// Takes in the aliases as typed and, if the registry is valid, pushes it to be saved
    /// (true); otherwise keeps the error to show (false).
    fn save(&mut self, commands: &mut Vec<Command>) -> bool {
        for (s, a) in self.draft.sources.iter_mut().zip(&self.aliases) {
            s.name = s.name.trim().to_owned();
            s.aliases = a
                .split(',')
                .map(str::trim)
                .filter(|x| !x.is_empty())
                .map(str::to_owned)
                .collect();
        }
        match self.draft.validate() {
            Ok(()) => {
                commands.push(Command::SaveSources(self.draft.clone()));
                true
            }
            Err(e) => {
                self.error = Some(e.to_string());
                false
            }
        }
    }
}

/// One source's row of the grid: name, aliases (as typed), default reliability, description
/// and Delete. Returns true when Delete was clicked.
fn source_row_ui(ui: &mut Ui, i: usize, source: &mut Source, aliases: &mut String) -> bool {
    // Fields in a grid are given their width outright: a grid gives a column on its first
    // frame only the width of a button, and keeps it.
    let height = ui.spacing().interact_size.y;
    let field = |ui: &mut Ui, text: &mut String, salt: &str, width: f32| {
        ui.add_sized(
            [width, height],
            egui::TextEdit::singleline(text)
                .id_salt((salt, i))
                .desired_width(width),
        );
    };
    field(ui, &mut source.name, "src_name", 170.0);
    field(ui, aliases, "src_alias", 150.0);
    egui::ComboBox::from_id_salt(("src_rel", i))
        .selected_text(source.reliability.map_or("–".to_owned(), |r| {
            format!("{}: {}", r.letter(), r.meaning())
        }))
        .show_ui(ui, |ui| {
            ui.selectable_value(&mut source.reliability, None, "–");
            for r in Reliability::ALL {
                ui.selectable_value(
                    &mut source.reliability,
                    Some(r),
                    format!("{}: {}", r.letter(), r.meaning()),
                );
            }
        });
    field(ui, &mut source.description, "src_desc", 160.0);
    ui.small_button("Delete").clicked()
}
