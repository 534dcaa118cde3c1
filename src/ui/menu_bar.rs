//! The menu bar: File, Edit, Claims, View, Help.

use std::path::PathBuf;

use egui::Ui;

use super::command_button;
use crate::command::{Action, Command};

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
    /// The article has open suggested claims, and one is current.
    pub show_suggestions: &'a mut bool,
    pub has_suggestions: bool,
    pub has_current_suggestion: bool,
}

pub fn menu_bar_ui(ui: &mut Ui, cx: &mut MenuContext<'_>, commands: &mut Vec<Command>) {
    egui::MenuBar::new().ui(ui, |ui| {
        ui.menu_button("File", |ui| {
            command_button(ui, Action::OpenDialog, true, commands);
            command_button(ui, Action::OpenTypedPath, true, commands);
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
            command_button(ui, Action::Save, cx.has_article, commands);
            command_button(ui, Action::SaveAs, cx.has_article, commands);
            ui.separator();
            command_button(ui, Action::OpenImport, true, commands);
            command_button(ui, Action::OpenExport, cx.has_article, commands);
            ui.separator();
            command_button(ui, Action::Quit, true, commands);
        });
        ui.menu_button("Edit", |ui| {
            command_button(ui, Action::Undo, cx.can_undo, commands);
            command_button(ui, Action::Redo, cx.can_redo, commands);
            command_button(
                ui,
                Action::DeleteAnnotation,
                cx.has_selected_annotation,
                commands,
            );
            ui.separator();
            command_button(ui, Action::Find, cx.has_article, commands);
            ui.separator();
            command_button(ui, Action::OpenCodebookEditor, cx.has_article, commands);
            command_button(ui, Action::OpenSourcesEditor, cx.has_article, commands);
        });
        ui.menu_button("Claims", |ui| {
            let (any, current) = (cx.has_suggestions, cx.has_current_suggestion);
            command_button(ui, Action::NextSuggestion, any, commands);
            command_button(ui, Action::PreviousSuggestion, any, commands);
            command_button(ui, Action::AcceptSuggestion, current, commands);
            command_button(ui, Action::RejectSuggestion, current, commands);
            command_button(ui, Action::AcceptParagraphSuggestions, current, commands);
            command_button(ui, Action::AcceptAllSuggestions, any, commands);
        });
        ui.menu_button("View", |ui| {
            command_button(ui, Action::ZoomIn, true, commands);
            command_button(ui, Action::ZoomOut, true, commands);
            command_button(ui, Action::ZoomReset, true, commands);
            ui.separator();
            ui.checkbox(cx.show_library, "Articles list");
            ui.checkbox(cx.show_annotations, "Annotations and inspector");
            ui.checkbox(cx.show_suggestions, Action::ToggleSuggestions.label())
                .on_hover_text(Action::ToggleSuggestions.tooltip());
            ui.separator();
            command_button(ui, Action::ToggleReview, cx.has_folder, commands);
            command_button(ui, Action::NextClaim, cx.has_review, commands);
            command_button(ui, Action::PreviousClaim, cx.has_review, commands);
            ui.separator();
            command_button(ui, Action::OpenSettings, true, commands);
        });
        ui.menu_button("Help", |ui| {
            command_button(ui, Action::ShowShortcuts, true, commands);
        });
    });
}
