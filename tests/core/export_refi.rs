//! REFI-QDA export (`.qdpx` project, `.qdc` codebook), checked with other people's tools:
//! Python's `xmlschema` validates against the REFI-QDA schemas, Python's `zipfile` unpacks,
//! and Python slices the source texts by code point, as QualCoder does.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::process::Output;

use claimmark::model::{Annotation, AnnotationId, Edit, Span};
use claimmark::session::Session;
use serde_json::Value;

use crate::common;

use common::{claimmark, ok};

fn utf8(p: &Path) -> &str {
    p.to_str().expect("utf-8 path")
}

fn schema(name: &str) -> PathBuf {
    common::test_file(&format!("schemas/refi-qda/{name}"))
}

/// The note of the first claim: markup characters, a newline and a control character that
/// XML 1.0 cannot carry.
const NOTE: &str = "Said at the plenum <b>loudly</b> & \"quoted\"\nsecond line\u{7}";

const SECOND: &str = "date 2024-03-01\nPyongyang’s ministry 🌾 said grain exports rose by 12 per cent, a figure traders disputed.\n";

pub(crate) struct Folder {
    /// The id of the Kira claim (a UUID, written by the CLI).
    pub(crate) kim: String,
    /// The id of the statistic in the second article, which links to the Kira claim.
    pub(crate) statistic: String,
}

/// The seed article and a second one with non-ASCII text before its claims, annotated through
/// the CLI; plus one annotation in two fragments with an imported (non-UUID) id, which the
/// CLI cannot make, through the library.
pub(crate) fn annotated_folder(dir: &Path) -> Folder {
    let a = common::seed_article(dir);
    let b = dir.join("second.txt");
    std::fs::write(&b, SECOND).expect("write");
    let stdout = |out: Output| {
        String::from_utf8(ok(out).stdout)
            .expect("utf-8")
            .trim()
            .to_owned()
    };
    let kim = stdout(claimmark(&[
        "add",
        utf8(&a),
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
        "--status",
        "disputed",
        "--confidence",
        "high",
        "--note",
        NOTE,
    ]));
    ok(claimmark(&[
        "add",
        utf8(&a),
        "--quote",
        "analysts have also said",
        "--tag",
        "source",
        "--author",
        "Ana Lima",
    ]));
    let statistic = stdout(claimmark(&[
        "add",
        utf8(&b),
        "--quote",
        "grain exports rose by 12 per cent",
        "--tag",
        "statistic",
        "--status",
        "disputed",
        "--link",
        &format!("supports:{kim}"),
    ]));

    // Two fragments, two tags, an id that is not a UUID (as an import may bring).
    let mut session = Session::open(&b).expect("open");
    let chars: Vec<char> = session.article().text.chars().collect();
    let find = |word: &str| {
        let w: Vec<char> = word.chars().collect();
        let start = chars
            .windows(w.len())
            .position(|c| c == w.as_slice())
            .expect("word in text");
        Span {
            start,
            end: start + w.len(),
        }
    };
    let mut ann: Annotation = session.new_annotation(find("Pyongyang’s"), "evidence", "", "tester");
    ann.id = AnnotationId("imported-7".into());
    ann.tags.push("opinion".into());
    ann.fragments.push(claimmark::anchoring::capture(
        session.article(),
        find("traders"),
    ));
    session.apply(Edit::Add(ann)).expect("add");
    session.save().expect("save");
    Folder { kim, statistic }
}

fn export(dir: &Path, format: &str, out: &Path, extra: &[&str]) -> Output {
    let mut args = vec![
        "export",
        utf8(dir),
        "--format",
        format,
        "--output",
        utf8(out),
    ];
    args.extend_from_slice(extra);
    ok(claimmark(&args))
}

/// Unpacks and validates with Python; returns what it read as JSON.
const READER: &str = r#"
import io, json, re, sys, zipfile
import xml.etree.ElementTree as ET
try:
    import xmlschema
except ImportError:
    sys.exit("Python's xmlschema is missing: pip install -r tests/requirements.txt")

qdpx, qdc, project_xsd, codebook_xsd = sys.argv[1:5]
P = "{urn:QDA-XML:project:1.0}"
C = "{urn:QDA-XML:codebook:1.0}"

z = zipfile.ZipFile(qdpx)
assert z.testzip() is None, "corrupt zip member"
qde = z.read("project.qde")
xmlschema.XMLSchema(project_xsd).validate(io.BytesIO(qde))
with open(qdc, "rb") as f:
    qdc_bytes = f.read()
xmlschema.XMLSchema(codebook_xsd).validate(io.BytesIO(qdc_bytes))

def codes(parent, ns, parent_guid, out):
    for c in parent.findall(ns + "Code"):
        d = c.find(ns + "Description")
        out.append({"guid": c.get("guid"), "name": c.get("name"), "color": c.get("color"),
                    "isCodable": c.get("isCodable"), "parent": parent_guid,
                    "description": None if d is None else d.text})
        codes(c, ns, c.get("guid"), out)
    return out

root = ET.fromstring(qde)
result = {
    "root": root.tag,
    "name": root.get("name"),
    "origin": root.get("origin"),
    "created": root.get("creationDateTime"),
    "zip_names": z.namelist(),
    "declaration": qde.split(b"\n", 1)[0].decode(),
    "users": [{"guid": u.get("guid"), "name": u.get("name")} for u in root.iter(P + "User")],
    "codes": codes(root.find(P + "CodeBook/" + P + "Codes"), P, None, []),
    "links": [dict(l.attrib) for l in root.iter(P + "Link")],
    "sources": [],
    # Without the export's own timestamps, for the determinism check.
    "stable": re.sub(rb'(<(Project|TextSource) [^>]*?)creationDateTime="[^"]*"', rb"\1", qde).decode(),
}
for s in root.iter(P + "TextSource"):
    path = s.get("plainTextPath")
    assert path.startswith("internal://"), path
    raw = z.read("sources/" + path[len("internal://"):])
    text = raw.decode("utf-8")
    sels = []
    for sel in s.findall(P + "PlainTextSelection"):
        start, end = int(sel.get("startPosition")), int(sel.get("endPosition"))
        d = sel.find(P + "Description")
        sels.append({
            "guid": sel.get("guid"), "name": sel.get("name"), "start": start, "end": end,
            "slice": text[start:end],
            "creatingUser": sel.get("creatingUser"), "modifyingUser": sel.get("modifyingUser"),
            "created": sel.get("creationDateTime"), "modified": sel.get("modifiedDateTime"),
            "description": None if d is None else d.text,
            "coderefs": [r.get("targetGUID") for r in sel.iter(P + "CodeRef")],
        })
    result["sources"].append({
        "guid": s.get("guid"), "name": s.get("name"), "path": path,
        "bom": raw.startswith(b"\xef\xbb\xbf"), "cr": b"\r" in raw, "text": text,
        "selections": sels,
        "inline": s.find(P + "PlainTextContent") is not None,
    })

cb = ET.fromstring(qdc_bytes)
result["qdc"] = {"root": cb.tag, "origin": cb.get("origin"),
                 "declaration": qdc_bytes.split(b"\n", 1)[0].decode(),
                 "codes": codes(cb.find(C + "Codes"), C, None, [])}
print(json.dumps(result))
"#;

fn read_with_python(qdpx: &Path, qdc: &Path) -> Value {
    let py = common::python()
        .args([
            "-c",
            READER,
            utf8(qdpx),
            utf8(qdc),
            utf8(&schema("Project.xsd")),
            utf8(&schema("Codebook.xsd")),
        ])
        .output()
        .expect("run the test Python");
    assert!(
        py.status.success(),
        "Python rejected the export:\n{}",
        String::from_utf8_lossy(&py.stderr)
    );
    serde_json::from_slice(&py.stdout).expect("json from python")
}

fn jsonl(dir: &Path) -> Vec<Value> {
    let out = ok(claimmark(&["list", utf8(dir), "--format", "jsonl"]));
    String::from_utf8(out.stdout)
        .expect("utf-8")
        .lines()
        .map(|l| serde_json::from_str(l).expect("json line"))
        .collect()
}

fn show(article: &Path) -> String {
    String::from_utf8(ok(claimmark(&["show", utf8(article)])).stdout).expect("utf-8")
}

fn s(v: &Value) -> &str {
    v.as_str().unwrap_or_else(|| panic!("not a string: {v}"))
}

#[test]
fn qdpx_and_qdc_validate_and_every_selection_slices_its_quote() {
    let dir = tempfile::tempdir().expect("tempdir");
    let folder = dir.path().join("claims");
    std::fs::create_dir(&folder).expect("mkdir");
    let ids = annotated_folder(&folder);
    let qdpx = dir.path().join("out.qdpx");
    let qdc = dir.path().join("out.qdc");
    export(&folder, "qdpx", &qdpx, &[]);
    export(&folder, "qdc", &qdc, &[]);
    let r = read_with_python(&qdpx, &qdc);

    // The project: root, declaration, origin (QualCoder fails without it), name.
    assert_eq!(r["root"], "{urn:QDA-XML:project:1.0}Project");
    assert_eq!(
        r["declaration"],
        r#"<?xml version="1.0" encoding="utf-8"?>"#
    );
    assert_eq!(
        r["origin"],
        format!("Claimmark {}", env!("CARGO_PKG_VERSION")).as_str()
    );
    assert_eq!(r["name"], "claims", "named after the folder");
    assert!(s(&r["created"]).ends_with('Z'));

    // The zip: project.qde and sources/GUID.txt for every source, nothing in "Sources/".
    let zip_names: HashSet<&str> = r["zip_names"]
        .as_array()
        .expect("names")
        .iter()
        .map(s)
        .collect();
    assert!(zip_names.contains("project.qde"), "{zip_names:?}");
    let sources = r["sources"].as_array().expect("sources");
    assert_eq!(sources.len(), 2, "one TextSource per article");
    for src in sources {
        let path = s(&src["path"]);
        let file = format!("sources/{}", &path["internal://".len()..]);
        assert_eq!(file, format!("sources/{}.txt", s(&src["guid"])));
        assert!(zip_names.contains(file.as_str()), "{file} in {zip_names:?}");
        assert_eq!(src["bom"], false, "a BOM shifts every position");
        assert_eq!(src["cr"], false, "CRLF shifts every position");
        assert_eq!(src["inline"], false, "QualCoder needs plainTextPath");
        // The file is the canonical text (`show` adds a final newline if there is none).
        let text = s(&src["text"]);
        let shown = show(&folder.join(s(&src["name"])));
        let expected = if text.ends_with('\n') {
            text.to_owned()
        } else {
            format!("{text}\n")
        };
        assert_eq!(shown, expected, "{}", src["name"]);
    }
    let by_name = |name: &str| {
        sources
            .iter()
            .find(|src| src["name"] == name)
            .unwrap_or_else(|| panic!("no source {name}"))
    };

    // Codes: nested, colours, descriptions; every CodeRef targets one.
    let codes = r["codes"].as_array().expect("codes");
    let code_by_name = |name: &str| {
        codes
            .iter()
            .find(|c| c["name"] == name)
            .unwrap_or_else(|| panic!("no code {name}"))
    };
    let claim = code_by_name("Claim");
    let statistic = code_by_name("Statistic");
    assert_eq!(
        statistic["parent"], claim["guid"],
        "Statistic nests in Claim"
    );
    assert_eq!(claim["parent"], Value::Null);
    assert_eq!(claim["isCodable"], "true");
    assert_eq!(claim["color"], "#e8a33d");
    assert!(s(&claim["description"]).starts_with("An assertion of fact"));
    let code_guids: HashSet<&str> = codes.iter().map(|c| s(&c["guid"])).collect();
    assert_eq!(code_guids.len(), codes.len(), "code GUIDs are unique");

    // Users: one per author; every selection's user is one of them.
    let users: HashMap<&str, &str> = r["users"]
        .as_array()
        .expect("users")
        .iter()
        .map(|u| (s(&u["guid"]), s(&u["name"])))
        .collect();
    let mut names: Vec<&str> = users.values().copied().collect();
    names.sort();
    assert_eq!(names, ["Ana Lima", "tester"]);

    // Every fragment of every annotation (as `list --format jsonl` reports it) is one
    // selection whose code-point slice of the source text is the quote.
    let annotations = jsonl(&folder);
    assert_eq!(annotations.len(), 4);
    let mut fragments = 0;
    let mut selection_guids = HashSet::new();
    for ann in &annotations {
        let article = Path::new(s(&ann["article"]))
            .file_name()
            .and_then(|n| n.to_str())
            .expect("file name")
            .to_owned();
        let sels = by_name(&article)["selections"].as_array().expect("sels");
        for f in ann["fragments"].as_array().expect("fragments") {
            fragments += 1;
            let sel = sels
                .iter()
                .find(|sel| sel["start"] == f["start"] && sel["end"] == f["end"])
                .unwrap_or_else(|| panic!("no selection at {f} in {article}"));
            assert_eq!(sel["slice"], f["quote"], "positions are code points");
            assert_eq!(
                users.get(s(&sel["creatingUser"])).copied(),
                Some(s(&ann["author"]))
            );
            assert_eq!(sel["modifyingUser"], sel["creatingUser"]);
            let tags = ann["tags"].as_array().expect("tags");
            assert_eq!(sel["coderefs"].as_array().map(Vec::len), Some(tags.len()));
            for code in sel["coderefs"].as_array().expect("refs") {
                assert!(code_guids.contains(s(code)), "CodeRef {code} has no Code");
            }
        }
    }
    for src in sources {
        for sel in src["selections"].as_array().expect("sels") {
            assert!(selection_guids.insert(s(&sel["guid"]).to_owned()), "unique");
        }
    }
    assert_eq!(
        selection_guids.len(),
        fragments,
        "one selection per fragment"
    );

    // The Kira claim: its id is its GUID; the description carries the note (escaped markup,
    // newline kept, control character dropped) and the record.
    let report = by_name("report.txt")["selections"]
        .as_array()
        .expect("sels");
    let kim = report
        .iter()
        .find(|sel| sel["guid"] == ids.kim.as_str())
        .expect("the Kira claim keeps its UUID");
    let desc = s(&kim["description"]);
    assert!(
        desc.starts_with("Said at the plenum <b>loudly</b> & \"quoted\"\nsecond line\n"),
        "{desc:?}"
    );
    assert!(!desc.contains('\u{7}'));
    assert!(
        desc.contains(
            "Attributed to: Kira Janssen via KSNA > Inland Courier · B2 · disputed · confidence high"
        ),
        "{desc:?}"
    );
    assert_eq!(
        kim["coderefs"],
        serde_json::json!([claim["guid"]]),
        "coded Claim"
    );
    assert!(s(&kim["created"]).ends_with('Z') && kim["modified"].is_string());
    assert!(
        s(&kim["name"]).starts_with("Kira stressed the need") && s(&kim["name"]).ends_with('…')
    );

    // The statistic comes after "Pyongyang’s" and an emoji: its position counts code points,
    // not bytes (nor UTF-16 units).
    let second = by_name("second.txt");
    let text = s(&second["text"]);
    let stat = second["selections"]
        .as_array()
        .expect("sels")
        .iter()
        .find(|sel| sel["guid"] == ids.statistic.as_str())
        .expect("statistic");
    let byte = text.find("grain exports").expect("in text");
    assert_eq!(stat["start"], text[..byte].chars().count());
    assert_ne!(stat["start"], byte);
    assert_eq!(stat["coderefs"], serde_json::json!([statistic["guid"]]));
    assert!(s(&stat["description"]).contains(&format!("Links: supports {}", ids.kim)));

    // The imported annotation: two fragments, two selections with distinct derived GUIDs,
    // each coded with both tags.
    let parts: Vec<&Value> = second["selections"]
        .as_array()
        .expect("sels")
        .iter()
        .filter(|sel| {
            sel["description"]
                .as_str()
                .is_some_and(|d| d.contains("of 2 of one annotation"))
        })
        .collect();
    assert_eq!(parts.len(), 2);
    assert_eq!(parts[0]["slice"], "Pyongyang’s");
    assert_eq!(parts[1]["slice"], "traders");
    assert_ne!(parts[0]["guid"], parts[1]["guid"]);
    let both = serde_json::json!([
        code_by_name("Evidence")["guid"],
        code_by_name("Opinion")["guid"]
    ]);
    assert_eq!(parts[0]["coderefs"], both);
    assert_eq!(parts[1]["coderefs"], both);

    // The link between claims: statistic → Kira, both ends are selections.
    let links = r["links"].as_array().expect("links");
    assert_eq!(links.len(), 1, "{links:?}");
    assert_eq!(links[0]["name"], "supports");
    assert_eq!(links[0]["direction"], "OneWay");
    assert_eq!(links[0]["originGUID"], ids.statistic.as_str());
    assert_eq!(links[0]["targetGUID"], ids.kim.as_str());

    // The codebook file: the same tree in the codebook namespace.
    let cb = &r["qdc"];
    assert_eq!(cb["root"], "{urn:QDA-XML:codebook:1.0}CodeBook");
    assert_eq!(
        cb["declaration"],
        r#"<?xml version="1.0" encoding="utf-8"?>"#
    );
    assert!(s(&cb["origin"]).starts_with("Claimmark "));
    let strip = |codes: &Value| -> Vec<(String, String, Value)> {
        codes
            .as_array()
            .expect("codes")
            .iter()
            .map(|c| {
                (
                    s(&c["guid"]).into(),
                    s(&c["name"]).into(),
                    c["parent"].clone(),
                )
            })
            .collect()
    };
    assert_eq!(
        strip(&cb["codes"]),
        strip(&r["codes"]),
        "same codes, same GUIDs"
    );

    // Deterministic apart from the export's timestamps.
    let again = dir.path().join("again.qdpx");
    export(&folder, "qdpx", &again, &[]);
    let r2 = read_with_python(&again, &qdc);
    assert_eq!(r["stable"], r2["stable"]);
}

#[test]
fn a_link_to_a_claim_left_out_is_reported() {
    let dir = tempfile::tempdir().expect("tempdir");
    let folder = dir.path().join("claims");
    std::fs::create_dir(&folder).expect("mkdir");
    annotated_folder(&folder);
    let qdpx = dir.path().join("out.qdpx");
    let qdc = dir.path().join("out.qdc");
    let out = export(&folder, "qdpx", &qdpx, &["--tag", "statistic"]);
    export(&folder, "qdc", &qdc, &[]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("1 link(s) between claims point to claims not in this export"),
        "{stderr}"
    );
    let r = read_with_python(&qdpx, &qdc);
    assert_eq!(r["links"], serde_json::json!([]));
    let selections: usize = r["sources"]
        .as_array()
        .expect("sources")
        .iter()
        .map(|src| src["selections"].as_array().map_or(0, Vec::len))
        .sum();
    assert_eq!(selections, 1, "only the statistic");
    // The codebook is still whole: every tag, not only the filtered ones.
    assert!(r["codes"].as_array().is_some_and(|c| c.len() >= 7));
}

/// Three tags named Other (under Claim, under Evidence, at the top) in two folders that each
/// have a `report.txt`.
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

/// Code names and source names are unique in the project. Two `Other` codes under different
/// parents made QualCoder (one code per name) store the second one's codings with no code:
/// they are `Claim/Other` and `Evidence/Other` now, the top-level one `Other`, and every
/// coding refers to a code whose name is its tag's path. Two `report.txt` in different
/// folders carry their folder, without a `/` (QualCoder copies a source to
/// `documents/NAME.txt`): `report (2024).txt` and `report (2025).txt`.
#[test]
fn codes_and_sources_have_unique_names_in_the_project() {
    let dir = tempfile::tempdir().expect("tempdir");
    let folder = dir.path().join("claims");
    let mut tagged = Vec::new();
    for (year, quote, tag, path) in [
        ("2024", "Kira stressed the need", "other", "Claim/Other"),
        (
            "2024",
            "analysts have also said",
            "other_2",
            "Evidence/Other",
        ),
        (
            "2025",
            "Talbot administration, state radio",
            "other_3",
            "Other",
        ),
    ] {
        let sub = folder.join(year);
        std::fs::create_dir_all(&sub).expect("mkdir");
        std::fs::write(sub.join("claimmark.codebook.ron"), OTHERS).expect("codebook");
        let report = sub.join("report.txt");
        if !report.exists() {
            common::seed_article(&sub);
        }
        common::add(&report, quote, tag, &[]);
        tagged.push((quote, path));
    }
    let qdpx = dir.path().join("out.qdpx");
    let qdc = dir.path().join("out.qdc");
    export(&folder, "qdpx", &qdpx, &[]);
    export(&folder, "qdc", &qdc, &[]);
    let r = read_with_python(&qdpx, &qdc);

    for codes in [&r["codes"], &r["qdc"]["codes"]] {
        let names: Vec<&str> = codes
            .as_array()
            .expect("codes")
            .iter()
            .map(|c| s(&c["name"]))
            .collect();
        let distinct: HashSet<String> = names.iter().map(|n| n.to_lowercase()).collect();
        assert_eq!(distinct.len(), names.len(), "{names:?}");
        for want in ["Claim/Other", "Evidence/Other", "Other"] {
            assert!(names.contains(&want), "{want} in {names:?}");
        }
    }
    let code_name: HashMap<&str, &str> = r["codes"]
        .as_array()
        .expect("codes")
        .iter()
        .map(|c| (s(&c["guid"]), s(&c["name"])))
        .collect();
    let selections: Vec<&Value> = r["sources"]
        .as_array()
        .expect("sources")
        .iter()
        .flat_map(|src| src["selections"].as_array().expect("selections"))
        .collect();
    assert_eq!(selections.len(), 3);
    for (quote, path) in tagged {
        let sel = selections
            .iter()
            .find(|sel| s(&sel["slice"]) == quote)
            .unwrap_or_else(|| panic!("a selection of {quote}"));
        let codes: Vec<&str> = sel["coderefs"]
            .as_array()
            .expect("coderefs")
            .iter()
            .map(|g| code_name.get(s(g)).copied().unwrap_or("no code"))
            .collect();
        assert_eq!(codes, [path], "{quote}");
        let parents: Vec<&str> = path.split('/').collect();
        assert_eq!(
            claimmark::export::refi::unqualified_code_name(path, &parents[..parents.len() - 1]),
            "Other",
            "our import reads the qualified name back"
        );
    }

    let mut names: Vec<&str> = r["sources"]
        .as_array()
        .expect("sources")
        .iter()
        .map(|src| s(&src["name"]))
        .collect();
    names.sort_unstable();
    assert_eq!(names, ["report (2024).txt", "report (2025).txt"]);
}
