//! UI tests with egui_kittest for "never lose an annotation": changes made on disk by other
//! programs (reload, merge, conflict, unreadable), a folder that vanished (Retry / Save as…),
//! and orphans re-attached or deleted from Needs attention.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use crate::common;

use claimmark::app::ClaimmarkApp;
use claimmark::session::Session;
use common::{harness, settle, step_until};
use egui::{Event, Key, Modifiers, Role};
use egui_kittest::kittest::Queryable;

fn write_article(dir: &Path) -> PathBuf {
    let path = dir.join("report.txt");
    std::fs::write(
        &path,
        "The minister said the bridge was safe.\n\nEngineers said the cracks were growing.\n\nThe mayor promised an inquiry by June.\n",
    )
    .expect("write");
    path
}

fn cli_add(article: &Path, quote: &str) {
    let out = Command::new(env!("CARGO_BIN_EXE_claimmark"))
        .args([
            "add",
            article.to_str().expect("utf-8"),
            "--quote",
            quote,
            "--tag",
            "claim",
        ])
        .output()
        .expect("run");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

fn quotes(app: &ClaimmarkApp) -> Vec<String> {
    app.session()
        .map(|s| s.annotations().iter().map(|a| a.quote()).collect())
        .unwrap_or_default()
}

#[test]
fn a_sidecar_written_by_another_program_is_reloaded() {
    let dir = tempfile::tempdir().expect("tempdir");
    let article = write_article(dir.path());
    let mut h = harness(vec![article.clone()]);
    cli_add(&article, "the bridge was safe");
    step_until(&mut h, "reload", |app| {
        quotes(app) == ["the bridge was safe"]
    });
    assert!(h.state().message().is_some_and(|m| m.contains("reloaded")));
}

#[test]
fn local_edits_and_edits_on_disk_are_merged() {
    let dir = tempfile::tempdir().expect("tempdir");
    let article = write_article(dir.path());
    let mut h = harness(vec![article.clone()]);
    common::find_and_tag(&mut h, "the cracks were growing", Key::Num1);
    assert!(h.state().session().is_some_and(Session::is_dirty));
    cli_add(&article, "an inquiry by June");
    step_until(&mut h, "merge", |app| quotes(app).len() == 2);
    // The merged set is written back (autosave), with both annotations.
    step_until(&mut h, "saved", |app| {
        app.session().is_some_and(|s| !s.is_dirty())
    });
    let reopened = Session::open(&article).expect("reopen");
    let mut got: Vec<String> = reopened.annotations().iter().map(|a| a.quote()).collect();
    got.sort();
    assert_eq!(got, ["an inquiry by June", "the cracks were growing"]);
}

#[test]
fn a_true_conflict_is_shown_and_resolved_by_the_analyst() {
    let dir = tempfile::tempdir().expect("tempdir");
    let article = write_article(dir.path());
    cli_add(&article, "the bridge was safe");
    let sidecar = dir.path().join("report.txt.annotations.ron");
    let original = std::fs::read_to_string(&sidecar).expect("read");
    let mut h = harness(vec![article.clone()]);
    // Change the note here (select the annotation from the list, type into Note)...
    h.get_by(|n| {
        n.role() == Role::Button && n.label().is_some_and(|l| l.contains("the bridge was safe"))
    })
    .click();
    h.run_steps(3);
    h.get_by(|n| n.role() == Role::MultilineTextInput && n.label().as_deref() == Some("Note"))
        .click();
    h.run_steps(2);
    h.event(Event::Text("mine".into()));
    h.run_steps(2);
    // ...and in the file, as another analyst's copy of Claimmark would.
    std::fs::write(
        &sidecar,
        original.replacen("      tags: [", "      note: \"theirs\",\n      tags: [", 1),
    )
    .expect("write");
    step_until(&mut h, "conflict", |app| {
        app.session().is_some_and(|s| s.conflicts().len() == 1)
    });
    let note = |app: &ClaimmarkApp| {
        app.session()
            .and_then(|s| s.annotations().iter().next().map(|a| a.note.clone()))
    };
    assert_eq!(
        note(h.state()).as_deref(),
        Some("mine"),
        "ours is kept meanwhile"
    );
    h.key_press(Key::Escape);
    h.run_steps(2);
    assert!(
        h.query_by_label_contains("Conflict, changed on both sides")
            .is_some()
    );
    h.get_by_label("Use theirs").click();
    h.run_steps(3);
    assert_eq!(note(h.state()).as_deref(), Some("theirs"));
    assert!(
        h.state()
            .session()
            .is_some_and(|s| s.conflicts().is_empty())
    );
}

#[test]
fn an_unreadable_change_on_disk_is_never_overwritten() {
    let dir = tempfile::tempdir().expect("tempdir");
    let article = write_article(dir.path());
    let mut h = harness(vec![article.clone()]);
    common::find_and_tag(&mut h, "the cracks were growing", Key::Num1);
    let sidecar = dir.path().join("report.txt.annotations.ron");
    std::fs::write(
        &sidecar,
        "(format: \"claimmark-sidecar\", version: 3, annotations: [(",
    )
    .expect("write");
    step_until(&mut h, "read-only", |app| {
        app.session().is_some_and(|s| s.read_only().is_some())
    });
    h.key_press_modifiers(Modifiers::COMMAND, Key::S);
    h.run_steps(5);
    std::thread::sleep(Duration::from_millis(300));
    h.run_steps(3);
    assert_eq!(
        std::fs::read_to_string(&sidecar).expect("read"),
        "(format: \"claimmark-sidecar\", version: 3, annotations: [("
    );
    assert_eq!(
        quotes(h.state()),
        ["the cracks were growing"],
        "the edit is still in memory"
    );
}

#[test]
fn when_the_folder_vanishes_the_edits_stay_and_save_as_keeps_them() {
    let dir = tempfile::tempdir().expect("tempdir");
    let folder = dir.path().join("articles");
    std::fs::create_dir(&folder).expect("mkdir");
    let article = write_article(&folder);
    let mut h = harness(vec![article]);
    common::find_and_tag(&mut h, "the bridge was safe", Key::Num1);
    std::fs::remove_dir_all(&folder).expect("remove the folder");
    h.key_press_modifiers(Modifiers::COMMAND, Key::S);
    step_until(&mut h, "save error", |app| {
        app.message().is_some_and(|m| m.contains("cannot save"))
    });
    assert!(
        h.state().session().is_some_and(Session::is_dirty),
        "nothing dropped"
    );
    h.get_by_label("Save as…").click();
    h.run_steps(3);
    let elsewhere = dir.path().join("elsewhere");
    std::fs::create_dir(&elsewhere).expect("mkdir");
    h.event(Event::Text(elsewhere.display().to_string()));
    h.key_press(Key::Enter);
    h.run_steps(3);
    let copy = elsewhere.join("report.txt");
    let reopened = Session::open(&copy).expect("the copy opens");
    assert_eq!(
        reopened
            .annotations()
            .iter()
            .map(|a| a.quote())
            .collect::<Vec<_>>(),
        ["the bridge was safe"]
    );
    assert!(
        h.state()
            .session()
            .is_some_and(|s| s.path() == copy && !s.is_dirty())
    );
}

/// An annotation whose words now stand twice, alike, far from where they were, is not put on
/// either: Needs attention shows both places with their surroundings, and the analyst's choice
/// places it and is saved.
#[test]
fn an_annotation_that_fits_two_places_is_placed_by_the_analyst() {
    let dir = tempfile::tempdir().expect("tempdir");
    let article = dir.path().join("report.txt");
    std::fs::write(&article, "Kim said we are ready today. Lee agreed.\n").expect("write");
    cli_add(&article, "we are ready");
    let intro = "An introduction of some length. ".repeat(20);
    let text = format!(
        "{intro}First: Kim said we are ready today. Lee agreed.\n\nSecond: Kim said we are ready today. Lee agreed.\n"
    );
    std::fs::write(&article, &text).expect("rewrite the article");
    let mut h = harness(vec![article.clone()]);
    assert!(h.query_by_label_contains("Needs attention (1)").is_some());
    assert!(
        h.query_by_label_contains("fit more than one place")
            .is_some()
    );
    let session = h.state().session().expect("open");
    let ann = session.annotations().iter().next().expect("one");
    assert!(ann.anchor.orphaned, "not placed on either copy by itself");
    // The second place, shown with its surroundings.
    let second = h
        .query_all_by_label_contains("[we are ready]")
        .nth(1)
        .expect("two places offered");
    second.click();
    settle(&mut h);
    let session = h.state().session().expect("open");
    let ann = session.annotations().iter().next().expect("one");
    let want = text[..text.rfind("we are ready").expect("twice")]
        .chars()
        .count();
    assert_eq!(
        (ann.anchor.orphaned, ann.fragments[0].span.start),
        (false, want)
    );
    step_until(&mut h, "saved", |app| {
        app.session().is_some_and(|s| !s.is_dirty())
    });
    let reopened = Session::open(&article).expect("reopen");
    let ann = reopened.annotations().iter().next().expect("one");
    assert_eq!(
        (ann.anchor.orphaned, ann.fragments[0].span.start),
        (false, want),
        "placed where the analyst chose, and it stays there"
    );
}

#[test]
fn orphans_are_reattached_or_deleted_deliberately() {
    let dir = tempfile::tempdir().expect("tempdir");
    let article = write_article(dir.path());
    cli_add(&article, "the bridge was safe");
    cli_add(&article, "an inquiry by June");
    std::fs::write(
        &article,
        "The minister said the structure was sound.\n\nEngineers said the cracks were growing.\n\nThe mayor said nothing.\n",
    )
    .expect("rewrite the article");
    let mut h = harness(vec![article.clone()]);
    assert!(h.query_by_label_contains("Needs attention (2)").is_some());
    h.key_press_modifiers(Modifiers::COMMAND, Key::F);
    h.run_steps(2);
    h.event(Event::Text("the structure was sound".into()));
    h.key_press(Key::Enter);
    h.key_press(Key::Escape);
    h.run_steps(2);
    h.query_all_by_label("Re-attach to selection")
        .next()
        .expect("button")
        .click();
    h.run_steps(3);
    h.get_by_label("Delete").click();
    h.run_steps(3);
    let session = h.state().session().expect("open");
    assert_eq!(session.annotations().len(), 1);
    let ann = session.annotations().iter().next().expect("one");
    assert_eq!(
        (ann.quote().as_str(), ann.anchor.orphaned),
        ("the structure was sound", false)
    );
    assert!(
        ann.anchor.history.iter().any(|l| l.contains("re-attached")),
        "{:?}",
        ann.anchor.history
    );
    h.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    h.run_steps(2);
    assert_eq!(
        h.state().session().map(|s| s.annotations().len()),
        Some(2),
        "the deletion undoes"
    );
}

/// Another program writes between the watcher's looks and this app's save: the save does not
/// overwrite it; the two versions are merged and then saved.
#[test]
fn a_save_racing_another_writer_merges_instead_of_overwriting() {
    let dir = tempfile::tempdir().expect("tempdir");
    let article = write_article(dir.path());
    let mut h = harness(vec![article.clone()]);
    common::find_and_tag(&mut h, "the cracks were growing", Key::Num1);
    cli_add(&article, "an inquiry by June");
    h.key_press_modifiers(Modifiers::COMMAND, Key::S);
    step_until(&mut h, "merged and saved", |app| {
        app.session()
            .is_some_and(|s| !s.is_dirty() && s.annotations().len() == 2)
    });
    let reopened = Session::open(&article).expect("reopen");
    let mut got: Vec<String> = reopened.annotations().iter().map(|a| a.quote()).collect();
    got.sort();
    assert_eq!(got, ["an inquiry by June", "the cracks were growing"]);
}
