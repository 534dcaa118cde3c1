//! Work made in other tools comes in: Hypothesis, brat attribution corpora (events, relations,
//! annotation.conf), Taguette's CSVs, W3C files with comments and refined selectors, quote-only
//! JSON Lines; and a file with good and bad records places the good ones and lists the bad.
//! Every input here is written by the test, in the shape those tools write.

use std::path::Path;

use serde_json::{Value, json};

use crate::common::{claimmark, ok};

/// `claimmark list --format jsonl` of one article, sorted by start.
fn rows(article: &Path) -> Vec<Value> {
    let out = ok(claimmark(&[
        "list",
        article.to_str().expect("utf-8"),
        "--format",
        "jsonl",
    ]));
    let mut rows: Vec<Value> = String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).expect("JSON"))
        .collect();
    rows.sort_by_key(|r| r["start"].as_u64());
    rows
}

fn import(args: &[&str]) -> (Option<i32>, String) {
    let mut all = vec!["import"];
    all.extend_from_slice(args);
    let out = claimmark(&all);
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn text_of(p: &Path) -> &str {
    p.to_str().expect("utf-8")
}

/// The code-point range of `quote` in `text`.
fn range(text: &str, quote: &str) -> (usize, usize) {
    let at = text.find(quote).expect("quote in text");
    let start = text[..at].chars().count();
    (start, start + quote.chars().count())
}

const PAGE_TEXT: &str = "Harbour officials said on Monday that 40 ships were waiting outside the port. \
The union's leader, Ana Ribeiro, called the delay “a scandal”. Exports fell 12 per cent in May.";

#[test]
fn a_hypothesis_export_with_rows_places_its_highlights_on_the_saved_page() {
    let dir = tempfile::tempdir().expect("tempdir");
    let page = dir.path().join("harbour.html");
    std::fs::write(
        &page,
        format!(
            "<html><head><title>Harbour queue</title>\
             <link rel=\"canonical\" href=\"https://news.example/harbour-queue\"></head>\
             <body><article><p>{PAGE_TEXT}</p></article></body></html>"
        ),
    )
    .expect("write page");
    let quote = "40 ships were waiting outside the port";
    let url = "https://news.example/harbour-queue#comments";
    let selectors = |exact: &str| {
        json!([
            {"type": "RangeSelector", "startContainer": "/article[1]/p[1]", "startOffset": 0,
             "endContainer": "/article[1]/p[1]", "endOffset": 10},
            {"type": "TextPositionSelector", "start": 9999, "end": 10030},
            {"type": "TextQuoteSelector", "exact": exact, "prefix": "", "suffix": ""}
        ])
    };
    let export = json!({
        "total": 5,
        "rows": [
            {"id": "hyp-1", "created": "2024-05-02T10:00:00Z", "updated": "2024-05-03T10:00:00Z",
             "user": "acct:alice@hypothes.is", "uri": url, "text": "check the port's own count",
             "tags": ["Claim.Statistic"], "group": "__world__",
             "target": [{"source": url, "selector": selectors(quote)}],
             "document": {"title": ["Harbour queue"]}},
            {"id": "hyp-2", "user": "acct:bob@hypothes.is", "uri": url,
             "user_info": {"display_name": "Bob B."},
             "text": "strong word", "tags": [],
             "target": [{"source": url, "selector": selectors("a scandal")}]},
            {"id": "hyp-3", "user": "acct:bob@hypothes.is", "uri": url, "text": "agreed",
             "tags": [], "references": ["hyp-2"], "target": [{"source": url}]},
            {"id": "hyp-4", "user": "acct:bob@hypothes.is", "uri": url, "text": "about the page",
             "tags": ["Claim"], "target": [{"source": url}]},
            {"id": "hyp-5", "user": "acct:alice@hypothes.is", "uri": url, "text": "",
             "tags": ["Claim"],
             "target": [{"source": url, "selector": selectors("not in this article at all")}]}
        ]
    });
    let input = dir.path().join("hypothesis.json");
    std::fs::write(&input, export.to_string()).expect("write");
    let (code, stderr) = import(&[text_of(&input), "--create-tags", "--tag", "Comment"]);
    assert_eq!(
        code,
        Some(1),
        "a reply, a page note and a missing quote: {stderr}"
    );
    assert!(stderr.contains("2 annotation(s) imported"), "{stderr}");
    assert!(stderr.contains("annotation 3: a reply"), "{stderr}");
    assert!(stderr.contains("annotation 4: a page note"), "{stderr}");
    assert!(stderr.contains("not in this article at all"), "{stderr}");
    let rows = rows(&page);
    assert_eq!(rows.len(), 2, "{rows:?}");
    assert_eq!(rows[0]["quote"], quote);
    assert_eq!(rows[0]["tag_paths"], json!(["Claim/Statistic"]));
    assert_eq!(rows[0]["note"], "check the port's own count");
    assert_eq!(rows[0]["author"], "alice");
    assert_eq!(rows[0]["modified"], "2024-05-03T10:00:00Z");
    assert_eq!(rows[1]["quote"], "a scandal");
    assert_eq!(rows[1]["tag_names"], json!(["Comment"]), "given with --tag");
    assert_eq!(rows[1]["author"], "Bob B.");
    // Importing again adds nothing.
    let (_, again) = import(&[text_of(&input), "--create-tags", "--tag", "Comment"]);
    assert!(again.contains("0 annotation(s) imported"), "{again}");
    assert!(again.contains("2 already there"), "{again}");
}

/// A fragment of an attribution corpus as PolNeAR writes it: sources, cues and contents tied
/// by events (one with a discontinuous content, one source shared by two events, one without a
/// source), an entity type the codebook lacks beside one it has on the same words, a
/// normalization, an equivalence and an attribute of our own.
#[test]
fn a_brat_attribution_corpus_gives_each_content_who_said_it() {
    let dir = tempfile::tempdir().expect("tempdir");
    let text = "Minister Lee said the budget is balanced. \
“We will not cut pensions,” the minister told reporters, “not this year.” \
Critics argued that the figures were massaged. Prices will rise, according to analysts.\n";
    let t = |q: &str| range(text, q);
    let (s1, c1, k1) = (t("Minister Lee"), t("said"), t("the budget is balanced"));
    let (s2, c2) = (t("the minister"), t("told reporters"));
    let (k2a, k2b) = (t("“We will not cut pensions,”"), t("“not this year.”"));
    let (c3, k3) = (t("argued"), t("that the figures were massaged"));
    let s3 = t("Critics");
    let (k4, c4) = (t("Prices will rise"), t("according to"));
    let ann = [
        format!("T1\tSource {} {}\tMinister Lee", s1.0, s1.1),
        format!("T2\tCue {} {}\tsaid", c1.0, c1.1),
        format!("T3\tContent {} {}\tthe budget is balanced", k1.0, k1.1),
        format!("T4\tAttribution {} {}\tsaid", c1.0, c1.1),
        "E1\tAttribution:T4 Content:T3 Cue:T2 Source:T1".to_owned(),
        format!("T5\tSource {} {}\tthe minister", s2.0, s2.1),
        format!("T6\tCue {} {}\ttold reporters", c2.0, c2.1),
        // Discontinuous, pieces out of order.
        format!("T7\tContent {} {};{} {}\t…", k2b.0, k2b.1, k2a.0, k2a.1),
        format!("T8\tAttribution {} {}\ttold reporters", c2.0, c2.1),
        "E2\tAttribution:T8 Cue:T6 Source:T5 Content:T7".to_owned(),
        format!("T9\tSource {} {}\tCritics", s3.0, s3.1),
        format!("T10\tCue {} {}\targued", c3.0, c3.1),
        format!(
            "T11\tContent {} {}\tthat the figures were massaged",
            k3.0, k3.1
        ),
        "R1\tAttributed_to Arg1:T11 Arg2:T9".to_owned(),
        format!("T12\tContent {} {}\tPrices will rise", k4.0, k4.1),
        format!("T13\tCue {} {}\taccording to", c4.0, c4.1),
        format!("T14\tAttribution-no-source {} {}\taccording to", c4.0, c4.1),
        "E3\tAttribution-no-source:T14 Content:T12 Cue:T13".to_owned(),
        // The same words as T1, with a type no codebook has.
        format!("T15\tPerson {} {}\tMinister Lee", s1.0, s1.1),
        "A1\tConfidence T3 high".to_owned(),
        "A2\tNegation T11".to_owned(),
        "N1\tReference T9 Wikidata:Q1\tCritics".to_owned(),
        "*\tAlias T1 T5".to_owned(),
        "R2\tCauses Arg1:T3 Arg2:T11".to_owned(),
        "E9\tAttribution:T99 Content:T3".to_owned(),
    ];
    let corpus = |dir: &Path| {
        std::fs::write(dir.join("doc.txt"), text).expect("write");
        std::fs::write(dir.join("doc.ann"), ann.join("\n") + "\n").expect("write");
        std::fs::write(
            dir.join("annotation.conf"),
            "[entities]\n!Attribution_parts\n\tSource\n\tCue\n\tContent\n\n[relations]\n\
             Attributed_to Arg1:Content, Arg2:Source\n[events]\n\
             Attribution\tSource:Source, Cue:Cue, Content:Content\n[attributes]\n",
        )
        .expect("write conf");
        dir.join("doc.ann")
    };

    // Without --create-tags, only the types the codebook has (its Source) are placed.
    let plain = tempfile::tempdir().expect("tempdir");
    let (code, stderr) = import(&[text_of(&corpus(plain.path()))]);
    assert_eq!(code, Some(1));
    assert!(stderr.contains("3 annotation(s) imported"), "{stderr}");
    assert!(
        stderr.contains("tag `Content` is not in the folder's codebook"),
        "{stderr}"
    );
    assert!(stderr.contains("--create-tags"), "{stderr}");

    let input = corpus(dir.path());
    let (code, stderr) = import(&[text_of(&input), "--create-tags"]);
    assert_eq!(code, Some(1), "{stderr}");
    // Cue and Content under their group, and Person; Source is the codebook's own.
    assert!(stderr.contains("4 tag(s) added"), "{stderr}");
    assert!(stderr.contains("equivalence `Alias T1 T5`"), "{stderr}");
    assert!(stderr.contains("relation `Causes`"), "{stderr}");
    assert!(
        stderr.contains("`T99` is not a text-bound annotation"),
        "{stderr}"
    );
    let article = dir.path().join("doc.txt");
    let rows = rows(&article);
    let by_quote = |q: &str| {
        rows.iter()
            .find(|r| r["quote"] == q)
            .unwrap_or_else(|| panic!("{q} in {rows:?}"))
    };
    // Triggers are events, not annotations: 15 text-bound lines - 3 triggers - T15 merged.
    assert_eq!(rows.len(), 11, "{rows:#?}");
    let budget = by_quote("the budget is balanced");
    assert_eq!(budget["tag_paths"], json!(["Attribution_parts/Content"]));
    assert_eq!(budget["attributed_to"], "Minister Lee");
    assert_eq!(budget["source_span"]["start"].as_u64(), Some(s1.0 as u64));
    assert_eq!(budget["source_span"]["quote"], "Minister Lee");
    assert_eq!(budget["confidence"], "high");
    let pensions = rows
        .iter()
        .find(|r| r["fragments"].as_array().is_some_and(|f| f.len() == 2))
        .expect("the discontinuous content");
    assert_eq!(
        pensions["fragments"][0]["quote"],
        "“We will not cut pensions,”"
    );
    assert_eq!(pensions["fragments"][1]["quote"], "“not this year.”");
    assert_eq!(pensions["attributed_to"], "the minister");
    let massaged = by_quote("that the figures were massaged");
    assert_eq!(massaged["attributed_to"], "Critics", "from the relation");
    assert_eq!(massaged["note"], "Negation");
    let prices = by_quote("Prices will rise");
    assert_eq!(
        prices["attributed_to"],
        Value::Null,
        "no source in the corpus"
    );
    let lee = by_quote("Minister Lee");
    let mut tags: Vec<String> = lee["tag_names"]
        .as_array()
        .expect("tags")
        .iter()
        .map(|t| t.as_str().expect("str").to_owned())
        .collect();
    tags.sort();
    assert_eq!(tags, ["Person", "Source"]);
    assert_eq!(
        by_quote("Critics")["note"],
        "Reference: Wikidata:Q1 Critics"
    );
    assert!(
        rows.iter()
            .all(|r| r["quote"] != "said" || r["tag_names"] == json!(["Cue"])),
        "the trigger on `said` is not an annotation of its own: {rows:?}"
    );
}

#[test]
fn a_known_type_is_kept_when_the_same_words_carry_an_unknown_one() {
    let dir = tempfile::tempdir().expect("tempdir");
    let text = "The ministry said exports rose.\n";
    std::fs::write(dir.path().join("a.txt"), text).expect("write");
    let (s, e) = range(text, "exports rose");
    let input = dir.path().join("a.ann");
    std::fs::write(
        &input,
        format!("T1\tClaim {s} {e}\texports rose\nT2\tRumour {s} {e}\texports rose\n"),
    )
    .expect("write");
    let (code, stderr) = import(&[text_of(&input)]);
    assert_eq!(code, Some(1), "the unknown tag is reported: {stderr}");
    assert!(stderr.contains("1 annotation(s) imported"), "{stderr}");
    assert!(
        stderr.contains("placed without the tag(s) `Rumour`"),
        "{stderr}"
    );
    let rows = rows(&dir.path().join("a.txt"));
    assert_eq!(rows[0]["tag_names"], json!(["Claim"]));
}

#[test]
fn a_mixed_w3c_file_places_the_good_records_and_lists_the_bad() {
    let dir = tempfile::tempdir().expect("tempdir");
    let text = "Officials said 40 ships waited. Critics called it a scandal.\n";
    std::fs::write(dir.path().join("port.txt"), text).expect("write");
    let (s, e) = range(text, "40 ships waited");
    let collection = json!({
        "@context": "http://www.w3.org/ns/anno.jsonld",
        "type": "AnnotationCollection",
        "first": {"type": "AnnotationPage", "items": [
            {"type": "Annotation", "id": "urn:uuid:00000000-0000-4000-8000-000000000001",
             "body": [{"type": "TextualBody", "purpose": "tagging", "value": "Claim"}],
             "target": {"source": "port.txt", "selector": [
                {"type": "TextPositionSelector", "start": s, "end": e},
                {"type": "TextQuoteSelector", "exact": "40 ships waited"}]}},
            // A comment, its words found through a refined selector.
            {"type": "Annotation", "motivation": "commenting",
             "body": {"type": "TextualBody", "value": "loaded word"},
             "target": {"source": "port.txt", "selector": {
                "type": "FragmentSelector", "value": "para1",
                "refinedBy": {"type": "TextQuoteSelector", "exact": "a scandal"}}}},
            // No target source.
            {"type": "Annotation", "body": {"type": "TextualBody", "value": "x"},
             "target": {"selector": {"type": "TextQuoteSelector", "exact": "ships"}}},
            // A tag no codebook has.
            {"type": "Annotation",
             "body": {"type": "TextualBody", "purpose": "tagging", "value": "Nonsense"},
             "target": {"source": "port.txt",
                        "selector": {"type": "TextQuoteSelector", "exact": "Critics"}}}
        ]}
    });
    let input = dir.path().join("mixed.jsonld");
    std::fs::write(&input, collection.to_string()).expect("write");
    let (code, stderr) = import(&[text_of(&input), "--tag", "Opinion"]);
    assert_eq!(code, Some(1), "{stderr}");
    assert!(stderr.contains("2 annotation(s) imported"), "{stderr}");
    assert!(
        stderr.contains("annotation 3: no target source"),
        "{stderr}"
    );
    assert!(stderr.contains("tag `Nonsense`"), "{stderr}");
    let rows = rows(&dir.path().join("port.txt"));
    assert_eq!(rows.len(), 2);
    assert_eq!(rows[0]["quote"], "40 ships waited");
    assert_eq!(rows[1]["quote"], "a scandal");
    assert_eq!(rows[1]["note"], "loaded word");
    assert_eq!(rows[1]["tag_names"], json!(["Opinion"]));
    // Without --tag, the comment is refused with the way out.
    let other = tempfile::tempdir().expect("tempdir");
    std::fs::write(other.path().join("port.txt"), text).expect("write");
    let copy = other.path().join("mixed.jsonld");
    std::fs::copy(&input, &copy).expect("copy");
    let (_, stderr) = import(&[text_of(&copy)]);
    assert!(stderr.contains("give one with --tag NAME"), "{stderr}");
}

#[test]
fn quote_only_json_lines_are_found_by_their_words_and_refused_where_ambiguous() {
    let dir = tempfile::tempdir().expect("tempdir");
    let text = "Exports rose. Analysts doubt it. Exports rose.\n";
    std::fs::write(dir.path().join("a.txt"), text).expect("write");
    let input = dir.path().join("in.jsonl");
    std::fs::write(
        &input,
        [
            json!({"article": "a.txt", "tags": ["Claim"], "quote": "Analysts doubt it"}),
            json!({"article": "a.txt", "tags": ["Claim"], "quote": "Exports rose"}),
        ]
        .map(|v| v.to_string())
        .join("\n"),
    )
    .expect("write");
    let (code, stderr) = import(&[text_of(&input)]);
    assert_eq!(code, Some(1), "{stderr}");
    assert!(stderr.contains("1 annotation(s) imported"), "{stderr}");
    assert!(stderr.contains("in.jsonl line 2"), "{stderr}");
    assert!(stderr.contains("more than one place"), "{stderr}");
    let rows = rows(&dir.path().join("a.txt"));
    assert_eq!(
        rows[0]["start"].as_u64(),
        Some(range(text, "Analysts").0 as u64)
    );
}

#[test]
fn taguette_highlights_and_codebook_come_in_by_document_name_and_quote() {
    let dir = tempfile::tempdir().expect("tempdir");
    let text = "The mayor said the bridge will open in June.\n\nResidents doubt the date.\n";
    std::fs::write(dir.path().join("Interview 1.txt"), text).expect("write");
    let codebook = dir.path().join("codebook.csv");
    std::fs::write(
        &codebook,
        "tag,description,number of highlights,number of documents\n\
         Claim.Promise,\"A commitment, dated\",1,1\nDoubt,Scepticism,1,1\n",
    )
    .expect("write");
    let (code, stderr) = import(&[text_of(&codebook)]);
    assert_eq!(code, Some(0), "{stderr}");
    assert!(stderr.contains("2 tag(s) added"), "{stderr}");
    let book = std::fs::read_to_string(dir.path().join("claimmark.codebook.ron")).expect("cb");
    assert!(book.contains("A commitment, dated"), "{book}");

    let highlights = dir.path().join("highlights.csv");
    std::fs::write(
        &highlights,
        "id,document,tag,content\n\
         7,Interview 1,Claim.Promise,the bridge will open in June\n\
         7,Interview 1,Doubt,the bridge will open in June\n\
         9,Interview 1,,Residents doubt the date.\n\
         11,Interview 2,Doubt,missing document\n",
    )
    .expect("write");
    let (code, stderr) = import(&[text_of(&highlights)]);
    assert_eq!(code, Some(1), "{stderr}");
    assert!(stderr.contains("1 annotation(s) imported"), "{stderr}");
    assert!(stderr.contains("line 4"), "the untagged row: {stderr}");
    assert!(stderr.contains("`Interview 2`"), "{stderr}");
    let rows = rows(&dir.path().join("Interview 1.txt"));
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0]["quote"], "the bridge will open in June");
    let mut paths: Vec<&str> = rows[0]["tag_paths"]
        .as_array()
        .expect("paths")
        .iter()
        .filter_map(Value::as_str)
        .collect();
    paths.sort_unstable();
    assert_eq!(paths, ["Claim/Promise", "Doubt"]);
}

/// Hypothesis names a PDF opened from disk `urn:x-pdf:…` (its fingerprint) and lists the file
/// among the document's links; its positions count in PDF.js's text, not ours, so the quote
/// places it.
#[test]
fn a_hypothesis_annotation_on_a_local_pdf_finds_the_pdf_by_its_link() {
    let dir = tempfile::tempdir().expect("tempdir");
    let pdf = dir.path().join("harbour-report.pdf");
    std::fs::copy(crate::common::fixture("import/pdf_en_report.pdf"), &pdf).expect("copy");
    let quote = "a decision that could delay the project by at least a year";
    let annotation = json!({
        "id": "pdf-1", "user": "acct:mara@hypothes.is", "uri": "urn:x-pdf:6b1f0c2e9d",
        "text": "the vote margin matters", "tags": ["Claim"],
        "document": {"title": ["Harbour report"], "link": [
            {"href": "urn:x-pdf:6b1f0c2e9d"},
            {"href": "file:///home/mara/Downloads/harbour-report.pdf"}
        ]},
        "target": [{"source": "urn:x-pdf:6b1f0c2e9d", "selector": [
            {"type": "FragmentSelector", "value": "page=1",
             "conformsTo": "http://tools.ietf.org/rfc/rfc3778"},
            {"type": "TextPositionSelector", "start": 412, "end": 470},
            {"type": "TextQuoteSelector", "exact": quote, "prefix": "a full environmental review of its plan to dredge the inner harbour, ", "suffix": ".\n\nThe plan"}
        ]}]
    });
    let input = dir.path().join("mara.json");
    std::fs::write(&input, json!([annotation]).to_string()).expect("write");
    let (code, stderr) = import(&[text_of(&input)]);
    assert_eq!(code, Some(0), "{stderr}");
    let rows = rows(&pdf);
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0]["quote"], quote);
    assert_eq!(rows[0]["author"], "mara");
}
