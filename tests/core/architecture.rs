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

/// The core's modules and the command line: everything but the app.
const CORE: [&str; 13] = [
    "model",
    "suggest",
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

fn core_files() -> Vec<std::path::PathBuf> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    for c in CORE {
        let p = src.join(c);
        if p.is_dir() {
            rust_files(&p, &mut files);
        } else {
            files.push(p);
        }
    }
    assert!(files.len() >= 10, "found the core files: {files:?}");
    files
}

#[test]
fn core_modules_do_not_name_egui_or_eframe() {
    for f in core_files() {
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

/// The error type of each `Result<…>` in `text`, with its line: the last of the type's
/// top-level arguments (the written-out type of a `Result<T, E>`).
fn result_error_types(text: &str) -> Vec<(usize, String)> {
    let mut out = Vec::new();
    for (at, _) in text.match_indices("Result<") {
        let mut depth = 1;
        let mut arguments = vec![String::new()];
        let mut prev = ' ';
        for c in text[at + "Result<".len()..].chars() {
            match c {
                '<' | '(' | '[' => depth += 1,
                '>' if prev != '-' => depth -= 1,
                ')' | ']' => depth -= 1,
                _ => {}
            }
            if depth == 0 {
                break;
            }
            if c == ',' && depth == 1 {
                arguments.push(String::new());
            } else if let Some(last) = arguments.last_mut() {
                last.push(c);
            }
            prev = c;
        }
        if arguments.len() == 2 {
            let line = text[..at].matches('\n').count() + 1;
            out.push((line, arguments[1].trim().to_owned()));
        }
    }
    out
}

/// Errors in the core are typed (an enum per module, `thiserror`): a caller matches on what
/// went wrong rather than on a sentence. Plain-string errors are for the app's status bar.
#[test]
fn the_core_returns_typed_errors_not_strings() {
    assert_eq!(
        result_error_types("fn f() -> Result<Vec<(u8, String)>, String> {}\nResult<(), io::Error>"),
        [(1, "String".to_owned()), (2, "io::Error".to_owned())]
    );
    let mut found = Vec::new();
    for f in core_files() {
        let text = std::fs::read_to_string(&f).expect("read");
        for (line, error) in result_error_types(&text) {
            if error == "String" {
                found.push(format!("{}:{line}", f.display()));
            }
        }
    }
    assert!(found.is_empty(), "Result<_, String> in the core: {found:?}");
}
