//! Plain text (and, for now, Markdown shown as its source): UTF-8 with or without BOM,
//! CRLF and CR line endings normalised.

use std::path::Path;

use super::ImportError;
use crate::model::{Article, article::canonicalize};

/// Decodes a file's bytes into an article.
pub fn decode(bytes: &[u8], path: &Path) -> Result<Article, ImportError> {
    let probe = &bytes[..bytes.len().min(8192)];
    if probe.contains(&0) {
        return Err(ImportError::Binary {
            path: path.to_owned(),
        });
    }
    let text = std::str::from_utf8(bytes).map_err(|e| ImportError::Encoding {
        path: path.to_owned(),
        offset: e.valid_up_to(),
    })?;
    Ok(Article::new(canonicalize(text)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bom_and_crlf_are_normalised() {
        let a = decode(
            b"\xef\xbb\xbf date 2021-06-19 A.\r\n\r\nB.\rC.",
            Path::new("x.txt"),
        )
        .expect("decodes");
        assert_eq!(a.text, " date 2021-06-19 A.\n\nB.\nC.");
        assert_eq!(a.date.as_deref(), Some("2021-06-19"));
    }

    #[test]
    fn binary_and_invalid_utf8_are_clear_errors() {
        let e = decode(b"PK\x03\x04\x00\x00", Path::new("x.txt")).expect_err("binary");
        assert!(e.to_string().contains("x.txt"), "{e}");
        let e = decode(b"caf\xe9", Path::new("y.txt")).expect_err("latin-1");
        assert!(
            e.to_string().contains("y.txt") && e.to_string().contains("byte 3"),
            "{e}"
        );
    }
}
