//! What the user can do, and what panels ask of the app.
//!
//! An [`Action`] is something a user does by name: a menu item, a button, a key. Every action
//! has one row in [`TABLE`] with its label, tooltip, keys and when the keys work; menus,
//! buttons, the key handler and the shortcut sheet (F1) all read that row, so they cannot
//! disagree. A [`Command`] is what a panel pushes for the app to apply: an action, or a
//! message carrying data (a path, a tag, an edited annotation). Panels push commands; only the
//! app applies them.

use std::path::PathBuf;

use egui::{Key, KeyboardShortcut, Modifiers};

use crate::model::{
    Annotation, AnnotationId, Codebook, Credibility, Reliability, SourceRegistry, TagId,
};

/// Something a user does by name, with no data of its own.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Action {
    OpenDialog,
    OpenTypedPath,
    Save,
    /// Ask for a folder and continue in a copy of the article there, with its annotations.
    SaveAs,
    /// Continue in a copy of the article next to it (for an unreadable sidecar).
    WorkInCopy,
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
    /// Clear the annotation selection.
    Deselect,
    /// Put the keyboard in the selected annotation's grade field.
    FocusGrade,
    OpenCodebookEditor,
    OpenSourcesEditor,
    OpenSettings,
    /// Show the review of the folder (or go back to the article).
    ToggleReview,
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
    /// Show every keyboard shortcut.
    ShowShortcuts,
    /// Copy the selected text (or the selected annotation's quote).
    Copy,
    /// Copy it with the article's title, site, date and address.
    CopyWithCitation,
    /// Go to the article's first / last line.
    ScrollToTop,
    ScrollToEnd,
    /// Show or hide the suggested claims (outlined in the article).
    ToggleSuggestions,
    /// Step to the next / previous suggested claim.
    NextSuggestion,
    PreviousSuggestion,
    /// Make the current suggestion a Claim annotation, and step to the next.
    AcceptSuggestion,
    /// Reject the current suggestion (it is not suggested again), and step to the next.
    RejectSuggestion,
    /// Accept every suggestion of the current suggestion's paragraph / of the article.
    AcceptParagraphSuggestions,
    AcceptAllSuggestions,
}

/// What a panel asks the app to do.
#[derive(Clone, Debug, PartialEq)]
pub enum Command {
    /// A user action (see [`TABLE`]).
    Do(Action),
    Open(PathBuf),
    /// Tag the current text selection.
    Tag(TagId),
    /// Select an annotation and scroll to it.
    SelectAnnotation(AnnotationId),
    /// Set the selected annotation's source reliability and/or information credibility.
    SetGrade(Option<Reliability>, Option<Credibility>),
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
    /// Open a claim of the review in its article.
    JumpToClaim {
        article: PathBuf,
        id: String,
    },
    /// Show the review with every claim of the folder whose quote or note has these words.
    FindInFolder(String),
    /// Show the review at this annotation of the open article (its filters cleared).
    OpenInReview(AnnotationId),
    /// Write the folder's codebook and use it.
    SaveCodebook(Codebook),
    /// Write the folder's source registry and use it.
    SaveSources(SourceRegistry),
}

impl From<Action> for Command {
    fn from(action: Action) -> Self {
        Command::Do(action)
    }
}

/// When an action's keys work.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum When {
    /// Always, even while typing in a text field (the keys have modifiers).
    Always,
    /// Unless a text field has the keyboard (it has its own undo).
    NotTyping,
    /// In the article, when no text field has the keyboard (single keys).
    Reading,
    /// In the article, when the review has a list of claims (single keys).
    Reviewing,
    /// In the find bar (it reads its own keys, in the order typed).
    FindBar,
    /// In the article, when a suggested claim is the current one and no annotation is
    /// selected (Tab, Enter, Backspace).
    Suggesting,
}

/// One row of the table: everything the app says about an action.
#[derive(Clone, Copy, Debug)]
pub struct Entry {
    pub action: Action,
    /// Menu and button text, sentence case; "…" when it opens a window.
    pub label: &'static str,
    /// What it does, for tooltips and the shortcut sheet ("" when the label says it all).
    pub tooltip: &'static str,
    /// Its keys, the first one shown in menus.
    pub keys: &'static [KeyboardShortcut],
    pub when: When,
}

const NONE: Modifiers = Modifiers::NONE;
const CMD: Modifiers = Modifiers::COMMAND;
const SHIFT: Modifiers = Modifiers::SHIFT;
const CMD_SHIFT: Modifiers = Modifiers {
    alt: false,
    ctrl: false,
    shift: true,
    mac_cmd: false,
    command: true,
};

const fn k(modifiers: Modifiers, key: Key) -> KeyboardShortcut {
    KeyboardShortcut::new(modifiers, key)
}

/// Every action, in menu order. Keys with more modifiers are checked first (see
/// [`shortcuts_in_order`]), so Ctrl+Shift+Z is not taken for Ctrl+Z.
pub const TABLE: &[Entry] = &[
    Entry {
        action: Action::OpenDialog,
        label: "Open…",
        tooltip: "Open an article or a folder of articles with the system file dialog",
        keys: &[k(CMD, Key::O)],
        when: When::Always,
    },
    Entry {
        action: Action::OpenTypedPath,
        label: "Open path…",
        tooltip: "Type the path of an article or folder to open",
        keys: &[k(CMD, Key::L)],
        when: When::Always,
    },
    Entry {
        action: Action::Save,
        label: "Save",
        tooltip: "Write the annotations next to the article now (autosave also runs 2 s after each edit)",
        keys: &[k(CMD, Key::S)],
        when: When::Always,
    },
    Entry {
        action: Action::SaveAs,
        label: "Save as…",
        tooltip: "Continue in a copy of the article and its annotations in another folder",
        keys: &[],
        when: When::Always,
    },
    Entry {
        action: Action::WorkInCopy,
        label: "Work in a copy",
        tooltip: "Copy the article next to itself and annotate the copy",
        keys: &[],
        when: When::Always,
    },
    Entry {
        action: Action::OpenImport,
        label: "Import…",
        tooltip: "Bring in annotations from JSON Lines, W3C Web Annotation or brat files",
        keys: &[],
        when: When::Always,
    },
    Entry {
        action: Action::OpenExport,
        label: "Export…",
        tooltip: "Write the claims of this article or the folder as CSV, JSON Lines, a brief, W3C Web Annotation, brat or REFI-QDA",
        keys: &[k(CMD, Key::E)],
        when: When::Always,
    },
    Entry {
        action: Action::RunExport,
        label: "Export",
        tooltip: "Save pending edits, then write the export",
        keys: &[],
        when: When::Always,
    },
    Entry {
        action: Action::RunImport,
        label: "Import",
        tooltip: "Save pending edits, then read the files in",
        keys: &[],
        when: When::Always,
    },
    Entry {
        action: Action::Quit,
        label: "Quit",
        tooltip: "",
        keys: &[k(CMD, Key::Q)],
        when: When::Always,
    },
    Entry {
        action: Action::Undo,
        label: "Undo",
        tooltip: "Undo the last annotation edit",
        keys: &[k(CMD, Key::Z)],
        when: When::NotTyping,
    },
    Entry {
        action: Action::Redo,
        label: "Redo",
        tooltip: "Redo the last undone edit",
        keys: &[k(CMD_SHIFT, Key::Z), k(CMD, Key::Y)],
        when: When::NotTyping,
    },
    Entry {
        action: Action::ToggleSuggestions,
        label: "Suggested claims",
        tooltip: "Outline who said what in the article before you mark it: Tab steps through, Enter accepts, Backspace rejects",
        keys: &[],
        when: When::Always,
    },
    Entry {
        action: Action::NextSuggestion,
        label: "Next suggestion",
        tooltip: "Step to the next suggested claim",
        keys: &[k(NONE, Key::Tab)],
        when: When::Reading,
    },
    Entry {
        action: Action::PreviousSuggestion,
        label: "Previous suggestion",
        tooltip: "Step to the previous suggested claim",
        keys: &[k(SHIFT, Key::Tab)],
        when: When::Reading,
    },
    Entry {
        action: Action::AcceptSuggestion,
        label: "Accept suggestion",
        tooltip: "Mark the current suggestion as a claim, with who said it and via whom",
        keys: &[k(NONE, Key::Enter)],
        when: When::Suggesting,
    },
    Entry {
        action: Action::RejectSuggestion,
        label: "Reject suggestion",
        tooltip: "Drop the current suggestion; it is not suggested again for this article",
        keys: &[k(NONE, Key::Backspace), k(NONE, Key::Delete)],
        when: When::Suggesting,
    },
    Entry {
        action: Action::AcceptParagraphSuggestions,
        label: "Accept suggestions in paragraph",
        tooltip: "Mark every suggestion of the current suggestion's paragraph as a claim (one undo step)",
        keys: &[k(SHIFT, Key::Enter)],
        when: When::Suggesting,
    },
    Entry {
        action: Action::AcceptAllSuggestions,
        label: "Accept all suggestions",
        tooltip: "Mark every suggestion of the article as a claim (one undo step)",
        keys: &[],
        when: When::Always,
    },
    Entry {
        action: Action::DeleteAnnotation,
        label: "Delete annotation",
        tooltip: "Delete the selected annotation",
        keys: &[k(NONE, Key::Delete), k(NONE, Key::Backspace)],
        when: When::Reading,
    },
    Entry {
        action: Action::Deselect,
        label: "Deselect",
        tooltip: "Clear the selection; in a text field, the first Esc leaves the field",
        keys: &[k(NONE, Key::Escape)],
        when: When::Reading,
    },
    Entry {
        action: Action::FocusGrade,
        label: "Edit grade",
        tooltip: "Put the keyboard in the selected annotation's grade field",
        keys: &[k(NONE, Key::G)],
        when: When::Reading,
    },
    Entry {
        action: Action::Copy,
        label: "Copy",
        tooltip: "Copy the selected text, or the selected annotation's quote",
        keys: &[k(CMD, Key::C)],
        when: When::NotTyping,
    },
    Entry {
        action: Action::CopyWithCitation,
        label: "Copy with citation",
        tooltip: "Copy the selected text with the article's title, site, date and address",
        keys: &[k(CMD_SHIFT, Key::C)],
        when: When::NotTyping,
    },
    Entry {
        action: Action::Find,
        label: "Find…",
        tooltip: "Find text in the article; Enter selects the next match, Esc closes and keeps it",
        keys: &[k(CMD, Key::F)],
        when: When::Always,
    },
    Entry {
        action: Action::FindNext,
        label: "Find next",
        tooltip: "Select the next match",
        keys: &[k(NONE, Key::Enter)],
        when: When::FindBar,
    },
    Entry {
        action: Action::FindPrevious,
        label: "Find previous",
        tooltip: "Select the previous match",
        keys: &[k(SHIFT, Key::Enter)],
        when: When::FindBar,
    },
    Entry {
        action: Action::CloseFind,
        label: "Close find bar",
        tooltip: "Close the find bar and keep the match selected",
        keys: &[k(NONE, Key::Escape)],
        when: When::FindBar,
    },
    Entry {
        action: Action::OpenCodebookEditor,
        label: "Codebook…",
        tooltip: "Add, rename, recolour, reorder and nest the folder's tags",
        keys: &[],
        when: When::Always,
    },
    Entry {
        action: Action::OpenSourcesEditor,
        label: "Sources…",
        tooltip: "The folder's sources: names, aliases and default reliability",
        keys: &[],
        when: When::Always,
    },
    Entry {
        action: Action::ZoomIn,
        label: "Larger text",
        tooltip: "",
        keys: &[k(CMD, Key::Plus), k(CMD, Key::Equals)],
        when: When::Always,
    },
    Entry {
        action: Action::ZoomOut,
        label: "Smaller text",
        tooltip: "",
        keys: &[k(CMD, Key::Minus)],
        when: When::Always,
    },
    Entry {
        action: Action::ZoomReset,
        label: "Default text size",
        tooltip: "",
        keys: &[k(CMD, Key::Num0)],
        when: When::Always,
    },
    Entry {
        action: Action::ScrollToTop,
        label: "Go to the start",
        tooltip: "Scroll the article to its first line",
        keys: &[k(CMD, Key::Home)],
        when: When::NotTyping,
    },
    Entry {
        action: Action::ScrollToEnd,
        label: "Go to the end",
        tooltip: "Scroll the article to its last line",
        keys: &[k(CMD, Key::End)],
        when: When::NotTyping,
    },
    Entry {
        action: Action::ToggleReview,
        label: "Review folder",
        tooltip: "Every claim of the folder and its subfolders in one table, with filters, the claim register and charts",
        keys: &[k(CMD, Key::R)],
        when: When::Always,
    },
    Entry {
        action: Action::NextClaim,
        label: "Next claim",
        tooltip: "Open the next claim of the review's list",
        keys: &[k(NONE, Key::J)],
        when: When::Reviewing,
    },
    Entry {
        action: Action::PreviousClaim,
        label: "Previous claim",
        tooltip: "Open the previous claim of the review's list",
        keys: &[k(NONE, Key::K)],
        when: When::Reviewing,
    },
    Entry {
        action: Action::OpenSettings,
        label: "Settings…",
        tooltip: "Analyst name, theme, text size, reading width, panels",
        keys: &[k(CMD, Key::Comma)],
        when: When::Always,
    },
    Entry {
        action: Action::ShowShortcuts,
        label: "Keyboard shortcuts",
        tooltip: "Every keyboard shortcut, searchable",
        keys: &[k(NONE, Key::F1)],
        when: When::Always,
    },
];

/// Keys that take a value, listed in the shortcut sheet after the table's.
pub const KEYS_WITH_VALUES: &[(&str, &str)] = &[
    (
        "1 – 9",
        "Tag the selected text with the tag of that key (the tag bar shows each tag's key); on a selected annotation, add or remove that tag",
    ),
    (
        "A – F, then 1 – 6",
        "Grade the selected annotation: the source's reliability, then within 3 s the information's credibility (B then 2: B2)",
    ),
    ("Drag", "Select text"),
    ("Ctrl + drag", "Add a fragment to the selected annotation"),
    ("Alt + drag", "Mark who said it (the source span)"),
    ("Review: ↑ ↓, Enter", "Move through the claims; open one"),
    ("Ctrl + wheel", "Larger or smaller text"),
    (
        "Right-click",
        "What can be done with the words, highlight or row under the pointer",
    ),
];

impl Action {
    /// The action's row of [`TABLE`].
    pub fn entry(self) -> &'static Entry {
        // Every action has a row (a test holds it); the first row stands in otherwise.
        TABLE.iter().find(|e| e.action == self).unwrap_or(&TABLE[0])
    }

    pub fn label(self) -> &'static str {
        self.entry().label
    }

    pub fn tooltip(self) -> &'static str {
        self.entry().tooltip
    }

    /// The key shown in menus (the first of the action's keys).
    pub fn shortcut(self) -> Option<KeyboardShortcut> {
        self.entry().keys.first().copied()
    }
}

/// Every key of the table with its entry, more modifiers first: the order to test them in.
pub fn shortcuts_in_order() -> Vec<(KeyboardShortcut, &'static Entry)> {
    let mut all: Vec<(KeyboardShortcut, &'static Entry)> = TABLE
        .iter()
        .flat_map(|e| e.keys.iter().map(move |k| (*k, e)))
        .collect();
    let weight = |m: Modifiers| {
        usize::from(m.shift) + usize::from(m.alt) + usize::from(m.command || m.ctrl || m.mac_cmd)
    };
    all.sort_by_key(|(k, _)| std::cmp::Reverse(weight(k.modifiers)));
    all
}

/// The entries whose key is `key` without modifiers and that work in the article
/// ([`When::Reading`], [`When::Reviewing`], [`When::Suggesting`]).
pub fn single_key(key: Key) -> impl Iterator<Item = &'static Entry> {
    article_key(key, Modifiers::NONE)
}

/// The entries whose key is `key` with exactly `modifiers` (none, or Shift: Shift+Tab) and
/// that work in the article, in table order.
pub fn article_key(key: Key, modifiers: Modifiers) -> impl Iterator<Item = &'static Entry> {
    TABLE.iter().filter(move |e| {
        matches!(e.when, When::Reading | When::Reviewing | When::Suggesting)
            && e.keys
                .iter()
                .any(|k| k.logical_key == key && k.modifiers == modifiers)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_action_has_exactly_one_row_with_a_label() {
        let all = [
            Action::OpenDialog,
            Action::OpenTypedPath,
            Action::Save,
            Action::SaveAs,
            Action::WorkInCopy,
            Action::Quit,
            Action::Undo,
            Action::Redo,
            Action::DeleteAnnotation,
            Action::Find,
            Action::FindNext,
            Action::FindPrevious,
            Action::CloseFind,
            Action::ZoomIn,
            Action::ZoomOut,
            Action::ZoomReset,
            Action::Deselect,
            Action::FocusGrade,
            Action::OpenCodebookEditor,
            Action::OpenSourcesEditor,
            Action::OpenSettings,
            Action::ToggleReview,
            Action::NextClaim,
            Action::PreviousClaim,
            Action::OpenExport,
            Action::OpenImport,
            Action::RunExport,
            Action::RunImport,
            Action::ShowShortcuts,
            Action::Copy,
            Action::CopyWithCitation,
            Action::ScrollToTop,
            Action::ScrollToEnd,
            Action::ToggleSuggestions,
            Action::NextSuggestion,
            Action::PreviousSuggestion,
            Action::AcceptSuggestion,
            Action::RejectSuggestion,
            Action::AcceptParagraphSuggestions,
            Action::AcceptAllSuggestions,
        ];
        for action in all {
            let rows = TABLE.iter().filter(|e| e.action == action).count();
            assert_eq!(rows, 1, "{action:?}");
            assert!(!action.label().is_empty(), "{action:?}");
            // A compile-time reminder: a new action must be added to `all` above.
            match action {
                Action::OpenDialog
                | Action::OpenTypedPath
                | Action::Save
                | Action::SaveAs
                | Action::WorkInCopy
                | Action::Quit
                | Action::Undo
                | Action::Redo
                | Action::DeleteAnnotation
                | Action::Find
                | Action::FindNext
                | Action::FindPrevious
                | Action::CloseFind
                | Action::ZoomIn
                | Action::ZoomOut
                | Action::ZoomReset
                | Action::Deselect
                | Action::FocusGrade
                | Action::OpenCodebookEditor
                | Action::OpenSourcesEditor
                | Action::OpenSettings
                | Action::ToggleReview
                | Action::NextClaim
                | Action::PreviousClaim
                | Action::OpenExport
                | Action::OpenImport
                | Action::RunExport
                | Action::RunImport
                | Action::ShowShortcuts
                | Action::Copy
                | Action::CopyWithCitation
                | Action::ScrollToTop
                | Action::ScrollToEnd
                | Action::ToggleSuggestions
                | Action::NextSuggestion
                | Action::PreviousSuggestion
                | Action::AcceptSuggestion
                | Action::RejectSuggestion
                | Action::AcceptParagraphSuggestions
                | Action::AcceptAllSuggestions => {}
            }
        }
        assert_eq!(TABLE.len(), all.len());
    }

    #[test]
    fn no_two_actions_share_a_key_where_both_work() {
        let keys = shortcuts_in_order();
        for (i, (a, ea)) in keys.iter().enumerate() {
            for (b, eb) in &keys[i + 1..] {
                // Esc closes the find bar in it, and deselects in the article. Backspace rejects
                // the current suggestion, which there is only while no annotation is selected,
                // and deletes the selected annotation otherwise.
                let apart = (ea.when == When::FindBar) != (eb.when == When::FindBar)
                    || (ea.when == When::Suggesting) != (eb.when == When::Suggesting);
                assert!(
                    a != b || apart,
                    "{:?} and {:?} share {a:?}",
                    ea.action,
                    eb.action
                );
            }
        }
    }

    #[test]
    fn keys_with_more_modifiers_are_tested_first() {
        let order = shortcuts_in_order();
        let pos = |sc: KeyboardShortcut| order.iter().position(|(k, _)| *k == sc);
        assert!(pos(k(CMD_SHIFT, Key::Z)) < pos(k(CMD, Key::Z)));
        assert_eq!(
            single_key(Key::J).map(|e| e.action).collect::<Vec<_>>(),
            [Action::NextClaim]
        );
        assert_eq!(
            single_key(Key::Backspace)
                .map(|e| e.action)
                .collect::<Vec<_>>(),
            [Action::RejectSuggestion, Action::DeleteAnnotation]
        );
        assert_eq!(
            article_key(Key::Tab, SHIFT)
                .map(|e| e.action)
                .collect::<Vec<_>>(),
            [Action::PreviousSuggestion]
        );
    }
}
