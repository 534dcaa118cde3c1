//! The codebook editor: add, rename, recolour, reorder and nest tags, set hotkeys and
//! descriptions. Works on a copy; Save writes the folder's `claimmark.codebook.ron`.
//! Annotations refer to tags by id, so renaming a tag keeps every annotation that uses it.

use egui::{Context, RichText, Ui};

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
            .default_width(900.0)
            .show(ctx, |ui| {
                ui.label(format!(
                    "Tags of {folder}. Saved as claimmark.codebook.ron in that folder."
                ));
                ui.separator();
                if let Some((i, action)) = self.table_ui(ui) {
                    self.apply(i, action);
                }
                ui.separator();
                close = self.buttons_ui(ui, commands);
                if let Some(e) = &self.error {
                    ui.colored_label(ui.visuals().error_fg_color, e);
                }
            });
        open && !close
    }

    /// The tags, one editable row each; returns the row whose move or delete button was clicked.
    fn table_ui(&mut self, ui: &mut Ui) -> Option<(usize, Action)> {
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
                        let widths = Widths::of(ui, &self.draft);
                        let ids: Vec<(String, String)> = self
                            .draft
                            .tags
                            .iter()
                            .map(|t| (t.id.clone(), t.name.clone()))
                            .collect();
                        for i in 0..n {
                            let row = Row {
                                index: i,
                                count: n,
                                is_existing: self.existing.contains(&self.draft.tags[i].id),
                                used: self.used(&self.draft.tags[i].id),
                            };
                            let tag = &mut self.draft.tags[i];
                            if let Some(a) = tag_row_ui(ui, &row, tag, &ids, widths) {
                                action = Some((i, a));
                            }
                            ui.end_row();
                        }
                    });
            });
        action
    }

    /// Moves or deletes tag `i`; deleting a tag makes its children top-level tags.
    fn apply(&mut self, i: usize, action: Action) {
        match action {
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

    /// Add tag, Save and Cancel; returns true when the window should close.
    fn buttons_ui(&mut self, ui: &mut Ui, commands: &mut Vec<Command>) -> bool {
        let mut close = false;
        ui.horizontal(|ui| {
            if ui.button("Add tag").clicked() {
                self.add_tag();
            }
            if ui.button("Save").clicked() && self.save(commands) {
                close = true;
            }
            if ui.button("Cancel").clicked() {
                close = true;
            }
        });
        close
    }

    /// Appends a grey tag with the first free id `tagN`.
    fn add_tag(&mut self) {
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

    /// Trims names and ids and, if the codebook is valid, pushes it to be saved (true);
    /// otherwise keeps the error to show (false).
    fn save(&mut self, commands: &mut Vec<Command>) -> bool {
        for t in &mut self.draft.tags {
            t.name = t.name.trim().to_owned();
            t.id = t.id.trim().to_owned();
        }
        match self.draft.validate() {
            Ok(()) => {
                commands.push(Command::SaveCodebook(self.draft.clone()));
                true
            }
            Err(e) => {
                self.error = Some(e.to_string());
                false
            }
        }
    }
}

/// How wide the text fields of the table are: the name column as wide as the longest name
/// (within limits), so names are never cut short. Fields in a grid are given their width
/// outright: a grid gives a column on its first frame only the width of a button.
#[derive(Clone, Copy)]
struct Widths {
    name: f32,
    id: f32,
    description: f32,
    height: f32,
}

impl Widths {
    const NAME_MIN: f32 = 140.0;
    const NAME_MAX: f32 = 300.0;

    fn of(ui: &Ui, codebook: &Codebook) -> Self {
        let font = egui::TextStyle::Body.resolve(ui.style());
        let longest = codebook
            .tags
            .iter()
            .map(|t| {
                ui.fonts_mut(|f| {
                    f.layout_no_wrap(t.name.clone(), font.clone(), egui::Color32::PLACEHOLDER)
                        .size()
                        .x
                })
            })
            .fold(0.0, f32::max);
        // The field's margins and a caret's room.
        let name = (longest + 2.0 * ui.spacing().button_padding.x + 12.0)
            .clamp(Self::NAME_MIN, Self::NAME_MAX);
        Self {
            name,
            id: 100.0,
            description: 220.0,
            height: ui.spacing().interact_size.y,
        }
    }
}

/// A single-line text field exactly `width` wide.
fn text_field(ui: &mut Ui, text: &mut String, salt: (&str, usize), width: f32, height: f32) {
    ui.add_sized(
        [width, height],
        egui::TextEdit::singleline(text)
            .id_salt(salt)
            .desired_width(width),
    );
}

/// What a tag's row needs to know besides the tag.
struct Row {
    /// The row's place in the list (also salts the ids of its fields).
    index: usize,
    /// How many rows there are.
    count: usize,
    /// The tag existed when the editor opened, so its id can no longer change.
    is_existing: bool,
    /// How many annotations of the open article use the tag.
    used: usize,
}

/// One tag's row of the grid: move buttons, colour, name, id, hotkey, parent, description and
/// delete. Returns the move or delete clicked.
fn tag_row_ui(
    ui: &mut Ui,
    row: &Row,
    tag: &mut Tag,
    ids: &[(String, String)],
    widths: Widths,
) -> Option<Action> {
    let (i, n, used) = (row.index, row.count, row.used);
    let mut action = None;
    ui.horizontal(|ui| {
        if ui
            .add_enabled(i > 0, egui::Button::new("Up").small())
            .on_hover_text("Move up")
            .clicked()
        {
            action = Some(Action::Up);
        }
        if ui
            .add_enabled(i + 1 < n, egui::Button::new("Down").small())
            .on_hover_text("Move down")
            .clicked()
        {
            action = Some(Action::Down);
        }
    });
    let mut rgb = tag.color.0;
    if egui::color_picker::color_edit_button_srgb(ui, &mut rgb).changed() {
        tag.color = Rgb(rgb);
    }
    text_field(
        ui,
        &mut tag.name,
        ("tag_name", i),
        widths.name,
        widths.height,
    );
    if row.is_existing {
        ui.weak(&tag.id)
            .on_hover_text("Annotations refer to this id; it cannot change");
    } else {
        text_field(ui, &mut tag.id, ("tag_id", i), widths.id, widths.height);
    }
    hotkey_ui(ui, i, tag);
    parent_ui(ui, i, tag, ids);
    text_field(
        ui,
        &mut tag.description,
        ("tag_desc", i),
        widths.description,
        widths.height,
    );
    let delete = ui
        .add_enabled(used == 0, egui::Button::new("Delete").small())
        .on_disabled_hover_text(format!("{used} annotation(s) in this article use this tag"));
    if delete.clicked() {
        action = Some(Action::Delete);
    }
    action
}

/// The tag's hotkey, 1 to 9 or none.
fn hotkey_ui(ui: &mut Ui, i: usize, tag: &mut Tag) {
    egui::ComboBox::from_id_salt(("tag_key", i))
        .width(40.0)
        .selected_text(tag.hotkey.map_or("–".to_owned(), |k| k.to_string()))
        .show_ui(ui, |ui| {
            ui.selectable_value(&mut tag.hotkey, None, "–");
            for k in 1..=9u8 {
                ui.selectable_value(&mut tag.hotkey, Some(k), k.to_string());
            }
        });
}

/// The tag's parent, any other tag (`ids` holds each tag's id and name) or none.
fn parent_ui(ui: &mut Ui, i: usize, tag: &mut Tag, ids: &[(String, String)]) {
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
            for (id, name) in ids.iter().filter(|(id, _)| *id != own) {
                ui.selectable_value(&mut tag.parent, Some(id.clone()), name);
            }
        });
}

enum Action {
    Up,
    Down,
    Delete,
}
