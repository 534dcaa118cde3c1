//! W3C Web Annotation: an `AnnotationCollection` (with `first.items` or `items`), an
//! `AnnotationPage`, one annotation, an array of them, or one annotation per line.
//!
//! Tags are `TextualBody` bodies with purpose `tagging` (their value a tag id, name or path);
//! the note is the `commenting` body; each target is a fragment, found by its
//! `TextPositionSelector` and checked (or found again) by its `TextQuoteSelector`. The target
//! `source` names the article: a `file://` URL or a path (else a file of that name beside the
//! input); a `file://` URL in the target's `TimeState` `cached` (the saved copy of a web page
//! that our export names by its address) comes first. Claimmark's own `claim` extension brings
//! the claim record back.

use std::path::{Path, PathBuf};

use serde_json::Value;

use super::{Incoming, InputError, read_text, record_from_json};
use crate::export::w3c::id_from_iri;
use crate::model::{Fragment, Span};

pub fn read(input: &Path) -> Result<Vec<Incoming>, InputError> {
    let text = read_text(input)?;
    let mut docs = Vec::new();
    match serde_json::from_str::<Value>(&text) {
        Ok(doc) => docs.push(doc),
        Err(whole) => {
            for (n, line) in text.lines().enumerate() {
                if line.trim().is_empty() {
                    continue;
                }
                match serde_json::from_str::<Value>(line) {
                    Ok(v) => docs.push(v),
                    Err(source) => {
                        return Err(InputError::NotJsonNorLines {
                            path: input.to_owned(),
                            whole,
                            line: n + 1,
                            source,
                        });
                    }
                }
            }
        }
    }
    let mut annotations = Vec::new();
    for doc in &docs {
        collect(doc, &mut annotations);
    }
    annotations
        .iter()
        .enumerate()
        .map(|(i, v)| {
            let origin = format!("{} annotation {}", input.display(), i + 1);
            annotation(v, input, origin)
        })
        .collect()
}

/// Gathers the annotations of a document, whatever its shape.
fn collect<'a>(v: &'a Value, out: &mut Vec<&'a Value>) {
    match v {
        Value::Array(items) => items.iter().for_each(|i| collect(i, out)),
        Value::Object(o) => {
            if let Some(items) = o.get("items") {
                collect(items, out);
            }
            if let Some(first) = o.get("first").filter(|f| f.is_object()) {
                collect(first, out);
            }
            if types(v).iter().any(|t| t == "Annotation") {
                out.push(v);
            }
        }
        _ => {}
    }
}

fn types(v: &Value) -> Vec<String> {
    super::strings(v.get("type"))
}

fn one_or_many(v: Option<&Value>) -> Vec<&Value> {
    match v {
        Some(Value::Array(items)) => items.iter().collect(),
        Some(v) => vec![v],
        None => Vec::new(),
    }
}

fn annotation(v: &Value, input: &Path, origin: String) -> Result<Incoming, InputError> {
    let motivation = super::strings(v.get("motivation"));
    let mut tags = Vec::new();
    let mut notes = Vec::new();
    for body in one_or_many(v.get("body")) {
        let Some(value) = body.get("value").and_then(Value::as_str) else {
            continue;
        };
        let purposes = super::strings(body.get("purpose"));
        let tagging = purposes.iter().any(|p| p == "tagging")
            || (purposes.is_empty() && motivation.iter().any(|m| m == "tagging"));
        if tagging {
            tags.push(value.to_owned());
        } else {
            notes.push(value.to_owned());
        }
    }
    if let Some(value) = v.get("bodyValue").and_then(Value::as_str) {
        notes.push(value.to_owned());
    }
    let mut article: Option<PathBuf> = None;
    let mut fragments = Vec::new();
    for target in one_or_many(v.get("target")) {
        let source = match target {
            Value::String(s) => Some(s.as_str()),
            _ => target.get("source").and_then(|s| match s {
                Value::String(s) => Some(s.as_str()),
                _ => s.get("id").and_then(Value::as_str),
            }),
        };
        if article.is_none() {
            article = cached_file(target).or(source).map(source_path);
        }
        let mut fragment = Fragment::default();
        let mut found = false;
        for selector in one_or_many(target.get("selector")) {
            let num = |k: &str| selector.get(k).and_then(Value::as_u64).map(|n| n as usize);
            let text = |k: &str| {
                selector
                    .get(k)
                    .and_then(Value::as_str)
                    .unwrap_or_default()
                    .to_owned()
            };
            if types(selector).iter().any(|t| t == "TextPositionSelector")
                && let (Some(start), Some(end)) = (num("start"), num("end"))
            {
                fragment.span = Span::between(start, end);
                found = true;
            }
            if types(selector).iter().any(|t| t == "TextQuoteSelector") {
                fragment.quote = text("exact");
                fragment.prefix = text("prefix");
                fragment.suffix = text("suffix");
                found = true;
            }
        }
        if found {
            fragments.push(fragment);
        }
    }
    let Some(article) = article else {
        return Err(InputError::NoTargetSource { origin });
    };
    if fragments.is_empty() {
        return Err(InputError::NoSelector { origin });
    }
    let text = |k: &str| v.get(k).and_then(Value::as_str).map(str::to_owned);
    let author = one_or_many(v.get("creator")).first().and_then(|c| match c {
        Value::String(s) => Some(s.clone()),
        _ => c
            .get("name")
            .or_else(|| c.get("nickname"))
            .and_then(Value::as_str)
            .map(str::to_owned),
    });
    Ok(Incoming {
        article,
        base: crate::storage::atomic::folder_of(input).to_owned(),
        id: text("id").map(|iri| id_from_iri(&iri)),
        tags,
        fragments,
        note: notes.join("\n\n"),
        author,
        created: text("created"),
        modified: text("modified"),
        record: v.get("claim").map(record_from_json).unwrap_or_default(),
        origin,
    })
}

/// The `file:` URL of a target's cached copy (`state`: a `TimeState` with `cached`).
fn cached_file(target: &Value) -> Option<&str> {
    one_or_many(target.get("state"))
        .into_iter()
        .flat_map(|state| one_or_many(state.get("cached")))
        .filter_map(Value::as_str)
        .find(|c| c.starts_with("file:"))
}

/// The article path a target source names (a `file:` URL as its path); see
/// [`super::resolve_article`] for where it is looked for.
fn source_path(source: &str) -> PathBuf {
    url::Url::parse(source)
        .ok()
        .filter(|u| u.scheme() == "file")
        .and_then(|u| u.to_file_path().ok())
        .unwrap_or_else(|| PathBuf::from(source))
}
