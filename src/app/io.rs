//! Opening articles and folders, saving, and changes made on disk by others.

use super::*;

impl ClaimmarkApp {
    pub(super) fn open_many(&mut self, paths: &[PathBuf]) {
        match paths {
            [] => {}
            [one] => self.open(one),
            many => {
                // Folders among them are walked by the library's scan, which lists what it
                // could not read in the article list (not on a terminal nobody sees).
                self.use_library(Scope::Files(many.to_vec()));
                self.open_first = true;
            }
        }
    }

    pub(super) fn open(&mut self, path: &Path) {
        if path.is_dir() {
            // The walk runs in the library's scan; the first article opens once it is listed.
            self.use_library(Scope::Folder(path.to_owned()));
            self.open_first = true;
            self.remember(path);
        } else {
            self.open_file(path);
        }
    }

    /// Makes `scope` the app's library (unless it already is) and starts its scan.
    pub(super) fn use_library(&mut self, scope: Scope) {
        if self.library.as_ref().is_some_and(|l| *l.scope() == scope) {
            return;
        }
        self.library = Some(Library::open(scope, self.waker.clone()));
        self.review = ReviewPanel::default();
        self.folder_annotations = None;
    }

    /// Opens the library's first article once the walk has listed the articles.
    pub(super) fn open_first_article(&mut self) {
        let Some(library) = self.library.as_ref().filter(|_| self.open_first) else {
            return;
        };
        if let Some(first) = library.articles().first().cloned() {
            self.open_first = false;
            self.open_file(&first);
        } else if !library.busy() {
            self.open_first = false;
            let text = match (library.error(), library.scope()) {
                (Some(e), _) => e.to_owned(),
                (None, Scope::Folder(root)) => format!(
                    "no articles (text, Markdown, web pages, PDF, Word) in {}",
                    root.display()
                ),
                (None, Scope::Files(_)) => {
                    "no articles (text, Markdown, web pages, PDF, Word) among the files given"
                        .to_owned()
                }
            };
            self.error(text);
        }
    }

    /// Writes the article being left (waiting for the saver, so that reopening the same
    /// article reads what was just saved). False if that failed: it stays open.
    pub(super) fn may_leave_article(&mut self) -> bool {
        self.flush();
        if self
            .session
            .as_ref()
            .is_some_and(|s| s.is_dirty() && s.read_only().is_none())
        {
            let reason = self.disk.save_failed.clone().unwrap_or_default();
            self.error(format!("{reason}. The article stays open so that no edit is lost: Retry, or Save as… elsewhere."));
            return false;
        }
        true
    }

    /// Opens an article on a worker thread: reading and extracting a large PDF or web page
    /// must not freeze the window. It lands in a later frame ([`Self::poll_opening`]); a
    /// later choice replaces it.
    pub(super) fn open_file(&mut self, path: &Path) {
        if !self.may_leave_article() {
            return;
        }
        let owned = path.to_owned();
        match Job::spawn("open article", self.waker.clone(), move |_: &Progress| {
            Session::open(&owned)
        }) {
            Ok(job) => {
                let name = path.file_name().unwrap_or_default().to_string_lossy();
                self.info(format!("Opening {name}…"));
                self.opening = Some((path.to_owned(), job));
            }
            Err(e) => self.error(format!("{e}: {}", path.display())),
        }
    }

    /// Lands an article opened in the background, once it is ready.
    pub(super) fn poll_opening(&mut self) {
        let Some((path, job)) = &self.opening else {
            return;
        };
        let result = match job.poll() {
            Poll::Pending => return,
            Poll::Ready(result) => Some(result),
            Poll::Lost => None,
        };
        let path = path.clone();
        self.opening = None;
        match result {
            Some(result) => self.finish_open(&path, result),
            None => self.error(format!(
                "cannot open {}: its reader stopped",
                path.display()
            )),
        }
    }

    pub(super) fn finish_open(&mut self, path: &Path, result: Result<Session, OpenError>) {
        // A later choice wins over an article still being read.
        self.opening = None;
        let jump = self
            .pending_jump
            .take()
            .filter(|(article, _)| article == path);
        match result {
            Ok(session) => {
                // The article's folder becomes the library, unless the library has it.
                if self.library.as_ref().is_none_or(|l| !l.contains(path)) {
                    let scope = match path.parent().filter(|d| !d.as_os_str().is_empty()) {
                        Some(dir) => Scope::Folder(dir.to_owned()),
                        None => Scope::Files(vec![path.to_owned()]),
                    };
                    self.use_library(scope);
                }
                self.message = None;
                self.report_opened(&session);
                self.disk.watcher.watch(Some(session.sidecar_path()));
                self.session = Some(session);
                self.start_suggesting();
                self.folder_annotations = None;
                self.view.reset();
                self.selected = None;
                self.disk.last_edit = None;
                self.remember(path);
                if let Some((article, id)) = jump {
                    self.show_claim(&article, &id);
                }
            }
            Err(e) => self.error(e.to_string()),
        }
    }

    /// Says what the analyst must know about an article just opened: read-only, or
    /// annotations that moved or lost their words.
    fn report_opened(&mut self, session: &Session) {
        if let Some(reason) = session.read_only() {
            let text = format!("Opened read-only: {reason}");
            self.error(text);
            return;
        }
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

    pub(super) fn remember(&mut self, path: &Path) {
        let path = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_owned());
        self.settings.recent.retain(|p| p != &path);
        self.settings.recent.insert(0, path);
        self.settings.recent.truncate(MAX_RECENT);
    }

    /// Writes pending edits now and waits for the writer (switching articles, quitting).
    pub(super) fn flush(&mut self) {
        self.collect_saves(true);
        if let Some(session) = &mut self.session
            && session.is_dirty()
            && session.read_only().is_none()
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
                    if let Some(library) = &mut self.library {
                        library.note_saved(session.path());
                    }
                }
                Err(e) => {
                    let text = e.to_string();
                    self.disk.save_failed = Some(text.clone());
                    self.error(text);
                }
            }
        }
    }

    /// Reacts to the open sidecar changing on disk (not by this app).
    pub(super) fn disk_changes(&mut self) {
        for change in self.disk.watcher.poll() {
            let Some(session) = &self.session else {
                continue;
            };
            if change.path != session.sidecar_path() {
                continue;
            }
            if let Some(Ok(text)) = &change.contents {
                let hash = sidecar::content_hash(text.as_bytes());
                // What this app last read or wrote, or a save of its own still in flight.
                if session.disk_hash() == Some(hash) || self.disk.recent_writes.contains(&hash) {
                    continue;
                }
            }
            self.apply_disk_change(change.contents);
        }
    }

    /// Takes a version of the sidecar written by someone else: reload or merge (see
    /// [`Session::on_disk_change`]); merged edits are saved again soon.
    pub(super) fn apply_disk_change(
        &mut self,
        contents: Option<Result<String, crate::storage::ReadError>>,
    ) {
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
                self.error(format!(
                    "The sidecar changed on disk; merged with your edits, {} in Needs attention.",
                    count(conflicts, "conflict")
                ));
                self.edited();
            }
            DiskChange::Deleted => self.error("The sidecar was deleted on disk; your annotations are in memory. Ctrl+S writes them again."),
            DiskChange::Unreadable(reason) => self.error(format!("{reason}. It is left untouched; your edits are in memory: use File > Save as… to keep them.")),
        }
        if self.selected.as_ref().is_some_and(|id| {
            self.session
                .as_ref()
                .is_some_and(|s| s.annotations().get(id).is_none())
        }) {
            self.selected = None;
        }
    }

    /// Copies the article (and its annotations) to `dest` and continues there: the way out of
    /// a folder that cannot be written, or of an unreadable sidecar ("work in a copy").
    pub(super) fn save_copy_to(&mut self, dest: PathBuf) {
        let Some(session) = &mut self.session else {
            return;
        };
        match session.save_as(&dest) {
            Ok(saved) => {
                self.disk.save_failed = None;
                self.disk.watcher.watch(Some(session.sidecar_path()));
                let note = if saved.left_unreadable {
                    " (without the unreadable annotations)"
                } else {
                    ""
                };
                self.info(format!(
                    "Now working in {}{note}; {} is unchanged.",
                    dest.display(),
                    saved.from.display()
                ));
                if let Some(dir) = dest.parent() {
                    self.use_library(Scope::Folder(dir.to_owned()));
                }
                self.remember(&dest);
            }
            Err(e) => self.error(e.to_string()),
        }
    }

    pub(super) fn start_save(&mut self) {
        let Some(session) = &self.session else {
            return;
        };
        match session.snapshot() {
            Ok((path, contents, revision)) => {
                remember_write(&mut self.disk.recent_writes, &contents);
                let expected = session.disk_hash();
                if let Err(e) = self.disk.saver.submit(SaveJob {
                    expected,
                    path,
                    contents,
                    revision,
                }) {
                    self.error(e.to_string());
                }
                self.disk.last_edit = None;
            }
            Err(e) => {
                let text = e.to_string();
                self.error(text);
                self.disk.last_edit = None;
            }
        }
    }

    pub(super) fn collect_saves(&mut self, wait: bool) {
        let done = if wait {
            self.disk.saver.wait()
        } else {
            self.disk.saver.poll()
        };
        for d in done {
            self.disk.recent_writes.retain(|h| *h != d.hash);
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
                        self.disk.save_failed = None;
                        if let Some(library) = &mut self.library {
                            library.note_saved(session.path());
                        }
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
                    self.disk.save_failed = Some(e.to_string());
                    self.error(format!(
                        "{e}. Your annotations are still in memory: Retry, or Save as… elsewhere."
                    ));
                }
            }
        }
    }

    /// The annotations of the folder's other articles, for cross-article links: from the
    /// library's index, so nothing is read from disk.
    pub(super) fn load_folder_annotations(&mut self) {
        let (Some(session), Some(library)) = (&self.session, &self.library) else {
            return;
        };
        let out = library
            .link_targets(session.path())
            .into_iter()
            .map(|t| {
                let tags: Vec<&str> = t
                    .tags
                    .iter()
                    .map(|id| session.codebook().name_of(id))
                    .collect();
                let mut quote: String = t.quote.chars().take(50).collect();
                if t.quote.chars().count() > 50 {
                    quote.push('…');
                }
                FolderAnnotation {
                    article: t.article,
                    id: AnnotationId(t.id),
                    label: format!("{} “{}”", tags.join(", "), quote),
                }
            })
            .collect();
        self.folder_annotations = Some(out);
    }

    pub(super) fn open_dialog(&mut self) {
        if self.windows.dialog.is_some() {
            return;
        }
        let start = self
            .library
            .as_ref()
            .and_then(|l| l.root().map(Path::to_owned));
        // rfd's portal dialog blocks its thread; the UI keeps running.
        match Job::spawn("file dialog", self.waker.clone(), move |_: &Progress| {
            let mut dialog = rfd::FileDialog::new()
                .set_title("Open article")
                .add_filter("Articles", crate::import::ARTICLE_EXTENSIONS);
            if let Some(dir) = start {
                dialog = dialog.set_directory(dir);
            }
            dialog.pick_file()
        }) {
            Ok(job) => self.windows.dialog = Some(job),
            Err(e) => self.error(e.to_string()),
        }
    }

    pub(super) fn poll_dialog(&mut self) {
        let Some(job) = &self.windows.dialog else {
            return;
        };
        match job.poll() {
            Poll::Pending => {}
            Poll::Ready(Some(path)) => {
                self.windows.dialog = None;
                self.open(&path);
            }
            Poll::Ready(None) | Poll::Lost => {
                self.windows.dialog = None;
                self.windows.typed_path = Some(TypedPath {
                    text: String::new(),
                    note: Some(
                        "No file was chosen. If no dialog appeared, this system has no file-dialog portal \
                         (xdg-desktop-portal); type the path of an article or folder instead."
                            .into(),
                    ),
                    focus: true,
                    save_as: false,
                    completing: None,
                    candidates: Vec::new(),
                });
            }
        }
    }
}

/// Remembers the hash of a sidecar text handed to the saver, until the saver reports on it,
/// so the watcher does not take this app's own write for someone else's.
pub(super) fn remember_write(recent: &mut std::collections::VecDeque<u64>, text: &str) {
    recent.push_back(sidecar::content_hash(text.as_bytes()));
    while recent.len() > 64 {
        recent.pop_front();
    }
}
