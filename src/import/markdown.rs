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
    let mut b = TextBuilder::with_capacity(source.len());
    let mut meta = Metadata::default();
    let mut quote_depth = 0usize;
    // One entry per open list: the next number, or None for bullets.
    let mut lists: Vec<Option<u64>> = Vec::new();
    let mut in_metadata = false;
    let mut in_code = false;
    let mut heading: Option<(u8, String)> = None;
    let mut cell = 0usize;
    let context = |quote_depth: usize| (quote_depth > 0).then_some(Style::Quote);
    for event in Parser::new_ext(&source, options) {
        match event {
            Event::Start(Tag::MetadataBlock(_)) => in_metadata = true,
            Event::End(TagEnd::MetadataBlock(_)) => in_metadata = false,
            Event::Text(t) if in_metadata => front_matter(&t, &mut meta),
            Event::Start(Tag::Heading { level, .. }) => {
                let n = heading_number(level);
                b.start_block(Some(Style::Heading(n)), "");
                heading = Some((n, String::new()));
            }
            Event::End(TagEnd::Heading(_)) => {
                b.end_block();
                if let Some((1, text)) = heading.take()
                    && meta.title.is_none()
                {
                    meta.title = Some(text.split_whitespace().collect::<Vec<_>>().join(" "));
                }
            }
            Event::Start(Tag::Paragraph) if !b.block_is_empty() => {
                b.start_block(context(quote_depth), "");
            }
            Event::End(TagEnd::Paragraph) if lists.is_empty() => {
                b.end_block();
            }
            Event::Start(Tag::BlockQuote(_)) => {
                b.end_block();
                quote_depth += 1;
            }
            Event::End(TagEnd::BlockQuote(_)) => {
                b.end_block();
                quote_depth = quote_depth.saturating_sub(1);
            }
            Event::Start(Tag::List(first)) => {
                b.end_block();
                lists.push(first);
            }
            Event::End(TagEnd::List(_)) => {
                b.end_block();
                lists.pop();
            }
            Event::Start(Tag::Item) => {
                let nested = lists.len() > 1;
                let prefix = match lists.last_mut() {
                    Some(Some(n)) => {
                        *n += 1;
                        format!("{}. ", *n - 1)
                    }
                    _ if nested => "◦ ".to_owned(),
                    _ => "• ".to_owned(),
                };
                b.start_block(Some(Style::ListItem), &prefix);
            }
            Event::End(TagEnd::Item) => {
                b.end_block();
            }
            Event::Start(Tag::CodeBlock(_)) => {
                b.end_block();
                in_code = true;
            }
            Event::End(TagEnd::CodeBlock) => in_code = false,
            Event::Text(t) if in_code => {
                for line in t.lines() {
                    b.start_block(Some(Style::Code), "");
                    b.push(line);
                    b.end_block();
                }
            }
            Event::Start(Tag::TableHead | Tag::TableRow) => {
                b.start_block(None, "");
                cell = 0;
            }
            Event::End(TagEnd::TableHead | TagEnd::TableRow) => {
                b.end_block();
            }
            Event::Start(Tag::TableCell) => {
                if cell > 0 {
                    b.push(" · ");
                }
                cell += 1;
            }
            Event::Start(Tag::FootnoteDefinition(label)) => {
                b.start_block(None, &format!("[{label}] "));
            }
            Event::End(TagEnd::FootnoteDefinition) => {
                b.end_block();
            }
            Event::Start(Tag::Emphasis) => b.open(Style::Emphasis),
            Event::End(TagEnd::Emphasis) => b.close(Style::Emphasis),
            Event::Start(Tag::Strong) => b.open(Style::Strong),
            Event::End(TagEnd::Strong) => b.close(Style::Strong),
            Event::Start(Tag::Link { .. }) => b.open(Style::Link),
            Event::End(TagEnd::Link) => b.close(Style::Link),
            Event::Text(t) => {
                if !b.in_block() {
                    b.start_block(context(quote_depth), "");
                }
                if let Some((_, h)) = &mut heading {
                    h.push_str(&t);
                }
                b.push(&t);
            }
            Event::Code(t) => {
                b.open(Style::Code);
                b.push(&t);
                b.close(Style::Code);
                if let Some((_, h)) = &mut heading {
                    h.push_str(&t);
                }
            }
            Event::SoftBreak | Event::HardBreak => b.push(" "),
            Event::FootnoteReference(label) => b.push(&format!("[{label}]")),
            // Raw HTML is neither shown nor run; rules, task markers and math are left out.
            _ => {}
        }
    }
    let (text, styles) = b.finish();
    Extracted { text, meta, styles }
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
