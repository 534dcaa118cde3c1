//! Which suggestions are still open: not rejected by the analyst, and not already marked.

use std::collections::BTreeSet;

use super::{Suggestion, overlap};
use crate::model::{Annotation, Span};

/// The indices of `found` (each with its words, what a rejection records) that are still
/// open: not in `rejected`, and not already marked, i.e. no annotation covers at least half
/// of the suggestion's extent. `annotations` are in position order (an
/// [`crate::model::AnnotationSet`]'s); the cost grows with the suggestions times the
/// annotations that can reach them, not with every pair.
pub fn still_open(
    found: &[(Suggestion, String)],
    annotations: &[Annotation],
    rejected: &BTreeSet<String>,
) -> Vec<usize> {
    let extents: Vec<Span> = annotations.iter().map(Annotation::extent).collect();
    let longest = extents.iter().map(|e| e.len()).max().unwrap_or(0);
    found
        .iter()
        .enumerate()
        .filter(|(_, (s, words))| {
            !rejected.contains(words) && !marked(s.extent(), &extents, longest)
        })
        .map(|(i, _)| i)
        .collect()
}

/// True when an annotation among `extents` (sorted by start; none longer than `longest`)
/// covers at least half of `extent`.
fn marked(extent: Span, extents: &[Span], longest: usize) -> bool {
    let end = extents.partition_point(|e| e.start < extent.end);
    let reach = extent.start.saturating_sub(longest);
    extents[..end]
        .iter()
        .rev()
        .take_while(|e| e.start >= reach)
        .any(|e| overlap(*e, extent) * 2 >= extent.len().max(1))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::SourceRegistry;

    #[test]
    fn rejected_and_marked_suggestions_are_not_open() {
        let text = "“We are ready,” Lee said. “We will talk,” Kim said. “We will never give in,” Park said.";
        let chars: Vec<char> = text.chars().collect();
        let found: Vec<(Suggestion, String)> =
            super::super::suggest(text, &SourceRegistry::default())
                .into_iter()
                .map(|s| {
                    let words = s.quote(&chars);
                    (s, words)
                })
                .collect();
        assert_eq!(found.len(), 3, "{found:?}");
        let mut ann = crate::model::Annotation {
            id: crate::model::AnnotationId("a".into()),
            tags: vec!["claim".into()],
            fragments: Vec::new(),
            note: String::new(),
            author: String::new(),
            created: String::new(),
            modified: String::new(),
            record: Default::default(),
            anchor: Default::default(),
        };
        // An annotation covers the second quote; the first is rejected.
        let second = found[1].0.extent();
        ann.fragments.push(crate::model::Fragment {
            span: Span::between(second.start.saturating_sub(3), second.end),
            quote: String::new(),
            prefix: String::new(),
            suffix: String::new(),
            original_quote: None,
        });
        let rejected = [found[0].1.clone()].into();
        assert_eq!(still_open(&found, &[ann], &rejected), [2]);
        assert_eq!(still_open(&found, &[], &BTreeSet::new()), [0, 1, 2]);
    }
}
