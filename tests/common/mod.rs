//! Helpers shared by the integration tests.
#![allow(dead_code)] // each test crate uses a different subset

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// A file the tests carry under `tests/` (fixtures, vendored schemas): nothing a test reads
/// lies outside the repository.
pub fn test_file(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests")
        .join(rel)
}

/// A file under `tests/fixtures/`.
pub fn fixture(name: &str) -> PathBuf {
    test_file(&format!("fixtures/{name}"))
}

/// The Python that `tests/run` set up with the validators (`jsonschema`, `xmlschema`, brat's
/// reader) in its own virtual environment, named by `CLAIMMARK_TEST_PYTHON`. Without it the
/// test fails and says how to run it: it never skips, and never uses the system's Python.
pub fn python() -> Command {
    let hint = "run the tests with `tests/run` (add `--test NAME` for one file): it creates the \
                Python environment with the validators and sets CLAIMMARK_TEST_PYTHON";
    let Some(py) = std::env::var_os("CLAIMMARK_TEST_PYTHON") else {
        panic!("CLAIMMARK_TEST_PYTHON is not set: {hint}");
    };
    assert!(
        Path::new(&py).exists(),
        "CLAIMMARK_TEST_PYTHON names {}, which does not exist: {hint}",
        Path::new(&py).display()
    );
    Command::new(py)
}

/// The article written for the tests (`tests/fixtures/seed_article.txt`: a leading dateline,
/// a phrase that occurs twice, curly quotes), copied into `dir` as `report.txt`.
pub fn seed_article(dir: &Path) -> PathBuf {
    let src = fixture("seed_article.txt");
    let dst = dir.join("report.txt");
    std::fs::copy(&src, &dst).expect("copy seed article");
    dst
}

/// Runs the real binary (as the user "tester").
pub fn claimmark(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_claimmark"))
        .args(args)
        .env("USER", "tester")
        .output()
        .expect("run claimmark")
}

/// `claimmark add ARTICLE --quote QUOTE --tag TAG EXTRA…`; returns the new annotation's id.
pub fn add(article: &Path, quote: &str, tag: &str, extra: &[&str]) -> String {
    let mut args = vec![
        "add",
        article.to_str().expect("utf-8 path"),
        "--quote",
        quote,
        "--tag",
        tag,
    ];
    args.extend_from_slice(extra);
    let out = ok(claimmark(&args));
    String::from_utf8(out.stdout)
        .expect("utf-8")
        .trim()
        .to_owned()
}

/// The command succeeded (else its stderr is the failure).
pub fn ok(out: Output) -> Output {
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

/// A folder with the seed article and a second one, annotated through the CLI.
pub fn annotated_folder(dir: &Path) {
    let a = seed_article(dir);
    let a = a.to_str().expect("utf-8");
    let b = dir.join("second.txt");
    std::fs::write(
        &b,
        "The ministry said grain exports rose by 12 per cent, a figure traders disputed.\n",
    )
    .expect("write");
    let b = b.to_str().expect("utf-8");
    ok(claimmark(&[
        "add",
        a,
        "--quote",
        "Kira stressed the need to be prepared for negotiation as well as confrontation",
        "--tag",
        "claim",
        "--source",
        "Kira Janssen",
        "--via",
        "KSNA",
        "--via",
        "Inland Courier",
        "--grade",
        "B2",
        "--note",
        "Said at the plenum, \"quoted\"\nsecond line",
    ]));
    ok(claimmark(&[
        "add",
        a,
        "--quote",
        "analysts have also said",
        "--tag",
        "source",
    ]));
    ok(claimmark(&[
        "add",
        b,
        "--quote",
        "grain exports rose by 12 per cent",
        "--tag",
        "statistic",
        "--status",
        "disputed",
    ]));
}
