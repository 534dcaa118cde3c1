//! The folder's source registry: `claimmark.sources.ron` next to the articles.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::sidecar::RonError;
use crate::model::{InvalidRegistry, Source, SourceRegistry};

pub const SOURCES_FILE: &str = "claimmark.sources.ron";
pub const SOURCES_VERSION: u32 = 1;

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct SourcesFile {
    version: u32,
    sources: Vec<Source>,
}

/// Why a folder's source registry was not read or not saved; the message names the file.
#[derive(Debug, thiserror::Error)]
pub enum SourcesError {
    #[error("cannot read source registry {}: {source}", path.display())]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("source registry {}: {source}", path.display())]
    Invalid { path: PathBuf, source: ParseError },
    /// Not saved: the registry breaks a rule (nothing was written).
    #[error(transparent)]
    Rules(#[from] InvalidRegistry),
    #[error("cannot save {}: {source}", path.display())]
    Save {
        path: PathBuf,
        source: std::io::Error,
    },
}

/// Why a source registry file's text is not a registry ([`parse`]).
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ParseError {
    #[error(transparent)]
    Syntax(#[from] RonError),
    #[error("format version {0} is not supported (this build reads {SOURCES_VERSION})")]
    Version(u32),
    #[error(transparent)]
    Rules(#[from] InvalidRegistry),
}

pub fn parse(text: &str) -> Result<SourceRegistry, ParseError> {
    let file: SourcesFile =
        ron::from_str(super::read::without_bom(text)).map_err(RonError::from)?;
    if file.version != SOURCES_VERSION {
        return Err(ParseError::Version(file.version));
    }
    let reg = SourceRegistry {
        sources: file.sources,
    };
    reg.validate()?;
    Ok(reg)
}

pub fn to_ron(reg: &SourceRegistry) -> String {
    let file = SourcesFile {
        version: SOURCES_VERSION,
        sources: reg.sources.clone(),
    };
    let mut out =
        ron::ser::to_string_pretty(&file, ron::ser::PrettyConfig::default().indentor("  "))
            .unwrap_or_default();
    out.push('\n');
    out
}

/// The registry of a folder; an empty one if the folder has none.
pub fn load_for_folder(dir: &Path) -> Result<SourceRegistry, SourcesError> {
    let path = dir.join(SOURCES_FILE);
    match super::read::read_text_if_exists(&path, super::read::MAX_FOLDER_FILE_BYTES) {
        Ok(Some(text)) => parse(&text).map_err(|source| SourcesError::Invalid { path, source }),
        Ok(None) => Ok(SourceRegistry::default()),
        Err(e) => Err(SourcesError::Io {
            path,
            source: e.into(),
        }),
    }
}

/// Writes the folder's registry atomically.
pub fn save_for_folder(dir: &Path, reg: &SourceRegistry) -> Result<(), SourcesError> {
    reg.validate()?;
    let path = dir.join(SOURCES_FILE);
    super::write_atomic(&path, to_ron(reg).as_bytes())
        .map_err(|source| SourcesError::Save { path, source })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Reliability;

    #[test]
    fn registry_round_trips_through_its_file() {
        let dir = tempfile::tempdir().expect("tempdir");
        assert_eq!(
            load_for_folder(dir.path()).expect("empty"),
            SourceRegistry::default()
        );
        let mut kcna = Source::named("Korean Central News Agency");
        kcna.aliases = vec!["KCNA".into()];
        kcna.reliability = Some(Reliability::C);
        let reg = SourceRegistry {
            sources: vec![kcna, Source::named("India Today")],
        };
        save_for_folder(dir.path(), &reg).expect("save");
        assert_eq!(load_for_folder(dir.path()).expect("load"), reg);
        std::fs::write(
            dir.path().join(SOURCES_FILE),
            "(version: 1, sources: [(name: 3)])",
        )
        .expect("write");
        let err = load_for_folder(dir.path()).expect_err("broken").to_string();
        assert!(
            err.contains(SOURCES_FILE) && err.contains("line 1"),
            "{err}"
        );
    }
}
