//! Direct quotes in every typographic convention: “…” and "…" (English), «…» (French,
//! Spanish, Russian, Arabic…), „…“ and „…” (German, Polish…), »…« (German books, Danish),
//! ‚…‘ and ‘…’ (single), 「…」 and 『…』 (Japanese, Chinese).
//!
//! A quote's span includes its marks. A quote that runs over several paragraphs (English
//! style: each paragraph opens with the mark, only the last one closes it) is one quote in
//! pieces, one per paragraph; a quote interrupted by its cue (“We are ready,” he said, “for
//! both.”) is one quote in two pieces, with the words between them kept in `between`. A quote
//! nested in another is part of the outer one.

use crate::model::Span;

/// One quote: its pieces (each with its marks), and the words between two pieces of an
/// interrupted quote.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Quote {
    pub pieces: Vec<Span>,
    pub between: Option<Span>,
}

/// The closing marks an opening mark can have.
fn closers(open: char) -> &'static [char] {
    match open {
        '“' => &['”', '“'],
        '"' => &['"'],
        '«' => &['»'],
        '„' => &['“', '”'],
        '»' => &['«'],
        '‚' => &['‘', '’'],
        '‘' => &['’'],
        '「' => &['」'],
        '『' => &['』'],
        _ => &[],
    }
}

/// Whether the mark at `i` can open a quote: an opening mark, or a straight or single mark
/// that follows a space or a line start and comes before a word (not an apostrophe).
fn opens(chars: &[char], i: usize) -> bool {
    let c = chars[i];
    if closers(c).is_empty() {
        return false;
    }
    let before_ok = i == 0
        || chars[i - 1].is_whitespace()
        || matches!(chars[i - 1], '(' | '[' | '—' | '–' | ':' | '-');
    let after_ok = chars
        .get(i + 1)
        .is_some_and(|n| !n.is_whitespace() || c == '«');
    match c {
        '"' | '‘' | '‚' | '»' => before_ok && after_ok,
        _ => after_ok,
    }
}

/// Whether the mark at `i` can close a quote opened by `open`: one of its closers, and for
/// the single ’ not an apostrophe (a letter follows it).
fn closes(chars: &[char], i: usize, open: char) -> bool {
    if !closers(open).contains(&chars[i]) {
        return false;
    }
    match chars[i] {
        // An apostrophe has a letter after it; Korean puts a particle right after a quote.
        '’' | '"' => !chars
            .get(i + 1)
            .is_some_and(|n| n.is_alphanumeric() && !matches!(*n as u32, 0xAC00..=0xD7AF)),
        _ => true,
    }
}

/// The quotes of a text, in order.
pub fn find(chars: &[char]) -> Vec<Quote> {
    let mut raw: Vec<(Span, bool)> = Vec::new(); // (piece, closed in its paragraph)
    let mut i = 0;
    while i < chars.len() {
        if !opens(chars, i) {
            i += 1;
            continue;
        }
        let open = chars[i];
        let mut j = i + 1;
        let mut closed = None;
        while j < chars.len() && chars[j] != '\n' {
            if closes(chars, j, open) {
                closed = Some(j + 1);
                break;
            }
            j += 1;
        }
        match closed {
            Some(end) => {
                raw.push((Span::between(i, end), true));
                i = end;
            }
            None => {
                // Open at the paragraph's end: the quote goes on in the next paragraph if that
                // one opens with a mark (English style), else this is a stray mark.
                let next = next_paragraph(chars, j);
                if next.is_some_and(|n| opens(chars, n)) {
                    raw.push((Span::between(i, trim_end(chars, j)), false));
                    i = j.max(i + 1);
                } else {
                    // A stray mark hides no quote after it.
                    i += 1;
                }
            }
        }
    }
    join(chars, raw)
}

/// Where the next paragraph's text starts after the line end at or after `j`.
fn next_paragraph(chars: &[char], j: usize) -> Option<usize> {
    let mut k = j;
    while k < chars.len() && chars[k].is_whitespace() {
        k += 1;
    }
    (k < chars.len() && k > j).then_some(k)
}

fn trim_end(chars: &[char], end: usize) -> usize {
    let mut e = end;
    while e > 0 && chars[e - 1].is_whitespace() {
        e -= 1;
    }
    e
}

/// Joins an unclosed paragraph's piece with the pieces that continue it, and the two pieces of
/// a quote interrupted by its cue.
fn join(chars: &[char], raw: Vec<(Span, bool)>) -> Vec<Quote> {
    let mut out: Vec<Quote> = Vec::new();
    let mut open_run = false;
    for (span, closed) in raw {
        if open_run && let Some(last) = out.last_mut() {
            last.pieces.push(span);
            open_run = !closed;
            continue;
        }
        if let Some(last) = out.last_mut()
            && last.between.is_none()
            && last.pieces.len() == 1
            && let Some(between) = interruption(chars, last.pieces[0], span)
        {
            last.pieces.push(span);
            last.between = Some(between);
            continue;
        }
        out.push(Quote {
            pieces: vec![span],
            between: None,
        });
        open_run = !closed;
    }
    out
}

/// The words between two quotes when they are one quote interrupted by its cue: the first
/// ends in a comma inside its marks (“We are ready,”), the words between are a short
/// attribution ending in a comma (he said,), in the same paragraph.
fn interruption(chars: &[char], first: Span, second: Span) -> Option<Span> {
    let inner_end = first.end.checked_sub(2)?;
    if !matches!(chars.get(inner_end), Some(',' | '，' | '،')) {
        return None;
    }
    let between = Span::between(first.end, second.start);
    let text: String = chars[between.start..between.end].iter().collect();
    let words = text.split_whitespace().count();
    let ends_comma = text.trim_end().ends_with([',', '，', '،', ':']);
    (!text.contains('\n') && (1..=6).contains(&words) && ends_comma).then_some(between)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(text: &str) -> Vec<Vec<String>> {
        let chars: Vec<char> = text.chars().collect();
        find(&chars)
            .iter()
            .map(|q| {
                q.pieces
                    .iter()
                    .map(|p| chars[p.start..p.end].iter().collect())
                    .collect()
            })
            .collect()
    }

    #[test]
    fn every_convention_is_found_with_its_marks() {
        assert_eq!(texts("He said “we are ready” today."), [["“we are ready”"]]);
        assert_eq!(
            texts("Il a dit « nous sommes prêts » hier."),
            [["« nous sommes prêts »"]]
        );
        assert_eq!(
            texts("Er sagte: „Wir sind bereit“."),
            [["„Wir sind bereit“"]]
        );
        assert_eq!(
            texts("Er sagte: »Wir sind bereit«."),
            [["»Wir sind bereit«"]]
        );
        assert_eq!(
            texts("彼は「準備はできている」と述べた。"),
            [["「準備はできている」"]]
        );
        assert_eq!(
            texts("He said \"we are ready\" today."),
            [["\"we are ready\""]]
        );
        assert_eq!(texts("She said ‘we’re ready’ today."), [["‘we’re ready’"]]);
        // Apostrophes and inch marks are not quotes.
        assert!(texts("The minister’s plan, the agency's view.").is_empty());
    }

    #[test]
    fn interrupted_and_multi_paragraph_quotes_are_one_quote_in_pieces() {
        assert_eq!(
            texts("“We are ready,” he said, “for both.”"),
            [["“We are ready,”", "“for both.”"]]
        );
        assert_eq!(
            texts("“First paragraph of the quote.\n\n“Second one, closed.” Then more."),
            [["“First paragraph of the quote.", "“Second one, closed.”"]]
        );
        // A stray mark hides no quote after it; a Korean particle may follow a closing mark.
        assert_eq!(
            texts("He said ‘no and “we are ready for talks” today."),
            [["“we are ready for talks”"]]
        );
        assert_eq!(
            texts("시민단체 ‘대전시민연대’는 “서민 부담 커진다”고"),
            [["‘대전시민연대’"], ["“서민 부담 커진다”"]]
        );
        // Two quotes of two speakers stay two.
        assert_eq!(
            texts("“Yes.” Then he left. Later “no,” she said."),
            [vec!["“Yes.”".to_owned()], vec!["“no,”".to_owned()]]
        );
    }
}
