//! UI tests with egui_kittest for a day of reading and marking (#13): the text after a theme
//! switch, where a newly opened article starts, what hovering a highlight shows, right-click
//! menus, the names "Attributed to" offers, and an inspector that fits the default window.

use std::path::Path;

use crate::common;

use claimmark::app::ClaimmarkApp;
use claimmark::model::AnnotationId;
use claimmark::ui::theme;
use common::{add, copied, harness, seed_article, settle};
use egui::accesskit::Role;
use egui::{Event, Key, Modifiers, PointerButton, Pos2};
use egui_kittest::Harness;
use egui_kittest::kittest::{NodeT, Queryable};

const KIM: &str = "Kira stressed the need to be prepared for negotiation as well as confrontation";
const FIRST: &str = "The Korvanian government is open to both negotiation and confrontation with the Talbot administration, state radio said on June 18.";

fn count(h: &Harness<'_, ClaimmarkApp>) -> usize {
    h.state().session().map_or(0, |s| s.annotations().len())
}

fn on_screen(h: &Harness<'_, ClaimmarkApp>, words: &str) -> bool {
    h.query_all_by_label_contains(words).next().is_some()
}

/// A point on the first line of the paragraph containing `words`, `dx` points in.
fn in_paragraph(h: &Harness<'_, ClaimmarkApp>, words: &str, dx: f32) -> Pos2 {
    let rect = h
        .get_by(|n| n.role() == Role::Label && n.value().is_some_and(|l| l.contains(words)))
        .rect();
    Pos2::new(rect.left() + dx, rect.top() + 8.0)
}

/// Clicks the secondary (right) button at a point, as a person would.
fn right_click_at(h: &mut Harness<'_, ClaimmarkApp>, pos: Pos2) {
    h.event(Event::PointerMoved(pos));
    h.step();
    for pressed in [true, false] {
        h.event(Event::PointerButton {
            pos,
            button: PointerButton::Secondary,
            pressed,
            modifiers: Modifiers::NONE,
        });
        h.step();
    }
    h.run_steps(2);
}

/// The item of an open menu labelled `label` (its shortcut, if any, follows the label). Menus
/// are drawn over everything else: the last such node.
fn menu_item<'h>(h: &'h Harness<'_, ClaimmarkApp>, label: &'h str) -> egui_kittest::Node<'h> {
    h.query_all_by(move |n| {
        matches!(n.role(), Role::Button | Role::MenuItem)
            && n.label().is_some_and(|l| {
                l == label
                    || l.strip_prefix(label)
                        .is_some_and(|k| k.starts_with(" Ctrl"))
            })
    })
    .last()
    .unwrap_or_else(|| panic!("a menu item {label:?}"))
}

/// The colours of the glyphs of a galley (not its backgrounds or underlines).
fn glyph_colors(galley: &egui::Galley) -> Vec<egui::Color32> {
    let mut colors: Vec<egui::Color32> = galley
        .rows
        .iter()
        .flat_map(|row| {
            let v = &row.row.visuals;
            v.mesh.vertices[v.glyph_vertex_range.clone()]
                .iter()
                .map(|v| v.color)
        })
        .collect();
    colors.sort_by_key(|c| c.to_array());
    colors.dedup();
    colors
}

#[test]
fn switching_the_theme_lays_the_text_out_again_for_the_new_visuals() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut h = harness(vec![seed_article(dir.path())]);
    // A plain paragraph (no highlight, no inline styles): its glyphs are in the body colour.
    let block = 1;
    let body = |h: &Harness<'_, ClaimmarkApp>| theme::body_text(&h.ctx.global_style().visuals);
    let galley = |h: &Harness<'_, ClaimmarkApp>| {
        h.state()
            .view()
            .painted_galley(block)
            .expect("the paragraph is on screen")
    };
    let before = galley(&h);
    assert_eq!(glyph_colors(&before), [body(&h)]);

    for theme in [egui::Theme::Light, egui::Theme::Dark, egui::Theme::Light] {
        let old = body(&h);
        let old_galley = galley(&h);
        h.ctx.set_theme(theme);
        h.run_steps(3);
        assert_eq!(h.ctx.theme(), theme);
        let now = galley(&h);
        if body(&h) != old {
            assert!(
                !std::sync::Arc::ptr_eq(&old_galley, &now),
                "{theme:?}: laid out again"
            );
        }
        assert_eq!(
            glyph_colors(&now),
            [body(&h)],
            "{theme:?}: the text is drawn in the theme's body colour"
        );
    }

    // The text options alone (how glyphs are rasterised: egui clears its font atlas when they
    // change, and a galley kept from before points at glyphs that are gone).
    let old_galley = galley(&h);
    h.ctx.all_styles_mut(|s| {
        s.visuals.text_options.font_hinting = !s.visuals.text_options.font_hinting;
    });
    h.run_steps(3);
    assert!(
        !std::sync::Arc::ptr_eq(&old_galley, &galley(&h)),
        "a galley of the old font atlas is not drawn again"
    );
}

fn long_article(dir: &Path, name: &str, tag: &str) -> std::path::PathBuf {
    let text: String = (1..=60)
        .map(|i| {
            format!(
                "Paragraph {i} of {tag}: the committee heard evidence from the port authority, \
                 the fishermen's union and the ministry about the new quotas.\n\n"
            )
        })
        .collect();
    let path = dir.join(name);
    std::fs::write(&path, text).expect("write");
    path
}

#[test]
fn a_newly_opened_article_starts_at_its_top() {
    let dir = tempfile::tempdir().expect("tempdir");
    long_article(dir.path(), "a_first.txt", "A");
    long_article(dir.path(), "b_second.txt", "B");
    let mut h = harness(vec![dir.path().to_owned()]);
    assert_eq!(
        h.state().session().map(|s| s.file_name()).as_deref(),
        Some("a_first.txt")
    );
    assert!(on_screen(&h, "Paragraph 1 of A:"));
    h.key_press_modifiers(Modifiers::COMMAND, Key::End);
    h.run_steps(4);
    assert!(on_screen(&h, "Paragraph 60 of A:"), "Ctrl+End");
    assert!(!on_screen(&h, "Paragraph 1 of A:"));

    h.get_by_label("b_second.txt").click();
    settle(&mut h);
    assert_eq!(
        h.state().session().map(|s| s.file_name()).as_deref(),
        Some("b_second.txt")
    );
    assert!(
        on_screen(&h, "Paragraph 1 of B:"),
        "B opens at its first paragraph, not where A was left"
    );

    // And back to A: it starts at the top too.
    h.get_by_label("a_first.txt").click();
    settle(&mut h);
    assert!(on_screen(&h, "Paragraph 1 of A:"));
}

#[test]
fn hovering_a_highlight_shows_its_tags_source_grade_status_and_note() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = seed_article(dir.path());
    add(
        &path,
        KIM,
        "claim",
        &[
            "--source",
            "Kira Janssen",
            "--via",
            "KSNA",
            "--grade",
            "B2",
            "--status",
            "disputed",
            "--note",
            "Said at the plenum\nsecond line",
        ],
    );
    let mut h = harness(vec![path]);
    let summary = "Said by Kira Janssen, via KSNA";
    assert!(!on_screen(&h, summary));

    // Over plain text: nothing.
    h.hover_at(in_paragraph(&h, "Meanwhile, analysts have also said", 60.0));
    h.run_steps(4);
    assert!(!on_screen(&h, summary));

    // Over the highlight: what it is.
    h.hover_at(in_paragraph(&h, KIM, 60.0));
    h.run_steps(4);
    assert!(on_screen(&h, summary), "the tooltip names the source");
    assert!(on_screen(&h, "Grade B2 · disputed"));
    assert!(on_screen(&h, "Said at the plenum"));
    assert!(!on_screen(&h, "second line"), "only the note's first line");
    assert!(h.query_by_label("Claim").is_some(), "its tags");

    // Away from it: gone.
    h.hover_at(in_paragraph(&h, "Meanwhile, analysts have also said", 60.0));
    h.run_steps(4);
    assert!(!on_screen(&h, summary));
}

#[test]
fn right_clicking_a_highlight_selects_it_and_offers_copy_and_delete() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = seed_article(dir.path());
    let id = AnnotationId(add(&path, KIM, "claim", &[]));
    let mut h = harness(vec![path]);
    assert_eq!(count(&h), 1);

    let at = in_paragraph(&h, KIM, 60.0);
    right_click_at(&mut h, at);
    assert_eq!(
        h.state().selected(),
        Some(&id),
        "the right-click selected it"
    );
    assert!(on_screen(&h, "Tag with…"));
    menu_item(&h, "Copy").click();
    h.step();
    h.step();
    assert_eq!(copied(&h).as_deref(), Some(KIM), "Copy copies its words");
    h.run_steps(2);
    assert!(!on_screen(&h, "Tag with…"), "the menu closed");

    right_click_at(&mut h, at);
    menu_item(&h, "Delete").click();
    h.run_steps(3);
    assert_eq!(count(&h), 0, "Delete deleted it");
    h.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    h.run_steps(2);
    assert_eq!(count(&h), 1, "one undoable step");
}

#[test]
fn right_clicking_the_selection_tags_it_with_a_tag_of_the_codebook() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut h = harness(vec![seed_article(dir.path())]);
    let words = "Meanwhile, analysts have also said";
    let from = in_paragraph(&h, words, 1.0);
    let to = in_paragraph(&h, words, 150.0);
    common::drag(&mut h, from, to, Modifiers::NONE, 6);
    let selected = h.state().view().selected_span().expect("a selection");

    let inside = in_paragraph(&h, words, 60.0);
    right_click_at(&mut h, inside);
    assert_eq!(
        h.state().view().selected_span(),
        Some(selected),
        "a right-click in the selection keeps it"
    );
    menu_item(&h, "Copy with citation").click();
    h.step();
    h.step();
    let cited = copied(&h).expect("copied");
    assert!(cited.starts_with("“Meanwhile"), "{cited}");
    assert!(cited.contains("2021-06-19"), "with its citation: {cited}");
    h.run_steps(2);

    let inside = in_paragraph(&h, words, 60.0);
    right_click_at(&mut h, inside);
    menu_item(&h, "Tag with…").click();
    h.run_steps(2);
    menu_item(&h, "Evidence").click();
    h.run_steps(3);
    let session = h.state().session().expect("session");
    assert_eq!(session.annotations().len(), 1, "tagged");
    let ann = &session.annotations().as_slice()[0];
    assert_eq!(ann.tags, ["evidence"]);
    assert_eq!(ann.extent(), selected);
}

#[test]
fn right_clicking_an_annotation_in_the_list_copies_or_deletes_it() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = seed_article(dir.path());
    add(&path, KIM, "claim", &[]);
    let first = AnnotationId(add(&path, FIRST, "source", &[]));
    let mut h = harness(vec![path]);
    assert_eq!(count(&h), 2);

    let row = |h: &Harness<'_, ClaimmarkApp>| {
        h.get_by(|n| {
            n.role() == Role::Button && n.label().is_some_and(|l| l.starts_with("Source: “The"))
        })
        .rect()
        .center()
    };
    let at = row(&h);
    right_click_at(&mut h, at);
    assert_eq!(h.state().selected(), Some(&first));
    menu_item(&h, "Copy").click();
    h.step();
    h.step();
    assert_eq!(copied(&h).as_deref(), Some(FIRST));
    h.run_steps(2);

    let at = row(&h);
    right_click_at(&mut h, at);
    menu_item(&h, "Delete").click();
    h.run_steps(3);
    let session = h.state().session().expect("session");
    assert_eq!(session.annotations().len(), 1);
    assert!(session.annotations().get(&first).is_none(), "that one went");
}

#[test]
fn attributed_to_offers_every_name_used_in_the_folder_and_adds_one_to_the_sources() {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(
        dir.path().join("claimmark.sources.ron"),
        "(version: 1, sources: [(name: \"Zeta Agency\"), (name: \"Alpha Wire\", aliases: [\"AW\"])])",
    )
    .expect("registry");
    let report = seed_article(dir.path());
    let second = dir.path().join("second.txt");
    std::fs::write(
        &second,
        "The ministry said grain exports rose by 12 per cent, a figure traders disputed.\n",
    )
    .expect("write");
    add(
        &second,
        "grain exports rose by 12 per cent",
        "claim",
        &["--source", "Kira Janssen", "--via", "KSNA", "--via", "aw"],
    );
    add(
        &second,
        "a figure traders disputed",
        "claim",
        &["--source", "inland courier", "--via", "Inland Courier"],
    );
    let mut h = harness(vec![dir.path().to_owned()]);
    assert_eq!(
        h.state().session().map(|s| s.path().to_path_buf()),
        Some(report.clone())
    );
    assert!(
        h.state()
            .library()
            .and_then(|l| l.index())
            .is_some_and(|i| i.claims.len() == 2),
        "the folder is indexed"
    );
    let id = common::find_and_tag(&mut h, KIM, Key::Num1).expect("tagged");

    // The picker next to "Attributed to".
    h.get_by(|n| n.role() == Role::ComboBox && n.value().as_deref() == Some(""))
        .click();
    h.run_steps(2);
    let y = |h: &Harness<'_, ClaimmarkApp>, name: &str| -> f32 {
        let all: Vec<_> = h.query_all_by_label(name).collect();
        assert_eq!(all.len(), 1, "{name} is offered once");
        all[0].rect().center().y
    };
    let order = [
        "Alpha Wire",
        "Zeta Agency",
        "Inland Courier",
        "Kira Janssen",
        "KSNA",
    ];
    let ys: Vec<f32> = order.iter().map(|n| y(&h, n)).collect();
    assert!(
        ys.windows(2).all(|w| w[0] < w[1]),
        "registry names first, then the folder's, each sorted: {order:?} at {ys:?}"
    );
    assert!(
        h.query_by_label("aw").is_none() && h.query_by_label("AW").is_none(),
        "an alias of a registered source is not offered again"
    );
    assert!(
        h.query_by_label("inland courier").is_none(),
        "one spelling of a name"
    );
    h.get_by_label("Kira Janssen").click();
    h.run_steps(3);
    let attributed = |h: &Harness<'_, ClaimmarkApp>| {
        h.state()
            .session()
            .and_then(|s| s.annotations().get(&id))
            .and_then(|a| a.record.attributed_to.clone())
    };
    assert_eq!(attributed(&h).as_deref(), Some("Kira Janssen"));

    // Not in the registry: one click adds it.
    h.get_by_label("Add to sources").click();
    h.run_steps(3);
    let session = h.state().session().expect("session");
    assert!(session.sources().resolve("Kira Janssen").is_some());
    assert!(session.sources().resolve("Zeta Agency").is_some(), "kept");
    let saved =
        std::fs::read_to_string(dir.path().join("claimmark.sources.ron")).expect("registry");
    assert!(saved.contains("Kira Janssen"), "{saved}");
    assert!(
        h.query_by_label("Add to sources").is_none(),
        "a registered name needs no button"
    );
}

/// The app at eframe's default window size for Claimmark.
fn harness_1280x800(paths: Vec<std::path::PathBuf>) -> Harness<'static, ClaimmarkApp> {
    let mut h = Harness::builder()
        .with_size(egui::vec2(1280.0, 800.0))
        .build_eframe(move |cc| ClaimmarkApp::new(cc, paths));
    settle(&mut h);
    h
}

#[test]
fn at_1280_by_800_nothing_in_the_inspector_is_cut_off() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = seed_article(dir.path());
    let first = add(&path, FIRST, "source", &[]);
    let link = format!("same_claim_as:{first}");
    add(
        &path,
        KIM,
        "claim",
        &[
            "--link",
            &link,
            "--source",
            "Kira Janssen, chair of the governing council of the republic",
            "--via",
            "KSNA",
            "--via",
            "Inland Courier",
            "--grade",
            "B2",
            "--note",
            "Said at the plenum; the figures she analysed are the Meridian office's own, which the council has disputed since 2019",
        ],
    );
    let mut h = harness_1280x800(vec![path]);
    h.get_by(|n| n.role() == Role::Button && n.label().is_some_and(|l| l.contains(KIM)))
        .click();
    h.run_steps(4);
    assert!(h.query_by_label("Add to sources").is_some());
    h.get_by(|n| {
        n.role() == Role::Label && n.value().is_some_and(|l| l.starts_with("same claim as"))
    });

    // The side panel: from its list's heading to its rows' right edge (the panel's inner
    // edge), less the inspector's scroll bar, which floats over the right of its content.
    let heading = h.get_by_label_contains("Annotations (2)").rect();
    let list_right = h
        .query_all_by_role(Role::Button)
        .filter(|n| {
            n.accesskit_node()
                .label()
                .is_some_and(|l| l.starts_with("Claim: “"))
        })
        .map(|n| n.rect().right())
        .next()
        .expect("a row of the list");
    let bar = h
        .query_all_by_role(Role::ScrollBar)
        .map(|n| n.rect())
        .find(|r| r.left() > heading.left() && r.top() < heading.top())
        .expect("the inspector scrolls at this height");
    assert!(bar.right() <= list_right + 0.5, "{bar:?} in the panel");
    let (left, right) = (heading.left() - 0.5, bar.left() + 0.5);
    let inspector = h
        .query_all_by_label("Attributed to")
        .next()
        .expect("inspector")
        .rect();
    let mut checked = 0;
    for node in h.query_all_by(|n| n.bounding_box().is_some()) {
        let rect = node.rect();
        let node = node.accesskit_node();
        let role = node.role();
        let field = matches!(
            role,
            Role::TextInput
                | Role::MultilineTextInput
                | Role::ComboBox
                | Role::Button
                | Role::Label
                | Role::CheckBox
        );
        // What is in the side panel, from the inspector's first field to the list's heading.
        if !field
            || rect.center().x < heading.left()
            || rect.top() < inspector.top() - 40.0
            || rect.top() >= heading.top()
        {
            continue;
        }
        checked += 1;
        assert!(
            left <= rect.left() && rect.right() <= right,
            "{role:?} {:?} at {rect:?} is not within {left}..{right}",
            node.label().or(node.value())
        );
    }
    assert!(checked > 15, "{checked} fields checked");
}

#[test]
fn the_codebook_and_sources_editors_show_whole_names_at_1280_by_800() {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(
        dir.path().join("claimmark.sources.ron"),
        "(version: 1, sources: [(name: \"Korvan State News Agency\", aliases: [\"KSNA\"])])",
    )
    .expect("registry");
    let mut h = harness_1280x800(vec![seed_article(dir.path())]);
    h.get_by_label("Edit").click();
    h.run_steps(2);
    h.get_by_label("Codebook…").click();
    h.run_steps(4);
    let font = egui::TextStyle::Body.resolve(&h.ctx.global_style());
    let codebook = h.state().session().expect("session").codebook().clone();
    assert!(codebook.tags.len() >= 5);
    for tag in &codebook.tags {
        let field = h.get_by(|n| {
            n.role() == Role::TextInput && n.value().as_deref() == Some(tag.name.as_str())
        });
        let text = h.ctx.fonts_mut(|f| {
            f.layout_no_wrap(tag.name.clone(), font.clone(), egui::Color32::WHITE)
                .size()
                .x
        });
        assert!(
            field.rect().width() >= text + 8.0,
            "{}: a field {} wide for a name {text} wide",
            tag.name,
            field.rect().width()
        );
    }

    // The sources editor's fields are as wide as they are meant to be (a grid gives a column
    // only a button's width on its first frame, and keeps it).
    h.get_by_label("Cancel").click();
    h.run_steps(2);
    h.get_by_label("Edit").click();
    h.run_steps(2);
    h.get_by_label("Sources…").click();
    h.run_steps(4);
    for value in ["Korvan State News Agency", "KSNA"] {
        let field =
            h.get_by(|n| n.role() == Role::TextInput && n.value().as_deref() == Some(value));
        assert!(
            field.rect().width() >= 150.0,
            "{value}: a field {} wide",
            field.rect().width()
        );
    }
}

#[test]
fn find_in_folder_and_open_in_review_show_the_review() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = seed_article(dir.path());
    let other = dir.path().join("other.txt");
    std::fs::write(&other, "Analysts have also said the fleet is ready.\n").expect("write");
    add(&path, KIM, "claim", &[]);
    let first = add(&path, FIRST, "source", &[]);
    add(
        &other,
        "Analysts have also said the fleet is ready",
        "claim",
        &[],
    );
    let mut h = harness(vec![path]);

    // Words selected in the article, found in the whole folder.
    let from = in_paragraph(&h, "Meanwhile, analysts have also said", 86.0);
    let to = in_paragraph(&h, "Meanwhile, analysts have also said", 245.0);
    common::drag(&mut h, from, to, Modifiers::NONE, 6);
    let selected = h.state().view().selected_span().expect("a selection");
    let text = h
        .state()
        .session()
        .expect("open")
        .article()
        .slice(selected)
        .to_owned();
    assert!(text.to_lowercase().contains("analysts"), "{text}");
    let inside = in_paragraph(&h, "Meanwhile, analysts have also said", 150.0);
    right_click_at(&mut h, inside);
    menu_item(&h, "Find in folder").click();
    common::step_until(&mut h, "the review with the search", |app| {
        app.showing_review()
            && app.library().is_some_and(|l| !l.busy())
            && app
                .review()
                .is_some_and(|r| r.index.is_some() && !r.filter.search.is_empty())
    });
    h.run_steps(3);
    let review = h.state().review().expect("review");
    assert_eq!(
        review.filter.search,
        text.split_whitespace().collect::<Vec<_>>().join(" ")
    );
    assert_eq!(
        review.rows.len(),
        1,
        "the other article's claim has the words"
    );

    // Back in the article, a row of the list opens the review at its claim, filters cleared.
    h.key_press_modifiers(Modifiers::COMMAND, Key::R);
    h.run_steps(3);
    let at = h
        .get_by(|n| {
            n.role() == Role::Button && n.label().is_some_and(|l| l.starts_with("Source: “The"))
        })
        .rect()
        .center();
    right_click_at(&mut h, at);
    menu_item(&h, "Open in review").click();
    common::step_until(&mut h, "the review at the claim", |app| {
        app.showing_review()
            && app.review().is_some_and(|r| {
                r.filter.search.is_empty()
                    && r.current()
                        .and_then(|c| r.index.as_ref().map(|i| i.claims.id(c).to_owned()))
                        .as_deref()
                        == Some(first.as_str())
            })
    });
    assert_eq!(
        h.state().review().expect("review").rows.len(),
        3,
        "every claim"
    );
}
