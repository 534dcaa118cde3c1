//! UI tests with egui_kittest for File → Export… and File → Import…: the window saves pending
//! edits first, works in the background with progress, and reports what it did.

use crate::common;

use claimmark::app::ClaimmarkApp;
use common::{annotated_folder, find_and_tag, harness, seed_article, step_until};
use egui::{Event, Key, Modifiers, Role};
use egui_kittest::Harness;
use egui_kittest::kittest::{AccessKitNode, Queryable};
use serde_json::Value;

const FIRST: &str = "The Korvanian government is open to both negotiation and confrontation with the Talbot administration, state radio said on June 18.";
const KIM: &str = "Kira stressed the need to be prepared for negotiation as well as confrontation";

fn combo_showing(n: &AccessKitNode<'_>, text: &str) -> bool {
    n.role() == Role::ComboBox && n.value().as_deref() == Some(text)
}

fn input_labelled(n: &AccessKitNode<'_>, label: &str) -> bool {
    n.role() == Role::TextInput && n.label().is_some_and(|l| l == label)
}

/// File → Import…, then `path` typed into its File box.
fn type_import_file(h: &mut Harness<'_, ClaimmarkApp>, path: &str) {
    h.get_by_label("File").click();
    h.run_steps(2);
    h.get_by_label("Import…").click();
    h.run_steps(3);
    h.get_by(|n| input_labelled(n, "File")).click();
    h.run_steps(2);
    h.event(Event::Text(path.to_owned()));
    h.run_steps(2);
}

/// Clicks Import and waits for the outcome.
fn run_import(h: &mut Harness<'_, ClaimmarkApp>) {
    h.get_by_label("Import").click();
    step_until(h, "the import to finish", |app| {
        app.transfer().is_some_and(|t| t.outcome.is_some())
    });
}

fn outcome(h: &Harness<'_, ClaimmarkApp>) -> String {
    match h.state().transfer().and_then(|t| t.outcome.clone()) {
        Some(Ok(text)) => text,
        Some(Err(text)) => panic!("the window reports an error: {text}"),
        None => panic!("no outcome"),
    }
}

#[test]
fn export_saves_pending_edits_then_writes_the_whole_folder_in_the_background() {
    let dir = tempfile::tempdir().expect("tempdir");
    annotated_folder(dir.path());
    let mut h = harness(vec![dir.path().join("report.txt")]);
    // A claim tagged just now, not yet autosaved: the export must include it.
    let fresh = find_and_tag(&mut h, FIRST, Key::Num1).expect("tagged");
    assert!(h.state().session().is_some_and(|s| s.is_dirty()));

    h.key_press_modifiers(Modifiers::COMMAND, Key::E);
    h.run_steps(3);
    assert!(
        h.query_by_label("Export claims").is_some(),
        "Ctrl+E opens the window"
    );
    assert!(h.query_by_label("the folder (2 articles)").is_some());
    h.get_by(|n| combo_showing(n, "CSV (spreadsheets)")).click();
    h.run_steps(2);
    h.get_by_label("JSON Lines").click();
    h.run_steps(2);
    let destination = dir.path().join("claimmark-exports/claims.jsonl");
    assert_eq!(
        h.state()
            .transfer()
            .and_then(|t| t.options().output)
            .as_deref(),
        Some(destination.as_path()),
        "the destination follows the format until the analyst types one"
    );
    h.get_by_label("Export").click();
    step_until(&mut h, "the export to finish", |app| {
        app.transfer().is_some_and(|t| t.outcome.is_some())
    });
    h.run_steps(2);
    let summary = outcome(&h);
    assert!(
        summary.contains("Exported 4 annotations from 2 articles"),
        "{summary}"
    );
    assert!(
        h.query_by_label_contains("Exported 4 annotations")
            .is_some()
    );
    let rows: Vec<Value> = std::fs::read_to_string(&destination)
        .expect("written")
        .lines()
        .map(|l| serde_json::from_str(l).expect("JSON"))
        .collect();
    assert_eq!(rows.len(), 4);
    assert!(
        rows.iter()
            .any(|r| r["id"] == fresh.0 && r["quote"] == FIRST)
    );
    assert!(
        h.state().session().is_some_and(|s| !s.is_dirty()),
        "pending edits were saved first"
    );
}

#[test]
fn import_puts_annotations_on_the_open_article_and_the_view_shows_them() {
    let dir = tempfile::tempdir().expect("tempdir");
    let article = seed_article(dir.path());
    // Pre-annotations from another tool, with offsets from another version of the text.
    let input = dir.path().join("model-output.jsonl");
    std::fs::write(
        &input,
        serde_json::json!({
            "article": "elsewhere/report.txt",
            "tag_names": ["Claim"],
            "start": 3,
            "end": 10,
            "quote": KIM,
            "note": "found by a model",
        })
        .to_string(),
    )
    .expect("write");
    let mut h = harness(vec![article]);
    assert_eq!(h.state().session().map(|s| s.annotations().len()), Some(0));
    type_import_file(&mut h, &input.display().to_string());
    h.get_by_label("the open article (found by quote)").click();
    h.run_steps(2);
    run_import(&mut h);
    let summary = outcome(&h);
    assert!(
        summary.contains("Imported 1 annotation into 1 article (1 found by quote)"),
        "{summary}"
    );
    // The open article picks up its new sidecar like any change made on disk.
    step_until(&mut h, "the imported claim to appear", |app| {
        app.session().is_some_and(|s| s.annotations().len() == 1)
    });
    let session = h.state().session().expect("open");
    let ann = session.annotations().iter().next().expect("one");
    assert_eq!(ann.quote(), KIM);
    assert_eq!(ann.note, "found by a model");
}

#[test]
fn import_adds_the_tags_the_codebook_lacks_and_tags_untagged_comments_when_asked() {
    let dir = tempfile::tempdir().expect("tempdir");
    let article = seed_article(dir.path());
    let text = std::fs::read_to_string(&article).expect("read");
    let start = text[..text.find(KIM).expect("quote")].chars().count();
    // One highlight in a type no codebook has, one comment without a tag.
    let input = dir.path().join("team.jsonl");
    let lines = [
        serde_json::json!({"article": "report.txt", "tags": ["Rhetoric/Threat"],
            "start": start, "end": start + KIM.chars().count(), "quote": KIM}),
        serde_json::json!({"article": "report.txt", "quote": FIRST, "note": "check the date"}),
    ];
    std::fs::write(&input, lines.map(|l| l.to_string()).join("\n")).expect("write");
    let mut h = harness(vec![article]);
    type_import_file(&mut h, &input.display().to_string());
    h.get_by_label("Add tags the codebook lacks").click();
    h.run_steps(2);
    h.get_by(|n| input_labelled(n, "Tag for untagged comments and highlights:"))
        .click();
    h.run_steps(2);
    h.event(Event::Text("Opinion".into()));
    h.run_steps(2);
    run_import(&mut h);
    let summary = outcome(&h);
    assert!(
        summary.contains("Imported 2 annotations into 1 article"),
        "{summary}"
    );
    assert!(
        summary.contains("Added 2 tags to the codebook"),
        "{summary}"
    );
    let book =
        std::fs::read_to_string(dir.path().join("claimmark.codebook.ron")).expect("codebook");
    assert!(
        book.contains("\"Rhetoric\"") && book.contains("\"Threat\""),
        "{book}"
    );
    step_until(&mut h, "the imported claims to appear", |app| {
        app.session().is_some_and(|s| s.annotations().len() == 2)
    });
}

#[test]
fn a_typed_file_name_picks_the_import_format() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut h = harness(vec![seed_article(dir.path())]);
    h.get_by_label("File").click();
    h.run_steps(2);
    h.get_by_label("Import…").click();
    h.run_steps(3);
    assert!(
        h.query_by(|n| combo_showing(n, "JSON Lines (Claimmark)"))
            .is_some()
    );
    h.get_by(|n| input_labelled(n, "File")).click();
    h.run_steps(2);
    h.event(Event::Text("highlights.csv".into()));
    h.run_steps(2);
    assert!(
        h.query_by(|n| combo_showing(n, "Taguette highlights or codebook (.csv)"))
            .is_some(),
        "the format follows the typed name"
    );
}

#[test]
fn a_refi_qda_project_brings_its_articles_into_the_open_folder() {
    let source = tempfile::tempdir().expect("tempdir");
    annotated_folder(source.path());
    let project = source.path().join("team.qdpx");
    let out = common::claimmark(&[
        "export",
        source.path().to_str().expect("utf-8"),
        "--format",
        "qdpx",
        "--output",
        project.to_str().expect("utf-8"),
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );

    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(dir.path().join("mine.txt"), "An article of my own.").expect("write");
    let mut h = harness(vec![dir.path().to_owned()]);
    common::settle(&mut h);
    type_import_file(&mut h, &project.display().to_string());
    assert!(
        h.query_by(|n| combo_showing(n, "REFI-QDA project (.qdpx) or codebook (.qdc)"))
            .is_some()
    );
    assert!(
        h.query_by_label_contains("new articles in").is_some(),
        "says where the articles go"
    );
    run_import(&mut h);
    let summary = outcome(&h);
    assert!(summary.contains("2 articles created"), "{summary}");
    assert!(summary.contains("imported 3 annotations"), "{summary}");
    assert!(dir.path().join("report.txt").is_file(), "{summary}");
    assert!(dir.path().join("second.txt").is_file(), "{summary}");
}
