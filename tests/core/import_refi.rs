//! REFI-QDA import (`.qdpx` projects, `.qdc` codebooks): projects made the way QualCoder and
//! MAXQDA write them (built here, byte by byte, from what their exporters write), our own export
//! coming back, a codebook merged into a folder's, and hostile or broken inputs.

use std::io::Write;
use std::path::{Path, PathBuf};

use claimmark::annotation_import::refi::{self, RefiError};
use claimmark::session::Session;
use claimmark::storage::codebook::load_for_folder;
use serde_json::Value;

use crate::common::{claimmark, ok};

fn utf8(p: &Path) -> &str {
    p.to_str().expect("utf-8 path")
}

/// Writes a ZIP with these entries (deflated), as `.qdpx` writers do.
fn zip_file(path: &Path, entries: &[(&str, Vec<u8>)]) {
    let file = std::fs::File::create(path).expect("create zip");
    let mut zip = zip::ZipWriter::new(file);
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    for (name, bytes) in entries {
        zip.start_file(*name, options).expect("zip entry");
        zip.write_all(bytes).expect("zip write");
    }
    zip.finish().expect("zip finish");
}

/// Code points where the first `needle` starts and ends in `text`.
fn cp(text: &str, needle: &str) -> (usize, usize) {
    let byte = text
        .find(needle)
        .unwrap_or_else(|| panic!("`{needle}` is not in the text"));
    let start = text[..byte].chars().count();
    (start, start + needle.chars().count())
}

fn bom(text: &str) -> Vec<u8> {
    let mut bytes = b"\xef\xbb\xbf".to_vec();
    bytes.extend_from_slice(text.as_bytes());
    bytes
}

/// One annotation as the analyst sees it.
#[derive(Debug, PartialEq)]
struct Seen {
    quote: String,
    tags: Vec<String>,
    note: String,
    author: String,
}

fn seen(article: &Path) -> Vec<Seen> {
    let session = Session::open(article).expect("open the imported article");
    let mut out: Vec<Seen> = session
        .annotations()
        .iter()
        .map(|a| {
            let mut tags: Vec<String> = a.tags.iter().map(|t| session.codebook().path(t)).collect();
            tags.sort();
            Seen {
                quote: a.quote(),
                tags,
                note: a.note.clone(),
                author: a.author.clone(),
            }
        })
        .collect();
    out.sort_by(|a, b| a.quote.cmp(&b.quote));
    out
}

fn s(quote: &str, tags: &[&str], note: &str, author: &str) -> Seen {
    Seen {
        quote: quote.into(),
        tags: tags.iter().map(|t| (*t).to_owned()).collect(),
        note: note.into(),
        author: author.into(),
    }
}

fn import(input: &Path, into: &Path) -> refi::Report {
    refi::import(input, into, &mut |_, _| {}).expect("imported")
}

// ---------------------------------------------------------------------------------------------
// QualCoder

const QC_INTERVIEW: &str = "Interviewer: What did the ministry say?\nAna: They said exports rose by 12 per cent 📈 last year.\nBo: Traders disputed the figure.\n";
const QC_NOTES: &str = "서울 says 𝒳 grew\n😀 by 3 %, said Min-jun.\n";
const ANA: &str = "5c94bc9e-db8c-4f1d-9cd6-e900c7440860";
const BO: &str = "0b6c7c3a-3f55-4bd8-8f0e-0c7e7a1f2d11";

/// A selection as QualCoder's `text_selection_xml` writes it: one per coding, `name` = the
/// coded text (a line break kept raw in the attribute), the memo as `Description`.
fn qc_selection(guid: &str, text: &str, words: &str, user: &str, memo: &str, code: &str) -> String {
    let (start, end) = cp(text, words);
    let memo = if memo.is_empty() {
        String::new()
    } else {
        format!("<Description>{memo}</Description>\n")
    };
    format!(
        "<PlainTextSelection guid=\"{guid}\" startPosition=\"{start}\" endPosition=\"{end}\" name=\"{words}\" creatingUser=\"{user}\" creationDateTime=\"2024-05-02T09:30:00Z\">\n{memo}<Coding guid=\"{guid}-c\" creatingUser=\"{user}\" >\n<CodeRef targetGUID=\"{code}\" />\n</Coding>\n</PlainTextSelection>\n"
    )
}

/// A project as QualCoder 3.x exports it: texts with a UTF-8 byte-order mark (and, for the
/// first, `\r\n` written by its "MAXQDA line endings" option while its positions count `\n`),
/// a rich text beside each plain text, categories with `isCodable="false"`, unlinked codes
/// first, a journal and an annotation as `Notes`.
fn qualcoder_project(path: &Path) {
    let mut sel = String::new();
    sel += &qc_selection(
        "a1000000-0000-4000-8000-000000000001",
        QC_INTERVIEW,
        "exports rose by 12 per cent 📈",
        ANA,
        "check the source",
        "c0000000-0000-4000-8000-000000000002",
    );
    sel += &qc_selection(
        "a1000000-0000-4000-8000-000000000002",
        QC_INTERVIEW,
        "exports rose by 12 per cent 📈",
        ANA,
        "check the source",
        "c0000000-0000-4000-8000-000000000001",
    );
    sel += &qc_selection(
        "a1000000-0000-4000-8000-000000000003",
        QC_INTERVIEW,
        "Traders disputed the figure.",
        BO,
        "",
        "c0000000-0000-4000-8000-000000000004",
    );
    sel += &qc_selection(
        "a1000000-0000-4000-8000-000000000004",
        QC_INTERVIEW,
        "last year.\nBo: Traders",
        ANA,
        "",
        "c0000000-0000-4000-8000-000000000001",
    );
    let mut sel2 = String::new();
    sel2 += &qc_selection(
        "a2000000-0000-4000-8000-000000000001",
        QC_NOTES,
        "𝒳 grew",
        ANA,
        "",
        "c0000000-0000-4000-8000-000000000002",
    );
    sel2 += &qc_selection(
        "a2000000-0000-4000-8000-000000000002",
        QC_NOTES,
        "😀 by 3 %",
        BO,
        "Korean &amp; emoji",
        "c0000000-0000-4000-8000-000000000004",
    );
    let (ann_start, ann_end) = cp(QC_INTERVIEW, "What did the ministry say?");
    let qde = format!(
        r##"<?xml version="1.0" encoding="utf-8"?>
<Project xmlns:xsd="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" name="grain.qda" origin="QualCoder 3.6" creatingUserGUID="9d7f0c55-4c3e-4a55-9d2f-2a1f7d1e0a01" creationDateTime="2024-05-01T08:00:00Z" xmlns="urn:QDA-XML:project:1.0">
<Users>
<User guid="{ANA}" name="Ana" />
<User guid="{BO}" name="Bo" />
</Users>
<CodeBook>
<Codes>
<Code guid="c0000000-0000-4000-8000-000000000001" name="Misc" isCodable="true" color="#F5A623" />
<Code guid="f0000000-0000-4000-8000-000000000001" name="Claims" isCodable="false">
<Description>What people assert</Description>
<Code guid="c0000000-0000-4000-8000-000000000002" name="Statistic" isCodable="true" color="#4A90E2">
<Description>A number</Description>
</Code>
<Code guid="f0000000-0000-4000-8000-000000000002" name="Talk" isCodable="false">
<Code guid="c0000000-0000-4000-8000-000000000004" name="Quote" isCodable="true" color="#7ED321" />
</Code>
</Code>
</Codes>
</CodeBook>
<Sources>
<TextSource richTextPath="internal://d1000000-0000-4000-8000-000000000001.docx" plainTextPath="internal://e1000000-0000-4000-8000-000000000001.txt" creatingUser="{ANA}" creationDateTime="2024-05-01T08:10:00Z" guid="b1000000-0000-4000-8000-000000000001" name="interview.docx">
<Description>First interview</Description>
{sel}<NoteRef targetGUID="n2000000-0000-4000-8000-000000000002" />
</TextSource>
<TextSource richTextPath="internal://d1000000-0000-4000-8000-000000000002.txt" plainTextPath="internal://e1000000-0000-4000-8000-000000000002.txt" creatingUser="{ANA}" creationDateTime="2024-05-01T08:11:00Z" guid="b1000000-0000-4000-8000-000000000002" name="notes 𝒳.txt">
{sel2}</TextSource>
</Sources>
<Notes>
<Note guid="n1000000-0000-4000-8000-000000000001" creatingUser="{ANA}" creationDateTime="2024-05-03T10:00:00Z" name="First thoughts"  plainTextPath="internal://n1000000-0000-4000-8000-000000000001.txt" >
<Description /></Note>
<Note guid="n2000000-0000-4000-8000-000000000002" creatingUser="{ANA}" creationDateTime="2024-05-03T10:00:00Z" >
<PlainTextContent>Ask Ana which year</PlainTextContent>
<PlainTextSelection guid="a3000000-0000-4000-8000-000000000001" startPosition="{ann_start}" endPosition="{ann_end}" />
</Note>
</Notes>
</Project>"##
    );
    zip_file(
        path,
        &[
            ("project.qde", qde.into_bytes()),
            (
                "sources/e1000000-0000-4000-8000-000000000001.txt",
                bom(&QC_INTERVIEW.replace('\n', "\r\n")),
            ),
            (
                "sources/d1000000-0000-4000-8000-000000000001.docx",
                b"PK\x03\x04 not the text".to_vec(),
            ),
            (
                "sources/e1000000-0000-4000-8000-000000000002.txt",
                bom(QC_NOTES),
            ),
            (
                "sources/d1000000-0000-4000-8000-000000000002.txt",
                bom("A rich text that is not the plain text."),
            ),
            (
                "sources/n1000000-0000-4000-8000-000000000001.txt",
                bom("The journal."),
            ),
        ],
    );
}

#[test]
fn a_qualcoder_project_lands_every_coding_on_its_words() {
    let dir = tempfile::tempdir().expect("tempdir");
    let qdpx = dir.path().join("grain.qdpx");
    qualcoder_project(&qdpx);
    let into = dir.path().join("articles");
    let report = import(&qdpx, &into);

    let interview = into.join("interview.txt");
    let notes = into.join("notes 𝒳.txt");
    assert_eq!(report.created, [interview.clone(), notes.clone()]);
    // Canonical text: no byte-order mark, `\n`; the plain text, not the rich one.
    assert_eq!(
        std::fs::read_to_string(&interview).expect("read"),
        QC_INTERVIEW
    );
    assert_eq!(std::fs::read_to_string(&notes).expect("read"), QC_NOTES);
    // Two selections of one span that differ in their code are one annotation.
    assert_eq!(
        seen(&interview),
        [
            s(
                "Traders disputed the figure.",
                &["Claims/Talk/Quote"],
                "",
                "Bo"
            ),
            s(
                "exports rose by 12 per cent 📈",
                &["Claims/Statistic", "Misc"],
                "check the source",
                "Ana"
            ),
            s("last year.\nBo: Traders", &["Misc"], "", "Ana"),
        ]
    );
    assert_eq!(
        seen(&notes),
        [
            s("𝒳 grew", &["Claims/Statistic"], "", "Ana"),
            s("😀 by 3 %", &["Claims/Talk/Quote"], "Korean & emoji", "Bo"),
        ]
    );
    let session = Session::open(&interview).expect("open");
    let ann = session.annotations().iter().next().expect("one");
    assert_eq!(ann.created, "2024-05-02T09:30:00Z");

    // Categories and codes are nested tags, with colour and description.
    let cb = load_for_folder(&into).expect("codebook");
    assert_eq!(report.tags_added, 5);
    let stat = cb
        .find_path(&["Claims", "Statistic"])
        .expect("Claims/Statistic");
    assert_eq!(stat.color.to_hex(), "#4a90e2");
    assert_eq!(stat.description, "A number");
    let claims = cb.find_path(&["Claims"]).expect("Claims");
    assert_eq!(claims.description, "What people assert");
    assert!(
        cb.find_path(&["Claim", "Statistic"]).is_some(),
        "the folder's own tags stay"
    );

    // What has no place is listed: the annotation on text without a code, the journal.
    let problems = report.problems().join("\n");
    assert_eq!(report.problems().len(), 2, "{problems}");
    assert!(problems.contains("without a code"), "{problems}");
    assert!(
        problems.contains("“First thoughts” is not on a coding"),
        "{problems}"
    );
    assert!(problems.contains("grain.qdpx"), "{problems}");
    assert_eq!(report.placed.added, 5);

    // A second import of the same project adds nothing.
    let again = import(&qdpx, &into);
    assert!(again.created.is_empty(), "{:?}", again.created);
    assert_eq!(again.reused.len(), 2);
    assert_eq!((again.placed.added, again.placed.existing), (0, 5));
    assert_eq!(again.tags_added, 0);
}

// ---------------------------------------------------------------------------------------------
// MAXQDA

/// MAXQDA's text: Windows line ends, no byte-order mark; positions count code points of the
/// file, `\r\n` as two.
const MAXQDA_TEXT: &str = "Press release\r\nThe ministry reported a 7 % rise 🌾 in grain exports.\r\n\r\nCritics called the figure “implausible”.\r\n";
const FRANCESCA: &str = "2C5846FE-C0B7-4124-9256-794A5742CEBA";

fn mx_selection(guid: &str, words: &str, inner: &str) -> String {
    let (start, end) = cp(MAXQDA_TEXT, words);
    format!(
        "<PlainTextSelection endPosition=\"{end}\" startPosition=\"{start}\" name=\"\" creatingUser=\"{FRANCESCA}\" creationDateTime=\"2022-03-01T12:00:00Z\" modifyingUser=\"{FRANCESCA}\" modifiedDateTime=\"2022-03-02T12:00:00\" guid=\"{guid}\">{inner}</PlainTextSelection>\n"
    )
}

/// A project in MAXQDA's habits: uppercase GUIDs, attributes in its order, codable parent
/// codes, source names without an extension, a rich-text file beside the plain text, memos as
/// `Note`s referred to from the coded segment, a comment as a selection without a coding.
fn maxqda_project(path: &Path) {
    let coding = |code: &str| {
        format!(
            "<Coding creatingUser=\"{FRANCESCA}\" creationDateTime=\"2022-03-01T12:00:00Z\" guid=\"{code}-C\"><CodeRef targetGUID=\"{code}\"/></Coding>"
        )
    };
    let mut sels = String::new();
    sels += &mx_selection(
        "5FB6E502-B2A2-459C-B8F7-C3E17A3A2F01",
        "a 7 % rise 🌾 in grain exports",
        &format!(
            "{}<NoteRef targetGUID=\"E9CABA1A-0832-47CE-BD66-A8EC188D3701\"/>",
            coding("AB2E4F10-1111-4C1E-9D4B-2F7B6A1F0C02")
        ),
    );
    sels += &mx_selection(
        "5FB6E502-B2A2-459C-B8F7-C3E17A3A2F02",
        "“implausible”",
        &coding("AB2E4F10-1111-4C1E-9D4B-2F7B6A1F0C01"),
    );
    sels += &mx_selection(
        "5FB6E502-B2A2-459C-B8F7-C3E17A3A2F03",
        "exports.\r\n\r\nCritics",
        &coding("AB2E4F10-1111-4C1E-9D4B-2F7B6A1F0C01"),
    );
    sels += &mx_selection(
        "5FB6E502-B2A2-459C-B8F7-C3E17A3A2F04",
        "Press release",
        "<Description>just a comment</Description>",
    );
    let qde = format!(
        r##"<?xml version="1.0" encoding="utf-8"?>
<Project origin="MAXQDA 2022 (Release 22.4.0)" xsi:schemaLocation="urn:QDA-XML:project:1.0 http://schema.qdasoftware.org/versions/Project/v1.0/Project.xsd" name="Grain" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" modifiedDateTime="2022-03-02T12:00:00Z" xmlns="urn:QDA-XML:project:1.0">
<Users>
<User name="Francesca" guid="{FRANCESCA}"/>
</Users>
<CodeBook>
<Codes>
<Code isCodable="true" name="Claims" color="#2364a2" guid="AB2E4F10-1111-4C1E-9D4B-2F7B6A1F0C01"><Description>Assertions</Description>
<Code isCodable="true" name="Numbers" color="#ff0000" guid="AB2E4F10-1111-4C1E-9D4B-2F7B6A1F0C02"/>
</Code>
</Codes>
</CodeBook>
<Sources>
<TextSource plainTextPath="internal://8E7FDDFE-DB36-48DC-B464-80C3A4DECD90.txt" richTextPath="internal://6F35C6F2-BD8F-4F08-AD49-6D62CB8442A5.rtf" creatingUser="{FRANCESCA}" creationDateTime="2022-03-01T11:00:00Z" name="Press release" guid="A2B94468-80A5-412F-92D6-E900D97B55A6">
{sels}</TextSource>
</Sources>
<Notes>
<Note creatingUser="{FRANCESCA}" creationDateTime="2022-03-01T12:05:00Z" name="Memo on segment" guid="E9CABA1A-0832-47CE-BD66-A8EC188D3701"><PlainTextContent>Check against customs data</PlainTextContent></Note>
</Notes>
</Project>"##
    );
    zip_file(
        path,
        &[
            ("project.qde", qde.into_bytes()),
            (
                "sources/8E7FDDFE-DB36-48DC-B464-80C3A4DECD90.txt",
                MAXQDA_TEXT.as_bytes().to_vec(),
            ),
            (
                "sources/6F35C6F2-BD8F-4F08-AD49-6D62CB8442A5.rtf",
                b"{\\rtf1 not the text}".to_vec(),
            ),
        ],
    );
}

#[test]
fn a_maxqda_project_counts_code_points_of_the_file() {
    let dir = tempfile::tempdir().expect("tempdir");
    let qdpx = dir.path().join("Grain.qdpx");
    maxqda_project(&qdpx);
    let into = dir.path().join("articles");
    let report = import(&qdpx, &into);
    let article = into.join("Press release.txt");
    assert_eq!(report.created, std::slice::from_ref(&article));
    assert_eq!(
        std::fs::read_to_string(&article).expect("read"),
        MAXQDA_TEXT.replace("\r\n", "\n")
    );
    assert_eq!(
        seen(&article),
        [
            s(
                "a 7 % rise 🌾 in grain exports",
                &["Claims/Numbers"],
                "Memo on segment: Check against customs data",
                "Francesca"
            ),
            s("exports.\n\nCritics", &["Claims"], "", "Francesca"),
            s("“implausible”", &["Claims"], "", "Francesca"),
        ]
    );
    let session = Session::open(&article).expect("open");
    let ann = session.annotations().iter().next().expect("one");
    assert_eq!(
        ann.modified, "2022-03-02T12:00:00Z",
        "a time without zone is UTC"
    );
    let problems = report.problems().join("\n");
    assert_eq!(report.problems().len(), 1, "{problems}");
    assert!(
        problems.contains("5fb6e502-b2a2-459c-b8f7-c3e17a3a2f04") && problems.contains("no code"),
        "{problems}"
    );
    let cb = load_for_folder(&into).expect("codebook");
    let numbers = cb.find_path(&["Claims", "Numbers"]).expect("nested");
    assert_eq!(numbers.color.to_hex(), "#ff0000");
}

// ---------------------------------------------------------------------------------------------
// Our own export, back

fn list(dir: &Path) -> Vec<Value> {
    let out = ok(claimmark(&["list", utf8(dir), "--format", "jsonl"]));
    let mut rows: Vec<Value> = String::from_utf8(out.stdout)
        .expect("utf-8")
        .lines()
        .map(|l| serde_json::from_str(l).expect("json line"))
        .collect();
    rows.sort_by_key(|r| (r["article"].as_str().map(file_name), r["start"].as_u64()));
    rows
}

fn file_name(path: &str) -> String {
    Path::new(path)
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// What must survive the round trip: the article's name, tags by path, every fragment, the
/// note (less what XML cannot carry), the claim record, the author and times.
fn essence(row: &Value) -> Value {
    let note: String = row["note"]
        .as_str()
        .unwrap_or_default()
        .chars()
        .filter(|c| !c.is_control() || *c == '\n')
        .collect();
    let mut paths: Vec<&str> = row["tag_paths"]
        .as_array()
        .expect("tag paths")
        .iter()
        .filter_map(Value::as_str)
        .collect();
    paths.sort();
    let fragments: Vec<Value> = row["fragments"]
        .as_array()
        .expect("fragments")
        .iter()
        .map(|f| serde_json::json!([f["start"], f["end"], f["quote"]]))
        .collect();
    serde_json::json!({
        "article": file_name(row["article"].as_str().expect("article")),
        "tags": paths,
        "fragments": fragments,
        "note": note,
        "attributed_to": row["attributed_to"],
        "via": row["via"],
        "grade": row["grade"],
        "status": row["status"],
        "confidence": row["confidence"],
        "author": row["author"],
        "created": row["created"],
        "links": row["links"].as_array().map(Vec::len),
    })
}

#[test]
fn our_export_imported_into_an_empty_folder_gives_the_same_annotations() {
    let dir = tempfile::tempdir().expect("tempdir");
    let src = dir.path().join("src");
    std::fs::create_dir(&src).expect("mkdir");
    let folder = crate::export_refi::annotated_folder(&src);
    let qdpx = dir.path().join("claims.qdpx");
    ok(claimmark(&[
        "export",
        utf8(&src),
        "--format",
        "qdpx",
        "--output",
        utf8(&qdpx),
    ]));
    let dst = dir.path().join("dst");
    let out = ok(claimmark(&["import", utf8(&qdpx), "--into", utf8(&dst)]));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("2 article(s) created") && stderr.contains("0 not imported"),
        "{stderr}"
    );

    let before = list(&src);
    let after = list(&dst);
    assert_eq!(before.len(), after.len());
    for (a, b) in before.iter().zip(&after) {
        assert_eq!(essence(a), essence(b));
    }
    // Ids that are UUIDs are kept, and the link between the articles still finds its target.
    let statistic = after
        .iter()
        .find(|r| r["id"] == folder.statistic.as_str())
        .expect("the statistic keeps its id");
    assert_eq!(statistic["links"][0]["kind"], "supports");
    assert_eq!(statistic["links"][0]["target"], folder.kim.as_str());
    assert_eq!(statistic["links"][0]["article"], "report.txt");
    assert!(after.iter().any(|r| r["id"] == folder.kim.as_str()));
    // Nothing was added to the codebook: every tag was already in the folder's (default) one.
    assert!(!dst.join("claimmark.codebook.ron").exists());
    for name in ["report.txt", "second.txt"] {
        assert_eq!(
            Session::open(&src.join(name)).expect("src").article().text,
            Session::open(&dst.join(name)).expect("dst").article().text
        );
    }
}

// ---------------------------------------------------------------------------------------------
// Codebooks

#[test]
fn a_codebook_merges_into_the_folders() {
    let dir = tempfile::tempdir().expect("tempdir");
    let into = dir.path().join("articles");
    std::fs::create_dir(&into).expect("mkdir");
    std::fs::write(
        into.join("claimmark.codebook.ron"),
        "(version: 2, tags: [(id: \"claims\", name: \"Claims\", color: \"#000000\", description: \"ours\")])\n",
    )
    .expect("write codebook");
    let qdc = dir.path().join("codes.qdc");
    std::fs::write(
        &qdc,
        r##"<?xml version="1.0" encoding="utf-8"?>
<CodeBook xmlns="urn:QDA-XML:codebook:1.0" origin="MAXQDA 2022">
  <Codes>
    <Code guid="A1" name="claims" isCodable="true" color="#2364a2"><Description>theirs</Description>
      <Code guid="A2" name="Numbers" isCodable="true" color="#ff0000"><Description>counts</Description></Code>
    </Code>
    <Code guid="A3" name="Actors" isCodable="false"/>
  </Codes>
</CodeBook>"##,
    )
    .expect("write qdc");
    let out = ok(claimmark(&["import", utf8(&qdc), "--into", utf8(&into)]));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("2 tag(s) added to the codebook, 1 already there"),
        "{stderr}"
    );
    let cb = load_for_folder(&into).expect("codebook");
    let claims = cb.find_path(&["Claims"]).expect("kept");
    assert_eq!(
        (claims.color.to_hex().as_str(), claims.description.as_str()),
        ("#000000", "ours")
    );
    let numbers = cb.find_path(&["Claims", "Numbers"]).expect("added");
    assert_eq!(numbers.color.to_hex(), "#ff0000");
    assert_eq!(numbers.description, "counts");
    assert!(cb.find_path(&["Actors"]).is_some());
    assert_eq!(cb.tags.len(), 3);
}

// ---------------------------------------------------------------------------------------------
// Bad input

/// Every file under `dir`, relative.
fn files_under(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut todo = vec![dir.to_owned()];
    while let Some(d) = todo.pop() {
        for e in std::fs::read_dir(&d).expect("read dir").flatten() {
            let p = e.path();
            if p.is_dir() {
                todo.push(p);
            } else {
                out.push(p.strip_prefix(dir).expect("under").to_owned());
            }
        }
    }
    out.sort();
    out
}

#[test]
fn broken_inputs_are_refused_with_the_files_name() {
    let dir = tempfile::tempdir().expect("tempdir");
    let into = dir.path().join("articles");
    let not_zip = dir.path().join("notzip.qdpx");
    std::fs::write(&not_zip, "hello").expect("write");
    let err = refi::import(&not_zip, &into, &mut |_, _| {}).expect_err("not a zip");
    assert!(matches!(err, RefiError::NotZip { .. }), "{err:?}");
    assert!(err.to_string().contains("notzip.qdpx"), "{err}");

    let empty = dir.path().join("empty.qdpx");
    zip_file(&empty, &[("readme.txt", b"hi".to_vec())]);
    let err = refi::import(&empty, &into, &mut |_, _| {}).expect_err("no project");
    assert!(matches!(err, RefiError::NoProject { .. }), "{err:?}");
    assert!(
        err.to_string().contains("empty.qdpx has no project.qde"),
        "{err}"
    );

    let bad_xml = dir.path().join("bad.qdpx");
    zip_file(
        &bad_xml,
        &[("project.qde", b"<Project><Sources></Project>".to_vec())],
    );
    let err = refi::import(&bad_xml, &into, &mut |_, _| {}).expect_err("bad xml");
    assert!(matches!(err, RefiError::Xml { .. }), "{err:?}");
    assert!(
        err.to_string().starts_with(&format!(
            "{}: project.qde: not well-formed",
            bad_xml.display()
        )),
        "{err}"
    );

    // The CLI: a clear line, exit 1; and --into is required.
    let out = claimmark(&["import", utf8(&not_zip), "--into", utf8(&into)]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("notzip.qdpx is not a ZIP archive"));
    let out = claimmark(&["import", utf8(&not_zip)]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("give --into FOLDER"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        !into.exists(),
        "the folder is made only for an input that can be read"
    );
}

/// A project with one good source and every kind of hostile or broken one: a path out of the
/// archive, a name with `..`, a bomb, a selection out of range, an unknown code.
#[test]
fn hostile_projects_write_nothing_outside_the_folder_and_overwrite_nothing() {
    let dir = tempfile::tempdir().expect("tempdir");
    let work = dir.path().join("work");
    let into = work.join("articles");
    std::fs::create_dir_all(&into).expect("mkdir");
    std::fs::write(into.join("story.txt"), "An older story.").expect("write");
    let text = "The minister said 40 schools reopened.";
    let (start, end) = cp(text, "40 schools reopened");
    let len = text.chars().count();
    let bomb = vec![b'a'; usize::try_from(claimmark::import::MAX_TEXT_BYTES).expect("fits") + 1];
    let qde = format!(
        r##"<?xml version="1.0" encoding="utf-8"?>
<Project xmlns="urn:QDA-XML:project:1.0" name="x" origin="Test">
<CodeBook><Codes><Code guid="c1" name="Claim" isCodable="true"/></Codes></CodeBook>
<Sources>
<TextSource guid="s1" name="story.txt" plainTextPath="internal://s1.txt">
<PlainTextSelection guid="ok" startPosition="{start}" endPosition="{end}"><Coding guid="k1"><CodeRef targetGUID="c1"/></Coding></PlainTextSelection>
<PlainTextSelection guid="far" startPosition="{len}" endPosition="{}"><Coding guid="k2"><CodeRef targetGUID="c1"/></Coding></PlainTextSelection>
<PlainTextSelection guid="nocode" startPosition="0" endPosition="3"><Coding guid="k3"><CodeRef targetGUID="missing"/></Coding></PlainTextSelection>
</TextSource>
<TextSource guid="s2" name="slip" plainTextPath="internal://../../evil.txt"/>
<TextSource guid="s3" name="../../escaped.txt"><PlainTextContent>Inline text.</PlainTextContent></TextSource>
<TextSource guid="s4" name="bomb" plainTextPath="internal://bomb.txt"/>
<TextSource guid="s5" name="far away" plainTextPath="absolute:///etc/hostname"/>
</Sources>
</Project>"##,
        len + 5
    );
    let qdpx = work.join("hostile.qdpx");
    zip_file(
        &qdpx,
        &[
            ("project.qde", qde.into_bytes()),
            ("sources/s1.txt", text.as_bytes().to_vec()),
            ("../../evil.txt", b"evil".to_vec()),
            ("sources/bomb.txt", bomb),
        ],
    );
    let before_outside = files_under(dir.path());
    let out = claimmark(&["import", utf8(&qdpx), "--into", utf8(&into)]);
    assert_eq!(out.status.code(), Some(1), "something was refused");
    let stderr = String::from_utf8_lossy(&out.stderr);

    // The existing story is untouched; the source went in beside it.
    assert_eq!(
        std::fs::read_to_string(into.join("story.txt")).expect("read"),
        "An older story."
    );
    assert_eq!(
        seen(&into.join("story (2).txt")),
        [s("40 schools reopened", &["Claim"], "", "tester")]
    );
    assert_eq!(
        std::fs::read_to_string(into.join("escaped.txt")).expect("read"),
        "Inline text."
    );
    // Nothing new outside the folder.
    let added: Vec<PathBuf> = files_under(dir.path())
        .into_iter()
        .filter(|p| !before_outside.contains(p))
        .collect();
    assert!(
        added.iter().all(|p| p.starts_with("work/articles")),
        "written outside the folder: {added:?}"
    );
    for needle in [
        "selection far",
        "does not fit the source's text",
        "selection nocode",
        "code missing is not in the project's codebook",
        "“slip” not imported: its path `internal://../../evil.txt` leads outside",
        "“bomb” not imported: sources/bomb.txt is larger than 64 MiB unpacked",
        "“far away” not imported: its file `absolute:///etc/hostname` is outside the project",
        "hostile.qdpx",
    ] {
        assert!(stderr.contains(needle), "`{needle}` not in:\n{stderr}");
    }
    assert!(stderr.contains("2 article(s) created"), "{stderr}");
    assert!(!into.join("hostname.txt").exists() && !into.join("far away.txt").exists());
}

/// A bare `project.qde` (no archive) with inline texts, as some tools hand them out: links
/// between selections named by kind become claim links, a link of another kind is reported,
/// and a `Link` from a note to a selection (NVivo's annotations) adds the note.
#[test]
fn links_and_notes_on_links_come_in_from_a_bare_project() {
    let dir = tempfile::tempdir().expect("tempdir");
    let text = "Officials said 40 schools reopened. Parents said 12 did.";
    let (a0, a1) = cp(text, "40 schools reopened");
    let (b0, b1) = cp(text, "12 did");
    let qde = dir.path().join("project.qde");
    std::fs::write(
        &qde,
        format!(
            r##"<?xml version="1.0" encoding="utf-8"?>
<Project xmlns="urn:QDA-XML:project:1.0" name="p" origin="NVivo 14">
<CodeBook><Codes><Code guid="c1" name="Claim" isCodable="true"/></Codes></CodeBook>
<Sources>
<TextSource guid="s1" name="Schools">
<PlainTextContent>{text}</PlainTextContent>
<PlainTextSelection guid="sa" startPosition="{a0}" endPosition="{a1}"><Coding guid="k1"><CodeRef targetGUID="c1"/></Coding></PlainTextSelection>
<PlainTextSelection guid="sb" startPosition="{b0}" endPosition="{b1}"><Coding guid="k2"><CodeRef targetGUID="c1"/></Coding></PlainTextSelection>
</TextSource>
</Sources>
<Notes><Note guid="n1" name="Annotation"><PlainTextContent>Parents disagree</PlainTextContent></Note></Notes>
<Links>
<Link guid="l1" name="contradicts" direction="OneWay" originGUID="sb" targetGUID="sa"/>
<Link guid="l2" name="is near" originGUID="sa" targetGUID="sb"/>
<Link guid="l3" originGUID="n1" targetGUID="sb"/>
</Links>
</Project>"##
        ),
    )
    .expect("write");
    let into = dir.path().join("articles");
    let report = import(&qde, &into);
    let article = into.join("Schools.txt");
    assert_eq!(report.created, std::slice::from_ref(&article));
    let session = Session::open(&article).expect("open");
    let by_quote = |q: &str| {
        session
            .annotations()
            .iter()
            .find(|a| a.quote() == q)
            .unwrap_or_else(|| panic!("no annotation on `{q}`"))
    };
    let parents = by_quote("12 did");
    assert_eq!(parents.note, "Annotation: Parents disagree");
    assert_eq!(parents.record.links.len(), 1);
    assert_eq!(parents.record.links[0].kind.label(), "contradicts");
    assert_eq!(
        parents.record.links[0].target,
        by_quote("40 schools reopened").id
    );
    assert_eq!(parents.record.links[0].article, None);
    let problems = report.problems().join("\n");
    assert_eq!(report.problems().len(), 1, "{problems}");
    assert!(problems.contains("link “is near”"), "{problems}");
}
