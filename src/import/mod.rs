//! Importers: one file per format, each turning a file's bytes into an [`Article`].
//!
//! Importers read; they never write, execute or fetch anything. Every failure is an
//! [`ImportError`] that names the file. A file is read only if it is a regular file of at most
//! [`MAX_TEXT_BYTES`] or [`MAX_DOCUMENT_BYTES`], and each importer bounds its own work (see
//! [`MAX_LINES`] and the limits in each module), so a hostile file is refused with a sentence,
//! never by a hang or by exhausting memory.

pub mod builder;
pub mod dates;
pub mod docx;
pub mod html;
pub mod markdown;
pub mod pdf;
pub mod text;

use std::path::{Path, PathBuf};

use crate::model::Article;
use crate::model::provenance::Provenance;
use crate::storage::ReadError;

pub use crate::model::provenance::Extracted;

/// Text formats (plain text, Markdown, web pages) larger than this are refused with a clear
/// message rather than read.
pub const MAX_TEXT_BYTES: u64 = 64 * 1024 * 1024;
/// PDF and Word files (which carry images and fonts) larger than this are refused.
pub const MAX_DOCUMENT_BYTES: u64 = 256 * 1024 * 1024;

/// Articles with more non-empty lines (paragraphs) than this are refused: each is a block the
/// reader lays out on its own, with some 40 bytes of bookkeeping, so 60 MB of two-letter lines
/// took 2 GB. Real articles, books even, have far fewer.
pub const MAX_LINES: usize = 2_000_000;

/// File extensions opened as articles.
pub const ARTICLE_EXTENSIONS: &[&str] = &[
    "txt", "text", "md", "markdown", "html", "htm", "xhtml", "pdf", "docx",
];

/// The formats Claimmark reads.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Text,
    Markdown,
    Html,
    Pdf,
    Docx,
}

impl Format {
    /// The name stored in sidecars and shown to the analyst.
    pub fn name(self) -> &'static str {
        match self {
            Self::Text => "text",
            Self::Markdown => "markdown",
            Self::Html => "html",
            Self::Pdf => "pdf",
            Self::Docx => "docx",
        }
    }

    /// The version of this format's extractor (see [`Provenance::extractor`]).
    pub fn extractor_version(self) -> u32 {
        match self {
            Self::Text => text::EXTRACTOR_VERSION,
            Self::Markdown => markdown::EXTRACTOR_VERSION,
            Self::Html => html::EXTRACTOR_VERSION,
            Self::Pdf => pdf::EXTRACTOR_VERSION,
            Self::Docx => docx::EXTRACTOR_VERSION,
        }
    }

    /// The format a file name says.
    pub fn of_path(path: &Path) -> Option<Self> {
        let ext = path.extension()?.to_str()?.to_ascii_lowercase();
        Some(match ext.as_str() {
            "txt" | "text" => Self::Text,
            "md" | "markdown" => Self::Markdown,
            "html" | "htm" | "xhtml" => Self::Html,
            "pdf" => Self::Pdf,
            "docx" => Self::Docx,
            _ => return None,
        })
    }

    /// The format the first bytes show, when they show one: a PDF or Word file saved under
    /// another name is still read as what it is.
    pub fn sniff(bytes: &[u8]) -> Option<Self> {
        if bytes.starts_with(b"%PDF-") {
            return Some(Self::Pdf);
        }
        if bytes.starts_with(b"PK\x03\x04") {
            return Some(Self::Docx);
        }
        None
    }

    fn max_bytes(self) -> u64 {
        match self {
            Self::Pdf | Self::Docx => MAX_DOCUMENT_BYTES,
            _ => MAX_TEXT_BYTES,
        }
    }
}

/// Why an article file was not opened; every message names the file.
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    #[error("cannot read {}: {source}", path.display())]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{} is {} MiB; {} files larger than {} MiB are not opened", path.display(), size / 1024 / 1024, format.name(), format.max_bytes() / 1024 / 1024)]
    TooLarge {
        path: PathBuf,
        size: u64,
        format: Format,
    },
    #[error("{} is not a regular file but {kind}; it was not opened", path.display())]
    NotRegular { path: PathBuf, kind: &'static str },
    #[error("{} looks like a binary file, not an article", path.display())]
    Binary { path: PathBuf },
    /// The importer of `format` could not read it: `reason` says why.
    #[error("cannot open {} as {}: {reason}", path.display(), format.name())]
    Format {
        path: PathBuf,
        format: Format,
        #[source]
        reason: ExtractError,
    },
    #[error("{} is not an article Claimmark can open (supported: {})", path.display(), ARTICLE_EXTENSIONS.iter().map(|e| format!(".{e}")).collect::<Vec<_>>().join(", "))]
    Unsupported { path: PathBuf },
}

impl ImportError {
    /// What kind of problem the file has, the same for every format; `None` for a file that
    /// could not be read at all or has a name Claimmark does not open.
    pub fn kind(&self) -> Option<ErrorKind> {
        match self {
            Self::TooLarge { .. } => Some(ErrorKind::TooLarge),
            Self::Binary { .. } => Some(ErrorKind::NotThisFormat),
            Self::Format { reason, .. } => Some(reason.kind()),
            Self::Io { .. } | Self::NotRegular { .. } | Self::Unsupported { .. } => None,
        }
    }
}

/// Why an importer could not turn a file's bytes into an article: each importer's own reason,
/// or a limit every format shares. The message is a short sentence without the file's name.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ExtractError {
    #[error(transparent)]
    Text(#[from] text::TextError),
    #[error(transparent)]
    Markdown(#[from] markdown::MarkdownError),
    #[error(transparent)]
    Html(#[from] html::HtmlError),
    #[error(transparent)]
    Docx(#[from] docx::DocxError),
    #[error(transparent)]
    Pdf(#[from] pdf::PdfError),
    /// More than [`MAX_LINES`] non-empty lines.
    #[error(
        "it has more than {MAX_LINES} lines (paragraphs); Claimmark opens articles of at most that many"
    )]
    TooManyLines,
    /// The importer panicked on the file (a bug in a parser, caught).
    #[error("the file could not be read (its reader failed on it)")]
    ReaderFailed,
}

/// The kinds of problem a file can have, whatever its format: what a caller matches on when
/// the importer's own detail does not matter.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ErrorKind {
    /// The bytes are not of the format the file was read as (a binary file named `.txt`, a
    /// ZIP that is not a Word document…).
    NotThisFormat,
    /// Protected by a password.
    Encrypted,
    /// Broken, cut short, or built in a way the importer cannot follow.
    Damaged,
    /// Readable, but without text (a scanned PDF, an empty page).
    NoText,
    /// Over one of the limits that keep a hostile file from exhausting the machine.
    TooLarge,
}

impl ExtractError {
    /// The kind of problem, whatever the format.
    pub fn kind(&self) -> ErrorKind {
        use ErrorKind as K;
        use docx::DocxError as D;
        use pdf::PdfError as P;
        match self {
            Self::Text(text::TextError::Binary)
            | Self::Markdown(markdown::MarkdownError::Binary)
            | Self::Docx(D::NotZip | D::NoDocument)
            | Self::Pdf(P::NotPdf) => K::NotThisFormat,
            Self::Pdf(P::Encrypted) => K::Encrypted,
            Self::Docx(D::Damaged)
            | Self::Pdf(P::Damaged | P::PageDamaged { .. } | P::NestedDrawings | P::PageTreeLoop)
            | Self::ReaderFailed => K::Damaged,
            Self::Html(html::HtmlError::NoText)
            | Self::Docx(D::NoText)
            | Self::Pdf(P::NoText | P::NoPages | P::Undecodable) => K::NoText,
            Self::Markdown(markdown::MarkdownError::TooMuchMarkup { .. })
            | Self::Html(html::HtmlError::TooManyElements)
            | Self::Docx(D::PartTooLarge { .. })
            | Self::Pdf(
                P::TooManyPages { .. }
                | P::TooMuchText
                | P::TooMuchDrawing
                | P::Expands { .. }
                | P::PageTreeTooDeep,
            )
            | Self::TooManyLines => K::TooLarge,
        }
    }
}

/// True for files that a folder listing shows as articles.
pub fn is_article_path(path: &Path) -> bool {
    let Some(name) = path.file_name().and_then(|n| n.to_str()) else {
        return false;
    };
    if name.starts_with('.') {
        return false;
    }
    Format::of_path(path).is_some()
}

/// Reads an article file of any supported format.
pub fn read_article(path: &Path) -> Result<Article, ImportError> {
    let Some(named) = Format::of_path(path) else {
        return Err(ImportError::Unsupported {
            path: path.to_owned(),
        });
    };
    let io = |source| ImportError::Io {
        path: path.to_owned(),
        source,
    };
    // A pipe, a device or a link to one is refused unopened (opening a pipe would block).
    let bytes = match crate::storage::read_regular(path, named.max_bytes()) {
        Ok(bytes) => bytes,
        Err(ReadError::Io(source)) => return Err(io(source)),
        Err(e @ ReadError::NotUtf8 { .. }) => return Err(io(e.into())),
        Err(ReadError::NotRegular { kind }) => {
            return Err(ImportError::NotRegular {
                path: path.to_owned(),
                kind,
            });
        }
        Err(ReadError::TooLarge { size, .. }) => {
            return Err(ImportError::TooLarge {
                path: path.to_owned(),
                size,
                format: named,
            });
        }
    };
    let size = bytes.len() as u64;
    let format = Format::sniff(&bytes).unwrap_or(named);
    if format.max_bytes() < size {
        return Err(ImportError::TooLarge {
            path: path.to_owned(),
            size,
            format,
        });
    }
    let (extracted, encoding) = extract(format, &bytes).map_err(|reason| {
        if format == Format::Text && text::looks_binary(&bytes) {
            ImportError::Binary {
                path: path.to_owned(),
            }
        } else {
            ImportError::Format {
                path: path.to_owned(),
                format,
                reason,
            }
        }
    })?;
    let provenance = Provenance {
        format: format.name().to_owned(),
        extractor: format!("{} {}", format.name(), format.extractor_version()),
        encoding: encoding.map(str::to_owned),
        file_fingerprint: crate::model::article::fingerprint_of_bytes(&bytes),
    };
    Ok(Article::from_extracted(extracted, provenance))
}

/// Turns a file's bytes into canonical text with the importer of `format`; also names the
/// character encoding for the formats that have one. Never panics (the fuzz tests hold every
/// importer to that); an error's message is a short sentence without the file's name.
pub fn extract(
    format: Format,
    bytes: &[u8],
) -> Result<(Extracted, Option<&'static str>), ExtractError> {
    // The parsers are third-party code: a panic in one of them is a file we cannot read, not
    // a crash of the app.
    let run =
        std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| extract_with(format, bytes)));
    let (mut extracted, encoding) = match run {
        Ok(result) => result?,
        Err(_) => return Err(ExtractError::ReaderFailed),
    };
    check_lines(&extracted.text)?;
    let day_first = extracted
        .meta
        .language
        .as_deref()
        .is_some_and(|l| !l.to_ascii_lowercase().starts_with("en"));
    extracted.meta.published = extracted.meta.published.map(|d| {
        let iso = normalise_date(&d);
        match chrono::NaiveDate::parse_from_str(iso.trim(), "%d/%m/%Y") {
            Ok(day) if day_first => day.format("%Y-%m-%d").to_string(),
            _ => iso,
        }
    });
    Ok((extracted, encoding))
}

fn extract_with(
    format: Format,
    bytes: &[u8],
) -> Result<(Extracted, Option<&'static str>), ExtractError> {
    Ok(match format {
        Format::Text => text::extract(bytes).map(|(e, enc)| (e, Some(enc)))?,
        Format::Markdown => {
            if text::looks_binary(bytes) {
                return Err(markdown::MarkdownError::Binary.into());
            }
            let (source, enc) = text::decode_bytes(bytes, None);
            // Checked before parsing: the parser's memory grows with lines and markup.
            check_lines(&source)?;
            markdown::check_markup(&source)?;
            (markdown::extract(&source), Some(enc))
        }
        Format::Html => html::extract(bytes).map(|(e, enc)| (e, Some(enc)))?,
        Format::Pdf => pdf::extract(bytes).map(|e| (e, None))?,
        Format::Docx => docx::extract(bytes).map(|e| (e, None))?,
    })
}

/// Refuses text with more than [`MAX_LINES`] non-empty lines.
fn check_lines(text: &str) -> Result<(), ExtractError> {
    let lines = text
        .split('\n')
        .filter(|l| !l.trim().is_empty())
        .take(MAX_LINES + 1)
        .count();
    if lines > MAX_LINES {
        return Err(ExtractError::TooManyLines);
    }
    Ok(())
}

/// The articles of a folder (not recursive), sorted by file name.
pub fn list_folder(dir: &Path) -> Result<Vec<PathBuf>, ImportError> {
    let io = |source| ImportError::Io {
        path: dir.to_owned(),
        source,
    };
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).map_err(io)? {
        let path = entry.map_err(io)?.path();
        if path.is_file() && is_article_path(&path) {
            out.push(path);
        }
    }
    out.sort();
    Ok(out)
}

/// A date as ISO 8601 when it can be read, else as given: what every importer does with the
/// publication date its file gives.
pub fn normalise_date(given: &str) -> String {
    use chrono::{DateTime, NaiveDate, NaiveDateTime, SecondsFormat};
    let s = given.trim();
    if let Ok(d) = DateTime::parse_from_rfc3339(s) {
        return d.to_rfc3339_opts(SecondsFormat::AutoSi, false);
    }
    if let Ok(d) = DateTime::parse_from_rfc2822(s) {
        return d.to_rfc3339_opts(SecondsFormat::AutoSi, false);
    }
    for f in [
        "%Y-%m-%dT%H:%M:%S%.f%z",
        "%Y-%m-%d %H:%M:%S%.f%z",
        "%Y-%m-%dT%H:%M%z",
    ] {
        if let Ok(d) = DateTime::parse_from_str(s, f) {
            return d.to_rfc3339_opts(SecondsFormat::AutoSi, false);
        }
    }
    for f in [
        "%Y-%m-%dT%H:%M:%S%.f",
        "%Y-%m-%d %H:%M:%S%.f",
        "%Y-%m-%dT%H:%M",
        "%Y-%m-%d %H:%M",
    ] {
        if let Ok(d) = NaiveDateTime::parse_from_str(s, f) {
            return d.format("%Y-%m-%dT%H:%M:%S%.f").to_string();
        }
    }
    for f in [
        "%Y-%m-%d",
        "%Y/%m/%d",
        "%Y.%m.%d",
        "%Y%m%d",
        "%d.%m.%Y",
        "%B %d, %Y",
        "%b %d, %Y",
        "%d %B %Y",
        "%d %b %Y",
    ] {
        if let Ok(d) = NaiveDate::parse_from_str(s, f) {
            return d.format("%Y-%m-%d").to_string();
        }
    }
    dates::from_words(s).unwrap_or_else(|| s.to_owned())
}

/// The bracket facing the other way, for the brackets and guillemets whose glyph a
/// right-to-left run mirrors (Unicode's Bidi_Mirroring_Glyph for them): the PDF importer turns
/// visual order back into logical order with it, and the article view draws with it.
pub fn mirrored(c: char) -> Option<char> {
    Some(match c {
        '(' => ')',
        ')' => '(',
        '[' => ']',
        ']' => '[',
        '{' => '}',
        '}' => '{',
        '<' => '>',
        '>' => '<',
        '«' => '»',
        '»' => '«',
        '‹' => '›',
        '›' => '‹',
        _ => return None,
    })
}

/// What every structured importer's unit tests check of its output.
#[cfg(test)]
pub(crate) fn assert_canonical(e: &Extracted) {
    let t = &e.text;
    assert!(!t.contains('\r'), "carriage return in {t:?}");
    assert!(!t.contains("\n\n\n"), "run of empty lines in {t:?}");
    assert!(!t.starts_with('\u{feff}'), "byte-order mark");
    assert!(!t.starts_with('\n') && !t.ends_with('\n'), "{t:?}");
    for line in t.split('\n') {
        assert_eq!(line, line.trim(), "line with spaces at an end: {line:?}");
        assert!(
            !line.contains("  ") && !line.contains('\t'),
            "double space or tab in {line:?}"
        );
    }
    let chars: Vec<char> = t.chars().collect();
    for m in &e.styles {
        assert!(m.span.start < m.span.end, "empty span {m:?}");
        assert!(m.span.end <= chars.len(), "span {m:?} past {}", chars.len());
        assert!(
            !chars[m.span.start..m.span.end].contains(&'\n'),
            "span {m:?} crosses a line"
        );
        let covered: String = chars[m.span.start..m.span.end].iter().collect();
        assert_eq!(covered, covered.trim(), "span {m:?} has spaces at an end");
    }
    assert!(
        e.meta.pages.windows(2).all(|w| w[0] <= w[1]),
        "pages in order"
    );
    assert!(
        e.meta.pages.iter().all(|&p| p <= chars.len()),
        "pages inside"
    );
}
