//! Saved web pages (`.html`, `.htm`, `.xhtml`): the article of the page as canonical text.
//!
//! The page is decoded (BOM, then the `<meta>` charset found in its first 4 KB, then UTF-8, else
//! a guess), parsed by html5ever (through `dom_query`), and its metadata is read from `<meta>`
//! tags, `<link rel=canonical>`, `<time>` and JSON-LD (read as data only). The article body is
//! found by `dom_smoothie`, a port of Mozilla's Readability; if it finds nothing, the page's
//! `<body>` is read with navigation, headers, footers, asides, forms and clutter (cookie, share,
//! related, comment, newsletter and ad boxes, and small boxes around buttons and fields) left
//! out. The body is then walked once to make
//! one line per block (paragraph, heading, list item, quote paragraph, caption) with an empty
//! line between blocks, and styles in code points. The headline comes first, then the
//! standfirst printed beside it when the body's box left it out; furniture lines go (bylines
//! and datelines, a label above the headline, "Read also" links, copyright lines, a reporter's
//! email signature, separator lines, headings with nothing after them). Nothing in a page is executed or
//! fetched. `tests/core/web_extraction.rs` scores the result against reference texts.

use dom_query::{Document, NodeRef};
use dom_smoothie::{Config, Readability};
use serde_json::Value;

use crate::import::{Extracted, normalise_date};
use crate::model::Span;
use crate::model::provenance::{Metadata, Style, StyleMark};

/// Bumped whenever a change to this module can change the text it produces for the same file.
pub const EXTRACTOR_VERSION: u32 = 4;

/// How much of the file is searched for a `<meta>` charset declaration.
const PRESCAN_BYTES: usize = 4096;
/// Elements nested deeper than this are read as their text only: pages never need more, and
/// the article finder slows down badly on pathological nesting.
const MAX_DEPTH: usize = 256;
/// Tags nested deeper than this in the source are dropped before parsing (their text is kept):
/// the HTML parser's work per tag grows with the depth, so 100,000 nested `div`s took 46 s.
const MAX_PARSE_DEPTH: usize = 1_000;
/// Pages with more elements than this are refused: the parsed page and the article finder's
/// copies cost some 700 bytes an element (3 million `span`s in 48 MB took 2.3 GB). Long
/// real pages have tens of thousands.
const MAX_ELEMENTS: usize = 500_000;
/// Why a saved web page gave no article; the message is a short plain sentence without the
/// file name (the caller adds it).
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum HtmlError {
    #[error("the page has no readable article text")]
    NoText,
    /// More than `MAX_ELEMENTS` elements: refused before parsing.
    #[error(
        "the page has more than {MAX_ELEMENTS} elements; Claimmark opens pages with at most that many"
    )]
    TooManyElements,
}

/// Extracts the article of a saved web page.
pub fn extract(bytes: &[u8]) -> Result<(Extracted, &'static str), HtmlError> {
    let declared = prescan_charset(&bytes[..bytes.len().min(PRESCAN_BYTES)]);
    let (html, encoding) = crate::import::text::decode_bytes(bytes, declared.as_deref());
    let html = limit_nesting(&html)?;

    let doc = parse_page(&html);
    let page = read_page_info(&doc);
    remove_clutter(&doc);
    remove_widgets(&doc);
    protect_article_text(&doc);

    let mut blocks = readable_blocks(doc);
    if !has_body(&blocks, &page) {
        let doc = parse_page(&html);
        blocks = match doc.body() {
            Some(body) => collect_blocks(&body, true),
            None => Vec::new(),
        };
    }
    let extracted = assemble(blocks, page).ok_or(HtmlError::NoText)?;
    Ok((extracted, encoding))
}

// ---------------------------------------------------------------------------------------------
// Character encoding

/// The charset label of the first `<meta charset=…>` or `<meta http-equiv=… content="…;
/// charset=…">` in `head` that names an encoding, ASCII-case-insensitively; else the encoding
/// of an XHTML file's `<?xml … encoding="…"?>` declaration.
fn prescan_charset(head: &[u8]) -> Option<String> {
    let lower = head.to_ascii_lowercase();
    meta_charset(&lower).or_else(|| {
        let decl = lower.strip_prefix(b"<?xml")?;
        let end = find(decl, b"?>")?;
        let decl = String::from_utf8_lossy(&decl[..end]).replace("encoding", "charset");
        charset_in_tag(decl.as_bytes())
    })
}

fn meta_charset(lower: &[u8]) -> Option<String> {
    let mut from = 0;
    while let Some(offset) = find(&lower[from..], b"<meta") {
        let start = from + offset + b"<meta".len();
        let end = lower[start..]
            .iter()
            .position(|&b| b == b'>')
            .map_or(lower.len(), |p| start + p);
        if let Some(label) = charset_in_tag(&lower[start..end]) {
            return Some(label);
        }
        from = end;
    }
    None
}

/// The label after a `charset=` in one (lower-cased) tag, if it names a known encoding.
fn charset_in_tag(tag: &[u8]) -> Option<String> {
    let mut from = 0;
    while let Some(offset) = find(&tag[from..], b"charset") {
        let mut k = from + offset + b"charset".len();
        from = k;
        while tag.get(k).is_some_and(u8::is_ascii_whitespace) {
            k += 1;
        }
        if tag.get(k) != Some(&b'=') {
            continue;
        }
        k += 1;
        while tag
            .get(k)
            .is_some_and(|b| b.is_ascii_whitespace() || *b == b'"' || *b == b'\'')
        {
            k += 1;
        }
        let label_start = k;
        while tag
            .get(k)
            .is_some_and(|b| b.is_ascii_alphanumeric() || b"-_.:".contains(b))
        {
            k += 1;
        }
        let label = std::str::from_utf8(&tag[label_start..k]).unwrap_or_default();
        // A declaration readable as ASCII means the file is not UTF-16 (as the HTML standard
        // says), and x-user-defined is read as windows-1252.
        let label = if label.starts_with("utf-16") {
            "utf-8"
        } else if label == "x-user-defined" {
            "windows-1252"
        } else {
            label
        };
        if encoding_rs::Encoding::for_label(label.as_bytes()).is_some() {
            return Some(label.to_owned());
        }
    }
    None
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

// ---------------------------------------------------------------------------------------------
// Parsing

/// The page with every tag nested deeper than [`MAX_PARSE_DEPTH`] left out (each replaced by a
/// space, so words stay apart), found in one pass over the source; the page itself when it
/// nests less (nearly always). Err: the page has more than [`MAX_ELEMENTS`] elements.
///
/// The depth is counted the way the parser's stack of open elements grows, roughly: elements
/// that close themselves (`p`, `li`, table cells…), void elements (`br`, `img`…), self-closed
/// tags inside SVG and MathML, comments, and the contents of `script`, `style` and the like do
/// not count. Being rough only matters beyond the limit, where real pages never go.
fn limit_nesting(html: &str) -> Result<std::borrow::Cow<'_, str>, HtmlError> {
    let b = html.as_bytes();
    let mut elements = 0usize;
    let mut depth = 0usize;
    let mut foreign = 0usize;
    let mut dropped: Vec<std::ops::Range<usize>> = Vec::new();
    let mut i = 0;
    while let Some(offset) = b[i..].iter().position(|&c| c == b'<') {
        let start = i + offset;
        i = start + 1;
        if b[i..].starts_with(b"!--") {
            i = find(&b[i + 3..], b"-->").map_or(b.len(), |p| i + 3 + p + 3);
            continue;
        }
        let closing = b.get(i) == Some(&b'/');
        let name_start = i + usize::from(closing);
        if !b.get(name_start).is_some_and(u8::is_ascii_alphabetic) {
            if matches!(b.get(i), Some(b'!' | b'?')) {
                i = b[i..]
                    .iter()
                    .position(|&c| c == b'>')
                    .map_or(b.len(), |p| i + p + 1);
            }
            continue;
        }
        let name_end = b[name_start..]
            .iter()
            .position(|c| c.is_ascii_whitespace() || matches!(c, b'/' | b'>'))
            .map_or(b.len(), |p| name_start + p);
        let name = b[name_start..name_end].to_ascii_lowercase();
        let j = tag_close(b, name_end);
        let end = (j + 1).min(b.len());
        i = end;
        let self_closed = j > name_end && b[j - 1] == b'/';
        let name = name.as_slice();
        if !closing {
            elements += 1;
            if elements > MAX_ELEMENTS {
                return Err(HtmlError::TooManyElements);
            }
        }
        if matches!(name, b"svg" | b"math") {
            match (closing, self_closed) {
                (false, false) => foreign += 1,
                (true, _) => foreign = foreign.saturating_sub(1),
                _ => {}
            }
        }
        if is_raw_text(name) {
            if closing {
                continue;
            }
            // Nothing inside is markup.
            i = end_tag_of(b, i, name);
            continue;
        }
        if !counts_for_depth(name) || (!closing && self_closed && foreign > 0) {
            continue;
        }
        if closing {
            if depth > MAX_PARSE_DEPTH {
                dropped.push(start..end);
            }
            depth = depth.saturating_sub(1);
        } else {
            depth += 1;
            if depth > MAX_PARSE_DEPTH {
                dropped.push(start..end);
            }
        }
    }
    if dropped.is_empty() {
        return Ok(std::borrow::Cow::Borrowed(html));
    }
    Ok(std::borrow::Cow::Owned(without_tags(html, &dropped)))
}

/// Where the tag whose name ends at `from` closes: the index of its `>` past quoted attribute
/// values (the end of `b` if it never closes).
fn tag_close(b: &[u8], from: usize) -> usize {
    let mut j = from;
    let mut quote = None;
    while j < b.len() {
        match (quote, b[j]) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, c @ (b'"' | b'\'')) => quote = Some(c),
            (None, b'>') => break,
            _ => {}
        }
        j += 1;
    }
    j
}

/// Where the end tag of the raw-text element `name` (`</script>`…) starts, looking from
/// `from`; the end of `b` if there is none.
fn end_tag_of(b: &[u8], from: usize, name: &[u8]) -> usize {
    let mut k = from;
    while let Some(p) = find(&b[k..], b"</") {
        let at = k + p + 2;
        if b.len() >= at + name.len() && b[at..at + name.len()].eq_ignore_ascii_case(name) {
            return at - 2;
        }
        k = at;
    }
    b.len()
}

/// `html` with each of the `dropped` tags (in order, not overlapping) replaced by a space.
fn without_tags(html: &str, dropped: &[std::ops::Range<usize>]) -> String {
    let mut out = String::with_capacity(html.len());
    let mut at = 0;
    for range in dropped {
        // Tags are ASCII-delimited, so the ranges fall on character boundaries.
        out.push_str(&html[at..range.start]);
        out.push(' ');
        at = range.end;
    }
    out.push_str(&html[at..]);
    out
}

/// Elements whose contents are text, not markup, for the parser.
fn is_raw_text(name: &[u8]) -> bool {
    matches!(
        name,
        b"script"
            | b"style"
            | b"textarea"
            | b"title"
            | b"xmp"
            | b"iframe"
            | b"noembed"
            | b"noframes"
    )
}

/// False for elements that never stay open on the parser's stack for long: void elements and
/// those a sibling closes implicitly.
fn counts_for_depth(name: &[u8]) -> bool {
    !matches!(
        name,
        b"area"
            | b"base"
            | b"br"
            | b"col"
            | b"embed"
            | b"hr"
            | b"img"
            | b"input"
            | b"link"
            | b"meta"
            | b"param"
            | b"source"
            | b"track"
            | b"wbr"
            | b"keygen"
            | b"frame"
            | b"basefont"
            | b"bgsound"
            | b"p"
            | b"li"
            | b"dt"
            | b"dd"
            | b"option"
            | b"optgroup"
            | b"tr"
            | b"td"
            | b"th"
            | b"thead"
            | b"tbody"
            | b"tfoot"
            | b"colgroup"
            | b"caption"
            | b"rb"
            | b"rt"
            | b"rtc"
            | b"rp"
    )
}

/// Parses a page and flattens pathological nesting.
fn parse_page(html: &str) -> Document {
    let doc = Document::from(html);
    let mut too_deep = Vec::new();
    let mut stack = vec![(doc.root(), 0usize)];
    while let Some((node, depth)) = stack.pop() {
        if depth >= MAX_DEPTH && node.is_element() && node.first_child().is_some() {
            too_deep.push(node);
            continue;
        }
        let mut child = node.first_child();
        while let Some(c) = child {
            child = c.next_sibling();
            stack.push((c, depth + 1));
        }
    }
    for node in too_deep {
        let text = node.text();
        node.set_text(text);
    }
    doc
}

/// Takes hidden elements and clutter boxes out of the page, except boxes that hold the article
/// (a class word like "ads" on a wrapper must not cost the article).
fn remove_clutter(doc: &Document) {
    let Some(body) = doc.body() else {
        return;
    };
    let total = body.text().chars().count();
    let mut doomed = Vec::new();
    let mut stack = vec![body];
    while let Some(node) = stack.pop() {
        if !node.is_element() {
            continue;
        }
        if is_hidden(&node) || (is_clutter(&node) && !holds_article(&node, total)) {
            doomed.push(node);
            continue;
        }
        let mut child = node.first_child();
        while let Some(c) = child {
            child = c.next_sibling();
            stack.push(c);
        }
    }
    for node in doomed {
        node.remove_from_parent();
    }
}

/// Takes out the small boxes around form controls: share bars of buttons, subscription
/// offers, newsletter sign-ups, polls, comment forms. From each button, field or list, the
/// largest of its nearest four ancestors that is still a widget goes.
fn remove_widgets(doc: &Document) {
    let controls: Vec<NodeRef> = doc
        .select("button, input, select, textarea")
        .nodes()
        .to_vec();
    let mut doomed = Vec::new();
    // Ancestors found not to be widgets: each is judged once, however many controls it holds.
    let mut not_widgets = std::collections::HashSet::new();
    for control in controls {
        let mut widget = None;
        let mut node = control;
        for _ in 0..4 {
            let Some(parent) = node.parent() else {
                break;
            };
            let container = parent
                .node_name()
                .is_some_and(|n| !matches!(&*n, "body" | "html" | "article" | "main"));
            if !parent.is_element() || !container || not_widgets.contains(&parent.id) {
                break;
            }
            if !is_widget(&parent) {
                not_widgets.insert(parent.id);
                break;
            }
            widget = Some(parent);
            node = parent;
        }
        doomed.extend(widget);
    }
    for node in doomed {
        node.remove_from_parent();
    }
}

/// A box of at most 300 characters with no headline and no paragraph of prose in it.
fn is_widget(node: &NodeRef) -> bool {
    const MAX: usize = 300;
    let mut len = 0;
    for d in node.descendants_it() {
        if d.is_text() {
            len += d.text().chars().count();
            if len > MAX {
                return false;
            }
        }
    }
    !node.descendants_it().any(|d| {
        d.node_name()
            .is_some_and(|n| matches!(&*n, "h1" | "h2" | "article" | "main"))
            || (d.has_name("p") && reads_as_article_text(&d))
    })
}

/// Takes the class and id off the article's sub-headings (`h2`–`h6`) and prose paragraphs that
/// survived [`remove_clutter`]: Readability drops any element whose class or id merely
/// contains a word such as "header", "extra" or "comment", so `<h2 class="subheader">` would
/// cost the article its sub-headings. What a class says is judged once, by our own rules.
fn protect_article_text(doc: &Document) {
    let Some(body) = doc.body() else {
        return;
    };
    let protected: Vec<_> = body
        .descendants_it()
        .filter(|node| {
            let heading = node
                .node_name()
                .is_some_and(|n| matches!(&*n, "h2" | "h3" | "h4" | "h5" | "h6"));
            heading || (node.has_name("p") && reads_as_article_text(node))
        })
        .collect();
    for node in protected {
        node.remove_attrs(&["class", "id"]);
    }
}

/// True if an element holds the article: an `<article>`, `<main>` or `<h1>`, or much of the text.
fn holds_article(node: &NodeRef, total_chars: usize) -> bool {
    let landmark = node.descendants_it().any(|d| {
        d.node_name()
            .is_some_and(|n| matches!(&*n, "article" | "main" | "h1"))
            || d.attr("itemprop")
                .is_some_and(|v| v.contains("articleBody"))
    });
    landmark || node.text().chars().count() * 3 > total_chars
}

// ---------------------------------------------------------------------------------------------
// Metadata

/// What the page says about its article, and what of it may also stand in the body.
struct PageInfo {
    meta: Metadata,
    /// The headline shown first: the article's `<h1>`, else the title.
    headline: Option<String>,
    /// Texts in the page that are metadata (byline, author, date): lines made of them are not
    /// body lines.
    meta_lines: Vec<String>,
    /// Lines that are labels when they stand alone (the section name).
    labels: Vec<String>,
    /// The standfirst (dek, lead, sapo) printed under the headline, outside the body's box.
    standfirst: Option<String>,
}

fn read_page_info(doc: &Document) -> PageInfo {
    let metas = MetaTags::read(doc);
    let ld = JsonLd::read(doc);

    let url = page_url(doc, &metas);
    let site = metas
        .get(&["og:site_name"])
        .or_else(|| ld.publisher())
        .or_else(|| metas.get(&["application-name"]))
        .or_else(|| url.as_deref().and_then(host_of));
    let page_title = doc
        .select("title")
        .iter()
        .next()
        .map(|t| clean_inline(&t.text()))
        .filter(|t| !t.is_empty())
        .map(|t| split_title(&t, site.as_deref()));
    let site = site.or_else(|| page_title.as_ref().and_then(|(_, s)| s.clone()));

    let h1 = article_h1(doc, site.as_deref());
    let title = metas
        .get(&["og:title"])
        .or_else(|| ld.text("headline"))
        .or_else(|| h1.clone())
        .or_else(|| metas.get(&["twitter:title"]))
        .or_else(|| page_title.map(|(t, _)| t));

    let byline_nodes = byline_texts(doc);
    let author = page_author(doc, &metas, &ld, &byline_nodes, site.as_deref());
    let times = page_times(doc);
    let published_given = page_published(doc, &metas, &ld, &times, title.as_deref());
    let published = published_given.as_deref().map(normalise_date);
    let language = page_language(doc, &metas);

    let mut meta_lines = byline_nodes;
    meta_lines.extend(meta_boxes(doc));
    meta_lines.extend(times.into_iter().map(|(_, text)| text));
    meta_lines.extend(author.clone());
    meta_lines.extend(published_given);
    meta_lines.retain(|l| !l.is_empty());
    // Longest first, so that a line is taken apart by whole pieces.
    meta_lines.sort_by_key(|l| std::cmp::Reverse(l.chars().count()));
    meta_lines.dedup();
    // A section label ("Environment") above the headline.
    let labels = metas.get(&["article:section"]).into_iter().collect();

    // The page's own headline (og:title, JSON-LD) over an h1 that says something else: a
    // site's logo or section name set in an h1 ("CNN") is not the article's headline.
    let given = metas
        .get(&["og:title"])
        .or_else(|| ld.text("headline"))
        .map(|t| split_title(&t, site.as_deref()).0);
    let headline = match (h1, given) {
        (Some(h), Some(g)) if !same_words(&h, &g) || glued_meta(&h, &g) => Some(g),
        (h, g) => h.or(g).or_else(|| title.clone()),
    };
    let standfirst = headline
        .as_deref()
        .and_then(|h| standfirst(doc, h, &meta_lines));
    PageInfo {
        meta: Metadata {
            title,
            site,
            author,
            published,
            url,
            language,
            pages: Vec::new(),
            comments: Vec::new(),
        },
        headline,
        meta_lines,
        labels,
        standfirst,
    }
}

/// Whether an `<h1>` is the `given` headline with a byline or a date glued on
/// (`<h1>Title<span class="byline">By A · July 6, 2026</span></h1>`).
fn glued_meta(h1: &str, given: &str) -> bool {
    let Some(rest) = h1.strip_prefix(given) else {
        return false;
    };
    let rest = rest.trim_start_matches(|c: char| !c.is_alphanumeric());
    !rest.is_empty() && (strip_by(rest) != rest || names_date_or_time(rest))
}

/// Whether a line holds a date or a time: a month's name with a day and a year (see
/// [`crate::import::dates`]), `10:21` or `06h15`, or `16/09/2026`, `2026.12.05`, `22.06.2026`.
fn names_date_or_time(line: &str) -> bool {
    if crate::import::dates::from_words(line).is_some() {
        return true;
    }
    let chars: Vec<char> = line.chars().collect();
    let digits_at = |i: usize| {
        chars[i.min(chars.len())..]
            .iter()
            .take_while(|c| c.is_ascii_digit())
            .count()
    };
    let mut i = 0;
    while i < chars.len() {
        let run = digits_at(i);
        if run == 0 {
            i += 1;
            continue;
        }
        // Only a run that starts a number.
        if i > 0 && chars[i - 1].is_alphanumeric() {
            i += run;
            continue;
        }
        let after = i + run;
        match chars.get(after) {
            Some(':' | 'h') if run <= 2 && digits_at(after + 1) == 2 => return true,
            Some(&sep @ ('/' | '.' | '-')) if run <= 4 => {
                let second = digits_at(after + 1);
                let third_at = after + 1 + second;
                if (1..=2).contains(&second)
                    && chars.get(third_at) == Some(&sep)
                    && (2..=4).contains(&digits_at(third_at + 1))
                {
                    return true;
                }
            }
            _ => {}
        }
        i = after;
    }
    false
}

/// The standfirst: the first short paragraph right after the headline's element (or after
/// its wrapper when the wrapper holds only the headline) that is not metadata, a label or a
/// box of links. Readability keeps the body's box, and a standfirst set beside the headline
/// is outside it.
fn standfirst(doc: &Document, headline: &str, meta_lines: &[String]) -> Option<String> {
    let body = doc.body()?;
    let heading = body
        .descendants_it()
        .filter(|n| n.has_name("h1") || n.has_name("h2"))
        .find(|n| clean_inline(&n.text()).starts_with(headline))?;
    let mut starts = vec![heading];
    if let Some(parent) = heading.parent()
        && parent.element_children().len() == 1
        && !parent.has_name("body")
    {
        starts.push(parent);
    }
    for start in starts {
        let mut next = start.next_element_sibling();
        for _ in 0..4 {
            let Some(node) = next else {
                break;
            };
            next = node.next_element_sibling();
            if let Some(text) = standfirst_text(&node, meta_lines) {
                return Some(text);
            }
        }
    }
    None
}

/// The text of an element if it reads as a standfirst.
fn standfirst_text(node: &NodeRef, meta_lines: &[String]) -> Option<String> {
    let blocks = node
        .descendants_it()
        .filter(|d| {
            d.node_name().is_some_and(|n| {
                matches!(
                    &*n,
                    "p" | "div" | "li" | "h1" | "h2" | "h3" | "figure" | "img" | "table" | "form"
                )
            })
        })
        .count();
    if blocks > 1
        || is_hidden(node)
        || is_clutter(node)
        || node.has_name("figure")
        || node.has_name("h1")
    {
        return None;
    }
    // Read as the body is read (a `<br>` is a space).
    let [block] = collect_blocks(node, false).try_into().ok()?;
    let text = block.text;
    let n = text.chars().count();
    let linked: usize = node
        .descendants_it()
        .filter(|d| d.has_name("a"))
        .map(|a| a.text().chars().count())
        .sum();
    let meta = meta_lines
        .iter()
        .any(|m| m.chars().count() >= 4 && text.contains(m.as_str()));
    ((40..=600).contains(&n) && linked * 5 < n && !meta && !names_date_or_time(&text))
        .then_some(text)
}

/// The page's address: `<link rel=canonical>` or `og:url`, whichever is a URL (else whichever
/// is given).
fn page_url(doc: &Document, metas: &MetaTags) -> Option<String> {
    let link_canonical = doc
        .select("link[rel]")
        .iter()
        .find(|l| has_token(l.attr("rel").as_deref(), "canonical"))
        .and_then(|l| l.attr("href"))
        .map(|h| clean_inline(&h))
        .filter(|h| !h.is_empty());
    let og_url = metas.get(&["og:url"]);
    [&link_canonical, &og_url]
        .into_iter()
        .flatten()
        .find(|u| url::Url::parse(u).is_ok())
        .or(link_canonical.as_ref())
        .or(og_url.as_ref())
        .cloned()
}

/// The texts of the page's bylines and author elements (short ones only).
fn byline_texts(doc: &Document) -> Vec<String> {
    doc.select("[rel~='author'], [itemprop~='author'], .byline, .author, .dateline")
        .iter()
        .map(|n| clean_inline(&n.text()))
        .filter(|t| !t.is_empty() && t.chars().count() < 200)
        .collect()
}

/// The texts of short elements whose class or id says they hold a byline or a date
/// (`article__byline`, `byline__dates`, `post-date`…): lines made of them are metadata.
fn meta_boxes(doc: &Document) -> Vec<String> {
    const WORDS: [&str; 13] = [
        "byline",
        "bylines",
        "signature",
        "author",
        "authors",
        "dateline",
        "date",
        "dates",
        "published",
        "pubdate",
        "timestamp",
        "posted",
        "updated",
    ];
    let Some(body) = doc.body() else {
        return Vec::new();
    };
    let mut texts: Vec<String> = Vec::new();
    for n in body.descendants_it() {
        // The article's own are near its top: a page of comments, each with its date, would
        // make every line cost thousands of comparisons.
        if texts.len() == MAX_META_BOXES {
            break;
        }
        if !n.is_element() || !class_words(&n).iter().any(|w| WORDS.contains(&w.as_str())) {
            continue;
        }
        let text = clean_inline(&n.text());
        if !text.is_empty() && text.chars().count() < 200 && !texts.contains(&text) {
            texts.push(text);
        }
    }
    texts
}

/// How many byline and date elements [`meta_boxes`] reads.
const MAX_META_BOXES: usize = 32;

/// The words of an element's class and id, lower-cased, split at spaces, `-` and `_`.
fn class_words(node: &NodeRef) -> Vec<String> {
    [node.attr("class"), node.attr("id")]
        .into_iter()
        .flatten()
        .flat_map(|value| {
            value
                .split(|c: char| c.is_whitespace() || c == '-' || c == '_')
                .filter(|w| !w.is_empty())
                .map(str::to_ascii_lowercase)
                .collect::<Vec<_>>()
        })
        .collect()
}

/// The author: the `<meta>` tags, then JSON-LD, then author links, then the first byline;
/// without a leading "By".
fn page_author(
    doc: &Document,
    metas: &MetaTags,
    ld: &JsonLd,
    byline_nodes: &[String],
    site: Option<&str>,
) -> Option<String> {
    // A publisher named as the author (`<meta name="author" content="Reuters">`) is not the
    // writer; JSON-LD names every author of the article.
    let not_site = |a: &String| {
        site.is_none_or(|s| !a.trim().eq_ignore_ascii_case(s.trim()))
            && ld
                .publisher()
                .is_none_or(|p| !a.trim().eq_ignore_ascii_case(p.trim()))
    };
    let meta_authors = || {
        ["author", "article:author", "dc.creator", "sailthru.author"]
            .iter()
            .map(|k| {
                metas
                    .get_all(k)
                    .into_iter()
                    .filter(|a| !looks_like_url(a) && not_site(a))
                    .collect::<Vec<_>>()
            })
            .find(|names| !names.is_empty())
            .and_then(join_names)
    };
    ld.author()
        .filter(not_site)
        .or_else(meta_authors)
        .or_else(|| {
            let linked: Vec<String> = doc
                .select("a[rel~='author'], [itemprop~='author'] [itemprop~='name']")
                .iter()
                .map(|n| clean_inline(&n.text()))
                .filter(|t| !t.is_empty() && t.chars().count() < 100)
                .collect();
            join_names(linked)
        })
        .or_else(|| byline_nodes.first().cloned())
        .map(|a| strip_by(&a).to_owned())
        .filter(|a| !a.is_empty())
}

/// The dates of the page (`<time datetime>`), and their texts where they stand in a dateline
/// rather than in a sentence, a list or a table (else an empty text).
fn page_times(doc: &Document) -> Vec<(Option<String>, String)> {
    doc.select("time")
        .nodes()
        .iter()
        .map(|t| {
            let datetime = t.attr("datetime").map(|d| clean_inline(&d));
            let in_text = t.ancestors_it(None).any(|a| {
                a.node_name().is_some_and(|n| {
                    matches!(&*n, "li" | "blockquote" | "td" | "th" | "dd")
                        || (&*n == "p" && a.text().chars().count() > 100)
                })
            });
            let text = if in_text {
                String::new()
            } else {
                clean_inline(&t.text())
            };
            (datetime.filter(|d| !d.is_empty()), text)
        })
        .collect()
}

/// The publication date as the page gives it: `article:published_time`, JSON-LD, the first
/// `<time>`, then the other date `<meta>` tags.
fn page_published(
    doc: &Document,
    metas: &MetaTags,
    ld: &JsonLd,
    times: &[(Option<String>, String)],
    title: Option<&str>,
) -> Option<String> {
    metas
        .get(&["article:published_time"])
        .or_else(|| ld.text("datePublished"))
        .or_else(|| times.iter().find_map(|(d, _)| d.clone()))
        .or_else(|| {
            metas.get(&[
                "date",
                "pubdate",
                "publishdate",
                "publish-date",
                "dc.date.issued",
                "dcterms.created",
                "dc.date",
            ])
        })
        .or_else(|| {
            times
                .iter()
                .find_map(|(_, text)| crate::import::dates::from_words(text))
        })
        .or_else(|| dateline(doc, title))
}

/// A visible dateline: the first short element whose class or id says it is a date (`date`,
/// `dateline`, `published`, `fecha`, `datum`…) and whose text reads as one, in the page's
/// language (see [`crate::import::dates`]); the first after the headline's heading when there
/// is one (a site's header may print today's date above it).
fn dateline(doc: &Document, title: Option<&str>) -> Option<String> {
    const WORDS: [&str; 13] = [
        "date",
        "dateline",
        "published",
        "pubdate",
        "timestamp",
        "time",
        "fecha",
        "datum",
        "data",
        "date-published",
        "publish",
        "posted",
        "createdate",
    ];
    let body = doc.body()?;
    let is_headline = |n: &NodeRef| {
        n.node_name()
            .is_some_and(|name| matches!(&*name, "h1" | "h2" | "h3"))
            && title.is_some_and(|t| {
                let text = clean_inline(&n.text());
                same_words(&text, t) && same_words(t, &text)
            })
    };
    let mut before = None;
    let mut after_headline = false;
    for n in body.descendants_it().filter(|n| n.is_element()) {
        if !after_headline && is_headline(&n) {
            after_headline = true;
            continue;
        }
        let named = class_words(&n).iter().any(|w| WORDS.contains(&w.as_str()));
        // A dateline is a small element: a wrapper around the page is not read as one.
        if !named || n.descendants_it().take(12).count() >= 12 {
            continue;
        }
        let text = clean_inline(&n.text());
        if text.is_empty() || text.chars().count() > 80 {
            continue;
        }
        if let Some(date) = crate::import::dates::from_words(&text) {
            if after_headline {
                return Some(date);
            }
            before = before.or(Some(date));
        }
    }
    before
}

/// The page's language: `<html lang>`, then the language `<meta>` tags, then `og:locale`.
fn page_language(doc: &Document, metas: &MetaTags) -> Option<String> {
    doc.select("html")
        .iter()
        .next()
        .and_then(|h| h.attr("lang").or_else(|| h.attr("xml:lang")))
        .map(|l| clean_inline(&l))
        .filter(|l| !l.is_empty())
        .or_else(|| metas.get(&["content-language", "dc.language"]))
        .or_else(|| metas.get(&["og:locale"]).map(|l| l.replace('_', "-")))
}

/// The `<meta>` tags of a page by lower-cased `property`, `name`, `itemprop` or `http-equiv`.
struct MetaTags(Vec<(String, String)>);

impl MetaTags {
    fn read(doc: &Document) -> Self {
        let mut tags = Vec::new();
        for m in doc.select("meta").iter() {
            let Some(content) = m.attr("content").map(|c| clean_inline(&c)) else {
                continue;
            };
            if content.is_empty() {
                continue;
            }
            for key in ["property", "name", "itemprop", "http-equiv"] {
                if let Some(k) = m.attr(key) {
                    tags.push((k.trim().to_ascii_lowercase(), content.clone()));
                }
            }
        }
        Self(tags)
    }

    /// Every content of `key`, in the page's order, each once.
    fn get_all(&self, key: &str) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        for (k, v) in &self.0 {
            if k == key && !out.contains(v) {
                out.push(v.clone());
            }
        }
        out
    }

    /// The first content for any of `keys`, in the order of `keys`.
    fn get(&self, keys: &[&str]) -> Option<String> {
        keys.iter()
            .find_map(|k| self.0.iter().find(|(key, _)| key == k))
            .map(|(_, v)| v.clone())
    }
}

/// The JSON-LD objects of a page, the article first.
struct JsonLd {
    article: Option<Value>,
    all: Vec<Value>,
}

impl JsonLd {
    fn read(doc: &Document) -> Self {
        let mut all = Vec::new();
        for script in doc.select("script[type]").iter() {
            let is_ld = script
                .attr("type")
                .is_some_and(|t| t.trim().eq_ignore_ascii_case("application/ld+json"));
            if !is_ld {
                continue;
            }
            let raw = script.text();
            let raw = raw
                .trim()
                .trim_start_matches("<!--")
                .trim_end_matches("-->")
                .trim()
                .trim_start_matches("<![CDATA[")
                .trim_end_matches("]]>");
            if let Ok(value) = serde_json::from_str::<Value>(raw) {
                flatten_ld(value, &mut all, 0);
            }
        }
        let article = all
            .iter()
            .find(|v| type_matches(v, is_article_type))
            .or_else(|| all.iter().find(|v| v.get("headline").is_some()))
            .cloned();
        Self { article, all }
    }

    /// A string property of the article.
    fn text(&self, key: &str) -> Option<String> {
        self.article
            .as_ref()
            .and_then(|a| a.get(key))
            .and_then(|v| self.name_of(v))
    }

    fn publisher(&self) -> Option<String> {
        let article = self.article.as_ref()?;
        let publisher = article
            .get("publisher")
            .or_else(|| article.get("sourceOrganization"))?;
        self.name_of(publisher)
    }

    fn author(&self) -> Option<String> {
        let author = self.article.as_ref()?.get("author")?;
        let names: Vec<String> = match author {
            Value::Array(items) => items.iter().filter_map(|a| self.name_of(a)).collect(),
            other => self.name_of(other).into_iter().collect(),
        };
        join_names(names)
    }

    /// The text of a value: a string, or an object's `name` (following an `@id` reference).
    fn name_of(&self, value: &Value) -> Option<String> {
        let text = match value {
            Value::String(s) => Some(s.clone()),
            Value::Array(items) => items.iter().find_map(|v| self.name_of(v)),
            Value::Object(map) => match map.get("name") {
                Some(Value::String(s)) => Some(s.clone()),
                _ => {
                    let id = map.get("@id").and_then(Value::as_str)?;
                    self.all
                        .iter()
                        .filter(|v| v.get("@id").and_then(Value::as_str) == Some(id))
                        .find_map(|v| v.get("name").and_then(Value::as_str))
                        .map(str::to_owned)
                }
            },
            _ => None,
        }?;
        let text = clean_inline(&text);
        (!text.is_empty() && !looks_like_url(&text)).then_some(text)
    }
}

/// Puts every object of a JSON-LD value (arrays and `@graph`s opened) into `out`.
fn flatten_ld(value: Value, out: &mut Vec<Value>, depth: usize) {
    if depth > 8 {
        return;
    }
    match value {
        Value::Array(items) => {
            for item in items {
                flatten_ld(item, out, depth + 1);
            }
        }
        Value::Object(mut map) => {
            if let Some(graph) = map.remove("@graph") {
                flatten_ld(graph, out, depth + 1);
            }
            out.push(Value::Object(map));
        }
        _ => {}
    }
}

fn type_matches(value: &Value, f: fn(&str) -> bool) -> bool {
    match value.get("@type") {
        Some(Value::String(t)) => f(t),
        Some(Value::Array(ts)) => ts.iter().filter_map(Value::as_str).any(f),
        _ => false,
    }
}

fn is_article_type(t: &str) -> bool {
    let t = t.rsplit(['/', ':']).next().unwrap_or(t);
    t.ends_with("Article") || t.ends_with("Posting") || t == "Report"
}

/// "A", "A and B", "A, B and C".
fn join_names(mut names: Vec<String>) -> Option<String> {
    names.dedup();
    let last = names.pop()?;
    if names.is_empty() {
        Some(last)
    } else {
        Some(format!("{} and {last}", names.join(", ")))
    }
}

/// The article's `<h1>`: in an `<article>`, `<main>` or marked as headline, else the first one
/// outside navigation, asides, footers and the site's header, and not the site's logo.
fn article_h1(doc: &Document, site: Option<&str>) -> Option<String> {
    let selectors = [
        "article h1",
        "h1[itemprop~='headline']",
        "[itemprop~='articleBody'] h1",
        "main h1",
        "[role='main'] h1",
        "h1",
    ];
    for sel in selectors {
        for h in doc.select(sel).nodes() {
            let mut clutter = is_logo(h);
            // From the heading up: a header is the site's unless an article or main holds it.
            let mut header = false;
            for a in h.ancestors_it(None) {
                match a.node_name().as_deref() {
                    Some("article" | "main") => header = false,
                    Some("nav" | "aside" | "footer") => clutter = true,
                    Some("header") => header = true,
                    _ => clutter |= is_logo(&a),
                }
            }
            clutter |= header;
            let text = clean_inline(&h.text());
            if !clutter && !text.is_empty() && Some(text.as_str()) != site {
                return Some(text);
            }
        }
    }
    None
}

/// Whether most of `a`'s words are in `b` (letters and digits, without regard to case).
fn same_words(a: &str, b: &str) -> bool {
    let words = |s: &str| -> Vec<String> {
        s.split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
            .map(str::to_lowercase)
            .collect()
    };
    let (a, b) = (words(a), words(b));
    let shared = a.iter().filter(|w| b.contains(w)).count();
    !a.is_empty() && shared * 2 >= a.len()
}

fn is_logo(node: &NodeRef) -> bool {
    [node.attr("class"), node.attr("id")]
        .into_iter()
        .flatten()
        .any(|v| {
            v.split(|c: char| c.is_whitespace() || c == '-' || c == '_')
                .any(|w| w.eq_ignore_ascii_case("logo") || w.eq_ignore_ascii_case("masthead"))
        })
}

/// "Headline | Site" and "Headline - Site" as the headline and the site, if it has one.
fn split_title(title: &str, site: Option<&str>) -> (String, Option<String>) {
    const SEPARATORS: [&str; 6] = [" | ", " - ", " – ", " — ", " :: ", " ｜ "];
    if let Some(site) = site.filter(|s| !s.is_empty()) {
        for sep in SEPARATORS {
            if let Some(head) = title.strip_suffix(site).and_then(|h| h.strip_suffix(sep))
                && !head.trim().is_empty()
            {
                return (head.trim().to_owned(), Some(site.to_owned()));
            }
        }
    }
    for sep in SEPARATORS {
        if let Some((head, tail)) = title.rsplit_once(sep)
            && !head.trim().is_empty()
            && !tail.trim().is_empty()
            && tail.split_whitespace().count() <= 4
        {
            return (head.trim().to_owned(), Some(tail.trim().to_owned()));
        }
    }
    // "Millbrook Courier - County approves new library": the site first.
    for sep in SEPARATORS {
        if let Some((head, tail)) = title.split_once(sep)
            && !head.trim().is_empty()
            && head.split_whitespace().count() <= 4
            && tail.split_whitespace().count() > 4
        {
            return (tail.trim().to_owned(), Some(head.trim().to_owned()));
        }
    }
    (title.to_owned(), None)
}

fn host_of(url: &str) -> Option<String> {
    let host = url::Url::parse(url).ok()?.host_str()?.to_owned();
    let host = host.strip_prefix("www.").unwrap_or(&host).to_owned();
    (!host.is_empty()).then_some(host)
}

fn looks_like_url(s: &str) -> bool {
    let lower = s.to_ascii_lowercase();
    lower.starts_with("http://") || lower.starts_with("https://") || lower.starts_with("//")
}

fn has_token(value: Option<&str>, token: &str) -> bool {
    value.is_some_and(|v| {
        v.split_ascii_whitespace()
            .any(|t| t.eq_ignore_ascii_case(token))
    })
}

/// A byline without a leading "By " ("by:", "BY", "Par", "Por", "Door", "بقلم").
fn strip_by(byline: &str) -> &str {
    let trimmed = byline.trim();
    for word in ["by", "par", "por", "door", "بقلم"] {
        let Some(head) = trimmed.get(..word.len()) else {
            continue;
        };
        if head.eq_ignore_ascii_case(word) {
            let rest = &trimmed[word.len()..];
            if rest.starts_with([' ', ':', '\u{a0}']) {
                let rest = rest.trim_start_matches([' ', ':', '\u{a0}']).trim();
                if !rest.is_empty() {
                    return rest;
                }
            }
        }
    }
    trimmed
}

/// Inline text as one line: whitespace runs become one space, control characters go, ends are
/// trimmed.
fn clean_inline(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if c.is_whitespace() {
            if !out.is_empty() && !out.ends_with(' ') {
                out.push(' ');
            }
        } else if !c.is_control() {
            out.push(c);
        }
    }
    if out.ends_with(' ') {
        out.pop();
    }
    out
}

// ---------------------------------------------------------------------------------------------
// The article body

/// One line of the canonical text, with its styles in code points from the line's start.
#[derive(Debug)]
struct Block {
    text: String,
    marks: Vec<(usize, usize, Style)>,
    heading: bool,
    /// A plain paragraph: not a heading, list item, quote or code.
    plain: bool,
}

/// The blocks of the article Readability finds, or none.
fn readable_blocks(doc: Document) -> Vec<Block> {
    let config = Config {
        keep_classes: true,
        ..Config::default()
    };
    let Ok(mut readability) = Readability::with_document(doc, None, Some(config)) else {
        return Vec::new();
    };
    let Ok(article) = readability.parse() else {
        return Vec::new();
    };
    let fragment = Document::fragment(article.content);
    collect_blocks(&fragment.root(), false)
}

/// True if `blocks` hold something besides the headline and metadata lines.
fn has_body(blocks: &[Block], page: &PageInfo) -> bool {
    blocks.iter().any(|b| {
        Some(&b.text) != page.headline.as_ref() && !(b.plain && is_meta_line(&b.text, page))
    })
}

/// True if a line is metadata: a byline, a date, or only these, or a label.
fn is_meta_line(line: &str, page: &PageInfo) -> bool {
    let n = line.chars().count();
    if n > 200 {
        return false;
    }
    let stripped = strip_by(line);
    if page.labels.iter().any(|l| l == line)
        || page
            .meta_lines
            .iter()
            .any(|m| m == line || strip_by(m) == stripped)
    {
        return true;
    }
    // "Maria Okafor 5 March 2024", "Par Sébastien Lefèvre – publié le 05/03/2024": what is
    // left without the pieces is a few words at most, less than half the line.
    let mut rest = line.to_owned();
    for piece in &page.meta_lines {
        if piece.chars().count() >= 4 {
            rest = rest.replace(piece.as_str(), " ");
        }
    }
    if rest == line {
        return false;
    }
    let left = rest.chars().filter(|c| c.is_alphanumeric()).count();
    left <= 12 && left * 2 <= n
}

/// The canonical text: the headline, then every block, an empty line between blocks.
fn assemble(blocks: Vec<Block>, page: PageInfo) -> Option<Extracted> {
    let mut text = String::new();
    let mut styles = Vec::new();
    let mut pos = 0usize;
    let mut push = |line: &str, marks: &[(usize, usize, Style)]| {
        if !text.is_empty() {
            text.push_str("\n\n");
            pos += 2;
        }
        styles.extend(marks.iter().map(|&(start, end, style)| StyleMark {
            span: Span {
                start: pos + start,
                end: pos + end,
            },
            style,
        }));
        text.push_str(line);
        pos += line.chars().count();
    };

    let headline = page
        .headline
        .as_deref()
        .map(clean_inline)
        .unwrap_or_default();
    if !headline.is_empty() {
        let len = headline.chars().count();
        push(&headline, &[(0, len, Style::Heading(1))]);
    }
    // The headline again at the top of the body, or as a heading anywhere (also with a
    // byline glued on).
    let headline_at = (!headline.is_empty())
        .then(|| {
            blocks.iter().enumerate().position(|(i, b)| {
                (b.text == headline && (b.heading || i < 3))
                    || (b.heading && glued_meta(&b.text, &headline))
            })
        })
        .flatten();
    let keep = furniture_left_out(&blocks, headline_at, &page);
    if let Some(standfirst) = &page.standfirst
        && !blocks.iter().any(|b| b.text.contains(standfirst.as_str()))
    {
        push(standfirst, &[]);
    }
    let mut body = 0;
    for (i, block) in blocks.iter().enumerate() {
        if Some(i) == headline_at || !keep[i] {
            continue;
        }
        push(&block.text, &block.marks);
        body += 1;
    }
    if body == 0 {
        return None;
    }
    Some(Extracted {
        text,
        meta: page.meta,
        styles,
    })
}

/// Which blocks are the article (true) and which are furniture: metadata lines; a short label
/// just above the headline (a kicker, a section name, "subscribers only"); before the first
/// paragraph of prose, lines that give a date or time ("22.06.2026, 14:31 Uhr Quelle: dpa") or
/// hold no letters (a view count); lines that are mostly one link after a short label ("Lire
/// aussi | …", "Leggi anche > …"); copyright lines; a short line with an email address (the
/// reporter's signature); pull quotes; a label over a list of links to other stories; and
/// headings with no text after them.
fn furniture_left_out(blocks: &[Block], headline_at: Option<usize>, page: &PageInfo) -> Vec<bool> {
    let mut keep: Vec<bool> = blocks
        .iter()
        .map(|b| {
            let furniture = is_meta_line(&b.text, page) || is_link_box(b) || is_signature(b);
            b.text.chars().any(char::is_alphanumeric) && !(b.plain && furniture)
        })
        .collect();
    // Above the headline, or at the top of the body when the headline is not in it.
    let top = match headline_at {
        Some(h) if h < 4 => h,
        Some(_) => 0,
        None => blocks
            .iter()
            .take_while(|b| b.plain && is_label(&b.text))
            .count(),
    };
    for (k, block) in keep.iter_mut().zip(blocks).take(top) {
        *k &= !(block.plain && is_label(&block.text));
    }
    // The header ends at the first paragraph of prose.
    let mut in_header = true;
    for (k, block) in keep.iter_mut().zip(blocks) {
        if !in_header {
            break;
        }
        if !block.plain || !*k {
            continue;
        }
        let n = block.text.chars().count();
        let no_letters = !block.text.chars().any(char::is_alphabetic);
        if no_letters || (n <= 160 && names_date_or_time(&block.text)) {
            *k = false;
            continue;
        }
        in_header = n < 100;
    }
    // Pull quotes: a short quote whose words the article says again in a longer paragraph
    // near it (looked for within a few blocks, so a long thread of quotes stays linear).
    const NEAR: usize = 12;
    let words = |s: &str| -> String {
        s.split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
            .map(str::to_lowercase)
            .collect::<Vec<_>>()
            .join(" ")
    };
    let is_quote = |b: &Block| b.marks.iter().any(|m| m.2 == Style::Quote);
    if blocks.iter().any(is_quote) {
        let said: Vec<String> = blocks.iter().map(|b| words(&b.text)).collect();
        for (i, block) in blocks.iter().enumerate() {
            if !is_quote(block) || !keep[i] || said[i].is_empty() || block.text.len() > 400 {
                continue;
            }
            let near = i.saturating_sub(NEAR)..(i + NEAR + 1).min(blocks.len());
            keep[i] = !near
                .into_iter()
                .any(|j| j != i && said[j].len() > said[i].len() && said[j].contains(&said[i]));
        }
    }
    // A label over a list of links to other stories ("Leia mais:", "Read also" over headlines).
    let mut i = 0;
    while i < blocks.len() {
        let run = blocks[i..].iter().take_while(|b| is_story_link(b)).count();
        if run == 0 {
            i += 1;
            continue;
        }
        let label = i
            .checked_sub(1)
            .filter(|&l| blocks[l].heading || (blocks[l].plain && is_label(&blocks[l].text)));
        if let Some(l) = label {
            for k in &mut keep[l..i + run] {
                *k = false;
            }
        }
        i += run;
    }
    // Headings with nothing after them ("More on this story" over a list that went).
    for i in (0..blocks.len()).rev() {
        if !keep[i] {
            continue;
        }
        if blocks[i].heading && Some(i) != headline_at {
            keep[i] = false;
        } else {
            break;
        }
    }
    keep
}

/// A list item that is one link of four words or more, the headline of another story.
fn is_story_link(block: &Block) -> bool {
    if !block.marks.iter().any(|m| m.2 == Style::ListItem) {
        return false;
    }
    let mut linked = vec![false; block.text.chars().count()];
    for &(start, end, style) in &block.marks {
        if style == Style::Link {
            let n = linked.len();
            for l in &mut linked[start.min(n)..end.min(n)] {
                *l = true;
            }
        }
    }
    let outside = block
        .text
        .chars()
        .zip(&linked)
        .filter(|&(c, &l)| c.is_alphanumeric() && !l)
        .count();
    // The item's number ("12. ") may stand outside the link.
    linked.contains(&true) && outside <= 3 && block.text.split_whitespace().count() > 4
}

/// A short label: at most four words and 40 characters, without a sentence's end.
fn is_label(line: &str) -> bool {
    line.chars().count() <= 40 && line.split_whitespace().count() <= 4 && !has_sentence_end(line)
}

/// A line that is mostly one link after a short label of one to three words ("Lire aussi |
/// Canicule : …", "Zobacz też: Nowa linia …"), or only links, two or more ("Sign in
/// Register") or a few words ("Share"). One link alone may be a sentence of the article.
fn is_link_box(block: &Block) -> bool {
    let n = block.text.chars().count();
    let mut linked = vec![false; n];
    for &(start, end, style) in &block.marks {
        if style == Style::Link {
            for l in &mut linked[start.min(n)..end.min(n)] {
                *l = true;
            }
        }
    }
    let links = linked.iter().filter(|&&l| l).count();
    let unlinked: String = block
        .text
        .chars()
        .zip(&linked)
        .map(|(c, &l)| if l { ' ' } else { c })
        .collect();
    let label = unlinked.split_whitespace().count();
    let link_marks = block.marks.iter().filter(|m| m.2 == Style::Link).count();
    let short = block.text.split_whitespace().count() <= 3 && !has_sentence_end(&block.text);
    links * 2 >= n && ((1..=3).contains(&label) || (label == 0 && (link_marks >= 2 || short)))
}

fn has_sentence_end(text: &str) -> bool {
    text.contains(['.', '!', '?', '。', '！', '？', '۔', '؟'])
}

/// A copyright line, or a short line with an email address (a reporter's signature).
fn is_signature(block: &Block) -> bool {
    let text = block.text.trim();
    let n = text.chars().count();
    if text.starts_with('©') && n <= 120 {
        return true;
    }
    n <= 80
        && text.split_whitespace().count() <= 6
        && text.split_whitespace().any(|w| {
            w.split_once('@')
                .is_some_and(|(user, host)| !user.is_empty() && host.contains('.'))
        })
}

/// What to undo when leaving an element.
#[derive(Clone, Copy)]
enum Exit {
    Block,
    Heading,
    Quote,
    Pre,
    List,
    Item,
    Inline,
    Space,
}

enum Step<'a> {
    Enter(NodeRef<'a>),
    Exit(Exit),
}

/// A list being read: the number of its next item, or None for bullets.
struct List {
    next: Option<i64>,
    reversed: bool,
}

/// Walks a tree into blocks, without recursion.
#[derive(Default)]
struct Builder {
    blocks: Vec<Block>,
    line: String,
    len: usize,
    marks: Vec<(usize, usize, Style)>,
    open: Vec<(Style, usize)>,
    headings: Vec<u8>,
    quotes: usize,
    pre: usize,
    lists: Vec<List>,
    /// The open list items and the prefix each still has to put before its first line.
    items: Vec<Option<String>>,
}

fn collect_blocks(root: &NodeRef, whole_page: bool) -> Vec<Block> {
    let mut b = Builder::default();
    let mut stack = vec![Step::Enter(*root)];
    while let Some(step) = stack.pop() {
        match step {
            Step::Exit(exit) => b.exit(exit),
            Step::Enter(node) => {
                if node.is_text() {
                    b.text(&node.text());
                    continue;
                }
                let exit = if node.is_element() {
                    match b.enter(&node, whole_page) {
                        Some(exit) => exit,
                        None => continue,
                    }
                } else if node.is_document() || node.is_fragment() {
                    Exit::Space
                } else {
                    continue;
                };
                stack.push(Step::Exit(exit));
                let mut child = node.last_child();
                while let Some(c) = child {
                    child = c.prev_sibling();
                    stack.push(Step::Enter(c));
                }
            }
        }
    }
    b.flush();
    b.blocks
}

impl Builder {
    /// Starts an element; None skips it and its content.
    fn enter(&mut self, node: &NodeRef, whole_page: bool) -> Option<Exit> {
        let name = node.node_name()?;
        let name = name.to_ascii_lowercase();
        if is_hidden(node) || is_clutter(node) {
            return None;
        }
        let exit = match name.as_str() {
            "script" | "style" | "noscript" | "template" | "iframe" | "object" | "embed"
            | "svg" | "math" | "canvas" | "form" | "button" | "input" | "select" | "textarea"
            | "option" | "img" | "picture" | "video" | "audio" | "source" | "track" | "map"
            | "head" | "title" | "meta" | "link" | "base" | "dialog" => return None,
            "header" | "footer" | "aside" | "menu" if whole_page => return None,
            "br" => {
                if self.pre > 0 {
                    self.flush();
                } else {
                    self.space();
                }
                return None;
            }
            "wbr" => return None,
            "hr" => {
                self.flush();
                return None;
            }
            "h1" | "h2" | "h3" | "h4" | "h5" | "h6" => {
                self.flush();
                let level = name.as_bytes()[1] - b'0';
                self.headings.push(level);
                Exit::Heading
            }
            "blockquote" => {
                self.flush();
                self.quotes += 1;
                Exit::Quote
            }
            "pre" | "listing" | "xmp" | "plaintext" => {
                self.flush();
                self.pre += 1;
                Exit::Pre
            }
            "ul" | "ol" | "dl" => self.open_list(node, name == "ol"),
            "li" => self.open_item(node),
            "em" | "i" | "cite" | "dfn" | "var" => self.open_inline(Style::Emphasis),
            "strong" | "b" => self.open_inline(Style::Strong),
            "a" if node.has_attr("href") => self.open_inline(Style::Link),
            "code" | "kbd" | "samp" | "tt" if self.pre == 0 => self.open_inline(Style::Code),
            "td" | "th" => {
                self.space();
                Exit::Space
            }
            "p" | "div" | "section" | "article" | "main" | "header" | "footer" | "aside"
            | "nav" | "figure" | "figcaption" | "table" | "tbody" | "thead" | "tfoot" | "tr"
            | "caption" | "dt" | "dd" | "address" | "center" | "details" | "summary"
            | "fieldset" | "legend" | "hgroup" | "body" | "html" | "menu" => {
                self.flush();
                Exit::Block
            }
            // Unknown elements (span, time, mark, custom elements…) are inline.
            _ => Exit::Space,
        };
        Some(exit)
    }

    /// A list: numbered from its `start` (or down from its length when `reversed`) if
    /// `ordered`, else bulleted.
    fn open_list(&mut self, node: &NodeRef, ordered: bool) -> Exit {
        self.flush();
        let reversed = ordered && node.has_attr("reversed");
        let start = node
            .attr("start")
            .and_then(|s| s.trim().parse::<i64>().ok());
        let count = || {
            node.element_children()
                .iter()
                .filter(|c| c.has_name("li"))
                .count() as i64
        };
        let next = ordered.then(|| start.unwrap_or_else(|| if reversed { count() } else { 1 }));
        self.lists.push(List { next, reversed });
        Exit::List
    }

    /// A list item: its number (a `value` renumbers it) or bullet goes before its first line.
    fn open_item(&mut self, node: &NodeRef) -> Exit {
        self.flush();
        let prefix = match self.lists.last_mut() {
            Some(List {
                next: Some(n),
                reversed,
            }) => {
                if let Some(v) = node
                    .attr("value")
                    .and_then(|v| v.trim().parse::<i64>().ok())
                {
                    *n = v;
                }
                let this = *n;
                *n = if *reversed {
                    n.saturating_sub(1)
                } else {
                    n.saturating_add(1)
                };
                format!("{this}. ")
            }
            _ => "• ".to_owned(),
        };
        self.items.push(Some(prefix));
        Exit::Item
    }

    fn open_inline(&mut self, style: Style) -> Exit {
        self.open.push((style, self.len));
        Exit::Inline
    }

    fn exit(&mut self, exit: Exit) {
        match exit {
            Exit::Block => self.flush(),
            Exit::Heading => {
                self.flush();
                self.headings.pop();
            }
            Exit::Quote => {
                self.flush();
                self.quotes = self.quotes.saturating_sub(1);
            }
            Exit::Pre => {
                self.flush();
                self.pre = self.pre.saturating_sub(1);
            }
            Exit::List => {
                self.flush();
                self.lists.pop();
            }
            Exit::Item => {
                self.flush();
                self.items.pop();
            }
            Exit::Inline => {
                if let Some((style, start)) = self.open.pop() {
                    self.marks.push((start, self.len, style));
                }
            }
            Exit::Space => {}
        }
    }

    fn text(&mut self, text: &str) {
        for c in text.chars() {
            if c == '\n' && self.pre > 0 {
                self.flush();
            } else if c.is_whitespace() {
                self.space();
            } else if !c.is_control() {
                self.line.push(c);
                self.len += 1;
            }
        }
    }

    fn space(&mut self) {
        if !self.line.is_empty() && !self.line.ends_with(' ') {
            self.line.push(' ');
            self.len += 1;
        }
    }

    /// Ends the current line as a block, if it has text.
    fn flush(&mut self) {
        if self.line.ends_with(' ') {
            self.line.pop();
            self.len -= 1;
        }
        let mut marks = std::mem::take(&mut self.marks);
        for (style, start) in &mut self.open {
            marks.push((*start, self.len, *style));
            *start = 0;
        }
        if self.line.is_empty() {
            self.len = 0;
            return;
        }
        let text = std::mem::take(&mut self.line);
        let chars: Vec<char> = text.chars().collect();
        let mut marks = normalise_marks(marks, &chars);
        self.len = 0;

        let mut text = text;
        if let Some(prefix) = self.items.last_mut().and_then(Option::take) {
            let shift = prefix.chars().count();
            for m in &mut marks {
                m.0 += shift;
                m.1 += shift;
            }
            text.insert_str(0, &prefix);
        }
        let len = text.chars().count();
        let heading = self.headings.last().copied();
        if let Some(level) = heading {
            marks.push((0, len, Style::Heading(level.clamp(1, 6))));
        } else if self.pre > 0 {
            marks.push((0, len, Style::Code));
        }
        if !self.items.is_empty() {
            marks.push((0, len, Style::ListItem));
        }
        if self.quotes > 0 {
            marks.push((0, len, Style::Quote));
        }
        marks.sort_by_key(|m| (m.0, std::cmp::Reverse(m.1)));
        self.blocks.push(Block {
            text,
            marks,
            heading: heading.is_some(),
            plain: heading.is_none() && self.pre == 0 && self.items.is_empty() && self.quotes == 0,
        });
    }
}

/// Inline marks trimmed of spaces at their ends, clamped to the line, without empty ones, and
/// with touching or overlapping marks of one style merged.
fn normalise_marks(
    marks: Vec<(usize, usize, Style)>,
    chars: &[char],
) -> Vec<(usize, usize, Style)> {
    let mut trimmed: Vec<(usize, usize, Style)> = marks
        .into_iter()
        .filter_map(|(start, end, style)| {
            let mut start = start.min(chars.len());
            let mut end = end.min(chars.len());
            while start < end && chars[start] == ' ' {
                start += 1;
            }
            while end > start && chars[end - 1] == ' ' {
                end -= 1;
            }
            (start < end).then_some((start, end, style))
        })
        .collect();
    trimmed.sort_by_key(|&(start, end, style)| (style_rank(style), start, end));
    let mut merged: Vec<(usize, usize, Style)> = Vec::with_capacity(trimmed.len());
    for m in trimmed {
        match merged.last_mut() {
            Some(last) if last.2 == m.2 && m.0 <= last.1 => last.1 = last.1.max(m.1),
            _ => merged.push(m),
        }
    }
    merged
}

fn style_rank(style: Style) -> u8 {
    match style {
        Style::Heading(l) => l,
        Style::Quote => 10,
        Style::ListItem => 11,
        Style::Code => 12,
        Style::Emphasis => 13,
        Style::Strong => 14,
        Style::Link => 15,
    }
}

/// Elements a reader never sees.
fn is_hidden(node: &NodeRef) -> bool {
    if node.has_attr("hidden") {
        return true;
    }
    if node
        .attr("aria-hidden")
        .is_some_and(|v| v.trim().eq_ignore_ascii_case("true"))
    {
        return true;
    }
    node.attr("style").is_some_and(|s| {
        let s: String = s
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect::<String>()
            .to_ascii_lowercase();
        s.contains("display:none") || s.contains("visibility:hidden")
    })
}

/// Boxes around an article that are not the article: navigation, and boxes with a word of
/// their class or id that says what they are (cookie, share, related, comments, ad…).
fn is_clutter(node: &NodeRef) -> bool {
    if node.has_name("nav") {
        return true;
    }
    const WORDS: [&str; 42] = [
        "ad",
        "ads",
        "adslot",
        "advert",
        "advertisement",
        "advertising",
        "banner",
        "breadcrumb",
        "breadcrumbs",
        "carousel",
        "comment",
        "comments",
        "consent",
        "copyright",
        "cookie",
        "cookies",
        "gallery",
        "gdpr",
        "lightbox",
        "newsletter",
        "outbrain",
        "popup",
        "promo",
        "related",
        "share",
        "sharebar",
        "sharing",
        "slideshow",
        "social",
        "sponsor",
        "sponsored",
        "subscribe",
        "taboola",
        "signup",
        "typo",
        "error",
        "bio",
        "button",
        "commentaires",
        "commenti",
        "comentarios",
        "kommentare",
    ];
    if let Some(role) = node.attr("role")
        && matches!(
            role.trim().to_ascii_lowercase().as_str(),
            "navigation" | "banner" | "contentinfo" | "complementary" | "dialog" | "alertdialog"
        )
    {
        return true;
    }
    let words: Vec<String> = [node.attr("class"), node.attr("id")]
        .into_iter()
        .flatten()
        .flat_map(|value| {
            value
                .split(|c: char| c.is_whitespace() || c == '-' || c == '_')
                .map(str::to_ascii_lowercase)
                .collect::<Vec<_>>()
        })
        .collect();
    let named = |list: &[&str]| words.iter().any(|w| list.contains(&w.as_str()));
    if named(&METERED) {
        // Metering markup: the article itself, marked for a paywall that is not in the HTML
        // (WIRED marks every paragraph after the first). Only what does not read as article
        // text (a "subscribe to read on" notice) goes.
        return !reads_as_article_text(node);
    }
    // One class word does not remove a paragraph of the article's text.
    named(&WORDS) && !(node.has_name("p") && reads_as_article_text(node))
}

/// Class and id words that mark an article's paragraphs for a paywall or a meter, not boxes
/// around it.
const METERED: [&str; 9] = [
    "paywall",
    "paywalled",
    "metered",
    "meter",
    "premium",
    "locked",
    "gated",
    "subscriber",
    "subscribers",
];

/// Whether an element's text is article prose: at least 120 characters with a sentence end,
/// few of them in links, and no form controls (a notice asking to subscribe has a button).
fn reads_as_article_text(node: &NodeRef) -> bool {
    let text = node.text();
    let len = text.chars().count();
    if len < 120 {
        return false;
    }
    let controls = node.descendants_it().any(|d| {
        d.node_name()
            .is_some_and(|n| matches!(&*n, "form" | "button" | "input" | "select" | "iframe"))
    });
    if controls {
        return false;
    }
    let linked: usize = node
        .descendants_it()
        .filter(|d| d.has_name("a"))
        .map(|a| a.text().chars().count())
        .sum();
    linked * 5 < len && has_sentence_end(&text)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const EN: &[u8] = include_bytes!("../../tests/fixtures/import/page_en_news.html");
    const KO: &[u8] = include_bytes!("../../tests/fixtures/import/page_ko_news.html");
    const AR: &[u8] = include_bytes!("../../tests/fixtures/import/page_ar_news.html");
    const FR: &[u8] = include_bytes!("../../tests/fixtures/import/page_fr_legacy.html");
    const JA: &[u8] = include_bytes!("../../tests/fixtures/import/page_ja_sjis.html");

    fn run(bytes: &[u8]) -> (Extracted, &'static str) {
        match extract(bytes) {
            Ok(r) => {
                crate::import::assert_canonical(&r.0);
                r
            }
            Err(e) => panic!("extract failed: {e}"),
        }
    }

    fn s(v: &str) -> Option<String> {
        Some(v.to_owned())
    }

    /// The canonical-text contract of `Extracted`.
    fn lines(e: &Extracted) -> Vec<&str> {
        e.text.split('\n').filter(|l| !l.is_empty()).collect()
    }

    /// The code-point span of the first line equal to `line`.
    fn line_span(e: &Extracted, line: &str) -> Span {
        let mut pos = 0;
        for l in e.text.split('\n') {
            let n = l.chars().count();
            if l == line {
                return Span {
                    start: pos,
                    end: pos + n,
                };
            }
            pos += n + 1;
        }
        panic!("no line {line:?} in\n{}", e.text);
    }

    /// The code-point span of the first occurrence of `needle`.
    fn text_span(e: &Extracted, needle: &str) -> Span {
        let Some(byte) = e.text.find(needle) else {
            panic!("no {needle:?} in\n{}", e.text);
        };
        let start = e.text[..byte].chars().count();
        Span {
            start,
            end: start + needle.chars().count(),
        }
    }

    fn has_style(e: &Extracted, span: Span, style: Style) -> bool {
        e.styles.contains(&StyleMark { span, style })
    }

    fn assert_absent(e: &Extracted, needles: &[&str]) {
        for n in needles {
            assert!(!e.text.contains(n), "{n:?} should not be in\n{}", e.text);
        }
    }

    fn assert_present(e: &Extracted, needles: &[&str]) {
        for n in needles {
            assert!(e.text.contains(n), "{n:?} should be in\n{}", e.text);
        }
    }

    fn assert_headline(e: &Extracted, headline: &str) {
        assert_eq!(lines(e)[0], headline);
        assert!(has_style(
            e,
            Span {
                start: 0,
                end: headline.chars().count()
            },
            Style::Heading(1)
        ));
        assert_eq!(
            e.styles
                .iter()
                .filter(|m| m.style == Style::Heading(1))
                .count(),
            1
        );
    }

    #[test]
    fn english_news_page() {
        let (e, encoding) = run(EN);
        assert_eq!(encoding, "UTF-8");
        let url = "https://www.northgate-ledger.example/news/2024/03/05/tidal-barrier-vote";
        assert_eq!(
            e.meta,
            Metadata {
                title: s("Harbour towns brace for tidal barrier vote"),
                site: s("The Northgate Ledger"),
                author: s("Maria Okafor"),
                published: s("2024-03-05T07:30:00+00:00"),
                url: s(url),
                language: s("en-GB"),
                pages: Vec::new(),
                comments: Vec::new(),
            }
        );
        assert_headline(&e, "Harbour towns brace for tidal barrier vote");
        assert_present(
            &e,
            &[
                "Councillors in Eastby, Westwick and Port Alder will vote on Thursday on whether to \
                 commit £48 million to a tidal barrier",
                "\"We cannot keep sandbagging our way through every January,\" the environment \
                 minister, Helen Marsh, said on a visit to the harbour on Monday.",
                "The Port Alder Fishermen’s Association",
                "\"Fix the walls we have before you build a new one,\" he said.",
                "construction could begin in the spring of 2026.",
                "“cautiously confident”",
                // A caption inside the article body stays, as its own paragraph.
                "\n\nThe estuary at Port Alder, where the barrier would be built.\n\n",
            ],
        );
        assert_absent(
            &e,
            &[
                "cookie",
                "Accept all",
                "Puzzles",
                "Subscribe for",
                "Search the Ledger",
                "Advertisement",
                "garden sheds",
                "Cheap flights",
                "Share on",
                "Email this article",
                "morning briefing",
                "Sign up",
                "Related stories",
                "Sea wall repairs overrun",
                "Comments (14)",
                "harbourwatcher",
                "Comment text",
                "SCRIPT_SECRET",
                "dataLayer",
                "font-family",
                "noscript",
                "All rights reserved",
                "Privacy policy",
                "Environment correspondent",
                "5 March 2024",
                "\nEnvironment\n",
            ],
        );
        // Every paragraph of the body, in order, one line each.
        assert_eq!(lines(&e).len(), 17, "{}", e.text);
        let quote = line_span(
            &e,
            "We were told the last sea wall would last fifty years. It lasted eleven.",
        );
        assert!(has_style(&e, quote, Style::Quote));
        let item = line_span(&e, "• a shared borrowing limit of £30 million;");
        assert!(has_style(&e, item, Style::ListItem));
        assert_eq!(e.text.matches("\n• ").count(), 3);
        let sub = line_span(&e, "What the councils are being asked to approve");
        assert!(has_style(&e, sub, Style::Heading(2)));
        let em = text_span(&e, "as much as 80 per cent");
        assert!(has_style(&e, em, Style::Emphasis));
        let strong = text_span(&e, "up to a third of their catch");
        assert!(has_style(&e, strong, Style::Strong));
        let link = text_span(&e, "Environment Agency’s own assessment");
        assert!(has_style(&e, link, Style::Link));
        let italic = text_span(&e, "Colin Ashworth");
        assert!(has_style(&e, italic, Style::Emphasis));
    }

    #[test]
    fn korean_news_page() {
        let (e, encoding) = run(KO);
        assert_eq!(encoding, "UTF-8");
        assert_eq!(
            e.meta,
            Metadata {
                title: s("해안 도시 세 곳, 방조제 건설 놓고 목요일 표결"),
                site: s("한빛일보"),
                // JSON-LD's Person, not the meta tag's "김서연 기자" (with the job title).
                author: s("김서연"),
                published: s("2024-03-05T09:00:00+09:00"),
                url: s("https://news.hanbit-ilbo.example/article/20240305000123"),
                language: s("ko"),
                pages: Vec::new(),
                comments: Vec::new(),
            }
        );
        // The headline is the article's <h2> (the page's <h1> is the logo), shown once.
        assert_headline(&e, "해안 도시 세 곳, 방조제 건설 놓고 목요일 표결");
        assert_eq!(e.text.matches("방조제 건설 놓고").count(), 1);
        assert_present(
            &e,
            &[
                "동해안의 세 도시가 오는 목요일 480억 원 규모의 방조제 건설 예산을 놓고 표결한다.",
                "\"매년 겨울마다 모래주머니로 버틸 수는 없다\"고 환경부 장관은",
                "표결은 목요일 오후 7시께 열릴 예정이다.",
            ],
        );
        assert_absent(
            &e,
            &[
                "쿠키",
                "정치",
                "광고",
                "카카오톡",
                "관련 기사",
                "방파제 보수 공사",
                "댓글",
                "세금 낭비",
                "스크립트",
                "Copyright",
                "대표전화",
                "김서연",
                "2024.03.05",
            ],
        );
        let item = line_span(&e, "1. 300억 원 한도의 공동 차입");
        assert!(has_style(&e, item, Style::ListItem));
        assert!(
            e.text
                .contains("\n\n3. 착공 전 토사 퇴적에 관한 독립 검토\n\n")
        );
        let quote = line_span(&e, "지난번 방파제도 50년은 간다고 했지만 11년밖에 못 갔다.");
        assert!(has_style(&e, quote, Style::Quote));
        let sub = line_span(&e, "시의회가 승인해야 할 내용");
        assert!(has_style(&e, sub, Style::Heading(3)));
        // Offsets are code points, not bytes.
        let em = text_span(&e, "최대 80퍼센트");
        assert!(has_style(&e, em, Style::Emphasis));
    }

    #[test]
    fn arabic_page_keeps_logical_order() {
        let (e, encoding) = run(AR);
        assert_eq!(encoding, "UTF-8");
        assert_eq!(
            e.meta,
            Metadata {
                title: s("ثلاث مدن ساحلية تصوّت على إنشاء حاجز للمد"),
                site: s("صحيفة الميناء"),
                author: s("ليلى حداد"),
                published: s("2024-03-05T10:15:00+03:00"),
                url: s("https://almina-news.example/ar/2024/03/05/tidal-barrier"),
                language: s("ar"),
                pages: Vec::new(),
                comments: Vec::new(),
            }
        );
        assert_headline(&e, "ثلاث مدن ساحلية تصوّت على إنشاء حاجز للمد");
        let first = "تصوّت ثلاث مدن ساحلية يوم الخميس على تخصيص ٤٨ مليون دينار لإنشاء حاجز للمد \
                     عبر المصب المشترك، في خطوة قد تنهي جدلاً استمر عقداً كاملاً.";
        // Exactly the source's code points, first word first: no reordering, no marks added.
        assert_eq!(lines(&e)[1], first);
        assert!(lines(&e)[1].starts_with('\u{62a}'));
        assert!(
            !e.text.chars().any(|c| matches!(c, '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}'))
        );
        assert_present(
            &e,
            &[
                "«لا يمكننا الاستمرار في أكياس الرمل كل شتاء. هذه لحظة القرار»",
                "ربيع عام 2026",
            ],
        );
        assert_absent(
            &e,
            &[
                "ملفات تعريف الارتباط",
                "الرئيسية",
                "إعلان",
                "شارك على",
                "أخبار ذات صلة",
                "تعليق",
                "نص برمجي",
                "بقلم",
                "جميع الحقوق",
            ],
        );
        let quote = line_span(
            &e,
            "قيل لنا إن الجدار البحري الأخير سيصمد خمسين عاماً، لكنه صمد أحد عشر عاماً فقط.",
        );
        assert!(has_style(&e, quote, Style::Quote));
        let item = line_span(&e, "• سقف اقتراض مشترك قدره ٣٠ مليون دينار");
        assert!(has_style(&e, item, Style::ListItem));
        assert!(has_style(&e, text_span(&e, "٨٠ في المئة"), Style::Strong));
    }

    #[test]
    fn hebrew_rtl_text_is_kept_as_in_the_source() {
        let para =
            "הממשלה אישרה ביום שלישי תקציב של 48 מיליון ש\"ח לבניית סוללה (Tidal Barrier) בנמל.";
        let html = format!(
            "<html lang=\"he\" dir=\"rtl\"><head><meta charset=\"utf-8\"><title>סוללה בנמל</title></head>\
             <body><article><h1>סוללה בנמל</h1><p dir=\"rtl\">{para}</p>{FILLER}</article></body></html>"
        );
        let (e, _) = run(html.as_bytes());
        assert_eq!(e.meta.language, s("he"));
        assert_headline(&e, "סוללה בנמל");
        assert_eq!(lines(&e)[1], para);
    }

    #[test]
    fn french_windows_1252_page() {
        let (e, encoding) = run(FR);
        assert_eq!(encoding, "windows-1252");
        assert_eq!(
            e.meta,
            Metadata {
                title: s("Le conseil régional vote un budget de 12 M€ pour les digues"),
                // No og:site_name, JSON-LD or URL: the site named after the <title>'s "|".
                site: s("L'Écho du Littoral"),
                author: s("Sébastien Lefèvre"),
                // Day and month order unknown: kept as given.
                published: s("05/03/2024"),
                url: None,
                language: s("fr-FR"),
                pages: Vec::new(),
                comments: Vec::new(),
            }
        );
        assert_headline(
            &e,
            "Le conseil régional vote un budget de 12 M€ pour les digues",
        );
        assert_present(
            &e,
            &[
                "« Nous ne pouvons plus attendre la prochaine tempête pour agir », a déclaré",
                "le coût réel dépasserait 15 M€.",
                "Ce cri du cœur d’un ostréiculteur",
                "« prudemment optimiste »",
                "l’œuvre",
            ],
        );
        assert_absent(
            &e,
            &[
                "cookies",
                "Accueil",
                "Petites annonces",
                "Publicité",
                "Vérandas",
                "Les plus lus",
                "Tempête :",
                "Partager",
                "Réactions",
                "Commentaire",
                "Mentions légales",
                "publicité dynamique",
                "publié le",
                "\u{fffd}",
            ],
        );
        let quote = line_span(
            &e,
            "« On nous a promis des digues éternelles en 1999. Vingt-cinq ans plus tard, on recommence. »",
        );
        assert!(has_style(&e, quote, Style::Quote));
        assert!(has_style(
            &e,
            text_span(&e, "12 millions d’euros"),
            Style::Strong
        ));
    }

    #[test]
    fn japanese_shift_jis_page() {
        let (e, encoding) = run(JA);
        assert_eq!(encoding, "Shift_JIS");
        assert_eq!(
            e.meta,
            Metadata {
                title: s("沿岸3市、防潮堤の建設を木曜に採決"),
                site: s("みなと新報"),
                author: s("佐藤 美咲"),
                published: s("2024-03-05T08:00:00+09:00"),
                url: s("https://www.minato-shinpo.example/news/20240305/bousaitei"),
                language: s("ja"),
                pages: Vec::new(),
                comments: Vec::new(),
            }
        );
        assert_headline(&e, "沿岸3市、防潮堤の建設を木曜に採決");
        assert_present(
            &e,
            &[
                "沿岸の3市は7日、河口をまたぐ防潮堤の建設費48億円を支出するかどうかを採決する。",
                "「毎年冬に土のうでしのぐわけにはいかない。今こそ決断の時だ」と述べた。",
            ],
        );
        assert_absent(
            &e,
            &[
                "クッキー",
                "トップ",
                "広告",
                "シェア",
                "関連記事",
                "コメント",
                "スクリプト",
                "Copyright",
                "2024年3月5日",
                "佐藤",
            ],
        );
        let quote = line_span(
            &e,
            "前の防潮壁は50年もつと言われたが、11年しかもたなかった。",
        );
        assert!(has_style(&e, quote, Style::Quote));
        let item = line_span(&e, "• 30億円を上限とする共同借り入れ");
        assert!(has_style(&e, item, Style::ListItem));
        assert!(has_style(&e, text_span(&e, "最大8割"), Style::Emphasis));
    }

    #[test]
    fn charset_prescan() {
        let p = |s: &str| prescan_charset(s.as_bytes());
        assert_eq!(p("<META CHARSET=Shift_JIS>").as_deref(), Some("shift_jis"));
        assert_eq!(p("<meta charset = 'euc-kr' />").as_deref(), Some("euc-kr"));
        assert_eq!(
            p(r#"<meta http-equiv="Content-Type" content="text/html; Charset=ISO-8859-1">"#)
                .as_deref(),
            Some("iso-8859-1")
        );
        assert_eq!(p("<meta charset=utf-16le>").as_deref(), Some("utf-8"));
        assert_eq!(
            p("<meta charset=klingon><meta charset=koi8-r>").as_deref(),
            Some("koi8-r")
        );
        assert_eq!(p("<p>charset=koi8-r</p>"), None);
        assert_eq!(p("<meta charset"), None);
        assert_eq!(
            p("<?xml version='1.0' encoding='ISO-8859-15'?><html>").as_deref(),
            Some("iso-8859-15")
        );
        assert_eq!(p(""), None);
        // Only the first 4 KB are searched.
        let late = format!("{}<meta charset=koi8-r>", " ".repeat(5000));
        let bytes = late.as_bytes();
        assert_eq!(
            prescan_charset(&bytes[..bytes.len().min(PRESCAN_BYTES)]),
            None
        );
    }

    #[test]
    fn paragraphs_marked_for_a_paywall_are_kept_and_the_notice_is_not() {
        let para = |n: usize| {
            format!(
                "Paragraph {n} of the report says the harbour authority counted forty ships waiting outside the port on Monday, and that the queue grew overnight."
            )
        };
        let mut body = format!("<p>{}</p>", para(1));
        for n in 2..=6 {
            body.push_str(&format!("<p class=\"paywall\">{}</p>", para(n)));
        }
        body.push_str(&format!("<p class=\"share-quote\">{}</p>", para(7)));
        let page = format!(
            "<html><head><title>Harbour queue grows | Wire</title>\
             <meta property=\"og:title\" content=\"Harbour queue grows overnight\"></head><body>\
             <div class=\"top\"><h1>WIRE</h1></div>\
             <article>{body}\
             <div class=\"paywall-notice\"><p>Subscribe to keep reading.</p><button>Subscribe</button></div>\
             <section class=\"comments\"><p>{}</p></section></article></body></html>",
            para(99)
        );
        let (e, _) = extract(page.as_bytes()).expect("a page");
        crate::import::assert_canonical(&e);
        for n in 1..=7 {
            assert!(e.text.contains(&para(n)), "paragraph {n} in\n{}", e.text);
        }
        assert!(!e.text.contains("Subscribe"), "{}", e.text);
        assert!(
            !e.text.contains("Paragraph 99"),
            "comments stay out: {}",
            e.text
        );
        assert_headline(&e, "Harbour queue grows overnight");
        assert!(
            !e.text.contains("WIRE\n"),
            "the logo h1 is not the headline: {}",
            e.text
        );
    }

    #[test]
    fn every_author_is_named_and_a_publisher_is_not_one() {
        let body = "<article><h1>Harbour queue grows</h1><p>The port authority counted forty ships waiting outside the harbour on Monday, and the queue grew again overnight.</p></article>";
        let page = |head: &str| {
            format!("<html><head><title>Queue</title>{head}</head><body>{body}</body></html>")
        };
        let ld = r#"<script type="application/ld+json">{"@type":"NewsArticle","headline":"Harbour queue grows","publisher":{"@type":"Organization","name":"Wire Service"},"author":[{"@type":"Person","name":"Ana Ribeiro"},{"@type":"Person","name":"Tom Okafor"},{"@type":"Person","name":"Li Wei"},{"@type":"Person","name":"Sara Haddad"}]}</script>"#;
        let (e, _) = extract(
            page(&format!(
                "<meta name=\"author\" content=\"Wire Service\">{ld}"
            ))
            .as_bytes(),
        )
        .expect("a page");
        assert_eq!(
            e.meta.author.as_deref(),
            Some("Ana Ribeiro, Tom Okafor, Li Wei and Sara Haddad")
        );
        let (e, _) = extract(
            page("<meta property=\"og:site_name\" content=\"Wire Service\"><meta name=\"author\" content=\"Wire Service\"><meta name=\"author\" content=\"Ana Ribeiro\"><meta name=\"author\" content=\"Tom Okafor\">").as_bytes(),
        )
        .expect("a page");
        assert_eq!(e.meta.author.as_deref(), Some("Ana Ribeiro and Tom Okafor"));
    }

    #[test]
    fn sub_headings_whose_class_says_header_are_kept() {
        let para = |n: usize| {
            format!(
                "<p>Paragraph {n}: the port authority counted forty ships waiting outside the harbour on Monday, and the queue grew again overnight as the storm passed.</p>"
            )
        };
        let run = |from: usize| (from..from + 4).map(para).collect::<String>();
        let page = format!(
            "<html><head><title>Queue</title></head><body><div class=\"site\"><a href=\"/\">Home</a></div>\
             <div class=\"story\"><h1>Harbour queue grows</h1>{}<h2 class=\"subheader\">Why the port matters</h2>{}\
             <h3 id=\"extra\">What comes next</h3>{}</div></body></html>",
            run(1),
            run(5),
            run(9)
        );
        let (e, _) = extract(page.as_bytes()).expect("a page");
        assert_present(
            &e,
            &["Why the port matters", "What comes next", "Paragraph 12"],
        );
    }

    #[test]
    fn a_gallery_before_the_article_does_not_open_it() {
        let para = |n: usize| {
            format!(
                "<p>Paragraph {n}: the port authority counted forty ships waiting outside the harbour on Monday, and the queue grew again overnight as the storm passed.</p>"
            )
        };
        let captions: String = (1..=12)
            .map(|n| format!("<figure><img src=\"{n}.jpg\"><figcaption>Photo {n}: ships at anchor off the breakwater in the evening light.</figcaption></figure>"))
            .collect();
        let page = format!(
            "<html><head><title>Queue</title></head><body>\
             <article><h1>Harbour queue grows</h1><div class=\"photo-gallery\">{captions}</div>{}</article></body></html>",
            (1..=6).map(para).collect::<String>()
        );
        let (e, _) = extract(page.as_bytes()).expect("a page");
        assert!(!e.text.contains("Photo 1:"), "{}", e.text);
        assert!(lines(&e)[1].starts_with("Paragraph 1:"), "{}", e.text);
    }

    #[test]
    fn visible_datelines_in_the_page_language_give_the_date() {
        let page = |body: &str| {
            format!(
                "<html lang=\"es\"><head><title>T</title></head><body><article><h1>Titular</h1>{body}\
                 <p>El gobierno dijo que las exportaciones subieron un doce por ciento en mayo, segun las cifras oficiales publicadas ayer.</p></article></body></html>"
            )
        };
        let fecha =
            extract(page("<span class=\"fecha\">jueves, 09 enero 2014 10:21</span>").as_bytes())
                .expect("a page")
                .0;
        assert_eq!(fecha.meta.published.as_deref(), Some("2014-01-09T10:21:00"));
        let time = extract(page("<time>9 janvier 2014</time>").as_bytes())
            .expect("a page")
            .0;
        assert_eq!(time.meta.published.as_deref(), Some("2014-01-09"));
        let none = extract(page("<span class=\"tag\">jueves</span>").as_bytes())
            .expect("a page")
            .0;
        assert_eq!(none.meta.published, None);
    }

    #[test]
    fn the_date_after_the_headline_is_the_articles_not_todays_in_the_header() {
        let html = "<html lang=\"es\"><head><title>El pleno aprueba el plan</title></head><body>\
             <div id=\"cabecera\"><h1 class=\"logo\">Diario</h1><div class=\"fecha-hoy\">Viernes, 10 de enero de 2014</div></div>\
             <div class=\"contenido\"><h2>El pleno aprueba el plan</h2><span class=\"createdate\">jueves, 09 enero 2014 10:21</span>\
             <p>El gobierno dijo que las exportaciones subieron un doce por ciento en mayo, segun las cifras oficiales publicadas ayer.</p>\
             <p>La oposicion pidio un debate en el pleno de la semana que viene, y el gobierno acepto la fecha propuesta por los grupos.</p></div></body></html>";
        let (e, _) = run(html.as_bytes());
        assert_eq!(e.meta.published, s("2014-01-09T10:21:00"));
        assert_absent(&e, &["10:21", "Viernes"]);
    }

    #[test]
    fn dates_become_iso_8601_when_readable() {
        assert_eq!(
            normalise_date("2024-03-05T07:30:00Z"),
            "2024-03-05T07:30:00+00:00"
        );
        assert_eq!(
            normalise_date(" 2024-03-05T07:30:00+0100 "),
            "2024-03-05T07:30:00+01:00"
        );
        assert_eq!(
            normalise_date("Tue, 05 Mar 2024 07:30:00 GMT"),
            "2024-03-05T07:30:00+00:00"
        );
        assert_eq!(normalise_date("2024-03-05 07:30:00"), "2024-03-05T07:30:00");
        assert_eq!(normalise_date("2024-03-05"), "2024-03-05");
        assert_eq!(normalise_date("2024/03/05"), "2024-03-05");
        assert_eq!(normalise_date("March 5, 2024"), "2024-03-05");
        assert_eq!(normalise_date("5 March 2024"), "2024-03-05");
        assert_eq!(normalise_date("05/03/2024"), "05/03/2024");
        assert_eq!(normalise_date("last Tuesday"), "last Tuesday");
    }

    #[test]
    fn bylines_and_titles() {
        assert_eq!(
            strip_by("By Jane Doe and John Roe"),
            "Jane Doe and John Roe"
        );
        assert_eq!(strip_by("BY: Jane Doe"), "Jane Doe");
        assert_eq!(strip_by("Bynum Smith"), "Bynum Smith");
        assert_eq!(strip_by("By"), "By");
        assert_eq!(
            split_title("Headline here | The Site", Some("The Site")),
            ("Headline here".to_owned(), s("The Site"))
        );
        assert_eq!(
            split_title("Storm hits coast - Daily Bugle", None),
            ("Storm hits coast".to_owned(), s("Daily Bugle"))
        );
        assert_eq!(
            split_title("Just a headline", None),
            ("Just a headline".to_owned(), None)
        );
    }

    fn page(head: &str, body: &str) -> Vec<u8> {
        format!("<!doctype html><html><head>{head}</head><body>{body}</body></html>").into_bytes()
    }

    const FILLER: &str = "<p>The committee met on Tuesday, heard evidence from twelve witnesses, \
        and adjourned until the spring, when it will publish its findings in full.</p>";

    #[test]
    fn json_ld_graph_with_author_list() {
        let head = r#"<script type="application/ld+json">{"@graph": [
            {"@type": "WebPage", "name": "Not this"},
            {"@type": ["NewsArticle"], "headline": "Graph headline",
             "author": [{"name": "Ann Lee"}, "Bo Park", {"name": "Cy Ruiz"}],
             "datePublished": "2023-12-01", "publisher": {"name": "Graph Times"}}]}</script>
            <script type="application/ld+json">{ not json</script>
            <link rel="canonical" href="https://www.graph-times.example/a/1">"#;
        let (e, _) = run(&page(head, FILLER));
        assert_eq!(e.meta.title, s("Graph headline"));
        assert_eq!(e.meta.author, s("Ann Lee, Bo Park and Cy Ruiz"));
        assert_eq!(e.meta.published, s("2023-12-01"));
        assert_eq!(e.meta.site, s("Graph Times"));
        assert_headline(&e, "Graph headline");
    }

    #[test]
    fn site_falls_back_to_the_host() {
        let head = r#"<meta property="og:url" content="https://www.example.org/news/1">"#;
        let (e, _) = run(&page(head, FILLER));
        assert_eq!(e.meta.site, s("example.org"));
        assert_eq!(e.meta.url, s("https://www.example.org/news/1"));
        assert_eq!(e.meta.title, None);
        assert!(e.text.starts_with("The committee met on Tuesday"));
    }

    #[test]
    fn inline_text_rules() {
        let body = "<h1>Top</h1><p>  One\tline<br>after   a break,\u{a0}\u{a0}then \
            <em>two <strong>nested</strong></em> marks, &amp; a <a href='#x'>link</a> \
            and <a name='n'>an anchor</a>.  </p>\
            <p>😀 漢字 <b>bold</b></p>\
            <ol start='4'><li>four</li><li><p>five</p><p>more of five</p></li></ol>\
            <pre>code line one\n  code line two</pre>";
        let (e, _) = run(&page("", body));
        let ls = lines(&e);
        assert_eq!(ls[0], "Top");
        assert_eq!(
            ls[1],
            "One line after a break, then two nested marks, & a link and an anchor."
        );
        assert!(has_style(&e, text_span(&e, "two nested"), Style::Emphasis));
        assert!(has_style(&e, text_span(&e, "nested"), Style::Strong));
        assert!(has_style(&e, text_span(&e, "link"), Style::Link));
        assert!(
            !e.styles
                .iter()
                .any(|m| m.style == Style::Link && m.span == text_span(&e, "an anchor"))
        );
        // Code points, not bytes or UTF-16 units: the emoji counts one.
        let b = text_span(&e, "bold");
        assert!(has_style(&e, b, Style::Strong));
        assert_eq!(ls[2], "😀 漢字 bold");
        assert_eq!(ls[3], "4. four");
        assert_eq!(ls[4], "5. five");
        assert_eq!(ls[5], "more of five");
        assert!(has_style(
            &e,
            line_span(&e, "more of five"),
            Style::ListItem
        ));
        assert_eq!(ls[6], "code line one");
        assert_eq!(ls[7], "code line two");
        assert!(has_style(&e, line_span(&e, "code line two"), Style::Code));
    }

    #[test]
    fn metadata_lines_go_but_body_lines_stay() {
        let head = r#"<meta name="author" content="Dana Reyes">"#;
        let body = format!(
            "<article><h1>Port vote</h1><p class=\"meta\">Dana Reyes, <time datetime=\"2024-03-05\">\
             March 5</time></p>{FILLER}<ul><li>Dana Reyes</li></ul>\
             <p>Dana Reyes reported from the harbour wall, where the tide was at its highest.</p></article>"
        );
        let (e, _) = run(&page(head, &body));
        assert_eq!(e.meta.published, s("2024-03-05"));
        assert!(!e.text.contains("March 5"), "{}", e.text);
        assert!(e.text.contains("\n\n• Dana Reyes\n\n"), "{}", e.text);
        assert!(
            e.text.contains("Dana Reyes reported from the harbour wall"),
            "{}",
            e.text
        );
    }

    /// A paragraph of prose for the page tests, numbered.
    fn prose(n: usize) -> String {
        format!(
            "<p>Paragraph {n}: the port authority counted forty ships waiting outside the harbour on Monday, and the queue grew again overnight as the storm passed.</p>"
        )
    }

    #[test]
    fn a_byline_glued_to_the_headline_is_not_part_of_it() {
        let head = r#"<meta property="og:title" content="Harbour queue grows">"#;
        let body = format!(
            "<article><h1>Harbour queue grows<span class=\"byline\"> By Ana Ribeiro · July 6, 2026 4:20 PM</span></h1>{}</article>",
            (1..=4).map(prose).collect::<String>()
        );
        let (e, _) = run(&page(head, &body));
        assert_headline(&e, "Harbour queue grows");
        assert_absent(&e, &["Ana Ribeiro", "4:20"]);
        // A headline that merely goes on past the given title keeps its words.
        let body = format!(
            "<article><h1>Harbour queue grows as storm nears</h1>{}</article>",
            prose(1)
        );
        let (e, _) = run(&page(head, &body));
        assert_headline(&e, "Harbour queue grows as storm nears");
    }

    #[test]
    fn a_standfirst_beside_the_headline_is_kept_once() {
        let dek = "Forty ships wait outside the port, and the authority says the queue will grow.";
        let body = format!(
            "<header class=\"story-head\"><h1>Harbour queue grows</h1><p class=\"dek\">{dek}</p>\
             <p class=\"meta\">By Ana Ribeiro, 6 July 2026</p></header>\
             <div class=\"story-body\">{}</div>",
            (1..=5).map(prose).collect::<String>()
        );
        let (e, _) = run(&page("", &body));
        assert_eq!(
            lines(&e)[..3],
            ["Harbour queue grows", dek, &prose(1)[3..prose(1).len() - 4]]
        );
        assert_eq!(e.text.matches(dek).count(), 1);
        // A byline or a box of links beside the headline is not a standfirst.
        let body = format!(
            "<div class=\"head\"><h1>Harbour queue grows</h1><p class=\"links\"><a href=\"/a\">Ports and shipping news from the whole coast</a></p></div><div>{}</div>",
            (1..=5).map(prose).collect::<String>()
        );
        let (e, _) = run(&page("", &body));
        assert_absent(&e, &["Ports and shipping"]);
    }

    #[test]
    fn labels_and_datelines_around_the_headline_go() {
        let body = format!(
            "<article><p class=\"kicker\">Shipping</p><h1>Harbour queue grows</h1>\
             <p class=\"info\">22.06.2026, 14:31 Uhr Quelle: dpa</p><p class=\"views\">3528</p>\
             {}<p>The next vote is on 12/03/2027.</p>{}</article>",
            prose(1),
            prose(2)
        );
        let (e, _) = run(&page("", &body));
        assert_headline(&e, "Harbour queue grows");
        assert_absent(&e, &["Shipping", "14:31", "3528"]);
        // A date in the body's own text stays.
        assert_present(&e, &["The next vote is on 12/03/2027."]);

        // Without the headline in the body, a label at its top goes, a short first line
        // with a sentence's end stays.
        let head = r#"<meta property="og:title" content="Harbour queue grows">"#;
        let body = format!(
            "<div class=\"story\"><p>Economía</p><p>Lisbon.</p>{}</div>",
            (1..=5).map(prose).collect::<String>()
        );
        let (e, _) = run(&page(head, &body));
        assert_absent(&e, &["Economía"]);
        assert_present(&e, &["\n\nLisbon.\n\n"]);
    }

    #[test]
    fn dates_and_times_in_lines() {
        for yes in [
            "22.06.2026, 14:31 Uhr",
            "Publié le 16/09/2026",
            "modifié à 08h02",
            "입력 2026.12.05",
            "30/10/2026 07:15 GMT+7",
            "jueves, 09 enero 2014",
            "2026-06-22",
        ] {
            assert!(names_date_or_time(yes), "{yes}");
        }
        for no in [
            "3528",
            "12 345 views",
            "Route 66",
            "v2.1",
            "10h",
            "1.5/2",
            "ab12:30",
        ] {
            assert!(!names_date_or_time(no), "{no}");
        }
    }

    #[test]
    fn link_boxes_copyright_and_signatures_go() {
        let body = format!(
            "<article><h1>Harbour queue grows</h1>{}\
             <p class=\"see-also\"><strong>Leggi anche</strong> &gt; <a href=\"/x\">Grandi navi, il ritorno in laguna resta un'ipotesi</a></p>\
             <p><a href=\"/login\">Sign in</a> <a href=\"/register\">Register</a></p>\
             <p><a href=\"/report\">The full report of the harbour authority, with every table</a></p>\
             {}<p>Ana Ribeiro ana.ribeiro@harbour-news.example</p><p>© RIPRODUZIONE RISERVATA</p>\
             <div class=\"report-typo\"><p>Spotted a mistake? <a href=\"/typo\">Report a typo</a>.</p></div>\
             <div class=\"b-article__error\">Нашли ошибку? Выделите её и нажмите Ctrl+Enter</div>\
             <h2>More on this story</h2></article>",
            prose(1),
            prose(2)
        );
        let (e, _) = run(&page("", &body));
        assert_absent(
            &e,
            &[
                "Leggi anche",
                "Sign in",
                "ana.ribeiro@",
                "RIPRODUZIONE",
                "Report a typo",
                "Нашли",
                "More on this story",
            ],
        );
        // One link alone may be a paragraph of the article.
        assert_present(
            &e,
            &["The full report of the harbour authority", "Paragraph 2"],
        );
    }

    #[test]
    fn boxes_around_buttons_and_fields_go_but_not_the_article() {
        let body = format!(
            "<article><h1>Harbour queue grows</h1>\
             <div class=\"tools\"><button>Listen</button> <span>X.com</span> <span>Facebook</span></div>\
             {}<div class=\"offer\"><p>Read on with Harbour+</p><p>Already a subscriber? Sign in</p>\
             <button>1 month for 1 €</button></div>\
             <div class=\"box\"><h4>Poll</h4><p>Should the port grow?</p><label><input type=\"radio\"> Yes</label></div>\
             {}<div class=\"feedback\">{}<button>Was this useful?</button></div></article>",
            prose(1),
            prose(2),
            prose(3)
        );
        let (e, _) = run(&page("", &body));
        assert_absent(
            &e,
            &[
                "X.com",
                "Harbour+",
                "Already a subscriber",
                "Should the port grow?",
            ],
        );
        // A paragraph of prose next to a button stays.
        assert_present(&e, &["Paragraph 1:", "Paragraph 2:", "Paragraph 3:"]);
    }

    #[test]
    fn lines_of_bylines_dates_bios_and_separators_go() {
        let body = format!(
            "<article><h1>Harbour queue grows</h1><p class=\"preamble\">{}</p>\
             <div class=\"article__byline\"><span>Karin Nilsson</span>\
             <div class=\"byline__dates\"><span>Published 24 November 2026 06:00</span></div></div>\
             {}<p>___</p><p>* * *</p>{}<p class=\"button-wrapper\"><a href=\"/share\">Share</a></p>\
             <div class=\"Page-bio\"><p>Karin Nilsson covers shipping and the ports of the north coast for the paper.</p></div>\
             <section id=\"comentarios\"><h2>Comentarios</h2><p>Para comentar debe estar suscrito.</p></section></article>",
            &prose(1)[3..prose(1).len() - 4],
            prose(2),
            prose(3)
        );
        let (e, _) = run(&page("", &body));
        assert_absent(
            &e,
            &[
                "Published 24",
                "___",
                "* * *",
                "Share",
                "covers shipping",
                "Comentarios",
            ],
        );
        assert_present(&e, &["Paragraph 1:", "Paragraph 2:", "Paragraph 3:"]);
    }

    #[test]
    fn the_headline_in_an_articles_own_header_is_found() {
        // og:title carries the source in brackets; the h1 in the article's header does not.
        let head = r#"<meta property="og:title" content="Harbour queue grows (Wire)">"#;
        let body = format!(
            "<header class=\"site\"><h1>Harbour Daily</h1></header>\
             <article><header><h1>Harbour queue grows</h1></header>{}</article>",
            (1..=3).map(prose).collect::<String>()
        );
        let (e, _) = run(&page(head, &body));
        assert_headline(&e, "Harbour queue grows");
        assert_eq!(
            split_title(
                "Millbrook Courier - County approves new library for Millbrook",
                None
            ),
            (
                "County approves new library for Millbrook".to_owned(),
                s("Millbrook Courier")
            )
        );
    }

    #[test]
    fn pull_quotes_and_signed_lines_go() {
        let said = "We sell beds, not seats, and a bed takes up a lot of room";
        let body = format!(
            "<article><h1>Night trains return</h1><p class=\"chapo\">{}</p>\
             <div class=\"signature\">Interview by Hugo Lambert, 30 March 2026</div>{}\
             <figure class=\"pq\"><blockquote><p>“{said}.”</p></blockquote></figure>\
             <p>“{said},” says Katrin Holler, who plans timetables for one of the larger operators.</p>\
             <blockquote><p>A quotation said only once stays in the article, as its own paragraph.</p></blockquote>{}</article>",
            &prose(1)[3..prose(1).len() - 4],
            prose(2),
            prose(3)
        );
        let (e, _) = run(&page("", &body));
        assert_eq!(e.text.matches(said).count(), 1, "{}", e.text);
        assert_absent(&e, &["Hugo Lambert"]);
        assert_present(&e, &["A quotation said only once stays"]);
    }

    #[test]
    fn a_label_over_links_to_other_stories_goes() {
        let body = format!(
            "<article><h1>Harbour queue grows</h1>{}{}\
             <p>The finalists are:</p><ul><li><a href=\"/a\">Ana Ribeiro</a></li><li><a href=\"/b\">Tom Okafor</a></li></ul>\
             <ol><li><a href=\"/r\">The full report of the harbour authority on the queue</a></li></ol>\
             <p><strong>Read more:</strong></p><ul>\
             <li><a href=\"/1\">Milk prices should fall in the winter, farmers say</a></li>\
             <li><a href=\"/2\">January inflation comes in above forecasts</a></li></ul>\
             <h2>Read also</h2><ul><li><a href=\"/3\">Drought threatens the grain harvest across the region</a></li></ul></article>",
            prose(1),
            prose(2)
        );
        let (e, _) = run(&page("", &body));
        assert_absent(
            &e,
            &[
                "Read more",
                "Milk prices",
                "January inflation",
                "Read also",
                "Drought",
            ],
        );
        // Names in a list, and a list of links without a label over it, stay.
        assert_present(
            &e,
            &[
                "• Ana Ribeiro",
                "1. The full report of the harbour authority",
            ],
        );
    }

    #[test]
    fn whole_page_reading_leaves_out_the_frame() {
        let doc = Document::from(
            "<body><header><p>Site header</p></header><nav><p>Menu</p></nav>\
             <div class=\"cookie-notice\"><p>Cookies</p></div><aside><p>Aside</p></aside>\
             <div class=\"content\"><p>Body <i>text</i>.</p><figure><figcaption>Caption.</figcaption></figure></div>\
             <div style=\"display: none\">Hidden</div><footer><p>Footer</p></footer></body>",
        );
        let blocks = match doc.body() {
            Some(body) => collect_blocks(&body, true),
            None => Vec::new(),
        };
        let texts: Vec<&str> = blocks.iter().map(|b| b.text.as_str()).collect();
        assert_eq!(texts, ["Body text.", "Caption."]);
        assert_eq!(blocks[0].marks, [(5, 9, Style::Emphasis)]);
    }

    #[test]
    fn empty_pages_are_refused() {
        for bytes in [
            &b""[..],
            b"<html><head><title>Only a title</title></head><body></body></html>",
            b"<script>var a = 'no text';</script><nav><a href='/'>Home</a></nav>",
            b"\xff\xfe\x00\x00",
        ] {
            assert_eq!(extract(bytes), Err(HtmlError::NoText), "{bytes:?}");
        }
    }

    #[test]
    fn short_page_without_article_markup() {
        let (e, _) = run(b"<p>Hello, world.</p>");
        assert_eq!(e.text, "Hello, world.");
    }

    #[test]
    fn deep_nesting_and_huge_attributes() {
        for tag in ["div", "b", "blockquote", "li", "table", "a href=x"] {
            let close = tag.split(' ').next().unwrap_or(tag);
            let html = format!(
                "<body>{}Deep text survives.{}<p>A paragraph.</p></body>",
                format!("<{tag}>").repeat(10_000),
                format!("</{close}>").repeat(10_000)
            );
            let start = std::time::Instant::now();
            let (e, _) = run(html.as_bytes());
            assert!(e.text.contains("Deep text survives."), "{tag}: {}", e.text);
            assert!(
                start.elapsed().as_secs() < 60,
                "{tag}: {:?}",
                start.elapsed()
            );
        }
        let huge = format!(
            "<p class=\"{}\" title='{}'>Text with huge attributes.</p><img alt=\"{}\">",
            "x".repeat(2_000_000),
            "é".repeat(1_000_000),
            "<".repeat(1_000_000)
        );
        let (e, _) = run(huge.as_bytes());
        assert_eq!(e.text, "Text with huge attributes.");
    }

    #[test]
    fn nesting_beyond_the_parse_limit_is_flattened_before_parsing() {
        // 100,000 nested elements (1.1 MB): the parser alone took 46 s on this before.
        let n = 100_000;
        let page = format!(
            "<html><body><script>if (a<b) {{ x = '<div>'; }}</script>{}<p>Deep text survives.</p>{}\
             <p>A paragraph after.</p></body></html>",
            "<div class=\"x\">".repeat(n),
            "</div>".repeat(n)
        );
        let limited = limit_nesting(&page).expect("not too many elements");
        // `html` and `body` count too.
        assert_eq!(limited.matches("<div class").count(), MAX_PARSE_DEPTH - 2);
        assert_eq!(limited.matches("</div>").count(), MAX_PARSE_DEPTH - 2);
        assert!(limited.contains("x = '<div>'"), "script left alone");
        let (e, _) = run(page.as_bytes());
        assert!(e.text.contains("Deep text survives."), "{}", e.text);
        assert!(e.text.contains("A paragraph after."), "{}", e.text);
        // Ordinary pages, unclosed paragraphs and inline SVG included, pass through untouched.
        let ordinary = format!(
            "<body>{}<svg>{}</svg><div><b>ok</b></div></body>",
            "<p>Para".repeat(5_000),
            "<path d='M0 0'/>".repeat(5_000)
        );
        assert!(matches!(
            limit_nesting(&ordinary),
            Ok(std::borrow::Cow::Borrowed(_))
        ));
    }

    /// 3 million elements (48 MB) took 2.3 GB: too many elements are refused before parsing.
    #[test]
    fn pages_with_too_many_elements_are_refused() {
        let page = format!(
            "<body><p>{}</p></body>",
            "<span>ab</span> ".repeat(MAX_ELEMENTS)
        );
        let err = extract(page.as_bytes()).expect_err("refused");
        assert_eq!(err, HtmlError::TooManyElements);
        assert!(err.to_string().contains("elements"), "{err}");
    }

    #[test]
    fn truncated_pages_do_not_panic() {
        for bytes in [EN, KO, AR, FR, JA] {
            for cut in (0..bytes.len()).step_by(97) {
                if let Ok((e, _)) = extract(&bytes[..cut]) {
                    crate::import::assert_canonical(&e);
                }
            }
        }
    }

    fn tag_soup() -> impl Strategy<Value = String> {
        let piece = prop_oneof![
            Just("<p>".to_owned()),
            Just("</p>".to_owned()),
            Just("<div class='share'>".to_owned()),
            Just("</div>".to_owned()),
            Just("<b>".to_owned()),
            Just("</b>".to_owned()),
            Just("<i>".to_owned()),
            Just("<a href=x>".to_owned()),
            Just("</a>".to_owned()),
            Just("<ul><li>".to_owned()),
            Just("<ol start=-9223372036854775808><li value=9223372036854775807>".to_owned()),
            Just("</li>".to_owned()),
            Just("<blockquote>".to_owned()),
            Just("<h2>".to_owned()),
            Just("<h1>".to_owned()),
            Just("<br>".to_owned()),
            Just("<pre>".to_owned()),
            Just("<table><tr><td>".to_owned()),
            Just("<script>".to_owned()),
            Just("<!--".to_owned()),
            Just("<time datetime='2024-13-45'>".to_owned()),
            Just("<meta charset=shift_jis>".to_owned()),
            Just("<meta name=author content='By '>".to_owned()),
            Just("<script type='application/ld+json'>[[[{\"@graph\":".to_owned()),
            Just("&amp;&#0;&#x110000;&nbsp;".to_owned()),
            Just("\r\n\t \u{3000}\u{2028}".to_owned()),
            "[a-zé한ت😀 .,]{0,12}",
        ];
        prop::collection::vec(piece, 0..120).prop_map(|v| v.concat())
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(200))]

        #[test]
        fn arbitrary_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..3000)) {
            if let Ok((e, _)) = extract(&bytes) {
                crate::import::assert_canonical(&e);
            }
        }

        #[test]
        fn tag_soup_never_panics(html in tag_soup()) {
            if let Ok((e, _)) = extract(html.as_bytes()) {
                crate::import::assert_canonical(&e);
            }
        }
    }
}
