//! Black-box tests of the `claimmark` binary on temporary folders.

use std::path::Path;
use std::process::{Command, Output};

use crate::common;
mod guarantees;

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
    let quote = "open to both negotiation and confrontation";
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
    let out = claimmark(&["add", path, "--quote", "Kira Janssen", "--tag", "claim"]);
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
        "Kira Janssen",
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
        "Kira Janssen",
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
        "Kira Janssen",
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
        "Talbot administration",
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
        "(version: 1, sources: [(name: \"Korvan State News Agency\", aliases: [\"KSNA\"], reliability: Some(C)), (name: \"Kira Janssen\", reliability: Some(B))])",
    )
    .expect("registry");
    let first = claimmark(&[
        "add",
        path,
        "--quote",
        "The Korvanian government is open to both negotiation and confrontation with the Talbot administration",
        "--tag",
        "claim",
    ]);
    assert!(first.status.success(), "{}", stderr(&first));
    let first_id = stdout(&first).trim().to_owned();
    let quote = "Kira stressed the need to be prepared for negotiation as well as confrontation";
    let link = format!("same_claim_as:{first_id}");
    let out = claimmark(&[
        "add",
        path,
        "--quote",
        quote,
        "--tag",
        "claim",
        "--source",
        "Kira Janssen",
        "--via",
        "KSNA",
        "--via",
        "Inland Courier",
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
    assert_eq!(v["attributed_to"], "Kira Janssen");
    assert_eq!(
        v["via"],
        serde_json::json!(["Korvan State News Agency", "Inland Courier"]),
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
        "analysts have also said",
        "--tag",
        "claim",
        "--source",
        "ksna",
        "--grade",
        "B2",
    ]);
    assert!(graded.status.success(), "{}", stderr(&graded));
    let table = stdout(&claimmark(&["list", path]));
    assert!(
        table.contains("Korvan State News Agency\tB2\tunverified"),
        "{table}"
    );
    assert!(
        table.contains(
            "Kira Janssen via Korvan State News Agency via Inland Courier\tB\tcorroborated"
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
            "unfair ban on its trawlers",
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
        "Talbot administration",
        "--tag",
        "claim",
    ]);
    git(repo, &["add", "."]);
    assert!(git(repo, &["commit", "-qm", "base"]).status.success());

    git(repo, &["checkout", "-qb", "other"]);
    claimmark(&[
        "add",
        a,
        "--quote",
        "unfair ban on its trawlers",
        "--tag",
        "opinion",
    ]);
    git(repo, &["commit", "-qam", "theirs"]);
    git(repo, &["checkout", "-q", "main"]);
    claimmark(&[
        "add",
        a,
        "--quote",
        "analysts have also said",
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
        "Talbot administration",
        "unfair ban on its trawlers",
        "analysts have also said",
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
/// `claimmark ARGS` that must finish: a command still running after a generous deadline is
/// killed and the test fails, rather than hanging with it. Its memory is capped too, so a
/// regression that reads `/dev/zero` fails instead of exhausting the machine.
fn claimmark_bounded(args: &[&str]) -> Output {
    use std::io::Read;
    use std::process::Stdio;
    let mut child = Command::new("sh")
        .arg("-c")
        .arg("ulimit -v 8000000 && exec \"$0\" \"$@\"")
        .arg(env!("CARGO_BIN_EXE_claimmark"))
        .args(args)
        .env("USER", "tester")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run claimmark");
    let pipes = [
        child
            .stdout
            .take()
            .map(|p| Box::new(p) as Box<dyn Read + Send>),
        child
            .stderr
            .take()
            .map(|p| Box::new(p) as Box<dyn Read + Send>),
    ];
    let readers: Vec<_> = pipes
        .into_iter()
        .map(|pipe| {
            std::thread::spawn(move || {
                let mut out = Vec::new();
                if let Some(mut pipe) = pipe {
                    let _ = pipe.read_to_end(&mut out);
                }
                out
            })
        })
        .collect();
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(120);
    let status = loop {
        if let Some(status) = child.try_wait().expect("wait") {
            break status;
        }
        if std::time::Instant::now() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            panic!("claimmark {args:?} did not finish: it hangs on a special file");
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    };
    let mut outputs = readers.into_iter().map(|r| r.join().expect("reader"));
    Output {
        status,
        stdout: outputs.next().unwrap_or_default(),
        stderr: outputs.next().unwrap_or_default(),
    }
}

/// A sidecar, codebook or source registry that is a named pipe or a link to `/dev/zero`
/// (a cloned repository can carry one), and an article that is one: `check`, `list` and
/// `add` finish with an error naming the file, and nothing is written.
#[test]
fn special_files_are_refused_by_check_list_and_add() {
    let dir = tempfile::tempdir().expect("tempdir");
    let article = seed_article(dir.path());
    let path = article.to_str().expect("utf-8 path");
    let folder = dir.path().to_str().expect("utf-8 path");
    let mkfifo = |p: &Path| {
        let status = Command::new("mkfifo").arg(p).status().expect("mkfifo");
        assert!(status.success());
    };
    // A named pipe, or a link to a character device.
    let make = |p: &Path, kind: &str| match kind {
        "named pipe" => mkfifo(p),
        _ => std::os::unix::fs::symlink("/dev/zero", p).expect("symlink"),
    };
    for name in [
        "report.txt.annotations.ron",
        "claimmark.codebook.ron",
        "claimmark.sources.ron",
    ] {
        let special = dir.path().join(name);
        for kind in ["named pipe", "character device"] {
            make(&special, kind);
            let runs = [
                vec!["check", path],
                vec!["list", folder],
                vec![
                    "add",
                    path,
                    "--quote",
                    "open to both negotiation",
                    "--tag",
                    "claim",
                ],
            ];
            for args in runs {
                let out = claimmark_bounded(&args);
                let said = format!("{}{}", stdout(&out), stderr(&out));
                assert!(
                    !out.status.success() && said.contains(name) && said.contains(kind),
                    "{args:?} with {name} as a {kind}: {said}"
                );
            }
            std::fs::remove_file(&special).expect("remove");
            let left: Vec<_> = std::fs::read_dir(dir.path())
                .expect("list")
                .map(|e| e.expect("entry").file_name())
                .collect();
            assert_eq!(left, ["report.txt"], "nothing written");
        }
    }
    // The article itself.
    let pipe = dir.path().join("pipe.txt");
    mkfifo(&pipe);
    let pipe_path = pipe.to_str().expect("utf-8 path");
    for args in [vec!["check", pipe_path], vec!["show", pipe_path]] {
        let out = claimmark_bounded(&args);
        let said = stderr(&out);
        assert!(
            !out.status.success() && said.contains("pipe.txt") && said.contains("named pipe"),
            "{args:?}: {said}"
        );
    }
}

/// `add --link` refuses a target that is nowhere (exit 1, nothing written, the id named); a
/// target in another article of the folder tree (here the parent folder) is accepted and the
/// link names that article's file. Adding the same annotation again adds nothing: it says so,
/// prints the existing id and exits 0; a different note is another annotation.
#[test]
fn add_checks_link_targets_and_never_adds_a_duplicate() {
    let dir = tempfile::tempdir().expect("tempdir");
    let article = seed_article(dir.path());
    let path = article.to_str().expect("utf-8 path");
    let sub = dir.path().join("2024");
    std::fs::create_dir(&sub).expect("mkdir");
    let other = sub.join("other.txt");
    std::fs::write(
        &other,
        "The minister said the harbour would reopen in spring.\n",
    )
    .expect("write");
    let o = other.to_str().expect("utf-8 path");
    let kira = common::add(&article, "Kira stressed the need", "claim", &[]);
    let sidecar = claimmark::storage::sidecar_path(&article);
    let before = std::fs::read(&sidecar).expect("sidecar");

    let missing = "0b9f3f7e-1111-4222-8333-944455556666";
    let out = claimmark(&[
        "add",
        path,
        "--quote",
        "analysts have also said",
        "--tag",
        "claim",
        "--link",
        &format!("supports:{missing}"),
    ]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let message = stderr(&out);
    assert!(
        message.contains(&format!("link target `{missing}` is not an annotation of"))
            && message.contains("nothing was written"),
        "{message}"
    );
    assert_eq!(std::fs::read(&sidecar).expect("sidecar"), before);
    assert!(!claimmark::storage::sidecar_path(&other).exists());

    // A target in the article, and one in an article of the parent folder.
    let args = [
        "add",
        o,
        "--quote",
        "the harbour would reopen in spring",
        "--tag",
        "claim",
        "--note",
        "port",
        "--link",
        &format!("same_claim_as:{kira}"),
    ];
    let first = claimmark(&args);
    assert!(first.status.success(), "{}", stderr(&first));
    let id = stdout(&first).trim().to_owned();
    let listed = stdout(&claimmark(&["list", o, "--format", "jsonl"]));
    let v: serde_json::Value = serde_json::from_str(listed.trim()).expect("one line");
    assert_eq!(
        v["links"],
        serde_json::json!([{"kind": "same claim as", "target": kira, "article": "report.txt"}])
    );

    // The same again: nothing added, the existing id printed, exit 0.
    let saved = std::fs::read(claimmark::storage::sidecar_path(&other)).expect("sidecar");
    let again = claimmark(&args);
    assert_eq!(again.status.code(), Some(0), "{}", stderr(&again));
    assert_eq!(stdout(&again).trim(), id);
    assert!(
        stderr(&again).contains("already has this annotation"),
        "{}",
        stderr(&again)
    );
    assert_eq!(
        std::fs::read(claimmark::storage::sidecar_path(&other)).expect("sidecar"),
        saved
    );
    // Another note is another annotation.
    let mut different = args.to_vec();
    different[7] = "another reading";
    let third = claimmark(&different);
    assert!(third.status.success(), "{}", stderr(&third));
    assert_ne!(stdout(&third).trim(), id);
    let count = stdout(&claimmark(&["list", o, "--format", "jsonl"]))
        .lines()
        .count();
    assert_eq!(count, 2);
}

#[test]
fn suggest_prints_who_said_what_and_applies_it_once() {
    let dir = tempfile::tempdir().expect("tempdir");
    let article = dir.path().join("wire.txt");
    std::fs::write(
        &article,
        "Ana Ribeiro leads the dock workers' union.\n\n\
         “The queue will grow every night,” she told reporters on Monday.\n\n\
         India Today reported, quoting KCNA, that the leader had inspected a new launcher.\n",
    )
    .expect("write");
    std::fs::write(
        dir.path().join("claimmark.sources.ron"),
        r#"(version: 1, sources: [(name: "Korean Central News Agency", aliases: ["KCNA"])])"#,
    )
    .expect("registry");
    let a = article.to_str().expect("utf-8");
    let out = claimmark(&["suggest", a, "--format", "jsonl"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let rows: Vec<serde_json::Value> = stdout(&out)
        .lines()
        .map(|l| serde_json::from_str(l).expect("JSON"))
        .collect();
    assert_eq!(rows.len(), 2, "{rows:?}");
    let text: Vec<char> = std::fs::read_to_string(&article)
        .expect("read")
        .chars()
        .collect();
    let quote = &rows[0];
    assert_eq!(quote["kind"], "direct");
    assert_eq!(quote["attributed_to"], "Ana Ribeiro");
    assert_eq!(quote["cue"]["text"], "told");
    assert_eq!(quote["source"]["text"], "she");
    let span = &quote["content"][0];
    let (start, end) = (
        span["start"].as_u64().expect("start") as usize,
        span["end"].as_u64().expect("end") as usize,
    );
    assert_eq!(
        text[start..end].iter().collect::<String>(),
        "“The queue will grow every night,”",
        "offsets in code points"
    );
    let relay = &rows[1];
    assert_eq!(relay["kind"], "indirect");
    assert_eq!(relay["attributed_to"], "Korean Central News Agency");
    assert_eq!(relay["via"], serde_json::json!(["India Today"]));

    let out = claimmark(&["suggest", a, "--apply", "--tag", "claim"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("2 of 2 suggestion(s) added"),
        "{}",
        stderr(&out)
    );
    let listed = stdout(&claimmark(&["list", a, "--format", "jsonl"]));
    let rows: Vec<serde_json::Value> = listed
        .lines()
        .map(|l| serde_json::from_str(l).expect("JSON"))
        .collect();
    assert_eq!(rows.len(), 2);
    assert!(
        rows.iter()
            .any(|r| r["attributed_to"] == "Ana Ribeiro" && r["source_span"]["quote"] == "she")
    );
    // Applying again adds nothing: those words are annotated.
    let out = claimmark(&["suggest", a, "--apply", "--tag", "claim"]);
    assert!(
        stderr(&out).contains("0 of 2 suggestion(s) added"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn a_rejected_suggestion_stays_rejected_through_every_writer() {
    let dir = tempfile::tempdir().expect("tempdir");
    let article = dir.path().join("talks.txt");
    std::fs::write(
        &article,
        "“We are ready to talk,” Lee Jae-won said on Monday.\n\n\
         “Nothing has been agreed,” Kim Min-ji told reporters.\n",
    )
    .expect("write");
    let a = article.to_str().expect("utf-8");
    let rows = |out: &Output| -> Vec<serde_json::Value> {
        stdout(out)
            .lines()
            .map(|l| serde_json::from_str(l).expect("JSON"))
            .collect()
    };
    let found = rows(&claimmark(&["suggest", a, "--format", "jsonl"]));
    assert_eq!(found.len(), 2, "{found:?}");

    // The analyst rejects the first in the app: an edit of the session, saved.
    let mut session = claimmark::session::Session::open(&article).expect("open");
    let words = found[0]["quote"].as_str().expect("quote").to_owned();
    session
        .apply(claimmark::model::Edit::Reject(words.clone()))
        .expect("reject");
    session.save().expect("save");
    let sidecar =
        std::fs::read_to_string(dir.path().join("talks.txt.annotations.ron")).expect("sidecar");
    assert!(sidecar.contains("version: 5"), "{sidecar}");
    assert!(sidecar.contains("rejected_suggestions"), "{sidecar}");

    // It is neither listed nor applied again.
    let listed = rows(&claimmark(&["suggest", a, "--format", "jsonl"]));
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0]["attributed_to"], "Kim Min-ji");
    let out = claimmark(&["suggest", a, "--apply", "--tag", "claim"]);
    assert!(
        stderr(&out).contains("1 of 2 suggestion(s) added"),
        "{}",
        stderr(&out)
    );

    // Another writer (add) keeps the rejection; the reopened session has it.
    let out = claimmark(&["add", a, "--tag", "claim", "--quote", "on Monday"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let session = claimmark::session::Session::open(&article).expect("reopen");
    assert!(session.annotations().is_rejected(&words));
    assert_eq!(session.annotations().len(), 2);
    assert!(rows(&claimmark(&["suggest", a, "--format", "jsonl"])).is_empty());
}
