//! Edits: every change to an article's annotations, as a value whose `apply` returns its
//! inverse. Undo and redo are nothing more than applying inverses.

use super::{Annotation, AnnotationId, AnnotationSet};

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Edit {
    Add(Annotation),
    Remove(AnnotationId),
    /// Replace the annotation with the same id.
    Replace(Annotation),
    /// Record that the analyst rejected the suggested claim with these words.
    Reject(String),
    /// Forget such a rejection (the inverse of [`Edit::Reject`]).
    Unreject(String),
    /// Several edits as one undo step (accepting every suggestion of a paragraph). They are
    /// applied in order; if one fails, those before it are undone and nothing changes.
    Batch(Vec<Edit>),
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum EditError {
    #[error("annotation {0} already exists")]
    DuplicateId(AnnotationId),
    #[error("annotation {0} does not exist")]
    Missing(AnnotationId),
    #[error("an annotation needs at least one tag and one non-empty fragment")]
    Invalid,
}

impl Edit {
    /// Human-readable name, for the Undo/Redo menu items.
    pub fn label(&self) -> &'static str {
        match self {
            Edit::Add(_) => "add annotation",
            Edit::Remove(_) => "delete annotation",
            Edit::Replace(_) => "change annotation",
            Edit::Reject(_) => "reject suggestion",
            Edit::Unreject(_) => "restore suggestion",
            Edit::Batch(_) => "accept suggestions",
        }
    }
}

fn check(ann: &Annotation) -> Result<(), EditError> {
    if ann.tags.is_empty()
        || ann.fragments.is_empty()
        || ann.fragments.iter().any(|f| f.span.is_empty())
    {
        return Err(EditError::Invalid);
    }
    Ok(())
}

impl AnnotationSet {
    /// Applies an edit and returns the edit that undoes it. On error nothing changes.
    pub fn apply(&mut self, edit: Edit) -> Result<Edit, EditError> {
        match edit {
            Edit::Add(ann) => {
                check(&ann)?;
                if self.get(&ann.id).is_some() {
                    return Err(EditError::DuplicateId(ann.id));
                }
                let id = ann.id.clone();
                self.insert(ann);
                Ok(Edit::Remove(id))
            }
            Edit::Remove(id) => {
                let old = self.remove(&id).ok_or(EditError::Missing(id))?;
                Ok(Edit::Add(old))
            }
            Edit::Replace(ann) => {
                check(&ann)?;
                let old = self
                    .remove(&ann.id)
                    .ok_or_else(|| EditError::Missing(ann.id.clone()))?;
                self.insert(ann);
                Ok(Edit::Replace(old))
            }
            Edit::Reject(words) => match self.reject(words.clone()) {
                true => Ok(Edit::Unreject(words)),
                false => Err(EditError::Invalid),
            },
            Edit::Unreject(words) => match self.unreject(&words) {
                true => Ok(Edit::Reject(words)),
                false => Err(EditError::Invalid),
            },
            Edit::Batch(edits) => self.apply_batch(edits),
        }
    }

    /// Applies edits in order; the inverse undoes them in reverse order. On an error the ones
    /// applied are undone.
    fn apply_batch(&mut self, edits: Vec<Edit>) -> Result<Edit, EditError> {
        let mut inverses = Vec::with_capacity(edits.len());
        for edit in edits {
            match self.apply(edit) {
                Ok(inverse) => inverses.push(inverse),
                Err(e) => {
                    for inverse in inverses.into_iter().rev() {
                        // Each inverse undoes what was just done: it cannot fail.
                        let _ = self.apply(inverse);
                    }
                    return Err(e);
                }
            }
        }
        inverses.reverse();
        Ok(Edit::Batch(inverses))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Fragment, Span};

    fn ann(id: &str, start: usize, end: usize) -> Annotation {
        Annotation {
            id: AnnotationId(id.into()),
            tags: vec!["claim".into()],
            fragments: vec![Fragment {
                span: Span { start, end },
                quote: "q".into(),
                prefix: String::new(),
                suffix: String::new(),
                original_quote: None,
            }],
            note: String::new(),
            author: "me".into(),
            created: "2026-01-01T00:00:00Z".into(),
            modified: "2026-01-01T00:00:00Z".into(),
            record: Default::default(),
            anchor: Default::default(),
        }
    }

    #[test]
    fn every_edit_has_an_inverse() {
        let mut set = AnnotationSet::default();
        let inv_add = set.apply(Edit::Add(ann("b", 5, 9))).expect("add");
        set.apply(Edit::Add(ann("a", 1, 3))).expect("add");
        assert_eq!(
            set.iter().map(|a| a.id.0.as_str()).collect::<Vec<_>>(),
            ["a", "b"]
        );
        let before = set.clone();
        let mut changed = ann("b", 0, 2);
        changed.note = "n".into();
        let inv_replace = set.apply(Edit::Replace(changed)).expect("replace");
        assert_eq!(set.iter().next().map(|a| a.note.as_str()), Some("n"));
        set.apply(inv_replace).expect("undo replace");
        assert_eq!(
            set.iter().collect::<Vec<_>>(),
            before.iter().collect::<Vec<_>>()
        );
        set.apply(inv_add).expect("undo add");
        assert_eq!(set.len(), 1);
    }

    #[test]
    fn a_rejection_and_a_batch_undo_in_one_step_each() {
        let mut set = AnnotationSet::default();
        let unreject = set.apply(Edit::Reject("q".into())).expect("reject");
        assert!(set.is_rejected("q"));
        assert_eq!(set.apply(Edit::Reject("q".into())), Err(EditError::Invalid));
        set.apply(unreject).expect("undo");
        assert!(!set.is_rejected("q"));

        let undo = set
            .apply(Edit::Batch(vec![
                Edit::Add(ann("a", 1, 3)),
                Edit::Add(ann("b", 5, 9)),
            ]))
            .expect("batch");
        assert_eq!(set.len(), 2);
        set.apply(undo).expect("undo batch");
        assert!(set.is_empty());

        // One failing edit leaves the set as it was.
        let before = set.clone();
        let failed = set.apply(Edit::Batch(vec![
            Edit::Add(ann("a", 1, 3)),
            Edit::Reject("r".into()),
            Edit::Add(ann("a", 4, 6)),
        ]));
        assert_eq!(
            failed,
            Err(EditError::DuplicateId(AnnotationId("a".into())))
        );
        assert_eq!(set.as_slice(), before.as_slice());
        assert!(set.rejected().is_empty());
    }

    #[test]
    fn invalid_edits_change_nothing() {
        let mut set = AnnotationSet::default();
        set.apply(Edit::Add(ann("a", 1, 3))).expect("add");
        assert_eq!(
            set.apply(Edit::Add(ann("a", 4, 5))),
            Err(EditError::DuplicateId(AnnotationId("a".into())))
        );
        assert_eq!(
            set.apply(Edit::Add(ann("c", 4, 4))),
            Err(EditError::Invalid)
        );
        assert!(matches!(
            set.apply(Edit::Remove(AnnotationId("x".into()))),
            Err(EditError::Missing(_))
        ));
        assert_eq!(set.len(), 1);
    }

    #[test]
    fn at_prefers_the_innermost() {
        let set =
            AnnotationSet::from_vec(vec![ann("outer", 0, 10), ann("inner", 2, 4)]).expect("set");
        assert_eq!(set.at(3)[0].id.0, "inner");
        assert_eq!(set.at(7)[0].id.0, "outer");
        assert!(set.at(10).is_empty());
    }
}
