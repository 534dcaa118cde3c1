//! UI tests with egui_kittest: the real app, driven by keys and pointer events, checked on
//! its state and on the sidecar it writes.

use crate::common;

use claimmark::app::ClaimmarkApp;
use claimmark::session::Session;
use common::{harness, seed_article, wait_saved};
use egui::Role;
use egui::{Event, Key, Modifiers, Pos2};
use egui_kittest::Harness;
use egui_kittest::kittest::{AccessKitNode, Queryable};

const QUOTE: &str = "open to both negotiation and confrontation";

fn button_with(n: &AccessKitNode<'_>, text: &str) -> bool {
    n.role() == Role::Button && n.label().is_some_and(|l| l.contains(text))
}

#[test]
fn keyboard_only_find_tag_save_then_reopen() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = seed_article(dir.path());
    let mut h = harness(vec![path.clone()]);
    assert!(
        h.query_by_label("Dated 2021-06-19").is_some(),
        "the dateline's date is shown"
    );

    h.key_press_modifiers(Modifiers::COMMAND, Key::F);
    h.run_steps(2);
    h.event(Event::Text(QUOTE.into()));
    h.run_steps(2);
    h.key_press(Key::Enter);
    h.run_steps(2);
    h.key_press(Key::Escape);
    h.run_steps(2);
    let session = h.state().session().expect("open");
    let sel = h
        .state()
        .view()
        .selected_span()
        .expect("the match stays selected after Esc");
    assert_eq!(session.article().slice(sel), QUOTE);

    h.key_press(Key::Num1);
    h.run_steps(2);
    assert_eq!(
        h.state().session().expect("open").annotations().len(),
        1,
        "key 1 tags the selection"
    );
    assert!(h.state().session().expect("open").is_dirty());
    h.key_press_modifiers(Modifiers::COMMAND, Key::S);
    wait_saved(&mut h);

    let sidecar = dir.path().join("report.txt.annotations.ron");
    let reopened = Session::open(&path).expect("reopen");
    let anns = reopened.annotations().as_slice();
    assert_eq!(
        anns.len(),
        1,
        "{}",
        std::fs::read_to_string(&sidecar).unwrap_or_default()
    );
    assert_eq!(anns[0].tags, ["claim"]);
    assert_eq!(anns[0].quote(), QUOTE);
    assert_eq!(anns[0].extent(), sel);

    // The annotation is listed in the side panel.
    assert!(
        h.query_by(|n| button_with(n, QUOTE)).is_some(),
        "listed in the annotations panel"
    );
}

#[test]
fn undo_redo_and_delete_every_edit() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = seed_article(dir.path());
    let mut h = harness(vec![path]);
    h.key_press_modifiers(Modifiers::COMMAND, Key::F);
    h.run_steps(2);
    h.event(Event::Text("Talbot administration".into()));
    h.key_press(Key::Enter);
    h.key_press(Key::Escape);
    h.run_steps(2);
    h.key_press(Key::Num2);
    h.run_steps(2);
    let count =
        |h: &Harness<'_, ClaimmarkApp>| h.state().session().map_or(0, |s| s.annotations().len());
    assert_eq!(count(&h), 1);
    h.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    h.run_steps(2);
    assert_eq!(count(&h), 0, "undo");
    h.key_press_modifiers(Modifiers::COMMAND | Modifiers::SHIFT, Key::Z);
    h.run_steps(2);
    assert_eq!(count(&h), 1, "redo");

    // Select it from the side panel, delete it, undo the delete.
    let item = h.get_by(|n| button_with(n, "Talbot administration"));
    item.click();
    h.run_steps(2);
    assert!(
        h.state().selected().is_some(),
        "clicking the list selects the annotation"
    );
    h.key_press(Key::Delete);
    h.run_steps(2);
    assert_eq!(count(&h), 0, "delete");
    h.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    h.run_steps(2);
    assert_eq!(count(&h), 1, "undo delete");
    assert_eq!(
        h.state()
            .session()
            .map(|s| s.annotations().as_slice()[0].tags.clone()),
        Some(vec!["source".to_owned()])
    );
}

#[test]
fn dragging_over_text_selects_it_and_clicking_a_highlight_selects_the_annotation() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = seed_article(dir.path());
    let mut h = harness(vec![path]);
    let block = h
        .query_all_by_label_contains("Meanwhile, analysts have also said")
        .next()
        .expect("paragraph exposed to accessibility");
    let rect = block.rect();
    let y = rect.top() + 8.0;
    let from = Pos2::new(rect.left() + 1.0, y);
    let to = Pos2::new(rect.left() + 90.0, y);
    common::drag(&mut h, from, to, Modifiers::NONE, 10);
    let session = h.state().session().expect("open");
    let sel = h.state().view().selected_span().expect("a drag selects");
    let selected_text = session.article().slice(sel).to_owned();
    assert!(selected_text.starts_with("Meanwhile"), "{selected_text:?}");

    h.key_press(Key::Num3);
    h.run_steps(2);
    let ann_id = {
        let s = h.state().session().expect("open");
        assert_eq!(s.annotations().len(), 1);
        assert_eq!(s.annotations().as_slice()[0].tags, ["evidence"]);
        s.annotations().as_slice()[0].id.clone()
    };
    // Deselect, then click on the highlight: the annotation is selected.
    h.key_press(Key::Escape);
    h.run_steps(2);
    assert_eq!(h.state().selected(), None, "Esc deselects");
    let on_highlight = from + egui::vec2(10.0, 0.0);
    common::click_at(&mut h, on_highlight);
    assert_eq!(h.state().selected(), Some(&ann_id));
}

#[test]
fn a_broken_sidecar_shows_a_read_only_banner_and_is_not_touched() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = seed_article(dir.path());
    let sidecar = dir.path().join("report.txt.annotations.ron");
    std::fs::write(&sidecar, "(format: \"claimmark-sidecar\", version: 99)").expect("write");
    let mut h = harness(vec![path]);
    assert!(h.query_by_label_contains("Read-only").is_some(), "banner");
    h.key_press_modifiers(Modifiers::COMMAND, Key::S);
    h.run_steps(3);
    assert_eq!(
        std::fs::read_to_string(&sidecar).expect("read"),
        "(format: \"claimmark-sidecar\", version: 99)"
    );
}
