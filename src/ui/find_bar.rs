//! The find bar (Ctrl+F): type, Enter selects the next match, Shift+Enter the previous one,
//! Esc closes it and keeps the selection.

use egui::{Key, Ui};

use crate::command::{Action, Command};

#[derive(Default)]
pub struct FindBar {
    pub open: bool,
    pub query: String,
    /// Focus the text field on the next frame.
    pub focus: bool,
    /// "3 of 12", or "No matches".
    pub status: String,
}

impl FindBar {
    pub fn id() -> egui::Id {
        egui::Id::unique("find_query")
    }

    pub fn ui(&mut self, ui: &mut Ui, commands: &mut Vec<Command>) {
        ui.horizontal(|ui| {
            ui.label("Find:");
            let edit = egui::TextEdit::singleline(&mut self.query)
                .id(Self::id())
                .hint_text(crate::ui::theme::hint("text in the article"))
                .desired_width(320.0);
            let response = ui.add(edit);
            if self.focus {
                response.request_focus();
                self.focus = false;
            }
            if response.changed() {
                self.status.clear();
            }
            // Enter and Esc in the order typed, after the field took this frame's text, so
            // "type, Enter, Esc" arriving at once still finds the typed text, then closes.
            let keys =
                ui.input(|i| super::pressed_keys(i, |k, _| matches!(k, Key::Enter | Key::Escape)));
            for (key, modifiers) in keys {
                match key {
                    Key::Enter if modifiers.shift => {
                        commands.push(Command::Do(Action::FindPrevious))
                    }
                    Key::Enter => commands.push(Command::Do(Action::FindNext)),
                    _ => commands.push(Command::Do(Action::CloseFind)),
                }
            }
            if response.lost_focus() && !commands.contains(&Command::Do(Action::CloseFind)) {
                response.request_focus();
            }
            if ui.button("Next").on_hover_text("Enter").clicked() {
                commands.push(Command::Do(Action::FindNext));
            }
            if ui.button("Previous").on_hover_text("Shift+Enter").clicked() {
                commands.push(Command::Do(Action::FindPrevious));
            }
            ui.label(&self.status);
            if ui
                .button("Close")
                .on_hover_text("Esc: close and keep the selection")
                .clicked()
            {
                commands.push(Command::Do(Action::CloseFind));
            }
        });
    }
}
