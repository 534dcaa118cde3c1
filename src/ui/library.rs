//! The library: the articles of the opened folder tree; a click opens one. Once the folder has
//! been reviewed, each article also shows its date, its annotations per tag, when its
//! annotations last changed, and a warning mark (!) where something needs attention.

use std::path::Path;

use egui::{RichText, Ui};

use crate::command::Command;
use crate::library::Library;

/// What the list shows: the app's folder model, and the article open.
pub struct LibraryContext<'a> {
    pub library: &'a Library,
    pub current: Option<&'a Path>,
}

pub fn library_ui(ui: &mut Ui, cx: &LibraryContext<'_>, commands: &mut Vec<Command>) {
    ui.heading("Articles");
    if let Some(folder) = cx.library.root() {
        ui.weak(folder.display().to_string());
    }
    for problem in cx.library.skipped() {
        ui.colored_label(ui.visuals().warn_fg_color, problem);
    }
    if cx.library.articles().is_empty() && cx.library.busy() {
        // Words, not a spinner: a spinner redraws every frame, and without a GPU drawing is
        // what the folder's walk then waits for (a frame costs a good part of a core).
        ui.weak("Looking for articles…");
    }
    ui.separator();
    let detailed = cx.library.index().is_some();
    let line = ui.spacing().interact_size.y;
    let row_height = if detailed {
        line + ui.text_style_height(&egui::TextStyle::Small) + 2.0
    } else {
        line
    };
    egui::ScrollArea::vertical()
        .id_salt("library")
        .auto_shrink([false, false])
        .show_rows(ui, row_height, cx.library.articles().len(), |ui, range| {
            for path in &cx.library.articles()[range] {
                // Fixed-height rows, so that only the visible ones are laid out.
                let size = egui::vec2(ui.available_width(), row_height);
                ui.allocate_ui_with_layout(size, egui::Layout::top_down(egui::Align::Min), |ui| {
                    ui.set_min_height(row_height);
                    ui.spacing_mut().item_spacing.y = 0.0;
                    article_row(ui, cx, path, commands);
                });
            }
        });
}

fn article_row(ui: &mut Ui, cx: &LibraryContext<'_>, path: &Path, commands: &mut Vec<Command>) {
    let name = match cx.library.root().and_then(|f| path.strip_prefix(f).ok()) {
        Some(relative) => relative.display().to_string(),
        None => path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default(),
    };
    let is_current = Some(path) == cx.current;
    let entry = cx.library.entry(path);
    let mut label = name;
    if entry.is_some_and(|e| e.attention.is_some()) {
        label = format!("(!) {label}");
    } else if cx.library.has_annotations(path) {
        label.push_str("  •");
    }
    let response = ui.selectable_label(is_current, label).on_hover_text(
        match entry.and_then(|e| e.attention.as_deref()) {
            Some(why) => format!("{}\nNeeds attention: {why}", path.display()),
            None => path.display().to_string(),
        },
    );
    if response.clicked() && !is_current {
        commands.push(Command::Open(path.to_owned()));
    }
    if let (Some(entry), Some(index)) = (entry, cx.library.index()) {
        let counts: Vec<String> = entry
            .tag_counts
            .iter()
            .map(|(id, n)| {
                let name = index
                    .tags
                    .iter()
                    .find(|t| &t.id == id)
                    .map_or(id.as_str(), |t| t.name.as_str());
                format!("{name} {n}")
            })
            .collect();
        let mut line = entry.date.clone().unwrap_or_default();
        // The article's own title, when its file has one.
        if path
            .file_name()
            .is_some_and(|n| n.to_string_lossy() != entry.title)
        {
            line = if line.is_empty() {
                entry.title.clone()
            } else {
                format!("{} · {line}", entry.title)
            };
        }
        if !counts.is_empty() {
            if !line.is_empty() {
                line.push_str(" · ");
            }
            line.push_str(&counts.join(", "));
        }
        if let Some(modified) = &entry.modified {
            let day = modified.get(..10).unwrap_or(modified);
            if !line.is_empty() {
                line.push_str(" · ");
            }
            line.push_str(&format!("edited {day}"));
        }
        ui.add(egui::Label::new(RichText::new(line).small().weak()).truncate());
    }
}
