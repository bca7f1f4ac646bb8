//! The instruments shipped with vsoko, embedded in the binary: a copied binary and a database URL
//! make a working server, whatever folder it runs from.

use std::path::{Path, PathBuf};

use include_dir::{Dir, include_dir};

use crate::catalog::{Catalog, TARGETS_FILE_NAME};
use crate::error::ChecklistError;

/// `checklists/` as it was when vsoko was built: `<code>/v<version>.toml`, the README, the JSON
/// Schema, and the network's targets (`targets.toml`) with theirs.
static SHIPPED: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/../../checklists");

/// Every embedded file: its path under `checklists/` and its contents.
pub fn shipped_files() -> Vec<(PathBuf, &'static [u8])> {
    let mut files = Vec::new();
    collect(&SHIPPED, &mut files);
    files.sort_by(|a, b| a.0.cmp(&b.0));
    files
}

fn collect(dir: &'static Dir<'static>, files: &mut Vec<(PathBuf, &'static [u8])>) {
    for file in dir.files() {
        files.push((file.path().to_path_buf(), file.contents()));
    }
    for sub in dir.dirs() {
        collect(sub, files);
    }
}

/// Writes the shipped files into `dir` (`vsoko checklists export`), to read or to start a new
/// version from; refuses to overwrite a file that exists with other content. The paths written.
pub fn export_shipped(dir: &Path) -> Result<Vec<PathBuf>, ChecklistError> {
    let mut written = Vec::new();
    for (path, contents) in shipped_files() {
        let target = dir.join(&path);
        let io = |source| ChecklistError::Io {
            path: target.clone(),
            source,
        };
        if let Ok(existing) = std::fs::read(&target) {
            if existing == contents {
                continue;
            }
            return Err(io(std::io::Error::new(
                std::io::ErrorKind::AlreadyExists,
                "the file exists with other content; export into an empty folder",
            )));
        }
        if let Some(parent) = target.parent() {
            std::fs::create_dir_all(parent).map_err(io)?;
        }
        std::fs::write(&target, contents).map_err(io)?;
        written.push(target);
    }
    Ok(written)
}

impl Catalog {
    /// The shipped instruments.
    pub fn shipped() -> Result<Catalog, ChecklistError> {
        let sources: Vec<(String, String)> = shipped_files()
            .into_iter()
            .filter(|(path, _)| {
                path.extension().is_some_and(|ext| ext == "toml")
                    && path
                        .file_name()
                        .is_none_or(|name| name != TARGETS_FILE_NAME)
            })
            .map(|(path, contents)| {
                (
                    format!("checklists/{}", path.display()),
                    String::from_utf8_lossy(contents).into_owned(),
                )
            })
            .collect();
        Catalog::from_sources(&sources)
    }

    /// The shipped instruments and those of `dir` (a deployment's own): a version defined in both
    /// must be the same file, or it is refused.
    pub fn shipped_and(dir: Option<&Path>) -> Result<Catalog, ChecklistError> {
        let mut catalog = Catalog::shipped()?;
        if let Some(dir) = dir {
            catalog.merge(Catalog::load_dir(dir)?, &dir.display().to_string())?;
        }
        Ok(catalog)
    }
}
