//! Loading instrument files from disk: single files, directories, and the catalog of all versions.
//!
//! The catalog directory layout is `<dir>/<code>/v<version>.toml`, one file per instrument version.
//! A file found while scanning a directory whose place does not match its `code` and `version` is
//! reported, as is a code + version defined twice.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::diagnostic::Diagnostic;
use crate::error::ChecklistError;
use crate::model::{Instrument, InstrumentId};

/// The outcome of checking one file.
#[derive(Debug)]
pub struct FileReport {
    /// The file checked.
    pub path: PathBuf,
    /// The instrument it defines, or every problem found in it.
    pub outcome: Result<Instrument, Vec<Diagnostic>>,
}

/// Every valid instrument version found in a directory.
#[derive(Debug, Default, Clone)]
pub struct Catalog {
    instruments: BTreeMap<InstrumentId, Instrument>,
}

/// Parses one instrument file.
pub fn load_file(path: &Path) -> Result<Instrument, ChecklistError> {
    let source = read(path)?;
    crate::parse_toml(&source, &path.display().to_string())
}

/// Checks files and directories (recursively, `*.toml`), in a stable order, reporting each file.
///
/// Files found by scanning a directory must be named `v<version>.toml` inside a directory named after
/// their code, and no code + version may appear twice among all the files checked.
pub fn check_paths(paths: &[PathBuf]) -> Result<Vec<FileReport>, ChecklistError> {
    let mut reports = Vec::new();
    for path in paths {
        if path.is_dir() {
            let mut files = Vec::new();
            collect_toml(path, &mut files)?;
            files.sort();
            for file in files {
                let mut report = check_file(&file)?;
                check_layout(&mut report);
                reports.push(report);
            }
        } else {
            reports.push(check_file(path)?);
        }
    }
    let mut first_seen: BTreeMap<InstrumentId, PathBuf> = BTreeMap::new();
    for report in &mut reports {
        let Ok(instrument) = &report.outcome else {
            continue;
        };
        if let Some(first) = first_seen.get(instrument.id()) {
            let diagnostic = Diagnostic {
                file: report.path.display().to_string(),
                line: None,
                location: String::new(),
                message: format!(
                    "{} is already defined in {}",
                    instrument.id(),
                    first.display()
                ),
                help: Some(
                    "each code + version must be defined once; raise `version` for a new version"
                        .to_owned(),
                ),
            };
            report.outcome = Err(vec![diagnostic]);
        } else {
            first_seen.insert(instrument.id().clone(), report.path.clone());
        }
    }
    // Crosswalks whose earlier version is among the files checked (a catalog checks all).
    let valid: BTreeMap<InstrumentId, Instrument> = reports
        .iter()
        .filter_map(|r| r.outcome.as_ref().ok())
        .map(|i| (i.id().clone(), i.clone()))
        .collect();
    for report in &mut reports {
        let Ok(instrument) = &report.outcome else {
            continue;
        };
        // A version checked without its earlier one (or a computed item without its source
        // instrument) is checked when the catalog loads.
        let file = report.path.display().to_string();
        let found: Vec<Diagnostic> = crosswalk_diagnostics(instrument, &valid, &file)
            .into_iter()
            .chain(source_diagnostics(instrument, &valid, &file))
            .filter(|d| d.help.as_deref() != Some(MISSING_HELP))
            .filter(|d| d.help.as_deref() != Some(SOURCE_MISSING_HELP))
            .collect();
        if !found.is_empty() {
            report.outcome = Err(found);
        }
    }
    Ok(reports)
}

const MISSING_HELP: &str = "keep every earlier version in the catalog: periods scored with it are compared through the crosswalk";

/// Problems of the crosswalk of `instrument` against the earlier version it names, looked up in
/// `known`: that version missing, or a broken promise of same content.
fn crosswalk_diagnostics(
    instrument: &Instrument,
    known: &BTreeMap<InstrumentId, Instrument>,
    file: &str,
) -> Vec<Diagnostic> {
    let Some(crosswalk) = instrument.crosswalk() else {
        return Vec::new();
    };
    let earlier = known
        .values()
        .find(|i| i.code() == instrument.code() && i.version() == crosswalk.from_version());
    let diagnostic = |message: String, help: &str| Diagnostic {
        file: file.to_owned(),
        line: None,
        location: "crosswalk".to_owned(),
        message,
        help: Some(help.to_owned()),
    };
    match earlier {
        None => vec![diagnostic(
            format!(
                "{}: the crosswalk names version {}, which is not in the catalog",
                instrument.id(),
                crosswalk.from_version()
            ),
            MISSING_HELP,
        )],
        Some(earlier) => crate::crosswalk::check_crosswalk(earlier, instrument)
            .into_iter()
            .map(|message| {
                diagnostic(
                    message,
                    "a node compared across versions must score the same content",
                )
            })
            .collect(),
    }
}

const SOURCE_MISSING_HELP: &str =
    "name an instrument of the catalog, for example instrument = \"card-ood\"";

/// Problems of the computed items of `instrument`: a source instrument the catalog does not
/// have, or a node its latest version does not have.
fn source_diagnostics(
    instrument: &Instrument,
    known: &BTreeMap<InstrumentId, Instrument>,
    file: &str,
) -> Vec<Diagnostic> {
    instrument
        .items()
        .filter_map(|entry| {
            let source = entry.item.computed()?;
            let latest = known
                .values()
                .filter(|i| i.code() == source.instrument())
                .max_by_key(|i| i.version());
            let (message, help) = match latest {
                None => (
                    format!(
                        "{}: the computed item takes its value from \"{}\", which is not in the catalog",
                        instrument.id(),
                        source.instrument()
                    ),
                    SOURCE_MISSING_HELP,
                ),
                Some(found) if !found.has_node(source.node().as_str()) => (
                    format!(
                        "{}: the computed item takes its value from node \"{}\", which {} does not have",
                        instrument.id(),
                        source.node(),
                        found.id()
                    ),
                    "name an area or an indicator of the source instrument, or its code for the total",
                ),
                Some(_) => return None,
            };
            Some(Diagnostic {
                file: file.to_owned(),
                line: None,
                location: format!(
                    "area {} → indicator {} → item {}",
                    entry.area.code(),
                    entry.indicator.code(),
                    entry.item.code()
                ),
                message,
                help: Some(help.to_owned()),
            })
        })
        .collect()
}

/// Every problem of a catalog between its instruments: each against the earlier version its
/// crosswalk names, and each computed item against its source.
fn catalog_crosswalks(
    instruments: &BTreeMap<InstrumentId, Instrument>,
    file: &str,
) -> Vec<Diagnostic> {
    instruments
        .values()
        .flat_map(|instrument| {
            crosswalk_diagnostics(instrument, instruments, file)
                .into_iter()
                .chain(source_diagnostics(instrument, instruments, file))
        })
        .collect()
}

impl Catalog {
    /// Loads every instrument under `dir`; fails with every problem if any file is invalid.
    pub fn load_dir(dir: &Path) -> Result<Catalog, ChecklistError> {
        let reports = check_paths(&[dir.to_path_buf()])?;
        let mut catalog = Catalog::default();
        let mut diagnostics = Vec::new();
        for report in reports {
            match report.outcome {
                Ok(instrument) => {
                    catalog
                        .instruments
                        .insert(instrument.id().clone(), instrument);
                }
                Err(found) => diagnostics.extend(found),
            }
        }
        if diagnostics.is_empty() {
            diagnostics = catalog_crosswalks(&catalog.instruments, &dir.display().to_string());
        }
        if diagnostics.is_empty() {
            Ok(catalog)
        } else {
            Err(ChecklistError::Invalid {
                file: dir.display().to_string(),
                diagnostics,
            })
        }
    }

    /// Builds a catalog from (label, TOML text) pairs — the embedded shipped files — checking each
    /// as a file of the directory layout `<code>/v<version>.toml` would be.
    pub(crate) fn from_sources(sources: &[(String, String)]) -> Result<Catalog, ChecklistError> {
        let mut catalog = Catalog::default();
        let mut diagnostics = Vec::new();
        for (label, source) in sources {
            match crate::validate::parse_toml(source, label) {
                Ok(instrument) => {
                    catalog
                        .instruments
                        .insert(instrument.id().clone(), instrument);
                }
                Err(found) => diagnostics.extend(found),
            }
        }
        if diagnostics.is_empty() {
            diagnostics = catalog_crosswalks(&catalog.instruments, "the shipped instruments");
        }
        if diagnostics.is_empty() {
            Ok(catalog)
        } else {
            Err(ChecklistError::Invalid {
                file: "the shipped instruments".to_owned(),
                diagnostics,
            })
        }
    }

    /// Adds the versions of `other` (loaded from `label`); a version both define must have the
    /// same content.
    pub fn merge(&mut self, other: Catalog, label: &str) -> Result<(), ChecklistError> {
        let mut diagnostics = Vec::new();
        for (id, instrument) in other.instruments {
            match self.instruments.get(&id) {
                Some(known) if known.content_hash() != instrument.content_hash() => {
                    diagnostics.push(Diagnostic {
                        file: label.to_owned(),
                        line: None,
                        location: String::new(),
                        message: format!(
                            "{id} is shipped with vsoko with other content (hash {} against {})",
                            &known.content_hash().as_str()[..12],
                            &instrument.content_hash().as_str()[..12]
                        ),
                        help: Some(
                            "a shipped version cannot be changed: save yours as a new version (raise `version`) or under a code of your own"
                                .to_owned(),
                        ),
                    });
                }
                Some(_) => {}
                None => {
                    self.instruments.insert(id, instrument);
                }
            }
        }
        if diagnostics.is_empty() {
            diagnostics = catalog_crosswalks(&self.instruments, label);
        }
        if diagnostics.is_empty() {
            Ok(())
        } else {
            Err(ChecklistError::Invalid {
                file: label.to_owned(),
                diagnostics,
            })
        }
    }

    /// The instrument with this code: the given version, or the latest when `version` is `None`.
    pub fn get(&self, code: &str, version: Option<u32>) -> Result<&Instrument, ChecklistError> {
        let found = self
            .instruments
            .values()
            .filter(|instrument| instrument.code().as_str() == code)
            .filter(|instrument| version.is_none_or(|v| instrument.version() == v))
            .max_by_key(|instrument| instrument.version());
        found.ok_or_else(|| ChecklistError::NotFound {
            code: code.to_owned(),
            version,
            known: self
                .instruments
                .keys()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join(", "),
        })
    }

    /// Every instrument version, ordered by code then version.
    pub fn iter(&self) -> impl Iterator<Item = &Instrument> {
        self.instruments.values()
    }

    /// Number of instrument versions.
    pub fn len(&self) -> usize {
        self.instruments.len()
    }

    /// Whether the catalog is empty.
    pub fn is_empty(&self) -> bool {
        self.instruments.is_empty()
    }
}

fn read(path: &Path) -> Result<String, ChecklistError> {
    std::fs::read_to_string(path).map_err(|source| ChecklistError::Io {
        path: path.to_path_buf(),
        source,
    })
}

fn check_file(path: &Path) -> Result<FileReport, ChecklistError> {
    let source = read(path)?;
    let outcome = match crate::parse_toml(&source, &path.display().to_string()) {
        Ok(instrument) => Ok(instrument),
        Err(ChecklistError::Invalid { diagnostics, .. }) => Err(diagnostics),
        Err(other) => return Err(other),
    };
    Ok(FileReport {
        path: path.to_path_buf(),
        outcome,
    })
}

fn check_layout(report: &mut FileReport) {
    let Ok(instrument) = &report.outcome else {
        return;
    };
    let file_name = format!("v{}.toml", instrument.version());
    let in_place = report
        .path
        .file_name()
        .is_some_and(|name| *name == *file_name)
        && report
            .path
            .parent()
            .and_then(Path::file_name)
            .is_some_and(|dir| *dir == *instrument.code().as_str());
    if !in_place {
        report.outcome = Err(vec![Diagnostic {
            file: report.path.display().to_string(),
            line: None,
            location: String::new(),
            message: format!(
                "{} must be stored as {}/{file_name}",
                instrument.id(),
                instrument.code()
            ),
            help: Some(
                "one file per version, at <code>/v<version>.toml: rename the file or fix `code`/`version`"
                    .to_owned(),
            ),
        }]);
    }
}

/// The name of the network's targets file in a folder of instruments: it is not an instrument, and
/// the development crate reads it.
pub const TARGETS_FILE_NAME: &str = "targets.toml";

fn collect_toml(dir: &Path, files: &mut Vec<PathBuf>) -> Result<(), ChecklistError> {
    let entries = std::fs::read_dir(dir).map_err(|source| ChecklistError::Io {
        path: dir.to_path_buf(),
        source,
    })?;
    for entry in entries {
        let entry = entry.map_err(|source| ChecklistError::Io {
            path: dir.to_path_buf(),
            source,
        })?;
        let path = entry.path();
        if path.is_dir() {
            collect_toml(&path, files)?;
        } else if path.extension().is_some_and(|ext| ext == "toml")
            && path
                .file_name()
                .is_none_or(|name| name != TARGETS_FILE_NAME)
        {
            files.push(path);
        }
    }
    Ok(())
}
