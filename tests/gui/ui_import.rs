//! The articles analysts receive, in the real app (egui_kittest, headless): a folder of saved
//! news pages, PDFs, Word files and legacy-encoded text in several languages opens; each
//! article shows its title and date; every script is drawn with real glyphs (kittest panics on
//! a character no font has, and the fonts come from the system as in the app); claims are
//! marked on Arabic and Korean text, by mouse and by keyboard, and exported with exact offsets.

use crate::common;

use std::path::{Path, PathBuf};

use claimmark::export;
use common::{
    drag, find_and_tag, harness_with_system_fonts, harness_with_system_fonts_sized, settle,
    step_until,
};
use egui::{Key, Modifiers, Pos2};
use egui_kittest::kittest::Queryable;

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/import")
        .join(name)
}

/// Every article fixture (not the generators), copied into `dir`.
fn folder_of_everything(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(fixture("")).expect("fixtures") {
        let path = entry.expect("entry").path();
        let name = path
            .file_name()
            .expect("name")
            .to_string_lossy()
            .into_owned();
        if name.starts_with("make_") {
            continue;
        }
        let to = dir.join(&name);
        std::fs::copy(&path, &to).expect("copy");
        out.push(to);
    }
    out.sort();
    out
}

#[test]
fn a_folder_of_pages_pdfs_word_files_and_legacy_text_opens_with_titles_and_dates() {
    let dir = tempfile::tempdir().expect("tempdir");
    let files = folder_of_everything(dir.path());
    // Tall enough for the article list to draw every fixture (rows are clicked below).
    let mut h = harness_with_system_fonts_sized(vec![dir.path().to_owned()], 1400.0, 1600.0);
    // The library lists every article (unreadable ones marked "(!)" once the background
    // scan has read them), and the scan gives each its own title.
    for f in &files {
        let name = f.file_name().expect("name").to_string_lossy().into_owned();
        assert!(
            h.query_all_by_label_contains(&name).next().is_some(),
            "{name} listed"
        );
    }
    step_until(&mut h, "the scan's titles", |app| {
        app.review().is_some_and(|r| r.index.is_some())
    });
    h.run_steps(3);
    for title in [
        "Harbour towns brace for tidal barrier vote",
        "해안 도시 세 곳, 방조제 건설 놓고 목요일 표결",
        "Harbour dredging plan splits Northbridge council",
        "Statement on the Eastern Quay dredging review",
    ] {
        assert!(
            h.query_all_by_label_contains(title).next().is_some(),
            "the library shows the title {title}"
        );
    }
    // Each article opens and reads cleanly: its own text, title and date; the scanned PDF is
    // explained, and the app keeps running.
    let cases: &[(&str, &str, Option<&str>)] = &[
        (
            "page_en_news.html",
            "Councillors in Eastby, Westwick and Port Alder",
            Some("2024-03-05"),
        ),
        (
            "page_fr_legacy.html",
            "« Nous ne pouvons plus attendre la prochaine tempête pour agir »",
            None,
        ),
        ("page_ja_sjis.html", "沿岸の3市は7日", None),
        (
            "pdf_en_report.pdf",
            "Harbour dredging plan splits Northbridge council",
            Some("2024-03-05"),
        ),
        ("pdf_ru_article.pdf", "Городской совет Северограда", None),
        ("docx_ko_memo.docx", "내부 메모: 항만 준설 검토", None),
        (
            "text_ko_euckr.txt",
            "국토교통부 대변인은 기자들에게",
            Some("2024-03-05"),
        ),
        ("text_zh_gb18030.txt", "交通部周二表示", None),
        ("text_ar_utf16le.txt", "قالت وزارة النقل", None),
        ("text_he_cp1255.txt", "משרד התחבורה הודיע", None),
        ("text_th_tis620.txt", "กระทรวงคมนาคม", None),
        ("text_hi_utf16be.txt", "परिवहन मंत्रालय", None),
    ];
    for (name, words, date) in cases {
        h.query_all_by_label(name).next().expect("listed").click();
        // Articles are read on a worker thread; a quick one lands in the same frame.
        step_until(&mut h, name, |app| {
            app.session().is_some_and(|s| &s.file_name() == name)
        });
        h.run_steps(2);
        let session = h.state().session().expect("an article is open");
        assert_eq!(&session.file_name(), name);
        assert!(
            session.read_only().is_none(),
            "{name}: {:?}",
            session.read_only()
        );
        assert!(
            session.article().text.contains(words),
            "{name}: {}",
            &session.article().text[..200.min(session.article().text.len())]
        );
        assert!(
            h.query_all_by_label_contains(words).next().is_some(),
            "{name}: the paragraph is on screen"
        );
        if let Some(date) = date {
            assert!(
                h.query_all_by_label(&format!("Dated {date}"))
                    .next()
                    .is_some(),
                "{name}: dated {date}"
            );
        }
    }
    // The scan marks it as needing attention in the list: "(!) pdf_scanned.pdf".
    h.query_all_by_label("(!) pdf_scanned.pdf")
        .next()
        .expect("listed, marked")
        .click();
    settle(&mut h);
    assert!(
        h.state()
            .message()
            .is_some_and(|m| m.contains("pdf_scanned.pdf") && m.contains("no text layer")),
        "{:?}",
        h.state().message()
    );
}

#[test]
fn every_script_is_drawn_with_real_glyphs() {
    let mut h = egui_kittest::Harness::builder()
        .with_size(egui::vec2(1400.0, 2600.0))
        .build_eframe(|cc| {
            cc.egui_ctx.add_font_provider(std::sync::Arc::new(
                egui_system_font_provider::SystemFontProvider::new(),
            ));
            claimmark::app::ClaimmarkApp::new(cc, vec![fixture("md_scripts.md")])
        });
    settle(&mut h);
    // Every paragraph was laid out and drawn (a missing glyph would have panicked).
    for words in [
        "정부는 항구가",
        "政府は、港が",
        "政府表示，港口将于周一重新开放",
        "รัฐบาลระบุว่าท่าเรือ",
        "सरकार ने कहा कि बंदरगाह",
        "قالت الحكومة إن الميناء",
        "הממשלה אמרה שהנמל",
        "Правительство заявило",
        "Cafe\u{301}",
        "𝐀𝐁𝐂 and 🇰🇷",
        "👩🏽‍💻",
    ] {
        assert!(
            h.query_all_by_label_contains(words).next().is_some(),
            "{words} is on screen"
        );
    }
}

#[test]
fn claims_are_marked_on_arabic_and_korean_text_and_exported_with_exact_offsets() {
    let dir = tempfile::tempdir().expect("tempdir");
    let ar = dir.path().join("page_ar_news.html");
    let ko = dir.path().join("page_ko_news.html");
    std::fs::copy(fixture("page_ar_news.html"), &ar).expect("copy");
    std::fs::copy(fixture("page_ko_news.html"), &ko).expect("copy");

    // Arabic, by mouse: a right-to-left paragraph starts at the right, so a drag from its
    // right edge leftwards selects its first words.
    let mut h = harness_with_system_fonts(vec![ar.clone()]);
    let first_body = "تصوّت ثلاث مدن ساحلية";
    let rect = h
        .query_all_by_label_contains(first_body)
        .next()
        .expect("paragraph exposed to accessibility")
        .rect();
    let y = rect.top() + 10.0;
    drag(
        &mut h,
        Pos2::new(rect.right() - 1.0, y),
        Pos2::new(rect.right() - rect.width() * 0.4, y),
        Modifiers::NONE,
        10,
    );
    let (selected, paragraph) = {
        let s = h.state().session().expect("open");
        let sel = h.state().view().selected_span().expect("a drag selects");
        let block = s.article().blocks[s.article().block_at(sel.start)].chars;
        (
            s.article().slice(sel).to_owned(),
            s.article().slice(block).to_owned(),
        )
    };
    assert!(
        selected.chars().count() > 5 && paragraph.starts_with(&selected),
        "the first words, in logical order: {selected:?}"
    );
    h.key_press(Key::Num1);
    h.run_steps(2);
    // Arabic, by keyboard: find and tag a phrase in the middle of a paragraph.
    find_and_tag(&mut h, "حاجز للمد عبر المصب", Key::Num2).expect("tagged");
    common::wait_saved(&mut h);
    drop(h);

    // Korean, by keyboard.
    let mut h = harness_with_system_fonts(vec![ko.clone()]);
    find_and_tag(&mut h, "480억 원 규모의 방조제 건설 예산", Key::Num1).expect("tagged");
    common::wait_saved(&mut h);
    drop(h);

    // Exported offsets are code points into the canonical text, which `show` prints.
    let out = dir.path().join("claims.jsonl");
    let options = export::Options {
        format: export::Format::Jsonl,
        output: Some(out.clone()),
        filter: export::Filter::default(),
        bom: false,
        taguette: false,
    };
    let summary =
        export::run(&[ar.clone(), ko.clone()], &options, &mut |_, _| true).expect("exported");
    assert_eq!(summary.annotations, 3);
    let exported = std::fs::read_to_string(&out).expect("read");
    let mut quotes = Vec::new();
    for line in exported.lines() {
        let v: serde_json::Value = serde_json::from_str(line).expect("json");
        let path = PathBuf::from(v["article"].as_str().expect("article"));
        let text = claimmark::import::read_article(&path).expect("reads").text;
        let chars: Vec<char> = text.chars().collect();
        let (start, end) = (
            v["start"].as_u64().expect("start") as usize,
            v["end"].as_u64().expect("end") as usize,
        );
        let quote: String = chars[start..end].iter().collect();
        assert_eq!(quote, v["quote"].as_str().expect("quote"));
        quotes.push(quote);
    }
    assert!(quotes.contains(&selected), "{quotes:?}");
    assert!(quotes.iter().any(|q| q == "حاجز للمد عبر المصب"));
    assert!(
        quotes
            .iter()
            .any(|q| q == "480억 원 규모의 방조제 건설 예산")
    );
}
