//! Never lose or misplace a claim, part 2: the attacks of a hostile file or a busy team, each
//! run against the real binary.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use crate::common::{add, claimmark, ok};

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn article(dir: &Path, name: &str, text: &str) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, text).expect("write article");
    path
}

const TEXT: &str = "Kim said the port would close on Monday. Lee said talks were over. \
                    The ministry said officials would resign. Analysts doubted all of it.\n";

/// The ids `list` prints for an article.
fn ids(article: &Path) -> Vec<String> {
    let out = ok(claimmark(&[
        "list",
        article.to_str().expect("utf-8"),
        "--format",
        "jsonl",
    ]));
    stdout(&out)
        .lines()
        .map(|l| {
            let v: serde_json::Value = serde_json::from_str(l).expect("json");
            v["id"].as_str().expect("id").to_owned()
        })
        .collect()
}

/// Four writers adding to one article at once: every annotation that was reported added is in
/// the sidecar (they merge under the folder's lock instead of overwriting each other).
#[test]
fn concurrent_writers_lose_no_annotation() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = article(dir.path(), "a.txt", TEXT);
    let writers: Vec<_> = (0..4)
        .map(|w| {
            let path = path.clone();
            std::thread::spawn(move || {
                let mut ids = Vec::new();
                for round in 0..12 {
                    let out = claimmark(&[
                        "add",
                        path.to_str().expect("utf-8"),
                        "--quote",
                        "talks were over",
                        "--tag",
                        "claim",
                        "--note",
                        &format!("writer {w} round {round}"),
                    ]);
                    assert!(out.status.success(), "{}", stderr(&out));
                    ids.push(stdout(&out).trim().to_owned());
                }
                ids
            })
        })
        .collect();
    let mut added: Vec<String> = writers
        .into_iter()
        .flat_map(|w| w.join().expect("writer"))
        .collect();
    added.sort();
    let mut saved = ids(&path);
    saved.sort();
    assert_eq!(added.len(), 48);
    assert_eq!(saved, added, "every reported id is saved, and nothing else");
}

#[test]
fn an_export_never_replaces_an_article_a_sidecar_or_a_folder_file() {
    let dir = tempfile::tempdir().expect("tempdir");
    let a = article(dir.path(), "a.txt", TEXT);
    let other = article(dir.path(), "b.txt", "Another article, annotated.\n");
    add(&a, "talks were over", "claim", &[]);
    add(&other, "Another article", "claim", &[]);
    let sidecar = dir.path().join("a.txt.annotations.ron");
    let codebook = dir.path().join("claimmark.codebook.ron");
    std::fs::copy(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("assets/codebook.ron"),
        &codebook,
    )
    .expect("codebook");
    let before: Vec<Vec<u8>> = [&a, &other, &sidecar, &codebook]
        .iter()
        .map(|p| std::fs::read(p).expect("read"))
        .collect();
    let folder = dir.path().to_str().expect("utf-8");
    for output in [
        a.clone(),
        sidecar.clone(),
        codebook.clone(),
        other.clone(),
        dir.path().join(".").join("a.txt"),
        dir.path().join("a.txt.annotations.ron.bak"),
    ] {
        let out = claimmark(&[
            "export",
            a.to_str().expect("utf-8"),
            "--format",
            "csv",
            "--output",
            output.to_str().expect("utf-8"),
        ]);
        assert!(!out.status.success(), "export over {}", output.display());
        assert!(
            stderr(&out).contains("nothing was written"),
            "{}",
            stderr(&out)
        );
        let out = claimmark(&[
            "export",
            folder,
            "--format",
            "jsonl",
            "--output",
            output.to_str().expect("utf-8"),
        ]);
        assert!(!out.status.success(), "export over {}", output.display());
    }
    let after: Vec<Vec<u8>> = [&a, &other, &sidecar, &codebook]
        .iter()
        .map(|p| std::fs::read(p).expect("read"))
        .collect();
    assert_eq!(before, after);
    // A new file beside them is fine.
    ok(claimmark(&[
        "export",
        folder,
        "--format",
        "csv",
        "--output",
        dir.path().join("claims.csv").to_str().expect("utf-8"),
    ]));
}

#[cfg(unix)]
#[test]
fn an_export_never_writes_through_a_link_at_its_temporary_name() {
    let dir = tempfile::tempdir().expect("tempdir");
    let a = article(dir.path(), "a.txt", TEXT);
    add(&a, "talks were over", "claim", &[]);
    let victim = dir.path().join("victim.txt");
    std::fs::write(&victim, "precious").expect("write");
    // The temporary name of earlier versions, for the next few process ids.
    let me = std::process::id();
    for pid in me..me + 200 {
        let _ = std::os::unix::fs::symlink(&victim, dir.path().join(format!(".out.csv.tmp-{pid}")));
    }
    ok(claimmark(&[
        "export",
        a.to_str().expect("utf-8"),
        "--format",
        "csv",
        "--output",
        dir.path().join("out.csv").to_str().expect("utf-8"),
    ]));
    assert_eq!(std::fs::read_to_string(&victim).expect("read"), "precious");
    assert!(
        std::fs::read_to_string(dir.path().join("out.csv"))
            .expect("read")
            .contains("talks were over")
    );
}

/// One JSON Lines record naming `article` with the span of `quote` in [`TEXT`].
fn record(article: &str, quote: &str) -> String {
    let start = TEXT[..TEXT.find(quote).expect("quote")].chars().count();
    serde_json::json!({
        "article": article,
        "tags": ["claim"],
        "start": start,
        "end": start + quote.chars().count(),
        "quote": quote,
    })
    .to_string()
}

#[test]
fn imports_write_only_inside_the_input_folder() {
    let root = tempfile::tempdir().expect("tempdir");
    let inbox = root.path().join("inbox");
    let elsewhere = root.path().join("elsewhere");
    let cwd = root.path().join("cwd");
    for d in [&inbox, &elsewhere, &cwd] {
        std::fs::create_dir(d).expect("mkdir");
    }
    let victim = article(&elsewhere, "victim.txt", TEXT);
    article(&cwd, "a.txt", TEXT);
    let mine = article(&inbox, "a.txt", TEXT);
    let victim_url = url::Url::from_file_path(&victim).expect("url").to_string();
    let lines = [
        record(victim.to_str().expect("utf-8"), "talks were over"),
        record("../elsewhere/victim.txt", "talks were over"),
        record(&victim_url, "talks were over"),
        record("https://example.org/victim.txt", "talks were over"),
        record("a.txt", "talks were over"),
    ];
    let input = inbox.join("claims.jsonl");
    std::fs::write(&input, lines.join("\n")).expect("write");
    let out = Command::new(env!("CARGO_BIN_EXE_claimmark"))
        .args(["import", input.to_str().expect("utf-8")])
        .current_dir(&cwd)
        .env("USER", "tester")
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let err = stderr(&out);
    for line in [1, 2, 3, 4] {
        assert!(
            err.contains(&format!("claims.jsonl line {line}")),
            "line {line} refused: {err}"
        );
    }
    assert!(
        err.contains("outside") && err.contains("web address"),
        "{err}"
    );
    assert!(
        !elsewhere.join("victim.txt.annotations.ron").exists(),
        "nothing written outside the input's folder"
    );
    assert!(
        !cwd.join("a.txt.annotations.ron").exists(),
        "a bare name is not looked up in the current directory"
    );
    assert_eq!(
        ids(&mine).len(),
        1,
        "the bare name went to the input's folder"
    );
    // With --into FOLDER, the article is looked for there instead.
    let out = Command::new(env!("CARGO_BIN_EXE_claimmark"))
        .args(["import", input.to_str().expect("utf-8"), "--into"])
        .arg(&elsewhere)
        .env("USER", "tester")
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert_eq!(ids(&victim).len(), 1, "{}", stderr(&out));
}

#[cfg(unix)]
#[test]
fn a_save_that_fails_keeps_the_sidecar_and_its_backup() {
    let dir = tempfile::tempdir().expect("tempdir");
    let a = article(dir.path(), "a.txt", TEXT);
    add(&a, "talks were over", "claim", &["--note", "first"]);
    add(&a, "Kim said", "claim", &["--note", "second"]);
    let sidecar = dir.path().join("a.txt.annotations.ron");
    let backup = dir.path().join("a.txt.annotations.ron.bak");
    let (now, then) = (
        std::fs::read(&sidecar).expect("sidecar"),
        std::fs::read(&backup).expect("backup"),
    );
    assert!(
        now.len() > 1024 && then.len() > 512,
        "files larger than the limit below"
    );
    // Files may grow to 512 bytes only: the new sidecar cannot be written (a full disk).
    let out = Command::new("sh")
        .arg("-c")
        .arg("trap '' XFSZ; ulimit -f 1; exec \"$0\" \"$@\"")
        .arg(env!("CARGO_BIN_EXE_claimmark"))
        .args(["add", a.to_str().expect("utf-8"), "--quote", "Lee said"])
        .args(["--tag", "claim", "--note", "third"])
        .env("USER", "tester")
        .output()
        .expect("run");
    assert!(!out.status.success(), "the save failed: {}", stdout(&out));
    assert_eq!(std::fs::read(&sidecar).expect("sidecar"), now);
    assert_eq!(
        std::fs::read(&backup).expect("backup"),
        then,
        "previous generation kept"
    );
    let leftovers: Vec<_> = std::fs::read_dir(dir.path())
        .expect("dir")
        .filter_map(Result::ok)
        .filter(|e| e.file_name().to_string_lossy().ends_with(".tmp"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

#[cfg(unix)]
#[test]
fn a_save_keeps_the_sidecars_mode_and_refuses_a_read_only_one() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().expect("tempdir");
    let a = article(dir.path(), "a.txt", TEXT);
    add(&a, "talks were over", "claim", &[]);
    let sidecar = dir.path().join("a.txt.annotations.ron");
    let mode = |p: &Path| std::fs::metadata(p).expect("meta").permissions().mode() & 0o777;
    std::fs::set_permissions(&sidecar, std::fs::Permissions::from_mode(0o600)).expect("chmod");
    add(&a, "Kim said", "claim", &[]);
    assert_eq!(mode(&sidecar), 0o600, "a private sidecar stays private");
    std::fs::set_permissions(&sidecar, std::fs::Permissions::from_mode(0o444)).expect("chmod");
    let before = std::fs::read(&sidecar).expect("read");
    let out = claimmark(&[
        "add",
        a.to_str().expect("utf-8"),
        "--quote",
        "Lee said",
        "--tag",
        "claim",
    ]);
    assert!(!out.status.success());
    assert!(stderr(&out).contains("read-only"), "{}", stderr(&out));
    assert_eq!(std::fs::read(&sidecar).expect("read"), before);
    assert_eq!(mode(&sidecar), 0o444);
}

#[test]
fn long_file_names_save_again_and_again() {
    let dir = tempfile::tempdir().expect("tempdir");
    // 236 bytes: with ".annotations.ron" and ".bak" the backup's name is 256… too long, so
    // the longest whose sidecar and backup fit: 235 + 16 + 4 = 255.
    let name = format!("{}.txt", "a".repeat(231));
    let a = article(dir.path(), &name, TEXT);
    for quote in ["talks were over", "Kim said", "Lee said"] {
        add(&a, quote, "claim", &[]);
    }
    assert_eq!(ids(&a).len(), 3);
}

#[cfg(unix)]
#[test]
fn a_file_name_that_is_not_utf8_saves_again_and_again() {
    use std::os::unix::ffi::OsStrExt;
    let dir = tempfile::tempdir().expect("tempdir");
    let a = dir
        .path()
        .join(std::ffi::OsStr::from_bytes(b"caf\xe9-report.txt"));
    std::fs::write(&a, TEXT).expect("write");
    for quote in ["talks were over", "Kim said"] {
        let out = Command::new(env!("CARGO_BIN_EXE_claimmark"))
            .arg("add")
            .arg(&a)
            .args(["--quote", quote, "--tag", "claim"])
            .env("USER", "tester")
            .output()
            .expect("run");
        assert!(out.status.success(), "{}", stderr(&out));
    }
    let out = Command::new(env!("CARGO_BIN_EXE_claimmark"))
        .arg("list")
        .arg(&a)
        .output()
        .expect("run");
    assert_eq!(stdout(&out).lines().count(), 2, "{}", stderr(&out));
}

#[test]
fn a_deeply_nested_sidecar_gets_a_message_for_a_person() {
    let dir = tempfile::tempdir().expect("tempdir");
    let a = article(dir.path(), "a.txt", TEXT);
    let sidecar = dir.path().join("a.txt.annotations.ron");
    let bomb = format!("(version: 4, annotations: {})", "[".repeat(10_000));
    std::fs::write(&sidecar, &bomb).expect("write");
    let out = claimmark(&["check", a.to_str().expect("utf-8")]);
    assert_eq!(out.status.code(), Some(1));
    let all = format!("{}{}", stdout(&out), stderr(&out));
    assert!(all.contains("nested too deeply"), "{all}");
    assert!(
        !all.contains("serde_stacker") && !all.contains("ron::"),
        "{all}"
    );
    assert_eq!(std::fs::read_to_string(&sidecar).expect("read"), bomb);
}

#[test]
fn merge_driver_errors_name_the_sidecar_not_gits_temporary_files() {
    let dir = tempfile::tempdir().expect("tempdir");
    let a = article(dir.path(), "a.txt", TEXT);
    add(&a, "talks were over", "claim", &[]);
    let good = std::fs::read_to_string(dir.path().join("a.txt.annotations.ron")).expect("read");
    let (base, ours, theirs) = (
        dir.path().join(".merge_file_AbC1"),
        dir.path().join(".merge_file_XyZ2"),
        dir.path().join(".merge_file_QrS3"),
    );
    std::fs::write(&base, &good).expect("write");
    std::fs::write(&ours, &good).expect("write");
    std::fs::write(&theirs, "(version: 4, annotations: [").expect("write");
    let out = claimmark(&[
        "merge-driver",
        base.to_str().expect("utf-8"),
        ours.to_str().expect("utf-8"),
        theirs.to_str().expect("utf-8"),
        "reports/a.txt.annotations.ron",
    ]);
    assert!(!out.status.success());
    let err = stderr(&out);
    assert!(
        err.contains("reports/a.txt.annotations.ron (theirs)"),
        "{err}"
    );
    assert!(!err.contains(".merge_file_"), "{err}");
}

/// An annotation whose words now stand twice, alike, far from where they were, is reported by
/// `check` and kept detached: never put on one of the two silently.
#[test]
fn check_names_an_annotation_that_fits_two_places() {
    let dir = tempfile::tempdir().expect("tempdir");
    let a = article(
        dir.path(),
        "a.txt",
        "Kim said we are ready today. Lee agreed.\n",
    );
    let id = add(&a, "we are ready", "claim", &[]);
    let intro = "An introduction of some length. ".repeat(20);
    std::fs::write(
        &a,
        format!("{intro}Kim said we are ready today. Lee agreed. Then: Kim said we are ready today. Lee agreed.\n"),
    )
    .expect("write");
    let out = claimmark(&["check", a.to_str().expect("utf-8")]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(
        text.contains(&format!("uncertain {id}")) && text.contains("more than one place"),
        "{text}"
    );
    assert!(text.contains("1 uncertain"), "{text}");
    // Kept, with its history saying why.
    let sidecar = std::fs::read_to_string(dir.path().join("a.txt.annotations.ron")).expect("read");
    assert!(sidecar.contains("uncertain"), "{sidecar}");
    assert!(sidecar.contains(&id));
}
