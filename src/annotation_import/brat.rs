//! brat standoff: `NAME.ann` annotates `NAME.txt` beside it (the text brat shows). `T` lines
//! become annotations (text-bound annotations with identical spans become one annotation with
//! several tags), `A` lines the grades, status and confidence, `#` AnnotatorNotes the note
//! (a leading `[source: NAME; via: A > B]`, as our export writes it, the attribution), and
//! `R` relations the links (`Supports`, `Contradicts`, `Same_claim_as`, `Elaborates`).
//! Other lines (events, normalizations) are skipped and counted.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use super::{Incoming, InputError, read_text};
use crate::model::{
    AnnotationId, Confidence, Credibility, Fragment, Link, LinkKind, Reliability, Span, Status,
};

pub fn read(input: &Path) -> Result<Vec<Incoming>, InputError> {
    let text = read_text(input)?;
    let article = input.with_extension("txt");
    let mut items: Vec<Incoming> = Vec::new();
    // brat id (T1) -> index into items
    let mut by_id: HashMap<String, usize> = HashMap::new();
    // Lines that refer to text-bound annotations, read once all of those are known.
    let mut later: Vec<&str> = Vec::new();
    for (n, line) in text.lines().enumerate() {
        if !line.starts_with('T') {
            later.push(line);
            continue;
        }
        let origin = format!("{} line {}", input.display(), n + 1);
        let (id, item) = text_bound(line, origin, input, &article)?;
        items.push(item);
        by_id.insert(id.to_owned(), items.len() - 1);
    }
    for line in later {
        annotate(line, &mut items, &by_id);
    }
    // Each piece carries the words it covers in brat's text, so that placing it checks them
    // (and finds them again where the article's text differs, e.g. brat's file had CRLF line
    // ends).
    if let Ok(text) =
        crate::storage::read::read_regular_text(&article, crate::import::MAX_TEXT_BYTES)
    {
        let chars: Vec<char> = text.trim_start_matches('\u{feff}').chars().collect();
        for item in &mut items {
            let mut joined = join_line_pieces(std::mem::take(&mut item.fragments), &chars);
            for f in &mut joined {
                quote_from(f, &chars);
            }
            item.fragments = joined;
        }
    }
    Ok(merge_same_claims(items))
}

/// A `T` line (`T1<TAB>Claim 10 20;25 30<TAB>words`): its brat id and the annotation, one
/// fragment per span.
fn text_bound<'a>(
    line: &'a str,
    origin: String,
    input: &Path,
    article: &Path,
) -> Result<(&'a str, Incoming), InputError> {
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
    Ok((id, item))
}

/// A line about text-bound annotations (`by_id`: brat id to index in `items`): an attribute,
/// an AnnotatorNotes or a relation; any other line, or one naming an unknown annotation, is
/// skipped.
fn annotate(line: &str, items: &mut [Incoming], by_id: &HashMap<String, usize>) {
    let mut parts = line.split('\t');
    let (Some(id), Some(middle)) = (parts.next(), parts.next()) else {
        return;
    };
    let rest = parts.next().unwrap_or_default();
    let words: Vec<&str> = middle.split_whitespace().collect();
    if id.starts_with('A') || id.starts_with('M') {
        attribute(&words, items, by_id);
    } else if id.starts_with('#') {
        annotator_note(&words, rest, items, by_id);
    } else if id.starts_with('R') {
        relation(&words, items, by_id);
    }
}

/// `A1<TAB>Reliability T1 B`: a grade, the status or the confidence of the claim record.
fn attribute(words: &[&str], items: &mut [Incoming], by_id: &HashMap<String, usize>) {
    let (Some(name), Some(target)) = (words.first(), words.get(1)) else {
        return;
    };
    let Some(&i) = by_id.get(*target) else {
        return;
    };
    let value = words.get(2).copied().unwrap_or_default();
    let r = &mut items[i].record;
    match *name {
        "Reliability" => r.reliability = value.chars().next().and_then(Reliability::from_letter),
        "Credibility" => r.credibility = value.parse().ok().and_then(Credibility::from_digit),
        "Status" => r.status = Status::parse(value).unwrap_or_default(),
        "Confidence" => r.confidence = Confidence::parse(value),
        _ => {}
    }
}

/// `#1<TAB>AnnotatorNotes T1<TAB>[source: …; via: …] note`: the attribution and the note (see
/// [`parse_note`]).
fn annotator_note(
    words: &[&str],
    text: &str,
    items: &mut [Incoming],
    by_id: &HashMap<String, usize>,
) {
    let Some(&i) = words.get(1).and_then(|t| by_id.get(*t)) else {
        return;
    };
    let (source, via, note) = parse_note(text);
    let item = &mut items[i];
    if source.is_some() {
        item.record.attributed_to = source;
    }
    if !via.is_empty() {
        item.record.via = via;
    }
    if item.note.is_empty() {
        item.note = note;
    }
}

/// `R1<TAB>Supports Arg1:T1 Arg2:T2`: a link from the first annotation to the second.
fn relation(words: &[&str], items: &mut [Incoming], by_id: &HashMap<String, usize>) {
    let arg = |k: &str| {
        words
            .iter()
            .find_map(|w| w.strip_prefix(k))
            .and_then(|t| by_id.get(t).copied())
    };
    let (Some(kind), Some(from), Some(to)) = (
        words.first().and_then(|k| LinkKind::parse(k)),
        arg("Arg1:"),
        arg("Arg2:"),
    ) else {
        return;
    };
    let target = AnnotationId(items[to].id.clone().unwrap_or_default());
    items[from].record.links.push(Link {
        kind,
        target,
        article: None,
    });
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
