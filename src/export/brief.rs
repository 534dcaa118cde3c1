//! The claims brief, in Markdown or HTML: a readable report grouped by tag and by source, each
//! claim quoted in its context with its grades, status, note and a citation of its article,
//! fit to paste into an analytic product. Claims are gathered article by article and written
//! at the end (a brief is read by people, so it is of a size people read).

use std::collections::BTreeMap;
use std::io::{self, Write};

use super::Exporter;
use crate::model::{Annotation, Credibility, Reliability};
use crate::session::Session;

/// One claim as the brief shows it.
struct Item {
    tags: Vec<String>,
    source: Option<String>,
    via: Vec<String>,
    prefix: String,
    quote: String,
    suffix: String,
    reliability: Option<Reliability>,
    credibility: Option<Credibility>,
    status: &'static str,
    confidence: Option<&'static str>,
    note: String,
    article: String,
    date: Option<String>,
}

pub struct BriefExport<W: Write> {
    out: W,
    html: bool,
    items: Vec<Item>,
    articles: usize,
}

impl<W: Write> BriefExport<W> {
    pub fn new(out: W, html: bool) -> Self {
        Self {
            out,
            html,
            items: Vec::new(),
            articles: 0,
        }
    }
}

impl<W: Write> Exporter for BriefExport<W> {
    fn article(&mut self, session: &Session, annotations: &[&Annotation]) -> io::Result<()> {
        if !annotations.is_empty() {
            self.articles += 1;
        }
        for ann in annotations {
            let r = &ann.record;
            self.items.push(Item {
                tags: ann
                    .tags
                    .iter()
                    .map(|t| session.codebook().path(t))
                    .collect(),
                source: r.attributed_to.clone(),
                via: r.via.clone(),
                prefix: ann
                    .fragments
                    .first()
                    .map(|f| whole_words_before(&f.prefix.replace('\n', " ")))
                    .unwrap_or_default(),
                quote: ann.quote().replace('\n', " "),
                suffix: ann
                    .fragments
                    .last()
                    .map(|f| whole_words_after(&f.suffix.replace('\n', " ")))
                    .unwrap_or_default(),
                reliability: r.reliability,
                credibility: r.credibility,
                status: r.status.label(),
                confidence: r.confidence.map(|c| c.label()),
                note: ann.note.clone(),
                article: super::title(session),
                date: session.article().date.clone(),
            });
        }
        Ok(())
    }

    fn finish(&mut self) -> io::Result<()> {
        let doc = render(&self.items, self.articles, self.html);
        self.out.write_all(doc.as_bytes())?;
        self.out.flush()
    }
}

/// Escapes text for HTML.
fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// Escapes text for Markdown (characters that would start markup).
fn md(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if matches!(c, '\\' | '*' | '_' | '`' | '[' | ']' | '<' | '>' | '#') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

fn details(item: &Item) -> Vec<String> {
    let mut parts = Vec::new();
    if let Some(source) = &item.source {
        let mut who = source.clone();
        if !item.via.is_empty() {
            who = format!("{who}, via {}", item.via.join(", via "));
        }
        parts.push(format!("attributed to {who}"));
    }
    match (item.reliability, item.credibility) {
        (None, None) => {}
        (r, c) => {
            let mut grade = crate::model::claim::format_grade(r, c);
            let meanings: Vec<&str> = r
                .map(|r| r.meaning())
                .into_iter()
                .chain(c.map(|c| c.meaning()))
                .collect();
            grade = format!("grade {grade} ({})", meanings.join("; "));
            parts.push(grade);
        }
    }
    parts.push(format!("status {}", item.status));
    if let Some(c) = item.confidence {
        parts.push(format!("confidence {c}"));
    }
    parts
}

fn citation(item: &Item) -> String {
    match &item.date {
        Some(d) => format!("{}, {d}", item.article),
        None => item.article.clone(),
    }
}

fn render(items: &[Item], articles: usize, html: bool) -> String {
    let mut by_tag: BTreeMap<&str, Vec<&Item>> = BTreeMap::new();
    let mut by_source: BTreeMap<&str, Vec<&Item>> = BTreeMap::new();
    for item in items {
        for t in &item.tags {
            by_tag.entry(t.as_str()).or_default().push(item);
        }
        by_source
            .entry(item.source.as_deref().unwrap_or("Unattributed"))
            .or_default()
            .push(item);
    }
    let summary = format!("{} claims from {articles} article(s).", items.len());
    let mut out = String::new();
    if html {
        out.push_str("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>Claims brief</title>\n");
        out.push_str("<style>body{font-family:sans-serif;max-width:50em;margin:2em auto;line-height:1.5}blockquote{margin:0.5em 0;padding-left:1em;border-left:3px solid #ccc}.ctx{color:#777}.meta{font-size:90%;color:#444}</style>\n</head>\n<body>\n");
        out.push_str(&format!(
            "<h1>Claims brief</h1>\n<p>{}</p>\n<h2>By tag</h2>\n",
            esc(&summary)
        ));
        for (tag, list) in &by_tag {
            out.push_str(&format!("<h3>{} ({})</h3>\n", esc(tag), list.len()));
            for item in list {
                out.push_str(&format!(
                    "<blockquote><span class=\"ctx\">…{}</span><strong>{}</strong><span class=\"ctx\">{}…</span></blockquote>\n<p class=\"meta\">{}. <cite>{}</cite></p>\n",
                    esc(&item.prefix),
                    esc(&item.quote),
                    esc(&item.suffix),
                    esc(&details(item).join(" · ")),
                    esc(&citation(item))
                ));
                if !item.note.is_empty() {
                    out.push_str(&format!(
                        "<p class=\"meta\">Note: {}</p>\n",
                        esc(&item.note).replace('\n', "<br>")
                    ));
                }
            }
        }
        out.push_str("<h2>By source</h2>\n");
        for (source, list) in &by_source {
            out.push_str(&format!(
                "<h3>{} ({})</h3>\n<ul>\n",
                esc(source),
                list.len()
            ));
            for item in list {
                out.push_str(&format!(
                    "<li>“{}” — <cite>{}</cite>; {}</li>\n",
                    esc(&item.quote),
                    esc(&citation(item)),
                    esc(&details(item).join(" · "))
                ));
            }
            out.push_str("</ul>\n");
        }
        out.push_str("</body>\n</html>\n");
    } else {
        out.push_str(&format!("# Claims brief\n\n{summary}\n\n## By tag\n"));
        for (tag, list) in &by_tag {
            out.push_str(&format!("\n### {} ({})\n", md(tag), list.len()));
            for item in list {
                out.push_str(&format!(
                    "\n> …{}**{}**{}…\n\n{}. *{}*\n",
                    md(&item.prefix),
                    md(&item.quote),
                    md(&item.suffix),
                    md(&details(item).join(" · ")),
                    md(&citation(item))
                ));
                if !item.note.is_empty() {
                    out.push_str(&format!(
                        "\nNote: {}\n",
                        md(&item.note).replace('\n', "  \n")
                    ));
                }
            }
        }
        out.push_str("\n## By source\n");
        for (source, list) in &by_source {
            out.push_str(&format!("\n### {} ({})\n\n", md(source), list.len()));
            for item in list {
                out.push_str(&format!(
                    "- “{}” — *{}*; {}\n",
                    md(&item.quote),
                    md(&citation(item)),
                    md(&details(item).join(" · "))
                ));
            }
        }
    }
    out
}

/// The context before a quote, from its first whole word. A prefix as long as anchoring keeps
/// ([`crate::anchoring::CONTEXT_CHARS`]) was cut out of the text, likely inside a word
/// ("ernment said "): the cut piece goes ("said "). A shorter one starts the article: kept.
fn whole_words_before(prefix: &str) -> String {
    if prefix.chars().count() < crate::anchoring::CONTEXT_CHARS {
        return prefix.to_owned();
    }
    match prefix.find(char::is_whitespace) {
        Some(i) => prefix[i..].trim_start().to_owned(),
        None => String::new(),
    }
}

/// The context after a quote, up to its last whole word (the same rule, at the other end).
fn whole_words_after(suffix: &str) -> String {
    if suffix.chars().count() < crate::anchoring::CONTEXT_CHARS {
        return suffix.to_owned();
    }
    match suffix.rfind(char::is_whitespace) {
        Some(i) => suffix[..i].trim_end().to_owned(),
        None => String::new(),
    }
}

#[cfg(test)]
mod word_tests {
    use super::*;

    #[test]
    fn context_is_cut_at_whole_words() {
        // 32 characters, cut inside "government" and inside "yesterday".
        let prefix = "ernment of Korvania said that we";
        assert_eq!(prefix.chars().count(), 32);
        assert_eq!(whole_words_before(prefix), "of Korvania said that we");
        let suffix = " the talks resume on Monday, yes";
        assert_eq!(suffix.chars().count(), 32);
        assert_eq!(whole_words_after(suffix), " the talks resume on Monday,");
        // Shorter context reaches the start or end of the article: nothing was cut.
        assert_eq!(whole_words_before("The minister "), "The minister ");
        assert_eq!(whole_words_after(" in port."), " in port.");
    }
}
