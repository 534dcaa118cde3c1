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
