//! JSON Schema of the instrument file format, generated from the raw structs.

use crate::raw::RawInstrument;

/// The JSON Schema of instrument files, pretty-printed, as committed in `checklists/schema.json`.
pub fn json_schema() -> String {
    crate::toml_path::schema_text(&schemars::schema_for!(RawInstrument))
}

/// The keys a table of the given raw struct accepts, sorted.
pub(crate) fn allowed_keys(struct_name: &str) -> Vec<String> {
    crate::toml_path::allowed_keys(
        &schemars::schema_for!(RawInstrument),
        "Instrument",
        struct_name,
    )
}
