//! The claim register: annotations linked "same claim as" (in either direction, through any
//! number of links, across articles) are one claim, reported by several sources and outlets.
//! Link targets are found by annotation id anywhere in the index.

use std::collections::HashMap;

use super::Index;
use crate::model::LinkKind;

/// One claim made or reported in several places.
#[derive(Clone, Debug, PartialEq)]
pub struct RegisteredClaim {
    /// Indices into [`Index::claims`], in index order.
    pub members: Vec<usize>,
    /// The quote of the member annotated first (earliest `created`).
    pub quote: String,
    /// The distinct `attributed_to` of the members, in member order.
    pub sources: Vec<String>,
    /// The distinct outlets: every `via` entry, and the article's title for a member without
    /// one (the article itself reported it).
    pub outlets: Vec<String>,
    /// How many articles the members are in.
    pub articles: usize,
    /// The distinct grades, like `B2` (ungraded members add none).
    pub grades: Vec<String>,
    /// The distinct statuses.
    pub statuses: Vec<String>,
}

fn find(parent: &mut [usize], mut i: usize) -> usize {
    while parent[i] != i {
        parent[i] = parent[parent[i]];
        i = parent[i];
    }
    i
}

fn push_distinct(list: &mut Vec<String>, value: &str) {
    let v = value.trim();
    if !v.is_empty() && !list.iter().any(|x| x.eq_ignore_ascii_case(v)) {
        list.push(v.to_owned());
    }
}

/// The claims with two or more linked annotations, most widely reported first (by the number
/// of distinct sources, then of outlets; ties keep index order). With `rows`, only the
/// groups with at least one member among those rows (e.g. the filtered table) are kept; the
/// groups themselves are always complete.
pub fn register(index: &Index, rows: Option<&[usize]>) -> Vec<RegisteredClaim> {
    let claims = &index.claims;
    let same = LinkKind::SameClaimAs.label();
    let same_claim =
        |kind: &str| kind == same || LinkKind::parse(kind) == Some(LinkKind::SameClaimAs);
    // Only the ids something links to are looked up: most rows have no link.
    let targets: std::collections::HashSet<&str> = claims
        .all_links()
        .filter(|(_, kind, _)| same_claim(kind))
        .map(|(_, _, target)| target)
        .collect();
    let by_id: HashMap<&str, usize> = (0..claims.len())
        .map(|i| (claims.id(i), i))
        .filter(|(id, _)| targets.contains(id))
        .collect();
    let mut parent: Vec<usize> = (0..claims.len()).collect();
    let mut linked = vec![false; claims.len()];
    for (i, kind, target) in claims.all_links() {
        if !same_claim(kind) {
            continue;
        }
        let Some(&j) = by_id.get(target) else {
            continue;
        };
        if i == j {
            continue;
        }
        let (a, b) = (find(&mut parent, i), find(&mut parent, j));
        if a != b {
            parent[a.max(b)] = a.min(b);
        }
        linked[i] = true;
        linked[j] = true;
    }
    let mut groups: Vec<Vec<usize>> = Vec::new();
    let mut group_of: HashMap<usize, usize> = HashMap::new();
    for i in (0..claims.len()).filter(|&i| linked[i]) {
        let root = find(&mut parent, i);
        let g = *group_of.entry(root).or_insert_with(|| {
            groups.push(Vec::new());
            groups.len() - 1
        });
        groups[g].push(i);
    }
    let wanted = rows.map(|rows| {
        let mut mask = vec![false; claims.len()];
        for &r in rows {
            if let Some(m) = mask.get_mut(r) {
                *m = true;
            }
        }
        mask
    });
    let mut out: Vec<RegisteredClaim> = groups
        .into_iter()
        .filter(|members| members.len() >= 2)
        .filter(|members| {
            wanted
                .as_ref()
                .is_none_or(|mask| members.iter().any(|&m| mask[m]))
        })
        .map(|members| describe(index, members))
        .collect();
    out.sort_by_key(|g| std::cmp::Reverse((g.sources.len(), g.outlets.len())));
    out
}

fn describe(index: &Index, members: Vec<usize>) -> RegisteredClaim {
    let claims = &index.claims;
    let mut first: Option<usize> = None;
    let mut sources = Vec::new();
    let mut outlets = Vec::new();
    let mut articles: Vec<usize> = Vec::new();
    let mut grades = Vec::new();
    let mut statuses = Vec::new();
    for &m in &members {
        if first.is_none_or(|f| claims.created(m) < claims.created(f)) {
            first = Some(m);
        }
        if let Some(s) = claims.attributed_to(m) {
            push_distinct(&mut sources, s);
        }
        let article = claims.article(m);
        if claims.via_is_empty(m) {
            if let Some(a) = index.articles.get(article) {
                push_distinct(&mut outlets, &a.title);
            }
        } else {
            for v in claims.via(m) {
                push_distinct(&mut outlets, v);
            }
        }
        if !articles.contains(&article) {
            articles.push(article);
        }
        let grade = format!(
            "{}{}",
            claims.reliability(m).map(String::from).unwrap_or_default(),
            claims
                .credibility(m)
                .map(|d| d.to_string())
                .unwrap_or_default()
        );
        push_distinct(&mut grades, &grade);
        push_distinct(&mut statuses, claims.status(m));
    }
    RegisteredClaim {
        quote: first
            .map(|f| claims.quote(f).to_owned())
            .unwrap_or_default(),
        members,
        sources,
        outlets,
        articles: articles.len(),
        grades,
        statuses,
    }
}
