//! Finding a place in a TOML file: the path `serde_ignored` reports for an unknown key, the value
//! and the line at a path, the keys a table of a raw struct accepts (from its JSON Schema). The
//! instrument files and the targets file read their diagnostics through these.

use toml::de::{DeTable, DeValue};

/// One step of a path reported by `serde_ignored`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Segment {
    /// A key of a table.
    Key(String),
    /// An element of an array.
    Index(usize),
}

pub fn segments(path: &serde_ignored::Path<'_>) -> Vec<Segment> {
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

/// The value at `path` in the parsed document.
pub fn value_at<'a, 'i>(document: &'a DeTable<'i>, path: &[Segment]) -> Option<&'a DeValue<'i>> {
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
pub fn key_span(document: &DeTable<'_>, path: &[Segment]) -> Option<usize> {
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

pub fn table_get<'a, 'i>(table: &'a DeTable<'i>, key: &str) -> Option<&'a DeValue<'i>> {
    table
        .iter()
        .find(|(candidate, _)| candidate.get_ref().as_ref() == key)
        .map(|(_, value)| value.get_ref())
}

/// 1-based line number of a byte offset.
pub fn line_of(source: &str, offset: usize) -> usize {
    let end = offset.min(source.len());
    source.as_bytes()[..end]
        .iter()
        .filter(|&&b| b == b'\n')
        .count()
        + 1
}

/// The keys a table of a raw struct accepts, sorted: the properties of `struct_name` in
/// `schema`'s definitions (`root` names the schema's own struct).
pub fn allowed_keys(schema: &schemars::Schema, root: &str, struct_name: &str) -> Vec<String> {
    let value = schema.as_value();
    let definition = if struct_name == root {
        Some(value)
    } else {
        value.get("$defs").and_then(|defs| defs.get(struct_name))
    };
    let mut keys: Vec<String> = definition
        .and_then(|definition| definition.get("properties"))
        .and_then(|properties| properties.as_object())
        .map(|properties| properties.keys().cloned().collect())
        .unwrap_or_default();
    keys.sort();
    keys
}

/// A JSON Schema pretty-printed, ending with a newline, as the committed schema files are.
pub fn schema_text(schema: &schemars::Schema) -> String {
    let mut text = serde_json::to_string_pretty(schema).unwrap_or_default();
    text.push('\n');
    text
}
