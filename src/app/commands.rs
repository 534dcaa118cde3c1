//! Applying [`Command`]s: the one place where the session is changed.

use super::*;

impl ClaimmarkApp {
    /// Opens a claim of the review in its article, selected, scrolled to and emphasised.
    /// Another article is opened in the background first; the claim is shown when it lands.
    pub(super) fn jump_to_claim(&mut self, article: &Path, id: &str) {
        self.review.set_cursor_to(article, id);
        if self.session.as_ref().is_some_and(|s| s.path() == article) {
            self.show_claim(article, id);
        } else {
            self.pending_jump = Some((article.to_owned(), id.to_owned()));
            self.open_file(article);
        }
    }

    /// Selects, scrolls to and emphasises a claim of the open article.
    pub(super) fn show_claim(&mut self, article: &Path, id: &str) {
        let id = AnnotationId(id.to_owned());
        let found = self
            .session
            .as_ref()
            .filter(|s| s.path() == article)
            .and_then(|s| s.annotations().get(&id))
            .map(|a| a.extent());
        match found {
            Some(extent) => {
                self.view.scroll_to = Some(extent.start);
                self.view.selection = None;
                self.view.emphasise(extent);
                self.selected = Some(id);
                self.show_review = false;
            }
            None => self.error(format!(
                "that claim is no longer in {} (the review is rescanned in a moment)",
                article.display()
            )),
        }
    }

    pub(super) fn transfer_context(&self) -> TransferContext<'_> {
        TransferContext {
            review_claims: Some(&self.review)
                .filter(|r| r.index.is_some() && !r.filter.is_empty())
                .map(|r| r.rows.len()),
            article: self.session.as_ref().map(|s| s.path()),
            folder: self.library.as_ref().and_then(Library::root),
            folder_articles: self.library.as_ref().map_or(0, |l| l.articles().len()),
        }
    }

    pub(super) fn edited(&mut self) {
        self.disk.last_edit = Some(Instant::now());
    }

    /// Replaces an annotation with the analyst's edited copy (stamped modified by the session).
    pub(super) fn update(&mut self, ann: Annotation) -> bool {
        self.change(|session| session.update_annotation(ann))
    }

    pub(super) fn apply(&mut self, edit: Edit) -> bool {
        self.change(|session| session.apply(edit))
    }

    pub(super) fn change(
        &mut self,
        change: impl FnOnce(&mut Session) -> Result<(), crate::model::EditError>,
    ) -> bool {
        let Some(session) = &mut self.session else {
            return false;
        };
        if let Some(reason) = session.read_only() {
            let text = format!("This article is read-only: {reason}");
            self.error(text);
            return false;
        }
        match change(session) {
            Ok(()) => {
                self.edited();
                true
            }
            Err(e) => {
                self.error(e.to_string());
                false
            }
        }
    }

    pub(super) fn tag(&mut self, tag: &str) {
        let Some(session) = &self.session else {
            return;
        };
        if session.codebook().tag(tag).is_none() {
            return;
        }
        if let Some(span) = self.view.selected_span() {
            let ann = session.new_annotation(span, tag, "", self.author());
            let id = ann.id.clone();
            if self.apply(Edit::Add(ann)) {
                self.selected = Some(id);
                self.view.selection = None;
            }
        } else if let Some(ann) = self
            .selected
            .as_ref()
            .and_then(|id| session.annotations().get(id))
        {
            // A tag key on a selected annotation adds the tag, or removes it if it has others.
            let mut ann = ann.clone();
            if let Some(pos) = ann.tags.iter().position(|t| t == tag) {
                if ann.tags.len() == 1 {
                    return;
                }
                ann.tags.remove(pos);
            } else {
                ann.tags.push(tag.to_owned());
            }
            self.update(ann);
        } else {
            self.info("Select some text first, then press a tag key.");
        }
    }

    pub(super) fn find_step(&mut self, forward: bool) {
        let Some(session) = &self.session else {
            return;
        };
        let hits = session.article().find_all(&self.find.query);
        if hits.is_empty() {
            self.find.status = if self.find.query.is_empty() {
                String::new()
            } else {
                "No matches".into()
            };
            return;
        }
        let current = self.view.selected_span();
        let from = current.map_or(0, |s| s.start);
        let idx = if forward {
            let after = match current {
                Some(s) => hits.partition_point(|h| h.start <= s.start),
                None => hits.partition_point(|h| h.start < from),
            };
            if after >= hits.len() { 0 } else { after }
        } else {
            let before = hits.partition_point(|h| h.start < from);
            if before == 0 {
                hits.len() - 1
            } else {
                before - 1
            }
        };
        self.view.select(hits[idx]);
        self.selected = None;
        self.find.status = format!("{} of {}", idx + 1, hits.len());
    }

    pub(super) fn run_command(&mut self, ctx: &egui::Context, command: Command) {
        match command {
            Command::Do(action) => self.run_action(ctx, action),
            Command::Open(path) => self.open(&path),
            Command::Tag(tag) => self.tag(&tag),
            Command::SelectAnnotation(id) => {
                if let Some(ann) = self.session.as_ref().and_then(|s| s.annotations().get(&id)) {
                    self.view.scroll_to = Some(ann.extent().start);
                    self.view.selection = None;
                    self.selected = Some(id);
                }
            }
            Command::ResolveConflict { id, keep_mine } => {
                self.change(|session| session.resolve_conflict(&id, keep_mine).map(|_| ()));
            }
            Command::Reattach(id, spans) => {
                let author = self.author().to_owned();
                if self.change(|session| session.reattach(&id, spans, &author)) {
                    self.view.selection = None;
                    self.selected = Some(id);
                }
            }
            Command::Remove(id) => {
                if self.apply(Edit::Remove(id.clone())) && self.selected.as_ref() == Some(&id) {
                    self.selected = None;
                }
            }
            Command::SetGrade(reliability, credibility) => {
                let current = self
                    .selected
                    .as_ref()
                    .and_then(|id| self.session.as_ref().and_then(|s| s.annotations().get(id)));
                if let Some(ann) = current {
                    let mut ann = ann.clone();
                    ann.record.reliability = reliability.or(ann.record.reliability);
                    ann.record.credibility = credibility.or(ann.record.credibility);
                    self.update(ann);
                }
            }
            Command::TypeInto(ann, field) => {
                if let Some(session) = &mut self.session
                    && session.read_only().is_none()
                {
                    match session.type_into(*ann, field) {
                        Ok(()) => self.edited(),
                        Err(e) => self.error(e.to_string()),
                    }
                }
            }
            Command::UpdateAnnotation(ann) => {
                self.update(*ann);
            }
            Command::JumpToClaim { article, id } => self.jump_to_claim(&article, &id),
            Command::FindInFolder(words) => {
                self.review
                    .search_for(words.split_whitespace().collect::<Vec<_>>().join(" "));
                self.show_review_now();
            }
            Command::OpenInReview(id) => {
                if let Some(article) = self.session.as_ref().map(|s| s.path().to_path_buf()) {
                    self.review.focus_on(&article, &id.0);
                    self.show_review_now();
                }
            }
            Command::SaveCodebook(cb) => {
                if let Some(session) = &mut self.session {
                    match session.save_codebook(cb) {
                        Ok(()) => {
                            self.view.invalidate();
                            self.info("Codebook saved");
                        }
                        Err(e) => self.error(e.to_string()),
                    }
                }
            }
            Command::SaveSources(reg) => {
                if let Some(session) = &mut self.session {
                    match session.save_sources(reg) {
                        Ok(()) => self.info("Sources saved"),
                        Err(e) => self.error(e.to_string()),
                    }
                }
            }
        }
    }

    /// Applies a user action (a menu item, a button, a key of the command table).
    pub(super) fn run_action(&mut self, ctx: &egui::Context, action: Action) {
        match action {
            Action::OpenDialog => self.open_dialog(),
            Action::OpenTypedPath => self.show_typed_path(false),
            Action::Save => {
                if self
                    .session
                    .as_ref()
                    .is_some_and(|s| s.read_only().is_some())
                {
                    self.start_save(); // reports why it cannot save
                } else {
                    self.start_save();
                    self.info("Saved");
                }
            }
            Action::Quit => ctx.send_viewport_cmd(egui::ViewportCommand::Close),
            Action::Undo => self.undo_redo(true),
            Action::Redo => self.undo_redo(false),
            Action::DeleteAnnotation => {
                if let Some(id) = self.selected.clone()
                    && self.apply(Edit::Remove(id))
                {
                    self.selected = None;
                }
            }
            Action::Find => self.open_find(),
            Action::FindNext => self.find_step(true),
            Action::FindPrevious => self.find_step(false),
            Action::CloseFind => {
                self.find.open = false;
                ctx.memory_mut(|m| m.surrender_focus(FindBar::id()));
            }
            Action::ZoomIn => self.zoom(self.view.zoom * 1.1),
            Action::ZoomOut => self.zoom(self.view.zoom / 1.1),
            Action::ZoomReset => self.zoom(1.0),
            Action::Deselect => self.selected = None,
            Action::SaveAs => self.show_typed_path(true),
            Action::WorkInCopy => {
                if let Some(dest) = self.session.as_ref().and_then(Session::copy_beside) {
                    self.save_copy_to(dest);
                }
            }
            Action::OpenCodebookEditor => self.open_codebook_editor(),
            Action::OpenSourcesEditor => {
                if let Some(session) = &self.session {
                    self.windows.sources_editor = Some(SourcesEditor::new(session.sources()));
                }
            }
            Action::OpenSettings => self.windows.settings_open = true,
            Action::ToggleReview => self.toggle_review(),
            Action::NextClaim => self.step_claim(1),
            Action::PreviousClaim => self.step_claim(-1),
            Action::OpenExport => self.open_transfer(TransferMode::Export),
            Action::OpenImport => self.open_transfer(TransferMode::Import),
            Action::RunExport => self.run_export(ctx),
            Action::RunImport => self.run_import(ctx),
            Action::FocusGrade => {
                if self.selected.is_some() {
                    self.inspector.focus_grade = true;
                }
            }
            Action::ShowShortcuts => self.windows.shortcuts = Some(ShortcutsWindow::new()),
            Action::Copy => self.copy(ctx, false),
            Action::CopyWithCitation => self.copy(ctx, true),
            Action::ToggleSuggestions => {
                self.settings.show_suggestions = !self.settings.show_suggestions;
            }
            Action::NextSuggestion => self.step_suggestion(true),
            Action::PreviousSuggestion => self.step_suggestion(false),
            Action::AcceptSuggestion => self.accept_suggestion(),
            Action::RejectSuggestion => self.reject_suggestion(),
            Action::AcceptParagraphSuggestions => self.accept_suggestions(true),
            Action::AcceptAllSuggestions => self.accept_suggestions(false),
            Action::ScrollToTop => self.view.scroll_to = Some(0),
            Action::ScrollToEnd => {
                if let Some(session) = &self.session {
                    self.view.scroll_to = Some(session.article().char_len());
                }
            }
        }
    }

    fn show_typed_path(&mut self, save_as: bool) {
        self.windows.typed_path = Some(TypedPath {
            text: String::new(),
            note: None,
            focus: true,
            save_as,
            completing: None,
            candidates: Vec::new(),
        });
    }

    fn undo_redo(&mut self, undo: bool) {
        let Some(session) = &mut self.session else {
            return;
        };
        let done = if undo { session.undo() } else { session.redo() };
        if done {
            if self
                .selected
                .as_ref()
                .is_some_and(|id| session.annotations().get(id).is_none())
            {
                self.selected = None;
            }
            self.edited();
        }
    }

    /// Opens the find bar, with the selected words (if short) to look for.
    fn open_find(&mut self) {
        if let Some(span) = self.view.selected_span()
            && span.len() < 200
            && let Some(session) = &self.session
        {
            let text = session.article().slice(span);
            if !text.contains('\n') {
                self.find.query = text.to_owned();
            }
        }
        self.find.open = true;
        self.find.focus = true;
    }

    pub(super) fn zoom(&mut self, zoom: f32) {
        self.view.zoom = zoom.clamp(theme::MIN_ZOOM, theme::MAX_ZOOM);
        self.settings.zoom = self.view.zoom;
    }

    /// Opens the codebook editor, with how many annotations of this article use each tag.
    fn open_codebook_editor(&mut self) {
        let Some(session) = &self.session else {
            return;
        };
        let usage = session
            .codebook()
            .tags
            .iter()
            .map(|t| {
                let n = session
                    .annotations()
                    .iter()
                    .filter(|a| a.tags.contains(&t.id))
                    .count();
                (t.id.clone(), n)
            })
            .collect();
        self.windows.codebook_editor = Some(CodebookEditor::new(session.codebook(), usage));
    }

    fn toggle_review(&mut self) {
        if self.show_review {
            self.show_review = false;
        } else {
            self.show_review_now();
        }
    }

    /// Shows the review of the library, of what is on disk: pending edits first, then a scan.
    fn show_review_now(&mut self) {
        if self.library.is_some() {
            self.flush();
            if let Some(library) = &mut self.library {
                library.rescan(Instant::now());
            }
            self.show_review = true;
        }
    }

    /// Opens the next (`delta` 1) or previous (-1) claim of the review's list.
    fn step_claim(&mut self, delta: isize) {
        let target = self
            .review
            .step(delta)
            .and_then(|claim| self.review.claim_ref(claim));
        if let Some((article, id)) = target {
            self.jump_to_claim(&article, &id);
        }
    }

    fn open_transfer(&mut self, mode: TransferMode) {
        if !self
            .windows
            .transfer
            .as_ref()
            .is_some_and(TransferWindow::busy)
        {
            self.windows.transfer = Some(TransferWindow::new(mode, &self.transfer_context()));
        }
    }

    /// Saves pending edits, then exports what the window's scope names: the review's
    /// claims, the library's articles, or the open article.
    fn run_export(&mut self, ctx: &egui::Context) {
        self.flush();
        let scope = self.windows.transfer.as_ref().map(|t| t.scope);
        // A folder library's tree, with whether the export is of all its articles.
        let tree = |whole: bool| {
            let root = self.library.as_ref().and_then(|l| l.root());
            root.map(|r| (r.to_path_buf(), whole))
        };
        let (articles, ids, folder) = match (scope, &self.session, &self.library) {
            (Some(ExportScope::Review), _, _) => {
                let (articles, ids) = self.review.selection();
                (articles, Some(ids), tree(false))
            }
            (Some(ExportScope::Folder), _, Some(library)) => {
                (library.articles().to_vec(), None, tree(true))
            }
            (_, Some(s), _) => (vec![s.path().to_path_buf()], None, None),
            _ => (Vec::new(), None, None),
        };
        if let Some(t) = &mut self.windows.transfer {
            t.start_export(ctx, articles, ids, folder);
        }
    }

    fn run_import(&mut self, ctx: &egui::Context) {
        self.flush();
        let into = match (&self.windows.transfer, &self.session) {
            (Some(t), Some(s)) if t.into_open_article => Some(s.path().to_path_buf()),
            _ => None,
        };
        // A REFI-QDA project brings its articles: into the open folder, else the article's.
        let folder = self
            .library
            .as_ref()
            .and_then(Library::root)
            .map(Path::to_path_buf)
            .or_else(|| {
                self.session
                    .as_ref()
                    .map(|s| crate::storage::atomic::folder_of(s.path()).to_path_buf())
            });
        if let Some(t) = &mut self.windows.transfer {
            t.start_import(ctx, into, folder);
        }
    }

    /// Copies the selected text, or the selected annotation's quote; with its citation.
    fn copy(&mut self, ctx: &egui::Context, cite: bool) {
        let Some(session) = &self.session else {
            return;
        };
        let text = match (self.view.selected_span(), &self.selected) {
            (Some(span), _) => session.article().slice(span).to_owned(),
            (None, Some(id)) => match session.annotations().get(id) {
                Some(ann) => ann.quote(),
                None => return,
            },
            (None, None) => {
                self.info("Select some text first, then copy.");
                return;
            }
        };
        let text = if cite {
            session.article().cite(&text, &session.file_name())
        } else {
            text
        };
        ctx.copy_text(text);
        self.info(if cite {
            "Copied with its citation"
        } else {
            "Copied"
        });
    }
}
