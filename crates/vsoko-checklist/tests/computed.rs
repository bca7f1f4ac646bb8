//! Computed items: a value the system holds (another instrument's result in the same period and
//! kindergarten) is never asked. The file states its source; the catalog refuses a source that
//! does not exist.

use vsoko_checklist::{Catalog, ChecklistError, render_diagnostics};

/// A control card: the source of the computed item.
const CARD: &str = r#"
code = "card-x"
version = 1
title = "Карта"
kind = "control_card"
respondent = "head"
subject = "teacher"
scale = "yes_no"

[levels]
deficit_threshold = 50
bands = [
  { code = "L1", name = "Низкий", from = 0 },
  { code = "L2", name = "Высокий", from = 50 },
]

[scales.yes_no]
type = "options"
options = [{ value = 0, label = "Нет" }, { value = 1, label = "Да" }]

[[areas]]
code = "X2"
title = "Цели и содержание"

[[areas.indicators]]
code = "X2.1"
title = "Показатель"

[[areas.indicators.items]]
code = "X2.1.1"
text = "Критерий"
"#;

/// The kindergarten's indicator set whose first item is computed from `source`.
fn set(source: &str) -> String {
    format!(
        r#"
code = "set-x"
version = 1
title = "Показатели ДОО"
kind = "indicator_set"
respondent = "head"
subject = "kindergarten"

[levels]
deficit_threshold = 50
bands = [
  {{ code = "L1", name = "Низкий", from = 0 }},
  {{ code = "L2", name = "Высокий", from = 50 }},
]

[scales.pct]
type = "numeric"
unit = "%"
min = 0
max = 100
target = 80
direction = "more_is_better"

[[areas]]
code = "A"
title = "Область"

[[areas.indicators]]
code = "A.1"
title = "Показатель"
scale = "pct"

[[areas.indicators.items]]
code = "A.1.1"
text = "Средний результат блока «Цели и содержание» карт, %"
computed = {source}

[[areas.indicators.items]]
code = "A.1.2"
text = "Введённый показатель, %"
"#
    )
}

fn load(files: &[(&str, String)]) -> Result<Catalog, ChecklistError> {
    let dir = tempfile::tempdir().unwrap();
    for (path, text) in files {
        let path = dir.path().join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
    Catalog::load_dir(dir.path())
}

fn refused(files: &[(&str, String)]) -> String {
    match load(files) {
        Err(ChecklistError::Invalid { diagnostics, .. }) => render_diagnostics(&diagnostics),
        other => panic!("expected the catalog to refuse, got {other:?}"),
    }
}

#[test]
fn a_computed_item_names_its_source_and_is_never_required() {
    let catalog = load(&[
        ("card-x/v1.toml", CARD.to_owned()),
        (
            "set-x/v1.toml",
            set(r#"{ instrument = "card-x", node = "X2" }"#),
        ),
    ])
    .expect("a valid catalog");
    let indicators = catalog.get("set-x", None).unwrap();
    let computed = indicators.item("A.1.1").unwrap().item;
    let source = computed.computed().expect("a computed item");
    assert_eq!(
        (source.instrument().as_str(), source.node().as_str()),
        ("card-x", "X2")
    );
    assert!(!computed.is_required());
    let typed = indicators.item("A.1.2").unwrap().item;
    assert!(typed.computed().is_none() && typed.is_required());
    // The total of the source is a node too.
    load(&[
        ("card-x/v1.toml", CARD.to_owned()),
        (
            "set-x/v1.toml",
            set(r#"{ instrument = "card-x", node = "card-x" }"#),
        ),
    ])
    .expect("the source's total");
}

#[test]
fn a_catalog_refuses_a_computed_item_whose_source_does_not_exist() {
    let missing_instrument = refused(&[(
        "set-x/v1.toml",
        set(r#"{ instrument = "card-y", node = "X2" }"#),
    )]);
    assert!(
        missing_instrument.contains(
            "area A → indicator A.1 → item A.1.1: set-x@1: the computed item takes its value from \"card-y\", which is not in the catalog"
        ),
        "{missing_instrument}"
    );
    let missing_node = refused(&[
        ("card-x/v1.toml", CARD.to_owned()),
        (
            "set-x/v1.toml",
            set(r#"{ instrument = "card-x", node = "X9" }"#),
        ),
    ]);
    assert!(
        missing_node.contains(
            "set-x@1: the computed item takes its value from node \"X9\", which card-x@1 does not have"
        ),
        "{missing_node}"
    );
}
