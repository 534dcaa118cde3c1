//! Builds canonical text block by block, with styles in code points: what the structured
//! importers (Markdown, …) share.

use crate::model::Span;
use crate::model::provenance::{Style, StyleMark};

/// Canonical text in the making: one line per block, an empty line between blocks, inline
/// whitespace collapsed to single spaces, no spaces at the ends of lines.
#[derive(Default)]
pub struct TextBuilder {
    text: String,
    /// Length of `text` in code points.
    chars: usize,
    styles: Vec<StyleMark>,
    /// Inline styles opened and not yet closed, with where they start.
    open: Vec<(Style, usize)>,
    /// The open block: its style, its first character, and text to put before its first word.
    block: Option<OpenBlock>,
    /// Whitespace was seen since the last character of the block.
    space: bool,
}

struct OpenBlock {
    style: Option<Style>,
    start: usize,
    prefix: String,
    has_text: bool,
}

impl TextBuilder {
    /// A builder whose text has room for `bytes` bytes (about the source's size), so that the
    /// text is not copied as it grows.
    pub fn with_capacity(bytes: usize) -> Self {
        Self {
            text: String::with_capacity(bytes),
            ..Self::default()
        }
    }

    /// Ends the open block (if any) and opens one with this style; `prefix` (a list bullet)
    /// is written before its first word.
    pub fn start_block(&mut self, style: Option<Style>, prefix: &str) {
        self.end_block();
        self.block = Some(OpenBlock {
            style,
            start: self.chars,
            prefix: prefix.to_owned(),
            has_text: false,
        });
    }

    /// True if a block is open and nothing has been written into it yet.
    pub fn block_is_empty(&self) -> bool {
        self.block.as_ref().is_some_and(|b| !b.has_text)
    }

    /// True if a block is open.
    pub fn in_block(&self) -> bool {
        self.block.is_some()
    }

    /// Ends the open block: records its style over its line. Returns the line's span, if the
    /// block had any text.
    pub fn end_block(&mut self) -> Option<Span> {
        let block = self.block.take()?;
        self.space = false;
        if !block.has_text {
            return None;
        }
        let span = Span {
            start: block.start,
            end: self.chars,
        };
        // Inline styles still open end with their block.
        for (style, start) in std::mem::take(&mut self.open) {
            self.mark(style, start, self.chars);
        }
        if let Some(style) = block.style {
            self.styles.push(StyleMark { span, style });
        }
        Some(span)
    }

    /// Appends text to the open block (opening a plain one if needed), collapsing whitespace.
    pub fn push(&mut self, text: &str) {
        for c in text.chars() {
            if c.is_whitespace() || c.is_control() {
                self.space = true;
            } else {
                self.put(c);
            }
        }
    }

    /// Opens an inline style at the current position.
    pub fn open(&mut self, style: Style) {
        self.flush_space();
        let at = self.chars;
        self.open.push((style, at));
    }

    /// Closes the innermost open inline style of this kind.
    pub fn close(&mut self, style: Style) {
        if let Some(i) = self.open.iter().rposition(|(s, _)| *s == style) {
            let (_, start) = self.open.remove(i);
            self.mark(style, start, self.chars);
        }
    }

    /// The text and its styles, sorted by position.
    pub fn finish(mut self) -> (String, Vec<StyleMark>) {
        self.end_block();
        let mut styles = self.styles;
        styles.sort_by_key(|m| (m.span.start, std::cmp::Reverse(m.span.end)));
        (self.text, styles)
    }

    fn mark(&mut self, style: Style, start: usize, end: usize) {
        if end > start {
            self.styles.push(StyleMark {
                span: Span { start, end },
                style,
            });
        }
    }

    /// Writes a pending space (only between words of a block).
    fn flush_space(&mut self) {
        if self.space
            && self.block.as_ref().is_some_and(|b| b.has_text)
            && !self.text.ends_with(' ')
        {
            self.text.push(' ');
            self.chars += 1;
        }
        self.space = false;
    }

    fn put(&mut self, c: char) {
        if self.block.is_none() {
            self.start_block(None, "");
        }
        let starting = self.block.as_ref().is_some_and(|b| !b.has_text);
        if starting {
            if !self.text.is_empty() {
                self.text.push_str("\n\n");
                self.chars += 2;
            }
            let block = self.block.as_mut().expect("a block is open");
            block.start = self.chars;
            block.has_text = true;
            let prefix = std::mem::take(&mut block.prefix);
            self.text.push_str(&prefix);
            self.chars += prefix.chars().count();
            // Inline styles opened before the block's first character start at it.
            let at = self.chars;
            for (_, start) in &mut self.open {
                *start = at;
            }
            self.space = false;
        } else {
            self.flush_space();
        }
        self.text.push(c);
        self.chars += 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blocks_are_lines_separated_by_an_empty_line_and_styles_count_code_points() {
        let mut b = TextBuilder::default();
        b.start_block(Some(Style::Heading(1)), "");
        b.push("  Título   del día ");
        b.end_block();
        b.start_block(Some(Style::ListItem), "• ");
        b.push("한국 ");
        b.open(Style::Strong);
        b.push(" 경제 ");
        b.close(Style::Strong);
        b.push("\n news");
        b.end_block();
        b.start_block(None, "");
        b.end_block(); // empty: leaves nothing
        let (text, styles) = b.finish();
        assert_eq!(text, "Título del día\n\n• 한국 경제 news");
        let strong = styles
            .iter()
            .find(|m| m.style == Style::Strong)
            .expect("strong");
        let chars: Vec<char> = text.chars().collect();
        let word: String = chars[strong.span.start..strong.span.end].iter().collect();
        assert_eq!(word, "경제");
        assert!(styles.contains(&StyleMark {
            span: Span { start: 0, end: 14 },
            style: Style::Heading(1)
        }));
        assert!(styles.contains(&StyleMark {
            span: Span { start: 16, end: 28 },
            style: Style::ListItem
        }));
    }
}
