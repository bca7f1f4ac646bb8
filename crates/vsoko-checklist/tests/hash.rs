//! The content hash is stable under key order, whitespace, comments and table style, and changes
//! with content; the canonical JSON rebuilds the same instrument.

mod common;

use vsoko_checklist::{Instrument, parse_canonical_json, parse_toml};

fn parse(source: &str) -> Instrument {
    parse_toml(source, "test.toml").unwrap_or_else(|error| panic!("{error}"))
}

#[test]
fn hash_ignores_key_order_whitespace_comments_and_table_style() {
    let original = parse(common::CARD);
    // Same data: comments added, keys reordered, blank lines removed, an inline table written as a
    // standard one and vice versa.
    let rewritten = r#"
# Переписанный файл
version = 1
code = "card-test"
respondent = "head"
kind = "control_card"
title = "Карта контроля"
scale   =   "c012"
subject = "group"
[scales.sick]
bands = [{ points = 2, from = 0 }, { points = 1, from = 5 }, { from = 10, points = 0 }]
type = "numeric"
[scales.share]
direction = "more_is_better"
target = 50
max = 100
min = 0
unit = "%"
type = "numeric"
[scales.yes_no]
type = "options"
options = [{ label = "Нет", value = 0 }, { label = "Да", value = 1 }]
[scales.c012]
options = [{ value = 0, label = "Не соответствует" }, { value = 1, label = "Частично" }, { value = 2, label = "Соответствует" }]
allow_na = true
type = "options"
[levels]
min_coverage = 50
deficit_threshold = 60
[[levels.bands]]
name = "Критический"
code = "L1"
from = 0
[[levels.bands]]
code = "L2"
from = 60
name = "Допустимый"
[[levels.bands]]
from = 80
name = "Оптимальный"
code = "L3"
[[areas]]
weight = 2
title = "Подготовка"
code = "P"
indicators = [
  { code = "P.1", title = "Планирование", items = [
    { code = "P.1.1", text = "Конспект" },
    { critical = true, scale = "yes_no", text = "Безопасность", code = "P.1.2" },
  ] },
]
[[areas]]
code = "D"
title = "Цифровые ресурсы"
[[areas.indicators]]
kind = "variable"
title = "ЭОР"
code = "D.1"
[[areas.indicators.items]]
required = false
scale = "share"
text = "Доля занятий с ЭОР"
code = "D.1.1"
[[areas.indicators.items]]
scale = "sick"
code = "D.1.2"
text = "Пропуски по болезни"
"#;
    let rewritten = parse(rewritten);
    assert_eq!(original.content_hash(), rewritten.content_hash());
    assert_eq!(original.canonical_json(), rewritten.canonical_json());
    assert_eq!(original.content_hash().as_str().len(), 64);
}

#[test]
fn hash_changes_with_any_content() {
    let original = parse(common::CARD);
    let changes = [
        (
            "title = \"Конспект\"",
            "text = \"Конспект\"",
            "text = \"Конспект занятия\"",
        ),
        (
            "a label",
            "label = \"Частично\"",
            "label = \"Частично соответствует\"",
        ),
        ("a weight", "weight = 2", "weight = 3"),
        (
            "a threshold",
            "deficit_threshold = 60",
            "deficit_threshold = 59",
        ),
        ("the version", "version = 1", "version = 2"),
    ];
    for (what, from, to) in changes {
        assert!(common::CARD.contains(from), "{what}: fixture lacks {from}");
        let changed = parse(&common::CARD.replacen(from, to, 1));
        assert_ne!(
            original.content_hash(),
            changed.content_hash(),
            "changing {what} must change the hash"
        );
    }
    // Moving an area changes the display order, which is content too.
    let swapped = common::CARD.replace(
        "code = \"P\"\ntitle = \"Подготовка\"",
        "code = \"Q\"\ntitle = \"Подготовка\"",
    );
    assert_ne!(original.content_hash(), parse(&swapped).content_hash());
}

#[test]
fn canonical_json_rebuilds_the_same_instrument() {
    let original = parse(common::CARD);
    let rebuilt = parse_canonical_json(original.canonical_json(), "stored card-test@1")
        .unwrap_or_else(|error| panic!("{error}"));
    assert_eq!(rebuilt.content_hash(), original.content_hash());
    assert_eq!(rebuilt.id(), original.id());
    assert_eq!(rebuilt.areas(), original.areas());
    assert_eq!(rebuilt.scales(), original.scales());
    assert_eq!(rebuilt.levels(), original.levels());
}
