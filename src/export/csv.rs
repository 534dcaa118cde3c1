//! CSV: one row per annotation and tag, RFC 4180 quoting, UTF-8 (optionally with a byte-order
//! mark, which Excel needs to read UTF-8). The `taguette` preset writes Taguette's highlight
//! columns instead.

use std::io::{self, Write};

use super::Exporter;
use crate::model::Annotation;
use crate::model::claim::format_grade;
use crate::session::Session;

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
];

/// Taguette's highlight export columns.
pub const TAGUETTE_COLUMNS: &[&str] = &["id", "document", "tag", "content"];

pub struct CsvExport<W: Write> {
    out: csv::Writer<W>,
    taguette: bool,
}

impl<W: Write> CsvExport<W> {
    /// Starts a CSV: the optional byte-order mark and the header row.
    pub fn new(mut w: W, bom: bool, taguette: bool) -> io::Result<Self> {
        if bom {
            w.write_all("\u{feff}".as_bytes())?;
        }
        let mut out = csv::WriterBuilder::new()
            .terminator(csv::Terminator::CRLF)
            .from_writer(w);
        out.write_record(if taguette { TAGUETTE_COLUMNS } else { COLUMNS })
            .map_err(io::Error::other)?;
        Ok(Self { out, taguette })
    }
}

impl<W: Write> Exporter for CsvExport<W> {
    fn article(&mut self, session: &Session, annotations: &[&Annotation]) -> io::Result<()> {
        let title = super::title(session);
        let path = session.path.display().to_string();
        for ann in annotations {
            let extent = ann.extent();
            let r = &ann.record;
            for tag in &ann.tags {
                let tag = session.codebook.path(tag);
                let row: Vec<String> = if self.taguette {
                    vec![ann.id.0.clone(), title.clone(), tag, ann.quote()]
                } else {
                    vec![
                        title.clone(),
                        path.clone(),
                        session.article.date.clone().unwrap_or_default(),
                        String::new(),
                        ann.id.0.clone(),
                        tag,
                        ann.quote(),
                        extent.start.to_string(),
                        extent.end.to_string(),
                        ann.fragments
                            .first()
                            .map(|f| f.prefix.clone())
                            .unwrap_or_default(),
                        ann.fragments
                            .last()
                            .map(|f| f.suffix.clone())
                            .unwrap_or_default(),
                        r.attributed_to.clone().unwrap_or_default(),
                        r.via.join("; "),
                        r.reliability
                            .map(|g| g.letter().to_string())
                            .unwrap_or_default(),
                        r.credibility
                            .map(|c| c.digit().to_string())
                            .unwrap_or_default(),
                        match (r.reliability, r.credibility) {
                            (None, None) => String::new(),
                            (g, c) => format_grade(g, c),
                        },
                        r.status.label().to_owned(),
                        r.confidence
                            .map(|c| c.label().to_owned())
                            .unwrap_or_default(),
                        ann.note.clone(),
                        ann.author.clone(),
                        ann.created.clone(),
                        ann.modified.clone(),
                        session.anchor_status(&ann.id).label().to_owned(),
                    ]
                };
                self.out.write_record(&row).map_err(io::Error::other)?;
            }
        }
        Ok(())
    }

    fn finish(&mut self) -> io::Result<()> {
        self.out.flush()
    }
}
