//! Items the professional-development loop reads by their role: found by role whatever their
//! code, kept through the stored canonical form, and absent from files that set none.

use vsoko_checklist::{Catalog, ItemRole, parse_canonical_json, parse_toml};

const SURVEY: &str = r#"
code = "roles-ok"
version = 1
title = "Самооценка с ролями пунктов"
kind = "survey"
respondent = "teacher"
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
code = "A"
title = "Область"

[[areas.indicators]]
code = "A.1"
title = "Показатель"

[[areas.indicators.items]]
code = "A.1.1"
text = "Оцениваемый пункт"

[[areas.indicators.items]]
code = "A.1.7"
text = "Хочу развивать цифровые компетенции"
scored = false
role = "motivation"

[[areas.indicators.items]]
code = "A.1.9"
text = "Готов(а) помогать коллегам как тьютор"
scored = false
role = "tutor_offer"
"#;

#[test]
fn an_item_is_found_by_its_role_and_keeps_it_through_the_stored_form() {
    let instrument = parse_toml(SURVEY, "roles-ok.toml").expect("a valid survey");
    assert_eq!(
        found(&instrument, ItemRole::Motivation).as_deref(),
        Some("A.1.7")
    );
    assert_eq!(
        found(&instrument, ItemRole::TutorOffer).as_deref(),
        Some("A.1.9")
    );
    assert_eq!(found(&instrument, ItemRole::ConsultationRequest), None);

    let rebuilt = parse_canonical_json(instrument.canonical_json(), "stored").expect("stored form");
    assert_eq!(
        found(&rebuilt, ItemRole::Motivation).as_deref(),
        Some("A.1.7")
    );
    assert_eq!(rebuilt.content_hash(), instrument.content_hash());
}

#[test]
fn the_staff_surveys_name_every_role_and_earlier_versions_none() {
    let catalog = Catalog::shipped().expect("the shipped catalog");
    let expected = [
        ("dc-teacher", 3, ["A1.2.3", "A1.2.5", "A1.2.6"]),
        ("dc-management", 3, ["M8.1.3", "M8.1.4", "M8.1.5"]),
    ];
    for (code, version, items) in expected {
        let instrument = catalog.get(code, Some(version)).expect(code);
        let roles = [
            ItemRole::Motivation,
            ItemRole::TutorOffer,
            ItemRole::ConsultationRequest,
        ];
        for (role, item) in roles.into_iter().zip(items) {
            assert_eq!(
                found(instrument, role).as_deref(),
                Some(item),
                "{code}@{version}"
            );
        }
    }
    // Versions published before roles existed keep their stored form (and so their hash).
    for instrument in catalog.iter().filter(|instrument| {
        instrument.version() < 3 || !instrument.code().as_str().starts_with("dc-")
    }) {
        for role in ItemRole::ALL {
            assert!(
                instrument.item_with_role(role).is_none(),
                "{}",
                instrument.id()
            );
        }
        assert!(
            !instrument.canonical_json().contains("\"role\""),
            "{}",
            instrument.id()
        );
    }
}

fn found(instrument: &vsoko_checklist::Instrument, role: ItemRole) -> Option<String> {
    instrument
        .item_with_role(role)
        .map(|item| item.item.code().to_string())
}
