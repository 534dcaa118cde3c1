//! Taguette's CSV exports, told apart by their header.
//!
//! - Highlights (`id, document, tag, content`): one row per highlight and tag; the rows of
//!   one highlight (`id`) become one annotation with all its tags. The document is the
//!   article of that name in the folder (with or without its extension); the content is the
//!   quote, found in the article by its words (Taguette keeps no offsets). An empty `tag` is a
//!   highlight without tags (see `--tag`). Tag paths use Taguette's `.` (`Claim.Statistic`).
//! - Codebook (`tag, description, number of highlights, number of documents`): the tags,
//!   nested by their `.` path, for the codebook of the folder imported into.
//!
//! Every row that cannot be read is listed; the others are imported.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use super::{Batch, DefinedTag, Incoming, InputError, path_names, read_text};
use crate::model::Fragment;

pub fn read(input: &Path) -> Result<Batch, InputError> {
    let text = read_text(input)?;
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .from_reader(text.as_bytes());
    let header: Vec<String> = reader
        .headers()
        .map_err(|source| InputError::NotCsv {
            origin: format!("{} line 1", input.display()),
            source,
        })?
        .iter()
        .map(|h| h.trim().to_lowercase())
        .collect();
    let column = |name: &str| header.iter().position(|h| h == name);
    let base = crate::storage::atomic::folder_of(input).to_owned();
    match (column("document"), column("tag"), column("content")) {
        (Some(document), Some(tag), Some(content)) => {
            let columns = Columns {
                id: column("id"),
                document,
                tag,
                content,
            };
            Ok(highlights(input, &base, reader, &columns))
        }
        _ => match (column("tag"), column("description")) {
            (Some(tag), description) => Ok(codebook(input, &base, reader, tag, description)),
            _ => Err(InputError::UnknownColumns {
                path: input.to_owned(),
                header: header.join(", "),
            }),
        },
    }
}

/// Where the highlight file's fields are.
struct Columns {
    id: Option<usize>,
    document: usize,
    tag: usize,
    content: usize,
}

fn highlights(
    input: &Path,
    base: &Path,
    mut reader: csv::Reader<&[u8]>,
    columns: &Columns,
) -> Batch {
    let mut batch = Batch::default();
    // Taguette's highlight id -> index into items.
    let mut by_id: HashMap<String, usize> = HashMap::new();
    // Document name -> article file: the folder is listed once, not once per row.
    let mut articles: HashMap<String, PathBuf> = HashMap::new();
    let files = crate::import::list_folder(base).unwrap_or_default();
    for (n, row) in reader.records().enumerate() {
        let origin = format!("{} line {}", input.display(), n + 2);
        let row = match row {
            Ok(row) => row,
            Err(source) => {
                batch.refused.push(InputError::NotCsv { origin, source });
                continue;
            }
        };
        let field = |i: usize| row.get(i).unwrap_or_default().to_owned();
        let (document, tag, content) = (
            field(columns.document),
            field(columns.tag),
            field(columns.content),
        );
        if content.trim().is_empty() {
            batch.refused.push(InputError::NoFragments { origin });
            continue;
        }
        let id = columns.id.map(field).filter(|id| !id.trim().is_empty());
        let key = id.clone().map(|id| format!("{document}\u{0}{id}"));
        if let Some(&i) = key.as_ref().and_then(|k| by_id.get(k)) {
            let item: &mut Incoming = &mut batch.items[i];
            if !tag.trim().is_empty() && !item.tags.contains(&tag) {
                item.tags.push(tag);
            }
            continue;
        }
        batch.items.push(Incoming {
            article: articles
                .entry(document.clone())
                .or_insert_with(|| article_named(&document, base, &files))
                .clone(),
            base: base.to_owned(),
            id: None,
            tags: if tag.trim().is_empty() {
                Vec::new()
            } else {
                vec![tag]
            },
            fragments: vec![Fragment {
                quote: content,
                ..Default::default()
            }],
            origin,
            ..Default::default()
        });
        if let Some(key) = key {
            by_id.insert(key, batch.items.len() - 1);
        }
    }
    batch
}

/// The file a Taguette document name stands for in `base`: the name itself, else the one
/// file whose name without its extension is the document's name (Taguette names a document
/// after its file without the extension). The name as given when there is none, so that the
/// report says which document was not found.
fn article_named(document: &str, base: &Path, files: &[PathBuf]) -> PathBuf {
    let named = PathBuf::from(document);
    if base.join(&named).is_file() {
        return named;
    }
    let mut same_stem = files.iter().filter(|f| {
        f.file_stem()
            .is_some_and(|s| s.to_string_lossy().trim() == document.trim())
    });
    match (same_stem.next(), same_stem.next()) {
        (Some(one), None) => one.file_name().map(PathBuf::from).unwrap_or(named),
        _ => named,
    }
}

fn codebook(
    input: &Path,
    base: &Path,
    mut reader: csv::Reader<&[u8]>,
    tag: usize,
    description: Option<usize>,
) -> Batch {
    let mut batch = Batch::default();
    for (n, row) in reader.records().enumerate() {
        let origin = format!("{} line {}", input.display(), n + 2);
        let row = match row {
            Ok(row) => row,
            Err(source) => {
                batch.refused.push(InputError::NotCsv { origin, source });
                continue;
            }
        };
        let name = row.get(tag).unwrap_or_default();
        let path: Vec<String> = path_names(name).into_iter().map(str::to_owned).collect();
        if path.is_empty() {
            batch.refused.push(InputError::NotImported {
                origin,
                what: "a tag without a name".into(),
            });
            continue;
        }
        batch.codebook.push(DefinedTag {
            base: base.to_owned(),
            path,
            description: description
                .and_then(|d| row.get(d))
                .unwrap_or_default()
                .to_owned(),
        });
    }
    batch
}
