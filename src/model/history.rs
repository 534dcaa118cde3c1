//! Undo and redo stacks of inverse edits. Lives in the model, never in widgets, and is never
//! saved.

use super::{AnnotationSet, Edit, EditError};

#[derive(Clone, Debug, Default)]
pub struct History {
    undo: Vec<Edit>,
    redo: Vec<Edit>,
    /// The key of the last merging edit (see [`History::apply_merging`]).
    merge_key: Option<String>,
}

impl History {
    /// Applies an edit to the set and records its inverse; clears the redo stack.
    pub fn apply(&mut self, set: &mut AnnotationSet, edit: Edit) -> Result<(), EditError> {
        let inverse = set.apply(edit)?;
        self.undo.push(inverse);
        self.redo.clear();
        self.merge_key = None;
        Ok(())
    }

    /// Like [`History::apply`], but consecutive edits with the same `key` (typing into one
    /// field of one annotation) make a single undo step: the first one's inverse is kept.
    pub fn apply_merging(
        &mut self,
        set: &mut AnnotationSet,
        edit: Edit,
        key: &str,
    ) -> Result<(), EditError> {
        if self.merge_key.as_deref() == Some(key) && !self.undo.is_empty() {
            set.apply(edit)?;
            self.redo.clear();
            return Ok(());
        }
        self.apply(set, edit)?;
        self.merge_key = Some(key.to_owned());
        Ok(())
    }

    /// Undoes the last edit. Returns false if there was nothing to undo.
    pub fn undo(&mut self, set: &mut AnnotationSet) -> bool {
        self.step_and_stop_merging();
        Self::step(set, &mut self.undo, &mut self.redo)
    }

    /// Redoes the last undone edit. Returns false if there was nothing to redo.
    pub fn redo(&mut self, set: &mut AnnotationSet) -> bool {
        self.step_and_stop_merging();
        Self::step(set, &mut self.redo, &mut self.undo)
    }

    fn step_and_stop_merging(&mut self) {
        self.merge_key = None;
    }

    fn step(set: &mut AnnotationSet, from: &mut Vec<Edit>, to: &mut Vec<Edit>) -> bool {
        let Some(edit) = from.pop() else {
            return false;
        };
        match set.apply(edit.clone()) {
            Ok(inverse) => {
                to.push(inverse);
                true
            }
            Err(_) => {
                // The inverse of a recorded edit always applies; keep it if it somehow doesn't.
                from.push(edit);
                false
            }
        }
    }

    pub fn can_undo(&self) -> bool {
        !self.undo.is_empty()
    }

    pub fn can_redo(&self) -> bool {
        !self.redo.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Annotation, AnnotationId, Fragment, Span};

    fn ann(note: &str) -> Annotation {
        Annotation {
            id: AnnotationId("a".into()),
            tags: vec!["claim".into()],
            fragments: vec![Fragment {
                span: Span { start: 0, end: 3 },
                quote: "abc".into(),
                prefix: String::new(),
                suffix: String::new(),
                original_quote: None,
            }],
            note: note.into(),
            author: String::new(),
            created: String::new(),
            modified: String::new(),
            record: Default::default(),
            anchor: Default::default(),
        }
    }

    #[test]
    fn typing_into_one_field_is_one_undo_step() {
        let mut set = AnnotationSet::default();
        let mut h = History::default();
        h.apply(&mut set, Edit::Add(ann(""))).expect("add");
        for note in ["P", "Pa", "Par"] {
            h.apply_merging(&mut set, Edit::Replace(ann(note)), "note:a")
                .expect("type");
        }
        h.apply_merging(&mut set, Edit::Replace(ann("Par!")), "via:a")
            .expect("other field");
        assert!(h.undo(&mut set));
        assert_eq!(set.as_slice()[0].note, "Par", "the other field's step");
        assert!(h.undo(&mut set));
        assert_eq!(set.as_slice()[0].note, "", "all typing in one step");
        assert!(h.redo(&mut set));
        assert_eq!(set.as_slice()[0].note, "Par");
        assert!(h.undo(&mut set) && h.undo(&mut set));
        assert!(set.is_empty());
        assert!(!h.undo(&mut set));
    }
}
