//! The article's annotations in text order: tag and quote; a click selects and scrolls.
//!
//! Rows have a fixed height so the list is virtualised (`show_rows`) and stays fast with
//! thousands of annotations.

use egui::text::{LayoutJob, TextFormat, TextWrapping};
use egui::{Sense, TextStyle, Ui, vec2};

use super::theme;
use crate::command::{Action, Command};
use crate::model::{Annotation, AnnotationId};
use crate::session::Session;

pub fn annotations_ui(
    ui: &mut Ui,
    session: &Session,
    selected: Option<&AnnotationId>,
    commands: &mut Vec<Command>,
) {
    ui.heading(format!("Annotations ({})", session.annotations().len()));
    if session.annotations().is_empty() {
        ui.weak("Select text and press a tag key (1–9) to annotate.");
        return;
    }
    ui.separator();
    let line = ui.text_style_height(&TextStyle::Body);
    let row_height = line * 2.0 + 10.0;
    let anns = session.annotations().as_slice();
    // When the selection changes (a click in the text, undo…), bring its row into view.
    let memory_id = egui::Id::unique("annotation_list_selected");
    let (previous, shown): (Option<AnnotationId>, std::ops::Range<usize>) =
        ui.data(|d| d.get_temp(memory_id)).unwrap_or_default();
    let mut scroll = egui::ScrollArea::vertical()
        .id_salt("annotation_list")
        .auto_shrink([false, false]);
    if previous.as_ref() != selected
        && let Some(index) = selected.and_then(|id| anns.iter().position(|a| &a.id == id))
        && !(shown.start < index && index + 1 < shown.end)
    {
        let offset =
            (index as f32 * (row_height + ui.spacing().item_spacing.y) - 2.0 * row_height).max(0.0);
        scroll = scroll.vertical_scroll_offset(offset);
    }
    scroll.show_rows(ui, row_height, anns.len(), |ui, rows| {
        ui.data_mut(|d| d.insert_temp(memory_id, (selected.cloned(), rows.clone())));
        for ann in &anns[rows] {
            let is_selected = Some(&ann.id) == selected;
            let response = annotation_row_ui(ui, session, ann, is_selected, line, row_height);
            if response.clicked() || response.secondary_clicked() {
                commands.push(Command::SelectAnnotation(ann.id.clone()));
            }
            response.context_menu(|ui| row_menu_ui(ui, session, ann, commands));
        }
    });
}

/// The right-click menu of an annotation's row (the right-click selected it): copy its quote
/// (with the article's citation), delete it.
fn row_menu_ui(ui: &mut Ui, session: &Session, ann: &Annotation, commands: &mut Vec<Command>) {
    for action in [Action::Copy, Action::CopyWithCitation] {
        if ui
            .button(action.label())
            .on_hover_text("Copy the annotation's words")
            .clicked()
        {
            // Selecting it first: copying takes the selected annotation's quote.
            commands.push(Command::SelectAnnotation(ann.id.clone()));
            commands.push(Command::Do(action));
        }
    }
    super::open_in_review_button(ui, &ann.id, commands);
    ui.separator();
    if ui
        .add_enabled(session.read_only().is_none(), egui::Button::new("Delete"))
        .on_hover_text("Delete this annotation")
        .clicked()
    {
        commands.push(Command::Remove(ann.id.clone()));
    }
}

/// One annotation's row: a bar in its first tag's colour, its tags (and anchor status if not
/// exact), and its quote, each truncated to one line. Returns the row's response.
fn annotation_row_ui(
    ui: &mut Ui,
    session: &Session,
    ann: &Annotation,
    is_selected: bool,
    line: f32,
    row_height: f32,
) -> egui::Response {
    let tags: Vec<&str> = ann
        .tags
        .iter()
        .map(|t| session.codebook().name_of(t))
        .collect();
    let mut tags = tags.join(", ");
    match session.anchor_status(ann) {
        crate::session::AnchorStatus::Exact => {}
        status => tags = format!("{tags} ({})", status.label()),
    }
    let quote = format!("“{}”", ann.quote().replace('\n', " "));
    let tag_color = ann
        .tags
        .first()
        .and_then(|t| session.codebook().tag(t))
        .map(|t| t.color);
    let color = tag_color.map_or(egui::Color32::GRAY, theme::swatch);
    let width = ui.available_width();
    let (rect, _) = ui.allocate_exact_size(vec2(width, row_height), Sense::hover());
    // An id of its own: the row keeps it when the inspector opens above the list (its
    // right-click menu stays open).
    let response = ui.interact(
        rect,
        egui::Id::unique(("annotation_row", &ann.id)),
        Sense::click(),
    );
    let label = format!("{tags}: {quote}");
    response.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Button, true, &label));
    let visuals = ui.visuals();
    if is_selected {
        ui.painter()
            .rect_filled(rect, 4.0, visuals.selection.bg_fill);
    } else if response.hovered() {
        ui.painter()
            .rect_filled(rect, 4.0, visuals.widgets.hovered.weak_bg_fill);
    }
    let bar = egui::Rect::from_min_size(rect.min + vec2(2.0, 4.0), vec2(5.0, row_height - 8.0));
    ui.painter().rect_filled(bar, 2.0, color);
    let (text_color, bg) = if is_selected {
        (
            visuals.selection.stroke.color,
            theme::over(visuals.selection.bg_fill, visuals.panel_fill),
        )
    } else {
        (visuals.text_color(), visuals.panel_fill)
    };
    // The tags line in the tag's colour, made readable on the row.
    let tag_text = tag_color.map_or(text_color, |c| theme::tag_text(c, bg));
    let font = TextStyle::Body.resolve(ui.style());
    let x = bar.right() + 8.0;
    let max_width = (rect.right() - x - 4.0).max(20.0);
    let mut y = rect.top() + 4.0;
    for (text, strong) in [(tags.as_str(), true), (quote.as_str(), false)] {
        let mut job = LayoutJob::single_section(
            text.to_owned(),
            TextFormat::simple(font.clone(), if strong { tag_text } else { text_color }),
        );
        job.wrap = TextWrapping::truncate_at_width(max_width);
        let galley = ui.fonts_mut(|f| f.layout_job(job));
        ui.painter().galley(egui::pos2(x, y), galley, text_color);
        y += line + 2.0;
    }
    response
}
