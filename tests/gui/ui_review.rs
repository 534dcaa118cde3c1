//! UI tests with egui_kittest for the review of a folder: the claims table, filters (a source
//! by its alias), sorting, jumping to a claim and stepping through claims across articles with
//! J, the claim register, and the library's details.

use crate::common;

use std::path::Path;

use claimmark::app::ClaimmarkApp;
use common::{harness, settle, step_until};
use egui::{Event, Key, Modifiers, Role};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;

/// Three articles (one in a subfolder) reporting the same claim through different outlets,
/// linked "same claim as", plus other claims. Returns the folder.
fn reported_folder(dir: &Path) {
    std::fs::write(
        dir.join("claimmark.sources.ron"),
        "(version: 1, sources: [(name: \"Korean Central News Agency\", aliases: [\"KCNA\"], reliability: Some(C))])",
    )
    .expect("registry");
    std::fs::create_dir(dir.join("later")).expect("mkdir");
    let write = |rel: &str, text: &str| {
        let p = dir.join(rel);
        std::fs::write(&p, text).expect("write");
        p.to_str().expect("utf-8").to_owned()
    };
    let a = write(
        "a-yonhap.txt",
        " date 2021-06-19 Seoul. Pyongyang will test a new missile this month, state media said.\n\nAnalysts doubted the timing.\n",
    );
    let b = write(
        "b-reuters.txt",
        " date 2021-06-20 Tokyo. North Korea will test a new missile this month, KCNA reported.\n\nThe ministry said exports fell.\n",
    );
    let c = write(
        "later/c-nhk.txt",
        " date 2021-07-02 Osaka. A new missile test is planned this month, according to KCNA.\n",
    );
    let add = |article: &str, quote: &str, extra: &[&str]| {
        common::add(Path::new(article), quote, "claim", extra)
    };
    let first = add(
        &a,
        "Pyongyang will test a new missile this month",
        &[
            "--source",
            "state media",
            "--via",
            "Yonhap",
            "--grade",
            "C3",
        ],
    );
    let link = format!("same_claim_as:{first}");
    add(
        &b,
        "North Korea will test a new missile this month",
        &["--source", "KCNA", "--via", "Reuters", "--link", &link],
    );
    add(
        &c,
        "A new missile test is planned this month",
        &[
            "--source",
            "Korean Central News Agency",
            "--via",
            "NHK",
            "--link",
            &link,
        ],
    );
    add(&a, "Analysts doubted the timing", &["--status", "disputed"]);
    add(
        &b,
        "The ministry said exports fell",
        &["--source", "the ministry"],
    );
}

fn open_review(dir: &Path) -> Harness<'static, ClaimmarkApp> {
    review_in(harness(vec![dir.to_path_buf()]))
}

/// Ctrl+R in the app `h`, and the review once its scan is in.
fn review_in(mut h: Harness<'static, ClaimmarkApp>) -> Harness<'static, ClaimmarkApp> {
    h.key_press_modifiers(Modifiers::COMMAND, Key::R);
    h.run_steps(2);
    step_until(&mut h, "the folder to be scanned", |app| {
        app.library()
            .is_some_and(|l| l.index().is_some() && !l.busy())
            && app.review().is_some_and(|r| r.index.is_some())
    });
    h.run_steps(3);
    h
}

fn rows(h: &Harness<'_, ClaimmarkApp>) -> usize {
    h.state().review().map_or(0, |r| r.rows.len())
}

#[test]
fn a_source_found_by_its_alias_across_the_folder_tree_then_stepped_through_with_j() {
    let dir = tempfile::tempdir().expect("tempdir");
    reported_folder(dir.path());
    let mut h = open_review(dir.path());
    assert!(h.state().showing_review());
    assert!(h.query_by_label("5 of 5 claims in 3 articles").is_some());
    assert!(
        h.query_by_label("A new missile test is planned this month")
            .is_some(),
        "the subfolder's claim is in the table"
    );

    // Every claim attributed to KCNA, under any of its names.
    h.get_by(|n| n.role() == Role::TextInput && n.label().as_deref() == Some("Source"))
        .click();
    h.run_steps(2);
    h.event(Event::Text("kcna".into()));
    h.run_steps(3);
    assert_eq!(rows(&h), 2, "KCNA and Korean Central News Agency");
    assert!(h.query_by_label("2 of 5 claims in 3 articles").is_some());

    // Sort by article date, newest first (click the header twice).
    h.get_by_label("Date").click();
    h.run_steps(2);
    h.get_by_label("Date ˆ").click();
    h.run_steps(2);
    assert!(
        h.query_by_label("Date ˇ").is_some(),
        "the header shows the order"
    );
    let review = h.state().review().expect("review");
    let index = review.index.clone().expect("index");
    let dates: Vec<_> = review
        .rows
        .iter()
        .map(|&r| index.articles[index.claims.article(r)].date.clone())
        .collect();
    assert_eq!(
        dates,
        [Some("2021-07-02".to_owned()), Some("2021-06-20".to_owned())]
    );

    // Leave the field, step to the first row and open it: the article, the claim selected
    // and outlined.
    h.key_press(Key::Escape);
    h.run_steps(2);
    h.key_press(Key::J);
    h.run_steps(2);
    h.key_press(Key::Enter);
    settle(&mut h);
    assert!(!h.state().showing_review(), "the article is shown");
    let session = h.state().session().expect("open");
    assert!(
        session.path().ends_with("later/c-nhk.txt"),
        "{:?}",
        session.path()
    );
    let selected = h.state().selected().cloned().expect("selected");
    assert_eq!(
        session.annotations().get(&selected).map(|a| a.quote()),
        Some("A new missile test is planned this month".to_owned())
    );
    assert!(h.state().view().emphasised().is_some(), "briefly outlined");

    // J in the article opens the next claim of the list, in the next article.
    h.key_press(Key::J);
    settle(&mut h);
    let session = h.state().session().expect("open");
    assert!(
        session.path().ends_with("b-reuters.txt"),
        "{:?}",
        session.path()
    );
    let selected = h.state().selected().cloned().expect("selected");
    assert_eq!(
        session.annotations().get(&selected).map(|a| a.quote()),
        Some("North Korea will test a new missile this month".to_owned())
    );
    // K goes back.
    h.key_press(Key::K);
    settle(&mut h);
    assert!(
        h.state()
            .session()
            .is_some_and(|s| s.path().ends_with("later/c-nhk.txt"))
    );
}

#[test]
fn the_register_counts_distinct_sources_and_outlets_of_one_claim() {
    let dir = tempfile::tempdir().expect("tempdir");
    reported_folder(dir.path());
    let mut h = open_review(dir.path());
    h.get_by_label("Claim register").click();
    h.run_steps(3);
    assert!(
        h.query_by_label_contains("2 sources: ").is_some(),
        "the three reports form one claim, from state media and KCNA (two of its names)"
    );
    assert!(
        h.query_by_label_contains("3 outlets: ").is_some(),
        "Yonhap, Reuters and NHK"
    );
    assert!(h.query_by_label_contains("· 3 articles").is_some());
    // A report opens its article.
    h.get_by_label_contains("b-reuters.txt: ").click();
    settle(&mut h);
    assert!(!h.state().showing_review());
    assert!(
        h.state()
            .session()
            .is_some_and(|s| s.path().ends_with("b-reuters.txt"))
    );
}

#[test]
fn the_library_shows_dates_counts_and_a_warning_for_an_unreadable_sidecar() {
    let dir = tempfile::tempdir().expect("tempdir");
    reported_folder(dir.path());
    std::fs::write(dir.path().join("d-broken.txt"), "Some words.\n").expect("write");
    std::fs::write(
        dir.path().join("d-broken.txt.annotations.ron"),
        "(version: 3, annot",
    )
    .expect("write");
    let mut h = harness(vec![dir.path().to_path_buf()]);
    step_until(&mut h, "the folder to be scanned", |app| {
        app.review().is_some_and(|r| r.index.is_some())
    });
    h.run_steps(3);
    assert!(
        h.query_by_label("later/c-nhk.txt  •").is_some(),
        "subfolders are listed"
    );
    assert!(h.query_by_label("(!) d-broken.txt").is_some());
    assert!(
        h.query_by_label_contains("2021-06-19 · Claim 2").is_some(),
        "date and counts per tag"
    );
}

#[test]
fn export_takes_exactly_the_claims_the_review_shows() {
    let dir = tempfile::tempdir().expect("tempdir");
    reported_folder(dir.path());
    let mut h = open_review(dir.path());
    h.get_by(|n| n.role() == Role::TextInput && n.label().as_deref() == Some("Search"))
        .click();
    h.run_steps(2);
    h.event(Event::Text("missile".into()));
    h.run_steps(3);
    assert_eq!(rows(&h), 3);
    h.key_press(Key::Escape);
    h.key_press_modifiers(Modifiers::COMMAND, Key::E);
    h.run_steps(3);
    assert!(
        h.query_by_label("the review's filtered claims (3)")
            .is_some()
    );
    h.get_by(|n| n.role() == Role::ComboBox && n.value().as_deref() == Some("CSV (spreadsheets)"))
        .click();
    h.run_steps(2);
    h.get_by_label("JSON Lines").click();
    h.run_steps(2);
    h.get_by_label("Export").click();
    step_until(&mut h, "the export to finish", |app| {
        app.transfer().is_some_and(|t| t.outcome.is_some())
    });
    let text = std::fs::read_to_string(dir.path().join("claimmark-exports/claims.jsonl"))
        .expect("exported");
    let quotes: Vec<String> = text
        .lines()
        .map(|l| {
            let v: serde_json::Value = serde_json::from_str(l).expect("JSON");
            v["quote"].as_str().expect("quote").to_owned()
        })
        .collect();
    assert_eq!(quotes.len(), 3, "{quotes:?}");
    assert!(quotes.iter().all(|q| q.contains("missile")), "{quotes:?}");
}

#[test]
fn a_claim_in_a_subfolder_opens_without_losing_the_review() {
    let dir = tempfile::tempdir().expect("tempdir");
    reported_folder(dir.path());
    // Started on one article: the review covers its folder, subfolders included.
    let mut h = harness(vec![dir.path().join("a-yonhap.txt")]);
    h.key_press_modifiers(Modifiers::COMMAND, Key::R);
    h.run_steps(2);
    step_until(&mut h, "the folder to be scanned", |app| {
        app.library()
            .is_some_and(|l| l.index().is_some() && !l.busy())
            && app.review().is_some_and(|r| r.index.is_some())
    });
    h.get_by(|n| n.role() == Role::TextInput && n.label().as_deref() == Some("Search"))
        .click();
    h.run_steps(2);
    h.event(Event::Text("planned".into()));
    h.run_steps(3);
    assert_eq!(rows(&h), 1);
    h.key_press(Key::Escape);
    h.key_press(Key::J);
    h.key_press(Key::Enter);
    step_until(&mut h, "the claim's article to open", |app| {
        app.session()
            .is_some_and(|s| s.path().ends_with("later/c-nhk.txt"))
    });
    h.run_steps(3);
    assert_eq!(
        h.state().library().and_then(|l| l.root()),
        Some(dir.path()),
        "the library keeps the reviewed tree"
    );
    let review = h.state().review().expect("the review is still there");
    assert_eq!(review.rows.len(), 1, "with its filter");
}

#[test]
fn an_article_annotated_elsewhere_appears_in_the_review_and_the_list() {
    let dir = tempfile::tempdir().expect("tempdir");
    reported_folder(dir.path());
    let mut h = open_review(dir.path());
    assert_eq!(rows(&h), 5);
    // Another program adds an article and annotates it while the review is shown.
    let new = dir.path().join("later").join("d-kyodo.txt");
    std::fs::write(
        &new,
        " date 2021-07-05 Tokyo. Officials said the launch window opens next week.\n",
    )
    .expect("write");
    common::add(&new, "the launch window opens next week", "claim", &[]);
    step_until(&mut h, "the rescan to find the new claim", |app| {
        app.review().is_some_and(|r| r.rows.len() == 6)
    });
    h.run_steps(3);
    assert!(
        h.query_by_label("later/d-kyodo.txt  •").is_some(),
        "the list follows the scan"
    );
    assert!(h.query_by_label("6 of 6 claims in 4 articles").is_some());
}

/// At the default window size every column of the claims table is on screen, and a row's
/// right-click menu filters by its source.
#[test]
fn at_1280_by_800_every_column_is_on_screen_and_a_row_menu_filters_by_its_source() {
    let dir = tempfile::tempdir().expect("tempdir");
    reported_folder(dir.path());
    let mut h = review_in(common::harness_sized(
        vec![dir.path().to_path_buf()],
        1280.0,
        800.0,
    ));
    for key in claimmark::review::SortKey::ALL {
        let header = h
            .query_all_by(|n| {
                n.role() == Role::Button && n.label().is_some_and(|l| l.starts_with(key.label()))
            })
            .next()
            .unwrap_or_else(|| panic!("{} header", key.label()));
        assert!(
            header.rect().max.x <= 1280.0,
            "{} ends at {}",
            key.label(),
            header.rect().max.x
        );
    }
    assert_eq!(rows(&h), 5);
    let row = h
        .query_all_by_label_contains("The ministry said exports fell")
        .next()
        .expect("a row")
        .rect();
    let pos = row.center();
    for pressed in [true, false] {
        h.event(Event::PointerMoved(pos));
        h.event(Event::PointerButton {
            pos,
            button: egui::PointerButton::Secondary,
            pressed,
            modifiers: Modifiers::NONE,
        });
        h.step();
    }
    h.run_steps(2);
    h.get_by_label("Only claims by the ministry").click();
    h.run_steps(3);
    assert_eq!(rows(&h), 1, "filtered to the ministry's claim");
}
