//! Counts over a set of rows (usually the filtered table) for the review's charts: per tag,
//! per source and per month of the article's date.

use std::collections::{BTreeMap, HashMap};

use super::Index;

/// Annotations per tag id (an annotation counts once for each of its tags), in the order of
/// [`Index::tags`]; tags no codebook knows come after, as first met. Zero counts are left out.
pub fn per_tag(index: &Index, rows: &[usize]) -> Vec<(String, usize)> {
    let mut counts: HashMap<&str, usize> = HashMap::new();
    let mut unknown: Vec<&str> = Vec::new();
    let claims = &index.claims;
    for &r in rows.iter().filter(|&&r| r < claims.len()) {
        for t in claims.tags(r) {
            let n = counts.entry(t).or_insert(0);
            if *n == 0 && !index.tags.iter().any(|info| info.id == t) {
                unknown.push(t);
            }
            *n += 1;
        }
    }
    index
        .tags
        .iter()
        .map(|info| info.id.as_str())
        .chain(unknown)
        .filter_map(|id| {
            counts
                .get(id)
                .filter(|&&n| n > 0)
                .map(|&n| (id.to_owned(), n))
        })
        .collect()
}

/// Annotations per `attributed_to` ("(none)" for unattributed ones), most first; equal counts
/// by name.
pub fn per_source(index: &Index, rows: &[usize]) -> Vec<(String, usize)> {
    let mut counts: HashMap<&str, usize> = HashMap::new();
    let claims = &index.claims;
    for &r in rows.iter().filter(|&&r| r < claims.len()) {
        let who = claims
            .attributed_to(r)
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .unwrap_or("(none)");
        *counts.entry(who).or_insert(0) += 1;
    }
    let mut out: Vec<(String, usize)> = counts
        .into_iter()
        .map(|(name, n)| (name.to_owned(), n))
        .collect();
    out.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    out
}

/// Annotations per month of their article's date (`YYYY-MM`), oldest first; annotations of
/// undated articles are left out.
pub fn per_month(index: &Index, rows: &[usize]) -> Vec<(String, usize)> {
    let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
    let claims = &index.claims;
    for &r in rows.iter().filter(|&&r| r < claims.len()) {
        if let Some(month) = index
            .articles
            .get(claims.article(r))
            .and_then(|a| a.date.as_deref())
            .and_then(|d| d.get(..7))
        {
            *counts.entry(month).or_insert(0) += 1;
        }
    }
    counts.into_iter().map(|(m, n)| (m.to_owned(), n)).collect()
}
