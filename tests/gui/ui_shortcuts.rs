//! The command table drives the keys and the shortcut sheet (F1): what the sheet lists is what
//! the keys do.

use crate::common;

use claimmark::app::ClaimmarkApp;
use claimmark::command::{Action, TABLE};
use common::{harness, seed_article};
use egui::{Event, Key, Modifiers};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;

fn count(h: &Harness<'_, ClaimmarkApp>) -> usize {
    h.state().session().map_or(0, |s| s.annotations.len())
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
