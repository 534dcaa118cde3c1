//! W3C Web Annotation export checked against the W3C test suite's JSON schemas (every
//! assertion of `annotationMusts.test`, with Python's `jsonschema`), and import back: JSON
//! Lines, W3C and brat round trips, re-anchoring by quote, never touching what exists.

use std::path::{Path, PathBuf};

use crate::common;

use common::{annotated_folder, claimmark, ok, test_file};
use serde_json::Value;

fn python(script: &str, args: &[&str]) -> String {
    let out = common::python()
        .arg("-c")
        .arg(script)
        .args(args)
        .output()
        .expect("run the test Python");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        !stderr.contains("ModuleNotFoundError"),
        "a Python validator is missing: run the tests with `tests/run`, which installs \
         tests/requirements.txt into its own environment\n{stderr}"
    );
    assert!(
        out.status.success(),
        "python failed:\n{stderr}\n{}",
        String::from_utf8_lossy(&out.stdout)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// Every item of the collection is validated against every schema that
/// `annotationMusts.test` lists, with `$ref`s resolved in `definitions/` and formats (uri,
/// date-time) checked.
const W3C_CHECK: &str = r#"
import json, sys, pathlib
from jsonschema import Draft4Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT4
root = pathlib.Path(sys.argv[1])
resources = []
for p in sorted((root / "definitions").glob("*.json")):
    d = json.loads(p.read_text())
    resources.append((d.get("id", p.name), Resource.from_contents(d, default_specification=DRAFT4)))
registry = Registry().with_resources(resources)
musts = json.loads((root / "annotations" / "annotationMusts.test").read_text())["assertions"]
doc = json.loads(pathlib.Path(sys.argv[2]).read_text())
assert doc["type"] == "AnnotationCollection", doc["type"]
items = doc["first"]["items"]
assert len(items) == int(sys.argv[3]), (len(items), sys.argv[3])
texts = {}
failures = []
for rel in musts:
    schema = json.loads((root / rel).read_text())
    v = Draft4Validator(schema, registry=registry, format_checker=Draft4Validator.FORMAT_CHECKER)
    want = schema.get("expectedResult", "valid") == "valid"
    for i, item in enumerate(items):
        if v.is_valid(item) != want:
            errs = "; ".join(e.message for e in v.iter_errors(item))[:300]
            failures.append(f"{rel} item {i}: {errs}")
for item in items:
    targets = item["target"] if isinstance(item["target"], list) else [item["target"]]
    for t in targets:
        if not t["source"].startswith("file://"):
            continue  # a web page by its address: its saved copy is HTML, sliced by the test
        path = t["source"][len("file://"):]
        from urllib.parse import unquote
        text = texts.setdefault(path, pathlib.Path(unquote(path)).read_text(encoding="utf-8"))
        quote = next(s for s in t["selector"] if s["type"] == "TextQuoteSelector")
        pos = next(s for s in t["selector"] if s["type"] == "TextPositionSelector")
        if text[pos["start"]:pos["end"]] != quote["exact"]:
            failures.append(f"position {pos} does not slice to {quote['exact']!r}")
print(len(musts), "assertions checked")
if failures:
    print("\n".join(failures))
    sys.exit(1)
"#;

#[test]
fn w3c_collection_satisfies_every_must_of_the_w3c_test_suite() {
    let dir = tempfile::tempdir().expect("tempdir");
    annotated_folder(dir.path());
    // A multibyte article: positions must count code points, as Python slicing does.
    let c = dir.path().join("multibyte.txt");
    std::fs::write(
        &c,
        "Seoul 🇰🇷 — Pyongyang’s envoy said “the talks are over” on Tuesday.\n",
    )
    .expect("write");
    ok(claimmark(&[
        "add",
        c.to_str().expect("utf-8"),
        "--quote",
        "the talks are over",
        "--tag",
        "claim",
    ]));
    let out = dir.path().join("claims.jsonld");
    ok(claimmark(&[
        "export",
        dir.path().to_str().expect("utf-8"),
        "--format",
        "w3c",
        "--output",
        out.to_str().expect("utf-8"),
    ]));
    let report = python(
        W3C_CHECK,
        &[
            test_file("schemas/w3c-web-annotation")
                .to_str()
                .expect("utf-8"),
            out.to_str().expect("utf-8"),
            "4",
        ],
    );
    assert!(report.contains("assertions checked"), "{report}");

    // What a consumer reads: tags as tagging bodies with full paths, the note as commenting.
    let doc: Value = serde_json::from_str(&std::fs::read_to_string(&out).expect("read"))
        .expect("the collection is JSON");
    let items = doc["first"]["items"].as_array().expect("items");
    let stat = items
        .iter()
        .find(|a| a["target"]["selector"][0]["exact"] == "grain exports rose by 12 per cent")
        .expect("the statistic");
    assert_eq!(stat["body"][0]["purpose"], "tagging");
    assert_eq!(stat["body"][0]["value"], "Claim/Statistic");
    assert_eq!(stat["claim"]["status"], "disputed");
    let kim = items
        .iter()
        .find(|a| a["claim"]["attributed_to"] == "Kira Janssen")
        .expect("Kira's claim");
    let comment = kim["body"]
        .as_array()
        .expect("bodies")
        .iter()
        .find(|b| b["purpose"] == "commenting")
        .expect("the note");
    assert_eq!(
        comment["value"],
        "Said at the plenum, \"quoted\"\nsecond line"
    );
    assert_eq!(kim["creator"]["name"], "tester");
    let talks = items
        .iter()
        .find(|a| a["target"]["selector"][0]["exact"] == "the talks are over")
        .expect("multibyte claim");
    let text = std::fs::read_to_string(&c).expect("read");
    let start = text.find("the talks").expect("in text");
    assert_eq!(
        talks["target"]["selector"][1]["start"],
        text[..start].chars().count(),
        "positions are code points, not bytes"
    );

    // One annotation per line: the same annotations.
    let lines = dir.path().join("claims.w3c.jsonl");
    ok(claimmark(&[
        "export",
        dir.path().to_str().expect("utf-8"),
        "--format",
        "w3c-jsonl",
        "--output",
        lines.to_str().expect("utf-8"),
    ]));
    let text = std::fs::read_to_string(&lines).expect("read");
    let per_line: Vec<Value> = text
        .lines()
        .map(|l| serde_json::from_str(l).expect("each line is JSON"))
        .collect();
    assert_eq!(per_line.len(), 4);
    assert!(per_line.iter().all(|a| a["type"] == "Annotation"));
}

/// `list --format jsonl` without the fields that change on a round trip.
fn listing(paths: &[&Path]) -> Vec<Value> {
    let mut args = vec!["list"];
    args.extend(paths.iter().map(|p| p.to_str().expect("utf-8")));
    args.extend(["--format", "jsonl"]);
    let out = ok(claimmark(&args));
    let mut rows: Vec<Value> = String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).expect("JSON"))
        .collect();
    for r in &mut rows {
        let o = r.as_object_mut().expect("object");
        for k in ["article", "article_meta", "anchoring"] {
            o.remove(k);
        }
    }
    rows.sort_by_key(|r| (r["start"].as_u64(), r["quote"].as_str().map(str::to_owned)));
    rows
}

fn copy_articles(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("mkdir");
    for entry in std::fs::read_dir(from).expect("read dir") {
        let p = entry.expect("entry").path();
        if p.extension().is_some_and(|e| e == "txt") {
            std::fs::copy(&p, to.join(p.file_name().expect("name"))).expect("copy");
        }
    }
}

#[test]
fn jsonl_and_w3c_exports_import_back_into_fresh_copies_exactly() {
    let dir = tempfile::tempdir().expect("tempdir");
    let src = dir.path().join("src");
    std::fs::create_dir(&src).expect("mkdir");
    annotated_folder(&src);
    let before = listing(&[&src]);
    assert_eq!(before.len(), 3);
    for (format, file) in [("jsonl", "claims.jsonl"), ("w3c", "claims.jsonld")] {
        let out = dir.path().join(file);
        ok(claimmark(&[
            "export",
            src.to_str().expect("utf-8"),
            "--format",
            format,
            "--output",
            out.to_str().expect("utf-8"),
        ]));
        // The same articles in another folder, without sidecars: the export names the
        // originals, so `--into` is not usable for two articles; import into copies by
        // rewriting the paths the way a colleague's machine would differ.
        let copy = dir.path().join(format!("copy-{format}"));
        copy_articles(&src, &copy);
        let text = std::fs::read_to_string(&out).expect("read");
        let moved = text.replace(src.to_str().expect("utf-8"), copy.to_str().expect("utf-8"));
        let input = copy.join(file);
        std::fs::write(&input, moved).expect("write");
        let imported = ok(claimmark(&[
            "import",
            "--format",
            format,
            input.to_str().expect("utf-8"),
        ]));
        let stderr = String::from_utf8_lossy(&imported.stderr);
        assert!(stderr.contains("3 annotation(s) imported"), "{stderr}");
        assert_eq!(listing(&[&copy]), before, "{format} round trip");

        // Importing again adds nothing and changes nothing.
        let sidecar = copy.join("report.txt.annotations.ron");
        let saved = std::fs::read(&sidecar).expect("sidecar");
        let again = ok(claimmark(&["import", input.to_str().expect("utf-8")]));
        let stderr = String::from_utf8_lossy(&again.stderr);
        assert!(stderr.contains("0 annotation(s) imported"), "{stderr}");
        assert!(stderr.contains("3 already there"), "{stderr}");
        assert_eq!(std::fs::read(&sidecar).expect("sidecar"), saved);
    }
}

#[test]
fn brat_export_imports_back_with_tags_grades_notes_and_links() {
    let dir = tempfile::tempdir().expect("tempdir");
    let src = dir.path().join("src");
    std::fs::create_dir(&src).expect("mkdir");
    annotated_folder(&src);
    let report = src.join("report.txt");
    let r = report.to_str().expect("utf-8");
    let analysts = listing(&[&report])
        .into_iter()
        .find(|a| a["quote"] == "analysts have also said")
        .expect("annotated");
    let link = format!("supports:{}", analysts["id"].as_str().expect("id"));
    ok(claimmark(&[
        "add",
        r,
        "--quote",
        "open to both negotiation and confrontation",
        "--occurrence",
        "1",
        "--tag",
        "claim",
        "--link",
        &link,
    ]));
    let brat = dir.path().join("brat");
    ok(claimmark(&[
        "export",
        src.to_str().expect("utf-8"),
        "--format",
        "brat",
        "--output",
        brat.to_str().expect("utf-8"),
    ]));
    let anns: Vec<PathBuf> = std::fs::read_dir(&brat)
        .expect("brat folder")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "ann"))
        .collect();
    assert_eq!(anns.len(), 2, "one .ann per article");
    let mut args = vec!["import", "--format", "brat"];
    args.extend(anns.iter().map(|p| p.to_str().expect("utf-8")));
    let out = ok(claimmark(&args));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("4 annotation(s) imported"), "{stderr}");
    // The brat texts are the canonical texts, so positions, quotes and the record match;
    // ids, authors and times are not in brat files (links are checked below).
    let strip = |rows: Vec<Value>| -> Vec<Value> {
        rows.into_iter()
            .map(|mut r| {
                let o = r.as_object_mut().expect("object");
                for k in ["id", "author", "created", "modified", "links"] {
                    o.remove(k);
                }
                // brat notes are one line: line breaks come back as spaces.
                let note = o["note"].as_str().unwrap_or_default().replace('\n', " ");
                o.insert("note".into(), Value::String(note));
                r
            })
            .collect()
    };
    let brat_txts: Vec<PathBuf> = anns.iter().map(|p| p.with_extension("txt")).collect();
    let refs: Vec<&Path> = brat_txts.iter().map(PathBuf::as_path).collect();
    let imported = listing(&refs);
    assert_eq!(strip(imported.clone()), strip(listing(&[&src])));
    // The relation came back as a link between the two imported annotations.
    let find = |quote: &str| {
        imported
            .iter()
            .find(|a| a["quote"] == quote)
            .expect("imported")
            .clone()
    };
    let from = find("open to both negotiation and confrontation");
    let to = find("analysts have also said");
    assert_eq!(from["links"][0]["kind"], "supports");
    assert_eq!(from["links"][0]["target"], to["id"]);
}

#[test]
fn import_finds_moved_text_by_quote_reports_what_it_cannot_place_and_keeps_what_exists() {
    let dir = tempfile::tempdir().expect("tempdir");
    let article = common::seed_article(dir.path());
    let a = article.to_str().expect("utf-8");
    let existing = ok(claimmark(&[
        "add",
        a,
        "--quote",
        "analysts have also said",
        "--tag",
        "source",
        "--note",
        "mine",
    ]));
    let existing_id = String::from_utf8_lossy(&existing.stdout).trim().to_owned();
    let text = String::from_utf8_lossy(&ok(claimmark(&["show", a])).stdout).into_owned();
    let quote = "Kira stressed the need to be prepared for negotiation as well as confrontation";
    let start = text[..text.find(quote).expect("quote")].chars().count();
    let input = dir.path().join("pre.jsonl");
    let line = |v: Value| v.to_string();
    let lines = [
        // Offsets from an older version of the text (off by 40): found again by quote.
        line(serde_json::json!({
            "article": "report.txt", "tag_names": ["Claim"],
            "start": start + 40, "end": start + 40 + quote.chars().count(), "quote": quote,
            "note": "from a model", "status": "corroborated", "reliability": "C"
        })),
        // The existing annotation's id: left alone, even with other content.
        line(serde_json::json!({
            "article": "report.txt", "id": existing_id, "tags": ["claim"],
            "start": 0, "end": 5, "note": "overwrite attempt"
        })),
        // Words that are not in the article.
        line(serde_json::json!({
            "article": "report.txt", "tags": ["claim"],
            "start": 10, "end": 30, "quote": "no such words appear here at all"
        })),
        // A tag the codebook does not have.
        line(serde_json::json!({
            "article": "report.txt", "tags": ["PERSON"], "start": 0, "end": 4
        })),
    ];
    std::fs::write(&input, lines.join("\n")).expect("write");
    let out = claimmark(&["import", input.to_str().expect("utf-8")]);
    assert_eq!(out.status.code(), Some(1), "problems make exit code 1");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("1 annotation(s) imported"), "{stderr}");
    assert!(stderr.contains("(1 found by quote)"), "{stderr}");
    assert!(stderr.contains("1 already there"), "{stderr}");
    assert!(stderr.contains("no such words"), "{stderr}");
    assert!(
        stderr.contains("tag `PERSON` is not in the folder's codebook"),
        "{stderr}"
    );
    assert!(
        stderr.contains("pre.jsonl line 3"),
        "names input and line: {stderr}"
    );
    let rows = listing(&[&article]);
    assert_eq!(rows.len(), 2);
    let mine = rows.iter().find(|r| r["id"] == existing_id).expect("kept");
    assert_eq!(mine["note"], "mine", "the existing annotation is untouched");
    let new = rows.iter().find(|r| r["quote"] == quote).expect("imported");
    assert_eq!(new["start"].as_u64(), Some(start as u64));
    assert_eq!(new["status"], "corroborated");
    assert_eq!(new["reliability"], "C");
}

#[test]
fn a_brat_export_never_writes_into_a_folder_that_has_files() {
    let dir = tempfile::tempdir().expect("tempdir");
    annotated_folder(dir.path());
    // The articles' own folder: the export would replace report.txt with its canonical text.
    let out = claimmark(&[
        "export",
        dir.path().to_str().expect("utf-8"),
        "--format",
        "brat",
        "--output",
        dir.path().to_str().expect("utf-8"),
    ]);
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("is not an empty folder"), "{stderr}");
    assert!(
        !dir.path().join("report.ann").exists(),
        "nothing was written"
    );
    // A new folder is fine, and no temporary folder is left beside it.
    let brat = dir.path().join("brat");
    ok(claimmark(&[
        "export",
        dir.path().to_str().expect("utf-8"),
        "--format",
        "brat",
        "--output",
        brat.to_str().expect("utf-8"),
        "--tag",
        "Claim/Statistic",
    ]));
    let ann = std::fs::read_to_string(brat.join("second.ann")).expect("second.ann");
    assert!(ann.contains("Statistic"), "--tag takes a full path: {ann}");
    let leftovers: Vec<_> = std::fs::read_dir(dir.path())
        .expect("dir")
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().contains(".tmp-"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

#[test]
fn brat_files_from_elsewhere_are_checked_against_their_text() {
    let dir = tempfile::tempdir().expect("tempdir");
    // A brat document with CRLF line ends (Claimmark's text has none, so offsets after the
    // first line differ by one per line) and two different claims over the same words.
    std::fs::write(
        dir.path().join("doc.txt"),
        "Seoul, June 19.\r\nThe ministry said exports fell.\r\n",
    )
    .expect("write");
    std::fs::write(
        dir.path().join("doc.ann"),
        "T1\tClaim 17 47\tThe ministry said exports fell\nT2\tClaim 17 47\tThe ministry said exports fell\nA1\tStatus T2 disputed\n",
    )
    .expect("write");
    let out = ok(claimmark(&[
        "import",
        dir.path().join("doc.ann").to_str().expect("utf-8"),
    ]));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("2 annotation(s) imported"), "{stderr}");
    let rows = listing(&[&dir.path().join("doc.txt")]);
    assert_eq!(rows.len(), 2, "different records stay two claims");
    for r in &rows {
        assert_eq!(r["quote"], "The ministry said exports fell", "{r}");
    }
    let statuses: Vec<&str> = rows.iter().filter_map(|r| r["status"].as_str()).collect();
    assert!(statuses.contains(&"disputed") && statuses.contains(&"unverified"));
}

#[test]
fn a_folder_exports_with_its_subfolders() {
    let dir = tempfile::tempdir().expect("tempdir");
    annotated_folder(dir.path());
    let sub = dir.path().join("2021").join("june");
    std::fs::create_dir_all(&sub).expect("mkdir");
    let deep = sub.join("deep.txt");
    std::fs::write(&deep, "Officials said the bridge was unsafe.\n").expect("write");
    ok(claimmark(&[
        "add",
        deep.to_str().expect("utf-8"),
        "--quote",
        "the bridge was unsafe",
        "--tag",
        "claim",
    ]));
    let out = dir.path().join("all.jsonl");
    ok(claimmark(&[
        "export",
        dir.path().to_str().expect("utf-8"),
        "--format",
        "jsonl",
        "--output",
        out.to_str().expect("utf-8"),
    ]));
    let text = std::fs::read_to_string(&out).expect("exported");
    assert_eq!(text.lines().count(), 4, "{text}");
    assert!(text.contains("the bridge was unsafe"));
}

/// A saved web page's annotations name the page's address as their target `source`, not a
/// local path; the saved file is the target's `TimeState` `cached` copy. Every must of the W3C
/// test suite still holds, the positions slice the canonical text, and our import reads the
/// annotations back into the saved file.
#[test]
fn a_saved_web_page_is_annotated_by_its_address_and_imports_back() {
    let dir = tempfile::tempdir().expect("tempdir");
    let src = dir.path().join("src");
    std::fs::create_dir(&src).expect("mkdir");
    let page = src.join("page.html");
    std::fs::copy(common::fixture("import/page_en_news.html"), &page).expect("copy");
    let quote = "Councillors in Eastby, Westwick and Port Alder will vote on Thursday";
    common::add(&page, quote, "claim", &["--grade", "B2"]);
    let out = dir.path().join("claims.jsonld");
    ok(claimmark(&[
        "export",
        src.to_str().expect("utf-8"),
        "--format",
        "w3c",
        "--output",
        out.to_str().expect("utf-8"),
    ]));
    let report = python(
        W3C_CHECK,
        &[
            test_file("schemas/w3c-web-annotation")
                .to_str()
                .expect("utf-8"),
            out.to_str().expect("utf-8"),
            "1",
        ],
    );
    assert!(report.contains("assertions checked"), "{report}");
    let text = std::fs::read_to_string(&out).expect("read");
    let doc: Value = serde_json::from_str(&text).expect("JSON");
    let target = &doc["first"]["items"][0]["target"];
    assert_eq!(
        target["source"],
        "https://www.northgate-ledger.example/news/2024/03/05/tidal-barrier-vote"
    );
    let page_url = url::Url::from_file_path(std::fs::canonicalize(&page).expect("canonical"))
        .expect("file URL");
    assert_eq!(target["state"]["type"], "TimeState");
    assert_eq!(target["state"]["cached"], page_url.as_str());
    assert!(
        target["state"]["sourceDate"]
            .as_str()
            .is_some_and(|d| d.ends_with('Z'))
    );
    let shown = String::from_utf8(ok(claimmark(&["show", page.to_str().expect("utf-8")])).stdout)
        .expect("utf-8");
    let chars: Vec<char> = shown.chars().collect();
    let position = &target["selector"][1];
    let (start, end) = (
        position["start"].as_u64().expect("start") as usize,
        position["end"].as_u64().expect("end") as usize,
    );
    assert_eq!(chars[start..end].iter().collect::<String>(), quote);

    // Into a copy of the page in another folder: found by its cached copy.
    let before = listing(&[&page]);
    let copy = dir.path().join("copy");
    std::fs::create_dir(&copy).expect("mkdir");
    std::fs::copy(&page, copy.join("page.html")).expect("copy");
    let moved = text.replace(
        std::fs::canonicalize(&src)
            .expect("canonical")
            .to_str()
            .expect("utf-8"),
        copy.to_str().expect("utf-8"),
    );
    let input = copy.join("claims.jsonld");
    std::fs::write(&input, moved).expect("write");
    let imported = ok(claimmark(&["import", input.to_str().expect("utf-8")]));
    let stderr = String::from_utf8_lossy(&imported.stderr);
    assert!(stderr.contains("1 annotation(s) imported"), "{stderr}");
    assert_eq!(listing(&[&copy.join("page.html")]), before);
}
