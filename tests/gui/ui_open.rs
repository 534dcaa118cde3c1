//! UI tests with egui_kittest: the ways to open articles, autosave, keyboard selection, zoom.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use crate::common;

use claimmark::app::ClaimmarkApp;
use common::{harness, settle};
use egui::{Event, Key, Modifiers};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;

fn write_articles(dir: &Path) -> (PathBuf, PathBuf) {
    let a = dir.join("a_first.txt");
    let b = dir.join("b_second.md");
    std::fs::write(
        &a,
        " date 2024-01-02 The minister said the bridge was safe.\n\nEngineers disagreed.\n",
    )
    .expect("write");
    std::fs::write(&b, "# Second\n\nThe agency denied the report.\n").expect("write");
    std::fs::write(dir.join("photo.png"), b"\x89PNG\r\n\x1a\n").expect("write");
    (a, b)
}

fn open_name(h: &Harness<'_, ClaimmarkApp>) -> Option<String> {
    h.state().session().map(|s| s.file_name())
}

#[derive(Debug)]
struct Dropped(PathBuf);

impl egui::DroppedFile for Dropped {
    fn path(&self) -> &Path {
        &self.0
    }
    fn bytes(&self) -> Result<Vec<u8>, String> {
        std::fs::read(&self.0).map_err(|e| e.to_string())
    }
}

#[test]
fn a_folder_opens_as_a_list_of_its_articles() {
    let dir = tempfile::tempdir().expect("tempdir");
    write_articles(dir.path());
    let mut h = harness(vec![dir.path().to_owned()]);
    assert_eq!(
        open_name(&h).as_deref(),
        Some("a_first.txt"),
        "the first article opens"
    );
    assert!(
        h.query_by_label("b_second.md").is_some(),
        "the library lists .md"
    );
    assert!(h.query_by_label("photo.png").is_none(), "and only articles");
    h.get_by_label("b_second.md").click();
    settle(&mut h);
    assert_eq!(open_name(&h).as_deref(), Some("b_second.md"));
}

#[test]
fn dropping_a_file_opens_it() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (a, b) = write_articles(dir.path());
    let mut h = harness(vec![a]);
    h.input_mut().dropped_files.push(Arc::new(Dropped(b)));
    settle(&mut h);
    assert_eq!(open_name(&h).as_deref(), Some("b_second.md"));
}

#[test]
fn a_typed_path_opens_and_a_wrong_one_is_explained() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (a, b) = write_articles(dir.path());
    let mut h = harness(vec![a]);
    h.key_press_modifiers(Modifiers::COMMAND, Key::L);
    h.run_steps(2);
    h.event(Event::Text(
        dir.path().join("missing.txt").display().to_string(),
    ));
    h.key_press(Key::Enter);
    settle(&mut h);
    assert!(h.query_by_label_contains("does not exist").is_some());
    h.key_press_modifiers(Modifiers::COMMAND, Key::A);
    h.event(Event::Text(b.display().to_string()));
    h.key_press(Key::Enter);
    settle(&mut h);
    assert_eq!(open_name(&h).as_deref(), Some("b_second.md"));
}

#[test]
fn edits_are_autosaved_without_ctrl_s() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (a, _) = write_articles(dir.path());
    let mut h = harness(vec![a.clone()]);
    h.key_press_modifiers(Modifiers::COMMAND, Key::F);
    h.run_steps(2);
    h.event(Event::Text("the bridge was safe".into()));
    h.key_press(Key::Enter);
    h.key_press(Key::Escape);
    settle(&mut h);
    h.key_press(Key::Num1);
    h.run_steps(2);
    let sidecar = dir.path().join("a_first.txt.annotations.ron");
    assert!(!sidecar.exists(), "not written at once");
    let start = Instant::now();
    while !sidecar.exists() && start.elapsed() < Duration::from_secs(10) {
        h.step();
        std::thread::sleep(Duration::from_millis(20));
    }
    assert!(sidecar.exists(), "autosaved");
    let text = std::fs::read_to_string(&sidecar).expect("read");
    assert!(text.contains("quote: \"the bridge was safe\""), "{text}");
}

#[test]
fn shift_arrows_extend_the_selection_and_ctrl_plus_zooms() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (a, _) = write_articles(dir.path());
    let mut h = harness(vec![a]);
    h.key_press_modifiers(Modifiers::COMMAND, Key::F);
    h.run_steps(2);
    h.event(Event::Text("bridge".into()));
    h.key_press(Key::Enter);
    h.key_press(Key::Escape);
    settle(&mut h);
    let before = h.state().view().selected_span().expect("selected");
    h.key_press_modifiers(Modifiers::SHIFT, Key::ArrowRight);
    h.run_steps(2);
    let after = h.state().view().selected_span().expect("selected");
    assert_eq!((after.start, after.end), (before.start, before.end + 1));
    h.key_press_modifiers(Modifiers::SHIFT | Modifiers::COMMAND, Key::ArrowRight);
    h.run_steps(2);
    let session = h.state().session().expect("open");
    let word = session
        .article()
        .slice(h.state().view().selected_span().expect("selected"));
    assert_eq!(word, "bridge was");

    let zoom = h.state().view().zoom;
    h.key_press_modifiers(Modifiers::COMMAND, Key::Plus);
    h.run_steps(2);
    assert!(h.state().view().zoom > zoom);
    h.key_press_modifiers(Modifiers::COMMAND, Key::Num0);
    h.run_steps(2);
    assert_eq!(h.state().view().zoom, 1.0);
}

#[test]
fn switching_articles_keeps_unsaved_edits() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (a, _) = write_articles(dir.path());
    let mut h = harness(vec![dir.path().to_owned()]);
    common::find_and_tag(&mut h, "the bridge was safe", Key::Num1);
    assert!(
        h.state().session().is_some_and(|s| s.is_dirty()),
        "not yet autosaved"
    );
    h.get_by_label("b_second.md").click();
    settle(&mut h);
    assert_eq!(open_name(&h).as_deref(), Some("b_second.md"));
    common::step_until(&mut h, "the left article's sidecar", |_| {
        claimmark::session::Session::open(&a).is_ok_and(|s| s.annotations().len() == 1)
    });
}

/// Reading an article happens on a worker thread: a large one shows "Opening…" while the window
/// keeps running, and lands when ready.
#[test]
fn a_large_article_opens_in_the_background_while_the_window_keeps_running() {
    let dir = tempfile::tempdir().expect("tempdir");
    let big = dir.path().join("big.txt");
    let paragraph = "The minister said the port would reopen after the inquiry ended. ".repeat(8);
    std::fs::write(&big, format!("{paragraph}\n\n").repeat(40_000)).expect("write");
    let mut h = harness(vec![big.clone()]);
    // The frames go on while it is read; whenever it is not there yet, the window says so.
    if h.state().session().is_none() {
        assert!(
            h.state()
                .message()
                .is_some_and(|m| m.contains("Opening big.txt")),
            "{:?}",
            h.state().message()
        );
    }
    common::step_until(&mut h, "the article lands", |app| app.session().is_some());
    assert!(h.state().message().is_none());
}

/// A named pipe where an article should be (a cloned repository can carry one) is refused at
/// once with a message naming it: opening it would have waited forever for a writer.
#[cfg(unix)]
#[test]
fn a_pipe_in_place_of_an_article_is_refused_without_waiting() {
    let dir = tempfile::tempdir().expect("tempdir");
    let pipe = dir.path().join("slow.txt");
    let made = std::process::Command::new("mkfifo")
        .arg(&pipe)
        .status()
        .expect("mkfifo");
    assert!(made.success());
    let mut h = harness(vec![pipe.clone()]);
    common::step_until(&mut h, "the refusal", |app| {
        app.message().is_some_and(|m| m.contains("named pipe"))
    });
    assert!(h.state().session().is_none());
    assert!(
        h.state().message().is_some_and(|m| m.contains("slow.txt")),
        "{:?}",
        h.state().message()
    );
}

/// Opening a folder, reviewing it, linking across articles and switching articles read no
/// file on the UI thread: walks, article reads, sidecar reads and scans all run in jobs.
#[test]
fn the_ui_thread_leaves_the_disk_to_jobs() {
    use claimmark::storage::read::io_on_this_thread;
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::create_dir(dir.path().join("later")).expect("mkdir");
    for i in 0..40 {
        let sub = if i % 4 == 0 { "later/" } else { "" };
        std::fs::write(
            dir.path().join(format!("{sub}a{i:02}.txt")),
            format!("Report {i}. The minister said the bridge number {i} was safe.\n"),
        )
        .expect("write");
    }
    // Another article already annotated: a link target.
    let other = dir.path().join("a01.txt");
    let mut s = claimmark::session::Session::open(&other).expect("open");
    let span = s.article().find_all("the bridge number 1 was safe")[0];
    let ann = s.new_annotation(span, "claim", "", "analyst");
    s.apply(claimmark::model::Edit::Add(ann)).expect("add");
    s.save().expect("save");

    let before = io_on_this_thread();
    let mut h = harness(vec![dir.path().to_owned()]);
    assert_eq!(
        open_name(&h).as_deref(),
        Some("a01.txt"),
        "the first article"
    );
    // The review, and back.
    h.key_press_modifiers(Modifiers::COMMAND, Key::R);
    common::step_until(&mut h, "the review's scan", |app| {
        app.library()
            .is_some_and(|l| !l.busy() && l.index().is_some())
    });
    h.run_steps(3);
    assert!(h.state().showing_review());
    h.key_press_modifiers(Modifiers::COMMAND, Key::R);
    h.run_steps(2);
    // Another article, from the list.
    h.get_by_label("a02.txt").click();
    settle(&mut h);
    assert_eq!(open_name(&h).as_deref(), Some("a02.txt"));
    // A claim there, linked to the other article's (its targets come from the index).
    common::find_and_tag(&mut h, "the bridge number 2 was safe", Key::Num1).expect("tagged");
    h.get_by(|n| {
        n.role() == egui::accesskit::Role::ComboBox && n.value().as_deref() == Some("Link to…")
    })
    .click();
    h.run_steps(3);
    assert!(
        h.query_all_by_label_contains("a01.txt: Claim")
            .next()
            .is_some(),
        "the other article's claim is offered"
    );
    common::wait_saved(&mut h);
    h.run_steps(20);
    assert_eq!(
        io_on_this_thread() - before,
        0,
        "files read or folders listed on the UI thread"
    );
}

/// Tab in the typed-path box completes from the folder's names, as a shell does.
#[test]
fn tab_completes_a_typed_path() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (a, _) = write_articles(dir.path());
    std::fs::create_dir(dir.path().join("archive")).expect("mkdir");
    std::fs::write(dir.path().join("archive/old.txt"), "Old.").expect("write");
    let mut h = harness(vec![a]);
    h.key_press_modifiers(Modifiers::COMMAND, Key::L);
    h.run_steps(2);
    let field = |h: &Harness<'_, ClaimmarkApp>| {
        h.query_all_by(|n| n.role() == egui::accesskit::Role::TextInput)
            .find_map(|n| n.value())
            .unwrap_or_default()
    };
    h.event(Event::Text(format!("{}/arc", dir.path().display())));
    h.run_steps(2);
    h.key_press(Key::Tab);
    let want = format!("{}/archive/", dir.path().display());
    let start = Instant::now();
    while field(&h) != want && start.elapsed() < Duration::from_secs(10) {
        h.step();
    }
    assert_eq!(field(&h), want, "one fit: completed, with its slash");
    // The focus stayed in the field: typing goes on, and Enter opens.
    h.key_press(Key::Tab);
    let want = format!("{}/archive/old.txt", dir.path().display());
    let start = Instant::now();
    while field(&h) != want && start.elapsed() < Duration::from_secs(10) {
        h.step();
    }
    assert_eq!(field(&h), want);
    h.key_press(Key::Enter);
    settle(&mut h);
    assert_eq!(open_name(&h).as_deref(), Some("old.txt"));
}
