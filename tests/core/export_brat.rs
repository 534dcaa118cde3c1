//! The brat standoff export, checked with brat's own reader and configuration parser (the
//! `bratsubset` package that `bratiaa` ships, which `tests/run` installs with `--no-deps`).

use std::path::{Path, PathBuf};

use claimmark::model::{Edit, Span};
use claimmark::session::Session;
use serde_json::Value;

use crate::common;

use common::{add, claimmark, ok};

fn s(p: &Path) -> &str {
    p.to_str().expect("utf-8 path")
}

/// The code-point span of the only occurrence of `quote` in `text`.
fn span_of(text: &str, quote: &str) -> Span {
    let byte = text.find(quote).expect("quote in text");
    assert_eq!(text.matches(quote).count(), 1, "`{quote}` occurs once");
    let start = text[..byte].chars().count();
    Span {
        start,
        end: start + quote.chars().count(),
    }
}

/// A codebook with a two-level hierarchy and names brat cannot store as they are.
const CODEBOOK: &str = r##"(
  version: 2,
  tags: [
    (id: "claim", name: "Claim", color: "#e8a33d", hotkey: Some(1)),
    (id: "source", name: "Source", color: "#3d8be8", hotkey: Some(2)),
    (id: "evidence", name: "Evidence", color: "#3fae5a", hotkey: Some(3)),
    (id: "denial", name: "Denial", color: "#d64541", hotkey: Some(6)),
    (id: "statistic", name: "Statistic", color: "#c77c1e", parent: Some("claim")),
    (id: "offrec", name: "Off the record", color: "#888888", parent: Some("statistic")),
    (id: "offrec2", name: "Off the_record", color: "#777777"),
  ],
)
"##;

/// The second article: an emoji and a curly apostrophe before every claim (4 and 3 bytes, 1
/// code point each), stored with a byte-order mark and CRLF line ends.
const SECOND: &str = "🚀 Pyongyang’s envoy said on Friday that “grain exports rose by 12 per cent”.\r\nTraders disputed the figure; officials in Seoul declined to comment.\r\n";

struct Folder {
    dir: tempfile::TempDir,
    report: PathBuf,
    second: PathBuf,
    other: PathBuf,
    out: PathBuf,
}

/// Annotates two articles in one folder (and one in another folder with the same stem)
/// through the CLI, adds a discontinuous two-tag annotation through the library, and exports
/// everything as brat. Returns the folder and the export's standard error.
fn exported() -> (Folder, String) {
    let dir = tempfile::tempdir().expect("tempdir");
    let folder = dir.path().join("articles");
    std::fs::create_dir(&folder).expect("mkdir");
    std::fs::write(folder.join("claimmark.codebook.ron"), CODEBOOK).expect("codebook");
    let report = common::seed_article(&folder);
    let second = folder.join("second.txt");
    std::fs::write(&second, format!("\u{feff}{SECOND}")).expect("write");

    // The second article.
    let stat = add(
        &second,
        "grain exports rose by 12 per cent",
        "statistic",
        &["--grade", "C3", "--status", "disputed"],
    );
    add(
        &second,
        "Traders disputed the figure",
        "denial",
        &["--link", &format!("contradicts:{stat}")],
    );
    add(
        &second,
        "officials in Seoul declined to comment",
        "Off the record",
        &[],
    );
    // Two fragments and two tags: only the library can make those.
    let mut session = Session::open(&second).expect("open");
    let text = session.article().text.clone();
    let (a, b) = (
        span_of(&text, "Pyongyang’s envoy"),
        span_of(&text, "declined to comment"),
    );
    let mut ann = session.new_annotation(a, "claim", "two pieces", "tester");
    ann.tags.push("source".into());
    claimmark::anchoring::set_fragments(session.article(), &mut ann, vec![a, b]);
    assert_eq!(ann.fragments.len(), 2);
    session.apply(Edit::Add(ann)).expect("add");
    session.save().expect("save");

    // The seed article.
    let kim = add(
        &report,
        "Kira stressed the need to be prepared for negotiation as well as confrontation",
        "claim",
        &[
            "--source",
            "Kira Janssen",
            "--via",
            "KSNA",
            "--via",
            "Inland Courier",
            "--grade",
            "B2",
            "--confidence",
            "high",
            "--note",
            "Said at the plenum, \"quoted\"\nsecond line",
        ],
    );
    add(
        &report,
        "open to both negotiation and confrontation with the Talbot administration",
        "claim",
        &["--link", &format!("same_claim_as:{kim}")],
    );
    add(
        &report,
        "state radio said on June 18.\n\nQuoting Kira Janssen",
        "evidence",
        &["--status", "corroborated"],
    );
    add(
        &report,
        "analysts have also said",
        "source",
        &["--link", &format!("supports:{stat}")],
    );

    // Another folder with a `report.txt` too; one of its claims is orphaned by an edit.
    let elsewhere = dir.path().join("elsewhere");
    std::fs::create_dir(&elsewhere).expect("mkdir");
    let other = elsewhere.join("report.txt");
    std::fs::write(&other, "Officials said nothing new.\n").expect("write");
    let gone = add(&other, "said nothing new", "claim", &[]);
    add(
        &other,
        "Officials",
        "source",
        &["--link", &format!("elaborates:{gone}")],
    );
    std::fs::write(&other, "Officials later changed their story entirely.\n").expect("write");

    let out = dir.path().join("brat");
    let export = ok(claimmark(&[
        "export",
        s(&folder),
        s(&other),
        "--format",
        "brat",
        "--output",
        s(&out),
    ]));
    let stderr = String::from_utf8(export.stderr).expect("utf-8");
    (
        Folder {
            dir,
            report,
            second,
            other,
            out,
        },
        stderr,
    )
}

/// Loads every document with brat's `TextAnnotations` and the folder with brat's
/// `ProjectConfiguration`, capturing everything brat's `Messager` reports.
const READER: &str = r#"
import json, os, sys
try:
    import bratsubset.annotation as A
    import bratsubset.projectconfig as P
    from bratsubset.message import Messager
except ImportError as e:
    print("cannot import bratsubset: %s" % e, file=sys.stderr)
    sys.exit(3)

messages = []
for kind in ("info", "warning", "error", "debug"):
    setattr(Messager, kind, staticmethod(
        lambda msg, duration=3, escaped=False, kind=kind: messages.append([kind, str(msg)])))

out = os.path.abspath(sys.argv[1])
docs = {}
for name in sys.argv[2:]:
    anns = A.TextAnnotations(os.path.join(out, name), read_only=True)
    text = anns.get_document_text()
    lines = list(anns)
    docs[name] = {
        "text": text,
        "lines": len(lines),
        "failed_lines": anns.failed_lines,
        "unparsed": [str(a) for a in lines
                     if isinstance(a, (A.UnknownAnnotation, A.UnparsedIdedAnnotation))],
        "textbounds": [{"id": t.id, "type": t.type, "spans": t.spans, "text": t.get_text(),
                        "slices": [text[b:e] for b, e in t.spans]}
                       for t in anns.get_textbounds()],
        "attributes": [{"id": a.id, "type": a.type, "target": a.target, "value": a.value}
                       for a in anns.get_attributes()],
        "notes": [{"id": n.id, "type": n.type, "target": n.target, "text": n.get_text()}
                  for n in anns.get_oneline_comments()],
        "relations": [{"id": r.id, "type": r.type, "arg1l": r.arg1l, "arg1": r.arg1,
                       "arg2l": r.arg2l, "arg2": r.arg2} for r in anns.get_relations()],
    }

cfg = P.ProjectConfiguration(out)
def tree(nodes):
    return [[n.storage_form(), tree(n.children)] for n in nodes if n != P.SEPARATOR_STR]
entities = cfg.get_entity_types()
config = {
    "entities": entities,
    "hierarchy": tree(cfg.get_entity_type_hierarchy()),
    "relations": cfg.get_relation_types(),
    "events": cfg.get_event_types(),
    "attributes": cfg.get_attribute_types(),
    "values": {a.storage_form(): a.arguments.get("Value", [])
               for a in cfg.get_attribute_type_hierarchy() if a != P.SEPARATOR_STR},
    "attributes_for": {t: cfg.attributes_for(t) for t in entities},
    "relations_from_to": {t: cfg.relation_types_from_to(t, "Claim") for t in entities},
    "equal": cfg.spans_can_be_equal("Claim", "Source"),
    "cross": cfg.spans_can_cross("Denial", "Off_the_record"),
    "contain": cfg.span_can_contain("Claim", "Statistic"),
    "labels": P.get_labels(out),
    "colors": {n.storage_form(): n.arguments.get("bgColor", []) for n in P.get_drawing_config(out)},
}
print(json.dumps({"docs": docs, "config": config, "messages": messages}))
"#;

fn read_with_brat(out: &Path, docs: &[&str]) -> Value {
    let mut args = vec!["-c", READER, s(out)];
    args.extend_from_slice(docs);
    let py = common::python()
        .args(&args)
        .output()
        .expect("run the test Python");
    let stderr = String::from_utf8_lossy(&py.stderr);
    if py.status.code() == Some(3) {
        panic!(
            "brat's reader (Python package `bratsubset`, from bratiaa) is not installed: run \
             the tests with `tests/run`, which installs it into its own environment: {stderr}"
        );
    }
    assert!(py.status.success(), "brat's reader failed: {stderr}");
    serde_json::from_slice(&py.stdout).expect("json from the reader")
}

fn by_id<'a>(items: &'a Value, id: &str) -> Vec<&'a Value> {
    items
        .as_array()
        .expect("array")
        .iter()
        .filter(|x| x["target"] == id)
        .collect()
}

/// The attributes of a text-bound annotation as sorted `Type=value` strings.
fn attributes_of(doc: &Value, t: &str) -> Vec<String> {
    let mut v: Vec<String> = by_id(&doc["attributes"], t)
        .into_iter()
        .map(|a| {
            format!(
                "{}={}",
                a["type"].as_str().expect("type"),
                a["value"].as_str().expect("value")
            )
        })
        .collect();
    v.sort();
    v
}

fn notes_of(doc: &Value, t: &str) -> Vec<String> {
    by_id(&doc["notes"], t)
        .into_iter()
        .map(|n| {
            assert_eq!(n["type"], "AnnotatorNotes");
            n["text"].as_str().expect("text").to_owned()
        })
        .collect()
}

/// The text-bound annotation whose text starts with `start`, and its spans.
fn textbound<'a>(doc: &'a Value, start: &str) -> &'a Value {
    let found: Vec<&Value> = doc["textbounds"]
        .as_array()
        .expect("textbounds")
        .iter()
        .filter(|t| t["text"].as_str().is_some_and(|x| x.starts_with(start)))
        .collect();
    assert_eq!(found.len(), 1, "one T starting with `{start}`: {doc}");
    found[0]
}

fn spans(t: &Value) -> Vec<(usize, usize)> {
    t["spans"]
        .as_array()
        .expect("spans")
        .iter()
        .map(|p| {
            let n = |i: usize| p[i].as_u64().expect("offset") as usize;
            (n(0), n(1))
        })
        .collect()
}

#[test]
fn brats_own_reader_loads_every_document_without_a_warning() {
    let (folder, stderr) = exported();
    let docs = ["report", "second", "report-2"];

    // The folder: one .txt and .ann per article (the second `report` made unique) and the
    // configuration (annotation.conf, visual.conf); nothing else.
    let mut files: Vec<String> = std::fs::read_dir(&folder.out)
        .expect("out dir")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    files.sort();
    assert_eq!(
        files,
        [
            "annotation.conf",
            "report-2.ann",
            "report-2.txt",
            "report.ann",
            "report.txt",
            "second.ann",
            "second.txt",
            "visual.conf"
        ]
    );

    // (1) Every .txt is the canonical text `claimmark show` prints: no BOM, `\n` line ends.
    let mut canonical = std::collections::HashMap::new();
    for (doc, article) in [
        ("report", &folder.report),
        ("second", &folder.second),
        ("report-2", &folder.other),
    ] {
        let shown = String::from_utf8(ok(claimmark(&["show", s(article)])).stdout).expect("utf-8");
        let bytes = std::fs::read(folder.out.join(format!("{doc}.txt"))).expect("txt");
        let txt = String::from_utf8(bytes).expect("the .txt is UTF-8");
        assert!(!txt.starts_with('\u{feff}') && !txt.contains('\r'), "{doc}");
        let expected = if txt.ends_with('\n') {
            txt.clone()
        } else {
            format!("{txt}\n")
        };
        assert_eq!(shown, expected, "{doc}.txt is the canonical text");
        canonical.insert(doc, txt);
    }
    assert!(
        canonical["second"].starts_with("🚀 Pyongyang’s envoy")
            && canonical["second"].contains(".\nTraders"),
        "the BOM and CRLF of the file are gone"
    );

    // (2) brat's reader loads every document: no messages, no unparsed lines.
    let v = read_with_brat(&folder.out, &docs);
    assert_eq!(v["messages"], serde_json::json!([]), "brat reported: {v}");
    // visual.conf: brat shows each type with the tag's name and colour.
    let config = &v["config"];
    assert_eq!(
        config["labels"]["Statistic_Off_the_record"],
        serde_json::json!(["Off the record"])
    );
    assert_eq!(config["colors"]["Claim"], serde_json::json!(["#e8a33d"]));
    assert_eq!(
        config["colors"]["Off_the_record"],
        serde_json::json!(["#777777"])
    );
    for doc in docs {
        let d = &v["docs"][doc];
        assert_eq!(d["failed_lines"], serde_json::json!([]), "{doc}: {d}");
        assert_eq!(d["unparsed"], serde_json::json!([]), "{doc}: {d}");
        assert_eq!(d["text"].as_str(), Some(canonical[doc].as_str()));
        for t in d["textbounds"].as_array().expect("textbounds") {
            let slices: Vec<&str> = t["slices"]
                .as_array()
                .expect("slices")
                .iter()
                .map(|x| x.as_str().expect("slice"))
                .collect();
            assert_eq!(
                t["text"].as_str(),
                Some(slices.join(" ").as_str()),
                "{doc}: the spans slice the text to the T's text: {t}"
            );
            assert!(
                slices
                    .iter()
                    .all(|x| !x.contains('\n') && !x.trim().is_empty()),
                "{doc}: no span crosses a line break: {t}"
            );
        }
    }

    // The seed article: the attributed claim with its grade, confidence and one-line note.
    let report = &v["docs"]["report"];
    let text = &canonical["report"];
    assert_eq!(report["textbounds"].as_array().map(Vec::len), Some(4));
    let kim = textbound(report, "Kira stressed");
    let quote = "Kira stressed the need to be prepared for negotiation as well as confrontation";
    let span = span_of(text, quote);
    assert_eq!(spans(kim), [(span.start, span.end)]);
    assert!(
        text.find(quote).expect("quote") != span.start,
        "curly quotes before the claim: code points, not bytes"
    );
    assert_eq!(kim["type"], "Claim");
    let kim_id = kim["id"].as_str().expect("id");
    assert_eq!(
        attributes_of(report, kim_id),
        ["Confidence=high", "Credibility=2", "Reliability=B"],
        "unverified is the default and not written"
    );
    assert_eq!(
        notes_of(report, kim_id),
        [
            "[source: Kira Janssen; via: KSNA > Inland Courier] Said at the plenum, \"quoted\" second line"
        ]
    );
    // The claim across a paragraph break: two spans, the empty line dropped.
    let across = textbound(report, "state radio said");
    assert_eq!(across["type"], "Evidence");
    assert_eq!(
        across["text"],
        "state radio said on June 18. Quoting Kira Janssen"
    );
    let first = span_of(text, "state radio said on June 18.");
    let second = span_of(text, "Quoting Kira Janssen");
    assert_eq!(
        spans(across),
        [(first.start, first.end), (second.start, second.end)]
    );
    let across_id = across["id"].as_str().expect("id");
    assert_eq!(attributes_of(report, across_id), ["Status=corroborated"]);
    assert!(notes_of(report, across_id).is_empty());
    // The link within the article; the one to the second article is reported instead.
    let ready = textbound(report, "open to both negotiation");
    assert_eq!(
        report["relations"],
        serde_json::json!([{"id": "R1", "type": "Same_claim_as", "arg1l": "Arg1",
            "arg1": ready["id"], "arg2l": "Arg2", "arg2": kim_id}])
    );

    // The second article: multi-byte text before every claim.
    let second = &v["docs"]["second"];
    let text = &canonical["second"];
    assert_eq!(second["textbounds"].as_array().map(Vec::len), Some(5));
    let stat = textbound(second, "grain exports");
    let span = span_of(text, "grain exports rose by 12 per cent");
    assert_eq!(spans(stat), [(span.start, span.end)]);
    assert_eq!(stat["type"], "Statistic");
    let stat_id = stat["id"].as_str().expect("id");
    assert_eq!(
        attributes_of(second, stat_id),
        ["Credibility=3", "Reliability=C", "Status=disputed"]
    );
    let denial = textbound(second, "Traders disputed");
    assert_eq!(denial["type"], "Denial");
    assert_eq!(
        second["relations"],
        serde_json::json!([{"id": "R1", "type": "Contradicts", "arg1l": "Arg1",
            "arg1": denial["id"], "arg2l": "Arg2", "arg2": stat_id}])
    );
    assert_eq!(
        textbound(second, "officials in Seoul")["type"],
        "Statistic_Off_the_record",
        "qualified by its parent: another tag's name is Off_the_record too"
    );
    // The discontinuous annotation with two tags: one T per tag, same spans, each with the note.
    let pieces: Vec<&Value> = second["textbounds"]
        .as_array()
        .expect("textbounds")
        .iter()
        .filter(|t| t["text"] == "Pyongyang’s envoy declined to comment")
        .collect();
    let types: Vec<&str> = pieces
        .iter()
        .map(|t| t["type"].as_str().expect("type"))
        .collect();
    assert_eq!(types, ["Claim", "Source"]);
    let a = span_of(text, "Pyongyang’s envoy");
    let b = span_of(text, "declined to comment");
    for t in &pieces {
        assert_eq!(spans(t), [(a.start, a.end), (b.start, b.end)]);
        assert_eq!(
            notes_of(second, t["id"].as_str().expect("id")),
            ["two pieces"]
        );
    }

    // The other `report`: the orphaned claim is left out, and so is the link to it.
    let other = &v["docs"]["report-2"];
    assert_eq!(other["textbounds"].as_array().map(Vec::len), Some(1));
    assert_eq!(other["relations"], serde_json::json!([]));

    // What brat cannot hold is said, not dropped silently.
    for note in [
        "note: 1 link to an annotation in another article is not in the brat files (brat relations stay within one document)",
        "note: 1 link to an annotation of the same article is not in the brat files",
        "note: 1 orphaned annotation is not in the brat files",
        "\"Claim/Statistic/Off the record\" → Statistic_Off_the_record, \"Off the_record\" → Off_the_record",
    ] {
        assert!(stderr.contains(note), "`{note}` in: {stderr}");
    }

    // (3) brat's configuration parser reads annotation.conf: every type used is declared.
    let c = &v["config"];
    let strings = |x: &Value| -> Vec<String> {
        x.as_array()
            .expect("array")
            .iter()
            .map(|s| s.as_str().expect("string").to_owned())
            .collect()
    };
    let mut entities = strings(&c["entities"]);
    entities.sort();
    assert_eq!(
        entities,
        [
            "Claim",
            "Denial",
            "Evidence",
            "Off_the_record",
            "Opinion",
            "Prediction",
            "Source",
            "Statistic",
            "Statistic_Off_the_record"
        ],
        "the union of both folders' codebooks (the default one has Opinion and Prediction)"
    );
    let claim = c["hierarchy"]
        .as_array()
        .expect("hierarchy")
        .iter()
        .find(|n| n[0] == "Claim")
        .expect("Claim at the top");
    assert_eq!(
        claim[1],
        serde_json::json!([["Statistic", [["Statistic_Off_the_record", []]]]]),
        "nested as in the codebook"
    );
    assert_eq!(
        strings(&c["relations"]),
        [
            "Supports",
            "Contradicts",
            "Same_claim_as",
            "Elaborates",
            "<OVERLAP>"
        ]
    );
    assert_eq!(c["events"], serde_json::json!([]));
    assert_eq!(
        strings(&c["attributes"]),
        ["Reliability", "Credibility", "Status", "Confidence"]
    );
    assert_eq!(
        c["values"],
        serde_json::json!({
            "Reliability": ["A", "B", "C", "D", "E", "F"],
            "Credibility": ["1", "2", "3", "4", "5", "6"],
            "Status": ["unverified", "corroborated", "disputed", "refuted"],
            "Confidence": ["low", "moderate", "high"],
        })
    );
    for e in &entities {
        assert_eq!(
            strings(&c["attributes_for"][e]),
            ["Reliability", "Credibility", "Status", "Confidence"],
            "{e}"
        );
        assert_eq!(
            strings(&c["relations_from_to"][e]),
            ["Supports", "Contradicts", "Same_claim_as", "Elaborates"],
            "{e}"
        );
    }
    assert_eq!(
        (&c["equal"], &c["cross"], &c["contain"]),
        (&Value::Bool(true), &Value::Bool(true), &Value::Bool(true)),
        "claims may share, cross and nest spans"
    );
    // Every type, attribute and value in the documents is one the configuration declares.
    for doc in docs {
        let d = &v["docs"][doc];
        for t in d["textbounds"].as_array().expect("t") {
            assert!(entities.iter().any(|e| t["type"] == e.as_str()), "{t}");
        }
        for a in d["attributes"].as_array().expect("a") {
            let ty = a["type"].as_str().expect("type");
            assert!(
                c["values"][ty]
                    .as_array()
                    .is_some_and(|vals| vals.contains(&a["value"])),
                "{a}"
            );
        }
    }
    drop(folder.dir);
}

/// Three tags named Other (under Claim, under Evidence, at the top) get three brat types that
/// differ (`Claim_Other`, `Evidence_Other`, `Other`; before, `Other-2` and `Other-3`, which
/// our own import refused), and our brat import brings each back to its own tag.
#[test]
fn same_named_tags_get_distinct_types_that_import_back_to_their_tags() {
    const OTHERS: &str = r##"(
  version: 2,
  tags: [
    (id: "claim", name: "Claim", color: "#e8a33d"),
    (id: "evidence", name: "Evidence", color: "#3fae5a"),
    (id: "other", name: "Other", color: "#888888", parent: Some("claim")),
    (id: "other_2", name: "Other", color: "#777777", parent: Some("evidence")),
    (id: "other_3", name: "Other", color: "#666666"),
  ],
)
"##;
    let dir = tempfile::tempdir().expect("tempdir");
    let folder = dir.path().join("articles");
    std::fs::create_dir(&folder).expect("mkdir");
    std::fs::write(folder.join("claimmark.codebook.ron"), OTHERS).expect("codebook");
    let report = common::seed_article(&folder);
    for (quote, tag) in [
        ("Kira stressed the need", "other"),
        ("analysts have also said", "other_2"),
        ("Talbot administration, state radio", "other_3"),
    ] {
        add(&report, quote, tag, &[]);
    }
    let out = dir.path().join("brat");
    ok(claimmark(&[
        "export",
        s(&report),
        "--format",
        "brat",
        "--output",
        s(&out),
    ]));
    let ann = std::fs::read_to_string(out.join("report.ann")).expect("report.ann");
    let mut types: Vec<&str> = ann
        .lines()
        .filter_map(|l| l.split('\t').nth(1)?.split(' ').next())
        .collect();
    types.sort_unstable();
    assert_eq!(types, ["Claim_Other", "Evidence_Other", "Other"], "{ann}");
    let conf = std::fs::read_to_string(out.join("annotation.conf")).expect("conf");
    assert!(
        conf.contains("\nClaim\n\tClaim_Other\nEvidence\n\tEvidence_Other\nOther\n"),
        "nested as in the codebook: {conf}"
    );

    // Into a copy of the folder without annotations: every type comes back to its tag.
    let copy = dir.path().join("copy");
    std::fs::create_dir(&copy).expect("mkdir");
    for name in ["claimmark.codebook.ron", "report.txt"] {
        std::fs::copy(folder.join(name), copy.join(name)).expect("copy");
    }
    let imported = ok(claimmark(&[
        "import",
        "--format",
        "brat",
        s(&out.join("report.ann")),
        "--into",
        s(&copy),
    ]));
    let stderr = String::from_utf8_lossy(&imported.stderr);
    assert!(stderr.contains("3 annotation(s) imported"), "{stderr}");
    let tags_by_quote = |article: &Path| -> Vec<(String, Value)> {
        let out = ok(claimmark(&["list", s(article), "--format", "jsonl"]));
        let mut rows: Vec<(String, Value)> = String::from_utf8_lossy(&out.stdout)
            .lines()
            .map(|l| serde_json::from_str::<Value>(l).expect("JSON"))
            .map(|v| {
                (
                    v["quote"].as_str().unwrap_or_default().to_owned(),
                    v["tags"].clone(),
                )
            })
            .collect();
        rows.sort_by(|a, b| a.0.cmp(&b.0));
        rows
    };
    assert_eq!(
        tags_by_quote(&copy.join("report.txt")),
        tags_by_quote(&report)
    );
}
