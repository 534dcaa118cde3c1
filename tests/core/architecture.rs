//! The core never sees egui, nor the app's modules: every rule of the product stays testable
//! headless. The compiler holds it too (the core builds without the `gui` feature, in CI);
//! this test says which file broke it, and also catches `use crate::ui` behind a `cfg`.

use std::path::Path;

fn rust_files(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("read src") {
        let path = entry.expect("entry").path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

#[test]
fn core_modules_do_not_name_egui_or_eframe() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let core = [
        "model",
        "anchoring",
        "import",
        "storage",
        "export",
        "annotation_import",
        "review",
        "job.rs",
        "library.rs",
        "session.rs",
        "samples.rs",
        "cli.rs",
    ];
    let mut files = Vec::new();
    for c in core {
        let p = src.join(c);
        if p.is_dir() {
            rust_files(&p, &mut files);
        } else {
            files.push(p);
        }
    }
    assert!(files.len() >= 10, "found the core files: {files:?}");
    for f in files {
        let text = std::fs::read_to_string(&f).expect("read");
        // Code, not comments: docs may say what a module must not touch.
        for (n, line) in text.lines().enumerate() {
            if line.trim_start().starts_with("//") {
                continue;
            }
            for word in [
                "egui",
                "eframe",
                "crate::app",
                "crate::ui",
                "crate::command",
            ] {
                assert!(
                    !line.contains(word),
                    "{}:{} names {word}: {line}",
                    f.display(),
                    n + 1
                );
            }
        }
    }
}
