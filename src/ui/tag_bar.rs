//! The tag bar: one button per codebook tag, with its colour and hotkey.

use egui::Ui;

use super::theme;
use crate::command::Command;
use crate::model::Codebook;

pub fn tag_bar_ui(ui: &mut Ui, codebook: &Codebook, can_tag: bool, commands: &mut Vec<Command>) {
    ui.horizontal_wrapped(|ui| {
        ui.label("Tag:");
        for tag in &codebook.tags {
            let label = match tag.hotkey {
                Some(k) => format!("{k} {}", tag.name),
                None => tag.name.clone(),
            };
            let button = egui::Button::new(label).fill(theme::highlight_fill(
                tag.color,
                false,
                ui.visuals().dark_mode,
            ));
            let hint = if can_tag {
                tag.description.clone()
            } else {
                format!("{}\n\nSelect text first.", tag.description)
            };
            if ui
                .add_enabled(can_tag, button)
                .on_hover_text(hint)
                .on_disabled_hover_text(&tag.description)
                .clicked()
            {
                commands.push(Command::Tag(tag.id.clone()));
            }
        }
    });
}
