//! The window's panels and the app-owned windows (typed path, status bar, title).

use super::*;

impl ClaimmarkApp {
    /// The whole window, one frame: panels push commands, applied in the next `logic`.
    pub(super) fn frame_ui(&mut self, ui: &mut egui::Ui) {
        let mut commands = Vec::new();
        let ctx = ui.ctx().clone();
        self.menu_ui(ui, &mut commands);
        self.tag_bar_panel_ui(ui, &mut commands);
        egui::Panel::bottom("status").show(ui, |ui| self.status_ui(ui, &mut commands));
        self.library_panel_ui(ui, &mut commands);
        self.side_panel_ui(ui, &mut commands);
        if self.show_review
            && let Some(library) = &self.library
        {
            let review = &mut self.review;
            egui::CentralPanel::default_margins()
                .show(ui, |ui| review.ui(ui, library, &mut commands));
        } else {
            self.article_ui(ui, &mut commands);
        }
        self.windows_ui(&ctx, &mut commands);
        self.commands.extend(commands);
        self.keys.text_field_focused = ctx.egui_wants_keyboard_input();
        self.keys.popup_open = ctx.any_popup_open();
        if !self.commands.is_empty() {
            ctx.request_repaint();
        }
    }

    fn menu_ui(&mut self, ui: &mut egui::Ui, commands: &mut Vec<Command>) {
        egui::Panel::top("menu").show(ui, |ui| {
            let suggesting = self.settings.show_suggestions && self.suggestions.any_open();
            let current = suggesting && self.suggestions.current().is_some();
            let mut cx = menu_bar::MenuContext {
                has_article: self.session.is_some(),
                can_undo: self
                    .session
                    .as_ref()
                    .is_some_and(|s| s.history().can_undo()),
                can_redo: self
                    .session
                    .as_ref()
                    .is_some_and(|s| s.history().can_redo()),
                has_selected_annotation: self.selected.is_some(),
                has_folder: self.library.is_some(),
                has_review: !self.review.rows.is_empty(),
                recent: &self.settings.recent,
                show_library: &mut self.settings.show_library,
                show_annotations: &mut self.settings.show_annotations,
                show_suggestions: &mut self.settings.show_suggestions,
                has_suggestions: suggesting,
                has_current_suggestion: current,
            };
            menu_bar::menu_bar_ui(ui, &mut cx, commands);
        });
    }

    /// The tags (and the find bar) above the article.
    fn tag_bar_panel_ui(&mut self, ui: &mut egui::Ui, commands: &mut Vec<Command>) {
        let Some(session) = self.session.as_ref().filter(|_| !self.show_review) else {
            return;
        };
        egui::Panel::top("tags").show(ui, |ui| {
            let can_tag = session.read_only().is_none()
                && (self.view.selected_span().is_some() || self.selected.is_some());
            tag_bar::tag_bar_ui(ui, session.codebook(), can_tag, commands);
            if self.find.open {
                ui.separator();
                self.find.ui(ui, commands);
            }
        });
    }

    /// The library's articles, on the left.
    fn library_panel_ui(&self, ui: &mut egui::Ui, commands: &mut Vec<Command>) {
        let Some(library) = &self.library else {
            return;
        };
        if !self.settings.show_library
            || (library.root().is_none() && library.articles().len() <= 1)
        {
            return;
        }
        egui::Panel::left("library")
            .resizable(true)
            .default_size(220.0)
            .show(ui, |ui| {
                let cx = library::LibraryContext {
                    library,
                    current: self.session.as_ref().map(|s| s.path()),
                };
                library::library_ui(ui, &cx, commands);
            });
    }

    /// On the right: the inspector of the selected annotation, what needs attention, and
    /// the article's annotations.
    fn side_panel_ui(&mut self, ui: &mut egui::Ui, commands: &mut Vec<Command>) {
        let Some(session) = &self.session else {
            return;
        };
        if !self.settings.show_annotations || self.show_review {
            return;
        }
        egui::Panel::right("annotations")
            .resizable(true)
            .default_size(360.0)
            .show(ui, |ui| {
                let selected = self
                    .selected
                    .as_ref()
                    .and_then(|id| session.annotations().get(id));
                if let Some(annotation) = selected {
                    egui::Panel::top("inspector")
                        .resizable(true)
                        .default_size(360.0)
                        .show(ui, |ui| {
                            // As wide as the panel, so its scroll bar is at the panel's
                            // edge (the inspector leaves room for it).
                            egui::ScrollArea::vertical()
                                .id_salt("inspector_scroll")
                                .auto_shrink([false, true])
                                .show(ui, |ui| {
                                    ui.heading(heading(session, annotation));
                                    let cx = InspectorContext {
                                        session,
                                        annotation,
                                        folder: self.folder_annotations.as_deref(),
                                        index: self
                                            .library
                                            .as_ref()
                                            .and_then(Library::index)
                                            .map(|i| &**i),
                                    };
                                    self.inspector.ui(ui, &cx, commands);
                                });
                        });
                }
                attention::attention_ui(ui, session, self.view.selected_span(), commands);
                annotations_panel::annotations_ui(ui, session, self.selected.as_ref(), commands);
            });
    }

    /// The app's windows: typed path, codebook, sources, export/import, shortcuts, settings.
    fn windows_ui(&mut self, ctx: &egui::Context, commands: &mut Vec<Command>) {
        self.typed_path_ui(ctx);
        let folder = self
            .session
            .as_ref()
            .map(|s| s.folder().display().to_string())
            .unwrap_or_default();
        if let Some(editor) = &mut self.windows.codebook_editor
            && !editor.ui(ctx, &folder, commands)
        {
            self.windows.codebook_editor = None;
        }
        if let Some(editor) = &mut self.windows.sources_editor
            && !editor.ui(ctx, &folder, commands)
        {
            self.windows.sources_editor = None;
        }
        if let Some(mut transfer) = self.windows.transfer.take() {
            let was_busy = transfer.busy();
            let open = transfer.ui(ctx, &self.transfer_context(), commands);
            if was_busy
                && !transfer.busy()
                && transfer.mode == TransferMode::Import
                && let Some(library) = &mut self.library
            {
                // New sidecars: the library scans again (the open article's sidecar is
                // picked up by the watcher like any other change on disk).
                library.rescan(Instant::now());
            }
            if open {
                self.windows.transfer = Some(transfer);
            }
        }
        if let Some(sheet) = &mut self.windows.shortcuts
            && !sheet.ui(ctx)
        {
            self.windows.shortcuts = None;
        }
        if self.windows.settings_open {
            self.windows.settings_open = settings_window::settings_ui(ctx, &mut self.settings);
            self.view.zoom = self.settings.zoom;
        }
    }

    /// The central panel in reading mode: the article (or how to open one).
    pub(super) fn article_ui(&mut self, ui: &mut egui::Ui, commands: &mut Vec<Command>) {
        self.outline_suggestions();
        let suggested = match self.settings.show_suggestions {
            true => self.suggestion_state(),
            false => Default::default(),
        };
        egui::CentralPanel::default_margins().show(ui, |ui| match &self.session {
            Some(session) => {
                if let Some(reason) = session.read_only() {
                    egui::Frame::new().fill(theme::warning_fill(ui.visuals().dark_mode)).inner_margin(8.0).show(ui, |ui| {
                        ui.label(RichText::new(format!("Read-only: {reason}")).strong());
                        ui.label("The sidecar is left exactly as it is. Fix or move it, then reopen the article, or keep working in a copy.");
                        if ui.button("Work in a copy").on_hover_text("Copy the article next to itself and annotate the copy").clicked() {
                            commands.push(Command::Do(Action::WorkInCopy));
                        }
                    });
                }
                crate::ui::article_header::show(ui, session);
                crate::ui::suggestion_bar::show(ui, &suggested, commands);
                ui.separator();
                self.view.reading_width = self.settings.reading_width;
                self.view.ui(ui, session, self.selected.as_ref(), commands);
            }
            None => {
                ui.vertical_centered(|ui| {
                    ui.add_space(80.0);
                    ui.heading("No article open");
                    ui.label("Open an article with File > Open… (Ctrl+O), type a path (Ctrl+L), or drop files here.");
                });
            }
        });
    }

    pub(super) fn window_title(&self) -> String {
        match &self.session {
            Some(s) => format!(
                "{}{}{} — Claimmark",
                if s.is_dirty() { "● " } else { "" },
                s.file_name(),
                if s.read_only().is_some() {
                    " (read-only)"
                } else {
                    ""
                }
            ),
            None => "Claimmark".into(),
        }
    }

    pub(super) fn status_ui(&self, ui: &mut egui::Ui, commands: &mut Vec<Command>) {
        ui.horizontal(|ui| {
            if self.disk.save_failed.is_some() {
                if ui
                    .button("Retry")
                    .on_hover_text("Try to save to the same place again")
                    .clicked()
                {
                    commands.push(Command::Do(Action::Save));
                }
                if ui
                    .button("Save as…")
                    .on_hover_text(Action::SaveAs.tooltip())
                    .clicked()
                {
                    commands.push(Action::SaveAs.into());
                }
                ui.separator();
            }
            if let Some(s) = &self.session {
                let state = if s.read_only().is_some() {
                    "read-only"
                } else if s.is_dirty() {
                    "unsaved changes"
                } else {
                    "saved"
                };
                ui.label(format!(
                    "{} · {state}",
                    count(s.annotations().len(), "annotation")
                ));
                if let Some(sel) = self.view.selected_span() {
                    ui.separator();
                    ui.label(format!(
                        "selection {}–{} ({} chars)",
                        sel.start,
                        sel.end,
                        sel.len()
                    ));
                }
            }
            if let Some(m) = &self.message {
                ui.separator();
                if m.error {
                    ui.colored_label(ui.visuals().error_fg_color, &m.text);
                } else {
                    ui.label(&m.text);
                }
            }
        });
    }

    pub(super) fn typed_path_ui(&mut self, ctx: &egui::Context) {
        let Some(tp) = &mut self.windows.typed_path else {
            return;
        };
        let mut open = None;
        let mut close = false;
        let (title, prompt, action) = if tp.save_as {
            (
                "Save as",
                "Folder to save a copy of the article and its annotations in:",
                "Save here",
            )
        } else {
            (
                "Open path",
                "Path of an article (text, Markdown, web page, PDF, Word) or a folder:",
                "Open",
            )
        };
        egui::Window::new(title)
            .collapsible(false)
            .resizable(false)
            .anchor(egui::Align2::CENTER_CENTER, [0.0, 0.0])
            .show(ctx, |ui| {
                if let Some(note) = &tp.note {
                    ui.label(note);
                }
                ui.label(prompt);
                let id = egui::Id::unique("typed_path");
                take_completion(ui.ctx(), id, tp);
                let response = ui.add(
                    egui::TextEdit::singleline(&mut tp.text)
                        .id(id)
                        .lock_focus(true)
                        .desired_width(420.0),
                );
                if tp.focus {
                    response.request_focus();
                    tp.focus = false;
                }
                // Tab completes the path from its folder's names (listed in a job).
                if response.has_focus()
                    && ui.input_mut(|i| i.consume_key(egui::Modifiers::NONE, Key::Tab))
                    && tp.completing.is_none()
                {
                    let typed = tp.text.clone();
                    let waker = crate::ui::waker(ui.ctx());
                    let job = Job::spawn("complete the path", waker, move |_: &Progress| {
                        crate::library::complete_path(&typed)
                    });
                    if let Ok(job) = job {
                        tp.completing = Some((tp.text.clone(), job));
                    }
                }
                if !tp.candidates.is_empty() {
                    ui.label(
                        RichText::new(tp.candidates.join("   "))
                            .small()
                            .color(ui.visuals().weak_text_color()),
                    );
                }
                let enter = response.lost_focus() && ui.input(|i| i.key_pressed(Key::Enter));
                ui.horizontal(|ui| {
                    if ui.button(action).clicked() || enter {
                        open = Some(PathBuf::from(tp.text.trim()));
                    }
                    if ui.button("Cancel").clicked() {
                        close = true;
                    }
                });
            });
        let save_as = tp.save_as;
        if let Some(path) = open {
            if save_as && path.is_dir() {
                self.windows.typed_path = None;
                let name = self
                    .session
                    .as_ref()
                    .and_then(|s| s.path().file_name().map(ToOwned::to_owned))
                    .unwrap_or_default();
                self.save_copy_to(path.join(name));
            } else if save_as {
                if let Some(tp) = &mut self.windows.typed_path {
                    tp.note = Some(format!("{} is not a folder.", path.display()));
                    tp.focus = true;
                }
            } else if path.exists() {
                self.windows.typed_path = None;
                self.open(&path);
            } else if let Some(tp) = &mut self.windows.typed_path {
                tp.note = Some(format!("{} does not exist.", path.display()));
                tp.focus = true;
            }
        } else if close {
            self.windows.typed_path = None;
        }
    }

    pub(super) fn screenshot_step(&mut self, ctx: &egui::Context) {
        // The picture is of what was asked for: wait (a while) for it to open.
        let settled = self.settled();
        let Some(shot) = &mut self.screenshot else {
            return;
        };
        if !settled && shot.waited < 500 {
            shot.waited += 1;
            ctx.request_repaint_after(std::time::Duration::from_millis(20));
            return;
        }
        shot.frames += 1;
        if let Ok(outcome) = shot.outcome.lock()
            && outcome.is_some()
        {
            ctx.send_viewport_cmd(egui::ViewportCommand::Close);
            return;
        }
        if !shot.requested && shot.frames >= 6 {
            shot.requested = true;
            let path = shot.path.clone();
            let outcome = shot.outcome.clone();
            let waker = ctx.clone();
            ctx.request_screenshot(move |image| {
                let result = save_png(&path, &image);
                if let Ok(mut o) = outcome.lock() {
                    *o = Some(result);
                }
                waker.request_repaint();
            });
        }
        ctx.request_repaint();
    }
}

pub(super) fn save_png(path: &Path, image: &egui::ColorImage) -> Result<(), String> {
    let [w, h] = image.size;
    let bytes: Vec<u8> = image.pixels.iter().flat_map(|c| c.to_array()).collect();
    image::save_buffer(
        path,
        &bytes,
        w as u32,
        h as u32,
        image::ExtendedColorType::Rgba8,
    )
    .map_err(|e| format!("cannot write screenshot {}: {e}", path.display()))
}

/// The inspector's title: what the annotation is (its tags' names), not always "Claim".
fn heading(session: &Session, annotation: &Annotation) -> String {
    let names: Vec<&str> = annotation
        .tags
        .iter()
        .map(|t| session.codebook().name_of(t))
        .collect();
    if names.is_empty() {
        "Annotation".to_owned()
    } else {
        names.join(", ")
    }
}

/// Takes a finished Tab completion into the typed path, if the text did not change since,
/// with the cursor at its end.
fn take_completion(ctx: &egui::Context, id: egui::Id, tp: &mut TypedPath) {
    let Some((typed, job)) = &tp.completing else {
        return;
    };
    let completion = match job.poll() {
        Poll::Pending => return,
        Poll::Ready(c) => Some(c).filter(|_| *typed == tp.text),
        Poll::Lost => None,
    };
    tp.completing = None;
    let Some(c) = completion else {
        return;
    };
    tp.text = c.text;
    tp.candidates = c.candidates;
    if let Some(mut state) = egui::TextEdit::load_state(ctx, id) {
        let end = egui::text::CCursor::new(tp.text.chars().count());
        state
            .cursor
            .set_char_range(Some(egui::text::CCursorRange::one(end)));
        state.store(ctx, id);
    }
}
