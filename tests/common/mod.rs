//! Helpers shared by the integration tests.
#![allow(dead_code)] // each test crate uses a different subset

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::{Duration, Instant};

use claimmark::app::ClaimmarkApp;
use claimmark::model::AnnotationId;
use egui::{Event, Key, Modifiers, PointerButton, Pos2};
use egui_kittest::Harness;

/// A file the tests carry under `tests/` (fixtures, vendored schemas): nothing a test reads
/// lies outside the repository.
pub fn test_file(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests")
        .join(rel)
}

/// A file under `tests/fixtures/`.
pub fn fixture(name: &str) -> PathBuf {
    test_file(&format!("fixtures/{name}"))
}

/// The Python that `tests/run` set up with the validators (`jsonschema`, `xmlschema`, brat's
/// reader) in its own virtual environment, named by `CLAIMMARK_TEST_PYTHON`. Without it the
/// test fails and says how to run it: it never skips, and never uses the system's Python.
pub fn python() -> Command {
    let hint = "run the tests with `tests/run` (add `--test NAME` for one file): it creates the \
                Python environment with the validators and sets CLAIMMARK_TEST_PYTHON";
    let Some(py) = std::env::var_os("CLAIMMARK_TEST_PYTHON") else {
        panic!("CLAIMMARK_TEST_PYTHON is not set: {hint}");
    };
    assert!(
        Path::new(&py).exists(),
        "CLAIMMARK_TEST_PYTHON names {}, which does not exist: {hint}",
        Path::new(&py).display()
    );
    Command::new(py)
}

/// The article written for the tests (`tests/fixtures/seed_article.txt`: a leading dateline,
/// a phrase that occurs twice, curly quotes), copied into `dir` as `report.txt`.
pub fn seed_article(dir: &Path) -> PathBuf {
    let src = fixture("seed_article.txt");
    let dst = dir.join("report.txt");
    std::fs::copy(&src, &dst).expect("copy seed article");
    dst
}

/// The real app on `paths`, after its first frames.
pub fn harness(paths: Vec<PathBuf>) -> Harness<'static, ClaimmarkApp> {
    let mut h = Harness::builder()
        .with_size(egui::vec2(1400.0, 900.0))
        .build_eframe(move |cc| ClaimmarkApp::new(cc, paths));
    h.run_steps(4);
    h
}

/// The real app on `paths`, finding fonts on the system for scripts egui's own fonts lack
/// (CJK, Arabic, Hebrew, Thai, Devanagari), as eframe does. kittest panics on a character no
/// font has, so a test that draws such text proves it is drawn with real glyphs.
pub fn harness_with_system_fonts(paths: Vec<PathBuf>) -> Harness<'static, ClaimmarkApp> {
    let mut h = Harness::builder()
        .with_size(egui::vec2(1400.0, 900.0))
        .build_eframe(move |cc| {
            cc.egui_ctx.add_font_provider(std::sync::Arc::new(
                egui_system_font_provider::SystemFontProvider::new(),
            ));
            ClaimmarkApp::new(cc, paths)
        });
    h.run_steps(4);
    h
}

/// Ctrl+F, type, Enter, Esc, then a tag key: the keyboard-only way to tag. Returns the
/// selected annotation afterwards (the new one).
pub fn find_and_tag(
    h: &mut Harness<'_, ClaimmarkApp>,
    text: &str,
    key: Key,
) -> Option<AnnotationId> {
    h.key_press_modifiers(Modifiers::COMMAND, Key::F);
    h.run_steps(2);
    h.key_press_modifiers(Modifiers::COMMAND, Key::A);
    h.event(Event::Text(text.into()));
    h.key_press(Key::Enter);
    h.key_press(Key::Escape);
    h.run_steps(2);
    h.key_press(key);
    h.run_steps(3);
    h.state().selected().cloned()
}

/// Steps the app until `done` holds (background threads report asynchronously), at most 10 s.
pub fn step_until(
    h: &mut Harness<'_, ClaimmarkApp>,
    what: &str,
    done: impl Fn(&ClaimmarkApp) -> bool,
) {
    let start = Instant::now();
    while !done(h.state()) {
        assert!(
            start.elapsed() < Duration::from_secs(10),
            "timed out waiting for: {what}"
        );
        h.step();
        std::thread::sleep(Duration::from_millis(10));
    }
}

/// Steps until the background saver has written everything.
pub fn wait_saved(h: &mut Harness<'_, ClaimmarkApp>) {
    step_until(h, "the sidecar to be saved", |app| {
        app.session().is_some_and(|s| !s.is_dirty())
    });
}

/// Drags the mouse from `from` to `to` in `steps` moves, holding `modifiers`, as a person
/// would (press, move, release in separate frames).
pub fn drag(
    h: &mut Harness<'_, ClaimmarkApp>,
    from: Pos2,
    to: Pos2,
    modifiers: Modifiers,
    steps: usize,
) {
    h.event(Event::PointerMoved(from));
    h.step();
    h.event(Event::PointerButton {
        pos: from,
        button: PointerButton::Primary,
        pressed: true,
        modifiers,
    });
    h.step();
    for i in 1..=steps {
        h.event(Event::PointerMoved(
            from + (to - from) * (i as f32 / steps as f32),
        ));
        h.step();
    }
    h.event(Event::PointerButton {
        pos: to,
        button: PointerButton::Primary,
        pressed: false,
        modifiers,
    });
    h.run_steps(3);
}

/// Clicks at a point (press and release).
pub fn click_at(h: &mut Harness<'_, ClaimmarkApp>, pos: Pos2) {
    for pressed in [true, false] {
        h.event(Event::PointerMoved(pos));
        h.event(Event::PointerButton {
            pos,
            button: PointerButton::Primary,
            pressed,
            modifiers: Modifiers::NONE,
        });
        h.step();
    }
    h.run_steps(2);
}

/// Runs the real binary (as the user "tester").
pub fn claimmark(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_claimmark"))
        .args(args)
        .env("USER", "tester")
        .output()
        .expect("run claimmark")
}

/// `claimmark add ARTICLE --quote QUOTE --tag TAG EXTRA…`; returns the new annotation's id.
pub fn add(article: &Path, quote: &str, tag: &str, extra: &[&str]) -> String {
    let mut args = vec![
        "add",
        article.to_str().expect("utf-8 path"),
        "--quote",
        quote,
        "--tag",
        tag,
    ];
    args.extend_from_slice(extra);
    let out = ok(claimmark(&args));
    String::from_utf8(out.stdout)
        .expect("utf-8")
        .trim()
        .to_owned()
}

/// The command succeeded (else its stderr is the failure).
pub fn ok(out: Output) -> Output {
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

/// A folder with the seed article and a second one, annotated through the CLI.
pub fn annotated_folder(dir: &Path) {
    let a = seed_article(dir);
    let a = a.to_str().expect("utf-8");
    let b = dir.join("second.txt");
    std::fs::write(
        &b,
        "The ministry said grain exports rose by 12 per cent, a figure traders disputed.\n",
    )
    .expect("write");
    let b = b.to_str().expect("utf-8");
    ok(claimmark(&[
        "add",
        a,
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
        "--note",
        "Said at the plenum, \"quoted\"\nsecond line",
    ]));
    ok(claimmark(&[
        "add",
        a,
        "--quote",
        "analysts have also said",
        "--tag",
        "source",
    ]));
    ok(claimmark(&[
        "add",
        b,
        "--quote",
        "grain exports rose by 12 per cent",
        "--tag",
        "statistic",
        "--status",
        "disputed",
    ]));
}
