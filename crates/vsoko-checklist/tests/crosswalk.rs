//! Crosswalks between versions: which nodes are compared, defaults, and promises of same content
//! that the files break.

use vsoko_checklist::{Catalog, CrosswalkError, correspondence, parse_toml};

const HEAD: &str = r#"
code = "cw"
version = VERSION
title = "Версии"
kind = "control_card"
respondent = "head"
subject = "group"
scale = "yn"

[levels]
deficit_threshold = 50
bands = [{ code = "L1", name = "Низкий", from = 0 }, { code = "L2", name = "Высокий", from = 50 }]

[scales.yn]
type = "options"
options = [{ value = 0, label = "Нет" }, { value = 1, label = "Да" }]
"#;

/// Version 1: area A with A.1 (two items) and A.2; area B with B.1.
const V1: &str = r#"
[[areas]]
code = "A"
title = "А"

[[areas.indicators]]
code = "A.1"
title = "А.1"
items = [{ code = "A.1.1", text = "1" }, { code = "A.1.2", text = "2" }]

[[areas.indicators]]
code = "A.2"
title = "А.2"
items = [{ code = "A.2.1", text = "1" }]

[[areas]]
code = "B"
title = "Б"

[[areas.indicators]]
code = "B.1"
title = "Б.1"
items = [{ code = "B.1.1", text = "1" }]
"#;

/// Version 2: A.1 split into A.1 and A.3; A.2 renamed C.2 (moved to a new area C); B.1 kept;
/// the total and area A changed.
fn v2(extra: &str) -> String {
    format!(
        r#"{}

[[areas]]
code = "A"
title = "А"

[[areas.indicators]]
code = "A.1"
title = "А.1 (планирование)"
items = [{{ code = "A.1.1", text = "1" }}]

[[areas.indicators]]
code = "A.3"
title = "А.3 (подготовка)"
items = [{{ code = "A.3.1", text = "2" }}]

[[areas]]
code = "B"
title = "Б"

[[areas.indicators]]
code = "B.1"
title = "Б.1 — новая формулировка"
items = [{{ code = "B.1.1", text = "1 — по-новому" }}]

[[areas]]
code = "C"
title = "В"

[[areas.indicators]]
code = "C.2"
title = "В.2 (бывший А.2)"
items = [{{ code = "C.2.1", text = "1" }}]

[crosswalk]
from_version = 1

[[crosswalk.nodes]]
code = "cw"
relation = "new"

[[crosswalk.nodes]]
code = "A"
relation = "new"

[[crosswalk.nodes]]
code = "A.1"
relation = "split"
from = ["A.1"]

[[crosswalk.nodes]]
code = "A.3"
relation = "split"
from = ["A.1"]

[[crosswalk.nodes]]
code = "C.2"
relation = "renamed"
from = ["A.2"]
{extra}"#,
        head(2)
    )
}

fn head(version: u32) -> String {
    HEAD.replace("VERSION", &version.to_string())
}

fn v1() -> String {
    format!("{}{V1}", head(1))
}

/// Loads files (path in the catalog, text) as a catalog directory.
fn load(files: &[(String, String)]) -> Result<Catalog, vsoko_checklist::ChecklistError> {
    let dir = tempfile::tempdir().unwrap();
    for (path, text) in files {
        let path = dir.path().join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
    Catalog::load_dir(dir.path())
}

fn sources(v2: &str) -> Vec<(String, String)> {
    vec![
        ("cw/v1.toml".to_owned(), v1()),
        ("cw/v2.toml".to_owned(), v2.to_owned()),
    ]
}

#[test]
fn renamed_and_kept_nodes_compare_split_and_new_ones_do_not() {
    let v1 = parse_toml(&v1(), "v1").unwrap();
    let v2 = parse_toml(&v2(""), "v2").unwrap();
    let map = correspondence(&v1, &v2).unwrap();
    assert_eq!(map.earlier("C.2"), Some("A.2"), "renamed");
    assert_eq!(map.earlier("B.1"), Some("B.1"), "unlisted, same code: same");
    assert_eq!(
        map.earlier("B"),
        Some("B"),
        "an area whose indicators all compare"
    );
    assert_eq!(map.earlier("A.1"), None, "split");
    assert_eq!(map.earlier("A.3"), None, "split");
    assert_eq!(map.earlier("A"), None, "declared new");
    assert_eq!(map.earlier("C"), None, "unlisted, no such code in v1: new");
    assert_eq!(map.earlier("cw"), None, "the total declared new");
    // Reported on version 1, compared with a period on version 2: the same pairs, inverted.
    let back = correspondence(&v2, &v1).unwrap();
    assert_eq!(back.earlier("A.2"), Some("C.2"));
    assert_eq!(back.earlier("B.1"), Some("B.1"));
    assert_eq!(back.earlier("A.1"), None);
    // One version with itself: everything.
    assert_eq!(
        correspondence(&v2, &v2).unwrap().earlier("A.3"),
        Some("A.3")
    );
}

#[test]
fn a_catalog_refuses_a_same_node_whose_scored_content_changed() {
    // B.1 keeps its code but gains a scored item: by default it would be compared.
    let changed = v2("").replace(
        r#"items = [{ code = "B.1.1", text = "1 — по-новому" }]"#,
        r#"items = [{ code = "B.1.1", text = "1 — по-новому" }, { code = "B.1.2", text = "2" }]"#,
    );
    let error = load(&sources(&changed)).unwrap_err();
    let text = error.to_string() + &format!("{error:?}");
    assert!(
        text.contains("\"B.1\" is compared with cw@1 \"B.1\" (by default: same code)"),
        "{text}"
    );
    // Declaring B.1 new changes its area: B now has an indicator with nothing to compare.
    let b1_new = changed.clone() + "\n[[crosswalk.nodes]]\ncode = \"B.1\"\nrelation = \"new\"\n";
    let error = load(&sources(&b1_new)).unwrap_err();
    let text = format!("{error:?}");
    assert!(
        text.contains(r#"\"B\" is compared with cw@1 \"B\""#),
        "{text}"
    );
    assert!(!text.contains(r#"\"B.1\" is compared"#), "{text}");
    // Declaring the area new too is the fix.
    let fixed = b1_new + "\n[[crosswalk.nodes]]\ncode = \"B\"\nrelation = \"new\"\n";
    load(&sources(&fixed)).unwrap();
}

#[test]
fn a_crosswalk_naming_a_missing_version_or_node_is_refused() {
    let without_v1 = vec![("cw/v2.toml".to_owned(), v2(""))];
    let error = load(&without_v1).unwrap_err();
    assert!(
        format!("{error:?}").contains("not in the catalog"),
        "{error:?}"
    );

    let wrong_from = v2("").replace(r#"from = ["A.2"]"#, r#"from = ["A.7"]"#);
    let error = load(&sources(&wrong_from)).unwrap_err();
    assert!(
        format!("{error:?}").contains(r#"\"A.7\" is not an indicator of cw@1"#),
        "{error:?}"
    );
    let first = parse_toml(&v1(), "v1").unwrap();
    let other = parse_toml(&v1().replace("code = \"cw\"", "code = \"xx\""), "xx").unwrap();
    assert_eq!(
        correspondence(&first, &other),
        Err(CrosswalkError::NotLinked)
    );
}
