//! The eframe app: owns the [`Session`], drains [`Command`]s pushed by panels and key
//! bindings, applies edits, and autosaves on a background thread.

use std::path::{Path, PathBuf};
use std::sync::mpsc::{Receiver, channel};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use egui::{Key, RichText};

use crate::command::Command;
use crate::model::{Annotation, AnnotationId, Credibility, Edit, Reliability};
use crate::session::{DiskChange, Session, default_author};
use crate::storage::saver::{SaveJob, Saver};
use crate::storage::watch::Watcher;
use crate::storage::{codebook, sidecar, sources};
use crate::ui::article_view::ArticleView;
use crate::ui::codebook_editor::CodebookEditor;
use crate::ui::find_bar::FindBar;
use crate::ui::inspector::{FolderAnnotation, Inspector, InspectorContext};
use crate::ui::review::ReviewPanel;
use crate::ui::settings_window::{self, Settings, ThemeChoice};
use crate::ui::sources_editor::SourcesEditor;
use crate::ui::transfer_window::{Mode as TransferMode, Scope, TransferContext, TransferWindow};
use crate::ui::{annotations_panel, attention, library, menu_bar, tag_bar, theme};

/// Autosave this long after the last edit (the promise is "within 2 seconds").
pub const AUTOSAVE_DELAY: Duration = Duration::from_millis(1500);

const SETTINGS_KEY: &str = "claimmark.settings";
const MAX_RECENT: usize = 10;

/// A line in the status bar.
struct Message {
    text: String,
    error: bool,
}

/// The typed-path window: opening when there is no file dialog (or the user prefers typing),
/// and choosing a folder for "Save as…".
struct TypedPath {
    text: String,
    note: Option<String>,
    focus: bool,
    save_as: bool,
}

pub struct ClaimmarkApp {
    session: Option<Session>,
    /// An article being read on a worker thread, and where its session will arrive.
    opening: Option<(
        PathBuf,
        std::sync::mpsc::Receiver<Result<Session, crate::session::OpenError>>,
    )>,
    view: ArticleView,
    find: FindBar,
    selected: Option<AnnotationId>,
    folder: Option<PathBuf>,
    library: Vec<PathBuf>,
    /// Articles of the list that have a sidecar.
    annotated: std::collections::HashSet<PathBuf>,
    settings: Settings,
    message: Option<Message>,
    inspector: Inspector,
    /// Annotations of the folder's other articles, for cross-article links (loaded on demand).
    folder_annotations: Option<Vec<FolderAnnotation>>,
    codebook_editor: Option<CodebookEditor>,
    sources_editor: Option<SourcesEditor>,
    settings_open: bool,
    /// The export or import window.
    transfer: Option<TransferWindow>,
    /// The review of the folder (kept while the app runs, rescanned while shown).
    review: Option<ReviewPanel>,
    /// The central panel shows the review instead of the article.
    show_review: bool,
    /// The review generation the library list was last taken from.
    library_generation: usize,
    applied_theme: Option<ThemeChoice>,
    /// After a grade letter (A–F) on a selected annotation, a digit 1–6 sets the credibility.
    grade_letter_at: Option<Instant>,
    /// A text field had keyboard focus at the end of the last frame.
    text_field_focused: bool,
    /// When the oldest edit not yet handed to the saver was made.
    first_unsaved_edit: Option<Instant>,
    /// The analyst was told the edits cannot be saved; the next close request quits.
    quit_anyway: bool,
    watcher: Watcher,
    /// Hashes of the sidecar texts this app wrote recently (its own changes on disk).
    recent_writes: std::collections::VecDeque<u64>,
    /// The last save failed with this message (Retry / Save as… are offered).
    save_failed: Option<String>,
    saver: Saver,
    last_edit: Option<Instant>,
    dialog: Option<Receiver<Option<PathBuf>>>,
    typed_path: Option<TypedPath>,
    title: String,
    screenshot: Option<Screenshot>,
    commands: Vec<Command>,
}

struct Screenshot {
    path: PathBuf,
    frames: u32,
    requested: bool,
    outcome: Arc<Mutex<Option<Result<(), String>>>>,
}

impl ClaimmarkApp {
    /// Creates the app and opens `paths` (or the bundled samples when there are none).
    pub fn new(cc: &eframe::CreationContext<'_>, paths: Vec<PathBuf>) -> Self {
        let settings: Settings = cc
            .storage
            .and_then(|s| eframe::get_value(s, SETTINGS_KEY))
            .unwrap_or_default();
        cc.egui_ctx.options_mut(|o| o.zoom_with_keyboard = false);
        let ctx = cc.egui_ctx.clone();
        let saver = Saver::spawn(move || ctx.request_repaint());
        let ctx = cc.egui_ctx.clone();
        let watcher = Watcher::spawn(move || ctx.request_repaint());
        let mut settings = settings;
        settings.zoom = settings.zoom.clamp(theme::MIN_ZOOM, theme::MAX_ZOOM);
        if settings.analyst.trim().is_empty() {
            settings.analyst = default_author();
        }
        let mut app = Self {
            session: None,
            opening: None,
            view: ArticleView::new(settings.zoom),
            find: FindBar::default(),
            selected: None,
            folder: None,
            library: Vec::new(),
            annotated: Default::default(),
            settings,
            message: None,
            inspector: Inspector::default(),
            folder_annotations: None,
            codebook_editor: None,
            sources_editor: None,
            settings_open: false,
            transfer: None,
            review: None,
            show_review: false,
            library_generation: 0,
            applied_theme: None,
            grade_letter_at: None,
            text_field_focused: false,
            first_unsaved_edit: None,
            quit_anyway: false,
            watcher,
            recent_writes: Default::default(),
            save_failed: None,
            saver,
            last_edit: None,
            dialog: None,
            typed_path: None,
            title: String::new(),
            screenshot: None,
            commands: Vec::new(),
        };
        let paths = if paths.is_empty() {
            match crate::samples::install() {
                Ok(dir) => vec![dir],
                Err(e) => {
                    app.error(e.to_string());
                    Vec::new()
                }
            }
        } else {
            paths
        };
        app.open_many(&paths);
        app
    }

    /// The open session, if any (for tests and the CLI's screenshot mode).
    pub fn session(&self) -> Option<&Session> {
        self.session.as_ref()
    }

    pub fn view(&self) -> &ArticleView {
        &self.view
    }

    pub fn selected(&self) -> Option<&AnnotationId> {
        self.selected.as_ref()
    }

    /// The status-bar message, if any.
    pub fn message(&self) -> Option<&str> {
        self.message.as_ref().map(|m| m.text.as_str())
    }

    /// Saves a screenshot to `path` after the first frames, then closes the window.
    pub fn with_screenshot(
        mut self,
        path: PathBuf,
        outcome: Arc<Mutex<Option<Result<(), String>>>>,
    ) -> Self {
        self.screenshot = Some(Screenshot {
            path,
            frames: 0,
            requested: false,
            outcome,
        });
        self
    }

    /// The analyst recorded as author of new annotations.
    fn author(&self) -> &str {
        self.settings.analyst.trim()
    }

    /// The settings (for tests).
    pub fn settings(&self) -> &Settings {
        &self.settings
    }

    fn info(&mut self, text: impl Into<String>) {
        self.message = Some(Message {
            text: text.into(),
            error: false,
        });
    }

    fn error(&mut self, text: impl Into<String>) {
        self.message = Some(Message {
            text: text.into(),
            error: true,
        });
    }

    fn open_many(&mut self, paths: &[PathBuf]) {
        match paths {
            [] => {}
            [one] => self.open(one),
            many => match crate::cli::expand_paths(many) {
                Ok(list) => {
                    self.set_library(None, list);
                    if let Some(first) = self.library.first().cloned() {
                        self.open_file(&first);
                    }
                }
                Err(e) => self.error(e.to_string()),
            },
        }
    }

    fn open(&mut self, path: &Path) {
        if path.is_dir() {
            // The same walk as the review's scan, so the list and the review agree.
            match crate::review::scan::walk(path) {
                Ok((list, _skipped)) => {
                    self.set_library(Some(path.to_owned()), list);
                    self.remember(path);
                    match self.library.first().cloned() {
                        Some(first) => self.open_file(&first),
                        None => self.error(format!(
                            "no articles (text, Markdown, web pages, PDF, Word) in {}",
                            path.display()
                        )),
                    }
                }
                Err(e) => self.error(e.to_string()),
            }
        } else {
            self.open_file(path);
        }
    }

    /// Writes the article being left (waiting for the saver, so that reopening the same
    /// article reads what was just saved). False if that failed: it stays open.
    fn may_leave_article(&mut self) -> bool {
        self.flush();
        if self
            .session
            .as_ref()
            .is_some_and(|s| s.is_dirty() && s.read_only.is_none())
        {
            let reason = self.save_failed.clone().unwrap_or_default();
            self.error(format!("{reason}. The article stays open so that no edit is lost: Retry, or Save as… elsewhere."));
            return false;
        }
        true
    }

    /// Opens an article on a worker thread: reading and extracting a large PDF or web page
    /// must not freeze the window. A quick open (nearly all) finishes within this frame; a
    /// slow one shows "Opening…" and lands when ready ([`Self::poll_opening`]).
    fn open_file(&mut self, path: &Path) {
        if !self.may_leave_article() {
            return;
        }
        let (tx, rx) = std::sync::mpsc::channel();
        let owned = path.to_owned();
        let spawned = std::thread::Builder::new()
            .name("open article".into())
            .spawn(move || {
                let _ = tx.send(Session::open(&owned));
            });
        if let Err(e) = spawned {
            self.error(format!("cannot open {}: {e}", path.display()));
            return;
        }
        match rx.recv_timeout(std::time::Duration::from_millis(250)) {
            Ok(result) => self.finish_open(path, result),
            Err(std::sync::mpsc::RecvTimeoutError::Timeout) => {
                let name = path.file_name().unwrap_or_default().to_string_lossy();
                self.info(format!("Opening {name}…"));
                self.opening = Some((path.to_owned(), rx));
            }
            Err(std::sync::mpsc::RecvTimeoutError::Disconnected) => {
                self.error(format!(
                    "cannot open {}: its reader stopped",
                    path.display()
                ));
            }
        }
    }

    /// Lands an article opened in the background, once it is ready.
    fn poll_opening(&mut self, ctx: &egui::Context) {
        let Some((path, rx)) = &self.opening else {
            return;
        };
        match rx.try_recv() {
            Ok(result) => {
                let path = path.clone();
                self.opening = None;
                self.finish_open(&path, result);
            }
            Err(std::sync::mpsc::TryRecvError::Empty) => {
                ctx.request_repaint_after(std::time::Duration::from_millis(50));
            }
            Err(std::sync::mpsc::TryRecvError::Disconnected) => {
                let path = path.clone();
                self.opening = None;
                self.error(format!(
                    "cannot open {}: its reader stopped",
                    path.display()
                ));
            }
        }
    }

    /// Opens an article and waits for it (a jump to a claim needs it at once).
    fn open_file_now(&mut self, path: &Path) {
        if self.may_leave_article() {
            let result = Session::open(path);
            self.finish_open(path, result);
        }
    }

    fn finish_open(&mut self, path: &Path, result: Result<Session, crate::session::OpenError>) {
        // A later choice wins over an article still being read.
        self.opening = None;
        match result {
            Ok(session) => {
                let parent = path.parent().map(Path::to_owned);
                if !self.library.iter().any(|p| p == path) {
                    if let Some(dir) = &parent
                        && let Ok(list) = crate::import::list_folder(dir)
                    {
                        self.set_library(Some(dir.clone()), list);
                    } else {
                        self.set_library(None, vec![path.to_owned()]);
                    }
                }
                self.message = None;
                if let Some(reason) = &session.read_only {
                    let text = format!("Opened read-only: {reason}");
                    self.error(text);
                } else {
                    let counts = session.anchor_counts();
                    if counts.moved + counts.fuzzy + counts.orphaned > 0 {
                        let text = format!(
                            "The article changed since it was annotated: {counts}.{}",
                            if counts.orphaned > 0 {
                                " See Needs attention."
                            } else {
                                ""
                            }
                        );
                        if counts.orphaned > 0 {
                            self.error(text);
                        } else {
                            self.info(text);
                        }
                    }
                }
                self.watcher.watch(Some(session.sidecar_path()));
                self.session = Some(session);
                self.folder_annotations = None;
                self.view.reset();
                self.selected = None;
                self.last_edit = None;
                self.remember(path);
            }
            Err(e) => self.error(e.to_string()),
        }
    }

    /// Sets the articles list; which of them have annotations is looked up once, here, not
    /// every frame.
    /// The central panel in reading mode: the article (or how to open one).
    fn article_ui(&mut self, ui: &mut egui::Ui, commands: &mut Vec<Command>) {
        egui::CentralPanel::default_margins().show(ui, |ui| match &self.session {
            Some(session) => {
                if let Some(reason) = &session.read_only {
                    egui::Frame::new().fill(theme::warning_fill(ui.visuals().dark_mode)).inner_margin(8.0).show(ui, |ui| {
                        ui.label(RichText::new(format!("Read-only: {reason}")).strong());
                        ui.label("The sidecar is left exactly as it is. Fix or move it, then reopen the article, or keep working in a copy.");
                        if ui.button("Work in a copy").on_hover_text("Copy the article next to itself and annotate the copy").clicked() {
                            commands.push(Command::WorkInCopy);
                        }
                    });
                }
                crate::ui::article_header::show(ui, session);
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

    /// The folder a review covers: the open folder, else the open article's folder.
    fn review_root(&self) -> Option<PathBuf> {
        self.folder.clone().or_else(|| {
            self.session
                .as_ref()
                .map(|s| s.folder())
                .filter(|f| !f.as_os_str().is_empty())
        })
    }

    /// Opens a claim of the review in its article, selected, scrolled to and emphasised.
    fn jump_to_claim(&mut self, article: &Path, id: &str) {
        if let Some(review) = &mut self.review {
            review.set_cursor_to(article, id);
            // A claim in a subfolder opens within the reviewed tree: the list keeps the
            // whole tree (and the review its root) instead of switching to the subfolder.
            if !self.library.iter().any(|p| p == article)
                && let Some(index) = &review.index
                && self.folder.as_deref() == Some(review.root.as_path())
            {
                self.library = index.articles.iter().map(|a| a.path.clone()).collect();
            }
        }
        if self.session.as_ref().is_none_or(|s| s.path != article) {
            self.open_file_now(article);
        }
        let id = AnnotationId(id.to_owned());
        let found = self
            .session
            .as_ref()
            .filter(|s| s.path == article)
            .and_then(|s| s.annotations.get(&id))
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

    fn transfer_context(&self) -> TransferContext<'_> {
        TransferContext {
            review_claims: self
                .review
                .as_ref()
                .filter(|r| r.index.is_some() && !r.filter.is_empty())
                .map(|r| r.rows.len()),
            article: self.session.as_ref().map(|s| s.path.as_path()),
            folder: self.folder.as_deref(),
            folder_articles: self.library.len(),
        }
    }

    /// The review of the folder, if one was started.
    pub fn review(&self) -> Option<&ReviewPanel> {
        self.review.as_ref()
    }

    /// True while the central panel shows the review.
    pub fn showing_review(&self) -> bool {
        self.show_review
    }

    /// The export or import window, if open.
    pub fn transfer(&self) -> Option<&TransferWindow> {
        self.transfer.as_ref()
    }

    fn set_library(&mut self, folder: Option<PathBuf>, list: Vec<PathBuf>) {
        self.annotated = list
            .iter()
            .filter(|p| sidecar::sidecar_path(p).exists())
            .cloned()
            .collect();
        self.folder = folder;
        self.library = list;
    }

    fn remember(&mut self, path: &Path) {
        let path = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_owned());
        self.settings.recent.retain(|p| p != &path);
        self.settings.recent.insert(0, path);
        self.settings.recent.truncate(MAX_RECENT);
    }

    /// Writes pending edits now and waits for the writer (switching articles, quitting).
    fn flush(&mut self) {
        self.collect_saves(true);
        if let Some(session) = &mut self.session
            && session.is_dirty()
            && session.read_only.is_none()
        {
            let mut result = session.save();
            if let Err(crate::session::SaveError::ChangedOnDisk { contents, .. }) = result {
                let contents = contents.map(crate::storage::read::text_from_bytes);
                self.apply_disk_change(contents);
                let Some(session) = &mut self.session else {
                    return;
                };
                result = session.save();
            }
            let Some(session) = &mut self.session else {
                return;
            };
            match result {
                Ok(_) => {
                    self.annotated.insert(session.path.clone());
                }
                Err(e) => {
                    let text = e.to_string();
                    self.save_failed = Some(text.clone());
                    self.error(text);
                }
            }
        }
    }

    /// Reacts to the open sidecar changing on disk (not by this app).
    fn disk_changes(&mut self) {
        for change in self.watcher.poll() {
            let Some(session) = &self.session else {
                continue;
            };
            if change.path != session.sidecar_path() {
                continue;
            }
            if let Some(Ok(text)) = &change.contents {
                let hash = sidecar::content_hash(text.as_bytes());
                // What this app last read or wrote, or a save of its own still in flight.
                if session.disk_hash == Some(hash) || self.recent_writes.contains(&hash) {
                    continue;
                }
            }
            self.apply_disk_change(change.contents);
        }
    }

    /// Takes a version of the sidecar written by someone else: reload or merge (see
    /// [`Session::on_disk_change`]); merged edits are saved again soon.
    fn apply_disk_change(&mut self, contents: Option<Result<String, crate::storage::ReadError>>) {
        let Some(session) = &mut self.session else {
            return;
        };
        match session.on_disk_change(contents) {
            DiskChange::Reloaded => self.info("The sidecar changed on disk (another program); reloaded."),
            DiskChange::Merged { conflicts: 0 } => {
                self.info("The sidecar changed on disk; merged with your edits.");
                self.edited();
            }
            DiskChange::Merged { conflicts } => {
                self.error(format!("The sidecar changed on disk; merged with your edits, {conflicts} conflict(s) in Needs attention."));
                self.edited();
            }
            DiskChange::Deleted => self.error("The sidecar was deleted on disk; your annotations are in memory. Ctrl+S writes them again."),
            DiskChange::Unreadable(reason) => self.error(format!("{reason}. It is left untouched; your edits are in memory: use File > Save as… to keep them.")),
        }
        if self.selected.as_ref().is_some_and(|id| {
            self.session
                .as_ref()
                .is_some_and(|s| s.annotations.get(id).is_none())
        }) {
            self.selected = None;
        }
    }

    /// Copies the article (and its annotations) to `dest` and continues there: the way out of
    /// a folder that cannot be written, or of an unreadable sidecar ("work in a copy").
    fn save_copy_to(&mut self, dest: PathBuf) {
        let Some(session) = &mut self.session else {
            return;
        };
        if dest.exists() || sidecar::sidecar_path(&dest).exists() {
            self.error(format!(
                "{} already exists; choose another place",
                dest.display()
            ));
            return;
        }
        // Copy the original file; if it is gone, its canonical text is what offsets refer to.
        let copied = std::fs::copy(&session.path, &dest)
            .map(|_| ())
            .or_else(|_| crate::storage::write_atomic(&dest, session.article.text.as_bytes()));
        if let Err(e) = copied {
            self.error(format!("cannot write {}: {e}", dest.display()));
            return;
        }
        let old = std::mem::replace(&mut session.path, dest.clone());
        let was_read_only = session.read_only.take();
        // The copy's sidecar is new: there is no file there yet.
        let old_disk_hash = session.disk_hash.take();
        match session.save() {
            Ok(_) => {
                self.save_failed = None;
                self.watcher.watch(Some(session.sidecar_path()));
                let note = if was_read_only.is_some() {
                    " (without the unreadable annotations)"
                } else {
                    ""
                };
                self.info(format!(
                    "Now working in {}{note}; {} is unchanged.",
                    dest.display(),
                    old.display()
                ));
                if let Some(dir) = dest.parent()
                    && let Ok(list) = crate::import::list_folder(dir)
                {
                    self.set_library(Some(dir.to_owned()), list);
                }
                self.remember(&dest);
            }
            Err(e) => {
                session.disk_hash = old_disk_hash;
                session.path = old;
                session.read_only = was_read_only;
                self.error(e.to_string());
            }
        }
    }

    fn start_save(&mut self) {
        let Some(session) = &self.session else {
            return;
        };
        match session.snapshot() {
            Ok((path, contents, revision)) => {
                remember_write(&mut self.recent_writes, &contents);
                let expected = session.disk_hash;
                if let Err(e) = self.saver.submit(SaveJob {
                    expected,
                    path,
                    contents,
                    revision,
                }) {
                    self.error(e.to_string());
                }
                self.last_edit = None;
            }
            Err(e) => {
                let text = e.to_string();
                self.error(text);
                self.last_edit = None;
            }
        }
    }

    fn collect_saves(&mut self, wait: bool) {
        let done = if wait {
            self.saver.wait()
        } else {
            self.saver.poll()
        };
        for d in done {
            self.recent_writes.retain(|h| *h != d.hash);
            let current = self
                .session
                .as_ref()
                .is_some_and(|s| s.sidecar_path() == d.path);
            match d.result {
                Ok(sidecar::WriteOutcome::Written) => {
                    if let Some(session) = &mut self.session
                        && current
                    {
                        session.note_written(d.revision, d.hash);
                        self.save_failed = None;
                        self.annotated.insert(session.path.clone());
                    }
                }
                // Someone else wrote the file since it was read: nothing was overwritten; merge
                // their version, then save the result.
                Ok(sidecar::WriteOutcome::ChangedOnDisk(bytes)) if current => {
                    let contents = bytes.map(crate::storage::read::text_from_bytes);
                    self.apply_disk_change(contents);
                }
                Ok(sidecar::WriteOutcome::ChangedOnDisk(_)) => {
                    self.error(format!("{} changed on disk while the previous article was being saved; nothing was overwritten", d.path.display()));
                }
                // The edits stay in memory and dirty: Retry, or Save as… somewhere else.
                Err(e) => {
                    self.save_failed = Some(e.to_string());
                    self.error(format!(
                        "{e}. Your annotations are still in memory: Retry, or Save as… elsewhere."
                    ));
                }
            }
        }
    }

    fn edited(&mut self) {
        self.last_edit = Some(Instant::now());
    }

    /// Replaces an annotation with the analyst's edited copy (stamped modified by the session).
    fn update(&mut self, ann: Annotation) -> bool {
        self.change(|session| session.update_annotation(ann))
    }

    fn apply(&mut self, edit: Edit) -> bool {
        self.change(|session| session.apply(edit))
    }

    fn change(
        &mut self,
        change: impl FnOnce(&mut Session) -> Result<(), crate::model::EditError>,
    ) -> bool {
        let Some(session) = &mut self.session else {
            return false;
        };
        if let Some(reason) = &session.read_only {
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

    fn tag(&mut self, tag: &str) {
        let Some(session) = &self.session else {
            return;
        };
        if session.codebook.tag(tag).is_none() {
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
            .and_then(|id| session.annotations.get(id))
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

    fn find_step(&mut self, forward: bool) {
        let Some(session) = &self.session else {
            return;
        };
        let hits = session.article.find_all(&self.find.query);
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

    fn run_command(&mut self, ctx: &egui::Context, command: Command) {
        match command {
            Command::OpenDialog => self.open_dialog(ctx),
            Command::OpenTypedPath => {
                self.typed_path = Some(TypedPath {
                    text: String::new(),
                    note: None,
                    focus: true,
                    save_as: false,
                })
            }
            Command::Open(path) => self.open(&path),
            Command::Save => {
                if self.session.as_ref().is_some_and(|s| s.read_only.is_some()) {
                    self.start_save(); // reports why it cannot save
                } else {
                    self.start_save();
                    self.info("Saved");
                }
            }
            Command::Quit => ctx.send_viewport_cmd(egui::ViewportCommand::Close),
            Command::Undo | Command::Redo => {
                if let Some(session) = &mut self.session {
                    let done = if command == Command::Undo {
                        session.undo()
                    } else {
                        session.redo()
                    };
                    if done {
                        if self
                            .selected
                            .as_ref()
                            .is_some_and(|id| session.annotations.get(id).is_none())
                        {
                            self.selected = None;
                        }
                        self.edited();
                    }
                }
            }
            Command::DeleteAnnotation => {
                if let Some(id) = self.selected.clone()
                    && self.apply(Edit::Remove(id))
                {
                    self.selected = None;
                }
            }
            Command::Find => {
                if let Some(span) = self.view.selected_span()
                    && span.len() < 200
                    && let Some(session) = &self.session
                {
                    let text = session.article.slice(span);
                    if !text.contains('\n') {
                        self.find.query = text.to_owned();
                    }
                }
                self.find.open = true;
                self.find.focus = true;
            }
            Command::FindNext => self.find_step(true),
            Command::FindPrevious => self.find_step(false),
            Command::CloseFind => {
                self.find.open = false;
                ctx.memory_mut(|m| m.surrender_focus(FindBar::id()));
            }
            Command::ZoomIn | Command::ZoomOut | Command::ZoomReset => {
                let z = match command {
                    Command::ZoomIn => self.view.zoom * 1.1,
                    Command::ZoomOut => self.view.zoom / 1.1,
                    _ => 1.0,
                };
                self.view.zoom = z.clamp(theme::MIN_ZOOM, theme::MAX_ZOOM);
                self.settings.zoom = self.view.zoom;
            }
            Command::Tag(tag) => self.tag(&tag),
            Command::SelectAnnotation(id) => {
                if let Some(ann) = self.session.as_ref().and_then(|s| s.annotations.get(&id)) {
                    self.view.scroll_to = Some(ann.extent().start);
                    self.view.selection = None;
                    self.selected = Some(id);
                }
            }
            Command::Deselect => self.selected = None,
            Command::SaveAs => {
                self.typed_path = Some(TypedPath {
                    text: String::new(),
                    note: None,
                    focus: true,
                    save_as: true,
                });
            }
            Command::WorkInCopy => {
                if let Some(session) = &self.session {
                    let path = &session.path;
                    let stem = path
                        .file_stem()
                        .map(|s| s.to_string_lossy().into_owned())
                        .unwrap_or_default();
                    let ext = path
                        .extension()
                        .map(|e| format!(".{}", e.to_string_lossy()))
                        .unwrap_or_default();
                    let dest = (1..1000)
                        .map(|n| {
                            let suffix = if n == 1 {
                                " (copy)".to_owned()
                            } else {
                                format!(" (copy {n})")
                            };
                            path.with_file_name(format!("{stem}{suffix}{ext}"))
                        })
                        .find(|p| !p.exists() && !sidecar::sidecar_path(p).exists());
                    if let Some(dest) = dest {
                        self.save_copy_to(dest);
                    }
                }
            }
            Command::ResolveConflict { id, keep_mine } => {
                let Some(session) = &mut self.session else {
                    return;
                };
                let Some(i) = session.conflicts.iter().position(|c| c.id == id) else {
                    return;
                };
                let conflict = session.conflicts.remove(i);
                if keep_mine && conflict.ours.is_none() {
                    // Ours deleted it; the merge kept theirs meanwhile.
                    self.apply(Edit::Remove(id.clone()));
                } else if !keep_mine {
                    let edit = match (conflict.theirs, session.annotations.get(&id).is_some()) {
                        (Some(theirs), true) => Some(Edit::Replace(theirs)),
                        (Some(theirs), false) => Some(Edit::Add(theirs)),
                        (None, true) => Some(Edit::Remove(id.clone())),
                        (None, false) => None,
                    };
                    if let Some(edit) = edit {
                        self.apply(edit);
                    }
                }
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
                    .and_then(|id| self.session.as_ref().and_then(|s| s.annotations.get(id)));
                if let Some(ann) = current {
                    let mut ann = ann.clone();
                    ann.record.reliability = reliability.or(ann.record.reliability);
                    ann.record.credibility = credibility.or(ann.record.credibility);
                    self.update(ann);
                }
            }
            Command::TypeInto(ann, field) => {
                if let Some(session) = &mut self.session
                    && session.read_only.is_none()
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
            Command::OpenCodebookEditor => {
                if let Some(session) = &self.session {
                    let usage = session
                        .codebook
                        .tags
                        .iter()
                        .map(|t| {
                            (
                                t.id.clone(),
                                session
                                    .annotations
                                    .iter()
                                    .filter(|a| a.tags.contains(&t.id))
                                    .count(),
                            )
                        })
                        .collect();
                    self.codebook_editor = Some(CodebookEditor::new(&session.codebook, usage));
                }
            }
            Command::OpenSourcesEditor => {
                if let Some(session) = &self.session {
                    self.sources_editor = Some(SourcesEditor::new(&session.sources));
                }
            }
            Command::OpenSettings => self.settings_open = true,
            Command::ToggleReview => {
                if self.show_review {
                    self.show_review = false;
                } else if let Some(root) = self.review_root() {
                    if self.review.as_ref().is_none_or(|r| r.root != root) {
                        self.flush();
                        let mut panel = ReviewPanel::new(&root);
                        panel.start_scan(ctx, false);
                        self.review = Some(panel);
                    }
                    self.show_review = true;
                }
            }
            Command::JumpToClaim { article, id } => self.jump_to_claim(&article, &id),
            Command::NextClaim | Command::PreviousClaim => {
                let delta = if matches!(command, Command::NextClaim) {
                    1
                } else {
                    -1
                };
                let target = self.review.as_mut().and_then(|r| {
                    let claim = r.step(delta)?;
                    r.claim_ref(claim)
                });
                if let Some((article, id)) = target {
                    self.jump_to_claim(&article, &id);
                }
            }
            Command::OpenExport | Command::OpenImport => {
                if !self.transfer.as_ref().is_some_and(TransferWindow::busy) {
                    let mode = if matches!(command, Command::OpenExport) {
                        TransferMode::Export
                    } else {
                        TransferMode::Import
                    };
                    self.transfer = Some(TransferWindow::new(mode, &self.transfer_context()));
                }
            }
            Command::RunExport => {
                self.flush();
                let scope = self.transfer.as_ref().map(|t| t.scope);
                let (articles, ids) = match (scope, &self.session, &self.review) {
                    (Some(Scope::Review), _, Some(review)) => {
                        let (articles, ids) = review.selection();
                        (articles, Some(ids))
                    }
                    (Some(Scope::Folder), _, _) => (self.library.clone(), None),
                    (_, Some(s), _) => (vec![s.path.clone()], None),
                    _ => (Vec::new(), None),
                };
                if let Some(t) = &mut self.transfer {
                    t.start_export(ctx, articles, ids);
                }
            }
            Command::RunImport => {
                self.flush();
                let into = match (&self.transfer, &self.session) {
                    (Some(t), Some(s)) if t.into_open_article => Some(s.path.clone()),
                    _ => None,
                };
                if let Some(t) = &mut self.transfer {
                    t.start_import(ctx, into);
                }
            }
            Command::SaveCodebook(cb) => {
                if let Some(session) = &mut self.session {
                    match codebook::save_for_folder(&session.folder(), &cb) {
                        Ok(()) => {
                            session.codebook = cb;
                            self.view.invalidate();
                            self.info("Codebook saved");
                        }
                        Err(e) => self.error(e.to_string()),
                    }
                }
            }
            Command::SaveSources(reg) => {
                if let Some(session) = &mut self.session {
                    match sources::save_for_folder(&session.folder(), &reg) {
                        Ok(()) => {
                            session.sources = reg;
                            self.info("Sources saved");
                        }
                        Err(e) => self.error(e.to_string()),
                    }
                }
            }
        }
    }

    /// Reads the annotations of the folder's other articles (for cross-article links).
    fn load_folder_annotations(&mut self) {
        let Some(session) = &self.session else {
            return;
        };
        let mut out = Vec::new();
        for path in &self.library {
            if path == &session.path {
                continue;
            }
            // Offsets are not needed to list link targets, so the article text is not read.
            let Ok(Some(file)) = sidecar::load(path, None) else {
                continue;
            };
            let article = path
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            for a in file.annotations {
                let tags: Vec<&str> = a.tags.iter().map(|t| session.codebook.name_of(t)).collect();
                let mut quote: String = a.quote().chars().take(50).collect();
                if a.quote().chars().count() > 50 {
                    quote.push('…');
                }
                out.push(FolderAnnotation {
                    article: article.clone(),
                    id: a.id.clone(),
                    label: format!("{} “{}”", tags.join(", "), quote),
                });
            }
        }
        self.folder_annotations = Some(out);
    }

    fn open_dialog(&mut self, ctx: &egui::Context) {
        if self.dialog.is_some() {
            return;
        }
        let (tx, rx) = channel();
        let ctx = ctx.clone();
        let start = self.folder.clone();
        // rfd's portal dialog blocks its thread; the UI keeps running.
        let spawned = std::thread::Builder::new()
            .name("claimmark-open-dialog".into())
            .spawn(move || {
                let mut dialog = rfd::FileDialog::new()
                    .set_title("Open article")
                    .add_filter("Articles", crate::import::ARTICLE_EXTENSIONS);
                if let Some(dir) = start {
                    dialog = dialog.set_directory(dir);
                }
                let _ = tx.send(dialog.pick_file());
                ctx.request_repaint();
            });
        match spawned {
            Ok(_) => self.dialog = Some(rx),
            Err(e) => self.error(format!("cannot show the file dialog: {e}")),
        }
    }

    fn poll_dialog(&mut self) {
        let Some(rx) = &self.dialog else {
            return;
        };
        match rx.try_recv() {
            Ok(Some(path)) => {
                self.dialog = None;
                self.open(&path);
            }
            Ok(None) | Err(std::sync::mpsc::TryRecvError::Disconnected) => {
                self.dialog = None;
                self.typed_path = Some(TypedPath {
                    text: String::new(),
                    note: Some(
                        "No file was chosen. If no dialog appeared, this system has no file-dialog portal \
                         (xdg-desktop-portal); type the path of an article or folder instead."
                            .into(),
                    ),
                    focus: true,
                    save_as: false,
                });
            }
            Err(std::sync::mpsc::TryRecvError::Empty) => {}
        }
    }

    /// Keyboard shortcuts; single keys only when no text field has focus.
    fn keys(&mut self, ctx: &egui::Context) {
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
        let reviewing = self.review.as_ref().is_some_and(|r| !r.rows.is_empty());
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

    fn window_title(&self) -> String {
        match &self.session {
            Some(s) => format!(
                "{}{}{} — Claimmark",
                if s.is_dirty() { "● " } else { "" },
                s.file_name(),
                if s.read_only.is_some() {
                    " (read-only)"
                } else {
                    ""
                }
            ),
            None => "Claimmark".into(),
        }
    }

    fn status_ui(&self, ui: &mut egui::Ui, commands: &mut Vec<Command>) {
        ui.horizontal(|ui| {
            if self.save_failed.is_some() {
                if ui
                    .button("Retry")
                    .on_hover_text("Try to save to the same place again")
                    .clicked()
                {
                    commands.push(Command::Save);
                }
                if ui
                    .button("Save as…")
                    .on_hover_text(Command::SaveAs.tooltip())
                    .clicked()
                {
                    commands.push(Command::SaveAs);
                }
                ui.separator();
            }
            if let Some(s) = &self.session {
                let state = if s.read_only.is_some() {
                    "read-only"
                } else if s.is_dirty() {
                    "unsaved changes"
                } else {
                    "saved"
                };
                ui.label(format!("{} annotations · {state}", s.annotations.len()));
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

    fn typed_path_ui(&mut self, ctx: &egui::Context) {
        let Some(tp) = &mut self.typed_path else {
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
                let response = ui.add(
                    egui::TextEdit::singleline(&mut tp.text)
                        .id(egui::Id::unique("typed_path"))
                        .desired_width(420.0),
                );
                if tp.focus {
                    response.request_focus();
                    tp.focus = false;
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
                self.typed_path = None;
                let name = self
                    .session
                    .as_ref()
                    .and_then(|s| s.path.file_name().map(ToOwned::to_owned))
                    .unwrap_or_default();
                self.save_copy_to(path.join(name));
            } else if save_as {
                if let Some(tp) = &mut self.typed_path {
                    tp.note = Some(format!("{} is not a folder.", path.display()));
                    tp.focus = true;
                }
            } else if path.exists() {
                self.typed_path = None;
                self.open(&path);
            } else if let Some(tp) = &mut self.typed_path {
                tp.note = Some(format!("{} does not exist.", path.display()));
                tp.focus = true;
            }
        } else if close {
            self.typed_path = None;
        }
    }

    fn screenshot_step(&mut self, ctx: &egui::Context) {
        let Some(shot) = &mut self.screenshot else {
            return;
        };
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

/// The digit 1–9 of a number key.
fn key_digit(key: Key) -> Option<u8> {
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

/// Remembers the hash of a sidecar text handed to the saver, until the saver reports on it,
/// so the watcher does not take this app's own write for someone else's.
fn remember_write(recent: &mut std::collections::VecDeque<u64>, text: &str) {
    recent.push_back(sidecar::content_hash(text.as_bytes()));
    while recent.len() > 64 {
        recent.pop_front();
    }
}

fn save_png(path: &Path, image: &egui::ColorImage) -> Result<(), String> {
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

impl eframe::App for ClaimmarkApp {
    fn logic(&mut self, ctx: &egui::Context, _frame: &mut eframe::Frame) {
        self.poll_opening(ctx);
        self.collect_saves(false);
        self.disk_changes();
        self.poll_dialog();
        let dropped: Vec<PathBuf> = ctx.input(|i| {
            i.raw
                .dropped_files
                .iter()
                .map(|f| f.path().to_path_buf())
                .filter(|p| !p.as_os_str().is_empty())
                .collect()
        });
        if !dropped.is_empty() {
            self.open_many(&dropped);
        }
        self.keys(ctx);
        // An opened folder is scanned in the background, for the library's details and the
        // review.
        if let Some(folder) = &self.folder
            && self.review.as_ref().is_none_or(|r| &r.root != folder)
        {
            let mut panel = ReviewPanel::new(folder);
            panel.start_scan(ctx, false);
            self.review = Some(panel);
        }
        if let Some(review) = &mut self.review {
            review.poll(ctx, self.show_review);
        }
        // The list follows the scans: articles added or removed elsewhere appear there too.
        if let Some(review) = &self.review
            && review.generation != self.library_generation
            && self.folder.as_deref() == Some(review.root.as_path())
            && let Some(index) = review.index.clone()
        {
            self.library_generation = review.generation;
            // The scan knows which articles have sidecars: no file checks on the UI thread.
            self.library = index.articles.iter().map(|a| a.path.clone()).collect();
            self.annotated = index
                .articles
                .iter()
                .filter(|a| a.modified.is_some())
                .map(|a| a.path.clone())
                .collect();
        }
        for command in std::mem::take(&mut self.commands) {
            self.run_command(ctx, command);
        }
        // Autosave on the saver thread 1.5 s after the last edit, and never later than 1.5 s
        // after the first unsaved one (continuous typing is saved too).
        if let Some(t) = self.last_edit
            && self.session.as_ref().is_some_and(Session::is_dirty)
        {
            let first = *self.first_unsaved_edit.get_or_insert(t);
            let wait = AUTOSAVE_DELAY
                .saturating_sub(t.elapsed())
                .min(AUTOSAVE_DELAY.saturating_sub(first.elapsed()));
            if wait.is_zero() {
                self.start_save();
                self.first_unsaved_edit = None;
            } else {
                ctx.request_repaint_after(wait);
            }
        }
        // Closing with edits that could not be saved: keep the window, say why; a second
        // close request quits anyway.
        if ctx.input(|i| i.viewport().close_requested()) {
            self.flush();
            let unsaved = self
                .session
                .as_ref()
                .is_some_and(|s| s.is_dirty() && s.read_only.is_none());
            if unsaved && !self.quit_anyway {
                ctx.send_viewport_cmd(egui::ViewportCommand::CancelClose);
                self.quit_anyway = true;
                let reason = self.save_failed.clone().unwrap_or_default();
                self.error(format!("{reason}. Not quitting: your edits are not saved. Save as… elsewhere, or quit again to discard them."));
            }
        }
        if self.applied_theme != Some(self.settings.theme) {
            ctx.set_theme(self.settings.theme.preference());
            self.applied_theme = Some(self.settings.theme);
        }
        if self.inspector.wants_folder {
            self.inspector.wants_folder = false;
            self.load_folder_annotations();
        }
        let title = self.window_title();
        if title != self.title {
            ctx.send_viewport_cmd(egui::ViewportCommand::Title(title.clone()));
            self.title = title;
        }
        self.screenshot_step(ctx);
    }

    fn ui(&mut self, ui: &mut egui::Ui, _frame: &mut eframe::Frame) {
        let mut commands = Vec::new();
        let ctx = ui.ctx().clone();
        egui::Panel::top("menu").show(ui, |ui| {
            let mut cx = menu_bar::MenuContext {
                has_article: self.session.is_some(),
                can_undo: self.session.as_ref().is_some_and(|s| s.history.can_undo()),
                can_redo: self.session.as_ref().is_some_and(|s| s.history.can_redo()),
                has_selected_annotation: self.selected.is_some(),
                has_folder: self.folder.is_some() || self.session.is_some(),
                has_review: self.review.as_ref().is_some_and(|r| !r.rows.is_empty()),
                recent: &self.settings.recent,
                show_library: &mut self.settings.show_library,
                show_annotations: &mut self.settings.show_annotations,
            };
            menu_bar::menu_bar_ui(ui, &mut cx, &mut commands);
        });
        if let Some(session) = self.session.as_ref().filter(|_| !self.show_review) {
            egui::Panel::top("tags").show(ui, |ui| {
                let can_tag = session.read_only.is_none()
                    && (self.view.selected_span().is_some() || self.selected.is_some());
                tag_bar::tag_bar_ui(ui, &session.codebook, can_tag, &mut commands);
                if self.find.open {
                    ui.separator();
                    self.find.ui(ui, &mut commands);
                }
            });
        }
        egui::Panel::bottom("status").show(ui, |ui| self.status_ui(ui, &mut commands));
        if self.settings.show_library && (self.library.len() > 1 || self.folder.is_some()) {
            egui::Panel::left("library")
                .resizable(true)
                .default_size(220.0)
                .show(ui, |ui| {
                    let current = self.session.as_ref().map(|s| s.path.as_path());
                    let index = self
                        .review
                        .as_ref()
                        .and_then(|r| r.index.as_deref().map(|i| (i, &r.by_path)));
                    let cx = library::LibraryContext {
                        folder: self.folder.as_deref(),
                        articles: &self.library,
                        annotated: &self.annotated,
                        current,
                        index,
                    };
                    library::library_ui(ui, &cx, &mut commands);
                });
        }
        if let Some(session) = &self.session
            && self.settings.show_annotations
            && !self.show_review
        {
            egui::Panel::right("annotations")
                .resizable(true)
                .default_size(360.0)
                .show(ui, |ui| {
                    let selected = self
                        .selected
                        .as_ref()
                        .and_then(|id| session.annotations.get(id));
                    if let Some(annotation) = selected {
                        egui::Panel::top("inspector")
                            .resizable(true)
                            .default_size(360.0)
                            .show(ui, |ui| {
                                egui::ScrollArea::vertical()
                                    .id_salt("inspector_scroll")
                                    .show(ui, |ui| {
                                        ui.heading("Claim");
                                        let cx = InspectorContext {
                                            session,
                                            annotation,
                                            folder: self.folder_annotations.as_deref(),
                                        };
                                        self.inspector.ui(ui, &cx, &mut commands);
                                    });
                            });
                    }
                    attention::attention_ui(ui, session, self.view.selected_span(), &mut commands);
                    annotations_panel::annotations_ui(
                        ui,
                        session,
                        self.selected.as_ref(),
                        &mut commands,
                    );
                });
        }
        if self.show_review
            && let Some(review) = &mut self.review
        {
            egui::CentralPanel::default_margins().show(ui, |ui| review.ui(ui, &mut commands));
        } else {
            self.article_ui(ui, &mut commands);
        }
        self.typed_path_ui(&ctx);
        let folder = self
            .session
            .as_ref()
            .map(|s| s.folder().display().to_string())
            .unwrap_or_default();
        if let Some(editor) = &mut self.codebook_editor
            && !editor.ui(&ctx, &folder, &mut commands)
        {
            self.codebook_editor = None;
        }
        if let Some(editor) = &mut self.sources_editor
            && !editor.ui(&ctx, &folder, &mut commands)
        {
            self.sources_editor = None;
        }
        if let Some(mut transfer) = self.transfer.take() {
            let was_busy = transfer.busy();
            let open = transfer.ui(&ctx, &self.transfer_context(), &mut commands);
            if was_busy && !transfer.busy() && transfer.mode == TransferMode::Import {
                // New sidecars: refresh the list's marks (the open article's sidecar is
                // picked up by the watcher like any other change on disk).
                self.set_library(self.folder.clone(), self.library.clone());
            }
            if open {
                self.transfer = Some(transfer);
            }
        }
        if self.settings_open {
            self.settings_open = settings_window::settings_ui(&ctx, &mut self.settings);
            self.view.zoom = self.settings.zoom;
        }
        self.commands.extend(commands);
        self.text_field_focused = ctx.egui_wants_keyboard_input();
        if !self.commands.is_empty() {
            ctx.request_repaint();
        }
    }

    fn save(&mut self, storage: &mut dyn eframe::Storage) {
        eframe::set_value(storage, SETTINGS_KEY, &self.settings);
    }

    fn on_exit(&mut self) {
        self.flush();
    }
}

/// The app's icon, drawn for Claimmark (`assets/icons/claimmark.svg`, rendered at 256 px).
const WINDOW_ICON: &[u8] = include_bytes!("../assets/icons/claimmark-256.png");

/// Starts the GUI on `paths`; with `screenshot`, renders, saves a PNG and exits.
pub fn run_gui(paths: Vec<PathBuf>, screenshot: Option<PathBuf>) -> anyhow::Result<()> {
    let mut viewport = egui::ViewportBuilder::default()
        .with_title("Claimmark")
        .with_app_id("claimmark")
        .with_inner_size([1280.0, 800.0])
        .with_min_inner_size([640.0, 400.0])
        .with_drag_and_drop(true);
    // The window's own icon (task switchers, title bars); the installed launcher entry uses
    // the themed icon `claimmark` from the same drawing.
    if let Ok(icon) = eframe::icon_data::from_png_bytes(WINDOW_ICON) {
        viewport = viewport.with_icon(icon);
    }
    let options = eframe::NativeOptions {
        viewport,
        ..Default::default()
    };
    let outcome = Arc::new(Mutex::new(None));
    let app_outcome = outcome.clone();
    let wants_screenshot = screenshot.is_some();
    eframe::run_native(
        "claimmark",
        options,
        Box::new(move |cc| {
            let app = ClaimmarkApp::new(cc, paths);
            Ok(Box::new(match screenshot {
                Some(path) => app.with_screenshot(path, app_outcome),
                None => app,
            }))
        }),
    )
    .map_err(|e| anyhow::anyhow!("cannot start the window: {e}"))?;
    let result = outcome.lock().map(|o| o.clone()).unwrap_or(None);
    match result {
        Some(Err(e)) => Err(anyhow::anyhow!(e)),
        None if wants_screenshot => Err(anyhow::anyhow!(
            "the window closed before a screenshot was taken"
        )),
        _ => Ok(()),
    }
}

#[cfg(test)]
mod icon_tests {
    #[test]
    fn the_window_icon_loads() {
        let icon =
            eframe::icon_data::from_png_bytes(super::WINDOW_ICON).expect("a PNG eframe reads");
        assert_eq!((icon.width, icon.height), (256, 256));
    }
}
