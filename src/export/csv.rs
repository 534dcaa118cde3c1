//! CSV: one row per annotation and tag, RFC 4180 quoting, UTF-8 (optionally with a byte-order
//! mark, which Excel needs to read UTF-8). The `taguette` preset writes Taguette's highlight
//! columns instead.

use std::collections::HashMap;
use std::io::{self, Write};

use super::{Exporter, Printed};
use crate::model::Annotation;
use crate::model::claim::format_grade;
use crate::session::{AnchorStatus, Session};

/// The columns of the full CSV.
pub const COLUMNS: &[&str] = &[
    "article_title",
    "article_path",
    "article_date",
    "article_url",
    "id",
    "tag",
    "quote",
    "start",
    "end",
    "prefix",
    "suffix",
    "attributed_to",
    "via",
    "reliability",
    "credibility",
    "grade",
    "status",
    "confidence",
    "note",
    "author",
    "created",
    "modified",
    "anchoring",
    "links",
];

/// Taguette's highlight export columns.
pub const TAGUETTE_COLUMNS: &[&str] = &["id", "document", "tag", "content"];

pub struct CsvExport<W: Write> {
    out: csv::Writer<W>,
    taguette: bool,
    /// Annotations with more than Taguette's columns carry (source, grades, note, links…).
    left_out: usize,
}

impl<W: Write> CsvExport<W> {
    /// Starts a CSV: the optional byte-order mark and the header row.
    pub fn new(mut w: W, bom: bool, taguette: bool) -> io::Result<Self> {
        if bom {
            w.write_all("\u{feff}".as_bytes())?;
        }
        // Rows are written to the output a megabyte at a time, not in the default 8 kB pieces
        // (a system call each: thousands for a large export).
        let mut out = csv::WriterBuilder::new()
            .terminator(csv::Terminator::CRLF)
            .buffer_capacity(1 << 20)
            .from_writer(w);
        out.write_record(if taguette { TAGUETTE_COLUMNS } else { COLUMNS })
            .map_err(io::Error::other)?;
        Ok(Self {
            out,
            taguette,
            left_out: 0,
        })
    }
}

impl<W: Write> CsvExport<W> {
    /// A CSV without its header row (more rows of a CSV begun with [`CsvExport::new`]), for
    /// parts written on several threads and joined in order.
    pub fn rows_only(w: W, taguette: bool) -> Self {
        Self {
            out: csv::WriterBuilder::new()
                .terminator(csv::Terminator::CRLF)
                .from_writer(w),
            taguette,
            left_out: 0,
        }
    }

    /// How many annotations had more than Taguette's columns carry (see [`Exporter::notes`]).
    pub fn left_out(&self) -> usize {
        self.left_out
    }

    /// Counts `n` more such annotations, written by another `CsvExport` (a part of the CSV
    /// made on another thread).
    pub fn add_left_out(&mut self, n: usize) {
        self.left_out += n;
    }

    /// The writer, with everything written flushed to it.
    pub fn into_inner(self) -> io::Result<W> {
        self.out
            .into_inner()
            .map_err(|e| io::Error::new(e.error().kind(), e.error().to_string()))
    }
}

impl<W: Write> Exporter for CsvExport<W> {
    fn notes(&self) -> Vec<String> {
        if self.left_out == 0 {
            return Vec::new();
        }
        vec![format!(
            "Taguette's columns carry the tag and the quote only: the source, grades, status, \
             note and links of {} are not in this file (the full CSV has them)",
            crate::model::count(self.left_out, "annotation")
        )]
    }

    fn article(&mut self, session: &Session, annotations: &[&Annotation]) -> io::Result<()> {
        let rows = annotations.iter().map(|a| (*a, session.anchor_status(a)));
        self.rows(&Printed::of(session), rows)
    }

    fn finish(&mut self) -> io::Result<()> {
        self.out.flush()
    }
}

impl<W: Write> CsvExport<W> {
    /// The rows of `annotations` of `article`, each found in the text as its status says.
    pub fn rows<'a>(
        &mut self,
        article: &Printed,
        annotations: impl IntoIterator<Item = (&'a Annotation, AnchorStatus)>,
    ) -> io::Result<()> {
        let title = &article.title;
        let path = article.path.display().to_string();
        let date = article.date.unwrap_or_default();
        let url = article.url.unwrap_or_default();
        // Fields are written one by one from borrowed text: no row is built in memory.
        let out = &mut self.out;
        macro_rules! field {
            ($f:expr $(,)?) => {
                out.write_field($f).map_err(io::Error::other)
            };
        }
        let mut paths: HashMap<&str, String> = HashMap::new();
        let mut quote = String::new();
        let mut number = itoa::Buffer::new();
        for (ann, anchoring) in annotations {
            let extent = ann.extent();
            let r = &ann.record;
            if self.taguette && (*r != crate::model::ClaimRecord::default() || !ann.note.is_empty())
            {
                self.left_out += 1;
            }
            quote.clear();
            for (i, f) in ann.fragments.iter().enumerate() {
                if i > 0 {
                    quote.push_str(" … ");
                }
                quote.push_str(&f.quote);
            }
            for tag in &ann.tags {
                let tag = paths
                    .entry(tag.as_str())
                    .or_insert_with(|| article.codebook.path(tag));
                if self.taguette {
                    field!(ann.id.0.as_bytes())?;
                    field!(title.as_bytes())?;
                    field!(tag.as_bytes())?;
                    field!(quote.as_bytes())?;
                } else {
                    field!(title.as_bytes())?;
                    field!(path.as_bytes())?;
                    field!(date.as_bytes())?;
                    field!(url.as_bytes())?;
                    field!(ann.id.0.as_bytes())?;
                    field!(tag.as_bytes())?;
                    field!(quote.as_bytes())?;
                    field!(number.format(extent.start).as_bytes())?;
                    field!(number.format(extent.end).as_bytes())?;
                    field!(ann.fragments.first().map_or("", |f| &f.prefix).as_bytes())?;
                    field!(ann.fragments.last().map_or("", |f| &f.suffix).as_bytes())?;
                    field!(r.attributed_to.as_deref().unwrap_or_default().as_bytes())?;
                    field!(r.via.join("; ").as_bytes())?;
                    let mut letter = [0u8; 4];
                    field!(
                        r.reliability
                            .map_or("", |g| g.letter().encode_utf8(&mut letter))
                            .as_bytes(),
                    )?;
                    field!(match r.credibility {
                        Some(c) => number.format(c.digit()).as_bytes(),
                        None => b"",
                    })?;
                    field!(
                        match (r.reliability, r.credibility) {
                            (None, None) => String::new(),
                            (g, c) => format_grade(g, c),
                        }
                        .as_bytes(),
                    )?;
                    field!(r.status.label().as_bytes())?;
                    field!(r.confidence.map_or("", |c| c.label()).as_bytes())?;
                    field!(ann.note.as_bytes())?;
                    field!(ann.author.as_bytes())?;
                    field!(ann.created.as_bytes())?;
                    field!(ann.modified.as_bytes())?;
                    field!(anchoring.label().as_bytes())?;
                    field!(links(r).as_bytes())?;
                }
                out.write_record(None::<&[u8]>).map_err(io::Error::other)?;
            }
        }
        Ok(())
    }
}

/// An annotation's links as one field, as `claimmark add --link` takes them: `kind:target`,
/// and `@article` for another article's, separated by "; " ("same_claim_as:9f2c…@report.txt;
/// contradicts:41b0…").
fn links(record: &crate::model::ClaimRecord) -> String {
    record
        .links
        .iter()
        .map(|l| {
            let kind = l.kind.label().replace(' ', "_");
            match &l.article {
                Some(article) => format!("{kind}:{}@{article}", l.target.0),
                None => format!("{kind}:{}", l.target.0),
            }
        })
        .collect::<Vec<_>>()
        .join("; ")
}
