//! JSON Lines: one object per annotation with the whole record and its article's metadata.
//! `claimmark list --format jsonl` prints the same objects.

use std::io::{self, Write};

use serde::Serialize;

use super::{Exporter, Printed};
use crate::model::claim::format_grade;
use crate::model::{Annotation, ClaimRecord, Fragment};
use crate::session::{AnchorStatus, Session};

/// A fragment as JSON (also the claim record's `source_span`). The fields of this and the
/// other objects here are declared in the order of their names: written as they are, they
/// give the bytes of the same object made a `serde_json::Value` (whose maps sort their keys),
/// without building one (a unit test holds the two to the same bytes).
#[derive(Serialize)]
struct FragmentOut<'a> {
    end: usize,
    original_quote: Option<&'a str>,
    prefix: &'a str,
    quote: &'a str,
    start: usize,
    suffix: &'a str,
}

impl<'a> FragmentOut<'a> {
    fn of(f: &'a Fragment) -> Self {
        Self {
            end: f.span.end,
            original_quote: f.original_quote.as_deref(),
            prefix: &f.prefix,
            quote: &f.quote,
            start: f.span.start,
            suffix: &f.suffix,
        }
    }
}

#[derive(Serialize)]
struct LinkOut<'a> {
    article: Option<&'a str>,
    kind: &'static str,
    target: &'a str,
}

/// The claim record's fields.
#[derive(Serialize)]
struct RecordOut<'a> {
    attributed_to: Option<&'a str>,
    confidence: Option<&'static str>,
    credibility: Option<u8>,
    /// An ungraded claim has `grade: null`: the dash that `list` and the brief show a reader
    /// is no value a program should have to know.
    grade: Option<String>,
    links: Vec<LinkOut<'a>>,
    reliability: Option<String>,
    source_span: Option<FragmentOut<'a>>,
    status: &'static str,
    via: &'a [String],
}

impl<'a> RecordOut<'a> {
    fn of(r: &'a ClaimRecord) -> Self {
        Self {
            attributed_to: r.attributed_to.as_deref(),
            confidence: r.confidence.map(|c| c.label()),
            credibility: r.credibility.map(|c| c.digit()),
            grade: (r.reliability.is_some() || r.credibility.is_some())
                .then(|| format_grade(r.reliability, r.credibility)),
            links: r
                .links
                .iter()
                .map(|l| LinkOut {
                    article: l.article.as_deref(),
                    kind: l.kind.label(),
                    target: &l.target.0,
                })
                .collect(),
            reliability: r.reliability.map(|g| g.letter().to_string()),
            source_span: r.source_span.as_ref().map(FragmentOut::of),
            status: r.status.label(),
            via: &r.via,
        }
    }
}

#[derive(Serialize)]
struct MetaOut<'a> {
    author: Option<&'a str>,
    date: Option<&'a str>,
    fingerprint: &'a str,
    format: &'a str,
    published: Option<&'a str>,
    site: Option<&'a str>,
    title: &'a str,
    url: Option<&'a str>,
}

/// One annotation's line: its fields, its article's, and its record's (in name order).
#[derive(Serialize)]
struct LineOut<'a> {
    anchoring: &'static str,
    article: String,
    article_meta: MetaOut<'a>,
    attributed_to: Option<&'a str>,
    author: &'a str,
    confidence: Option<&'static str>,
    created: &'a str,
    credibility: Option<u8>,
    end: usize,
    fragments: Vec<FragmentOut<'a>>,
    grade: Option<String>,
    id: &'a str,
    links: Vec<LinkOut<'a>>,
    modified: &'a str,
    note: &'a str,
    quote: String,
    reliability: Option<String>,
    source_span: Option<FragmentOut<'a>>,
    start: usize,
    status: &'static str,
    tag_names: Vec<&'a str>,
    tag_paths: Vec<String>,
    tags: &'a [String],
    via: &'a [String],
}

impl<'a> LineOut<'a> {
    fn of(article: &'a Printed, ann: &'a Annotation, anchoring: AnchorStatus) -> Self {
        let extent = ann.extent();
        let cb = article.codebook;
        let r = RecordOut::of(&ann.record);
        Self {
            anchoring: anchoring.label(),
            article: article.path.display().to_string(),
            article_meta: MetaOut {
                author: article.author,
                date: article.date,
                fingerprint: article.fingerprint,
                format: article.format,
                published: article.published,
                site: article.site,
                title: &article.title,
                url: article.url,
            },
            attributed_to: r.attributed_to,
            author: &ann.author,
            confidence: r.confidence,
            created: &ann.created,
            credibility: r.credibility,
            end: extent.end,
            fragments: ann.fragments.iter().map(FragmentOut::of).collect(),
            grade: r.grade,
            id: &ann.id.0,
            links: r.links,
            modified: &ann.modified,
            note: &ann.note,
            quote: ann.quote(),
            reliability: r.reliability,
            source_span: r.source_span,
            start: extent.start,
            status: r.status,
            tag_names: ann.tags.iter().map(|t| cb.name_of(t)).collect(),
            tag_paths: ann.tags.iter().map(|t| cb.path(t)).collect(),
            tags: &ann.tags,
            via: r.via,
        }
    }
}

/// A fragment's JSON object (also the claim record's `source_span`).
pub fn fragment(f: &Fragment) -> serde_json::Value {
    serde_json::to_value(FragmentOut::of(f)).unwrap_or_default()
}

/// The claim record's fields (the same in JSON Lines and in the W3C export's `claim`).
pub fn record(r: &ClaimRecord) -> serde_json::Value {
    serde_json::to_value(RecordOut::of(r)).unwrap_or_default()
}

/// The JSON object of one annotation.
pub fn object(session: &Session, ann: &Annotation) -> serde_json::Value {
    object_of(&Printed::of(session), ann, session.anchor_status(ann))
}

/// The JSON object of one annotation of `article`, found in the text as `anchoring` says.
pub fn object_of(
    article: &Printed,
    ann: &Annotation,
    anchoring: AnchorStatus,
) -> serde_json::Value {
    serde_json::to_value(LineOut::of(article, ann, anchoring)).unwrap_or_default()
}

/// Writes [`object_of`]'s object as one line of JSON, without building it.
pub fn write_line(
    out: &mut impl Write,
    article: &Printed,
    ann: &Annotation,
    anchoring: AnchorStatus,
) -> io::Result<()> {
    serde_json::to_writer(&mut *out, &LineOut::of(article, ann, anchoring))?;
    out.write_all(b"\n")
}

pub struct JsonlExport<W: Write> {
    out: io::BufWriter<W>,
}

impl<W: Write> JsonlExport<W> {
    pub fn new(w: W) -> Self {
        Self {
            out: io::BufWriter::new(w),
        }
    }
}

impl<W: Write> Exporter for JsonlExport<W> {
    fn article(&mut self, session: &Session, annotations: &[&Annotation]) -> io::Result<()> {
        let article = Printed::of(session);
        for ann in annotations {
            write_line(&mut self.out, &article, ann, session.anchor_status(ann))?;
        }
        Ok(())
    }

    fn finish(&mut self) -> io::Result<()> {
        self.out.flush()
    }
}
