//! Where a key of the file is: the path serde_ignored reports turned into a location and a
//! line, for the diagnostics of unknown keys.

use toml::de::{DeTable, DeValue};

use super::*;

/// One step of a path reported by `serde_ignored`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Segment {
    Key(String),
    Index(usize),
}

pub(super) fn segments(path: &serde_ignored::Path<'_>) -> Vec<Segment> {
    let mut out = Vec::new();
    let mut current = path;
    loop {
        match current {
            serde_ignored::Path::Root => break,
            serde_ignored::Path::Seq { parent, index } => {
                out.push(Segment::Index(*index));
                current = parent;
            }
            serde_ignored::Path::Map { parent, key } => {
                out.push(Segment::Key(key.clone()));
                current = parent;
            }
            serde_ignored::Path::Some { parent }
            | serde_ignored::Path::NewtypeStruct { parent }
            | serde_ignored::Path::NewtypeVariant { parent } => current = parent,
        }
    }
    out.reverse();
    out
}

/// Turns the path of a table into readable text and names the raw struct found there.
pub(super) fn describe(document: &DeTable<'_>, path: &[Segment]) -> (Loc, &'static str) {
    let root = Loc::root();
    let key = |i: usize| match path.get(i) {
        Some(Segment::Key(key)) => Some(key.as_str()),
        _ => None,
    };
    let index = |i: usize| match path.get(i) {
        Some(Segment::Index(index)) => Some(*index),
        _ => None,
    };
    // The code of the table at path[..=depth], or "#n" when it has none.
    let code_at = |depth: usize| {
        let mut prefix = path[..=depth].to_vec();
        prefix.push(Segment::Key("code".to_owned()));
        value_at(document, &prefix)
            .and_then(DeValue::as_str)
            .map(str::to_owned)
            .unwrap_or_else(|| format!("#{}", index(depth).map_or(0, |i| i + 1)))
    };
    match key(0) {
        None => (root, "Instrument"),
        Some("levels") => match index(2) {
            Some(_) => (root.child("levels → band", &code_at(2), None), "Band"),
            None => (
                Loc {
                    text: "levels".to_owned(),
                    line: None,
                },
                "Levels",
            ),
        },
        Some("scales") => {
            let name = key(1).unwrap_or("?");
            let loc = root.child("scale", name, None);
            match (key(2), index(3)) {
                (Some("options"), Some(i)) => {
                    (loc.child("option", &(i + 1).to_string(), None), "Option")
                }
                (Some("bands"), Some(i)) => {
                    (loc.child("band", &(i + 1).to_string(), None), "PointBand")
                }
                _ => (loc, "Scale"),
            }
        }
        Some("areas") if index(1).is_some() => {
            let loc = root.child("area", &code_at(1), None);
            if index(3).is_none() {
                return (loc, "Area");
            }
            let loc = loc.child("indicator", &code_at(3), None);
            if index(5).is_none() {
                return (loc, "Indicator");
            }
            (loc.child("item", &code_at(5), None), "Item")
        }
        Some(_) => (root, "Instrument"),
    }
}

/// The value at `path` in the parsed document.
pub(super) fn value_at<'a, 'i>(
    document: &'a DeTable<'i>,
    path: &[Segment],
) -> Option<&'a DeValue<'i>> {
    let (first, rest) = path.split_first()?;
    let Segment::Key(first) = first else {
        return None;
    };
    let mut value = table_get(document, first)?;
    for segment in rest {
        value = match (segment, value) {
            (Segment::Key(key), DeValue::Table(table)) => table_get(table, key)?,
            (Segment::Index(i), DeValue::Array(array)) => array.get(*i)?.get_ref(),
            _ => return None,
        };
    }
    Some(value)
}

/// Byte offset of the key at `path` in the parsed document, when it can be found. A path that
/// ends in an array index points at the first key of that array element.
pub(super) fn key_span(document: &DeTable<'_>, path: &[Segment]) -> Option<usize> {
    let (last, parents) = path.split_last()?;
    match last {
        Segment::Key(last) => {
            let container = if parents.is_empty() {
                document
            } else {
                value_at(document, parents)?.as_table()?
            };
            container
                .iter()
                .find(|(key, _)| key.get_ref().as_ref() == last.as_str())
                .map(|(key, _)| key.span().start)
        }
        Segment::Index(_) => {
            let element = value_at(document, path)?.as_table()?;
            element.iter().map(|(key, _)| key.span().start).min()
        }
    }
}

pub(super) fn table_get<'a, 'i>(table: &'a DeTable<'i>, key: &str) -> Option<&'a DeValue<'i>> {
    table
        .iter()
        .find(|(candidate, _)| candidate.get_ref().as_ref() == key)
        .map(|(_, value)| value.get_ref())
}
