//! A session: one open article with its annotations, codebook, history and save state.
//!
//! The GUI (`src/app/`) and the CLI both work through this type, so every rule about opening,
//! tagging and saving is the same headless and on screen. No egui here.

use std::path::{Path, PathBuf};

use crate::anchoring::{self, Doubt, Placement, Resolution};
use crate::import::{self, ImportError};
use crate::model::provenance::{Metadata, SourceRecord};
use crate::model::{
    Annotation, AnnotationId, AnnotationSet, Article, Codebook, Edit, EditError, History,
    SourceRegistry, Span,
};
use crate::storage::{ReadError, codebook, sidecar, sources};

#[derive(Debug, thiserror::Error)]
pub enum OpenError {
    #[error(transparent)]
    Import(#[from] ImportError),
    #[error(transparent)]
    Codebook(#[from] codebook::CodebookError),
    #[error(transparent)]
    Sources(#[from] sources::SourcesError),
}

#[derive(Debug, thiserror::Error)]
pub enum SaveError {
    #[error("{} is open read-only ({reason}); nothing was written", path.display())]
    ReadOnly { path: PathBuf, reason: String },
    #[error("{} already exists; choose another place", path.display())]
    Exists { path: PathBuf },
    #[error("cannot save {}: {source}", path.display())]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{} was changed by another program since it was read; nothing was written", path.display())]
    ChangedOnDisk {
        path: PathBuf,
        contents: Option<Vec<u8>>,
    },
}

/// One open article.
///
/// Its fields are private: what the article, the annotations and the save state are is read
/// through accessors, and changed only through the methods that keep the rules (undo, the
/// `modified` stamp, read-only sidecars). Panels get a `&Session` and cannot change it:
///
/// ```compile_fail
/// fn panel(session: &mut claimmark::session::Session) {
///     session.read_only = None; // private: only `Session`'s methods change it
/// }
/// ```
#[derive(Debug)]
pub struct Session {
    path: PathBuf,
    article: Article,
    annotations: AnnotationSet,
    history: History,
    codebook: Codebook,
    /// The folder's source registry (speakers and outlets with aliases and default grades).
    sources: SourceRegistry,
    /// Set when the sidecar exists but could not be fully understood: the session shows the
    /// problem and never writes over the file.
    read_only: Option<String>,
    /// How each annotation was found when the article was opened (absent: exact or new).
    status: std::collections::HashMap<AnnotationId, AnchorStatus>,
    /// The places an uncertain annotation may belong (see [`Session::uncertain`]).
    uncertain: std::collections::HashMap<AnnotationId, Uncertain>,
    /// Opening moved, re-anchored or orphaned something: the sidecar on disk is out of date.
    anchoring_changed: bool,
    /// The annotations as last read from or written to disk: the base of a merge.
    base: Vec<Annotation>,
    /// The rejected suggestions as last read or written (the base of their merge).
    base_rejected: std::collections::BTreeSet<String>,
    /// `read_only` was set because the file changed on disk into something unreadable (a
    /// later readable version clears it).
    read_only_from_disk: bool,
    /// Hash of the sidecar's bytes as last read or written (`None`: no file): a save only
    /// replaces that file, never one another program wrote since.
    disk_hash: Option<u64>,
    /// Annotations changed both here and on disk; the set holds ours until the analyst picks.
    conflicts: Vec<crate::storage::merge::Conflict>,
    saved_revision: u64,
    /// What the sidecar records of the article's file (written with every save): the current
    /// extraction and metadata, and when the article was first annotated.
    source: SourceRecord,
    /// Set when the sidecar was written for text made by another extractor (an older version
    /// of Claimmark's importer): the annotations were re-anchored to the new text.
    reextracted: Option<String>,
}

/// A folder's codebook and source registry, read once for the articles of that folder that a
/// run (an export, a scan) opens one after another.
pub struct FolderFiles {
    folder: PathBuf,
    codebook: crate::model::Codebook,
    sources: crate::model::SourceRegistry,
}

impl Session {
    /// The article file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The article's canonical text and metadata.
    pub fn article(&self) -> &Article {
        &self.article
    }

    /// The annotations, sorted by position.
    pub fn annotations(&self) -> &AnnotationSet {
        &self.annotations
    }

    /// The undo history of this session's edits.
    pub fn history(&self) -> &History {
        &self.history
    }

    /// The folder's codebook.
    pub fn codebook(&self) -> &Codebook {
        &self.codebook
    }

    /// The folder's source registry (speakers and outlets with aliases and default grades).
    pub fn sources(&self) -> &SourceRegistry {
        &self.sources
    }

    /// Why the session is read-only (a sidecar that exists but could not be fully
    /// understood, and is never written over), if it is.
    pub fn read_only(&self) -> Option<&str> {
        self.read_only.as_deref()
    }

    /// Opening moved, re-anchored or orphaned something: the sidecar on disk is out of date.
    pub fn anchoring_changed(&self) -> bool {
        self.anchoring_changed
    }

    /// Hash of the sidecar's bytes as last read or written (`None`: no file).
    pub fn disk_hash(&self) -> Option<u64> {
        self.disk_hash
    }

    /// Annotations changed both here and on disk, until the analyst picks.
    pub fn conflicts(&self) -> &[crate::storage::merge::Conflict] {
        &self.conflicts
    }

    /// What the sidecar records of the article's file.
    pub fn source(&self) -> &SourceRecord {
        &self.source
    }

    /// Set when the sidecar was written for text made by another extractor: the annotations
    /// were re-anchored to the new text.
    pub fn reextracted(&self) -> Option<&str> {
        self.reextracted.as_deref()
    }

    /// Opens an article and its sidecar. A broken sidecar does not fail the open: the session
    /// is read-only and [`Session::read_only`] says why.
    pub fn open(path: &Path) -> Result<Self, OpenError> {
        Self::open_with(path, true, &mut None)
    }

    /// Opens an article only to read it (exports, the review's scan): as [`Session::open`],
    /// without the copy of the annotations that merging changes made on disk needs. Articles
    /// of one folder share its codebook and source registry: `folder` keeps the last folder's,
    /// read once for a run of articles.
    pub fn open_to_read(path: &Path, folder: &mut Option<FolderFiles>) -> Result<Self, OpenError> {
        Self::open_with(path, false, folder)
    }

    fn open_with(
        path: &Path,
        keep_base: bool,
        cache: &mut Option<FolderFiles>,
    ) -> Result<Self, OpenError> {
        let article = import::read_article(path)?;
        let folder = path
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        let (codebook, sources) = match cache {
            Some(files) if files.folder == folder => {
                (files.codebook.clone(), files.sources.clone())
            }
            _ => {
                let files = FolderFiles {
                    folder: folder.to_owned(),
                    codebook: codebook::load_for_folder(folder)?,
                    sources: sources::load_for_folder(folder)?,
                };
                let loaded = (files.codebook.clone(), files.sources.clone());
                *cache = Some(files);
                loaded
            }
        };
        let mut session = Self {
            path: path.to_owned(),
            article,
            annotations: AnnotationSet::default(),
            history: History::default(),
            codebook,
            sources,
            read_only: None,
            status: Default::default(),
            uncertain: Default::default(),
            anchoring_changed: false,
            base: Vec::new(),
            base_rejected: Default::default(),
            read_only_from_disk: false,
            disk_hash: None,
            conflicts: Vec::new(),
            saved_revision: 0,
            source: SourceRecord::default(),
            reextracted: None,
        };
        session.source = SourceRecord {
            provenance: session.article.provenance.clone(),
            meta: Metadata {
                pages: Vec::new(),
                comments: Vec::new(),
                ..session.article.meta.clone()
            },
            // Set by the first edit, or taken from the sidecar.
            imported: String::new(),
        };
        match sidecar::load(path, Some(&session.article)) {
            Ok(None) => {}
            Ok(Some(file)) => {
                session.disk_hash = file.content_hash;
                session.reextracted = reextraction(&file, &session.article);
                session.source.imported = match &file.source {
                    Some(old) => old.imported.clone(),
                    // Older sidecars: the first annotation's creation.
                    None => file
                        .annotations
                        .iter()
                        .map(|a| a.created.as_str())
                        .min()
                        .unwrap_or_default()
                        .to_owned(),
                };
                session.attach(file.annotations, keep_base);
                session.annotations.set_rejected(file.rejected.clone());
                session.base_rejected = file.rejected;
            }
            Err(e) => session.read_only = Some(e.to_string()),
        }
        session.saved_revision = session.annotations.revision();
        Ok(session)
    }

    /// Marks the article as annotated now, the first time it is.
    fn note_first_annotation(&mut self) {
        if self.source.imported.is_empty() {
            self.source.imported = now_rfc3339();
        }
    }

    /// Resolves loaded annotations against the current text and makes them the session's.
    fn attach(&mut self, loaded: Vec<Annotation>, keep_base: bool) {
        let resolved = self.resolve_loaded(loaded);
        match AnnotationSet::from_vec(resolved) {
            Ok(set) => {
                if keep_base {
                    self.base = set.as_slice().to_vec();
                }
                self.annotations = set;
            }
            Err(e) => self.read_only = Some(e.to_string()),
        }
    }

    /// Resolves loaded annotations against the current text. Nothing is dropped: an annotation
    /// whose words cannot be found is kept, marked orphaned, for the analyst to re-attach or
    /// delete.
    fn resolve_loaded(&mut self, loaded: Vec<Annotation>) -> Vec<Annotation> {
        let mut resolver = anchoring::Resolver::new(&self.article);
        let now = now_rfc3339();
        self.uncertain.clear();
        let mut out = Vec::with_capacity(loaded.len());
        for mut ann in loaded {
            let found: Vec<Placement> = ann.fragments.iter().map(|f| resolver.resolve(f)).collect();
            if let Some(source) = &mut ann.record.source_span {
                self.anchoring_changed |= follow_source_span(&self.article, &mut resolver, source);
            }
            if found.contains(&Placement::Missing) {
                self.anchoring_changed |= keep_unplaced(
                    &mut ann,
                    &now,
                    "orphaned: its words are no longer in the article",
                );
                self.status.insert(ann.id.clone(), AnchorStatus::Orphaned);
                out.push(ann);
                continue;
            }
            if let Some(uncertain) = Uncertain::of(&found) {
                let reason = format!(
                    "uncertain: {} ({})",
                    uncertain.doubt_label(),
                    uncertain
                        .options
                        .iter()
                        .map(|o| spans_label(o))
                        .collect::<Vec<_>>()
                        .join(" or ")
                );
                self.anchoring_changed |= keep_unplaced(&mut ann, &now, &reason);
                self.status.insert(ann.id.clone(), AnchorStatus::Uncertain);
                self.uncertain.insert(ann.id.clone(), uncertain);
                out.push(ann);
                continue;
            }
            let worst = move_fragments(&self.article, &mut ann, &found, &now);
            self.anchoring_changed |= worst != AnchorStatus::Exact;
            // Pieces of a claim stay in text order even if an edit swapped them.
            ann.fragments.sort_by_key(|f| f.span);
            if ann.anchor.orphaned {
                ann.anchor.orphaned = false;
                ann.anchor.history.push(format!(
                    "{now} re-attached: its words are back in the article"
                ));
                self.anchoring_changed = true;
            }
            self.status.insert(ann.id.clone(), worst);
            out.push(ann);
        }
        out
    }

    /// Where the annotations whose words fit more than one place, or fit poorly, may belong:
    /// the analyst chooses (they are kept detached until then).
    pub fn uncertain(&self, id: &AnnotationId) -> Option<&Uncertain> {
        self.uncertain.get(id)
    }

    /// The sidecar changed on disk (another program wrote it). Without local edits the new
    /// contents are taken; with local edits both are merged by annotation id and true
    /// conflicts are kept for the analyst (`conflicts`). A sidecar that cannot be read makes
    /// the session read-only, so it is never overwritten.
    pub fn on_disk_change(&mut self, contents: Option<Result<String, ReadError>>) -> DiskChange {
        let path = self.sidecar_path();
        let text = match contents {
            None => {
                // Deleted: what is in memory is written again on the next save.
                self.saved_revision = u64::MAX;
                self.disk_hash = None;
                return DiskChange::Deleted;
            }
            Some(Err(e)) => {
                let reason = format!("{} changed on disk and cannot be read: {e}", path.display());
                if self.read_only.is_none() || self.read_only_from_disk {
                    self.read_only = Some(reason.clone());
                    self.read_only_from_disk = true;
                }
                return DiskChange::Unreadable(reason);
            }
            Some(Ok(text)) => text,
        };
        self.disk_hash = Some(sidecar::content_hash(text.as_bytes()));
        let (theirs, their_rejected) = match sidecar::parse(&text, Some(&self.article)) {
            Ok(file) => {
                if self.read_only_from_disk {
                    // A readable version replaced the unreadable one (e.g. a write was caught
                    // half-way): editing is possible again.
                    self.read_only = None;
                    self.read_only_from_disk = false;
                }
                // Another writer may know an earlier first annotation: keep the earliest.
                if let Some(theirs) = file.source.as_ref().map(|s| &s.imported)
                    && !theirs.is_empty()
                    && (self.source.imported.is_empty() || *theirs < self.source.imported)
                {
                    self.source.imported = theirs.clone();
                }
                (self.resolve_loaded(file.annotations), file.rejected)
            }
            Err(e) => {
                let reason = format!("{} changed on disk and cannot be read: {e}", path.display());
                if self.read_only.is_none() || self.read_only_from_disk {
                    self.read_only = Some(reason.clone());
                    self.read_only_from_disk = true;
                }
                return DiskChange::Unreadable(reason);
            }
        };
        if !self.is_dirty() {
            if self.annotations.replace_all(theirs.clone()).is_err() {
                return DiskChange::Unreadable("the changed sidecar has duplicate ids".into());
            }
            self.annotations.set_rejected(their_rejected.clone());
            self.history = History::default();
            self.saved_revision = self.annotations.revision();
            self.base = theirs;
            self.base_rejected = their_rejected;
            return DiskChange::Reloaded;
        }
        let merged =
            crate::storage::merge::three_way(&self.base, self.annotations.as_slice(), &theirs);
        let rejected = crate::storage::merge::rejections(
            &self.base_rejected,
            self.annotations.rejected(),
            &their_rejected,
        );
        let conflicts = merged.conflicts.len();
        if self.annotations.replace_all(merged.annotations).is_err() {
            return DiskChange::Unreadable("the merged annotations have duplicate ids".into());
        }
        self.annotations.set_rejected(rejected);
        self.history = History::default();
        self.base = theirs;
        self.base_rejected = their_rejected;
        self.conflicts.extend(merged.conflicts);
        DiskChange::Merged { conflicts }
    }

    /// How an annotation was found when the article was opened.
    pub fn anchor_status(&self, ann: &Annotation) -> AnchorStatus {
        if ann.anchor.orphaned {
            match self.status.get(&ann.id) {
                Some(AnchorStatus::Uncertain) => AnchorStatus::Uncertain,
                _ => AnchorStatus::Orphaned,
            }
        } else {
            // An uncertain or orphaned annotation the analyst has placed since.
            match self.status.get(&ann.id) {
                Some(AnchorStatus::Uncertain | AnchorStatus::Orphaned) | None => {
                    AnchorStatus::Exact
                }
                Some(status) => *status,
            }
        }
    }

    /// How many annotations were found in each way.
    pub fn anchor_counts(&self) -> AnchorCounts {
        let mut c = AnchorCounts::default();
        for a in self.annotations.iter() {
            match self.anchor_status(a) {
                AnchorStatus::Exact => c.exact += 1,
                AnchorStatus::Moved => c.moved += 1,
                AnchorStatus::Fuzzy => c.fuzzy += 1,
                AnchorStatus::Uncertain => c.uncertain += 1,
                AnchorStatus::Orphaned => c.orphaned += 1,
            }
        }
        c
    }

    /// The folder the article is in (where its codebook and source registry live).
    pub fn folder(&self) -> PathBuf {
        self.path
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."))
            .to_owned()
    }

    pub fn sidecar_path(&self) -> PathBuf {
        sidecar::sidecar_path(&self.path)
    }

    pub fn file_name(&self) -> String {
        self.path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default()
    }

    /// True when there are edits not yet written to the sidecar.
    pub fn is_dirty(&self) -> bool {
        self.annotations.revision() != self.saved_revision
    }

    /// Writes the resolved positions back (what `claimmark check` does), even without edits.
    pub fn write_back(&mut self) -> Result<String, SaveError> {
        let text = self.save_merged()?;
        self.anchoring_changed = false;
        Ok(text)
    }

    /// Creates an annotation over `span` with one tag (not yet applied).
    pub fn new_annotation(&self, span: Span, tag: &str, note: &str, author: &str) -> Annotation {
        let now = now_rfc3339();
        Annotation {
            id: AnnotationId::new_random(),
            tags: vec![tag.to_owned()],
            fragments: vec![anchoring::capture(&self.article, span)],
            note: note.to_owned(),
            author: author.to_owned(),
            created: now.clone(),
            modified: now,
            record: Default::default(),
            anchor: Default::default(),
        }
    }

    /// The Claim annotation a suggestion becomes when accepted (not yet applied): its content
    /// as fragments, tagged `tag`, with `attributed_to`, `via` and the source's words filled.
    pub fn suggestion_annotation(
        &self,
        s: &crate::suggest::Suggestion,
        tag: &str,
        author: &str,
    ) -> Option<Annotation> {
        let first = *s.content.first()?;
        let mut ann = self.new_annotation(first, tag, "", author);
        anchoring::set_fragments(&self.article, &mut ann, s.content.clone());
        ann.record.attributed_to = s.attributed_to.clone();
        ann.record.via = s.via.clone();
        ann.record.source_span = s
            .source
            .as_ref()
            .map(|f| anchoring::capture(&self.article, f.span));
        Some(ann)
    }

    /// Applies an edit through the undo history.
    pub fn apply(&mut self, edit: Edit) -> Result<(), EditError> {
        if self.read_only.is_some() {
            return Err(EditError::Invalid);
        }
        self.history.apply(&mut self.annotations, edit)?;
        self.note_first_annotation();
        Ok(())
    }

    /// Replaces an annotation with the analyst's edited copy, stamped as modified now: one
    /// undo step.
    pub fn update_annotation(&mut self, mut ann: Annotation) -> Result<(), EditError> {
        ann.modified = now_rfc3339();
        self.apply(Edit::Replace(ann))
    }

    /// Attaches an orphaned or uncertain annotation to the words the analyst chose (`spans`, one
    /// per fragment), with a line in its history: one undo step.
    pub fn reattach(
        &mut self,
        id: &AnnotationId,
        spans: Vec<Span>,
        by: &str,
    ) -> Result<(), EditError> {
        let Some(ann) = self.annotations.get(id) else {
            return Err(EditError::Missing(id.clone()));
        };
        let mut ann = ann.clone();
        let label = spans_label(&spans);
        anchoring::set_fragments(&self.article, &mut ann, spans);
        ann.anchor.orphaned = false;
        ann.anchor
            .history
            .push(format!("{} re-attached by {by} to {label}", now_rfc3339()));
        // The placement options stay known: an undo makes it uncertain again.
        self.update_annotation(ann)
    }

    /// [`Session::update_annotation`] while the analyst types into `field`: the changes of
    /// one field of one annotation merge into one undo step.
    pub fn type_into(&mut self, mut ann: Annotation, field: &str) -> Result<(), EditError> {
        ann.modified = now_rfc3339();
        let key = format!("{field}:{}", ann.id);
        self.apply_merging(Edit::Replace(ann), &key)
    }

    /// Applies an edit that merges with the previous one of the same `key` into one undo step
    /// (typing into a field).
    pub fn apply_merging(&mut self, edit: Edit, key: &str) -> Result<(), EditError> {
        if self.read_only.is_some() {
            return Err(EditError::Invalid);
        }
        self.history
            .apply_merging(&mut self.annotations, edit, key)?;
        self.note_first_annotation();
        Ok(())
    }

    pub fn undo(&mut self) -> bool {
        self.history.undo(&mut self.annotations)
    }

    pub fn redo(&mut self) -> bool {
        self.history.redo(&mut self.annotations)
    }

    /// The sidecar text for the current annotations, and the revision it represents.
    pub fn snapshot(&self) -> Result<(PathBuf, String, u64), SaveError> {
        if let Some(reason) = &self.read_only {
            return Err(SaveError::ReadOnly {
                path: self.sidecar_path(),
                reason: reason.clone(),
            });
        }
        let name = self.file_name();
        let mut source = self.source.clone();
        if source.imported.is_empty() {
            source.imported = now_rfc3339();
        }
        let header = sidecar::Header {
            article: &name,
            fingerprint: self.article.fingerprint(),
            source: Some(&source),
            rejected: self.annotations.rejected(),
        };
        let text = sidecar::render(&header, self.annotations.iter());
        Ok((self.sidecar_path(), text, self.annotations.revision()))
    }

    /// Records that the snapshot of `revision` reached the disk.
    pub fn mark_saved(&mut self, revision: u64) {
        self.saved_revision = revision;
        if revision == self.annotations.revision() {
            self.base = self.annotations.as_slice().to_vec();
            self.base_rejected = self.annotations.rejected().clone();
        }
    }

    /// Saves on the calling thread (the CLI's way, and the GUI's on quit; otherwise the GUI
    /// writes snapshots on a worker).
    /// Returns the text written (the app remembers it to recognise its own changes on disk).
    /// Refuses, with [`SaveError::ChangedOnDisk`], if another program changed the file since
    /// it was read.
    pub fn save(&mut self) -> Result<String, SaveError> {
        self.write_snapshot(sidecar::write_if_unchanged)
    }

    /// Writes a snapshot with `write` (which checks that the file is still the one last read
    /// or written) and records it as saved.
    fn write_snapshot(
        &mut self,
        write: fn(&Path, &str, Option<Option<u64>>) -> std::io::Result<sidecar::WriteOutcome>,
    ) -> Result<String, SaveError> {
        let (path, text, revision) = self.snapshot()?;
        match write(&path, &text, Some(self.disk_hash)) {
            Ok(sidecar::WriteOutcome::Written) => {}
            Ok(sidecar::WriteOutcome::ChangedOnDisk(contents)) => {
                return Err(SaveError::ChangedOnDisk { path, contents });
            }
            Err(source) => return Err(SaveError::Io { path, source }),
        }
        self.note_written(revision, sidecar::content_hash(text.as_bytes()));
        Ok(text)
    }

    /// Saves as another writer would want: under the folder's write lock, what another
    /// program wrote since this session read the file is merged in first (by annotation id,
    /// conflicts kept for the analyst), then the result is written. Concurrent writers (two
    /// `claimmark add` at once, the app and the CLI) therefore never lose each other's
    /// annotations. Used by the CLI; the app merges on its own thread and saves again.
    pub fn save_merged(&mut self) -> Result<String, SaveError> {
        let path = self.sidecar_path();
        let io = |source| SaveError::Io {
            path: path.clone(),
            source,
        };
        let _lock = crate::storage::atomic::lock_folder(&path).map_err(io)?;
        let now = sidecar::read_current(&path).map_err(io)?;
        if now.as_deref().map(sidecar::content_hash) != self.disk_hash {
            let contents = now.map(crate::storage::read::text_from_bytes);
            if let DiskChange::Unreadable(reason) = self.on_disk_change(contents) {
                return Err(SaveError::ReadOnly { path, reason });
            }
        }
        // Still under the lock: nothing can have changed since it was read.
        self.write_snapshot(sidecar::write_locked)
    }

    /// Records that the snapshot of `revision`, whose bytes hash to `hash`, is on disk.
    pub fn note_written(&mut self, revision: u64, hash: u64) {
        self.mark_saved(revision);
        self.disk_hash = Some(hash);
    }

    /// Continues in a copy of the article at `dest`, with its annotations: the way out of a
    /// folder that cannot be written, or of an unreadable sidecar ("work in a copy"). The
    /// original file is copied (if it is gone, its canonical text, which the offsets refer
    /// to); then the annotations are saved next to the copy, and the session is the copy's.
    /// An unreadable sidecar's problem stays behind with it. On failure the session is as it
    /// was, and nothing existing was replaced.
    pub fn save_as(&mut self, dest: &Path) -> Result<SavedAs, SaveError> {
        let sidecar = sidecar::sidecar_path(dest);
        for taken in [dest, sidecar.as_path()] {
            if std::fs::symlink_metadata(taken).is_ok() {
                return Err(SaveError::Exists {
                    path: taken.to_owned(),
                });
            }
        }
        let copied = std::fs::copy(&self.path, dest)
            .map(|_| ())
            .or_else(|_| crate::storage::write_atomic(dest, self.article.text.as_bytes()));
        copied.map_err(|source| SaveError::Io {
            path: dest.to_owned(),
            source,
        })?;
        let old_path = std::mem::replace(&mut self.path, dest.to_owned());
        let old_read_only = self.read_only.take();
        let old_from_disk = std::mem::take(&mut self.read_only_from_disk);
        // The copy's sidecar is new: there is no file there yet.
        let old_disk_hash = self.disk_hash.take();
        match self.save() {
            Ok(_) => Ok(SavedAs {
                from: old_path,
                left_unreadable: old_read_only.is_some(),
            }),
            Err(e) => {
                self.path = old_path;
                self.read_only = old_read_only;
                self.read_only_from_disk = old_from_disk;
                self.disk_hash = old_disk_hash;
                Err(e)
            }
        }
    }

    /// A free name for a copy of the article next to it ("report (copy).txt", "report (copy
    /// 2).txt"…), with no sidecar there either.
    pub fn copy_beside(&self) -> Option<PathBuf> {
        let path = &self.path;
        let stem = path
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        let ext = path
            .extension()
            .map(|e| format!(".{}", e.to_string_lossy()))
            .unwrap_or_default();
        (1..1000)
            .map(|n| {
                let suffix = if n == 1 {
                    " (copy)".to_owned()
                } else {
                    format!(" (copy {n})")
                };
                path.with_file_name(format!("{stem}{suffix}{ext}"))
            })
            .find(|p| {
                std::fs::symlink_metadata(p).is_err()
                    && std::fs::symlink_metadata(sidecar::sidecar_path(p)).is_err()
            })
    }

    /// Settles a conflict between this session's and the disk's version of an annotation:
    /// `keep_mine` keeps this session's (a deletion included), else the disk's replaces it
    /// (one undo step). False if there was no such conflict.
    pub fn resolve_conflict(
        &mut self,
        id: &AnnotationId,
        keep_mine: bool,
    ) -> Result<bool, EditError> {
        let Some(i) = self.conflicts.iter().position(|c| &c.id == id) else {
            return Ok(false);
        };
        let conflict = self.conflicts.remove(i);
        let present = self.annotations.get(id).is_some();
        let edit = match (keep_mine, conflict.ours.is_some(), conflict.theirs) {
            // Ours deleted it; the merge kept theirs meanwhile.
            (true, false, _) if present => Some(Edit::Remove(id.clone())),
            (true, _, _) => None,
            (false, _, Some(theirs)) if present => Some(Edit::Replace(theirs)),
            (false, _, Some(theirs)) => Some(Edit::Add(theirs)),
            (false, _, None) if present => Some(Edit::Remove(id.clone())),
            (false, _, None) => None,
        };
        if let Some(edit) = edit {
            self.apply(edit)?;
        }
        Ok(true)
    }

    /// Writes `codebook` as the folder's and uses it.
    pub fn save_codebook(&mut self, codebook: Codebook) -> Result<(), codebook::CodebookError> {
        codebook::save_for_folder(&self.folder(), &codebook)?;
        self.codebook = codebook;
        Ok(())
    }

    /// Writes `sources` as the folder's source registry and uses it.
    pub fn save_sources(&mut self, sources: SourceRegistry) -> Result<(), sources::SourcesError> {
        sources::save_for_folder(&self.folder(), &sources)?;
        self.sources = sources;
        Ok(())
    }
}

/// What [`Session::save_as`] did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SavedAs {
    /// The article the session was on.
    pub from: PathBuf,
    /// Its sidecar could not be read: the copy starts without those annotations.
    pub left_unreadable: bool,
}

/// What [`Session::on_disk_change`] did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DiskChange {
    Reloaded,
    Merged { conflicts: usize },
    Deleted,
    Unreadable(String),
}

/// How an annotation is attached to the current text.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum AnchorStatus {
    Exact,
    Moved,
    Fuzzy,
    /// Its words fit more than one place, or fit poorly: kept detached until the analyst
    /// chooses (see [`Session::uncertain`]).
    Uncertain,
    Orphaned,
}

impl AnchorStatus {
    pub fn label(self) -> &'static str {
        match self {
            Self::Exact => "exact",
            Self::Moved => "moved",
            Self::Fuzzy => "fuzzy",
            Self::Uncertain => "uncertain",
            Self::Orphaned => "orphaned",
        }
    }
}

/// Counts of annotations by [`AnchorStatus`].
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct AnchorCounts {
    pub exact: usize,
    pub moved: usize,
    pub fuzzy: usize,
    pub orphaned: usize,
    pub uncertain: usize,
}

impl std::fmt::Display for AnchorCounts {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} exact, {} moved, {} fuzzy, {} orphaned",
            self.exact, self.moved, self.fuzzy, self.orphaned
        )?;
        if self.uncertain > 0 {
            write!(f, ", {} uncertain", self.uncertain)?;
        }
        Ok(())
    }
}

/// Where an annotation whose words cannot be placed with confidence may belong.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Uncertain {
    pub doubt: Doubt,
    /// Each option gives every fragment a place, best option first.
    pub options: Vec<Vec<Span>>,
}

impl Uncertain {
    /// The options for an annotation's fragments, if any fragment is uncertain (and none is
    /// missing).
    fn of(found: &[Placement]) -> Option<Self> {
        let mut doubt = None;
        let mut count = 0;
        for p in found {
            if let Placement::Uncertain {
                doubt: d,
                candidates,
            } = p
            {
                doubt = Some(match (doubt, d) {
                    (Some(Doubt::Weak), _) | (_, Doubt::Weak) => Doubt::Weak,
                    _ => Doubt::Ambiguous,
                });
                count = count.max(candidates.len());
            }
        }
        let doubt = doubt?;
        let options = (0..count)
            .map(|i| {
                let mut spans: Vec<Span> = found
                    .iter()
                    .filter_map(|p| match p {
                        Placement::At(span, _) => Some(*span),
                        Placement::Uncertain { candidates, .. } => {
                            candidates.get(i).or(candidates.first()).copied()
                        }
                        Placement::Missing => None,
                    })
                    .collect();
                spans.sort();
                spans
            })
            .collect();
        Some(Self { doubt, options })
    }

    pub fn doubt_label(&self) -> &'static str {
        match self.doubt {
            Doubt::Weak => "its words fit poorly where they may be",
            Doubt::Ambiguous => "its words fit more than one place",
        }
    }
}

/// Keeps an annotation that cannot be placed as it was, detached from the text, with the
/// reason in its history (once: the same reason is not repeated at every open). True when
/// that changed the annotation.
/// Follows the source's name (a secondary marker) to where it was found, keeping the quote it
/// had; true if it moved. If its words are gone (or cannot be told apart) it keeps its stored
/// quote and offsets (shown in the inspector) and does not orphan the claim.
fn follow_source_span(
    article: &Article,
    resolver: &mut anchoring::Resolver,
    source: &mut crate::model::Fragment,
) -> bool {
    let Placement::At(span, how) = resolver.resolve(source) else {
        return false;
    };
    if how == Resolution::Exact {
        return false;
    }
    let original = source
        .original_quote
        .take()
        .or_else(|| Some(source.quote.clone()));
    *source = anchoring::capture(article, span);
    source.original_quote = original.filter(|q| *q != source.quote);
    true
}

/// Moves each fragment of an annotation whose words were all found (`found`, one placement a
/// fragment) to where they are now, keeping the quote it had and recording the move in its
/// history; the worst way a fragment was found (`Exact`: nothing moved).
fn move_fragments(
    article: &Article,
    ann: &mut Annotation,
    found: &[Placement],
    now: &str,
) -> AnchorStatus {
    let mut worst = AnchorStatus::Exact;
    let placed = found.iter().filter_map(Placement::span);
    for (frag, (span, how)) in ann.fragments.iter_mut().zip(placed) {
        if how == Resolution::Exact {
            continue;
        }
        let old = frag.span;
        let mut fresh = anchoring::capture(article, span);
        fresh.original_quote = frag.original_quote.take();
        if fresh.quote != frag.quote && fresh.original_quote.is_none() {
            fresh.original_quote = Some(frag.quote.clone());
        }
        *frag = fresh;
        ann.anchor.history.push(format!(
            "{now} {} {}–{} → {}–{}",
            how.label(),
            old.start,
            old.end,
            span.start,
            span.end
        ));
        worst = worst.max(match how {
            Resolution::Fuzzy => AnchorStatus::Fuzzy,
            _ => AnchorStatus::Moved,
        });
    }
    worst
}

fn keep_unplaced(ann: &mut Annotation, now: &str, reason: &str) -> bool {
    let said = ann
        .anchor
        .history
        .last()
        .is_some_and(|h| h.split_once(' ').is_some_and(|(_, r)| r == reason));
    if ann.anchor.orphaned && said {
        return false;
    }
    ann.anchor.orphaned = true;
    ann.anchor.history.push(format!("{now} {reason}"));
    true
}

/// Spans as `12–30` (several joined by `+`).
pub fn spans_label(spans: &[Span]) -> String {
    spans
        .iter()
        .map(|s| format!("{}–{}", s.start, s.end))
        .collect::<Vec<_>>()
        .join("+")
}

/// The current time as RFC 3339 in UTC, to the second.
/// What to tell the analyst when the sidecar was written for text that another extractor made
/// from the same file (the annotations were re-anchored to the new text); `None` when the file
/// itself changed or the text is the same.
fn reextraction(file: &sidecar::Sidecar, article: &crate::model::Article) -> Option<String> {
    let now = &article.provenance;
    let (was, same_file) = match &file.source {
        Some(old) => (
            old.provenance.extractor.clone(),
            old.provenance.file_fingerprint == now.file_fingerprint,
        ),
        // Before version 4, Markdown was shown as its source; the file itself may have changed
        // too, which re-anchoring reports in the same way.
        None if now.format == "markdown" => ("markdown 0 (the source, not rendered)".into(), true),
        None => return None,
    };
    (same_file && was != now.extractor && file.fingerprint != article.fingerprint()).then(|| {
        format!(
            "The text was extracted again (by {}, was {was}); the annotations were re-anchored to it.",
            now.extractor
        )
    })
}

pub fn now_rfc3339() -> String {
    chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

/// The default annotation author: the OS user name.
pub fn default_author() -> String {
    ["USER", "USERNAME", "LOGNAME"]
        .iter()
        .find_map(|k| std::env::var(k).ok().filter(|v| !v.trim().is_empty()))
        .unwrap_or_else(|| "analyst".to_owned())
}
