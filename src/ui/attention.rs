//! "Needs attention": annotations whose words are no longer in the article (orphans), and
//! annotations changed both here and in the file on disk (conflicts). Each orphan is kept
//! untouched until the analyst re-attaches it to a new selection or deletes it; each conflict
//! keeps this app's version until the analyst picks one.

use egui::{RichText, Ui};

use crate::command::Command;
use crate::model::Span;
use crate::session::Session;

pub fn attention_ui(
    ui: &mut Ui,
    session: &Session,
    text_selection: Option<Span>,
    commands: &mut Vec<Command>,
) {
    let orphans: Vec<_> = session
        .annotations()
        .iter()
        .filter(|a| a.anchor.orphaned)
        .collect();
    if orphans.is_empty() && session.conflicts().is_empty() {
        return;
    }
    egui::Frame::new()
        .fill(super::theme::warning_fill(ui.visuals().dark_mode))
        .inner_margin(6.0)
        .corner_radius(4.0)
        .show(ui, |ui| {
            let n = orphans.len() + session.conflicts().len();
            ui.label(RichText::new(format!("Needs attention ({n})")).strong());
            for c in session.conflicts() {
                ui.separator();
                // "changed on both sides": here, and in the file on disk.
                ui.label(format!("Conflict, {}: “{}”", c.describe(), c.quote()));
                if let Some(theirs) = &c.theirs {
                    ui.weak(format!(
                        "Theirs: tags {}; note “{}”",
                        theirs.tags.join(", "),
                        theirs.note
                    ));
                }
                ui.horizontal(|ui| {
                    if ui.button("Keep mine").clicked() {
                        commands.push(Command::ResolveConflict {
                            id: c.id.clone(),
                            keep_mine: true,
                        });
                    }
                    if ui.button("Use theirs").clicked() {
                        commands.push(Command::ResolveConflict {
                            id: c.id.clone(),
                            keep_mine: false,
                        });
                    }
                });
            }
            if orphans.iter().any(|a| session.uncertain(&a.id).is_none()) {
                ui.label(
                    "The article changed and these quotes are no longer in it. They are kept as \
                     they were: select the words they belong to and re-attach, or delete them.",
                );
            }
            for ann in orphans {
                ui.separator();
                if let Some(uncertain) = session.uncertain(&ann.id) {
                    uncertain_ui(ui, session, ann, uncertain, commands);
                    continue;
                }
                let tags: Vec<&str> = ann
                    .tags
                    .iter()
                    .map(|t| session.codebook().name_of(t))
                    .collect();
                ui.label(format!("{}: “{}”", tags.join(", "), ann.quote()));
                ui.horizontal(|ui| {
                    let reattach = ui
                        .add_enabled(
                            text_selection.is_some(),
                            egui::Button::new("Re-attach to selection"),
                        )
                        .on_disabled_hover_text("Select the words in the article first");
                    if reattach.clicked()
                        && let Some(span) = text_selection
                    {
                        commands.push(Command::Reattach(ann.id.clone(), vec![span]));
                    }
                    if ui
                        .button("Delete")
                        .on_hover_text("Delete this annotation (Ctrl+Z undoes)")
                        .clicked()
                    {
                        commands.push(Command::Remove(ann.id.clone()));
                    }
                });
            }
        });
    ui.add_space(6.0);
}

/// An annotation whose words fit more than one place, or fit poorly: each place with the words
/// around it, to choose from.
fn uncertain_ui(
    ui: &mut Ui,
    session: &Session,
    ann: &crate::model::Annotation,
    uncertain: &crate::session::Uncertain,
    commands: &mut Vec<Command>,
) {
    let tags: Vec<&str> = ann
        .tags
        .iter()
        .map(|t| session.codebook().name_of(t))
        .collect();
    ui.label(format!(
        "{}: “{}”: {}. Choose where it belongs:",
        tags.join(", "),
        ann.quote(),
        uncertain.doubt_label()
    ));
    for spans in &uncertain.options {
        let Some(first) = spans.first() else {
            continue;
        };
        let text = &session.article();
        let before = text.slice(Span::between(first.start.saturating_sub(30), first.start));
        let words = text.slice(*first);
        let after_end = (first.end + 30).min(text.char_len());
        let after = text.slice(Span::between(first.end, after_end));
        let label = crate::anchoring::fuzzy::normalize(&format!("…{before}[{words}]{after}…"));
        if ui
            .button(label)
            .on_hover_text(format!(
                "Place it at {}",
                crate::session::spans_label(spans)
            ))
            .clicked()
        {
            commands.push(Command::Reattach(ann.id.clone(), spans.clone()));
        }
    }
    if ui
        .button("Delete")
        .on_hover_text("Delete this annotation (Ctrl+Z undoes)")
        .clicked()
    {
        commands.push(Command::Remove(ann.id.clone()));
    }
}
