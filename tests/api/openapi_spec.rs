//! The committed `openapi/openapi.json` must match what the code generates.

use std::path::Path;

const REGENERATE: &str = "cargo run -- openapi > openapi/openapi.json   (or: UPDATE_OPENAPI=1 cargo test --test api openapi)";

#[test]
fn the_committed_openapi_document_is_up_to_date() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("openapi/openapi.json");
    let generated = vsoko_api::openapi::document_json();
    if std::env::var_os("UPDATE_OPENAPI").is_some() {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, &generated).unwrap();
        return;
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        committed == generated,
        "openapi/openapi.json is stale; regenerate it with:\n    {REGENERATE}"
    );
}

/// Every `$ref` of the document names a schema it has (a type named only by a path parameter is
/// not collected from the handlers and must be registered by hand).
#[test]
fn every_reference_of_the_document_resolves() {
    let document: serde_json::Value =
        serde_json::from_str(&vsoko_api::openapi::document_json()).unwrap();
    let schemas = &document["components"]["schemas"];
    let mut missing = Vec::new();
    let mut stack = vec![&document];
    while let Some(value) = stack.pop() {
        match value {
            serde_json::Value::Object(map) => {
                if let Some(serde_json::Value::String(target)) = map.get("$ref") {
                    let name = target.trim_start_matches("#/components/schemas/");
                    if schemas.get(name).is_none() {
                        missing.push(target.clone());
                    }
                }
                stack.extend(map.values());
            }
            serde_json::Value::Array(items) => stack.extend(items),
            _ => {}
        }
    }
    assert!(missing.is_empty(), "unresolved references: {missing:?}");
}
