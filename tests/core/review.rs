//! The review across a folder tree (issue #6): a realistic tree annotated through the real
//! `claimmark` binary, scanned, filtered, sorted, grouped into the claim register and counted;
//! the scan cache; and `claimmark list` giving the same answers as the review.

use std::collections::{BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use claimmark::review::cache::{cache_file_in, default_cache_file};
use claimmark::review::filter::{self, Filter, SortKey};
use claimmark::review::{
    Index, ScanError, ScanProgress, register, scan, scan_in_batches, scan_paths, stats,
};

use crate::common;

use common::{claimmark, ok, seed_article};

const REGISTRY: &str = r#"(version: 1, sources: [
    (name: "Korvan State News Agency", aliases: ["KSNA"]),
    (name: "Kira Janssen"),
    (name: "Inland Courier"),
    (name: "Yonhap News Agency", aliases: ["Yonhap"]),
])"#;

/// The annotations of the tree, by a short name (`a1` is in report.txt, `b1` in asia/…).
struct Tree {
    _dir: tempfile::TempDir,
    root: PathBuf,
    ids: HashMap<&'static str, String>,
}

impl Tree {
    fn id(&self, name: &str) -> &str {
        &self.ids[name]
    }

    /// The ids of some annotations by their short names.
    fn set(&self, names: &[&str]) -> BTreeSet<String> {
        names.iter().map(|n| self.id(n).to_owned()).collect()
    }

    /// The short name of an id.
    fn name(&self, id: &str) -> &'static str {
        self.ids
            .iter()
            .find(|(_, v)| *v == id)
            .map(|(k, _)| *k)
            .unwrap_or("?")
    }
}

fn s(p: &Path) -> &str {
    p.to_str().expect("utf-8 path")
}

/// `claimmark add`, returning the new annotation's id.
fn add(article: &Path, quote: &str, tag: &str, author: &str, extra: &[&str]) -> String {
    let mut args = vec![
        "add",
        s(article),
        "--quote",
        quote,
        "--tag",
        tag,
        "--author",
        author,
    ];
    args.extend_from_slice(extra);
    let out = ok(claimmark(&args));
    String::from_utf8_lossy(&out.stdout).trim().to_owned()
}

/// root/
///   claimmark.sources.ron (KSNA, Kira Janssen, Inland Courier, Yonhap)
///   report.txt      2021-06-19  a1 claim (Kira via Inland Courier, B2, corroborated)
///                               a2 source (no source), a3 claim (Kira via KSNA)
///   undated.txt     no date     d1 prediction (KSNA, refuted), same claim as a2
///   broken.txt      its sidecar is corrupt
///   orphan.txt      2021-08-01  o1 prediction, whose words were edited away
///   .hidden/secret.txt          annotated, never scanned
///   asia/
///     claimmark.sources.ron (the same registry)
///     seoul.txt     2021-06-20  b1 claim (KSNA via Yonhap, C3), same claim as a1
///                               b2 statistic (Ministry of Agriculture, B, disputed)
///     deep/tokyo.md 2021-07-02  c1 claim (Pyongyang officials, credibility 2), same as b1
fn tree() -> Tree {
    let dir = tempfile::tempdir().expect("tempdir");
    let root = dir.path().join("claims");
    let asia = root.join("asia");
    let deep = asia.join("deep");
    let hidden = root.join(".hidden");
    for d in [&deep, &hidden] {
        std::fs::create_dir_all(d).expect("mkdir");
    }
    for d in [&root, &asia] {
        std::fs::write(d.join("claimmark.sources.ron"), REGISTRY).expect("registry");
    }
    let report = seed_article(&root);
    let seoul = asia.join("seoul.txt");
    std::fs::write(
        &seoul,
        " date 2021-06-20 Yonhap reported that North Korea is open to both negotiation and \
         confrontation, citing officials.\n\nGrain exports rose by 12 per cent in May, the \
         ministry said.\n",
    )
    .expect("write");
    let tokyo = deep.join("tokyo.md");
    std::fs::write(
        &tokyo,
        " date 2021-07-02 Kyodo said Pyongyang was ready for dialogue and confrontation alike.\n",
    )
    .expect("write");
    let undated = root.join("undated.txt");
    std::fs::write(
        &undated,
        "No dateline here. Officials said the harbour would reopen in spring.\n",
    )
    .expect("write");
    let orphan = root.join("orphan.txt");
    std::fs::write(
        &orphan,
        " date 2021-08-01 The minister promised new bridges by autumn. Nothing else.\n",
    )
    .expect("write");
    let secret = hidden.join("secret.txt");
    std::fs::write(&secret, "A hidden claim about confrontation.\n").expect("write");

    let mut ids = HashMap::new();
    let a1 = add(
        &report,
        "Kira stressed the need to be prepared for negotiation as well as confrontation",
        "claim",
        "alice",
        &[
            "--source",
            "Kira Janssen",
            "--via",
            "Inland Courier",
            "--grade",
            "B2",
            "--status",
            "corroborated",
            "--note",
            "Said at the party plenum",
        ],
    );
    // The register's quote is the earliest annotated one; timestamps have whole seconds.
    std::thread::sleep(Duration::from_millis(1100));
    let a2 = add(&report, "analysts have also said", "source", "bob", &[]);
    let a3 = add(
        &report,
        "The Korvanian government is open to both negotiation and confrontation with the Talbot administration",
        "Claim",
        "alice",
        &["--source", "Kira Janssen", "--via", "ksna"],
    );
    let b1 = add(
        &seoul,
        "North Korea is open to both negotiation and confrontation",
        "claim",
        "alice",
        &[
            "--source",
            "KSNA",
            "--via",
            "Yonhap",
            "--grade",
            "C3",
            "--link",
            &format!("same_claim_as:{a1}"),
        ],
    );
    let b2 = add(
        &seoul,
        "Grain exports rose by 12 per cent in May",
        "statistic",
        "bob",
        &[
            "--source",
            "Ministry of Agriculture",
            "--grade",
            "B",
            "--status",
            "disputed",
            "--note",
            "Traders DISPUTE the figure",
        ],
    );
    let c1 = add(
        &tokyo,
        "Pyongyang was ready for dialogue and confrontation alike",
        "claim",
        "carol",
        &[
            "--source",
            "Pyongyang officials",
            "--grade",
            "2",
            "--link",
            &format!("same claim as:{b1}"),
        ],
    );
    let d1 = add(
        &undated,
        "the harbour would reopen in spring",
        "prediction",
        "alice",
        &[
            "--source",
            "ksna",
            "--status",
            "refuted",
            "--link",
            &format!("same_claim_as:{a2}"),
        ],
    );
    let o1 = add(
        &orphan,
        "promised new bridges by autumn",
        "prediction",
        "bob",
        &[],
    );
    add(
        &secret,
        "A hidden claim about confrontation",
        "claim",
        "alice",
        &[],
    );
    // The article is edited: o1's words are gone.
    std::fs::write(
        &orphan,
        " date 2021-08-01 The minister resigned on Friday.\n",
    )
    .expect("write");
    // A sidecar that cannot be read.
    let broken = root.join("broken.txt");
    std::fs::write(&broken, "Officials denied everything.\n").expect("write");
    std::fs::write(
        root.join("broken.txt.annotations.ron"),
        "(format: \"claimmark-sidecar\", version: 1, article: \"broken.txt\",\n  fingerprint: \"x\", annotations: [(id: \"a\",",
    )
    .expect("write");
    for (k, v) in [
        ("a1", a1),
        ("a2", a2),
        ("a3", a3),
        ("b1", b1),
        ("b2", b2),
        ("c1", c1),
        ("d1", d1),
        ("o1", o1),
    ] {
        assert_eq!(v.len(), 36, "{k} has an id");
        ids.insert(k, v);
    }
    Tree {
        _dir: dir,
        root,
        ids,
    }
}

fn scan_tree(t: &Tree) -> Index {
    scan(&t.root, None, &ScanProgress::default()).expect("scan")
}

fn ids_of(index: &Index, rows: &[usize]) -> BTreeSet<String> {
    rows.iter()
        .map(|&r| index.claims.id(r).to_owned())
        .collect()
}

fn matching(index: &Index, f: &Filter) -> BTreeSet<String> {
    ids_of(index, &filter::apply(index, f))
}

#[test]
fn the_scan_finds_every_article_of_the_tree_with_its_annotations() {
    let t = tree();
    let progress = ScanProgress::default();
    let index = scan(&t.root, None, &progress).expect("scan");
    let names: Vec<String> = index
        .articles
        .iter()
        .map(|a| {
            a.path
                .strip_prefix(&t.root)
                .expect("under root")
                .to_string_lossy()
                .into_owned()
        })
        .collect();
    assert_eq!(
        names,
        [
            "asia/deep/tokyo.md",
            "asia/seoul.txt",
            "broken.txt",
            "orphan.txt",
            "report.txt",
            "undated.txt"
        ],
        "recursive, sorted, hidden folders skipped"
    );
    assert_eq!(progress.total.load(std::sync::atomic::Ordering::Relaxed), 6);
    assert_eq!(progress.done.load(std::sync::atomic::Ordering::Relaxed), 6);
    assert_eq!(index.root, t.root);
    assert_eq!(index.claims.len(), 8);
    let all: BTreeSet<String> = t.ids.values().cloned().collect();
    assert_eq!(ids_of(&index, &(0..8).collect::<Vec<_>>()), all);

    // Rows point at their article and are in article, then text order.
    for pair in index.claims.to_rows().windows(2) {
        assert!(
            (pair[0].article, pair[0].start) <= (pair[1].article, pair[1].start),
            "index order"
        );
    }
    let row = |name: &str| {
        index
            .claims
            .iter()
            .find(|c| c.id == t.id(name))
            .expect("row")
    };
    let a1 = row("a1");
    let report = &index.articles[a1.article];
    assert_eq!(report.title, "report.txt");
    assert_eq!(report.date.as_deref(), Some("2021-06-19"));
    assert_eq!(report.annotations, 3);
    assert_eq!(report.attention, None);
    assert!(
        report
            .modified
            .as_deref()
            .is_some_and(|m| m.len() == 20 && m.ends_with('Z')),
        "{:?}",
        report.modified
    );
    assert_eq!(
        report.tag_counts,
        [("claim".to_owned(), 2), ("source".to_owned(), 1)]
    );
    // Positions are code points of the current text (the dateline is 17 characters).
    let text = std::fs::read_to_string(&report.path).expect("read");
    let quote = "Kira stressed the need to be prepared for negotiation as well as confrontation";
    let by_chars: String = text
        .chars()
        .skip(a1.start)
        .take(a1.end - a1.start)
        .collect();
    assert_eq!(by_chars, quote);
    assert_eq!(a1.quote, quote);
    assert_eq!(a1.attributed_to.as_deref(), Some("Kira Janssen"));
    assert_eq!(a1.via, ["Inland Courier"]);
    assert_eq!((a1.reliability, a1.credibility), (Some('B'), Some(2)));
    assert_eq!(a1.status, "corroborated");
    assert_eq!(a1.author, "alice");
    assert_eq!(a1.tag_label, "Claim");
    assert_eq!(a1.note, "Said at the party plenum");
    let b2 = row("b2");
    assert_eq!(b2.tags, ["statistic"]);
    assert_eq!(b2.tag_closure, ["statistic", "claim"], "with its ancestors");
    assert_eq!(b2.tag_label, "Claim/Statistic");
    assert_eq!(
        row("b1").links,
        [("same claim as".to_owned(), t.id("a1").to_owned())]
    );
    assert_eq!(
        row("d1").attributed_to.as_deref(),
        Some("Korvan State News Agency"),
        "the alias was resolved when annotating"
    );

    // Attention: the corrupt sidecar and the orphan.
    let broken = &index.articles[2];
    assert!(broken.unreadable);
    assert_eq!(broken.annotations, 0);
    let why = broken.attention.as_deref().unwrap_or("");
    assert!(
        why.contains("broken.txt.annotations.ron") && why.contains("line 2"),
        "{why}"
    );
    let orphan = &index.articles[3];
    assert!(!orphan.unreadable);
    assert_eq!(orphan.orphaned, 1);
    assert_eq!(orphan.attention.as_deref(), Some("1 orphaned annotation"));
    assert!(row("o1").orphaned);
    assert!(!a1.orphaned);
    assert!(
        index
            .articles
            .iter()
            .filter(|a| a.attention.is_some())
            .count()
            == 2
    );

    // Tags and sources of every folder met.
    let tag_ids: Vec<&str> = index.tags.iter().map(|t| t.id.as_str()).collect();
    assert!(tag_ids.contains(&"statistic") && tag_ids.contains(&"claim"));
    let stat = index
        .tags
        .iter()
        .find(|t| t.id == "statistic")
        .expect("statistic");
    assert_eq!(stat.path, "Claim/Statistic");
    assert_eq!(stat.parent.as_deref(), Some("claim"));
    assert!(stat.color.starts_with('#') && stat.color.len() == 7);
    assert_eq!(
        index.sources.len(),
        4,
        "one entry per source: {:?}",
        index.sources
    );
    assert!(index.sources.contains(&vec![
        "Korvan State News Agency".to_owned(),
        "KSNA".to_owned()
    ]));
    assert!(index.skipped.is_empty());
    // The columns the workers built in parts are those of the whole.
    let rows = index.claims.to_rows();
    let whole = claimmark::review::Claims::from_rows(&rows);
    assert_eq!(index.claims, whole);
    assert_eq!(whole.to_rows(), rows);

    // Cancelled before it starts: an error, not a partial index.
    let cancelled = ScanProgress::default();
    cancelled
        .cancel
        .store(true, std::sync::atomic::Ordering::Relaxed);
    let err = scan(&t.root, None, &cancelled).expect_err("cancelled");
    assert!(matches!(err, ScanError::Cancelled), "{err:?}");
    assert_eq!(err.to_string(), "scan cancelled");
    let err = scan_paths(std::slice::from_ref(&t.root), &cancelled).expect_err("cancelled");
    assert!(matches!(err, ScanError::Cancelled), "{err:?}");
    let missing = t.root.join("nothing-here");
    let err = scan(&missing, None, &ScanProgress::default()).expect_err("no folder");
    assert!(
        matches!(&err, ScanError::NotAFolder { path } if *path == missing),
        "{err:?}"
    );
}

#[test]
fn every_filter_selects_what_it_says() {
    let t = tree();
    let index = scan_tree(&t);
    let f = |edit: &dyn Fn(&mut Filter)| {
        let mut filter = Filter::default();
        edit(&mut filter);
        assert!(!filter.is_empty());
        matching(&index, &filter)
    };
    assert!(Filter::default().is_empty());
    assert_eq!(filter::apply(&index, &Filter::default()).len(), 8);
    let blank = Filter {
        source: Some("  ".into()),
        tags: vec![String::new()],
        ..Filter::default()
    };
    assert!(blank.is_empty(), "blank fields are no condition");

    // Tags: by id, name or path, with children; any of several.
    let claims = t.set(&["a1", "a3", "b1", "b2", "c1"]);
    assert_eq!(f(&|x| x.tags = vec!["claim".into()]), claims);
    assert_eq!(f(&|x| x.tags = vec!["CLAIM".into()]), claims);
    assert_eq!(f(&|x| x.tags = vec!["Statistic".into()]), t.set(&["b2"]));
    assert_eq!(
        f(&|x| x.tags = vec!["claim/statistic".into()]),
        t.set(&["b2"])
    );
    assert_eq!(
        f(&|x| x.tags = vec!["source".into(), "Prediction".into()]),
        t.set(&["a2", "d1", "o1"])
    );
    assert_eq!(f(&|x| x.tags = vec!["no-such-tag".into()]), BTreeSet::new());

    // Source: any name of it, matching who said it or who passed it on.
    let kcna = t.set(&["a3", "b1", "d1"]);
    assert_eq!(f(&|x| x.source = Some("ksna".into())), kcna);
    assert_eq!(
        f(&|x| x.source = Some("Korvan State News Agency".into())),
        kcna
    );
    assert_eq!(f(&|x| x.source = Some("yonhap".into())), t.set(&["b1"]));
    assert_eq!(
        f(&|x| x.source = Some("Kira Janssen".into())),
        t.set(&["a1", "a3"])
    );
    assert_eq!(
        f(&|x| x.source = Some("Pyongyang Officials".into())),
        t.set(&["c1"]),
        "a name in no registry still matches as typed"
    );

    // Status: any of several.
    assert_eq!(f(&|x| x.statuses = vec!["disputed".into()]), t.set(&["b2"]));
    assert_eq!(
        f(&|x| x.statuses = vec!["Refuted".into(), "disputed".into()]),
        t.set(&["b2", "d1"])
    );
    assert_eq!(
        f(&|x| x.statuses = vec!["unverified".into()]),
        t.set(&["a2", "a3", "b1", "c1", "o1"])
    );

    // Grade: both halves, or either.
    assert_eq!(f(&|x| x.grade = Some("B2".into())), t.set(&["a1"]));
    assert_eq!(f(&|x| x.grade = Some("b".into())), t.set(&["a1", "b2"]));
    assert_eq!(f(&|x| x.grade = Some("2".into())), t.set(&["a1", "c1"]));
    assert_eq!(f(&|x| x.grade = Some("C3".into())), t.set(&["b1"]));
    assert_eq!(f(&|x| x.grade = Some("Z9".into())), BTreeSet::new());

    // Author.
    assert_eq!(
        f(&|x| x.author = Some("Alice".into())),
        t.set(&["a1", "a3", "b1", "d1"])
    );
    assert_eq!(f(&|x| x.author = Some("carol".into())), t.set(&["c1"]));

    // Dates: inclusive; undated articles left out.
    assert_eq!(
        f(&|x| x.since = Some("2021-06-20".into())),
        t.set(&["b1", "b2", "c1", "o1"])
    );
    assert_eq!(
        f(&|x| x.until = Some("2021-06-20".into())),
        t.set(&["a1", "a2", "a3", "b1", "b2"])
    );
    assert_eq!(
        f(&|x| {
            x.since = Some("2021-06-20".into());
            x.until = Some("2021-07".into());
        }),
        t.set(&["b1", "b2", "c1"]),
        "a month as the end means the whole month"
    );
    assert_eq!(f(&|x| x.until = Some("2021-06-18".into())), BTreeSet::new());

    // Text: quotes and notes, ignoring case.
    assert_eq!(
        f(&|x| x.search = "CONFRONTATION".into()),
        t.set(&["a1", "a3", "b1", "c1"])
    );
    assert_eq!(
        f(&|x| x.search = "dispute".into()),
        t.set(&["b2"]),
        "the note"
    );
    assert_eq!(f(&|x| x.search = "plenum".into()), t.set(&["a1"]));

    // Everything at once must hold together.
    assert_eq!(
        f(&|x| {
            x.tags = vec!["claim".into()];
            x.source = Some("KSNA".into());
            x.search = "talbot".into();
        }),
        t.set(&["a3"])
    );
    assert_eq!(
        f(&|x| {
            x.tags = vec!["claim".into()];
            x.author = Some("bob".into());
        }),
        t.set(&["b2"])
    );

    // Rows changed and rebuilt into columns are filtered by what they now hold.
    let mut changed = index.clone();
    let claims_filter = Filter {
        tags: vec!["claim".into()],
        ..Filter::default()
    };
    assert_eq!(matching(&changed, &claims_filter), claims);
    let mut rows = changed.claims.to_rows();
    let a2 = rows.iter().position(|c| c.id == t.id("a2")).expect("a2");
    rows[a2].tag_closure = vec!["claim".into()];
    rows[a2].status = "refuted".into();
    changed.claims = claimmark::review::Claims::from_rows(&rows);
    assert!(matching(&changed, &claims_filter).contains(t.id("a2")));
    assert_eq!(f(&|x| x.statuses = vec!["refuted".into()]), t.set(&["d1"]));
    assert_eq!(
        matching(
            &changed,
            &Filter {
                statuses: vec!["refuted".into()],
                ..Filter::default()
            }
        ),
        t.set(&["a2", "d1"])
    );

    // Rows come in index order.
    let rows = filter::apply(
        &index,
        &Filter {
            search: "confrontation".into(),
            ..Filter::default()
        },
    );
    assert!(rows.windows(2).all(|w| w[0] < w[1]));
}

#[test]
fn sorting_is_stable_case_insensitive_and_puts_blanks_last() {
    let t = tree();
    let index = scan_tree(&t);
    let sorted = |key: SortKey, descending: bool| -> Vec<&str> {
        let mut rows = filter::apply(&index, &Filter::default());
        filter::sort(&index, &mut rows, key, descending);
        rows.iter().map(|&r| t.name(index.claims.id(r))).collect()
    };
    assert_eq!(
        SortKey::ALL.map(SortKey::label),
        [
            "Article",
            "Date",
            "Tag",
            "Quote",
            "Attributed to",
            "Via",
            "Grade",
            "Status",
            "Confidence",
            "Note",
            "Author"
        ]
    );
    // Index order: tokyo (c1), seoul (b1, b2), orphan (o1), report (a3, a2, a1 in text order),
    // undated (d1).
    let index_order = ["c1", "b1", "b2", "o1", "a3", "a2", "a1", "d1"];
    assert_eq!(sorted(SortKey::Confidence, false), index_order, "none set");
    assert_eq!(
        sorted(SortKey::Article, false),
        ["o1", "a3", "a2", "a1", "b1", "b2", "c1", "d1"],
        "by title, each article's rows in text order"
    );
    assert_eq!(
        sorted(SortKey::Article, true),
        ["d1", "c1", "b1", "b2", "a3", "a2", "a1", "o1"]
    );
    assert_eq!(
        sorted(SortKey::Source, false),
        ["a3", "a1", "b1", "d1", "b2", "c1", "o1", "a2"],
        "kira < korvan < ministry < pyongyang, unattributed last, ties in index order"
    );
    assert_eq!(
        sorted(SortKey::Source, true),
        ["c1", "b2", "b1", "d1", "a3", "a1", "o1", "a2"],
        "descending keeps ties in order and blanks last"
    );
    assert_eq!(
        sorted(SortKey::Date, false),
        ["a3", "a2", "a1", "b1", "b2", "c1", "o1", "d1"]
    );
    assert_eq!(sorted(SortKey::Date, true)[..2], ["o1", "c1"]);
    assert_eq!(sorted(SortKey::Date, true).last(), Some(&"d1"));
    assert_eq!(
        sorted(SortKey::Grade, false),
        ["a1", "b2", "b1", "c1", "o1", "a3", "a2", "d1"]
    );
    assert_eq!(
        sorted(SortKey::Status, false),
        ["c1", "b1", "o1", "a3", "a2", "a1", "b2", "d1"],
        "unverified, corroborated, disputed, refuted"
    );
    assert_eq!(
        sorted(SortKey::Tag, false),
        ["c1", "b1", "a3", "a1", "b2", "o1", "d1", "a2"],
        "Claim < Claim/Statistic < Prediction < Source"
    );
    let by_author = sorted(SortKey::Author, true);
    assert_eq!(by_author[0], "c1");
    assert_eq!(
        by_author[by_author.len() - 1],
        "d1",
        "alice last, descending"
    );
    let by_quote = sorted(SortKey::Quote, false);
    assert_eq!(
        by_quote[0], "a2",
        "\"analysts…\" before \"Grain…\", case ignored"
    );
    assert_eq!(by_quote[1], "b2");
    assert_eq!(sorted(SortKey::Note, false)[..2], ["a1", "b2"]);
    assert_eq!(sorted(SortKey::Via, false)[..3], ["a1", "a3", "b1"]);
}

#[test]
fn the_register_groups_the_same_claim_across_articles() {
    let t = tree();
    let index = scan_tree(&t);
    let groups = register(&index, None);
    assert_eq!(groups.len(), 2, "{groups:#?}");
    let g = &groups[0];
    let members: BTreeSet<String> = g
        .members
        .iter()
        .map(|&m| index.claims.id(m).to_owned())
        .collect();
    assert_eq!(members, t.set(&["a1", "b1", "c1"]), "links are transitive");
    assert!(g.members.windows(2).all(|w| w[0] < w[1]));
    assert_eq!(
        g.quote, "Kira stressed the need to be prepared for negotiation as well as confrontation",
        "the earliest annotated"
    );
    assert_eq!(
        g.sources,
        [
            "Pyongyang officials",
            "Korvan State News Agency",
            "Kira Janssen"
        ]
    );
    assert_eq!(
        g.outlets,
        ["tokyo.md", "Yonhap News Agency", "Inland Courier"]
    );
    assert_eq!(g.articles, 3);
    assert_eq!(g.grades, ["2", "C3", "B2"]);
    assert_eq!(g.statuses, ["unverified", "corroborated"]);

    let small = &groups[1];
    let members: BTreeSet<String> = small
        .members
        .iter()
        .map(|&m| index.claims.id(m).to_owned())
        .collect();
    assert_eq!(members, t.set(&["a2", "d1"]));
    assert_eq!(small.sources, ["Korvan State News Agency"]);
    assert_eq!(small.outlets, ["report.txt", "undated.txt"]);

    // Restricted to some rows: a group stays whole if any member is among them.
    let rows = filter::apply(
        &index,
        &Filter {
            author: Some("carol".into()),
            ..Filter::default()
        },
    );
    let only = register(&index, Some(&rows));
    assert_eq!(only.len(), 1);
    assert_eq!(only[0].members.len(), 3);
    assert!(register(&index, Some(&[])).is_empty());
}

#[test]
fn stats_count_tags_sources_and_months() {
    let t = tree();
    let index = scan_tree(&t);
    let all = filter::apply(&index, &Filter::default());
    let owned = |v: &[(&str, usize)]| -> Vec<(String, usize)> {
        v.iter().map(|(k, n)| ((*k).to_owned(), *n)).collect()
    };
    assert_eq!(
        stats::per_tag(&index, &all),
        owned(&[
            ("claim", 4),
            ("source", 1),
            ("prediction", 2),
            ("statistic", 1)
        ])
    );
    assert_eq!(
        stats::per_source(&index, &all),
        owned(&[
            ("(none)", 2),
            ("Kira Janssen", 2),
            ("Korvan State News Agency", 2),
            ("Ministry of Agriculture", 1),
            ("Pyongyang officials", 1),
        ])
    );
    assert_eq!(
        stats::per_month(&index, &all),
        owned(&[("2021-06", 5), ("2021-07", 1), ("2021-08", 1)])
    );
    let claims = filter::apply(
        &index,
        &Filter {
            tags: vec!["claim".into()],
            ..Filter::default()
        },
    );
    assert_eq!(
        stats::per_tag(&index, &claims),
        owned(&[("claim", 4), ("statistic", 1)])
    );
    assert_eq!(
        stats::per_month(&index, &claims),
        owned(&[("2021-06", 4), ("2021-07", 1)])
    );
    assert!(stats::per_source(&index, &[]).is_empty());
}

fn reused(p: &ScanProgress) -> usize {
    p.reused.load(std::sync::atomic::Ordering::Relaxed)
}

/// Sets a file's modification time `secs` seconds ahead of now (file systems with coarse
/// times would otherwise see no change).
fn bump(path: &Path, secs: u64) {
    let f = std::fs::File::options()
        .write(true)
        .open(path)
        .expect("open");
    f.set_modified(SystemTime::now() + Duration::from_secs(secs))
        .expect("set mtime");
}

#[test]
fn the_cache_is_reused_only_for_unchanged_files() {
    let t = tree();
    let cache_dir = tempfile::tempdir().expect("tempdir");
    let cache = cache_dir.path().join("nested").join("review.bin");
    let cold = scan_tree(&t);

    let p = ScanProgress::default();
    let first = scan(&t.root, Some(&cache), &p).expect("scan");
    assert_eq!(reused(&p), 0);
    assert_eq!(first, cold, "the cache changes nothing");
    assert!(cache.exists(), "written, its folder created");

    // Unchanged: every readable article from the cache (the broken one is read again).
    let p = ScanProgress::default();
    let second = scan(&t.root, Some(&cache), &p).expect("scan");
    assert_eq!(reused(&p), 5);
    assert_eq!(second, cold);

    // A sidecar edited in place by another program: its stale entry is not used.
    let sidecar = t.root.join("undated.txt.annotations.ron");
    let text = std::fs::read_to_string(&sidecar).expect("read");
    assert!(text.contains("status: refuted"), "{text}");
    std::fs::write(
        &sidecar,
        text.replace("status: refuted", "status: disputed"),
    )
    .expect("write");
    bump(&sidecar, 5);
    let p = ScanProgress::default();
    let third = scan(&t.root, Some(&cache), &p).expect("scan");
    assert_eq!(reused(&p), 4);
    assert_eq!(third, scan_tree(&t));
    let d1 = third
        .claims
        .iter()
        .find(|c| c.id == t.id("d1"))
        .expect("d1");
    assert_eq!(d1.status, "disputed");

    // A new annotation through the CLI, and a folder's codebook changed: only the articles
    // concerned are read again.
    add(
        &t.root.join("report.txt"),
        "unfair ban on its trawlers",
        "opinion",
        "dave",
        &[],
    );
    bump(&t.root.join("report.txt.annotations.ron"), 10);
    let codebook = claimmark::storage::codebook::default_codebook();
    let mut renamed = codebook.clone();
    renamed.tags[0].name = "Assertion".into();
    std::fs::write(
        t.root.join("asia").join("claimmark.codebook.ron"),
        claimmark::storage::codebook::to_ron(&renamed),
    )
    .expect("codebook");
    let p = ScanProgress::default();
    let fourth = scan(&t.root, Some(&cache), &p).expect("scan");
    assert_eq!(reused(&p), 3, "tokyo, orphan and undated");
    assert_eq!(fourth, scan_tree(&t));
    assert_eq!(fourth.claims.len(), 9);
    let b1 = fourth
        .claims
        .iter()
        .find(|c| c.id == t.id("b1"))
        .expect("b1");
    assert_eq!(b1.tag_label, "Assertion");
    let c1 = fourth
        .claims
        .iter()
        .find(|c| c.id == t.id("c1"))
        .expect("c1");
    assert_eq!(
        c1.tag_label, "Claim",
        "asia/deep has no codebook of its own"
    );

    // A deleted article disappears; nothing else is read again.
    std::fs::remove_file(t.root.join("orphan.txt")).expect("remove");
    let p = ScanProgress::default();
    let fifth = scan(&t.root, Some(&cache), &p).expect("scan");
    assert_eq!(reused(&p), 4);
    assert_eq!(fifth.articles.len(), 5);
    assert_eq!(fifth, scan_tree(&t));

    // Corrupt, truncated, deleted or foreign cache files: everything is read again.
    let bytes = std::fs::read(&cache).expect("cache");
    let reads_everything = |what: &str| {
        let p = ScanProgress::default();
        let index = scan(&t.root, Some(&cache), &p).expect("scan");
        assert_eq!(reused(&p), 0, "{what}");
        assert_eq!(index, fifth, "{what}");
    };
    std::fs::write(&cache, &bytes[..bytes.len() / 2]).expect("truncate");
    reads_everything("truncated");
    std::fs::write(&cache, b"not a cache at all").expect("garbage");
    reads_everything("garbage");
    let mut flipped = bytes.clone();
    flipped[16] ^= 0xff; // the format version
    std::fs::write(&cache, &flipped).expect("version");
    reads_everything("another format version");
    std::fs::remove_file(&cache).expect("delete");
    reads_everything("deleted");
    // Rewritten each time: the next scan reuses again.
    let p = ScanProgress::default();
    scan(&t.root, Some(&cache), &p).expect("scan");
    assert_eq!(reused(&p), 4);

    // Bytes flipped inside an entry's data: that entry is read again, the rest reused.
    let bytes = std::fs::read(&cache).expect("cache");
    let mut damaged = bytes.clone();
    // The header is last, its length in the last 8 bytes; the last entry ends where it begins
    // and starts with its article's path (the last one before the header).
    let header_len = u64::from_le_bytes(bytes[bytes.len() - 8..].try_into().expect("8 bytes"));
    let header_at = bytes.len() - 8 - header_len as usize;
    let root = t.root.to_str().expect("UTF-8").as_bytes();
    let last = bytes[..header_at]
        .windows(root.len())
        .rposition(|w| w == root)
        .expect("the last entry's path");
    for b in &mut damaged[last..header_at] {
        *b = 0xff;
    }
    std::fs::write(&cache, &damaged).expect("damage");
    let p = ScanProgress::default();
    let index = scan(&t.root, Some(&cache), &p).expect("scan");
    assert_eq!(index, fifth);
    assert_eq!(reused(&p), 3, "the damaged last entry was read again");

    // The same tree copied elsewhere: the cache belongs to the first root.
    let copy = cache_dir.path().join("copy");
    copy_tree(&t.root, &copy);
    let p = ScanProgress::default();
    let other = scan(&copy, Some(&cache), &p).expect("scan");
    assert_eq!(reused(&p), 0);
    assert_eq!(other.claims.len(), fifth.claims.len());
}

/// The runs of [`scan_in_batches`] (`claimmark list`'s scan), joined: every article and row of
/// the whole scan, in its order, each run resolving names against the whole tree.
fn joined_runs(t: &Tree, cache: Option<&Path>, batch: usize) -> (Index, Vec<String>) {
    let mut joined = Index::default();
    let skipped = scan_in_batches(
        &t.root,
        cache,
        batch,
        &ScanProgress::default(),
        &mut |run: claimmark::review::Run| {
            let run = run.index;
            assert!(run.articles.len() <= batch, "a run holds at most {batch}");
            assert!(!run.articles.is_empty());
            let offset = joined.articles.len();
            let mut rows = joined.claims.to_rows();
            rows.extend(run.claims.iter().map(|mut row| {
                row.article += offset;
                row
            }));
            joined.claims = claimmark::review::Claims::from_rows(&rows);
            joined.articles.extend(run.articles);
            joined.tags = run.tags;
            joined.sources = run.sources;
            true
        },
    )
    .expect("scan in runs");
    (joined, skipped)
}

#[test]
fn scanning_in_runs_gives_the_whole_scan_and_the_same_cache() {
    let t = tree();
    let whole = scan_tree(&t);
    for batch in [1, 2, 4, 100] {
        let (joined, skipped) = joined_runs(&t, None, batch);
        assert_eq!(joined.articles, whole.articles, "runs of {batch}");
        assert_eq!(
            joined.claims.to_rows(),
            whole.claims.to_rows(),
            "runs of {batch}"
        );
        assert_eq!(joined.tags, whole.tags, "runs of {batch}");
        assert_eq!(joined.sources, whole.sources, "runs of {batch}");
        assert_eq!(skipped, whole.skipped);
    }

    // The cache written run by run is the one the whole scan writes, byte for byte.
    let cache_dir = tempfile::tempdir().expect("tempdir");
    let by_scan = cache_dir.path().join("scan.bin");
    let by_runs = cache_dir.path().join("runs.bin");
    scan(&t.root, Some(&by_scan), &ScanProgress::default()).expect("scan");
    let (from_nothing, _) = joined_runs(&t, Some(&by_runs), 2);
    assert_eq!(from_nothing.claims.to_rows(), whole.claims.to_rows());
    assert_eq!(
        std::fs::read(&by_runs).expect("written by runs"),
        std::fs::read(&by_scan).expect("written by the scan")
    );
    let p = ScanProgress::default();
    assert_eq!(scan(&t.root, Some(&by_runs), &p).expect("scan"), whole);
    assert_eq!(reused(&p), 5, "every readable article from the runs' cache");

    // From the cache: the same runs; an unchanged tree leaves the file alone.
    let stamp = |p: &Path| {
        let m = std::fs::metadata(p).expect("cache file");
        (
            m.modified().expect("mtime"),
            std::os::unix::fs::MetadataExt::ino(&m),
        )
    };
    let before = stamp(&by_runs);
    let (from_cache, _) = joined_runs(&t, Some(&by_runs), 2);
    assert_eq!(from_cache.claims.to_rows(), whole.claims.to_rows());
    assert_eq!(from_cache.articles, whole.articles);
    assert_eq!(stamp(&by_runs), before, "not rewritten");

    // A sidecar changed: rewritten, with the change.
    let sidecar = t.root.join("undated.txt.annotations.ron");
    let text = std::fs::read_to_string(&sidecar).expect("read");
    std::fs::write(
        &sidecar,
        text.replace("status: refuted", "status: disputed"),
    )
    .expect("write");
    bump(&sidecar, 5);
    let (changed, _) = joined_runs(&t, Some(&by_runs), 2);
    assert_eq!(changed.claims.to_rows(), scan_tree(&t).claims.to_rows());
    assert_ne!(stamp(&by_runs), before, "rewritten");
    let p = ScanProgress::default();
    scan(&t.root, Some(&by_runs), &p).expect("scan");
    assert_eq!(reused(&p), 5, "the rewritten cache holds the change");

    // A reader that stops after the first run: no cache file, no temporary file left.
    let stopped = cache_dir.path().join("stopped").join("cache.bin");
    let mut runs = 0;
    scan_in_batches(
        &t.root,
        Some(&stopped),
        2,
        &ScanProgress::default(),
        &mut |_| {
            runs += 1;
            false
        },
    )
    .expect("scan");
    assert_eq!(runs, 1);
    let left: Vec<_> = std::fs::read_dir(stopped.parent().expect("folder"))
        .expect("the cache folder")
        .collect();
    assert!(left.is_empty(), "{left:?}");
}

/// An article whose annotations use every part of the record `list` prints: several
/// fragments, a source span, a changed quote, confidence, links to another article, a note,
/// a title and a URL from its page.
fn write_rich_article(dir: &Path) -> PathBuf {
    use claimmark::anchoring;
    use claimmark::model::{
        AnnotationId, Confidence, Credibility, Link, LinkKind, Reliability, Span, Status,
    };
    use claimmark::storage::sidecar;
    let path = dir.join("rich.html");
    std::fs::write(
        &path,
        "<html><head><title>Harbour talks</title>\
         <link rel=canonical href=\"https://example.org/harbour\"></head><body><article>\
         <p>The minister said on Tuesday that the harbour would reopen in May, \
         and the union said the talks had failed.</p>\
         <p>According to the port authority, 40 ships are waiting.</p></article></body></html>",
    )
    .expect("article");
    let session = claimmark::session::Session::open(&path).expect("open");
    let article = session.article();
    let at = |word: &str| {
        article
            .text
            .find(word)
            .map(|b| article.text[..b].chars().count())
    };
    let span = |word: &str| {
        let start = at(word).expect(word);
        Span {
            start,
            end: start + word.chars().count(),
        }
    };
    let mut a = session.new_annotation(span("the harbour would reopen"), "claim", "", "ana");
    a.fragments
        .push(anchoring::capture(article, span("in May")));
    a.tags.push("statistic".into());
    a.note = "Two pieces, one claim.\nSecond line.".into();
    let r = &mut a.record;
    r.attributed_to = Some("The minister".into());
    r.source_span = Some(anchoring::capture(article, span("The minister")));
    r.via = vec!["Inland Courier".into(), "KSNA".into()];
    r.reliability = Some(Reliability::B);
    r.credibility = Some(Credibility::ALL[2]);
    r.status = Status::Disputed;
    r.confidence = Some(Confidence::High);
    r.links = vec![
        Link {
            kind: LinkKind::SameClaimAs,
            target: AnnotationId("elsewhere".into()),
            article: Some("report.txt".into()),
        },
        Link {
            kind: LinkKind::Contradicts,
            target: AnnotationId("here".into()),
            article: None,
        },
    ];
    let mut b = session.new_annotation(span("40 ships are waiting"), "statistic", "", "bo");
    b.fragments[0].original_quote = Some("40 ships wait".into());
    b.record.attributed_to = Some("port authority".into());
    b.record.credibility = Some(Credibility::ALL[0]);
    let c = session.new_annotation(span("the talks had failed"), "claim", "", "bo");
    let header = sidecar::Header {
        article: "rich.html",
        fingerprint: session.article().fingerprint(),
        source: Some(session.source()),
        rejected: &sidecar::NO_REJECTIONS,
    };
    std::fs::write(
        sidecar::sidecar_path(&path),
        sidecar::render(&header, [&a, &b, &c].into_iter()),
    )
    .expect("sidecar");
    path
}

/// What `list` prints of each article of a run, in every format: from the run (the scan's
/// rows and the cache's extras), and from the article opened as a session.
#[test]
fn what_list_prints_from_the_cache_is_what_the_session_prints() {
    use claimmark::export::{Printed, csv::CsvExport, jsonl};
    let t = tree();
    write_rich_article(&t.root);
    let cache_dir = tempfile::tempdir().expect("tempdir");
    let cache = cache_dir.path().join("cache.bin");
    let print = |article: &Printed,
                 rows: &[(
        claimmark::model::Annotation,
        claimmark::session::AnchorStatus,
    )]| {
        let mut csv = CsvExport::rows_only(Vec::new(), false);
        csv.rows(article, rows.iter().map(|(a, s)| (a, *s)))
            .expect("csv");
        let mut out = String::from_utf8(csv.into_inner().expect("csv")).expect("utf-8");
        for (a, s) in rows {
            let line = format!("{}\n", jsonl::object_of(article, a, *s));
            // Written directly, the line is the object's bytes (its keys in order).
            let mut written = Vec::new();
            jsonl::write_line(&mut written, article, a, *s).expect("write");
            assert_eq!(String::from_utf8(written).expect("UTF-8"), line);
            out.push_str(&line);
        }
        out
    };
    // Cold (the extras the scan made from what it read), then from the cache file.
    for round in ["read", "cached"] {
        let mut made = 0;
        scan_in_batches(
            &t.root,
            Some(&cache),
            3,
            &ScanProgress::default(),
            &mut |run| {
                for (i, entry) in run.index.articles.iter().enumerate() {
                    let from_run = run.printed(i, &|_| true);
                    if entry.unreadable {
                        assert!(from_run.is_none(), "{round}: {}", entry.path.display());
                        continue;
                    }
                    let (printed, rows) = from_run
                        .unwrap_or_else(|| panic!("{round}: {} kept", entry.path.display()));
                    let session = claimmark::session::Session::open(&entry.path).expect("open");
                    let expected: Vec<_> = session
                        .annotations()
                        .iter()
                        .map(|a| {
                            let mut a = a.clone();
                            a.anchor.history.clear();
                            let status = session.anchor_status(&a);
                            (a, status)
                        })
                        .collect();
                    let opened = Printed::of(&session);
                    assert_eq!(printed, opened, "{round}");
                    assert_eq!(rows, expected, "{round}: {}", entry.path.display());
                    assert_eq!(print(&printed, &rows), print(&opened, &expected));
                    // Only the wanted ones are made.
                    let first = rows.first().map(|(a, _)| a.id.0.clone());
                    let (_, one) = run
                        .printed(i, &|id| Some(id) == first.as_deref())
                        .expect("kept");
                    assert_eq!(one.len(), rows.len().min(1));
                    made += rows.len();
                }
                true
            },
        )
        .expect("scan");
        assert_eq!(made, 11, "{round}: every readable annotation");
    }
}

/// A folder's CSV and JSON Lines exports through the review's cache are byte for byte those
/// made by opening every article, with the same summary: cold (the cache written on the
/// way), then from the cache, with every option that changes what is written.
#[test]
fn a_folder_export_through_the_cache_is_the_export_of_every_article() {
    use claimmark::export::{Filter, Format, Options, run, run_folder};
    let t = tree();
    write_rich_article(&t.root);
    let (articles, _) = claimmark::review::scan::walk(&t.root).expect("walk");
    let out_dir = tempfile::tempdir().expect("tempdir");
    let cache = out_dir.path().join("cache.bin");
    let cases = [
        (Format::Csv, false, false, vec![]),
        (Format::Csv, true, false, vec!["Claim".to_owned()]),
        (Format::Csv, false, true, vec![]),
        (Format::Jsonl, false, false, vec![]),
        (
            Format::Jsonl,
            false,
            false,
            vec!["statistic".to_owned(), "prediction".to_owned()],
        ),
    ];
    for round in ["cold", "cached"] {
        if round == "cold" {
            let _ = std::fs::remove_file(&cache);
        }
        for (n, (format, bom, taguette, tags)) in cases.iter().enumerate() {
            let options = |name: &str| Options {
                format: *format,
                output: Some(out_dir.path().join(format!("{round}-{n}-{name}"))),
                filter: Filter {
                    tags: tags.clone(),
                    ids: None,
                },
                bom: *bom,
                taguette: *taguette,
            };
            let (each, through) = (options("each"), options("cache"));
            let mut calls = 0;
            let expected = run(&articles, &each, &mut |_, _| true).expect("export");
            let got = run_folder(
                &t.root,
                &articles,
                (Some(&cache), true),
                &through,
                &mut |done, total| {
                    calls += 1;
                    assert_eq!(total, articles.len());
                    assert_eq!(done, calls);
                    true
                },
            )
            .expect("export through the cache");
            let read = |o: &Options| std::fs::read(o.output.as_ref().expect("file")).expect("read");
            assert_eq!(
                String::from_utf8_lossy(&read(&through)),
                String::from_utf8_lossy(&read(&each)),
                "{round} {n}"
            );
            assert_eq!(got.articles, expected.articles, "{round} {n}");
            assert_eq!(got.annotations, expected.annotations, "{round} {n}");
            assert_eq!(got.skipped, expected.skipped, "{round} {n}");
            assert_eq!(got.notes, expected.notes, "{round} {n}");
            assert_eq!(calls, articles.len());
            assert!(
                cache.exists(),
                "{round} {n}: the cache is written on the way"
            );
        }
    }
    // Cancelled: nothing at the destination.
    let out = out_dir.path().join("cancelled.csv");
    let options = Options {
        format: Format::Csv,
        output: Some(out.clone()),
        filter: Filter::default(),
        bom: false,
        taguette: false,
    };
    let stopped = run_folder(
        &t.root,
        &articles,
        (Some(&cache), true),
        &options,
        &mut |done, _| done < 2,
    );
    assert!(
        matches!(stopped, Err(claimmark::export::ExportError::Cancelled)),
        "{stopped:?}"
    );
    assert!(!out.exists());

    // Some of the articles, and of their claims (what a review shows): the same as opening
    // them, and the cache file, only read, keeps every article's entry.
    let before = std::fs::read(&cache).expect("cache");
    let some: Vec<PathBuf> = articles.iter().step_by(2).cloned().collect();
    let mut ids = HashMap::new();
    for a in &some {
        let session = claimmark::session::Session::open(a).expect("open");
        let first: std::collections::HashSet<String> = session
            .annotations()
            .iter()
            .take(1)
            .map(|x| x.id.0.clone())
            .collect();
        ids.insert(a.clone(), first);
    }
    for format in [Format::Csv, Format::Jsonl] {
        let options = |name: &str| Options {
            format,
            output: Some(out_dir.path().join(format!("some-{name}"))),
            filter: Filter {
                tags: vec![],
                ids: Some(ids.clone()),
            },
            bom: false,
            taguette: false,
        };
        let (each, through) = (options("each"), options("cache"));
        let expected = run(&some, &each, &mut |_, _| true).expect("export");
        let got = run_folder(
            &t.root,
            &some,
            (Some(&cache), false),
            &through,
            &mut |_, _| true,
        )
        .expect("export");
        let read = |o: &Options| std::fs::read(o.output.as_ref().expect("file")).expect("read");
        assert_eq!(
            String::from_utf8_lossy(&read(&through)),
            String::from_utf8_lossy(&read(&each))
        );
        assert_eq!(got.annotations, expected.annotations);
        assert!(got.annotations > 0 && got.annotations <= some.len());
        assert_eq!(std::fs::read(&cache).expect("cache"), before);
    }
}

fn copy_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("mkdir");
    for entry in std::fs::read_dir(from).expect("read") {
        let path = entry.expect("entry").path();
        let target = to.join(path.file_name().expect("name"));
        if path.is_dir() {
            copy_tree(&path, &target);
        } else {
            std::fs::copy(&path, &target).expect("copy");
        }
    }
}

#[test]
fn the_default_cache_file_is_per_root_in_the_user_cache_folder() {
    let t = tree();
    assert_eq!(
        default_cache_file(&t.root),
        None,
        "a folder in the temporary directory gets no cache file"
    );
    // Elsewhere: a file per canonical root in the user's cache folder.
    let base = Path::new("/home/analyst/.cache");
    let file = cache_file_in(base, &t.root);
    let name = file
        .file_name()
        .and_then(|n| n.to_str())
        .expect("file name");
    assert!(
        name.len() == "review-".len() + 16 + ".bin".len()
            && name.starts_with("review-")
            && name.ends_with(".bin")
            && name[7..23].chars().all(|c| c.is_ascii_hexdigit()),
        "{name}"
    );
    assert_eq!(file.parent(), Some(base.join("claimmark").as_path()));
    assert!(!file.starts_with(&t.root), "never next to the articles");
    let same = cache_file_in(base, &t.root.join("asia").join(".."));
    assert_eq!(same, file, "the canonical path names it");
    assert_ne!(cache_file_in(base, &t.root.join("asia")), file);
}

/// The ids `claimmark list` prints for `filter_args` in one format.
fn cli_ids(t: &Tree, index: &Index, format: &str, filter_args: &[&str]) -> BTreeSet<String> {
    let mut args = vec!["list", s(&t.root), "--format", format];
    args.extend_from_slice(filter_args);
    let out = claimmark(&args);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "the broken sidecar: {stderr}");
    assert!(stderr.contains("broken.txt.annotations.ron"), "{stderr}");
    let stdout = String::from_utf8_lossy(&out.stdout);
    match format {
        "jsonl" => stdout
            .lines()
            .map(|l| {
                let v: serde_json::Value = serde_json::from_str(l).expect("json");
                v["id"].as_str().expect("id").to_owned()
            })
            .collect(),
        "csv" => {
            let mut reader = csv::Reader::from_reader(stdout.as_bytes());
            let headers = reader.headers().expect("header").clone();
            assert_eq!(&headers[0], "article_title");
            let id = headers.iter().position(|h| h == "id").expect("id column");
            reader
                .records()
                .map(|r| r.expect("row")[id].to_owned())
                .collect()
        }
        _ => stdout
            .lines()
            .map(|line| {
                // The table has no id: the article and the offsets name the annotation.
                let mut cols = line.split('\t');
                let path = cols.next().expect("path");
                let (start, end) = cols
                    .next()
                    .and_then(|r| r.split_once('-'))
                    .expect("offsets");
                index
                    .claims
                    .iter()
                    .find(|c| {
                        index.articles[c.article].path.to_str() == Some(path)
                            && c.start.to_string() == start
                            && c.end.to_string() == end
                    })
                    .map(|c| c.id.clone())
                    .unwrap_or_else(|| panic!("no annotation for {line}"))
            })
            .collect(),
    }
}

#[test]
fn claimmark_list_answers_like_the_review() {
    let t = tree();
    let index = scan_tree(&t);
    let cases: Vec<(Vec<&str>, Filter)> = vec![
        (vec![], Filter::default()),
        (
            vec!["--tag", "claim"],
            Filter {
                tags: vec!["claim".into()],
                ..Filter::default()
            },
        ),
        (
            vec!["--tag", "Source", "--tag", "prediction"],
            Filter {
                tags: vec!["Source".into(), "prediction".into()],
                ..Filter::default()
            },
        ),
        (
            vec!["--source", "ksna"],
            Filter {
                source: Some("ksna".into()),
                ..Filter::default()
            },
        ),
        (
            vec!["--status", "disputed", "--status", "refuted"],
            Filter {
                statuses: vec!["disputed".into(), "refuted".into()],
                ..Filter::default()
            },
        ),
        (
            vec!["--grade", "B"],
            Filter {
                grade: Some("B".into()),
                ..Filter::default()
            },
        ),
        (
            vec!["--author", "alice", "--since", "2021-06-20"],
            Filter {
                author: Some("alice".into()),
                since: Some("2021-06-20".into()),
                ..Filter::default()
            },
        ),
        (
            vec!["--until", "2021-06-19", "--search", "Confrontation"],
            Filter {
                until: Some("2021-06-19".into()),
                search: "Confrontation".into(),
                ..Filter::default()
            },
        ),
        (
            vec![
                "--tag",
                "claim",
                "--source",
                "Korvan State News Agency",
                "--search",
                "talbot",
            ],
            Filter {
                tags: vec!["claim".into()],
                source: Some("Korvan State News Agency".into()),
                search: "talbot".into(),
                ..Filter::default()
            },
        ),
    ];
    for (args, filter) in &cases {
        let expected = matching(&index, filter);
        assert!(
            args.is_empty() || expected.len() < index.claims.len(),
            "{args:?} filters something"
        );
        for format in ["jsonl", "csv", "table"] {
            assert_eq!(
                cli_ids(&t, &index, format, args),
                expected,
                "list --format {format} {args:?}"
            );
        }
    }
    assert_eq!(
        cli_ids(&t, &index, "jsonl", &[]).len(),
        8,
        "every annotation"
    );

    // Articles given one by one: no error, and each only its own annotations.
    let seoul = t.root.join("asia").join("seoul.txt");
    let out = ok(claimmark(&[
        "list",
        s(&seoul),
        "--format",
        "jsonl",
        "--tag",
        "claim",
    ]));
    assert_eq!(String::from_utf8_lossy(&out.stdout).lines().count(), 2);

    // Flags that cannot mean anything are errors, not empty lists.
    for (flag, value, message) in [
        ("--status", "maybe", "status `maybe`"),
        ("--grade", "Z9", "reliability is a letter"),
        ("--since", "19/06/2021", "--since `19/06/2021`"),
    ] {
        let out = claimmark(&["list", s(&t.root), flag, value]);
        assert_eq!(out.status.code(), Some(1));
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains(message), "{err}");
        assert!(out.stdout.is_empty());
    }
}

#[test]
fn scan_paths_reads_folders_recursively_and_files_as_given() {
    let t = tree();
    let report = t.root.join("report.txt");
    let index = scan_paths(
        &[report.clone(), t.root.join("asia")],
        &ScanProgress::default(),
    )
    .expect("scan");
    let paths: Vec<&Path> = index.articles.iter().map(|a| a.path.as_path()).collect();
    assert_eq!(
        paths,
        [
            report.as_path(),
            &t.root.join("asia/deep/tokyo.md"),
            &t.root.join("asia/seoul.txt")
        ]
    );
    assert_eq!(index.claims.len(), 6);
    // d1 (in undated.txt, not scanned) is missing: a2 alone is no group.
    let groups = register(&index, None);
    assert_eq!(groups.len(), 1);
    assert_eq!(groups[0].members.len(), 3);
    let missing = scan_paths(&[t.root.join("gone.txt")], &ScanProgress::default()).expect("scan");
    assert!(missing.articles[0].unreadable);
    assert!(
        missing.articles[0]
            .attention
            .as_deref()
            .is_some_and(|a| a.contains("gone.txt"))
    );
}

#[test]
fn the_walk_leaves_out_the_exports_folder_so_a_brief_is_not_an_article() {
    let dir = tempfile::tempdir().expect("tempdir");
    seed_article(dir.path());
    let exports = dir.path().join(claimmark::library::EXPORTS_FOLDER);
    std::fs::create_dir(&exports).expect("mkdir");
    // What an export writes there: a brief (an article format) and brat's text copies.
    std::fs::write(exports.join("claims.md"), "# Claims brief\n").expect("write");
    std::fs::create_dir(exports.join("claims-brat")).expect("mkdir");
    std::fs::write(exports.join("claims-brat/report.txt"), "copy").expect("write");
    // A folder that only looks like it is walked as usual.
    std::fs::create_dir(dir.path().join("exports")).expect("mkdir");
    std::fs::write(dir.path().join("exports/kept.md"), "# An article\n").expect("write");
    let (articles, skipped) = claimmark::review::scan::walk(dir.path()).expect("walk");
    assert_eq!(
        articles,
        [
            dir.path().join("exports/kept.md"),
            dir.path().join("report.txt")
        ]
    );
    assert!(skipped.is_empty());
}

/// The app's rescanning scan hands its index over as soon as it is built (before the cache
/// file, seconds of writing for a large tree, is written): the very index it then returns,
/// with the cache file written after. A plain scan, and a rescan that finds nothing changed,
/// publish nothing.
#[test]
fn a_rescanning_scan_publishes_its_index_before_writing_the_cache() {
    let t = tree();
    let cache_dir = tempfile::tempdir().expect("tempdir");
    let file = cache_file_in(cache_dir.path(), &t.root);
    let progress = ScanProgress::default();
    let (index, memory) =
        claimmark::review::scan_remembering(&t.root, Some(&file), None, &progress).expect("scan");
    let index = index.expect("a first scan makes an index");
    let published = progress.built.get().expect("published");
    assert!(std::sync::Arc::ptr_eq(published, &index));
    assert!(file.is_file(), "the cache file is written all the same");
    assert_eq!(
        *index.as_ref(),
        scan_tree(&t),
        "the same rows as a plain scan"
    );

    let plain = ScanProgress::default();
    scan(&t.root, Some(&file), &plain).expect("scan");
    assert!(plain.built.get().is_none());
    let again = ScanProgress::default();
    let (unchanged, _) =
        claimmark::review::scan_remembering(&t.root, Some(&file), memory, &again).expect("scan");
    assert!(unchanged.is_none() && again.built.get().is_none());
}
