//! JSON Lines: one object per annotation with the whole record and its article's metadata.
//! `claimmark list --format jsonl` prints the same objects.

use std::io::{self, Write};

use super::Exporter;
use crate::model::claim::format_grade;
use crate::model::{Annotation, ClaimRecord, Fragment};
use crate::session::Session;

/// A fragment's JSON object (also the claim record's `source_span`).
pub fn fragment(f: &Fragment) -> serde_json::Value {
    serde_json::json!({
        "start": f.span.start,
        "end": f.span.end,
        "quote": f.quote,
        "prefix": f.prefix,
        "suffix": f.suffix,
        "original_quote": f.original_quote,
    })
}

/// The claim record's fields (the same in JSON Lines and in the W3C export's `claim`). An
/// ungraded claim has `grade: null`: the dash that `list` and the brief show a reader is no
/// value a program should have to know.
pub fn record(r: &ClaimRecord) -> serde_json::Value {
    serde_json::json!({
        "attributed_to": r.attributed_to,
        "source_span": r.source_span.as_ref().map(fragment),
        "via": r.via,
        "reliability": r.reliability.map(|g| g.letter().to_string()),
        "credibility": r.credibility.map(|c| c.digit()),
        "grade": (r.reliability.is_some() || r.credibility.is_some())
            .then(|| format_grade(r.reliability, r.credibility)),
        "status": r.status.label(),
        "confidence": r.confidence.map(|c| c.label()),
        "links": r.links.iter().map(|l| serde_json::json!({"kind": l.kind.label(), "target": l.target.0, "article": l.article})).collect::<Vec<_>>(),
    })
}

/// The JSON object of one annotation.
pub fn object(session: &Session, ann: &Annotation) -> serde_json::Value {
    let extent = ann.extent();
    let mut value = serde_json::json!({
        "article": session.path().display().to_string(),
        "article_meta": {
            "title": super::title(session),
            "date": session.article().date,
            "fingerprint": session.article().fingerprint(),
            "site": session.article().meta.site,
            "author": session.article().meta.author,
            "published": session.article().meta.published,
            "url": session.article().meta.url,
            "format": session.article().provenance.format,
        },
        "id": ann.id.0,
        "tags": ann.tags,
        "tag_names": ann.tags.iter().map(|t| session.codebook().name_of(t)).collect::<Vec<_>>(),
        "tag_paths": ann.tags.iter().map(|t| session.codebook().path(t)).collect::<Vec<_>>(),
        "start": extent.start,
        "end": extent.end,
        "quote": ann.quote(),
        "fragments": ann.fragments.iter().map(fragment).collect::<Vec<_>>(),
        "note": ann.note,
        "anchoring": session.anchor_status(ann).label(),
        "author": ann.author,
        "created": ann.created,
        "modified": ann.modified,
    });
    if let (Some(obj), serde_json::Value::Object(fields)) =
        (value.as_object_mut(), record(&ann.record))
    {
        obj.extend(fields);
    }
    value
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
        for ann in annotations {
            serde_json::to_writer(&mut self.out, &object(session, ann))?;
            self.out.write_all(b"\n")?;
        }
        Ok(())
    }

    fn finish(&mut self) -> io::Result<()> {
        self.out.flush()
    }
}
