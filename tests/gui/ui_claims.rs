//! UI tests with egui_kittest for the claim record: the inspector, grades from the keyboard,
//! links, fragments, resizing, the codebook and source editors, and settings.

use crate::common;

use claimmark::app::ClaimmarkApp;
use claimmark::model::{Annotation, AnnotationId, Credibility, LinkKind, Reliability};
use claimmark::session::Session;
use common::{harness, seed_article, wait_saved};
use egui::{Event, Key, Modifiers, Pos2, Role};
use egui_kittest::Harness;
use egui_kittest::kittest::{AccessKitNode, By, Queryable};

const FIRST: &str = "The Korvanian government is open to both negotiation and confrontation with the Talbot administration, state radio said on June 18.";
const KIM: &str = "Kira stressed the need to be prepared for negotiation as well as confrontation";

fn annotation(h: &Harness<'_, ClaimmarkApp>, id: &AnnotationId) -> Annotation {
    h.state()
        .session()
        .and_then(|s| s.annotations().get(id))
        .cloned()
        .expect("annotation")
}

fn input_labelled(n: &AccessKitNode<'_>, label: &str) -> bool {
    matches!(n.role(), Role::TextInput | Role::MultilineTextInput)
        && n.label().is_some_and(|l| l == label)
}

/// A combo box shows its current choice as its value.
fn combo_showing(n: &AccessKitNode<'_>, text: &str) -> bool {
    n.role() == Role::ComboBox && n.value().as_deref() == Some(text)
}

/// Clicks a labelled text field, replaces its text and presses Enter.
fn fill(h: &mut Harness<'_, ClaimmarkApp>, label: &str, text: &str) {
    h.get_by(|n| input_labelled(n, label)).click();
    h.run_steps(2);
    h.key_press_modifiers(Modifiers::COMMAND, Key::A);
    h.event(Event::Text(text.into()));
    h.key_press(Key::Enter);
    h.run_steps(3);
}

#[test]
fn a_claim_recorded_step_by_step_undoes_redoes_and_survives_a_reopen() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = seed_article(dir.path());
    let mut h = harness(vec![path.clone()]);
    let first = find_and_tag(&mut h, FIRST, Key::Num1);
    let kim = find_and_tag(&mut h, KIM, Key::Num1);
    let mut states = vec![annotation(&h, &kim)];

    fill(&mut h, "Attributed to", "Kira Janssen");
    states.push(annotation(&h, &kim));
    assert_eq!(
        states[1].record.attributed_to.as_deref(),
        Some("Kira Janssen")
    );

    fill(&mut h, "Reported via", "KSNA, Inland Courier");
    states.push(annotation(&h, &kim));
    assert_eq!(states[2].record.via, ["KSNA", "Inland Courier"]);

    // Typing B then 2 with the annotation selected grades it B2 (two steps).
    h.key_press(Key::B);
    h.run_steps(2);
    states.push(annotation(&h, &kim));
    h.key_press(Key::Num2);
    h.run_steps(2);
    states.push(annotation(&h, &kim));
    assert_eq!(states[4].record.reliability, Some(Reliability::B));
    assert_eq!(
        states[4].record.credibility,
        Some(Credibility::ProbablyTrue)
    );
    assert_eq!(states[4].tags, ["claim"], "2 graded, it did not tag");

    h.get_by(|n| combo_showing(n, "Link to…")).click();
    h.run_steps(2);
    h.get_by(|n| {
        n.role() == Role::Button
            && n.label()
                .is_some_and(|l| l.starts_with("“The Korvanian government"))
    })
    .click();
    h.run_steps(3);
    states.push(annotation(&h, &kim));
    let links = &states[5].record.links;
    assert_eq!(links.len(), 1);
    assert_eq!(
        (links[0].kind, &links[0].target),
        (LinkKind::SameClaimAs, &first)
    );

    for want in states[..5].iter().rev() {
        h.key_press_modifiers(Modifiers::COMMAND, Key::Z);
        h.run_steps(2);
        assert_eq!(&annotation(&h, &kim), want, "undo");
    }
    for want in &states[1..] {
        h.key_press_modifiers(Modifiers::COMMAND | Modifiers::SHIFT, Key::Z);
        h.run_steps(2);
        assert_eq!(&annotation(&h, &kim), want, "redo");
    }
    h.key_press_modifiers(Modifiers::COMMAND, Key::S);
    wait_saved(&mut h);
    drop(h);

    let reopened = Session::open(&path).expect("reopen");
    assert_eq!(reopened.annotations().get(&kim), states.last());
    let h = harness(vec![path]);
    assert_eq!(h.state().session().map(|s| s.annotations().len()), Some(2));
    assert!(
        h.query_by(|n| n.role() == Role::Button && n.label().is_some_and(|l| l.contains(KIM)))
            .is_some(),
        "listed again after a restart"
    );
}

#[test]
fn fragments_are_added_with_ctrl_drag_and_ends_move_with_shift_arrows() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = seed_article(dir.path());
    let mut h = harness(vec![path]);
    let id = find_and_tag(&mut h, "Kira analysed in detail", Key::Num1);
    let before = annotation(&h, &id);

    h.key_press_modifiers(Modifiers::SHIFT, Key::ArrowRight);
    h.run_steps(2);
    assert_eq!(annotation(&h, &id).quote(), "Kira analysed in detail ");
    h.key_press_modifiers(Modifiers::SHIFT | Modifiers::COMMAND, Key::ArrowRight);
    h.run_steps(2);
    assert_eq!(annotation(&h, &id).quote(), "Kira analysed in detail the");
    h.key_press_modifiers(Modifiers::SHIFT | Modifiers::ALT, Key::ArrowRight);
    h.run_steps(2);
    assert_eq!(annotation(&h, &id).quote(), "ira analysed in detail the");
    assert_eq!(
        annotation(&h, &id).extent().start,
        before.extent().start + 1
    );

    // Ctrl+drag over the start of another paragraph adds a fragment to the same claim.
    let block = h.get_by_label_contains("Meanwhile, analysts have also said");
    let rect = block.rect();
    let from = Pos2::new(rect.left() + 1.0, rect.top() + 8.0);
    let to = Pos2::new(rect.left() + 80.0, rect.top() + 8.0);
    common::drag(&mut h, from, to, Modifiers::COMMAND, 8);
    let ann = annotation(&h, &id);
    assert_eq!(ann.fragments.len(), 2, "{:?}", ann.fragments);
    assert!(
        ann.fragments[0].quote.starts_with("Meanwhile"),
        "fragments in text order: {:?}",
        ann.fragments
    );
    assert_eq!(
        h.state().session().map(|s| s.annotations().len()),
        Some(1),
        "one claim, not two"
    );
    h.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    h.run_steps(2);
    assert_eq!(
        annotation(&h, &id).fragments.len(),
        1,
        "adding a fragment is one undoable step"
    );

    // Alt+drag marks the source's name in the text.
    let block = h.get_by_label_contains("According to press reports, Kira Janssen");
    let rect = block.rect();
    let from = Pos2::new(rect.left() + 1.0, rect.top() + 8.0);
    let to = Pos2::new(rect.left() + 150.0, rect.top() + 8.0);
    common::drag(&mut h, from, to, Modifiers::ALT, 1);
    let ann = annotation(&h, &id);
    let source = ann.record.source_span.as_ref().expect("source span marked");
    assert!(
        source.quote.starts_with("According to"),
        "{:?}",
        source.quote
    );
    assert_eq!(
        ann.record.attributed_to.as_deref(),
        Some(source.quote.as_str()),
        "attributed to the marked name"
    );
    assert_eq!(ann.fragments.len(), 1, "the claim's own span is unchanged");
}

#[test]
fn renaming_a_tag_in_the_codebook_editor_keeps_its_annotations() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = seed_article(dir.path());
    let mut h = harness(vec![path.clone()]);
    let id = find_and_tag(&mut h, KIM, Key::Num1);
    h.get_by_label("Edit").click();
    h.run_steps(2);
    h.get_by_label("Codebook…").click();
    h.run_steps(3);
    h.get_by(|n| n.role() == Role::TextInput && n.value().as_deref() == Some("Claim"))
        .click();
    h.run_steps(2);
    h.key_press_modifiers(Modifiers::COMMAND, Key::A);
    h.event(Event::Text("Assertion".into()));
    h.run_steps(2);
    h.get_by_label("Add tag").click();
    h.run_steps(2);
    h.get_by_label("Save").click();
    h.run_steps(3);

    let file = std::fs::read_to_string(dir.path().join("claimmark.codebook.ron"))
        .expect("codebook saved next to the articles");
    assert!(
        file.contains("name: \"Assertion\"") && file.contains("id: \"claim\""),
        "{file}"
    );
    let session = h.state().session().expect("open");
    assert_eq!(session.codebook().tags.len(), 8);
    assert_eq!(
        session.annotations().get(&id).map(|a| a.tags.clone()),
        Some(vec!["claim".to_owned()])
    );
    assert!(
        h.query_by_label("1 Assertion").is_some(),
        "the tag bar shows the new name"
    );
    assert_eq!(
        Session::open(&path)
            .expect("reopen")
            .codebook()
            .name_of("claim"),
        "Assertion"
    );
}

#[test]
fn the_source_registry_resolves_aliases_and_gives_default_grades() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = seed_article(dir.path());
    let mut h = harness(vec![path]);
    let id = find_and_tag(&mut h, KIM, Key::Num1);
    h.get_by_label("Edit").click();
    h.run_steps(2);
    h.get_by_label("Sources…").click();
    h.run_steps(3);
    h.get_by_label("Add source").click();
    h.run_steps(3);
    let window = h.get_by(|n| n.role() == Role::Window && n.label().as_deref() == Some("Sources"));
    let empty: Vec<egui::Rect> = window
        .query_all(
            By::new()
                .role(Role::TextInput)
                .predicate(|n| n.value().as_deref().is_none_or(str::is_empty)),
        )
        .map(|n| n.rect())
        .collect();
    assert!(empty.len() >= 3, "name, aliases and description fields");
    for (rect, text) in empty.iter().zip(["Korvan State News Agency", "KSNA"]) {
        common::click_at(&mut h, rect.center());
        h.event(Event::Text(text.into()));
        h.run_steps(2);
    }
    h.get_by(|n| combo_showing(n, "–")).click();
    h.run_steps(2);
    h.get_by_label("C: fairly reliable").click();
    h.run_steps(2);
    h.get_by_label("Save").click();
    h.run_steps(3);
    let file =
        std::fs::read_to_string(dir.path().join("claimmark.sources.ron")).expect("registry saved");
    assert!(
        file.contains("Korvan State News Agency")
            && file.contains("\"KSNA\"")
            && file.contains("Some(C)"),
        "{file}"
    );

    fill(&mut h, "Attributed to", "ksna");
    let ann = annotation(&h, &id);
    assert_eq!(
        ann.record.attributed_to.as_deref(),
        Some("Korvan State News Agency")
    );
    assert_eq!(
        ann.record.reliability,
        Some(Reliability::C),
        "starts with the source's grade"
    );
}

#[test]
fn settings_set_the_author_and_the_theme() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = seed_article(dir.path());
    let mut h = harness(vec![path]);
    h.key_press_modifiers(Modifiers::COMMAND, Key::Comma);
    h.run_steps(3);
    fill(&mut h, "Analyst name", "J. Analyst");
    h.get_by_label("Light").click();
    h.run_steps(3);
    assert_eq!(h.state().settings().analyst, "J. Analyst");
    assert_eq!(h.ctx.theme(), egui::Theme::Light);
    let id = find_and_tag(&mut h, KIM, Key::Num1);
    assert_eq!(annotation(&h, &id).author, "J. Analyst");
}

#[test]
fn a_link_to_another_article_survives_renaming_it() {
    let dir = tempfile::tempdir().expect("tempdir");
    let a = dir.path().join("a_report.txt");
    let b = dir.path().join("b_report.txt");
    std::fs::write(&a, "The minister said the bridge was safe.\n").expect("write");
    std::fs::write(&b, "Engineers said the bridge was unsafe.\n").expect("write");
    let mut h = harness(vec![b.clone()]);
    let target = find_and_tag(&mut h, "the bridge was unsafe", Key::Num1);
    h.key_press_modifiers(Modifiers::COMMAND, Key::S);
    wait_saved(&mut h);
    drop(h);

    let mut h = harness(vec![a.clone()]);
    let id = find_and_tag(&mut h, "the bridge was safe", Key::Num1);
    h.get_by(|n| combo_showing(n, "Link to…")).click();
    h.run_steps(3);
    h.get_by(|n| {
        n.role() == Role::Button
            && n.label()
                .is_some_and(|l| l.starts_with("b_report.txt: Claim"))
    })
    .click();
    h.run_steps(3);
    let link = annotation(&h, &id).record.links[0].clone();
    assert_eq!(
        (link.kind, &link.target, link.article.as_deref()),
        (LinkKind::SameClaimAs, &target, Some("b_report.txt"))
    );
    h.key_press_modifiers(Modifiers::COMMAND, Key::S);
    wait_saved(&mut h);
    drop(h);

    // Rename the other article (and its sidecar, as a file manager or git mv would).
    let renamed = dir.path().join("b_renamed.txt");
    std::fs::rename(&b, &renamed).expect("rename");
    std::fs::rename(
        dir.path().join("b_report.txt.annotations.ron"),
        dir.path().join("b_renamed.txt.annotations.ron"),
    )
    .expect("rename sidecar");
    let mut h = harness(vec![a]);
    h.get_by(|n| {
        n.role() == Role::Button && n.label().is_some_and(|l| l.contains("the bridge was safe"))
    })
    .click();
    h.run_steps(4);
    assert!(
        h.query_by_label_contains("same claim as: b_renamed.txt: Claim “the bridge was unsafe”")
            .is_some(),
        "the link finds its target by id in the renamed article"
    );
}

#[test]
fn a_note_is_kept_even_if_saved_while_still_typing_and_undoes_in_one_step() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = seed_article(dir.path());
    let mut h = harness(vec![path.clone()]);
    let id = find_and_tag(&mut h, KIM, Key::Num1);
    h.get_by(|n| input_labelled(n, "Note")).click();
    h.run_steps(2);
    for word in ["Check ", "against ", "KSNA"] {
        h.event(Event::Text(word.into()));
        h.run_steps(2);
    }
    h.key_press_modifiers(Modifiers::COMMAND, Key::S);
    wait_saved(&mut h);
    let reopened = Session::open(&path).expect("reopen");
    assert_eq!(
        reopened.annotations().get(&id).map(|a| a.note.as_str()),
        Some("Check against KSNA")
    );
    h.key_press(Key::Escape);
    h.run_steps(2);
    h.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    h.run_steps(2);
    assert_eq!(
        h.state()
            .session()
            .and_then(|s| s.annotations().get(&id))
            .map(|a| a.note.clone()),
        Some(String::new())
    );
}

fn find_and_tag(h: &mut Harness<'_, ClaimmarkApp>, text: &str, key: Key) -> AnnotationId {
    common::find_and_tag(h, text, key).expect("the new annotation is selected")
}
