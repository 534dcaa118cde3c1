//! # Claimmark
//!
//! A desktop app for analysts who read articles and mark the claims in them. One library
//! drives both the GUI (eframe/egui) and the headless CLI.
//!
//! ## Code map
//!
//! Core (no egui, no eframe; testable headless and used by the CLI):
//!
//! - [`model`]: articles ([`model::Article`]: canonical text, dateline date, paragraph blocks
//!   with their style, [`model::provenance`]: metadata, provenance, inline styles),
//!   spans in code points, the codebook (nested tags), annotations ([`model::AnnotationSet`],
//!   sorted by position) with their claim record ([`model::ClaimRecord`]: source, via,
//!   Admiralty grades, status, confidence, links in [`model::claim`]), the per-folder
//!   [`model::SourceRegistry`], [`model::Edit`] (each `apply` returns its inverse) and
//!   [`model::History`] (typing into one field merges into one undo step).
//! - [`anchoring`]: position + quote/prefix/suffix selectors; finding a fragment again: exact,
//!   moved, or [`anchoring::fuzzy`] (whitespace-insensitive, bounded edit distance), every
//!   candidate scored by quote, prefix, suffix and distance; a weak or ambiguous best place is
//!   [`anchoring::Placement::Uncertain`] and left for the analyst.
//! - [`import`]: one file per format turning a file's bytes into canonical text, metadata and
//!   styles ([`import::Extracted`]): [`import::text`] (any encoding), [`import::markdown`],
//!   [`import::html`] (the article of a saved page), [`import::pdf`] (with `pdf/layout.rs`
//!   for columns, `pdf/glyphs.rs` for lines and right-to-left order, `pdf/cid.rs` for CJK
//!   fonts without a Unicode map and vertical writing, `pdf/bounds.rs` for hostile files),
//!   [`import::docx`];
//!   [`import::dates`] reads dates printed in many languages; [`import::read_article`] picks one by extension and first bytes and records the
//!   [`model::provenance::Provenance`] (format, extractor version, encoding, file fingerprint).
//! - [`storage`]: the sidecar format (versioned RON DTOs ↔ model; every version loads; version
//!   4 records the article's source, version 5 the rejected suggestions),
//!   folder files for the codebook and the source registry, atomic writes with a backup
//!   generation under the folder's write lock ([`storage::atomic`]: exclusive temporary
//!   files, modes kept, read-only files refused), the background [`storage::saver::Saver`]
//!   and [`storage::watch::Watcher`],
//!   and the three-way [`storage::merge`] by annotation id (external changes, git). Sidecars
//!   are read by [`storage::ron_fast`] (the RON subset the writer makes, several times faster)
//!   with `ron` for anything else; a property test holds both to the same values. Their
//!   annotations are written by `storage/ron_write.rs`, byte for byte what `ron` writes
//!   (checked against `ron` on each save's first annotation, and by a property test).
//! - [`session`]: one open article with annotations, history and save state: what both the
//!   GUI and the CLI work through; resolves annotations on open (orphans are kept) and takes
//!   changes made on disk by other programs.
//! - [`export`]: one file per format (CSV, JSON Lines, the claims brief in Markdown and HTML,
//!   W3C Web Annotation, brat standoff, REFI-QDA `.qdpx`/`.qdc`), written article by article;
//!   [`export::run`] drives any of them with progress and a temporary file renamed at the end;
//!   [`export::run_folder`] (`export/folder.rs`) writes one folder's CSV or JSON Lines through
//!   the review's cache, in the same bytes (the command line's folder export, and the app's
//!   of a folder or of the review's claims: only the whole folder's rewrites the cache).
//! - [`annotation_import`]: other tools' work into sidecars (JSON Lines, W3C Web Annotation
//!   and Hypothesis, brat standoff with attribution events, Taguette CSVs): readers make an
//!   [`annotation_import::Batch`] (what they read and the records they refused), and
//!   [`annotation_import::apply`] places it, re-anchored by quote when offsets differ, never
//!   touching existing annotations, adding missing tags when asked, listing what it cannot
//!   place. [`annotation_import::refi`] brings a REFI-QDA
//!   project (QualCoder, MAXQDA, ATLAS.ti, NVivo, our own export) into a folder: its text
//!   sources as new articles, its codes as nested tags, its codings as annotations; and merges
//!   a `.qdc` codebook into the folder's.
//! - [`job`]: background work as one type ([`job::Job`]: progress, cancel, a result polled
//!   each frame); every slow thing the app starts runs in one. [`job::release_memory`] hands
//!   what a large job freed back to the system (the binary, which chose the allocator, says
//!   how: `src/main.rs`).
//! - [`library`]: the folder model ([`library::Library`]): the articles of a folder tree (or of
//!   files given one by one) from one recursive walk, read by one background scan with its
//!   cache into one [`review::Index`]; it feeds the article list, the review, link targets
//!   and the export's scope.
//! - [`review`]: the review across a folder tree: every annotation of every article in one
//!   [`review::Index`] (scanned recursively on worker threads, each file asked for ahead of
//!   them with [`storage::read::read_ahead`], with a cache in the user's cache
//!   folder read an entry at a time; a rescan of an unchanged tree only takes the files'
//!   stamps), its rows in compact columns ([`review::Claims`]: each distinct tag, source and
//!   status once, a row materialised only when shown), [`review::filter`] (tags with children, sources with aliases, status, grade,
//!   author, dates, text) and sorting, the claim [`review::register`](mod@review::register) ("same claim as" groups
//!   across articles) and [`review::stats`]. `claimmark list` filters through the same code,
//!   a run of articles at a time ([`review::scan_in_batches`]), and prints from the cache,
//!   which also keeps what it prints beyond the rows (fragments' context, metadata), so an
//!   unchanged article is not opened; the printers take an [`export::Printed`] article.
//! - [`suggest`]: suggested claims: direct quotes in every convention, reported speech,
//!   "according to", relays, pronouns resolved to names, registry names; rules, no model.
//!   Measured against the gold set in `tests/fixtures/suggest/` by `tests/core/suggest_gold.rs`.
//! - [`samples`]: the bundled sample articles.
//! - [`cli`]: `claimmark add|show|list|check|export|import|suggest|merge-driver`.
//!
//! Shell (egui; the default `gui` cargo feature: without it, `cargo build
//! --no-default-features`, the core and the command line build alone, so the compiler keeps
//! egui out of the core):
//!
//! - [`command`]: [`command::Action`], what a user does by name, with one row of
//!   [`command::TABLE`] each (label, tooltip, keys, when the keys work: menus, buttons, the
//!   key handler and the F1 sheet read it), and [`command::Command`], what panels push: an
//!   action or a message with data.
//! - [`app`]: the eframe app, split by concern: `mod.rs` (its state, the frame's order),
//!   `commands.rs` (applying commands: the one place the session changes), `keys.rs` (the
//!   table's keys, single keys in order), `layout.rs` (the panels and windows), `io.rs`
//!   (opening, saving, changes on disk, file dialogs: all in jobs), `suggestions.rs` (the open
//!   article's suggested claims: found in a job, stepped, accepted and rejected as edits). It
//!   owns the session and the library; nothing on its thread reads a file (a test counts).
//! - [`ui`]: one panel per file; panels read state and push commands. [`ui::article_view`] lays
//!   out one cached galley per paragraph, only for what is visible, and turns drags into
//!   selections, resized ends, extra fragments (Ctrl) and source spans (Alt); paragraphs with
//!   right-to-left text are laid out by [`ui::bidi`] (visual order by the Unicode Bidirectional
//!   Algorithm, hit tests in logical code points); [`ui::article_header`] shows the metadata;
//!   [`ui::inspector`] edits the claim record; [`ui::attention`] lists orphans and conflicts;
//!   [`ui::suggestion_bar`] shows the suggested claims above the article (the view outlines
//!   them);
//!   [`ui::codebook_editor`],
//!   [`ui::sources_editor`], [`ui::settings_window`], [`ui::shortcuts_window`] (F1) and
//!   [`ui::transfer_window`] (Export… and Import…, run in a job with a progress bar) are
//!   windows; [`ui::review`] is the review (claims table, register, `egui_plot` charts) shown
//!   instead of the article, and [`ui::library`] the list of the library's articles with the
//!   scan's details.
//!
//! ## Where new things go
//!
//! - A new export format: a file in `src/export/` with a `write` over the articles, a
//!   [`export::Format`] variant, and a CLI `--format` name; the export window lists formats
//!   from `Format`.
//! - A new importer (article format): a file in `src/import/` returning [`import::Extracted`],
//!   picked by extension and first bytes in [`import::read_article`], its limits as an
//!   [`import::ImportError`]. Annotations from another tool: a file in
//!   `src/annotation_import/` whose `read` returns a [`annotation_import::Batch`] (a record
//!   it cannot read goes in `refused`, the file goes on), and a [`annotation_import::Format`].
//! - A new panel or window: a file in `src/ui/` that reads state (or a small context struct)
//!   and pushes [`command::Command`]s; the app shows it from `app/layout.rs`. A new user
//!   action: a [`command::Action`] variant and its [`command::TABLE`] row, applied in
//!   `app/commands.rs`.
//! - A new rule about annotations or files: in the core ([`session::Session`], [`model`],
//!   [`storage`]), tested headless; the app only calls it.
//!
//! ## Invariants
//!
//! - `model`, `anchoring`, `import`, `storage`, `session`, `export`, `annotation_import`,
//!   `review`, `job`, `library`, `suggest`, `samples` and `cli` never name `egui`, `eframe` or the app's
//!   modules: they build without the `gui` feature (CI checks it), and a test in
//!   `tests/core/architecture.rs` says which line would break it.
//! - Every offset is a Unicode code point into the canonical text (UTF-8, no BOM, `\n`).
//! - A sidecar that cannot be fully understood is never overwritten: the session is read-only.
//! - Every file of a folder (article, sidecar, codebook, registry, review cache) is read through
//!   [`storage::read::read_regular`]: regular files only (a pipe or device is never opened), at
//!   most a limit of bytes. Importers bound their work by limits with a clear message
//!   (decompressed PDF streams, page trees, drawings, HTML nesting and elements, lines,
//!   Markdown markup), so no file can make opening an article or scanning a folder hang.
//! - No annotation is dropped silently: one whose words are gone is kept, orphaned; one whose
//!   words fit several places, or fit poorly, is kept detached until the analyst places it.
//! - Writers of a folder's files hold its lock (`.claimmark.lock`) from the check of what is on
//!   disk to the rename, so concurrent writers merge instead of overwriting; exports never
//!   replace an input; imports write only inside the input's folder (or `--into`).
//! - Only the app (`src/app/`) mutates the session, through [`session::Session`]'s methods;
//!   undo history lives in the model, never in widgets.
//! - The app's thread never blocks on the disk: opening, scanning, exporting, importing and
//!   file dialogs are [`job::Job`]s; the library feeds what needs the folder from its index.
//! - Errors in the core are typed: a `thiserror` enum per module (e.g. [`import::ImportError`]
//!   with [`import::ErrorKind`], [`export::ExportError`], [`review::ScanError`]), each message
//!   the sentence the analyst reads, naming the file. `anyhow` is for the edges (`main`, `cli`,
//!   the app); a test in `tests/core/architecture.rs` finds any `Result<_, String>` in the core.

// The code map links the shell's modules, which a build without the `gui` feature leaves out.
#![cfg_attr(not(feature = "gui"), allow(rustdoc::broken_intra_doc_links))]

pub mod anchoring;
pub mod annotation_import;
#[cfg(feature = "gui")]
pub mod app;
pub mod cli;
#[cfg(feature = "gui")]
pub mod command;
pub mod export;
pub mod import;
pub mod job;
pub mod library;
pub mod model;
pub mod review;
pub mod samples;
pub mod session;
pub mod storage;
pub mod suggest;
#[cfg(feature = "gui")]
pub mod ui;
