//! Keyboard shortcuts: the command table's keys, and single keys in the article.

use super::*;

impl ClaimmarkApp {
    /// Keyboard shortcuts; single keys only when no text field has focus.
    pub(super) fn keys(&mut self, ctx: &egui::Context) {
        let typing = ctx.egui_wants_keyboard_input();
        for command in Command::WITH_SHORTCUTS {
            // Ctrl+Z in a text field undoes typing there (which is then one annotation edit).
            if typing && matches!(command, Command::Undo | Command::Redo) {
                continue;
            }
            if let Some(sc) = command.shortcut()
                && ctx.input_mut(|i| i.consume_shortcut(&sc))
            {
                self.commands.push(command.clone());
            }
        }
        if ctx.input_mut(|i| i.consume_key(egui::Modifiers::COMMAND, Key::Equals)) {
            self.commands.push(Command::ZoomIn);
        }
        // With the find bar open, its own ui handles Enter and Esc in typing order.
        if ctx.input(|i| i.key_pressed(Key::Escape)) && !self.find.open {
            if self.typed_path.is_some() {
                self.typed_path = None;
            } else if !ctx.egui_wants_keyboard_input() && !self.text_field_focused {
                // Esc in a text field only leaves the field; the next Esc deselects.
                self.view.selection = None;
                self.commands.push(Command::Deselect);
            }
        }
        if ctx.egui_wants_keyboard_input() {
            return;
        }
        if self.show_review {
            return; // the review panel handles its own keys (J/K, arrows, Enter)
        }
        let Some(session) = &self.session else {
            return;
        };
        // Single keys, in the order they were typed ("B" then "2" sets the grade B2).
        let keys: Vec<Key> = ctx
            .input(|i| crate::ui::pressed_keys(i, |_, m| m.is_none()))
            .into_iter()
            .map(|(k, _)| k)
            .collect();
        let has_selected = self.selected.is_some();
        let reviewing = !self.review.rows.is_empty();
        let mut grading = has_selected
            && self
                .grade_letter_at
                .is_some_and(|t| t.elapsed() < Duration::from_secs(3));
        for key in keys {
            let digit = key_digit(key);
            let letter = key.name().chars().next().filter(|_| key.name().len() == 1);
            let handled = if let Some(n) = digit {
                match Credibility::from_digit(n).filter(|_| grading) {
                    Some(c) => {
                        grading = false;
                        self.grade_letter_at = None;
                        self.commands.push(Command::SetGrade(None, Some(c)));
                        true
                    }
                    None => match session.codebook.by_hotkey(n) {
                        Some(tag) => {
                            self.commands.push(Command::Tag(tag.id.clone()));
                            true
                        }
                        None => false,
                    },
                }
            } else if let Some(r) = letter
                .and_then(Reliability::from_letter)
                .filter(|_| has_selected)
            {
                grading = true;
                self.grade_letter_at = Some(Instant::now());
                self.commands.push(Command::SetGrade(Some(r), None));
                true
            } else if matches!(key, Key::J | Key::K) && reviewing {
                self.commands.push(if key == Key::J {
                    Command::NextClaim
                } else {
                    Command::PreviousClaim
                });
                true
            } else if key == Key::G && has_selected {
                self.inspector.focus_grade = true;
                true
            } else if matches!(key, Key::Delete | Key::Backspace) {
                self.commands.push(Command::DeleteAnnotation);
                true
            } else {
                false
            };
            if handled {
                ctx.input_mut(|i| i.consume_key(egui::Modifiers::NONE, key));
            }
        }
    }
}

/// The digit 1–9 of a number key.
pub(super) fn key_digit(key: Key) -> Option<u8> {
    let digits = [
        Key::Num1,
        Key::Num2,
        Key::Num3,
        Key::Num4,
        Key::Num5,
        Key::Num6,
        Key::Num7,
        Key::Num8,
        Key::Num9,
    ];
    (1u8..).zip(digits).find(|(_, k)| *k == key).map(|(n, _)| n)
}
