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

/// Writes any missing sample article (never overwriting one) and returns the folder.
pub fn install() -> Result<PathBuf, String> {
    let dir = folder();
    std::fs::create_dir_all(&dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    for (name, text) in SAMPLES {
        let path = dir.join(name);
        if !path.exists() {
            crate::storage::write_atomic(&path, text.as_bytes())
                .map_err(|e| format!("cannot write {}: {e}", path.display()))?;
        }
    }
    Ok(dir)
}
