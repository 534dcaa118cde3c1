//! Which claims of the index to show, and in what order.
//!
//! [`apply`] resolves the filter's names once (tags by id, name or path with their children;
//! a source by name or alias to all its names) against the distinct strings of the index's
//! [`FilterKeys`], then tests each row with array look-ups (and a substring search for the
//! text), so that filtering 200,000 rows fits well in a frame. [`sort`] orders rows by any
//! column, stably, text case-insensitively, empty values last in either direction.

use std::cmp::Ordering;
use std::collections::HashMap;
use std::hash::BuildHasherDefault;

use super::{ClaimRow, Index};
use crate::model::Status;
use crate::model::claim::parse_grade;

/// What the claims table shows. Every part is optional (empty or blank: no condition); a row
/// must pass every part that is set.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Filter {
    /// Tag ids, names or paths ("Claim/Statistic"), ignoring case: a row passes if it has any
    /// of them or one of their descendants.
    pub tags: Vec<String>,
    /// A source's name or alias: a row passes if it is attributed to that source or passed
    /// through it (a `via` entry), under any of the source's names in the registries.
    pub source: Option<String>,
    /// unverified, corroborated, disputed, refuted: a row passes if it has any of them.
    pub statuses: Vec<String>,
    /// An Admiralty grade, `B2`, `B` (any credibility) or `2` (any reliability). A grade that
    /// does not parse matches nothing.
    pub grade: Option<String>,
    /// The annotation's author, ignoring case.
    pub author: Option<String>,
    /// The article's date from (`YYYY-MM-DD`, inclusive; `YYYY-MM` or `YYYY` also work).
    pub since: Option<String>,
    /// The article's date until (`YYYY-MM-DD`, inclusive; `YYYY-MM` means to the end of that
    /// month). With `since` or `until` set, articles without a date are left out.
    pub until: Option<String>,
    /// Case-insensitive text searched for in the quote and the note.
    pub search: String,
}

fn set(value: &Option<String>) -> Option<&str> {
    value.as_deref().map(str::trim).filter(|v| !v.is_empty())
}

fn nonblank(values: &[String]) -> impl Iterator<Item = &str> {
    values.iter().map(|v| v.trim()).filter(|v| !v.is_empty())
}

impl Filter {
    /// True when the filter lets every row through.
    pub fn is_empty(&self) -> bool {
        nonblank(&self.tags).next().is_none()
            && set(&self.source).is_none()
            && nonblank(&self.statuses).next().is_none()
            && set(&self.grade).is_none()
            && set(&self.author).is_none()
            && set(&self.since).is_none()
            && set(&self.until).is_none()
            && self.search.trim().is_empty()
    }
}

/// Equal ignoring case (ASCII quickly, other scripts by their lower-case forms).
fn eq_ci(a: &str, b: &str) -> bool {
    if a.len() == b.len() && a.eq_ignore_ascii_case(b) {
        return true;
    }
    if a.is_ascii() && b.is_ascii() {
        return false;
    }
    a.chars()
        .flat_map(char::to_lowercase)
        .eq(b.chars().flat_map(char::to_lowercase))
}

/// The filter with every name resolved against the index: a yes/no per distinct string of
/// [`FilterKeys`] for each condition that is set.
struct Compiled {
    /// Strings that are a wanted tag id (a row's tag closure must hold one).
    tags: Option<Vec<bool>>,
    /// Strings that are a name of the wanted source.
    source: Option<Vec<bool>>,
    statuses: Option<Vec<bool>>,
    authors: Option<Vec<bool>>,
    /// Reliability letter and credibility digit wanted (`None` inside: either).
    grade: Option<(Option<u8>, Option<u8>)>,
    /// Per article: inside the date range; `None`: no date condition.
    articles: Option<Vec<bool>>,
    search: Option<String>,
    /// A condition that nothing can meet (a grade that does not parse).
    nothing: bool,
}

impl Compiled {
    fn new(index: &Index, keys: &FilterKeys, filter: &Filter) -> Self {
        let strings = &keys.strings;
        let mask = |test: &dyn Fn(&str) -> bool| -> Vec<bool> {
            strings.iter().map(|s| test(s)).collect()
        };
        let tags: Vec<String> = nonblank(&filter.tags)
            .flat_map(|t| {
                let found: Vec<String> = index
                    .tags
                    .iter()
                    .filter(|info| {
                        eq_ci(&info.id, t) || eq_ci(&info.name, t) || eq_ci(&info.path, t)
                    })
                    .map(|info| info.id.clone())
                    .collect();
                // A tag no codebook knows may still be on annotations: match it as an id.
                if found.is_empty() {
                    vec![t.to_owned()]
                } else {
                    found
                }
            })
            .collect();
        let tags = (!tags.is_empty()).then(|| mask(&|s| tags.iter().any(|t| t == s)));
        let source = set(&filter.source).map(|wanted| {
            let mut names = vec![wanted.to_owned()];
            for group in &index.sources {
                if group.iter().any(|n| eq_ci(n.trim(), wanted)) {
                    names.extend(group.iter().map(|n| n.trim().to_owned()));
                }
            }
            mask(&|s| names.iter().any(|n| eq_ci(n, s)))
        });
        let statuses: Vec<&str> = nonblank(&filter.statuses).collect();
        let statuses =
            (!statuses.is_empty()).then(|| mask(&|s| statuses.iter().any(|w| eq_ci(w, s))));
        let authors = set(&filter.author).map(|a| mask(&|s| eq_ci(a, s)));
        let mut nothing = false;
        let grade = set(&filter.grade).map(|g| match parse_grade(g) {
            Ok((r, c)) => (r.map(|r| r.letter() as u8), c.map(|c| c.digit())),
            Err(_) => {
                nothing = true;
                (None, None)
            }
        });
        let (since, until) = (set(&filter.since), set(&filter.until));
        let articles = (since.is_some() || until.is_some()).then(|| {
            index
                .articles
                .iter()
                .map(|a| {
                    a.date.as_deref().is_some_and(|d| {
                        since.is_none_or(|s| d >= s)
                            && until.is_none_or(|u| d.get(..u.len()).unwrap_or(d) <= u)
                    })
                })
                .collect()
        });
        let search = filter.search.trim();
        Self {
            tags,
            source,
            statuses,
            authors,
            grade,
            articles,
            search: (!search.is_empty()).then(|| search.to_lowercase()),
            nothing,
        }
    }

    /// Row `i` passes everything but the text search.
    fn keys_match(&self, k: &FilterKeys, i: usize) -> bool {
        let any = |mask: &[bool], ids: &[u32]| ids.iter().any(|&s| mask[s as usize]);
        if let Some(articles) = &self.articles
            && !articles[k.article[i] as usize]
        {
            return false;
        }
        if let Some(mask) = &self.statuses
            && !mask[k.status[i] as usize]
        {
            return false;
        }
        if let Some((r, d)) = self.grade
            && (r.is_some_and(|r| k.reliability[i] != r)
                || d.is_some_and(|d| k.credibility[i] != d))
        {
            return false;
        }
        if let Some(mask) = &self.tags
            && !any(mask, k.tags_of(i))
        {
            return false;
        }
        if let Some(mask) = &self.source
            && !any(mask, k.sources_of(i))
        {
            return false;
        }
        if let Some(mask) = &self.authors
            && !mask[k.author[i] as usize]
        {
            return false;
        }
        true
    }
}

/// Compact copies of what the filter compares, one entry per row of [`Index::claims`]: every
/// distinct string once, and per row small numbers in flat arrays, so that a filter reads a
/// few megabytes in order instead of following pointers into every row. Derived from the
/// rows ([`FilterKeys::build`]); the scan builds them, and [`apply`] builds its own when they
/// do not cover the rows (after rows were added or removed). Code that changes rows in place
/// must rebuild them: `index.keys = FilterKeys::build(&index.claims)`.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct FilterKeys {
    rows: usize,
    /// Every distinct tag id, source name, status and author.
    strings: Vec<String>,
    article: Vec<u32>,
    /// Row `i`'s tag closure is `tags[tag_start[i]..tag_start[i + 1]]`.
    tag_start: Vec<u32>,
    tags: Vec<u32>,
    /// Row `i`'s `attributed_to` and `via` names.
    source_start: Vec<u32>,
    sources: Vec<u32>,
    status: Vec<u32>,
    author: Vec<u32>,
    /// The reliability letter as a byte (0: none), the credibility digit (0: none).
    reliability: Vec<u8>,
    credibility: Vec<u8>,
    /// Every row's `haystack`, one after another: row `i`'s is
    /// `text[text_start[i]..text_start[i + 1]]`.
    text: String,
    text_start: Vec<usize>,
}

/// A fast hash for short strings (interning while building [`FilterKeys`]).
#[derive(Default)]
struct Fnv(u64);

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

/// The ids of the strings of one [`FilterKeys`], while it is built.
#[derive(Default)]
pub(crate) struct Interner(HashMap<String, u32, BuildHasherDefault<Fnv>>);

impl FilterKeys {
    /// The keys of `claims`.
    pub fn build(claims: &[ClaimRow]) -> Self {
        let mut keys = FilterKeys::default();
        let mut interner = Interner::default();
        for c in claims {
            keys.push(c, &mut interner);
        }
        keys
    }

    fn intern(&mut self, interner: &mut Interner, s: &str) -> u32 {
        let s = s.trim();
        if let Some(&id) = interner.0.get(s) {
            return id;
        }
        let id = self.strings.len() as u32;
        self.strings.push(s.to_owned());
        interner.0.insert(s.to_owned(), id);
        id
    }

    /// Adds the keys of the next row (`interner`: the one used for every row so far).
    pub(crate) fn push(&mut self, c: &ClaimRow, interner: &mut Interner) {
        if self.tag_start.is_empty() {
            self.tag_start.push(0);
            self.source_start.push(0);
            self.text_start.push(0);
        }
        self.rows += 1;
        self.article.push(c.article as u32);
        for t in &c.tag_closure {
            let id = self.intern(interner, t);
            self.tags.push(id);
        }
        self.tag_start.push(self.tags.len() as u32);
        for who in c.attributed_to.iter().chain(&c.via) {
            let id = self.intern(interner, who);
            self.sources.push(id);
        }
        self.source_start.push(self.sources.len() as u32);
        let status = self.intern(interner, &c.status);
        self.status.push(status);
        let author = self.intern(interner, &c.author);
        self.author.push(author);
        self.reliability.push(c.reliability.map_or(0, |r| r as u8));
        self.credibility.push(c.credibility.unwrap_or(0));
        self.text.push_str(&c.haystack);
        self.text_start.push(self.text.len());
    }

    /// Adds the keys of the rows after these (`interner`: the one these were built with).
    pub(crate) fn append(&mut self, interner: &mut Interner, other: FilterKeys) {
        if other.rows == 0 {
            return;
        }
        let remap: Vec<u32> = other
            .strings
            .iter()
            .map(|s| self.intern(interner, s))
            .collect();
        if self.tag_start.is_empty() {
            self.tag_start.push(0);
            self.source_start.push(0);
            self.text_start.push(0);
        }
        let (tags, sources) = (self.tags.len() as u32, self.sources.len() as u32);
        let text = self.text.len();
        self.text.push_str(&other.text);
        self.text_start
            .extend(other.text_start.iter().skip(1).map(|&o| o + text));
        self.rows += other.rows;
        self.article.extend(other.article);
        self.tags
            .extend(other.tags.iter().map(|&t| remap[t as usize]));
        self.tag_start
            .extend(other.tag_start.iter().skip(1).map(|&o| o + tags));
        self.sources
            .extend(other.sources.iter().map(|&t| remap[t as usize]));
        self.source_start
            .extend(other.source_start.iter().skip(1).map(|&o| o + sources));
        self.status
            .extend(other.status.iter().map(|&t| remap[t as usize]));
        self.author
            .extend(other.author.iter().map(|&t| remap[t as usize]));
        self.reliability.extend(other.reliability);
        self.credibility.extend(other.credibility);
    }

    /// True when the keys were built for as many rows as `claims` has.
    pub fn covers(&self, claims: &[ClaimRow]) -> bool {
        self.rows == claims.len()
            && self.article.len() == self.rows
            && self.tag_start.len() == self.rows + 1
            && self.source_start.len() == self.rows + 1
            && self.text_start.len() == self.rows + 1
    }

    fn tags_of(&self, i: usize) -> &[u32] {
        &self.tags[self.tag_start[i] as usize..self.tag_start[i + 1] as usize]
    }

    fn sources_of(&self, i: usize) -> &[u32] {
        &self.sources[self.source_start[i] as usize..self.source_start[i + 1] as usize]
    }

    /// Row `i`'s `haystack`.
    fn text_of(&self, i: usize) -> &str {
        self.text
            .get(self.text_start[i]..self.text_start[i + 1])
            .unwrap_or_default()
    }
}

/// The rows of `index.claims` that pass `filter`, as indices in index order.
pub fn apply(index: &Index, filter: &Filter) -> Vec<usize> {
    if filter.is_empty() {
        return (0..index.claims.len()).collect();
    }
    let built;
    let keys = if index.keys.covers(&index.claims) {
        &index.keys
    } else {
        built = FilterKeys::build(&index.claims);
        &built
    };
    let compiled = Compiled::new(index, keys, filter);
    if compiled.nothing {
        return Vec::new();
    }
    (0..index.claims.len())
        .filter(|&i| {
            compiled.keys_match(keys, i)
                && compiled
                    .search
                    .as_deref()
                    .is_none_or(|q| keys.text_of(i).contains(q))
        })
        .collect()
}

/// A column of the claims table to sort by.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum SortKey {
    /// The article's title (its rows stay in text order).
    Article,
    /// The article's date.
    Date,
    /// The tag paths.
    Tag,
    /// The quoted text.
    Quote,
    /// Who the claim is attributed to.
    Source,
    /// The outlets it passed through.
    Via,
    /// The Admiralty grade, A1 first.
    Grade,
    /// unverified, corroborated, disputed, refuted.
    Status,
    /// low, moderate, high.
    Confidence,
    /// The analyst's note.
    Note,
    /// Who annotated it.
    Author,
}

impl SortKey {
    /// Every column, in the table's order.
    pub const ALL: [SortKey; 11] = [
        Self::Article,
        Self::Date,
        Self::Tag,
        Self::Quote,
        Self::Source,
        Self::Via,
        Self::Grade,
        Self::Status,
        Self::Confidence,
        Self::Note,
        Self::Author,
    ];

    /// The column header.
    pub fn label(self) -> &'static str {
        match self {
            Self::Article => "Article",
            Self::Date => "Date",
            Self::Tag => "Tag",
            Self::Quote => "Quote",
            Self::Source => "Attributed to",
            Self::Via => "Via",
            Self::Grade => "Grade",
            Self::Status => "Status",
            Self::Confidence => "Confidence",
            Self::Note => "Note",
            Self::Author => "Author",
        }
    }
}

/// Lower-cased text for sorting; `None` for blank text (sorted last).
fn text_key(s: &str) -> Option<String> {
    let t = s.trim();
    (!t.is_empty()).then(|| t.to_lowercase())
}

/// Sorts `rows` (indices into `index.claims`) by `key`, stably: rows with equal keys keep
/// their order. Text compares case-insensitively; statuses and confidences in their natural
/// order (unverified → refuted, low → high); grades A1 first. Rows without a value come last
/// in either direction.
pub fn sort(index: &Index, rows: &mut [usize], key: SortKey, descending: bool) {
    let claims = &index.claims;
    match key {
        SortKey::Article => {
            let titles: Vec<String> = index
                .articles
                .iter()
                .map(|a| a.title.to_lowercase())
                .collect();
            sort_by(claims, rows, descending, |c| {
                titles.get(c.article).map(|t| (t.as_str(), c.article))
            });
        }
        SortKey::Date => sort_by(claims, rows, descending, |c| {
            index
                .articles
                .get(c.article)
                .and_then(|a| a.date.as_deref())
        }),
        SortKey::Tag => sort_by(claims, rows, descending, |c| text_key(&c.tag_label)),
        SortKey::Quote => sort_by(claims, rows, descending, |c| text_key(&c.quote)),
        SortKey::Source => sort_by(claims, rows, descending, |c| {
            c.attributed_to.as_deref().and_then(text_key)
        }),
        SortKey::Via => sort_by(claims, rows, descending, |c| text_key(&c.via.join(" via "))),
        SortKey::Grade => sort_by(claims, rows, descending, |c| {
            (c.reliability.is_some() || c.credibility.is_some()).then(|| {
                (
                    c.reliability.unwrap_or(char::MAX),
                    c.credibility.unwrap_or(u8::MAX),
                )
            })
        }),
        SortKey::Status => sort_by(claims, rows, descending, |c| {
            Some(
                Status::ALL
                    .iter()
                    .position(|s| eq_ci(s.label(), &c.status))
                    .unwrap_or(Status::ALL.len()),
            )
        }),
        SortKey::Confidence => sort_by(claims, rows, descending, |c| {
            c.confidence.as_deref().map(|v| {
                ["low", "moderate", "high"]
                    .iter()
                    .position(|l| eq_ci(l, v))
                    .unwrap_or(3)
            })
        }),
        SortKey::Note => sort_by(claims, rows, descending, |c| text_key(&c.note)),
        SortKey::Author => sort_by(claims, rows, descending, |c| text_key(&c.author)),
    }
}

/// Stable sort of `rows` by a key computed once per row; `None` last.
fn sort_by<'a, K: Ord>(
    claims: &'a [ClaimRow],
    rows: &mut [usize],
    descending: bool,
    key: impl Fn(&'a ClaimRow) -> Option<K>,
) {
    let mut keyed: Vec<(Option<K>, usize)> = rows
        .iter()
        .map(|&r| (claims.get(r).and_then(&key), r))
        .collect();
    keyed.sort_by(|(a, _), (b, _)| match (a, b) {
        (None, None) => Ordering::Equal,
        (None, Some(_)) => Ordering::Greater,
        (Some(_), None) => Ordering::Less,
        (Some(a), Some(b)) if descending => b.cmp(a),
        (Some(a), Some(b)) => a.cmp(b),
    });
    for (slot, (_, r)) in rows.iter_mut().zip(keyed) {
        *slot = r;
    }
}
