//! The sidecar on disk: every shipped format version loads, the record round-trips, and a
//! sidecar this build cannot understand is never overwritten.

use std::path::{Path, PathBuf};

use claimmark::model::{Confidence, Credibility, Edit, Link, LinkKind, Reliability, Span, Status};
use claimmark::session::Session;

use crate::common::seed_article;

fn fixture_copy(dir: &Path) -> PathBuf {
    let fx = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    for name in ["v1_article.txt", "v1_article.txt.annotations.ron"] {
        std::fs::copy(fx.join(name), dir.join(name)).expect("copy fixture");
    }
    dir.join("v1_article.txt")
}

#[test]
fn version_1_fixture_loads() {
    let dir = tempfile::tempdir().expect("tempdir");
    let session = Session::open(&fixture_copy(dir.path())).expect("opens");
    assert_eq!(session.read_only(), None);
    let anns = session.annotations().as_slice();
    assert_eq!(anns.len(), 2);
    assert_eq!(anns[0].fragments[0].span, Span { start: 32, end: 51 });
    assert_eq!(
        session.article().slice(anns[0].extent()),
        "the bridge was safe"
    );
    assert_eq!(
        anns[0].note,
        "Official line.\nCheck against the 2019 report."
    );
    assert_eq!(anns[1].tags, ["evidence", "denial"]);
    assert_eq!(anns[1].quote(), "cracks");
    assert_eq!(anns[1].note, "");
    assert_eq!(session.article().date.as_deref(), Some("2021-06-19"));
}

/// Version 2 (the claim record) as this build wrote it first.
#[test]
fn version_2_fixture_loads() {
    let dir = tempfile::tempdir().expect("tempdir");
    let fx = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    std::fs::copy(fx.join("v1_article.txt"), dir.path().join("v2_article.txt")).expect("copy");
    std::fs::copy(
        fx.join("v2_article.txt.annotations.ron"),
        dir.path().join("v2_article.txt.annotations.ron"),
    )
    .expect("copy");
    let session = Session::open(&dir.path().join("v2_article.txt")).expect("opens");
    assert_eq!(session.read_only(), None);
    let anns = session.annotations().as_slice();
    assert_eq!(anns.len(), 2);
    let r = &anns[1].record;
    assert_eq!(r.attributed_to.as_deref(), Some("Ministry of Works"));
    assert_eq!(r.via, ["Daily Ledger", "State radio"]);
    assert_eq!(
        (r.reliability, r.credibility),
        (Some(Reliability::B), Some(Credibility::ProbablyTrue))
    );
    assert_eq!(r.status, Status::Disputed);
    assert_eq!(r.confidence, Some(Confidence::Moderate));
    assert_eq!(
        r.links,
        [Link {
            kind: LinkKind::Contradicts,
            target: anns[0].id.clone(),
            article: None
        }]
    );
    assert_eq!(
        session
            .article()
            .slice(r.source_span.as_ref().expect("source span").span),
        "Officials"
    );
    assert_eq!(anns[0].record, Default::default());
}

#[test]
fn annotations_round_trip_through_the_sidecar() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = fixture_copy(dir.path());
    let mut session = Session::open(&path).expect("opens");
    let mut ann = session.new_annotation(
        Span { start: 17, end: 26 },
        "source",
        "said by “officials”\nline two",
        "zoë",
    );
    ann.fragments.push(claimmark::anchoring::capture(
        session.article(),
        Span { start: 87, end: 93 },
    ));
    let target = session.annotations().as_slice()[0].id.clone();
    let r = &mut ann.record;
    r.attributed_to = Some("Ministry of Works".into());
    r.source_span = Some(claimmark::anchoring::capture(
        session.article(),
        Span { start: 17, end: 26 },
    ));
    r.via = vec!["India Today".into(), "KCNA".into()];
    r.reliability = Some(Reliability::B);
    r.credibility = Some(Credibility::ProbablyTrue);
    r.status = Status::Disputed;
    r.confidence = Some(Confidence::Moderate);
    r.links = vec![
        Link {
            kind: LinkKind::SameClaimAs,
            target,
            article: None,
        },
        Link {
            kind: LinkKind::Contradicts,
            target: claimmark::model::AnnotationId("elsewhere".into()),
            article: Some("other.txt".into()),
        },
    ];
    session.apply(Edit::Add(ann)).expect("add");
    assert!(session.is_dirty());
    session.save().expect("save");
    assert!(!session.is_dirty());
    let reopened = Session::open(&path).expect("reopens");
    assert_eq!(
        reopened.annotations().as_slice(),
        session.annotations().as_slice()
    );
    let text = std::fs::read_to_string(session.sidecar_path()).expect("read");
    // Without rejected suggestions the file is a version-4 file (older builds read it).
    assert!(
        text.contains("version: 4,") && text.contains("fingerprint: \"sha256:"),
        "{text}"
    );
    assert!(
        text.contains("status: disputed") && text.contains("kind: same_claim_as"),
        "{text}"
    );
    // Sorted by position: the new annotation (start 17) comes first.
    let first = text.find("Officials").expect("quote");
    let second = text.find("the bridge was safe").expect("quote");
    assert!(first < second);
}

#[test]
fn an_edited_article_keeps_its_annotations_on_the_same_words() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = fixture_copy(dir.path());
    let text = std::fs::read_to_string(&path).expect("read");
    let edited = text
        .replace(
            "\n\nEngineers",
            "\n\nA new paragraph was inserted here.\n\nEngineers",
        )
        .replace('\n', "\r\n");
    std::fs::write(&path, edited).expect("write");
    let session = Session::open(&path).expect("opens");
    assert_eq!(session.read_only(), None);
    assert_eq!(session.anchor_counts().moved, 1);
    assert!(session.anchoring_changed());
    let anns = session.annotations().as_slice();
    assert_eq!(session.article().slice(anns[1].extent()), "cracks");
    assert_eq!(
        session.article().slice(anns[0].extent()),
        "the bridge was safe"
    );
}

/// Each broken sidecar opens read-only with a message, and saving leaves it byte for byte.
#[test]
fn unreadable_sidecars_are_never_overwritten() {
    let good = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/v1_article.txt.annotations.ron"),
    )
    .expect("fixture");
    let v2 = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/v2_article.txt.annotations.ron"),
    )
    .expect("fixture")
    .replace("v2_article.txt", "v1_article.txt");
    // Written for exactly this text: offsets beyond it can only mean a corrupt file.
    let text = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/v1_article.txt"),
    )
    .expect("article");
    let real = claimmark::storage::sidecar::fingerprint(&text);
    let good = good.replace("sha256:0000", &real);
    let v2 = v2.replace("sha256:0000", &real);
    let cases: Vec<(&str, Vec<u8>, &str)> = vec![
        (
            "truncated",
            good.as_bytes()[..good.len() / 2].to_vec(),
            "line",
        ),
        (
            "newer version",
            good.replace("version: 1", "version: 7").into_bytes(),
            "newer",
        ),
        (
            "unknown field",
            good.replace(
                "author: \"analyst\",\n      created: \"2026-11-27T10:01:00Z\"",
                "author: \"analyst\",\n      mood: \"x\",\n      created: \"2026-11-27T10:01:00Z\"",
            )
            .into_bytes(),
            "mood",
        ),
        (
            "end before start",
            good.replace("start: 87, end: 93", "start: 93, end: 87")
                .into_bytes(),
            "not after start",
        ),
        (
            "beyond the text",
            good.replace("start: 87, end: 93", "start: 87, end: 9300")
                .into_bytes(),
            "beyond",
        ),
        (
            "duplicate ids",
            good.replace(
                "7d0c2a4e-2222-4c1e-9a51-0d1f3f6b2a02",
                "7d0c2a4e-1111-4c1e-9a51-0d1f3f6b2a01",
            )
            .into_bytes(),
            "twice",
        ),
        (
            "not utf-8",
            [good.as_bytes(), b"\xff\xfe"].concat(),
            "UTF-8",
        ),
        (
            "not a sidecar",
            good.replace("claimmark-sidecar", "something-else")
                .into_bytes(),
            "format is `something-else`",
        ),
        (
            "bad grade",
            v2.replace("reliability: Some(\"B\")", "reliability: Some(\"Q\")")
                .into_bytes(),
            "reliability `Q`",
        ),
        (
            "bad credibility",
            v2.replace("credibility: Some(2)", "credibility: Some(9)")
                .into_bytes(),
            "credibility 9",
        ),
        (
            "bad status",
            v2.replace("status: disputed", "status: maybe").into_bytes(),
            "maybe",
        ),
        (
            "source span beyond the text",
            v2.replace(
                "source_span: Some((start: 17, end: 26",
                "source_span: Some((start: 17, end: 2600",
            )
            .into_bytes(),
            "beyond",
        ),
    ];
    for (what, bytes, needle) in cases {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = fixture_copy(dir.path());
        let sidecar = dir.path().join("v1_article.txt.annotations.ron");
        std::fs::write(&sidecar, &bytes).expect("write");
        let mut session = Session::open(&path).expect("the article still opens");
        let reason = session
            .read_only()
            .unwrap_or_else(|| panic!("{what}: should be read-only"));
        assert!(reason.contains(needle), "{what}: {reason}");
        assert!(session.save().is_err(), "{what}: save refused");
        let edit = session.new_annotation(Span { start: 17, end: 26 }, "claim", "", "x");
        assert!(
            session.apply(Edit::Add(edit)).is_err(),
            "{what}: edits refused"
        );
        assert_eq!(
            std::fs::read(&sidecar).expect("read"),
            bytes,
            "{what}: unchanged"
        );
    }
}

#[test]
fn the_sidecar_sits_next_to_the_article() {
    assert_eq!(
        claimmark::storage::sidecar_path(Path::new("/a/b/report.txt")),
        Path::new("/a/b/report.txt.annotations.ron")
    );
}

/// An annotation whose words are gone is orphaned, not dropped: opening changes nothing on
/// disk, and a later save keeps it, marked, with its quote and offsets as they were.
#[test]
fn orphans_are_kept_untouched() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = fixture_copy(dir.path());
    let sidecar = dir.path().join("v1_article.txt.annotations.ron");
    let gone = std::fs::read_to_string(&sidecar)
        .expect("read")
        .replace("quote: \"cracks\"", "quote: \"cracks in the wall\"");
    std::fs::write(&sidecar, &gone).expect("write");
    let mut session = Session::open(&path).expect("opens");
    assert_eq!(session.read_only(), None, "an orphan is not an error");
    assert_eq!(session.anchor_counts().orphaned, 1);
    assert_eq!(
        std::fs::read_to_string(&sidecar).expect("read"),
        gone,
        "opening writes nothing"
    );
    let ann = session.new_annotation(Span { start: 17, end: 26 }, "claim", "", "x");
    session.apply(Edit::Add(ann)).expect("add");
    session.save().expect("save");
    let text = std::fs::read_to_string(&sidecar).expect("read");
    assert!(
        text.contains("orphaned: true") && text.contains("quote: \"cracks in the wall\""),
        "{text}"
    );
    assert!(
        text.contains("start: 87") && text.contains("end: 93"),
        "offsets as they were: {text}"
    );
    let reopened = Session::open(&path).expect("reopens");
    assert_eq!(reopened.annotations().len(), 3);
    assert_eq!(reopened.anchor_counts().orphaned, 1);
}

/// Offsets beyond the text are expected when the article got shorter since the sidecar was
/// written (its fingerprint differs): the words are found again, nothing is read-only.
#[test]
fn a_shortened_article_re_anchors_instead_of_failing() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = fixture_copy(dir.path());
    std::fs::write(&path, "Engineers disputed that, citing “cracks”.").expect("shorten");
    let session = Session::open(&path).expect("opens");
    assert_eq!(session.read_only(), None);
    let counts = session.anchor_counts();
    assert_eq!((counts.moved, counts.orphaned), (1, 1), "{counts}");
}

/// A save never replaces a file another program wrote since it was read.
#[test]
fn a_save_refuses_to_overwrite_a_change_made_since_reading() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = fixture_copy(dir.path());
    let mut mine = Session::open(&path).expect("open");
    let mut theirs = Session::open(&path).expect("open");
    let ann = theirs.new_annotation(Span { start: 17, end: 26 }, "source", "", "them");
    theirs.apply(Edit::Add(ann)).expect("add");
    theirs.save().expect("their save");
    let on_disk = std::fs::read(mine.sidecar_path()).expect("read");
    let ann = mine.new_annotation(Span { start: 0, end: 5 }, "claim", "", "me");
    mine.apply(Edit::Add(ann)).expect("add");
    match mine.save() {
        Err(claimmark::session::SaveError::ChangedOnDisk { contents, .. }) => {
            assert_eq!(
                contents.as_deref(),
                Some(on_disk.as_slice()),
                "what is on disk now"
            )
        }
        other => panic!("expected ChangedOnDisk, got {other:?}"),
    }
    assert_eq!(
        std::fs::read(mine.sidecar_path()).expect("read"),
        on_disk,
        "untouched"
    );
}

/// Version 3 (the anchoring state) as this build wrote it, every field spelled out.
#[test]
fn version_3_fixture_loads() {
    let dir = tempfile::tempdir().expect("tempdir");
    let fx = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    std::fs::copy(fx.join("v1_article.txt"), dir.path().join("v3_article.txt")).expect("copy");
    std::fs::copy(
        fx.join("v3_article.txt.annotations.ron"),
        dir.path().join("v3_article.txt.annotations.ron"),
    )
    .expect("copy");
    let session = Session::open(&dir.path().join("v3_article.txt")).expect("opens");
    assert_eq!(session.read_only(), None);
    let anns = session.annotations().as_slice();
    assert_eq!(anns.len(), 2);
    // As stored: the second annotation was an orphan with a history (its words are in this
    // text, so opening re-attaches it).
    let stored = claimmark::storage::sidecar::parse(
        &std::fs::read_to_string(fx.join("v3_article.txt.annotations.ron")).expect("read"),
        None,
    )
    .expect("parses");
    assert!(stored.source.is_none());
    let orphan = stored
        .annotations
        .iter()
        .find(|a| a.anchor.orphaned)
        .expect("the orphan is read");
    assert_eq!(orphan.record.via, ["Daily Ledger", "State radio"]);
    assert_eq!(orphan.anchor.history.len(), 1);
    assert_eq!(
        orphan.fragments[0].original_quote.as_deref(),
        Some("the cracks")
    );
    // A version-3 file has no source; the session makes one from the article, first
    // annotated when its earliest annotation was made.
    assert_eq!(session.source().provenance.format, "text");
    assert_eq!(session.source().imported, "2026-11-27T10:00:00Z");
    assert!(session.reextracted().is_none());
}

/// Version 4 records the article's source; a save keeps the first import date, and a sidecar
/// written for text of another extractor is re-anchored and says so.
#[test]
fn version_4_records_the_source_and_keeps_the_import_date() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("page.md");
    std::fs::write(
        &path,
        "---\ntitle: Port reopens\nurl: https://news.example/port\n---\n\n# Port reopens\n\nThe ministry said the port would reopen on Monday.\n",
    )
    .expect("write");
    let mut session = Session::open(&path).expect("opens");
    assert_eq!(session.source().imported, "", "not annotated yet");
    let span = session.article().find_all("the port would reopen")[0];
    let ann = session.new_annotation(span, "claim", "", "analyst");
    session
        .apply(claimmark::model::Edit::Add(ann))
        .expect("add");
    session.save().expect("save");
    let text = std::fs::read_to_string(session.sidecar_path()).expect("read");
    for needle in [
        "version: 4",
        "format: \"markdown\"",
        "extractor: \"markdown 1\"",
        "encoding: Some(\"UTF-8\")",
        "title: Some(\"Port reopens\")",
        "url: Some(\"https://news.example/port\")",
        "file: \"sha256:",
    ] {
        assert!(text.contains(needle), "{needle} in {text}");
    }
    let imported = session.source().imported.clone();
    assert!(!imported.is_empty(), "the first annotation sets it");

    // The same file read later by a different extractor version: offsets are re-anchored.
    let older: String = text
        .replace("extractor: \"markdown 1\"", "extractor: \"markdown 0\"")
        .replace("fingerprint: \"sha256:", "fingerprint: \"sha256:0000")
        .lines()
        .map(|l| {
            if l.trim_start().starts_with("imported:") {
                "    imported: \"2020-01-01T00:00:00Z\",\n".to_owned()
            } else {
                format!("{l}\n")
            }
        })
        .collect();
    std::fs::write(session.sidecar_path(), &older).expect("write");
    let reopened = Session::open(&path).expect("reopens");
    assert_eq!(reopened.read_only(), None, "{older}");
    assert_eq!(reopened.source().imported, "2020-01-01T00:00:00Z");
    assert!(
        reopened
            .reextracted()
            .is_some_and(|m| m.contains("markdown 0")),
        "{:?}",
        reopened.reextracted()
    );
    assert_eq!(
        reopened
            .article()
            .slice(reopened.annotations().as_slice()[0].fragments[0].span),
        "the port would reopen"
    );
    assert_ne!(imported, "2020-01-01T00:00:00Z");
}
fn mkfifo(path: &Path) {
    let status = std::process::Command::new("mkfifo")
        .arg(path)
        .status()
        .expect("run mkfifo");
    assert!(status.success(), "mkfifo {}", path.display());
}

/// A named pipe or a link to `/dev/zero` under the name of a sidecar, codebook or source
/// registry (a cloned repository can carry one) is refused with its name and kind, never
/// opened: a pipe nobody writes to would block the open forever, `/dev/zero` never ends.
#[test]
fn special_files_are_refused_by_the_library_without_being_read() {
    use claimmark::storage::{codebook, sidecar, sources};
    let dir = tempfile::tempdir().expect("tempdir");
    let article = fixture_copy(dir.path());
    let sidecar_file = sidecar::sidecar_path(&article);
    let codebook_file = dir.path().join(codebook::CODEBOOK_FILE);
    let sources_file = dir.path().join(sources::SOURCES_FILE);

    for (make, kind) in [
        (mkfifo as fn(&Path), "named pipe"),
        (
            |p: &Path| std::os::unix::fs::symlink("/dev/zero", p).expect("symlink"),
            "character device",
        ),
    ] {
        std::fs::remove_file(&sidecar_file).expect("remove");
        make(&sidecar_file);
        let err = sidecar::load(&article, None).expect_err("refused");
        let message = err.to_string();
        assert!(
            message.contains("v1_article.txt.annotations.ron") && message.contains(kind),
            "{message}"
        );
        let session = Session::open(&article).expect("the article still opens");
        let reason = session
            .read_only()
            .expect("read-only: the sidecar was not read");
        assert!(reason.contains(kind), "{reason}");

        make(&codebook_file);
        let message = Session::open(&article).expect_err("refused").to_string();
        assert!(
            message.contains(codebook::CODEBOOK_FILE) && message.contains(kind),
            "{message}"
        );
        std::fs::remove_file(&codebook_file).expect("remove");

        make(&sources_file);
        let message = sources::load_for_folder(dir.path())
            .expect_err("refused")
            .to_string();
        assert!(
            message.contains(sources::SOURCES_FILE) && message.contains(kind),
            "{message}"
        );
        std::fs::remove_file(&sources_file).expect("remove");
        // The article itself.
        let pipe = dir.path().join("pipe.txt");
        make(&pipe);
        let message = Session::open(&pipe).expect_err("refused").to_string();
        assert!(
            message.contains("pipe.txt") && message.contains(kind),
            "{message}"
        );
        // The folder scan passes over it and still reads the rest.
        let index = claimmark::review::scan_paths(
            &[dir.path().to_owned()],
            &claimmark::review::ScanProgress::default(),
        )
        .expect("scan");
        assert_eq!(index.articles.len(), 1, "only v1_article.txt");
        // So does the walk's scan, whose read-ahead asks the system for the files the scan
        // is about to read: it never opens one that is not a regular file (opening the pipe
        // would block it, and the scan waits for it).
        claimmark::storage::read::read_ahead(&sidecar_file);
        claimmark::storage::read::read_ahead(&pipe);
        let index = claimmark::review::scan(
            dir.path(),
            None,
            &claimmark::review::ScanProgress::default(),
        )
        .expect("scan");
        assert_eq!(index.articles.len(), 1, "only v1_article.txt");
        std::fs::remove_file(&pipe).expect("remove");
    }
}

/// A sidecar saved by an editor that starts files with a byte-order mark still loads, and
/// saving over it works (its content hash is the file's).
#[test]
fn a_sidecar_with_a_byte_order_mark_loads_and_saves() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = fixture_copy(dir.path());
    let sidecar_file = claimmark::storage::sidecar::sidecar_path(&path);
    let mut bytes = b"\xef\xbb\xbf".to_vec();
    bytes.extend(std::fs::read(&sidecar_file).expect("read"));
    std::fs::write(&sidecar_file, &bytes).expect("write");
    let mut session = Session::open(&path).expect("opens");
    assert_eq!(session.read_only(), None);
    assert_eq!(session.annotations().len(), 2);
    let ann = session.new_annotation(Span { start: 0, end: 5 }, "claim", "", "me");
    session.apply(Edit::Add(ann)).expect("add");
    session.save().expect("saves over the file with the mark");
    assert_eq!(
        Session::open(&path).expect("reopens").annotations().len(),
        3
    );
}

#[test]
fn save_as_continues_in_a_copy_and_never_replaces_an_existing_file() {
    let dir = tempfile::tempdir().expect("tempdir");
    let article = seed_article(dir.path());
    let mut session = Session::open(&article).expect("open");
    let span = session.article().find_all("Talbot administration")[0];
    let ann = session.new_annotation(span, "claim", "", "analyst");
    session.apply(Edit::Add(ann)).expect("add");

    // A name that is taken is refused, and the session stays where it was.
    let taken = dir.path().join("taken.txt");
    std::fs::write(&taken, "someone else's").expect("write");
    let err = session.save_as(&taken).expect_err("taken");
    assert!(err.to_string().contains("already exists"), "{err}");
    assert_eq!(session.path(), article);
    assert_eq!(
        std::fs::read_to_string(&taken).expect("read"),
        "someone else's"
    );

    // A free name next to it: the article and its annotations are there, the original is
    // unchanged (its edits were never saved there).
    let copy = session.copy_beside().expect("a free name");
    assert!(copy.ends_with("report (copy).txt"), "{copy:?}");
    let saved = session.save_as(&copy).expect("save as");
    assert_eq!(saved.from, article);
    assert!(!saved.left_unreadable);
    assert_eq!(session.path(), copy);
    assert!(!session.is_dirty());
    assert_eq!(
        Session::open(&copy).expect("reopen").annotations().len(),
        1,
        "the copy has the annotation"
    );
    assert!(!claimmark::storage::sidecar::sidecar_path(&article).exists());
    // The next free name skips the copy.
    assert!(
        session
            .copy_beside()
            .expect("free")
            .ends_with("report (copy) (copy).txt")
    );
}
