//! Annotations survive realistic edits of the article: typo fixes, inserted and deleted
//! paragraphs, a changed dateline, re-wrapped lines, CRLF. What cannot be found is orphaned,
//! kept, and reported by `claimmark check`.

use std::path::{Path, PathBuf};
use std::process::Command;

use claimmark::anchoring::fuzzy::normalize;
use claimmark::model::{Edit, article::find_exact};
use claimmark::session::{AnchorStatus, Session};

/// In text order.
const QUOTES: &[&str] = &[
    "open to both negotiation and confrontation",
    "analysts have also said that the Korvanian leader is quietly preparing for talks to resume",
    "Kira analysed in detail the catch figures",
    "Kira stressed the need to be prepared for negotiation as well as confrontation",
    "the talks collapsed after Oster rejected Kira’s demands for broad tariff relief",
    "a new approach to Korvania’s fishing fleet that it describes as measured and realistic",
    "the Talbot government would look for a compromise",
];

fn annotate(dir: &Path) -> PathBuf {
    let path = dir.join("report.txt");
    std::fs::copy(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/seed_article.txt"),
        &path,
    )
    .expect("copy");
    let mut session = Session::open(&path).expect("open");
    for q in QUOTES {
        let span = find_exact(&session.article().text, q)[0];
        let ann = session.new_annotation(span, "claim", "", "tester");
        session.apply(Edit::Add(ann)).expect("add");
    }
    session.save().expect("save");
    path
}

/// Hard-wraps one paragraph at about 60 columns, as a text editor's "reflow" would.
fn rewrap(text: &str, starts_with: &str) -> String {
    text.lines()
        .map(|line| {
            if !line.starts_with(starts_with) {
                return line.to_owned();
            }
            let mut out = String::new();
            let mut col = 0;
            for word in line.split(' ') {
                if col > 0 && col + word.len() > 60 {
                    out.push('\n');
                    col = 0;
                } else if col > 0 {
                    out.push(' ');
                    col += 1;
                }
                out.push_str(word);
                col += word.len();
            }
            out
        })
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn realistic_edits_keep_every_annotation_on_the_same_words() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = annotate(dir.path());
    let text = std::fs::read_to_string(&path).expect("read");
    let mut edited = text
        .replace(" date 2021-06-19 ", " date 2021-06-20 ")
        .replace("Kira analysed in detail", "Kira analyzed in detail")
        .replace("tariff relief", "tariffs relief")
        .replace(
            "Quoting Kira Janssen,",
            "Editor’s note: this report was updated with comment from analysts.\n\nQuoting Kira Janssen,",
        );
    let deleted = edited
        .lines()
        .find(|l| l.starts_with("It is worth recalling"))
        .expect("paragraph")
        .to_owned();
    edited = edited.replace(&format!("{deleted}\n\n"), "");
    edited = rewrap(&edited, "Meanwhile, President Anna");
    edited = edited.replace('\n', "\r\n");
    std::fs::write(&path, edited).expect("write");

    let session = Session::open(&path).expect("open");
    assert_eq!(session.read_only(), None);
    let counts = session.anchor_counts();
    assert_eq!(counts.orphaned, 0, "{counts}");
    assert!(counts.fuzzy >= 3 && counts.moved >= 1, "{counts}");
    let expected: Vec<String> = QUOTES
        .iter()
        .map(|q| {
            q.replace("analysed", "analyzed")
                .replace("tariff relief", "tariffs relief")
        })
        .collect();
    for (ann, want) in session.annotations().iter().zip(&expected) {
        let got = session.article().slice(ann.extent());
        assert_eq!(normalize(got), normalize(want), "{:?}", ann.anchor.history);
        assert_eq!(got, ann.quote(), "the stored quote follows the text");
    }
    let fixed = session
        .annotations()
        .iter()
        .find(|a| a.quote().contains("analyzed"))
        .expect("typo fixed");
    assert_eq!(
        fixed.fragments[0].original_quote.as_deref(),
        Some(QUOTES[2]),
        "the original quote is kept"
    );
    assert!(
        fixed.anchor.history.iter().any(|h| h.contains("fuzzy")),
        "{:?}",
        fixed.anchor.history
    );
}

fn claimmark(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_claimmark"))
        .args(args)
        .output()
        .expect("run")
}

#[test]
fn check_writes_resolved_positions_back_and_reports_orphans() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = annotate(dir.path());
    let p = path.to_str().expect("utf-8");
    let out = claimmark(&["check", p]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("7 exact, 0 moved, 0 fuzzy, 0 orphaned"));

    // Insert a paragraph (moves everything) and rewrite one claim beyond recognition.
    let text = std::fs::read_to_string(&path).expect("read");
    let edited = text
        .replacen("\n\n", "\n\nA new first paragraph.\n\n", 1)
        .replace(
            "Kira stressed the need to be prepared for negotiation as well as confrontation",
            "Kira spoke at length",
        );
    std::fs::write(&path, edited).expect("write");
    let sidecar = dir.path().join("report.txt.annotations.ron");
    let out = claimmark(&["check", p]);
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    assert_eq!(
        out.status.code(),
        Some(1),
        "an orphan needs attention: {stdout}"
    );
    assert!(
        stdout.contains("1 orphaned") && stdout.contains("positions written back"),
        "{stdout}"
    );
    assert!(
        stdout.contains("orphaned") && stdout.contains("Kira stressed the need"),
        "{stdout}"
    );
    let written = std::fs::read_to_string(&sidecar).expect("read");
    assert!(
        written.contains("orphaned: true") && written.contains("Kira stressed the need"),
        "kept: {written}"
    );

    // After the write-back, everything attached is exact; the orphan stays an orphan.
    let session = Session::open(&path).expect("open");
    let counts = session.anchor_counts();
    assert_eq!((counts.exact, counts.orphaned), (6, 1), "{counts}");
    let orphan = session
        .annotations()
        .iter()
        .find(|a| a.anchor.orphaned)
        .expect("orphan");
    assert_eq!(session.anchor_status(orphan), AnchorStatus::Orphaned);
    assert_eq!(orphan.quote(), QUOTES[3], "untouched");

    // `list` reports positions in the current text.
    let out = claimmark(&["list", p, "--format", "jsonl"]);
    let text = std::fs::read_to_string(&path).expect("read");
    for line in String::from_utf8_lossy(&out.stdout).lines() {
        let v: serde_json::Value = serde_json::from_str(line).expect("json");
        if v["anchoring"] == "orphaned" {
            continue;
        }
        let (s, e) = (
            v["start"].as_u64().expect("start") as usize,
            v["end"].as_u64().expect("end") as usize,
        );
        let at: String = text.chars().skip(s).take(e - s).collect();
        assert_eq!(at, v["quote"].as_str().expect("quote"));
    }
}
