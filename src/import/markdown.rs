//! Markdown, rendered for reading by `pulldown-cmark` (CommonMark with tables, footnotes and
//! YAML front matter): headings, paragraphs, list items (with their bullet or number in the
//! text), block quotes, code, emphasis, bold and links (shown as their text). Raw HTML in the
//! file is not shown and never run. The title is the front matter's `title`, else the first
//! level-1 heading; `author`, `date`, `url` and `site` come from the front matter.

use pulldown_cmark::{Event, HeadingLevel, Options, Parser, Tag, TagEnd};

use super::Extracted;
use super::builder::TextBuilder;
use crate::model::provenance::{Metadata, Style};

/// Bumped whenever a change to this module can change the text it produces for the same file.
pub const EXTRACTOR_VERSION: u32 = 1;

/// Markdown files with more inline markup characters than this are refused: the parser keeps a
/// node for each (and the article a style for each pair), so 44 MB of `*a* ` took 4.3 GB.
/// A heavily marked-up 45 MB file has about 2 million.
pub const MAX_MARKUP: usize = 4_000_000;

/// Why a file is not a Markdown article Claimmark opens.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum MarkdownError {
    /// See [`super::text::looks_binary`].
    #[error("this looks like a binary file, not Markdown")]
    Binary,
    /// More than [`MAX_MARKUP`] markup characters.
    #[error(
        "it has {count} markup characters (*, _, `, [, ] …); Claimmark opens Markdown files with at most {MAX_MARKUP}"
    )]
    TooMuchMarkup { count: usize },
}

/// Refuses a source with more than [`MAX_MARKUP`] inline markup characters (`*`, `_`, `` ` ``,
/// `[`, `]`, `<`, `~`, `&`, `\`), counted before parsing.
pub fn check_markup(source: &str) -> Result<(), MarkdownError> {
    let markup = source
        .bytes()
        .filter(|b| {
            matches!(
                b,
                b'*' | b'_' | b'`' | b'[' | b']' | b'<' | b'~' | b'&' | b'\\'
            )
        })
        .count();
    if markup > MAX_MARKUP {
        return Err(MarkdownError::TooMuchMarkup { count: markup });
    }
    Ok(())
}

/// A Markdown article (already decoded text).
pub fn extract(source: &str) -> Extracted {
    // Most files are canonical already (no BOM, no CR): no copy of the whole source then.
    let source = if source.starts_with('\u{feff}') || source.contains('\r') {
        std::borrow::Cow::Owned(crate::model::article::canonicalize(source))
    } else {
        std::borrow::Cow::Borrowed(source)
    };
    let options = Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_YAML_STYLE_METADATA_BLOCKS;
    let mut reader = Reader::new(source.len());
    for event in Parser::new_ext(&source, options) {
        reader.event(event);
    }
    let (text, styles) = reader.b.finish();
    Extracted {
        text,
        meta: reader.meta,
        styles,
    }
}

/// The state of one pass over the parser's events: the text being built and where in the
/// document the events are.
struct Reader {
    b: TextBuilder,
    meta: Metadata,
    quote_depth: usize,
    /// One entry per open list: the next number, or None for bullets.
    lists: Vec<Option<u64>>,
    in_metadata: bool,
    in_code: bool,
    /// The level and text of the heading being read.
    heading: Option<(u8, String)>,
    /// Cells so far in the table row being read.
    cell: usize,
}

impl Reader {
    fn new(capacity: usize) -> Self {
        Self {
            b: TextBuilder::with_capacity(capacity),
            meta: Metadata::default(),
            quote_depth: 0,
            lists: Vec::new(),
            in_metadata: false,
            in_code: false,
            heading: None,
            cell: 0,
        }
    }

    /// The style of a paragraph here: a quote inside a block quote.
    fn context(&self) -> Option<Style> {
        (self.quote_depth > 0).then_some(Style::Quote)
    }

    fn event(&mut self, event: Event<'_>) {
        match event {
            Event::Start(tag) => self.start(tag),
            Event::End(tag) => self.end(tag),
            Event::Text(t) => self.text(&t),
            Event::Code(t) => {
                self.b.open(Style::Code);
                self.b.push(&t);
                self.b.close(Style::Code);
                if let Some((_, h)) = &mut self.heading {
                    h.push_str(&t);
                }
            }
            Event::SoftBreak | Event::HardBreak => self.b.push(" "),
            Event::FootnoteReference(label) => self.b.push(&format!("[{label}]")),
            // Raw HTML is neither shown nor run; rules, task markers and math are left out.
            _ => {}
        }
    }

    fn start(&mut self, tag: Tag<'_>) {
        let b = &mut self.b;
        match tag {
            Tag::MetadataBlock(_) => self.in_metadata = true,
            Tag::Heading { level, .. } => {
                let n = heading_number(level);
                b.start_block(Some(Style::Heading(n)), "");
                self.heading = Some((n, String::new()));
            }
            Tag::Paragraph if !b.block_is_empty() => {
                let context = self.context();
                self.b.start_block(context, "");
            }
            Tag::BlockQuote(_) => {
                b.end_block();
                self.quote_depth += 1;
            }
            Tag::List(first) => {
                b.end_block();
                self.lists.push(first);
            }
            Tag::Item => {
                let nested = self.lists.len() > 1;
                let prefix = match self.lists.last_mut() {
                    Some(Some(n)) => {
                        *n += 1;
                        format!("{}. ", *n - 1)
                    }
                    _ if nested => "◦ ".to_owned(),
                    _ => "• ".to_owned(),
                };
                b.start_block(Some(Style::ListItem), &prefix);
            }
            Tag::CodeBlock(_) => {
                b.end_block();
                self.in_code = true;
            }
            Tag::TableHead | Tag::TableRow => {
                b.start_block(None, "");
                self.cell = 0;
            }
            Tag::TableCell => {
                if self.cell > 0 {
                    b.push(" · ");
                }
                self.cell += 1;
            }
            Tag::FootnoteDefinition(label) => b.start_block(None, &format!("[{label}] ")),
            Tag::Emphasis => b.open(Style::Emphasis),
            Tag::Strong => b.open(Style::Strong),
            Tag::Link { .. } => b.open(Style::Link),
            _ => {}
        }
    }

    fn end(&mut self, tag: TagEnd) {
        let b = &mut self.b;
        match tag {
            TagEnd::MetadataBlock(_) => self.in_metadata = false,
            TagEnd::Heading(_) => {
                b.end_block();
                if let Some((1, text)) = self.heading.take()
                    && self.meta.title.is_none()
                {
                    self.meta.title = Some(text.split_whitespace().collect::<Vec<_>>().join(" "));
                }
            }
            TagEnd::Paragraph if self.lists.is_empty() => {
                b.end_block();
            }
            TagEnd::BlockQuote(_) => {
                b.end_block();
                self.quote_depth = self.quote_depth.saturating_sub(1);
            }
            TagEnd::List(_) => {
                b.end_block();
                self.lists.pop();
            }
            TagEnd::Item | TagEnd::TableHead | TagEnd::TableRow | TagEnd::FootnoteDefinition => {
                b.end_block();
            }
            TagEnd::CodeBlock => self.in_code = false,
            TagEnd::Emphasis => b.close(Style::Emphasis),
            TagEnd::Strong => b.close(Style::Strong),
            TagEnd::Link => b.close(Style::Link),
            _ => {}
        }
    }

    /// Text: front matter, lines of a code block, or text of the current block.
    fn text(&mut self, t: &str) {
        if self.in_metadata {
            front_matter(t, &mut self.meta);
        } else if self.in_code {
            for line in t.lines() {
                self.b.start_block(Some(Style::Code), "");
                self.b.push(line);
                self.b.end_block();
            }
        } else {
            if !self.b.in_block() {
                let context = self.context();
                self.b.start_block(context, "");
            }
            if let Some((_, h)) = &mut self.heading {
                h.push_str(t);
            }
            self.b.push(t);
        }
    }
}

fn heading_number(level: HeadingLevel) -> u8 {
    match level {
        HeadingLevel::H1 => 1,
        HeadingLevel::H2 => 2,
        HeadingLevel::H3 => 3,
        HeadingLevel::H4 => 4,
        HeadingLevel::H5 => 5,
        HeadingLevel::H6 => 6,
    }
}

/// Reads `key: value` lines of YAML front matter (only the plain scalars Claimmark uses).
fn front_matter(text: &str, meta: &mut Metadata) {
    for line in text.lines() {
        let Some((key, value)) = line.split_once(':') else {
            continue;
        };
        let value = value.trim().trim_matches(['"', '\'']).trim();
        if value.is_empty() {
            continue;
        }
        let slot = match key.trim().to_ascii_lowercase().as_str() {
            "title" => &mut meta.title,
            "author" | "byline" => &mut meta.author,
            "date" | "published" => &mut meta.published,
            "url" | "source" | "canonical_url" => &mut meta.url,
            "site" | "outlet" | "publication" => &mut meta.site,
            "lang" | "language" => &mut meta.language,
            _ => continue,
        };
        *slot = Some(value.to_owned());
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::provenance::StyleMark;

    fn styled(e: &Extracted, style: Style) -> Vec<String> {
        let chars: Vec<char> = e.text.chars().collect();
        e.styles
            .iter()
            .filter(|m: &&StyleMark| m.style == style)
            .map(|m| chars[m.span.start..m.span.end].iter().collect())
            .collect()
    }

    #[test]
    fn markdown_is_rendered_for_reading() {
        let src = "---\ntitle: \"Port reopens\"\nauthor: Jane Roe\ndate: 2024-03-05\n---\n\n\
                   # Port reopens after *three* weeks\r\n\r\n\
                   The ministry **said** the port\nwould reopen, [according to](https://x.example) officials.\n\n\
                   > \"We are ready,\" the harbour master said.\n>\n> Second quoted paragraph.\n\n\
                   - grain\n- fuel\n  1. diesel\n  2. petrol\n\n\
                   <script>alert(1)</script>\n\n\
                   ```\nlet x = 1;\n```\n";
        let e = extract(src);
        crate::import::assert_canonical(&e);
        assert_eq!(
            e.text,
            "Port reopens after three weeks\n\n\
             The ministry said the port would reopen, according to officials.\n\n\
             \"We are ready,\" the harbour master said.\n\n\
             Second quoted paragraph.\n\n\
             • grain\n\n• fuel\n\n1. diesel\n\n2. petrol\n\n\
             let x = 1;"
        );
        assert_eq!(e.meta.title.as_deref(), Some("Port reopens"));
        assert_eq!(e.meta.author.as_deref(), Some("Jane Roe"));
        assert_eq!(e.meta.published.as_deref(), Some("2024-03-05"));
        assert_eq!(
            styled(&e, Style::Heading(1)),
            ["Port reopens after three weeks"]
        );
        assert_eq!(styled(&e, Style::Emphasis), ["three"]);
        assert_eq!(styled(&e, Style::Strong), ["said"]);
        assert_eq!(styled(&e, Style::Link), ["according to"]);
        assert_eq!(
            styled(&e, Style::Quote),
            [
                "\"We are ready,\" the harbour master said.",
                "Second quoted paragraph."
            ]
        );
        assert_eq!(styled(&e, Style::ListItem).len(), 4);
        assert_eq!(styled(&e, Style::Code), ["let x = 1;"]);
    }

    /// 44 MB of `*a* ` took 4.3 GB and 21 s; 60 MB of two-letter paragraphs 3.1 GB. Both are
    /// refused by counting, before the parser sees them.
    #[test]
    fn markup_and_line_bombs_are_refused_before_parsing() {
        use crate::import::{Format, MAX_LINES};
        let emphasis = "*a* ".repeat(MAX_MARKUP / 2 + 1);
        let err =
            crate::import::extract(Format::Markdown, emphasis.as_bytes()).expect_err("refused");
        assert!(
            matches!(
                err,
                crate::import::ExtractError::Markdown(MarkdownError::TooMuchMarkup { .. })
            ),
            "{err:?}"
        );
        assert_eq!(err.kind(), crate::import::ErrorKind::TooLarge);
        assert!(err.to_string().contains("markup characters"), "{err}");
        let lines = "ab\n\n".repeat(MAX_LINES + 1);
        let err = crate::import::extract(Format::Markdown, lines.as_bytes()).expect_err("refused");
        assert_eq!(err, crate::import::ExtractError::TooManyLines);
        assert!(err.to_string().contains("lines (paragraphs)"), "{err}");
        // Just under both limits reads.
        let ok = "*a* ".repeat(1_000) + &"ab\n\n".repeat(1_000);
        assert!(crate::import::extract(Format::Markdown, ok.as_bytes()).is_ok());
    }

    #[test]
    fn the_first_heading_is_the_title_without_front_matter() {
        let e = extract("Intro line\n\n# 서울, 3월 5일\n\n본문입니다.");
        crate::import::assert_canonical(&e);
        assert_eq!(e.meta.title.as_deref(), Some("서울, 3월 5일"));
        assert_eq!(e.text, "Intro line\n\n서울, 3월 5일\n\n본문입니다.");
    }
}
