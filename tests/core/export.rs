//! Exports, checked with real parsers: CSV through Python's `csv` module and the `csv` crate,
//! JSON Lines through `serde_json`.

use crate::common;

use common::{annotated_folder, claimmark, ok};

#[test]
fn csv_opens_in_pythons_csv_module_with_one_row_per_annotation_and_tag() {
    let dir = tempfile::tempdir().expect("tempdir");
    annotated_folder(dir.path());
    let out = dir.path().join("claims.csv");
    ok(claimmark(&[
        "export",
        dir.path().to_str().expect("utf-8"),
        "--format",
        "csv",
        "--output",
        out.to_str().expect("utf-8"),
        "--bom",
    ]));
    let bytes = std::fs::read(&out).expect("csv written");
    assert!(bytes.starts_with("\u{feff}".as_bytes()), "BOM for Excel");
    let py = common::python()
        .args([
            "-c",
            "import csv,json,sys; rows=list(csv.DictReader(open(sys.argv[1], encoding='utf-8-sig', newline=''))); print(json.dumps(rows))",
            out.to_str().expect("utf-8"),
        ])
        .output()
        .expect("run the test Python");
    assert!(
        py.status.success(),
        "{}",
        String::from_utf8_lossy(&py.stderr)
    );
    let rows: Vec<serde_json::Map<String, serde_json::Value>> =
        serde_json::from_slice(&py.stdout).expect("json");
    assert_eq!(rows.len(), 3);
    let kim = rows
        .iter()
        .find(|r| {
            r["quote"]
                .as_str()
                .is_some_and(|q| q.starts_with("Kira stressed"))
        })
        .expect("row");
    assert_eq!(kim["tag"], "Claim");
    assert_eq!(kim["attributed_to"], "Kira Janssen");
    assert_eq!(kim["via"], "KSNA; Inland Courier");
    assert_eq!(kim["grade"], "B2");
    assert_eq!(
        kim["note"], "Said at the plenum, \"quoted\"\nsecond line",
        "quotes and newlines survive RFC 4180 quoting"
    );
    assert_eq!(kim["article_date"], "2021-06-19");
    let stat = rows
        .iter()
        .find(|r| r["article_title"] == "second.txt")
        .expect("row");
    assert_eq!(stat["tag"], "Claim/Statistic", "the full tag path");
    assert_eq!(stat["status"], "disputed");

    // The csv crate reads the same file (after the BOM) with the documented columns.
    let mut reader = csv::Reader::from_reader(&bytes[3..]);
    let header: Vec<String> = reader
        .headers()
        .expect("header")
        .iter()
        .map(str::to_owned)
        .collect();
    assert_eq!(header, claimmark::export::csv::COLUMNS);
    assert_eq!(reader.records().count(), 3);
}

#[test]
fn taguette_preset_tag_filter_and_jsonl() {
    let dir = tempfile::tempdir().expect("tempdir");
    annotated_folder(dir.path());
    let folder = dir.path().to_str().expect("utf-8");
    let out = ok(claimmark(&[
        "export",
        folder,
        "--format",
        "csv",
        "--taguette",
        "--tag",
        "claim",
    ]));
    let text = String::from_utf8(out.stdout).expect("utf-8");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("Taguette's columns carry the tag and the quote only"),
        "the summary says what the preset leaves out: {stderr}"
    );
    let mut lines = text.lines();
    assert_eq!(lines.next(), Some("id,document,tag,content"));
    let rows: Vec<&str> = lines.collect();
    assert_eq!(
        rows.len(),
        2,
        "claim and its child statistic, not source: {text}"
    );
    assert!(
        rows.iter()
            .any(|r| r.contains("second.txt,Claim/Statistic,grain exports rose by 12 per cent")),
        "{text}"
    );

    let out = ok(claimmark(&["export", folder, "--format", "jsonl"]));
    let objects: Vec<serde_json::Value> = String::from_utf8(out.stdout)
        .expect("utf-8")
        .lines()
        .map(|l| serde_json::from_str(l).expect("json"))
        .collect();
    assert_eq!(objects.len(), 3);
    let kim = objects
        .iter()
        .find(|o| o["attributed_to"] == "Kira Janssen")
        .expect("kim");
    assert_eq!(kim["via"], serde_json::json!(["KSNA", "Inland Courier"]));
    assert_eq!(kim["article_meta"]["date"], "2021-06-19");
    assert!(
        kim["article_meta"]["fingerprint"]
            .as_str()
            .is_some_and(|f| f.starts_with("sha256:"))
    );
    assert_eq!(
        kim["fragments"][0]["prefix"]
            .as_str()
            .map(|p| p.chars().count()),
        Some(32)
    );
}

#[test]
fn the_brief_groups_claims_by_tag_and_source_in_markdown_and_html() {
    let dir = tempfile::tempdir().expect("tempdir");
    annotated_folder(dir.path());
    let folder = dir.path().to_str().expect("utf-8");
    // A note with markup must come out as text, never as markup.
    let b = dir.path().join("second.txt");
    ok(claimmark(&[
        "add",
        b.to_str().expect("utf-8"),
        "--quote",
        "traders disputed",
        "--tag",
        "denial",
        "--note",
        "<script>alert(1)</script> & *stars*",
    ]));

    let md = String::from_utf8(ok(claimmark(&["export", folder, "--format", "md"])).stdout)
        .expect("utf-8");
    assert!(
        md.starts_with("# Claims brief\n\n4 claims from 2 article(s)."),
        "{md}"
    );
    assert!(
        md.contains("### Claim/Statistic (1)")
            && md.contains("## By source")
            && md.contains("### Kira Janssen (1)"),
        "{md}"
    );
    assert!(
        md.contains(
            "**Kira stressed the need to be prepared for negotiation as well as confrontation**"
        ),
        "{md}"
    );
    assert!(
        md.contains("grade B2 (usually reliable; probably true)")
            && md.contains("*report.txt, 2021-06-19*"),
        "{md}"
    );
    assert!(
        md.contains("\\<script\\>") && md.contains("\\*stars\\*"),
        "markup escaped: {md}"
    );

    let out = dir.path().join("brief.html");
    ok(claimmark(&[
        "export",
        folder,
        "--format",
        "html",
        "--output",
        out.to_str().expect("utf-8"),
    ]));
    // Python's HTML parser reads it back: headings and text, and the note only as text.
    let py = common::python()
        .args([
            "-c",
            r#"
import sys, json
from html.parser import HTMLParser
class P(HTMLParser):
    def __init__(self):
        super().__init__(); self.tags=[]; self.text=[]; self.h3=[]; self.cur=None
    def handle_starttag(self, tag, attrs):
        self.tags.append(tag); self.cur=tag
    def handle_endtag(self, tag):
        self.cur=None
    def handle_data(self, data):
        self.text.append(data)
        if self.cur=="h3": self.h3.append(data)
p=P(); p.feed(open(sys.argv[1], encoding="utf-8").read())
print(json.dumps({"script": "script" in p.tags, "h3": p.h3, "text": "".join(p.text)}))
"#,
            out.to_str().expect("utf-8"),
        ])
        .output()
        .expect("run the test Python");
    assert!(
        py.status.success(),
        "{}",
        String::from_utf8_lossy(&py.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&py.stdout).expect("json");
    assert_eq!(v["script"], false, "no element came from a note");
    assert!(
        v["text"]
            .as_str()
            .is_some_and(|t| t.contains("<script>alert(1)</script> & *stars*")),
        "{v}"
    );
    let h3: Vec<&str> = v["h3"]
        .as_array()
        .expect("h3")
        .iter()
        .filter_map(|x| x.as_str())
        .collect();
    assert!(
        h3.contains(&"Claim (1)")
            && h3.contains(&"Unattributed (3)")
            && h3.contains(&"Kira Janssen (1)"),
        "{h3:?}"
    );
}

/// The library's export errors are typed: a cancelled export, a missing destination and a
/// destination that is an analyst's file are each their own variant (with today's sentence),
/// and nothing is left at the destination.
#[test]
fn export_errors_are_typed_and_leave_nothing_behind() {
    use claimmark::export::{ExportError, Filter, Format, Options, Refusal, run};
    let dir = tempfile::tempdir().expect("tempdir");
    annotated_folder(dir.path());
    let article = dir.path().join("report.txt");
    let articles = vec![article.clone(), dir.path().join("second.txt")];
    let options = |format, output: Option<std::path::PathBuf>| Options {
        format,
        output,
        filter: Filter::default(),
        bom: false,
        taguette: false,
    };

    let out = dir.path().join("claims.csv");
    let err = run(
        &articles,
        &options(Format::Csv, Some(out.clone())),
        &mut |_, _| false,
    )
    .expect_err("cancelled");
    assert!(matches!(err, ExportError::Cancelled), "{err:?}");
    assert_eq!(err.to_string(), "export cancelled");
    assert!(!out.exists());

    let err =
        run(&articles, &options(Format::Brat, None), &mut |_, _| true).expect_err("no destination");
    assert!(
        matches!(
            err,
            ExportError::NeedsOutput {
                format: Format::Brat
            }
        ),
        "{err:?}"
    );

    let sidecar = claimmark::storage::sidecar_path(&article);
    let before = std::fs::read(&sidecar).expect("sidecar");
    for (output, why) in [
        (sidecar.clone(), Refusal::Sidecar),
        (article.clone(), Refusal::AnnotatedArticle),
    ] {
        let err = run(
            &articles,
            &options(Format::Jsonl, Some(output.clone())),
            &mut |_, _| true,
        )
        .expect_err("refused");
        assert!(
            matches!(&err, ExportError::Refused { path, why: w } if *path == output && *w == why),
            "{err:?}"
        );
        assert!(err.to_string().contains("nothing was written"), "{err}");
    }
    assert_eq!(std::fs::read(&sidecar).expect("sidecar"), before);
}

#[test]
fn csv_has_a_links_column() {
    let dir = tempfile::tempdir().expect("tempdir");
    let article = common::seed_article(dir.path());
    let first = common::add(&article, "Inland Courier reported", "claim", &[]);
    let link = format!("same_claim_as:{first}");
    let second = common::add(
        &article,
        "Talbot administration",
        "claim",
        &["--link", &link],
    );
    let out = ok(claimmark(&[
        "export",
        article.to_str().expect("utf-8"),
        "--format",
        "csv",
    ]));
    let mut reader = csv::Reader::from_reader(&out.stdout[..]);
    let header = reader.headers().expect("header").clone();
    let links = header
        .iter()
        .position(|h| h == "links")
        .expect("a links column");
    let id = header.iter().position(|h| h == "id").expect("id");
    let rows: Vec<csv::StringRecord> = reader.records().map(|r| r.expect("row")).collect();
    let row = |want: &str| {
        rows.iter()
            .find(|r| &r[id] == want)
            .expect("its row")
            .get(links)
            .expect("field")
            .to_owned()
    };
    assert_eq!(row(&second), format!("same_claim_as:{first}"));
    assert_eq!(row(&first), "");
}

/// An ungraded claim has `grade: null` in every JSON output (the JSON Lines export, `list
/// --format jsonl`, the W3C export's `claim`), a graded one its grade; the CSV keeps its empty
/// cell and the table its readable dash. A JSON Lines line from another tool with only a
/// `grade` imports with both of its parts, and with `grade: null` ungraded.
#[test]
fn ungraded_claims_have_a_null_grade_in_json() {
    let dir = tempfile::tempdir().expect("tempdir");
    annotated_folder(dir.path());
    let d = dir.path().to_str().expect("utf-8");
    let stdout = |args: &[&str]| String::from_utf8(ok(claimmark(args)).stdout).expect("utf-8");
    let objects = |text: String| -> Vec<serde_json::Value> {
        text.lines()
            .map(|l| serde_json::from_str(l).expect("JSON"))
            .collect()
    };
    let exported = objects(stdout(&["export", d, "--format", "jsonl"]));
    let listed = objects(stdout(&["list", d, "--format", "jsonl"]));
    let w3c = objects(stdout(&["export", d, "--format", "w3c-jsonl"]));
    let claims: Vec<&serde_json::Value> = w3c.iter().map(|a| &a["claim"]).collect();
    for (what, records) in [
        ("export --format jsonl", exported.iter().collect::<Vec<_>>()),
        ("list --format jsonl", listed.iter().collect()),
        ("the W3C claim", claims),
    ] {
        assert_eq!(records.len(), 3, "{what}");
        let graded: Vec<&serde_json::Value> = records.iter().map(|r| &r["grade"]).collect();
        assert_eq!(
            graded.iter().filter(|g| g.is_null()).count(),
            2,
            "{what}: {graded:?}"
        );
        assert!(
            graded.contains(&&serde_json::json!("B2")),
            "{what}: {graded:?}"
        );
    }
    let table = stdout(&["list", d]);
    assert!(
        table
            .lines()
            .any(|l| l.contains("analysts have also said") && l.contains('—')),
        "{table}"
    );

    let input = dir.path().join("graded.jsonl");
    std::fs::write(
        &input,
        "{\"article\": \"second.txt\", \"tags\": [\"claim\"], \"quote\": \"The ministry said\", \
         \"start\": 0, \"end\": 17, \"grade\": \"C3\"}\n\
         {\"article\": \"second.txt\", \"tags\": [\"claim\"], \"quote\": \"traders disputed\", \
         \"start\": 62, \"end\": 78, \"grade\": null}\n",
    )
    .expect("write");
    ok(claimmark(&["import", input.to_str().expect("utf-8")]));
    let second = dir.path().join("second.txt");
    let listed = objects(stdout(&[
        "list",
        second.to_str().expect("utf-8"),
        "--format",
        "jsonl",
    ]));
    let by_quote = |q: &str| {
        listed
            .iter()
            .find(|a| a["quote"] == q)
            .unwrap_or_else(|| panic!("{q} imported: {listed:?}"))
    };
    let ministry = by_quote("The ministry said");
    assert_eq!(
        (
            &ministry["reliability"],
            &ministry["credibility"],
            &ministry["grade"]
        ),
        (
            &serde_json::json!("C"),
            &serde_json::json!(3),
            &serde_json::json!("C3")
        )
    );
    let traders = by_quote("traders disputed");
    assert!(traders["reliability"].is_null() && traders["grade"].is_null());
}
