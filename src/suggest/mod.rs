//! Suggested claims: who said what, found in an article's text before the analyst marks it.
//!
//! An attribution has a *content* (what is claimed: a direct quote in quotation marks, or
//! reported speech such as the clause after "said that"), a *cue* ("said", "told",
//! "according to"…) and a *source* (who: "Kim Jong Un", "a spokesperson for the ministry",
//! "he"). [`suggest`] finds them with rules, offline and without a model:
//!
//! - direct quotes in every typographic convention ([`quotes`]): “ ”, " ", « », „ “, ‚ ‘,
//!   ‘ ’, 「 」, 『 』, a quote that runs over several paragraphs, and a quote interrupted by
//!   its cue (“We are ready,” he said, “for both.”) as one content in pieces;
//! - the cue and the source around a quote, before it ("Lee said: “…”", "Gus Brennan called the
//!   win “…”") or after it ("“…,” said Lee", "“…,” the minister told reporters", "“…,” Caspar
//!   Nyquist, who leads the party, wrote"); a quote without a cue is the last speaker's in the
//!   same or the previous paragraph; a title in quotation marks is no claim;
//! - reported speech, clause by clause: "SOURCE CUE (that) CLAUSE" (two claims for "that A and
//!   that B"), "CLAUSE, SOURCE CUE" when only a time, a place or an addressee follows the cue
//!   ("…, their union said on Sunday, after …"), "according to SOURCE, CLAUSE" and "CLAUSE,
//!   according to SOURCE"; a cue that says nothing ("he said nothing") is no claim;
//! - the source as a name, an apposed name ("a spokesman, Tomas Veld, said"), a role with its
//!   determiner ("the league", "its solicitors"), or the subject before an apposition ("Ward, an
//!   engineer who …, said");
//! - relays: "India Today reported, quoting KCNA, that …" and "…, the Post reported, citing
//!   people close to the club" have the quoted one as source and the outlet as via;
//! - a pronoun or a person's role ("he", "the spokeswoman", "la ministre") resolved to the
//!   first person named in the nearest sentence before it (outside quotes; not a body's name;
//!   a surname alone is the full name named before), or the last speaker in scripts without
//!   capitals; a body's role ("the agency") to the nearest name of that kind;
//! - names matched against the folder's source registry, so aliases give the canonical name.
//!
//! The other languages have their reporting verbs, roles and articles ([`cues`]), French
//! inversions ("a-t-elle déclaré"), "according to" after its source ("Körber zufolge",
//! "関係者によると", "협회에 따르면"), Arabic verb-first reports, and Korean, Japanese and
//! Chinese subjects up to their particle or a word of place and time, with the claim closed by
//! a quotative particle (と述べた, 이라고 말했다), and their relays (`dense.rs`). `tests/core/suggest_gold.rs` measures all this
//! on a gold set per language (README: "Suggested claims"). Offsets count code points, end
//! exclusive, like every span in Claimmark. No egui; pure functions of the text.

pub mod cues;
mod dense;
mod open;
pub mod quotes;

pub use open::still_open;

use crate::model::{SourceRegistry, Span};

/// Words found in the text: where, and what they say.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Found {
    pub span: Span,
    pub text: String,
}

/// How the content is given.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    /// In quotation marks.
    Direct,
    /// Reported speech, without quotation marks.
    Indirect,
    /// Reported speech with a quoted part.
    Mixed,
}

/// One suggested attribution.
#[derive(Clone, Debug, PartialEq)]
pub struct Suggestion {
    /// What is claimed: one span, or the pieces of an interrupted or multi-paragraph quote.
    pub content: Vec<Span>,
    pub cue: Option<Found>,
    pub source: Option<Found>,
    /// Who the source is: its words, a pronoun or role resolved to the name it stands for,
    /// and the registry's canonical name for it.
    pub attributed_to: Option<String>,
    /// Who relayed it, from the source outward.
    pub via: Vec<String>,
    pub kind: Kind,
    /// How sure the rules are, 0–1.
    pub confidence: f32,
}

impl Suggestion {
    /// The content's words, pieces joined by " … ".
    pub fn quote(&self, chars: &[char]) -> String {
        self.content
            .iter()
            .map(|s| chars[s.start..s.end].iter().collect::<String>())
            .collect::<Vec<_>>()
            .join(" … ")
    }

    /// The content's extent: from its first piece's start to its last's end.
    pub fn extent(&self) -> Span {
        let start = self.content.first().map_or(0, |s| s.start);
        let end = self.content.last().map_or(start, |s| s.end);
        Span::between(start, end)
    }
}

/// The attributions of an article's text, in the order of their content.
pub fn suggest(text: &str, registry: &SourceRegistry) -> Vec<Suggestion> {
    let chars: Vec<char> = text.chars().collect();
    let quoted = quotes::find(&chars);
    let doc = Doc::new(&chars, &quoted);
    let mut out = Vec::new();
    for q in &quoted {
        if let Some(s) = doc.direct(q) {
            out.push(s);
        }
    }
    for sentence in &doc.sentences {
        for clause in doc.clauses(*sentence) {
            if let Some(s) = doc.reported(clause) {
                out.extend(doc.split_coordinated(s));
            }
        }
    }
    out.sort_by_key(|s| s.extent().start);
    out.dedup_by(|a, b| overlap(a.extent(), b.extent()) * 2 > a.extent().len().max(1));
    // Who spoke last, and where: a quote without a cue is often theirs.
    let mut previous: Option<(usize, String)> = None;
    for s in &mut out {
        doc.resolve(s, previous.as_ref(), registry);
        if s.cue.is_none() {
            doc.inherit(s, previous.as_ref(), registry);
        }
        if let Some(name) = &s.attributed_to {
            previous = Some((s.extent().end, name.clone()));
        }
    }
    out
}

/// How many code points two spans share.
pub fn overlap(a: Span, b: Span) -> usize {
    a.end.min(b.end).saturating_sub(a.start.max(b.start))
}

/// The text with its words, sentences and quotes.
struct Doc<'a> {
    chars: &'a [char],
    words: Vec<Span>,
    sentences: Vec<Span>,
    /// The pieces of every quote, in order.
    quoted: Vec<Span>,
    /// The longest of them, in code points (how far back a piece can reach a position).
    longest_quote: usize,
    /// The runs of capitalised words outside quotes, sentence by sentence, as ranges of
    /// `words`.
    runs: Vec<std::ops::Range<usize>>,
    /// The names of two words or more that may be a person's, by their last word: where each
    /// starts, and the name ("Ribeiro" → [(120, "Ana Ribeiro")]).
    surnames: std::collections::HashMap<String, Vec<(usize, String)>>,
}

impl<'a> Doc<'a> {
    fn new(chars: &'a [char], quotes: &[quotes::Quote]) -> Self {
        let mut quoted: Vec<Span> = quotes.iter().flat_map(|q| q.pieces.clone()).collect();
        quoted.sort_by_key(|q| q.start);
        let longest_quote = quoted.iter().map(|q| q.len()).max().unwrap_or(0);
        let mut doc = Self {
            chars,
            words: words(chars),
            sentences: sentences(chars),
            quoted,
            longest_quote,
            runs: Vec::new(),
            surnames: Default::default(),
        };
        doc.runs = doc
            .sentences
            .iter()
            .flat_map(|s| doc.scan_runs(*s))
            .collect();
        for r in doc.runs.iter().filter(|r| r.len() >= 2) {
            if let Some(name) = doc.full_person(r.clone()) {
                let last = name.split(' ').next_back().unwrap_or_default().to_owned();
                let start = doc.words[r.start].start;
                doc.surnames.entry(last).or_default().push((start, name));
            }
        }
        doc
    }

    /// The quote pieces that overlap `span`.
    fn quotes_in(&self, span: Span) -> impl Iterator<Item = &Span> {
        let first = self.quoted.partition_point(|q| q.end <= span.start);
        self.quoted[first..]
            .iter()
            .take_while(move |q| q.start < span.end)
    }

    fn in_quote(&self, at: usize) -> bool {
        let k = self.quoted.partition_point(|q| q.end <= at);
        self.quoted.get(k).is_some_and(|q| q.start <= at)
    }

    fn text(&self, span: Span) -> String {
        self.chars[span.start..span.end].iter().collect()
    }

    /// The sentence that holds `at`.
    fn sentence_of(&self, at: usize) -> Span {
        let k = self
            .sentences
            .partition_point(|s| s.end.max(s.start + 1) <= at);
        self.sentences
            .get(k)
            .copied()
            .filter(|s| s.start <= at)
            .unwrap_or(Span::between(at, at))
    }

    /// The words inside `span`, as indexes into `words`.
    fn words_in(&self, span: Span) -> std::ops::Range<usize> {
        let first = self.words.partition_point(|w| w.end <= span.start);
        let last = self.words.partition_point(|w| w.start < span.end);
        first..last.max(first)
    }

    /// A direct quote's attribution: its cue and source after it, else before it.
    fn direct(&self, q: &quotes::Quote) -> Option<Suggestion> {
        let pieces = &q.pieces;
        let first = *pieces.first()?;
        let last = *pieces.last()?;
        let inner: usize = pieces.iter().map(|p| p.len()).sum();
        // Scare quotes and titles ("a “scandal”") are not claims.
        let inner_words = pieces
            .iter()
            .map(|p| self.words_in(*p).len())
            .sum::<usize>();
        let dense = pieces.iter().any(|p| {
            self.chars[p.start..p.end]
                .iter()
                .any(|c| is_cjk_char(*c) || is_hangul(*c))
        });
        if inner_words < 3 || (inner < 12 && !dense) {
            return None;
        }
        let sentence_end = self.sentence_of(last.end.saturating_sub(1)).end;
        let after = Span::between(last.end, sentence_end.max(last.end));
        let sentence_start = self.sentence_of(first.start).start;
        let before = Span::between(sentence_start.min(first.start), first.start);
        let found = q
            .between
            .map(|b| self.cue_and_source(b, Side::Between))
            .filter(|(c, _, _)| c.is_some())
            .or_else(|| Some(self.cue_and_source(after, Side::After)))
            .filter(|(c, _, _)| c.is_some())
            .or_else(|| Some(self.cue_and_source(before, Side::Before)))
            .filter(|(c, _, _)| c.is_some());
        let (cue, source, via) = match found {
            Some((cue, source, mut via)) => {
                via.extend(self.relay(before));
                // "“…”이라고 말했다", "「…」と述べた": the one who spoke is before the quote.
                let quotative = source
                    .as_ref()
                    .is_none_or(|s| cues::QUOTATIVES.contains(&s.text.as_str()));
                let source = match quotative && cue.as_ref().is_some_and(|c| is_dense(&c.text)) {
                    true => self.topic(before).or(source),
                    false => source,
                };
                (cue, source, via)
            }
            None if self.is_title(pieces) || self.is_fragment(first, pieces) => return None,
            None => (None, None, Vec::new()),
        };
        let confidence = match (&cue, &source) {
            (Some(_), Some(_)) => 0.9,
            (Some(_), None) => 0.6,
            _ => 0.4,
        };
        Some(Suggestion {
            content: pieces.clone(),
            cue,
            source,
            attributed_to: None,
            via,
            kind: Kind::Direct,
            confidence,
        })
    }

    /// Whether a quote's words are a title ("“You'll Never Beat the Town”"): most of them
    /// capitalised.
    fn is_title(&self, pieces: &[Span]) -> bool {
        let words: Vec<String> = pieces
            .iter()
            .flat_map(|p| self.words_in(*p))
            .map(|w| self.text(self.words[w]))
            .collect();
        let caps = words.iter().filter(|w| starts_upper(w)).count();
        words.len() <= 8 && caps * 4 >= words.len() * 3
    }

    /// The clauses of a sentence that may each report a claim: split at ", but" and ";"
    /// ("Pike's officials say …, but the oversight office said …").
    fn clauses(&self, sentence: Span) -> Vec<Span> {
        let mut out = Vec::new();
        let mut start = sentence.start;
        for w in self.words_in(sentence) {
            let word = self.words[w];
            let before = self.chars[start..word.start]
                .iter()
                .rev()
                .find(|c| !c.is_whitespace());
            let splits = match before {
                Some(';') => true,
                Some(',') => cues::BUT.contains(&self.text(word).to_lowercase().as_str()),
                // "LINDMARK — Dock workers …", "عمّان — قال …": a dateline.
                Some('—' | '―') => self.words_in(Span::between(start, word.start)).len() <= 3,
                _ => false,
            };
            if splits && word.start > start && !self.in_quote(word.start) {
                out.push(self.trim(Span::between(start, word.start)));
                start = word.start;
            }
        }
        out.push(Span::between(start, sentence.end));
        out
    }

    /// Whether a quote without a cue is a few words inside a sentence ("warnings that “came too
    /// late”"): a scare quote, not a claim. Scripts without spaces put a headline's speaker
    /// right before the quote, so they are left out.
    fn is_fragment(&self, first: Span, pieces: &[Span]) -> bool {
        let before = self.chars[..first.start]
            .iter()
            .rev()
            .find(|c| !c.is_whitespace());
        let inside =
            before.is_some_and(|c| c.is_alphanumeric() && !is_cjk_char(*c) && !is_hangul(*c));
        let words: usize = pieces.iter().map(|p| self.words_in(*p).len()).sum();
        inside && words <= 4
    }

    /// Reported speech in a clause that is not a direct quote's: "according to SOURCE,
    /// CLAUSE", "CLAUSE, SOURCE CUE" or "SOURCE CUE (that) CLAUSE".
    fn reported(&self, clause: Span) -> Option<Suggestion> {
        let covered: usize = self.quotes_in(clause).map(|p| overlap(*p, clause)).sum();
        if clause.is_empty() || covered * 2 > clause.len() {
            return None;
        }
        let words: Vec<Span> = self.words[self.words_in(clause)].to_vec();
        // A cue inside quotation marks is the quote's, not this clause's.
        let lower: Vec<String> = words
            .iter()
            .map(|w| match self.in_quote(w.start) {
                true => String::new(),
                false => self.text(*w).to_lowercase(),
            })
            .collect();
        let end = trim_end(self.chars, clause);
        if let Some((i, n)) = cues::according_to(&lower) {
            return self.according(clause, &words[i..i + n], end);
        }
        // The last cue may close the clause ("Clubs have asked about her, the Post reported");
        // else the first one opens the claim.
        let verbs: Vec<(usize, usize)> = cues::speech_verbs(&lower)
            .into_iter()
            .filter(|&(i, _)| !self.follows_quote(words[i].start))
            .collect();
        let cue = |&(i, n): &(usize, usize)| Span::between(words[i].start, words[i + n - 1].end);
        verbs
            .iter()
            .rev()
            .find_map(|v| self.trailing_cue(clause, cue(v), end))
            .or_else(|| self.leading_cue(clause, cue(verbs.first()?), end))
    }

    /// Whether the text just before `at` closes a quote ("…,” said Lee"): that cue is the
    /// quote's.
    fn follows_quote(&self, at: usize) -> bool {
        let mut k = at;
        while k > 0
            && (self.chars[k - 1].is_whitespace()
                || matches!(self.chars[k - 1], ',' | '،' | '，' | '—' | '–'))
        {
            k -= 1;
        }
        // A quoted name ("Агентство «Север-Информ» сообщило") is not a quote with its cue.
        // Only the pieces that start before `k` and are long enough to reach it.
        let upto = self.quoted.partition_point(|q| q.start < k);
        let reach = k.saturating_sub(self.longest_quote);
        self.quoted[..upto]
            .iter()
            .rev()
            .take_while(|q| q.start >= reach)
            .any(|q| k <= q.end && self.words_in(*q).len() >= 3)
    }

    /// Whether the words of `span` only say when, where or to whom ("on Sunday", "to the
    /// Courier", "in a statement"): no claim of their own.
    fn is_tail(&self, span: Span) -> bool {
        self.words_in(span).all(|w| {
            let word = self.text(self.words[w]);
            let lower = word.to_lowercase();
            starts_upper(&word)
                || word.chars().all(|c| c.is_ascii_digit())
                || cues::SKIP_AFTER_CUE.contains(&lower.as_str())
                || cues::TAIL.contains(&lower.as_str())
                || cues::TIMES.contains(&lower.as_str())
        })
    }

    /// "According to SOURCE, CLAUSE." / "CLAUSE, according to SOURCE."
    fn according(&self, clause: Span, cue_words: &[Span], end: usize) -> Option<Suggestion> {
        let cue = Span::between(cue_words.first()?.start, cue_words.last()?.end);
        let rest = Span::between(cue.end, end);
        let comma = self.find_char(rest, &[',', '،', '，', '、']);
        let last = self.text(*cue_words.last()?).to_lowercase();
        let at_start = self.is_clause_start(cue.start, clause);
        let first = self
            .words_in(Span::between(clause.start, cue.start))
            .next()
            .is_none();
        let lead = self.name_after(rest).filter(|_| first);
        // "Laut Körber reicht das Angebot nicht, um …": a name, then a clause up to the comma.
        let long = comma.is_some_and(|c| self.words_in(Span::between(cue.end, c)).count() > 3);
        let comma = if lead.is_some() && long { None } else { comma };
        let (source, content) = match comma {
            // "Körber zufolge …", "関係者によると、…", "협회에 따르면 …": the source first.
            _ if cues::ACCORDING_AFTER.contains(&last.as_str()) => {
                let from = self.clause_start_before(clause, cue.start);
                let content_start =
                    comma.filter(|&c| self.words_in(Span::between(cue.end, c)).is_empty());
                (
                    self.named(Span::between(from, cue.start)),
                    Span::between(content_start.map_or(cue.end, |c| c + 1), end),
                )
            }
            Some(c) if first => (
                self.named(Span::between(cue.end, c)),
                Span::between(c + 1, end),
            ),
            // "The closures will affect 400 staff, according to the union, most of them
            // part-time.": the claim around its source.
            Some(c) if at_start => {
                let content = self.trim(Span::between(clause.start, cue.start));
                let mut s =
                    self.indirect(content, cue, self.named(Span::between(cue.end, c)), 0.75);
                let rest = self.trim(Span::between(c + 1, end));
                if self.words_in(rest).len() >= 3 {
                    s.content.push(rest);
                }
                return (content.len() >= 12).then_some(s);
            }
            // "Laut Körber reicht das Angebot nicht": the name, then the claim.
            None if lead.is_some() => {
                let source = lead?;
                let content = Span::between(source.span.end, end);
                (Some(source), content)
            }
            _ => (self.named(rest), Span::between(clause.start, cue.start)),
        };
        let content = self.trim(content);
        if content.len() < 12 {
            return None;
        }
        Some(self.indirect(content, cue, source, 0.75))
    }

    /// "la ministre n'a rien dit", "hat nichts gesagt": a cue that says nothing was said.
    fn negated(&self, cue: Span) -> bool {
        let k = self.words.partition_point(|w| w.end <= cue.start);
        (k.saturating_sub(2)..k)
            .any(|w| cues::NOTHING.contains(&self.text(self.words[w]).to_lowercase().as_str()))
    }

    /// Where the clause that ends at `at` starts: after the last comma before it, or the
    /// clause's start.
    fn clause_start_before(&self, clause: Span, at: usize) -> usize {
        (clause.start..at)
            .rev()
            .find(|&c| is_clause_mark(self.chars[c]) && !self.in_number(c))
            .map_or(clause.start, |c| c + 1)
    }

    /// Whether the words after a source's phrase go on naming it ("régionale de santé"), not
    /// a clause of their own ("he" + "was not surprised").
    fn belongs(&self, phrase: &Found, rest: Span) -> bool {
        let pronoun = cues::PRONOUNS.contains(&phrase.text.to_lowercase().as_str());
        let verb = self.words_in(rest).any(|w| {
            let word = self.text(self.words[w]).to_lowercase();
            cues::AUX.contains(&word.as_str()) || cues::is_speech_word(&word)
        });
        let quoted = self
            .words_in(rest)
            .any(|w| self.in_quote(self.words[w].start));
        !pronoun && !verb && !quoted
    }

    /// Whether the mark at `i` separates digits ("1,550"), not clauses.
    fn in_number(&self, i: usize) -> bool {
        let digit = |k: usize| self.chars.get(k).is_some_and(char::is_ascii_digit);
        i > 0 && digit(i - 1) && digit(i + 1)
    }

    /// The capitalised name that opens `span`, after an article ("Körber" in "Körber reicht
    /// das Angebot", "des Vereins" in "des Vereins sollen …").
    fn name_after(&self, span: Span) -> Option<Found> {
        let run = self.name_runs(span).into_iter().next()?;
        let mut opening = self.words_in(span);
        let mut lead = opening.next()?;
        let article = cues::ARTICLES.contains(&self.text(self.words[lead]).to_lowercase().as_str());
        let first = if article {
            self.words[lead]
        } else {
            self.words[run.start]
        };
        if article {
            lead = opening.next()?;
        }
        // "Lindmark Chamber of Commerce" goes on after "of": a body's name, not this form.
        let joint = self.words.get(run.end).is_some_and(|w| {
            cues::JOINTS.contains(&self.text(*w).as_str()) && !self.gap(self.words[run.end - 1], *w)
        });
        let leading = lead == run.start && !joint;
        let last = self.words[run.start + run.len().min(3) - 1];
        leading.then(|| self.found(Span::between(first.start, last.end)))
    }

    /// "Prices will rise, analysts said." / "…, said the minister." / "…, the Post reported on
    /// Sunday, citing people close to the club.": the clause before the comma, when the cue
    /// is followed by no more than a time or an addressee.
    fn trailing_cue(&self, clause: Span, cue: Span, end: usize) -> Option<Suggestion> {
        if self.negated(cue) {
            return None;
        }
        let before = Span::between(clause.start, cue.start);
        let comma = (before.start..before.end)
            .rev()
            .find(|&c| matches!(self.chars[c], ',' | '،' | '，') && !self.in_number(c))?;
        let who = self.strip_aux(self.trim(Span::between(comma + 1, cue.start)));
        let after = Span::between(cue.end, end);
        let tail_end = self.find_char(after, &[',', '،', '，']).unwrap_or(end);
        let tail = Span::between(cue.end, tail_end);
        let who_words: Vec<usize> = self.words_in(who).collect();
        let relative = who_words.first().is_some_and(|&w| {
            cues::RELATIVES.contains(&self.text(self.words[w]).to_lowercase().as_str())
        });
        if who_words.len() > 6 || relative {
            return None;
        }
        let mut source = if who_words.is_empty() {
            // "…, said the minister on Monday." (not "Ward, an engineer, said he was …").
            // "сообщили в районном управлении образования": Russian names an office by where.
            let office = self
                .words_in(tail)
                .next()
                .is_some_and(|w| cues::IN_OFFICE.contains(&self.text(self.words[w]).as_str()));
            let phrase = self.phrase(after).or_else(|| {
                self.named(tail)
                    .filter(|_| office && self.words_in(tail).len() <= 5)
            })?;
            let rest = Span::between(phrase.span.end, tail_end);
            match self.words_in(rest).count() {
                // "сообщила пресс-служба предприятия", "l'Agence régionale de santé": the words
                // that end the sentence belong to it.
                1..=3 if tail_end == end && !self.is_tail(rest) && self.belongs(&phrase, rest) => {
                    Some(self.found(Span::between(phrase.span.start, self.trim(rest).end)))
                }
                _ => Some(phrase).filter(|_| self.is_tail(rest))?.into(),
            }
        } else {
            self.is_tail(tail).then(|| self.named(who))?
        };
        let mut via = Vec::new();
        if let Some(cited) = self.cited(after) {
            via.extend(source.take().map(|s| s.text));
            source = Some(cited);
        }
        let content = self.trim(Span::between(clause.start, comma));
        if source.is_none() || self.words_in(content).len() < 3 {
            return None;
        }
        let mut s = self.indirect(content, cue, source, 0.7);
        // "…, the association said, leaving most schools worse off": the claim goes on.
        let rest = self.trim(Span::between(tail_end, end));
        if via.is_empty() && self.words_in(tail).is_empty() && self.words_in(rest).len() >= 3 {
            s.content.push(rest);
        }
        if !via.is_empty() {
            s.via = via;
        }
        Some(s)
    }

    /// "SOURCE CUE (that) CLAUSE": "The ministry said that …", "Quoting Kira Janssen, the
    /// broadcast said that …", "India Today reported, quoting KCNA, that …".
    fn leading_cue(&self, clause: Span, cue: Span, end: usize) -> Option<Suggestion> {
        let before = Span::between(clause.start, cue.start);
        let after = Span::between(cue.end, end);
        let first_after = self.words_in(after).next().map(|w| self.words[w]);
        // "He said nothing": no claim.
        if self.follows_quote(cue.start)
            || self.negated(cue)
            || first_after
                .is_some_and(|w| cues::NOTHING.contains(&self.text(w).to_lowercase().as_str()))
        {
            return None;
        }
        // "Quoting Kira Janssen, the broadcast said …": the one quoted is the source.
        let quoting = self
            .words_in(before)
            .next()
            .filter(|&w| cues::RELAY.contains(&self.text(self.words[w]).to_lowercase().as_str()))
            .and_then(|w| self.phrase(Span::between(self.words[w].end, before.end)));
        let mut start = cue.end;
        // Arabic puts the verb first.
        let opens = self.words_in(before).next().is_none()
            && self.chars[cue.start..cue.end]
                .iter()
                .any(|c| matches!(*c as u32, 0x0600..=0x06FF));
        let mut source = match quoting.or_else(|| self.subject(before)) {
            Some(q) => q,
            // "قال الوزير إن …": the verb first, then its subject.
            None if opens => {
                let subject = self.phrase(after)?;
                start = subject.span.end;
                subject
            }
            None => return None,
        };
        // "India Today reported, quoting KCNA, that …": the quoted one is the source.
        if first_after.is_some_and(|w| cues::RELAY.contains(&self.text(w).to_lowercase().as_str()))
            && let Some(cited) = self.cited(after)
        {
            start = cited.span.end;
            source = cited;
        }
        if let Some((content, source)) = self.quoted_before_cue(before, &source) {
            let s = self.indirect(content, cue, Some(source), 0.7);
            return Some(self.relayed(s, before));
        }
        let start = self.content_start(Span::between(start, end));
        let content = self.trim(Span::between(start, end));
        // "wrote on social media", "said in parliament": where, not what; "kündigte einen
        // Notfahrplan an": an act.
        let words: Vec<usize> = self.words_in(content).collect();
        let act = words.len() <= 4
            && words
                .last()
                .is_some_and(|&w| cues::SEPARABLE.contains(&self.text(self.words[w]).as_str()));
        if words.len() < 3 || self.is_tail(content) || act {
            return None;
        }
        let s = self.indirect(content, cue, Some(source), 0.7);
        Some(self.relayed(s, before))
    }

    /// Where reported speech starts after its cue: after "that" when it comes within a few
    /// words ("told reporters on Monday that …"), else after an addressee or a time ("told
    /// reporters", "on Monday").
    fn content_start(&self, span: Span) -> usize {
        let next: Vec<usize> = self.words_in(span).take(6).collect();
        if let Some(&w) = next.iter().find(|&&w| self.is_complementizer(w)) {
            return self.words[w].end;
        }
        let skipped = next
            .iter()
            .take_while(|&&w| {
                let word = self.text(self.words[w]).to_lowercase();
                cues::SKIP_AFTER_CUE.contains(&word.as_str())
            })
            .count();
        // "said the union's demands …": a skipped run does not end in "the" or "on".
        let kept = (0..=skipped)
            .rev()
            .find(|&k| {
                k == 0 || {
                    let word = self.text(self.words[next[k - 1]]).to_lowercase();
                    !matches!(word.as_str(), "the" | "a" | "in" | "on" | "last")
                }
            })
            .unwrap_or(0);
        match kept {
            0 => span.start,
            k => self.words[next[k - 1]].end,
        }
    }

    fn is_complementizer(&self, w: usize) -> bool {
        cues::COMPLEMENTIZERS.contains(&self.text(self.words[w]).to_lowercase().as_str())
    }

    /// "said that A and that B": two claims with one cue.
    fn split_coordinated(&self, s: Suggestion) -> Vec<Suggestion> {
        let [content] = s.content[..] else {
            return vec![s];
        };
        let ws: Vec<usize> = self.words_in(content).collect();
        let joint = ws.windows(2).find(|p| {
            cues::AND.contains(&self.text(self.words[p[0]]).to_lowercase().as_str())
                && self.is_complementizer(p[1])
        });
        let Some(&[and, that]) = joint else {
            return vec![s];
        };
        let first = self.trim(Span::between(content.start, self.words[and].start));
        let second = self.trim(Span::between(self.words[that].end, content.end));
        let mut one = s.clone();
        one.content = vec![first];
        let mut two = s;
        two.content = vec![second];
        vec![one, two]
    }

    /// "…, citing people close to the club": the one a relay cites, up to a comma or "that".
    fn cited(&self, span: Span) -> Option<Found> {
        let r = self
            .words_in(span)
            .find(|&w| cues::RELAY.contains(&self.text(self.words[w]).to_lowercase().as_str()))?;
        let from = self.words[r].end;
        let to = self
            .words_in(Span::between(from, span.end))
            .find(|&w| self.is_complementizer(w))
            .map_or(span.end, |w| self.words[w].start);
        let stop = self
            .find_char(Span::between(from, to), &[',', '،', '，'])
            .unwrap_or(to);
        self.named(Span::between(from, stop))
    }

    /// A short phrase that names a source as a whole ("the institute", "head teachers", "two
    /// officials familiar with the talks"), else the noun phrase at its start.
    fn named(&self, span: Span) -> Option<Found> {
        let span = self.trim(span);
        let words: Vec<usize> = self.words_in(span).collect();
        let verb = words
            .iter()
            .any(|&w| cues::is_speech_word(&self.text(self.words[w]).to_lowercase()));
        let gap = words
            .windows(2)
            .any(|p| self.gap(self.words[p[0]], self.words[p[1]]));
        // "los datos publicados este lunes por la Confederación Hidrográfica del Sur": the
        // body's name in a long phrase.
        let body = self
            .name_runs(span)
            .into_iter()
            .rev()
            .find(|r| r.len() >= 2);
        match body {
            Some(r) if words.len() > 5 => {
                let end = self.body_end(self.words[r.end - 1]);
                Some(self.found(Span::between(self.words[r.start].start, end)))
            }
            _ if (1..=8).contains(&words.len()) && !verb && !gap => Some(self.found(span)),
            _ => self.phrase(span),
        }
    }

    /// `span` without the words between a subject and its verb at its end ("has also").
    fn strip_aux(&self, span: Span) -> Span {
        let mut end = span.end;
        for w in self.words_in(span).rev() {
            let word = self.text(self.words[w]).to_lowercase();
            if !cues::AUX.contains(&word.as_str()) || self.words[w].start == span.start {
                break;
            }
            end = self.words[w].start;
        }
        self.trim(Span::between(span.start, end))
    }

    fn indirect(
        &self,
        content: Span,
        cue: Span,
        source: Option<Found>,
        confidence: f32,
    ) -> Suggestion {
        let mixed = self.quotes_in(content).next().is_some();
        let via = self.relay(self.sentence_of(content.start));
        Suggestion {
            content: vec![content],
            cue: Some(Found {
                span: cue,
                text: self.text(cue),
            }),
            source,
            attributed_to: None,
            via,
            kind: if mixed { Kind::Mixed } else { Kind::Indirect },
            confidence,
        }
    }

    /// The cue, the source and the relays in `span` (the text after, before or between a
    /// quote's pieces).
    fn cue_and_source(
        &self,
        span: Span,
        side: Side,
    ) -> (Option<Found>, Option<Found>, Vec<String>) {
        let range = self.words_in(span);
        let words: Vec<Span> = self.words[range].to_vec();
        let lower: Vec<String> = words.iter().map(|w| self.text(*w).to_lowercase()).collect();
        // After a quote only the first few words can be its attribution (with room for an
        // apposition: "…,” Caspar Nyquist, who leads the party, wrote).
        let limit = match side {
            Side::Before => lower.len(),
            _ => lower.len().min(14),
        };
        let found = match side {
            Side::Before => cues::last_cue(&lower[..limit]),
            _ => cues::first_cue(&lower[..limit]),
        };
        let Some((i, n)) = found else {
            return (None, None, Vec::new());
        };
        let cue = Span::between(words[i].start, words[i + n - 1].end);
        let found_cue = Some(self.found(cue));
        let according = cues::according_to(&lower[i..i + n]).is_some();
        // "said Lee" / "according to Lee": the source follows; "Lee said": it comes first.
        let follows = Span::between(cue.end, words.last().map_or(cue.end, |w| w.end));
        let precedes = Span::between(words.first().map_or(cue.start, |w| w.start), cue.start);
        let source = if according {
            self.phrase(follows)
        } else {
            match side {
                Side::Before => self.subject(precedes),
                _ => self.subject(precedes).or_else(|| self.phrase(follows)),
            }
        };
        // "« … », a-t-elle déclaré": the pronoun inside the cue.
        let source = source.or_else(|| self.inverted_pronoun(words[i]));
        // "…,” the Inland Courier reported, citing the news agency.": the one cited is the
        // source, the one citing a relay.
        if side == Side::After
            && let Some(r) =
                (i + n..lower.len()).find(|&k| cues::RELAY.contains(&lower[k].as_str()))
            && let Some(cited) = self.phrase(Span::between(words[r].end, span.end))
        {
            let via = source.map(|s| vec![s.text]).unwrap_or_default();
            return (found_cue, Some(cited), via);
        }
        (found_cue, source, Vec::new())
    }

    /// The pronoun joined to a French cue ("elle" in "a-t-elle", "ajoute-t-elle").
    fn inverted_pronoun(&self, word: Span) -> Option<Found> {
        let text = self.text(word).to_lowercase();
        let (_, pronoun) = text.rsplit_once('-')?;
        let len = pronoun.chars().count();
        cues::PRONOUNS
            .contains(&pronoun)
            .then(|| self.found(Span::between(word.end - len, word.end)))
    }

    /// The noun phrase that ends `span` and can say something: a pronoun, a name ("Kim Jong
    /// Un"), a role with its determiner ("the port authority", "the spokeswoman for the
    /// ministry").
    fn subject(&self, span: Span) -> Option<Found> {
        if self
            .words_in(span)
            .any(|w| is_dense(&self.text(self.words[w])))
        {
            return self.topic(span);
        }
        if let Some(apposed) = self.apposed(span) {
            return apposed;
        }
        let range = self.words_in(span);
        let mut words = &self.words[range];
        // "experts have also said": the words between the subject and its verb.
        while let Some((last, rest)) = words.split_last()
            && cues::AUX.contains(&self.text(*last).to_lowercase().as_str())
            && !rest.is_empty()
        {
            words = rest;
        }
        let n = words.len();
        let last = *words.last()?;
        let lower = |k: usize| self.text(words[k]).to_lowercase();
        if cues::PRONOUNS.contains(&lower(n - 1).as_str()) {
            return Some(self.found(last));
        }
        if !self.is_head(&self.text(last)) {
            return self.determined(words).or_else(|| self.opening(words));
        }
        let mut first = n - 1;
        // The capitalised run ending here ("Kim Jong Un", "Ministerin Weber").
        while first > 0
            && self.is_head(&self.text(words[first - 1]))
            && !self.gap(words[first - 1], words[first])
        {
            first -= 1;
        }
        if let Some(person) = self.person_of(words, first) {
            return Some(person);
        }
        // "state radio", "senior officials": a qualifying word before a role.
        while first > 0
            && cues::MODIFIERS.contains(&lower(first - 1).as_str())
            && !self.gap(words[first - 1], words[first])
        {
            first -= 1;
        }
        // A determiner a few words back opens a role phrase ("the port authority"), and "for"
        // or "of" joins one to the phrase before it ("the spokeswoman for the ministry").
        let mut k = first;
        loop {
            let det = (k.saturating_sub(5)..k).rev().find(|&d| {
                (cues::ARTICLES.contains(&lower(d).as_str())
                    || cues::INDEFINITE.contains(&lower(d).as_str()))
                    && (d..k).all(|j| !self.gap(words[j], words[j + 1]))
                    && (d + 1..k).all(|j| !cues::is_speech_word(&lower(j)))
            });
            let Some(d) = det else {
                break;
            };
            k = d;
            let joined = k >= 2
                && cues::JOINTS.contains(&lower(k - 1).as_str())
                && !self.gap(words[k - 1], words[k])
                && !self.gap(words[k - 2], words[k - 1]);
            if !joined {
                break;
            }
            k -= 1;
            // The phrase before the joint: its own determiner or capitalised run.
            let mut j = k;
            while j > 0
                && self.is_head(&self.text(words[j - 1]))
                && !self.gap(words[j - 1], words[j])
            {
                j -= 1;
            }
            k = j;
        }
        let span = Span::between(words[k.min(first)].start, last.end);
        Some(Found {
            span,
            text: self.text(span),
        })
    }

    /// "Sam Whitlow of Pennant Research said": the person before "of" or "at" and a body.
    fn person_of(&self, words: &[Span], first: usize) -> Option<Found> {
        let joint = self.text(*words.get(first.checked_sub(1)?)?).to_lowercase();
        if !matches!(joint.as_str(), "of" | "at" | "from") || first < 3 {
            return None;
        }
        let end = first - 1;
        let mut start = end;
        while start > 0
            && starts_upper(&self.text(words[start - 1]))
            && !self.gap(words[start - 1], words[start])
        {
            start -= 1;
        }
        let span = Span::between(words[start].start, words[end - 1].end);
        let run = self.words_in(span);
        (end - start >= 2 && self.full_person(run).is_some()).then(|| self.found(span))
    }

    /// The subject before an apposition and the cue after it: "Tomas Veld, a spokesman for
    /// the company, said" is Tomas Veld, and so is "a spokesman for the company, Tomas Veld,
    /// said" (a person's name in the apposition is the one who spoke). None when `span` does
    /// not end in an apposition.
    fn apposed(&self, span: Span) -> Option<Option<Found>> {
        let end = span.start
            + self.chars[span.start..span.end]
                .iter()
                .rposition(|c| !c.is_whitespace())?
            + 1;
        if self.chars[end - 1] != ',' {
            return None;
        }
        let open = (span.start..end - 1)
            .rev()
            .find(|&i| self.chars[i] == ',')?;
        let inner = self.trim(Span::between(open + 1, end - 1));
        let n = self.words_in(inner).len();
        if n == 0 || n > 16 {
            return None;
        }
        let runs = self.name_runs(inner);
        if let [run] = runs.as_slice()
            && run.len() == n
            && self.person(run.clone()).is_some()
        {
            return Some(Some(self.found(inner)));
        }
        Some(self.subject(Span::between(span.start, open)))
    }

    /// "the league", "its solicitors", "the two governments": a determiner a few words before
    /// the verb and the words after it.
    fn determined(&self, words: &[Span]) -> Option<Found> {
        let n = words.len();
        let d = (n.saturating_sub(4)..n.saturating_sub(1))
            .rev()
            .find(|&d| {
                let word = self.text(words[d]).to_lowercase();
                cues::DETERMINERS.contains(&word.as_str())
                    || word.ends_with("'s")
                    || word.ends_with("’s")
            })?;
        let joined = (d..n - 1).all(|j| {
            !self.gap(words[j], words[j + 1])
                && !cues::is_speech_word(&self.text(words[j + 1]).to_lowercase())
        });
        joined.then(|| self.found(Span::between(words[d].start, words[n - 1].end)))
    }

    /// A short phrase that opens its sentence and ends before the cue, in a language without
    /// articles ("Профсоюз металлургов считает, что …").
    fn opening(&self, words: &[Span]) -> Option<Found> {
        let first = *words.first()?;
        let last = *words.last()?;
        let opens = self.sentence_of(first.start).start == first.start;
        let joined = words.windows(2).all(|p| !self.gap(p[0], p[1]));
        let short = (2..=4).contains(&words.len());
        (opens && joined && short && starts_upper(&self.text(first)))
            .then(|| self.found(Span::between(first.start, last.end)))
    }

    fn found(&self, span: Span) -> Found {
        Found {
            span,
            text: self.text(span),
        }
    }

    /// A word that can head a name or a role: capitalised, a role noun (or its possessive),
    /// or a word of a script without capitals.
    fn is_head(&self, word: &str) -> bool {
        let lower = word.to_lowercase();
        // "l'Agence": French elides the article into the name.
        let elided = ["l'", "l’", "d'", "d’"]
            .iter()
            .find_map(|a| word.strip_prefix(a))
            .is_some_and(starts_upper);
        starts_upper(word)
            || elided
            || cues::ROLES.contains(&lower.trim_end_matches("'s").trim_end_matches("’s"))
            || is_cjk(word)
    }

    /// The noun phrase at the start of `span` ("Lee", "the minister", "a spokesperson for the
    /// ministry", "the port authority"), up to a comma, a time or a preposition that ends it:
    /// from its first word to its last head word.
    fn phrase(&self, span: Span) -> Option<Found> {
        let range = self.words_in(span);
        let words = &self.words[range];
        // "a affirmé dimanche la ministre": a time first.
        let times = words
            .iter()
            .take_while(|w| cues::TIMES.contains(&self.text(**w).to_lowercase().as_str()))
            .count();
        let words = &words[times..];
        let mut last = None;
        let mut gap_at = None;
        for (k, w) in words.iter().enumerate().take(8) {
            if k > 0 && self.gap(words[k - 1], *w) {
                gap_at = Some(k);
                break;
            }
            let text = self.text(*w);
            let lower = text.to_lowercase();
            let glue = cues::GLUE.contains(&lower.as_str());
            // "Foreign Minister Idris Halvorsen of Estrea": a name ends before "of".
            let named = k >= 2 && words[..k].iter().all(|w| starts_upper(&self.text(*w)));
            if glue && named {
                break;
            }
            let verb = cues::is_speech_word(&lower) && !cues::ROLES.contains(&lower.as_str())
                || cues::COMPLEMENTIZERS.contains(&lower.as_str());
            let time = k > 0 && cues::TIMES.contains(&lower.as_str());
            if !glue && (cues::SKIP_AFTER_CUE.contains(&lower.as_str()) || verb || time) {
                break;
            }
            // "la confederación", "the league": a noun after the article that opens the phrase.
            let articled = k == 1
                && cues::ARTICLES.contains(&self.text(words[k - 1]).to_lowercase().as_str())
                && !glue;
            if self.is_head(&text) || cues::PRONOUNS.contains(&lower.as_str()) || articled {
                last = Some(k);
            }
        }
        let last = last?;
        // "la ministre du Travail, Claire Dumontel", "el presidente del club, Ramón Ibarra": the
        // name after a role.
        if let Some(k) = gap_at
            && let Some(&next) = words.get(k)
            && self.chars[words[k - 1].end..next.start]
                .iter()
                .all(|c| *c == ',' || c.is_whitespace())
            && let Some(run) = self
                .name_runs(Span::between(next.start, span.end))
                .into_iter()
                .next()
            && self.words[run.start] == next
            && let Some(name) = self.person(run.clone())
            && name.contains(' ')
        {
            let end = self.words[run.end - 1].end;
            return Some(self.found(Span::between(next.start, end)));
        }
        let span = Span::between(words.first()?.start, words[last].end);
        Some(self.found(span))
    }

    /// "X reported, quoting Y, that …": the relays before the source, from the source out.
    fn relay(&self, span: Span) -> Vec<String> {
        let range = self.words_in(span);
        let words = &self.words[range];
        let lower: Vec<String> = words.iter().map(|w| self.text(*w).to_lowercase()).collect();
        let Some(k) = lower.iter().position(|w| cues::RELAY.contains(&w.as_str())) else {
            return Vec::new();
        };
        // The outlet that quoted: the subject before the first verb of the sentence.
        let head_end = lower[..k]
            .iter()
            .position(|w| cues::is_speech_word(w))
            .unwrap_or(k);
        if head_end == 0 {
            return Vec::new();
        }
        let outlet = self.subject(Span::between(words[0].start, words[head_end - 1].end));
        outlet.map(|o| vec![o.text]).unwrap_or_default()
    }

    /// Whether a comma, a quote mark or a line end lies between two words.
    fn gap(&self, a: Span, b: Span) -> bool {
        self.chars[a.end..b.start].iter().any(|c| {
            matches!(
                c,
                ',' | ';'
                    | ':'
                    | '\n'
                    | '"'
                    | '“'
                    | '”'
                    | '«'
                    | '»'
                    | '('
                    | ')'
                    | '—'
                    | '–'
                    | '،'
                    | '，'
                    | '、'
                    | '：'
                    | '―'
            )
        })
    }

    fn find_char(&self, span: Span, wanted: &[char]) -> Option<usize> {
        (span.start..span.end).find(|&i| wanted.contains(&self.chars[i]))
    }

    /// Whether `at` begins a clause: the sentence's start or after a comma.
    fn is_clause_start(&self, at: usize, sentence: Span) -> bool {
        self.chars[sentence.start..at]
            .iter()
            .rev()
            .find(|c| !c.is_whitespace())
            .is_none_or(|c| matches!(c, ',' | ';' | ':'))
    }

    /// `span` without spaces and a trailing comma at its ends.
    fn trim(&self, span: Span) -> Span {
        let edge = |c: char| c.is_whitespace() || matches!(c, ',' | '，' | '、' | '،' | '：');
        let mut s = span;
        while s.start < s.end && edge(self.chars[s.start]) {
            s.start += 1;
        }
        while s.end > s.start && edge(self.chars[s.end - 1]) {
            s.end -= 1;
        }
        s
    }

    /// Fills `attributed_to`: the source's words, a pronoun or a person's role ("the
    /// spokeswoman") resolved to the nearest person's name before it, the registry's canonical
    /// name for either; and the canonical names of the relays. A body's role ("the company")
    /// stays as it is: the nearest name is seldom that body's.
    fn resolve(
        &self,
        s: &mut Suggestion,
        previous: Option<&(usize, String)>,
        registry: &SourceRegistry,
    ) {
        let Some(source) = &s.source else {
            return;
        };
        let text = cues::without_particle(&source.text);
        let name = if text.eq_ignore_ascii_case("it") {
            // "It said": the body that spoke last.
            previous.map(|(_, name)| name.clone())
        } else if cues::stands_for_person(&text) {
            // Scripts without capitals name no one this way: the last speaker, then.
            self.person_before(source.span.start)
                .or_else(|| previous.map(|(_, name)| name.clone()))
        } else {
            self.body_before(source)
        };
        let name = name.unwrap_or(text);
        s.attributed_to = Some(registry.canonical(&name));
        for v in &mut s.via {
            *v = registry.canonical(v);
        }
    }

    /// A quote without a cue is its neighbour's: the speaker of the attribution just before it
    /// in the same or the previous paragraph ("…,” she said. “We can wait.”), else the nearest
    /// person named before it.
    fn inherit(
        &self,
        s: &mut Suggestion,
        previous: Option<&(usize, String)>,
        registry: &SourceRegistry,
    ) {
        let start = s.extent().start;
        let near = previous.filter(|(end, _)| self.paragraph_breaks(*end, start) <= 1);
        let name = match near {
            Some((_, name)) => Some(name.clone()),
            None => self
                .adjacent_speaker(start)
                .or_else(|| self.person_before(start)),
        };
        s.attributed_to = name.map(|n| registry.canonical(&n));
    }

    /// The body a role phrase stands for: "the company" is the nearest name before it with
    /// "Company" in it ("Harlow Water Company").
    fn body_before(&self, source: &Found) -> Option<String> {
        let lower = source.text.to_lowercase();
        let noun = match lower.split_whitespace().collect::<Vec<_>>().as_slice() {
            ["the", noun] if cues::BODY_ROLES.contains(noun) => noun.to_string(),
            _ => return None,
        };
        let runs = self.name_runs(Span::between(0, source.span.start));
        runs.into_iter().rev().find_map(|r| {
            let words = &self.words[r];
            let has = words.iter().any(|w| self.text(*w).to_lowercase() == noun);
            let start = words
                .iter()
                .position(|w| !cues::NOT_NAMES.contains(&self.text(*w).as_str()))?;
            let last = self.body_end(*words.last()?);
            has.then(|| self.text(Span::between(words[start].start, last)))
                .filter(|name| name.contains(' '))
        })
    }

    /// Where a body's name that reaches `last` ends: after "of" and the capitalised words that
    /// go on with it ("National Association of Head Teachers").
    fn body_end(&self, last: Span) -> usize {
        let mut k = self.words.partition_point(|w| w.start < last.end);
        let mut end = last;
        while let (Some(&glue), Some(&next)) = (self.words.get(k), self.words.get(k + 1)) {
            let joined = !self.gap(end, glue) && !self.gap(glue, next);
            if !joined || !cues::JOINTS.contains(&self.text(glue).as_str()) {
                break;
            }
            if !starts_upper(&self.text(next)) {
                break;
            }
            k += 2;
            end = next;
            while let Some(&w) = self.words.get(k) {
                if !starts_upper(&self.text(w)) || self.gap(end, w) {
                    break;
                }
                end = w;
                k += 1;
            }
        }
        end.end
    }

    /// How many paragraph ends lie between two offsets.
    fn paragraph_breaks(&self, from: usize, to: usize) -> usize {
        (from..to.min(self.chars.len()))
            .filter(|&i| self.chars[i] == '\n' && (i == from || self.chars[i - 1] != '\n'))
            .count()
    }

    /// The person a pronoun or a role at `at` stands for: the first person named, outside
    /// quotes, in the nearest sentence that names one, its own sentence first.
    fn person_before(&self, at: usize) -> Option<String> {
        let here = self.sentences.partition_point(|s| s.start <= at);
        (here.saturating_sub(12)..here).rev().find_map(|k| {
            let s = self.sentences[k];
            let span = Span::between(s.start, s.end.min(at).max(s.start));
            self.name_runs(span)
                .into_iter()
                .find_map(|run| self.person(run))
        })
    }

    /// The runs of capitalised words in `span` outside quotes, as ranges of `words`.
    fn name_runs(&self, span: Span) -> Vec<std::ops::Range<usize>> {
        let words = self.words_in(span);
        let first = self.runs.partition_point(|r| r.end <= words.start);
        self.runs[first..]
            .iter()
            .take_while(|r| r.start < words.end)
            .map(|r| r.start.max(words.start)..r.end.min(words.end))
            .filter(|r| !r.is_empty())
            .collect()
    }

    /// The runs of capitalised words of one sentence, outside quotes.
    fn scan_runs(&self, span: Span) -> Vec<std::ops::Range<usize>> {
        let mut runs: Vec<std::ops::Range<usize>> = Vec::new();
        let mut open = false;
        for w in self.words_in(span) {
            let word = self.words[w];
            if !starts_upper(&self.text(word)) || self.in_quote(word.start) {
                open = false;
                continue;
            }
            match runs.last_mut() {
                Some(r) if open && !self.gap(self.words[r.end - 1], word) => r.end = w + 1,
                _ => runs.push(w..w + 1),
            }
            open = true;
        }
        runs
    }

    /// The person a run of capitalised words names: a name of two words or more ("Ana
    /// Ribeiro", "Mr Lee"), not a body's ("Lindmark Dockers' Union"), or the surname of a
    /// person named earlier ("Ribeiro").
    fn person(&self, run: std::ops::Range<usize>) -> Option<String> {
        match self.person_words(run.clone())?.as_slice() {
            [surname] => self.full_name(surname, self.words[run.start].start),
            words => Some(words.join(" ")),
        }
    }

    /// A name of two words or more that may be a person's.
    fn full_person(&self, run: std::ops::Range<usize>) -> Option<String> {
        let words = self.person_words(run)?;
        (words.len() >= 2).then(|| words.join(" "))
    }

    /// The words of a person's name in a run: without the words that open a sentence, none if
    /// the run names a body or a place.
    fn person_words(&self, run: std::ops::Range<usize>) -> Option<Vec<String>> {
        let mut words: Vec<String> = run.clone().map(|i| self.text(self.words[i])).collect();
        // "The", "Asked", "On": the words that open a sentence are no part of a name.
        while words
            .first()
            .is_some_and(|w| cues::NOT_NAMES.contains(&w.as_str()))
        {
            words.remove(0);
        }
        let body = words
            .iter()
            .any(|w| cues::BODIES.contains(&w.as_str()) || w.ends_with("'s") || w.ends_with("’s"));
        // "the Teme Valley Anglers" after "of", "Medio Ambiente" after "de": a body's or a place's.
        let after_joint = run.start > 0 && {
            let prev = self.words[run.start - 1];
            cues::JOINTS.contains(&self.text(prev).as_str())
                && !self.gap(prev, self.words[run.start])
        };
        (!body && !after_joint && !words.is_empty()).then_some(words)
    }

    /// The name of two words or more, before `at`, that ends in `surname`.
    fn full_name(&self, surname: &str, at: usize) -> Option<String> {
        let names = self.surnames.get(surname)?;
        names
            .first()
            .filter(|(start, _)| *start < at)
            .map(|(_, name)| name.clone())
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Side {
    Before,
    After,
    /// Between the pieces of an interrupted quote.
    Between,
}

/// The word spans of a text: runs of letters, digits, apostrophes and hyphens inside words.
fn words(chars: &[char]) -> Vec<Span> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        if chars[i].is_alphanumeric() {
            let start = i;
            // CJK runs are one word per character: they have no spaces between words.
            if is_cjk_char(chars[i]) {
                out.push(Span::between(i, i + 1));
                i += 1;
                continue;
            }
            while i < chars.len()
                && !is_cjk_char(chars[i])
                && (chars[i].is_alphanumeric()
                    || (matches!(chars[i], '\'' | '’' | '-' | '.')
                        && chars.get(i + 1).is_some_and(|c| c.is_alphanumeric())))
            {
                i += 1;
            }
            out.push(Span::between(start, i));
        } else {
            i += 1;
        }
    }
    out
}

/// Sentence spans: ends at `.`, `!`, `?` (and their CJK and Arabic forms) followed by a space
/// or a line end, and at line ends; abbreviations ("Mr.", "U.S.", an initial) do not end one.
/// Quotation marks are not looked into: a sentence ends after a closing mark that follows its
/// full stop.
fn sentences(chars: &[char]) -> Vec<Span> {
    let mut out = Vec::new();
    let mut start = 0;
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let end_here = if c == '\n' {
            Some(i)
        } else if matches!(c, '.' | '!' | '?' | '。' | '！' | '？' | '؟') {
            let mut j = i + 1;
            while j < chars.len() && matches!(chars[j], '"' | '”' | '’' | '»' | '」' | '』' | ')')
            {
                j += 1;
            }
            let full_width = matches!(c, '。' | '！' | '？');
            let next_space = j >= chars.len() || chars[j].is_whitespace() || full_width;
            (next_space && !abbreviation(chars, i)).then_some(j)
        } else {
            None
        };
        if let Some(end) = end_here {
            if chars[start..end].iter().any(|c| !c.is_whitespace()) {
                out.push(trim_span(chars, Span::between(start, end)));
            }
            start = end;
            i = end.max(i + 1);
            continue;
        }
        i += 1;
    }
    if chars[start..].iter().any(|c| !c.is_whitespace()) {
        out.push(trim_span(chars, Span::between(start, chars.len())));
    }
    out
}

/// Whether the full stop at `i` ends an abbreviation or an initial.
fn abbreviation(chars: &[char], i: usize) -> bool {
    if chars[i] != '.' {
        return false;
    }
    let start = chars[..i]
        .iter()
        .rposition(|c| !c.is_alphabetic())
        .map_or(0, |p| p + 1);
    let word: String = chars[start..i].iter().collect();
    word.chars().count() == 1 && word.chars().all(char::is_uppercase)
        || cues::TITLES.contains(&word.as_str())
        || matches!(
            word.as_str(),
            "U.S" | "e.g" | "i.e" | "etc" | "vs" | "No" | "St"
        )
}

fn trim_span(chars: &[char], span: Span) -> Span {
    let mut s = span;
    while s.start < s.end && chars[s.start].is_whitespace() {
        s.start += 1;
    }
    while s.end > s.start && chars[s.end - 1].is_whitespace() {
        s.end -= 1;
    }
    s
}

/// A sentence's end without its closing punctuation.
fn trim_end(chars: &[char], sentence: Span) -> usize {
    let mut end = sentence.end;
    while end > sentence.start
        && (chars[end - 1].is_whitespace()
            || matches!(chars[end - 1], '.' | '!' | '?' | '。' | '！' | '？' | '؟'))
    {
        end -= 1;
    }
    end
}

/// A mark after which a clause starts: a comma of any script, a colon, a dash.
fn is_clause_mark(c: char) -> bool {
    matches!(c, ',' | '،' | '，' | '、' | ':' | '：' | '—' | '―' | '–')
}

fn starts_upper(word: &str) -> bool {
    word.chars().next().is_some_and(char::is_uppercase)
}

fn is_hangul(c: char) -> bool {
    matches!(c as u32, 0xAC00..=0xD7AF)
}

/// A word of Han, kana or Hangul.
fn is_dense(word: &str) -> bool {
    word.chars()
        .next()
        .is_some_and(|c| is_cjk_char(c) || is_hangul(c))
}

/// Han and kana: scripts written without spaces between words.
fn is_cjk_char(c: char) -> bool {
    matches!(c as u32, 0x3040..=0x30FF | 0x3400..=0x4DBF | 0x4E00..=0x9FFF)
}

/// A word in a script without capitals (Han, kana, Hangul, Arabic): any may be a name.
fn is_cjk(word: &str) -> bool {
    word.chars()
        .next()
        .is_some_and(|c| is_cjk_char(c) || matches!(c as u32, 0xAC00..=0xD7AF | 0x0600..=0x06FF))
}

#[cfg(test)]
mod tests;
