//! The analyst's record of a claim: who said it, via whom, how far to trust it, how it
//! relates to other claims. Grades follow the NATO / Admiralty system analysts use.

use serde::{Deserialize, Serialize};

use super::AnnotationId;

/// Source reliability, A (reliable) to F (cannot be judged).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Reliability {
    A,
    B,
    C,
    D,
    E,
    F,
}

impl Reliability {
    pub const ALL: [Reliability; 6] = [Self::A, Self::B, Self::C, Self::D, Self::E, Self::F];

    pub fn letter(self) -> char {
        match self {
            Self::A => 'A',
            Self::B => 'B',
            Self::C => 'C',
            Self::D => 'D',
            Self::E => 'E',
            Self::F => 'F',
        }
    }

    pub fn from_letter(c: char) -> Option<Self> {
        Self::ALL
            .into_iter()
            .find(|r| r.letter() == c.to_ascii_uppercase())
    }

    pub fn meaning(self) -> &'static str {
        match self {
            Self::A => "completely reliable",
            Self::B => "usually reliable",
            Self::C => "fairly reliable",
            Self::D => "not usually reliable",
            Self::E => "unreliable",
            Self::F => "reliability cannot be judged",
        }
    }
}

/// Information credibility, 1 (confirmed by other sources) to 6 (cannot be judged).
/// Stored as its digit.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Credibility {
    Confirmed,
    ProbablyTrue,
    PossiblyTrue,
    DoubtfullyTrue,
    Improbable,
    CannotBeJudged,
}

impl Credibility {
    pub const ALL: [Credibility; 6] = [
        Self::Confirmed,
        Self::ProbablyTrue,
        Self::PossiblyTrue,
        Self::DoubtfullyTrue,
        Self::Improbable,
        Self::CannotBeJudged,
    ];

    pub fn digit(self) -> u8 {
        match self {
            Self::Confirmed => 1,
            Self::ProbablyTrue => 2,
            Self::PossiblyTrue => 3,
            Self::DoubtfullyTrue => 4,
            Self::Improbable => 5,
            Self::CannotBeJudged => 6,
        }
    }

    pub fn from_digit(d: u8) -> Option<Self> {
        Self::ALL.into_iter().find(|c| c.digit() == d)
    }

    pub fn meaning(self) -> &'static str {
        match self {
            Self::Confirmed => "confirmed by other sources",
            Self::ProbablyTrue => "probably true",
            Self::PossiblyTrue => "possibly true",
            Self::DoubtfullyTrue => "doubtful",
            Self::Improbable => "improbable",
            Self::CannotBeJudged => "truth cannot be judged",
        }
    }
}

/// Parses an Admiralty grade such as `B2`, `b`, or `3` into its two halves.
pub fn parse_grade(text: &str) -> Result<(Option<Reliability>, Option<Credibility>), GradeError> {
    let t = text.trim();
    let mut chars = t.chars();
    let (r, rest) = match chars.next() {
        Some(c) if c.is_ascii_alphabetic() => match Reliability::from_letter(c) {
            Some(r) => (Some(r), chars.as_str()),
            None => {
                return Err(GradeError::Reliability {
                    given: t.to_owned(),
                });
            }
        },
        _ => (None, t),
    };
    let c = match rest.trim() {
        "" => None,
        d => match d.parse::<u8>().ok().and_then(Credibility::from_digit) {
            Some(c) => Some(c),
            None => {
                return Err(GradeError::Credibility {
                    given: t.to_owned(),
                });
            }
        },
    };
    if r.is_none() && c.is_none() {
        return Err(GradeError::Empty);
    }
    Ok((r, c))
}

/// Why a typed grade is not an Admiralty grade ([`parse_grade`]).
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum GradeError {
    #[error("`{given}`: source reliability is a letter A–F")]
    Reliability { given: String },
    #[error("`{given}`: information credibility is a digit 1–6")]
    Credibility { given: String },
    #[error("a grade looks like B2: reliability A–F, credibility 1–6")]
    Empty,
}

/// `B2`, `B`, `2` or `—`.
pub fn format_grade(r: Option<Reliability>, c: Option<Credibility>) -> String {
    match (r, c) {
        (None, None) => "—".into(),
        (r, c) => format!(
            "{}{}",
            r.map(|r| r.letter().to_string()).unwrap_or_default(),
            c.map(|c| c.digit().to_string()).unwrap_or_default()
        ),
    }
}

/// Where the claim stands.
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    #[default]
    Unverified,
    Corroborated,
    Disputed,
    Refuted,
}

impl Status {
    pub const ALL: [Status; 4] = [
        Self::Unverified,
        Self::Corroborated,
        Self::Disputed,
        Self::Refuted,
    ];

    pub fn label(self) -> &'static str {
        match self {
            Self::Unverified => "unverified",
            Self::Corroborated => "corroborated",
            Self::Disputed => "disputed",
            Self::Refuted => "refuted",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL
            .into_iter()
            .find(|s| s.label().eq_ignore_ascii_case(text.trim()))
    }
}

/// The analyst's confidence in their own judgement.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Confidence {
    Low,
    Moderate,
    High,
}

impl Confidence {
    pub const ALL: [Confidence; 3] = [Self::Low, Self::Moderate, Self::High];

    pub fn label(self) -> &'static str {
        match self {
            Self::Low => "low",
            Self::Moderate => "moderate",
            Self::High => "high",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL
            .into_iter()
            .find(|s| s.label().eq_ignore_ascii_case(text.trim()))
    }
}

/// How one claim relates to another.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LinkKind {
    Supports,
    Contradicts,
    SameClaimAs,
    Elaborates,
}

impl LinkKind {
    pub const ALL: [LinkKind; 4] = [
        Self::Supports,
        Self::Contradicts,
        Self::SameClaimAs,
        Self::Elaborates,
    ];

    pub fn label(self) -> &'static str {
        match self {
            Self::Supports => "supports",
            Self::Contradicts => "contradicts",
            Self::SameClaimAs => "same claim as",
            Self::Elaborates => "elaborates",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        let t = text.trim().replace(['_', '-'], " ");
        Self::ALL
            .into_iter()
            .find(|s| s.label().eq_ignore_ascii_case(&t))
    }
}

/// A link to another annotation, in this article or another one of the folder. The target
/// is found by id, so renaming the other article does not break the link; `article` is only a
/// hint (the file name when the link was made) for a fast lookup and for display.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Link {
    pub kind: LinkKind,
    pub target: AnnotationId,
    /// File name of the target's article; `None` for the same article.
    pub article: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grades_parse_and_print() {
        assert_eq!(
            parse_grade("B2"),
            Ok((Some(Reliability::B), Some(Credibility::ProbablyTrue)))
        );
        assert_eq!(
            parse_grade(" f6 "),
            Ok((Some(Reliability::F), Some(Credibility::CannotBeJudged)))
        );
        assert_eq!(parse_grade("C"), Ok((Some(Reliability::C), None)));
        assert_eq!(
            parse_grade("3"),
            Ok((None, Some(Credibility::PossiblyTrue)))
        );
        assert!(matches!(
            parse_grade("G2"),
            Err(GradeError::Reliability { .. })
        ));
        assert!(matches!(
            parse_grade("B7"),
            Err(GradeError::Credibility { .. })
        ));
        assert_eq!(parse_grade(""), Err(GradeError::Empty));
        assert_eq!(
            format_grade(Some(Reliability::B), Some(Credibility::ProbablyTrue)),
            "B2"
        );
        assert_eq!(format_grade(None, None), "—");
        assert_eq!(Reliability::B.meaning(), "usually reliable");
    }

    #[test]
    fn names_parse() {
        assert_eq!(Status::parse("Disputed"), Some(Status::Disputed));
        assert_eq!(Confidence::parse("moderate"), Some(Confidence::Moderate));
        assert_eq!(
            LinkKind::parse("same_claim_as"),
            Some(LinkKind::SameClaimAs)
        );
        assert_eq!(
            LinkKind::parse("same claim as"),
            Some(LinkKind::SameClaimAs)
        );
        assert_eq!(LinkKind::parse("nonsense"), None);
    }
}
