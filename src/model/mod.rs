//! The domain model: articles, spans, the codebook, annotations, edits and their history.
//!
//! Owns every rule about what an annotation *is*. Must not touch egui, eframe or the file
//! system: loading and saving live in [`crate::storage`] and [`crate::import`].

pub mod annotation;
pub mod article;
pub mod claim;
pub mod codebook;
pub mod edit;
pub mod history;
pub mod provenance;
pub mod sources;
pub mod span;

pub use annotation::{AnchorState, Annotation, AnnotationId, AnnotationSet, ClaimRecord, Fragment};
pub use article::{Article, Block};
pub use claim::{Confidence, Credibility, GradeError, Link, LinkKind, Reliability, Status};
pub use codebook::{Codebook, InvalidCodebook, Rgb, Tag, TagId};
pub use edit::{Edit, EditError};
pub use history::History;
pub use sources::{InvalidRegistry, Source, SourceRegistry};
pub use span::Span;

/// `n` and a noun, singular or plural ("1 claim", "2 claims"); `noun` is the singular and
/// takes an "s".
pub fn count(n: usize, noun: &str) -> String {
    if n == 1 {
        format!("1 {noun}")
    } else {
        format!("{n} {noun}s")
    }
}

#[cfg(test)]
mod count_tests {
    #[test]
    fn one_is_singular_and_every_other_number_plural() {
        assert_eq!(super::count(1, "annotation"), "1 annotation");
        assert_eq!(super::count(0, "annotation"), "0 annotations");
        assert_eq!(super::count(2, "source"), "2 sources");
    }
}
