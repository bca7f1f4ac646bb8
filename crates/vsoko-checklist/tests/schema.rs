//! `checklists/schema.json` is generated from the code and must not go stale.

use std::path::Path;

#[test]
fn committed_json_schema_is_up_to_date() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../checklists/schema.json");
    let generated = vsoko_checklist::json_schema();
    if std::env::var_os("UPDATE_SCHEMA").is_some() {
        std::fs::write(&path, &generated).expect("write schema");
        return;
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        committed == generated,
        "checklists/schema.json is stale; regenerate it with \
         `cargo run -- checklists schema > checklists/schema.json` \
         (or `UPDATE_SCHEMA=1 cargo test -p vsoko-checklist --test schema`) and commit it"
    );
}

#[test]
fn schema_rejects_unknown_keys_for_editors() {
    let schema: serde_json::Value =
        serde_json::from_str(&vsoko_checklist::json_schema()).expect("valid JSON");
    assert_eq!(schema["additionalProperties"], false);
    for definition in [
        "Area",
        "Indicator",
        "Item",
        "Scale",
        "Levels",
        "Band",
        "Option",
    ] {
        assert_eq!(
            schema["$defs"][definition]["additionalProperties"], false,
            "{definition}"
        );
    }
}
