//! The command table drives the keys and the shortcut sheet (F1): what the sheet lists is what
//! the keys do.

use crate::common;

use claimmark::app::ClaimmarkApp;
use claimmark::command::{Action, TABLE};
use common::{copied, harness, harness_sized, seed_article};
use egui::{Event, Key, Modifiers};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;

fn count(h: &Harness<'_, ClaimmarkApp>) -> usize {
    h.state().session().map_or(0, |s| s.annotations().len())
}

#[test]
fn f1_lists_every_key_of_the_table_and_its_search_narrows_the_list() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut h = harness(vec![seed_article(dir.path())]);
    h.key_press(Key::F1);
    h.run_steps(3);
    let rows = h
        .state()
        .shortcuts()
        .expect("F1 opens the sheet")
        .rows(&h.ctx);
    for entry in TABLE.iter().filter(|e| !e.keys.is_empty()) {
        assert!(
            rows.iter().any(|(_, what)| what.starts_with(entry.label)),
            "{} is listed",
            entry.label
        );
    }
    for action in [
        Action::NextClaim,
        Action::PreviousClaim,
        Action::DeleteAnnotation,
        Action::Deselect,
    ] {
        assert!(
            h.query_all_by_label_contains(action.label())
                .next()
                .is_some(),
            "{} is on screen",
            action.label()
        );
    }
    // Redo has both its keys, on screen.
    let redo = rows
        .iter()
        .find(|(_, what)| what.starts_with("Redo"))
        .expect("redo");
    assert!(redo.0.contains(" or "), "{redo:?}");

    // The search field has the keyboard: typing narrows the list.
    h.event(Event::Text("claim".into()));
    h.run_steps(2);
    let rows = h.state().shortcuts().expect("still open").rows(&h.ctx);
    assert!(!rows.is_empty());
    assert!(
        rows.iter()
            .all(|(k, what)| (k.clone() + what).to_lowercase().contains("claim")),
        "{rows:?}"
    );
    assert!(rows.len() < TABLE.len());
    h.key_press(Key::Escape);
    h.run_steps(2);
    assert!(h.state().shortcuts().is_none(), "Esc closes it");
}

#[test]
fn ctrl_y_redoes_like_ctrl_shift_z() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut h = harness(vec![seed_article(dir.path())]);
    common::find_and_tag(&mut h, "Talbot administration", Key::Num2).expect("tagged");
    assert_eq!(count(&h), 1);
    h.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    h.run_steps(2);
    assert_eq!(count(&h), 0, "undo");
    h.key_press_modifiers(Modifiers::COMMAND, Key::Y);
    h.run_steps(2);
    assert_eq!(count(&h), 1, "Ctrl+Y redoes");
}

/// Presses `key` with `modifiers` and returns what that frame copied (kittest runs one frame
/// per event, so the copy is looked for in the key-down frame), then releases it.
fn press_and_copied(
    h: &mut Harness<'_, ClaimmarkApp>,
    modifiers: Modifiers,
    key: Key,
) -> Option<String> {
    let event = |pressed| Event::Key {
        key,
        physical_key: None,
        pressed,
        repeat: false,
        modifiers,
    };
    h.event(event(true));
    h.step();
    let text = copied(h);
    h.event(event(false));
    h.step();
    text
}

#[test]
fn ctrl_c_copies_the_selected_words_and_ctrl_shift_c_adds_the_citation() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut h = harness(vec![seed_article(dir.path())]);
    h.key_press_modifiers(Modifiers::COMMAND, Key::F);
    h.run_steps(2);
    h.event(Event::Text("Inland Courier reported".into()));
    h.key_press(Key::Enter);
    h.key_press(Key::Escape);
    h.run_steps(2);
    // Ctrl+C reaches the app as the copy event (egui-winit makes it so), or as the key.
    h.event(Event::Copy);
    h.step();
    assert_eq!(copied(&h).as_deref(), Some("Inland Courier reported"));
    h.step();
    assert_eq!(copied(&h), None, "copied once");
    assert_eq!(
        press_and_copied(&mut h, Modifiers::COMMAND, Key::C).as_deref(),
        Some("Inland Courier reported")
    );
    let cited = press_and_copied(&mut h, Modifiers::COMMAND | Modifiers::SHIFT, Key::C)
        .expect("copied with citation");
    assert!(
        cited.starts_with("“Inland Courier reported” (") && cited.contains("2021-06-19"),
        "{cited}"
    );
}

#[test]
fn ctrl_end_and_ctrl_home_go_to_the_last_and_first_lines() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut h = harness_sized(vec![seed_article(dir.path())], 1400.0, 600.0);
    let first = "Korvanian government is open to both";
    let last = "keep Kira’s fleet in port";
    let on_screen = |h: &Harness<'_, ClaimmarkApp>, words: &str| {
        h.query_all_by_label_contains(words).next().is_some()
    };
    assert!(
        on_screen(&h, first) && !on_screen(&h, last),
        "opens at the top"
    );
    h.key_press_modifiers(Modifiers::COMMAND, Key::End);
    h.run_steps(4);
    assert!(on_screen(&h, last) && !on_screen(&h, first), "Ctrl+End");
    h.key_press_modifiers(Modifiers::COMMAND, Key::Home);
    h.run_steps(4);
    assert!(on_screen(&h, first) && !on_screen(&h, last), "Ctrl+Home");
}

#[test]
fn esc_on_an_open_list_closes_it_and_keeps_the_annotation_selected() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut h = harness(vec![seed_article(dir.path())]);
    common::find_and_tag(&mut h, "Talbot administration", Key::Num2).expect("tagged");
    // The inspector is titled by what the annotation is.
    assert!(
        h.query_all_by_label("Source").next().is_some(),
        "the inspector's title names the tag"
    );
    assert!(h.query_by_label_contains("1 annotation ·").is_some());
    h.get_by(|n| {
        n.role() == egui::accesskit::Role::ComboBox && n.value().as_deref() == Some("Link to…")
    })
    .click();
    h.run_steps(2);
    h.key_press(Key::Escape);
    h.run_steps(2);
    assert!(
        h.state().selected().is_some(),
        "the first Esc only closes the list"
    );
    h.key_press(Key::Escape);
    h.run_steps(2);
    assert!(h.state().selected().is_none(), "the next Esc deselects");
}
