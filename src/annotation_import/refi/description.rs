//! A selection's `Description` read back: Claimmark's REFI-QDA export writes the note, then a
//! readable line for the claim record ("Attributed to: Kim Jong Un via KCNA > India Today · B2
//! · disputed · confidence high"), a line with the links ("Links: supports ID; same claim as
//! ID (in b.txt)") and, for an annotation in several pieces, "Part 2 of 3 of one annotation:
//! QUOTE" (see `crate::export::refi`). Those lines are recognised from the end, strictly (a
//! record line must name a status, which the export always writes, and every part of it must
//! parse), so a note of another tool is left whole. Pure.

use crate::model::claim::parse_grade;
use crate::model::{ClaimRecord, Confidence, LinkKind, Status};

/// A description split into what Claimmark's export put in it.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Parsed {
    /// The note: every line that is not one of the lines below.
    pub note: String,
    /// The claim record (no links, no source span: the export does not write those in it).
    pub record: ClaimRecord,
    /// Links as the line names them: kind, target annotation id, the target's article.
    pub links: Vec<(LinkKind, String, Option<String>)>,
    /// `Part k of n of one annotation: quote`.
    pub part: Option<Part>,
}

/// Which piece of a several-piece annotation a selection is (`k` counts from 1).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Part {
    pub k: usize,
    pub n: usize,
    pub quote: String,
}

/// Splits a description (line ends already `\n`).
pub fn parse(description: &str) -> Parsed {
    let mut lines: Vec<&str> = description.split('\n').collect();
    let mut parsed = Parsed::default();
    if let Some(part) = lines.last().and_then(|l| part_line(l)) {
        parsed.part = Some(part);
        lines.pop();
    }
    if let Some(links) = lines.last().and_then(|l| links_line(l)) {
        parsed.links = links;
        lines.pop();
    }
    if let Some(record) = lines.last().and_then(|l| record_line(l)) {
        parsed.record = record;
        lines.pop();
    }
    parsed.note = lines.join("\n");
    parsed
}

fn part_line(line: &str) -> Option<Part> {
    let rest = line.strip_prefix("Part ")?;
    let (k, rest) = rest.split_once(" of ")?;
    let (n, quote) = rest.split_once(" of one annotation: ")?;
    let (k, n) = (k.parse().ok()?, n.parse().ok()?);
    (1..=n).contains(&k).then(|| Part {
        k,
        n,
        quote: quote.to_owned(),
    })
}

fn links_line(line: &str) -> Option<Vec<(LinkKind, String, Option<String>)>> {
    let rest = line.strip_prefix("Links: ")?;
    rest.split("; ").map(link_item).collect()
}

/// `supports ID` or `same claim as ID (in b.txt)`.
fn link_item(item: &str) -> Option<(LinkKind, String, Option<String>)> {
    let (kind, rest) = LinkKind::ALL.into_iter().find_map(|k| {
        let rest = item.strip_prefix(k.label())?.strip_prefix(' ')?;
        Some((k, rest))
    })?;
    let (target, article) = match rest.split_once(" (in ") {
        Some((t, a)) => (t, Some(a.strip_suffix(')')?.to_owned())),
        None => (rest, None),
    };
    let target = target.trim();
    (!target.is_empty() && !target.contains(' ')).then(|| (kind, target.to_owned(), article))
}

/// The export's record line; `None` unless every part parses and a status is named.
fn record_line(line: &str) -> Option<ClaimRecord> {
    let mut r = ClaimRecord::default();
    let mut status = None;
    for (i, part) in line.split(" · ").enumerate() {
        if i == 0 {
            if let Some(rest) = part.strip_prefix("Attributed to: ") {
                let (who, via) = match rest.split_once(" via ") {
                    Some((who, via)) => (who, Some(via)),
                    None => (rest, None),
                };
                r.attributed_to = Some(who.trim().to_owned()).filter(|w| !w.is_empty());
                r.via = via.map(via_list).unwrap_or_default();
                continue;
            }
            if let Some(via) = part.strip_prefix("Via: ") {
                r.via = via_list(via);
                continue;
            }
        }
        if let Some(c) = part.strip_prefix("confidence ") {
            r.confidence = Some(Confidence::parse(c)?);
        } else if let Some(s) = Status::parse(part) {
            if status.replace(s).is_some() {
                return None;
            }
        } else if status.is_none() && part.len() <= 2 && r.reliability.is_none() {
            let (rel, cred) = parse_grade(part).ok()?;
            r.reliability = rel;
            r.credibility = cred;
        } else {
            return None;
        }
    }
    r.status = status?;
    Some(r)
}

fn via_list(via: &str) -> Vec<String> {
    via.split(" > ")
        .map(str::trim)
        .filter(|v| !v.is_empty())
        .map(str::to_owned)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Credibility, Reliability};

    #[test]
    fn the_exports_lines_are_read_back() {
        let p = parse(
            "Said it twice.\nsecond line\nAttributed to: Kim Jong Un via KCNA > India Today · B2 · disputed · confidence high\nLinks: supports 7d0f; same claim as imported-7 (in b.txt)\nPart 2 of 3 of one annotation: a … b … c",
        );
        assert_eq!(p.note, "Said it twice.\nsecond line");
        assert_eq!(p.record.attributed_to.as_deref(), Some("Kim Jong Un"));
        assert_eq!(p.record.via, ["KCNA", "India Today"]);
        assert_eq!(p.record.reliability, Some(Reliability::B));
        assert_eq!(p.record.credibility, Some(Credibility::ProbablyTrue));
        assert_eq!(p.record.status, Status::Disputed);
        assert_eq!(p.record.confidence, Some(Confidence::High));
        assert_eq!(
            p.links,
            [
                (LinkKind::Supports, "7d0f".to_owned(), None),
                (
                    LinkKind::SameClaimAs,
                    "imported-7".to_owned(),
                    Some("b.txt".to_owned())
                )
            ]
        );
        assert_eq!(
            p.part,
            Some(Part {
                k: 2,
                n: 3,
                quote: "a … b … c".into()
            })
        );
        let only = parse("Via: A · corroborated");
        assert_eq!((only.note.as_str(), only.record.via.len()), ("", 1));
        assert_eq!(only.record.status, Status::Corroborated);
    }

    #[test]
    fn other_notes_stay_whole() {
        for note in [
            "Attributed to: someone, I think",
            "B2 · maybe",
            "disputed · disputed",
            "Links: see the appendix",
            "Part 4 of 3 of one annotation: x",
            "",
        ] {
            let p = parse(note);
            assert_eq!(p.note, note);
            assert_eq!(p.record, ClaimRecord::default());
            assert!(p.links.is_empty() && p.part.is_none());
        }
    }
}
