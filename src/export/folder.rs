//! A CSV or JSON Lines export of one folder tree, through the review's cache: an article whose
//! files are unchanged since the cache was written is exported from what the cache keeps
//! (its rows and the rest of what these formats print, see [`crate::review::Run::printed`]),
//! without opening it; the others are opened as [`super::run`] opens every article. The
//! output is the same bytes either way (a test holds it). Runs of articles are read on one
//! thread while the last run's rows are formatted on the others, in order.

use std::io::{self, Write};
use std::path::{Path, PathBuf};

use super::csv::CsvExport;
use super::{ExportError, Format, Options, Printed, Summary};
use crate::model::Annotation;
use crate::review::{Run, ScanProgress};
use crate::session::{AnchorStatus, FolderFiles, Session};

/// Exports the articles of the folder tree under `root` (`articles`: as
/// [`crate::review::scan::walk`] found them, all of them when `whole`, else some) like
/// [`super::run`] does, taking unchanged articles from the review's cache file `cache_file`
/// (which, when `whole`, is written or brought up to date on the way). Formats other than
/// CSV and JSON Lines open every article ([`super::run`]).
pub fn run_folder(
    root: &Path,
    articles: &[PathBuf],
    (cache_file, whole): (Option<&Path>, bool),
    options: &Options,
    progress: &mut dyn FnMut(usize, usize) -> bool,
) -> Result<Summary, ExportError> {
    if !matches!(options.format, Format::Csv | Format::Jsonl) {
        return super::run(articles, options, progress);
    }
    if let Some(out) = &options.output {
        super::refuse_input_as_output(out, articles)?;
    }
    super::to_temporary(options, |tmp| {
        let sink: Box<dyn Write> = match tmp {
            Some(tmp) => Box::new(super::create_output(tmp)?),
            None => Box::new(io::stdout().lock()),
        };
        let mut out = io::BufWriter::with_capacity(1 << 20, sink);
        // The byte-order mark and the header row here; the rows come from the runs.
        let mut notes = None;
        if options.format == Format::Csv {
            let header = CsvExport::new(Vec::new(), options.bom, options.taguette)
                .and_then(CsvExport::into_inner)
                .map_err(ExportError::Output)?;
            out.write_all(&header).map_err(ExportError::Output)?;
            notes = Some(CsvExport::rows_only(Vec::new(), options.taguette));
        }
        let mut summary = write_runs(
            root,
            articles,
            (cache_file, whole),
            options,
            &mut out,
            progress,
        )?;
        out.flush().map_err(ExportError::Output)?;
        if let Some(mut csv) = notes {
            csv.add_left_out(summary.left_out);
            summary.summary.notes = super::Exporter::notes(&csv);
        }
        Ok(summary.summary)
    })
}

/// A summary, with how many annotations had more than Taguette's columns.
struct Written {
    summary: Summary,
    left_out: usize,
}

/// One article's part of the output, or why it was skipped.
enum Part {
    /// Its bytes, how many annotations passed the filter, and how many of them had more than
    /// Taguette's columns.
    Written(Vec<u8>, usize, usize),
    Skipped(String),
}

fn write_runs(
    root: &Path,
    articles: &[PathBuf],
    cache: (Option<&Path>, bool),
    options: &Options,
    out: &mut impl Write,
    progress: &mut dyn FnMut(usize, usize) -> bool,
) -> Result<Written, ExportError> {
    let total = articles.len();
    let mut written = Written {
        summary: Summary::default(),
        left_out: 0,
    };
    let mut done = 0;
    let mut stopped: Option<ExportError> = None;
    let scan_progress = ScanProgress::default();
    let (tx, rx) = std::sync::mpsc::sync_channel::<Run>(1);
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    let scanned = std::thread::scope(|s| {
        let scan_progress = &scan_progress;
        let scanning = s.spawn(move || {
            let mut each = |run: Run| tx.send(run).is_ok();
            crate::review::scan_walked_in_batches(
                root,
                articles,
                cache,
                crate::review::scan::RUN_ARTICLES,
                scan_progress,
                &mut each,
            )
        });
        // Writes the parts of a run, in order: the summary, the progress, a cancel.
        let mut put = |parts: Vec<Part>| -> Result<(), ExportError> {
            for part in parts {
                match part {
                    Part::Written(bytes, annotations, left_out) => {
                        out.write_all(&bytes).map_err(ExportError::Output)?;
                        written.summary.articles += 1;
                        written.summary.annotations += annotations;
                        written.left_out += left_out;
                    }
                    Part::Skipped(message) => written.summary.skipped.push(message),
                }
                done += 1;
                if !progress(done, total) {
                    return Err(ExportError::Cancelled);
                }
            }
            Ok(())
        };
        // A run is formatted on the worker threads while this one writes the last.
        let mut pending: Vec<Part> = Vec::new();
        for run in rx.iter() {
            let count = run.index.articles.len();
            let per = count.div_ceil(threads).max(1);
            let run = &run;
            let (parts, put_last) = std::thread::scope(|s| {
                let handles: Vec<_> = (0..count)
                    .step_by(per)
                    .map(|first| {
                        s.spawn(move || {
                            let mut folder = None;
                            (first..(first + per).min(count))
                                .map(|i| format_article(run, i, options, &mut folder))
                                .collect::<Vec<Part>>()
                        })
                    })
                    .collect();
                let put_last = put(std::mem::take(&mut pending));
                let parts: Vec<Part> = handles
                    .into_iter()
                    .flat_map(|h| {
                        h.join().unwrap_or_else(|_| {
                            vec![Part::Skipped("a worker thread stopped".into())]
                        })
                    })
                    .collect();
                (parts, put_last)
            });
            pending = parts;
            if let Err(e) = put_last {
                stopped = Some(e);
                break;
            }
        }
        if stopped.is_none()
            && let Err(e) = put(pending)
        {
            stopped = Some(e);
        }
        drop(rx); // the scan stops at its next run
        scanning.join()
    });
    if let Some(e) = stopped {
        return Err(e);
    }
    match scanned {
        Ok(Ok(())) => Ok(written),
        Ok(Err(e)) => Err(ExportError::Scan(e)),
        Err(_) => Err(ExportError::Scan(crate::review::ScanError::WorkerFailed)),
    }
}

/// Article `i` of `run` in the export's format: its bytes, how many annotations passed the
/// filter, and how many of them had more than Taguette's columns; or why it was skipped.
/// `folder`: the folder files of the last article opened on this thread.
fn format_article(
    run: &Run,
    i: usize,
    options: &Options,
    folder: &mut Option<FolderFiles>,
) -> Part {
    let entry = &run.index.articles[i];
    if entry.unreadable {
        return Part::Skipped(
            entry
                .attention
                .clone()
                .unwrap_or_else(|| format!("cannot read {}", entry.path.display())),
        );
    }
    let written = match run.printed(i, &|_| true) {
        Some((printed, rows)) => format_rows(&printed, &rows, options),
        None => {
            let session = match Session::open_to_read(&entry.path, folder) {
                Ok(session) => session,
                Err(e) => return Part::Skipped(e.to_string()),
            };
            if let Some(reason) = session.read_only() {
                return Part::Skipped(reason.to_owned());
            }
            let rows: Vec<(Annotation, AnchorStatus)> = session
                .annotations()
                .iter()
                .map(|a| (a.clone(), session.anchor_status(a)))
                .collect();
            format_rows(&Printed::of(&session), &rows, options)
        }
    };
    match written {
        Ok((bytes, annotations, left_out)) => Part::Written(bytes, annotations, left_out),
        Err(e) => Part::Skipped(e.to_string()),
    }
}

fn format_rows(
    article: &Printed,
    rows: &[(Annotation, AnchorStatus)],
    options: &Options,
) -> io::Result<(Vec<u8>, usize, usize)> {
    let selected =
        options
            .filter
            .select_from(article.path, article.codebook, rows.iter().map(|(a, _)| a));
    // Each selected annotation with its status (the selection keeps the rows' order).
    let mut statuses = rows.iter();
    let selected: Vec<(&Annotation, AnchorStatus)> = selected
        .into_iter()
        .filter_map(|a| {
            statuses
                .find(|(b, _)| std::ptr::eq(a, b))
                .map(|(_, s)| (a, *s))
        })
        .collect();
    let count = selected.len();
    match options.format {
        Format::Csv => {
            let mut csv = CsvExport::rows_only(Vec::new(), options.taguette);
            csv.rows(article, selected)?;
            let left_out = csv.left_out();
            Ok((csv.into_inner()?, count, left_out))
        }
        _ => {
            let mut out = Vec::new();
            for (a, s) in selected {
                super::jsonl::write_line(&mut out, article, a, s)?;
            }
            Ok((out, count, 0))
        }
    }
}
