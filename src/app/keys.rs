//! Keyboard shortcuts: the command table's keys, and single keys in the article.

use super::*;

impl ClaimmarkApp {
    /// Keyboard shortcuts from the command table; single keys only when no text field has
    /// focus, in the order they were typed.
    pub(super) fn keys(&mut self, ctx: &egui::Context) {
        let typing = ctx.egui_wants_keyboard_input();
        self.table_shortcuts(ctx, typing);
        // With the find bar open, its own ui handles Enter and Esc in typing order.
        if ctx.input(|i| i.key_pressed(Key::Escape)) && !self.find.open {
            if self.windows.shortcuts.is_some() {
                self.windows.shortcuts = None;
            } else if self.windows.typed_path.is_some() {
                self.windows.typed_path = None;
            } else if !typing && !self.keys.text_field_focused && !self.keys.popup_open {
                // Esc in a text field only leaves the field, and on an open list only closes
                // it; the next Esc deselects.
                self.view.selection = None;
                self.commands.push(Action::Deselect.into());
            }
        }
        if typing || self.show_review {
            // The review panel handles its own keys (J/K, arrows, Enter).
            return;
        }
        self.single_keys(ctx);
    }

    /// The table's keys with modifiers (and function keys), more modifiers first, so
    /// Ctrl+Shift+Z is not taken for Ctrl+Z. Single keys are [`Self::single_keys`]'.
    fn table_shortcuts(&mut self, ctx: &egui::Context, typing: bool) {
        for (sc, entry) in command::shortcuts_in_order() {
            let works = match entry.when {
                When::Always => true,
                // Ctrl+Z in a text field undoes typing there (then one annotation edit).
                When::NotTyping => !typing,
                When::Reading | When::Reviewing | When::Suggesting | When::FindBar => false,
            };
            if works && ctx.input_mut(|i| i.consume_shortcut(&sc)) {
                self.commands.push(entry.action.into());
            }
        }
        // The windowing layer turns Ctrl+C into a copy event, not a key: outside text fields
        // it copies from the article.
        if !typing && ctx.input(|i| i.events.contains(&egui::Event::Copy)) {
            self.commands.push(Action::Copy.into());
        }
    }

    /// Single keys in the article, in the order typed ("B" then "2" sets the grade B2): tag
    /// digits, grade letters, and the table's keys without modifiers or with Shift (J/K,
    /// Delete, G, Tab, Enter, Shift+Tab).
    fn single_keys(&mut self, ctx: &egui::Context) {
        let Some(session) = &self.session else {
            return;
        };
        let keys = ctx.input(|i| crate::ui::pressed_keys(i, |_, m| m.is_none() || m.shift_only()));
        let has_selected = self.selected.is_some();
        let reviewing = !self.review.rows.is_empty();
        let stepping = self.settings.show_suggestions && self.suggestions.any_open();
        let suggesting = stepping && !has_selected && self.suggestions.current().is_some();
        let mut grading = has_selected
            && self
                .keys
                .grade_letter_at
                .is_some_and(|t| t.elapsed() < Duration::from_secs(3));
        for (key, modifiers) in keys {
            let letter = key.name().chars().next().filter(|_| key.name().len() == 1);
            let plain = modifiers.is_none();
            let command = if let Some(n) = key_digit(key).filter(|_| plain) {
                match Credibility::from_digit(n).filter(|_| grading) {
                    Some(c) => {
                        grading = false;
                        self.keys.grade_letter_at = None;
                        Some(Command::SetGrade(None, Some(c)))
                    }
                    None => session
                        .codebook()
                        .by_hotkey(n)
                        .map(|tag| Command::Tag(tag.id.clone())),
                }
            } else if let Some(r) = letter
                .and_then(Reliability::from_letter)
                .filter(|_| has_selected && plain)
            {
                grading = true;
                self.keys.grade_letter_at = Some(Instant::now());
                Some(Command::SetGrade(Some(r), None))
            } else {
                command::article_key(key, modifiers)
                    .find(|e| match e.when {
                        When::Reviewing => reviewing,
                        When::Suggesting => suggesting,
                        When::Reading => match e.action {
                            Action::Deselect => false,
                            Action::NextSuggestion | Action::PreviousSuggestion => stepping,
                            _ => true,
                        },
                        _ => false,
                    })
                    .map(|e| e.action.into())
            };
            if let Some(command) = command {
                if key == Key::Tab {
                    // Tab steps through suggestions, not through the window's widgets.
                    ctx.memory_mut(|m| m.move_focus(egui::FocusDirection::None));
                }
                self.commands.push(command);
                ctx.input_mut(|i| i.consume_key(modifiers, key));
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
