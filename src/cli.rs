//! The command line: `claimmark [PATH]…` opens the GUI; subcommands run headless on the same
//! library (`add`, `show`, `list`). Errors are one line naming the file; the exit code is 1.

use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::{Context, anyhow, bail};
use clap::{Parser, Subcommand, ValueEnum};

use crate::import;
use crate::model::claim::{format_grade, parse_grade};
use crate::model::{
    Annotation, AnnotationId, ClaimRecord, Confidence, Edit, Link, LinkKind, SourceRegistry,
    Status, article::find_exact,
};
use crate::session::{Session, default_author};

#[derive(Parser, Debug)]
#[command(
    name = "claimmark",
    version,
    about = "Read articles and mark the claims in them."
)]
#[command(args_conflicts_with_subcommands = true)]
pub struct Cli {
    /// Articles or folders to open in the app.
    pub paths: Vec<PathBuf>,
    /// Render the first frames, save a PNG screenshot of the window to FILE and exit.
    #[arg(long, value_name = "FILE", hide = true)]
    pub screenshot: Option<PathBuf>,
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Add an annotation to an article without the GUI; prints its id.
    ///
    /// Exits 1 (nothing written) when a `--link` target is not an annotation of the article or
    /// of another article of its folder tree. Adding again what the article already has (the
    /// same words, tag, note and claim record) adds nothing: it says so on standard error,
    /// prints the existing annotation's id and exits 0, so a script can be run twice.
    Add {
        article: PathBuf,
        /// The exact text to annotate.
        #[arg(long)]
        quote: String,
        /// Which match of the quote to take, counting from 1, when it occurs several times.
        #[arg(long)]
        occurrence: Option<usize>,
        /// Tag id or name (see the codebook).
        #[arg(long)]
        tag: String,
        #[arg(long, default_value = "")]
        note: String,
        /// The author recorded on the annotation (default: the OS user).
        #[arg(long)]
        author: Option<String>,
        #[command(flatten)]
        record: Box<RecordArgs>,
    },
    /// Print the canonical text that annotation offsets refer to (any supported format: text
    /// in any encoding, Markdown, a saved web page, PDF, DOCX), or as JSON its metadata,
    /// provenance, paragraphs and text.
    Show {
        article: PathBuf,
        #[arg(long, value_enum, default_value_t = ShowFormat::Text)]
        format: ShowFormat,
    },
    /// Resolve every annotation against its article's current text, report the state of each
    /// sidecar, and write resolved positions back. Exits 1 when something needs attention.
    Check {
        #[arg(required = true)]
        paths: Vec<PathBuf>,
    },
    /// Suggest attributed claims (who said what) found in articles or folders: direct quotes,
    /// reported speech, "according to", relays. With --apply, add them as annotations with
    /// the given tag (skipping words already annotated).
    Suggest {
        #[arg(required = true)]
        paths: Vec<PathBuf>,
        #[arg(long, value_enum, default_value_t = SuggestFormat::Table)]
        format: SuggestFormat,
        /// Add the suggestions as annotations (each with who said it, its source's words and
        /// the relays) instead of printing them.
        #[arg(long, requires = "tag")]
        apply: bool,
        /// The tag of the annotations --apply adds.
        #[arg(long)]
        tag: Option<String>,
    },
    /// Git merge driver for sidecars: merges BASE, OURS and THEIRS by annotation id into OURS.
    /// Exits 1 (leaving the merge to resolve) if both sides changed the same annotation.
    /// Configure with `git config merge.claimmark.driver "claimmark merge-driver %O %A %B %P"`
    /// and `*.annotations.ron merge=claimmark` in `.gitattributes`.
    MergeDriver {
        base: PathBuf,
        ours: PathBuf,
        theirs: PathBuf,
        /// The sidecar's path in the repository (git's `%P`), named in messages instead of
        /// git's temporary files.
        name: Option<PathBuf>,
    },
    /// Export the annotations of articles or folders (streamed, article by article).
    Export {
        #[arg(required = true)]
        paths: Vec<PathBuf>,
        #[arg(long, value_enum)]
        format: ExportFormat,
        /// The file to write (written to a temporary file, then renamed); standard output if
        /// omitted.
        #[arg(long)]
        output: Option<PathBuf>,
        /// Only annotations with this tag (id or name) or one of its children; repeatable.
        #[arg(long)]
        tag: Vec<String>,
        /// CSV: start with a byte-order mark, so that Excel reads UTF-8.
        #[arg(long)]
        bom: bool,
        /// CSV: Taguette's highlight columns (id, document, tag, content).
        #[arg(long)]
        taguette: bool,
    },
    /// Import annotations (JSON Lines, W3C Web Annotation, Hypothesis, brat standoff,
    /// Taguette CSV) into the sidecars of the articles they name. Existing annotations are never
    /// changed; spans whose offsets do not match are found again by quote. Everything that can
    /// be placed is; each record that cannot is listed with the reason, and the exit status is
    /// then 1. A REFI-QDA project (.qdpx) brings its sources as new articles, its codes as tags
    /// and its codings as annotations into the folder given with --into; a codebook (.qdc) its
    /// codes as tags.
    Import {
        #[arg(required = true)]
        inputs: Vec<PathBuf>,
        /// The input format; guessed from the file name if omitted (.jsonl, .jsonld/.json,
        /// .ann, .csv, .qdpx/.qdc).
        #[arg(long, value_enum)]
        format: Option<ImportFormat>,
        /// An article: put every annotation on it instead of the one the input names (found by
        /// quote where the offsets differ). A folder: look for the articles the input names in
        /// it instead of the input's folder. Articles outside that folder are never written.
        #[arg(long)]
        into: Option<PathBuf>,
        /// Add the tags the folder's codebook lacks instead of refusing them, nested as their
        /// path says (`Claim/Statistic`, `Claim.Statistic`) or as brat's annotation.conf does.
        #[arg(long)]
        create_tags: bool,
        /// The tag for records that have none (comments, plain highlights).
        #[arg(long, value_name = "NAME")]
        tag: Option<String>,
    },
    /// Print the annotations of articles or folders (folders are walked recursively), all of
    /// them or those that pass a filter (the same filter as the review's claims table).
    /// Exits 1 if an article or its sidecar could not be read.
    List {
        #[arg(required = true)]
        paths: Vec<PathBuf>,
        #[arg(long, value_enum, default_value_t = ListFormat::Table)]
        format: ListFormat,
        #[command(flatten)]
        filter: Box<ListFilter>,
    },
}

/// The filter flags of `list`; every flag given must hold.
#[derive(clap::Args, Debug, Default)]
pub struct ListFilter {
    /// Only annotations with this tag (id, name or path such as Claim/Statistic) or one of its
    /// children; repeat for any of several.
    #[arg(long)]
    pub tag: Vec<String>,
    /// Only claims attributed to this source or passed through it (`via`), by any of its names
    /// in the source registries.
    #[arg(long)]
    pub source: Option<String>,
    /// Only claims with this status (unverified, corroborated, disputed, refuted); repeat for
    /// any of several.
    #[arg(long)]
    pub status: Vec<String>,
    /// Only claims with this Admiralty grade: `B2`, `B` (any credibility) or `2`.
    #[arg(long)]
    pub grade: Option<String>,
    /// Only annotations by this author.
    #[arg(long)]
    pub author: Option<String>,
    /// Only annotations whose quote or note contains this text (ignoring case).
    #[arg(long)]
    pub search: Option<String>,
    /// Only articles dated this day or later (YYYY-MM-DD, from the dateline); undated articles
    /// are left out.
    #[arg(long, value_name = "DATE")]
    pub since: Option<String>,
    /// Only articles dated this day or earlier (YYYY-MM-DD; YYYY-MM for a whole month);
    /// undated articles are left out.
    #[arg(long, value_name = "DATE")]
    pub until: Option<String>,
}

impl ListFilter {
    /// The review filter for these flags; an error for a status, grade or date that cannot
    /// mean anything.
    pub fn to_filter(&self) -> anyhow::Result<crate::review::Filter> {
        for status in &self.status {
            if Status::parse(status).is_none() {
                bail!(
                    "status `{status}` is not one of unverified, corroborated, disputed, refuted"
                );
            }
        }
        if let Some(grade) = &self.grade {
            parse_grade(grade)?;
        }
        for (flag, date) in [("--since", &self.since), ("--until", &self.until)] {
            if let Some(d) = date
                && !is_date_prefix(d.trim())
            {
                bail!("{flag} `{d}` is not a date like 2021-06-19");
            }
        }
        Ok(crate::review::Filter {
            tags: self.tag.clone(),
            source: self.source.clone(),
            statuses: self.status.clone(),
            grade: self.grade.clone(),
            author: self.author.clone(),
            since: self.since.clone(),
            until: self.until.clone(),
            search: self.search.clone().unwrap_or_default(),
        })
    }
}

/// `YYYY-MM-DD`, `YYYY-MM` or `YYYY`.
fn is_date_prefix(d: &str) -> bool {
    let b = d.as_bytes();
    matches!(b.len(), 4 | 7 | 10)
        && b.iter().enumerate().all(|(i, c)| {
            if i == 4 || i == 7 {
                *c == b'-'
            } else {
                c.is_ascii_digit()
            }
        })
}

/// The claim record's flags of `add`.
#[derive(clap::Args, Debug, Default)]
pub struct RecordArgs {
    /// Who makes the claim (a name or alias from the folder's source registry, or a new name).
    #[arg(long)]
    pub source: Option<String>,
    /// An outlet the claim passed through, from the source outward; repeat for a chain
    /// (`--via KCNA --via "India Today"`: India Today reporting what KCNA said).
    #[arg(long)]
    pub via: Vec<String>,
    /// Admiralty grade: source reliability A–F and information credibility 1–6, e.g. `B2`.
    #[arg(long)]
    pub grade: Option<String>,
    /// unverified, corroborated, disputed or refuted.
    #[arg(long)]
    pub status: Option<String>,
    /// low, moderate or high.
    #[arg(long)]
    pub confidence: Option<String>,
    /// A link to another annotation: `KIND:ID` with KIND one of supports, contradicts,
    /// same_claim_as, elaborates, and ID an annotation of this article or of another article
    /// of its folder tree (the folder and those above it that hold annotated articles, a
    /// codebook or a source registry). Repeatable.
    #[arg(long)]
    pub link: Vec<String>,
}

impl RecordArgs {
    /// Fills an annotation's record from the flags; the registry resolves aliases and gives a
    /// source's default reliability when no grade is given.
    pub fn apply(&self, record: &mut ClaimRecord, registry: &SourceRegistry) -> anyhow::Result<()> {
        if let Some(source) = &self.source {
            record.attribute_to(source, registry);
        }
        record.via = self.via.iter().map(|v| registry.canonical(v)).collect();
        if let Some(grade) = &self.grade {
            let (r, c) = parse_grade(grade)?;
            record.reliability = r.or(record.reliability);
            record.credibility = c;
        }
        if let Some(status) = &self.status {
            record.status = Status::parse(status).ok_or_else(|| {
                anyhow!(
                    "status `{status}` is not one of unverified, corroborated, disputed, refuted"
                )
            })?;
        }
        if let Some(confidence) = &self.confidence {
            record.confidence = Some(Confidence::parse(confidence).ok_or_else(|| {
                anyhow!("confidence `{confidence}` is not one of low, moderate, high")
            })?);
        }
        for link in &self.link {
            let (kind, target) = link
                .split_once(':')
                .ok_or_else(|| anyhow!("link `{link}` is not KIND:ID"))?;
            let kind = LinkKind::parse(kind)
                .ok_or_else(|| anyhow!("link kind `{kind}` is not one of supports, contradicts, same_claim_as, elaborates"))?;
            record.links.push(Link {
                kind,
                target: AnnotationId(target.trim().to_owned()),
                article: None,
            });
        }
        Ok(())
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ExportFormat {
    Csv,
    Jsonl,
    /// Claims brief in Markdown.
    Md,
    /// Claims brief in HTML.
    Html,
    /// W3C Web Annotation: an AnnotationCollection (JSON-LD).
    W3c,
    /// W3C Web Annotation: one annotation per line.
    W3cJsonl,
    /// brat standoff: --output is a folder (NAME.txt, NAME.ann, annotation.conf).
    Brat,
    /// REFI-QDA project (.qdpx, for ATLAS.ti, MAXQDA, NVivo, QualCoder).
    Qdpx,
    /// REFI-QDA codebook (.qdc).
    Qdc,
}

impl ExportFormat {
    fn format(self) -> crate::export::Format {
        use crate::export::Format;
        match self {
            ExportFormat::Csv => Format::Csv,
            ExportFormat::Jsonl => Format::Jsonl,
            ExportFormat::Md => Format::Markdown,
            ExportFormat::Html => Format::Html,
            ExportFormat::W3c => Format::W3c,
            ExportFormat::W3cJsonl => Format::W3cLines,
            ExportFormat::Brat => Format::Brat,
            ExportFormat::Qdpx => Format::Qdpx,
            ExportFormat::Qdc => Format::Qdc,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ImportFormat {
    Jsonl,
    /// W3C Web Annotation, and Hypothesis's JSON.
    W3c,
    Brat,
    /// Taguette's highlights or codebook CSV.
    Taguette,
    /// REFI-QDA: a .qdpx project or a .qdc codebook (needs --into FOLDER).
    Refi,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum SuggestFormat {
    /// One line per suggestion: article, offsets, kind, who, the words.
    Table,
    /// One JSON object per suggestion.
    Jsonl,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ShowFormat {
    /// The canonical text.
    Text,
    /// One JSON object: metadata, provenance, blocks (with their style) and the text.
    Json,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ListFormat {
    /// One line per annotation: article, offsets, tags, quote, source, grade, status, note.
    Table,
    /// The JSON Lines export's objects.
    Jsonl,
    /// The CSV export's columns (one row per annotation and tag).
    Csv,
}

/// Runs a headless subcommand; returns the process exit code.
pub fn run(command: Command) -> i32 {
    let result = match command {
        Command::Add {
            article,
            quote,
            occurrence,
            tag,
            note,
            author,
            record,
        } => add(&article, &quote, occurrence, &tag, &note, author, &record),
        Command::Show { article, format } => show(&article, format),
        Command::List {
            paths,
            format,
            filter,
        } => filter
            .to_filter()
            .and_then(|filter| list(&paths, format, &filter)),
        Command::Check { paths } => check(&paths),
        Command::Suggest {
            paths,
            format,
            apply,
            tag,
        } => suggest(&paths, format, apply.then_some(tag.as_deref()).flatten()),
        Command::Export {
            paths,
            format,
            output,
            tag,
            bom,
            taguette,
        } => export(&paths, format, output.as_deref(), tag, bom, taguette),
        Command::Import {
            inputs,
            format,
            into,
            create_tags,
            tag,
        } => import_annotations(
            &inputs,
            format,
            into.as_deref(),
            &crate::annotation_import::Options { create_tags, tag },
        ),
        Command::MergeDriver {
            base,
            ours,
            theirs,
            name,
        } => merge_driver(&base, &ours, &theirs, name.as_deref()),
    };
    match result {
        Ok(code) => code,
        Err(message) => {
            eprintln!("claimmark: {message}");
            1
        }
    }
}

fn open_writable(path: &Path) -> anyhow::Result<Session> {
    let session = Session::open(path)?;
    if let Some(reason) = session.read_only() {
        bail!(reason.to_owned());
    }
    Ok(session)
}

#[allow(clippy::too_many_arguments)]
fn add(
    path: &Path,
    quote: &str,
    occurrence: Option<usize>,
    tag: &str,
    note: &str,
    author: Option<String>,
    record: &RecordArgs,
) -> anyhow::Result<i32> {
    let mut session = open_writable(path)?;
    let Some(tag) = session.codebook().find(tag).map(|t| t.id.clone()) else {
        let known: Vec<&str> = session
            .codebook()
            .tags
            .iter()
            .map(|t| t.name.as_str())
            .collect();
        bail!(
            "no tag `{tag}` in the codebook (tags: {}) for {}",
            known.join(", "),
            path.display()
        );
    };
    let quote = crate::model::article::canonicalize(quote);
    let hits = find_exact(&session.article().text, &quote);
    let span = match (hits.len(), occurrence) {
        (0, _) => bail!("quote not found in {}", path.display()),
        (1, None) => hits[0],
        (n, None) => bail!(
            "quote found {n} times in {}; choose one with --occurrence 1..{n}",
            path.display()
        ),
        (n, Some(k)) => match k.checked_sub(1).and_then(|i| hits.get(i)) {
            Some(span) => *span,
            None => bail!(
                "--occurrence {k} is out of range: the quote occurs {n} time(s) in {}",
                path.display()
            ),
        },
    };
    let author = author.unwrap_or_else(default_author);
    let mut ann = session.new_annotation(span, &tag, note, &author);
    record
        .apply(&mut ann.record, session.sources())
        .map_err(|e| anyhow!("{e} (nothing was written to {})", path.display()))?;
    resolve_links(path, &session, &mut ann.record.links)?;
    if let Some(existing) = session.annotations().iter().find(|a| same_claim(a, &ann)) {
        eprintln!(
            "claimmark: {} already has this annotation ({}): nothing was added",
            path.display(),
            existing.id
        );
        println!("{}", existing.id);
        return Ok(0);
    }
    let id = ann.id.clone();
    session
        .apply(Edit::Add(ann))
        .map_err(|e| anyhow!("{e} in {}", path.display()))?;
    session.save_merged()?;
    println!("{id}");
    Ok(0)
}

/// Checks that every link's target exists: an annotation of the article, or of another article
/// of its folder tree (see [`corpus_root`]), whose file name the link then records, as the
/// app's links to other articles do. An error names the first target that is nowhere.
fn resolve_links(path: &Path, session: &Session, links: &mut [Link]) -> anyhow::Result<()> {
    let mut elsewhere: Option<std::collections::HashMap<AnnotationId, String>> = None;
    for link in links {
        if session.annotations().get(&link.target).is_some() {
            continue;
        }
        let others = elsewhere.get_or_insert_with(|| annotations_around(path));
        let Some(article) = others.get(&link.target) else {
            let root = corpus_root(path);
            bail!(
                "link target `{}` is not an annotation of {} nor of another article under {} (nothing was written)",
                link.target,
                path.display(),
                root.display()
            );
        };
        link.article = Some(article.clone());
    }
    Ok(())
}

/// The annotation ids of the other articles of an article's folder tree, each with its
/// article's file name. Sidecars that cannot be read are passed over (`check` reports them).
fn annotations_around(path: &Path) -> std::collections::HashMap<AnnotationId, String> {
    use crate::storage::{read, sidecar};
    let mut out = std::collections::HashMap::new();
    let me = std::fs::canonicalize(path).ok();
    let Ok((articles, _)) = crate::review::scan::walk(&corpus_root(path)) else {
        return out;
    };
    for article in articles {
        if me.is_some() && std::fs::canonicalize(&article).ok() == me {
            continue;
        }
        let Ok(Some(text)) =
            read::read_text_if_exists(&sidecar::sidecar_path(&article), sidecar::MAX_SIDECAR_BYTES)
        else {
            continue;
        };
        let Ok(parsed) = sidecar::parse(&text, None) else {
            continue;
        };
        let name = article
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        for ann in parsed.annotations {
            out.entry(ann.id).or_insert_with(|| name.clone());
        }
    }
    out
}

/// The top of the analyst's folder tree around an article: its folder, then each folder above
/// as long as it holds Claimmark's files (an annotations sidecar, a codebook or a source
/// registry), so a link may reach an article in a parent folder without walking the disk.
fn corpus_root(article: &Path) -> PathBuf {
    use crate::storage::{SIDECAR_SUFFIX, codebook::CODEBOOK_FILE, sources::SOURCES_FILE};
    let holds_ours = |dir: &Path| {
        std::fs::read_dir(dir).is_ok_and(|entries| {
            entries.flatten().any(|e| {
                let name = e.file_name();
                let name = name.to_string_lossy();
                name == CODEBOOK_FILE || name == SOURCES_FILE || name.ends_with(SIDECAR_SUFFIX)
            })
        })
    };
    let absolute = std::path::absolute(article).unwrap_or_else(|_| article.to_owned());
    let mut top = absolute
        .parent()
        .map_or_else(|| PathBuf::from("."), Path::to_owned);
    while let Some(parent) = top.parent() {
        if parent.as_os_str().is_empty() || !holds_ours(parent) {
            break;
        }
        top = parent.to_owned();
    }
    top
}

/// Two annotations are the same claim: the same words, tags, note and claim record (links by
/// kind and target, whichever way they name the target's article).
fn same_claim(a: &Annotation, b: &Annotation) -> bool {
    let sorted = |mut v: Vec<String>| {
        v.sort();
        v
    };
    let spans = |x: &Annotation| {
        let mut s: Vec<_> = x.fragments.iter().map(|f| f.span).collect();
        s.sort();
        s
    };
    let links = |x: &Annotation| {
        let mut l: Vec<_> = x
            .record
            .links
            .iter()
            .map(|l| (l.kind.label(), l.target.clone()))
            .collect();
        l.sort();
        l
    };
    let record = |x: &Annotation| ClaimRecord {
        links: Vec::new(),
        ..x.record.clone()
    };
    sorted(a.tags.clone()) == sorted(b.tags.clone())
        && spans(a) == spans(b)
        && a.note == b.note
        && record(a) == record(b)
        && links(a) == links(b)
}

fn show(path: &Path, format: ShowFormat) -> anyhow::Result<i32> {
    let article = import::read_article(path)?;
    let mut out = std::io::stdout().lock();
    if format == ShowFormat::Json {
        let value = article_json(path, &article);
        let _ = writeln!(out, "{value:#}");
        return Ok(0);
    }
    let _ = out.write_all(article.text.as_bytes());
    if !article.text.ends_with('\n') {
        let _ = out.write_all(b"\n");
    }
    Ok(0)
}

/// An article as `show --format json` prints it. Offsets are code points into `text`.
pub fn article_json(path: &Path, article: &crate::model::Article) -> serde_json::Value {
    let m = &article.meta;
    let p = &article.provenance;
    let blocks: Vec<serde_json::Value> = article
        .blocks
        .iter()
        .map(|b| {
            serde_json::json!({
                "start": b.chars.start,
                "end": b.chars.end,
                "style": b.style.map(crate::model::provenance::Style::name),
                "page": m.page_of(b.chars.start),
            })
        })
        .collect();
    serde_json::json!({
        "path": path.display().to_string(),
        "title": m.title,
        "site": m.site,
        "author": m.author,
        "published": m.published,
        "date": article.date,
        "url": m.url,
        "language": m.language,
        "format": p.format,
        "extractor": p.extractor,
        "encoding": p.encoding,
        "file_fingerprint": p.file_fingerprint,
        "text_fingerprint": article.fingerprint(),
        "characters": article.char_len(),
        "pages": m.pages,
        "comments": m.comments,
        "blocks": blocks,
        "text": article.text,
    })
}

/// Expands folders into their articles, subfolders included (hidden ones skipped).
pub fn expand_paths(paths: &[PathBuf]) -> anyhow::Result<Vec<PathBuf>> {
    let mut out = Vec::new();
    for p in paths {
        if p.is_dir() {
            // The whole tree, as the review and `list` see it.
            let (articles, skipped) = crate::review::scan::walk(p)?;
            for problem in skipped {
                eprintln!("claimmark: {problem}");
            }
            out.extend(articles);
        } else {
            out.push(p.clone());
        }
    }
    Ok(out)
}

/// Lists the annotations that pass `filter`. Membership is decided by the review's own code
/// (the index rows of [`crate::review::scan`] through [`crate::review::filter::apply`]), so
/// `list` and the review's claims table always agree, and every article, sidecar, codebook
/// and source registry that cannot be read is reported. One folder is scanned with the
/// review's cache, so a second `list` of it reads only what changed: the cache keeps what
/// `list` prints beyond the review's rows, so an unchanged article is not opened at all. The
/// tree is indexed a run of [`crate::review::scan::RUN_ARTICLES`] articles at a time, and a run's rows are printed
/// on worker threads, in order: the output streams, and memory holds one run, whatever the
/// size of the tree.
fn list(
    paths: &[PathBuf],
    format: ListFormat,
    filter: &crate::review::Filter,
) -> anyhow::Result<i32> {
    use crate::review;
    let mut out = std::io::stdout().lock();
    if format == ListFormat::Csv {
        let header = crate::export::csv::CsvExport::new(Vec::new(), false, false)
            .and_then(|csv| csv.into_inner())
            .map_err(|e| anyhow!("cannot write the list: {e}"))?;
        if out.write_all(&header).is_err() {
            return Ok(0);
        }
    }
    let mut code = 0;
    // The scan makes the next run while this thread prints the last (a run ahead at most).
    let (tx, rx) = std::sync::mpsc::sync_channel::<review::Run>(1);
    let progress = review::ScanProgress::default();
    let skipped = std::thread::scope(|s| {
        let scanning = s.spawn(move || {
            let mut each = |run: review::Run| tx.send(run).is_ok();
            match paths {
                [one] if one.is_dir() => {
                    let cache = review::cache::default_cache_file(one);
                    review::scan_in_batches(
                        one,
                        cache.as_deref(),
                        review::scan::RUN_ARTICLES,
                        &progress,
                        &mut each,
                    )
                }
                _ => review::scan_paths_in_batches(
                    paths,
                    review::scan::RUN_ARTICLES,
                    &progress,
                    &mut each,
                ),
            }
        });
        for run in rx.iter() {
            match list_batch(&run, filter, format, &mut out) {
                Ok(failed) => code |= i32::from(failed),
                Err(_) => break, // stdout closed (`| head`): stop quietly
            }
        }
        drop(rx); // the scan stops at its next run
        scanning
            .join()
            .unwrap_or(Err(review::ScanError::WorkerFailed))
    })?;
    for problem in &skipped {
        eprintln!("claimmark: {problem}");
        code = 1;
    }
    let _ = out.flush();
    Ok(code)
}

/// Prints the rows of `run` that pass `filter`, and reports the articles that cannot be
/// read. Returns whether any could not; an error when `out` is closed.
fn list_batch(
    run: &crate::review::Run,
    filter: &crate::review::Filter,
    format: ListFormat,
    out: &mut impl Write,
) -> std::io::Result<bool> {
    use crate::review;
    let index = &run.index;
    let mut wanted: Vec<std::collections::HashSet<&str>> =
        vec![Default::default(); index.articles.len()];
    let claims = &index.claims;
    for row in review::filter::apply(index, filter) {
        if let Some(set) = wanted.get_mut(claims.article(row)) {
            set.insert(claims.id(row));
        }
    }
    let mut failed = false;
    // What to print, in order: an unreadable article's message, or an article's rows.
    let todo: Vec<(usize, &std::collections::HashSet<&str>)> = wanted
        .iter()
        .enumerate()
        .filter(|&(i, ids)| index.articles[i].unreadable || !ids.is_empty())
        .collect();
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    for batch in todo.chunks(64 * threads) {
        let per = batch.len().div_ceil(threads).max(1);
        let printed: Vec<anyhow::Result<Vec<u8>>> = std::thread::scope(|s| {
            let handles: Vec<_> = batch
                .chunks(per)
                .map(|part| s.spawn(move || list_run(run, part, format)))
                .collect();
            handles
                .into_iter()
                .flat_map(|h| {
                    h.join()
                        .unwrap_or_else(|_| vec![Err(anyhow!("a worker thread stopped"))])
                })
                .collect()
        });
        for result in printed {
            match result {
                Ok(bytes) => out.write_all(&bytes)?,
                Err(message) => {
                    eprintln!("claimmark: {message}");
                    failed = true;
                }
            }
        }
    }
    Ok(failed)
}

/// `list`'s output for some articles of a run (their numbers, with the ids of their rows to
/// print), one result each (on one worker thread): from what the scan kept of each article,
/// or else by opening it again.
fn list_run(
    run: &crate::review::Run,
    part: &[(usize, &std::collections::HashSet<&str>)],
    format: ListFormat,
) -> Vec<anyhow::Result<Vec<u8>>> {
    let mut folder = None;
    part.iter()
        .map(|&(i, ids)| {
            let entry = &run.index.articles[i];
            if entry.unreadable {
                bail!("{}", entry.attention.as_deref().unwrap_or("cannot be read"));
            }
            if let Some((printed, rows)) = run.printed(i, &|id| ids.contains(id)) {
                return list_rows(&printed, rows.iter().map(|(a, s)| (a, *s)), format);
            }
            let session = Session::open_to_read(&entry.path, &mut folder)?;
            if let Some(reason) = session.read_only() {
                bail!("{reason}");
            }
            let rows = session
                .annotations()
                .iter()
                .filter(|a| ids.contains(a.id.0.as_str()))
                .map(|a| (a, session.anchor_status(a)));
            list_rows(&crate::export::Printed::of(&session), rows, format)
        })
        .collect()
}

/// An article's rows as `list` prints them in `format`.
fn list_rows<'a>(
    article: &crate::export::Printed,
    rows: impl Iterator<Item = (&'a Annotation, crate::session::AnchorStatus)>,
    format: ListFormat,
) -> anyhow::Result<Vec<u8>> {
    let mut out = Vec::new();
    match format {
        ListFormat::Csv => {
            let mut csv = crate::export::csv::CsvExport::rows_only(out, false);
            csv.rows(article, rows)?;
            out = csv.into_inner()?;
        }
        ListFormat::Jsonl => {
            for (ann, anchoring) in rows {
                crate::export::jsonl::write_line(&mut out, article, ann, anchoring)?;
            }
        }
        ListFormat::Table => {
            for (ann, _) in rows {
                out.extend_from_slice(table_line(article.path, article.codebook, ann).as_bytes());
                out.push(b'\n');
            }
        }
    }
    Ok(out)
}

fn merge_driver(
    base: &Path,
    ours: &Path,
    theirs: &Path,
    name: Option<&Path>,
) -> anyhow::Result<i32> {
    use crate::storage::{merge, sidecar};
    // Messages name the sidecar and the side, not git's temporary files.
    let label = |p: &Path, side: &str| match name {
        Some(n) => format!("{} ({side})", n.display()),
        None => format!("{} ({side})", p.display()),
    };
    let sides = [
        (base, "the common ancestor"),
        (ours, "ours"),
        (theirs, "theirs"),
    ];
    let read = |(p, side): (&Path, &str)| -> anyhow::Result<Option<sidecar::Sidecar>> {
        let text = std::fs::read_to_string(p)
            .map_err(|e| anyhow!("cannot read {}: {e}", label(p, side)))?;
        if text.trim().is_empty() {
            return Ok(None); // git passes an empty base when both sides added the file
        }
        sidecar::parse(&text, None)
            .map(Some)
            .map_err(|e| anyhow!("{}: {e}", label(p, side)))
    };
    let [b, o, t] = sides;
    let (b, o, t) = (read(b)?, read(o)?, read(t)?);
    let list = |s: &Option<sidecar::Sidecar>| {
        s.as_ref()
            .map(|s| s.annotations.clone())
            .unwrap_or_default()
    };
    let merged = merge::three_way(&list(&b), &list(&o), &list(&t));
    let rejected_of =
        |s: &Option<sidecar::Sidecar>| s.as_ref().map(|s| s.rejected.clone()).unwrap_or_default();
    let rejected = merge::rejections(&rejected_of(&b), &rejected_of(&o), &rejected_of(&t));
    let (article, fingerprint, source) = o
        .as_ref()
        .or(t.as_ref())
        .map(|s| (s.article.clone(), s.fingerprint.clone(), s.source.clone()))
        .unwrap_or_default();
    let mut annotations = merged.annotations;
    annotations.sort_by_key(|a| (a.extent().start, a.extent().end, a.id.clone()));
    let header = sidecar::Header {
        article: &article,
        fingerprint: &fingerprint,
        source: source.as_ref(),
        rejected: &rejected,
    };
    let text = sidecar::render(&header, annotations.iter());
    crate::storage::write_atomic(ours, text.as_bytes())
        .map_err(|e| anyhow!("cannot write {}: {e}", label(ours, "ours")))?;
    for c in &merged.conflicts {
        // The merged file keeps ours (or theirs where ours deleted it); git keeps both sides.
        eprintln!(
            "claimmark: conflict on annotation {} \"{}\": {}",
            c.id,
            c.quote(),
            c.describe()
        );
    }
    Ok(i32::from(!merged.conflicts.is_empty()))
}

fn export(
    paths: &[PathBuf],
    format: ExportFormat,
    output: Option<&Path>,
    tags: Vec<String>,
    bom: bool,
    taguette: bool,
) -> anyhow::Result<i32> {
    use crate::export::{Filter, Options, run, run_folder};
    let articles = expand_paths(paths)?;
    let options = Options {
        format: format.format(),
        output: output.map(Path::to_owned),
        filter: Filter { tags, ids: None },
        bom,
        taguette,
    };
    // One folder goes through the review's cache, as `list` does.
    let summary = match paths {
        [one] if one.is_dir() => {
            let cache = crate::review::cache::default_cache_file(one);
            run_folder(
                one,
                &articles,
                (cache.as_deref(), true),
                &options,
                &mut |_, _| true,
            )?
        }
        _ => run(&articles, &options, &mut |_, _| true)?,
    };
    for message in &summary.skipped {
        eprintln!("claimmark: skipped: {message}");
    }
    for note in &summary.notes {
        eprintln!("claimmark: note: {note}");
    }
    if let Some(out) = output {
        eprintln!(
            "claimmark: {} annotation(s) from {} article(s) exported to {}",
            summary.annotations,
            summary.articles,
            out.display()
        );
    }
    Ok(i32::from(!summary.skipped.is_empty()))
}

fn import_annotations(
    inputs: &[PathBuf],
    format: Option<ImportFormat>,
    into: Option<&Path>,
    options: &crate::annotation_import::Options,
) -> anyhow::Result<i32> {
    use crate::annotation_import::{self as ai, Batch, Format};
    let mut batch = Batch::default();
    let mut unread = Vec::new();
    let mut refused = false;
    let mut others = false;
    for input in inputs {
        let format = match format {
            Some(ImportFormat::Jsonl) => Format::Jsonl,
            Some(ImportFormat::W3c) => Format::W3c,
            Some(ImportFormat::Brat) => Format::Brat,
            Some(ImportFormat::Taguette) => Format::Taguette,
            Some(ImportFormat::Refi) => Format::Refi,
            None => Format::guess(input).with_context(|| {
                format!(
                    "cannot tell the format of {} from its name; give --format",
                    input.display()
                )
            })?,
        };
        if format == Format::Refi {
            refused |= import_refi(input, into)?;
            continue;
        }
        others = true;
        match ai::read(format, input) {
            Ok(read) => batch.extend(read),
            Err(e) => unread.push(e.to_string()),
        }
    }
    if !others {
        return Ok(i32::from(refused));
    }
    let report = ai::apply(batch, into, options, &mut |_, _| {});
    for problem in unread.iter().chain(&report.problems) {
        eprintln!("claimmark: not imported: {problem}");
    }
    for partly in &report.partial {
        eprintln!("claimmark: imported in part: {partly}");
    }
    let mut summary = format!(
        "claimmark: {} annotation(s) imported into {} article(s) ({} found by quote), {} already there, {} not imported",
        report.added,
        report.articles,
        report.moved,
        report.existing,
        report.problems.len() + unread.len()
    );
    if !report.partial.is_empty() {
        summary.push_str(&format!(", {} imported in part", report.partial.len()));
    }
    if report.tags_created > 0 {
        summary.push_str(&format!(
            "; {} tag(s) added to the codebook",
            report.tags_created
        ));
    }
    eprintln!("{summary}");
    Ok(i32::from(
        report.incomplete() || !unread.is_empty() || refused,
    ))
}

/// Imports one REFI-QDA project or codebook into the folder `into` and prints what it did;
/// true if anything was not imported.
fn import_refi(input: &Path, into: Option<&Path>) -> anyhow::Result<bool> {
    let Some(into) = into.filter(|p| !p.is_file()) else {
        bail!(
            "{}: a REFI-QDA project or codebook is imported into a folder: give --into FOLDER",
            input.display()
        );
    };
    let report = match crate::annotation_import::refi::import(input, into, &mut |_, _| {}) {
        Ok(report) => report,
        Err(e) => {
            eprintln!("claimmark: not imported: {e}");
            return Ok(true);
        }
    };
    for problem in report.problems() {
        eprintln!("claimmark: not imported: {problem}");
    }
    for partly in &report.placed.partial {
        eprintln!("claimmark: imported in part: {partly}");
    }
    let names = |paths: &[PathBuf]| {
        paths
            .iter()
            .filter_map(|p| p.file_name())
            .map(|n| n.to_string_lossy().into_owned())
            .collect::<Vec<_>>()
            .join(", ")
    };
    let mut parts = Vec::new();
    if !report.created.is_empty() {
        parts.push(format!(
            "{} article(s) created ({})",
            report.created.len(),
            names(&report.created)
        ));
    }
    if !report.reused.is_empty() {
        parts.push(format!(
            "{} article(s) already there ({})",
            report.reused.len(),
            names(&report.reused)
        ));
    }
    let placed = &report.placed;
    if !report.created.is_empty() || !report.reused.is_empty() || placed.added + placed.existing > 0
    {
        parts.push(format!(
            "{} annotation(s) imported, {} already there",
            placed.added, placed.existing
        ));
    }
    parts.push(format!(
        "{} tag(s) added to the codebook, {} already there",
        report.tags_added, report.tags_existing
    ));
    parts.push(format!("{} not imported", report.problems().len()));
    eprintln!(
        "claimmark: {} into {}: {}",
        input.display(),
        into.display(),
        parts.join("; ")
    );
    Ok(!report.problems().is_empty())
}

/// Prints the suggested claims of each article, or adds them with `tag` (`--apply`).
fn suggest(paths: &[PathBuf], format: SuggestFormat, tag: Option<&str>) -> anyhow::Result<i32> {
    let mut code = 0;
    let mut stdout = std::io::stdout().lock();
    for path in expand_paths(paths)? {
        let mut session = match Session::open(&path) {
            Ok(s) => s,
            Err(e) => {
                eprintln!("claimmark: {e}");
                code = 1;
                continue;
            }
        };
        let chars: Vec<char> = session.article().text.chars().collect();
        let found: Vec<(crate::suggest::Suggestion, String)> =
            crate::suggest::suggest(&session.article().text, session.sources())
                .into_iter()
                .map(|s| {
                    let words = s.quote(&chars);
                    (s, words)
                })
                .collect();
        // Rejected suggestions and words already marked are not suggested again.
        let open = crate::suggest::still_open(
            &found,
            session.annotations().as_slice(),
            session.annotations().rejected(),
        );
        if let Some(tag) = tag {
            match apply_suggestions(&mut session, &found, &open, tag) {
                Ok(added) => eprintln!(
                    "claimmark: {}: {added} of {} suggestion(s) added ({} already marked or rejected)",
                    path.display(),
                    found.len(),
                    found.len() - open.len()
                ),
                Err(e) => {
                    eprintln!("claimmark: {}: {e}", path.display());
                    code = 1;
                }
            }
            continue;
        }
        for s in open.iter().map(|&i| &found[i].0) {
            let line = match format {
                SuggestFormat::Jsonl => suggestion_json(&path, s, &chars).to_string(),
                SuggestFormat::Table => {
                    let extent = s.extent();
                    format!(
                        "{}\t{}-{}\t{}\t{}\t\"{}\"",
                        path.display(),
                        extent.start,
                        extent.end,
                        serde_json::to_value(s.kind)
                            .ok()
                            .and_then(|v| v.as_str().map(str::to_owned))
                            .unwrap_or_default(),
                        s.attributed_to.as_deref().unwrap_or("-"),
                        s.quote(&chars).replace('\n', " ")
                    )
                }
            };
            if writeln!(stdout, "{line}").is_err() {
                return Ok(code);
            }
        }
    }
    Ok(code)
}

/// One suggestion as the JSON Lines of `claimmark suggest`.
fn suggestion_json(
    article: &Path,
    s: &crate::suggest::Suggestion,
    chars: &[char],
) -> serde_json::Value {
    let found = |f: &Option<crate::suggest::Found>| {
        f.as_ref()
            .map(|f| serde_json::json!({"start": f.span.start, "end": f.span.end, "text": f.text}))
    };
    serde_json::json!({
        "article": article.display().to_string(),
        "content": s.content.iter().map(|c| serde_json::json!({"start": c.start, "end": c.end})).collect::<Vec<_>>(),
        "quote": s.quote(chars),
        "cue": found(&s.cue),
        "source": found(&s.source),
        "attributed_to": s.attributed_to,
        "via": s.via,
        "kind": s.kind,
        "confidence": s.confidence,
    })
}

/// Adds suggestions as annotations with `tag`, skipping any whose words an annotation already
/// covers by half; saves once. How many were added.
fn apply_suggestions(
    session: &mut Session,
    found: &[(crate::suggest::Suggestion, String)],
    open: &[usize],
    tag: &str,
) -> anyhow::Result<usize> {
    if let Some(reason) = session.read_only() {
        bail!(reason.to_owned());
    }
    let Some(tag) = session.codebook().find(tag).map(|t| t.id.clone()) else {
        bail!("tag `{tag}` is not in the folder's codebook");
    };
    let author = crate::session::default_author();
    let mut added = 0;
    for &i in open {
        // Two suggestions may share words: the first one added marks them.
        let extent = found[i].0.extent();
        let taken = session
            .annotations()
            .iter()
            .any(|a| crate::suggest::overlap(a.extent(), extent) * 2 >= extent.len().max(1));
        if taken {
            continue;
        }
        if let Some(ann) = session.suggestion_annotation(&found[i].0, &tag, &author) {
            session.apply(Edit::Add(ann))?;
            added += 1;
        }
    }
    if added > 0 {
        session.save_merged()?;
    }
    Ok(added)
}

fn check(paths: &[PathBuf]) -> anyhow::Result<i32> {
    let mut code = 0;
    for path in expand_paths(paths)? {
        let mut session = match Session::open(&path) {
            Ok(s) => s,
            Err(e) => {
                eprintln!("claimmark: {e}");
                code = 1;
                continue;
            }
        };
        if let Some(reason) = session.read_only() {
            println!("{}: needs attention: {reason}", path.display());
            code = 1;
            continue;
        }
        if !session.sidecar_path().exists() {
            println!("{}: no annotations", path.display());
            continue;
        }
        let counts = session.anchor_counts();
        let mut line = format!(
            "{}: {} annotations: {counts}",
            path.display(),
            session.annotations().len()
        );
        if session.anchoring_changed() {
            match session.write_back() {
                Ok(_) => line.push_str("; positions written back"),
                Err(e) => {
                    eprintln!("claimmark: {e}");
                    code = 1;
                }
            }
        }
        println!("{line}");
        for ann in session.annotations().iter().filter(|a| a.anchor.orphaned) {
            let quote = ann.quote().replace('\n', " ");
            match session.uncertain(&ann.id) {
                Some(u) => {
                    let places: Vec<String> = u
                        .options
                        .iter()
                        .map(|o| crate::session::spans_label(o))
                        .collect();
                    println!(
                        "  uncertain {} \"{quote}\": {}: {} (not placed; choose in the app)",
                        ann.id,
                        u.doubt_label(),
                        places.join(" or ")
                    );
                }
                None => println!("  orphaned {} \"{quote}\"", ann.id),
            }
            code = 1;
        }
    }
    Ok(code)
}

fn table_line(path: &Path, codebook: &crate::model::Codebook, ann: &Annotation) -> String {
    let extent = ann.extent();
    let tags: Vec<&str> = ann.tags.iter().map(|t| codebook.name_of(t)).collect();
    let mut quote: String = ann.quote().chars().take(80).collect();
    if ann.quote().chars().count() > 80 {
        quote.push('…');
    }
    let r = &ann.record;
    let mut who = r.attributed_to.clone().unwrap_or_default();
    if !r.via.is_empty() {
        who = format!("{who} via {}", r.via.join(" via "));
    }
    format!(
        "{}\t{}-{}\t{}\t\"{}\"\t{}\t{}\t{}{}",
        path.display(),
        extent.start,
        extent.end,
        tags.join(","),
        quote.replace('\n', " "),
        if who.is_empty() { "-" } else { who.trim() },
        format_grade(r.reliability, r.credibility),
        r.status.label(),
        if ann.note.is_empty() {
            String::new()
        } else {
            format!("\t{}", ann.note.replace('\n', " "))
        }
    )
}
