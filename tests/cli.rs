//! Black-box tests of the `claimmark` binary on temporary folders.

use std::path::Path;
use std::process::{Command, Output};

mod common;

use common::{claimmark, seed_article};

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

#[test]
fn add_then_list_gives_code_point_offsets() {
    let dir = tempfile::tempdir().expect("tempdir");
    let article = seed_article(dir.path());
    let path = article.to_str().expect("utf-8 path");
    let quote = "ready for both dialogue and confrontation";
    let out = claimmark(&[
        "add",
        path,
        "--quote",
        quote,
        "--occurrence",
        "1",
        "--tag",
        "claim",
        "--note",
        "first",
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let sidecar = dir.path().join("report.txt.annotations.ron");
    assert!(sidecar.exists(), "sidecar next to the article");

    let out = claimmark(&["list", path, "--format", "jsonl"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let line = stdout(&out);
    let v: serde_json::Value = serde_json::from_str(line.trim()).expect("one JSON object");
    let text = std::fs::read_to_string(&article).expect("read");
    let start = v["start"].as_u64().expect("start") as usize;
    let end = v["end"].as_u64().expect("end") as usize;
    let by_chars: String = text.chars().skip(start).take(end - start).collect();
    assert_eq!(by_chars, quote);
    // The first occurrence is in the first sentence, after the 17-character dateline.
    assert_eq!(
        start,
        text[..text.find(quote).expect("in text")].chars().count()
    );
    assert_eq!(v["tags"][0], "claim");
    assert_eq!(v["quote"], quote);
    assert_eq!(v["note"], "first");
    assert_eq!(v["author"], "tester");
    assert_eq!(v["article"], path);
    assert!(v["id"].as_str().is_some_and(|id| id.len() == 36));

    let table = claimmark(&["list", dir.path().to_str().expect("utf-8")]);
    assert!(table.status.success());
    assert!(
        stdout(&table).contains(&format!("{start}-{end}\tClaim\t\"{quote}\"")),
        "{}",
        stdout(&table)
    );
}

#[test]
fn ambiguous_and_missing_quotes_are_clear_errors() {
    let dir = tempfile::tempdir().expect("tempdir");
    let article = seed_article(dir.path());
    let path = article.to_str().expect("utf-8 path");
    let out = claimmark(&["add", path, "--quote", "Kim Jong Un", "--tag", "claim"]);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(
        err.contains("found 2 times") && err.contains("report.txt") && err.contains("--occurrence"),
        "{err}"
    );
    assert_eq!(err.lines().count(), 1, "one line: {err}");

    let out = claimmark(&[
        "add",
        path,
        "--quote",
        "Kim Jong Un",
        "--occurrence",
        "3",
        "--tag",
        "claim",
    ]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("occurs 2 time"), "{}", stderr(&out));

    let out = claimmark(&["add", path, "--quote", "no such words", "--tag", "claim"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("not found in") && stderr(&out).contains("report.txt"));

    let out = claimmark(&[
        "add",
        path,
        "--quote",
        "Kim Jong Un",
        "--occurrence",
        "2",
        "--tag",
        "nonsense",
    ]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("no tag `nonsense`"),
        "{}",
        stderr(&out)
    );
    assert!(
        !dir.path().join("report.txt.annotations.ron").exists(),
        "failed adds write nothing"
    );

    let out = claimmark(&[
        "add",
        path,
        "--quote",
        "Kim Jong Un",
        "--occurrence",
        "2",
        "--tag",
        "Source",
    ]);
    assert!(out.status.success(), "tag names work too: {}", stderr(&out));
}

#[test]
fn show_prints_the_canonical_text() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("crlf.txt");
    std::fs::write(&path, "\u{feff}One.\r\n\r\nTwo.\r\n").expect("write");
    let out = claimmark(&["show", path.to_str().expect("utf-8")]);
    assert!(out.status.success());
    assert_eq!(stdout(&out), "One.\n\nTwo.\n");
}

#[test]
fn a_broken_sidecar_is_reported_and_left_untouched() {
    let dir = tempfile::tempdir().expect("tempdir");
    let article = seed_article(dir.path());
    let path = article.to_str().expect("utf-8 path");
    let sidecar = dir.path().join("report.txt.annotations.ron");
    let broken = "(format: \"claimmark-sidecar\", version: 1, article: \"report.txt\",\n  fingerprint: \"x\", annotations: [(id: \"a\",";
    std::fs::write(&sidecar, broken).expect("write");
    let out = claimmark(&["list", path]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("report.txt.annotations.ron") && stderr(&out).contains("line 2"),
        "{}",
        stderr(&out)
    );
    let out = claimmark(&[
        "add",
        path,
        "--quote",
        "Biden administration",
        "--tag",
        "claim",
    ]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        std::fs::read_to_string(&sidecar).expect("read"),
        broken,
        "never overwritten"
    );
}

#[test]
fn errors_name_the_file_and_exit_non_zero() {
    let out = claimmark(&["show", "/nonexistent/article.txt"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("/nonexistent/article.txt"));
    let dir = tempfile::tempdir().expect("tempdir");
    let bin = dir.path().join("image.txt");
    std::fs::write(&bin, b"\x89PNG\r\n\x1a\n\x00\x00").expect("write");
    let out = claimmark(&["list", bin.to_str().expect("utf-8")]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("binary"), "{}", stderr(&out));
}

#[test]
fn add_records_the_claim_and_list_shows_it() {
    let dir = tempfile::tempdir().expect("tempdir");
    let article = seed_article(dir.path());
    let path = article.to_str().expect("utf-8 path");
    std::fs::write(
        dir.path().join("claimmark.sources.ron"),
        "(version: 1, sources: [(name: \"Korean Central News Agency\", aliases: [\"KCNA\"], reliability: Some(C)), (name: \"Kim Jong Un\", reliability: Some(B))])",
    )
    .expect("registry");
    let first = claimmark(&[
        "add",
        path,
        "--quote",
        "The North Korean government is ready for both dialogue and confrontation with the Biden administration",
        "--tag",
        "claim",
    ]);
    assert!(first.status.success(), "{}", stderr(&first));
    let first_id = stdout(&first).trim().to_owned();
    let quote = "Kim stressed the need to get prepared for both dialogue and confrontation";
    let link = format!("same_claim_as:{first_id}");
    let out = claimmark(&[
        "add",
        path,
        "--quote",
        quote,
        "--tag",
        "claim",
        "--source",
        "Kim Jong Un",
        "--via",
        "KCNA",
        "--via",
        "India Today",
        "--status",
        "corroborated",
        "--confidence",
        "high",
        "--note",
        "Party meeting",
        "--link",
        &link,
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let list = claimmark(&["list", path, "--format", "jsonl"]);
    let lines: Vec<serde_json::Value> = stdout(&list)
        .lines()
        .map(|l| serde_json::from_str(l).expect("json"))
        .collect();
    assert_eq!(lines.len(), 2);
    let v = &lines[1];
    assert_eq!(v["quote"], quote);
    assert_eq!(v["attributed_to"], "Kim Jong Un");
    assert_eq!(
        v["via"],
        serde_json::json!(["Korean Central News Agency", "India Today"]),
        "aliases resolve"
    );
    assert_eq!(v["reliability"], "B", "the source's default reliability");
    assert_eq!(v["credibility"], serde_json::Value::Null);
    assert_eq!(v["status"], "corroborated");
    assert_eq!(v["confidence"], "high");
    assert_eq!(v["note"], "Party meeting");
    assert_eq!(v["links"][0]["kind"], "same claim as");
    assert_eq!(v["links"][0]["target"], first_id.as_str());
    assert_eq!(lines[0]["status"], "unverified");

    let graded = claimmark(&[
        "add",
        path,
        "--quote",
        "experts have also said",
        "--tag",
        "claim",
        "--source",
        "kcna",
        "--grade",
        "B2",
    ]);
    assert!(graded.status.success(), "{}", stderr(&graded));
    let table = stdout(&claimmark(&["list", path]));
    assert!(
        table.contains("Korean Central News Agency\tB2\tunverified"),
        "{table}"
    );
    assert!(
        table.contains(
            "Kim Jong Un via Korean Central News Agency via India Today\tB\tcorroborated"
        ),
        "{table}"
    );

    for (flag, value, message) in [
        ("--grade", "Z9", "reliability is a letter A–F"),
        ("--status", "maybe", "status `maybe`"),
        ("--confidence", "total", "confidence `total`"),
        ("--link", "cites:abc", "link kind `cites`"),
    ] {
        let out = claimmark(&[
            "add",
            path,
            "--quote",
            "hostile US policy",
            "--tag",
            "claim",
            flag,
            value,
        ]);
        assert_eq!(out.status.code(), Some(1), "{flag} {value}");
        assert!(
            stderr(&out).contains(message) && stderr(&out).contains("report.txt"),
            "{}",
            stderr(&out)
        );
    }
    assert_eq!(
        stdout(&claimmark(&["list", path])).lines().count(),
        3,
        "failed adds wrote nothing"
    );
}

fn git(dir: &Path, args: &[&str]) -> Output {
    Command::new("git")
        .args([
            "-c",
            "user.name=Tester",
            "-c",
            "user.email=t@example.invalid",
            "-c",
            "init.defaultBranch=main",
        ])
        .args(args)
        .current_dir(dir)
        .output()
        .expect("git")
}

/// Two analysts annotate the same article on two branches; git merges the sidecars by
/// annotation id with `claimmark merge-driver`.
#[test]
fn git_merges_sidecars_by_annotation_id() {
    let dir = tempfile::tempdir().expect("tempdir");
    let repo = dir.path();
    let article = seed_article(repo);
    let a = article.to_str().expect("utf-8");
    let bin = env!("CARGO_BIN_EXE_claimmark");
    assert!(git(repo, &["init", "-q"]).status.success());
    git(
        repo,
        &[
            "config",
            "merge.claimmark.driver",
            &format!("{bin} merge-driver %O %A %B"),
        ],
    );
    std::fs::write(
        repo.join(".gitattributes"),
        "*.annotations.ron merge=claimmark\n",
    )
    .expect("attributes");
    claimmark(&[
        "add",
        a,
        "--quote",
        "Biden administration",
        "--tag",
        "claim",
    ]);
    git(repo, &["add", "."]);
    assert!(git(repo, &["commit", "-qm", "base"]).status.success());

    git(repo, &["checkout", "-qb", "other"]);
    claimmark(&["add", a, "--quote", "hostile US policy", "--tag", "opinion"]);
    git(repo, &["commit", "-qam", "theirs"]);
    git(repo, &["checkout", "-q", "main"]);
    claimmark(&[
        "add",
        a,
        "--quote",
        "experts have also said",
        "--tag",
        "source",
    ]);
    git(repo, &["commit", "-qam", "ours"]);

    let merge = git(repo, &["merge", "-q", "--no-edit", "other"]);
    assert!(
        merge.status.success(),
        "{}",
        String::from_utf8_lossy(&merge.stderr)
    );
    let list = claimmark(&["list", a]);
    let out = stdout(&list);
    for q in [
        "Biden administration",
        "hostile US policy",
        "experts have also said",
    ] {
        assert!(out.contains(q), "{q} kept after the merge: {out}");
    }
    assert!(list.status.success());

    // Both branches change the same annotation: a conflict, reported, with ours kept.
    let sidecar = repo.join("report.txt.annotations.ron");
    git(repo, &["checkout", "-qb", "third"]);
    let text = std::fs::read_to_string(&sidecar).expect("read");
    std::fs::write(
        &sidecar,
        text.replacen("      tags: [", "      note: \"theirs\",\n      tags: [", 1),
    )
    .expect("write");
    git(repo, &["commit", "-qam", "note there"]);
    git(repo, &["checkout", "-q", "main"]);
    std::fs::write(
        &sidecar,
        text.replacen("      tags: [", "      note: \"ours\",\n      tags: [", 1),
    )
    .expect("write");
    git(repo, &["commit", "-qam", "note here"]);
    let merge = git(repo, &["merge", "-q", "--no-edit", "third"]);
    assert!(!merge.status.success(), "a true conflict stops the merge");
    let merged = std::fs::read_to_string(&sidecar).expect("read");
    assert!(
        merged.contains("note: \"ours\"") && !merged.contains("<<<<<<<"),
        "{merged}"
    );
    assert!(
        String::from_utf8_lossy(&merge.stderr).contains("changed on both sides")
            || String::from_utf8_lossy(&merge.stdout).contains("CONFLICT")
    );
}
