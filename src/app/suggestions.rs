//! Suggested claims in the open article ([`crate::suggest`]): found on a worker thread when
//! the article opens, outlined in the text, stepped through with Tab and Shift+Tab, accepted
//! with Enter (a Claim annotation with who said it and via whom: an ordinary, undoable edit)
//! and rejected with Backspace (recorded in the sidecar, so it does not come back).

use super::*;
use crate::model::Span;
use crate::suggest::Suggestion;
use crate::ui::suggestion_bar::SuggestionState;

/// Suggestions with their words, as the worker finds them.
type Found = Vec<(Suggestion, String)>;

/// The suggested claims of the open article.
#[derive(Default)]
pub(super) struct Suggestions {
    /// Being found on a worker, for the article at this path.
    job: Option<(PathBuf, Job<Found>)>,
    /// The article `found` is for.
    path: Option<PathBuf>,
    /// Every suggestion with its words (what a rejection records), in text order.
    found: Found,
    /// The indices of `found` still open (not rejected, not marked), ascending, and the
    /// annotations' revision they were worked out for.
    open: Vec<usize>,
    open_for: Option<u64>,
    /// The suggestion stepped to, an index of `found`.
    current: Option<usize>,
    /// Changes whenever `open` or `current` does (the view rebuilds its outlines).
    revision: u64,
}

impl Suggestions {
    /// True when at least one suggestion is open.
    pub(super) fn any_open(&self) -> bool {
        !self.open.is_empty()
    }

    /// The index of the current suggestion, if it is still open.
    fn current_index(&self) -> Option<usize> {
        self.current.filter(|i| self.open.binary_search(i).is_ok())
    }

    /// The current suggestion, if it is still open.
    pub(super) fn current(&self) -> Option<&Suggestion> {
        self.current_index().map(|i| &self.found[i].0)
    }

    /// The open suggestion after (or before) the current one, wrapping around.
    fn step(&self, forward: bool) -> Option<usize> {
        let (first, last) = (*self.open.first()?, *self.open.last()?);
        let Some(at) = self.current else {
            return Some(if forward { first } else { last });
        };
        let next = if forward {
            self.open
                .iter()
                .find(|&&i| i > at)
                .copied()
                .unwrap_or(first)
        } else {
            self.open
                .iter()
                .rev()
                .find(|&&i| i < at)
                .copied()
                .unwrap_or(last)
        };
        Some(next)
    }

    /// The outlines to draw: each open suggestion's pieces, with whether it is the current
    /// one, in text order.
    fn outlines(&self) -> Vec<(Span, bool)> {
        let current = self.current_index();
        self.open
            .iter()
            .flat_map(|&i| {
                let here = Some(i) == current;
                self.found[i].0.content.iter().map(move |s| (*s, here))
            })
            .collect()
    }
}

impl ClaimmarkApp {
    /// The suggested claims as the bar shows them (for tests and scripts).
    pub fn suggestion_state(&self) -> SuggestionState {
        let s = &self.suggestions;
        SuggestionState {
            finding: s.job.is_some(),
            open: s.open.len(),
            current: s.current_index().map(|i| {
                let (found, words) = &s.found[i];
                (words.clone(), found.attributed_to.clone())
            }),
        }
    }

    /// Starts finding the open article's suggestions on a worker thread.
    pub(super) fn start_suggesting(&mut self) {
        self.suggestions = Suggestions::default();
        let Some(session) = &self.session else {
            return;
        };
        let text = session.article().text.clone();
        let sources = session.sources().clone();
        let path = session.path().to_owned();
        let job = Job::spawn("suggest claims", self.waker.clone(), move |_: &Progress| {
            let chars: Vec<char> = text.chars().collect();
            crate::suggest::suggest(&text, &sources)
                .into_iter()
                .map(|s| {
                    let words = s.quote(&chars);
                    (s, words)
                })
                .collect()
        });
        match job {
            Ok(job) => self.suggestions.job = Some((path, job)),
            Err(e) => self.error(e.to_string()),
        }
    }

    /// Takes the worker's suggestions when they are ready, and keeps the open ones in step
    /// with the annotations (an accepted or rejected suggestion is no longer open; the
    /// current one then moves to the next open one).
    pub(super) fn poll_suggestions(&mut self) {
        if let Some((path, job)) = &self.suggestions.job {
            let found = match job.poll() {
                Poll::Pending => None,
                Poll::Ready(found) => Some(found),
                // The worker stopped: nothing is suggested for this article.
                Poll::Lost => Some(Vec::new()),
            };
            if let Some(found) = found {
                self.suggestions.path = Some(path.clone());
                self.suggestions.found = found;
                self.suggestions.job = None;
            }
        }
        let Some(session) = &self.session else {
            return;
        };
        if self.suggestions.job.is_none()
            && self.suggestions.path.as_deref() != Some(session.path())
        {
            // Another article (or the same one continued in a copy).
            self.start_suggesting();
            return;
        }
        let s = &mut self.suggestions;
        if s.path.as_deref() != Some(session.path()) {
            return;
        }
        let revision = session.annotations().revision();
        if s.open_for == Some(revision) {
            return;
        }
        s.open = crate::suggest::still_open(
            &s.found,
            session.annotations().as_slice(),
            session.annotations().rejected(),
        );
        s.open_for = Some(revision);
        if let Some(at) = s.current.filter(|i| s.open.binary_search(i).is_err()) {
            s.current = s.open.iter().find(|&&i| i > at).copied();
        }
        s.revision += 1;
    }

    /// Gives the article view the outlines of the open suggestions (none when hidden).
    pub(super) fn outline_suggestions(&mut self) {
        let shown = self.settings.show_suggestions && self.session.is_some();
        let revision = if shown { self.suggestions.revision } else { 0 };
        self.view.set_suggestions(revision, || match shown {
            true => self.suggestions.outlines(),
            false => Vec::new(),
        });
    }

    /// Tab / Shift+Tab: the next or previous open suggestion becomes current and is scrolled
    /// to; the annotation selection is cleared (Enter and Backspace then act on it).
    pub(super) fn step_suggestion(&mut self, forward: bool) {
        let Some(next) = self.suggestions.step(forward) else {
            return;
        };
        self.suggestions.current = Some(next);
        self.suggestions.revision += 1;
        self.selected = None;
        self.view.selection = None;
        let extent = self.suggestions.found[next].0.extent();
        self.view.scroll_to = Some(extent.start);
    }

    /// The tag an accepted suggestion gets: the codebook's "Claim", else its first tag.
    fn claim_tag(&self) -> Option<String> {
        let codebook = self.session.as_ref()?.codebook();
        codebook
            .tags
            .iter()
            .find(|t| t.name.eq_ignore_ascii_case("claim"))
            .or_else(|| codebook.tags.first())
            .map(|t| t.id.clone())
    }

    /// Enter: the current suggestion becomes a Claim annotation (one undo step).
    pub(super) fn accept_suggestion(&mut self) {
        let Some(i) = self.suggestions.current_index() else {
            self.info("Press Tab to step to a suggested claim first.");
            return;
        };
        if self.apply_suggestions(&[i]) {
            let who = self.suggestions.found[i].0.attributed_to.clone();
            self.info(match who {
                Some(who) => format!("Marked as a claim by {who}. Ctrl+Z undoes it."),
                None => "Marked as a claim. Ctrl+Z undoes it.".to_owned(),
            });
        }
    }

    /// Backspace: the current suggestion is rejected, recorded in the sidecar.
    pub(super) fn reject_suggestion(&mut self) {
        let Some(i) = self.suggestions.current_index() else {
            return;
        };
        let words = self.suggestions.found[i].1.clone();
        if self.apply(Edit::Reject(words)) {
            self.info("Suggestion rejected; it is not suggested again. Ctrl+Z undoes it.");
        }
    }

    /// Accepts every open suggestion of the current one's paragraph (or of the article): one
    /// undo step.
    pub(super) fn accept_suggestions(&mut self, paragraph: bool) {
        let Some(session) = &self.session else {
            return;
        };
        let s = &self.suggestions;
        let chosen: Vec<usize> = match (paragraph, s.current_index()) {
            (false, _) => s.open.clone(),
            (true, Some(at)) => {
                let blocks = session.article().blocks_of(s.found[at].0.extent());
                s.open
                    .iter()
                    .copied()
                    .filter(|&i| {
                        let b = session.article().blocks_of(s.found[i].0.extent());
                        b.start < blocks.end && blocks.start < b.end
                    })
                    .collect()
            }
            (true, None) => {
                self.info("Press Tab to step to a suggested claim first.");
                return;
            }
        };
        let n = chosen.len();
        if n > 0 && self.apply_suggestions(&chosen) {
            self.info(format!(
                "{} marked as claims. Ctrl+Z undoes them together.",
                count(n, "suggestion")
            ));
        }
    }

    /// Adds the suggestions `chosen` (indices of `found`) as Claim annotations in one edit.
    fn apply_suggestions(&mut self, chosen: &[usize]) -> bool {
        let Some(tag) = self.claim_tag() else {
            self.error("The codebook has no tags: add a Claim tag (Edit → Codebook…) first.");
            return false;
        };
        let Some(session) = &self.session else {
            return false;
        };
        let author = self.settings.analyst.trim().to_owned();
        let mut edits: Vec<Edit> = chosen
            .iter()
            .filter_map(|&i| {
                session.suggestion_annotation(&self.suggestions.found[i].0, &tag, &author)
            })
            .map(Edit::Add)
            .collect();
        let edit = match edits.len() {
            0 => return false,
            1 => edits.remove(0),
            _ => Edit::Batch(edits),
        };
        self.apply(edit)
    }
}
