//! Every shipped instrument in `checklists/` validates, and the set is the one the product promises.

use std::path::Path;

use vsoko_checklist::{Catalog, InstrumentKind, Respondent, Subject};

fn catalog() -> Catalog {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../checklists");
    Catalog::load_dir(&dir).unwrap_or_else(|error| panic!("{error}"))
}

#[test]
fn every_shipped_instrument_is_valid_and_present() {
    let catalog = catalog();
    let expected = [
        (
            "dc-teacher",
            InstrumentKind::Survey,
            Respondent::Teacher,
            Subject::Teacher,
            Some(24),
        ),
        (
            "dc-management",
            InstrumentKind::Survey,
            Respondent::Head,
            Subject::Kindergarten,
            Some(18),
        ),
        (
            "card-ood",
            InstrumentKind::ControlCard,
            Respondent::Head,
            Subject::Teacher,
            Some(20),
        ),
        (
            "card-rpps",
            InstrumentKind::ControlCard,
            Respondent::Head,
            Subject::Group,
            Some(18),
        ),
        (
            "card-walk",
            InstrumentKind::ControlCard,
            Respondent::Head,
            Subject::Group,
            Some(16),
        ),
        (
            "card-family",
            InstrumentKind::ControlCard,
            Respondent::Head,
            Subject::Group,
            Some(11),
        ),
        (
            "vsoko-kindergarten",
            InstrumentKind::IndicatorSet,
            Respondent::Head,
            Subject::Kindergarten,
            None,
        ),
    ];
    // Version 1 of each, as published (versions are immutable).
    for (code, kind, respondent, subject, n_items) in expected {
        let instrument = catalog
            .get(code, Some(1))
            .unwrap_or_else(|error| panic!("{error}"));
        assert_eq!(instrument.kind(), kind, "{code}");
        assert_eq!(instrument.respondent(), respondent, "{code}");
        assert_eq!(instrument.subject(), subject, "{code}");
        if let Some(n_items) = n_items {
            assert_eq!(instrument.item_count(), n_items, "{code}");
        }
    }
}

#[test]
fn teacher_survey_has_six_areas_a_ladder_with_na_and_digcompedu_levels() {
    let catalog = catalog();
    let survey = catalog.get("dc-teacher", Some(1)).unwrap();
    assert_eq!(survey.areas().len(), 6);
    let codes: Vec<&str> = survey
        .levels()
        .bands()
        .iter()
        .map(|b| b.code().as_str())
        .collect();
    assert_eq!(codes, ["A1", "A2", "B1", "B2", "C1", "C2"]);
    for item in survey.items() {
        let options = item.scale.options().expect("options scale");
        assert_eq!(options.len(), 6, "{}", item.item.code());
        assert!(item.scale.allows_na(), "{}", item.item.code());
    }
}

#[test]
fn control_cards_have_critical_items_on_a_three_level_scale() {
    let catalog = catalog();
    for code in ["card-ood", "card-rpps", "card-walk"] {
        let card = catalog.get(code, None).unwrap();
        assert!(card.items().any(|item| item.item.is_critical()), "{code}");
        let names: Vec<&str> = card.levels().bands().iter().map(|b| b.name()).collect();
        assert_eq!(names.len(), 3, "{code}: {names:?}");
    }
}

#[test]
fn kindergarten_indicator_set_has_the_network_targets() {
    let catalog = catalog();
    let set = catalog.get("vsoko-kindergarten", None).unwrap();
    let numeric_targets: Vec<f64> = set
        .items()
        .filter_map(|item| match item.scale.kind() {
            vsoko_checklist::ScaleKind::Numeric {
                rule: vsoko_checklist::NumericRule::Target { target, .. },
                ..
            } => Some(*target),
            _ => None,
        })
        .collect();
    assert!(
        numeric_targets.contains(&100.0),
        "КПК target 100 %: {numeric_targets:?}"
    );
    assert!(
        numeric_targets.contains(&50.0),
        "ЭОР target 50 %: {numeric_targets:?}"
    );
    assert!(
        set.areas()
            .iter()
            .flat_map(|area| area.indicators())
            .any(|indicator| indicator.kind() == vsoko_checklist::IndicatorKind::Variable),
        "a variable indicator"
    );
}

#[test]
fn version_2_of_the_teacher_survey_has_a_lowest_rung_and_bands_fitted_to_its_ladder() {
    let catalog = catalog();
    let survey = catalog.get("dc-teacher", Some(2)).unwrap();
    assert!(survey.crosswalk().is_some_and(|c| c.from_version() == 1));
    // Bands at the midpoints of the 0–5 ladder: 10, 30, 50, 70, 90 %.
    let from: Vec<f64> = survey.levels().bands().iter().map(|b| b.from()).collect();
    assert_eq!(from, [0.0, 10.0, 30.0, 50.0, 70.0, 90.0]);
    let mut unscored = 0;
    let mut with_na = 0;
    for item in survey.items() {
        let options = item.scale.options().expect("options scale");
        if !item.item.is_scored() {
            unscored += 1;
            continue;
        }
        with_na += usize::from(item.scale.allows_na());
        if options.len() == 6 {
            // «Не владею» scores 0 and is not N/A.
            assert_eq!(options[0].value(), 0.0);
            assert!(
                options[0].label().starts_with("Не владею"),
                "{}",
                item.item.code()
            );
        }
    }
    // Motivation and tutoring are asked, not scored; N/A is the exception.
    assert!(unscored >= 3, "{unscored}");
    assert!(
        with_na * 2 < survey.item_count(),
        "{with_na} items with N/A"
    );
}

#[test]
fn version_3_of_the_teacher_survey_has_one_behaviour_a_step_and_no_children_in_tool_items() {
    let catalog = catalog();
    let survey = catalog.get("dc-teacher", None).unwrap();
    assert_eq!(survey.version(), 3);
    assert!(survey.crosswalk().is_some_and(|c| c.from_version() == 2));
    for item in survey.items().filter(|item| item.item.is_scored()) {
        let options = item.scale.options().expect("options scale");
        assert_eq!(options.len(), 6, "{}", item.item.code());
        let labels: Vec<&str> = options.iter().map(|option| option.label()).collect();
        // DigCompEdu: C1 «Лидер» helps colleagues, C2 «Новатор» creates what others take up;
        // reflection is no longer a leadership step, and no step asks two things.
        assert!(labels[0].starts_with("Не владею"), "{labels:?}");
        assert!(labels[4].starts_with("Помогаю коллегам"), "{labels:?}");
        assert!(
            labels[5].starts_with("Разрабатываю новые способы"),
            "{labels:?}"
        );
        assert!(
            labels
                .iter()
                .all(|label| !label.contains("делюсь опытом и обучаю")),
            "{labels:?}"
        );
    }
    // Items with no children in them ask about the work task, not the children's age.
    for code in ["A0.1.1", "A0.1.2", "A1.1.3", "A1.2.1"] {
        let item = survey.item(code).expect(code);
        let third = item.scale.options().unwrap()[3].label();
        assert!(!third.contains("детей"), "{code}: {third}");
    }
}

#[test]
fn the_new_instruments_are_a_parents_questionnaire_and_a_routine_card() {
    let catalog = catalog();
    let parents = catalog.get("parent-satisfaction", None).unwrap();
    assert_eq!(parents.respondent(), Respondent::Parent);
    assert_eq!(parents.min_respondents(), Some(5));
    assert_eq!(parents.counting(), vsoko_checklist::Counting::Observations);
    let routine = catalog.get("card-routine", None).unwrap();
    assert_eq!(routine.kind(), InstrumentKind::ControlCard);
    assert_eq!(routine.subject(), Subject::Group);
}

/// Issue 23 §12: a self-assessment survey gives no places in network reports unless its file says
/// `ranking = true`; cards and indicator sets, which someone else checks, do.
#[test]
fn self_assessment_surveys_give_no_places_and_checked_instruments_do() {
    let catalog = catalog();
    for instrument in catalog.iter() {
        assert_eq!(
            instrument.ranks(),
            instrument.kind() != InstrumentKind::Survey,
            "{}",
            instrument.id()
        );
    }
    let source = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../../checklists/dc-teacher/v2.toml"),
    )
    .unwrap();
    let ranked = source.replacen("kind = \"survey\"", "kind = \"survey\"\nranking = true", 1);
    assert_ne!(ranked, source);
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("v2.toml");
    std::fs::write(&path, ranked).unwrap();
    let instrument = vsoko_checklist::load_file(&path).unwrap_or_else(|error| panic!("{error}"));
    assert!(instrument.ranks());
}
