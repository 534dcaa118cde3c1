//! Character spans: the unit every offset in Claimmark is counted in.

use serde::{Deserialize, Serialize};

/// A half-open range of Unicode code points (`start` inclusive, `end` exclusive) into an
/// article's canonical text. Code points are what W3C Web Annotation, brat and REFI-QDA count.
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
)]
pub struct Span {
    pub start: usize,
    pub end: usize,
}

impl Span {
    /// A span from two positions in either order.
    pub fn between(a: usize, b: usize) -> Self {
        Self {
            start: a.min(b),
            end: a.max(b),
        }
    }

    pub fn len(&self) -> usize {
        self.end.saturating_sub(self.start)
    }

    pub fn is_empty(&self) -> bool {
        self.end <= self.start
    }

    /// True if the two spans share at least one character.
    pub fn overlaps(&self, other: &Span) -> bool {
        self.start < other.end && other.start < self.end
    }

    pub fn contains(&self, pos: usize) -> bool {
        self.start <= pos && pos < self.end
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn between_orders_its_ends() {
        assert_eq!(Span::between(9, 3), Span { start: 3, end: 9 });
        assert_eq!(Span::between(3, 9).len(), 6);
    }

    #[test]
    fn overlap_is_half_open() {
        let a = Span::between(0, 5);
        assert!(a.overlaps(&Span::between(4, 6)));
        assert!(!a.overlaps(&Span::between(5, 6)));
        assert!(a.contains(4) && !a.contains(5));
    }
}
