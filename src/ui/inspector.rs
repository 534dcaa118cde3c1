//! The inspector: edits the selected annotation's claim record. Every committed change is one
//! [`Command::UpdateAnnotation`], so one undoable step. Text fields edit a draft that is
//! committed when the field loses focus (or on Enter), not on every keystroke.

use egui::{RichText, Ui, vec2};

use crate::command::Command;
use crate::model::claim::{format_grade, parse_grade};
use crate::model::{
    Annotation, AnnotationId, Confidence, Credibility, Link, LinkKind, Reliability, Source,
    SourceRegistry, Status,
};
use crate::review::Index;
use crate::session::Session;

/// An annotation of another article in the folder, offered as a link target.
#[derive(Clone, Debug)]
pub struct FolderAnnotation {
    pub article: String,
    pub id: AnnotationId,
    pub label: String,
}

/// What the inspector reads.
pub struct InspectorContext<'a> {
    pub session: &'a Session,
    pub annotation: &'a Annotation,
    /// Annotations of the folder's other articles (loaded on demand).
    pub folder: Option<&'a [FolderAnnotation]>,
    /// The library's index, once scanned: the names already used in the folder are offered
    /// for "Attributed to".
    pub index: Option<&'a Index>,
}

/// Drafts of the text fields, and the link being made.
#[derive(Default)]
pub struct Inspector {
    shown: Option<Annotation>,
    attributed: String,
    via: String,
    grade: String,
    note: String,
    grade_error: Option<String>,
    link_kind: Option<LinkKind>,
    /// Asks the app to load the folder's annotations (for cross-article links).
    pub wants_folder: bool,
    /// Focus the grade field on the next frame (key G).
    pub focus_grade: bool,
    /// The text field that had keyboard focus last frame.
    focused: Option<&'static str>,
    /// How wide the sources picker next to "Attributed to" was last frame.
    picker_width: f32,
    /// How wide the "Add to sources" button next to it was the last time it was shown.
    add_width: f32,
}

pub const GRADE_FIELD: &str = "inspector_grade";

impl Inspector {
    /// Takes the drafts from the annotation, except the field being typed into.
    fn refresh(&mut self, ann: &Annotation) {
        let r = &ann.record;
        if self.focused != Some("attributed") {
            self.attributed = r.attributed_to.clone().unwrap_or_default();
        }
        if self.focused != Some("via") {
            self.via = r.via.join(", ");
        }
        self.grade = match (r.reliability, r.credibility) {
            (None, None) => String::new(),
            (g, c) => format_grade(g, c),
        };
        if self.focused != Some("note") {
            self.note = ann.note.clone();
        }
        self.grade_error = None;
        self.shown = Some(ann.clone());
    }

    pub fn ui(&mut self, ui: &mut Ui, cx: &InspectorContext<'_>, commands: &mut Vec<Command>) {
        let ann = cx.annotation;
        // Refresh drafts when another annotation is shown or this one changed (undo, keys).
        if self.shown.as_ref().map(|a| &a.id) != Some(&ann.id) {
            self.focused = None;
        }
        if self.shown.as_ref() != Some(ann) {
            self.refresh(ann);
        }
        let mut focused = None;
        // Nothing wider than the panel, and room for the scroll bar that floats over its edge.
        let scroll = &ui.spacing().scroll;
        let reserve = scroll.bar_width + scroll.bar_inner_margin + scroll.bar_outer_margin;
        ui.set_max_width((ui.available_width() - reserve).max(120.0));
        // Links into other articles are shown by their target's current article and quote.
        if cx.folder.is_none() && ann.record.links.iter().any(|l| l.article.is_some()) {
            self.wants_folder = true;
        }

        tags_ui(ui, cx, commands);
        ui.add_space(4.0);

        egui::Grid::new("inspector_grid")
            .num_columns(2)
            .spacing([8.0, 6.0])
            .show(ui, |ui| {
                self.attributed_ui(ui, cx, commands, &mut focused);
                ui.end_row();

                source_span_ui(ui, ann, commands);
                ui.end_row();

                self.via_ui(ui, cx, commands, &mut focused);
                ui.end_row();

                self.grade_ui(ui, ann, commands);
                ui.end_row();

                ui.label("");
                credibility_ui(ui, ann, commands);
                ui.end_row();
            });
        if let Some(e) = &self.grade_error {
            ui.colored_label(ui.visuals().error_fg_color, e);
        }
        status_ui(ui, ann, commands);
        confidence_ui(ui, ann, commands);

        self.note_ui(ui, ann, commands, &mut focused);
        self.focused = focused;

        self.links_ui(ui, cx, commands);

        fragments_ui(ui, ann, commands);
        anchoring_ui(ui, cx);
        ui.weak(format!(
            "{} · created {} · changed {}",
            ann.author, ann.created, ann.modified
        ));
    }

    /// The "Attributed to" row: a draft of who makes the claim, and a pick from the folder's
    /// source registry. Sets `focused` while the field has keyboard focus.
    fn attributed_ui(
        &mut self,
        ui: &mut Ui,
        cx: &InspectorContext<'_>,
        commands: &mut Vec<Command>,
        focused: &mut Option<&'static str>,
    ) {
        let ann = cx.annotation;
        let sources = &cx.session.sources();
        let label = ui
            .label("Attributed to")
            .on_hover_text("Who makes the claim: a person, agency or document");
        let unregistered = unregistered_name(cx);
        ui.horizontal(|ui| {
            // The field takes what the buttons after it leave (as wide as they were last frame).
            let gap = ui.spacing().item_spacing.x;
            let mut after = self.picker_width.max(ui.spacing().interact_size.x) + gap;
            if unregistered.is_some() {
                after += self.add_width.max(ui.spacing().interact_size.y) + gap;
            }
            let width = ui.available_width() - after;
            let response = ui
                .add(
                    egui::TextEdit::singleline(&mut self.attributed)
                        .id_salt("inspector_attributed")
                        .hint_text(crate::ui::theme::hint("speaker or source"))
                        .desired_width(width.max(40.0)),
                )
                .labelled_by(label.id);
            if response.has_focus() {
                *focused = Some("attributed");
            }
            if response.changed() {
                let typed = self.attributed.trim().to_owned();
                type_into(ann, commands, "attributed", |a| {
                    a.record.attributed_to = Some(typed).filter(|t| !t.is_empty());
                });
            }
            if response.lost_focus() {
                let typed = self.attributed.trim().to_owned();
                type_into(ann, commands, "attributed", |a| {
                    a.record.attribute_to(&typed, sources);
                });
            }
            if let Some(name) = unregistered {
                self.add_width = add_to_sources_ui(ui, cx, name, commands).rect.width();
            }
            self.picker_width = source_picker_ui(ui, cx, commands).rect.width();
        });
    }

    /// The "Reported via" row: the outlets, typed comma-separated; names are made canonical
    /// (by the source registry) when the field loses focus. Sets `focused` while it has focus.
    fn via_ui(
        &mut self,
        ui: &mut Ui,
        cx: &InspectorContext<'_>,
        commands: &mut Vec<Command>,
        focused: &mut Option<&'static str>,
    ) {
        let ann = cx.annotation;
        let sources = &cx.session.sources();
        let label = ui.label("Reported via").on_hover_text(
            "The outlets the claim passed through, from the source outward, separated by commas",
        );
        let response = ui
            .add(
                egui::TextEdit::singleline(&mut self.via)
                    .id_salt("inspector_via")
                    .hint_text(crate::ui::theme::hint("KCNA, India Today"))
                    .desired_width(ui.available_width()),
            )
            .labelled_by(label.id);
        if response.has_focus() {
            *focused = Some("via");
        }
        let split = |text: &str| -> Vec<String> {
            text.split(',')
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(str::to_owned)
                .collect()
        };
        if response.changed() {
            let via = split(&self.via);
            type_into(ann, commands, "via", |a| a.record.via = via);
        }
        if response.lost_focus() {
            let via: Vec<String> = self
                .via
                .split(',')
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(|s| sources.canonical(s))
                .collect();
            type_into(ann, commands, "via", |a| a.record.via = via);
        }
    }

    /// The "Grade" row: the Admiralty grade typed as e.g. B2 (committed when the field loses
    /// focus), and the reliability picked from a list.
    fn grade_ui(&mut self, ui: &mut Ui, ann: &Annotation, commands: &mut Vec<Command>) {
        let label = ui
            .label("Grade")
            .on_hover_text("Admiralty grade: type e.g. B2 and press Enter (key G jumps here)");
        ui.horizontal(|ui| {
            let response = ui
                .add(
                    egui::TextEdit::singleline(&mut self.grade)
                        .id(egui::Id::unique(GRADE_FIELD))
                        .hint_text(crate::ui::theme::hint("B2"))
                        .desired_width(36.0),
                )
                .labelled_by(label.id);
            if self.focus_grade {
                response.request_focus();
                self.focus_grade = false;
            }
            if response.lost_focus() {
                if self.grade.trim().is_empty() {
                    update(ann, commands, |a| {
                        a.record.reliability = None;
                        a.record.credibility = None;
                    });
                } else {
                    match parse_grade(&self.grade) {
                        Ok((r, c)) => {
                            self.grade_error = None;
                            update(ann, commands, |a| {
                                a.record.reliability = r;
                                a.record.credibility = c;
                            });
                        }
                        Err(e) => self.grade_error = Some(e.to_string()),
                    }
                }
            }
            reliability_ui(ui, ann, commands);
        });
    }

    /// The note, a multi-line draft. Sets `focused` while it has keyboard focus.
    fn note_ui(
        &mut self,
        ui: &mut Ui,
        ann: &Annotation,
        commands: &mut Vec<Command>,
        focused: &mut Option<&'static str>,
    ) {
        let label = ui.label("Note");
        let response = ui
            .add(
                egui::TextEdit::multiline(&mut self.note)
                    .id_salt("inspector_note")
                    .hint_text(crate::ui::theme::hint("what to check, context, doubts…"))
                    .desired_rows(3)
                    .desired_width(f32::INFINITY),
            )
            .labelled_by(label.id);
        if response.has_focus() {
            *focused = Some("note");
        }
        if response.changed() {
            let note = self.note.clone();
            type_into(ann, commands, "note", |a| a.note = note);
        }
    }

    fn links_ui(&mut self, ui: &mut Ui, cx: &InspectorContext<'_>, commands: &mut Vec<Command>) {
        let ann = cx.annotation;
        ui.label(RichText::new("Links").strong());
        for (i, link) in ann.record.links.iter().enumerate() {
            let target = describe_target(cx, link);
            let text = format!("{}: {target}", link.kind.label());
            if removable_ui(ui, &text, "Remove this link") {
                update(ann, commands, |a| {
                    a.record.links.remove(i);
                });
            }
        }
        // Wrapped, so the two lists fit a narrow panel.
        ui.horizontal_wrapped(|ui| {
            let kind = self.link_kind.unwrap_or(LinkKind::SameClaimAs);
            egui::ComboBox::from_id_salt("inspector_link_kind")
                .selected_text(kind.label())
                .show_ui(ui, |ui| {
                    for k in LinkKind::ALL {
                        if ui.selectable_label(k == kind, k.label()).clicked() {
                            self.link_kind = Some(k);
                        }
                    }
                });
            // What the kind's list leaves of the line, up to 160 points.
            let width = ui.available_rect_before_wrap().width().clamp(80.0, 160.0);
            let response = egui::ComboBox::from_id_salt("inspector_link_target")
                .selected_text("Link to…")
                .width(width)
                .show_ui(ui, |ui| {
                    ui.weak("In this article");
                    for other in cx.session.annotations().iter().filter(|o| o.id != ann.id) {
                        let label = format!("“{}”", short(&other.quote(), 50));
                        if ui.selectable_label(false, label).clicked() {
                            let link = Link {
                                kind,
                                target: other.id.clone(),
                                article: None,
                            };
                            update(ann, commands, |a| a.record.links.push(link.clone()));
                        }
                    }
                    ui.separator();
                    ui.weak("In other articles of the folder");
                    match cx.folder {
                        None => {
                            ui.weak("loading…");
                        }
                        Some([]) => {
                            ui.weak("none");
                        }
                        Some(list) => {
                            for other in list {
                                let label = format!("{}: {}", other.article, other.label);
                                if ui.selectable_label(false, label).clicked() {
                                    let link = Link {
                                        kind,
                                        target: other.id.clone(),
                                        article: Some(other.article.clone()),
                                    };
                                    update(ann, commands, |a| a.record.links.push(link.clone()));
                                }
                            }
                        }
                    }
                });
            if response.response.clicked() || response.inner.is_some() {
                self.wants_folder = true;
            }
        });
    }
}

/// The annotation's tags (each removable while more than one is left), and a list to add one.
fn tags_ui(ui: &mut Ui, cx: &InspectorContext<'_>, commands: &mut Vec<Command>) {
    let ann = cx.annotation;
    let codebook = &cx.session.codebook();
    ui.horizontal_wrapped(|ui| {
        for tag in &ann.tags {
            let panel = ui.visuals().panel_fill;
            let color = codebook.tag(tag).map_or(ui.visuals().text_color(), |t| {
                super::theme::tag_text(t.color, panel)
            });
            ui.label(RichText::new(codebook.path(tag)).strong().color(color));
            if ann.tags.len() > 1
                && ui
                    .small_button("×")
                    .on_hover_text("Remove this tag")
                    .clicked()
            {
                let tag = tag.clone();
                update(ann, commands, |a| a.tags.retain(|t| t != &tag));
            }
        }
        egui::ComboBox::from_id_salt("inspector_add_tag")
            .selected_text("Add tag")
            .show_ui(ui, |ui| {
                for t in &codebook.tags {
                    if ann.tags.contains(&t.id) {
                        continue;
                    }
                    let label = format!("{}{}", "  ".repeat(codebook.depth(&t.id)), t.name);
                    if ui
                        .selectable_label(false, label)
                        .on_hover_text(&t.description)
                        .clicked()
                    {
                        let id = t.id.clone();
                        update(ann, commands, |a| a.tags.push(id.clone()));
                    }
                }
            });
    });
}

/// Who claims can be attributed to: the folder's source registry (picking a source also
/// gives its default reliability, if the claim has none yet), then every other name already
/// used in the folder as "attributed to" or "reported via". Returns the picker's response.
fn source_picker_ui(
    ui: &mut Ui,
    cx: &InspectorContext<'_>,
    commands: &mut Vec<Command>,
) -> egui::Response {
    let ann = cx.annotation;
    let sources = &cx.session.sources();
    egui::ComboBox::from_id_salt("inspector_sources")
        .selected_text("")
        .width(20.0)
        .show_ui(ui, |ui| {
            let (registered, others) = name_choices(sources, used_names(cx));
            if registered.is_empty() {
                ui.weak("No sources in this folder's registry yet");
            }
            for name in &registered {
                let Some(s) = sources.resolve(name) else {
                    continue;
                };
                let hint = if s.aliases.is_empty() {
                    s.description.clone()
                } else {
                    format!("Also: {}. {}", s.aliases.join(", "), s.description)
                };
                let mut response = ui.selectable_label(false, &s.name);
                if !hint.trim().is_empty() {
                    response = response.on_hover_text(hint);
                }
                if response.clicked() {
                    let s = s.clone();
                    update(ann, commands, |a| {
                        if a.record.reliability.is_none() {
                            a.record.reliability = s.reliability;
                        }
                        a.record.attributed_to = Some(s.name.clone());
                    });
                }
            }
            if !others.is_empty() {
                ui.separator();
                ui.weak("Used in this folder");
                for name in others {
                    if ui.selectable_label(false, &name).clicked() {
                        update(ann, commands, |a| a.record.attributed_to = Some(name));
                    }
                }
            }
        })
        .response
        .on_hover_text("Pick a source of the registry or a name used in this folder")
}

/// Every name used as "attributed to" or "reported via" in the folder (from the library's
/// index) and in the open article (which the index may not have caught up with).
fn used_names<'a>(cx: &'a InspectorContext<'_>) -> impl Iterator<Item = &'a str> {
    let indexed = cx
        .index
        .into_iter()
        .flat_map(|index| index.claims.source_names());
    let open = cx
        .session
        .annotations()
        .iter()
        .flat_map(|a| a.record.attributed_to.iter().chain(&a.record.via))
        .map(String::as_str);
    indexed.chain(open)
}

/// The names to offer for "Attributed to": the registry's sources, sorted; then the other
/// `used` names, sorted, each once (ignoring case), leaving out those the registry knows
/// (by name or alias).
pub fn name_choices<'n>(
    registry: &SourceRegistry,
    used: impl IntoIterator<Item = &'n str>,
) -> (Vec<String>, Vec<String>) {
    let sorted = |mut names: Vec<String>| {
        names.sort_by_cached_key(|n| (n.to_lowercase(), n.clone()));
        names.dedup_by(|a, b| a.to_lowercase() == b.to_lowercase());
        names
    };
    let registered = sorted(registry.sources.iter().map(|s| s.name.clone()).collect());
    let others = sorted(
        used.into_iter()
            .map(str::trim)
            .filter(|n| !n.is_empty() && registry.resolve(n).is_none())
            .map(str::to_owned)
            .collect(),
    );
    (registered, others)
}

/// The name the claim is attributed to, if the folder's source registry does not know it.
fn unregistered_name<'a>(cx: &InspectorContext<'a>) -> Option<&'a str> {
    cx.annotation
        .record
        .attributed_to
        .as_deref()
        .map(str::trim)
        .filter(|n| !n.is_empty() && cx.session.sources().resolve(n).is_none())
}

/// Next to "Attributed to" a name the folder's registry does not know: a small + button
/// ("Add to sources") adding it to the registry in one step.
fn add_to_sources_ui(
    ui: &mut Ui,
    cx: &InspectorContext<'_>,
    name: &str,
    commands: &mut Vec<Command>,
) -> egui::Response {
    let response = ui.small_button("+").on_hover_text(format!(
        "Add to sources: put “{name}” in this folder's source registry, so it is offered \
             for every claim"
    ));
    response.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Button, true, "Add to sources"));
    if response.clicked() {
        let mut registry = cx.session.sources().clone();
        registry.sources.push(Source::named(name));
        commands.push(Command::SaveSources(registry));
    }
    response
}

/// The "Source in text" row: the span of the source's name, if marked (Alt+drag), to forget.
fn source_span_ui(ui: &mut Ui, ann: &Annotation, commands: &mut Vec<Command>) {
    ui.label("Source in text")
        .on_hover_text("The span of the source's name in the article");
    ui.vertical(|ui| {
        if let Some(f) = &ann.record.source_span {
            let quote = format!("“{}”", short(&f.quote, 30));
            if removable_ui(ui, &quote, "Forget the source span") {
                update(ann, commands, |a| a.record.source_span = None);
            }
        }
        ui.weak("Alt+drag over the name")
            .on_hover_text("Hold Alt and drag over the source's name in the article's text");
    });
}

/// The reliability half of the grade (A–F), picked from a list.
fn reliability_ui(ui: &mut Ui, ann: &Annotation, commands: &mut Vec<Command>) {
    let r = ann.record.reliability;
    egui::ComboBox::from_id_salt("inspector_reliability")
        .truncate()
        .selected_text(r.map_or("Reliability".into(), |r| {
            format!("{}: {}", r.letter(), r.meaning())
        }))
        .show_ui(ui, |ui| {
            for g in Reliability::ALL {
                if ui
                    .selectable_label(r == Some(g), format!("{}: {}", g.letter(), g.meaning()))
                    .clicked()
                {
                    update(ann, commands, |a| a.record.reliability = Some(g));
                }
            }
        });
}

/// The credibility half of the grade (1–6), picked from a list.
fn credibility_ui(ui: &mut Ui, ann: &Annotation, commands: &mut Vec<Command>) {
    let c = ann.record.credibility;
    egui::ComboBox::from_id_salt("inspector_credibility")
        .truncate()
        .selected_text(c.map_or("Credibility".into(), |c| {
            format!("{}: {}", c.digit(), c.meaning())
        }))
        .show_ui(ui, |ui| {
            for g in Credibility::ALL {
                if ui
                    .selectable_label(c == Some(g), format!("{}: {}", g.digit(), g.meaning()))
                    .clicked()
                {
                    update(ann, commands, |a| a.record.credibility = Some(g));
                }
            }
        });
}

/// The claim's status, one of four.
fn status_ui(ui: &mut Ui, ann: &Annotation, commands: &mut Vec<Command>) {
    // Wrapped rows, so the four statuses fit a narrow panel.
    ui.horizontal_wrapped(|ui| {
        ui.label("Status");
        for s in Status::ALL {
            if ui
                .selectable_label(ann.record.status == s, s.label())
                .clicked()
            {
                update(ann, commands, |a| a.record.status = s);
            }
        }
    });
}

/// The analyst's confidence, if any: clicking the chosen one clears it.
fn confidence_ui(ui: &mut Ui, ann: &Annotation, commands: &mut Vec<Command>) {
    ui.horizontal_wrapped(|ui| {
        ui.label("Confidence")
            .on_hover_text("Your analytic confidence in this judgement");
        for c in Confidence::ALL {
            let on = ann.record.confidence == Some(c);
            if ui.selectable_label(on, c.label()).clicked() {
                update(ann, commands, |a| {
                    a.record.confidence = if on { None } else { Some(c) }
                });
            }
        }
    });
}

/// The fragments of an annotation made of more than one, each removable.
fn fragments_ui(ui: &mut Ui, ann: &Annotation, commands: &mut Vec<Command>) {
    if ann.fragments.len() <= 1 {
        return;
    }
    ui.label(RichText::new(format!("Fragments ({})", ann.fragments.len())).strong());
    for (i, f) in ann.fragments.iter().enumerate() {
        let text = format!("{}–{} “{}”", f.span.start, f.span.end, short(&f.quote, 28));
        if removable_ui(ui, &text, "Remove this fragment") {
            update(ann, commands, |a| {
                a.fragments.remove(i);
            });
        }
    }
}

/// How the annotation was found in the text: its anchor status, and (collapsed) the quotes
/// that changed and the anchoring history.
fn anchoring_ui(ui: &mut Ui, cx: &InspectorContext<'_>) {
    let ann = cx.annotation;
    let status = cx.session.anchor_status(ann);
    ui.collapsing(format!("Anchoring: {}", status.label()), |ui| {
        for f in &ann.fragments {
            if let Some(original) = &f.original_quote {
                ui.label(format!(
                    "Originally “{}”, now “{}”",
                    short(original, 60),
                    short(&f.quote, 60)
                ));
            }
        }
        if ann.anchor.history.is_empty() {
            ui.weak("Found at its stored position since it was made.");
        }
        for line in &ann.anchor.history {
            ui.weak(line);
        }
    });
}

/// A line of text cut to the width left for it (the whole text on hover), then a × button;
/// returns true when the × is clicked.
fn removable_ui(ui: &mut Ui, text: &str, remove_hint: &str) -> bool {
    ui.horizontal(|ui| {
        // The × with its padding, and the gap before it.
        let button = ui.spacing().interact_size.y + ui.spacing().item_spacing.x;
        let room = (ui.available_width() - button).max(40.0);
        ui.allocate_ui(vec2(room, ui.spacing().interact_size.y), |ui| {
            ui.add(egui::Label::new(text).truncate());
        });
        ui.small_button("×").on_hover_text(remove_hint).clicked()
    })
    .inner
}

/// Pushes an edited copy of `ann` as one undoable step, if the edit changed anything.
fn update(ann: &Annotation, commands: &mut Vec<Command>, f: impl FnOnce(&mut Annotation)) {
    let mut new = ann.clone();
    f(&mut new);
    if &new != ann {
        commands.push(Command::UpdateAnnotation(Box::new(new)));
    }
}

/// Pushes an edit made by typing into `field`; the app merges a run of them into one undo step.
fn type_into(
    ann: &Annotation,
    commands: &mut Vec<Command>,
    field: &'static str,
    f: impl FnOnce(&mut Annotation),
) {
    let mut new = ann.clone();
    f(&mut new);
    if &new != ann {
        commands.push(Command::TypeInto(Box::new(new), field));
    }
}

fn describe_target(cx: &InspectorContext<'_>, link: &Link) -> String {
    if let Some(a) = cx.session.annotations().get(&link.target) {
        return format!("“{}”", short(&a.quote(), 40));
    }
    if let Some(f) = cx
        .folder
        .and_then(|list| list.iter().find(|f| f.id == link.target))
    {
        return format!("{}: {}", f.article, f.label);
    }
    match &link.article {
        Some(article) => format!("an annotation in {article}"),
        None => format!("annotation {}", link.target),
    }
}

fn short(text: &str, max: usize) -> String {
    let one_line = text.replace('\n', " ");
    if one_line.chars().count() <= max {
        one_line
    } else {
        let mut s: String = one_line.chars().take(max).collect();
        s.push('…');
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_offered_are_the_registry_s_then_the_folder_s_each_sorted_once() {
        let mut alpha = Source::named("Alpha Wire");
        alpha.aliases.push("AW".into());
        let registry = SourceRegistry {
            sources: vec![Source::named("Zeta Agency"), alpha],
        };
        let used = [
            "KSNA",
            "aw",
            "Kira Janssen",
            "kira janssen",
            " Inland Courier ",
            "",
            "zeta agency",
            "KSNA",
        ];
        let (registered, others) = name_choices(&registry, used);
        assert_eq!(registered, ["Alpha Wire", "Zeta Agency"]);
        assert_eq!(others, ["Inland Courier", "Kira Janssen", "KSNA"]);
    }
}
