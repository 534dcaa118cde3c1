//! Helpers of the app's tests: the core's helpers (`tests/common/`) and the real app driven
//! through egui_kittest.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use claimmark::app::ClaimmarkApp;
use claimmark::model::AnnotationId;
use egui::{Event, Key, Modifiers, PointerButton, Pos2};
use egui_kittest::Harness;

pub use crate::core_common::*;

/// The real app on `paths`, after its first frames.
pub fn harness(paths: Vec<PathBuf>) -> Harness<'static, ClaimmarkApp> {
    let mut h = Harness::builder()
        .with_size(egui::vec2(1400.0, 900.0))
        .build_eframe(move |cc| ClaimmarkApp::new(cc, paths));
    settle(&mut h);
    h
}

/// The real app on `paths` in a window of `width` × `height` points.
pub fn harness_sized(
    paths: Vec<PathBuf>,
    width: f32,
    height: f32,
) -> Harness<'static, ClaimmarkApp> {
    let mut h = Harness::builder()
        .with_size(egui::vec2(width, height))
        .build_eframe(move |cc| ClaimmarkApp::new(cc, paths));
    settle(&mut h);
    h
}

/// Steps the app until what it was asked to open has opened (articles and folders open on
/// worker threads), then a few frames more for the layout.
pub fn settle(h: &mut Harness<'_, ClaimmarkApp>) {
    h.run_steps(2);
    step_until(h, "the article to open", ClaimmarkApp::settled);
    h.run_steps(3);
}

/// The real app on `paths`, finding fonts on the system for scripts egui's own fonts lack
/// (CJK, Arabic, Hebrew, Thai, Devanagari), as eframe does. kittest panics on a character no
/// font has, so a test that draws such text proves it is drawn with real glyphs.
pub fn harness_with_system_fonts(paths: Vec<PathBuf>) -> Harness<'static, ClaimmarkApp> {
    harness_with_system_fonts_sized(paths, 1400.0, 900.0)
}

/// [`harness_with_system_fonts`] in a window of `width` × `height` points.
pub fn harness_with_system_fonts_sized(
    paths: Vec<PathBuf>,
    width: f32,
    height: f32,
) -> Harness<'static, ClaimmarkApp> {
    let mut h = Harness::builder()
        .with_size(egui::vec2(width, height))
        .build_eframe(move |cc| {
            cc.egui_ctx.add_font_provider(std::sync::Arc::new(
                egui_system_font_provider::SystemFontProvider::new(),
            ));
            ClaimmarkApp::new(cc, paths)
        });
    settle(&mut h);
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

/// The text the last frame put on the clipboard (kittest runs one frame per queued event, so
/// look right after the frame that copied).
pub fn copied(h: &Harness<'_, ClaimmarkApp>) -> Option<String> {
    h.output()
        .platform_output
        .commands
        .iter()
        .find_map(|c| match c {
            egui::OutputCommand::CopyText(t) => Some(t.clone()),
            _ => None,
        })
}
