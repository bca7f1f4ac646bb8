//! JSON Schema of the instrument file format, generated from the raw structs.

use crate::raw::RawInstrument;

/// The JSON Schema of instrument files, pretty-printed, as committed in `checklists/schema.json`.
pub fn json_schema() -> String {
    let schema = schemars::schema_for!(RawInstrument);
    let mut text = serde_json::to_string_pretty(&schema).unwrap_or_else(|_| unreachable!());
    text.push('\n');
    text
}

/// The keys a table of the given raw struct accepts, sorted.
pub(crate) fn allowed_keys(struct_name: &str) -> Vec<String> {
    let schema = schemars::schema_for!(RawInstrument);
    let value = schema.as_value();
    let definition = if struct_name == "Instrument" {
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
