//! W3C Web Annotation and Hypothesis.
//!
//! W3C: an `AnnotationCollection` (with `first.items` or `items`), an `AnnotationPage`, one
//! annotation, an array of them, or one annotation per line. Tags are `TextualBody` bodies
//! with purpose `tagging` (their value a tag id, name or path); the note is the `commenting`
//! body; each target is a fragment, found by its `TextPositionSelector` and checked (or found
//! again) by its `TextQuoteSelector`, also where a selector refines another (`refinedBy`).
//! The target `source` names the article: a `file://` URL or a path (else a file of that name
//! beside the input); a `file://` URL in the target's `TimeState` `cached` (the saved copy of
//! a web page that our export names by its address) comes first. Claimmark's own `claim`
//! extension brings the claim record back.
//!
//! Hypothesis (its API's `{"rows": […]}`, the client's export `{"annotations": […]}`, an
//! array, or one annotation): `tags` are the tags, `text` the note, `user` (or
//! `user_info.display_name`) the author, `updated` the modification time, and `uri` or the
//! target's `source` the article (a web address: see [`super::resolve_article`]). Replies and
//! page notes have no words of their own and are listed as not imported.
//!
//! Each annotation that cannot be read is listed; the others are imported.

use std::path::{Path, PathBuf};

use serde_json::Value;

use super::{Batch, Incoming, InputError, read_text, record_from_json};
use crate::export::w3c::id_from_iri;
use crate::model::{Fragment, Span};

pub fn read(input: &Path) -> Result<Batch, InputError> {
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
    let mut batch = Batch::default();
    for (i, v) in annotations.iter().enumerate() {
        let origin = format!("{} annotation {}", input.display(), i + 1);
        match annotation(v, input, origin) {
            Ok(item) => batch.items.push(item),
            Err(e) => batch.refused.push(e),
        }
    }
    Ok(batch)
}

/// Gathers the annotations of a document, whatever its shape.
fn collect<'a>(v: &'a Value, out: &mut Vec<&'a Value>) {
    match v {
        Value::Array(items) => items.iter().for_each(|i| collect(i, out)),
        Value::Object(o) => {
            // W3C collections and pages; Hypothesis's API (`rows`) and client export
            // (`annotations`).
            for key in ["items", "rows", "annotations"] {
                if let Some(items) = o.get(key) {
                    collect(items, out);
                }
            }
            if let Some(first) = o.get("first").filter(|f| f.is_object()) {
                collect(first, out);
            }
            if types(v).iter().any(|t| t == "Annotation") || is_hypothesis(v) {
                out.push(v);
            }
        }
        _ => {}
    }
}

/// A Hypothesis annotation: `uri` and `target`, no W3C `type`.
fn is_hypothesis(v: &Value) -> bool {
    v.get("type").is_none() && v.get("uri").is_some() && v.get("target").is_some()
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
    let hypothesis = is_hypothesis(v);
    let (mut tags, mut notes) = bodies(v);
    if hypothesis {
        tags.extend(super::strings(v.get("tags")));
        if let Some(text) = v.get("text").and_then(Value::as_str)
            && !text.trim().is_empty()
        {
            notes.push(text.to_owned());
        }
        if v.get("references").is_some_and(|r| !r.is_null()) {
            return Err(InputError::NotImported {
                origin,
                what: "a reply to another annotation, with no words of its own".into(),
            });
        }
    }
    let mut article: Option<PathBuf> = v.get("uri").and_then(Value::as_str).map(source_path);
    let mut fragments = Vec::new();
    let mut selectors = 0;
    let mut cached_seen = false;
    for target in one_or_many(v.get("target")) {
        let source = match target {
            Value::String(s) => Some(s.as_str()),
            _ => target.get("source").and_then(|s| match s {
                Value::String(s) => Some(s.as_str()),
                _ => s.get("id").and_then(Value::as_str),
            }),
        };
        if let Some(cached) = cached_file(target).filter(|_| !cached_seen) {
            article = Some(source_path(cached));
            cached_seen = true;
        } else if article.is_none() {
            article = source.map(source_path);
        }
        let mut fragment = Fragment::default();
        let mut found = false;
        for selector in one_or_many(target.get("selector")) {
            selectors += 1;
            found |= select(selector, &mut fragment, 0);
        }
        if found {
            fragments.push(fragment);
        }
    }
    let Some(article) = article else {
        return Err(InputError::NoTargetSource { origin });
    };
    if fragments.is_empty() {
        if hypothesis && selectors == 0 {
            return Err(InputError::NotImported {
                origin,
                what: "a page note, with no words selected".into(),
            });
        }
        return Err(InputError::NoSelector { origin });
    }
    let text = |k: &str| v.get(k).and_then(Value::as_str).map(str::to_owned);
    // Hypothesis names a local PDF `urn:x-pdf:…` and lists its file and addresses as links.
    let also = v
        .get("document")
        .and_then(|d| d.get("link"))
        .map(|links| {
            one_or_many(Some(links))
                .into_iter()
                .filter_map(|l| l.get("href").and_then(Value::as_str))
                .filter(|href| !href.starts_with("urn:"))
                .map(source_path)
                .filter(|p| *p != article)
                .collect()
        })
        .unwrap_or_default();
    Ok(Incoming {
        article,
        also,
        base: crate::storage::atomic::folder_of(input).to_owned(),
        id: text("id").map(|iri| id_from_iri(&iri)),
        tags,
        fragments,
        note: notes.join("\n\n"),
        author: author(v),
        created: text("created"),
        modified: text("modified").or_else(|| text("updated")),
        record: v.get("claim").map(record_from_json).unwrap_or_default(),
        origin,
    })
}

/// The tags (`tagging` bodies) and notes (other textual bodies, `bodyValue`) of a W3C
/// annotation.
fn bodies(v: &Value) -> (Vec<String>, Vec<String>) {
    let motivation = super::strings(v.get("motivation"));
    let mut tags = Vec::new();
    let mut notes = Vec::new();
    for body in one_or_many(v.get("body")) {
        let value = match body {
            Value::String(s) => Some(s.as_str()),
            _ => body.get("value").and_then(Value::as_str),
        };
        let Some(value) = value else {
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
    (tags, notes)
}

/// Reads a selector (and what refines it) into `fragment`: positions from a
/// `TextPositionSelector`, the quote from a `TextQuoteSelector`. Whether either was there.
fn select(selector: &Value, fragment: &mut Fragment, depth: usize) -> bool {
    let num = |k: &str| selector.get(k).and_then(Value::as_u64).map(|n| n as usize);
    let text = |k: &str| {
        selector
            .get(k)
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_owned()
    };
    let mut found = false;
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
    // A quote or position within a part of the page (a fragment, a CSS or XPath selector): the
    // refinement names the words. Bounded, as an input's nesting is.
    if depth < 8 {
        for refined in one_or_many(selector.get("refinedBy")) {
            found |= select(refined, fragment, depth + 1);
        }
    }
    found
}

/// The annotation's author: W3C `creator` (a name, or an agent's `name`/`nickname`), or
/// Hypothesis's display name or `user` (`acct:alice@hypothes.is` as `alice`).
fn author(v: &Value) -> Option<String> {
    let creator = one_or_many(v.get("creator")).first().and_then(|c| match c {
        Value::String(s) => Some(s.clone()),
        _ => c
            .get("name")
            .or_else(|| c.get("nickname"))
            .and_then(Value::as_str)
            .map(str::to_owned),
    });
    let display = v
        .get("user_info")
        .and_then(|u| u.get("display_name"))
        .and_then(Value::as_str)
        .filter(|s| !s.trim().is_empty())
        .map(str::to_owned);
    let user = v.get("user").and_then(Value::as_str).map(|u| {
        let u = u.strip_prefix("acct:").unwrap_or(u);
        u.split('@').next().unwrap_or(u).to_owned()
    });
    creator.or(display).or(user)
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
