//! The menu bar: File, Edit, View.

use std::path::PathBuf;

use egui::Ui;

use super::command_button;
use crate::command::Command;

/// What the menus need to know to enable their items.
pub struct MenuContext<'a> {
    pub has_article: bool,
    pub can_undo: bool,
    pub can_redo: bool,
    pub has_selected_annotation: bool,
    /// A folder (or an article's folder) is open, so it can be reviewed.
    pub has_folder: bool,
    /// The review has claims to step through.
    pub has_review: bool,
    pub recent: &'a [PathBuf],
    pub show_library: &'a mut bool,
    pub show_annotations: &'a mut bool,
}

pub fn menu_bar_ui(ui: &mut Ui, cx: &mut MenuContext<'_>, commands: &mut Vec<Command>) {
    egui::MenuBar::new().ui(ui, |ui| {
        ui.menu_button("File", |ui| {
            command_button(ui, Command::OpenDialog, true, commands);
            command_button(ui, Command::OpenTypedPath, true, commands);
            ui.menu_button("Open recent", |ui| {
                if cx.recent.is_empty() {
                    ui.weak("Nothing opened yet");
                }
                for path in cx.recent {
                    if ui.button(path.display().to_string()).clicked() {
                        commands.push(Command::Open(path.clone()));
                    }
                }
            });
            ui.separator();
            command_button(ui, Command::Save, cx.has_article, commands);
            command_button(ui, Command::SaveAs, cx.has_article, commands);
            ui.separator();
            command_button(ui, Command::OpenImport, true, commands);
            command_button(ui, Command::OpenExport, cx.has_article, commands);
            ui.separator();
            command_button(ui, Command::Quit, true, commands);
        });
        ui.menu_button("Edit", |ui| {
            command_button(ui, Command::Undo, cx.can_undo, commands);
            command_button(ui, Command::Redo, cx.can_redo, commands);
            command_button(
                ui,
                Command::DeleteAnnotation,
                cx.has_selected_annotation,
                commands,
            );
            ui.separator();
            command_button(ui, Command::Find, cx.has_article, commands);
            ui.separator();
            command_button(ui, Command::OpenCodebookEditor, cx.has_article, commands);
            command_button(ui, Command::OpenSourcesEditor, cx.has_article, commands);
        });
        ui.menu_button("View", |ui| {
            command_button(ui, Command::ZoomIn, true, commands);
            command_button(ui, Command::ZoomOut, true, commands);
            command_button(ui, Command::ZoomReset, true, commands);
            ui.separator();
            ui.checkbox(cx.show_library, "Articles list");
            ui.checkbox(cx.show_annotations, "Annotations and inspector");
            ui.separator();
            command_button(ui, Command::ToggleReview, cx.has_folder, commands);
            command_button(ui, Command::NextClaim, cx.has_review, commands);
            command_button(ui, Command::PreviousClaim, cx.has_review, commands);
            ui.separator();
            command_button(ui, Command::OpenSettings, true, commands);
        });
    });
}
