//! The eframe app: owns the [`Session`], drains [`Command`]s pushed by panels and key
//! bindings, applies edits, and autosaves on a background thread.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use egui::{Key, RichText};

use crate::command::{self, Action, Command, When};
use crate::job::{Job, Poll, Progress, Waker};
use crate::library::{Library, Scope};
use crate::model::{Annotation, AnnotationId, Credibility, Edit, Reliability, count};
use crate::session::{DiskChange, OpenError, Session, default_author};
use crate::storage::saver::{SaveJob, Saver};
use crate::storage::sidecar;
use crate::storage::watch::Watcher;
use crate::ui::article_view::ArticleView;
use crate::ui::codebook_editor::CodebookEditor;
use crate::ui::find_bar::FindBar;
use crate::ui::inspector::{FolderAnnotation, Inspector, InspectorContext};
use crate::ui::review::ReviewPanel;
use crate::ui::settings_window::{self, Settings, ThemeChoice};
use crate::ui::shortcuts_window::ShortcutsWindow;
use crate::ui::sources_editor::SourcesEditor;
use crate::ui::transfer_window::{
    Mode as TransferMode, Scope as ExportScope, TransferContext, TransferWindow,
};
use crate::ui::{annotations_panel, attention, library, menu_bar, tag_bar, theme};

mod commands;
mod io;
mod keys;
mod layout;
mod suggestions;

pub use crate::ui::suggestion_bar::SuggestionState;

/// Autosave this long after the last edit (the promise is "within 2 seconds").
pub const AUTOSAVE_DELAY: Duration = Duration::from_millis(1500);

/// How often the library is scanned again while the review is shown, and while it is not
/// (the article list shows the scan's details).
const RESCAN_SHOWN: Duration = Duration::from_secs(4);
const RESCAN_HIDDEN: Duration = Duration::from_secs(20);
/// How often the first scan's progress is drawn.
const FIRST_SCAN_REPAINT: Duration = Duration::from_millis(500);

const SETTINGS_KEY: &str = "claimmark.settings";
const MAX_RECENT: usize = 10;

/// A line in the status bar.
struct Message {
    text: String,
    error: bool,
    /// When it was given: a note goes after [`NOTE_SHOWN`], an error after [`ERROR_SHOWN`].
    at: Instant,
}

/// How long a note, and an error, stay in the status bar (a failed save keeps its buttons).
const NOTE_SHOWN: Duration = Duration::from_secs(8);
const ERROR_SHOWN: Duration = Duration::from_secs(30);

/// The typed-path window: opening when there is no file dialog (or the user prefers typing),
/// and choosing a folder for "Save as…".
struct TypedPath {
    text: String,
    note: Option<String>,
    focus: bool,
    save_as: bool,
    /// Tab: the folder of the path typed is being listed (for the text as it was then).
    completing: Option<(String, Job<crate::library::Completion>)>,
    /// The names that fit what was typed, after a Tab that found several.
    candidates: Vec<String>,
}

pub struct ClaimmarkApp {
    session: Option<Session>,
    /// An article being read on a worker thread.
    opening: Option<(PathBuf, Job<Result<Session, OpenError>>)>,
    /// A claim to show once its article has opened (a jump from the review).
    pending_jump: Option<(PathBuf, String)>,
    view: ArticleView,
    find: FindBar,
    selected: Option<AnnotationId>,
    /// The folder (or files) open: its articles, scan and index.
    library: Option<Library>,
    /// Open the library's first article as soon as its walk lists it (a folder was opened).
    open_first: bool,
    settings: Settings,
    message: Option<Message>,
    inspector: Inspector,
    /// Annotations of the folder's other articles, for cross-article links (loaded on demand).
    folder_annotations: Option<Vec<FolderAnnotation>>,
    /// The review of the library: its filter, sort and cursor.
    review: ReviewPanel,
    /// The central panel shows the review instead of the article.
    show_review: bool,
    applied_theme: Option<ThemeChoice>,
    /// Asks egui for a repaint when a job is done.
    waker: Waker,
    title: String,
    screenshot: Option<Screenshot>,
    commands: Vec<Command>,
    /// Saving the open article's sidecar and watching it for other writers.
    disk: Disk,
    /// The app's windows and dialogs.
    windows: Windows,
    /// What the key handler remembers between frames.
    keys: KeyState,
    /// The open article's suggested claims.
    suggestions: suggestions::Suggestions,
}

/// Saving the open article's sidecar (autosave off the UI thread) and watching it for changes
/// made by other programs.
struct Disk {
    saver: Saver,
    watcher: Watcher,
    /// Hashes of the sidecar texts this app wrote recently (its own changes on disk).
    recent_writes: std::collections::VecDeque<u64>,
    /// The last save failed with this message (Retry / Save as… are offered).
    save_failed: Option<String>,
    /// When the last edit was made (autosave waits for a pause).
    last_edit: Option<Instant>,
    /// When the oldest edit not yet handed to the saver was made.
    first_unsaved_edit: Option<Instant>,
    /// The analyst was told the edits cannot be saved; the next close request quits.
    quit_anyway: bool,
}

/// The windows and dialogs over the main view (each `None`/`false` when closed).
#[derive(Default)]
struct Windows {
    codebook_editor: Option<CodebookEditor>,
    sources_editor: Option<SourcesEditor>,
    settings_open: bool,
    /// The keyboard shortcut sheet (F1), with its search.
    shortcuts: Option<ShortcutsWindow>,
    /// The export or import window.
    transfer: Option<TransferWindow>,
    /// The system file dialog, open on its own thread.
    dialog: Option<Job<Option<PathBuf>>>,
    /// The typed-path window (open, or save as).
    typed_path: Option<TypedPath>,
}

/// What the key handler remembers between frames.
#[derive(Default)]
struct KeyState {
    /// After a grade letter (A–F) on a selected annotation, a digit 1–6 sets the credibility.
    grade_letter_at: Option<Instant>,
    /// A text field had keyboard focus at the end of the last frame.
    text_field_focused: bool,
    /// A popup or menu was open at the end of the last frame (its Esc closes it, no more).
    popup_open: bool,
}

struct Screenshot {
    path: PathBuf,
    /// Frames drawn since what was asked for opened.
    frames: u32,
    /// Frames waited for it to open (at most about ten seconds).
    waited: u32,
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
        for theme in [egui::Theme::Dark, egui::Theme::Light] {
            cc.egui_ctx.set_visuals_of(theme, theme::visuals(theme));
        }
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
            pending_jump: None,
            view: ArticleView::new(settings.zoom),
            find: FindBar::default(),
            selected: None,
            library: None,
            open_first: false,
            settings,
            message: None,
            inspector: Inspector::default(),
            folder_annotations: None,
            review: ReviewPanel::default(),
            show_review: false,
            applied_theme: None,
            waker: crate::ui::waker(&cc.egui_ctx),
            title: String::new(),
            screenshot: None,
            commands: Vec::new(),
            disk: Disk {
                saver,
                watcher,
                recent_writes: Default::default(),
                save_failed: None,
                last_edit: None,
                first_unsaved_edit: None,
                quit_anyway: false,
            },
            windows: Windows::default(),
            keys: KeyState::default(),
            suggestions: Default::default(),
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
            waited: 0,
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
            at: Instant::now(),
        });
    }

    fn error(&mut self, text: impl Into<String>) {
        self.message = Some(Message {
            text: text.into(),
            error: true,
            at: Instant::now(),
        });
    }

    /// The review of the library, if a folder (or files) is open.
    pub fn review(&self) -> Option<&ReviewPanel> {
        self.library.as_ref().map(|_| &self.review)
    }

    /// The folder model: articles, scan, index.
    pub fn library(&self) -> Option<&Library> {
        self.library.as_ref()
    }

    /// True when nothing the app started is still being opened: no article being read, no
    /// folder waiting for its walk to list the first article, no first scan of the library
    /// running (for tests and scripts).
    pub fn settled(&self) -> bool {
        self.opening.is_none()
            && !self.open_first
            && self.library.as_ref().is_none_or(|l| !l.scanning())
    }

    /// True while the central panel shows the review.
    pub fn showing_review(&self) -> bool {
        self.show_review
    }

    /// The keyboard shortcut sheet, if open.
    pub fn shortcuts(&self) -> Option<&ShortcutsWindow> {
        self.windows.shortcuts.as_ref()
    }

    /// The export or import window, if open.
    pub fn transfer(&self) -> Option<&TransferWindow> {
        self.windows.transfer.as_ref()
    }
}

impl ClaimmarkApp {
    /// Ctrl + wheel (or a pinch) over the article changes the text size.
    fn wheel_zoom(&mut self, ctx: &egui::Context) {
        let z = ctx.input(|i| i.zoom_delta());
        if (z - 1.0).abs() > 1e-3 && self.session.is_some() && !self.show_review {
            self.zoom(self.view.zoom * z);
        }
    }

    /// Clears the status bar's message once it has been shown long enough.
    fn expire_message(&mut self, ctx: &egui::Context) {
        let Some(m) = &self.message else {
            return;
        };
        let shown = if m.error { ERROR_SHOWN } else { NOTE_SHOWN };
        match shown.checked_sub(m.at.elapsed()) {
            Some(left) if !left.is_zero() => ctx.request_repaint_after(left),
            _ => self.message = None,
        }
    }

    /// Takes what the library's scan found (the list, the review and the link targets
    /// follow it), and scans again every few seconds while the review is shown, less often
    /// while it is not, so articles and sidecars changed by other programs appear.
    fn poll_library(&mut self, ctx: &egui::Context) {
        let Some(library) = &mut self.library else {
            return;
        };
        let every = if self.show_review {
            RESCAN_SHOWN
        } else {
            RESCAN_HIDDEN
        };
        let now = Instant::now();
        let changed = library.poll(now, every);
        if changed {
            self.review.sync(library);
        }
        match library.next_scan_in(now, every) {
            Some(wait) => ctx.request_repaint_after(wait),
            // The first scan runs: its progress is shown, twice a second (a frame drawn
            // without a GPU costs a good part of a core: during a first scan of 100,000
            // articles under llvmpipe, drawing took half the app's CPU at ten frames a
            // second, a sixth at two).
            None if library.first_scan_progress().is_some() => {
                ctx.request_repaint_after(FIRST_SCAN_REPAINT);
            }
            // A rescan runs unseen: the waker repaints when it ends.
            None => {}
        }
        if changed && self.folder_annotations.is_some() {
            self.load_folder_annotations();
        }
        self.open_first_article();
    }
}

impl eframe::App for ClaimmarkApp {
    fn logic(&mut self, ctx: &egui::Context, _frame: &mut eframe::Frame) {
        self.poll_opening();
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
        self.poll_suggestions();
        self.keys(ctx);
        self.wheel_zoom(ctx);
        self.expire_message(ctx);
        self.poll_library(ctx);
        for command in std::mem::take(&mut self.commands) {
            self.run_command(ctx, command);
        }
        self.poll_suggestions();
        // Autosave on the saver thread 1.5 s after the last edit, and never later than 1.5 s
        // after the first unsaved one (continuous typing is saved too).
        if let Some(t) = self.disk.last_edit
            && self.session.as_ref().is_some_and(Session::is_dirty)
        {
            let first = *self.disk.first_unsaved_edit.get_or_insert(t);
            let wait = AUTOSAVE_DELAY
                .saturating_sub(t.elapsed())
                .min(AUTOSAVE_DELAY.saturating_sub(first.elapsed()));
            if wait.is_zero() {
                self.start_save();
                self.disk.first_unsaved_edit = None;
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
                .is_some_and(|s| s.is_dirty() && s.read_only().is_none());
            if unsaved && !self.disk.quit_anyway {
                ctx.send_viewport_cmd(egui::ViewportCommand::CancelClose);
                self.disk.quit_anyway = true;
                let reason = self.disk.save_failed.clone().unwrap_or_default();
                self.error(format!("{reason}. Not quitting: your edits are not saved. Save as… elsewhere, or quit again to discard them."));
            }
        }
        if self.applied_theme != Some(self.settings.theme) {
            ctx.set_theme(self.settings.theme.preference());
            self.applied_theme = Some(self.settings.theme);
        }
        // Link targets come from the library's index: asked for, they are listed once the
        // first scan is in.
        if self.inspector.wants_folder && self.library.as_ref().is_none_or(|l| l.index().is_some())
        {
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
        self.frame_ui(ui);
    }

    fn save(&mut self, storage: &mut dyn eframe::Storage) {
        eframe::set_value(storage, SETTINGS_KEY, &self.settings);
    }

    fn on_exit(&mut self) {
        self.flush();
    }
}

/// The app's icon, drawn for Claimmark (`assets/icons/claimmark.svg`, rendered at 256 px).
const WINDOW_ICON: &[u8] = include_bytes!("../../assets/icons/claimmark-256.png");

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
