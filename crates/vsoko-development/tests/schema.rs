//! `checklists/targets.schema.json` is generated from the code and must not go stale; the shipped file
//! points at it.

use std::path::Path;

#[test]
fn committed_json_schema_is_up_to_date() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../checklists/targets.schema.json");
    let generated = vsoko_development::targets_json_schema();
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        committed == generated,
        "checklists/targets.schema.json is stale; regenerate it with \
         `cargo run -- checklists targets-schema > checklists/targets.schema.json` and commit it"
    );
}

#[test]
fn schema_rejects_unknown_keys_for_editors() {
    let schema: serde_json::Value =
        serde_json::from_str(&vsoko_development::targets_json_schema()).expect("valid JSON");
    assert_eq!(schema["additionalProperties"], false);
    for definition in ["Target", "Source"] {
        assert_eq!(
            schema["$defs"][definition]["additionalProperties"], false,
            "{definition}"
        );
    }
}

#[test]
fn the_shipped_file_names_the_schema() {
    let first_line = vsoko_development::DEFAULT_TARGETS_TOML.lines().next();
    assert_eq!(first_line, Some("#:schema targets.schema.json"));
}
