//! Which claims of the index to show, and in what order.
//!
//! [`apply`] resolves the filter's names once (tags by id, name or path with their children;
//! a source by name or alias to all its names) against the distinct strings of the index's
//! [`Claims`], then tests each row with array look-ups (and a substring search for the
//! text), so that filtering 200,000 rows fits well in a frame. [`sort`] orders rows by any
//! column, stably, text case-insensitively, empty values last in either direction.

use std::cmp::Ordering;

use super::{Claims, Index};
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
/// its [`Claims`] for each condition that is set.
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
    fn new(index: &Index, filter: &Filter) -> Self {
        let strings = index.claims.strings();
        let mask = |test: &dyn Fn(&str) -> bool| -> Vec<bool> {
            strings.iter().map(|s| test(s.trim())).collect()
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
    fn keys_match(&self, c: &Claims, i: usize) -> bool {
        let any = |mask: &[bool], ids: &[u32]| ids.iter().any(|&s| mask[s as usize]);
        if let Some(articles) = &self.articles
            && !articles[c.article(i)]
        {
            return false;
        }
        if let Some(mask) = &self.statuses
            && !mask[c.status_id(i) as usize]
        {
            return false;
        }
        if let Some((r, d)) = self.grade
            && (r.is_some_and(|r| c.reliability_byte(i) != r)
                || d.is_some_and(|d| c.credibility(i) != Some(d)))
        {
            return false;
        }
        if let Some(mask) = &self.tags
            && !any(mask, c.closure_of(i))
        {
            return false;
        }
        if let Some(mask) = &self.source
            && !any(mask, c.sources_of(i))
        {
            return false;
        }
        if let Some(mask) = &self.authors
            && !mask[c.author_id(i) as usize]
        {
            return false;
        }
        true
    }
}

/// The rows of `index.claims` that pass `filter`, as indices in index order.
pub fn apply(index: &Index, filter: &Filter) -> Vec<usize> {
    let claims = &index.claims;
    if filter.is_empty() {
        return (0..claims.len()).collect();
    }
    let compiled = Compiled::new(index, filter);
    if compiled.nothing {
        return Vec::new();
    }
    (0..claims.len())
        .filter(|&i| {
            compiled.keys_match(claims, i)
                && compiled
                    .search
                    .as_deref()
                    .is_none_or(|q| claims.text_contains(i, q))
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
            sort_by(claims, rows, descending, |c, i| {
                let article = c.article(i);
                titles.get(article).map(|t| (t.as_str(), article))
            });
        }
        SortKey::Date => sort_by(claims, rows, descending, |c, i| {
            index
                .articles
                .get(c.article(i))
                .and_then(|a| a.date.as_deref())
        }),
        SortKey::Tag => sort_by(claims, rows, descending, |c, i| text_key(c.tag_label(i))),
        SortKey::Quote => sort_by(claims, rows, descending, |c, i| text_key(c.quote(i))),
        SortKey::Source => sort_by(claims, rows, descending, |c, i| {
            c.attributed_to(i).and_then(text_key)
        }),
        SortKey::Via => sort_by(claims, rows, descending, |c, i| {
            text_key(&c.via(i).collect::<Vec<_>>().join(" via "))
        }),
        SortKey::Grade => sort_by(claims, rows, descending, |c, i| {
            let (r, d) = (c.reliability(i), c.credibility(i));
            (r.is_some() || d.is_some()).then(|| (r.unwrap_or(char::MAX), d.unwrap_or(u8::MAX)))
        }),
        SortKey::Status => sort_by(claims, rows, descending, |c, i| {
            Some(
                Status::ALL
                    .iter()
                    .position(|s| eq_ci(s.label(), c.status(i)))
                    .unwrap_or(Status::ALL.len()),
            )
        }),
        SortKey::Confidence => sort_by(claims, rows, descending, |c, i| {
            c.confidence(i).map(|v| {
                ["low", "moderate", "high"]
                    .iter()
                    .position(|l| eq_ci(l, v))
                    .unwrap_or(3)
            })
        }),
        SortKey::Note => sort_by(claims, rows, descending, |c, i| text_key(c.note(i))),
        SortKey::Author => sort_by(claims, rows, descending, |c, i| text_key(c.author(i))),
    }
}

/// Stable sort of `rows` by a key computed once per row; `None` last.
fn sort_by<'a, K: Ord>(
    claims: &'a Claims,
    rows: &mut [usize],
    descending: bool,
    key: impl Fn(&'a Claims, usize) -> Option<K>,
) {
    let mut keyed: Vec<(Option<K>, usize)> = rows
        .iter()
        .map(|&r| ((r < claims.len()).then(|| key(claims, r)).flatten(), r))
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
