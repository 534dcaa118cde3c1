//! Where an article came from: what its file says about it ([`Metadata`]), how its canonical
//! text was made ([`Provenance`]), and how the text is shown ([`StyleMark`]: headings, quotes,
//! emphasis), all in terms of the canonical text's code points.

use serde::{Deserialize, Serialize};

use super::Span;

/// What a file says about its article. Every field is optional: plain text has none of them
/// (except a dateline's date), a saved web page most.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Metadata {
    /// The headline.
    pub title: Option<String>,
    /// The outlet or site name ("Reuters", "example.org").
    pub site: Option<String>,
    /// The author or byline, as given ("By Jane Doe and John Roe" becomes "Jane Doe and John Roe").
    pub author: Option<String>,
    /// The publication date, ISO 8601 (`2024-03-05` or a full timestamp) when it could be read,
    /// else as given.
    pub published: Option<String>,
    /// The page's canonical or original URL. Never fetched.
    pub url: Option<String>,
    /// The language tag the file declares (`ko`, `ar`, `en-GB`).
    pub language: Option<String>,
    /// PDF: the code-point offset in the canonical text where each page starts; page `k` (from 1)
    /// starts at `pages[k - 1]`. Empty for formats without pages.
    pub pages: Vec<usize>,
    /// Word: the reviewers' comments, in the file's order. They are not article text (no
    /// annotation can point into them), so they are listed in the article's header; like
    /// `pages`, the file gives them again and sidecars do not store them.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub comments: Vec<Comment>,
}

/// A reviewer's comment on a stretch of a document (Word's `w:comment`).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Comment {
    /// Who wrote it, as the file gives it.
    pub author: Option<String>,
    /// When, as the file gives it (usually ISO 8601).
    pub date: Option<String>,
    /// The comment's text, its paragraphs joined by spaces.
    pub text: String,
    /// The words of the article it is attached to, when it marks a range (shortened when long).
    pub quote: Option<String>,
}

impl Comment {
    /// One line for the header: `Author (date) on “words”: text`, each part when known.
    pub fn summary(&self) -> String {
        let mut out = self.author.clone().unwrap_or_else(|| "Comment".into());
        if let Some(date) = &self.date {
            out.push_str(&format!(" ({date})"));
        }
        if let Some(quote) = &self.quote {
            out.push_str(&format!(" on “{quote}”"));
        }
        out.push_str(": ");
        out.push_str(&self.text);
        out
    }
}

impl Metadata {
    /// The page (from 1) a code-point offset falls on, for paged formats.
    pub fn page_of(&self, pos: usize) -> Option<usize> {
        if self.pages.is_empty() {
            return None;
        }
        Some(self.pages.partition_point(|&start| start <= pos).max(1))
    }
}

/// How the canonical text was made from the file.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Provenance {
    /// The format the file was read as: `text`, `markdown`, `html`, `pdf`, `docx`.
    pub format: String,
    /// The extractor and its version (`html 1`): a later, better extractor has a higher version,
    /// and the sidecar's annotations are re-anchored when it changes the text.
    pub extractor: String,
    /// The character encoding the file was decoded from (`UTF-8`, `windows-1252`, `Shift_JIS`…).
    pub encoding: Option<String>,
    /// `sha256:<hex>` of the file's bytes as read.
    pub file_fingerprint: String,
}

/// What an importer makes of a file's bytes: the canonical text every offset refers to,
/// what the file says about the article, and how the text is shown.
///
/// The text is canonical: UTF-8, no byte-order mark, `\n` line ends. The structured formats
/// (Markdown, web pages, PDF, Word) give one line per paragraph (heading, list item, quote
/// paragraph…) with an empty line between paragraphs and no spaces at the ends of lines; plain
/// text keeps its own lines and spacing. [`StyleMark`] spans are code points into the text.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Extracted {
    pub text: String,
    pub meta: Metadata,
    pub styles: Vec<StyleMark>,
}

/// What a sidecar records of its article's file: how its text was made, what the file said
/// about it, and when Claimmark first saved annotations for it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SourceRecord {
    pub provenance: Provenance,
    /// The metadata (without page offsets and comments, which the file gives again).
    pub meta: Metadata,
    /// When the article was first annotated (RFC 3339).
    pub imported: String,
}

/// How a stretch of the canonical text is shown. Styles never change the text or its offsets.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Style {
    /// A heading of level 1 (largest) to 6.
    Heading(u8),
    /// A block quotation.
    Quote,
    /// An item of a list (its bullet or number is part of the text).
    ListItem,
    /// Preformatted text or code.
    Code,
    /// Italic.
    Emphasis,
    /// Bold.
    Strong,
    /// The text of a link (its target is not kept in the text).
    Link,
}

impl Style {
    /// A short name (`heading1`, `quote`, `list-item`…), as `claimmark show --format json` prints.
    pub fn name(self) -> String {
        match self {
            Self::Heading(n) => format!("heading{n}"),
            Self::Quote => "quote".into(),
            Self::ListItem => "list-item".into(),
            Self::Code => "code".into(),
            Self::Emphasis => "emphasis".into(),
            Self::Strong => "strong".into(),
            Self::Link => "link".into(),
        }
    }

    /// Styles that apply to whole blocks when they cover one (code may also be inline).
    pub fn is_block(self) -> bool {
        matches!(
            self,
            Self::Heading(_) | Self::Quote | Self::ListItem | Self::Code
        )
    }
}

/// A style over a code-point range of the canonical text.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct StyleMark {
    pub span: Span,
    pub style: Style,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages_are_found_by_offset() {
        let m = Metadata {
            pages: vec![0, 100, 250],
            ..Metadata::default()
        };
        assert_eq!(m.page_of(0), Some(1));
        assert_eq!(m.page_of(99), Some(1));
        assert_eq!(m.page_of(100), Some(2));
        assert_eq!(m.page_of(1000), Some(3));
        assert_eq!(Metadata::default().page_of(5), None);
    }

    #[test]
    fn a_comment_reads_as_one_line() {
        let full = Comment {
            author: Some("Ana Ruiz".into()),
            date: Some("2024-03-05".into()),
            text: "Source?".into(),
            quote: Some("rose by 40%".into()),
        };
        assert_eq!(
            full.summary(),
            "Ana Ruiz (2024-03-05) on “rose by 40%”: Source?"
        );
        let bare = Comment {
            text: "Check the date.".into(),
            ..Comment::default()
        };
        assert_eq!(bare.summary(), "Comment: Check the date.");
    }
}
