//! Exports: one file per format. Each exporter writes to any `io::Write`, one article at a time,
//! so a folder of any size streams without holding every claim in memory twice.
//!
//! Must not touch egui. Reads sessions; never writes next to articles (the caller chooses the
//! destination).

pub mod brat;
pub mod brief;
pub mod csv;
mod folder;

pub use folder::run_folder;
pub mod jsonl;
pub mod refi;
pub mod w3c;

use std::io::{self, Write};
use std::path::{Path, PathBuf};

use crate::model::{Annotation, Codebook};
use crate::session::Session;

/// Which annotations an export includes.
#[derive(Clone, Debug, Default)]
pub struct Filter {
    /// Tag ids or names; an annotation is included if it has one of them or one of their
    /// descendants. Empty: every annotation.
    pub tags: Vec<String>,
    /// Only these annotations, by article path and annotation id (the claims a review
    /// shows). `None`: no restriction.
    pub ids: Option<std::collections::HashMap<PathBuf, std::collections::HashSet<String>>>,
}

impl Filter {
    /// The annotations of a session that pass the filter, in text order.
    pub fn select<'a>(&self, session: &'a Session) -> Vec<&'a Annotation> {
        self.select_from(
            session.path(),
            session.codebook(),
            session.annotations().iter(),
        )
    }

    /// The annotations (of the article at `path`, whose folder's codebook is `codebook`)
    /// that pass the filter, in their order.
    pub fn select_from<'a>(
        &self,
        path: &Path,
        codebook: &Codebook,
        annotations: impl Iterator<Item = &'a Annotation>,
    ) -> Vec<&'a Annotation> {
        let wanted = self.tag_ids(codebook);
        annotations
            .filter(|a| wanted.is_empty() || a.tags.iter().any(|t| wanted.contains(t)))
            .filter(|a| {
                self.ids.as_ref().is_none_or(|ids| {
                    ids.get(path)
                        .is_some_and(|of_article| of_article.contains(&a.id.0))
                })
            })
            .collect()
    }

    /// Every tag whose id, name or full path is one of the wanted ones (as the review and
    /// `claimmark list` match them), with its descendants.
    fn tag_ids(&self, codebook: &Codebook) -> Vec<String> {
        self.tags
            .iter()
            .flat_map(|wanted| {
                let w = wanted.trim();
                let matching: Vec<&str> = codebook
                    .tags
                    .iter()
                    .filter(|t| {
                        t.id == w
                            || t.name.eq_ignore_ascii_case(w)
                            || t.name.to_lowercase() == w.to_lowercase()
                            || codebook.path(&t.id).to_lowercase() == w.to_lowercase()
                    })
                    .map(|t| t.id.as_str())
                    .collect();
                if matching.is_empty() {
                    vec![w.to_owned()]
                } else {
                    matching
                        .into_iter()
                        .flat_map(|id| codebook.with_descendants(id))
                        .collect()
                }
            })
            .collect()
    }
}

/// An export format that writes article by article.
pub trait Exporter {
    /// Writes one article's (filtered) annotations.
    fn article(&mut self, session: &Session, annotations: &[&Annotation]) -> io::Result<()>;
    /// Finishes the output (flushes buffers).
    fn finish(&mut self) -> io::Result<()>;
    /// What the format could not carry (e.g. a link to another article in brat), one line
    /// each, for the export's summary.
    fn notes(&self) -> Vec<String> {
        Vec::new()
    }
}

/// Every export format.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Format {
    Csv,
    Jsonl,
    /// The claims brief in Markdown.
    Markdown,
    /// The claims brief in HTML.
    Html,
    /// W3C Web Annotation: one `AnnotationCollection` (JSON-LD).
    W3c,
    /// W3C Web Annotation: one annotation per line.
    W3cLines,
    /// brat standoff: a folder of `NAME.txt` + `NAME.ann` and an `annotation.conf`.
    Brat,
    /// REFI-QDA project (`.qdpx`, a ZIP).
    Qdpx,
    /// REFI-QDA codebook (`.qdc`).
    Qdc,
}

impl Format {
    pub const ALL: [Format; 9] = [
        Format::Csv,
        Format::Jsonl,
        Format::Markdown,
        Format::Html,
        Format::W3c,
        Format::W3cLines,
        Format::Brat,
        Format::Qdpx,
        Format::Qdc,
    ];

    /// What the format is, for menus and messages.
    pub fn label(self) -> &'static str {
        match self {
            Format::Csv => "CSV (spreadsheets)",
            Format::Jsonl => "JSON Lines",
            Format::Markdown => "Claims brief (Markdown)",
            Format::Html => "Claims brief (HTML)",
            Format::W3c => "W3C Web Annotation (collection)",
            Format::W3cLines => "W3C Web Annotation (one per line)",
            Format::Brat => "brat standoff (folder)",
            Format::Qdpx => "REFI-QDA project (.qdpx)",
            Format::Qdc => "REFI-QDA codebook (.qdc)",
        }
    }

    /// The usual file extension of the output (`None`: the output is a folder).
    pub fn extension(self) -> Option<&'static str> {
        match self {
            Format::Csv => Some("csv"),
            Format::Jsonl => Some("jsonl"),
            Format::Markdown => Some("md"),
            Format::Html => Some("html"),
            Format::W3c => Some("jsonld"),
            Format::W3cLines => Some("jsonl"),
            Format::Brat => None,
            Format::Qdpx => Some("qdpx"),
            Format::Qdc => Some("qdc"),
        }
    }

    /// True if the format cannot be written to standard output.
    pub fn needs_output(self) -> bool {
        matches!(self, Format::Brat | Format::Qdpx)
    }
}

/// How an export is written.
#[derive(Clone, Debug)]
pub struct Options {
    pub format: Format,
    /// The file (or, for brat, the folder) to write; `None`: standard output.
    pub output: Option<PathBuf>,
    pub filter: Filter,
    /// CSV: start with a byte-order mark, for Excel.
    pub bom: bool,
    /// CSV: Taguette's columns.
    pub taguette: bool,
}

/// What an export wrote.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Summary {
    pub articles: usize,
    pub annotations: usize,
    /// Articles that could not be read (each a message naming the file); they are skipped.
    pub skipped: Vec<String>,
    /// What the format could not carry.
    pub notes: Vec<String>,
}

/// Why an export wrote nothing (a file output is then left as it was).
#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    /// Brat and REFI-QDA projects cannot go to standard output.
    #[error("{} needs a destination (--output)", format.label())]
    NeedsOutput { format: Format },
    #[error("{} is read-only: nothing was written", path.display())]
    ReadOnly { path: PathBuf },
    /// The destination is something an export must never replace (see
    /// [`refuse_input_as_output`]).
    #[error("{} {why}: choose another destination (nothing was written)", path.display())]
    Refused { path: PathBuf, why: Refusal },
    /// A brat destination that already holds files.
    #[error("{} already exists and is not an empty folder: choose a new folder for the brat files (nothing was written)", path.display())]
    FolderNotEmpty { path: PathBuf },
    /// The destination (or the temporary file beside it) could not be written.
    #[error("cannot write {}: {source}", path.display())]
    Write { path: PathBuf, source: io::Error },
    /// Writing the exported data failed part-way.
    #[error("cannot write the export: {0}")]
    Output(#[source] io::Error),
    /// The progress callback asked to stop.
    #[error("export cancelled")]
    Cancelled,
    /// The folder exported could not be read.
    #[error("{0}")]
    Scan(#[from] crate::review::ScanError),
}

/// Why a destination is refused: what it is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Refusal {
    /// An annotations sidecar, or its backup.
    Sidecar,
    /// The codebook, the source registry or the folder's lock file.
    FolderFile,
    /// An article that has a sidecar.
    AnnotatedArticle,
    /// One of the articles being exported.
    Input,
}

impl std::fmt::Display for Refusal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Self::Sidecar => "is an annotations sidecar",
            Self::FolderFile => "is one of the folder's Claimmark files",
            Self::AnnotatedArticle => "is an annotated article",
            Self::Input => "is one of the articles being exported",
        })
    }
}

/// Exports the annotations of `articles`, one article at a time (only one article is in
/// memory at once). `progress(done, total)` is called after each article; returning `false`
/// cancels (nothing is left at the destination). A file output is written to a temporary
/// file beside it and renamed when complete, so a failed or cancelled export never leaves a
/// half-written file under the chosen name.
pub fn run(
    articles: &[PathBuf],
    options: &Options,
    progress: &mut dyn FnMut(usize, usize) -> bool,
) -> Result<Summary, ExportError> {
    if options.format.needs_output() && options.output.is_none() {
        return Err(ExportError::NeedsOutput {
            format: options.format,
        });
    }
    if let Some(out) = &options.output {
        refuse_input_as_output(out, articles)?;
    }
    if let (Format::Brat, Some(out)) = (options.format, &options.output) {
        return run_into_folder(articles, options, out, progress);
    }
    to_temporary(options, |tmp| {
        write_all(articles, options, tmp, None, progress)
    })
}

/// Runs `write` into a temporary file beside the output (`None`: standard output), then
/// renames it to the output; a failed or cancelled export removes it.
fn to_temporary(
    options: &Options,
    write: impl FnOnce(Option<&Path>) -> Result<Summary, ExportError>,
) -> Result<Summary, ExportError> {
    if let Some(out) = &options.output
        && std::fs::metadata(out).is_ok_and(|m| m.permissions().readonly())
    {
        return Err(ExportError::ReadOnly {
            path: out.to_owned(),
        });
    }
    let tmp = options
        .output
        .as_deref()
        .map(crate::storage::atomic::temporary_beside);
    let result = write(tmp.as_deref());
    match (&result, &tmp, &options.output) {
        (Ok(_), Some(tmp), Some(out)) => std::fs::rename(tmp, out).map_err(|source| {
            let _ = std::fs::remove_file(tmp);
            ExportError::Write {
                path: out.to_owned(),
                source,
            }
        })?,
        (Err(_), Some(tmp), _) => {
            let _ = std::fs::remove_file(tmp);
            let _ = std::fs::remove_dir_all(tmp);
        }
        _ => {}
    }
    result
}

/// Refuses an export destination that is one of the articles being exported, a sidecar or
/// its backup, a folder file (codebook, source registry, lock) or an annotated article: an
/// export must never replace what it reads, nor any analyst's work.
pub fn refuse_input_as_output(out: &Path, articles: &[PathBuf]) -> Result<(), ExportError> {
    use crate::storage::{SIDECAR_SUFFIX, atomic::LOCK_FILE, codebook::CODEBOOK_FILE, sidecar};
    let refuse = |why: Refusal| {
        Err(ExportError::Refused {
            path: out.to_owned(),
            why,
        })
    };
    // The same file by another name (a link, `./`, `..`) is judged by what it is.
    let canonical = |p: &Path| {
        std::fs::canonicalize(p).ok().or_else(|| {
            let parent = crate::storage::atomic::folder_of(p);
            Some(std::fs::canonicalize(parent).ok()?.join(p.file_name()?))
        })
    };
    let target = canonical(out);
    let folder_files = [
        CODEBOOK_FILE,
        crate::storage::sources::SOURCES_FILE,
        LOCK_FILE,
    ];
    for path in std::iter::once(out).chain(target.as_deref()) {
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        if name.ends_with(SIDECAR_SUFFIX) || name.ends_with(&format!("{SIDECAR_SUFFIX}.bak")) {
            return refuse(Refusal::Sidecar);
        }
        if folder_files.contains(&name.as_str()) {
            return refuse(Refusal::FolderFile);
        }
        if sidecar::sidecar_path(path).exists() {
            return refuse(Refusal::AnnotatedArticle);
        }
    }
    let Some(target) = target else {
        return Ok(());
    };
    if articles
        .iter()
        .any(|a| canonical(a).as_deref() == Some(target.as_path()))
    {
        return refuse(Refusal::Input);
    }
    Ok(())
}

/// A folder output (brat): written into a temporary folder beside it and renamed when
/// complete. The destination must be new or empty, so that no file there (an article of the
/// same name, say) is ever replaced.
fn run_into_folder(
    articles: &[PathBuf],
    options: &Options,
    out: &Path,
    progress: &mut dyn FnMut(usize, usize) -> bool,
) -> Result<Summary, ExportError> {
    if out.exists() {
        let empty = std::fs::read_dir(out)
            .map(|mut entries| entries.next().is_none())
            .unwrap_or(false);
        if !out.is_dir() || !empty {
            return Err(ExportError::FolderNotEmpty {
                path: out.to_owned(),
            });
        }
    }
    let tmp = crate::storage::atomic::temporary_beside(out);
    let finished = write_all(articles, options, None, Some(&tmp), progress).and_then(|summary| {
        let moved = if out.exists() {
            std::fs::remove_dir(out).and_then(|()| std::fs::rename(&tmp, out))
        } else {
            std::fs::rename(&tmp, out)
        };
        moved
            .map(|()| summary)
            .map_err(|source| ExportError::Write {
                path: out.to_owned(),
                source,
            })
    });
    if finished.is_err() {
        let _ = std::fs::remove_dir_all(&tmp);
    }
    finished
}

fn write_all(
    articles: &[PathBuf],
    options: &Options,
    tmp: Option<&Path>,
    folder: Option<&Path>,
    progress: &mut dyn FnMut(usize, usize) -> bool,
) -> Result<Summary, ExportError> {
    let mut exporter = exporter_for(options, tmp, folder)?;
    let mut summary = export_articles(articles, &options.filter, exporter.as_mut(), progress)?;
    exporter.finish().map_err(ExportError::Output)?;
    summary.notes = exporter.notes();
    Ok(summary)
}

/// Creates an export's temporary file exclusively: never through a file or link already at
/// its name.
fn create_output(p: &Path) -> Result<std::fs::File, ExportError> {
    std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(p)
        .map_err(|source| ExportError::Write {
            path: p.to_owned(),
            source,
        })
}

/// The exporter of `options.format`, writing to `tmp` (created here), or into `folder` (brat),
/// or else to standard output.
fn exporter_for(
    options: &Options,
    tmp: Option<&Path>,
    folder: Option<&Path>,
) -> Result<Box<dyn Exporter>, ExportError> {
    let mut file = tmp.map(create_output).transpose()?;
    // A .qdpx is a ZIP, written to the file itself (it seeks); the rest stream.
    let sink: Box<dyn Write> = match (options.format, file.take()) {
        (Format::Qdpx, f) => {
            file = f;
            Box::new(io::sink())
        }
        (_, Some(f)) => Box::new(f),
        (_, None) => Box::new(io::stdout().lock()),
    };
    let failed = ExportError::Output;
    Ok(match options.format {
        Format::Csv => {
            Box::new(csv::CsvExport::new(sink, options.bom, options.taguette).map_err(failed)?)
        }
        Format::Jsonl => Box::new(jsonl::JsonlExport::new(sink)),
        Format::Markdown => Box::new(brief::BriefExport::new(sink, false)),
        Format::Html => Box::new(brief::BriefExport::new(sink, true)),
        Format::W3c => Box::new(w3c::W3cExport::new(sink, false).map_err(failed)?),
        Format::W3cLines => Box::new(w3c::W3cExport::new(sink, true).map_err(failed)?),
        Format::Brat => {
            let dir = folder.unwrap_or(Path::new("."));
            Box::new(
                brat::BratExport::new(dir).map_err(|source| ExportError::Write {
                    path: dir.to_owned(),
                    source,
                })?,
            )
        }
        Format::Qdpx => {
            let Some(f) = file else {
                return Err(ExportError::NeedsOutput {
                    format: Format::Qdpx,
                });
            };
            Box::new(refi::QdpxExport::new(f).map_err(failed)?)
        }
        Format::Qdc => Box::new(refi::QdcExport::new(sink)),
    })
}

/// Writes the articles' annotations that pass `filter` through `exporter`, in the articles'
/// order (unfinished: the caller finishes the output). Articles that cannot be read are
/// skipped and listed in the summary.
fn export_articles(
    articles: &[PathBuf],
    filter: &Filter,
    exporter: &mut dyn Exporter,
    progress: &mut dyn FnMut(usize, usize) -> bool,
) -> Result<Summary, ExportError> {
    let mut summary = Summary::default();
    let total = articles.len();
    let mut cancelled = false;
    let mut write_error = None;
    // Articles are opened (read, parsed, resolved: most of the work) on worker threads, in
    // order, a few ahead of the writer; each worker has its own small channel, so memory
    // stays bounded and the output order is the articles' order.
    let workers = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .clamp(1, 8)
        .min(total.max(1));
    std::thread::scope(|scope| {
        let mut receivers = Vec::with_capacity(workers);
        for k in 0..workers {
            let (tx, rx) = std::sync::mpsc::sync_channel(2);
            receivers.push(rx);
            scope.spawn(move || {
                let mut folder = None;
                for path in articles.iter().skip(k).step_by(workers) {
                    if tx.send(Session::open_to_read(path, &mut folder)).is_err() {
                        return; // the writer stopped
                    }
                }
            });
        }
        for i in 0..total {
            let Ok(opened) = receivers[i % workers].recv() else {
                break;
            };
            match opened {
                Ok(session) => {
                    if let Some(reason) = session.read_only() {
                        summary.skipped.push(reason.to_owned());
                    } else {
                        let selected = filter.select(&session);
                        summary.annotations += selected.len();
                        summary.articles += 1;
                        if let Err(e) = exporter.article(&session, &selected) {
                            write_error = Some(ExportError::Output(e));
                            break;
                        }
                    }
                }
                Err(e) => summary.skipped.push(e.to_string()),
            }
            if !progress(i + 1, total) {
                cancelled = true;
                break;
            }
        }
        // Dropping the receivers stops the workers.
        drop(receivers);
    });
    if let Some(e) = write_error {
        return Err(e);
    }
    if cancelled {
        return Err(ExportError::Cancelled);
    }
    Ok(summary)
}

/// The article's title for exports: the title its file gives, else its file name.
pub fn title(session: &Session) -> String {
    let name = session.file_name();
    session.article().title_or(&name).to_owned()
}

/// What the JSON Lines and CSV rows (and `claimmark list`'s lines) print of an article
/// besides its annotations: taken from an open [`Session`] ([`Printed::of`]), or from the
/// review's cache, which keeps it so that `list` need not open the article again.
#[derive(Clone, Debug, PartialEq)]
pub struct Printed<'a> {
    pub path: &'a Path,
    /// See [`title`].
    pub title: String,
    pub date: Option<&'a str>,
    /// `sha256:<hex>` of the text.
    pub fingerprint: &'a str,
    pub site: Option<&'a str>,
    pub author: Option<&'a str>,
    pub published: Option<&'a str>,
    pub url: Option<&'a str>,
    /// The format the file was read as.
    pub format: &'a str,
    /// The article folder's codebook (tag names and paths).
    pub codebook: &'a crate::model::Codebook,
}

impl<'a> Printed<'a> {
    /// The article of an open session.
    pub fn of(session: &'a Session) -> Self {
        let article = session.article();
        Self {
            path: session.path(),
            title: title(session),
            date: article.date.as_deref(),
            fingerprint: article.fingerprint(),
            site: article.meta.site.as_deref(),
            author: article.meta.author.as_deref(),
            published: article.meta.published.as_deref(),
            url: article.meta.url.as_deref(),
            format: &article.provenance.format,
            codebook: session.codebook(),
        }
    }
}
