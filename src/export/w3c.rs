//! W3C Web Annotation (JSON-LD): an `AnnotationCollection` whose first page holds every
//! annotation, or one annotation per line.
//!
//! Each annotation has:
//! - `id` `urn:uuid:…` (the annotation's id; ids that are not UUIDs are kept as
//!   `urn:claimmark:annotation:…`), `type` `Annotation`, `motivation` `tagging`, `created`,
//!   `modified`, `creator` (a `Person` with the author's name) and `generator` (Claimmark);
//! - one `TextualBody` per tag with purpose `tagging` and the tag's full path
//!   ("Claim/Statistic") as its value, and the note as a `TextualBody` with purpose
//!   `commenting`;
//! - one target per fragment: its `source` the article's `file://` URL with a
//!   `TextQuoteSelector` (exact, prefix, suffix) and a `TextPositionSelector` (code points, end
//!   exclusive). An article whose file names its web address (a saved page's
//!   `<link rel=canonical>` or `og:url`, Markdown's front matter `url`; `http` or `https`) is
//!   annotated as that page: `source` is the page's URL, so the annotation means the page
//!   wherever it is read and does not give a local path as what it annotates, and the saved
//!   file is the target's `state`, a `TimeState` whose `cached` is its `file://` URL (the copy
//!   the selectors were made on) and whose `sourceDate` is when that file was saved (its
//!   modification time). Our import reads the article from `cached`;
//! - the claim record (who said it, via whom, grades, status, confidence, links) under
//!   `claim`, a JSON literal declared in the annotation's own `@context` (the W3C vocabulary
//!   has no terms for it), with the same fields as the JSON Lines export (`grade` is `null`
//!   when the claim is ungraded).
//!
//! Every annotation carries its own `@context`, so each one is valid on its own, also inside
//! the collection.

use std::io::{self, Write};

use serde_json::{Value, json};

use super::Exporter;
use crate::model::Annotation;
use crate::session::Session;

/// The W3C annotation context.
pub const ANNO_CONTEXT: &str = "http://www.w3.org/ns/anno.jsonld";
/// The IRI of the claim record term.
pub const CLAIM_TERM: &str = "urn:claimmark:claim";

pub struct W3cExport<W: Write> {
    out: io::BufWriter<W>,
    lines: bool,
    first: bool,
}

impl<W: Write> W3cExport<W> {
    /// Starts the output; `lines`: one annotation per line instead of a collection.
    pub fn new(w: W, lines: bool) -> io::Result<Self> {
        let mut out = io::BufWriter::new(w);
        if !lines {
            // Streamed by hand so that a folder of any size is never held in memory; the
            // header and footer are fixed text, every item is written by serde_json.
            let id = format!("urn:uuid:{}", uuid::Uuid::new_v4());
            let head = json!({
                "@context": ANNO_CONTEXT,
                "id": id,
                "type": "AnnotationCollection",
                "label": "Claims exported from Claimmark",
                "generated": crate::session::now_rfc3339(),
            });
            let head = serde_json::to_string_pretty(&head).map_err(io::Error::other)?;
            let head = head.trim_end().trim_end_matches('}').trim_end();
            write!(
                out,
                "{head},\n  \"first\": {{\n    \"type\": \"AnnotationPage\",\n    \"startIndex\": 0,\n    \"items\": ["
            )?;
        }
        Ok(Self {
            out,
            lines,
            first: true,
        })
    }
}

impl<W: Write> Exporter for W3cExport<W> {
    fn article(&mut self, session: &Session, annotations: &[&Annotation]) -> io::Result<()> {
        let source = Source::of(session);
        for ann in annotations {
            let value = annotation(session, &source, ann);
            if self.lines {
                serde_json::to_writer(&mut self.out, &value)?;
                self.out.write_all(b"\n")?;
            } else {
                self.out.write_all(if self.first {
                    b"\n      "
                } else {
                    b",\n      "
                })?;
                serde_json::to_writer(&mut self.out, &value)?;
            }
            self.first = false;
        }
        Ok(())
    }

    fn finish(&mut self) -> io::Result<()> {
        if !self.lines {
            self.out.write_all(b"\n    ]\n  }\n}\n")?;
        }
        self.out.flush()
    }
}

/// What the targets of an article's annotations name (see the module doc).
#[derive(Clone, Debug, PartialEq)]
pub struct Source {
    /// The target's `source`: the page's URL, else the article's `file://` URL.
    pub source: String,
    /// For a web page: the `TimeState` that names the saved file as the page's cached copy.
    pub state: Option<Value>,
}

impl Source {
    pub fn of(session: &Session) -> Self {
        let file = file_url(session.path());
        let page = session
            .article()
            .meta
            .url
            .as_deref()
            .and_then(|u| url::Url::parse(u.trim()).ok())
            .filter(|u| matches!(u.scheme(), "http" | "https"));
        let Some(page) = page else {
            return Self {
                source: file,
                state: None,
            };
        };
        let saved = std::fs::metadata(session.path())
            .and_then(|m| m.modified())
            .map(|t| {
                chrono::DateTime::<chrono::Utc>::from(t)
                    .to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
            })
            .unwrap_or_else(|_| {
                chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
            });
        Self {
            source: page.into(),
            state: Some(json!({
                "type": "TimeState",
                "cached": file,
                "sourceDate": saved,
            })),
        }
    }
}

/// The article's `file://` URL (absolute, percent-encoded).
pub fn file_url(path: &std::path::Path) -> String {
    let absolute = std::fs::canonicalize(path)
        .or_else(|_| std::path::absolute(path))
        .unwrap_or_else(|_| path.to_owned());
    url::Url::from_file_path(&absolute)
        .map(String::from)
        .unwrap_or_else(|()| format!("file://{}", absolute.display()))
}

/// The annotation's IRI.
pub fn annotation_iri(id: &str) -> String {
    match uuid::Uuid::parse_str(id) {
        Ok(u) => format!("urn:uuid:{u}"),
        Err(_) => {
            let safe: String = url::form_urlencoded::byte_serialize(id.as_bytes()).collect();
            format!("urn:claimmark:annotation:{safe}")
        }
    }
}

/// The annotation id back from its IRI.
pub fn id_from_iri(iri: &str) -> String {
    if let Some(rest) = iri.strip_prefix("urn:uuid:") {
        return rest.to_owned();
    }
    if let Some(rest) = iri.strip_prefix("urn:claimmark:annotation:") {
        return url::form_urlencoded::parse(format!("x={rest}").as_bytes())
            .next()
            .map(|(_, v)| v.into_owned())
            .unwrap_or_else(|| rest.to_owned());
    }
    iri.to_owned()
}

/// One annotation as a W3C Web Annotation.
pub fn annotation(session: &Session, source: &Source, ann: &Annotation) -> Value {
    let mut bodies: Vec<Value> = ann
        .tags
        .iter()
        .map(|t| {
            json!({
                "type": "TextualBody",
                "purpose": "tagging",
                "value": session.codebook().path(t),
            })
        })
        .collect();
    if !ann.note.is_empty() {
        bodies.push(json!({
            "type": "TextualBody",
            "purpose": "commenting",
            "format": "text/plain",
            "value": ann.note,
        }));
    }
    let mut targets: Vec<Value> = ann
        .fragments
        .iter()
        .map(|f| {
            let mut target = json!({
                "source": source.source,
                "selector": [
                    {
                        "type": "TextQuoteSelector",
                        "exact": f.quote,
                        "prefix": f.prefix,
                        "suffix": f.suffix,
                    },
                    {
                        "type": "TextPositionSelector",
                        "start": f.span.start,
                        "end": f.span.end,
                    },
                ],
            });
            if let (Some(state), Some(t)) = (&source.state, target.as_object_mut()) {
                t.insert("state".into(), state.clone());
            }
            target
        })
        .collect();
    let target = if targets.len() == 1 {
        targets.remove(0)
    } else {
        Value::Array(targets)
    };
    let mut value = json!({
        "@context": [ANNO_CONTEXT, {"claim": {"@id": CLAIM_TERM, "@type": "@json"}}],
        "id": annotation_iri(&ann.id.0),
        "type": "Annotation",
        "motivation": "tagging",
        "body": bodies,
        "target": target,
        "generator": {
            "id": "urn:claimmark:generator",
            "type": "Software",
            "name": format!("Claimmark {}", env!("CARGO_PKG_VERSION")),
        },
        "claim": super::jsonl::record(&ann.record),
    });
    let Some(obj) = value.as_object_mut() else {
        return value;
    };
    if !ann.author.is_empty() {
        obj.insert(
            "creator".into(),
            json!({"type": "Person", "name": ann.author}),
        );
    }
    if !ann.created.is_empty() {
        obj.insert("created".into(), json!(ann.created));
    }
    if !ann.modified.is_empty() {
        obj.insert("modified".into(), json!(ann.modified));
    }
    value
}
