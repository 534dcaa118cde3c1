//! The strip above the article while suggested claims are outlined: how many, the current
//! one with who said it, and the buttons and keys that accept and reject them.

use egui::{RichText, Ui};

use crate::command::{Action, Command};

/// What the bar shows of the open article's suggested claims.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct SuggestionState {
    /// Still being found.
    pub finding: bool,
    /// How many are open (not accepted, not rejected).
    pub open: usize,
    /// The current one's words and who said it.
    pub current: Option<(String, Option<String>)>,
}

/// At most this many characters of the current suggestion's words are shown.
const SHOWN_CHARS: usize = 90;

/// Shows the bar (nothing when there is nothing to suggest).
pub fn show(ui: &mut Ui, state: &SuggestionState, commands: &mut Vec<Command>) {
    if state.finding {
        ui.horizontal(|ui| {
            ui.spinner();
            ui.weak("Finding suggested claims…");
        });
        return;
    }
    if state.open == 0 {
        return;
    }
    ui.horizontal_wrapped(|ui| {
        let n = crate::model::count(state.open, "suggested claim");
        ui.label(RichText::new(n).strong())
            .on_hover_text("Outlined in the text. Tab / Shift+Tab step through them, Enter accepts, Backspace rejects");
        match &state.current {
            Some((words, who)) => {
                let mut shown: String = words.chars().take(SHOWN_CHARS).collect();
                if words.chars().count() > SHOWN_CHARS {
                    shown.push('…');
                }
                let who = who.as_deref().unwrap_or("source unknown");
                ui.label(format!("{shown} — {who}"));
            }
            None => {
                ui.weak("Tab steps to the first");
            }
        }
        let current = state.current.is_some();
        button(ui, Action::PreviousSuggestion, "Previous", true, commands);
        button(ui, Action::NextSuggestion, "Next", true, commands);
        button(ui, Action::AcceptSuggestion, "Accept", current, commands);
        button(ui, Action::RejectSuggestion, "Reject", current, commands);
        button(ui, Action::AcceptParagraphSuggestions, "Accept paragraph", current, commands);
        button(ui, Action::AcceptAllSuggestions, "Accept all", true, commands);
    });
}

/// A small button for an action: short text, the table's label, key and tooltip on hover.
fn button(ui: &mut Ui, action: Action, text: &str, enabled: bool, commands: &mut Vec<Command>) {
    let key = action
        .shortcut()
        .map(|sc| format!(" ({})", ui.ctx().format_shortcut(&sc)))
        .unwrap_or_default();
    let hover = format!("{}{key}: {}", action.label(), action.tooltip());
    let response = ui.add_enabled(enabled, egui::Button::new(text).small());
    if response.on_hover_text(hover).clicked() {
        commands.push(action.into());
    }
}
