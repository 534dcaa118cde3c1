//! JSON Lines as Claimmark writes it (`export --format jsonl`, `list --format jsonl`): one
//! object per line with `article`, `id`, `tags` (or `tag_paths`/`tag_names`), `fragments`
//! (or `start`/`end`/`quote`), `note`, the claim record's fields, `author`, `created`,
//! `modified`. Other tools can write the same with only `article`, `tags` and a span or a
//! quote (a quote alone is looked for in the article, and refused where it fits more than one
//! place). A line that cannot be read is listed; the others are still imported.

use std::path::{Path, PathBuf};

use serde_json::Value;

use super::{
    Batch, Incoming, InputError, fragment_from_json, read_text, record_from_json, strings,
};
use crate::model::{Fragment, Span};

pub fn read(input: &Path) -> Result<Batch, InputError> {
    let text = read_text(input)?;
    let mut batch = Batch::default();
    for (n, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let origin = format!("{} line {}", input.display(), n + 1);
        let read = serde_json::from_str::<Value>(line)
            .map_err(|source| InputError::NotJson {
                origin: origin.clone(),
                source,
            })
            .and_then(|v| object(&v, input, origin));
        match read {
            Ok(item) => batch.items.push(item),
            Err(e) => batch.refused.push(e),
        }
    }
    Ok(batch)
}

/// One annotation from its JSON object.
pub fn object(v: &Value, input: &Path, origin: String) -> Result<Incoming, InputError> {
    let Some(article) = v.get("article").and_then(Value::as_str) else {
        return Err(InputError::NoArticle { origin });
    };
    let text = |k: &str| v.get(k).and_then(Value::as_str).map(str::to_owned);
    // Tag ids are exact; paths and names are the fallbacks for other tools' files.
    let tags = ["tags", "tag_paths", "tag_names", "tag"]
        .iter()
        .map(|k| strings(v.get(*k)))
        .find(|t| !t.is_empty())
        .unwrap_or_default();
    let mut fragments: Vec<Fragment> = v
        .get("fragments")
        .and_then(Value::as_array)
        .map(|f| f.iter().filter_map(fragment_from_json).collect())
        .unwrap_or_default();
    if fragments.is_empty() {
        let num = |k: &str| v.get(k).and_then(Value::as_u64).map(|n| n as usize);
        let quote = text("quote").unwrap_or_default();
        match (num("start"), num("end")) {
            (Some(start), Some(end)) => fragments.push(Fragment {
                span: Span::between(start, end),
                quote,
                ..Default::default()
            }),
            // A quote alone: found by its words (an empty span is never trusted).
            _ if !quote.is_empty() => fragments.push(Fragment {
                quote,
                prefix: text("prefix").unwrap_or_default(),
                suffix: text("suffix").unwrap_or_default(),
                ..Default::default()
            }),
            _ => return Err(InputError::NoFragments { origin }),
        }
    }
    Ok(Incoming {
        article: PathBuf::from(article),
        also: Vec::new(),
        base: crate::storage::atomic::folder_of(input).to_owned(),
        id: text("id"),
        tags,
        fragments,
        note: text("note").unwrap_or_default(),
        author: text("author").filter(|s| !s.is_empty()),
        created: text("created").filter(|s| !s.is_empty()),
        modified: text("modified").filter(|s| !s.is_empty()),
        record: record_from_json(v),
        origin,
    })
}
