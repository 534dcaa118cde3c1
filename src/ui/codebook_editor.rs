//! The codebook editor: add, rename, recolour, reorder and nest tags, set hotkeys and
//! descriptions. Works on a copy; Save writes the folder's `claimmark.codebook.ron`.
//! Annotations refer to tags by id, so renaming a tag keeps every annotation that uses it.

use egui::{Context, RichText};

use crate::command::Command;
use crate::model::{Codebook, Rgb, Tag};

pub struct CodebookEditor {
    pub draft: Codebook,
    /// Ids of tags that existed when the editor opened (their id can no longer change).
    existing: Vec<String>,
    /// How many annotations of the open article use each tag id.
    usage: Vec<(String, usize)>,
    pub error: Option<String>,
}

impl CodebookEditor {
    pub fn new(codebook: &Codebook, usage: Vec<(String, usize)>) -> Self {
        Self {
            draft: codebook.clone(),
            existing: codebook.tags.iter().map(|t| t.id.clone()).collect(),
            usage,
            error: None,
        }
    }

    fn used(&self, id: &str) -> usize {
        self.usage
            .iter()
            .find(|(t, _)| t == id)
            .map_or(0, |(_, n)| *n)
    }

    /// Shows the window; returns false when it should close.
    pub fn ui(&mut self, ctx: &Context, folder: &str, commands: &mut Vec<Command>) -> bool {
        let mut open = true;
        let mut close = false;
        egui::Window::new("Codebook")
            .open(&mut open)
            .default_width(760.0)
            .show(ctx, |ui| {
                ui.label(format!(
                    "Tags of {folder}. Saved as claimmark.codebook.ron in that folder."
                ));
                ui.separator();
                let n = self.draft.tags.len();
                let mut action: Option<(usize, Action)> = None;
                egui::ScrollArea::vertical()
                    .max_height(420.0)
                    .show(ui, |ui| {
                        egui::Grid::new("codebook_grid")
                            .striped(true)
                            .num_columns(8)
                            .show(ui, |ui| {
                                for h in [
                                    "",
                                    "Colour",
                                    "Name",
                                    "Id",
                                    "Key",
                                    "Parent",
                                    "Description",
                                    "",
                                ] {
                                    ui.label(RichText::new(h).strong());
                                }
                                ui.end_row();
                                let ids: Vec<(String, String)> = self
                                    .draft
                                    .tags
                                    .iter()
                                    .map(|t| (t.id.clone(), t.name.clone()))
                                    .collect();
                                for i in 0..n {
                                    let is_existing =
                                        self.existing.contains(&self.draft.tags[i].id);
                                    let used = self.used(&self.draft.tags[i].id);
                                    let tag = &mut self.draft.tags[i];
                                    ui.horizontal(|ui| {
                                        if ui
                                            .add_enabled(i > 0, egui::Button::new("Up").small())
                                            .on_hover_text("Move up")
                                            .clicked()
                                        {
                                            action = Some((i, Action::Up));
                                        }
                                        if ui
                                            .add_enabled(
                                                i + 1 < n,
                                                egui::Button::new("Down").small(),
                                            )
                                            .on_hover_text("Move down")
                                            .clicked()
                                        {
                                            action = Some((i, Action::Down));
                                        }
                                    });
                                    let mut rgb = tag.color.0;
                                    if egui::color_picker::color_edit_button_srgb(ui, &mut rgb)
                                        .changed()
                                    {
                                        tag.color = Rgb(rgb);
                                    }
                                    ui.add(
                                        egui::TextEdit::singleline(&mut tag.name)
                                            .id_salt(("tag_name", i))
                                            .desired_width(110.0),
                                    );
                                    if is_existing {
                                        ui.weak(&tag.id).on_hover_text(
                                            "Annotations refer to this id; it cannot change",
                                        );
                                    } else {
                                        ui.add(
                                            egui::TextEdit::singleline(&mut tag.id)
                                                .id_salt(("tag_id", i))
                                                .desired_width(80.0),
                                        );
                                    }
                                    egui::ComboBox::from_id_salt(("tag_key", i))
                                        .width(40.0)
                                        .selected_text(
                                            tag.hotkey.map_or("–".to_owned(), |k| k.to_string()),
                                        )
                                        .show_ui(ui, |ui| {
                                            ui.selectable_value(&mut tag.hotkey, None, "–");
                                            for k in 1..=9u8 {
                                                ui.selectable_value(
                                                    &mut tag.hotkey,
                                                    Some(k),
                                                    k.to_string(),
                                                );
                                            }
                                        });
                                    let parent_name = tag
                                        .parent
                                        .as_ref()
                                        .and_then(|p| ids.iter().find(|(id, _)| id == p))
                                        .map_or("–".to_owned(), |(_, name)| name.clone());
                                    let own = tag.id.clone();
                                    egui::ComboBox::from_id_salt(("tag_parent", i))
                                        .width(90.0)
                                        .selected_text(parent_name)
                                        .show_ui(ui, |ui| {
                                            ui.selectable_value(&mut tag.parent, None, "–");
                                            for (id, name) in
                                                ids.iter().filter(|(id, _)| *id != own)
                                            {
                                                ui.selectable_value(
                                                    &mut tag.parent,
                                                    Some(id.clone()),
                                                    name,
                                                );
                                            }
                                        });
                                    ui.add(
                                        egui::TextEdit::singleline(&mut tag.description)
                                            .id_salt(("tag_desc", i))
                                            .desired_width(220.0),
                                    );
                                    let delete = ui
                                        .add_enabled(used == 0, egui::Button::new("Delete").small())
                                        .on_disabled_hover_text(format!(
                                            "{used} annotation(s) in this article use this tag"
                                        ));
                                    if delete.clicked() {
                                        action = Some((i, Action::Delete));
                                    }
                                    ui.end_row();
                                }
                            });
                    });
                if let Some((i, a)) = action {
                    match a {
                        Action::Up => self.draft.tags.swap(i, i - 1),
                        Action::Down => self.draft.tags.swap(i, i + 1),
                        Action::Delete => {
                            let id = self.draft.tags.remove(i).id;
                            for t in &mut self.draft.tags {
                                if t.parent.as_deref() == Some(id.as_str()) {
                                    t.parent = None;
                                }
                            }
                        }
                    }
                }
                ui.separator();
                ui.horizontal(|ui| {
                    if ui.button("Add tag").clicked() {
                        let mut k = self.draft.tags.len() + 1;
                        while self.draft.tag(&format!("tag{k}")).is_some() {
                            k += 1;
                        }
                        self.draft.tags.push(Tag {
                            id: format!("tag{k}"),
                            name: format!("New tag {k}"),
                            color: Rgb([128, 128, 128]),
                            hotkey: None,
                            description: String::new(),
                            parent: None,
                        });
                    }
                    if ui.button("Save").clicked() {
                        for t in &mut self.draft.tags {
                            t.name = t.name.trim().to_owned();
                            t.id = t.id.trim().to_owned();
                        }
                        match self.draft.validate() {
                            Ok(()) => {
                                commands.push(Command::SaveCodebook(self.draft.clone()));
                                close = true;
                            }
                            Err(e) => self.error = Some(e.to_string()),
                        }
                    }
                    if ui.button("Cancel").clicked() {
                        close = true;
                    }
                });
                if let Some(e) = &self.error {
                    ui.colored_label(ui.visuals().error_fg_color, e);
                }
            });
        open && !close
    }
}

enum Action {
    Up,
    Down,
    Delete,
}
