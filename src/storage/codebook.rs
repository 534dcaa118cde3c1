//! Codebook files: `claimmark.codebook.ron` in an articles' folder overrides the default
//! codebook that ships in `assets/codebook.ron`.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::sidecar::RonError;
use crate::model::{Codebook, InvalidCodebook, Tag};

/// The file name of a folder's own codebook.
pub const CODEBOOK_FILE: &str = "claimmark.codebook.ron";

/// The codebook format version this build writes. Version 2 added `parent` (tag hierarchy);
/// version 1 files still load.
pub const CODEBOOK_VERSION: u32 = 2;

const DEFAULT_CODEBOOK: &str = include_str!("../../assets/codebook.ron");

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct CodebookFile {
    version: u32,
    tags: Vec<Tag>,
}

/// Why a folder's codebook was not read or not saved; the message names the file.
#[derive(Debug, thiserror::Error)]
pub enum CodebookError {
    #[error("cannot read codebook {}: {source}", path.display())]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("codebook {}: {source}", path.display())]
    Invalid { path: PathBuf, source: ParseError },
    /// Not saved: the codebook breaks a rule (nothing was written).
    #[error(transparent)]
    Rules(#[from] InvalidCodebook),
    #[error("cannot save {}: {source}", path.display())]
    Save {
        path: PathBuf,
        source: std::io::Error,
    },
}

/// Why a codebook file's text is not a codebook ([`parse`]).
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ParseError {
    #[error(transparent)]
    Syntax(#[from] RonError),
    #[error("format version {0} is not supported (this build reads {CODEBOOK_VERSION})")]
    Version(u32),
    #[error(transparent)]
    Rules(#[from] InvalidCodebook),
}

/// Parses a codebook file's text.
pub fn parse(text: &str) -> Result<Codebook, ParseError> {
    let file: CodebookFile =
        ron::from_str(super::read::without_bom(text)).map_err(RonError::from)?;
    if !(1..=CODEBOOK_VERSION).contains(&file.version) {
        return Err(ParseError::Version(file.version));
    }
    let cb = Codebook { tags: file.tags };
    cb.validate()?;
    Ok(cb)
}

/// The codebook that ships with the app.
pub fn default_codebook() -> Codebook {
    match parse(DEFAULT_CODEBOOK) {
        Ok(cb) => cb,
        // A unit test proves the embedded codebook parses; this is unreachable in a release.
        Err(_) => Codebook { tags: Vec::new() },
    }
}

/// The codebook for articles in `dir`: the folder's own file if there is one, else the default.
pub fn load_for_folder(dir: &Path) -> Result<Codebook, CodebookError> {
    let path = dir.join(CODEBOOK_FILE);
    match super::read::read_text_if_exists(&path, super::read::MAX_FOLDER_FILE_BYTES) {
        Ok(Some(text)) => parse(&text).map_err(|source| CodebookError::Invalid { path, source }),
        Ok(None) => Ok(default_codebook()),
        Err(e) => Err(CodebookError::Io {
            path,
            source: e.into(),
        }),
    }
}

/// Writes a folder's codebook atomically (the codebook editor's Save).
pub fn save_for_folder(dir: &Path, cb: &Codebook) -> Result<(), CodebookError> {
    cb.validate()?;
    let path = dir.join(CODEBOOK_FILE);
    super::write_atomic(&path, to_ron(cb).as_bytes())
        .map_err(|source| CodebookError::Save { path, source })
}

/// The text of a codebook file.
pub fn to_ron(cb: &Codebook) -> String {
    let file = CodebookFile {
        version: CODEBOOK_VERSION,
        tags: cb.tags.clone(),
    };
    let mut out =
        ron::ser::to_string_pretty(&file, ron::ser::PrettyConfig::default().indentor("  "))
            .unwrap_or_default();
    out.push('\n');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_default_codebook_parses_and_starts_with_claim_on_key_1() {
        let cb = parse(DEFAULT_CODEBOOK).expect("default codebook parses");
        assert_eq!(cb.tags[0].id, "claim");
        assert_eq!(cb.tags[0].name, "Claim");
        assert_eq!(cb.tags[0].hotkey, Some(1));
        assert!(cb.tags.iter().all(|t| !t.description.is_empty()));
    }

    #[test]
    fn a_folder_codebook_overrides_the_default() {
        let dir = tempfile::tempdir().expect("tempdir");
        let mut cb = default_codebook();
        cb.tags.truncate(1);
        cb.tags[0].name = "Assertion".into();
        std::fs::write(dir.path().join(CODEBOOK_FILE), to_ron(&cb)).expect("write");
        let loaded = load_for_folder(dir.path()).expect("loads");
        assert_eq!(loaded, cb);
    }

    #[test]
    fn version_1_codebooks_still_load() {
        let v1 = "(version: 1, tags: [(id: \"c\", name: \"C\", color: \"#000000\", hotkey: Some(1), description: \"d\")])";
        let cb = parse(v1).expect("version 1 loads");
        assert_eq!(cb.tags[0].parent, None);
        assert_eq!(
            parse(&v1.replace("version: 1", "version: 9")),
            Err(ParseError::Version(9))
        );
    }

    #[test]
    fn a_broken_codebook_names_the_file() {
        let dir = tempfile::tempdir().expect("tempdir");
        std::fs::write(dir.path().join(CODEBOOK_FILE), "(version: 1, tags: [(id: ").expect("write");
        let err = load_for_folder(dir.path()).expect_err("broken");
        assert!(err.to_string().contains(CODEBOOK_FILE), "{err}");
        assert!(
            matches!(
                err,
                CodebookError::Invalid {
                    source: ParseError::Syntax(_),
                    ..
                }
            ),
            "{err:?}"
        );
    }
}
