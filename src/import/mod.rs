//! Importers: one file per format, each turning a file's bytes into an [`Article`].
//!
//! Importers read; they never write, execute or fetch anything. Every failure is an
//! [`ImportError`] that names the file.

pub mod plain;

use std::path::{Path, PathBuf};

use crate::model::Article;

/// Files larger than this are refused with a clear message rather than read.
pub const MAX_ARTICLE_BYTES: u64 = 64 * 1024 * 1024;

/// File extensions opened as articles.
pub const ARTICLE_EXTENSIONS: &[&str] = &["txt", "md", "markdown"];

#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    #[error("cannot read {}: {source}", path.display())]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{} is {size} bytes; articles larger than {} MiB are not opened", path.display(), MAX_ARTICLE_BYTES / 1024 / 1024)]
    TooLarge { path: PathBuf, size: u64 },
    #[error("{} looks like a binary file, not an article", path.display())]
    Binary { path: PathBuf },
    #[error("{} is not valid UTF-8 text (byte {offset})", path.display())]
    Encoding { path: PathBuf, offset: usize },
    #[error("{} is not an article Claimmark can open (supported: .txt, .md)", path.display())]
    Unsupported { path: PathBuf },
}

/// True for files that a folder listing shows as articles.
pub fn is_article_path(path: &Path) -> bool {
    let Some(name) = path.file_name().and_then(|n| n.to_str()) else {
        return false;
    };
    if name.starts_with('.') {
        return false;
    }
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| ARTICLE_EXTENSIONS.iter().any(|x| x.eq_ignore_ascii_case(e)))
}

/// Reads an article file of any supported format.
pub fn read_article(path: &Path) -> Result<Article, ImportError> {
    if !is_article_path(path) {
        return Err(ImportError::Unsupported {
            path: path.to_owned(),
        });
    }
    let io = |source| ImportError::Io {
        path: path.to_owned(),
        source,
    };
    let size = std::fs::metadata(path).map_err(io)?.len();
    if size > MAX_ARTICLE_BYTES {
        return Err(ImportError::TooLarge {
            path: path.to_owned(),
            size,
        });
    }
    let bytes = std::fs::read(path).map_err(io)?;
    plain::decode(&bytes, path)
}

/// The articles of a folder (not recursive), sorted by file name.
pub fn list_folder(dir: &Path) -> Result<Vec<PathBuf>, ImportError> {
    let io = |source| ImportError::Io {
        path: dir.to_owned(),
        source,
    };
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).map_err(io)? {
        let path = entry.map_err(io)?.path();
        if path.is_file() && is_article_path(&path) {
            out.push(path);
        }
    }
    out.sort();
    Ok(out)
}
