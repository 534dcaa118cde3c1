//! Annotations and the ordered set that holds an article's annotations.

use serde::{Deserialize, Serialize};

use super::claim::{Confidence, Credibility, Link, Reliability, Status};
use super::{Span, TagId};

/// A stable, unique annotation id (a UUID string); never reused, survives renames and moves.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct AnnotationId(pub String);

impl AnnotationId {
    pub fn new_random() -> Self {
        Self(uuid::Uuid::new_v4().to_string())
    }
}

impl std::fmt::Display for AnnotationId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// One contiguous piece of an annotation, with the text it quoted and about 32 characters of
/// context on each side, so it can be found again if the article changes.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Fragment {
    pub span: Span,
    pub quote: String,
    pub prefix: String,
    pub suffix: String,
    /// The quote as first annotated, kept when re-anchoring after an edit of the article
    /// changed the words (a fuzzy match).
    pub original_quote: Option<String>,
}

/// A tagged, possibly discontinuous, stretch of an article.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Annotation {
    pub id: AnnotationId,
    /// Tag ids, in the order they were applied; at least one.
    pub tags: Vec<TagId>,
    /// At least one fragment, in text order, not overlapping.
    pub fragments: Vec<Fragment>,
    pub note: String,
    pub author: String,
    /// RFC 3339 timestamps.
    pub created: String,
    pub modified: String,
    /// Who claims it, via whom, how far to trust it, how it relates to other claims.
    pub record: ClaimRecord,
    /// Whether the annotation is attached to the current text, and how it moved.
    pub anchor: AnchorState,
}

/// An annotation's attachment to the text.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct AnchorState {
    /// Its words could not be found in the current article text: it is kept, untouched, until
    /// the analyst re-attaches or deletes it.
    pub orphaned: bool,
    /// What happened to it: "2026-11-27T10:00:00Z moved 48–89 → 60–101 (fuzzy)", oldest first.
    pub history: Vec<String>,
}

/// The analyst's attributes of a claim; every field is optional.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ClaimRecord {
    /// The speaker or source of the claim (canonical name from the source registry, or as typed).
    pub attributed_to: Option<String>,
    /// Where the source's name stands in the text (PARC's "source" span), if marked.
    pub source_span: Option<Fragment>,
    /// The outlets the claim passed through, from the source outward: Kim Jong Un via
    /// ["KCNA", "India Today"] is what India Today reported, quoting KCNA.
    pub via: Vec<String>,
    pub reliability: Option<Reliability>,
    pub credibility: Option<Credibility>,
    pub status: Status,
    pub confidence: Option<Confidence>,
    pub links: Vec<Link>,
}

impl ClaimRecord {
    /// Attributes the claim to `name` (its canonical name in the folder's registry; empty:
    /// to no one). A claim without a grade yet starts with the source's default reliability.
    /// The one rule for the inspector and `claimmark add --source`.
    pub fn attribute_to(&mut self, name: &str, registry: &super::SourceRegistry) {
        let name = name.trim();
        if name.is_empty() {
            self.attributed_to = None;
            return;
        }
        if self.reliability.is_none() {
            self.reliability = registry.resolve(name).and_then(|s| s.reliability);
        }
        self.attributed_to = Some(registry.canonical(name));
    }
}

impl Annotation {
    /// The span from the first fragment's start to the last fragment's end.
    pub fn extent(&self) -> Span {
        let start = self.fragments.first().map_or(0, |f| f.span.start);
        let end = self.fragments.last().map_or(start, |f| f.span.end);
        Span { start, end }
    }

    /// The quoted text of all fragments, joined by " … ".
    pub fn quote(&self) -> String {
        let parts: Vec<&str> = self.fragments.iter().map(|f| f.quote.as_str()).collect();
        parts.join(" … ")
    }

    pub fn covers(&self, pos: usize) -> bool {
        !self.anchor.orphaned && self.fragments.iter().any(|f| f.span.contains(pos))
    }

    fn sort_key(&self) -> (usize, usize, &AnnotationId) {
        let e = self.extent();
        (e.start, e.end, &self.id)
    }
}

/// An article's annotations, kept sorted by position (start, end, id).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct AnnotationSet {
    items: Vec<Annotation>,
    /// The ids of `items`: an id that is not there is known at once (adding thousands).
    ids: std::collections::HashSet<AnnotationId>,
    /// Suggested claims the analyst rejected, by their words ([`crate::suggest`]): they are
    /// not suggested again.
    rejected: std::collections::BTreeSet<String>,
    revision: u64,
}

impl AnnotationSet {
    /// Builds a set; the annotations are sorted, ids must be unique.
    pub fn from_vec(mut items: Vec<Annotation>) -> Result<Self, super::EditError> {
        items.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
        let mut ids = std::collections::HashSet::with_capacity(items.len());
        for a in &items {
            if !ids.insert(a.id.clone()) {
                return Err(super::EditError::DuplicateId(a.id.clone()));
            }
        }
        Ok(Self {
            items,
            ids,
            rejected: Default::default(),
            revision: 0,
        })
    }

    pub fn iter(&self) -> std::slice::Iter<'_, Annotation> {
        self.items.iter()
    }

    /// The annotations in position order, indexable.
    pub fn as_slice(&self) -> &[Annotation] {
        &self.items
    }

    pub fn len(&self) -> usize {
        self.items.len()
    }

    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    /// Changes whenever the set changes; views use it to know when to rebuild caches.
    pub fn revision(&self) -> u64 {
        self.revision
    }

    pub fn get(&self, id: &AnnotationId) -> Option<&Annotation> {
        if !self.ids.contains(id) {
            return None;
        }
        self.items.iter().find(|a| &a.id == id)
    }

    /// The annotations covering a position, shortest first (the innermost one is what a click
    /// on overlapping highlights selects).
    pub fn at(&self, pos: usize) -> Vec<&Annotation> {
        let mut hits: Vec<&Annotation> = self.items.iter().filter(|a| a.covers(pos)).collect();
        hits.sort_by_key(|a| a.extent().len());
        hits
    }

    /// Replaces every annotation (a reload or merge from disk); the revision keeps increasing.
    /// The rejected suggestions stay.
    pub fn replace_all(&mut self, items: Vec<Annotation>) -> Result<(), super::EditError> {
        let revision = self.revision + 1;
        let rejected = std::mem::take(&mut self.rejected);
        *self = Self::from_vec(items)?;
        self.rejected = rejected;
        self.revision = revision;
        Ok(())
    }

    /// The words of the suggested claims the analyst rejected.
    pub fn rejected(&self) -> &std::collections::BTreeSet<String> {
        &self.rejected
    }

    /// True when the suggestion with these words was rejected.
    pub fn is_rejected(&self, words: &str) -> bool {
        self.rejected.contains(words)
    }

    /// Replaces the rejected suggestions (loading, merging); a change is a new revision.
    pub fn set_rejected(&mut self, rejected: std::collections::BTreeSet<String>) {
        if rejected != self.rejected {
            self.rejected = rejected;
            self.revision += 1;
        }
    }

    /// Records a rejection; false when it was already recorded.
    pub(super) fn reject(&mut self, words: String) -> bool {
        let new = self.rejected.insert(words);
        self.revision += u64::from(new);
        new
    }

    /// Forgets a rejection; false when there was none.
    pub(super) fn unreject(&mut self, words: &str) -> bool {
        let gone = self.rejected.remove(words);
        self.revision += u64::from(gone);
        gone
    }

    pub(super) fn insert(&mut self, ann: Annotation) {
        let key = ann.sort_key();
        let idx = self
            .items
            .partition_point(|a| a.sort_key() < (key.0, key.1, key.2));
        self.ids.insert(ann.id.clone());
        self.items.insert(idx, ann);
        self.revision += 1;
    }

    pub(super) fn remove(&mut self, id: &AnnotationId) -> Option<Annotation> {
        let idx = self.items.iter().position(|a| &a.id == id)?;
        self.ids.remove(id);
        self.revision += 1;
        Some(self.items.remove(idx))
    }
}
