//! Undo and redo stacks of inverse edits. Lives in the model, never in widgets, and is never
//! saved.

use super::{AnnotationSet, Edit, EditError};

#[derive(Clone, Debug, Default)]
pub struct History {
    undo: Vec<Edit>,
    redo: Vec<Edit>,
}

impl History {
    /// Applies an edit to the set and records its inverse; clears the redo stack.
    pub fn apply(&mut self, set: &mut AnnotationSet, edit: Edit) -> Result<(), EditError> {
        let inverse = set.apply(edit)?;
        self.undo.push(inverse);
        self.redo.clear();
        Ok(())
    }

    /// Undoes the last edit. Returns false if there was nothing to undo.
    pub fn undo(&mut self, set: &mut AnnotationSet) -> bool {
        Self::step(set, &mut self.undo, &mut self.redo)
    }

    /// Redoes the last undone edit. Returns false if there was nothing to redo.
    pub fn redo(&mut self, set: &mut AnnotationSet) -> bool {
        Self::step(set, &mut self.redo, &mut self.undo)
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
