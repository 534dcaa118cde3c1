//! UI tests with egui_kittest for suggested claims: outlined in the bundled sample article,
//! stepped through with Tab and Shift+Tab, accepted with Enter, rejected with Backspace, undone,
//! saved, reopened, and accepted all at once.

use crate::common;

use claimmark::app::ClaimmarkApp;
use common::{harness, step_until, wait_saved};
use egui::{Key, Modifiers};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;

/// The bundled sample article, copied into `dir`.
fn sample(dir: &std::path::Path) -> std::path::PathBuf {
    let src = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("assets/samples/01_harbour_dispute.txt");
    let dst = dir.join("harbour.txt");
    std::fs::copy(src, &dst).expect("copy the sample");
    dst
}

fn found(h: &mut Harness<'_, ClaimmarkApp>) -> usize {
    step_until(h, "the suggestions to be found", |app| {
        let s = app.suggestion_state();
        !s.finding && s.open > 0
    });
    h.run_steps(2);
    h.state().suggestion_state().open
}

fn current(h: &Harness<'_, ClaimmarkApp>) -> (String, Option<String>) {
    h.state()
        .suggestion_state()
        .current
        .expect("a current suggestion")
}

fn press(h: &mut Harness<'_, ClaimmarkApp>, modifiers: Modifiers, key: Key) {
    h.key_press_modifiers(modifiers, key);
    h.run_steps(2);
}

#[test]
fn suggested_claims_are_accepted_and_rejected_from_the_keyboard_and_stay_decided() {
    let dir = tempfile::tempdir().expect("tempdir");
    let article = sample(dir.path());
    let mut h = harness(vec![article.clone()]);
    let total = found(&mut h);
    assert!(total >= 5, "{total} suggestions in the sample");
    let outlines = h.state().view().suggestion_outlines().len();
    assert!(outlines >= total, "every open suggestion is outlined");

    // Tab steps to the first suggestion, not into the window's widgets.
    press(&mut h, Modifiers::NONE, Key::Tab);
    assert!(
        h.ctx.memory(|m| m.focused()).is_none(),
        "Tab moved the focus"
    );
    let (words, who) = current(&h);
    assert!(
        h.state()
            .view()
            .suggestion_outlines()
            .iter()
            .any(|(_, c)| *c)
    );

    // Enter: a claim with who said it; the next suggestion becomes current.
    press(&mut h, Modifiers::NONE, Key::Enter);
    let session = h.state().session().expect("session");
    assert_eq!(session.annotations().len(), 1);
    let ann = &session.annotations().as_slice()[0];
    let quote: Vec<&str> = ann.fragments.iter().map(|f| f.quote.as_str()).collect();
    assert_eq!(quote.join(" … "), words);
    assert_eq!(ann.tags, ["claim"]);
    assert_eq!(ann.record.attributed_to, who);
    assert_eq!(h.state().suggestion_state().open, total - 1);
    let (rejected, _) = current(&h);
    assert_ne!(rejected, words);

    // Backspace rejects it; Ctrl+Z brings it back; Shift+Tab returns to it; Backspace again.
    press(&mut h, Modifiers::NONE, Key::Backspace);
    assert_eq!(h.state().suggestion_state().open, total - 2);
    let annotations = h.state().session().expect("session").annotations();
    assert!(annotations.is_rejected(&rejected));
    assert_eq!(annotations.len(), 1, "rejecting deletes no annotation");
    press(&mut h, Modifiers::COMMAND, Key::Z);
    assert_eq!(h.state().suggestion_state().open, total - 1);
    press(&mut h, Modifiers::SHIFT, Key::Tab);
    assert_eq!(current(&h).0, rejected);
    press(&mut h, Modifiers::NONE, Key::Backspace);
    wait_saved(&mut h);
    drop(h);

    // Reopened: the accepted one is an annotation, the rejected one is not suggested again.
    let mut h = harness(vec![article]);
    assert_eq!(found(&mut h), total - 2);
    let annotations = h.state().session().expect("session").annotations();
    assert_eq!(annotations.len(), 1);
    assert!(annotations.is_rejected(&rejected));

    // Accept all: every open one in one undo step.
    h.get_by_label("Accept all").click();
    h.run_steps(3);
    let n = h.state().session().expect("session").annotations().len();
    assert_eq!(n, 1 + total - 2);
    assert_eq!(h.state().suggestion_state().open, 0);
    press(&mut h, Modifiers::COMMAND, Key::Z);
    assert_eq!(h.state().session().expect("session").annotations().len(), 1);
    assert_eq!(h.state().suggestion_state().open, total - 2);
}
