//! File → Export… and File → Import…: one window that asks what and where, runs the work on a
//! background thread with a progress bar (the UI never waits), and shows a summary.
//!
//! The work itself is the core's ([`crate::export::run`], [`crate::annotation_import`]); this
//! file only asks, starts and shows. Starting goes through a command, so the app first saves
//! pending edits (the export reads the sidecars on disk).

use std::path::{Path, PathBuf};

use egui::{Context, RichText};

use crate::annotation_import;
use crate::command::{Action, Command};
use crate::export::{self, Filter, Format, Options};
use crate::job::{Cancel, Job, Poll, Progress};
use crate::model::count;

/// Which way the window moves claims.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    Export,
    Import,
}

/// Which claims an export takes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scope {
    Article,
    Folder,
    /// The claims the review currently shows (its filter).
    Review,
}

/// What the window needs to know about the app.
pub struct TransferContext<'a> {
    /// How many claims the review currently shows (`None`: no review).
    pub review_claims: Option<usize>,
    /// The open article.
    pub article: Option<&'a Path>,
    /// The open folder and how many articles it lists.
    pub folder: Option<&'a Path>,
    pub folder_articles: usize,
}

pub struct TransferWindow {
    pub mode: Mode,
    pub scope: Scope,
    pub format: Format,
    pub destination: String,
    destination_edited: bool,
    pub bom: bool,
    pub taguette: bool,
    /// Only these tags (comma-separated names), empty: all.
    pub tags: String,
    pub import_format: annotation_import::Format,
    pub input: String,
    /// Put imported annotations on the open article (else on the articles the input names).
    pub into_open_article: bool,
    /// Add tags the codebook lacks (`--create-tags`).
    pub create_tags: bool,
    /// The tag for records without one (`--tag`), empty: none.
    pub untagged_tag: String,
    /// A running export or import: its summary (Ok) or error (Err).
    job: Option<Job<Result<String, String>>>,
    /// The last run's summary (Ok) or error (Err).
    pub outcome: Option<Result<String, String>>,
    /// A file dialog open for the destination or the input.
    browse: Option<Job<Option<PathBuf>>>,
    browse_note: Option<String>,
}

impl TransferWindow {
    pub fn new(mode: Mode, cx: &TransferContext<'_>) -> Self {
        let mut window = Self {
            mode,
            scope: if cx.review_claims.is_some() {
                Scope::Review
            } else if cx.folder.is_some() && cx.folder_articles > 1 {
                Scope::Folder
            } else {
                Scope::Article
            },
            format: Format::Csv,
            destination: String::new(),
            destination_edited: false,
            bom: false,
            taguette: false,
            tags: String::new(),
            import_format: annotation_import::Format::Jsonl,
            input: String::new(),
            into_open_article: false,
            create_tags: false,
            untagged_tag: String::new(),
            job: None,
            outcome: None,
            browse: None,
            browse_note: None,
        };
        window.default_destination(cx);
        window
    }

    /// True while an export or import runs.
    pub fn busy(&self) -> bool {
        self.job.is_some()
    }

    fn default_destination(&mut self, cx: &TransferContext<'_>) {
        if self.destination_edited {
            return;
        }
        let folder = cx
            .folder
            .map(Path::to_owned)
            .or_else(|| cx.article.and_then(Path::parent).map(Path::to_owned))
            .unwrap_or_default()
            .join(crate::library::EXPORTS_FOLDER);
        let path = match self.format.extension() {
            Some(ext) => folder.join(format!("claims.{ext}")),
            // A folder output must be new (an export never writes among existing files).
            None => (1..)
                .map(|n| match n {
                    1 => folder.join("claims-brat"),
                    n => folder.join(format!("claims-brat-{n}")),
                })
                .find(|p| !p.exists())
                .unwrap_or_else(|| folder.join("claims-brat")),
        };
        self.destination = path.display().to_string();
    }

    /// The export as the window describes it.
    pub fn options(&self) -> Options {
        Options {
            format: self.format,
            output: Some(PathBuf::from(self.destination.trim())),
            filter: Filter {
                tags: self
                    .tags
                    .split(',')
                    .map(|t| t.trim().to_owned())
                    .filter(|t| !t.is_empty())
                    .collect(),
                ids: None,
            },
            bom: self.bom,
            taguette: self.taguette,
        }
    }

    /// Starts exporting `articles` on a background thread; `ids`: only these annotations.
    /// `folder`: the folder library's tree the articles are in, and whether they are all of
    /// its articles (else the review's): its CSV and JSON Lines go through the review's cache
    /// file, as the command line's do (2,000,000 claims in seconds instead of opening
    /// 100,000 articles).
    pub fn start_export(
        &mut self,
        ctx: &Context,
        articles: Vec<PathBuf>,
        ids: Option<crate::ui::review::Selection>,
        folder: Option<(PathBuf, bool)>,
    ) {
        let mut options = self.options();
        options.filter.ids = ids;
        self.spawn(ctx, "export", move |progress| {
            // The default place, inside the folder, is made on the first export.
            if let Some(dir) = options.output.as_deref().and_then(Path::parent)
                && dir
                    .file_name()
                    .is_some_and(|n| n == crate::library::EXPORTS_FOLDER)
            {
                std::fs::create_dir_all(dir)
                    .map_err(|e| format!("cannot make {}: {e}", dir.display()))?;
            }
            let mut report = |done, total| {
                progress.set(done, total);
                !progress.is_cancelled()
            };
            let summary = match &folder {
                Some((root, whole)) => {
                    let cache = crate::review::cache::default_cache_file(root);
                    let cache = (cache.as_deref(), *whole);
                    export::run_folder(root, &articles, cache, &options, &mut report)
                }
                None => export::run(&articles, &options, &mut report),
            }
            .map_err(|e| e.to_string())?;
            let mut text = format!(
                "Exported {} from {} to {}.",
                count(summary.annotations, "annotation"),
                count(summary.articles, "article"),
                options
                    .output
                    .as_deref()
                    .map(|p| p.display().to_string())
                    .unwrap_or_default()
            );
            for s in &summary.skipped {
                text.push_str(&format!("\nSkipped: {s}"));
            }
            for n in &summary.notes {
                text.push_str(&format!("\nNote: {n}"));
            }
            Ok(text)
        });
    }

    /// Starts importing the window's input files on a background thread.
    /// `folder`: the open folder, where a REFI-QDA project's articles go.
    pub fn start_import(&mut self, ctx: &Context, into: Option<PathBuf>, folder: Option<PathBuf>) {
        let format = self.import_format;
        let options = annotation_import::Options {
            create_tags: self.create_tags,
            tag: Some(self.untagged_tag.trim().to_owned()).filter(|t| !t.is_empty()),
        };
        let inputs: Vec<PathBuf> = self
            .input
            .split(';')
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(PathBuf::from)
            .collect();
        if inputs.is_empty() {
            self.outcome = Some(Err("Choose a file to import.".into()));
            return;
        }
        if format == annotation_import::Format::Refi {
            let Some(folder) = folder else {
                self.outcome = Some(Err(
                    "Open a folder first: a REFI-QDA project's articles are created in it.".into(),
                ));
                return;
            };
            self.spawn(ctx, "import", move |progress| {
                Ok(refi_summary(&inputs, &folder, progress))
            });
            return;
        }
        self.spawn(ctx, "import", move |progress| {
            let mut batch = annotation_import::Batch::default();
            let mut unread = Vec::new();
            for input in &inputs {
                match annotation_import::read(format, input) {
                    Ok(read) => batch.extend(read),
                    Err(e) => unread.push(e.to_string()),
                }
            }
            let mut report =
                annotation_import::apply(batch, into.as_deref(), &options, &mut |done, total| {
                    progress.set(done, total);
                });
            report.problems.splice(0..0, unread);
            let mut text = format!(
                "Imported {} into {} ({} found by quote); {} already there.",
                count(report.added, "annotation"),
                count(report.articles, "article"),
                report.moved,
                report.existing
            );
            if report.tags_created > 0 {
                text.push_str(&format!(
                    " Added {} to the codebook.",
                    count(report.tags_created, "tag")
                ));
            }
            for (title, lines) in [
                ("Not imported", &report.problems),
                ("Imported in part", &report.partial),
            ] {
                if lines.is_empty() {
                    continue;
                }
                text.push_str(&format!("\n{title} ({}):", lines.len()));
                for p in lines.iter().take(20) {
                    text.push_str(&format!("\n• {p}"));
                }
                if lines.len() > 20 {
                    text.push_str(&format!("\n… and {} more", lines.len() - 20));
                }
            }
            Ok(text)
        });
    }

    fn spawn(
        &mut self,
        ctx: &Context,
        name: &str,
        work: impl FnOnce(&Progress) -> Result<String, String> + Send + 'static,
    ) {
        match Job::spawn(name, crate::ui::waker(ctx), work) {
            Ok(job) => {
                self.outcome = None;
                self.job = Some(job);
            }
            Err(e) => self.outcome = Some(Err(e.to_string())),
        }
    }

    /// Takes a finished job's result; true if one finished this frame.
    pub fn poll(&mut self) -> bool {
        let Some(job) = &self.job else {
            return false;
        };
        let outcome = match job.poll() {
            Poll::Pending => return false,
            Poll::Ready(result) => result,
            Poll::Lost => Err(format!("the {} stopped unexpectedly", job.name())),
        };
        self.outcome = Some(outcome);
        self.job = None;
        true
    }

    fn browse(&mut self, ctx: &Context) {
        if self.browse.is_some() {
            return;
        }
        let mode = self.mode;
        let folder_output = self.format.extension().is_none();
        let start = PathBuf::from(if mode == Mode::Export {
            &self.destination
        } else {
            &self.input
        });
        // rfd's portal dialog blocks its thread; the UI keeps running.
        let job = Job::spawn("file dialog", crate::ui::waker(ctx), move |_: &Progress| {
            let mut dialog = rfd::FileDialog::new();
            if let Some(dir) = start.parent().filter(|d| d.is_dir()) {
                dialog = dialog.set_directory(dir);
            }
            match (mode, folder_output) {
                (Mode::Export, true) => dialog.pick_folder(),
                (Mode::Export, false) => {
                    if let Some(name) = start.file_name() {
                        dialog = dialog.set_file_name(name.to_string_lossy());
                    }
                    dialog.save_file()
                }
                (Mode::Import, _) => dialog.pick_file(),
            }
        });
        match job {
            Ok(job) => self.browse = Some(job),
            Err(e) => self.browse_note = Some(e.to_string()),
        }
    }

    fn poll_browse(&mut self) {
        let Some(job) = &self.browse else {
            return;
        };
        match job.poll() {
            Poll::Ready(Some(path)) => {
                self.browse = None;
                self.browse_note = None;
                let text = path.display().to_string();
                match self.mode {
                    Mode::Export => {
                        self.destination = text;
                        self.destination_edited = true;
                    }
                    Mode::Import => {
                        if let Some(f) = annotation_import::Format::guess(&path) {
                            self.import_format = f;
                        }
                        self.input = text;
                    }
                }
            }
            Poll::Ready(None) | Poll::Lost => {
                self.browse = None;
                self.browse_note = Some(
                    "No file was chosen. If no dialog appeared, this system has no file-dialog \
                     portal: type the path instead."
                        .into(),
                );
            }
            Poll::Pending => {}
        }
    }

    /// Shows the window; returns false when it was closed.
    pub fn ui(
        &mut self,
        ctx: &Context,
        cx: &TransferContext<'_>,
        commands: &mut Vec<Command>,
    ) -> bool {
        self.poll();
        self.poll_browse();
        let mut open = true;
        let title = match self.mode {
            Mode::Export => "Export claims",
            Mode::Import => "Import annotations",
        };
        egui::Window::new(title)
            .open(&mut open)
            .resizable(false)
            .default_width(520.0)
            .show(ctx, |ui| {
                ui.add_enabled_ui(self.job.is_none(), |ui| match self.mode {
                    Mode::Export => self.export_ui(ui, cx, commands),
                    Mode::Import => self.import_ui(ui, cx, commands),
                });
                if let Some(note) = &self.browse_note {
                    ui.label(RichText::new(note).weak());
                }
                if let Some(job) = &self.job {
                    let (done, total) = job.progress().get();
                    let fraction = if total == 0 {
                        0.0
                    } else {
                        done as f32 / total as f32
                    };
                    ui.horizontal(|ui| {
                        ui.add(
                            egui::ProgressBar::new(fraction)
                                .text(format!("{done} of {total} articles"))
                                .desired_width(380.0),
                        );
                        if self.mode == Mode::Export && ui.button("Cancel").clicked() {
                            job.cancel();
                        }
                    });
                    ctx.request_repaint_after(std::time::Duration::from_millis(100));
                }
                match &self.outcome {
                    Some(Ok(text)) => {
                        ui.separator();
                        ui.label(text);
                    }
                    Some(Err(text)) => {
                        ui.separator();
                        ui.colored_label(ui.visuals().error_fg_color, text);
                    }
                    None => {}
                }
            });
        open || self.job.is_some()
    }

    fn export_ui(
        &mut self,
        ui: &mut egui::Ui,
        cx: &TransferContext<'_>,
        commands: &mut Vec<Command>,
    ) {
        egui::Grid::new("export_grid")
            .num_columns(2)
            .spacing([12.0, 8.0])
            .show(ui, |ui| {
                ui.label("Claims of");
                ui.horizontal(|ui| {
                    ui.add_enabled_ui(cx.article.is_some(), |ui| {
                        ui.radio_value(&mut self.scope, Scope::Article, "this article");
                    });
                    ui.add_enabled_ui(cx.folder.is_some(), |ui| {
                        ui.radio_value(
                            &mut self.scope,
                            Scope::Folder,
                            format!("the folder ({} articles)", cx.folder_articles),
                        );
                    });
                    if let Some(n) = cx.review_claims {
                        ui.radio_value(
                            &mut self.scope,
                            Scope::Review,
                            format!("the review's filtered claims ({n})"),
                        );
                    }
                });
                ui.end_row();
                let label = ui.label("Format");
                let before = self.format;
                egui::ComboBox::from_id_salt("export_format")
                    .selected_text(self.format.label())
                    .width(300.0)
                    .show_ui(ui, |ui| {
                        for f in Format::ALL {
                            ui.selectable_value(&mut self.format, f, f.label());
                        }
                    })
                    .response
                    .labelled_by(label.id);
                if before != self.format {
                    self.default_destination(cx);
                }
                ui.end_row();
                let label = ui.label("Only tags");
                ui.add(
                    egui::TextEdit::singleline(&mut self.tags)
                        .hint_text(crate::ui::theme::hint("all (or names, comma-separated)"))
                        .desired_width(300.0),
                )
                .labelled_by(label.id);
                ui.end_row();
                let label = ui.label(if self.format.extension().is_some() {
                    "Destination file"
                } else {
                    "Destination folder"
                });
                ui.horizontal(|ui| {
                    let edit = ui
                        .add(egui::TextEdit::singleline(&mut self.destination).desired_width(300.0))
                        .labelled_by(label.id);
                    if edit.changed() {
                        self.destination_edited = true;
                    }
                    if ui.button("Browse…").clicked() {
                        self.browse(ui.ctx());
                    }
                });
                ui.end_row();
                if self.format == Format::Csv {
                    ui.label("");
                    ui.horizontal(|ui| {
                        ui.checkbox(&mut self.bom, "Byte-order mark (for Excel)");
                        ui.checkbox(&mut self.taguette, "Taguette columns");
                    });
                    ui.end_row();
                }
            });
        ui.add_space(4.0);
        let ready = !self.destination.trim().is_empty();
        if ui
            .add_enabled(ready, egui::Button::new("Export"))
            .on_hover_text("Saves pending edits, then writes the file in the background")
            .clicked()
        {
            commands.push(Command::Do(Action::RunExport));
        }
    }

    fn import_ui(
        &mut self,
        ui: &mut egui::Ui,
        cx: &TransferContext<'_>,
        commands: &mut Vec<Command>,
    ) {
        egui::Grid::new("import_grid")
            .num_columns(2)
            .spacing([12.0, 8.0])
            .show(ui, |ui| {
                let label = ui.label("File");
                ui.horizontal(|ui| {
                    let typed = ui
                        .add(egui::TextEdit::singleline(&mut self.input).desired_width(300.0))
                        .labelled_by(label.id);
                    // A typed (or pasted) name picks its format, as a browsed one does.
                    if typed.changed()
                        && let Some(last) = self.input.split(';').map(str::trim).next_back()
                        && let Some(f) = annotation_import::Format::guess(Path::new(last))
                    {
                        self.import_format = f;
                    }
                    if ui.button("Browse…").clicked() {
                        self.browse(ui.ctx());
                    }
                });
                ui.end_row();
                let label = ui.label("Format");
                egui::ComboBox::from_id_salt("import_format")
                    .selected_text(self.import_format.label())
                    .width(300.0)
                    .show_ui(ui, |ui| {
                        for f in annotation_import::Format::ALL {
                            ui.selectable_value(&mut self.import_format, f, f.label());
                        }
                    })
                    .response
                    .labelled_by(label.id);
                ui.end_row();
                ui.label("Into");
                if self.import_format == annotation_import::Format::Refi {
                    let into = cx
                        .folder
                        .or_else(|| cx.article.and_then(Path::parent))
                        .map_or_else(
                            || "no folder open".to_owned(),
                            |f| format!("new articles in {}", f.display()),
                        );
                    ui.label(into);
                    ui.end_row();
                    return;
                }
                ui.vertical(|ui| {
                    ui.radio_value(
                        &mut self.into_open_article,
                        false,
                        "the articles the file names",
                    );
                    ui.add_enabled_ui(cx.article.is_some(), |ui| {
                        ui.radio_value(
                            &mut self.into_open_article,
                            true,
                            "the open article (found by quote)",
                        );
                    });
                });
                ui.end_row();
                ui.label("Tags");
                ui.vertical(|ui| {
                    ui.checkbox(
                        &mut self.create_tags,
                        "Add tags the codebook lacks",
                    )
                    .on_hover_text(
                        "Nested as their path says (Claim/Statistic, Claim.Statistic) or as brat's annotation.conf does",
                    );
                    ui.horizontal(|ui| {
                        let label = ui.label("Tag for untagged comments and highlights:");
                        ui.add(
                            egui::TextEdit::singleline(&mut self.untagged_tag)
                                .desired_width(140.0)
                                .hint_text("none"),
                        )
                        .labelled_by(label.id);
                    });
                });
                ui.end_row();
            });
        ui.label(
            RichText::new(
                "Existing annotations are never changed; what cannot be placed is listed.",
            )
            .weak(),
        );
        ui.add_space(4.0);
        let ready = !self.input.trim().is_empty();
        if ui.add_enabled(ready, egui::Button::new("Import")).clicked() {
            commands.push(Command::Do(Action::RunImport));
        }
    }
}

/// Imports REFI-QDA projects or codebooks into `folder`; what was made, and what was not.
fn refi_summary(inputs: &[PathBuf], folder: &Path, progress: &Progress) -> String {
    let mut lines = Vec::new();
    for input in inputs {
        match annotation_import::refi::import(input, folder, &mut |done, total| {
            progress.set(done, total);
        }) {
            Ok(report) => {
                lines.push(format!(
                    "{}: {} created, {} already there; imported {}; added {} to the codebook.",
                    input.file_name().map_or_else(
                        || input.display().to_string(),
                        |n| n.to_string_lossy().into_owned()
                    ),
                    count(report.created.len(), "article"),
                    count(report.reused.len(), "article"),
                    count(report.placed.added, "annotation"),
                    count(report.tags_added, "tag"),
                ));
                for p in report.problems().iter().take(20) {
                    lines.push(format!("• not imported: {p}"));
                }
                for p in report.placed.partial.iter().take(20) {
                    lines.push(format!("• imported in part: {p}"));
                }
            }
            Err(e) => lines.push(format!("Not imported: {e}")),
        }
    }
    lines.join("\n")
}
