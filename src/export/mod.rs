//! Exports: one file per format. Each exporter writes to any `io::Write`, one article at a time,
//! so a folder of any size streams without holding every claim in memory twice.
//!
//! Must not touch egui. Reads sessions; never writes next to articles (the caller chooses the
//! destination).

pub mod brief;
pub mod csv;
pub mod jsonl;

use std::io;

use crate::model::{Annotation, Codebook};
use crate::session::Session;

/// Which annotations an export includes.
#[derive(Clone, Debug, Default)]
pub struct Filter {
    /// Tag ids or names; an annotation is included if it has one of them or one of their
    /// descendants. Empty: every annotation.
    pub tags: Vec<String>,
}

impl Filter {
    /// The annotations of a session that pass the filter, in text order.
    pub fn select<'a>(&self, session: &'a Session) -> Vec<&'a Annotation> {
        let wanted = self.tag_ids(&session.codebook);
        session
            .annotations
            .iter()
            .filter(|a| wanted.is_empty() || a.tags.iter().any(|t| wanted.contains(t)))
            .collect()
    }

    fn tag_ids(&self, codebook: &Codebook) -> Vec<String> {
        self.tags
            .iter()
            .flat_map(|t| match codebook.find(t) {
                Some(tag) => codebook.with_descendants(&tag.id),
                None => vec![t.clone()],
            })
            .collect()
    }
}

/// An export format that writes article by article.
pub trait Exporter {
    /// Writes one article's (filtered) annotations.
    fn article(&mut self, session: &Session, annotations: &[&Annotation]) -> io::Result<()>;
    /// Finishes the output (flushes buffers).
    fn finish(&mut self) -> io::Result<()>;
}

/// The article's title for exports: its file name (articles have no other title yet).
pub fn title(session: &Session) -> String {
    session.file_name()
}
