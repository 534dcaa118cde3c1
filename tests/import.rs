//! Every format through the CLI, as a script would use it: `claimmark show FILE --format
//! text|json` prints the canonical text or the metadata; bad input gets a clear message naming
//! the file and a non-zero exit, and nothing is written next to it.

mod common;

use std::path::{Path, PathBuf};

use common::claimmark;

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/import")
        .join(name)
}

fn show_json(path: &Path) -> serde_json::Value {
    let out = claimmark(&["show", path.to_str().expect("utf-8"), "--format", "json"]);
    assert!(
        out.status.success(),
        "{}: {}",
        path.display(),
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("json")
}

/// File, format, encoding, title, date (the day), URL.
type Case = (
    &'static str,
    &'static str,
    Option<&'static str>,
    Option<&'static str>,
    Option<&'static str>,
    Option<&'static str>,
);

#[test]
fn show_prints_metadata_and_provenance_for_every_format() {
    let cases: &[Case] = &[
        (
            "page_en_news.html",
            "html",
            Some("UTF-8"),
            Some("Harbour towns brace for tidal barrier vote"),
            Some("2024-03-05"),
            Some("https://www.northgate-ledger.example/news/2024/03/05/tidal-barrier-vote"),
        ),
        (
            "page_fr_legacy.html",
            "html",
            Some("windows-1252"),
            Some("Le conseil régional vote un budget de 12 M€ pour les digues"),
            // "05/03/2024" on a French page: day first.
            Some("2024-03-05"),
            None,
        ),
        (
            "page_ja_sjis.html",
            "html",
            Some("Shift_JIS"),
            Some("沿岸3市、防潮堤の建設を木曜に採決"),
            Some("2024-03-05"),
            None,
        ),
        (
            "pdf_en_report.pdf",
            "pdf",
            None,
            Some("Harbour dredging plan splits Northbridge council"),
            Some("2024-03-05"),
            None,
        ),
        (
            "docx_en_statement.docx",
            "docx",
            None,
            Some("Statement on the Eastern Quay dredging review"),
            Some("2024-03-06"),
            None,
        ),
        (
            "pdf_ru_article.pdf",
            "pdf",
            None,
            Some("Городской совет одобрил новый маршрут трамвая"),
            Some("2023-11-18"),
            None,
        ),
        (
            "md_scripts.md",
            "markdown",
            Some("UTF-8"),
            Some("Port reopening, as reported in nine languages"),
            Some("2024-03-05"),
            None,
        ),
        (
            "text_ko_euckr.txt",
            "text",
            Some("EUC-KR"),
            None,
            Some("2024-03-05"),
            None,
        ),
        // KOI8-U is KOI8-R plus Ukrainian letters: Russian text decodes the same.
        (
            "text_ru_koi8r.txt",
            "text",
            Some("KOI8-U"),
            None,
            None,
            None,
        ),
        (
            "text_ja_sjis.txt",
            "text",
            Some("Shift_JIS"),
            None,
            None,
            None,
        ),
        ("text_zh_gb18030.txt", "text", Some("GBK"), None, None, None),
        (
            "text_fr_cp1252.txt",
            "text",
            Some("windows-1252"),
            None,
            None,
            None,
        ),
        (
            "text_he_cp1255.txt",
            "text",
            Some("windows-1255"),
            None,
            None,
            None,
        ),
        (
            "text_th_tis620.txt",
            "text",
            Some("windows-874"),
            None,
            None,
            None,
        ),
        (
            "text_ar_utf16le.txt",
            "text",
            Some("UTF-16LE"),
            None,
            None,
            None,
        ),
        (
            "text_hi_utf16be.txt",
            "text",
            Some("UTF-16BE"),
            None,
            None,
            None,
        ),
    ];
    for (name, format, encoding, title, date, url) in cases {
        let v = show_json(&fixture(name));
        assert_eq!(v["format"], *format, "{name}");
        assert_eq!(v["encoding"].as_str(), *encoding, "{name}");
        assert_eq!(
            v["extractor"].as_str().map(|e| e.starts_with(format)),
            Some(true)
        );
        if title.is_some() {
            assert_eq!(v["title"].as_str(), *title, "{name}");
        }
        assert_eq!(v["date"].as_str(), *date, "{name}");
        if url.is_some() {
            assert_eq!(v["url"].as_str(), *url, "{name}");
        }
        let text = v["text"].as_str().expect("text");
        assert!(!text.contains('\r') && !text.contains('\u{feff}'), "{name}");
        assert_eq!(
            v["characters"].as_u64(),
            Some(text.chars().count() as u64),
            "{name}: offsets are code points"
        );
        let file = std::fs::read(fixture(name)).expect("read");
        assert_eq!(
            v["file_fingerprint"].as_str(),
            Some(claimmark::model::article::fingerprint_of_bytes(&file).as_str())
        );
    }
    // Page offsets point at the page's text.
    let v = show_json(&fixture("pdf_en_report.pdf"));
    let pages: Vec<usize> = v["pages"]
        .as_array()
        .expect("pages")
        .iter()
        .map(|p| p.as_u64().expect("offset") as usize)
        .collect();
    assert_eq!(pages.len(), 3);
    assert!(pages.windows(2).all(|w| w[0] < w[1]));
}

#[test]
fn show_prints_the_canonical_text_of_a_legacy_file() {
    let out = claimmark(&[
        "show",
        fixture("text_fr_cp1252.txt").to_str().expect("utf-8"),
    ]);
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).expect("UTF-8 out");
    assert!(text.starts_with(
        "Le ministère des Transports a déclaré mardi que le port rouvrirait lundi.\n\n« Toutes"
    ));
    assert!(text.contains("12 millions d'€") && text.contains("l'œuvre"));
}

#[test]
fn bad_files_get_a_clear_message_naming_them_and_nothing_is_written() {
    let dir = tempfile::tempdir().expect("tempdir");
    let binary = dir.path().join("photo.txt");
    std::fs::write(&binary, b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00").expect("write");
    let other = dir.path().join("notes.odt");
    std::fs::write(&other, b"PK\x03\x04").expect("write");
    let fake_pdf = dir.path().join("fake.pdf");
    std::fs::write(&fake_pdf, b"%PDF-1.7\n garbage").expect("write");
    let big = dir.path().join("huge.txt");
    std::fs::File::create(&big)
        .and_then(|f| f.set_len(65 * 1024 * 1024))
        .expect("sparse file");
    let cases: &[(&Path, &str)] = &[
        (&binary, "looks like a binary file"),
        (&other, "not an article Claimmark can open"),
        (&fake_pdf, "cannot open"),
        (&big, "larger than 64 MiB"),
        (&fixture("pdf_scanned.pdf"), "no text layer"),
        (&fixture("pdf_encrypted.pdf"), "password"),
    ];
    for (path, says) in cases {
        let out = claimmark(&["show", path.to_str().expect("utf-8")]);
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(!out.status.success(), "{}", path.display());
        let name = path.file_name().expect("name").to_string_lossy();
        assert!(err.contains(says) && err.contains(&*name), "{err}");
        // `add` refuses the same way and writes no sidecar.
        let out = claimmark(&[
            "add",
            path.to_str().expect("utf-8"),
            "--quote",
            "x",
            "--tag",
            "claim",
        ]);
        assert!(!out.status.success());
        assert!(!claimmark::storage::sidecar::sidecar_path(path).exists());
    }
}
