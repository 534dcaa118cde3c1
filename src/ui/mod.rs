//! The GUI's panels, one per file. Each reads the session (or a small context) and its own UI
//! state, and pushes [`crate::command::Command`]s; only the app (`src/app/`) changes the session.

pub mod annotations_panel;
pub mod article_header;
pub mod article_view;
pub mod attention;
pub mod bidi;
pub mod codebook_editor;
pub mod find_bar;
pub mod inspector;
pub mod library;
pub mod menu_bar;
pub mod review;
pub mod settings_window;
pub mod shortcuts_window;
pub mod sources_editor;
pub mod suggestion_bar;
pub mod tag_bar;
pub mod theme;
pub mod transfer_window;

use crate::command::Command;

/// The keys pressed this frame, in the order typed, each with its own modifiers. A fast key
/// combination can press and release a modifier within one frame, so the frame's modifier
/// state is not enough; and order matters ("B" then "2", "Enter" then "Esc").
pub fn pressed_keys(
    input: &egui::InputState,
    want: impl Fn(egui::Key, egui::Modifiers) -> bool,
) -> Vec<(egui::Key, egui::Modifiers)> {
    input
        .events
        .iter()
        .filter_map(|e| match e {
            egui::Event::Key {
                key,
                pressed: true,
                modifiers,
                ..
            } if want(*key, *modifiers) => Some((*key, *modifiers)),
            _ => None,
        })
        .collect()
}

/// A button for an action, with its label, shortcut and tooltip from the command table.
pub fn command_button(
    ui: &mut egui::Ui,
    action: crate::command::Action,
    enabled: bool,
    commands: &mut Vec<Command>,
) {
    let mut button = egui::Button::new(action.label());
    if let Some(sc) = action.shortcut() {
        button = button.shortcut_text(ui.ctx().format_shortcut(&sc));
    }
    let mut response = ui.add_enabled(enabled, button);
    if !action.tooltip().is_empty() {
        response = response.on_hover_text(action.tooltip());
    }
    if response.clicked() {
        commands.push(action.into());
    }
}

/// A [`crate::job::Waker`] that asks egui for a repaint: a job finishing is seen at once.
pub fn waker(ctx: &egui::Context) -> crate::job::Waker {
    let ctx = ctx.clone();
    std::sync::Arc::new(move || ctx.request_repaint())
}

/// The "Open in review" item of a right-click menu on an annotation.
pub fn open_in_review_button(
    ui: &mut egui::Ui,
    id: &crate::model::AnnotationId,
    commands: &mut Vec<Command>,
) {
    if ui
        .button("Open in review")
        .on_hover_text("The review of the folder, at this claim")
        .clicked()
    {
        commands.push(Command::OpenInReview(id.clone()));
    }
}
