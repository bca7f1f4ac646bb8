//! The canonical form of an instrument and its content hash.
//!
//! Canonical form: the TOML document as a JSON value with object keys sorted and no whitespace.
//! Comments, whitespace, key order and the choice between inline and standard tables therefore do
//! not change the hash; any change of a value, of array order or of a key does. The hash is taken
//! over the file as written (not over the model with defaults filled in) so that a later release of
//! vsoko that adds a field to the model cannot change the hash of an unchanged file.

use sha2::{Digest, Sha256};

use crate::model::ContentHash;

/// Canonical JSON of a TOML document, and its SHA-256.
pub(crate) fn canonical(source: &str) -> Result<(String, ContentHash), String> {
    let table: toml::Table = toml::from_str(source).map_err(|error| error.message().to_owned())?;
    let value = serde_json::to_value(&table).map_err(|error| error.to_string())?;
    let json = serde_json::to_string(&sorted(value)).map_err(|error| error.to_string())?;
    let hash = hash_str(&json);
    Ok((json, hash))
}

/// Rebuilds every object with its keys inserted in sorted order. serde_json keeps insertion order
/// when any crate in the build enables its `preserve_order` feature, so sorting cannot be left to the
/// map type.
fn sorted(value: serde_json::Value) -> serde_json::Value {
    match value {
        serde_json::Value::Object(map) => {
            let mut entries: Vec<(String, serde_json::Value)> = map.into_iter().collect();
            entries.sort_by(|a, b| a.0.cmp(&b.0));
            serde_json::Value::Object(
                entries
                    .into_iter()
                    .map(|(key, value)| (key, sorted(value)))
                    .collect(),
            )
        }
        serde_json::Value::Array(items) => {
            serde_json::Value::Array(items.into_iter().map(sorted).collect())
        }
        other => other,
    }
}

/// SHA-256 of a canonical form.
pub(crate) fn hash_str(canonical: &str) -> ContentHash {
    let digest = Sha256::digest(canonical.as_bytes());
    ContentHash(digest.iter().map(|byte| format!("{byte:02x}")).collect())
}

/// Turns stored canonical JSON back into TOML text that [`crate::parse_toml`] accepts.
pub(crate) fn json_to_toml(canonical: &str) -> Result<String, String> {
    let value: serde_json::Value =
        serde_json::from_str(canonical).map_err(|error| error.to_string())?;
    let table: toml::Table = serde_json::from_value(value).map_err(|error| error.to_string())?;
    toml::to_string(&table).map_err(|error| error.to_string())
}
