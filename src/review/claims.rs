//! Every annotation of the index in compact columns: what filtering, sorting and the table
//! need, and no more than once.
//!
//! A [`ClaimRow`] per annotation took about a kilobyte (a dozen strings, each its own
//! allocation, and a lower-cased copy of the quote and note for the search); a folder tree
//! of two million annotations did not fit a laptop. [`Claims`] keeps every distinct tag,
//! source, status, author, confidence, tag label and link kind once (rows hold small
//! numbers), the quotes, notes, ids and times one after another in a few large strings, and
//! the per-row numbers in flat arrays. A row is materialised ([`Claims::get`]) only for what
//! is shown or printed; [`Claims`] answers the columns directly for filters, sorts and
//! counts. The text search compares case-insensitively without a lower-cased copy: ASCII
//! rows byte by byte, others lower-cased as they are searched.

use std::collections::HashMap;
use std::hash::BuildHasherDefault;

use super::ClaimRow;

/// "No value" for an optional interned string.
const NONE: u32 = u32::MAX;

/// A fast hash for short strings (interning).
#[derive(Default)]
pub(crate) struct Fnv(u64);

impl std::hash::Hasher for Fnv {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        let mut h = if self.0 == 0 {
            0xcbf29ce484222325
        } else {
            self.0
        };
        for b in bytes {
            h = (h ^ u64::from(*b)).wrapping_mul(0x100000001b3);
        }
        self.0 = h;
    }
}

/// One row's values as borrowed text: what [`Claims::push`] takes (from a [`ClaimRow`], or
/// straight from the bytes of the review's cache without allocating).
#[derive(Clone, Debug, Default)]
pub(crate) struct RowRef<'a> {
    pub article: usize,
    pub id: &'a str,
    pub tags: Vec<&'a str>,
    pub tag_closure: Vec<&'a str>,
    pub tag_label: &'a str,
    pub quote: &'a str,
    pub start: usize,
    pub end: usize,
    pub attributed_to: Option<&'a str>,
    pub via: Vec<&'a str>,
    pub reliability: Option<char>,
    pub credibility: Option<u8>,
    pub status: &'a str,
    pub confidence: Option<&'a str>,
    pub note: &'a str,
    pub author: &'a str,
    pub created: &'a str,
    pub modified: &'a str,
    pub orphaned: bool,
    pub links: Vec<(&'a str, &'a str)>,
}

impl<'a> RowRef<'a> {
    /// The borrowed values of a materialised row.
    pub(crate) fn of(c: &'a ClaimRow) -> Self {
        Self {
            article: c.article,
            id: &c.id,
            tags: c.tags.iter().map(String::as_str).collect(),
            tag_closure: c.tag_closure.iter().map(String::as_str).collect(),
            tag_label: &c.tag_label,
            quote: &c.quote,
            start: c.start,
            end: c.end,
            attributed_to: c.attributed_to.as_deref(),
            via: c.via.iter().map(String::as_str).collect(),
            reliability: c.reliability,
            credibility: c.credibility,
            status: &c.status,
            confidence: c.confidence.as_deref(),
            note: &c.note,
            author: &c.author,
            created: &c.created,
            modified: &c.modified,
            orphaned: c.orphaned,
            links: c
                .links
                .iter()
                .map(|(k, t)| (k.as_str(), t.as_str()))
                .collect(),
        }
    }
}

/// Every row of the index, in columns (see the module's documentation).
#[derive(Clone, Debug, Default)]
pub struct Claims {
    rows: usize,
    /// Every distinct short string: tag ids, names of sources, statuses, authors,
    /// confidences, tag labels, link kinds.
    strings: Vec<Box<str>>,
    lookup: HashMap<Box<str>, u32, BuildHasherDefault<Fnv>>,
    article: Vec<u32>,
    start: Vec<u32>,
    end: Vec<u32>,
    /// Row `i`'s tags are `tags[tag_start[i]..tag_start[i + 1]]`.
    tag_start: Vec<u32>,
    tags: Vec<u32>,
    /// Its tags with their ancestors (for "tag with children").
    closure_start: Vec<u32>,
    closure: Vec<u32>,
    label: Vec<u32>,
    /// `attributed_to` (when `attributed[i]`) then `via`.
    source_start: Vec<u32>,
    sources: Vec<u32>,
    attributed: Vec<bool>,
    /// The reliability letter as a byte (0: none), the credibility digit (0: none).
    reliability: Vec<u8>,
    credibility: Vec<u8>,
    status: Vec<u32>,
    confidence: Vec<u32>,
    author: Vec<u32>,
    orphaned: Vec<bool>,
    /// Quote then note of each row: row `i`'s quote is `text[text_start[i]..note_start[i]]`,
    /// its note `text[note_start[i]..text_start[i + 1]]`.
    text: String,
    text_start: Vec<usize>,
    note_start: Vec<usize>,
    /// The row's quote and note are ASCII (searched byte by byte).
    ascii: Vec<bool>,
    /// Ids, then created and modified times, one after another.
    ids: String,
    id_start: Vec<usize>,
    times: String,
    /// Row `i`'s created is `times[time_start[2i]..time_start[2i + 1]]`, modified the next.
    time_start: Vec<usize>,
    /// (row, kind, target id), in row order; most rows have none.
    links: Vec<(u32, u32, Box<str>)>,
}

impl PartialEq for Claims {
    /// The same rows (however the strings were numbered).
    fn eq(&self, other: &Self) -> bool {
        if self.rows != other.rows {
            return false;
        }
        if self.strings == other.strings {
            // Numbered alike (the same rows scanned the same way): compare the columns.
            return self.article == other.article
                && self.start == other.start
                && self.end == other.end
                && self.tag_start == other.tag_start
                && self.tags == other.tags
                && self.closure_start == other.closure_start
                && self.closure == other.closure
                && self.label == other.label
                && self.source_start == other.source_start
                && self.sources == other.sources
                && self.attributed == other.attributed
                && self.reliability == other.reliability
                && self.credibility == other.credibility
                && self.status == other.status
                && self.confidence == other.confidence
                && self.author == other.author
                && self.orphaned == other.orphaned
                && self.text_start == other.text_start
                && self.note_start == other.note_start
                && self.text == other.text
                && self.id_start == other.id_start
                && self.ids == other.ids
                && self.time_start == other.time_start
                && self.times == other.times
                && self.links == other.links;
        }
        (0..self.rows).all(|i| self.get(i) == other.get(i))
    }
}

fn small(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

impl Claims {
    /// The columns of these rows.
    pub fn from_rows(rows: &[ClaimRow]) -> Self {
        let mut out = Self::default();
        for r in rows {
            out.push(&RowRef::of(r));
        }
        out
    }

    /// Every row, materialised (for tests and small indexes; the app asks for rows one at a
    /// time).
    pub fn to_rows(&self) -> Vec<ClaimRow> {
        (0..self.rows).filter_map(|i| self.get(i)).collect()
    }

    /// Every row, materialised one at a time (each is allocated: for small indexes and
    /// tests; filters and sorts read the columns).
    pub fn iter(&self) -> impl Iterator<Item = ClaimRow> + '_ {
        (0..self.rows).filter_map(|i| self.get(i))
    }

    /// How many rows.
    pub fn len(&self) -> usize {
        self.rows
    }

    /// True when there are no rows.
    pub fn is_empty(&self) -> bool {
        self.rows == 0
    }

    fn intern(&mut self, s: &str) -> u32 {
        if let Some(&id) = self.lookup.get(s) {
            return id;
        }
        let id = small(self.strings.len());
        self.strings.push(s.into());
        self.lookup.insert(s.into(), id);
        id
    }

    fn start_columns(&mut self) {
        if self.tag_start.is_empty() {
            self.tag_start.push(0);
            self.closure_start.push(0);
            self.source_start.push(0);
            self.text_start.push(0);
            self.id_start.push(0);
            self.time_start.push(0);
        }
    }

    /// Adds a row at the end.
    pub(crate) fn push(&mut self, c: &RowRef) {
        self.start_columns();
        let row = small(self.rows);
        self.rows += 1;
        self.article.push(small(c.article));
        self.start.push(small(c.start));
        self.end.push(small(c.end));
        for t in &c.tags {
            let id = self.intern(t);
            self.tags.push(id);
        }
        self.tag_start.push(small(self.tags.len()));
        for t in &c.tag_closure {
            let id = self.intern(t);
            self.closure.push(id);
        }
        self.closure_start.push(small(self.closure.len()));
        let label = self.intern(c.tag_label);
        self.label.push(label);
        for who in c.attributed_to.iter().chain(&c.via) {
            let id = self.intern(who);
            self.sources.push(id);
        }
        self.source_start.push(small(self.sources.len()));
        self.attributed.push(c.attributed_to.is_some());
        self.reliability.push(
            c.reliability
                .and_then(|r| u8::try_from(r).ok())
                .unwrap_or(0),
        );
        self.credibility.push(c.credibility.unwrap_or(0));
        let status = self.intern(c.status);
        self.status.push(status);
        let confidence = c.confidence.map_or(NONE, |v| self.intern(v));
        self.confidence.push(confidence);
        let author = self.intern(c.author);
        self.author.push(author);
        self.orphaned.push(c.orphaned);
        self.text.push_str(c.quote);
        self.note_start.push(self.text.len());
        self.text.push_str(c.note);
        self.text_start.push(self.text.len());
        self.ascii.push(c.quote.is_ascii() && c.note.is_ascii());
        self.ids.push_str(c.id);
        self.id_start.push(self.ids.len());
        self.times.push_str(c.created);
        self.time_start.push(self.times.len());
        self.times.push_str(c.modified);
        self.time_start.push(self.times.len());
        for (kind, target) in &c.links {
            let kind = self.intern(kind);
            self.links.push((row, kind, (*target).into()));
        }
    }

    /// The rows of `parts`, one part after another; each column grows once (appending the
    /// parts one by one would copy the first part's columns once per part after it).
    pub(crate) fn concat(parts: Vec<Claims>) -> Claims {
        let mut parts = parts.into_iter().filter(|c| c.rows > 0);
        let Some(mut all) = parts.next() else {
            return Claims::default();
        };
        let rest: Vec<Claims> = parts.collect();
        all.reserve_for(&rest);
        for part in rest {
            all.append(part);
        }
        all
    }

    /// Room for the rows of `others` (exactly: growing by doubling would leave up to half
    /// unused).
    fn reserve_for(&mut self, others: &[Claims]) {
        let sum = |f: fn(&Claims) -> usize| others.iter().map(f).sum::<usize>();
        let rows = sum(|c| c.rows);
        self.article.reserve_exact(rows);
        self.start.reserve_exact(rows);
        self.end.reserve_exact(rows);
        self.tag_start.reserve_exact(rows);
        self.tags.reserve_exact(sum(|c| c.tags.len()));
        self.closure_start.reserve_exact(rows);
        self.closure.reserve_exact(sum(|c| c.closure.len()));
        self.label.reserve_exact(rows);
        self.source_start.reserve_exact(rows);
        self.sources.reserve_exact(sum(|c| c.sources.len()));
        self.attributed.reserve_exact(rows);
        self.reliability.reserve_exact(rows);
        self.credibility.reserve_exact(rows);
        self.status.reserve_exact(rows);
        self.confidence.reserve_exact(rows);
        self.author.reserve_exact(rows);
        self.orphaned.reserve_exact(rows);
        self.text.reserve_exact(sum(|c| c.text.len()));
        self.text_start.reserve_exact(rows);
        self.note_start.reserve_exact(rows);
        self.ascii.reserve_exact(rows);
        self.ids.reserve_exact(sum(|c| c.ids.len()));
        self.id_start.reserve_exact(rows);
        self.times.reserve_exact(sum(|c| c.times.len()));
        self.time_start.reserve_exact(2 * rows);
        self.links.reserve_exact(sum(|c| c.links.len()));
    }

    /// Adds the rows of `other` after these.
    pub(crate) fn append(&mut self, other: Claims) {
        if other.rows == 0 {
            return;
        }
        if self.rows == 0 {
            *self = other;
            return;
        }
        self.reserve_for(std::slice::from_ref(&other));
        let remap: Vec<u32> = other.strings.iter().map(|s| self.intern(s)).collect();
        let map = |ids: &[u32]| -> Vec<u32> { ids.iter().map(|&t| remap[t as usize]).collect() };
        let shift32 = |starts: &[u32], by: usize| -> Vec<u32> {
            starts.iter().skip(1).map(|&o| o + small(by)).collect()
        };
        let shift = |starts: &[usize], by: usize| -> Vec<usize> {
            starts.iter().skip(1).map(|&o| o + by).collect()
        };
        let row = small(self.rows);
        self.rows += other.rows;
        self.article.extend(other.article);
        self.start.extend(other.start);
        self.end.extend(other.end);
        self.tag_start
            .extend(shift32(&other.tag_start, self.tags.len()));
        self.tags.extend(map(&other.tags));
        self.closure_start
            .extend(shift32(&other.closure_start, self.closure.len()));
        self.closure.extend(map(&other.closure));
        self.label.extend(map(&other.label));
        self.source_start
            .extend(shift32(&other.source_start, self.sources.len()));
        self.sources.extend(map(&other.sources));
        self.attributed.extend(other.attributed);
        self.reliability.extend(other.reliability);
        self.credibility.extend(other.credibility);
        self.status.extend(map(&other.status));
        self.confidence.extend(
            other
                .confidence
                .iter()
                .map(|&c| if c == NONE { NONE } else { remap[c as usize] }),
        );
        self.author.extend(map(&other.author));
        self.orphaned.extend(other.orphaned);
        let text = self.text.len();
        self.text.push_str(&other.text);
        self.text_start.extend(shift(&other.text_start, text));
        self.note_start
            .extend(other.note_start.iter().map(|&o| o + text));
        self.ascii.extend(other.ascii);
        self.id_start.extend(shift(&other.id_start, self.ids.len()));
        self.ids.push_str(&other.ids);
        self.time_start
            .extend(shift(&other.time_start, self.times.len()));
        self.times.push_str(&other.times);
        self.links.extend(
            other
                .links
                .into_iter()
                .map(|(r, k, t)| (r + row, remap[k as usize], t)),
        );
    }

    /// Releases spare capacity (after the last row was added).
    pub(crate) fn shrink(&mut self) {
        self.article.shrink_to_fit();
        self.start.shrink_to_fit();
        self.end.shrink_to_fit();
        self.tags.shrink_to_fit();
        self.tag_start.shrink_to_fit();
        self.closure.shrink_to_fit();
        self.closure_start.shrink_to_fit();
        self.label.shrink_to_fit();
        self.sources.shrink_to_fit();
        self.source_start.shrink_to_fit();
        self.attributed.shrink_to_fit();
        self.reliability.shrink_to_fit();
        self.credibility.shrink_to_fit();
        self.status.shrink_to_fit();
        self.confidence.shrink_to_fit();
        self.author.shrink_to_fit();
        self.orphaned.shrink_to_fit();
        self.text.shrink_to_fit();
        self.text_start.shrink_to_fit();
        self.note_start.shrink_to_fit();
        self.ascii.shrink_to_fit();
        self.ids.shrink_to_fit();
        self.id_start.shrink_to_fit();
        self.times.shrink_to_fit();
        self.time_start.shrink_to_fit();
        self.links.shrink_to_fit();
    }

    /// Row `i`, materialised; `None` past the end.
    pub fn get(&self, i: usize) -> Option<ClaimRow> {
        if i >= self.rows {
            return None;
        }
        let owned = |ids: &[u32]| -> Vec<String> {
            ids.iter()
                .map(|&t| self.strings[t as usize].to_string())
                .collect()
        };
        let sources = self.sources_of(i);
        let (attributed_to, via) = if self.attributed[i] {
            (
                sources
                    .first()
                    .map(|&s| self.strings[s as usize].to_string()),
                owned(sources.get(1..).unwrap_or_default()),
            )
        } else {
            (None, owned(sources))
        };
        Some(ClaimRow {
            article: self.article(i),
            id: self.id(i).to_owned(),
            tags: owned(self.tag_ids(i)),
            tag_closure: owned(self.closure_of(i)),
            tag_label: self.tag_label(i).to_owned(),
            quote: self.quote(i).to_owned(),
            start: self.start[i] as usize,
            end: self.end[i] as usize,
            attributed_to,
            via,
            reliability: self.reliability(i),
            credibility: self.credibility(i),
            status: self.status(i).to_owned(),
            confidence: self.confidence(i).map(str::to_owned),
            note: self.note(i).to_owned(),
            author: self.author(i).to_owned(),
            created: self.created(i).to_owned(),
            modified: self.modified(i).to_owned(),
            orphaned: self.orphaned[i],
            links: self
                .links(i)
                .map(|(k, t)| (k.to_owned(), t.to_owned()))
                .collect(),
        })
    }

    /// Row `i`'s values, borrowed (`article` as stored; a scan that takes the row into another
    /// index sets its own).
    pub(crate) fn row_ref(&self, i: usize) -> RowRef<'_> {
        RowRef {
            article: self.article(i),
            id: self.id(i),
            tags: self.tags(i).collect(),
            tag_closure: self
                .closure_of(i)
                .iter()
                .map(|&t| &*self.strings[t as usize])
                .collect(),
            tag_label: self.tag_label(i),
            quote: self.quote(i),
            start: self.start[i] as usize,
            end: self.end[i] as usize,
            attributed_to: self.attributed_to(i),
            via: self.via(i).collect(),
            reliability: self.reliability(i),
            credibility: self.credibility(i),
            status: self.status(i),
            confidence: self.confidence(i),
            note: self.note(i),
            author: self.author(i),
            created: self.created(i),
            modified: self.modified(i),
            orphaned: self.orphaned[i],
            links: self.links(i).collect(),
        }
    }

    /// Every distinct short string (the numbers the `*_ids` accessors give index it).
    pub(crate) fn strings(&self) -> &[Box<str>] {
        &self.strings
    }

    /// Row `i`'s article (index into [`super::Index::articles`]).
    pub fn article(&self, i: usize) -> usize {
        self.article[i] as usize
    }

    /// Row `i`'s annotation id.
    pub fn id(&self, i: usize) -> &str {
        &self.ids[self.id_start[i]..self.id_start[i + 1]]
    }

    /// Row `i`'s quote.
    pub fn quote(&self, i: usize) -> &str {
        &self.text[self.text_start[i]..self.note_start[i]]
    }

    /// Row `i`'s note.
    pub fn note(&self, i: usize) -> &str {
        &self.text[self.note_start[i]..self.text_start[i + 1]]
    }

    /// Row `i`'s tag ids.
    pub fn tags(&self, i: usize) -> impl Iterator<Item = &str> {
        self.tag_ids(i).iter().map(|&t| &*self.strings[t as usize])
    }

    pub(crate) fn tag_ids(&self, i: usize) -> &[u32] {
        &self.tags[self.tag_start[i] as usize..self.tag_start[i + 1] as usize]
    }

    /// Row `i`'s tags with their ancestors, as numbers into [`Claims::strings`].
    pub(crate) fn closure_of(&self, i: usize) -> &[u32] {
        &self.closure[self.closure_start[i] as usize..self.closure_start[i + 1] as usize]
    }

    /// Row `i`'s source and outlets, as numbers into [`Claims::strings`].
    pub(crate) fn sources_of(&self, i: usize) -> &[u32] {
        &self.sources[self.source_start[i] as usize..self.source_start[i + 1] as usize]
    }

    /// Row `i`'s tag paths, joined by ", ".
    pub fn tag_label(&self, i: usize) -> &str {
        &self.strings[self.label[i] as usize]
    }

    /// Who row `i`'s claim is attributed to.
    pub fn attributed_to(&self, i: usize) -> Option<&str> {
        self.attributed[i].then(|| &*self.strings[self.sources_of(i)[0] as usize])
    }

    /// The outlets row `i`'s claim passed through.
    pub fn via(&self, i: usize) -> impl Iterator<Item = &str> {
        let skip = usize::from(self.attributed[i]);
        self.sources_of(i)
            .iter()
            .skip(skip)
            .map(|&s| &*self.strings[s as usize])
    }

    /// True when row `i` has no `via`.
    pub fn via_is_empty(&self, i: usize) -> bool {
        self.sources_of(i).len() <= usize::from(self.attributed[i])
    }

    pub fn reliability(&self, i: usize) -> Option<char> {
        (self.reliability[i] != 0).then(|| char::from(self.reliability[i]))
    }

    pub(crate) fn reliability_byte(&self, i: usize) -> u8 {
        self.reliability[i]
    }

    pub fn credibility(&self, i: usize) -> Option<u8> {
        (self.credibility[i] != 0).then_some(self.credibility[i])
    }

    pub fn status(&self, i: usize) -> &str {
        &self.strings[self.status[i] as usize]
    }

    pub(crate) fn status_id(&self, i: usize) -> u32 {
        self.status[i]
    }

    pub fn confidence(&self, i: usize) -> Option<&str> {
        let c = self.confidence[i];
        (c != NONE).then(|| &*self.strings[c as usize])
    }

    pub fn author(&self, i: usize) -> &str {
        &self.strings[self.author[i] as usize]
    }

    pub(crate) fn author_id(&self, i: usize) -> u32 {
        self.author[i]
    }

    pub fn created(&self, i: usize) -> &str {
        &self.times[self.time_start[2 * i]..self.time_start[2 * i + 1]]
    }

    pub fn modified(&self, i: usize) -> &str {
        &self.times[self.time_start[2 * i + 1]..self.time_start[2 * i + 2]]
    }

    pub fn orphaned(&self, i: usize) -> bool {
        self.orphaned[i]
    }

    /// Row `i`'s code-point span in its article.
    pub fn span(&self, i: usize) -> (usize, usize) {
        (self.start[i] as usize, self.end[i] as usize)
    }

    /// Row `i`'s links: (kind label, target id).
    pub fn links(&self, i: usize) -> impl Iterator<Item = (&str, &str)> {
        let row = small(i);
        let from = self.links.partition_point(|(r, _, _)| *r < row);
        self.links[from..]
            .iter()
            .take_while(move |(r, _, _)| *r == row)
            .map(|(_, k, t)| (&*self.strings[*k as usize], &**t))
    }

    /// Every link: (row, kind label, target id), in row order.
    pub fn all_links(&self) -> impl Iterator<Item = (usize, &str, &str)> {
        self.links
            .iter()
            .map(|(r, k, t)| (*r as usize, &*self.strings[*k as usize], &**t))
    }

    /// Every name used as a source or outlet, each once (in the order first used).
    pub fn source_names(&self) -> impl Iterator<Item = &str> {
        let mut seen = vec![false; self.strings.len()];
        let mut out = Vec::new();
        for &s in &self.sources {
            if !std::mem::replace(&mut seen[s as usize], true) {
                out.push(&*self.strings[s as usize]);
            }
        }
        out.into_iter()
    }

    /// True when row `i`'s quote or note contains `needle` ignoring case (`needle`: already
    /// lower-cased).
    pub(crate) fn text_contains(&self, i: usize, needle: &str) -> bool {
        let quote = self.quote(i);
        let note = self.note(i);
        if self.ascii[i] && needle.is_ascii() {
            return contains_ascii_ci(quote, needle) || contains_ascii_ci(note, needle);
        }
        // Lower-casing can change lengths outside ASCII: search the lower-cased text, with the
        // newline the search never crosses between quote and note.
        let mut hay = quote.to_lowercase();
        hay.push('\n');
        hay.push_str(&note.to_lowercase());
        hay.contains(needle)
    }

    /// Bytes held, roughly (for the benchmark and the library's details).
    pub fn heap_bytes(&self) -> usize {
        let strings: usize = self.strings.iter().map(|s| s.len() + 16).sum::<usize>() * 2;
        strings
            + self.text.capacity()
            + self.ids.capacity()
            + self.times.capacity()
            + (self.text_start.capacity()
                + self.note_start.capacity()
                + self.id_start.capacity()
                + self.time_start.capacity())
                * 8
            + (self.article.capacity()
                + self.start.capacity()
                + self.end.capacity()
                + self.tags.capacity()
                + self.tag_start.capacity()
                + self.closure.capacity()
                + self.closure_start.capacity()
                + self.label.capacity()
                + self.sources.capacity()
                + self.source_start.capacity()
                + self.status.capacity()
                + self.confidence.capacity()
                + self.author.capacity())
                * 4
            + self.attributed.capacity()
            + self.reliability.capacity()
            + self.credibility.capacity()
            + self.orphaned.capacity()
            + self.ascii.capacity()
            + self.links.iter().map(|l| l.2.len() + 24).sum::<usize>()
    }
}

/// `hay` contains `needle` (ASCII, lower-case) ignoring ASCII case.
fn contains_ascii_ci(hay: &str, needle: &str) -> bool {
    let (hay, needle) = (hay.as_bytes(), needle.as_bytes());
    if needle.is_empty() {
        return true;
    }
    if needle.len() > hay.len() {
        return false;
    }
    let first = needle[0];
    let upper = first.to_ascii_uppercase();
    let mut i = 0;
    let last = hay.len() - needle.len();
    while i <= last {
        let b = hay[i];
        if (b == first || b == upper)
            && hay[i + 1..i + needle.len()]
                .iter()
                .zip(&needle[1..])
                .all(|(h, n)| h.to_ascii_lowercase() == *n)
        {
            return true;
        }
        i += 1;
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(article: usize, id: &str, quote: &str, note: &str) -> ClaimRow {
        ClaimRow {
            article,
            id: id.into(),
            tags: vec!["claim".into()],
            tag_closure: vec!["claim".into()],
            tag_label: "Claim".into(),
            quote: quote.into(),
            start: 3,
            end: 9,
            attributed_to: Some("KCNA".into()),
            via: vec!["Yonhap".into(), "Reuters".into()],
            reliability: Some('B'),
            credibility: Some(2),
            status: "disputed".into(),
            confidence: None,
            note: note.into(),
            author: "ana".into(),
            created: "2024-01-01T00:00:00Z".into(),
            modified: "2024-01-02T00:00:00Z".into(),
            orphaned: false,
            links: vec![("same claim as".into(), "x".into())],
        }
    }

    #[test]
    fn rows_come_back_as_they_went_in_also_after_append() {
        let mut a = row(0, "a", "Grain “exports” rose", "");
        a.attributed_to = None;
        a.links.clear();
        let mut b = row(1, "b", "Straße", "Checked twice");
        b.confidence = Some("high".into());
        b.tags = vec!["claim".into(), "statistic".into()];
        b.tag_closure = vec!["claim".into(), "statistic".into()];
        b.via.clear();
        b.reliability = None;
        b.orphaned = true;
        let c = row(2, "c", "", "");
        let rows = vec![a.clone(), b.clone(), c.clone()];
        let whole = Claims::from_rows(&rows);
        assert_eq!(whole.to_rows(), rows);
        let mut first = Claims::from_rows(&rows[..1]);
        first.append(Claims::from_rows(&rows[1..]));
        assert_eq!(first.to_rows(), rows);
        assert_eq!(first, whole);
        // Parts joined at once, empty ones among them (a run of articles with no rows).
        let parts = vec![
            Claims::default(),
            Claims::from_rows(&rows[..1]),
            Claims::default(),
            Claims::from_rows(&rows[1..2]),
            Claims::from_rows(&rows[2..]),
        ];
        let joined = Claims::concat(parts);
        assert_eq!(joined.to_rows(), rows);
        assert_eq!(joined, whole);
        assert_eq!(
            Claims::concat(vec![Claims::default(); 2]),
            Claims::default()
        );
        assert_eq!(whole.attributed_to(0), None);
        assert_eq!(whole.via(0).collect::<Vec<_>>(), ["Yonhap", "Reuters"]);
        assert!(whole.via_is_empty(1));
        assert_eq!(whole.links(2).collect::<Vec<_>>(), [("same claim as", "x")]);
        assert_eq!(whole.links(0).count(), 0);
        assert_eq!(whole.get(3), None);
    }

    #[test]
    fn the_search_ignores_case_in_every_script_and_never_spans_quote_and_note() {
        let rows = vec![
            row(0, "a", "The HARBOUR closed", "wire copy"),
            row(0, "b", "ÉTÉ à Paris", "Straße"),
            row(0, "c", "ends with har", "bour begins the note"),
        ];
        let claims = Claims::from_rows(&rows);
        assert!(claims.text_contains(0, "harbour"));
        assert!(claims.text_contains(0, "wire"));
        assert!(!claims.text_contains(0, "closedwire"));
        assert!(claims.text_contains(1, "été"));
        assert!(claims.text_contains(1, "paris"));
        assert!(claims.text_contains(1, "straße"));
        assert!(!claims.text_contains(2, "harbour"));
        assert!(contains_ascii_ci("abcABC", "cab"));
        assert!(!contains_ascii_ci("ab", "abc"));
    }
}
