//! brat standoff: `NAME.ann` annotates `NAME.txt` beside it (the text brat shows). Every line
//! kind is imported or listed as not imported:
//!
//! - `T` text-bound annotations become annotations (those with identical spans become one
//!   annotation with several tags); spans may be discontinuous and in any order.
//! - `E` events and `R` relations that express attribution (a role or argument that is a
//!   source and one that is a content, as attribution corpora such as PARC and PolNeAR write
//!   them: `E1 Attribution:T4 Content:T3 Cue:T2 Source:T1`) give the content's annotation
//!   `attributed_to` (the source's words) and `source_span`; an event's trigger is the event
//!   itself, not an annotation of its own. Relations named as our link kinds (`Supports`,
//!   `Contradicts`, `Same_claim_as`, `Elaborates`) become links. Any other event or relation
//!   is listed.
//! - `A`/`M` attributes: `Reliability`, `Credibility`, `Status` and `Confidence` fill the
//!   claim record; any other attribute is kept as a line of the note (`Negation`,
//!   `Speculation: yes`).
//! - `#` AnnotatorNotes: the note (a leading `[source: NAME; via: A > B]`, as our export
//!   writes it, the attribution). `N` normalizations: a line of the note (`Reference:
//!   Wikipedia:534366 Barack Obama`).
//! - `*` equivalences, and lines naming an annotation the file does not have, are listed.
//!
//! The tag hierarchy comes from the `annotation.conf` nearest the file (its folder, else a
//! folder above it, as brat looks for it): its `[entities]` section, nested by tabs, gives
//! each type its path for `--create-tags` (`!Group` is a grouping).

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

use super::{Batch, Incoming, InputError, read_text};
use crate::model::{
    AnnotationId, Confidence, Credibility, Fragment, Link, LinkKind, Reliability, Span, Status,
};

/// A text-bound annotation while the file is read.
struct Bound {
    item: Incoming,
    /// Its brat type (the tag it names).
    kind: String,
    /// Whether it is the trigger of an event (then not an annotation of its own).
    trigger: bool,
}

pub fn read(input: &Path) -> Result<Batch, InputError> {
    let text = read_text(input)?;
    let article = input.with_extension("txt");
    let mut bounds: Vec<Bound> = Vec::new();
    let mut refused = Vec::new();
    // brat id (T1) -> index into bounds
    let mut by_id: HashMap<String, usize> = HashMap::new();
    // Lines that refer to text-bound annotations, read once all of those are known.
    let mut later: Vec<(String, &str)> = Vec::new();
    for (n, line) in text.lines().enumerate() {
        let origin = format!("{} line {}", input.display(), n + 1);
        if line.trim().is_empty() {
            continue;
        }
        if !line.starts_with('T') {
            later.push((origin, line));
            continue;
        }
        match text_bound(line, origin, input, &article) {
            Ok((id, kind, item)) => {
                bounds.push(Bound {
                    item,
                    kind,
                    trigger: false,
                });
                by_id.insert(id.to_owned(), bounds.len() - 1);
            }
            Err(e) => refused.push(e),
        }
    }
    // The words of brat's text, so that each piece carries the words it covers (and placing
    // it checks them, or finds them again where the article differs, e.g. CRLF line ends).
    let chars: Option<Vec<char>> =
        crate::storage::read::read_regular_text(&article, crate::import::MAX_TEXT_BYTES)
            .ok()
            .map(|t| t.trim_start_matches('\u{feff}').chars().collect());
    let mut lines = Lines {
        bounds: &mut bounds,
        by_id: &by_id,
        chars: chars.as_deref(),
        refused: &mut refused,
    };
    for (origin, line) in &later {
        lines.annotate(origin, line);
    }
    let mut items: Vec<Incoming> = bounds
        .into_iter()
        .filter(|b| !b.trigger)
        .map(|b| b.item)
        .collect();
    if let Some(chars) = &chars {
        for item in &mut items {
            let mut joined = join_line_pieces(std::mem::take(&mut item.fragments), chars);
            for f in &mut joined {
                quote_from(f, chars);
            }
            item.fragments = joined;
        }
    }
    Ok(Batch {
        items: merge_same_claims(items),
        refused,
        tag_paths: annotation_conf(input),
        codebook: Vec::new(),
    })
}

/// A `T` line (`T1<TAB>Claim 10 20;25 30<TAB>words`): its brat id, its type and the
/// annotation, one fragment per span.
fn text_bound<'a>(
    line: &'a str,
    origin: String,
    input: &Path,
    article: &Path,
) -> Result<(&'a str, String, Incoming), InputError> {
    let mut parts = line.splitn(3, '\t');
    let (Some(id), Some(middle)) = (parts.next(), parts.next()) else {
        return Err(InputError::NotTextBound { origin });
    };
    let Some((kind, offsets)) = middle.split_once(' ') else {
        return Err(InputError::NoOffsets { origin });
    };
    let mut spans = Vec::new();
    for piece in offsets.split(';') {
        let mut nums = piece.split_whitespace().map(str::parse::<usize>);
        let (Some(Ok(start)), Some(Ok(end)), None) = (nums.next(), nums.next(), nums.next()) else {
            return Err(InputError::BadOffsets {
                origin,
                piece: piece.to_owned(),
            });
        };
        spans.push(Span::between(start, end));
    }
    spans.sort();
    let item = Incoming {
        article: article.file_name().map(PathBuf::from).unwrap_or_default(),
        base: crate::storage::atomic::folder_of(input).to_owned(),
        id: Some(AnnotationId::new_random().0),
        tags: vec![kind.to_owned()],
        fragments: spans
            .iter()
            .map(|s| Fragment {
                span: *s,
                ..Default::default()
            })
            .collect(),
        origin,
        ..Default::default()
    };
    Ok((id, kind.to_owned(), item))
}

/// The lines that refer to text-bound annotations, applied to them.
struct Lines<'a> {
    bounds: &'a mut [Bound],
    /// brat id to index in `bounds`.
    by_id: &'a HashMap<String, usize>,
    /// brat's text, when it could be read.
    chars: Option<&'a [char]>,
    refused: &'a mut Vec<InputError>,
}

impl Lines<'_> {
    /// One line: an attribute, a note, a normalization, an event or a relation; anything else
    /// (or a line naming an annotation the file lacks) is listed.
    fn annotate(&mut self, origin: &str, line: &str) {
        let mut parts = line.split('\t');
        let id = parts.next().unwrap_or_default();
        let middle = parts.next().unwrap_or_default();
        let rest = parts.next().unwrap_or_default();
        let words: Vec<&str> = middle.split_whitespace().collect();
        let outcome = match id.chars().next() {
            Some('A' | 'M') => self.attribute(&words),
            Some('#') => self.annotator_note(&words, rest),
            Some('N') => self.normalization(&words, rest),
            Some('E') => self.event(&words),
            Some('R') => self.relation(&words),
            Some('*') => Err(Skipped(format!(
                "equivalence `{}` (Claimmark has no equivalence sets; link the claims with Same claim as)",
                words.join(" ")
            ))),
            _ => Err("not a brat annotation line".into()),
        };
        if let Err(Skipped(what)) = outcome {
            self.refused.push(InputError::NotImported {
                origin: origin.to_owned(),
                what,
            });
        }
    }

    /// The index of a text-bound annotation by brat id, or why not.
    fn find(&self, id: &str) -> Result<usize, Skipped> {
        self.by_id.get(id).copied().ok_or_else(|| {
            Skipped(format!(
                "`{id}` is not a text-bound annotation of this file"
            ))
        })
    }

    /// `A1<TAB>Reliability T1 B`: a grade, the status or the confidence of the claim record;
    /// any other attribute is a line of the note.
    fn attribute(&mut self, words: &[&str]) -> Result<(), Skipped> {
        let (Some(name), Some(target)) = (words.first(), words.get(1)) else {
            return Err("an attribute without a name and a target".into());
        };
        let i = self.find(target)?;
        let value = words.get(2).copied().unwrap_or_default();
        let item = &mut self.bounds[i].item;
        let r = &mut item.record;
        match *name {
            "Reliability" => {
                r.reliability = value.chars().next().and_then(Reliability::from_letter);
            }
            "Credibility" => r.credibility = value.parse().ok().and_then(Credibility::from_digit),
            "Status" => r.status = Status::parse(value).unwrap_or_default(),
            "Confidence" => r.confidence = Confidence::parse(value),
            _ if value.is_empty() => add_line(&mut item.note, name),
            _ => add_line(&mut item.note, &format!("{name}: {}", words[2..].join(" "))),
        }
        Ok(())
    }

    /// `#1<TAB>AnnotatorNotes T1<TAB>[source: …; via: …] note`: the attribution and the note
    /// (see [`parse_note`]).
    fn annotator_note(&mut self, words: &[&str], text: &str) -> Result<(), Skipped> {
        let i = self.find(words.get(1).copied().unwrap_or_default())?;
        let (source, via, note) = parse_note(text);
        let item = &mut self.bounds[i].item;
        if source.is_some() {
            item.record.attributed_to = source;
        }
        if !via.is_empty() {
            item.record.via = via;
        }
        add_line(&mut item.note, &note);
        Ok(())
    }

    /// `N1<TAB>Reference T1 Wikipedia:534366<TAB>Barack Obama`: a line of the note.
    fn normalization(&mut self, words: &[&str], text: &str) -> Result<(), Skipped> {
        let i = self.find(words.get(1).copied().unwrap_or_default())?;
        let name = words.first().copied().unwrap_or("Reference");
        let reference = words.get(2).copied().unwrap_or_default();
        let line = format!("{name}: {reference} {}", text.trim());
        add_line(&mut self.bounds[i].item.note, line.trim());
        Ok(())
    }

    /// `E1<TAB>Attribution:T4 Content:T3 Cue:T2 Source:T1`: an attribution gives its content
    /// annotation who said it; the trigger (`T4`) is the event, not an annotation.
    fn event(&mut self, words: &[&str]) -> Result<(), Skipped> {
        let Some((kind, trigger)) = words.first().and_then(|w| w.split_once(':')) else {
            return Err("an event without a trigger".into());
        };
        let trigger = self.find(trigger)?;
        let roles = self.roles(words.get(1..).unwrap_or_default())?;
        self.bounds[trigger].trigger = true;
        self.attribution(&roles)
            .map_err(|Skipped(why)| Skipped(format!("event `{kind}`: {why}")))
    }

    /// `R1<TAB>Supports Arg1:T1 Arg2:T2`: a link from the first annotation to the second, or
    /// an attribution (a source and a content among the arguments).
    fn relation(&mut self, words: &[&str]) -> Result<(), Skipped> {
        let Some((&kind, args)) = words.split_first() else {
            return Err("a relation without a type".into());
        };
        let roles = self.roles(args)?;
        if let Some(link) = LinkKind::parse(kind) {
            let arg = |name: &str| roles.iter().find(|(r, _)| r == name).map(|(_, i)| *i);
            let (Some(from), Some(to)) = (arg("arg1"), arg("arg2")) else {
                return Err(Skipped(format!("relation `{kind}` without Arg1 and Arg2")));
            };
            let target = AnnotationId(self.bounds[to].item.id.clone().unwrap_or_default());
            self.bounds[from].item.record.links.push(Link {
                kind: link,
                target,
                article: None,
            });
            return Ok(());
        }
        self.attribution(&roles).map_err(|_| {
            Skipped(format!(
                "relation `{kind}` (Claimmark links are Supports, Contradicts, Same claim as and Elaborates, and attributions join a source to a content)"
            ))
        })
    }

    /// The arguments of an event or relation (`Role:T1`), as (role in lower case, index).
    fn roles(&self, words: &[&str]) -> Result<Vec<(String, usize)>, Skipped> {
        words
            .iter()
            .map(|w| {
                let (role, id) = w
                    .split_once(':')
                    .ok_or_else(|| Skipped(format!("argument `{w}` is not ROLE:ID")))?;
                Ok((role.to_lowercase(), self.find(id)?))
            })
            .collect()
    }

    /// Fills the content's record from the source among `roles` (by role name, else by the
    /// argument's type): `attributed_to` the source's words, `source_span` its first span.
    fn attribution(&mut self, roles: &[(String, usize)]) -> Result<(), Skipped> {
        let pick = |what: &str| {
            roles
                .iter()
                .find(|(r, _)| r.trim_end_matches(|c: char| c.is_ascii_digit()) == what)
                .or_else(|| {
                    roles
                        .iter()
                        .find(|(_, i)| self.bounds[*i].kind.eq_ignore_ascii_case(what))
                })
                .map(|(_, i)| *i)
        };
        let content = pick("content").ok_or("no content among its arguments")?;
        let Some(source) = pick("source") else {
            // An attribution without a source (PolNeAR's `Attribution-no-source`): the
            // content stays a claim by no one named.
            return if pick("cue").is_some() {
                Ok(())
            } else {
                Err("no source among its arguments".into())
            };
        };
        let Some(span) = self.bounds[source].item.fragments.first().map(|f| f.span) else {
            return Err("a source without words".into());
        };
        let mut fragment = Fragment {
            span,
            ..Default::default()
        };
        let words = match self.chars {
            Some(chars) => {
                quote_from(&mut fragment, chars);
                fragment.quote.clone()
            }
            None => String::new(),
        };
        let record = &mut self.bounds[content].item.record;
        if let Some(earlier) = &record.attributed_to
            && *earlier != words
        {
            return Err(Skipped(format!(
                "its content is already attributed to `{earlier}`, not also to `{words}`"
            )));
        }
        if !words.is_empty() {
            record.attributed_to = Some(words.trim().to_owned());
            record.source_span = Some(fragment);
        }
        Ok(())
    }
}

/// Why a line is not imported: a sentence for [`InputError::NotImported`].
struct Skipped(String);

impl From<String> for Skipped {
    fn from(why: String) -> Self {
        Self(why)
    }
}

impl From<&str> for Skipped {
    fn from(why: &str) -> Self {
        Self(why.to_owned())
    }
}

/// Adds a line to a note.
fn add_line(note: &mut String, line: &str) {
    if line.is_empty() {
        return;
    }
    if !note.is_empty() {
        note.push('\n');
    }
    note.push_str(line);
}

/// The types of the `annotation.conf` nearest `input` (its folder, else up to eight folders
/// above), each with its path in the `[entities]` hierarchy: `Statistic` under `Claim` is
/// `["Claim", "Statistic"]`. Empty when there is none or it cannot be read.
pub fn annotation_conf(input: &Path) -> BTreeMap<String, Vec<String>> {
    let start = crate::storage::atomic::folder_of(input);
    let conf = start
        .ancestors()
        .take(9)
        .map(|d| d.join("annotation.conf"))
        .find(|p| p.is_file());
    let Some(conf) = conf else {
        return BTreeMap::new();
    };
    match crate::storage::read::read_regular_text(&conf, 1 << 20) {
        Ok(text) => entity_paths(&text),
        Err(_) => BTreeMap::new(),
    }
}

/// The `[entities]` section of an `annotation.conf`: each type with its ancestors (a line's
/// depth is its leading tabs; `!Name` is a grouping, a name all the same).
pub fn entity_paths(conf: &str) -> BTreeMap<String, Vec<String>> {
    let mut out = BTreeMap::new();
    let mut section = String::new();
    let mut stack: Vec<String> = Vec::new();
    for line in conf.lines() {
        let trimmed = line.trim();
        if trimmed.is_empty() || trimmed.starts_with('#') {
            continue;
        }
        if trimmed.starts_with('[') && trimmed.ends_with(']') {
            section = trimmed.to_lowercase();
            stack.clear();
            continue;
        }
        if section != "[entities]" {
            continue;
        }
        let depth = line.chars().take_while(|c| *c == '\t').count();
        let name = trimmed
            .trim_start_matches('!')
            .split_whitespace()
            .next()
            .unwrap_or_default()
            .to_owned();
        stack.truncate(depth);
        stack.push(name.clone());
        out.insert(name, stack.clone());
    }
    out
}

/// The export splits a span at each line end (brat forbids spans over a newline): pieces
/// separated only by line breaks and spaces (in brat's text, `chars`) are one span again.
fn join_line_pieces(fragments: Vec<Fragment>, chars: &[char]) -> Vec<Fragment> {
    let mut joined: Vec<Fragment> = Vec::new();
    for f in fragments {
        match joined.last_mut() {
            Some(last)
                if f.span.start >= last.span.end
                    && f.span.start <= chars.len()
                    && chars[last.span.end..f.span.start].contains(&'\n')
                    && chars[last.span.end..f.span.start]
                        .iter()
                        .all(|c| c.is_whitespace()) =>
            {
                last.span.end = f.span.end;
            }
            _ => joined.push(f),
        }
    }
    joined
}

/// The quote, prefix and suffix of a fragment from brat's text, when its span is inside it.
fn quote_from(f: &mut Fragment, chars: &[char]) {
    if f.span.end <= chars.len() {
        let at = |a: usize, b: usize| chars[a..b].iter().collect::<String>();
        f.quote = at(f.span.start, f.span.end);
        f.prefix = at(f.span.start.saturating_sub(32), f.span.start);
        f.suffix = at(f.span.end, (f.span.end + 32).min(chars.len()));
    }
}

fn without_links(r: &crate::model::ClaimRecord) -> crate::model::ClaimRecord {
    crate::model::ClaimRecord {
        links: Vec::new(),
        ..r.clone()
    }
}

/// The export writes one `T` per tag of an annotation, with the same spans, attributes and
/// note: those become one annotation with several tags again. T lines over the same words
/// that differ in anything else stay separate claims.
fn merge_same_claims(items: Vec<Incoming>) -> Vec<Incoming> {
    let mut out: Vec<Incoming> = Vec::with_capacity(items.len());
    // Old id -> id of the annotation it was merged into.
    let mut renamed: HashMap<String, String> = HashMap::new();
    for item in items {
        let spans: Vec<Span> = item.fragments.iter().map(|f| f.span).collect();
        let same = out.iter_mut().find(|o| {
            o.fragments.iter().map(|f| f.span).eq(spans.iter().copied())
                && o.note == item.note
                && without_links(&o.record) == without_links(&item.record)
        });
        match same {
            Some(target) => {
                for t in item.tags {
                    if !target.tags.contains(&t) {
                        target.tags.push(t);
                    }
                }
                // Relations start from the first T of an annotation only.
                target.record.links.extend(item.record.links);
                if let (Some(from), Some(to)) = (item.id, target.id.clone()) {
                    renamed.insert(from, to);
                }
            }
            None => out.push(item),
        }
    }
    for item in &mut out {
        for link in &mut item.record.links {
            if let Some(to) = renamed.get(&link.target.0) {
                link.target = AnnotationId(to.clone());
            }
        }
    }
    out
}

/// Splits an AnnotatorNotes text into attribution and note, as the brat export writes it:
/// `[source: Kim Jong Un; via: KCNA > India Today] the note`, with `\`, `[`, `]`, `;` and `>`
/// escaped by a backslash inside the brackets, and a note that starts with `[` written `\[…`.
pub fn parse_note(text: &str) -> (Option<String>, Vec<String>, String) {
    let text = text.trim();
    if let Some(rest) = text.strip_prefix("\\[") {
        return (None, Vec::new(), format!("[{rest}"));
    }
    let Some(rest) = text.strip_prefix('[') else {
        return (None, Vec::new(), text.to_owned());
    };
    // The bracket's parts, split at unescaped `;`; each part's pieces split at unescaped `>`.
    let mut parts: Vec<Vec<String>> = vec![vec![String::new()]];
    let mut chars = rest.char_indices();
    let mut end = None;
    while let Some((i, c)) = chars.next() {
        let part = parts.last_mut().and_then(|p| p.last_mut());
        match c {
            '\\' => {
                if let (Some((_, next)), Some(part)) = (chars.next(), part) {
                    part.push(next);
                }
            }
            ']' => {
                end = Some(i + 1);
                break;
            }
            ';' => parts.push(vec![String::new()]),
            '>' => {
                if let Some(p) = parts.last_mut() {
                    p.push(String::new());
                }
            }
            _ => {
                if let Some(part) = part {
                    part.push(c);
                }
            }
        }
    }
    let Some(end) = end else {
        return (None, Vec::new(), text.to_owned());
    };
    let mut source = None;
    let mut via = Vec::new();
    let mut understood = false;
    for pieces in parts {
        let first = pieces.first().map(|p| p.trim()).unwrap_or_default();
        if let Some(s) = first.strip_prefix("source:") {
            source = Some(s.trim().to_owned()).filter(|s| !s.is_empty());
            understood = true;
        } else if let Some(v) = first.strip_prefix("via:") {
            via = std::iter::once(v)
                .chain(pieces.iter().skip(1).map(String::as_str))
                .map(|s| s.trim().to_owned())
                .filter(|s| !s.is_empty())
                .collect();
            understood = true;
        }
    }
    if !understood {
        return (None, Vec::new(), text.to_owned());
    }
    (source, via, rest[end..].trim().to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_cut_short_are_listed_not_a_crash() {
        let dir = tempfile::tempdir().expect("tempdir");
        std::fs::write(dir.path().join("a.txt"), "Alpha said so.").expect("write");
        let ann = dir.path().join("a.ann");
        std::fs::write(
            &ann,
            "T1\tClaim 0 5\tAlpha\nR1\nE1\nA1\n#1\nN1\n*\nR2\tSupports\n",
        )
        .expect("write");
        let batch = read(&ann).expect("a batch");
        assert_eq!(batch.items.len(), 1);
        assert_eq!(batch.refused.len(), 7, "{:?}", batch.refused);
    }

    #[test]
    fn a_note_gives_back_its_attribution() {
        let (s, v, n) = parse_note("[source: Kim Jong Un; via: KCNA > India Today] said twice");
        assert_eq!(s.as_deref(), Some("Kim Jong Un"));
        assert_eq!(v, vec!["KCNA", "India Today"]);
        assert_eq!(n, "said twice");
        let (s, v, n) = parse_note("\\[sic] a plain note");
        assert_eq!((s, v.len(), n.as_str()), (None, 0, "[sic] a plain note"));
        let (s, v, n) = parse_note("[source: Kim\\; \\[Jong\\] Un; via: KCNA > A\\>B] [sic] x");
        assert_eq!(s.as_deref(), Some("Kim; [Jong] Un"));
        assert_eq!(v, vec!["KCNA", "A>B"]);
        assert_eq!(n, "[sic] x");
    }
}
