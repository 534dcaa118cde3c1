//! The library: the articles of the opened folder; a click opens one.

use std::path::{Path, PathBuf};

use egui::Ui;

use crate::command::Command;

pub fn library_ui(
    ui: &mut Ui,
    folder: Option<&Path>,
    articles: &[PathBuf],
    annotated: &std::collections::HashSet<PathBuf>,
    current: Option<&Path>,
    commands: &mut Vec<Command>,
) {
    ui.heading("Articles");
    if let Some(folder) = folder {
        ui.weak(folder.display().to_string());
    }
    ui.separator();
    egui::ScrollArea::vertical()
        .id_salt("library")
        .auto_shrink([false, false])
        .show(ui, |ui| {
            for path in articles {
                let name = path
                    .file_name()
                    .map(|n| n.to_string_lossy().into_owned())
                    .unwrap_or_default();
                let is_current = Some(path.as_path()) == current;
                let has_sidecar = annotated.contains(path);
                let label = if has_sidecar {
                    format!("{name}  •")
                } else {
                    name
                };
                let response = ui
                    .selectable_label(is_current, label)
                    .on_hover_text(path.display().to_string());
                if response.clicked() && !is_current {
                    commands.push(Command::Open(path.clone()));
                }
            }
        });
}
