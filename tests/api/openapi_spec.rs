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
