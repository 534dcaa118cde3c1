//! The bundled sample articles: embedded in the binary and copied, on first start, into the
//! user's data folder (so that annotating them never writes into the source tree).

use std::path::PathBuf;

const SAMPLES: &[(&str, &str)] = &[
    (
        "01_harbour_dispute.txt",
        include_str!("../assets/samples/01_harbour_dispute.txt"),
    ),
    (
        "02_grain_corridor.txt",
        include_str!("../assets/samples/02_grain_corridor.txt"),
    ),
    (
        "03_long_inquiry_report.txt",
        include_str!("../assets/samples/03_long_inquiry_report.txt"),
    ),
];

/// `$XDG_DATA_HOME/claimmark/samples` (or `~/.local/share/…`, or the temp folder).
pub fn folder() -> PathBuf {
    let base = std::env::var_os("XDG_DATA_HOME")
        .map(PathBuf::from)
        .filter(|p| p.is_absolute())
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".local").join("share")))
        .unwrap_or_else(std::env::temp_dir);
    base.join("claimmark").join("samples")
}

/// Why the samples could not be installed.
#[derive(Debug, thiserror::Error)]
pub enum SamplesError {
    #[error("cannot create {}: {source}", path.display())]
    CreateFolder {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("cannot write {}: {source}", path.display())]
    Write {
        path: PathBuf,
        source: std::io::Error,
    },
}

/// Writes any missing sample article (never overwriting one) and returns the folder.
pub fn install() -> Result<PathBuf, SamplesError> {
    let dir = folder();
    if let Err(source) = std::fs::create_dir_all(&dir) {
        return Err(SamplesError::CreateFolder { path: dir, source });
    }
    for (name, text) in SAMPLES {
        let path = dir.join(name);
        if !path.exists()
            && let Err(source) = crate::storage::write_atomic(&path, text.as_bytes())
        {
            return Err(SamplesError::Write { path, source });
        }
    }
    Ok(dir)
}
