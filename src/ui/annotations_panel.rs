//! The article's annotations in text order: tag and quote; a click selects and scrolls.

use egui::{RichText, Ui};

use super::theme;
use crate::command::Command;
use crate::model::AnnotationId;
use crate::session::Session;

pub fn annotations_ui(
    ui: &mut Ui,
    session: &Session,
    selected: Option<&AnnotationId>,
    commands: &mut Vec<Command>,
) {
    ui.heading(format!("Annotations ({})", session.annotations.len()));
    if session.annotations.is_empty() {
        ui.weak("Select text and press a tag key (1–9) to annotate.");
        return;
    }
    ui.separator();
    let row_height = ui.text_style_height(&egui::TextStyle::Body) * 2.6;
    let anns = session.annotations.as_slice();
    egui::ScrollArea::vertical()
        .id_salt("annotation_list")
        .auto_shrink([false, false])
        .show_rows(ui, row_height, anns.len(), |ui, rows| {
            for ann in &anns[rows] {
                let is_selected = Some(&ann.id) == selected;
                let tags: Vec<&str> = ann
                    .tags
                    .iter()
                    .map(|t| session.codebook.name_of(t))
                    .collect();
                let color = ann
                    .tags
                    .first()
                    .and_then(|t| session.codebook.tag(t))
                    .map_or(egui::Color32::GRAY, |t| theme::swatch(t.color));
                let mut quote: String = ann.quote().chars().take(90).collect();
                if ann.quote().chars().count() > 90 {
                    quote.push('…');
                }
                let text = format!("{}\n“{}”", tags.join(", "), quote.replace('\n', " "));
                ui.horizontal(|ui| {
                    let (rect, _) = ui.allocate_exact_size(
                        egui::vec2(6.0, row_height - 6.0),
                        egui::Sense::hover(),
                    );
                    ui.painter().rect_filled(rect, 2.0, color);
                    let label = egui::Button::selectable(is_selected, RichText::new(text)).wrap();
                    let response = ui
                        .with_layout(egui::Layout::top_down_justified(egui::Align::LEFT), |ui| {
                            ui.add(label)
                        })
                        .inner;
                    if response.clicked() {
                        commands.push(Command::SelectAnnotation(ann.id.clone()));
                    }
                    if is_selected && ui.ctx().memory(|m| m.focused().is_none()) {
                        response.scroll_to_me(None);
                    }
                });
            }
        });
}
