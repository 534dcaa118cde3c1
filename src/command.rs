//! Every action a user can take, with its label, tooltip and shortcut in one place, so that
//! menus, key bindings and buttons agree. Panels push commands; only `app.rs` applies them.

use std::path::PathBuf;

use egui::{Key, KeyboardShortcut, Modifiers};

use crate::model::{
    Annotation, AnnotationId, Codebook, Credibility, Reliability, SourceRegistry, TagId,
};

#[derive(Clone, Debug, PartialEq)]
pub enum Command {
    OpenDialog,
    OpenTypedPath,
    Open(PathBuf),
    Save,
    Quit,
    Undo,
    Redo,
    DeleteAnnotation,
    Find,
    FindNext,
    FindPrevious,
    CloseFind,
    ZoomIn,
    ZoomOut,
    ZoomReset,
    /// Tag the current text selection.
    Tag(TagId),
    /// Select an annotation and scroll to it.
    SelectAnnotation(AnnotationId),
    /// Clear the annotation selection.
    Deselect,
    /// Set the selected annotation's source reliability and/or information credibility.
    SetGrade(Option<Reliability>, Option<Credibility>),
    /// Ask for a folder and continue in a copy of the article there, with its annotations.
    SaveAs,
    /// Continue in a copy of the article next to it (for an unreadable sidecar).
    WorkInCopy,
    /// Settle a conflict between this app's and the disk's version of an annotation.
    ResolveConflict {
        id: AnnotationId,
        keep_mine: bool,
    },
    /// Attach an orphaned or uncertain annotation to words: one span per fragment.
    Reattach(AnnotationId, Vec<crate::model::Span>),
    /// Delete an annotation (not necessarily the selected one).
    Remove(AnnotationId),
    /// Replace an annotation with an edited copy (one undoable step).
    UpdateAnnotation(Box<Annotation>),
    /// Like `UpdateAnnotation`, from typing into the named field: consecutive changes to the same
    /// field of the same annotation make one undo step.
    TypeInto(Box<Annotation>, &'static str),
    OpenCodebookEditor,
    OpenSourcesEditor,
    OpenSettings,
    /// Show the review of the folder (or go back to the article).
    ToggleReview,
    /// Open a claim of the review (an index into the review's claims) in its article.
    JumpToClaim {
        article: PathBuf,
        id: String,
    },
    /// The next / previous claim of the review's filtered list, across articles.
    NextClaim,
    PreviousClaim,
    /// Open the export window.
    OpenExport,
    /// Open the import window.
    OpenImport,
    /// Save pending edits, then run the export the window describes.
    RunExport,
    /// Save pending edits, then run the import the window describes.
    RunImport,
    /// Write the folder's codebook and use it.
    SaveCodebook(Codebook),
    /// Write the folder's source registry and use it.
    SaveSources(SourceRegistry),
}

const CMD: Modifiers = Modifiers::COMMAND;
const CMD_SHIFT: Modifiers = Modifiers {
    alt: false,
    ctrl: false,
    shift: true,
    mac_cmd: false,
    command: true,
};

impl Command {
    /// Commands reachable by a keyboard shortcut, checked in this order (longer modifier sets
    /// first, so Ctrl+Shift+Z is not taken for Ctrl+Z).
    pub const WITH_SHORTCUTS: &'static [Command] = &[
        Command::Redo,
        Command::OpenDialog,
        Command::OpenTypedPath,
        Command::Save,
        Command::Quit,
        Command::Undo,
        Command::Find,
        Command::ZoomIn,
        Command::ZoomOut,
        Command::ZoomReset,
        Command::OpenSettings,
        Command::OpenExport,
        Command::ToggleReview,
    ];

    pub fn label(&self) -> &'static str {
        match self {
            Command::OpenDialog => "Open…",
            Command::OpenTypedPath => "Open path…",
            Command::Open(_) => "Open",
            Command::Save => "Save",
            Command::Quit => "Quit",
            Command::Undo => "Undo",
            Command::Redo => "Redo",
            Command::DeleteAnnotation => "Delete annotation",
            Command::Find => "Find…",
            Command::FindNext => "Find next",
            Command::FindPrevious => "Find previous",
            Command::CloseFind => "Close find bar",
            Command::ZoomIn => "Larger text",
            Command::ZoomOut => "Smaller text",
            Command::ZoomReset => "Default text size",
            Command::Tag(_) => "Tag selection",
            Command::SelectAnnotation(_) => "Select annotation",
            Command::Deselect => "Deselect",
            Command::UpdateAnnotation(_) | Command::TypeInto(..) => "Change annotation",
            Command::SetGrade(..) => "Set grade",
            Command::Reattach(..) => "Re-attach",
            Command::SaveAs => "Save as…",
            Command::WorkInCopy => "Work in a copy",
            Command::ResolveConflict { .. } => "Resolve conflict",
            Command::Remove(_) => "Delete",
            Command::OpenCodebookEditor => "Codebook…",
            Command::OpenSourcesEditor => "Sources…",
            Command::OpenSettings => "Settings…",
            Command::ToggleReview => "Review folder",
            Command::JumpToClaim { .. } => "Open claim",
            Command::NextClaim => "Next claim",
            Command::PreviousClaim => "Previous claim",
            Command::OpenExport => "Export…",
            Command::OpenImport => "Import…",
            Command::RunExport => "Export",
            Command::RunImport => "Import",
            Command::SaveCodebook(_) => "Save codebook",
            Command::SaveSources(_) => "Save sources",
        }
    }

    pub fn tooltip(&self) -> &'static str {
        match self {
            Command::OpenDialog => {
                "Open an article or a folder of articles with the system file dialog"
            }
            Command::OpenTypedPath => "Type the path of an article or folder to open",
            Command::Save => {
                "Write the annotations next to the article now (autosave also runs 2 s after each edit)"
            }
            Command::Undo => "Undo the last annotation edit",
            Command::Redo => "Redo the last undone edit",
            Command::DeleteAnnotation => "Delete the selected annotation",
            Command::Find => {
                "Find text in the article; Enter selects the next match, Esc closes and keeps it"
            }
            Command::OpenCodebookEditor => {
                "Add, rename, recolour, reorder and nest the folder's tags"
            }
            Command::OpenSourcesEditor => {
                "The folder's sources: names, aliases and default reliability"
            }
            Command::OpenSettings => "Analyst name, theme, text size, reading width, panels",
            Command::ToggleReview => {
                "Every claim of the folder and its subfolders in one table, with filters, the claim register and charts"
            }
            Command::NextClaim => "Open the next claim of the review's list (J)",
            Command::PreviousClaim => "Open the previous claim of the review's list (K)",
            Command::OpenExport => {
                "Write the claims of this article or the folder as CSV, JSON Lines, a brief, W3C Web Annotation, brat or REFI-QDA"
            }
            Command::OpenImport => {
                "Bring in annotations from JSON Lines, W3C Web Annotation or brat files"
            }
            Command::SaveAs => {
                "Continue in a copy of the article and its annotations in another folder"
            }
            _ => "",
        }
    }

    pub fn shortcut(&self) -> Option<KeyboardShortcut> {
        let sc = |m, k| Some(KeyboardShortcut::new(m, k));
        match self {
            Command::OpenDialog => sc(CMD, Key::O),
            Command::OpenTypedPath => sc(CMD, Key::L),
            Command::Save => sc(CMD, Key::S),
            Command::Quit => sc(CMD, Key::Q),
            Command::Undo => sc(CMD, Key::Z),
            Command::Redo => sc(CMD_SHIFT, Key::Z),
            Command::DeleteAnnotation => sc(Modifiers::NONE, Key::Delete),
            Command::Find => sc(CMD, Key::F),
            Command::FindNext => sc(Modifiers::NONE, Key::Enter),
            Command::FindPrevious => sc(Modifiers::SHIFT, Key::Enter),
            Command::CloseFind => sc(Modifiers::NONE, Key::Escape),
            Command::ZoomIn => sc(CMD, Key::Plus),
            Command::ZoomOut => sc(CMD, Key::Minus),
            Command::ZoomReset => sc(CMD, Key::Num0),
            Command::OpenSettings => sc(CMD, Key::Comma),
            Command::OpenExport => sc(CMD, Key::E),
            Command::ToggleReview => sc(CMD, Key::R),
            Command::NextClaim => sc(Modifiers::NONE, Key::J),
            Command::PreviousClaim => sc(Modifiers::NONE, Key::K),
            _ => None,
        }
    }
}
