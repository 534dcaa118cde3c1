//! Three-way merge of annotation sets by annotation id: for a sidecar changed on disk while
//! open, and for `claimmark merge-driver` in git. Changes made on one side only are taken;
//! a true conflict (both sides changed the same annotation differently, or one changed what the
//! other deleted) is reported, never resolved by silently dropping a side.

use std::collections::{BTreeMap, BTreeSet};

use crate::model::{Annotation, AnnotationId};

/// An annotation both sides changed differently. The merged set holds `ours` (or `theirs`
/// when ours deleted it), so nothing is lost while the analyst decides.
#[derive(Clone, Debug, PartialEq)]
pub struct Conflict {
    pub id: AnnotationId,
    pub ours: Option<Annotation>,
    pub theirs: Option<Annotation>,
}

impl Conflict {
    /// What happened on each side, for the analyst.
    pub fn describe(&self) -> &'static str {
        match (&self.ours, &self.theirs) {
            (Some(_), Some(_)) => "changed on both sides",
            (Some(_), None) => "changed here, deleted on the other side",
            _ => "deleted here, changed on the other side",
        }
    }

    /// The quote of whichever version exists.
    pub fn quote(&self) -> String {
        self.ours
            .as_ref()
            .or(self.theirs.as_ref())
            .map(|a| a.quote())
            .unwrap_or_default()
    }
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct Merge {
    pub annotations: Vec<Annotation>,
    pub conflicts: Vec<Conflict>,
}

/// The rejected suggestions after a three-way merge: a rejection added on either side is
/// kept, one withdrawn on either side (an undo) is gone. Sets cannot conflict.
pub fn rejections(
    base: &BTreeSet<String>,
    ours: &BTreeSet<String>,
    theirs: &BTreeSet<String>,
) -> BTreeSet<String> {
    let both = ours.intersection(theirs);
    let added = ours.union(theirs).filter(|w| !base.contains(*w));
    both.chain(added).cloned().collect()
}

pub fn three_way(base: &[Annotation], ours: &[Annotation], theirs: &[Annotation]) -> Merge {
    let index = |list: &[Annotation]| -> BTreeMap<AnnotationId, Annotation> {
        list.iter().map(|a| (a.id.clone(), a.clone())).collect()
    };
    let (base, ours, theirs) = (index(base), index(ours), index(theirs));
    let mut ids: Vec<&AnnotationId> = base
        .keys()
        .chain(ours.keys())
        .chain(theirs.keys())
        .collect();
    ids.sort();
    ids.dedup();
    let mut out = Merge::default();
    for id in ids {
        let (b, o, t) = (base.get(id), ours.get(id), theirs.get(id));
        let keep = match (b, o, t) {
            (_, Some(o), Some(t)) if o == t => Some(o),
            (Some(b), Some(o), Some(t)) if o == b => Some(t),
            (Some(b), Some(o), Some(t)) if t == b => Some(o),
            (None, Some(o), None) => Some(o),
            (None, None, Some(t)) => Some(t),
            (Some(b), Some(o), None) if o == b => None,
            (Some(b), None, Some(t)) if t == b => None,
            (_, None, None) => None,
            (_, o, t) => {
                out.conflicts.push(Conflict {
                    id: id.clone(),
                    ours: o.cloned(),
                    theirs: t.cloned(),
                });
                o.or(t)
            }
        };
        if let Some(a) = keep {
            out.annotations.push(a.clone());
        }
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn rejections_merge_as_sets() {
        let set = |w: &[&str]| w.iter().map(|s| s.to_string()).collect::<BTreeSet<_>>();
        let merged = rejections(
            &set(&["kept", "undone"]),
            &set(&["kept", "mine"]),
            &set(&["kept", "undone", "theirs"]),
        );
        assert_eq!(merged, set(&["kept", "mine", "theirs"]));
    }

    use super::*;
    use crate::model::{Fragment, Span};

    fn ann(id: &str, note: &str) -> Annotation {
        Annotation {
            id: AnnotationId(id.into()),
            tags: vec!["claim".into()],
            fragments: vec![Fragment {
                span: Span { start: 0, end: 1 },
                quote: "a".into(),
                ..Default::default()
            }],
            note: note.into(),
            author: String::new(),
            created: String::new(),
            modified: String::new(),
            record: Default::default(),
            anchor: Default::default(),
        }
    }

    fn notes(m: &Merge) -> Vec<(String, String)> {
        m.annotations
            .iter()
            .map(|a| (a.id.0.clone(), a.note.clone()))
            .collect()
    }

    #[test]
    fn one_sided_changes_merge_cleanly() {
        let base = [ann("a", ""), ann("b", ""), ann("c", "")];
        let ours = [ann("a", "mine"), ann("b", ""), ann("d", "new here")];
        let theirs = [
            ann("a", ""),
            ann("b", "theirs"),
            ann("c", ""),
            ann("e", "new there"),
        ];
        let m = three_way(&base, &ours, &theirs);
        assert!(m.conflicts.is_empty(), "{:?}", m.conflicts);
        let want = [
            ("a", "mine"),
            ("b", "theirs"),
            ("d", "new here"),
            ("e", "new there"),
        ];
        assert_eq!(
            notes(&m),
            want.map(|(a, b)| (a.to_owned(), b.to_owned())),
            "c was deleted here"
        );
    }

    #[test]
    fn true_conflicts_keep_both_sides() {
        let base = [ann("a", ""), ann("b", ""), ann("c", "")];
        let ours = [ann("a", "mine"), ann("b", "edited"), ann("c", "")];
        let theirs = [ann("a", "theirs"), ann("c", "edited there")];
        let m = three_way(&base, &ours, &[theirs[0].clone(), theirs[1].clone()]);
        let ids: Vec<&str> = m.conflicts.iter().map(|c| c.id.0.as_str()).collect();
        assert_eq!(
            ids,
            ["a", "b"],
            "a: both edited; b: edited here, deleted there"
        );
        assert_eq!(
            notes(&m),
            [("a", "mine"), ("b", "edited"), ("c", "edited there")]
                .map(|(a, b)| (a.to_owned(), b.to_owned()))
        );
        assert_eq!(
            m.conflicts[0].theirs.as_ref().map(|a| a.note.as_str()),
            Some("theirs")
        );
    }
}
